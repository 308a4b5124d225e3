/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical memory: one PROT_NONE host reservation for [0, ram_end) with each node's RAM
 * mapped inside it (allocated on first touch), optional host NUMA binding, the per-frame node
 * map and the MMIO region table.
 */
#include "mm/physmem.h"
#include "base/bits.h"
#include "base/check.h"

#include <errno.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <numa.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Host pages mincore() inspects per call: bounds the vector to 64 KiB. */
#define RSS_CHUNK_PAGES (64u * 1024u)

static double gib(u64 bytes)
{
    return (double)bytes / (double)GiB;
}

/* Recomputes the summary of 2 MiB region @region from the frame map. */
static void region_refresh(struct physmem *pm, u64 region)
{
    u64 first = region << (PHYSMEM_REGION_SHIFT - PAGE_SHIFT);
    u64 end = first + (1ull << (PHYSMEM_REGION_SHIFT - PAGE_SHIFT));
    u8 node = pm->frame_node[first];

    if (end > pm->ram_end >> PAGE_SHIFT)
        end = pm->ram_end >> PAGE_SHIFT;
    for (u64 pfn = first + 1; pfn < end; pfn++) {
        if (pm->frame_node[pfn] != node) {
            node = PHYSMEM_NODE_MIXED;
            break;
        }
    }
    pm->region_node[region] = node;
}

static bool add_range(struct physmem *pm, gpa_t base, u64 size_bytes, u32 node, struct emu_err *err)
{
    struct physmem_range *r;

    if (pm->n_ranges == PHYSMEM_MAX_RANGES) {
        err_set(err, "too many guest RAM ranges (at most %u)", PHYSMEM_MAX_RANGES);
        return false;
    }
    r = &pm->ranges[pm->n_ranges++];
    r->base = base;
    r->size_bytes = size_bytes;
    r->node = node;
    r->host_node = -1;
    return true;
}

/* Lays the nodes out from 0 in node order; a node that reaches the hole continues after it. */
static bool layout_ranges(struct physmem *pm, const struct numa_topology *topo,
                          const struct physmem_layout *lay, struct emu_err *err)
{
    gpa_t hole_end = lay->hole_base + lay->hole_size_bytes;
    gpa_t cursor = 0;

    if (lay->hole_size_bytes && (lay->hole_base % PAGE_SIZE || lay->hole_size_bytes % PAGE_SIZE ||
                                 hole_end < lay->hole_base)) {
        err_set(err, "memory hole [%#llx, +%#llx) is not 4 KiB aligned",
                (unsigned long long)lay->hole_base, (unsigned long long)lay->hole_size_bytes);
        return false;
    }
    for (u32 n = 0; n < topo->n_nodes; n++) {
        u64 left = topo->nodes[n].mem_bytes;

        if (left % PAGE_SIZE) {
            err_set(err, "node %u memory (%llu bytes) is not a multiple of 4 KiB", n,
                    (unsigned long long)left);
            return false;
        }
        while (left) {
            u64 chunk = left;

            if (lay->hole_size_bytes && cursor >= lay->hole_base && cursor < hole_end)
                cursor = hole_end;
            if (lay->hole_size_bytes && cursor < lay->hole_base && cursor + chunk > lay->hole_base)
                chunk = lay->hole_base - cursor;
            if (!add_range(pm, cursor, chunk, n, err))
                return false;
            cursor += chunk;
            left -= chunk;
        }
    }
    if (!cursor) {
        err_set(err, "the machine has no RAM");
        return false;
    }
    pm->ram_end = cursor;
    return true;
}

static int mpol_of(const char *policy)
{
    if (!strcmp(policy, "preferred"))
        return MPOL_PREFERRED;
    if (!strcmp(policy, "interleave"))
        return MPOL_INTERLEAVE;
    return MPOL_BIND; /* "bind", and "default" when host nodes were nevertheless given */
}

/*
 * Binds each range to its memdev's host-nodes with the memdev's policy, else to host nodes
 * round robin by guest node id. Only called when the host has more than one node.
 */
