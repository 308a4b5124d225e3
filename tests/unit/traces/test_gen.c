/* SPDX-License-Identifier: MIT */
/* Tests for traces/gen: coverage, zipf analytic shares, hot/cold shares and moves, chase cycles,
 * exact streams, GUPS pairing, CPU dealing and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "traces/gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BASE 0x10000000000ull

static struct trace_rec *gen_all(const struct gen_params *p)
{
    struct emu_err err = {0};
    struct gen *g = gen_create(p, &err);
    struct trace_rec *v = calloc(p->n_records + 1, sizeof(*v));
    size_t n = 0, got;

    assert_non_null(g);
    assert_non_null(v);
    while ((got = gen_next(g, v + n, 777)) > 0)
        n += got;
    assert_int_equal(n, p->n_records);
    assert_int_equal(gen_next(g, v, 10), 0);
    gen_destroy(g);
    return v;
}

static void test_gen_uniform_covers_footprint(void **state)
{
    struct gen_params p;
    struct trace_rec *v;
    u32 *hits;
    u64 n_items, reads = 0;

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_UNIFORM;
    p.footprint_bytes = 64 * KiB;
    p.n_records = 200000;
    p.n_cpus = 3;
    p.insns_between = 7;
    n_items = p.footprint_bytes / p.access_size_bytes;
    hits = calloc(n_items, sizeof(*hits));
    v = gen_all(&p);
    for (u64 i = 0; i < p.n_records; i++) {
        assert_true(v[i].va >= BASE && v[i].va < BASE + p.footprint_bytes);
        assert_int_equal(v[i].va % 8, 0);
        assert_int_equal(v[i].size, 8);
        assert_int_equal(v[i].cpu, i % 3);
        assert_int_equal(v[i].icount_delta, 7);
        assert_int_equal(v[i].pa, 0);
        assert_true(v[i].kind == TRACE_READ || v[i].kind == TRACE_WRITE);
        hits[(v[i].va - BASE) / 8]++;
        reads += v[i].kind == TRACE_READ;
    }
    /* ~24 hits expected per item: every item is hit. */
    for (u64 k = 0; k < n_items; k++)
        assert_true(hits[k] > 0);
    /* Read share: 0.7 +- 5 standard deviations (sd ~0.001). */
    assert_true(fabs((double)reads / (double)p.n_records - 0.7) < 0.005);
    free(hits);
    free(v);
}

static double zeta_exact(u64 n, double theta)
{
    double s = 0;

    for (u64 i = n; i >= 1; i--)
        s += pow((double)i, -theta);
    return s;
}

static void zipf_shares(bool scramble)
{
    struct gen_params p;
    struct emu_err err = {0};
    struct trace_rec *v;
    struct gen *g;
    u32 *hits;
    const u64 n_items = 1000;
    double zeta = zeta_exact(n_items, 0.99), p0 = 1 / zeta, p1 = pow(2, -0.99) / zeta;
    u32 first = 0, second = 0;

    gen_params_init(&p);
    p.kind = GEN_ZIPF;
    p.zipf_theta = 0.99;
    p.zipf_scramble = scramble;
    p.footprint_bytes = n_items * 8;
    p.n_records = 1000000;
    g = gen_create(&p, &err);
    assert_non_null(g);
    assert_true(fabs(gen_zipf_zeta(g) - zeta) < 1e-9);
    gen_destroy(g);
    hits = calloc(n_items, sizeof(*hits));
    v = gen_all(&p);
    for (u64 i = 0; i < p.n_records; i++) {
        assert_true(v[i].va >= BASE && v[i].va < BASE + p.footprint_bytes);
        hits[(v[i].va - BASE) / 8]++;
    }
    if (!scramble) {
        first = hits[0];
        second = hits[1];
    } else {
        for (u64 k = 0; k < n_items; k++) {
            if (hits[k] > first) {
                second = first;
                first = hits[k];
            } else if (hits[k] > second) {
                second = hits[k];
            }
        }
    }
    /* sd of a share near 0.13 over 1M draws is ~0.00034. */
    assert_true(fabs((double)first / 1e6 - p0) < 0.002);
    assert_true(fabs((double)second / 1e6 - p1) < 0.002);
    if (!scramble)
        assert_true(hits[2] < hits[1] && hits[10] < hits[2]);
    free(hits);
    free(v);
}

