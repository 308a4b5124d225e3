/* SPDX-License-Identifier: MIT */
/* Tests for mm/physmem: layout with and without a hole, RAM checks, host pointers, frame moves,
 * MMIO overlap rules, resident-size accounting and stats. */
#include "mm/physmem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* A finalized-looking topology with @n nodes of the given sizes (no topo_finalize needed). */
static struct numa_topology *make_topo(u32 n, const u64 *mem_bytes)
{
    struct numa_topology *t = calloc(1, sizeof(*t));

    assert_non_null(t);
    t->n_nodes = n;
    for (u32 i = 0; i < n; i++) {
        t->nodes[i].id = i;
        t->nodes[i].mem_bytes = mem_bytes[i];
        t->nodes[i].memdev = -1;
        t->nodes[i].initiator = -1;
        t->ram_bytes += mem_bytes[i];
    }
    t->is_final = true;
    return t;
}

static struct physmem *create(u32 n, const u64 *mem, const struct physmem_layout *lay)
{
    struct numa_topology *t = make_topo(n, mem);
    struct emu_err err = {0};
    struct physmem *pm = physmem_create(t, lay, &err);

    free(t);
    assert_false(err.is_set);
    assert_non_null(pm);
    return pm;
}

static void test_physmem_single_node(void **state)
{
    const u64 mem[] = {64 * MiB};
    struct physmem *pm = create(1, mem, NULL);

    assert_int_equal(pm->n_ranges, 1);
    assert_int_equal(pm->ranges[0].base, 0);
    assert_int_equal(pm->ranges[0].size_bytes, 64 * MiB);
    assert_int_equal(pm->ranges[0].host_node, -1);
    assert_int_equal(pm->ram_end, 64 * MiB);
    assert_true(physmem_is_ram(pm, 0, 8));
    assert_true(physmem_is_ram(pm, 64 * MiB - 8, 8));
    assert_false(physmem_is_ram(pm, 64 * MiB - 8, 16));
    assert_false(physmem_is_ram(pm, 64 * MiB, 1));
    assert_int_equal(physmem_node_of(pm, 64 * MiB - 1), 0);
    assert_int_equal(pm->node_frames[0], (double)(64 * MiB / PAGE_SIZE));

    /* Fresh RAM reads zero; host pointer and functional accessors see the same bytes. */
    assert_int_equal(physmem_read_u64(pm, 5 * MiB), 0);
    physmem_write_u64(pm, 5 * MiB, 0x1122334455667788ull);
    assert_int_equal(physmem_host(pm, 5 * MiB)[0], 0x88);
    assert_int_equal(physmem_host(pm, 5 * MiB)[7], 0x11);
    physmem_host(pm, 64 * MiB - 8)[0] = 0x5a;
    assert_int_equal(physmem_read_u64(pm, 64 * MiB - 8), 0x5a);
    physmem_destroy(pm);
}

