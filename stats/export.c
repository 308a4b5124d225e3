/* SPDX-License-Identifier: MIT */
/*
 * Exporters: tidy CSV, wide per-epoch CSV and JSON (RFC 8259), each written atomically through
 * base/afile (temporary file, then rename). Formats are described in docs/stats.md.
 */
#include "stats/stats.h"
#include "base/afile.h"
#include "stats/internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WBUF_FLUSH_BYTES (256 * 1024)

/*
 * Output is assembled in memory and handed to stdio in large pieces: a tidy CSV of 1000 stats
 * over 10000 epochs is ten million rows, and per-field stdio calls would dominate.
 * After a failure (no memory, short write) further appends are dropped.
 */
struct wbuf {
    FILE *fp; /* NULL: only build a string */
    char *p;
    size_t n, cap;
    bool is_nomem;
    int write_errno; /* non-zero after a short write */
};

static void wb_flush(struct wbuf *w)
{
    if (!w->fp || !w->n || w->is_nomem || w->write_errno)
        return;
    if (fwrite(w->p, 1, w->n, w->fp) != w->n)
        w->write_errno = errno ? errno : EIO;
    w->n = 0;
}

static bool wb_reserve(struct wbuf *w, size_t extra)
{
    size_t cap;
    char *p;

    if (w->is_nomem || w->write_errno)
        return false;
    if (w->n + extra <= w->cap)
        return true;
    cap = w->cap ? w->cap : 4096;
    while (cap < w->n + extra)
        cap *= 2;
    p = realloc(w->p, cap);
    if (!p) {
        w->is_nomem = true;
        return false;
    }
    w->p = p;
    w->cap = cap;
    return true;
}

static void wb_mem(struct wbuf *w, const char *src, size_t n)
{
    if (!wb_reserve(w, n))
        return;
    memcpy(w->p + w->n, src, n);
    w->n += n;
}

static void wb_str(struct wbuf *w, const char *str)
{
    wb_mem(w, str, strlen(str));
}

static void wb_chr(struct wbuf *w, char c)
{
    if (wb_reserve(w, 1))
        w->p[w->n++] = c;
}

/* Ends a line, flushing when enough has accumulated. */
static void wb_eol(struct wbuf *w)
{
    wb_chr(w, '\n');
    if (w->n >= WBUF_FLUSH_BYTES)
        wb_flush(w);
}

static void wb_u64(struct wbuf *w, u64 v)
{
    char b[20];
    int i = sizeof(b);

    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    wb_mem(w, b + i, sizeof(b) - (size_t)i);
}

/* Shortest of %.15g..%.17g that reads back as the same double (%.17g always does). */
static void wb_double(struct wbuf *w, double v, bool is_json)
{
    char b[40];
    int prec;

    if (!isfinite(v)) {
        wb_str(w, is_json ? "null" : isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
        return;
    }
    for (prec = 15; prec < 17; prec++) {
        snprintf(b, sizeof(b), "%.*g", prec, v);
        if (strtod(b, NULL) == v)
            break;
    }
    if (prec == 17)
        snprintf(b, sizeof(b), "%.17g", v);
    wb_str(w, b);
}

/* RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
static void wb_csv_field(struct wbuf *w, const char *f)
{
    if (!f[strcspn(f, ",\"\r\n")]) {
        wb_str(w, f);
        return;
    }
    wb_chr(w, '"');
    for (; *f; f++) {
        if (*f == '"')
            wb_chr(w, '"');
        wb_chr(w, *f);
    }
    wb_chr(w, '"');
}

/* RFC 8259 section 7: escape quote, backslash and control characters; UTF-8 passes through. */
static void wb_json_str(struct wbuf *w, const char *str)
{
    static const char hex[] = "0123456789abcdef";

    wb_chr(w, '"');
    for (; *str; str++) {
        u8 c = (u8)*str;

        if (c == '"' || c == '\\') {
            wb_chr(w, '\\');
            wb_chr(w, (char)c);
        } else if (c == '\n') {
            wb_str(w, "\\n");
        } else if (c == '\t') {
            wb_str(w, "\\t");
        } else if (c == '\r') {
            wb_str(w, "\\r");
        } else if (c < 0x20) {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};

            wb_str(w, esc);
        } else {
            wb_chr(w, (char)c);
        }
    }
    wb_chr(w, '"');
}

