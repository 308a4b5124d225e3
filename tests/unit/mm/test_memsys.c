/* SPDX-License-Identifier: MIT */
/* Tests for mm/memsys: latency per level, node attribution through physmem, the writeback
 * cascade down to the right node, split lines, fetches, walks, caches off, epochs and stats. */
#include "mm/memsys.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define NODE0_RD_NS 100.0
#define NODE0_WR_NS 150.0
#define NODE1_RD_NS 300.0
#define NODE1_WR_NS 400.0
#define NODE1_BASE  (1 * MiB)

/* Latencies in cycles of the small test hierarchy (1 GHz: one cycle per ns). */
enum { L1I_LAT = 3, L1D_LAT = 4, L2_LAT = 12, LLC_LAT = 40 };

struct fixture {
    struct physmem *pm;
    struct tier_state tiers[2];
    struct memsys *ms;
    struct memsys_config cfg;
};

static void set_cache(struct cache_config *c, const char *name, u64 size_bytes, u32 ways, u32 lat)
{
    memset(c, 0, sizeof(*c));
    strcpy(c->name, name);
    c->size_bytes = size_bytes;
    c->ways = ways;
    c->line_bytes = 64;
    c->hit_lat_cycles = lat;
}

/* L1I 1 KiB 2-way, L1D 1 KiB 2-way (8 sets), L2 4 KiB 4-way (16 sets), LLC 16 KiB 4-way
 * (64 sets): lines whose numbers are equal modulo 64 share a set at every level. */
static void small_config(struct memsys_config *cfg, u32 n_cpus)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->n_cpus = n_cpus;
    cfg->cpu_ghz = 1.0;
    set_cache(&cfg->l1i, "l1i", 1 * KiB, 2, L1I_LAT);
    set_cache(&cfg->l1d, "l1d", 1 * KiB, 2, L1D_LAT);
    set_cache(&cfg->l2, "l2", 4 * KiB, 4, L2_LAT);
    set_cache(&cfg->llc, "llc", 16 * KiB, 4, LLC_LAT);
}

static void tier_params_make(struct tier_params *p, const char *name, double rd, double wr,
                             double peak_gbps)
{
    memset(p, 0, sizeof(*p));
    strcpy(p->name, name);
    p->rd_lat_ns = rd;
    p->wr_lat_ns = wr;
    p->peak_bw_gbps = peak_gbps;
}

/* Two nodes of 1 MiB each: node 0 at [0, 1 MiB), node 1 at [1 MiB, 2 MiB). */
static struct fixture *fixture_new(const struct memsys_config *cfg)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct numa_topology *t = calloc(1, sizeof(*t));
    struct tier_params p;
    struct emu_err err = {0};

    assert_non_null(f);
    assert_non_null(t);
    t->n_nodes = 2;
    for (u32 i = 0; i < 2; i++) {
        t->nodes[i].mem_bytes = 1 * MiB;
        t->nodes[i].memdev = -1;
    }
    f->pm = physmem_create(t, NULL, &err);
    free(t);
    assert_non_null(f->pm);
    tier_params_make(&p, "fast", NODE0_RD_NS, NODE0_WR_NS, 0);
    tier_init(&f->tiers[0], &p);
    tier_params_make(&p, "slow", NODE1_RD_NS, NODE1_WR_NS, 0);
    tier_init(&f->tiers[1], &p);
    f->cfg = *cfg;
    f->ms = memsys_create(&f->cfg, f->pm, f->tiers, 2, &err);
    assert_false(err.is_set);
    assert_non_null(f->ms);
    return f;
}

static void fixture_free(struct fixture *f)
{
    memsys_destroy(f->ms);
    physmem_destroy(f->pm);
    free(f);
}

static struct fixture *small_fixture(u32 n_cpus)
{
    struct memsys_config cfg;

    small_config(&cfg, n_cpus);
    return fixture_new(&cfg);
}

/* A miss everywhere costs the tier latency (end to end); then L1, L2 and LLC hits cost their
 * own load-to-use latency. */
