/* SPDX-License-Identifier: MIT */
/* Tests of mm/tlb: miss counts of strided patterns computed by hand, page-size arrays,
 * splitting, and the INVLPG / MOV CR3 / INVPCID flush semantics (SDM vol. 3 4.10.4). */
#include "mm/tlb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#define SZ(s) (1u << (s))

static void tlb_make(struct tlb *t, u32 n_arrays, const struct tlb_array_config *arrays)
{
    struct tlb_config cfg = {.n_arrays = n_arrays};
    struct emu_err err = {0};

    for (u32 i = 0; i < n_arrays; i++)
        cfg.arrays[i] = arrays[i];
    assert_true(tlb_init(t, &cfg, &err));
    assert_false(err.is_set);
}

/* 64 entries, 4 ways: 16 sets, 4 KiB pages only. */
static void tlb_make_64x4(struct tlb *t)
{
    const struct tlb_array_config a = {64, 4, SZ(PAGE_4K)};

    tlb_make(t, 1, &a);
}

/* Access @n pages @stride pages apart, @reps times, inserting on a miss. Return: misses. */
static u64 run_strided(struct tlb *t, u32 n, u32 stride, u32 reps)
{
    u64 before = t->n_misses;

    for (u32 r = 0; r < reps; r++) {
        for (u32 i = 0; i < n; i++) {
            gva_t va = (gva_t)i * stride * PAGE_SIZE + 0x123;

            if (!tlb_lookup(t, va, 0))
                assert_non_null(
                    tlb_insert(t, va, 0x40000000ull + (va & ~0xfffull), PAGE_4K, 0, TLB_E_W, NULL));
        }
    }
    return t->n_misses - before;
}

static void test_tlb_fits(void **state)
{
    struct tlb t;

    tlb_make_64x4(&t);
    /* 64 consecutive pages fill each of the 16 sets with exactly 4: only cold misses. */
    assert_int_equal(run_strided(&t, 64, 1, 5), 64);
    assert_int_equal(t.n_hits, 64 * 4);
    assert_int_equal(tlb_n_valid(&t), 64);
    tlb_fini(&t);
}

static void test_tlb_thrash_all_sets(void **state)
{
    struct tlb t;

    tlb_make_64x4(&t);
    /* 80 pages: 5 per set, cyclic over 4 LRU ways: every access misses. */
    assert_int_equal(run_strided(&t, 80, 1, 3), 80 * 3);
    assert_int_equal(t.n_hits, 0);
    tlb_fini(&t);
}

static void test_tlb_thrash_some_sets(void **state)
{
    struct tlb t;

    tlb_make_64x4(&t);
    /* 68 pages: sets 0..3 hold 5 pages (always miss), sets 4..15 hold 4 (hit after rep 1). */
    assert_int_equal(run_strided(&t, 68, 1, 4), 68 + 3 * 20);
    tlb_fini(&t);
}

static void test_tlb_set_conflicts(void **state)
{
    struct tlb t;

    tlb_make_64x4(&t);
    /* Stride of 16 pages: every page maps to set 0. Four fit, five thrash. */
    assert_int_equal(run_strided(&t, 4, 16, 6), 4);
    tlb_flush_all(&t);
    assert_int_equal(run_strided(&t, 5, 16, 6), 30);
    /* Stride 8: pages alternate between sets 0 and 8; 8 pages = 4 per set, fits. */
    tlb_flush_all(&t);
    assert_int_equal(run_strided(&t, 8, 8, 6), 8);
    tlb_fini(&t);
}

