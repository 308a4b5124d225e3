/* SPDX-License-Identifier: MIT */
/* Tests for numa/tier: presets, the M/D/1 and curve loaded-latency models, epoch arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "numa/tier.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EPS 1e-9

static void assert_close(double got, double want)
{
    if (fabs(got - want) > EPS * (1.0 + fabs(want)))
        fail_msg("got %.12g, want %.12g", got, want);
}

/* rd 100 ns, wr 120 ns, 100 GB/s peak, 40 ns service time: easy numbers for the formula. */
static struct tier_params simple_params(void)
{
    struct tier_params p;

    memset(&p, 0, sizeof(p));
    strcpy(p.name, "test");
    p.rd_lat_ns = 100.0;
    p.wr_lat_ns = 120.0;
    p.peak_bw_gbps = 100.0;
    p.svc_ns = 40.0;
    return p;
}

/* rd 100 ns with the curve (10, 110) (20, 150) (30, 250). */
static struct tier_params curve_params(void)
{
    struct tier_params p = simple_params();

    p.n_curve = 3;
    p.curve[0] = (struct tier_curve_point){10.0, 110.0};
    p.curve[1] = (struct tier_curve_point){20.0, 150.0};
    p.curve[2] = (struct tier_curve_point){30.0, 250.0};
    return p;
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/terrace-tier-XXXXXX");
    int fd = mkstemp(path);
    size_t len = strlen(text);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

static void test_tier_presets(void **state)
{
    static const char *const names[] = {"ddr5-local", "ddr5-remote", "cxl"};
    struct tier_params p;
    struct emu_err err = {0};

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        assert_true(tier_preset(names[i], &p));
        assert_string_equal(p.name, names[i]);
        assert_true(tier_params_check(&p, &err));
        assert_int_equal(p.n_curve, 0);
        assert_non_null(strstr(tier_preset_names(), names[i]));
    }
    /* The tiers are ordered: local faster and wider than remote, remote than CXL. */
    {
        struct tier_params l, r, c;

        tier_preset("ddr5-local", &l);
        tier_preset("ddr5-remote", &r);
        tier_preset("cxl", &c);
        assert_true(l.rd_lat_ns < r.rd_lat_ns && r.rd_lat_ns < c.rd_lat_ns);
        assert_true(l.peak_bw_gbps > r.peak_bw_gbps && r.peak_bw_gbps > c.peak_bw_gbps);
    }
    assert_false(tier_preset("optane", &p));
}

static void test_tier_idle_at_zero_load(void **state)
{
    static const char *const names[] = {"ddr5-local", "ddr5-remote", "cxl"};
    struct tier_params p;

    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        tier_preset(names[i], &p);
        assert_close(tier_loaded_lat_ns(&p, 0.0, false), p.rd_lat_ns);
        assert_close(tier_loaded_lat_ns(&p, 0.0, true), p.wr_lat_ns);
    }
    p = curve_params();
    assert_close(tier_loaded_lat_ns(&p, 0.0, false), 100.0);
    assert_close(tier_loaded_lat_ns(&p, 0.0, true), 120.0);
}

static void test_tier_monotonic(void **state)
{
    static const char *const names[] = {"ddr5-local", "ddr5-remote", "cxl"};
    struct tier_params p;

    (void)state;
    for (size_t i = 0; i <= ARRAY_LEN(names); i++) {
        double prev = 0.0;

        if (i < ARRAY_LEN(names))
            tier_preset(names[i], &p);
        else
            p = curve_params();
        for (int k = 0; k <= 400; k++) {
            double bw = p.peak_bw_gbps * 2.0 * k / 400.0;
            double lat = tier_loaded_lat_ns(&p, bw, false);

            assert_true(lat >= prev);
            if (k > 0 && bw < p.peak_bw_gbps * TIER_RHO_MAX)
                assert_true(lat > prev); /* strictly rising below saturation */
            prev = lat;
        }
    }
}