static void test_memsys_latency_per_level(void **state)
{
    struct fixture *f = small_fixture(2);
    struct memsys *ms = f->ms;
    gpa_t x = 0x2000;

    assert_int_equal(memsys_access(ms, 0, x, 8, ACCESS_READ), 100);
    assert_int_equal(ms->cpus[0].l1d.n_misses, 1);
    assert_int_equal(ms->cpus[0].l2.n_misses, 1);
    assert_int_equal(ms->llc.n_misses, 1);
    assert_int_equal(f->tiers[0].n_reads, 1);
    assert_int_equal(f->tiers[0].read_bytes, 64);

    assert_int_equal(memsys_access(ms, 0, x + 56, 8, ACCESS_READ), L1D_LAT);
    /* Two more lines in x's L1 set (8 sets: 512 bytes apart) push x out of L1 only. */
    memsys_access(ms, 0, x + 512, 8, ACCESS_READ);
    memsys_access(ms, 0, x + 1024, 8, ACCESS_READ);
    assert_int_equal(memsys_access(ms, 0, x, 8, ACCESS_READ), L2_LAT);
    /* Another CPU: its private caches miss, the shared LLC hits. */
    assert_int_equal(memsys_access(ms, 1, x, 8, ACCESS_READ), LLC_LAT);
    assert_int_equal(ms->cpus[1].l1d.n_misses, 1);
    assert_int_equal(ms->cpus[1].l2.n_misses, 1);
    assert_int_equal(ms->llc.n_hits, 1);
    assert_int_equal(f->tiers[0].n_reads, 3);

    /* Node 1 is slower. */
    assert_int_equal(memsys_access(ms, 0, NODE1_BASE + 64, 4, ACCESS_READ), 300);
    assert_int_equal(f->tiers[1].n_reads, 1);
    fixture_free(f);
}

/* miss_adds_llc_lat: miss = LLC + tier; otherwise a tier faster than the LLC is floored. */
static void test_memsys_miss_latency_conventions(void **state)
{
    struct memsys_config cfg;
    struct fixture *f;
    struct tier_params p;

    small_config(&cfg, 1);
    cfg.miss_adds_llc_lat = true;
    f = fixture_new(&cfg);
    assert_int_equal(memsys_access(f->ms, 0, 0, 8, ACCESS_READ), LLC_LAT + (u32)NODE0_RD_NS);
    fixture_free(f);

    small_config(&cfg, 1);
    f = fixture_new(&cfg);
    tier_params_make(&p, "tiny", 20, 20, 0);
    tier_init(&f->tiers[0], &p);
    assert_int_equal(memsys_access(f->ms, 0, 0, 8, ACCESS_READ), LLC_LAT);
    fixture_free(f);

    /* 2.5 GHz: 100 ns is 250 cycles; 300 ns is 750. */
    small_config(&cfg, 1);
    cfg.cpu_ghz = 2.5;
    f = fixture_new(&cfg);
    assert_int_equal(memsys_access(f->ms, 0, 0, 8, ACCESS_READ), 250);
    assert_int_equal(memsys_access(f->ms, 0, NODE1_BASE, 8, ACCESS_READ), 750);
    fixture_free(f);
}

/* The node comes from physmem's frame map, and follows physmem_move_frame(). */
static void test_memsys_node_attribution_follows_frame(void **state)
{
    struct fixture *f = small_fixture(1);
    gpa_t pa = NODE1_BASE + 5 * PAGE_SIZE;

    assert_int_equal(memsys_access(f->ms, 0, pa, 8, ACCESS_READ), 300);
    assert_true(physmem_move_frame(f->pm, pa >> PAGE_SHIFT, 0));
    /* A cold line of the same frame is now charged to node 0. */
    assert_int_equal(memsys_access(f->ms, 0, pa + 128, 8, ACCESS_READ), 100);
    assert_int_equal(f->tiers[1].n_reads, 1);
    assert_int_equal(f->tiers[0].n_reads, 1);
    /* And a node-0 frame moved to node 1 becomes slow. */
    assert_true(physmem_move_frame(f->pm, 3, 1));
    assert_int_equal(memsys_access(f->ms, 0, 3 * PAGE_SIZE + 64, 8, ACCESS_READ), 300);
    assert_int_equal(f->tiers[1].n_reads, 2);
    fixture_free(f);
}

/*
 * A dirty line of node 1 travels L1 -> L2 -> LLC -> memory as lines of node 0 that share its set
 * at every level stream through; exactly one write reaches node 1, none node 0, and the write
 * costs the reading accesses nothing.
 */