static const char *const hist_suffix[] = {".samples", ".mean", ".p50", ".p90", ".p99"};

static void wb_hist_field(struct wbuf *w, const struct stats_hist_summary *hs, unsigned k,
                          bool is_json)
{
    const double d[] = {0, hs->mean, hs->p50, hs->p90, hs->p99};

    if (k == 0)
        wb_u64(w, hs->samples);
    else
        wb_double(w, d[k], is_json);
}

/* The single value of a counter, gauge or formula. */
static void wb_scalar(struct wbuf *w, const struct stats_entry *e, const u64 *slots, bool is_json)
{
    if (e->kind == STATS_KIND_COUNTER)
        wb_u64(w, slots[0]);
    else
        wb_double(w, stats_slot_double(slots[0]), is_json);
}

/* Number of stats present in the region's totals (those of its last epoch). */
static u32 region_n_stats(const struct stats_region *r)
{
    return r->n_epochs ? r->epochs[r->n_epochs - 1].n_stats : 0;
}

static u64 region_time_ns(const struct stats_region *r)
{
    return r->n_epochs ? r->epochs[r->n_epochs - 1].time_ns : 0;
}

/* "run,region,<epoch>,<time_ns>," into @pre; @epoch NULL means "total". */
static void tidy_prefix(struct wbuf *pre, const struct stats *s, const struct stats_region *r,
                        const u32 *epoch, u64 time_ns)
{
    pre->n = 0;
    wb_csv_field(pre, s->run);
    wb_chr(pre, ',');
    wb_csv_field(pre, r->name);
    wb_chr(pre, ',');
    if (epoch)
        wb_u64(pre, *epoch);
    else
        wb_str(pre, "total");
    wb_chr(pre, ',');
    wb_u64(pre, time_ns);
    wb_chr(pre, ',');
}

static void tidy_rows(struct wbuf *w, const struct wbuf *pre, const struct stats *s, u32 n_stats,
                      const u64 *row)
{
    struct stats_hist_summary hs;
    unsigned k;
    u32 i;

    for (i = 0; i < n_stats; i++) {
        const struct stats_entry *e = &s->ents[i];

        if (e->kind != STATS_KIND_HIST) {
            wb_mem(w, pre->p, pre->n);
            wb_str(w, e->name);
            wb_chr(w, ',');
            wb_scalar(w, e, row + e->slot, false);
            wb_eol(w);
            continue;
        }
        stats_hist_summarize(e, row + e->slot, &hs);
        for (k = 0; k < ARRAY_LEN(hist_suffix); k++) {
            wb_mem(w, pre->p, pre->n);
            wb_str(w, e->name);
            wb_str(w, hist_suffix[k]);
            wb_chr(w, ',');
            wb_hist_field(w, &hs, k, false);
            wb_eol(w);
        }
    }
}

static void tidy_body(const struct stats *s, struct wbuf *w)
{
    struct wbuf pre = {0};
    u32 ri, ei;

    wb_str(w, "run,region,epoch,time_ns,stat,value");
    wb_eol(w);
    for (ri = 0; ri < s->n_regions; ri++) {
        const struct stats_region *r = &s->regions[ri];

        for (ei = 0; ei < r->n_epochs; ei++) {
            const struct stats_epoch *ep = &r->epochs[ei];

            tidy_prefix(&pre, s, r, &ei, ep->time_ns);
            tidy_rows(w, &pre, s, ep->n_stats, ep->vals);
        }
        if (r->n_epochs) {
            tidy_prefix(&pre, s, r, NULL, region_time_ns(r));
            tidy_rows(w, &pre, s, region_n_stats(r), r->total);
        }
    }
    if (pre.is_nomem)
        w->is_nomem = true;
    free(pre.p);
}

