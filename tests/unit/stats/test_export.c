/* SPDX-License-Identifier: MIT */
/*
 * Tests for the stats exporters: exact tidy and wide CSV text, JSON syntax (RFC 8259) and
 * content, CSV quoting, number formatting, and atomic replacement of the output file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "stats/stats.h"

#include "stats_test_util.h"

#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* ---- a minimal RFC 8259 syntax checker ---- */

struct jp {
    const char *p;
};

static bool json_value(struct jp *j);

static void json_ws(struct jp *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool json_string(struct jp *j)
{
    if (*j->p++ != '"')
        return false;
    for (;;) {
        unsigned char c = (unsigned char)*j->p++;

        if (c == '"')
            return true;
        if (c < 0x20) /* also the terminating NUL */
            return false;
        if (c != '\\')
            continue;
        c = (unsigned char)*j->p++;
        if (c == 'u') {
            int k;

            for (k = 0; k < 4; k++, j->p++)
                if (!strchr("0123456789abcdefABCDEF", *j->p) || !*j->p)
                    return false;
        } else if (!c || !strchr("\"\\/bfnrt", c)) {
            return false;
        }
    }
}

static bool json_number(struct jp *j)
{
    if (*j->p == '-')
        j->p++;
    if (*j->p == '0')
        j->p++;
    else if (is_digit(*j->p))
        while (is_digit(*j->p))
            j->p++;
    else
        return false;
    if (*j->p == '.') {
        j->p++;
        if (!is_digit(*j->p))
            return false;
        while (is_digit(*j->p))
            j->p++;
    }
    if (*j->p == 'e' || *j->p == 'E') {
        j->p++;
        if (*j->p == '+' || *j->p == '-')
            j->p++;
        if (!is_digit(*j->p))
            return false;
        while (is_digit(*j->p))
            j->p++;
    }
    return true;
}

/* A comma-separated sequence closed by @close; @member parses one element. */
static bool json_seq(struct jp *j, char close, bool is_object)
{
    j->p++;
    json_ws(j);
    if (*j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        json_ws(j);
        if (is_object) {
            if (!json_string(j))
                return false;
            json_ws(j);
            if (*j->p++ != ':')
                return false;
        }
        if (!json_value(j))
            return false;
        json_ws(j);
        if (*j->p == close) {
            j->p++;
            return true;
        }
        if (*j->p++ != ',')
            return false;
    }
}

static bool json_value(struct jp *j)
{
    json_ws(j);
    switch (*j->p) {
    case '{':
        return json_seq(j, '}', true);
    case '[':
        return json_seq(j, ']', false);
    case '"':
        return json_string(j);
    case 't':
        return strncmp(j->p, "true", 4) == 0 && (j->p += 4);
    case 'f':
        return strncmp(j->p, "false", 5) == 0 && (j->p += 5);
    case 'n':
        return strncmp(j->p, "null", 4) == 0 && (j->p += 4);
    default:
        return json_number(j);
    }
}

static bool json_is_valid(const char *text)
{
    struct jp j = {text};

    if (!json_value(&j))
        return false;
    json_ws(&j);
    return *j.p == '\0';
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("'%s' missing from:\n%s", needle, text);
}

/* ---- a small fixed run used by several tests ---- */

struct small_run {
    struct stats *s;
    u64 hits;
    double lat_ns;
    struct stats_hist h;
};

/*
 * cpu0.hits: 3 then +7. node1.lat_ns: 80 then 92.5. cpu0.lat over [0,4) in 4 buckets:
 * samples 0,1,2,3 in epoch 0, then 2 in epoch 1.
 */
static void small_run_build(struct small_run *r, const char *run_name)
{
    struct stats_group *cpu, *node;
    u64 v;

    r->s = stats_create(run_name);
    cpu = stats_group_new(stats_root(r->s), "cpu0");
    node = stats_group_new(stats_root(r->s), "node1");
    r->hits = 0;
    r->lat_ns = 0;
    stats_counter(cpu, "hits", &r->hits, "count", "lookups that hit");
    stats_gauge(node, "lat_ns", &r->lat_ns, "ns", "read latency in effect");
    stats_hist(cpu, "lat", &r->h, 0, 4, 4, "cycles", "access latency");

    r->hits = 3;
    r->lat_ns = 80;
    for (v = 0; v < 4; v++)
        stats_hist_add(&r->h, v);
    stats_epoch_end(r->s, 1000);
    r->hits = 10;
    r->lat_ns = 92.5;
    stats_hist_add(&r->h, 2);
    stats_epoch_end(r->s, 2000);
}

static void test_export_tidy_csv_exact(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    char *t;

    (void)state;
    small_run_build(&r, "r");
    scratch_init(&sc);
    assert_true(stats_write_tidy_csv(r.s, scratch_path(&sc, "tidy.csv"), &err));
    assert_false(err.is_set);
    t = read_text(sc.path);
    /*
     * Epoch 0: 4 samples, one per bucket: p50 at rank 2 = 2, p90 at rank 3.6 = 3.6.
     * Epoch 1: 1 sample in [2,3): rank q -> 2 + q. Total: buckets 1,1,2,1 (5 samples, sum 8):
     * rank 2.5 -> 2 + 0.5/2 = 2.25; rank 4.5 -> 3.5; rank 4.95 -> 3.95.
     */
    assert_string_equal(t, "run,region,epoch,time_ns,stat,value\n"
                           "r,all,0,1000,cpu0.hits,3\n"
                           "r,all,0,1000,node1.lat_ns,80\n"
                           "r,all,0,1000,cpu0.lat.samples,4\n"
                           "r,all,0,1000,cpu0.lat.mean,1.5\n"
                           "r,all,0,1000,cpu0.lat.p50,2\n"
                           "r,all,0,1000,cpu0.lat.p90,3.6\n"
                           "r,all,0,1000,cpu0.lat.p99,3.96\n"
                           "r,all,1,2000,cpu0.hits,7\n"
                           "r,all,1,2000,node1.lat_ns,92.5\n"
                           "r,all,1,2000,cpu0.lat.samples,1\n"
                           "r,all,1,2000,cpu0.lat.mean,2\n"
                           "r,all,1,2000,cpu0.lat.p50,2.5\n"
                           "r,all,1,2000,cpu0.lat.p90,2.9\n"
                           "r,all,1,2000,cpu0.lat.p99,2.99\n"
                           "r,all,total,2000,cpu0.hits,10\n"
                           "r,all,total,2000,node1.lat_ns,92.5\n"
                           "r,all,total,2000,cpu0.lat.samples,5\n"
                           "r,all,total,2000,cpu0.lat.mean,1.6\n"
                           "r,all,total,2000,cpu0.lat.p50,2.25\n"
                           "r,all,total,2000,cpu0.lat.p90,3.5\n"
                           "r,all,total,2000,cpu0.lat.p99,3.95\n");
    free(t);
    assert_int_equal(scratch_count(&sc), 1); /* no temporary file left */
    scratch_fini(&sc);
    stats_destroy(r.s);
}

static void test_export_wide_csv_exact(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    char *t;

    (void)state;
    small_run_build(&r, "r");
    stats_region_begin(r.s, "roi-1");
    r.hits += 1;
    stats_epoch_end(r.s, 2500);
    scratch_init(&sc);
    assert_true(stats_write_wide_csv(r.s, scratch_path(&sc, "wide.csv"), &err));
    t = read_text(sc.path);
    assert_string_equal(t, "run,region,epoch,time_ns,cpu0.hits,node1.lat_ns,cpu0.lat.samples,"
                           "cpu0.lat.mean,cpu0.lat.p50,cpu0.lat.p90,cpu0.lat.p99\n"
                           "r,all,0,1000,3,80,4,1.5,2,3.6,3.96\n"
                           "r,all,1,2000,7,92.5,1,2,2.5,2.9,2.99\n"
                           "r,roi-1,0,2500,1,92.5,0,nan,nan,nan,nan\n");
    free(t);
    assert_int_equal(scratch_count(&sc), 1);
    scratch_fini(&sc);
    stats_destroy(r.s);
}

static void test_export_json_valid_and_complete(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    double bad = NAN, inf = INFINITY;
    char *t;

    (void)state;
    small_run_build(&r, "run \"q\"\n\\x\x01");
    stats_gauge(stats_root(r.s), "bad", &bad, "ratio", "a desc with \"quotes\" and \\ and \ttab");
    stats_gauge(stats_root(r.s), "inf", &inf, "ratio", "infinite");
    stats_epoch_end(r.s, 3000);
    stats_region_begin(r.s, "empty"); /* a region without epochs */
    scratch_init(&sc);
    assert_true(stats_write_json(r.s, scratch_path(&sc, "s.json"), &err));
    t = read_text(sc.path);
    if (!json_is_valid(t))
        fail_msg("invalid JSON:\n%s", t);
    assert_contains(t, "\"run\": \"run \\\"q\\\"\\n\\\\x\\u0001\"");
    assert_contains(t, "\"cpu0.hits\": {\"kind\": \"counter\", \"unit\": \"count\", "
                       "\"desc\": \"lookups that hit\"}");
    assert_contains(t, "\"node1.lat_ns\": {\"kind\": \"gauge\", \"unit\": \"ns\"");
    assert_contains(t, "\"cpu0.lat\": {\"kind\": \"histogram\", \"unit\": \"cycles\", "
                       "\"desc\": \"access latency\", \"lo\": 0, \"hi\": 4, \"n_buckets\": 4}");
    assert_contains(t, "\"desc\": \"a desc with \\\"quotes\\\" and \\\\ and \\ttab\"");
    assert_contains(t, "{\"name\": \"all\", \"time_ns\": 3000");
    assert_contains(t, "{\"epoch\": 0, \"time_ns\": 1000, \"values\": {\"cpu0.hits\": 3, "
                       "\"node1.lat_ns\": 80, \"cpu0.lat.samples\": 4, \"cpu0.lat.mean\": 1.5, "
                       "\"cpu0.lat.p50\": 2, \"cpu0.lat.p90\": 3.6, \"cpu0.lat.p99\": 3.96, "
                       "\"cpu0.lat.underflow\": 0, \"cpu0.lat.overflow\": 0, "
                       "\"cpu0.lat.buckets\": [1,1,1,1]}}");
    /* the gauges registered late are absent from epochs 0 and 1, present in epoch 2 */
    assert_contains(t, "\"cpu0.lat.buckets\": [0,0,1,0]}}");
    assert_contains(t, "{\"epoch\": 2, \"time_ns\": 3000, \"values\": {\"cpu0.hits\": 0, ");
    assert_contains(t, "\"bad\": null, \"inf\": null}}");
    assert_contains(t, "\"total\": {\"cpu0.hits\": 10, ");
    assert_contains(t, "\"cpu0.lat.buckets\": [1,1,2,1], \"bad\": null, \"inf\": null}");
    assert_contains(t, "{\"name\": \"empty\", \"time_ns\": null,\n     \"total\": {},\n"
                       "     \"epochs\": []}");
    free(t);
    scratch_fini(&sc);
    stats_destroy(r.s);
}

static void test_export_json_empty_registry(void **state)
{
    struct stats *s = stats_create("e");
    struct scratch sc;
    struct emu_err err = {0};
    char *t;

    (void)state;
    scratch_init(&sc);
    assert_true(stats_write_json(s, scratch_path(&sc, "e.json"), &err));
    t = read_text(sc.path);
    assert_true(json_is_valid(t));
    assert_string_equal(t, "{\n  \"run\": \"e\",\n  \"stats\": {},\n  \"regions\": []\n}\n");
    free(t);
    /* the checker itself refuses broken text */
    assert_false(json_is_valid("{\"a\": 1,}"));
    assert_false(json_is_valid("{\"a\": nan}"));
    assert_false(json_is_valid("{\"a\": \"x\ny\"}"));
    assert_false(json_is_valid("[1, 2"));
    scratch_fini(&sc);
    stats_destroy(s);
}

static void test_export_csv_quotes_names(void **state)
{
    struct stats *s = stats_create("a,b");
    struct scratch sc;
    struct emu_err err = {0};
    u64 c = 1;
    char *t;

    (void)state;
    stats_counter(stats_root(s), "c", &c, "count", "c");
    stats_region_begin(s, "say \"hi\"");
    stats_epoch_end(s, 5);
    scratch_init(&sc);
    assert_true(stats_write_tidy_csv(s, scratch_path(&sc, "q.csv"), &err));
    t = read_text(sc.path);
    assert_string_equal(t, "run,region,epoch,time_ns,stat,value\n"
                           "\"a,b\",\"say \"\"hi\"\"\",0,5,c,0\n"
                           "\"a,b\",\"say \"\"hi\"\"\",total,5,c,0\n");
    free(t);
    assert_true(stats_write_wide_csv(s, scratch_path(&sc, "q.csv"), &err));
    t = read_text(sc.path);
    assert_string_equal(t, "run,region,epoch,time_ns,c\n"
                           "\"a,b\",\"say \"\"hi\"\"\",0,5,0\n");
    free(t);
    scratch_fini(&sc);
    stats_destroy(s);
}

/* Doubles print with the fewest digits that read back exactly; u64 counters in full. */
static void test_export_number_formats(void **state)
{
    static const double vals[] = {0.1, 1.0 / 3, 2.0 / 3, 1e300, -2.5e-300, 123456789.125, 0};
    struct stats *s = stats_create("r");
    double g[ARRAY_LEN(vals)], ninf = -INFINITY;
    u64 big = UINT64_MAX;
    struct scratch sc;
    struct emu_err err = {0};
    char name[8], *t, *p;
    size_t i;

    (void)state;
    stats_counter(stats_root(s), "big", &big, "count", "largest u64");
    for (i = 0; i < ARRAY_LEN(vals); i++) {
        g[i] = vals[i];
        snprintf(name, sizeof(name), "g%zu", i);
        stats_gauge(stats_root(s), name, &g[i], "x", "a double");
    }
    stats_gauge(stats_root(s), "ninf", &ninf, "x", "minus infinity");
    stats_epoch_end(s, 1);
    scratch_init(&sc);
    assert_true(stats_write_wide_csv(s, scratch_path(&sc, "n.csv"), &err));
    t = read_text(sc.path);
    p = strchr(t, '\n') + 1;
    assert_int_equal(strncmp(p, "r,all,0,1,18446744073709551615,0.1,", 35), 0);
    p += 35;
    for (i = 1; i < ARRAY_LEN(vals); i++) {
        char *end;

        assert_true(strtod(p, &end) == vals[i]);
        assert_true(*end == ',');
        p = end + 1;
    }
    assert_string_equal(p, "-inf\n");
    assert_non_null(strstr(t, ",0.3333333333333333,")); /* 16 digits suffice for 1/3 */
    free(t);
    scratch_fini(&sc);
    stats_destroy(s);
}

static void test_export_missing_directory_fails_cleanly(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    char path[200];

    (void)state;
    small_run_build(&r, "r");
    scratch_init(&sc);
    snprintf(path, sizeof(path), "%s/no/such/dir/out.csv", sc.dir);
    assert_false(stats_write_tidy_csv(r.s, path, &err));
    assert_true(err.is_set);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "No such file or directory"));
    err_clear(&err);
    assert_false(stats_write_wide_csv(r.s, path, &err));
    assert_true(err.is_set);
    err_clear(&err);
    assert_false(stats_write_json(r.s, path, &err));
    assert_true(err.is_set);
    assert_int_equal(scratch_count(&sc), 0);
    scratch_fini(&sc);
    stats_destroy(r.s);
}