static void test_memsys_writeback_cascade_to_node(void **state)
{
    struct fixture *f = small_fixture(1);
    struct memsys *ms = f->ms;
    gpa_t a = NODE1_BASE; /* line 16384: set 0 everywhere */
    u32 k;

    memsys_access(ms, 0, a, 8, ACCESS_WRITE);
    assert_int_equal(f->tiers[1].n_reads, 1); /* write-allocate fill */
    assert_int_equal(f->tiers[1].n_writes, 0);
    /* B_k = k * 4096: line 64k, set 0 at every level, node 0. */
    for (k = 1; k <= 7; k++)
        assert_int_equal(memsys_access(ms, 0, k * 4096, 8, ACCESS_READ), 100);
    assert_int_equal(f->tiers[1].n_writes, 0);
    assert_int_equal(ms->cpus[0].l1d.n_writebacks, 1);
    assert_int_equal(ms->cpus[0].l2.n_writebacks, 1);
    assert_int_equal(ms->llc.n_writebacks, 0);
    assert_int_equal(memsys_access(ms, 0, 8 * 4096, 8, ACCESS_READ), 100);
    assert_int_equal(ms->llc.n_writebacks, 1);
    assert_int_equal(f->tiers[1].n_writes, 1);
    assert_int_equal(f->tiers[1].write_bytes, 64);
    assert_int_equal(f->tiers[0].n_writes, 0);
    assert_int_equal(f->tiers[0].n_reads, 8);
    fixture_free(f);
}

/* Writes hit in L1 like reads; only dirty lines are written back, clean ones vanish. */
static void test_memsys_clean_lines_not_written(void **state)
{
    struct fixture *f = small_fixture(1);

    for (gpa_t pa = 0; pa < 256 * KiB; pa += 64) /* 16 x the LLC, all reads */
        memsys_access(f->ms, 0, pa, 8, ACCESS_READ);
    assert_int_equal(f->tiers[0].n_reads, 4096);
    assert_int_equal(f->tiers[0].n_writes, 0);
    memsys_access(f->ms, 0, 0, 8, ACCESS_WRITE);
    assert_int_equal(memsys_access(f->ms, 0, 8, 8, ACCESS_WRITE), L1D_LAT);
    fixture_free(f);
}

/* An access spanning two lines touches both and costs the slower one. */
static void test_memsys_split_line(void **state)
{
    struct fixture *f = small_fixture(1);

    memsys_access(f->ms, 0, 0x1000, 8, ACCESS_READ); /* line 0x40 warm */
    assert_int_equal(memsys_access(f->ms, 0, 0x1000 + 60, 8, ACCESS_READ), 100);
    assert_int_equal(f->ms->cpus[0].l1d.n_hits, 1);
    assert_int_equal(f->ms->cpus[0].l1d.n_misses, 2);
    assert_int_equal(f->tiers[0].n_reads, 2);
    assert_int_equal(memsys_access(f->ms, 0, 0x1000 + 60, 8, ACCESS_READ), L1D_LAT);
    /* Spanning node 0's last line and node 1's first: each node charged once. */
    assert_int_equal(memsys_access(f->ms, 0, NODE1_BASE - 4, 8, ACCESS_READ), 300);
    assert_int_equal(f->tiers[0].n_reads, 3);
    assert_int_equal(f->tiers[1].n_reads, 1);
    fixture_free(f);
}

/* Fetches use L1I; data reads of the same line find it in L2 (no L1D copy). */
static void test_memsys_fetch_l1i(void **state)
{
    struct fixture *f = small_fixture(1);
    struct memsys *ms = f->ms;

    assert_int_equal(memsys_access(ms, 0, 0x3000, 16, ACCESS_FETCH), 100);
    assert_int_equal(memsys_access(ms, 0, 0x3010, 16, ACCESS_FETCH), L1I_LAT);
    assert_int_equal(ms->cpus[0].l1i.n_hits, 1);
    assert_int_equal(ms->cpus[0].l1i.n_misses, 1);
    assert_int_equal(ms->cpus[0].l1d.n_misses, 0);
    assert_int_equal(memsys_access(ms, 0, 0x3000, 8, ACCESS_READ), L2_LAT);
    fixture_free(f);
}