/* Node 0 (3 MiB) reaches the hole [2 MiB, 3 MiB) and continues after it; node 1 follows. */
static void test_physmem_hole_splits_node(void **state)
{
    const u64 mem[] = {3 * MiB, 2 * MiB};
    const struct physmem_layout lay = {.hole_base = 2 * MiB, .hole_size_bytes = 1 * MiB};
    struct physmem *pm = create(2, mem, &lay);

    assert_int_equal(pm->n_ranges, 3);
    assert_int_equal(pm->ranges[0].base, 0);
    assert_int_equal(pm->ranges[0].size_bytes, 2 * MiB);
    assert_int_equal(pm->ranges[0].node, 0);
    assert_int_equal(pm->ranges[1].base, 3 * MiB);
    assert_int_equal(pm->ranges[1].size_bytes, 1 * MiB);
    assert_int_equal(pm->ranges[1].node, 0);
    assert_int_equal(pm->ranges[2].base, 4 * MiB);
    assert_int_equal(pm->ranges[2].size_bytes, 2 * MiB);
    assert_int_equal(pm->ranges[2].node, 1);
    assert_int_equal(pm->ram_end, 6 * MiB);

    assert_false(physmem_is_ram(pm, 2 * MiB, 1));
    assert_false(physmem_is_ram(pm, 3 * MiB - 1, 1));
    assert_false(physmem_is_ram(pm, 2 * MiB - 8, 16)); /* runs into the hole */
    assert_true(physmem_is_ram(pm, 3 * MiB, 4096));
    assert_false(physmem_is_ram(pm, 4 * MiB - 8, 16)); /* crosses two ranges */
    assert_null(physmem_range_of(pm, 2 * MiB + 4096));
    assert_ptr_equal(physmem_range_of(pm, 4 * MiB), &pm->ranges[2]);

    assert_int_equal(physmem_node_of(pm, 2 * MiB - 1), 0);
    assert_int_equal(physmem_node_of(pm, 3 * MiB), 0);
    assert_int_equal(physmem_node_of(pm, 4 * MiB - 1), 0);
    assert_int_equal(physmem_node_of(pm, 4 * MiB), 1);
    assert_int_equal(physmem_node_of(pm, 6 * MiB - 1), 1);
    assert_int_equal(pm->node_frames[0], 768.0);
    assert_int_equal(pm->node_frames[1], 512.0);

    physmem_write_u64(pm, 3 * MiB, 42);
    physmem_write_u64(pm, 6 * MiB - 8, 43);
    assert_int_equal(physmem_read_u64(pm, 3 * MiB), 42);
    assert_int_equal(physmem_read_u64(pm, 6 * MiB - 8), 43);
    physmem_destroy(pm);
}

/* A node that ends exactly at the hole is not split; a zero-sized (CPU-only) node has no range. */
static void test_physmem_hole_at_node_boundary(void **state)
{
    const u64 mem[] = {2 * MiB, 0, 1 * MiB};
    const struct physmem_layout lay = {.hole_base = 2 * MiB, .hole_size_bytes = 2 * MiB};
    struct physmem *pm = create(3, mem, &lay);

    assert_int_equal(pm->n_ranges, 2);
    assert_int_equal(pm->ranges[1].base, 4 * MiB);
    assert_int_equal(pm->ranges[1].node, 2);
    assert_int_equal(pm->ram_end, 5 * MiB);
    assert_int_equal(physmem_node_of(pm, 4 * MiB), 2);
    physmem_destroy(pm);
}

static void test_physmem_bad_layouts(void **state)
{
    const u64 odd[] = {1 * MiB + 100};
    const u64 none[] = {0};
    const u64 huge[] = {1ull << 62};
    struct numa_topology *t;
    struct emu_err err = {0};

    t = make_topo(1, odd);
    assert_null(physmem_create(t, NULL, &err));
    assert_true(err.is_set);
    assert_non_null(strstr(err.msg, "not a multiple of 4 KiB"));
    free(t);

    err_clear(&err);
    t = make_topo(1, none);
    assert_null(physmem_create(t, NULL, &err));
    assert_non_null(strstr(err.msg, "no RAM"));
    free(t);

    err_clear(&err);
    t = make_topo(1, huge); /* 4 EiB: more than any host's virtual address space */
    assert_null(physmem_create(t, NULL, &err));
    assert_non_null(strstr(err.msg, "cannot reserve 4.29e+09 GiB of host address space"));
    free(t);
}

/* On a host with one NUMA node (or no libnuma support) bind_host changes nothing. */
static void test_physmem_bind_host_single_node_host(void **state)
{
    const u64 mem[] = {4 * MiB, 4 * MiB};
    const struct physmem_layout lay = {.bind_host = true};
    struct physmem *pm = create(2, mem, &lay);

    if (!pm->is_bound) {
        assert_int_equal(pm->ranges[0].host_node, -1);
        assert_int_equal(pm->ranges[1].host_node, -1);
    } else {
        assert_true(pm->ranges[0].host_node >= 0);
    }
    physmem_write_u64(pm, 6 * MiB, 7);
    assert_int_equal(physmem_read_u64(pm, 6 * MiB), 7);
    physmem_destroy(pm);
}