static void test_tlb_true_lru(void **state)
{
    struct tlb t;
    const gva_t set0[] = {0, 16 * PAGE_SIZE, 32 * PAGE_SIZE, 48 * PAGE_SIZE, 64 * PAGE_SIZE};

    tlb_make_64x4(&t);
    for (u32 i = 0; i < 4; i++)
        tlb_insert(&t, set0[i], set0[i], PAGE_4K, 0, 0, NULL);
    /* Use A again: B becomes the least recently used, so E must evict B, not A (not FIFO). */
    assert_non_null(tlb_lookup(&t, set0[0], 0));
    {
        struct tlb_entry victim;

        tlb_insert(&t, set0[4], set0[4], PAGE_4K, 0, 0, &victim);
        assert_true(victim.flags & TLB_E_VALID);
        assert_int_equal(tlb_entry_vpn(&victim), set0[1] >> 12);
    }
    assert_non_null(tlb_probe(&t, set0[0], 0));
    assert_null(tlb_probe(&t, set0[1], 0));
    assert_non_null(tlb_probe(&t, set0[2], 0));
    tlb_fini(&t);
}

static void test_tlb_fully_associative(void **state)
{
    const struct tlb_array_config a = {8, 8, SZ(PAGE_4K)};
    struct tlb t;

    tlb_make(&t, 1, &a);
    /* Any 8 pages fit regardless of address bits; 9 cyclic pages all miss. */
    assert_int_equal(run_strided(&t, 8, 37, 4), 8);
    tlb_flush_all(&t);
    assert_int_equal(run_strided(&t, 9, 1, 4), 36);
    tlb_fini(&t);
}

static void test_tlb_page_size_arrays(void **state)
{
    const struct tlb_array_config a[] = {
        {64, 4, SZ(PAGE_4K)}, {32, 4, SZ(PAGE_2M)}, {4, 4, SZ(PAGE_1G)}};
    struct tlb t;
    struct tlb_entry *e;

    tlb_make(&t, 3, a);
    tlb_insert(&t, 0x40000000ull + 0x1234, 0x80000000ull, PAGE_1G, 0, 0, NULL);
    tlb_insert(&t, 0x200000ull * 7 + 0x55, 0x600000ull, PAGE_2M, 0, 0, NULL);
    tlb_insert(&t, 0x3000, 0x9000, PAGE_4K, 0, 0, NULL);
    assert_int_equal(tlb_n_valid(&t), 3);
    /* Each went to its own array. */
    assert_true(t.arrays[0].e[3 * 4].flags & TLB_E_VALID); /* vpn 3 -> set 3 */
    assert_true(t.arrays[1].e[7 * 4].flags & TLB_E_VALID); /* vpn 7 -> set 7 */
    assert_true(t.arrays[2].e[0].flags & TLB_E_VALID);     /* fully associative */
    /* Any address inside a large page hits it. */
    e = tlb_lookup(&t, 0x40000000ull + 0x3fffffffull, 0);
    assert_non_null(e);
    assert_int_equal(e->size, PAGE_1G);
    assert_int_equal(e->pfn, 0x80000000ull >> 12);
    e = tlb_lookup(&t, 0x200000ull * 7 + 0x1fffff, 0);
    assert_non_null(e);
    assert_int_equal(e->size, PAGE_2M);
    assert_null(tlb_lookup(&t, 0x200000ull * 8, 0));
    assert_null(tlb_lookup(&t, 0x4000, 0));
    /* 33 2M pages never evict the 4 KiB entries. */
    for (u32 i = 0; i < 33; i++)
        tlb_insert(&t, (gva_t)(100 + i) << 21, (gpa_t)i << 21, PAGE_2M, 0, 0, NULL);
    assert_non_null(tlb_probe(&t, 0x3000, 0));
    assert_int_equal(tlb_n_valid(&t), 1 + 1 + 32);
    tlb_fini(&t);
}

