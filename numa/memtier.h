/* SPDX-License-Identifier: MIT */
/*
 * Linux-style memory tiers (mm/memory-tiers.c): each node gets an abstract distance from its
 * timing relative to the DRAM of the CPU nodes, nodes are grouped into tiers of 128 adistance
 * units, and each node demotes to the nearest nodes (by SLIT distance) of the next lower tier.
 * Used to check what a Linux guest will make of the topology terrace shows it.
 */
#ifndef EMU_NUMA_MEMTIER_H
#define EMU_NUMA_MEMTIER_H

#include "base/types.h"
#include "numa/tier.h"
#include "numa/topology.h"

#define MEMTIER_CHUNK_BITS     7
#define MEMTIER_CHUNK_SIZE     (1 << MEMTIER_CHUNK_BITS)
#define MEMTIER_ADISTANCE_DRAM ((4 * MEMTIER_CHUNK_SIZE) + (MEMTIER_CHUNK_SIZE >> 1)) /* 576 */

struct memtier_map {
    u32 n_nodes;
    u32 adist[NUMA_MAX_NODES]; /* abstract distance; CPU nodes get MEMTIER_ADISTANCE_DRAM */
    u32 tier[NUMA_MAX_NODES];  /* adist >> MEMTIER_CHUNK_BITS: Linux's tier (adistance_start / 128)
                                */
    u32 rank[NUMA_MAX_NODES];  /* 0 for the fastest tier present, then 1, 2... */
    u32 n_tiers;
};

/**
 * memtier_adistance() - Linux's mt_perf_to_adistance(): 576 * (rd + wr) / (dram rd + dram wr)
 * * (2 * dram bw) / (2 * bw), in integer ns and MB/s with Linux's order of divisions.
 */
u32 memtier_adistance(const struct tier_params *p, const struct tier_params *dram);

/**
 * memtier_build() - adistance, tier and rank of every node of the finalized @t. The reference
 * DRAM is the lowest-numbered node with CPUs (node 0 if none has any).
 */
void memtier_build(const struct numa_topology *t, struct memtier_map *m);

/**
 * memtier_demotion_targets() - Linux's establish_demotion_targets() for @node: the nodes of
 * the next lower tier at the smallest distance from @node. @allowed (may be NULL) receives
 * every node of every lower tier. Return: the preferred targets as a node bitmask (0: none).
 */
u64 memtier_demotion_targets(const struct numa_topology *t, const struct memtier_map *m, u32 node,
                             u64 *allowed);

#endif
