/* SPDX-License-Identifier: MIT */
/*
 * Paging-structure caches, Intel SDM vol. 3 4.10.3: small set-associative caches with true
 * LRU, one per upper paging level, tagged by linear-address bits and PCID.
 */
#include "mm/pwc.h"

#include "base/bits.h"

#include <stdlib.h>
#include <string.h>

#define PWC_VA_BITS 57 /* keys use bits 56:shift, which covers 4- and 5-level paging */

static inline u64 pwc_tag(enum pwc_level lvl, gva_t va)
{
    return (va & ((1ull << PWC_VA_BITS) - 1)) >> pwc_level_shift(lvl);
}

bool pwc_init(struct pwc *p, const struct pwc_config *cfg, struct emu_err *err)
{
    memset(p, 0, sizeof(*p));
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++) {
        const struct pwc_cache_config *cc = &cfg->caches[i];
        struct pwc_cache *c = &p->caches[i];

        if (!cc->n_entries)
            continue;
        if (!cc->n_ways || cc->n_entries % cc->n_ways || !is_pow2(cc->n_entries / cc->n_ways)) {
            err_set(err, "pwc level %u: %u entries / %u ways is not a power-of-two set count", i,
                    cc->n_entries, cc->n_ways);
            goto out_free;
        }
        c->cfg = *cc;
        c->set_mask = cc->n_entries / cc->n_ways - 1;
        c->e = calloc(cc->n_entries, sizeof(*c->e));
        if (!c->e) {
            err_set(err, "pwc: out of memory");
            goto out_free;
        }
    }
    return true;

out_free:
    pwc_fini(p);
    return false;
}

void pwc_fini(struct pwc *p)
{
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++) {
        free(p->caches[i].e);
        p->caches[i].e = NULL;
        p->caches[i].cfg.n_entries = 0;
    }
}

static inline struct pwc_entry *pwc_set(struct pwc_cache *c, u64 tag)
{
    return &c->e[(tag & c->set_mask) * c->cfg.n_ways];
}

bool pwc_lookup(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t *next, u8 *perms)
{
    struct pwc_cache *c = &p->caches[lvl];
    struct pwc_entry *set;
    u64 tag;

    if (!c->cfg.n_entries)
        return false;
    tag = pwc_tag(lvl, va);
    set = pwc_set(c, tag);
    for (u32 w = 0; w < c->cfg.n_ways; w++) {
        struct pwc_entry *e = &set[w];

        if (e->is_valid && e->tag == tag && e->pcid == pcid) {
            e->lru = ++p->clock;
            *next = e->next;
            *perms = e->perms;
            c->n_hits++;
            return true;
        }
    }
    c->n_misses++;
    return false;
}

void pwc_insert(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t next, u8 perms)
{
    struct pwc_cache *c = &p->caches[lvl];
    struct pwc_entry *set, *slot = NULL;
    u64 tag;

    if (!c->cfg.n_entries)
        return;
    tag = pwc_tag(lvl, va);
    set = pwc_set(c, tag);
    for (u32 w = 0; w < c->cfg.n_ways; w++) {
        struct pwc_entry *e = &set[w];

        if (e->is_valid && e->tag == tag && e->pcid == pcid) {
            slot = e;
            break;
        }
        if (!slot || (!e->is_valid && slot->is_valid) ||
            (e->is_valid == slot->is_valid && e->lru < slot->lru))
            slot = e;
    }
    slot->tag = tag;
    slot->next = next;
    slot->lru = ++p->clock;
    slot->pcid = pcid;
    slot->perms = perms;
    slot->is_valid = 1;
}

void pwc_flush_all(struct pwc *p)
{
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++)
        for (u32 k = 0; k < p->caches[i].cfg.n_entries; k++)
            p->caches[i].e[k].is_valid = 0;
}

void pwc_flush_pcid(struct pwc *p, u16 pcid)
{
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++)
        for (u32 k = 0; k < p->caches[i].cfg.n_entries; k++)
            if (p->caches[i].e[k].pcid == pcid)
                p->caches[i].e[k].is_valid = 0;
}

void pwc_flush_va(struct pwc *p, gva_t va, u16 pcid)
{
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++) {
        struct pwc_cache *c = &p->caches[i];
        struct pwc_entry *set;
        u64 tag;

        if (!c->cfg.n_entries)
            continue;
        tag = pwc_tag((enum pwc_level)i, va);
        set = pwc_set(c, tag);
        for (u32 w = 0; w < c->cfg.n_ways; w++)
            if (set[w].is_valid && set[w].tag == tag && set[w].pcid == pcid)
                set[w].is_valid = 0;
    }
}