static bool bind_ranges(struct physmem *pm, const struct numa_topology *topo, struct emu_err *err)
{
    int max_host = numa_max_node();

    for (u32 i = 0; i < pm->n_ranges; i++) {
        struct physmem_range *r = &pm->ranges[i];
        const struct numa_node *nd = &topo->nodes[r->node];
        unsigned long mask = 0;
        int mode = MPOL_BIND;

        if (nd->memdev >= 0 && topo->memdevs[nd->memdev].host_nodes[0]) {
            const struct numa_memdev *md = &topo->memdevs[nd->memdev];

            mask = (unsigned long)md->host_nodes[0];
            mode = mpol_of(md->policy);
        } else {
            int h = (int)(r->node % (u32)(max_host + 1));

            for (int tries = 0; tries <= max_host; tries++, h = (h + 1) % (max_host + 1))
                if (numa_node_size64(h, NULL) > 0) /* skip memoryless / absent nodes */
                    break;
            mask = 1ul << h;
        }
        if (mbind(pm->host_base + r->base, r->size_bytes, mode, &mask, sizeof(mask) * 8 + 1, 0)) {
            err_set_errno(err, errno, "cannot bind guest node %u to host nodes %#lx", r->node,
                          mask);
            return false;
        }
        r->host_node = __builtin_ctzl(mask);
    }
    pm->is_bound = true;
    return true;
}

struct physmem *physmem_create(const struct numa_topology *topo,
                               const struct physmem_layout *layout, struct emu_err *err)
{
    static const struct physmem_layout no_layout;
    const struct physmem_layout *lay = layout ? layout : &no_layout;
    struct physmem *pm = calloc(1, sizeof(*pm));
    u64 n_regions;
    void *p;

    if (!pm) {
        err_set(err, "out of memory");
        return NULL;
    }
    EMU_CHECK(topo->n_nodes <= NUMA_MAX_NODES);
    pm->n_nodes = topo->n_nodes;
    if (!layout_ranges(pm, topo, lay, err))
        goto out_free;

    p = mmap(NULL, pm->ram_end, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        err_set_errno(err, errno, "cannot reserve %.3g GiB of host address space",
                      gib(pm->ram_end));
        goto out_free;
    }
    pm->host_base = p;
    for (u32 i = 0; i < pm->n_ranges; i++) {
        const struct physmem_range *r = &pm->ranges[i];

        p = mmap(pm->host_base + r->base, r->size_bytes, PROT_READ | PROT_WRITE,
                 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            err_set_errno(err, errno, "cannot map %.3g GiB of RAM for node %u", gib(r->size_bytes),
                          r->node);
            goto out_unmap_ram;
        }
    }

    pm->frame_node_bytes = align_up(pm->ram_end >> PAGE_SHIFT, PAGE_SIZE);
    n_regions = align_up(pm->ram_end, 1ull << PHYSMEM_REGION_SHIFT) >> PHYSMEM_REGION_SHIFT;
    p = mmap(NULL, pm->frame_node_bytes, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        err_set_errno(err, errno, "cannot allocate the frame map (%llu bytes)",
                      (unsigned long long)pm->frame_node_bytes);
        goto out_unmap_ram;
    }
    pm->frame_node = p; /* zero-filled: hole frames say node 0 */
    for (u32 i = 0; i < pm->n_ranges; i++) {
        const struct physmem_range *r = &pm->ranges[i];

        memset(pm->frame_node + (r->base >> PAGE_SHIFT), (int)r->node, r->size_bytes >> PAGE_SHIFT);
        pm->node_frames[r->node] += (double)(r->size_bytes >> PAGE_SHIFT);
    }
    pm->region_node = malloc(n_regions);
    if (!pm->region_node) {
        err_set(err, "out of memory");
        goto out_unmap_map;
    }
    for (u64 i = 0; i < n_regions; i++)
        region_refresh(pm, i);

    if (lay->bind_host && numa_available() >= 0 && numa_max_node() > 0 &&
        !bind_ranges(pm, topo, err))
        goto out_unmap_map;
    return pm;

out_unmap_map:
    free(pm->region_node);
    munmap(pm->frame_node, pm->frame_node_bytes);
out_unmap_ram:
    munmap(pm->host_base, pm->ram_end);
out_free:
    free(pm);
    return NULL;
}

void physmem_destroy(struct physmem *pm)
{
    if (!pm)
        return;
    free(pm->region_node);
    munmap(pm->frame_node, pm->frame_node_bytes);
    munmap(pm->host_base, pm->ram_end);
    free(pm);
}

/* The host node RAM of guest node @node lives on, or -1 when unbound. */
static int host_node_of(const struct physmem *pm, u32 node)
{
    for (u32 i = 0; i < pm->n_ranges; i++)
        if (pm->ranges[i].node == node)
            return pm->ranges[i].host_node;
    return -1;
}

