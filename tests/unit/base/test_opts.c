/* SPDX-License-Identifier: MIT */
/* Tests for base/opts: QEMU-style option splitting, typed values and refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base/opts.h"

#include <string.h>

struct sample {
    u64 mem_bytes;
    u32 nodeid;
    bool has_nodeid;
    u64 cpus[OPTS_CPU_WORDS];
    char type[16];
    double lat;
    bool flag;
};

static const struct opts_desc sample_descs[] = {
    {"type", OPT_STR, offsetof(struct sample, type), 16, OPT_REQUIRED, 0},
    {"mem", OPT_SIZE, offsetof(struct sample, mem_bytes), MiB, 0, 0},
    {"nodeid", OPT_U32, offsetof(struct sample, nodeid), 0, 0, offsetof(struct sample, has_nodeid)},
    {"cpus", OPT_CPUS, offsetof(struct sample, cpus), 0, 0, 0},
    {"lat", OPT_DOUBLE, offsetof(struct sample, lat), 0, 0, 0},
    {"flag", OPT_BOOL, offsetof(struct sample, flag), 0, 0, 0},
};

static bool parse(const char *text, struct sample *s, struct emu_err *err)
{
    struct opts_list l;
    bool ok;

    memset(s, 0, sizeof(*s));
    err_clear(err);
    if (!opts_split(text, "type", &l, err))
        return false;
    ok = opts_apply(&l, sample_descs, sizeof(sample_descs) / sizeof(sample_descs[0]), s, "-numa",
                    err);
    opts_free(&l);
    return ok;
}

static void test_opts_numa_node(void **state)
{
    struct sample s;
    struct emu_err err;

    (void)state;
    assert_true(parse("node,mem=1G,cpus=0-1,cpus=4,nodeid=1,lat=2.5,flag=on", &s, &err));
    assert_string_equal(s.type, "node");
    assert_int_equal(s.mem_bytes, 1ull << 30);
    assert_int_equal(s.nodeid, 1);
    assert_true(s.has_nodeid);
    assert_int_equal(s.cpus[0], 0x13);
    assert_true(s.lat == 2.5);
    assert_true(s.flag);
}

static void test_opts_bare_size_uses_unit(void **state)
{
    struct sample s;
    struct emu_err err;

    (void)state;
    assert_true(parse("node,mem=2048", &s, &err));
    assert_int_equal(s.mem_bytes, 2048ull << 20);
    assert_false(s.has_nodeid);
}

static void test_opts_refusals(void **state)
{
    struct sample s;
    struct emu_err err;

    (void)state;
    assert_false(parse("node,bogus=1", &s, &err));
    assert_non_null(strstr(err.msg, "unknown parameter 'bogus'"));
    assert_false(parse("node,mem=1X", &s, &err));
    assert_non_null(strstr(err.msg, "mem"));
    assert_false(parse("node,mem=1G,mem=2G", &s, &err));
    assert_non_null(strstr(err.msg, "twice"));
    assert_false(parse("node,cpus=3-1", &s, &err));
    assert_false(parse("node,cpus=a", &s, &err));
    assert_false(parse("node,nodeid=-1", &s, &err));
    assert_false(parse("node,", &s, &err));
    assert_false(parse("node,=3", &s, &err));
    assert_false(parse("node,flag=maybe", &s, &err));
    assert_false(parse("mem=1G", &s, &err));
    assert_non_null(strstr(err.msg, "'type' is required"));
    assert_false(parse("", &s, &err));
}

static void test_opts_comma_escape(void **state)
{
    struct opts_list l;
    struct emu_err err;

    (void)state;
    assert_true(opts_split("file,path=a,,b,x=1", NULL, &l, &err) == false);
    assert_true(opts_split("path=a,,b,x=1", NULL, &l, &err));
    assert_string_equal(opts_get(&l, "path"), "a,b");
    assert_string_equal(opts_get(&l, "x"), "1");
    assert_true(opts_check_unused(&l, "t", &err));
    opts_free(&l);
}

static void test_opts_sizes(void **state)
{
    u64 v;
    struct emu_err err;

    (void)state;
    assert_true(opts_parse_size("4K", 1, &v, &err));
    assert_int_equal(v, 4096);
    assert_true(opts_parse_size("3GiB", 1, &v, &err));
    assert_int_equal(v, 3ull << 30);
    assert_true(opts_parse_size("16", MiB, &v, &err));
    assert_int_equal(v, 16ull << 20);
    assert_false(opts_parse_size("99999999999999999999", 1, &v, &err));
    assert_false(opts_parse_size("20000000000T", 1, &v, &err));
    assert_false(opts_parse_size("-1G", 1, &v, &err));
    assert_false(opts_parse_size("1Gx", 1, &v, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opts_numa_node), cmocka_unit_test(test_opts_bare_size_uses_unit),
        cmocka_unit_test(test_opts_refusals),  cmocka_unit_test(test_opts_comma_escape),
        cmocka_unit_test(test_opts_sizes),
    };
    return cmocka_run_group_tests_name("base/opts", tests, NULL, NULL);
}