static void test_export_replaces_existing_file_on_success(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    char *t;

    (void)state;
    small_run_build(&r, "r");
    scratch_init(&sc);
    write_text(scratch_path(&sc, "out.json"), "old contents\n");
    assert_true(stats_write_json(r.s, sc.path, &err));
    t = read_text(sc.path);
    assert_true(json_is_valid(t));
    free(t);
    assert_int_equal(scratch_count(&sc), 1);
    scratch_fini(&sc);
    stats_destroy(r.s);
}

/* The rename cannot replace a directory: the write fails after writing, leaving no trace. */
static void test_export_failed_rename_keeps_target(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    char keep[200], *t;

    (void)state;
    small_run_build(&r, "r");
    scratch_init(&sc);
    assert_int_equal(mkdir(scratch_path(&sc, "out.csv"), 0755), 0);
    snprintf(keep, sizeof(keep), "%s/keep", sc.path);
    write_text(keep, "kept\n");
    assert_false(stats_write_tidy_csv(r.s, sc.path, &err));
    assert_true(err.is_set);
    assert_non_null(strstr(err.msg, "out.csv"));
    t = read_text(keep);
    assert_string_equal(t, "kept\n");
    free(t);
    assert_int_equal(scratch_count(&sc), 1); /* only the directory itself */
    scratch_fini(&sc);
    stats_destroy(r.s);
}