static void test_gen_zipf_most_popular_share(void **state)
{
    (void)state;
    zipf_shares(false);
    zipf_shares(true);
}

/* Beyond 2^20 items zeta uses Euler-Maclaurin; it must match the exact sum. */
static void test_gen_zipf_zeta_large(void **state)
{
    struct gen_params p;
    struct emu_err err = {0};
    struct gen *g;
    const u64 n = 3000000;
    double exact = zeta_exact(n, 0.8);

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_ZIPF;
    p.zipf_theta = 0.8;
    p.footprint_bytes = n * 8;
    g = gen_create(&p, &err);
    assert_non_null(g);
    assert_true(fabs(gen_zipf_zeta(g) - exact) / exact < 1e-12);
    gen_destroy(g);
}

static bool in_window(u64 va, u64 start, u64 len, u64 fp)
{
    return (va - start + fp) % fp < len;
}

static void test_gen_hotcold_share_and_moves(void **state)
{
    struct gen_params p;
    struct emu_err err = {0};
    struct gen *g;
    struct trace_rec *v;
    u64 starts[4], len = 0;
    const u64 period = 100000;

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_HOTCOLD;
    p.footprint_bytes = 4 * MiB;
    p.hot_fraction = 0.1;
    p.hot_prob = 0.9;
    p.move_every_records = period;
    p.n_records = 4 * period;
    g = gen_create(&p, &err);
    assert_non_null(g);
    v = calloc(period, sizeof(*v));
    for (int k = 0; k < 4; k++) {
        u64 hot = 0;

        assert_int_equal(gen_next(g, v, period), period);
        assert_true(gen_hot_window(g, &starts[k], &len));
        assert_int_equal(len, (u64)llround(0.1 * (4 * MiB / 8)) * 8);
        assert_int_equal((starts[k] - BASE) % 4096, 0); /* whole pages */
        for (u64 i = 0; i < period; i++) {
            assert_true(v[i].va >= BASE && v[i].va < BASE + p.footprint_bytes);
            hot += in_window(v[i].va - BASE, starts[k] - BASE, len, p.footprint_bytes);
        }
        /* sd ~0.001 */
        assert_true(fabs((double)hot / (double)period - 0.9) < 0.006);
        if (k > 0)
            assert_true(starts[k] != starts[k - 1]);
    }
    gen_destroy(g);
    free(v);
}

static void test_gen_chase_single_cycle(void **state)
{
    struct gen_params p;
    struct trace_rec *v;
    const u64 n_lines = 1024;
    u8 *seen = calloc(n_lines, 1);

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_CHASE;
    p.footprint_bytes = n_lines * 64;
    p.chase_granule_bytes = 64;
    p.n_records = 3 * n_lines;
    v = gen_all(&p);
    for (int cycle = 0; cycle < 3; cycle++) {
        memset(seen, 0, n_lines);
        for (u64 i = 0; i < n_lines; i++) {
            const struct trace_rec *r = &v[cycle * n_lines + i];
            u64 line = (r->va - BASE) / 64;

            assert_int_equal((r->va - BASE) % 64, 0);
            assert_true(line < n_lines);
            assert_int_equal(seen[line], 0);
            seen[line] = 1;
            assert_int_equal(r->kind, TRACE_READ);
            assert_int_equal(r->va, v[i].va); /* the same order every cycle */
        }
    }
    free(seen);
    free(v);
}