static void test_tlb_split_large_page(void **state)
{
    /* ITLB-like: 4K and 2M arrays, no 1G array. */
    const struct tlb_array_config a[] = {{128, 8, SZ(PAGE_4K)}, {8, 8, SZ(PAGE_2M)}};
    struct tlb t;
    struct tlb_entry *e;
    gva_t va = 0x40000000ull + 5 * 0x200000ull + 0x777;

    tlb_make(&t, 2, a);
    e = tlb_insert(&t, va, 0xc0000000ull, PAGE_1G, 0, TLB_E_W, NULL);
    assert_non_null(e);
    assert_int_equal(e->size, PAGE_2M);
    assert_int_equal(e->pfn, (0xc0000000ull + 5 * 0x200000ull) >> 12);
    assert_non_null(tlb_probe(&t, va - 0x777, 0));
    assert_null(tlb_probe(&t, va + 0x200000ull, 0)); /* next 2M piece was not installed */
    /* A 4K-only TLB splits a 2M page into its 4K piece. */
    tlb_fini(&t);
    {
        const struct tlb_array_config only4k = {16, 4, SZ(PAGE_4K)};

        tlb_make(&t, 1, &only4k);
        e = tlb_insert(&t, 0x201234, 0x800000, PAGE_2M, 0, 0, NULL);
        assert_int_equal(e->size, PAGE_4K);
        assert_int_equal(e->pfn, 0x801);
    }
    tlb_fini(&t);
}

static void test_tlb_shared_array(void **state)
{
    /* STLB-like: one 4-way array holding 4K and 2M entries (4 sets). */
    const struct tlb_array_config a = {16, 4, SZ(PAGE_4K) | SZ(PAGE_2M)};
    struct tlb t;

    tlb_make(&t, 1, &a);
    tlb_insert(&t, 0x0, 0x0, PAGE_2M, 0, 0, NULL);         /* 2M vpn 0 -> set 0 */
    tlb_insert(&t, 0x4000, 0x100000, PAGE_4K, 0, 0, NULL); /* 4K vpn 4 -> set 0 */
    /* The 4K entry wins for its page (probed first), the 2M entry covers the rest. */
    assert_int_equal(tlb_lookup(&t, 0x4010, 0)->size, PAGE_4K);
    assert_int_equal(tlb_lookup(&t, 0x5010, 0)->size, PAGE_2M);
    /* Four more 4K pages in set 0 evict the LRU entries, which share the set. */
    for (u32 i = 1; i <= 4; i++)
        tlb_insert(&t, (gva_t)(4 + 4 * i) << 12, 0, PAGE_4K, 0, 0, NULL);
    assert_null(tlb_probe(&t, 0x5010, 0));
    tlb_fini(&t);
}

static void test_tlb_replace_same_page(void **state)
{
    struct tlb t;
    struct tlb_entry victim;
    struct tlb_entry *e1, *e2;

    tlb_make_64x4(&t);
    e1 = tlb_insert(&t, 0x5000, 0x1000, PAGE_4K, 0, 0, NULL);
    e2 = tlb_insert(&t, 0x5000, 0x2000, PAGE_4K, 0, TLB_E_DIRTY, &victim);
    assert_ptr_equal(e1, e2);
    assert_int_equal(victim.pfn, 1);
    assert_int_equal(tlb_n_valid(&t), 1);
    assert_int_equal(tlb_probe(&t, 0x5000, 0)->pfn, 2);
    tlb_fini(&t);
}

static void test_tlb_pcid_and_global(void **state)
{
    struct tlb t;

    tlb_make_64x4(&t);
    tlb_insert(&t, 0x1000, 0x11000, PAGE_4K, 1, 0, NULL);
    tlb_insert(&t, 0x1000, 0x21000, PAGE_4K, 2, 0, NULL);
    tlb_insert(&t, 0x9000, 0x99000, PAGE_4K, 1, TLB_E_GLOBAL, NULL);
    assert_int_equal(tlb_probe(&t, 0x1000, 1)->pfn, 0x11);
    assert_int_equal(tlb_probe(&t, 0x1000, 2)->pfn, 0x21);
    assert_null(tlb_probe(&t, 0x1000, 3));
    assert_non_null(tlb_probe(&t, 0x9000, 3)); /* global: any PCID */

    tlb_flush_pcid(&t, 1); /* INVPCID single context: non-global of PCID 1 */
    assert_null(tlb_probe(&t, 0x1000, 1));
    assert_non_null(tlb_probe(&t, 0x1000, 2));
    assert_non_null(tlb_probe(&t, 0x9000, 1));

    tlb_insert(&t, 0x1000, 0x11000, PAGE_4K, 1, 0, NULL);
    tlb_flush_nonglobal(&t); /* MOV to CR3 / INVPCID all-but-global */
    assert_int_equal(tlb_n_valid(&t), 1);
    assert_non_null(tlb_probe(&t, 0x9000, 7));
    tlb_flush_all(&t); /* CR4.PGE toggle */
    assert_int_equal(tlb_n_valid(&t), 0);
    tlb_fini(&t);
}

