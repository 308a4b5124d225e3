/* SPDX-License-Identifier: MIT */
/*
 * Abstract distance, tiers and demotion targets as Linux computes them (mm/memory-tiers.c:
 * mt_perf_to_adistance(), establish_demotion_targets()), from terrace's per-node timing.
 */
#include "numa/memtier.h"

#include <string.h>

u32 memtier_adistance(const struct tier_params *p, const struct tier_params *dram)
{
    /* Linux's HMAT units: integer ns and MB/s; read and write bandwidth are one peak here. */
    u64 lat = (u64)(p->rd_lat_ns + 0.5) + (u64)(p->wr_lat_ns + 0.5);
    u64 dram_lat = (u64)(dram->rd_lat_ns + 0.5) + (u64)(dram->wr_lat_ns + 0.5);
    u64 bw = 2 * (u64)(p->peak_bw_gbps * 1000.0 + 0.5);
    u64 dram_bw = 2 * (u64)(dram->peak_bw_gbps * 1000.0 + 0.5);
    u64 adist;

    if (!dram_lat || !bw)
        return UINT32_MAX;
    adist = (u64)MEMTIER_ADISTANCE_DRAM * lat / dram_lat;
    adist = adist * dram_bw / bw;
    return adist > UINT32_MAX ? UINT32_MAX : (u32)adist;
}

void memtier_build(const struct numa_topology *t, struct memtier_map *m)
{
    const struct tier_params *dram = &t->nodes[0].perf;

    memset(m, 0, sizeof(*m));
    m->n_nodes = t->n_nodes;
    for (u32 i = 0; i < t->n_nodes; i++) {
        if (t->nodes[i].n_cpus) {
            dram = &t->nodes[i].perf;
            break;
        }
    }
    for (u32 i = 0; i < t->n_nodes; i++) {
        m->adist[i] = t->nodes[i].n_cpus ? MEMTIER_ADISTANCE_DRAM
                                         : memtier_adistance(&t->nodes[i].perf, dram);
        m->tier[i] = m->adist[i] >> MEMTIER_CHUNK_BITS;
    }
    /* rank = number of distinct tiers faster than the node's. */
    for (u32 i = 0; i < t->n_nodes; i++) {
        u32 rank = 0;

        for (u32 j = 0; j < t->n_nodes; j++) {
            bool is_new = m->tier[j] < m->tier[i];

            for (u32 k = 0; k < j && is_new; k++)
                is_new = m->tier[k] != m->tier[j];
            rank += is_new;
        }
        m->rank[i] = rank;
        if (rank + 1 > m->n_tiers)
            m->n_tiers = rank + 1;
    }
}

u64 memtier_demotion_targets(const struct numa_topology *t, const struct memtier_map *m, u32 node,
                             u64 *allowed)
{
    u32 next = UINT32_MAX, best = UINT32_MAX;
    u64 lower = 0, preferred = 0;

    for (u32 j = 0; j < m->n_nodes; j++) {
        if (m->tier[j] > m->tier[node]) {
            lower |= 1ull << j;
            if (m->tier[j] < next)
                next = m->tier[j];
        }
    }
    for (u32 j = 0; j < m->n_nodes; j++)
        if (m->tier[j] == next && t->dist[node][j] < best)
            best = t->dist[node][j];
    for (u32 j = 0; j < m->n_nodes; j++)
        if (m->tier[j] == next && t->dist[node][j] == best)
            preferred |= 1ull << j;
    if (allowed)
        *allowed = lower;
    return preferred;
}