static void test_physmem_move_frame(void **state)
{
    const u64 mem[] = {2 * MiB, 2 * MiB};
    const struct physmem_layout lay = {.hole_base = 2 * MiB, .hole_size_bytes = 1 * MiB};
    struct physmem *pm = create(2, mem, &lay);
    u64 pfn = (1 * MiB) >> PAGE_SHIFT;

    physmem_write_u64(pm, pfn << PAGE_SHIFT, 99);
    assert_true(physmem_move_frame(pm, pfn, 1));
    assert_int_equal(physmem_node_of(pm, (pfn << PAGE_SHIFT) + 4095), 1);
    assert_int_equal(physmem_node_of(pm, (pfn + 1) << PAGE_SHIFT), 0); /* neighbour unchanged */
    assert_int_equal(physmem_read_u64(pm, pfn << PAGE_SHIFT), 99);     /* data stays */
    assert_int_equal(pm->n_frame_moves, 1);
    assert_int_equal(pm->node_frames[0], 511.0);
    assert_int_equal(pm->node_frames[1], 513.0);

    assert_true(physmem_move_frame(pm, pfn, 1)); /* already there: not a move */
    assert_int_equal(pm->n_frame_moves, 1);
    assert_true(physmem_move_frame(pm, pfn, 0));
    assert_int_equal(physmem_node_of(pm, pfn << PAGE_SHIFT), 0);
    assert_int_equal(pm->n_frame_moves, 2);

    assert_false(physmem_move_frame(pm, (2 * MiB) >> PAGE_SHIFT, 1)); /* in the hole */
    assert_false(physmem_move_frame(pm, (5 * MiB) >> PAGE_SHIFT, 0)); /* past ram_end */
    assert_false(physmem_move_frame(pm, 0, 2));                       /* no node 2 */
    assert_int_equal(pm->n_frame_moves, 2);
    physmem_destroy(pm);
}

/*
 * The 2 MiB summary of the frame map: uniform regions answer alone, a region shared by two
 * nodes (node 0 is 3 MiB) or holding a moved frame is MIXED, and moving the frame back makes
 * its region uniform again. physmem_node_of() always equals the frame map.
 */
static void test_physmem_region_summary(void **state)
{
    const u64 mem[] = {3 * MiB, 2 * MiB};
    struct physmem *pm = create(2, mem, NULL);
    u64 moved = (4 * MiB + 8 * KiB) >> PAGE_SHIFT;

    assert_int_equal(pm->region_node[0], 0);
    assert_int_equal(pm->region_node[1], PHYSMEM_NODE_MIXED);
    assert_int_equal(pm->region_node[2], 1); /* partial region: [4 MiB, 5 MiB) */
    assert_true(physmem_move_frame(pm, moved, 0));
    assert_int_equal(pm->region_node[2], PHYSMEM_NODE_MIXED);
    for (u64 pfn = 0; pfn < pm->ram_end >> PAGE_SHIFT; pfn++)
        assert_int_equal(physmem_node_of(pm, (pfn << PAGE_SHIFT) + 123), pm->frame_node[pfn]);
    assert_int_equal(physmem_node_of(pm, moved << PAGE_SHIFT), 0);
    assert_int_equal(physmem_node_of(pm, 3 * MiB - 1), 0);
    assert_int_equal(physmem_node_of(pm, 3 * MiB), 1);
    assert_true(physmem_move_frame(pm, moved, 1));
    assert_int_equal(pm->region_node[2], 1);
    physmem_destroy(pm);
}

static u64 dummy_read(void *opaque, u64 offset, unsigned size)
{
    return offset;
}

static void dummy_write(void *opaque, u64 offset, u64 value, unsigned size)
{
}