static void test_tier_md1_formula(void **state)
{
    struct tier_params p = simple_params();

    (void)state;
    /* rho = 0.8: wait = 40 * 0.8 / (2 * 0.2) = 80 ns. */
    assert_close(tier_loaded_lat_ns(&p, 80.0, false), 180.0);
    assert_close(tier_loaded_lat_ns(&p, 80.0, true), 200.0);
    /* rho = 0.5: wait = 40 * 0.5 / (2 * 0.5) = 20 ns. */
    assert_close(tier_loaded_lat_ns(&p, 50.0, false), 120.0);
    /* Saturated: rho capped at 0.99, wait = 40 * 0.99 / 0.02 = 1980 ns. */
    assert_close(tier_loaded_lat_ns(&p, 1000.0, false), 2080.0);
    assert_close(tier_loaded_lat_ns(&p, 99.0, false), 2080.0);
}

static void test_tier_curve_interpolation(void **state)
{
    struct tier_params p = curve_params();

    (void)state;
    assert_close(tier_loaded_lat_ns(&p, 5.0, false), 105.0);  /* (0,100)-(10,110) */
    assert_close(tier_loaded_lat_ns(&p, 10.0, false), 110.0); /* on a point */
    assert_close(tier_loaded_lat_ns(&p, 15.0, false), 130.0); /* (10,110)-(20,150) */
    assert_close(tier_loaded_lat_ns(&p, 25.0, false), 200.0);
    assert_close(tier_loaded_lat_ns(&p, 40.0, false), 350.0); /* last slope 10 ns per GB/s */
    assert_close(tier_loaded_lat_ns(&p, 15.0, true), 150.0);  /* write: 120 + the same 30 */
    /* One point: the segment from the idle point continues. */
    p.n_curve = 1;
    assert_close(tier_loaded_lat_ns(&p, 20.0, false), 120.0);
}

static void test_tier_params_check(void **state)
{
    struct tier_params p;
    struct emu_err err = {0};

    (void)state;
    p = curve_params();
    assert_true(tier_params_check(&p, &err));
    p.curve[1].bw_gbps = 10.0;
    assert_false(tier_params_check(&p, &err));
    assert_non_null(strstr(err.msg, "point 2: bandwidth 10 GB/s is not above"));
    p = curve_params();
    p.curve[2].lat_ns = 140.0;
    assert_false(tier_params_check(&p, &err));
    assert_non_null(strstr(err.msg, "point 3: latency 140 ns falls below"));
    p = curve_params();
    p.curve[0].lat_ns = 90.0;
    assert_false(tier_params_check(&p, &err));
    assert_non_null(strstr(err.msg, "below the idle read latency"));
    p = curve_params();
    p.curve[0].bw_gbps = 0.0;
    assert_false(tier_params_check(&p, &err));
    assert_non_null(strstr(err.msg, "must be > 0"));
    p = simple_params();
    p.peak_bw_gbps = 0.0;
    assert_false(tier_params_check(&p, &err));
    assert_non_null(strstr(err.msg, "peak bandwidth"));
    p = simple_params();
    p.rd_lat_ns = -1.0;
    assert_false(tier_params_check(&p, &err));
    assert_non_null(strstr(err.msg, "read latency"));
}

static void test_tier_curve_load(void **state)
{
    struct tier_params p = simple_params();
    struct emu_err err = {0};
    char *path = write_temp("# MLC --loaded_latency, GB/s and ns\n"
                            "10 110\n"
                            "\n"
                            "  20.5\t150   # comment\n"
                            "30 250\n");

    (void)state;
    assert_true(tier_curve_load(path, &p, &err));
    assert_int_equal(p.n_curve, 3);
    assert_close(p.curve[1].bw_gbps, 20.5);
    assert_close(p.curve[2].lat_ns, 250.0);
    unlink(path);
    free(path);

    path = write_temp("10 110\n20 fast\n");
    assert_false(tier_curve_load(path, &p, &err));
    assert_non_null(strstr(err.msg, "line 2: expected \"bw_gbps lat_ns\""));
    unlink(path);
    free(path);

    path = write_temp("# nothing\n");
    assert_false(tier_curve_load(path, &p, &err));
    assert_non_null(strstr(err.msg, "holds no points"));
    unlink(path);
    free(path);

    assert_false(tier_curve_load("/nonexistent/curve.txt", &p, &err));
    assert_non_null(strstr(err.msg, "cannot open '/nonexistent/curve.txt'"));
}