static void count_evict(void *opaque, const struct tlb_entry *e)
{
    (*(u32 *)opaque)++;
    assert_true(e->flags & TLB_E_VALID);
}

static void test_tlb_flush_va(void **state)
{
    const struct tlb_array_config a[] = {{64, 4, SZ(PAGE_4K)}, {32, 4, SZ(PAGE_2M)}};
    struct tlb t;
    u32 n_cb = 0;

    tlb_make(&t, 2, a);
    /* Stale overlapping entries of both sizes for one address, plus other PCIDs and pages. */
    tlb_insert(&t, 0x203000, 0x5000, PAGE_4K, 1, 0, NULL);
    tlb_insert(&t, 0x203000, 0x400000, PAGE_2M, 1, 0, NULL);
    tlb_insert(&t, 0x203000, 0x7000, PAGE_4K, 2, 0, NULL);
    tlb_insert(&t, 0x204000, 0x8000, PAGE_4K, 1, 0, NULL);
    assert_int_equal(tlb_flush_va(&t, 0x203abc, 1, count_evict, &n_cb), 2);
    assert_int_equal(n_cb, 2);
    assert_null(tlb_probe(&t, 0x203000, 1));              /* both sizes gone */
    assert_int_equal(tlb_probe(&t, 0x203000, 2)->pfn, 7); /* other PCID kept */
    assert_int_equal(tlb_probe(&t, 0x204000, 1)->pfn, 8); /* other page kept */
    /* A global entry goes whatever the PCID. */
    tlb_insert(&t, 0x300000, 0x300000, PAGE_2M, 5, TLB_E_GLOBAL, NULL);
    assert_int_equal(tlb_flush_va(&t, 0x3fffff, 9, NULL, NULL), 1);
    tlb_fini(&t);
}

/*
 * Reference model for the randomized test below: the plain algorithm, one entry array per page
 * size, a linear scan of every way, LRU stamps in the entries.
 */
struct ref_entry {
    bool valid;
    u64 vpn, pfn, lru;
    u16 pcid;
    bool global;
};

struct ref_tlb {
    const struct tlb_array_config *cfg;
    u32 n_arrays;
    struct ref_entry e[TLB_MAX_ARRAYS][256];
    u64 clock;
};

static int ref_array_of(const struct ref_tlb *r, unsigned size)
{
    for (u32 i = 0; i < r->n_arrays; i++)
        if (r->cfg[i].size_mask & SZ(size))
            return (int)i;
    return -1;
}

static struct ref_entry *ref_set(struct ref_tlb *r, int ai, u64 vpn)
{
    u32 n_sets = r->cfg[ai].n_entries / r->cfg[ai].n_ways;

    return &r->e[ai][(vpn & (n_sets - 1)) * r->cfg[ai].n_ways];
}

static bool ref_same(const struct ref_entry *e, u64 vpn, unsigned size, int ai,
                     const struct ref_tlb *r, u16 pcid, bool global_ok)
{
    return e->valid && e->vpn == vpn && ref_array_of(r, size) == ai &&
           (e->pcid == pcid || e->global || global_ok);
}

/* Entries remember their size through the array and the vpn; sizes sharing an array are told
 * apart by storing (vpn << 2 | size) in vpn. */
