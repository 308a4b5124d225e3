/* SPDX-License-Identifier: MIT */
/*
 * One parametrised TLB level: set-associative arrays per page-size class with true LRU.
 * Invalidation semantics: Intel SDM vol. 3 4.10.4.1 (INVLPG, MOV to CR3, INVPCID).
 */
#include "mm/tlb.h"

#include "base/bits.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    u32 seen = 0, n_stamps = 0;

    memset(t, 0, sizeof(*t));
    memset(t->array_of_size, -1, sizeof(t->array_of_size));
    if (!cfg->n_arrays || cfg->n_arrays > TLB_MAX_ARRAYS) {
        err_set(err, "tlb: %u arrays (1..%d allowed)", cfg->n_arrays, TLB_MAX_ARRAYS);
        return false;
    }
    for (u32 i = 0; i < cfg->n_arrays; i++) {
        if (!tlb_check_array(&cfg->arrays[i], i, seen, err))
            return false;
        seen |= cfg->arrays[i].size_mask;
        n_stamps += cfg->arrays[i].n_entries;
    }
    t->stamps = calloc(n_stamps, sizeof(*t->stamps));
    if (!t->stamps)
        goto out_nomem;
    n_stamps = 0;
    for (u32 i = 0; i < cfg->n_arrays; i++) {
        const struct tlb_array_config *ac = &cfg->arrays[i];
        struct tlb_array *a = &t->arrays[i];
        u32 n_sets = ac->n_entries / ac->n_ways;

        a->cfg = *ac;
        a->set_mask = n_sets - 1;
        a->set_shift = (u32)__builtin_ctz(n_sets);
        a->e = calloc(ac->n_entries, sizeof(*a->e));
        /* Padding: the last set's hints are read a whole group at a time. */
        a->hints = malloc((ac->n_entries + TLB_HINT_GROUP) * sizeof(*a->hints));
        t->n_arrays = i + 1;
        if (!a->e || !a->hints)
            goto out_nomem;
        for (u32 k = 0; k < ac->n_entries + TLB_HINT_GROUP; k++)
            a->hints[k] = TLB_HINT_INVALID;
        a->stamps = t->stamps + n_stamps;
        for (u32 k = 0; k < ac->n_entries; k++)
            a->e[k].slot = n_stamps + k;
        n_stamps += ac->n_entries;
        for (u32 s = 0; s < PAGE_SIZE_COUNT; s++)
            if (ac->size_mask & (1u << s))
                t->array_of_size[s] = (i8)i;
    }
    return true;

out_nomem:
    err_set(err, "tlb: out of memory");
    tlb_fini(t);
    return false;
}

void tlb_fini(struct tlb *t)
{
    for (u32 i = 0; i < TLB_MAX_ARRAYS; i++) {
        free(t->arrays[i].e);
        free(t->arrays[i].hints);
        t->arrays[i].e = NULL;
        t->arrays[i].hints = NULL;
    }
    free(t->stamps);
    t->stamps = NULL;
    t->n_arrays = 0;
}

static inline bool tlb_entry_matches(const struct tlb_entry *e, u64 tag, u16 pcid)
{
    return e->tag == tag && (e->pcid == pcid || (e->flags & TLB_E_GLOBAL));
}

/* Where page @vpn of size @size would be cached: its array, the set's first entry, the hint. */
struct tlb_where {
    struct tlb_array *a;
    u32 base; /* set * n_ways */
    u16 hint;
    u64 tag;
};

static inline struct tlb_where tlb_where(const struct tlb *t, u64 vpn, enum page_size size)
{
    struct tlb_array *a = (struct tlb_array *)&t->arrays[t->array_of_size[size]];

    return (struct tlb_where){a, (u32)(vpn & a->set_mask) * a->cfg.n_ways,
                              (u16)(((vpn >> a->set_shift) << 2) | size), tlb_tag(vpn, size)};
}

/* Bit g per lane g of the TLB_HINT_GROUP hints at @h equal to @hint. */
static inline u32 tlb_hint_lanes(const u16 *h, u16 hint)
{
#if defined(__SSE2__)
    __m128i eq = _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(const void *)h),
                                 _mm_set1_epi16((short)hint));

    return (u32)_mm_movemask_epi8(_mm_packs_epi16(eq, eq)) & 0xffu;
#else
    u32 m = 0;

    for (u32 g = 0; g < TLB_HINT_GROUP; g++)
        m |= (u32)(h[g] == hint) << g;
    return m;
#endif
}

