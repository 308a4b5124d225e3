/* SPDX-License-Identifier: MIT */
/* Tests for traces/replay: placement, page-table building, fault handling and counts that can
 * be worked out by hand for simple traces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "traces/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BASE_VA 0x7f0000000000ull /* 1 GiB aligned: the pages share upper tables */

struct fixture {
    char path[64];
    struct numa_topology *topo;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    int fd;

    strcpy(f->path, "/tmp/terrace-replay-test-XXXXXX");
    fd = mkstemp(f->path);
    if (fd < 0)
        return -1;
    close(fd);
    f->topo = calloc(1, sizeof(*f->topo));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    unlink(f->path);
    free(f->topo);
    free(f);
    return 0;
}

/* Two nodes of 64 MiB; node 0 has the CPUs. */
static void make_topo(struct numa_topology *t, unsigned n_cpus)
{
    struct emu_err err = {0};
    char smp[8];

    snprintf(smp, sizeof(smp), "%u", n_cpus);
    topo_init(t);
    assert_true(topo_parse_m(t, "128M", &err));
    assert_true(topo_parse_smp(t, smp, &err));
    assert_true(
        topo_parse_numa(t, n_cpus == 1 ? "node,mem=64M,cpus=0" : "node,mem=64M,cpus=0-1", &err));
    assert_true(topo_parse_numa(t, "node,mem=64M", &err));
    assert_true(topo_finalize(t, &err));
}

/* @n_pages pages read sequentially, 8 bytes at a time, every byte of every page. */
static void write_stream(const char *path, u64 n_pages, u16 n_cpus)
{
    struct emu_err err = {0};
    struct trace_writer_opts o = {.codec = TRACE_CODEC_LZ4, .n_cpus = n_cpus};
    struct trace_writer *w = trace_writer_open(path, &o, &err);

    assert_non_null(w);
    for (u64 i = 0; i < n_pages * 512; i++) {
        struct trace_rec r = {.va = BASE_VA + i * 8,
                              .size = 8,
                              .kind = TRACE_READ,
                              .icount_delta = 4,
                              .cpu = (u16)(i % n_cpus)};
        assert_true(trace_writer_add(w, &r, &err));
    }
    assert_true(trace_writer_close(w, &err));
}

static u64 stat(struct replay *r, const char *name)
{
    u64 v = ~0ull;

    assert_true(stats_lookup_u64(replay_stats(r), name, &v));
    return v;
}

static struct replay *run(struct fixture *f, enum replay_placement pl, enum page_size ps)
{
    struct emu_err err = {0};
    struct replay_config cfg;
    struct trace_reader *tr;
    struct replay *r;

    replay_config_default(&cfg, f->topo);
    cfg.placement = pl;
    cfg.place_node = 1; /* used by REPLAY_BIND only */
    cfg.page_size = ps;
    r = replay_create(&cfg, &err);
    assert_non_null(r);
    tr = trace_reader_open(f->path, &err);
    assert_non_null(tr);
    assert_true(replay_run(r, tr, &err));
    trace_reader_close(tr);
    return r;
}

static void test_replay_first_touch_counts(void **state)
{
    struct fixture *f = *state;
    struct replay *r;

    make_topo(f->topo, 1);
    write_stream(f->path, 1000, 1);
    r = run(f, REPLAY_FIRST_TOUCH, PAGE_4K);
    assert_int_equal(stat(r, "replay.records"), 512000);
    assert_int_equal(stat(r, "replay.instructions"), 4 * 512000);
    assert_int_equal(stat(r, "replay.page_faults"), 1000);
    /* 1000 data pages + PML4 + PDPT + PD + 2 page tables (1000 PTEs span two tables). */
    assert_int_equal(stat(r, "replay.node0.pages"), 1005);
    assert_int_equal(stat(r, "replay.node1.pages"), 0);
    /* A first touch is a faulting walk, then the retried access walks again: 2 per page; the
     * other 511 accesses of a page hit the L1 DTLB. */
    assert_int_equal(stat(r, "cpu0.walk.count"), 2000);
    assert_int_equal(stat(r, "cpu0.walk.faults"), 1000);
    assert_int_equal(stat(r, "cpu0.dtlb.l1.misses"), 2000);
    assert_int_equal(stat(r, "cpu0.dtlb.l1.hits"), 511 * 1000);
    /* Every 64-byte line is missed once in L1D: 8 reads per line. */
    assert_int_equal(stat(r, "cpu0.l1d.misses") > 0, 1);
    assert_true(stat(r, "replay.time_ns") > 0);
    replay_destroy(r);
}