static struct ref_entry *ref_probe(struct ref_tlb *r, gva_t va, u16 pcid)
{
    for (unsigned s = 0; s < PAGE_SIZE_COUNT; s++) {
        int ai = ref_array_of(r, s);
        u64 vpn = va >> page_size_shift((enum page_size)s);
        struct ref_entry *set;

        if (ai < 0)
            continue;
        set = ref_set(r, ai, vpn);
        for (u32 w = 0; w < r->cfg[ai].n_ways; w++)
            if (ref_same(&set[w], (vpn << 2) | s, s, ai, r, pcid, false))
                return &set[w];
    }
    return NULL;
}

static void ref_insert(struct ref_tlb *r, gva_t va, u64 pfn, unsigned size, u16 pcid, bool global)
{
    int ai = ref_array_of(r, size);
    u64 vpn = va >> page_size_shift((enum page_size)size);
    struct ref_entry *set = ref_set(r, ai, vpn), *slot = NULL;

    for (u32 w = 0; w < r->cfg[ai].n_ways && !slot; w++)
        if (ref_same(&set[w], (vpn << 2) | size, size, ai, r, pcid, global))
            slot = &set[w];
    if (!slot) {
        slot = &set[0];
        for (u32 w = 1; w < r->cfg[ai].n_ways; w++)
            if (set[w].lru < slot->lru)
                slot = &set[w];
    }
    *slot = (struct ref_entry){true, (vpn << 2) | size, pfn, ++r->clock, pcid, global};
}

static u32 ref_flush_va(struct ref_tlb *r, gva_t va, u16 pcid)
{
    u32 n = 0;

    for (unsigned s = 0; s < PAGE_SIZE_COUNT; s++) {
        int ai = ref_array_of(r, s);
        u64 vpn = va >> page_size_shift((enum page_size)s);
        struct ref_entry *set;

        if (ai < 0)
            continue;
        set = ref_set(r, ai, vpn);
        for (u32 w = 0; w < r->cfg[ai].n_ways; w++) {
            if (ref_same(&set[w], (vpn << 2) | s, s, ai, r, pcid, false)) {
                set[w].valid = false;
                set[w].lru = 0;
                n++;
            }
        }
    }
    return n;
}

static void ref_flush_if(struct ref_tlb *r, bool keep_global, bool any_pcid, u16 pcid)
{
    for (u32 i = 0; i < r->n_arrays; i++)
        for (u32 k = 0; k < r->cfg[i].n_entries; k++) {
            struct ref_entry *e = &r->e[i][k];

            if ((keep_global && e->global) || (!any_pcid && e->pcid != pcid))
                continue;
            e->valid = false;
            e->lru = 0;
        }
}