static void wide_body(const struct stats *s, struct wbuf *w)
{
    struct stats_hist_summary hs;
    u32 ri, ei, i;
    unsigned k;

    wb_str(w, "run,region,epoch,time_ns");
    for (i = 0; i < s->n_ents; i++) {
        const struct stats_entry *e = &s->ents[i];

        if (e->kind != STATS_KIND_HIST) {
            wb_chr(w, ',');
            wb_str(w, e->name);
            continue;
        }
        for (k = 0; k < ARRAY_LEN(hist_suffix); k++) {
            wb_chr(w, ',');
            wb_str(w, e->name);
            wb_str(w, hist_suffix[k]);
        }
    }
    wb_eol(w);

    for (ri = 0; ri < s->n_regions; ri++) {
        const struct stats_region *r = &s->regions[ri];

        for (ei = 0; ei < r->n_epochs; ei++) {
            const struct stats_epoch *ep = &r->epochs[ei];

            wb_csv_field(w, s->run);
            wb_chr(w, ',');
            wb_csv_field(w, r->name);
            wb_chr(w, ',');
            wb_u64(w, ei);
            wb_chr(w, ',');
            wb_u64(w, ep->time_ns);
            for (i = 0; i < s->n_ents; i++) {
                const struct stats_entry *e = &s->ents[i];
                bool is_present = i < ep->n_stats;

                if (e->kind != STATS_KIND_HIST) {
                    wb_chr(w, ',');
                    if (is_present)
                        wb_scalar(w, e, ep->vals + e->slot, false);
                    continue;
                }
                if (is_present)
                    stats_hist_summarize(e, ep->vals + e->slot, &hs);
                for (k = 0; k < ARRAY_LEN(hist_suffix); k++) {
                    wb_chr(w, ',');
                    if (is_present)
                        wb_hist_field(w, &hs, k, false);
                }
            }
            wb_eol(w);
        }
    }
}

static void json_key(struct wbuf *w, const char *name, const char *suffix)
{
    wb_chr(w, '"');
    wb_str(w, name); /* stat names are [A-Za-z0-9_.-]: nothing to escape */
    wb_str(w, suffix);
    wb_str(w, "\": ");
}

/* The "values" object of one row: every stat in [0, n_stats). */
static void json_values(struct wbuf *w, const struct stats *s, u32 n_stats, const u64 *row)
{
    struct stats_hist_summary hs;
    unsigned k;
    u32 i, b;

    wb_chr(w, '{');
    for (i = 0; i < n_stats; i++) {
        const struct stats_entry *e = &s->ents[i];
        const u64 *slots = row + e->slot;

        if (i)
            wb_str(w, ", ");
        if (e->kind != STATS_KIND_HIST) {
            json_key(w, e->name, "");
            wb_scalar(w, e, slots, true);
            continue;
        }
        stats_hist_summarize(e, slots, &hs);
        for (k = 0; k < ARRAY_LEN(hist_suffix); k++) {
            json_key(w, e->name, hist_suffix[k]);
            wb_hist_field(w, &hs, k, true);
            wb_str(w, ", ");
        }
        json_key(w, e->name, ".underflow");
        wb_u64(w, slots[STATS_HSLOT_UNDER]);
        wb_str(w, ", ");
        json_key(w, e->name, ".overflow");
        wb_u64(w, slots[STATS_HSLOT_OVER]);
        wb_str(w, ", ");
        json_key(w, e->name, ".buckets");
        wb_chr(w, '[');
        for (b = 0; b < e->hist_n_buckets; b++) {
            if (b)
                wb_chr(w, ',');
            wb_u64(w, slots[STATS_HSLOT_BUCKETS + b]);
        }
        wb_chr(w, ']');
    }
    wb_chr(w, '}');
}