/* Runs @body for each way of @w's set, in way order, whose hint matches (`way` is its index). */
#define TLB_FOR_EACH_CANDIDATE(w, way, body)                                                       \
    do {                                                                                           \
        const u16 *h_ = (w)->a->hints + (w)->base;                                                 \
                                                                                                   \
        for (u32 g_ = 0; g_ < (w)->a->cfg.n_ways; g_ += TLB_HINT_GROUP) {                          \
            for (u32 m_ = tlb_hint_lanes(h_ + g_, (w)->hint); m_; m_ &= m_ - 1) {                  \
                u32 way = g_ + (u32)__builtin_ctz(m_);                                             \
                                                                                                   \
                if (way >= (w)->a->cfg.n_ways)                                                     \
                    break;                                                                         \
                body;                                                                              \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/*
 * The first way of @w's set holding page @w->tag for @pcid, or a global copy of it; with
 * TLB_E_GLOBAL in @flags (a global insert) any PCID's copy. Return: the way, or -1.
 */
static inline int tlb_find(const struct tlb_where *w, u16 pcid, u8 flags)
{
    const struct tlb_entry *set = w->a->e + w->base;

    TLB_FOR_EACH_CANDIDATE(w, way, {
        const struct tlb_entry *e = &set[way];

        if (e->tag == w->tag && (e->pcid == pcid || ((e->flags | flags) & TLB_E_GLOBAL)))
            return (int)way;
    });
    return -1;
}

/* Invalidate entry @k of @a. */
static void tlb_clear(struct tlb *t, struct tlb_array *a, u32 k)
{
    struct tlb_entry *e = &a->e[k];

    t->n_valid[e->size]--;
    a->hints[k] = TLB_HINT_INVALID;
    a->stamps[k] = 0;
    e->tag = 0;
    e->flags = 0;
}

struct tlb_entry *tlb_probe(const struct tlb *t, gva_t va, u16 pcid)
{
    for (unsigned s = 0; s < PAGE_SIZE_COUNT; s++) {
        struct tlb_where w;
        int way;

        if (!t->n_valid[s])
            continue; /* also covers sizes no array holds */
        w = tlb_where(t, va >> page_size_shift((enum page_size)s), (enum page_size)s);
        way = tlb_find(&w, pcid, 0);
        if (way >= 0)
            return &w.a->e[w.base + (u32)way];
    }
    return NULL;
}

struct tlb_entry *tlb_lookup(struct tlb *t, gva_t va, u16 pcid)
{
    struct tlb_entry *e = tlb_probe(t, va, pcid);

    if (e) {
        t->n_hits++;
        tlb_touch(t, e);
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

/* True LRU victim of a set: the first way with the smallest stamp (invalid ways have 0). */
static inline u32 tlb_lru_way(const u64 *stamps, u32 n_ways)
{
    u32 victim = 0;
    u64 oldest = stamps[0];

    for (u32 w = 1; w < n_ways; w++) {
        /* Branch-free: which way is older is data, not a pattern a predictor can learn. */
        bool older = stamps[w] < oldest;

        victim = older ? w : victim;
        oldest = older ? stamps[w] : oldest;
    }
    return victim;
}

struct tlb_entry *tlb_insert(struct tlb *t, gva_t va, gpa_t pa_base, enum page_size size, u16 pcid,
                             u8 flags, struct tlb_entry *victim)
{
    int held = tlb_held_size(t, size);
    struct tlb_where w;
    struct tlb_entry *slot;
    u32 k, old_size;
    int way;

    if (held < 0)
        return NULL;
    if ((enum page_size)held != size) {
        /* Split: keep the piece of the large page that contains @va. */
        u64 off = va & ((1ull << page_size_shift(size)) - 1);

        pa_base += align_down(off, 1ull << page_size_shift((enum page_size)held));
        size = (enum page_size)held;
    }
    w = tlb_where(t, va >> page_size_shift(size), size);
    /* Same page already cached (for this PCID, or globally): refill it in place. */
    way = t->n_valid[size] ? tlb_find(&w, pcid, flags) : -1;
    if (way < 0)
        way = (int)tlb_lru_way(w.a->stamps + w.base, w.a->cfg.n_ways);
    k = w.base + (u32)way;
    slot = &w.a->e[k];
    if (victim)
        *victim = *slot;
    old_size = w.a->hints[k] & 3u;
    if (old_size != TLB_HINT_INVALID)
        t->n_valid[old_size]--;
    t->n_valid[size]++;
    slot->tag = w.tag;
    slot->pfn = pa_base >> PAGE_SHIFT;
    slot->pcid = pcid;
    slot->size = (u8)size;
    slot->flags = (u8)(flags | TLB_E_VALID);
    w.a->hints[k] = w.hint;
    w.a->stamps[k] = ++t->clock;
    return slot;
}

static void tlb_flush_if(struct tlb *t, bool keep_global, bool any_pcid, u16 pcid)
{
    for (u32 i = 0; i < t->n_arrays; i++) {
        struct tlb_array *a = &t->arrays[i];

        for (u32 k = 0; k < a->cfg.n_entries; k++) {
            const struct tlb_entry *e = &a->e[k];

            if (!(e->flags & TLB_E_VALID))
                continue;
            if (keep_global && (e->flags & TLB_E_GLOBAL))
                continue;
            if (!any_pcid && e->pcid != pcid)
                continue;
            tlb_clear(t, a, k);
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
        struct tlb_where w;

        if (!t->n_valid[s])
            continue;
        w = tlb_where(t, va >> page_size_shift((enum page_size)s), (enum page_size)s);
        TLB_FOR_EACH_CANDIDATE(&w, way, {
            struct tlb_entry *e = &w.a->e[w.base + way];

            if (tlb_entry_matches(e, w.tag, pcid)) {
                if (fn)
                    fn(opaque, e);
                tlb_clear(t, w.a, w.base + way);
                n++;
            }
        });
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
