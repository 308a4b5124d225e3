/* SPDX-License-Identifier: MIT */
/*
 * Paging-structure caches, Intel SDM vol. 3 4.10.3: small set-associative caches with true
 * LRU, one per upper paging level, tagged by linear-address bits and PCID.
 */
#include "mm/pwc.h"

#include "base/bits.h"

#include <stdlib.h>
#include <string.h>

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

void pwc_insert(struct pwc *p, enum pwc_level lvl, gva_t va, u16 pcid, gpa_t next, u8 perms)
{
    struct pwc_cache *c = &p->caches[lvl];
    struct pwc_entry *set, *slot = NULL;
    u64 key, best = ~0ull;

    if (!c->cfg.n_entries)
        return;
    key = pwc_key(lvl, va, pcid);
    set = pwc_set(c, key);
    for (u32 w = 0; w < c->cfg.n_ways; w++) {
        /* Victim order: invalid before valid, then least recently used, then first way. */
        u64 rank = (set[w].key ? 1ull << 63 : 0) | set[w].lru;

        if (set[w].key == key) {
            slot = &set[w];
            break;
        }
        if (rank < best) {
            best = rank;
            slot = &set[w];
        }
    }
    slot->key = key;
    slot->next = next;
    slot->lru = ++p->clock;
    slot->perms = perms;
}

void pwc_flush_all(struct pwc *p)
{
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++)
        for (u32 k = 0; k < p->caches[i].cfg.n_entries; k++)
            p->caches[i].e[k].key = 0;
}

void pwc_flush_pcid(struct pwc *p, u16 pcid)
{
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++)
        for (u32 k = 0; k < p->caches[i].cfg.n_entries; k++)
            if (pwc_key_pcid(p->caches[i].e[k].key) == pcid)
                p->caches[i].e[k].key = 0;
}

void pwc_flush_va(struct pwc *p, gva_t va, u16 pcid)
{
    pwc_flush_va_from(p, PWC_PDE, va, pcid);
}

void pwc_flush_va_from(struct pwc *p, enum pwc_level from, gva_t va, u16 pcid)
{
    for (u32 i = from; i < PWC_LEVEL_COUNT; i++) {
        struct pwc_cache *c = &p->caches[i];
        struct pwc_entry *set;
        u64 key;

        if (!c->cfg.n_entries)
            continue;
        key = pwc_key((enum pwc_level)i, va, pcid);
        set = pwc_set(c, key);
        for (u32 w = 0; w < c->cfg.n_ways; w++)
            if (set[w].key == key)
                set[w].key = 0;
    }
}