static void test_physmem_mmio(void **state)
{
    static const struct mmio_ops ops = {.read = dummy_read, .write = dummy_write};
    const u64 mem[] = {2 * MiB, 2 * MiB};
    const struct physmem_layout lay = {.hole_base = 2 * MiB, .hole_size_bytes = 1 * MiB};
    struct physmem *pm = create(2, mem, &lay);
    struct emu_err err = {0};
    int tag = 0;
    const struct physmem_mmio *m;

    /* In the hole, and above RAM. */
    assert_true(physmem_map_mmio(pm, 2 * MiB + 0x1000, 0x1000, &ops, &tag, &err));
    assert_true(physmem_map_mmio(pm, 1ull << 32, 0x100, &ops, NULL, &err));
    assert_false(err.is_set);

    m = physmem_find_mmio(pm, 2 * MiB + 0x1fff);
    assert_non_null(m);
    assert_ptr_equal(m->opaque, &tag);
    assert_int_equal(m->ops->read(m->opaque, 0x10, 4), 0x10);
    assert_null(physmem_find_mmio(pm, 2 * MiB + 0x2000));
    assert_null(physmem_find_mmio(pm, 0));
    assert_non_null(physmem_find_mmio(pm, (1ull << 32) + 0xff));
    assert_false(physmem_is_ram(pm, 2 * MiB + 0x1000, 1));

    /* Overlapping the last byte of RAM before the hole. */
    assert_false(physmem_map_mmio(pm, 2 * MiB - 1, 0x100, &ops, NULL, &err));
    assert_non_null(strstr(err.msg, "overlaps RAM of node 0"));
    err_clear(&err);
    /* Overlapping the first RAM byte after the hole. */
    assert_false(physmem_map_mmio(pm, 3 * MiB - 0x10, 0x11, &ops, NULL, &err));
    assert_non_null(strstr(err.msg, "overlaps RAM"));
    err_clear(&err);
    /* Overlapping an MMIO region; touching it end to end is fine. */
    assert_false(physmem_map_mmio(pm, 2 * MiB, 0x1001, &ops, NULL, &err));
    assert_non_null(strstr(err.msg, "overlaps MMIO"));
    err_clear(&err);
    assert_true(physmem_map_mmio(pm, 2 * MiB, 0x1000, &ops, NULL, &err));
    assert_false(physmem_map_mmio(pm, 5 * MiB, 0, &ops, NULL, &err));
    assert_true(err.is_set);
    assert_int_equal(pm->n_mmio, 3);
    physmem_destroy(pm);
}

static void test_physmem_rss(void **state)
{
    const u64 mem[] = {64 * MiB};
    struct physmem *pm = create(1, mem, NULL);
    u64 before = physmem_rss_bytes(pm);
    u64 after;

    /* Only the frame map (64 MiB / 4 KiB = 16 KiB, written at creation) is resident. */
    assert_true(before >= 16 * KiB);
    assert_true(before < 2 * MiB + 16 * KiB);
    for (u64 i = 0; i < 10; i++)
        physmem_host(pm, 8 * MiB + i * 4 * MiB)[0] = 1; /* 10 pages, 4 MiB apart */
    after = physmem_rss_bytes(pm);
    /* At least the 10 touched pages; at most 10 transparent huge pages. */
    assert_true(after - before >= 10 * 4 * KiB);
    assert_true(after - before <= 10 * 2 * MiB);
    physmem_destroy(pm);
}

static void test_physmem_stats(void **state)
{
    const u64 mem[] = {1 * MiB, 1 * MiB};
    struct physmem *pm = create(2, mem, NULL);
    struct stats *s = stats_create("t");
    u64 v = 0;

    physmem_register_stats(pm, stats_group_new(stats_root(s), "physmem"));
    assert_true(physmem_move_frame(pm, 3, 1));
    assert_true(physmem_move_frame(pm, 4, 1));
    assert_true(stats_lookup_u64(s, "physmem.frame_moves", &v));
    assert_int_equal(v, 2);
    stats_destroy(s);
    physmem_destroy(pm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_physmem_single_node),
        cmocka_unit_test(test_physmem_hole_splits_node),
        cmocka_unit_test(test_physmem_hole_at_node_boundary),
        cmocka_unit_test(test_physmem_bad_layouts),
        cmocka_unit_test(test_physmem_bind_host_single_node_host),
        cmocka_unit_test(test_physmem_move_frame),
        cmocka_unit_test(test_physmem_region_summary),
        cmocka_unit_test(test_physmem_mmio),
        cmocka_unit_test(test_physmem_rss),
        cmocka_unit_test(test_physmem_stats),
    };

    return cmocka_run_group_tests_name("mm/physmem", tests, NULL, NULL);
}
