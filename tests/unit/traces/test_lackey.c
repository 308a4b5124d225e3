/* SPDX-License-Identifier: MIT */
/* Tests for traces/lackey: a literal lackey sample (I/L/S/M, Valgrind messages), instruction
 * counting, fetch records, large accesses, malformed lines, and import into a trace file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "traces/lackey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char sample[] = "==4242== Lackey, an example Valgrind tool\n"
                             "==4242== Command: /bin/true\n"
                             "==4242== \n"
                             "I  0400d7d4,3\n"
                             " L 04222cac,4\n"
                             "I  0400d7d7,5\n"
                             "I  0400d7dc,2\n"
                             " S 04222cb0,8\n"
                             " M 0421e8f0,4\n"
                             "I  0400d7de,4\n"
                             " L 7ff0001000,100\n"
                             "I  0400d7e2,1\n"
                             "==4242== guest instrs:  5\n";

/* Parses every line of @text; returns the number of records. */
static size_t parse_all(struct lackey_parser *lp, const char *text, struct trace_rec *out,
                        size_t cap)
{
    const char *p = text;
    size_t n = 0;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        struct trace_rec recs[LACKEY_MAX_LINE_RECS];
        struct emu_err err = {0};
        int got = lackey_parse_line(lp, p, len, recs, &err);

        assert_true(got >= 0);
        assert_true(n + (size_t)got <= cap);
        memcpy(out + n, recs, (size_t)got * sizeof(*recs));
        n += (size_t)got;
        p += len;
    }
    return n;
}

static void expect_rec(const struct trace_rec *r, u64 va, u8 size, enum trace_kind kind, u32 icount)
{
    assert_int_equal(r->va, va);
    assert_int_equal(r->size, size);
    assert_int_equal(r->kind, kind);
    assert_int_equal(r->icount_delta, icount);
    assert_int_equal(r->pa, 0);
    assert_int_equal(r->cpu, 0);
}

static void test_lackey_sample_data_only(void **state)
{
    struct lackey_parser lp;
    struct trace_rec v[32];
    size_t n;

    (void)state;
    lackey_parser_init(&lp, NULL);
    n = parse_all(&lp, sample, v, ARRAY_LEN(v));
    assert_int_equal(n, 6);
    expect_rec(&v[0], 0x04222cac, 4, TRACE_READ, 1);
    expect_rec(&v[1], 0x04222cb0, 8, TRACE_WRITE, 2);
    expect_rec(&v[2], 0x0421e8f0, 4, TRACE_READ, 0); /* M: load then store, same instruction */
    expect_rec(&v[3], 0x0421e8f0, 4, TRACE_WRITE, 0);
    expect_rec(&v[4], 0x7ff0001000, 64, TRACE_READ, 1); /* 100 bytes: 64 + 36 */
    expect_rec(&v[5], 0x7ff0001040, 36, TRACE_READ, 0);
    assert_int_equal(lp.counts.lines, 13);
    assert_int_equal(lp.counts.messages, 4);
    assert_int_equal(lp.counts.instructions, 5);
    assert_int_equal(lp.counts.loads, 2);
    assert_int_equal(lp.counts.stores, 1);
    assert_int_equal(lp.counts.modifies, 1);
    assert_int_equal(lp.counts.records, 6);
    assert_int_equal(lp.pending_insns, 1); /* the last instruction has no data access */
}

static void test_lackey_sample_with_fetches(void **state)
{
    struct lackey_opts o = {.keep_fetches = true};
    struct lackey_parser lp;
    struct trace_rec v[32];
    u64 sum = 0;
    size_t n;

    (void)state;
    lackey_parser_init(&lp, &o);
    n = parse_all(&lp, sample, v, ARRAY_LEN(v));
    assert_int_equal(n, 11);
    expect_rec(&v[0], 0x0400d7d4, 3, TRACE_FETCH, 1);
    expect_rec(&v[1], 0x04222cac, 4, TRACE_READ, 0);
    expect_rec(&v[2], 0x0400d7d7, 5, TRACE_FETCH, 1);
    expect_rec(&v[3], 0x0400d7dc, 2, TRACE_FETCH, 1);
    expect_rec(&v[4], 0x04222cb0, 8, TRACE_WRITE, 0);
    expect_rec(&v[5], 0x0421e8f0, 4, TRACE_READ, 0);
    expect_rec(&v[6], 0x0421e8f0, 4, TRACE_WRITE, 0);
    expect_rec(&v[7], 0x0400d7de, 4, TRACE_FETCH, 1);
    expect_rec(&v[10], 0x0400d7e2, 1, TRACE_FETCH, 1);
    for (size_t i = 0; i < n; i++)
        sum += v[i].icount_delta;
    assert_int_equal(sum, lp.counts.instructions);
}

