/* SPDX-License-Identifier: MIT */
/*
 * The cache hierarchy in front of the memory tiers: per vCPU L1I, L1D and L2, one shared LLC,
 * all non-inclusive (a miss fills every level it missed in; evicting a line from one level
 * leaves the others alone), write-back and write-allocate. A dirty victim is written into the
 * next level; LLC dirty victims are writes to the node that holds the line. Timing only: the
 * data lives in guest RAM. Defaults and sources: docs/memsys.md.
 *
 * Latency convention: a level's hit latency is the load-to-use latency of a hit in that level
 * (what vendors and measurements quote), not an increment. An LLC miss costs the node's tier
 * latency, which is end-to-end too (the tier presets quote loaded-latency measurements made
 * from a core), floored at the LLC hit latency; set miss_adds_llc_lat if the tier numbers are
 * memory-side only.
 */
#ifndef EMU_MM_MEMSYS_H
#define EMU_MM_MEMSYS_H

#include "base/err.h"
#include "base/types.h"
#include "mm/cache.h"
#include "mm/mmtypes.h"
#include "mm/physmem.h"
#include "numa/tier.h"
#include "stats/stats.h"

struct memsys_config {
    u32 n_cpus;
    double cpu_ghz;          /* converts tier nanoseconds into CPU cycles */
    bool caches_off;         /* ablation: every access goes to its node's tier, one line each */
    bool miss_adds_llc_lat;  /* LLC miss = LLC latency + tier latency (else max of the two) */
    struct cache_config l1i; /* size_bytes 0: no L1I, fetches go to L2 */
    struct cache_config l1d;
    struct cache_config l2;
    struct cache_config llc; /* shared: total size for all cores */
};

/* One vCPU's private caches. */
struct memsys_cpu {
    struct cache l1d;
    struct cache l1i;
    struct cache l2;
} __attribute__((aligned(64)));

struct memsys {
    struct memsys_cpu *cpus;
    u32 line_shift;           /* same line size at every level */
    u32 fast_kinds;           /* bit per access_type that may take the inline L1 path */
    struct physmem *pm;       /* node of each frame */
    struct tier_state *tiers; /* [node], owned by the caller */
    u32 n_nodes;
    u32 line_bytes;
    double cycles_per_ns;
    u32 miss_add_cycles;   /* added to the tier latency of an LLC miss */
    u32 miss_floor_cycles; /* least latency of an LLC miss */
    struct cache llc;
    struct memsys_config cfg;
};

/**
 * memsys_config_default() - a current server core (Intel Sapphire Rapids / Golden Cove,
 * docs/memsys.md): L1I 32 KiB 8-way 5 cycles, L1D 48 KiB 12-way 5 cycles, L2 2 MiB 16-way
 * 16 cycles, LLC 1.875 MiB per core 15-way ~100 cycles, 64-byte lines, 3.0 GHz.
 * @n_cpus: vCPUs (each adds one LLC slice).
 */
void memsys_config_default(struct memsys_config *cfg, u32 n_cpus);

/**
 * memsys_create() - build the hierarchy. @tiers has @n_nodes entries indexed by node id,
 * initialised with tier_init() and owned by the caller; @pm gives each frame's node and must
 * outlive the memsys. Return: NULL and @err on an invalid configuration.
 */
struct memsys *memsys_create(const struct memsys_config *cfg, struct physmem *pm,
                             struct tier_state *tiers, u32 n_nodes, struct emu_err *err);

void memsys_destroy(struct memsys *ms);

/* Out-of-line parts of memsys_access(): an L1 miss of a one-line access (@l1_set is the set
 * the L1 lookup used), and everything else (split lines, fetches without an L1I, caches off). */
u32 memsys_miss_l1(struct memsys *ms, u32 cpu, struct cache_group *l1_set, u64 line,
                   enum access_type kind);
u32 memsys_access_slow(struct memsys *ms, u32 cpu, gpa_t pa, u32 size, enum access_type kind);

/**
 * memsys_access() - time one access of @size bytes (>= 1) at RAM address @pa by vCPU @cpu.
 * READ and WALK go through L1D (paging-structure reads are ordinary cacheable loads whose
 * memory type comes from PCD/PWT, Intel SDM vol. 3 sec. 4.9; Intel's walkers look them up in
 * the L1D, see docs/memsys.md), WRITE too (write-allocate),
 * FETCH through L1I. An access spanning two lines touches both and costs the slower one.
 * Return: latency in CPU cycles (the level that hit, or the tier on an LLC miss).
 */
static inline u32 memsys_access(struct memsys *ms, u32 cpu, gpa_t pa, u32 size,
                                enum access_type kind)
{
    u64 line = pa >> ms->line_shift;

    if (likely(line == (pa + size - 1) >> ms->line_shift && (ms->fast_kinds >> kind) & 1)) {
        struct memsys_cpu *c = &ms->cpus[cpu];
        struct cache *l1 = kind == ACCESS_FETCH ? &c->l1i : &c->l1d;

        struct cache_group *set = cache_set(l1, line);
        int way = cache_lookup(l1, set, line);

        if (likely(way >= 0)) {
            cache_hit(l1, set, (u32)way, kind == ACCESS_WRITE);
            return l1->hit_lat_cycles;
        }
        return memsys_miss_l1(ms, cpu, set, line, kind);
    }
    return memsys_access_slow(ms, cpu, pa, size, kind);
}

/** memsys_port() - a mem_port whose accesses go through memsys_access() (for the walker). */
struct mem_port memsys_port(struct memsys *ms);

/**
 * memsys_epoch_end() - an epoch of @epoch_ns virtual nanoseconds ended: every node's tier
 * updates its offered bandwidth and the loaded latency used in the next epoch.
 */
void memsys_epoch_end(struct memsys *ms, double epoch_ns);

/**
 * memsys_register_stats() - under @root: cpu<N>.l1d.*, cpu<N>.l1i.* (if present),
 * cpu<N>.l2.*, llc.* (hits, misses, writebacks) and node<N>.* through tier_register_stats().
 */
void memsys_register_stats(struct memsys *ms, struct stats_group *root);

#endif
