/* SPDX-License-Identifier: MIT */
/* Tests for mm/cache: geometry checks, hit/miss counts for known patterns, true LRU, exact
 * writeback counts, writebacks arriving from above, invalidation. */
#include "mm/cache.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define LINE 64ull

/* 4 sets x 4 ways x 64 B = 1 KiB: lines k, k + 4, k + 8... share set k. */
static void init_small(struct cache *c, u32 sets, u32 ways)
{
    struct cache_config cfg = {.size_bytes = (u64)sets * ways * LINE,
                               .ways = ways,
                               .line_bytes = LINE,
                               .hit_lat_cycles = 4};
    struct emu_err err = {0};

    strcpy(cfg.name, "t");
    assert_true(cache_init(c, &cfg, &err));
    assert_int_equal(c->n_sets, sets);
}

/* Address of the @i-th distinct line of set @set in a cache of @sets sets. */
static gpa_t in_set(u32 sets, u32 set, u32 i)
{
    return ((u64)i * sets + set) * LINE;
}

static void test_cache_bad_geometry(void **state)
{
    struct cache c;
    struct emu_err err = {0};
    struct cache_config cfg = {.size_bytes = 1000, .ways = 4, .line_bytes = 64};

    strcpy(cfg.name, "bad");
    assert_false(cache_init(&c, &cfg, &err));
    assert_non_null(strstr(err.msg, "cache bad: 1000 bytes, 4 ways"));
    cfg.size_bytes = 1024;
    cfg.line_bytes = 48;
    assert_false(cache_init(&c, &cfg, &err));
    cfg.line_bytes = 64;
    cfg.ways = 0;
    assert_false(cache_init(&c, &cfg, &err));
    cfg.ways = CACHE_MAX_WAYS + 1;
    cfg.size_bytes = 64 * (CACHE_MAX_WAYS + 1);
    assert_false(cache_init(&c, &cfg, &err));
}

/* 8-byte reads over 4 KiB: one miss per 64-byte line, 7 hits after it. */
static void test_cache_sequential_within_lines(void **state)
{
    struct cache c;
    struct cache_victim v;

    init_small(&c, 64, 4); /* 16 KiB: the 4 KiB fits */
    for (gpa_t pa = 0; pa < 4096; pa += 8)
        cache_access(&c, pa, false, &v);
    assert_int_equal(c.n_misses, 64);
    assert_int_equal(c.n_hits, 448);
    assert_int_equal(c.n_writebacks, 0);
    /* Second pass: all hits. */
    for (gpa_t pa = 0; pa < 4096; pa += 8)
        assert_true(cache_access(&c, pa, false, &v));
    assert_int_equal(c.n_hits, 448 + 512);
    cache_destroy(&c);
}

/* A set's worth of lines (ways) cycled 10 times: 4 cold misses, then only hits. */
static void test_cache_working_set_fits(void **state)
{
    struct cache c;
    struct cache_victim v;

    init_small(&c, 4, 4);
    for (int round = 0; round < 10; round++)
        for (u32 i = 0; i < 4; i++)
            cache_access(&c, in_set(4, 1, i), false, &v);
    assert_int_equal(c.n_misses, 4);
    assert_int_equal(c.n_hits, 36);
    cache_destroy(&c);
}

/* ways + 1 lines cycled through one set: true LRU always evicts the next one needed. */
static void test_cache_ways_plus_one_thrashes(void **state)
{
    struct cache c;
    struct cache_victim v;

    init_small(&c, 4, 4);
    for (int round = 0; round < 10; round++)
        for (u32 i = 0; i < 5; i++)
            assert_false(cache_access(&c, in_set(4, 2, i), false, &v));
    assert_int_equal(c.n_misses, 50);
    assert_int_equal(c.n_hits, 0);
    /* The other sets were never touched. */
    assert_false(cache_contains(&c, in_set(4, 0, 0)));
    cache_destroy(&c);
}

