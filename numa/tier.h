/* SPDX-License-Identifier: MIT */
/*
 * Memory tier timing: each node's memory has an idle read/write latency, a peak bandwidth and
 * a loaded latency that rises with the bandwidth offered to it. The loaded latency in effect
 * during an epoch is computed from the bandwidth offered in the previous epoch (causal, and
 * deterministic). Either a queueing model over the peak bandwidth or a measured
 * latency-bandwidth curve (a table) gives the loaded latency. Presets for local DDR5, a remote
 * socket and a CXL memory expander cite their sources in docs/tiers.md.
 */
#ifndef EMU_NUMA_TIER_H
#define EMU_NUMA_TIER_H

#include "base/types.h"
#include "stats/stats.h"

#define TIER_NAME_MAX  32
#define TIER_CURVE_MAX 32

struct tier_curve_point {
    double bw_gbps; /* offered bandwidth, 1e9 bytes per second */
    double lat_ns;  /* loaded read latency measured at that bandwidth */
};

struct tier_params {
    char name[TIER_NAME_MAX];
    double rd_lat_ns;    /* idle read latency */
    double wr_lat_ns;    /* idle write latency (as seen by a write-back) */
    double peak_bw_gbps; /* sustainable peak bandwidth, 1e9 bytes per second */
    u32 n_curve;         /* 0: queueing model; else loaded latency interpolated from curve[] */
    struct tier_curve_point curve[TIER_CURVE_MAX]; /* ascending bw_gbps */
};

/** tier_preset() - fill @out with a named preset ("ddr5-local", "ddr5-remote", "cxl").
 *  Return: false if the name is unknown. */
bool tier_preset(const char *name, struct tier_params *out);

/** tier_preset_names() - comma-separated list of preset names, for messages. */
const char *tier_preset_names(void);

/**
 * tier_loaded_lat_ns() - latency of one access when @offered_gbps is being offered.
 * Monotonically non-decreasing in @offered_gbps; equals the idle latency at 0.
 */
double tier_loaded_lat_ns(const struct tier_params *p, double offered_gbps, bool is_write);

/* The per-node runtime state; counters are registered with tier_register_stats(). */
struct tier_state {
    struct tier_params params;
    double cur_rd_lat_ns; /* in effect for the current epoch */
    double cur_wr_lat_ns;
    double offered_gbps;   /* offered in the last finished epoch (gauge) */
    u64 epoch_bytes;       /* bytes this epoch */
    u64 n_reads, n_writes; /* accesses (cache lines) */
    u64 read_bytes, write_bytes;
    u64 lat_ns_sum; /* total latency charged, ns */
};

void tier_init(struct tier_state *t, const struct tier_params *p);

/** tier_access() - charge one access of @bytes; Return: its latency in ns. */
static inline double tier_access(struct tier_state *t, bool is_write, u32 bytes)
{
    double lat = is_write ? t->cur_wr_lat_ns : t->cur_rd_lat_ns;

    t->epoch_bytes += bytes;
    if (is_write) {
        t->n_writes++;
        t->write_bytes += bytes;
    } else {
        t->n_reads++;
        t->read_bytes += bytes;
    }
    t->lat_ns_sum += (u64)lat;
    return lat;
}

/** tier_epoch_end() - the epoch of @epoch_ns ended: update offered bandwidth and latency. */
void tier_epoch_end(struct tier_state *t, double epoch_ns);

/** tier_register_stats() - reads, writes, read_bytes, write_bytes, offered_gbps, lat. */
void tier_register_stats(struct tier_state *t, struct stats_group *g);

#endif