bool physmem_move_frame(struct physmem *pm, u64 pfn, u32 node)
{
    u32 old;

    if (pfn >= (pm->ram_end >> PAGE_SHIFT) || node >= pm->n_nodes ||
        !physmem_range_of(pm, pfn << PAGE_SHIFT))
        return false;
    old = pm->frame_node[pfn];
    if (old == node)
        return true;
    if (pm->is_bound) {
        int to = host_node_of(pm, node);
        void *page = pm->host_base + (pfn << PAGE_SHIFT);
        int status = 0;

        /*
         * Best effort: a frame never touched has no host page yet (status -ENOENT) and will be
         * allocated under its range's policy; the timing model follows frame_node regardless.
         */
        if (to >= 0 && to != host_node_of(pm, old))
            (void)move_pages(0, 1, &page, &to, &status, MPOL_MF_MOVE);
    }
    pm->frame_node[pfn] = (u8)node;
    region_refresh(pm, pfn >> (PHYSMEM_REGION_SHIFT - PAGE_SHIFT));
    pm->node_frames[old] -= 1.0;
    pm->node_frames[node] += 1.0;
    pm->n_frame_moves++;
    return true;
}

static bool overlaps(gpa_t a, u64 a_len, gpa_t b, u64 b_len)
{
    return a < b + b_len && b < a + a_len;
}

bool physmem_map_mmio(struct physmem *pm, gpa_t base, u64 size_bytes, const struct mmio_ops *ops,
                      void *opaque, struct emu_err *err)
{
    struct physmem_mmio *m;

    if (!size_bytes || base + size_bytes < base) {
        err_set(err, "MMIO region [%#llx, +%#llx) is empty or wraps", (unsigned long long)base,
                (unsigned long long)size_bytes);
        return false;
    }
    for (u32 i = 0; i < pm->n_ranges; i++) {
        const struct physmem_range *r = &pm->ranges[i];

        if (overlaps(base, size_bytes, r->base, r->size_bytes)) {
            err_set(err, "MMIO region [%#llx, %#llx) overlaps RAM of node %u [%#llx, %#llx)",
                    (unsigned long long)base, (unsigned long long)(base + size_bytes), r->node,
                    (unsigned long long)r->base, (unsigned long long)(r->base + r->size_bytes));
            return false;
        }
    }
    for (u32 i = 0; i < pm->n_mmio; i++) {
        const struct physmem_mmio *o = &pm->mmio[i];

        if (overlaps(base, size_bytes, o->base, o->size_bytes)) {
            err_set(err, "MMIO region [%#llx, %#llx) overlaps MMIO region [%#llx, %#llx)",
                    (unsigned long long)base, (unsigned long long)(base + size_bytes),
                    (unsigned long long)o->base, (unsigned long long)(o->base + o->size_bytes));
            return false;
        }
    }
    if (pm->n_mmio == PHYSMEM_MAX_MMIO) {
        err_set(err, "too many MMIO regions (at most %u)", PHYSMEM_MAX_MMIO);
        return false;
    }
    m = &pm->mmio[pm->n_mmio++];
    m->base = base;
    m->size_bytes = size_bytes;
    m->ops = ops;
    m->opaque = opaque;
    return true;
}

const struct physmem_mmio *physmem_find_mmio(const struct physmem *pm, gpa_t pa)
{
    for (u32 i = 0; i < pm->n_mmio; i++) {
        const struct physmem_mmio *m = &pm->mmio[i];

        if (pa >= m->base && pa - m->base < m->size_bytes)
            return m;
    }
    return NULL;
}

/* Resident host pages of [p, p + len), len a multiple of the host page size. */
static u64 resident_bytes(const u8 *p, u64 len)
{
    u64 page = (u64)sysconf(_SC_PAGESIZE);
    unsigned char vec[RSS_CHUNK_PAGES];
    u64 total = 0;

    for (u64 off = 0; off < len;) {
        u64 n = (len - off) / page;

        if (n > RSS_CHUNK_PAGES)
            n = RSS_CHUNK_PAGES;
        if (mincore((void *)(p + off), n * page, vec))
            return total; /* cannot happen on our own mappings; report what was counted */
        for (u64 i = 0; i < n; i++)
            total += (vec[i] & 1) * page;
        off += n * page;
    }
    return total;
}

u64 physmem_rss_bytes(const struct physmem *pm)
{
    u64 total = resident_bytes(pm->frame_node, pm->frame_node_bytes);

    for (u32 i = 0; i < pm->n_ranges; i++)
        total += resident_bytes(pm->host_base + pm->ranges[i].base, pm->ranges[i].size_bytes);
    return total;
}

void physmem_register_stats(struct physmem *pm, struct stats_group *g)
{
    struct stats_group *fg;

    stats_counter(g, "frame_moves", &pm->n_frame_moves, "count",
                  "guest frames whose timing moved to another node");
    fg = stats_group_new(g, "frames");
    for (u32 n = 0; n < pm->n_nodes; n++) {
        char name[16];

        snprintf(name, sizeof(name), "node%u", n);
        stats_gauge(fg, name, &pm->node_frames[n], "frames",
                    "RAM frames whose accesses are charged to this node");
    }
}