static void test_replay_interleave_halves(void **state)
{
    struct fixture *f = *state;
    struct replay *r;

    make_topo(f->topo, 1);
    write_stream(f->path, 1000, 1);
    r = run(f, REPLAY_INTERLEAVE, PAGE_4K);
    /* Data pages alternate; page tables stay with the CPU's node. */
    assert_int_equal(stat(r, "replay.node0.pages"), 505);
    assert_int_equal(stat(r, "replay.node1.pages"), 500);
    replay_destroy(r);
}

static void test_replay_bind_and_fallback(void **state)
{
    struct fixture *f = *state;
    struct replay *r;

    make_topo(f->topo, 1);
    /* 20000 pages = 78 MiB: node 1 (64 MiB = 16384 frames) fills, the rest goes to node 0. */
    write_stream(f->path, 20000, 1);
    r = run(f, REPLAY_BIND, PAGE_4K);
    assert_int_equal(stat(r, "replay.node1.pages"), 16384);
    /* 20000 - 16384 data pages + PML4 + PDPT + PD + 40 page tables. */
    assert_int_equal(stat(r, "replay.node0.pages"), 20000 - 16384 + 3 + 40);
    replay_destroy(r);
}

static void test_replay_huge_pages(void **state)
{
    struct fixture *f = *state;
    struct replay *r;

    make_topo(f->topo, 1);
    write_stream(f->path, 1024, 1); /* 4 MiB: exactly two 2 MiB pages */
    r = run(f, REPLAY_FIRST_TOUCH, PAGE_2M);
    assert_int_equal(stat(r, "replay.page_faults"), 2);
    assert_int_equal(stat(r, "replay.node0.pages"), 2 * 512 + 3);
    assert_int_equal(stat(r, "cpu0.walk.count"), 4);
    replay_destroy(r);
}

static void test_replay_two_cpus(void **state)
{
    struct fixture *f = *state;
    struct replay *r;

    make_topo(f->topo, 2);
    write_stream(f->path, 10, 2);
    r = run(f, REPLAY_FIRST_TOUCH, PAGE_4K);
    assert_int_equal(stat(r, "replay.records"), 5120);
    /* Both CPUs touch every page: each fills its own TLB. */
    assert_int_equal(stat(r, "replay.page_faults"), 10);
    assert_int_equal(stat(r, "cpu0.dtlb.l1.hits") + stat(r, "cpu1.dtlb.l1.hits") +
                         stat(r, "cpu0.dtlb.l1.misses") + stat(r, "cpu1.dtlb.l1.misses"),
                     5120 + 10);
    replay_destroy(r);
}

static void test_replay_refusals(void **state)
{
    struct fixture *f = *state;
    struct emu_err err = {0};
    struct replay_config cfg;
    struct trace_reader *tr;
    struct replay *r;

    /* A trace with more CPUs than the machine. */
    make_topo(f->topo, 1);
    write_stream(f->path, 1, 2);
    replay_config_default(&cfg, f->topo);
    r = replay_create(&cfg, &err);
    assert_non_null(r);
    tr = trace_reader_open(f->path, &err);
    assert_non_null(tr);
    assert_false(replay_run(r, tr, &err));
    assert_non_null(strstr(err.msg, "CPUs"));
    trace_reader_close(tr);
    replay_destroy(r);

    /* A footprint larger than guest memory (128 MiB). */
    err_clear(&err);
    write_stream(f->path, 40000, 1);
    replay_config_default(&cfg, f->topo);
    r = replay_create(&cfg, &err);
    tr = trace_reader_open(f->path, &err);
    assert_false(replay_run(r, tr, &err));
    assert_non_null(strstr(err.msg, "more memory than the guest has"));
    trace_reader_close(tr);
    replay_destroy(r);

    /* Bad placement strings and nodes. */
    assert_false(replay_placement_parse("nearest", &cfg, &err));
    assert_true(replay_placement_parse("node=1", &cfg, &err));
    cfg.place_node = 7;
    assert_null(replay_create(&cfg, &err));
    assert_non_null(strstr(err.msg, "no memory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replay_first_touch_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_interleave_halves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_bind_and_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_huge_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_two_cpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replay_refusals, setup, teardown),
    };
    return cmocka_run_group_tests_name("traces/replay", tests, NULL, NULL);
}
