/* SPDX-License-Identifier: MIT */
/*
 * Statistics registry: groups, counters, gauges, formulas and histograms under dotted names;
 * regions and epochs whose snapshots the exporters (export.c) write out.
 */
#include "stats/stats.h"
#include "base/check.h"
#include "stats/internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Registration and snapshots have no error channel; running out of memory there is fatal. */
static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    EMU_CHECK(q != NULL);
    return q;
}

static char *xstrdup(const char *str)
{
    size_t n = strlen(str) + 1;
    char *d = xrealloc(NULL, n);

    memcpy(d, str, n);
    return d;
}

/* Grows *arr (elements of @elem bytes) so that index @need - 1 exists. */
static void grow(void **arr, u32 *cap, u32 need, size_t elem)
{
    u32 n = *cap ? *cap : 8;

    if (need <= *cap)
        return;
    while (n < need) {
        EMU_CHECK(n <= UINT32_MAX / 2);
        n *= 2;
    }
    *arr = xrealloc(*arr, (size_t)n * elem);
    *cap = n;
}

/* One name component or dotted run of them: [A-Za-z0-9_-]+ separated by single dots. */
static bool name_is_valid(const char *n)
{
    bool at_start = true;

    for (; *n; n++) {
        char c = *n;

        if (c == '.') {
            if (at_start)
                return false;
            at_start = true;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
        at_start = false;
    }
    return !at_start;
}

static char *join_name(const char *path, const char *name)
{
    size_t a = strlen(path), b = strlen(name);
    char *full = xrealloc(NULL, a + b + 2);

    if (a) {
        memcpy(full, path, a);
        full[a++] = '.';
    }
    memcpy(full + a, name, b + 1);
    return full;
}

/* FNV-1a: names are short and few; this only has to spread them. */
static u32 name_hash(const char *n)
{
    u32 h = 2166136261u;

    for (; *n; n++)
        h = (h ^ (u8)*n) * 16777619u;
    return h;
}

/* Index of the entry named @name, or -1. */
static i64 index_find(const struct stats *s, const char *name)
{
    u32 mask = s->index_cap - 1, i;

    if (!s->index_cap)
        return -1;
    for (i = name_hash(name) & mask; s->index[i]; i = (i + 1) & mask)
        if (strcmp(s->ents[s->index[i] - 1].name, name) == 0)
            return s->index[i] - 1;
    return -1;
}

static void index_put(u32 *index, u32 cap, const char *name, u32 ent)
{
    u32 mask = cap - 1, i = name_hash(name) & mask;

    while (index[i])
        i = (i + 1) & mask;
    index[i] = ent + 1;
}

/* Keeps the table at most half full so probes stay short. */
static void index_grow(struct stats *s)
{
    u32 cap, i;

    if ((u64)(s->n_ents + 1) * 2 <= s->index_cap)
        return;
    cap = s->index_cap ? s->index_cap * 2 : 64;
    free(s->index);
    s->index = xrealloc(NULL, (size_t)cap * sizeof(*s->index));
    memset(s->index, 0, (size_t)cap * sizeof(*s->index));
    s->index_cap = cap;
    for (i = 0; i < s->n_ents; i++)
        index_put(s->index, cap, s->ents[i].name, i);
}

struct stats *stats_create(const char *run_name)
{
    struct stats *s = xrealloc(NULL, sizeof(*s));

    memset(s, 0, sizeof(*s));
    s->run = xstrdup(run_name ? run_name : "");
    s->root.s = s;
    s->root.path = xstrdup("");
    return s;
}

static void region_free(struct stats_region *r)
{
    u32 i;

    for (i = 0; i < r->n_epochs; i++)
        free(r->epochs[i].vals);
    free(r->epochs);
    free(r->total);
    free(r->name);
}

void stats_destroy(struct stats *s)
{
    u32 i;

    if (!s)
        return;
    for (i = 0; i < s->n_regions; i++)
        region_free(&s->regions[i]);
    free(s->regions);
    for (i = 0; i < s->n_ents; i++) {
        free(s->ents[i].name);
        free(s->ents[i].unit);
        free(s->ents[i].desc);
        free(s->ents[i].buckets);
    }
    free(s->ents);
    for (i = 0; i < s->n_groups; i++) {
        free(s->groups[i]->path);
        free(s->groups[i]);
    }
    free(s->groups);
    free(s->root.path);
    free(s->last);
    free(s->index);
    free(s->run);
    free(s);
}

struct stats_group *stats_root(struct stats *s)
{
    return &s->root;
}

struct stats_group *stats_group_new(struct stats_group *parent, const char *fmt, ...)
{
    struct stats *s = parent->s;
    struct stats_group *g;
    char *comp;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    EMU_CHECK(n > 0);
    comp = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(comp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    EMU_CHECK(name_is_valid(comp));

    g = xrealloc(NULL, sizeof(*g));
    g->s = s;
    g->path = join_name(parent->path, comp);
    free(comp);
    grow((void **)&s->groups, &s->cap_groups, s->n_groups + 1, sizeof(*s->groups));
    s->groups[s->n_groups++] = g;
    return g;
}

/* Names under which a histogram's fields are exported; see export.c. */
static const char *const hist_field_suffix[] = {
    ".samples", ".mean", ".p50", ".p90", ".p99", ".underflow", ".overflow", ".buckets",
};

/*
 * True if @full would collide with an exported histogram field: either it is "<hist>.<field>"
 * for a registered histogram, or it is a histogram whose "<full>.<field>" is registered.
 */
static bool clashes_with_hist_field(const struct stats *s, const char *full, bool is_hist)
{
    size_t n = strlen(full), k;

    for (k = 0; k < ARRAY_LEN(hist_field_suffix); k++) {
        const char *suf = hist_field_suffix[k];
        size_t m = strlen(suf);

        if (is_hist) {
            char *derived = join_name(full, suf + 1);
            bool found = index_find(s, derived) >= 0;

            free(derived);
            if (found)
                return true;
        } else if (n > m && strcmp(full + n - m, suf) == 0) {
            char *base = xstrdup(full);
            i64 i;

            base[n - m] = '\0';
            i = index_find(s, base);
            free(base);
            if (i >= 0 && s->ents[i].kind == STATS_KIND_HIST)
                return true;
        }
    }
    return false;
}

/* Appends an entry with @n_slots snapshot slots; the caller fills in the source. */
static struct stats_entry *entry_add(struct stats_group *g, const char *name, enum stats_kind kind,
                                     u32 n_slots, const char *unit, const char *desc)
{
    struct stats *s = g->s;
    struct stats_entry *e;
    char *full;

    EMU_CHECK(name && name_is_valid(name));
    EMU_CHECK(unit && *unit && desc && *desc);
    full = join_name(g->path, name);
    EMU_CHECK(index_find(s, full) < 0); /* duplicate full name */
    EMU_CHECK(!clashes_with_hist_field(s, full, kind == STATS_KIND_HIST));
    EMU_CHECK(n_slots <= UINT32_MAX - s->n_slots);

    grow((void **)&s->ents, &s->cap_ents, s->n_ents + 1, sizeof(*s->ents));
    index_grow(s);
    e = &s->ents[s->n_ents];
    memset(e, 0, sizeof(*e));
    e->name = full;
    e->unit = xstrdup(unit);
    e->desc = xstrdup(desc);
    e->kind = kind;
    e->slot = s->n_slots;
    e->n_slots = n_slots;
    index_put(s->index, s->index_cap, full, s->n_ents);
    s->n_ents++;

    /* A new stat's baseline is 0: its counts start with the run, not with its registration. */
    grow((void **)&s->last, &s->cap_slots, s->n_slots + n_slots, sizeof(*s->last));
    memset(s->last + s->n_slots, 0, (size_t)n_slots * sizeof(*s->last));
    s->n_slots += n_slots;
    return e;
}

void stats_counter(struct stats_group *g, const char *name, const u64 *val, const char *unit,
                   const char *desc)
{
    EMU_CHECK(val != NULL);
    entry_add(g, name, STATS_KIND_COUNTER, 1, unit, desc)->counter = val;
}

void stats_gauge(struct stats_group *g, const char *name, const double *val, const char *unit,
                 const char *desc)
{
    EMU_CHECK(val != NULL);
    entry_add(g, name, STATS_KIND_GAUGE, 1, unit, desc)->gauge = val;
}

void stats_formula(struct stats_group *g, const char *name, stats_formula_fn *fn,
                   const void *opaque, const char *unit, const char *desc)
{
    struct stats_entry *e;

    EMU_CHECK(fn != NULL);
    e = entry_add(g, name, STATS_KIND_FORMULA, 1, unit, desc);
    e->fn = fn;
    e->opaque = opaque;
}

void stats_hist(struct stats_group *g, const char *name, struct stats_hist *h, u64 lo, u64 hi,
                u32 n_buckets, const char *unit, const char *desc)
{
    struct stats_entry *e;

    EMU_CHECK(h != NULL && lo < hi && n_buckets >= 1);
    /* stats_hist_add() computes (v - lo) * n_buckets with v < hi: that product must fit. */
    EMU_CHECK(hi - lo <= UINT64_MAX / n_buckets);
    EMU_CHECK(n_buckets <= UINT32_MAX - STATS_HSLOT_BUCKETS);
    e = entry_add(g, name, STATS_KIND_HIST, STATS_HSLOT_BUCKETS + n_buckets, unit, desc);
    e->buckets = xrealloc(NULL, (size_t)n_buckets * sizeof(u64));
    memset(e->buckets, 0, (size_t)n_buckets * sizeof(u64));
    e->hist = h;
    e->hist_lo = lo;
    e->hist_hi = hi;
    e->hist_n_buckets = n_buckets;
    memset(h, 0, sizeof(*h));
    h->lo = lo;
    h->hi = hi;
    h->n_buckets = n_buckets;
    h->buckets = e->buckets;
}

double stats_percentile_of(u64 lo, u64 hi, u32 n_buckets, const u64 *buckets, u64 underflow,
                           u64 overflow, double p)
{
    double n, rank, cum, width = ((double)hi - (double)lo) / n_buckets;
    u32 b;

    n = (double)underflow + (double)overflow;
    for (b = 0; b < n_buckets; b++)
        n += (double)buckets[b];
    if (n == 0)
        return NAN;
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    rank = p * n;
    cum = (double)underflow;
    if (underflow && rank <= cum)
        return (double)lo;
    for (b = 0; b < n_buckets; b++) {
        double c = (double)buckets[b];

        if (c > 0 && cum + c >= rank)
            return (double)lo + width * (b + (rank - cum) / c);
        cum += c;
    }
    return (double)hi;
}

double stats_hist_percentile(const struct stats_hist *h, double p)
{
    return stats_percentile_of(h->lo, h->hi, h->n_buckets, h->buckets, h->underflow, h->overflow,
                               p);
}

void stats_hist_summarize(const struct stats_entry *e, const u64 *slots,
                          struct stats_hist_summary *out)
{
    const u64 *bk = slots + STATS_HSLOT_BUCKETS;
    u64 under = slots[STATS_HSLOT_UNDER], over = slots[STATS_HSLOT_OVER];

    out->samples = slots[STATS_HSLOT_SAMPLES];
    out->mean = out->samples ? (double)slots[STATS_HSLOT_SUM] / (double)out->samples : NAN;
    out->p50 =
        stats_percentile_of(e->hist_lo, e->hist_hi, e->hist_n_buckets, bk, under, over, 0.50);
    out->p90 =
        stats_percentile_of(e->hist_lo, e->hist_hi, e->hist_n_buckets, bk, under, over, 0.90);
    out->p99 =
        stats_percentile_of(e->hist_lo, e->hist_hi, e->hist_n_buckets, bk, under, over, 0.99);
}

static struct stats_region *region_new(struct stats *s, const char *name)
{
    struct stats_region *r;

    grow((void **)&s->regions, &s->cap_regions, s->n_regions + 1, sizeof(*s->regions));
    r = &s->regions[s->n_regions++];
    memset(r, 0, sizeof(*r));
    r->name = xstrdup(name);
    return r;
}

/* Reads the current value of every slot of @e into @out. */
static void entry_read(const struct stats_entry *e, u64 *out)
{
    const struct stats_hist *h = e->hist;

    switch (e->kind) {
    case STATS_KIND_COUNTER:
        out[0] = *e->counter;
        break;
    case STATS_KIND_GAUGE:
        out[0] = stats_double_slot(*e->gauge);
        break;
    case STATS_KIND_FORMULA:
        out[0] = stats_double_slot(e->fn(e->opaque));
        break;
    case STATS_KIND_HIST:
        out[STATS_HSLOT_SAMPLES] = h->n_samples;
        out[STATS_HSLOT_SUM] = h->sum;
        out[STATS_HSLOT_UNDER] = h->underflow;
        out[STATS_HSLOT_OVER] = h->overflow;
        memcpy(out + STATS_HSLOT_BUCKETS, e->buckets, (size_t)e->hist_n_buckets * sizeof(u64));
        break;
    }
}

static bool entry_is_sampled(const struct stats_entry *e)
{
    return e->kind == STATS_KIND_GAUGE || e->kind == STATS_KIND_FORMULA;
}

void stats_region_begin(struct stats *s, const char *name)
{
    u32 i;

    EMU_CHECK(name != NULL);
    region_new(s, name);
    /* The region counts from here: what happened before belongs to no epoch of it. */
    for (i = 0; i < s->n_ents; i++)
        if (!entry_is_sampled(&s->ents[i]))
            entry_read(&s->ents[i], s->last + s->ents[i].slot);
}

void stats_epoch_end(struct stats *s, u64 time_ns)
{
    struct stats_region *r;
    struct stats_epoch *ep;
    u32 i, k;

    if (!s->n_regions)
        region_new(s, "all");
    r = &s->regions[s->n_regions - 1];
    grow((void **)&r->epochs, &r->cap_epochs, r->n_epochs + 1, sizeof(*r->epochs));
    if (r->n_total_slots < s->n_slots) {
        r->total = xrealloc(r->total, (size_t)s->n_slots * sizeof(u64));
        memset(r->total + r->n_total_slots, 0,
               (size_t)(s->n_slots - r->n_total_slots) * sizeof(u64));
        r->n_total_slots = s->n_slots;
    }
    ep = &r->epochs[r->n_epochs++];
    ep->time_ns = time_ns;
    ep->n_stats = s->n_ents;
    ep->vals = xrealloc(NULL, (size_t)s->n_slots * sizeof(u64));

    for (i = 0; i < s->n_ents; i++) {
        const struct stats_entry *e = &s->ents[i];
        u64 *v = ep->vals + e->slot, *last = s->last + e->slot, *tot = r->total + e->slot;

        entry_read(e, v);
        if (entry_is_sampled(e)) {
            tot[0] = v[0];
            continue;
        }
        for (k = 0; k < e->n_slots; k++) {
            u64 cur = v[k];

            /* Lower than before: the owner reset it, so all of it is new. */
            v[k] = cur >= last[k] ? cur - last[k] : cur;
            last[k] = cur;
            tot[k] += v[k];
        }
    }
}

void stats_reset(struct stats *s)
{
    u32 i;

    for (i = 0; i < s->n_ents; i++) {
        struct stats_entry *e = &s->ents[i];

        /* The owner's fields are writable; the registry reads them through const pointers. */
        if (e->kind == STATS_KIND_COUNTER) {
            *(u64 *)e->counter = 0;
        } else if (e->kind == STATS_KIND_HIST) {
            e->hist->n_samples = e->hist->sum = 0;
            e->hist->underflow = e->hist->overflow = 0;
            memset(e->buckets, 0, (size_t)e->hist_n_buckets * sizeof(u64));
        } else {
            continue;
        }
        memset(s->last + e->slot, 0, (size_t)e->n_slots * sizeof(u64));
    }
}

bool stats_lookup_u64(const struct stats *s, const char *full_name, u64 *out)
{
    i64 i = index_find(s, full_name);

    if (i < 0 || s->ents[i].kind != STATS_KIND_COUNTER)
        return false;
    *out = *s->ents[i].counter;
    return true;
}