/* A, B, C, D fill a set; touching A makes B the LRU line, so E evicts B. */
static void test_cache_lru_order(void **state)
{
    struct cache c;
    struct cache_victim v;
    gpa_t a = in_set(4, 3, 0), b = in_set(4, 3, 1), e = in_set(4, 3, 4);

    init_small(&c, 4, 4);
    for (u32 i = 0; i < 4; i++)
        assert_false(cache_access(&c, in_set(4, 3, i), false, &v));
    assert_true(cache_access(&c, a + 17, false, &v));
    assert_false(cache_access(&c, e, false, &v));
    assert_int_equal(v.pa, b);
    assert_false(v.is_dirty);
    assert_true(cache_contains(&c, a));
    assert_false(cache_contains(&c, b));
    assert_true(cache_contains(&c, e));
    cache_destroy(&c);
}

/* Write N lines of one set of a W-way cache, then read W others: exactly N writebacks. */
static void test_cache_dirty_writebacks_exact(void **state)
{
    for (u32 n = 0; n <= 4; n++) {
        struct cache c;
        struct cache_victim v;
        u32 dirty_victims = 0;

        init_small(&c, 4, 4);
        for (u32 i = 0; i < n; i++)
            cache_access(&c, in_set(4, 0, i), true, &v);
        for (u32 i = 0; i < 4; i++) {
            cache_access(&c, in_set(4, 0, 10 + i), false, &v);
            if (v.pa != ~0ull && v.is_dirty) {
                assert_true(v.pa == in_set(4, 0, dirty_victims)); /* oldest first */
                dirty_victims++;
            }
        }
        assert_int_equal(c.n_writebacks, n);
        assert_int_equal(dirty_victims, n);
        assert_int_equal(c.n_misses, n + 4);
        cache_destroy(&c);
    }
}

/* A write hit dirties a clean line; a read hit keeps a dirty line dirty. */
static void test_cache_write_hit_dirties(void **state)
{
    struct cache c;
    struct cache_victim v;

    init_small(&c, 1, 2);
    cache_access(&c, 0, false, &v);
    cache_access(&c, 64, true, &v);
    assert_true(cache_access(&c, 8, true, &v));    /* line 0 now dirty */
    assert_true(cache_access(&c, 100, false, &v)); /* line 1 stays dirty */
    cache_access(&c, 128, false, &v);              /* evicts line 0 (LRU) */
    assert_int_equal(v.pa, 0);
    assert_true(v.is_dirty);
    cache_access(&c, 192, false, &v); /* evicts line 1 */
    assert_int_equal(v.pa, 64);
    assert_true(v.is_dirty);
    assert_int_equal(c.n_writebacks, 2);
    cache_destroy(&c);
}

static void test_cache_write_back_into(void **state)
{
    struct cache c;
    struct cache_victim v;

    init_small(&c, 1, 2);
    cache_access(&c, 0, false, &v);
    /* Present: marked dirty, no allocation, not a hit or miss. */
    assert_false(cache_write_back_into(&c, 0, &v));
    assert_int_equal(c.n_hits, 0);
    assert_int_equal(c.n_misses, 1);
    /* Absent: allocated dirty into the free way, then evicting the LRU (line 0, dirty). */
    assert_false(cache_write_back_into(&c, 1, &v));
    assert_true(cache_write_back_into(&c, 2, &v));
    assert_int_equal(v.pa, 0);
    assert_true(v.is_dirty);
    assert_int_equal(c.n_writebacks, 1);
    assert_int_equal(c.n_misses, 1);
    assert_true(cache_contains(&c, 64) && cache_contains(&c, 128));
    cache_destroy(&c);
}

