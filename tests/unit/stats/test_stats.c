/* SPDX-License-Identifier: MIT */
/*
 * Tests for the stats registry: dotted names from nested groups, per-epoch deltas and region
 * totals, gauges and formulas, histogram percentiles, reset, regions, duplicate names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "stats/stats.h"

#include "stats_test_util.h"

#include <signal.h>
#include <sys/wait.h>

static void assert_near(double got, double want)
{
    double d = got - want;

    if (d < 0)
        d = -d;
    if (d > 1e-9) {
        fail_msg("got %.17g, want %.17g", got, want);
    }
}

/* True if the text holds @line as a whole line. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    const char *p = text;

    while ((p = strstr(p, line))) {
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return true;
        p++;
    }
    return false;
}

static void assert_line(const char *text, const char *line)
{
    if (!has_line(text, line))
        fail_msg("line '%s' missing from:\n%s", line, text);
}

static void assert_no_line(const char *text, const char *line)
{
    if (has_line(text, line))
        fail_msg("line '%s' unexpectedly present", line);
}

/* Tidy CSV of @s as a string (caller frees). */
static char *tidy_of(const struct stats *s)
{
    struct scratch sc;
    struct emu_err err = {0};
    char *text;

    scratch_init(&sc);
    assert_true(stats_write_tidy_csv(s, scratch_path(&sc, "t.csv"), &err));
    text = read_text(sc.path);
    assert_non_null(text);
    scratch_fini(&sc);
    return text;
}

static void test_stats_names_from_nested_groups(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_group *cpu, *dtlb, *l1, *node;
    u64 misses = 7, hits = 9, top = 1, nreads = 3, v;
    double g = 0;

    (void)state;
    cpu = stats_group_new(stats_root(s), "cpu%d", 0);
    dtlb = stats_group_new(cpu, "dtlb");
    l1 = stats_group_new(dtlb, "l1");
    node = stats_group_new(stats_root(s), "node%u", 1u);
    stats_counter(l1, "misses", &misses, "count", "L1 DTLB misses");
    stats_counter(dtlb, "stlb.hits", &hits, "count", "a dotted stat name");
    stats_counter(stats_root(s), "top", &top, "count", "on the root group");
    stats_counter(node, "reads", &nreads, "count", "reads reaching node 1");
    stats_gauge(node, "lat_ns", &g, "ns", "a gauge");
    stats_counter(node, "reads.p99", &nreads, "count", "a field-like name with no histogram");

    assert_true(stats_lookup_u64(s, "cpu0.dtlb.l1.misses", &v));
    assert_int_equal(v, 7);
    assert_true(stats_lookup_u64(s, "cpu0.dtlb.stlb.hits", &v));
    assert_int_equal(v, 9);
    assert_true(stats_lookup_u64(s, "top", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "node1.reads", &v));
    assert_int_equal(v, 3);
    misses = 11; /* the registry reads the owner's field, not a copy */
    assert_true(stats_lookup_u64(s, "cpu0.dtlb.l1.misses", &v));
    assert_int_equal(v, 11);
    assert_false(stats_lookup_u64(s, "node1.lat_ns", &v)); /* a gauge, not a counter */
    assert_false(stats_lookup_u64(s, "cpu0.dtlb.l1", &v));
    assert_false(stats_lookup_u64(s, ".top", &v));
    assert_false(stats_lookup_u64(s, "nothing", &v));
    stats_destroy(s);
}

/* Many names: the name index must grow and keep every entry findable. */
static void test_stats_many_names_lookup(void **state)
{
    enum { N = 2000 };
    struct stats *s = stats_create("r");
    u64 *vals = calloc(N, sizeof(u64)), v;
    char name[32];
    int i;

    (void)state;
    for (i = 0; i < N; i++) {
        struct stats_group *g = stats_group_new(stats_root(s), "g%d", i % 7);

        vals[i] = (u64)i * 3;
        snprintf(name, sizeof(name), "c%d", i);
        stats_counter(g, name, &vals[i], "count", "numbered");
    }
    for (i = 0; i < N; i++) {
        snprintf(name, sizeof(name), "g%d.c%d", i % 7, i);
        assert_true(stats_lookup_u64(s, name, &v));
        assert_int_equal(v, (u64)i * 3);
    }
    stats_destroy(s);
    free(vals);
}

