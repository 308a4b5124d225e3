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

#include "base/err.h"
#include "base/types.h"
#include "stats/stats.h"

#define TIER_NAME_MAX  32
#define TIER_CURVE_MAX 32

/* Utilisation is capped here so the queueing delay stays finite when a tier is saturated. */
#define TIER_RHO_MAX 0.99

struct tier_curve_point {
    double bw_gbps; /* offered bandwidth, 1e9 bytes per second */
    double lat_ns;  /* loaded read latency measured at that bandwidth */
};

struct tier_params {
    char name[TIER_NAME_MAX];
    double rd_lat_ns;    /* idle read latency */
    double wr_lat_ns;    /* idle write latency (as seen by a write-back) */
    double peak_bw_gbps; /* sustainable peak bandwidth, 1e9 bytes per second */
    double svc_ns;       /* M/D/1 service time of the queueing model (see docs/tiers.md) */
    u32 n_curve;         /* 0: queueing model; else loaded latency interpolated from curve[] */
    struct tier_curve_point curve[TIER_CURVE_MAX]; /* ascending bw_gbps, all > 0 */
};

/** tier_preset() - fill @out with a named preset ("ddr5-local", "ddr5-remote", "cxl").
 *  Return: false if the name is unknown. */
bool tier_preset(const char *name, struct tier_params *out);

/** tier_preset_names() - comma-separated list of preset names, for messages. */
const char *tier_preset_names(void);

/**
 * tier_params_check() - refuse parameters the model cannot use: latencies and peak bandwidth
 * must be > 0, the curve ascending in bandwidth, non-decreasing in latency and never below
 * the idle read latency. Return: false and @err naming the problem.
 */
bool tier_params_check(const struct tier_params *p, struct emu_err *err);

/**
 * tier_curve_load() - read a loaded-latency curve from @path into @p->curve: one point per
 * line, "bw_gbps lat_ns" (as Intel MLC --loaded_latency reports them, bandwidth converted to
 * GB/s); '#' starts a comment. Return: false and @err on I/O or syntax errors.
 */
bool tier_curve_load(const char *path, struct tier_params *p, struct emu_err *err);

/**
 * tier_loaded_lat_ns() - latency of one access when @offered_gbps is being offered.
 * Monotonically non-decreasing in @offered_gbps; equals the idle latency at 0.
 * Without a curve: idle + svc_ns * rho / (2 * (1 - rho)) (M/D/1 mean wait), with
 * rho = min(offered / peak, TIER_RHO_MAX). With a curve: piecewise-linear through (0, idle)
 * and the curve points, continued past the last point with the last segment's slope.
 * A write adds the same queueing delay to the idle write latency.
 */
double tier_loaded_lat_ns(const struct tier_params *p, double offered_gbps, bool is_write);

/* The per-node runtime state; counters are registered with tier_register_stats(). */
struct tier_state {
    struct tier_params params;
    double cur_rd_lat_ns; /* in effect for the current epoch */
    double cur_wr_lat_ns;
    u64 cur_rd_lat_ns_trunc; /* the two above truncated: what each access adds to lat_ns_sum */
    u64 cur_wr_lat_ns_trunc;
    double offered_gbps;   /* offered in the last finished epoch (gauge) */
    u64 epoch_bytes;       /* bytes this epoch */
    u64 n_reads, n_writes; /* accesses (cache lines) */
    u64 read_bytes, write_bytes;
    u64 lat_ns_sum; /* total latency charged, ns */
};

/** tier_init() - runtime state for @p: idle latencies in effect, counters zero. */
void tier_init(struct tier_state *t, const struct tier_params *p);

/** tier_access() - charge one access of @bytes; Return: its latency in ns. */
static inline double tier_access(struct tier_state *t, bool is_write, u32 bytes)
{
    t->epoch_bytes += bytes;
    if (is_write) {
        t->n_writes++;
        t->write_bytes += bytes;
        t->lat_ns_sum += t->cur_wr_lat_ns_trunc;
        return t->cur_wr_lat_ns;
    }
    t->n_reads++;
    t->read_bytes += bytes;
    t->lat_ns_sum += t->cur_rd_lat_ns_trunc;
    return t->cur_rd_lat_ns;
}

/**
 * tier_epoch_end() - the epoch of @epoch_ns ended: offered_gbps = epoch_bytes / epoch_ns
 * (bytes per ns = GB/s), the loaded latencies at that load take effect for the next epoch,
 * epoch_bytes restarts at 0. An epoch of zero length changes nothing.
 */
void tier_epoch_end(struct tier_state *t, double epoch_ns);

/**
 * tier_register_stats() - register under @g (the caller's "node<N>" group): counters reads,
 * writes, read_bytes, write_bytes, lat_ns_sum; gauges offered_gbps and loaded_lat_ns (the
 * read latency in effect).
 */
void tier_register_stats(struct tier_state *t, struct stats_group *g);

#endif
