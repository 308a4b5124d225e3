/* SPDX-License-Identifier: MIT */
/* Tests for numa/memtier: worked examples of Linux's abstract distance, tiers and demotion. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "numa/memtier.h"

#include <stdlib.h>
#include <string.h>

static bool build_args(struct numa_topology *t, const char *const *args, struct emu_err *err)
{
    topo_init(t);
    err_clear(err);
    for (; args[0]; args += 2) {
        bool ok = !strcmp(args[0], "-smp") ? topo_parse_smp(t, args[1], err)
                  : !strcmp(args[0], "-m") ? topo_parse_m(t, args[1], err)
                                           : topo_parse_numa(t, args[1], err);
        if (!ok)
            return false;
    }
    return topo_finalize(t, err);
}

#define BUILD(t, err, ...) build_args((t), (const char *const[]){__VA_ARGS__, NULL}, (err))

static int setup(void **state)
{
    *state = malloc(sizeof(struct numa_topology));
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static void test_memtier_adistance(void **state)
{
    /* Worked by hand with Linux's integer order of operations:
     *   ddr5-remote: 576 * 380 / 220 = 994;  994 * 490000 / 200000 = 2435 -> tier 19
     *   cxl:         576 * 500 / 220 = 1309; 1309 * 490000 / 52000 = 12334 -> tier 96
     *   same as DRAM: 576 -> tier 4; twice the latency and half the bandwidth: 4 * 576. */
    static const struct {
        const char *name;
        u32 adist;
    } cases[] = {{"ddr5-local", 576}, {"ddr5-remote", 2435}, {"cxl", 12334}};
    struct tier_params dram, p;

    (void)state;
    tier_preset("ddr5-local", &dram);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        tier_preset(cases[i].name, &p);
        assert_int_equal(memtier_adistance(&p, &dram), cases[i].adist);
    }
    p = dram;
    p.rd_lat_ns *= 2;
    p.wr_lat_ns *= 2;
    p.peak_bw_gbps /= 2;
    assert_int_equal(memtier_adistance(&p, &dram), 4 * 576);
}

static void test_memtier_two_sockets_two_cxl(void **state)
{
    /* Two sockets, each with a CXL expander attached (closer to its own socket). */
    static const struct {
        u32 node, tier, rank;
        u64 preferred, allowed;
    } want[] = {
        {0, 4, 0, 1u << 2, 0xc}, {1, 4, 0, 1u << 3, 0xc}, {2, 96, 1, 0, 0}, {3, 96, 1, 0, 0}};
    struct numa_topology *t = *state;
    struct memtier_map m;
    struct emu_err err;

    assert_true(BUILD(t, &err, "-m", "4G", "-smp", "4,sockets=2", "-numa", "node,cpus=0-1", "-numa",
                      "node,cpus=2-3", "-numa", "node", "-numa", "node", "-numa",
                      "perf,node=2,preset=cxl", "-numa", "perf,node=3,preset=cxl", "-numa",
                      "dist,src=0,dst=1,val=21", "-numa", "dist,src=0,dst=2,val=24", "-numa",
                      "dist,src=0,dst=3,val=34", "-numa", "dist,src=1,dst=2,val=34", "-numa",
                      "dist,src=1,dst=3,val=24", "-numa", "dist,src=2,dst=3,val=44"));
    memtier_build(t, &m);
    assert_int_equal(m.n_tiers, 2);
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        u64 allowed = ~0ull;

        assert_int_equal(m.tier[want[i].node], want[i].tier);
        assert_int_equal(m.rank[want[i].node], want[i].rank);
        assert_int_equal(memtier_demotion_targets(t, &m, want[i].node, &allowed),
                         want[i].preferred);
        assert_int_equal(allowed, want[i].allowed);
    }
}

static void test_memtier_three_tiers_and_ties(void **state)
{
    /* Socket DRAM, a memory-only remote-DRAM node and two equidistant CXL nodes: node 0
     * demotes only to the next tier (node 1), node 1 to both CXL nodes (a tie). */
    struct numa_topology *t = *state;
    struct memtier_map m;
    struct emu_err err;
    u64 allowed;

    assert_true(BUILD(t, &err, "-m", "4G", "-numa", "node,cpus=0", "-numa", "node", "-numa", "node",
                      "-numa", "node", "-numa", "perf,node=2,preset=cxl", "-numa",
                      "perf,node=3,preset=cxl"));
    memtier_build(t, &m);
    assert_int_equal(m.n_tiers, 3);
    assert_int_equal(m.adist[1], 2435);
    assert_int_equal(m.rank[0], 0);
    assert_int_equal(m.rank[1], 1);
    assert_int_equal(m.rank[2], 2);
    assert_int_equal(memtier_demotion_targets(t, &m, 0, &allowed), 0x2);
    assert_int_equal(allowed, 0xe);
    assert_int_equal(memtier_demotion_targets(t, &m, 1, &allowed), 0xc);
    assert_int_equal(allowed, 0xc);
    assert_int_equal(memtier_demotion_targets(t, &m, 3, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memtier_adistance),
        cmocka_unit_test(test_memtier_two_sockets_two_cxl),
        cmocka_unit_test(test_memtier_three_tiers_and_ties),
    };

    return cmocka_run_group_tests_name("numa/memtier", tests, setup, teardown);
}