static u64 rng_next(u64 *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/*
 * Random inserts, lookups and flushes of three page sizes (two sharing a 12-way array, as in
 * the STLB), three PCIDs and global pages over few sets, so that hints, page sizes, PCIDs and
 * LRU order all collide: every answer must equal the reference model's.
 */
static void test_tlb_matches_reference(void **state)
{
    static const struct tlb_array_config cfg[] = {{48, 12, SZ(PAGE_4K) | SZ(PAGE_2M)},
                                                  {4, 4, SZ(PAGE_1G)}};
    static struct ref_tlb r;
    struct tlb t;
    u64 x = 0x9e3779b97f4a7c15ull;

    memset(&r, 0, sizeof(r));
    r.cfg = cfg;
    r.n_arrays = 2;
    tlb_make(&t, 2, cfg);
    for (u32 i = 0; i < 200000; i++) {
        u64 v = rng_next(&x);
        unsigned size = (v >> 8) % 8 == 0 ? PAGE_1G : (v >> 8) % 8 < 3 ? PAGE_2M : PAGE_4K;
        /* 64 4K pages, 2M pages whose numbers differ by multiples of 4 and 2^16 (hint aliasing),
         * and 5 1G pages. */
        gva_t va = size == PAGE_4K   ? ((v >> 16) % 64) << 12
                   : size == PAGE_2M ? (((v >> 16) % 6) * 4 + ((v >> 24) & 1) * 65536) << 21
                                     : ((v >> 16) % 5) << 30;
        u16 pcid = (u16)((v >> 32) % 3);
        u32 op = (u32)(v % 100);
        struct tlb_entry *e;
        struct ref_entry *re;

        va |= (v >> 40) & 0xfff;
        if (op < 45) {
            bool global = ((v >> 48) & 15) == 0;

            assert_non_null(tlb_insert(&t, va, (v >> 20) & ~0xfffull & ((1ull << 40) - 1),
                                       (enum page_size)size, pcid, global ? TLB_E_GLOBAL : 0,
                                       NULL));
            ref_insert(&r, va, ((v >> 20) & ((1ull << 40) - 1)) >> 12, size, pcid, global);
        } else if (op < 95) {
            e = tlb_lookup(&t, va, pcid);
            re = ref_probe(&r, va, pcid);
            if (re)
                re->lru = ++r.clock;
            assert_int_equal(e != NULL, re != NULL);
            if (e) {
                assert_int_equal(e->pfn, re->pfn);
                assert_int_equal(e->size, re->vpn & 3);
                assert_int_equal(tlb_entry_vpn(e), re->vpn >> 2);
            }
        } else if (op < 98) {
            assert_int_equal(tlb_flush_va(&t, va, pcid, NULL, NULL), ref_flush_va(&r, va, pcid));
        } else if (op < 99) {
            tlb_flush_pcid(&t, pcid);
            ref_flush_if(&r, true, false, pcid);
        } else {
            tlb_flush_nonglobal(&t);
            ref_flush_if(&r, true, true, 0);
        }
        if (i % 1024 == 0) {
            u32 n_ref = 0;

            for (u32 a = 0; a < 2; a++)
                for (u32 k = 0; k < cfg[a].n_entries; k++)
                    n_ref += r.e[a][k].valid;
            assert_int_equal(tlb_n_valid(&t), n_ref);
            assert_int_equal(t.n_valid[PAGE_4K] + t.n_valid[PAGE_2M] + t.n_valid[PAGE_1G], n_ref);
        }
    }
    tlb_fini(&t);
}

static void test_tlb_bad_config(void **state)
{
    struct tlb t;
    struct emu_err err = {0};
    struct tlb_config c = {.n_arrays = 1, .arrays = {{48, 4, SZ(PAGE_4K)}}};

    assert_false(tlb_init(&t, &c, &err)); /* 12 sets */
    assert_true(err.is_set);
    err_clear(&err);
    c = (struct tlb_config){.n_arrays = 2, .arrays = {{64, 4, SZ(PAGE_4K)}, {8, 8, SZ(PAGE_4K)}}};
    assert_false(tlb_init(&t, &c, &err)); /* 4K held twice */
    assert_true(err.is_set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tlb_fits),
        cmocka_unit_test(test_tlb_thrash_all_sets),
        cmocka_unit_test(test_tlb_thrash_some_sets),
        cmocka_unit_test(test_tlb_set_conflicts),
        cmocka_unit_test(test_tlb_true_lru),
        cmocka_unit_test(test_tlb_fully_associative),
        cmocka_unit_test(test_tlb_page_size_arrays),
        cmocka_unit_test(test_tlb_split_large_page),
        cmocka_unit_test(test_tlb_shared_array),
        cmocka_unit_test(test_tlb_replace_same_page),
        cmocka_unit_test(test_tlb_pcid_and_global),
        cmocka_unit_test(test_tlb_flush_va),
        cmocka_unit_test(test_tlb_matches_reference),
        cmocka_unit_test(test_tlb_bad_config),
    };

    return cmocka_run_group_tests_name("mm/tlb", tests, NULL, NULL);
}