static void expect_bad(const char *line, u64 line_no, const char *needle)
{
    struct lackey_parser lp;
    struct trace_rec recs[LACKEY_MAX_LINE_RECS];
    struct emu_err err = {0};
    char want[32];

    lackey_parser_init(&lp, NULL);
    for (u64 i = 1; i < line_no; i++)
        assert_int_equal(lackey_parse_line(&lp, "I  1000,4\n", 10, recs, &err), 0);
    assert_int_equal(lackey_parse_line(&lp, line, strlen(line), recs, &err), -1);
    assert_true(err.is_set);
    snprintf(want, sizeof(want), "line %llu:", (unsigned long long)line_no);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, needle));
    assert_null(strchr(err.msg, '\n'));
}

static void test_lackey_bad_lines(void **state)
{
    (void)state;
    expect_bad("X 1234,4\n", 3, "not a lackey record");
    expect_bad(" Q 1234,4\n", 1, "not a lackey record");
    expect_bad(" L 12zz,4\n", 2, "malformed access");
    expect_bad(" L 1234\n", 1, "malformed access");
    expect_bad(" L 1234,\n", 1, "malformed access");
    expect_bad(" L 1234,0\n", 1, "malformed access");
    expect_bad(" L 1234,4 junk\n", 1, "malformed access");
    expect_bad(" S 12345678901234567,8\n", 1, "malformed access"); /* 17 hex digits */
    expect_bad(" S 1234,5000\n", 1, "malformed access");
    expect_bad("I  1234,300\n", 7, "size 1..255");
    expect_bad("==12 oops\n", 1, "not a lackey record");
}

static void test_lackey_import_to_trace(void **state)
{
    char dir[] = "/tmp/terrace-test-lackey-XXXXXX", path[64];
    struct lackey_opts o = {.keep_fetches = false};
    struct lackey_counts c;
    struct emu_err err = {0};
    struct trace_writer *w;
    struct trace_reader *r;
    const struct trace_rec *b;
    FILE *in;
    const char bad[] = "I  1000,4\n L 2000,8\n L nothex,8\n";

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/l.trc", dir);
    in = fmemopen((void *)sample, strlen(sample), "r");
    assert_non_null(in);
    w = trace_writer_open(path, NULL, &err);
    assert_non_null(w);
    assert_true(lackey_import(in, "sample.txt", w, &o, &c, &err));
    fclose(in);
    assert_true(trace_writer_close(w, &err));
    assert_int_equal(c.records, 6);
    r = trace_reader_open(path, &err);
    assert_non_null(r);
    assert_int_equal(trace_reader_next(r, &b, &err), 6);
    expect_rec(&b[1], 0x04222cb0, 8, TRACE_WRITE, 2);
    expect_rec(&b[5], 0x7ff0001040, 36, TRACE_READ, 0);
    assert_int_equal(trace_reader_next(r, &b, &err), 0);
    assert_false(err.is_set);
    trace_reader_close(r);
    unlink(path);

    in = fmemopen((void *)bad, strlen(bad), "r");
    assert_non_null(in);
    w = trace_writer_open(path, NULL, &err);
    assert_non_null(w);
    assert_false(lackey_import(in, "bad.txt", w, &o, &c, &err));
    assert_non_null(strstr(err.msg, "bad.txt: line 3: malformed access"));
    fclose(in);
    trace_writer_abort(w);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lackey_sample_data_only),
        cmocka_unit_test(test_lackey_sample_with_fetches),
        cmocka_unit_test(test_lackey_bad_lines),
        cmocka_unit_test(test_lackey_import_to_trace),
    };

    return cmocka_run_group_tests_name("traces/lackey", tests, NULL, NULL);
}
