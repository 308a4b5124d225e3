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
    u64 tag;    /* linear-address bits 56:shift */
    gpa_t next; /* physical address of the table the entry references */
    u64 lru;    /* last-use stamp; larger is newer */
    u16 pcid;
    u8 perms; /* TLB_E_W | TLB_E_U | TLB_E_NX accumulated from the top level down */
    u8 is_valid;
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

/**
 * pwc_lookup() - look @va up in the @lvl cache for @pcid; counts a hit or miss.
 * @next: receives the referenced table's address; @perms: the accumulated permissions.
 * Return: true on a hit (a disabled cache always misses without counting).
 */
bool pwc_lookup(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t *next, u8 *perms);

/** pwc_insert() - cache the @lvl entry used to translate @va (LRU victim). */
void pwc_insert(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t next, u8 perms);

/** pwc_flush_all() - invalidate every entry of every cache. */
void pwc_flush_all(struct pwc *p);

/** pwc_flush_pcid() - invalidate the entries of @pcid (INVLPG and INVPCID do this). */
void pwc_flush_pcid(struct pwc *p, u16 pcid);

/** pwc_flush_va() - invalidate the entries that would be used to translate @va for @pcid. */
void pwc_flush_va(struct pwc *p, gva_t va, u16 pcid);

#endif