static void test_stats_epoch_deltas_and_totals(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_group *cpu = stats_group_new(stats_root(s), "cpu0");
    u64 a = 0, b = 100;
    char *t;

    (void)state;
    stats_counter(cpu, "a", &a, "count", "first");
    stats_counter(cpu, "b", &b, "count", "starts at 100");

    /* Implicit region "all": counts from 0 (the start of the run). */
    a += 5;
    stats_epoch_end(s, 100);
    stats_epoch_end(s, 200);
    a += 7;
    b += 1;
    stats_epoch_end(s, 300);

    /* Counts between the last epoch and a region's start belong to no region. */
    a += 1000;
    stats_region_begin(s, "roi-1");
    a += 3;
    stats_epoch_end(s, 450);
    a += 4;
    b += 2;
    stats_epoch_end(s, 600);

    t = tidy_of(s);
    assert_line(t, "r,all,0,100,cpu0.a,5");
    assert_line(t, "r,all,0,100,cpu0.b,100");
    assert_line(t, "r,all,1,200,cpu0.a,0");
    assert_line(t, "r,all,2,300,cpu0.a,7");
    assert_line(t, "r,all,2,300,cpu0.b,1");
    assert_line(t, "r,all,total,300,cpu0.a,12");
    assert_line(t, "r,all,total,300,cpu0.b,101");
    assert_line(t, "r,roi-1,0,450,cpu0.a,3");
    assert_line(t, "r,roi-1,0,450,cpu0.b,0");
    assert_line(t, "r,roi-1,1,600,cpu0.a,4");
    assert_line(t, "r,roi-1,1,600,cpu0.b,2");
    assert_line(t, "r,roi-1,total,600,cpu0.a,7");
    assert_line(t, "r,roi-1,total,600,cpu0.b,2");
    /* 2 stats x (3 + 1 total) + 2 x (2 + 1) rows, plus the header */
    {
        int lines = 0;
        const char *p;

        for (p = t; *p; p++)
            lines += *p == '\n';
        assert_int_equal(lines, 1 + 8 + 6);
    }
    free(t);
    stats_destroy(s);
}

static void test_stats_region_before_any_epoch_has_no_all(void **state)
{
    struct stats *s = stats_create("r");
    u64 a = 50;
    char *t;

    (void)state;
    stats_counter(stats_root(s), "a", &a, "count", "c");
    stats_region_begin(s, "warm");
    a += 2;
    stats_epoch_end(s, 10);
    t = tidy_of(s);
    assert_line(t, "r,warm,0,10,a,2");
    assert_line(t, "r,warm,total,10,a,2");
    assert_null(strstr(t, ",all,"));
    free(t);
    stats_destroy(s);
}

struct cache_counts {
    u64 hits, misses;
};

static double miss_rate(const void *opaque)
{
    const struct cache_counts *c = opaque;

    return c->hits + c->misses ? (double)c->misses / (double)(c->hits + c->misses) : 0.0;
}

static void test_stats_gauges_and_formulas_sampled(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_group *node = stats_group_new(stats_root(s), "node1");
    struct cache_counts c = {0, 0};
    double lat = 80;
    char *t;

    (void)state;
    stats_gauge(node, "loaded_lat_ns", &lat, "ns", "read latency in effect");
    stats_formula(node, "miss_rate", miss_rate, &c, "ratio", "misses / lookups");
    c.hits = 3;
    c.misses = 1;
    stats_epoch_end(s, 1000);
    lat = 92.5;
    c.hits = 4;
    c.misses = 4;
    stats_epoch_end(s, 2000);
    lat = 0.1;
    stats_epoch_end(s, 3000);

    t = tidy_of(s);
    assert_line(t, "r,all,0,1000,node1.loaded_lat_ns,80");
    assert_line(t, "r,all,0,1000,node1.miss_rate,0.25");
    assert_line(t, "r,all,1,2000,node1.loaded_lat_ns,92.5");
    assert_line(t, "r,all,1,2000,node1.miss_rate,0.5");
    assert_line(t, "r,all,2,3000,node1.loaded_lat_ns,0.1");
    /* totals of gauges and formulas: the last sample of the region */
    assert_line(t, "r,all,total,3000,node1.loaded_lat_ns,0.1");
    assert_line(t, "r,all,total,3000,node1.miss_rate,0.5");
    free(t);
    stats_destroy(s);
}

