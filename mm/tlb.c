/* SPDX-License-Identifier: MIT */
/*
 * One parametrised TLB level: set-associative arrays per page-size class with true LRU.
 * Invalidation semantics: Intel SDM vol. 3 4.10.4.1 (INVLPG, MOV to CR3, INVPCID).
 */
#include "mm/tlb.h"

#include "base/bits.h"

#include <stdlib.h>
#include <string.h>

static bool tlb_check_array(const struct tlb_array_config *a, u32 idx, u32 seen,
                            struct emu_err *err)
{
    if (!a->n_entries || !a->n_ways || a->n_entries % a->n_ways) {
        err_set(err, "tlb array %u: %u entries is not a multiple of %u ways", idx, a->n_entries,
                a->n_ways);
        return false;
    }
    if (!is_pow2(a->n_entries / a->n_ways)) {
        err_set(err, "tlb array %u: %u sets is not a power of two", idx, a->n_entries / a->n_ways);
        return false;
    }
    if (!a->size_mask || (a->size_mask & ~((1u << PAGE_SIZE_COUNT) - 1))) {
        err_set(err, "tlb array %u: bad page-size mask %#x", idx, a->size_mask);
        return false;
    }
    if (a->size_mask & seen) {
        err_set(err, "tlb array %u: a page size is already held by another array", idx);
        return false;
    }
    return true;
}

bool tlb_init(struct tlb *t, const struct tlb_config *cfg, struct emu_err *err)
{
    u32 seen = 0;

    memset(t, 0, sizeof(*t));
    memset(t->array_of_size, -1, sizeof(t->array_of_size));
    if (!cfg->n_arrays || cfg->n_arrays > TLB_MAX_ARRAYS) {
        err_set(err, "tlb: %u arrays (1..%d allowed)", cfg->n_arrays, TLB_MAX_ARRAYS);
        return false;
    }
    for (u32 i = 0; i < cfg->n_arrays; i++) {
        const struct tlb_array_config *ac = &cfg->arrays[i];
        struct tlb_array *a = &t->arrays[i];

        if (!tlb_check_array(ac, i, seen, err))
            goto out_free;
        seen |= ac->size_mask;
        a->cfg = *ac;
        a->set_mask = ac->n_entries / ac->n_ways - 1;
        a->e = calloc(ac->n_entries, sizeof(*a->e));
        if (!a->e) {
            err_set(err, "tlb: out of memory");
            goto out_free;
        }
        t->n_arrays = i + 1;
        for (u32 s = 0; s < PAGE_SIZE_COUNT; s++)
            if (ac->size_mask & (1u << s))
                t->array_of_size[s] = (i8)i;
    }
    return true;

out_free:
    tlb_fini(t);
    return false;
}

void tlb_fini(struct tlb *t)
{
    for (u32 i = 0; i < TLB_MAX_ARRAYS; i++) {
        free(t->arrays[i].e);
        t->arrays[i].e = NULL;
    }
    t->n_arrays = 0;
}

static inline bool tlb_entry_matches(const struct tlb_entry *e, u64 tag, u16 pcid)
{
    return e->tag == tag && (e->pcid == pcid || (e->flags & TLB_E_GLOBAL));
}

static inline void tlb_entry_clear(struct tlb_entry *e)
{
    e->tag = 0;
    e->lru = 0;
    e->flags = 0;
}

struct tlb_entry *tlb_probe(const struct tlb *t, gva_t va, u16 pcid)
{
    for (unsigned s = 0; s < PAGE_SIZE_COUNT; s++) {
        const struct tlb_array *a;
        struct tlb_entry *set;
        u64 vpn, tag;

        if (t->array_of_size[s] < 0)
            continue;
        a = &t->arrays[t->array_of_size[s]];
        vpn = va >> page_size_shift((enum page_size)s);
        tag = tlb_tag(vpn, s);
        set = &a->e[(vpn & a->set_mask) * a->cfg.n_ways];
        for (u32 w = 0; w < a->cfg.n_ways; w++)
            if (tlb_entry_matches(&set[w], tag, pcid))
                return &set[w];
    }
    return NULL;
}

struct tlb_entry *tlb_lookup(struct tlb *t, gva_t va, u16 pcid)
{
    struct tlb_entry *e = tlb_probe(t, va, pcid);

    if (e) {
        t->n_hits++;
        e->lru = ++t->clock;
    } else {
        t->n_misses++;
    }
    return e;
}

