/* SPDX-License-Identifier: MIT */
/*
 * Trace replay: drives mm/ (TLBs, page-walk caches, the page walker, the cache hierarchy) and
 * numa/ (tier timing) from a trace, with no CPU. A minimal "OS" inside the replay places each
 * page on its first touch (first-touch local, interleaved, or bound to a node), builds real
 * x86-64 page tables for it in guest-physical memory, and lets the modelled hardware walk
 * them. Time is virtual: each CPU's clock advances by instructions x CPI plus the latency of
 * every access; stats are snapshotted at the end of every epoch of virtual time.
 */
#ifndef EMU_TRACES_REPLAY_H
#define EMU_TRACES_REPLAY_H

#include "base/err.h"
#include "base/types.h"
#include "mm/memsys.h"
#include "mm/mmu.h"
#include "numa/topology.h"
#include "stats/stats.h"
#include "traces/trace.h"

enum replay_placement {
    REPLAY_FIRST_TOUCH, /* the touching CPU's node, then the nearest node with free memory */
    REPLAY_INTERLEAVE,  /* round robin over the nodes with memory, page by page */
    REPLAY_BIND,        /* node place_node first, then the nearest with free memory */
};

struct replay_config {
    const struct numa_topology *topo; /* finalized; must outlive the replay */
    struct mmu_config mmu;
    struct memsys_config mem;
    enum replay_placement placement;
    u32 place_node;           /* REPLAY_BIND */
    enum page_size page_size; /* PAGE_4K, or PAGE_2M (transparent huge pages) */
    bool la57;                /* 5-level paging */
    u64 epoch_ns;             /* virtual time per stats epoch */
    double cpi;               /* cycles per instruction outside memory accesses */
    const char *run_name;
};

struct replay;

/** replay_config_default() - first touch, 4K pages, 4-level, 1 ms epochs, CPI 1, defaults of
 *  mm/ for the TLBs and caches, for the (finalized) topology @topo. */
void replay_config_default(struct replay_config *cfg, const struct numa_topology *topo);

/** replay_placement_parse() - "first-touch", "interleave", "node=N". */
bool replay_placement_parse(const char *s, struct replay_config *cfg, struct emu_err *err);

/** replay_create() - guest RAM, page tables, per-CPU MMUs, caches, tiers and stats. */
struct replay *replay_create(const struct replay_config *cfg, struct emu_err *err);

void replay_destroy(struct replay *r);

/**
 * replay_run() - replay every record of @tr. Return: false and @err when the trace is
 * corrupt, names a CPU the machine does not have, or needs more memory than the guest has.
 */
bool replay_run(struct replay *r, struct trace_reader *tr, struct emu_err *err);

/** replay_stats() - the run's registry (epochs already snapshotted by replay_run()). */
struct stats *replay_stats(struct replay *r);

/** replay_rss_bytes() - host memory held by guest RAM now (for bench/). */
u64 replay_rss_bytes(const struct replay *r);

#endif