static void test_stats_hist_percentiles_uniform(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_hist h;
    u64 v;

    (void)state;
    stats_hist(stats_root(s), "lat", &h, 0, 100, 10, "cycles", "uniform 0..99");
    assert_int_equal(h.lo, 0);
    assert_int_equal(h.hi, 100);
    assert_int_equal(h.n_buckets, 10);
    assert_non_null(h.buckets);
    assert_true(stats_hist_percentile(&h, 0.5) != stats_hist_percentile(&h, 0.5)); /* NaN */
    for (v = 0; v < 100; v++)
        stats_hist_add(&h, v);
    for (v = 0; v < 10; v++)
        assert_int_equal(h.buckets[v], 10);
    assert_int_equal(h.n_samples, 100);
    assert_int_equal(h.sum, 4950);
    /* ten per bucket: the q quantile is 100 q exactly */
    assert_near(stats_hist_percentile(&h, 0.50), 50);
    assert_near(stats_hist_percentile(&h, 0.90), 90);
    assert_near(stats_hist_percentile(&h, 0.99), 99);
    assert_near(stats_hist_percentile(&h, 0.25), 25);
    assert_near(stats_hist_percentile(&h, 0.0), 0);
    assert_near(stats_hist_percentile(&h, 1.0), 100);
    stats_destroy(s);
}

static void test_stats_hist_percentiles_skewed_and_outliers(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_hist h;
    int i;

    (void)state;
    stats_hist(stats_root(s), "lat", &h, 10, 110, 10, "ns", "skewed");
    for (i = 0; i < 90; i++)
        stats_hist_add(&h, 15); /* bucket [10,20) */
    for (i = 0; i < 8; i++)
        stats_hist_add(&h, 105); /* bucket [100,110) */
    stats_hist_add(&h, 3);       /* underflow */
    stats_hist_add(&h, 5000);    /* overflow */
    assert_int_equal(h.underflow, 1);
    assert_int_equal(h.overflow, 1);
    assert_int_equal(h.n_samples, 100);
    /* rank 50: 49 into the 90 samples of [10,20) after 1 underflow */
    assert_near(stats_hist_percentile(&h, 0.50), 10 + 10 * (49.0 / 90));
    assert_near(stats_hist_percentile(&h, 0.90), 10 + 10 * (89.0 / 90));
    /* rank 99: 8 samples in [100,110) after 91 before: 100 + 10 * 8/8 */
    assert_near(stats_hist_percentile(&h, 0.99), 110);
    assert_near(stats_hist_percentile(&h, 0.995), 110); /* the overflow counts as hi */
    assert_near(stats_hist_percentile(&h, 0.005), 10);  /* the underflow counts as lo */
    stats_destroy(s);
}

/* Per-epoch histogram rows describe the samples of that epoch only. */
static void test_stats_hist_epochs(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_hist h;
    u64 v;
    char *t;

    (void)state;
    stats_hist(stats_root(s), "h", &h, 0, 100, 10, "cycles", "per epoch");
    for (v = 0; v < 100; v++)
        stats_hist_add(&h, v);
    stats_epoch_end(s, 10);
    stats_hist_add(&h, 24);
    stats_hist_add(&h, 24);
    stats_epoch_end(s, 20);
    stats_epoch_end(s, 30);

    t = tidy_of(s);
    assert_line(t, "r,all,0,10,h.samples,100");
    assert_line(t, "r,all,0,10,h.mean,49.5");
    assert_line(t, "r,all,0,10,h.p50,50");
    assert_line(t, "r,all,0,10,h.p90,90");
    assert_line(t, "r,all,0,10,h.p99,99");
    assert_line(t, "r,all,1,20,h.samples,2");
    assert_line(t, "r,all,1,20,h.mean,24");
    assert_line(t, "r,all,1,20,h.p50,25"); /* rank 1 of 2 in [20,30) */
    assert_line(t, "r,all,2,30,h.samples,0");
    assert_line(t, "r,all,2,30,h.mean,nan");
    assert_line(t, "r,all,2,30,h.p50,nan");
    assert_line(t, "r,all,total,30,h.samples,102");
    assert_line(t, "r,all,total,30,h.mean,49"); /* (4950 + 48) / 102 */
    free(t);
    stats_destroy(s);
}