static void test_cache_invalidate(void **state)
{
    struct cache c;
    struct cache_victim v;
    bool dirty = false;

    init_small(&c, 1, 4);
    cache_access(&c, 0, true, &v);
    cache_access(&c, 64, false, &v);
    cache_access(&c, 128, true, &v);
    assert_true(cache_invalidate_line(&c, 64 + 5, &dirty));
    assert_false(dirty);
    assert_false(cache_contains(&c, 64));
    assert_false(cache_invalidate_line(&c, 64, &dirty));
    assert_true(cache_invalidate_line(&c, 128, &dirty));
    assert_true(dirty);
    /* Freed ways are reused before any valid line is evicted. */
    assert_false(cache_access(&c, 192, false, &v));
    assert_int_equal(v.pa, ~0ull);
    assert_false(cache_access(&c, 256, false, &v));
    assert_int_equal(v.pa, ~0ull);
    assert_true(cache_contains(&c, 0));
    assert_int_equal(cache_invalidate_all(&c), 1); /* line 0 was dirty */
    assert_false(cache_contains(&c, 0));
    assert_false(cache_contains(&c, 192));
    assert_int_equal(c.n_writebacks, 0); /* invalidation is not a writeback */
    cache_destroy(&c);
}

/* 3 sets (not a power of two): lines 0, 3, 6 share set 0. */
static void test_cache_non_pow2_sets(void **state)
{
    struct cache c;
    struct cache_victim v;

    init_small(&c, 3, 2);
    assert_int_equal(c.set_mask, 0);
    assert_int_equal(cache_set_of(&c, 7), 1);
    cache_access(&c, 0 * LINE, false, &v);
    cache_access(&c, 3 * LINE, false, &v);
    cache_access(&c, 1 * LINE, false, &v); /* other set: evicts nothing */
    assert_int_equal(v.pa, ~0ull);
    cache_access(&c, 6 * LINE, false, &v);
    assert_int_equal(v.pa, 0);
    cache_destroy(&c);
}

/*
 * Reference model: the textbook true-LRU cache (a last-use stamp per way, the victim is the
 * first way with the smallest stamp, an invalid way has stamp 0), written for clarity only.
 */
#define REF_MAX_SLOTS 4096

struct ref_cache {
    u32 sets, ways;
    u64 clock;
    u64 line[REF_MAX_SLOTS];
    u64 stamp[REF_MAX_SLOTS]; /* 0: invalid */
    bool dirty[REF_MAX_SLOTS];
    u64 n_hits, n_misses, n_writebacks;
};

static i64 ref_find(const struct ref_cache *r, u64 line)
{
    u64 base = (line % r->sets) * r->ways;

    for (u32 w = 0; w < r->ways; w++)
        if (r->stamp[base + w] && r->line[base + w] == line)
            return (i64)(base + w);
    return -1;
}

static bool ref_replace(struct ref_cache *r, u64 line, bool is_dirty, struct cache_victim *v)
{
    u64 base = (line % r->sets) * r->ways, i = base;
    bool evicted;

    for (u32 w = 1; w < r->ways; w++)
        if (r->stamp[base + w] < r->stamp[i])
            i = base + w;
    evicted = r->stamp[i] != 0;
    v->pa = evicted ? r->line[i] * LINE : ~0ull;
    v->is_dirty = evicted && r->dirty[i];
    r->n_writebacks += v->is_dirty;
    r->line[i] = line;
    r->dirty[i] = is_dirty;
    r->stamp[i] = ++r->clock;
    return evicted;
}

static bool ref_access(struct ref_cache *r, u64 line, bool is_write, struct cache_victim *v)
{
    i64 i = ref_find(r, line);

    if (i >= 0) {
        r->stamp[i] = ++r->clock;
        r->dirty[i] |= is_write;
        r->n_hits++;
        return true;
    }
    r->n_misses++;
    ref_replace(r, line, is_write, v);
    return false;
}

static bool ref_write_back_into(struct ref_cache *r, u64 line, struct cache_victim *v)
{
    i64 i = ref_find(r, line);

    if (i >= 0) {
        r->dirty[i] = true;
        v->pa = ~0ull;
        v->is_dirty = false;
        return false;
    }
    return ref_replace(r, line, true, v);
}

