/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical memory. One host mapping per NUMA node (optionally bound to a host node with
 * libnuma), laid out inside one reserved host range so that a RAM guest-physical address
 * converts to a host pointer with one add. A per-frame node map says which node's timing a
 * 4 KiB frame is charged to; emulator-side tiering changes it (physmem_move_frame()).
 * MMIO ranges are holes in RAM whose accesses go to a device's handlers.
 */
#ifndef EMU_MM_PHYSMEM_H
#define EMU_MM_PHYSMEM_H

#include "base/err.h"
#include "base/types.h"
#include "mm/mmtypes.h"
#include "numa/topology.h"
#include "stats/stats.h"

/* One range per node, plus one when a node straddles the layout's hole (split in two). */
#define PHYSMEM_MAX_RANGES (NUMA_MAX_NODES + 1)
#define PHYSMEM_MAX_MMIO   64

/* The frame map is summarised per 2 MiB region: the node all its frames share, or MIXED. */
#define PHYSMEM_REGION_SHIFT 21
#define PHYSMEM_NODE_MIXED   0xffu

typedef u64 mmio_read_fn(void *opaque, u64 offset, unsigned size);
typedef void mmio_write_fn(void *opaque, u64 offset, u64 value, unsigned size);

struct mmio_ops {
    mmio_read_fn *read;
    mmio_write_fn *write;
};

struct physmem_range {
    gpa_t base;
    u64 size_bytes;
    u32 node;      /* guest NUMA node (SRAT proximity domain) */
    int host_node; /* host NUMA node it is bound to, -1 if unbound */
};

struct physmem_mmio {
    gpa_t base;
    u64 size_bytes;
    const struct mmio_ops *ops;
    void *opaque;
};

struct physmem_layout {
    /* Guest-physical holes RAM must avoid, e.g. [3 GiB, 4 GiB) for the PCI/APIC window of a
     * PC. Empty for trace replay: nodes are then laid out back to back from address 0. */
    gpa_t hole_base;
    u64 hole_size_bytes;
    bool bind_host; /* bind each node to a host node (memdev host-nodes=, else round robin when
                       the host has several nodes); ignored on a single-node host */
};

struct physmem {
    u8 *host_base; /* host address of guest-physical 0; RAM at host_base + gpa */
    gpa_t ram_end; /* one past the highest RAM address (host reservation size) */
    u32 n_ranges;
    struct physmem_range ranges[PHYSMEM_MAX_RANGES];
    u8 *frame_node;  /* per 4 KiB frame below ram_end: node whose timing applies (frames in
                        the hole say 0; only RAM frames are meaningful) */
    u8 *region_node; /* per 2 MiB below ram_end: the frame_node value of all its frames when
                        they agree, else PHYSMEM_NODE_MIXED (a small, host-cache-resident map) */
    u32 n_nodes;     /* guest nodes of the topology (node ids 0..n_nodes-1) */
    bool is_bound;   /* ranges were mbind()-ed to host nodes */
    u32 n_mmio;
    struct physmem_mmio mmio[PHYSMEM_MAX_MMIO];
    u64 n_frame_moves;                  /* frames moved between nodes */
    double node_frames[NUMA_MAX_NODES]; /* gauge: RAM frames charged to each node now */
    u64 frame_node_bytes;               /* size of the frame_node mapping */
};

/**
 * physmem_create() - reserve and map guest RAM for each node of @topo (finalized), in node
 * order, avoiding the layout's hole. Pages are allocated by the host on first touch.
 * Return: NULL and @err on failure (e.g. the host cannot reserve the address space).
 */
struct physmem *physmem_create(const struct numa_topology *topo,
                               const struct physmem_layout *layout, struct emu_err *err);

void physmem_destroy(struct physmem *pm);

/** physmem_range_of() - the RAM range holding @pa, or NULL. */
static inline const struct physmem_range *physmem_range_of(const struct physmem *pm, gpa_t pa)
{
    for (u32 i = 0; i < pm->n_ranges; i++)
        if (pa - pm->ranges[i].base < pm->ranges[i].size_bytes) /* base <= pa < end */
            return &pm->ranges[i];
    return NULL;
}

/** physmem_is_ram() - whether [pa, pa + len) lies inside one RAM range. */
static inline bool physmem_is_ram(const struct physmem *pm, gpa_t pa, u64 len)
{
    const struct physmem_range *r = physmem_range_of(pm, pa);

    return r && len <= r->size_bytes - (pa - r->base);
}

/** physmem_host() - host pointer for RAM address @pa (caller checked physmem_is_ram). */
static inline u8 *physmem_host(const struct physmem *pm, gpa_t pa)
{
    return pm->host_base + pa;
}

/** physmem_node_of() - node whose timing applies to RAM address @pa. */
static inline u32 physmem_node_of(const struct physmem *pm, gpa_t pa)
{
    u32 node = pm->region_node[pa >> PHYSMEM_REGION_SHIFT];

    return likely(node != PHYSMEM_NODE_MIXED) ? node : pm->frame_node[pa >> PAGE_SHIFT];
}

/**
 * physmem_move_frame() - charge frame @pfn to @node from now on; when RAM is bound to host
 * nodes, the host page moves too (move_pages). Return: false if @pfn is not RAM.
 */
bool physmem_move_frame(struct physmem *pm, u64 pfn, u32 node);

/** physmem_map_mmio() - route [base, base + size) to @ops; must not overlap RAM or MMIO. */
bool physmem_map_mmio(struct physmem *pm, gpa_t base, u64 size_bytes, const struct mmio_ops *ops,
                      void *opaque, struct emu_err *err);

/** physmem_find_mmio() - the MMIO region holding @pa, or NULL. */
const struct physmem_mmio *physmem_find_mmio(const struct physmem *pm, gpa_t pa);

/** Functional 64-bit RAM accessors (page walker, loaders); @pa must be RAM and 8-aligned. */
static inline u64 physmem_read_u64(const struct physmem *pm, gpa_t pa)
{
    u64 v;

    __builtin_memcpy(&v, pm->host_base + pa, sizeof(v));
    return v;
}

static inline void physmem_write_u64(struct physmem *pm, gpa_t pa, u64 v)
{
    __builtin_memcpy(pm->host_base + pa, &v, sizeof(v));
}

/**
 * physmem_rss_bytes() - host memory the guest RAM and the frame map hold now (for bench/):
 * resident pages counted with mincore(2) over the RAM ranges and the frame_node map, so the
 * emulator's own heap and code are not included.
 */
u64 physmem_rss_bytes(const struct physmem *pm);

/**
 * physmem_register_stats() - under @g: "frame_moves" (counter) and "frames.node<N>" (gauge,
 * RAM frames charged to node N now).
 */
void physmem_register_stats(struct physmem *pm, struct stats_group *g);

#endif