/* Without an L1I fetches go to L2, counted there like reads. */
static void test_memsys_fetch_without_l1i(void **state)
{
    struct memsys_config cfg;
    struct fixture *f;
    struct stats *s = stats_create("t");
    u64 v;

    small_config(&cfg, 1);
    cfg.l1i.size_bytes = 0;
    f = fixture_new(&cfg);
    assert_int_equal(memsys_access(f->ms, 0, 0x3000, 16, ACCESS_FETCH), 100);
    assert_int_equal(memsys_access(f->ms, 0, 0x3000, 16, ACCESS_FETCH), L2_LAT);
    assert_int_equal(f->ms->cpus[0].l2.n_hits, 1);
    assert_int_equal(f->ms->cpus[0].l2.n_misses, 1);
    assert_int_equal(f->ms->cpus[0].l1d.n_misses, 0);
    memsys_register_stats(f->ms, stats_root(s));
    assert_false(stats_lookup_u64(s, "cpu0.l1i.hits", &v));
    assert_true(stats_lookup_u64(s, "cpu0.l2.hits", &v));
    stats_destroy(s);
    fixture_free(f);
}

/* Page-walk reads go through L1D (Intel); the port gives the same answers. */
static void test_memsys_walk_through_l1d_and_port(void **state)
{
    struct fixture *f = small_fixture(1);
    struct mem_port port = memsys_port(f->ms);

    assert_ptr_equal(port.opaque, f->ms);
    assert_int_equal(port.access(port.opaque, 0, NODE1_BASE + 0x18, 8, ACCESS_WALK), 300);
    assert_int_equal(f->ms->cpus[0].l1d.n_misses, 1);
    assert_int_equal(port.access(port.opaque, 0, NODE1_BASE + 0x20, 8, ACCESS_WALK), L1D_LAT);
    assert_int_equal(memsys_access(f->ms, 0, NODE1_BASE, 8, ACCESS_READ), L1D_LAT);
    assert_int_equal(f->ms->cpus[0].l1d.n_hits, 2);
    fixture_free(f);
}

/* Caches off: every access goes to its node's tier, one line each; no cache counts. */
static void test_memsys_caches_off(void **state)
{
    struct memsys_config cfg;
    struct fixture *f;

    small_config(&cfg, 1);
    cfg.caches_off = true;
    f = fixture_new(&cfg);
    for (int i = 0; i < 3; i++)
        assert_int_equal(memsys_access(f->ms, 0, 0x100, 8, ACCESS_READ), 100);
    assert_int_equal(memsys_access(f->ms, 0, 0x100, 8, ACCESS_WRITE), 150);
    assert_int_equal(memsys_access(f->ms, 0, NODE1_BASE, 8, ACCESS_WRITE), 400);
    assert_int_equal(memsys_access(f->ms, 0, 0x13c, 8, ACCESS_FETCH), 100); /* two lines */
    assert_int_equal(f->tiers[0].n_reads, 5);
    assert_int_equal(f->tiers[0].n_writes, 1);
    assert_int_equal(f->tiers[1].n_writes, 1);
    assert_int_equal(f->ms->cpus[0].l1d.n_hits + f->ms->cpus[0].l1d.n_misses, 0);
    assert_int_equal(f->ms->llc.n_misses, 0);
    fixture_free(f);
}

/*
 * Bandwidth offered in an epoch sets the latency of the next. Curve through (0, 100 ns) and
 * (12.8 GB/s, 200 ns): 6.4 GB/s offered gives 150 ns, i.e. 150 cycles at 1 GHz.
 */
static void test_memsys_epoch_end_loaded_latency(void **state)
{
    struct fixture *f = small_fixture(1);
    struct tier_params p;
    double offered;

    tier_params_make(&p, "loaded", NODE0_RD_NS, NODE0_WR_NS, 25.6);
    p.n_curve = 1;
    p.curve[0].bw_gbps = 12.8;
    p.curve[0].lat_ns = 200.0;
    tier_init(&f->tiers[0], &p);
    for (gpa_t pa = 0; pa < 64000; pa += 64) /* 1000 misses, 64000 bytes */
        assert_int_equal(memsys_access(f->ms, 0, pa, 8, ACCESS_READ), 100);
    memsys_epoch_end(f->ms, 10000.0); /* 64000 bytes in 10 us: 6.4 GB/s */
    offered = f->tiers[0].offered_gbps;
    assert_true(offered > 6.4 - 1e-9 && offered < 6.4 + 1e-9);
    assert_true(f->tiers[1].offered_gbps == 0.0);
    assert_int_equal(memsys_access(f->ms, 0, 512 * KiB, 8, ACCESS_READ), 150);
    /* An idle epoch (one 64-byte line in 1 s) brings the idle latency back. */
    memsys_epoch_end(f->ms, 1e9);
    assert_int_equal(memsys_access(f->ms, 0, 600 * KiB, 8, ACCESS_READ), 100);
    fixture_free(f);
}