static u64 xorshift(u64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * Random demand accesses, writebacks from above and invalidations over many geometries (one
 * set, non-power-of-two sets, 1..64 ways, partial groups of eight): every result, victim and
 * counter equals the reference model's.
 */
static void test_cache_matches_reference_lru(void **state)
{
    static const u32 geo[][2] = {{1, 1},  {4, 4},  {3, 2}, {2, 12}, {8, 15}, {4, 16},
                                 {2, 17}, {1, 64}, {5, 9}, {6, 8},  {16, 7}, {2, 63}};
    static struct ref_cache ref;
    u64 seed = 0x9e3779b97f4a7c15ull;

    for (size_t gi = 0; gi < ARRAY_LEN(geo); gi++) {
        u32 sets = geo[gi][0], ways = geo[gi][1];
        u64 pool = (u64)sets * ways * 2; /* twice the capacity: hits and evictions both */
        struct cache c;

        memset(&ref, 0, sizeof(ref));
        ref.sets = sets;
        ref.ways = ways;
        init_small(&c, sets, ways);
        for (u32 op = 0; op < 200000; op++) {
            u64 rnd = xorshift(&seed);
            u64 line = (rnd >> 8) % pool + ((rnd >> 40) & 1 ? (1ull << 40) : 0);
            u32 kind = (u32)(rnd & 0xff);
            struct cache_victim v = {0}, rv = {0};

            if (kind < 200) {
                bool is_write = kind & 1;

                assert_int_equal(cache_access(&c, line * LINE, is_write, &v),
                                 ref_access(&ref, line, is_write, &rv));
            } else if (kind < 245) {
                assert_int_equal(cache_write_back_into(&c, line, &v),
                                 ref_write_back_into(&ref, line, &rv));
            } else if (kind < 255) {
                i64 i = ref_find(&ref, line);
                bool dirty = false;

                assert_int_equal(cache_invalidate_line(&c, line * LINE + 3, &dirty), i >= 0);
                if (i >= 0) {
                    assert_int_equal(dirty, ref.dirty[i]);
                    ref.stamp[i] = 0;
                }
            } else {
                u64 n_dirty = 0;

                for (u32 k = 0; k < sets * ways; k++) {
                    n_dirty += ref.stamp[k] && ref.dirty[k];
                    ref.stamp[k] = 0;
                }
                assert_int_equal(cache_invalidate_all(&c), n_dirty);
            }
            assert_int_equal(v.pa, rv.pa);
            assert_int_equal(v.is_dirty, rv.is_dirty);
        }
        assert_int_equal(c.n_hits, ref.n_hits);
        assert_int_equal(c.n_misses, ref.n_misses);
        assert_int_equal(c.n_writebacks, ref.n_writebacks);
        assert_true(c.n_hits > 1000 && c.n_misses > 1000 && c.n_writebacks > 100);
        cache_destroy(&c);
    }
}

static void test_cache_stats(void **state)
{
    struct cache c;
    struct cache_victim v;
    struct stats *s = stats_create("t");
    u64 val = 0;

    init_small(&c, 4, 4);
    cache_register_stats(&c, stats_group_new(stats_root(s), "l1d"));
    cache_access(&c, 0, true, &v);
    cache_access(&c, 0, false, &v);
    assert_true(stats_lookup_u64(s, "l1d.hits", &val));
    assert_int_equal(val, 1);
    assert_true(stats_lookup_u64(s, "l1d.misses", &val));
    assert_int_equal(val, 1);
    assert_true(stats_lookup_u64(s, "l1d.writebacks", &val));
    assert_int_equal(val, 0);
    stats_destroy(s);
    cache_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_bad_geometry),
        cmocka_unit_test(test_cache_sequential_within_lines),
        cmocka_unit_test(test_cache_working_set_fits),
        cmocka_unit_test(test_cache_ways_plus_one_thrashes),
        cmocka_unit_test(test_cache_lru_order),
        cmocka_unit_test(test_cache_dirty_writebacks_exact),
        cmocka_unit_test(test_cache_write_hit_dirties),
        cmocka_unit_test(test_cache_write_back_into),
        cmocka_unit_test(test_cache_invalidate),
        cmocka_unit_test(test_cache_non_pow2_sets),
        cmocka_unit_test(test_cache_matches_reference_lru),
        cmocka_unit_test(test_cache_stats),
    };

    return cmocka_run_group_tests_name("mm/cache", tests, NULL, NULL);
}