static void test_stats_reset(void **state)
{
    struct stats *s = stats_create("r");
    struct stats_hist h;
    u64 a = 0, v;
    double g = 4.5;
    u32 b;
    char *t;

    (void)state;
    stats_counter(stats_root(s), "a", &a, "count", "c");
    stats_gauge(stats_root(s), "g", &g, "ns", "gauge");
    stats_hist(stats_root(s), "h", &h, 0, 8, 4, "ns", "hist");
    a = 10;
    stats_hist_add(&h, 1);
    stats_hist_add(&h, 100);
    stats_epoch_end(s, 1);

    stats_reset(s);
    assert_int_equal(a, 0);
    assert_true(g == 4.5); /* gauges belong to their owner */
    assert_int_equal(h.n_samples, 0);
    assert_int_equal(h.sum, 0);
    assert_int_equal(h.overflow, 0);
    for (b = 0; b < 4; b++)
        assert_int_equal(h.buckets[b], 0);
    assert_true(stats_lookup_u64(s, "a", &v));
    assert_int_equal(v, 0);

    a += 3;
    stats_hist_add(&h, 6);
    stats_epoch_end(s, 2);
    t = tidy_of(s);
    assert_line(t, "r,all,0,1,a,10");
    assert_line(t, "r,all,1,2,a,3"); /* counts from the reset, no wrap-around */
    assert_line(t, "r,all,1,2,h.samples,1");
    assert_line(t, "r,all,1,2,h.mean,6");
    assert_line(t, "r,all,total,2,a,13");
    assert_line(t, "r,all,total,2,h.samples,3");
    free(t);
    stats_destroy(s);
}

/* An owner that zeroes its own counter: the new value counts in full, never as a huge delta. */
static void test_stats_owner_reset_counter(void **state)
{
    struct stats *s = stats_create("r");
    u64 a = 10;
    char *t;

    (void)state;
    stats_counter(stats_root(s), "a", &a, "count", "c");
    stats_epoch_end(s, 1);
    a = 2;
    stats_epoch_end(s, 2);
    t = tidy_of(s);
    assert_line(t, "r,all,1,2,a,2");
    assert_line(t, "r,all,total,2,a,12");
    free(t);
    stats_destroy(s);
}

/* A stat registered after a snapshot is absent from earlier epochs. */
static void test_stats_late_registration(void **state)
{
    struct stats *s = stats_create("r");
    u64 a = 1, b = 5;
    struct scratch sc;
    struct emu_err err = {0};
    char *t;

    (void)state;
    stats_counter(stats_root(s), "a", &a, "count", "early");
    stats_epoch_end(s, 1);
    stats_counter(stats_root(s), "b", &b, "count", "late");
    a += 1;
    b += 1;
    stats_epoch_end(s, 2);

    t = tidy_of(s);
    assert_line(t, "r,all,0,1,a,1");
    assert_no_line(t, "r,all,0,1,b,5");
    assert_line(t, "r,all,1,2,b,6");
    assert_line(t, "r,all,total,2,b,6");
    free(t);

    scratch_init(&sc);
    assert_true(stats_write_wide_csv(s, scratch_path(&sc, "w.csv"), &err));
    t = read_text(sc.path);
    assert_string_equal(t, "run,region,epoch,time_ns,a,b\n"
                           "r,all,0,1,1,\n"
                           "r,all,1,2,1,6\n");
    free(t);
    scratch_fini(&sc);
    stats_destroy(s);
}

