/* SPDX-License-Identifier: MIT */
/*
 * Statistics registry. Components own their counters as plain fields (incrementing one is a
 * single add in memory that is already hot) and register a pointer to each, with a unit and a
 * description, under a hierarchical dotted name: "cpu0.dtlb.l1.misses", "node1.read_bytes".
 * The registry belongs to one run (a machine or a replay); there is no global registry.
 *
 * Time structure: a run is divided into regions (regions of interest, "roi-1"), each region
 * into epochs. stats_epoch_end() snapshots every stat; exporters write those snapshots.
 * Without stats_region_begin() an implicit region "all" starts with the run (counters from 0).
 *
 * Names: a full name is the group path plus the stat name joined by '.'; every component is
 * non-empty and made of [A-Za-z0-9_-] (a stat name may itself contain inner dots). Full names
 * are unique; registering one twice is a bug (EMU_CHECK). Exports keep registration order.
 * Stats may be registered at any time; one registered after a snapshot is simply absent from
 * the earlier epochs, and its counters count from 0.
 *
 * Snapshots hold, per epoch, one u64 array (doubles stored by bit pattern): counters and
 * histogram fields as their increase during the epoch, gauges and formulas as sampled.
 * A counter found lower than at the previous snapshot is taken to have been reset by its owner
 * and contributes its whole value. Size: 8 bytes per counter/gauge/formula per epoch and
 * 8 * (n_buckets + 4) per histogram, e.g. 1000 stats x 10000 epochs = 80 MB.
 */
#ifndef EMU_STATS_STATS_H
#define EMU_STATS_STATS_H

#include "base/err.h"
#include "base/types.h"

struct stats;
struct stats_group;

/* A histogram with fixed-width buckets over [lo, hi); samples outside go to under/overflow. */
struct stats_hist {
    u64 lo, hi;    /* range covered by the buckets, in the registered unit */
    u32 n_buckets; /* bucket width = (hi - lo) / n_buckets */
    u64 *buckets;  /* owned by the registry after stats_hist() */
    u64 underflow, overflow;
    u64 n_samples;
    u64 sum; /* sum of samples, for the mean */
};

/** stats_hist_add() - record one sample. Hot-path friendly: no calls, one division. */
static inline void stats_hist_add(struct stats_hist *h, u64 v)
{
    h->n_samples++;
    h->sum += v;
    if (v < h->lo)
        h->underflow++;
    else if (v >= h->hi)
        h->overflow++;
    else
        h->buckets[(v - h->lo) * h->n_buckets / (h->hi - h->lo)]++;
}

typedef double stats_formula_fn(const void *opaque);

/** stats_create() - a registry for one run, named @run_name (the "run" column of exports). */
struct stats *stats_create(const char *run_name);

/** stats_destroy() - free the registry, its groups, histograms and snapshots. */
void stats_destroy(struct stats *s);

/** stats_root() - the unnamed root group. */
struct stats_group *stats_root(struct stats *s);

/**
 * stats_group_new() - a child group; its name is one path component ("cpu0", "stlb") and
 * may be given as a printf format. Return: the group (owned by the registry).
 */
struct stats_group *stats_group_new(struct stats_group *parent, const char *fmt, ...)
    EMU_PRINTF(2, 3);

/**
 * stats_counter() - register a monotonically increasing u64 owned by the caller.
 * Per-epoch exports show the increase during the epoch; "total" shows the increase during
 * the region (the sum of its epochs).
 * @unit: "count", "bytes", "cycles", "ns"...; @desc: one line. Both required.
 */
void stats_counter(struct stats_group *g, const char *name, const u64 *val, const char *unit,
                   const char *desc);

/**
 * stats_gauge() - register an instantaneous value (sampled as is at each epoch end; "total"
 * shows the value sampled at the region's last epoch).
 */
void stats_gauge(struct stats_group *g, const char *name, const double *val, const char *unit,
                 const char *desc);

/**
 * stats_formula() - a derived value computed at snapshot time, e.g. a miss rate; exported
 * like a gauge. @fn must not call back into the registry.
 */
void stats_formula(struct stats_group *g, const char *name, stats_formula_fn *fn,
                   const void *opaque, const char *unit, const char *desc);

/**
 * stats_hist() - initialise @h (buckets allocated and owned by the registry) and register it.
 * Requires lo < hi and n_buckets >= 1. Exports give <name>.samples, .mean, .p50, .p90 and
 * .p99 estimated from the samples of the epoch (or region); JSON adds the buckets.
 * The registry frees the buckets in stats_destroy() without touching @h again.
 */
void stats_hist(struct stats_group *g, const char *name, struct stats_hist *h, u64 lo, u64 hi,
                u32 n_buckets, const char *unit, const char *desc);

/**
 * stats_hist_percentile() - estimate the @p quantile (0 <= p <= 1) of @h, interpolating
 * linearly inside a bucket; underflow samples count as @lo, overflow samples as @hi.
 * Return: the estimate, or NaN when @h has no samples.
 */
double stats_hist_percentile(const struct stats_hist *h, double p);

/**
 * stats_region_begin() - start region @name (ends the previous one); epochs restart at 0.
 * Counts since the last stats_epoch_end() belong to no region: end an epoch first to keep them.
 */
void stats_region_begin(struct stats *s, const char *name);

/**
 * stats_epoch_end() - snapshot every registered stat at virtual time @time_ns (end of the
 * epoch) into the current region. The first epoch of a region starts where the region began.
 */
void stats_epoch_end(struct stats *s, u64 time_ns);

/**
 * stats_reset() - zero registered counters and histograms (gauges are the owner's). Stored
 * snapshots stay; the next epoch counts from the reset.
 */
void stats_reset(struct stats *s);

/** stats_lookup_u64() - current value of a registered counter by full name; false if none. */
bool stats_lookup_u64(const struct stats *s, const char *full_name, u64 *out);

/**
 * Exporters; each writes atomically (temporary file, then rename) and leaves nothing behind
 * on failure.
 * - tidy CSV: header "run,region,epoch,time_ns,stat,value", one row per stat per epoch; for
 *   counters the value is the increase during the epoch. Rows with epoch "total" hold the
 *   region's totals, with the time of the region's last epoch.
 * - wide CSV: one row per epoch, columns "run,region,epoch,time_ns,<stat>..."; a stat absent
 *   from an epoch (registered later) leaves its cell empty.
 * - JSON: {"run":..., "stats":{name:{kind,unit,desc}}, "regions":[{name, time_ns, total:{...},
 *   epochs:[{epoch,time_ns,values:{...}}]}]}.
 * Counters print as integers, doubles as the shortest of %.15g/%.16g/%.17g that reads back
 * exactly; non-finite doubles print as nan/inf in CSV and null in JSON. See docs/stats.md.
 */
bool stats_write_tidy_csv(const struct stats *s, const char *path, struct emu_err *err);
bool stats_write_wide_csv(const struct stats *s, const char *path, struct emu_err *err);
bool stats_write_json(const struct stats *s, const char *path, struct emu_err *err);

#endif
