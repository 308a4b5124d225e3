/* SPDX-License-Identifier: MIT */
/*
 * Private to stats/: the registry's layout, shared by the registry (stats.c) and the
 * exporters (export.c). No other folder includes this file.
 */
#ifndef EMU_STATS_INTERNAL_H
#define EMU_STATS_INTERNAL_H

#include "stats/stats.h"

enum stats_kind { STATS_KIND_COUNTER, STATS_KIND_GAUGE, STATS_KIND_FORMULA, STATS_KIND_HIST };

/* Slot layout of a histogram inside a snapshot row; the buckets follow. */
enum {
    STATS_HSLOT_SAMPLES,
    STATS_HSLOT_SUM,
    STATS_HSLOT_UNDER,
    STATS_HSLOT_OVER,
    STATS_HSLOT_BUCKETS,
};

struct stats_entry {
    char *name; /* full dotted name */
    char *unit;
    char *desc;
    enum stats_kind kind;
    u32 slot;    /* first slot in snapshot rows */
    u32 n_slots; /* 1, or STATS_HSLOT_BUCKETS + n_buckets */
    const u64 *counter;
    const double *gauge;
    stats_formula_fn *fn;
    const void *opaque;
    struct stats_hist *hist; /* the owner's struct: read at snapshots, never freed */
    u64 *buckets;            /* histogram buckets, owned here */
    u64 hist_lo, hist_hi;
    u32 hist_n_buckets;
};

struct stats_group {
    struct stats *s;
    char *path; /* "" for the root, "cpu0.dtlb" */
};

struct stats_epoch {
    u64 time_ns;
    u32 n_stats; /* entries [0, n_stats) were registered when the snapshot was taken */
    u64 *vals;   /* one slot per u64, doubles by bit pattern */
};

struct stats_region {
    char *name;
    struct stats_epoch *epochs;
    u32 n_epochs, cap_epochs;
    u64 *total;        /* sums of the epochs' deltas; gauges/formulas: the last sample */
    u32 n_total_slots; /* slots allocated in total[] */
};

struct stats {
    char *run;
    struct stats_group root;
    struct stats_group **groups;
    u32 n_groups, cap_groups;
    struct stats_entry *ents;
    u32 n_ents, cap_ents;
    u32 n_slots;   /* slots of a full snapshot row */
    u64 *last;     /* value of each counter/histogram slot at the previous snapshot */
    u32 cap_slots; /* allocated length of last[] */
    u32 *index;    /* open-addressing hash of full names: entry index + 1, 0 = empty */
    u32 index_cap; /* power of two */
    struct stats_region *regions;
    u32 n_regions, cap_regions;
};

/* Summary of a histogram's slots in a row, as exported. */
struct stats_hist_summary {
    u64 samples;
    double mean, p50, p90, p99;
};

void stats_hist_summarize(const struct stats_entry *e, const u64 *slots,
                          struct stats_hist_summary *out);

double stats_percentile_of(u64 lo, u64 hi, u32 n_buckets, const u64 *buckets, u64 underflow,
                           u64 overflow, double p);

static inline double stats_slot_double(u64 bits)
{
    double d;

    __builtin_memcpy(&d, &bits, sizeof(d));
    return d;
}

static inline u64 stats_double_slot(double d)
{
    u64 bits;

    __builtin_memcpy(&bits, &d, sizeof(bits));
    return bits;
}

#endif