static void test_gen_stream_exact(void **state)
{
    struct gen_params p;
    struct trace_rec *v;

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_STREAM;
    p.footprint_bytes = 1000;
    p.stride_bytes = 24;
    p.n_records = 100;
    p.read_ratio = 1.0;
    v = gen_all(&p);
    /* Positions 0, 24, ..., 984 (the last that fits an 8-byte access): 42 of them. */
    for (u64 i = 0; i < p.n_records; i++) {
        assert_int_equal(v[i].va, BASE + (i % 42) * 24);
        assert_int_equal(v[i].kind, TRACE_READ);
    }
    free(v);
    p.read_ratio = 0.0;
    v = gen_all(&p);
    for (u64 i = 0; i < p.n_records; i++)
        assert_int_equal(v[i].kind, TRACE_WRITE);
    free(v);
}

static void test_gen_gups_pairs(void **state)
{
    struct gen_params p;
    struct trace_rec *v;

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_GUPS;
    p.footprint_bytes = 1 * MiB;
    p.n_records = 10001;
    p.n_cpus = 3;
    v = gen_all(&p);
    for (u64 i = 0; i + 1 < p.n_records; i += 2) {
        assert_int_equal(v[i].kind, TRACE_READ);
        assert_int_equal(v[i + 1].kind, TRACE_WRITE);
        assert_int_equal(v[i].va, v[i + 1].va);
        assert_int_equal(v[i].size, 8);
        assert_int_equal(v[i].cpu, (i / 2) % 3);
        assert_int_equal(v[i + 1].cpu, (i / 2) % 3);
    }
    assert_int_equal(v[10000].kind, TRACE_READ);
    free(v);
}

static void test_gen_deterministic(void **state)
{
    struct gen_params p;

    (void)state;
    for (unsigned k = 0; k < GEN_KIND_COUNT; k++) {
        struct trace_rec *a, *b;

        gen_params_init(&p);
        p.kind = (enum gen_kind)k;
        p.footprint_bytes = 256 * KiB;
        p.n_records = 20000;
        p.move_every_records = 5000;
        p.n_cpus = 2;
        p.seed = 1234;
        a = gen_all(&p);
        b = gen_all(&p);
        assert_memory_equal(a, b, sizeof(*a) * p.n_records);
        free(b);
        if (k != GEN_STREAM) {
            p.seed = 1235;
            b = gen_all(&p);
            assert_true(memcmp(a, b, sizeof(*a) * p.n_records) != 0);
            free(b);
        }
        free(a);
    }
}

static void test_gen_bad_params(void **state)
{
    struct gen_params p;
    struct emu_err err = {0};
    enum gen_kind k;

    (void)state;
    gen_params_init(&p);
    p.kind = GEN_ZIPF;
    p.zipf_theta = 1.0;
    assert_null(gen_create(&p, &err));
    assert_non_null(strstr(err.msg, "theta"));
    gen_params_init(&p);
    p.access_size_bytes = 0;
    assert_null(gen_create(&p, &err));
    gen_params_init(&p);
    p.kind = GEN_HOTCOLD;
    p.hot_fraction = 0;
    assert_null(gen_create(&p, &err));
    gen_params_init(&p);
    p.read_ratio = 1.5;
    assert_null(gen_create(&p, &err));
    gen_params_init(&p);
    p.kind = GEN_CHASE;
    p.footprint_bytes = 64;
    assert_null(gen_create(&p, &err));
    assert_true(gen_kind_parse("hotcold", &k, &err));
    assert_int_equal(k, GEN_HOTCOLD);
    assert_false(gen_kind_parse("random", &k, &err));
    assert_string_equal(gen_kind_name(GEN_GUPS), "gups");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gen_uniform_covers_footprint),
        cmocka_unit_test(test_gen_zipf_most_popular_share),
        cmocka_unit_test(test_gen_zipf_zeta_large),
        cmocka_unit_test(test_gen_hotcold_share_and_moves),
        cmocka_unit_test(test_gen_chase_single_cycle),
        cmocka_unit_test(test_gen_stream_exact),
        cmocka_unit_test(test_gen_gups_pairs),
        cmocka_unit_test(test_gen_deterministic),
        cmocka_unit_test(test_gen_bad_params),
    };

    return cmocka_run_group_tests_name("traces/gen", tests, NULL, NULL);
}