static void test_memsys_stats_names(void **state)
{
    struct fixture *f = small_fixture(2);
    struct stats *s = stats_create("t");
    u64 v = 0;

    memsys_register_stats(f->ms, stats_root(s));
    memsys_access(f->ms, 1, NODE1_BASE, 8, ACCESS_READ);
    memsys_access(f->ms, 1, NODE1_BASE, 8, ACCESS_READ);
    assert_true(stats_lookup_u64(s, "cpu1.l1d.hits", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "cpu1.l1d.misses", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "cpu1.l2.misses", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "cpu0.l1i.misses", &v));
    assert_int_equal(v, 0);
    assert_true(stats_lookup_u64(s, "llc.misses", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "llc.writebacks", &v));
    assert_true(stats_lookup_u64(s, "node1.reads", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "node0.reads", &v));
    assert_int_equal(v, 0);
    stats_destroy(s);
    fixture_free(f);
}

static void test_memsys_bad_config(void **state)
{
    struct fixture *f = small_fixture(1);
    struct memsys_config cfg;
    struct emu_err err = {0};

    small_config(&cfg, 1);
    cfg.l2.line_bytes = 128;
    assert_null(memsys_create(&cfg, f->pm, f->tiers, 2, &err));
    assert_non_null(strstr(err.msg, "same line size"));
    err_clear(&err);
    small_config(&cfg, 1);
    cfg.cpu_ghz = 0;
    assert_null(memsys_create(&cfg, f->pm, f->tiers, 2, &err));
    assert_true(err.is_set);
    err_clear(&err);
    small_config(&cfg, 1);
    assert_null(memsys_create(&cfg, f->pm, f->tiers, 1, &err)); /* physmem has 2 nodes */
    assert_true(err.is_set);
    err_clear(&err);
    small_config(&cfg, 1);
    cfg.llc.size_bytes = 1000;
    assert_null(memsys_create(&cfg, f->pm, f->tiers, 2, &err));
    assert_non_null(strstr(err.msg, "memsys: cache llc"));
    fixture_free(f);
}

/* The defaults build, and their LLC grows with the core count. */
static void test_memsys_defaults(void **state)
{
    struct memsys_config cfg;
    struct fixture *f;

    memsys_config_default(&cfg, 4);
    assert_int_equal(cfg.llc.size_bytes, 4 * 1920 * KiB);
    assert_int_equal(cfg.l1d.size_bytes, 48 * KiB);
    f = fixture_new(&cfg);
    assert_int_equal(f->ms->cpus[3].l1d.n_sets, 64);
    assert_int_equal(f->ms->cpus[3].l2.n_sets, 2048);
    assert_int_equal(f->ms->llc.n_sets, 4 * 2048);
    assert_int_equal(memsys_access(f->ms, 3, 0, 8, ACCESS_READ), 300); /* 100 ns at 3 GHz */
    assert_int_equal(memsys_access(f->ms, 3, 0, 8, ACCESS_READ), 5);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memsys_latency_per_level),
        cmocka_unit_test(test_memsys_miss_latency_conventions),
        cmocka_unit_test(test_memsys_node_attribution_follows_frame),
        cmocka_unit_test(test_memsys_writeback_cascade_to_node),
        cmocka_unit_test(test_memsys_clean_lines_not_written),
        cmocka_unit_test(test_memsys_split_line),
        cmocka_unit_test(test_memsys_fetch_l1i),
        cmocka_unit_test(test_memsys_fetch_without_l1i),
        cmocka_unit_test(test_memsys_walk_through_l1d_and_port),
        cmocka_unit_test(test_memsys_caches_off),
        cmocka_unit_test(test_memsys_epoch_end_loaded_latency),
        cmocka_unit_test(test_memsys_stats_names),
        cmocka_unit_test(test_memsys_bad_config),
        cmocka_unit_test(test_memsys_defaults),
    };

    return cmocka_run_group_tests_name("mm/memsys", tests, NULL, NULL);
}
