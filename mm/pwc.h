/* SPDX-License-Identifier: MIT */
/*
 * Paging-structure caches (Intel SDM vol. 3 4.10.3): PML5E, PML4E, PDPTE and PDE caches, each
 * keyed by the linear-address bits its entry translates (56:48, 56:39, 56:30, 56:21) and PCID,
 * holding the next table's physical address and the permissions accumulated down to it.
 */
#ifndef EMU_MM_PWC_H
#define EMU_MM_PWC_H

#include "base/err.h"
#include "base/types.h"

/* Indexed by the paging level of the cached entry minus 2: PDE = 0 ... PML5E = 3. */
enum pwc_level { PWC_PDE, PWC_PDPTE, PWC_PML4E, PWC_PML5E, PWC_LEVEL_COUNT };

struct pwc_entry {
    u64 key;    /* pwc_key(): linear-address bits 56:shift and PCID; 0 when invalid */
    gpa_t next; /* physical address of the table the entry references */
    u64 lru;    /* last-use stamp; larger is newer (kept when the entry is invalidated) */
    u8 perms;   /* TLB_E_W | TLB_E_U | TLB_E_NX accumulated from the top level down */
};

struct pwc_cache_config {
    u32 n_entries; /* 0 disables this cache */
    u32 n_ways;    /* n_ways == n_entries: fully associative */
};

struct pwc_config {
    struct pwc_cache_config caches[PWC_LEVEL_COUNT];
};

struct pwc_cache {
    struct pwc_cache_config cfg;
    u32 set_mask;
    struct pwc_entry *e;
    u64 n_hits, n_misses;
};

struct pwc {
    u64 clock;
    struct pwc_cache caches[PWC_LEVEL_COUNT];
};

/** pwc_level_shift() - lowest linear-address bit of the key of @lvl's cache (21..48). */
static inline unsigned pwc_level_shift(enum pwc_level lvl)
{
    return 21u + 9u * (unsigned)lvl;
}

/**
 * pwc_init() - allocate the caches described by @cfg.
 * Return: false and @err if a geometry is invalid (sets not a power of two) or on ENOMEM.
 */
bool pwc_init(struct pwc *p, const struct pwc_config *cfg, struct emu_err *err);

/** pwc_fini() - free the caches. */
void pwc_fini(struct pwc *p);

#define PWC_VA_BITS 57 /* keys use bits 56:shift, which covers 4- and 5-level paging */

/** pwc_key() - the key of the @lvl entry translating @va for @pcid (never 0). */
static inline u64 pwc_key(enum pwc_level lvl, gva_t va, u16 pcid)
{
    u64 tag = (va & ((1ull << PWC_VA_BITS) - 1)) >> pwc_level_shift(lvl); /* at most 36 bits */

    return (tag << 17) | ((u64)pcid << 1) | 1u;
}

/** pwc_key_pcid() - the PCID of a valid entry's @key. */
static inline u16 pwc_key_pcid(u64 key)
{
    return (u16)(key >> 1);
}

/** pwc_set() - the first entry of the set of @c that @key maps to. */
static inline struct pwc_entry *pwc_set(struct pwc_cache *c, u64 key)
{
    return &c->e[((key >> 17) & c->set_mask) * c->cfg.n_ways];
}

/**
 * pwc_lookup() - look @va up in the @lvl cache for @pcid; counts a hit or miss.
 * @next: receives the referenced table's address; @perms: the accumulated permissions.
 * Return: true on a hit (a disabled cache always misses without counting).
 */
static inline bool pwc_lookup(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t *next,
                              u8 *perms)
{
    struct pwc_cache *c = &p->caches[lvl];
    struct pwc_entry *set;
    u64 key;

    if (!c->cfg.n_entries)
        return false;
    key = pwc_key(lvl, va, pcid);
    set = pwc_set(c, key);
    for (u32 w = 0; w < c->cfg.n_ways; w++) {
        if (set[w].key == key) {
            set[w].lru = ++p->clock;
            *next = set[w].next;
            *perms = set[w].perms;
            c->n_hits++;
            return true;
        }
    }
    c->n_misses++;
    return false;
}

/** pwc_insert() - cache the @lvl entry used to translate @va (LRU victim). */
void pwc_insert(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t next, u8 perms);

/** pwc_flush_all() - invalidate every entry of every cache. */
void pwc_flush_all(struct pwc *p);

/** pwc_flush_pcid() - invalidate the entries of @pcid (INVLPG and INVPCID do this). */
void pwc_flush_pcid(struct pwc *p, u16 pcid);

/** pwc_flush_va() - invalidate the entries that would be used to translate @va for @pcid. */
void pwc_flush_va(struct pwc *p, gva_t va, u16 pcid);

/** pwc_flush_va_from() - pwc_flush_va() in the caches of levels @from and above only. */
void pwc_flush_va_from(struct pwc *p, enum pwc_level from, gva_t va, u16 pcid);

#endif
