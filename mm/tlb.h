/* SPDX-License-Identifier: MIT */
/*
 * One TLB level as a model: up to three set-associative arrays, each holding some page sizes,
 * with true LRU, PCID tags and global entries. Invalidation follows Intel SDM vol. 3 4.10.4
 * (INVLPG, MOV to CR3, INVPCID).
 */
#ifndef EMU_MM_TLB_H
#define EMU_MM_TLB_H

#include "base/err.h"
#include "base/types.h"
#include "mm/mmtypes.h"

#define TLB_MAX_ARRAYS 3

/* tlb_entry.flags */
#define TLB_E_VALID  0x01u
#define TLB_E_GLOBAL 0x02u /* G set in the leaf and CR4.PGE = 1: survives non-global flushes */
#define TLB_E_W      0x04u /* writable at every level */
#define TLB_E_U      0x08u /* user-accessible at every level */
#define TLB_E_NX     0x10u /* execute-disable at some level (only with EFER.NXE) */
#define TLB_E_DIRTY  0x20u /* the leaf's D bit is known to be set */

/* Permission bits (TLB_E_W | TLB_E_U | TLB_E_NX) as the walker accumulates them. */
#define TLB_E_PERMS (TLB_E_W | TLB_E_U | TLB_E_NX)

struct tlb_entry {
    u64 tag; /* tlb_tag(vpn, size) when valid, 0 when not */
    u64 pfn; /* guest-physical frame of the page base, in 4 KiB units */
    u16 pcid;
    u8 size;  /* enum page_size */
    u8 flags; /* TLB_E_* */
    u32 slot; /* index of the entry's LRU stamp in tlb.stamps (fixed at tlb_init()) */
};

/** tlb_tag() - the tag of a valid entry for page @vpn of @size (never 0). */
static inline u64 tlb_tag(u64 vpn, unsigned size)
{
    return (vpn << 3) | ((u64)size << 1) | 1u;
}

/** tlb_entry_vpn() - the page number (va >> page_size_shift(size)) of a valid entry. */
static inline u64 tlb_entry_vpn(const struct tlb_entry *e)
{
    return e->tag >> 3;
}

/* One array: @n_entries / @n_ways sets (a power of two); n_ways == n_entries is fully assoc. */
struct tlb_array_config {
    u32 n_entries;
    u32 n_ways;
    u32 size_mask; /* bit (1 << enum page_size) per page size the array holds */
};

struct tlb_config {
    u32 n_arrays;
    struct tlb_array_config arrays[TLB_MAX_ARRAYS];
};

/* Hints are compared TLB_HINT_GROUP at a time (one SSE2 register of u16). */
#define TLB_HINT_GROUP 8
/* Page-size field of the hint of an invalid entry (no enum page_size has this value). */
#define TLB_HINT_INVALID 3u

/*
 * The entries of a set are found through a 16-bit hint per entry, (vpn >> set bits) << 2 | size,
 * or TLB_HINT_INVALID: a lookup compares the hints of a whole set at once and reads only the
 * entries whose hint matches, and an insert learns whether its victim is valid (and its size)
 * from the hints. LRU stamps are contiguous too, for the victim search.
 */
struct tlb_array {
    struct tlb_array_config cfg;
    u32 set_mask;        /* n_sets - 1 */
    u32 set_shift;       /* log2(n_sets) */
    struct tlb_entry *e; /* n_entries, set-major: e[set * n_ways + way] */
    u16 *hints;          /* hints[k] for e[k], plus TLB_HINT_GROUP lanes of padding */
    u64 *stamps;         /* this array's part of tlb.stamps: stamps[k] for e[k] */
};

struct tlb {
    u64 clock; /* LRU stamp source, incremented on every use */
    u64 n_hits, n_misses;
    u64 *stamps; /* last-use stamp of every entry of every array, larger is newer; 0 if invalid */
    u32 n_arrays;
    i8 array_of_size[PAGE_SIZE_COUNT]; /* array holding each size, -1 if none */
    u32 n_valid[PAGE_SIZE_COUNT];      /* valid entries of each size: probes skip empty sizes */
    struct tlb_array arrays[TLB_MAX_ARRAYS];
};

/* Called for every valid entry a flush removes, before it is cleared. */
typedef void tlb_evict_fn(void *opaque, const struct tlb_entry *e);

/**
 * tlb_init() - allocate the arrays described by @cfg into @t.
 * Each page size may be held by at most one array; sets must be a power of two.
 * Return: false and @err if @cfg is invalid or memory runs out.
 */
bool tlb_init(struct tlb *t, const struct tlb_config *cfg, struct emu_err *err);

/** tlb_fini() - free the arrays of @t. */
void tlb_fini(struct tlb *t);

/**
 * tlb_lookup() - find the entry translating @va for @pcid (or a global one), any page size.
 * A hit refreshes the entry's LRU stamp. Counts n_hits / n_misses.
 * Return: the entry, or NULL on a miss.
 */
struct tlb_entry *tlb_lookup(struct tlb *t, gva_t va, u16 pcid);

/** tlb_probe() - like tlb_lookup() without counting or touching LRU state. */
struct tlb_entry *tlb_probe(const struct tlb *t, gva_t va, u16 pcid);

/** tlb_stamp() - where @e's LRU stamp lives (the MMU's front cache keeps it to touch @e). */
static inline u64 *tlb_stamp(struct tlb *t, const struct tlb_entry *e)
{
    return &t->stamps[e->slot];
}

/** tlb_touch_stamp() - mark the entry whose stamp is @stamp (tlb_stamp()) most recently used. */
static inline void tlb_touch_stamp(struct tlb *t, u64 *stamp)
{
    *stamp = ++t->clock;
}

/** tlb_touch() - mark @e most recently used. */
static inline void tlb_touch(struct tlb *t, const struct tlb_entry *e)
{
    tlb_touch_stamp(t, tlb_stamp(t, e));
}

/**
 * tlb_insert() - install a translation of @va to the page at @pa_base of @size. If no array
 * holds @size, the page is split into the largest held smaller size (as the ITLB does with
 * 1 GiB pages) and the piece containing @va is installed. An existing entry with the same tag
 * and PCID is replaced. @flags: TLB_E_GLOBAL | TLB_E_PERMS | TLB_E_DIRTY.
 * @victim: receives what the slot held before (flags 0 if it was empty); may be NULL.
 * Return: the new entry, or NULL if no array holds @size or a smaller size.
 */
struct tlb_entry *tlb_insert(struct tlb *t, gva_t va, gpa_t pa_base, enum page_size size, u16 pcid,
                             u8 flags, struct tlb_entry *victim);

/** tlb_flush_all() - invalidate every entry, global ones included. */
void tlb_flush_all(struct tlb *t);

/** tlb_flush_nonglobal() - invalidate every non-global entry of every PCID. */
void tlb_flush_nonglobal(struct tlb *t);

/** tlb_flush_pcid() - invalidate the non-global entries of @pcid (INVPCID single context). */
void tlb_flush_pcid(struct tlb *t, u16 pcid);

/**
 * tlb_flush_va() - INVLPG: invalidate the entries of every page size that translate @va for
 * @pcid, and global ones. @fn (may be NULL) sees each entry removed.
 * Return: the number of entries removed.
 */
u32 tlb_flush_va(struct tlb *t, gva_t va, u16 pcid, tlb_evict_fn *fn, void *opaque);

/** tlb_n_valid() - number of valid entries (tests). */
u32 tlb_n_valid(const struct tlb *t);

#endif