/* The largest size not above @size that some array holds, or -1. */
static int tlb_held_size(const struct tlb *t, enum page_size size)
{
    for (int s = (int)size; s >= 0; s--)
        if (t->array_of_size[s] >= 0)
            return s;
    return -1;
}

struct tlb_entry *tlb_insert(struct tlb *t, gva_t va, gpa_t pa_base, enum page_size size, u16 pcid,
                             u8 flags, struct tlb_entry *victim)
{
    int held = tlb_held_size(t, size);
    struct tlb_array *a;
    struct tlb_entry *set, *slot = NULL;
    unsigned shift;
    u64 vpn, tag;

    if (held < 0)
        return NULL;
    if ((enum page_size)held != size) {
        /* Split: keep the piece of the large page that contains @va. */
        u64 off = va & ((1ull << page_size_shift(size)) - 1);

        shift = page_size_shift((enum page_size)held);
        pa_base += align_down(off, 1ull << shift);
        size = (enum page_size)held;
    }
    shift = page_size_shift(size);
    a = &t->arrays[t->array_of_size[size]];
    vpn = va >> shift;
    tag = tlb_tag(vpn, size);
    set = &a->e[(vpn & a->set_mask) * a->cfg.n_ways];
    /* Same page already cached (for this PCID, or globally): refill it in place. */
    for (u32 w = 0; w < a->cfg.n_ways; w++) {
        if (set[w].tag == tag && (set[w].pcid == pcid || ((set[w].flags | flags) & TLB_E_GLOBAL))) {
            slot = &set[w];
            break;
        }
    }
    if (!slot) {
        /* True LRU; invalid entries have stamp 0 and go first. */
        slot = &set[0];
        for (u32 w = 1; w < a->cfg.n_ways; w++)
            if (set[w].lru < slot->lru)
                slot = &set[w];
    }
    if (victim)
        *victim = *slot;
    slot->tag = tag;
    slot->pfn = pa_base >> PAGE_SHIFT;
    slot->lru = ++t->clock;
    slot->pcid = pcid;
    slot->size = (u8)size;
    slot->flags = (u8)(flags | TLB_E_VALID);
    return slot;
}

static void tlb_flush_if(struct tlb *t, bool keep_global, bool any_pcid, u16 pcid)
{
    for (u32 i = 0; i < t->n_arrays; i++) {
        struct tlb_array *a = &t->arrays[i];

        for (u32 k = 0; k < a->cfg.n_entries; k++) {
            struct tlb_entry *e = &a->e[k];

            if (keep_global && (e->flags & TLB_E_GLOBAL))
                continue;
            if (!any_pcid && e->pcid != pcid)
                continue;
            tlb_entry_clear(e);
        }
    }
}

void tlb_flush_all(struct tlb *t)
{
    tlb_flush_if(t, false, true, 0);
}

void tlb_flush_nonglobal(struct tlb *t)
{
    tlb_flush_if(t, true, true, 0);
}

void tlb_flush_pcid(struct tlb *t, u16 pcid)
{
    tlb_flush_if(t, true, false, pcid);
}

u32 tlb_flush_va(struct tlb *t, gva_t va, u16 pcid, tlb_evict_fn *fn, void *opaque)
{
    u32 n = 0;

    for (unsigned s = 0; s < PAGE_SIZE_COUNT; s++) {
        struct tlb_array *a;
        struct tlb_entry *set;
        u64 vpn, tag;

        if (t->array_of_size[s] < 0)
            continue;
        a = &t->arrays[t->array_of_size[s]];
        vpn = va >> page_size_shift((enum page_size)s);
        tag = tlb_tag(vpn, s);
        set = &a->e[(vpn & a->set_mask) * a->cfg.n_ways];
        for (u32 w = 0; w < a->cfg.n_ways; w++) {
            if (!tlb_entry_matches(&set[w], tag, pcid))
                continue;
            if (fn)
                fn(opaque, &set[w]);
            tlb_entry_clear(&set[w]);
            n++;
        }
    }
    return n;
}

u32 tlb_n_valid(const struct tlb *t)
{
    u32 n = 0;

    for (u32 i = 0; i < t->n_arrays; i++)
        for (u32 k = 0; k < t->arrays[i].cfg.n_entries; k++)
            n += (t->arrays[i].e[k].flags & TLB_E_VALID) != 0;
    return n;
}