static void test_tier_epoch_arithmetic(void **state)
{
    struct tier_params p = simple_params();
    struct tier_state t;

    (void)state;
    tier_init(&t, &p);
    assert_close(t.cur_rd_lat_ns, 100.0);
    assert_close(t.cur_wr_lat_ns, 120.0);
    /* Charges use the latency in effect: idle during the first epoch. */
    assert_close(tier_access(&t, false, 64), 100.0);
    assert_close(tier_access(&t, true, 64), 120.0);
    for (int i = 0; i < 12498; i++)
        tier_access(&t, false, 64);
    assert_int_equal(t.n_reads, 12499);
    assert_int_equal(t.n_writes, 1);
    assert_int_equal(t.read_bytes, 12499 * 64);
    assert_int_equal(t.write_bytes, 64);
    assert_int_equal(t.epoch_bytes, 800000);
    assert_int_equal(t.lat_ns_sum, 12499 * 100 + 120);

    /* 800000 bytes in 10 us = 80 GB/s: rho 0.8, +80 ns for the next epoch. */
    tier_epoch_end(&t, 10000.0);
    assert_close(t.offered_gbps, 80.0);
    assert_close(t.cur_rd_lat_ns, 180.0);
    assert_close(t.cur_wr_lat_ns, 200.0);
    assert_int_equal(t.epoch_bytes, 0);
    assert_int_equal(t.n_reads, 12499); /* counters are cumulative */
    assert_close(tier_access(&t, false, 64), 180.0);

    /* An epoch of zero length changes nothing. */
    tier_epoch_end(&t, 0.0);
    assert_close(t.offered_gbps, 80.0);
    assert_int_equal(t.epoch_bytes, 64);

    /* 64 bytes in 1 ms is next to nothing: back to (almost exactly) idle. */
    tier_epoch_end(&t, 1e6);
    assert_close(t.offered_gbps, 64.0 / 1e6);
    assert_true(t.cur_rd_lat_ns > 100.0 && t.cur_rd_lat_ns < 100.001);
    tier_epoch_end(&t, 1e6);
    assert_close(t.offered_gbps, 0.0);
    assert_close(t.cur_rd_lat_ns, 100.0);
}

static void test_tier_register_stats(void **state)
{
    struct tier_params p = simple_params();
    struct stats *s = stats_create("test");
    struct stats_group *g = stats_group_new(stats_root(s), "node%d", 1);
    struct tier_state t;
    u64 v = 0;

    (void)state;
    tier_init(&t, &p);
    tier_register_stats(&t, g);
    tier_access(&t, false, 64);
    tier_access(&t, false, 64);
    tier_access(&t, true, 64);
    assert_true(stats_lookup_u64(s, "node1.reads", &v));
    assert_int_equal(v, 2);
    assert_true(stats_lookup_u64(s, "node1.writes", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "node1.read_bytes", &v));
    assert_int_equal(v, 128);
    assert_true(stats_lookup_u64(s, "node1.write_bytes", &v));
    assert_int_equal(v, 64);
    assert_true(stats_lookup_u64(s, "node1.lat_ns_sum", &v));
    assert_int_equal(v, 320);
    stats_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tier_presets),
        cmocka_unit_test(test_tier_idle_at_zero_load),
        cmocka_unit_test(test_tier_monotonic),
        cmocka_unit_test(test_tier_md1_formula),
        cmocka_unit_test(test_tier_curve_interpolation),
        cmocka_unit_test(test_tier_params_check),
        cmocka_unit_test(test_tier_curve_load),
        cmocka_unit_test(test_tier_epoch_arithmetic),
        cmocka_unit_test(test_tier_register_stats),
    };

    return cmocka_run_group_tests_name("numa/tier", tests, NULL, NULL);
}