static const char *kind_name(enum stats_kind k)
{
    switch (k) {
    case STATS_KIND_COUNTER:
        return "counter";
    case STATS_KIND_GAUGE:
        return "gauge";
    case STATS_KIND_FORMULA:
        return "formula";
    case STATS_KIND_HIST:
        return "histogram";
    }
    return "?";
}

static void json_body(const struct stats *s, struct wbuf *w)
{
    u32 i, ri, ei;

    wb_str(w, "{\n  \"run\": ");
    wb_json_str(w, s->run);
    wb_str(w, ",\n  \"stats\": {");
    for (i = 0; i < s->n_ents; i++) {
        const struct stats_entry *e = &s->ents[i];

        wb_str(w, i ? ",\n    " : "\n    ");
        json_key(w, e->name, "");
        wb_str(w, "{\"kind\": ");
        wb_json_str(w, kind_name(e->kind));
        wb_str(w, ", \"unit\": ");
        wb_json_str(w, e->unit);
        wb_str(w, ", \"desc\": ");
        wb_json_str(w, e->desc);
        if (e->kind == STATS_KIND_HIST) {
            wb_str(w, ", \"lo\": ");
            wb_u64(w, e->hist_lo);
            wb_str(w, ", \"hi\": ");
            wb_u64(w, e->hist_hi);
            wb_str(w, ", \"n_buckets\": ");
            wb_u64(w, e->hist_n_buckets);
        }
        wb_chr(w, '}');
    }
    wb_str(w, s->n_ents ? "\n  },\n  \"regions\": [" : "},\n  \"regions\": [");
    for (ri = 0; ri < s->n_regions; ri++) {
        const struct stats_region *r = &s->regions[ri];

        wb_str(w, ri ? ",\n    {\"name\": " : "\n    {\"name\": ");
        wb_json_str(w, r->name);
        wb_str(w, ", \"time_ns\": ");
        if (r->n_epochs)
            wb_u64(w, region_time_ns(r));
        else
            wb_str(w, "null");
        wb_str(w, ",\n     \"total\": ");
        json_values(w, s, region_n_stats(r), r->total);
        wb_str(w, ",\n     \"epochs\": [");
        for (ei = 0; ei < r->n_epochs; ei++) {
            const struct stats_epoch *ep = &r->epochs[ei];

            wb_str(w, ei ? ",\n      {\"epoch\": " : "\n      {\"epoch\": ");
            wb_u64(w, ei);
            wb_str(w, ", \"time_ns\": ");
            wb_u64(w, ep->time_ns);
            wb_str(w, ", \"values\": ");
            json_values(w, s, ep->n_stats, ep->vals);
            wb_chr(w, '}');
            if (w->n >= WBUF_FLUSH_BYTES)
                wb_flush(w);
        }
        wb_str(w, r->n_epochs ? "\n     ]}" : "]}");
    }
    wb_str(w, s->n_regions ? "\n  ]\n}" : "]\n}");
    wb_eol(w);
}

static bool export_to(const struct stats *s, const char *path,
                      void (*body)(const struct stats *, struct wbuf *), struct emu_err *err)
{
    struct afile af;
    struct wbuf w = {0};

    if (!afile_open(&af, path, err))
        return false;
    w.fp = af.fp;
    body(s, &w);
    wb_flush(&w);
    free(w.p);
    if (w.is_nomem) {
        afile_abort(&af);
        err_set(err, "out of memory writing '%s'", path);
        return false;
    }
    if (w.write_errno) {
        afile_abort(&af);
        err_set_errno(err, w.write_errno, "cannot write '%s'", path);
        return false;
    }
    return afile_commit(&af, err);
}

bool stats_write_tidy_csv(const struct stats *s, const char *path, struct emu_err *err)
{
    return export_to(s, path, tidy_body, err);
}

bool stats_write_wide_csv(const struct stats *s, const char *path, struct emu_err *err)
{
    return export_to(s, path, wide_body, err);
}

bool stats_write_json(const struct stats *s, const char *path, struct emu_err *err)
{
    return export_to(s, path, json_body, err);
}