/* Runs @fn in a child; the child must die of SIGABRT (an EMU_CHECK). */
static void assert_aborts(void (*fn)(void))
{
    int status;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        fn();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
}

static u64 dummy_counter;

static void register_duplicate(void)
{
    struct stats *s = stats_create("r");

    /* "a" + "b.c" and "a.b" + "c" spell the same full name */
    stats_counter(stats_group_new(stats_root(s), "a"), "b.c", &dummy_counter, "count", "x");
    stats_counter(stats_group_new(stats_group_new(stats_root(s), "a"), "b"), "c", &dummy_counter,
                  "count", "x");
}

static void register_hist_field_clash(void)
{
    struct stats *s = stats_create("r");
    static struct stats_hist h;

    stats_hist(stats_root(s), "walk", &h, 0, 10, 2, "cycles", "x");
    stats_counter(stats_root(s), "walk.p99", &dummy_counter, "count", "x");
}

static void register_hist_after_field(void)
{
    struct stats *s = stats_create("r");
    static struct stats_hist h;

    stats_counter(stats_root(s), "walk.samples", &dummy_counter, "count", "x");
    stats_hist(stats_root(s), "walk", &h, 0, 10, 2, "cycles", "x");
}

static void register_bad_name(void)
{
    struct stats *s = stats_create("r");

    stats_counter(stats_root(s), "has space", &dummy_counter, "count", "x");
}

static void register_without_unit(void)
{
    struct stats *s = stats_create("r");

    stats_counter(stats_root(s), "a", &dummy_counter, "", "x");
}

static void test_stats_registration_bugs_abort(void **state)
{
    (void)state;
    assert_aborts(register_duplicate);
    assert_aborts(register_hist_field_clash);
    assert_aborts(register_hist_after_field);
    assert_aborts(register_bad_name);
    assert_aborts(register_without_unit);
}

/* Enough stats and epochs to exercise growth of every array (regions, epochs, totals). */
static void test_stats_many_epochs(void **state)
{
    enum { N_STATS = 300, N_EPOCHS = 2000 };
    struct stats *s = stats_create("r");
    u64 *c = calloc(N_STATS, sizeof(u64)), v;
    char name[16], *t;
    int i, e;

    (void)state;
    for (i = 0; i < N_STATS; i++) {
        snprintf(name, sizeof(name), "c%d", i);
        stats_counter(stats_root(s), name, &c[i], "count", "numbered");
    }
    for (e = 0; e < N_EPOCHS; e++) {
        for (i = 0; i < N_STATS; i++)
            c[i] += (u64)i;
        stats_epoch_end(s, (u64)e * 1000 + 1000);
    }
    assert_true(stats_lookup_u64(s, "c299", &v));
    assert_int_equal(v, 299ull * N_EPOCHS);
    t = tidy_of(s);
    assert_line(t, "r,all,1999,2000000,c299,299");
    assert_line(t, "r,all,total,2000000,c299,598000");
    assert_line(t, "r,all,total,2000000,c0,0");
    free(t);
    stats_destroy(s);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_names_from_nested_groups),
        cmocka_unit_test(test_stats_many_names_lookup),
        cmocka_unit_test(test_stats_epoch_deltas_and_totals),
        cmocka_unit_test(test_stats_region_before_any_epoch_has_no_all),
        cmocka_unit_test(test_stats_gauges_and_formulas_sampled),
        cmocka_unit_test(test_stats_hist_percentiles_uniform),
        cmocka_unit_test(test_stats_hist_percentiles_skewed_and_outliers),
        cmocka_unit_test(test_stats_hist_epochs),
        cmocka_unit_test(test_stats_reset),
        cmocka_unit_test(test_stats_owner_reset_counter),
        cmocka_unit_test(test_stats_late_registration),
        cmocka_unit_test(test_stats_registration_bugs_abort),
        cmocka_unit_test(test_stats_many_epochs),
    };

    return cmocka_run_group_tests_name("stats/stats", tests, NULL, NULL);
}