/* A write error (file size limit) part-way: the old file survives, no temporary remains. */
static void test_export_write_error_keeps_old_file(void **state)
{
    struct small_run r;
    struct scratch sc;
    struct emu_err err = {0};
    struct rlimit old, lim;
    void (*old_handler)(int);
    bool ok;
    char *t;

    (void)state;
    small_run_build(&r, "r");
    scratch_init(&sc);
    write_text(scratch_path(&sc, "out.csv"), "old\n");

    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 64; /* the tidy CSV of the small run is several hundred bytes */
    old_handler = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    ok = stats_write_tidy_csv(r.s, sc.path, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);

    assert_false(ok);
    assert_true(err.is_set);
    assert_non_null(strstr(err.msg, "cannot write"));
    t = read_text(sc.path);
    assert_string_equal(t, "old\n");
    free(t);
    assert_int_equal(scratch_count(&sc), 1);
    scratch_fini(&sc);
    stats_destroy(r.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_tidy_csv_exact),
        cmocka_unit_test(test_export_wide_csv_exact),
        cmocka_unit_test(test_export_json_valid_and_complete),
        cmocka_unit_test(test_export_json_empty_registry),
        cmocka_unit_test(test_export_csv_quotes_names),
        cmocka_unit_test(test_export_number_formats),
        cmocka_unit_test(test_export_missing_directory_fails_cleanly),
        cmocka_unit_test(test_export_replaces_existing_file_on_success),
        cmocka_unit_test(test_export_failed_rename_keeps_target),
        cmocka_unit_test(test_export_write_error_keeps_old_file),
    };

    return cmocka_run_group_tests_name("stats/export", tests, NULL, NULL);
}
