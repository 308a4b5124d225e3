/* SPDX-License-Identifier: MIT */
/*
 * terrace-plot: tidy stats CSV (run,region,epoch,time_ns,stat,value) -> PNG/SVG via gnuplot.
 * Reads one or more runs, aggregates the stats the plots need, writes gnuplot data files to a
 * private temporary folder and renders the gnuplot scripts of stats/plots (built in).
 */
#include "base/err.h"
#include "base/types.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef TERRACE_PLOTS_EMBEDDED
#include "plots_gp.h"
#endif

#define PROG            "terrace-plot"
#define PLOT_MAX_NODES  64
#define PLOT_MAX_CPUS   4096
#define PLOT_MAX_OUTPUT 4096

/* The stats the plots read; node fields are kept per node, CPU fields summed over CPUs. */
enum field {
    F_READS,
    F_WRITES,
    F_LOADED_LAT,
    F_OFFERED_BW,
    F_LAT_SUM,
    N_NODE_FIELDS,
    F_DTLB_HITS = N_NODE_FIELDS,
    F_DTLB_MISSES,
    F_STLB_HITS,
    F_STLB_MISSES,
    F_ITLB_HITS,
    F_ITLB_MISSES,
    F_WALK_COUNT,
    F_WALK_CYCLES,
    F_REPLAY_TIME,
    N_FIELDS
};

struct row {
    u32 sample;
    u16 field;
    u16 node;
    double value;
};

/* One epoch of one region, or a region's totals (epoch == -1). */
struct sample {
    u32 region;
    i64 epoch;
    double time_ns;
};

struct run {
    char *name;       /* the CSV's run column */
    char *label;      /* unique among runs: legends and titles */
    char *file_stem;  /* unique, file-name safe: output file prefix */
    const char *path; /* CSV it came from */
    char **regions;
    u32 n_regions;
    struct sample *samples;
    u32 n_samples, cap_samples;
    u32 *slots; /* open-addressing index over samples, keyed by (region, epoch) */
    u32 n_slots;
    struct row *rows;
    size_t n_rows, cap_rows;
    bool has_node[PLOT_MAX_NODES];
    bool has_field[N_FIELDS];
    u32 n_nodes; /* highest node index seen + 1 */
    /* After run_build(): values per sample, NaN where absent. */
    double *vals; /* [sample][N_NODE_FIELDS * n_nodes + cpu fields] */
    u32 stride;
    u32 *order; /* epoch samples sorted by time */
    u32 n_order;
    double tot[N_FIELDS][PLOT_MAX_NODES]; /* run totals (node fields per node) */
};

struct plot_opts {
    const char *outdir;
    const char *title;
    const char *scripts_dir;
    bool fmt_png, fmt_svg;
};

struct ctx {
    struct plot_opts opt;
    struct run **runs;
    u32 n_runs;
    char tmpdir[PLOT_MAX_OUTPUT];   /* data and scripts, removed at exit */
    char stagedir[PLOT_MAX_OUTPUT]; /* outputs before they are renamed into outdir */
    char **outputs;                 /* file names expected in stagedir */
    u32 n_outputs;
    char *created_dirs[64]; /* outdir components we created, removed on failure */
    u32 n_created;
    double xscale; /* time_ns per x unit */
    const char *xunit;
    FILE *drv; /* gnuplot driver script */
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, PROG ": out of memory\n");
        exit(1);
    }
    return p;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        fprintf(stderr, PROG ": out of memory\n");
        exit(1);
    }
    p = realloc(p, n && size ? n * size : 1);
    if (!p) {
        fprintf(stderr, PROG ": out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xcalloc(n, 1);
    memcpy(p, s, n);
    return p;
}

static char *xasprintf(const char *fmt, ...) EMU_PRINTF(1, 2);
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = xcalloc((size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- CSV reading ---------------------------------------------------------------------- */

#define CSV_FIELDS 6

static const char *const csv_header[CSV_FIELDS] = {"run",     "region", "epoch",
                                                   "time_ns", "stat",   "value"};

/*
 * Split @line in place into at most @max fields. Fields may be quoted ("a,b", "say ""hi""");
 * unquoted fields are trimmed of blanks. Return: number of fields, or -1 with @why set.
 */
static int csv_split(char *line, char **fields, int max, const char **why)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *start = p, *end;
        if (*p == '"') {
            char *w = p;
            start = w;
            p++;
            for (;;) {
                if (*p == '\0') {
                    *why = "unterminated quoted field";
                    return -1;
                }
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            end = w;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ',' && *p != '\0') {
                *why = "text after a closing quote";
                return -1;
            }
        } else {
            while (*p != ',' && *p != '\0') {
                if (*p == '"') {
                    *why = "quote inside an unquoted field";
                    return -1;
                }
                p++;
            }
            end = p;
            while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
        }
        bool more = *p == ',';
        *end = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (!more)
            return n;
        p++;
    }
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    if (*s == '\0')
        return false;
    errno = 0;
    *out = strtod(s, &end);
    return *end == '\0' && errno != ERANGE;
}

static bool parse_index(const char *s, u32 limit, u32 *out, const char **rest)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || v >= limit || *end != '.')
        return false;
    *out = (u32)v;
    *rest = end + 1;
    return true;
}

/* Which field, if any, stat @name feeds; node/cpu index in @index. */
static int stat_field(const char *name, u32 *index)
{
    static const struct {
        const char *suffix;
        int field;
    } node_stats[] =
        {
            {"reads", F_READS},
            {"writes", F_WRITES},
            {"loaded_lat_ns", F_LOADED_LAT},
            {"offered_gbps", F_OFFERED_BW},
            {"lat_ns_sum", F_LAT_SUM},
        },
      cpu_stats[] = {
          {"dtlb.l1.hits", F_DTLB_HITS}, {"dtlb.l1.misses", F_DTLB_MISSES},
          {"stlb.hits", F_STLB_HITS},    {"stlb.misses", F_STLB_MISSES},
          {"itlb.l1.hits", F_ITLB_HITS}, {"itlb.l1.misses", F_ITLB_MISSES},
          {"walk.count", F_WALK_COUNT},  {"walk.cycles", F_WALK_CYCLES},
      };
    const char *rest;
    *index = 0;
    if (!strcmp(name, "replay.time_ns"))
        return F_REPLAY_TIME;
    if (!strncmp(name, "node", 4) && parse_index(name + 4, UINT32_MAX, index, &rest)) {
        for (size_t i = 0; i < ARRAY_LEN(node_stats); i++)
            if (!strcmp(rest, node_stats[i].suffix))
                return node_stats[i].field;
    } else if (!strncmp(name, "cpu", 3) && parse_index(name + 3, PLOT_MAX_CPUS, index, &rest)) {
        for (size_t i = 0; i < ARRAY_LEN(cpu_stats); i++)
            if (!strcmp(rest, cpu_stats[i].suffix))
                return cpu_stats[i].field;
    }
    return -1;
}

static u32 sample_hash(u32 region, i64 epoch, u32 n_slots)
{
    u64 k = ((u64)region << 40) ^ (u64)epoch;
    k *= 0x9e3779b97f4a7c15ull;
    return (u32)(k >> 32) & (n_slots - 1);
}

static void run_index_rebuild(struct run *r)
{
    free(r->slots);
    r->n_slots = r->n_slots ? r->n_slots * 2 : 256;
    r->slots = xcalloc(r->n_slots, sizeof(*r->slots));
    for (u32 i = 0; i < r->n_samples; i++) {
        u32 h = sample_hash(r->samples[i].region, r->samples[i].epoch, r->n_slots);
        while (r->slots[h])
            h = (h + 1) & (r->n_slots - 1);
        r->slots[h] = i + 1;
    }
}

/* The sample for (@region, @epoch), created on first use. Return: its index. */
static u32 run_sample(struct run *r, u32 region, i64 epoch, double time_ns)
{
    if (r->n_slots) {
        u32 h = sample_hash(region, epoch, r->n_slots);
        for (; r->slots[h]; h = (h + 1) & (r->n_slots - 1)) {
            struct sample *s = &r->samples[r->slots[h] - 1];
            if (s->region == region && s->epoch == epoch)
                return r->slots[h] - 1;
        }
    }
    if (r->n_samples == r->cap_samples) {
        r->cap_samples = r->cap_samples ? r->cap_samples * 2 : 64;
        r->samples = xrealloc(r->samples, r->cap_samples, sizeof(*r->samples));
    }
    u32 idx = r->n_samples++;
    r->samples[idx] = (struct sample){.region = region, .epoch = epoch, .time_ns = time_ns};
    if (r->n_samples * 2 > r->n_slots) {
        run_index_rebuild(r);
    } else {
        u32 h = sample_hash(region, epoch, r->n_slots);
        while (r->slots[h])
            h = (h + 1) & (r->n_slots - 1);
        r->slots[h] = idx + 1;
    }
    return idx;
}

static u32 run_region(struct run *r, const char *name)
{
    for (u32 i = r->n_regions; i-- > 0;)
        if (!strcmp(r->regions[i], name))
            return i;
    r->regions = xrealloc(r->regions, r->n_regions + 1, sizeof(*r->regions));
    r->regions[r->n_regions] = xstrdup(name);
    return r->n_regions++;
}

static struct run *ctx_run(struct ctx *c, u32 first_of_file, const char *name, const char *path)
{
    for (u32 i = first_of_file; i < c->n_runs; i++)
        if (!strcmp(c->runs[i]->name, name))
            return c->runs[i];
    struct run *r = xcalloc(1, sizeof(*r));
    r->name = xstrdup(name);
    r->path = path;
    c->runs = xrealloc(c->runs, c->n_runs + 1, sizeof(*c->runs));
    c->runs[c->n_runs++] = r;
    return r;
}

static void run_add_row(struct run *r, u32 sample, int field, u32 node, double value)
{
    if (r->n_rows == r->cap_rows) {
        r->cap_rows = r->cap_rows ? r->cap_rows * 2 : 1024;
        r->rows = xrealloc(r->rows, r->cap_rows, sizeof(*r->rows));
    }
    r->rows[r->n_rows++] =
        (struct row){.sample = sample, .field = (u16)field, .node = (u16)node, .value = value};
    r->has_field[field] = true;
    if (field < N_NODE_FIELDS) {
        r->has_node[node] = true;
        if (node + 1 > r->n_nodes)
            r->n_nodes = node + 1;
    }
}

/* Parse one data row. Return: false with @why on malformed input. */
static bool csv_row(struct ctx *c, u32 first_of_file, const char *path, char **f, const char **why,
                    char *buf, size_t buflen)
{
    i64 epoch;
    double time_ns = NAN, value;
    if (*f[0] == '\0') {
        *why = "empty run name";
        return false;
    }
    if (!strcmp(f[2], "total")) {
        epoch = -1;
    } else {
        char *end;
        errno = 0;
        long long e = strtoll(f[2], &end, 10);
        if (*f[2] == '\0' || *end || errno || e < 0) {
            snprintf(buf, buflen, "epoch '%s' is neither a number nor \"total\"", f[2]);
            *why = buf;
            return false;
        }
        epoch = e;
    }
    if (*f[3] != '\0' && (!parse_double(f[3], &time_ns) || !(time_ns >= 0))) {
        snprintf(buf, buflen, "bad time_ns '%s'", f[3]);
        *why = buf;
        return false;
    }
    if (epoch >= 0 && isnan(time_ns)) {
        *why = "epoch row without time_ns";
        return false;
    }
    if (*f[4] == '\0') {
        *why = "empty stat name";
        return false;
    }
    if (!parse_double(f[5], &value)) {
        snprintf(buf, buflen, "bad value '%s' for %s", f[5], f[4]);
        *why = buf;
        return false;
    }
    struct run *r = ctx_run(c, first_of_file, f[0], path);
    u32 region = run_region(r, f[1]);
    u32 sample = run_sample(r, region, epoch, time_ns);
    u32 index;
    int field = stat_field(f[4], &index);
    if (field < 0)
        return true;
    if (field < N_NODE_FIELDS && index >= PLOT_MAX_NODES) {
        snprintf(buf, buflen, "%s: node index above %d", f[4], PLOT_MAX_NODES - 1);
        *why = buf;
        return false;
    }
    run_add_row(r, sample, field, index, value);
    return true;
}

/* Read one tidy CSV into c->runs. Return: false after printing "prog: FILE:LINE: why". */
static bool csv_read(struct ctx *c, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        return false;
    }
    u32 first_of_file = c->n_runs;
    char *line = NULL, buf[256];
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    const char *why = NULL;
    bool have_header = false;
    while ((len = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if ((size_t)len != strlen(line)) {
            why = "NUL byte in line";
            break;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *p = line;
        if (lineno == 1 && !strncmp(p, "\xef\xbb\xbf", 3))
            p += 3; /* UTF-8 byte-order mark */
        if (*p == '\0')
            continue;
        char *f[CSV_FIELDS];
        int n = csv_split(p, f, CSV_FIELDS, &why);
        if (n < 0)
            break;
        if (!have_header) {
            bool ok = n == CSV_FIELDS;
            for (int i = 0; ok && i < CSV_FIELDS; i++)
                ok = !strcmp(f[i], csv_header[i]);
            if (!ok) {
                why = "expected the header run,region,epoch,time_ns,stat,value";
                break;
            }
            have_header = true;
            continue;
        }
        if (n != CSV_FIELDS) {
            snprintf(buf, sizeof(buf), "expected %d fields, found %d", CSV_FIELDS, n);
            why = buf;
            break;
        }
        if (!csv_row(c, first_of_file, path, f, &why, buf, sizeof(buf)))
            break;
    }
    if (!why && ferror(fp)) {
        fprintf(stderr, PROG ": %s: read error: %s\n", path, strerror(errno));
        free(line);
        fclose(fp);
        return false;
    }
    if (!why && !have_header) {
        lineno = 1;
        why = "empty file, expected the header run,region,epoch,time_ns,stat,value";
    }
    free(line);
    fclose(fp);
    if (why) {
        fprintf(stderr, PROG ": %s:%lu: %s\n", path, lineno, why);
        return false;
    }
    return true;
}

/* ---- Aggregation ---------------------------------------------------------------------- */

static inline double *run_val(const struct run *r, u32 sample, int field, u32 node)
{
    size_t col = field < N_NODE_FIELDS
                     ? (size_t)field * r->n_nodes + node
                     : (size_t)N_NODE_FIELDS * r->n_nodes + (size_t)(field - N_NODE_FIELDS);
    return &r->vals[(size_t)sample * r->stride + col];
}

struct order_key {
    double time_ns;
    u32 region;
    i64 epoch;
    u32 sample;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order_key *x = a, *y = b;
    if (x->time_ns != y->time_ns)
        return x->time_ns < y->time_ns ? -1 : 1;
    if (x->region != y->region)
        return x->region < y->region ? -1 : 1;
    return x->epoch < y->epoch ? -1 : x->epoch > y->epoch;
}

static void tot_add(double *dst, double v)
{
    if (!isnan(v))
        *dst = isnan(*dst) ? v : *dst + v;
}

/* Dense per-sample values, time order of epochs, and run totals. */
static void run_build(struct run *r)
{
    r->stride = N_NODE_FIELDS * r->n_nodes + (N_FIELDS - N_NODE_FIELDS);
    size_t n = (size_t)r->n_samples * r->stride;
    r->vals = xrealloc(NULL, n, sizeof(double));
    for (size_t i = 0; i < n; i++)
        r->vals[i] = NAN;
    for (size_t i = 0; i < r->n_rows; i++) {
        const struct row *w = &r->rows[i];
        tot_add(run_val(r, w->sample, w->field, w->node), w->value);
    }

    struct order_key *keys = xcalloc(r->n_samples, sizeof(*keys));
    for (u32 i = 0; i < r->n_samples; i++) {
        const struct sample *sm = &r->samples[i];
        if (sm->epoch >= 0)
            keys[r->n_order++] = (struct order_key){sm->time_ns, sm->region, sm->epoch, i};
    }
    qsort(keys, r->n_order, sizeof(*keys), order_cmp);
    r->order = xcalloc(r->n_samples, sizeof(*r->order));
    for (u32 i = 0; i < r->n_order; i++)
        r->order[i] = keys[i].sample;
    free(keys);

    /*
     * Totals: a region's "total" rows where present, else the sum of its epochs (counters in
     * epoch rows are increases); then summed over regions. Gauges have no meaningful sum.
     */
    double *by_region = xrealloc(NULL, (size_t)r->n_regions * 2 * r->stride, sizeof(double));
    for (size_t i = 0; i < (size_t)r->n_regions * 2 * r->stride; i++)
        by_region[i] = NAN;
    for (u32 s = 0; s < r->n_samples; s++) {
        const struct sample *sm = &r->samples[s];
        double *dst = &by_region[((size_t)sm->region * 2 + (sm->epoch < 0)) * r->stride];
        const double *src = &r->vals[(size_t)s * r->stride];
        for (u32 i = 0; i < r->stride; i++)
            tot_add(&dst[i], src[i]);
    }
    for (int f = 0; f < N_FIELDS; f++)
        for (u32 k = 0; k < PLOT_MAX_NODES; k++)
            r->tot[f][k] = NAN;
    for (int f = 0; f < N_FIELDS; f++) {
        if (f == F_LOADED_LAT || f == F_OFFERED_BW)
            continue;
        u32 n_nodes = f < N_NODE_FIELDS ? r->n_nodes : 1;
        for (u32 k = 0; k < n_nodes; k++) {
            size_t col = (size_t)(run_val(r, 0, f, k) - r->vals);
            for (u32 g = 0; g < r->n_regions; g++) {
                double epochs = by_region[(size_t)g * 2 * r->stride + col];
                double total = by_region[((size_t)g * 2 + 1) * r->stride + col];
                tot_add(&r->tot[f][k], isnan(total) ? epochs : total);
            }
        }
    }
    free(by_region);
}

static double ratio(double num, double den)
{
    return isnan(num) || isnan(den) || den == 0 ? NAN : num / den;
}

static double node_accesses(const struct run *r, u32 s, u32 k)
{
    double v = NAN;
    tot_add(&v, *run_val(r, s, F_READS, k));
    tot_add(&v, *run_val(r, s, F_WRITES, k));
    return v;
}

static double sample_node_share(const struct run *r, u32 s, u32 node)
{
    double all = NAN;
    for (u32 k = 0; k < r->n_nodes; k++)
        if (r->has_node[k])
            tot_add(&all, node_accesses(r, s, k));
    return 100.0 * ratio(node_accesses(r, s, node), all);
}

static double sample_miss_rate(const struct run *r, u32 s, int hits, int misses)
{
    double m = *run_val(r, s, misses, 0), all = NAN;
    tot_add(&all, *run_val(r, s, hits, 0));
    tot_add(&all, m);
    return 100.0 * ratio(m, all);
}

/* Access-weighted mean of the nodes' loaded latency in one epoch. */
static double sample_mean_loaded_lat(const struct run *r, u32 s)
{
    double num = NAN, den = NAN;
    for (u32 k = 0; k < r->n_nodes; k++) {
        double lat = *run_val(r, s, F_LOADED_LAT, k), acc = node_accesses(r, s, k);
        if (isnan(lat) || isnan(acc))
            continue;
        tot_add(&num, lat * acc);
        tot_add(&den, acc);
    }
    return ratio(num, den);
}

static bool run_has_access_counts(const struct run *r)
{
    return r->has_field[F_READS] || r->has_field[F_WRITES];
}

static double run_total_accesses(const struct run *r)
{
    double all = NAN;
    for (u32 k = 0; k < r->n_nodes; k++) {
        tot_add(&all, r->tot[F_READS][k]);
        tot_add(&all, r->tot[F_WRITES][k]);
    }
    return all;
}

static double run_sim_time_ns(const struct run *r)
{
    if (r->has_field[F_REPLAY_TIME])
        return r->tot[F_REPLAY_TIME][0];
    double t = NAN;
    for (u32 i = 0; i < r->n_order; i++)
        t = r->samples[r->order[i]].time_ns;
    return t;
}

/* ---- Output helpers ------------------------------------------------------------------- */

/* Write @s as a gnuplot single-quoted string (a quote inside is doubled). */
static void gp_str(FILE *fp, const char *s)
{
    fputc('\'', fp);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', fp);
        if (*s != '\n' && *s != '\r')
            fputc(*s, fp);
    }
    fputc('\'', fp);
}

static void gp_set_str(FILE *fp, const char *var, const char *val)
{
    fprintf(fp, "%s = ", var);
    gp_str(fp, val);
    fputc('\n', fp);
}

static void dat_num(FILE *fp, double v)
{
    if (isnan(v) || isinf(v))
        fputs(" NaN", fp);
    else
        fprintf(fp, " %.9g", v);
}

static char *tmp_path(const struct ctx *c, const char *name)
{
    return xasprintf("%s/%s", c->tmpdir, name);
}

static FILE *open_dat(const struct ctx *c, const char *name, char **path)
{
    *path = tmp_path(c, name);
    FILE *fp = fopen(*path, "w");
    if (!fp) {
        fprintf(stderr, PROG ": %s: %s\n", *path, strerror(errno));
        return NULL;
    }
    return fp;
}

static bool close_dat(FILE *fp, const char *path)
{
    bool bad = ferror(fp) != 0;
    if (fclose(fp) != 0 || bad) {
        fprintf(stderr, PROG ": %s: write error\n", path);
        return false;
    }
    return true;
}

/*
 * Queue one figure: set the variables every script shares, then load common.gp and the
 * figure's script once per requested format. The extra per-figure variables are already in
 * the driver.
 */
static void driver_figure(struct ctx *c, const char *stem, const char *script, int width,
                          int height)
{
    static const char *const fmts[] = {"png", "svg"};
    bool want[] = {c->opt.fmt_png, c->opt.fmt_svg};
    for (size_t i = 0; i < ARRAY_LEN(fmts); i++) {
        if (!want[i])
            continue;
        char *name = xasprintf("%s.%s", stem, fmts[i]);
        char *out = xasprintf("%s/%s", c->stagedir, name);
        c->outputs = xrealloc(c->outputs, c->n_outputs + 1, sizeof(*c->outputs));
        c->outputs[c->n_outputs++] = name;
        gp_set_str(c->drv, "fmt", fmts[i]);
        gp_set_str(c->drv, "outfile", out);
        fprintf(c->drv, "width = %d\nheight = %d\n", width, height);
        gp_set_str(c->drv, "xunit", c->xunit);
        char *p = tmp_path(c, "common.gp");
        fputs("load ", c->drv);
        gp_str(c->drv, p);
        free(p);
        p = tmp_path(c, script);
        fputs("\nload ", c->drv);
        gp_str(c->drv, p);
        fputs("\nset output\n", c->drv);
        free(p);
        free(out);
    }
}

static char *figure_title(const struct ctx *c, const struct run *r, const char *what)
{
    if (c->opt.title && r)
        return xasprintf("%s (%s): %s", c->opt.title, r->label, what);
    if (c->opt.title)
        return xasprintf("%s: %s", c->opt.title, what);
    if (r)
        return xasprintf("%s: %s", r->label, what);
    return xstrdup(what);
}

static void note_skip(const struct run *r, const char *plot, const char *why)
{
    fprintf(stderr, PROG ": note: %s: no %s, skipping the %s plot\n", r->label, why, plot);
}

static void driver_node_ids(struct ctx *c, const struct run *r, u32 *n_out)
{
    u32 n = 0;
    for (u32 k = 0; k < r->n_nodes; k++)
        n += r->has_node[k];
    fprintf(c->drv, "n_nodes = %u\narray node_id[%u]\n", n, n);
    n = 0;
    for (u32 k = 0; k < r->n_nodes; k++)
        if (r->has_node[k])
            fprintf(c->drv, "node_id[%u] = %u\n", ++n, k);
    *n_out = n;
}

static void driver_common(struct ctx *c, const char *datafile, const char *title)
{
    gp_set_str(c->drv, "datafile", datafile);
    gp_set_str(c->drv, "plot_title", title);
}

/* (a) node access share, stacked. */
static bool plot_node_share(struct ctx *c, const struct run *r)
{
    if (!run_has_access_counts(r) || !r->n_order) {
        note_skip(r, "node-share", "node<N>.reads/writes per epoch");
        return true;
    }
    char *name = xasprintf("%s.node_share.dat", r->file_stem), *path;
    FILE *fp = open_dat(c, name, &path);
    free(name);
    if (!fp)
        return false;
    for (u32 i = 0; i < r->n_order; i++) {
        u32 s = r->order[i];
        dat_num(fp, r->samples[s].time_ns / c->xscale);
        double cum = 0;
        for (u32 k = 0; k < r->n_nodes; k++) {
            if (!r->has_node[k])
                continue;
            double share = sample_node_share(r, s, k);
            cum = isnan(share) || isnan(cum) ? NAN : cum + share;
            dat_num(fp, cum);
        }
        fputc('\n', fp);
    }
    bool ok = close_dat(fp, path);
    u32 n;
    driver_node_ids(c, r, &n);
    char *title = figure_title(c, r, "share of memory accesses per node");
    driver_common(c, path, title);
    char *stem = xasprintf("%s.node_share", r->file_stem);
    driver_figure(c, stem, "node_share.gp", 1000, 560);
    free(stem);
    free(title);
    free(path);
    return ok;
}

/* (b) TLB miss rates. */
static bool plot_tlb_miss(struct ctx *c, const struct run *r)
{
    static const struct {
        int hits, misses;
        const char *name;
    } tlbs[] = {
        {F_DTLB_HITS, F_DTLB_MISSES, "L1 dTLB"},
        {F_STLB_HITS, F_STLB_MISSES, "STLB"},
        {F_ITLB_HITS, F_ITLB_MISSES, "L1 iTLB"},
    };
    bool have[ARRAY_LEN(tlbs)];
    u32 n_series = 0;
    for (size_t i = 0; i < ARRAY_LEN(tlbs); i++) {
        have[i] = r->has_field[tlbs[i].misses];
        n_series += have[i];
    }
    if (!n_series || !r->n_order) {
        note_skip(r, "TLB miss-rate", "cpu<N>.{dtlb.l1,stlb,itlb.l1}.{hits,misses}");
        return true;
    }
    char *name = xasprintf("%s.tlb_miss.dat", r->file_stem), *path;
    FILE *fp = open_dat(c, name, &path);
    free(name);
    if (!fp)
        return false;
    for (u32 i = 0; i < r->n_order; i++) {
        u32 s = r->order[i];
        dat_num(fp, r->samples[s].time_ns / c->xscale);
        for (size_t t = 0; t < ARRAY_LEN(tlbs); t++)
            if (have[t])
                dat_num(fp, sample_miss_rate(r, s, tlbs[t].hits, tlbs[t].misses));
        fputc('\n', fp);
    }
    bool ok = close_dat(fp, path);
    fprintf(c->drv, "n_series = %u\narray series_col[%u]\narray series_name[%u]\n", n_series,
            n_series, n_series);
    u32 k = 0;
    for (size_t t = 0; t < ARRAY_LEN(tlbs); t++) {
        if (!have[t])
            continue;
        k++;
        fprintf(c->drv, "series_col[%u] = %u\nseries_name[%u] = '%s'\n", k, k + 1, k, tlbs[t].name);
    }
    char *title = figure_title(c, r, "TLB miss rate (all CPUs)");
    driver_common(c, path, title);
    char *stem = xasprintf("%s.tlb_miss", r->file_stem);
    driver_figure(c, stem, "tlb_miss.gp", 1000, 560);
    free(stem);
    free(title);
    free(path);
    return ok;
}

/* (c) cycles per page walk. */
static bool plot_walk_cycles(struct ctx *c, const struct run *r)
{
    if (!r->has_field[F_WALK_COUNT] || !r->has_field[F_WALK_CYCLES] || !r->n_order) {
        note_skip(r, "walk-cycles", "cpu<N>.walk.count and cpu<N>.walk.cycles");
        return true;
    }
    char *name = xasprintf("%s.walk_cycles.dat", r->file_stem), *path;
    FILE *fp = open_dat(c, name, &path);
    free(name);
    if (!fp)
        return false;
    for (u32 i = 0; i < r->n_order; i++) {
        u32 s = r->order[i];
        double walks = *run_val(r, s, F_WALK_COUNT, 0);
        dat_num(fp, r->samples[s].time_ns / c->xscale);
        dat_num(fp, ratio(*run_val(r, s, F_WALK_CYCLES, 0), walks));
        dat_num(fp, walks);
        fputc('\n', fp);
    }
    bool ok = close_dat(fp, path);
    char *title = figure_title(c, r, "page-walk cost (all CPUs)");
    driver_common(c, path, title);
    char *stem = xasprintf("%s.walk_cycles", r->file_stem);
    driver_figure(c, stem, "walk_cycles.gp", 1000, 560);
    free(stem);
    free(title);
    free(path);
    return ok;
}

/* (d) loaded latency per node, with offered bandwidth. */
static bool plot_loaded_lat(struct ctx *c, const struct run *r)
{
    if (!r->has_field[F_LOADED_LAT] || !r->n_order) {
        note_skip(r, "loaded-latency", "node<N>.loaded_lat_ns");
        return true;
    }
    char *name = xasprintf("%s.loaded_lat.dat", r->file_stem), *path;
    FILE *fp = open_dat(c, name, &path);
    free(name);
    if (!fp)
        return false;
    for (u32 i = 0; i < r->n_order; i++) {
        u32 s = r->order[i];
        dat_num(fp, r->samples[s].time_ns / c->xscale);
        for (int f = F_LOADED_LAT; f <= F_OFFERED_BW; f++)
            for (u32 k = 0; k < r->n_nodes; k++)
                if (r->has_node[k])
                    dat_num(fp, *run_val(r, s, f, k));
        fputc('\n', fp);
    }
    bool ok = close_dat(fp, path);
    u32 n;
    driver_node_ids(c, r, &n);
    fprintf(c->drv, "has_bw = %d\n", r->has_field[F_OFFERED_BW] ? 1 : 0);
    char *title = figure_title(c, r, "loaded latency and offered bandwidth per node");
    driver_common(c, path, title);
    char *stem = xasprintf("%s.loaded_lat", r->file_stem);
    driver_figure(c, stem, "loaded_lat.gp", 1000, 560);
    free(stem);
    free(title);
    free(path);
    return ok;
}

/* (e) the runs side by side. */
static bool plot_compare(struct ctx *c)
{
    bool any_lat = false, any_dtlb = false, any_walk = false, any_loaded = false, any_node0 = false;
    for (u32 i = 0; i < c->n_runs; i++) {
        const struct run *r = c->runs[i];
        any_node0 |= run_has_access_counts(r) && r->has_node[0];
        any_lat |= r->has_field[F_LAT_SUM] && run_has_access_counts(r);
        any_dtlb |= r->has_field[F_DTLB_MISSES];
        any_walk |= r->has_field[F_WALK_COUNT] && r->has_field[F_WALK_CYCLES];
        any_loaded |= r->has_field[F_LOADED_LAT] && run_has_access_counts(r);
    }
    char *path;
    FILE *fp = open_dat(c, "compare_bars.dat", &path);
    if (!fp)
        return false;
    for (u32 i = 0; i < c->n_runs; i++) {
        const struct run *r = c->runs[i];
        fputc('"', fp);
        for (const char *p = r->label; *p; p++)
            fputc(*p == '"' ? '\'' : *p, fp);
        fputc('"', fp);
        dat_num(fp, run_sim_time_ns(r) / c->xscale);
        double all = run_total_accesses(r);
        double node0 = NAN;
        if (r->has_node[0]) {
            tot_add(&node0, r->tot[F_READS][0]);
            tot_add(&node0, r->tot[F_WRITES][0]);
        }
        dat_num(fp, 100.0 * ratio(node0, all));
        double lat_sum = NAN;
        for (u32 k = 0; k < r->n_nodes; k++)
            tot_add(&lat_sum, r->tot[F_LAT_SUM][k]);
        dat_num(fp, ratio(lat_sum, all));
        double m = r->tot[F_DTLB_MISSES][0], h = r->tot[F_DTLB_HITS][0];
        dat_num(fp, 100.0 * ratio(m, isnan(h) ? m : h + m));
        fputc('\n', fp);
    }
    bool ok = close_dat(fp, path);

    struct {
        bool on;
        u32 col;
        const char *name;
    } bars[] =
        {
            {true, 2, "simulated time"},
            {any_node0, 3, "accesses served by node 0 (%)"},
            {any_lat, 4, "mean memory latency (ns)"},
            {any_dtlb, 5, "L1 dTLB miss rate (%)"},
        },
      lines[] = {
          {any_node0, 2, "node 0 share of accesses (%)"},
          {any_dtlb, 3, "L1 dTLB miss rate (%)"},
          {any_walk, 4, "cycles per page walk"},
          {any_loaded, 5, "mean loaded latency (ns)"},
      };
    char *time_name = xasprintf("simulated time (%s)", c->xunit);
    bars[0].name = time_name;
    u32 n_bars = 0, n_lines = 0;
    for (size_t i = 0; i < ARRAY_LEN(bars); i++)
        n_bars += bars[i].on;
    for (size_t i = 0; i < ARRAY_LEN(lines); i++)
        n_lines += lines[i].on;
    fprintf(c->drv, "n_bars = %u\narray bar_col[%u]\narray bar_name[%u]\n", n_bars, n_bars, n_bars);
    for (size_t i = 0, k = 0; i < ARRAY_LEN(bars); i++) {
        if (!bars[i].on)
            continue;
        k++;
        fprintf(c->drv, "bar_col[%zu] = %u\n", k, bars[i].col);
        fprintf(c->drv, "bar_name[%zu] = ", k);
        gp_str(c->drv, bars[i].name);
        fputc('\n', c->drv);
    }
    fprintf(c->drv, "n_lines = %u\narray line_col[%u]\narray line_name[%u]\n", n_lines,
            n_lines ? n_lines : 1, n_lines ? n_lines : 1);
    for (size_t i = 0, k = 0; i < ARRAY_LEN(lines); i++) {
        if (!lines[i].on)
            continue;
        k++;
        fprintf(c->drv, "line_col[%zu] = %u\nline_name[%zu] = '%s'\n", k, lines[i].col, k,
                lines[i].name);
    }
    free(time_name);

    /* Per-run overlay series. */
    fprintf(c->drv, "n_runs = %u\narray run_file[%u]\narray run_label[%u]\n", c->n_runs, c->n_runs,
            c->n_runs);
    for (u32 i = 0; i < c->n_runs && ok; i++) {
        const struct run *r = c->runs[i];
        char *name = xasprintf("compare_run%u.dat", i + 1), *rpath;
        FILE *rf = open_dat(c, name, &rpath);
        free(name);
        if (!rf) {
            ok = false;
            break;
        }
        for (u32 j = 0; j < r->n_order; j++) {
            u32 s = r->order[j];
            dat_num(rf, r->samples[s].time_ns / c->xscale);
            dat_num(rf, r->has_node[0] ? sample_node_share(r, s, 0) : NAN);
            dat_num(rf, sample_miss_rate(r, s, F_DTLB_HITS, F_DTLB_MISSES));
            dat_num(rf, ratio(*run_val(r, s, F_WALK_CYCLES, 0), *run_val(r, s, F_WALK_COUNT, 0)));
            dat_num(rf, sample_mean_loaded_lat(r, s));
            fputc('\n', rf);
        }
        if (!r->n_order)
            fputs("NaN NaN NaN NaN NaN\n", rf);
        ok = close_dat(rf, rpath);
        fprintf(c->drv, "run_file[%u] = ", i + 1);
        gp_str(c->drv, rpath);
        fprintf(c->drv, "\nrun_label[%u] = ", i + 1);
        gp_str(c->drv, r->label);
        fputc('\n', c->drv);
        free(rpath);
    }
    gp_set_str(c->drv, "barsfile", path);
    fprintf(c->drv, "n_cols = %u\n", n_bars > n_lines ? n_bars : n_lines);
    char *title = figure_title(c, NULL, "runs compared");
    gp_set_str(c->drv, "plot_title", title);
    u32 cols = n_bars > n_lines ? n_bars : n_lines;
    driver_figure(c, "compare", "compare.gp", 420 * (int)cols + 80, 900);
    free(title);
    free(path);
    return ok;
}

/* ---- Files, folders, gnuplot ---------------------------------------------------------- */

static void remove_tree_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

/* mkdir -p, remembering what was created so a failure can undo it. */
static bool make_outdir(struct ctx *c, const char *dir)
{
    char *p = xstrdup(dir);
    size_t len = strlen(p);
    for (size_t i = 1; i <= len; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char save = p[i];
        p[i] = '\0';
        if (mkdir(p, 0777) == 0) {
            if (c->n_created < ARRAY_LEN(c->created_dirs))
                c->created_dirs[c->n_created++] = xstrdup(p);
        } else if (errno != EEXIST) {
            fprintf(stderr, PROG ": cannot create %s: %s\n", p, strerror(errno));
            free(p);
            return false;
        }
        p[i] = save;
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, PROG ": %s is not a directory\n", dir);
        return false;
    }
    return true;
}

static void undo_outdir(struct ctx *c)
{
    while (c->n_created > 0) {
        char *d = c->created_dirs[--c->n_created];
        rmdir(d);
        free(d);
    }
}

/* Return: the gnuplot to run, or NULL (with a message) when there is none. */
static char *find_gnuplot(void)
{
    const char *env = getenv("GNUPLOT");
    if (env && *env) {
        if (strchr(env, '/')) {
            if (access(env, X_OK) == 0)
                return xstrdup(env);
            fprintf(stderr, PROG ": GNUPLOT=%s is not an executable file\n", env);
            return NULL;
        }
    }
    const char *prog = env && *env ? env : "gnuplot";
    const char *path = getenv("PATH");
    char *copy = xstrdup(path ? path : "/usr/bin:/bin");
    char *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char *cand = xasprintf("%s/%s", *d ? d : ".", prog);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
            free(copy);
            return cand;
        }
        free(cand);
    }
    free(copy);
    fprintf(stderr,
            PROG ": %s not found in PATH; install gnuplot (e.g. gnuplot-nox) or set GNUPLOT to "
                 "its path\n",
            prog);
    return NULL;
}

static bool run_gnuplot(const char *gnuplot, const char *driver)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
        return false;
    }
    if (pid == 0) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 0);
            close(fd);
        }
        execl(gnuplot, "gnuplot", driver, (char *)NULL);
        fprintf(stderr, PROG ": cannot run %s: %s\n", gnuplot, strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, PROG ": waitpid: %s\n", strerror(errno));
            return false;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return false;
    fprintf(stderr, PROG ": gnuplot failed (%s %d)\n", WIFEXITED(status) ? "exit status" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    return false;
}

static const char *const script_names[] = {"common.gp",      "node_share.gp", "tlb_miss.gp",
                                           "walk_cycles.gp", "loaded_lat.gp", "compare.gp"};

/* Put the plot scripts in the temporary folder: embedded copies, or --scripts DIR. */
static bool install_scripts(const struct ctx *c)
{
    const char *dir = c->opt.scripts_dir;
#ifndef TERRACE_PLOTS_EMBEDDED
    /* Built without tools/plots.cmake: use the source tree's scripts. */
    char *src_dir = NULL;
    if (!dir) {
        src_dir = xstrdup(__FILE__);
        char *slash = strrchr(src_dir, '/');
        if (slash)
            *slash = '\0';
        char *d = xasprintf("%s/../stats/plots", slash ? src_dir : ".");
        free(src_dir);
        src_dir = d;
        dir = d;
    }
#endif
    bool ok = true;
    for (size_t i = 0; i < ARRAY_LEN(script_names) && ok; i++) {
        const char *text = NULL;
        char *buf = NULL;
        if (dir) {
            char *src = xasprintf("%s/%s", dir, script_names[i]);
            FILE *in = fopen(src, "rb");
            if (!in) {
                fprintf(stderr, PROG ": %s: %s\n", src, strerror(errno));
                free(src);
                ok = false;
                break;
            }
            size_t len = 0, cap = 4096;
            buf = xcalloc(cap, 1);
            size_t got;
            while ((got = fread(buf + len, 1, cap - len - 1, in)) > 0) {
                len += got;
                if (cap - len - 1 == 0) {
                    cap *= 2;
                    buf = xrealloc(buf, cap, 1);
                }
            }
            buf[len] = '\0';
            fclose(in);
            free(src);
            text = buf;
        } else {
#ifdef TERRACE_PLOTS_EMBEDDED
            for (size_t k = 0; k < ARRAY_LEN(plots_gp_files); k++)
                if (!strcmp(plots_gp_files[k].name, script_names[i]))
                    text = plots_gp_files[k].text;
#endif
            if (!text) {
                fprintf(stderr, PROG ": script %s is not built in\n", script_names[i]);
                ok = false;
                break;
            }
        }
        char *dst = tmp_path(c, script_names[i]);
        FILE *out = fopen(dst, "w");
        if (!out || fputs(text, out) < 0 || fclose(out) != 0) {
            fprintf(stderr, PROG ": %s: %s\n", dst, strerror(errno));
            ok = false;
        }
        free(dst);
        free(buf);
    }
#ifndef TERRACE_PLOTS_EMBEDDED
    free(src_dir);
#endif
    return ok;
}

/* Labels: the run name, made unique; file stems: labels made file-name safe and unique. */
static void name_runs(struct ctx *c)
{
    for (u32 i = 0; i < c->n_runs; i++) {
        struct run *r = c->runs[i];
        bool dup = false;
        for (u32 j = 0; j < c->n_runs; j++)
            dup |= j != i && !strcmp(c->runs[j]->name, r->name);
        if (dup) {
            const char *base = strrchr(r->path, '/');
            r->label = xasprintf("%s (%s)", r->name, base ? base + 1 : r->path);
        } else {
            r->label = xstrdup(r->name);
        }
        for (u32 j = 0; j < i; j++) {
            if (!strcmp(c->runs[j]->label, r->label)) {
                char *l = xasprintf("%s #%u", r->label, i + 1);
                free(r->label);
                r->label = l;
                break;
            }
        }
        char *stem = xstrdup(r->label);
        for (char *p = stem; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
                *p = '_';
        if (stem[0] == '.' || stem[0] == '\0' || !strcmp(stem, "compare")) {
            char *s = xasprintf("run_%s", stem);
            free(stem);
            stem = s;
        }
        for (u32 j = 0; j < i; j++) {
            if (!strcmp(c->runs[j]->file_stem, stem)) {
                char *s = xasprintf("%s-%u", stem, i + 1);
                free(stem);
                stem = s;
                j = (u32)-1; /* recheck against all earlier stems */
            }
        }
        r->file_stem = stem;
    }
}

static void pick_time_unit(struct ctx *c)
{
    double max_ns = 0;
    for (u32 i = 0; i < c->n_runs; i++) {
        const struct run *r = c->runs[i];
        for (u32 j = 0; j < r->n_order; j++)
            if (r->samples[r->order[j]].time_ns > max_ns)
                max_ns = r->samples[r->order[j]].time_ns;
        double t = run_sim_time_ns(r);
        if (t > max_ns)
            max_ns = t;
    }
    static const struct {
        double ns;
        const char *name;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
    for (size_t i = 0; i < ARRAY_LEN(units); i++) {
        if (max_ns >= 2 * units[i].ns || i + 1 == ARRAY_LEN(units)) {
            c->xscale = units[i].ns;
            c->xunit = units[i].name;
            return;
        }
    }
}

static bool parse_formats(struct plot_opts *o, const char *arg)
{
    char *copy = xstrdup(arg), *save = NULL;
    o->fmt_png = o->fmt_svg = false;
    bool ok = true;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strcmp(t, "png")) {
            o->fmt_png = true;
        } else if (!strcmp(t, "svg")) {
            o->fmt_svg = true;
        } else {
            fprintf(stderr, PROG ": --format: unknown format '%s' (png, svg)\n", t);
            ok = false;
        }
    }
    free(copy);
    if (ok && !o->fmt_png && !o->fmt_svg) {
        fprintf(stderr, PROG ": --format: no format given (png, svg)\n");
        ok = false;
    }
    return ok;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: " PROG " -o OUTDIR [--format png,svg] [--title T] [--scripts DIR] RUN.csv "
            "[RUN2.csv ...]\n"
            "Plots terrace's tidy stats CSV (run,region,epoch,time_ns,stat,value) with gnuplot:\n"
            "per run <run>.node_share, <run>.tlb_miss, <run>.walk_cycles, <run>.loaded_lat,\n"
            "and with several runs a side-by-side 'compare' figure. See docs/plots.md.\n"
            "  -o, --outdir DIR   where the images go (created if missing)\n"
            "  -f, --format LIST  png, svg or png,svg (default png,svg)\n"
            "  -t, --title T      title prefix for every figure\n"
            "  --scripts DIR      use DIR/*.gp instead of the built-in gnuplot scripts\n"
            "  GNUPLOT=path       gnuplot to run (default: gnuplot in PATH)\n");
}

static void free_ctx(struct ctx *c)
{
    for (u32 i = 0; i < c->n_runs; i++) {
        struct run *r = c->runs[i];
        for (u32 g = 0; g < r->n_regions; g++)
            free(r->regions[g]);
        free(r->regions);
        free(r->samples);
        free(r->slots);
        free(r->rows);
        free(r->vals);
        free(r->order);
        free(r->name);
        free(r->label);
        free(r->file_stem);
        free(r);
    }
    free(c->runs);
    for (u32 i = 0; i < c->n_outputs; i++)
        free(c->outputs[i]);
    free(c->outputs);
}

/* Build every figure into the staging folder. Return: false after printing why. */
static bool render(struct ctx *c, const char *gnuplot)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(c->tmpdir, sizeof(c->tmpdir), "%s/terrace-plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(c->tmpdir)) {
        fprintf(stderr, PROG ": cannot create a temporary folder: %s\n", strerror(errno));
        c->tmpdir[0] = '\0';
        return false;
    }
    if (!install_scripts(c))
        return false;
    char *drv_path = tmp_path(c, "driver.gp");
    c->drv = fopen(drv_path, "w");
    if (!c->drv) {
        fprintf(stderr, PROG ": %s: %s\n", drv_path, strerror(errno));
        free(drv_path);
        return false;
    }
    bool ok = true;
    for (u32 i = 0; i < c->n_runs && ok; i++) {
        const struct run *r = c->runs[i];
        ok = plot_node_share(c, r) && plot_tlb_miss(c, r) && plot_walk_cycles(c, r) &&
             plot_loaded_lat(c, r);
    }
    if (ok && c->n_runs > 1)
        ok = plot_compare(c);
    ok = close_dat(c->drv, drv_path) && ok;
    c->drv = NULL;
    if (ok && c->n_outputs == 0) {
        fprintf(stderr, PROG ": nothing to plot: none of the stats the plots use is present\n");
        ok = false;
    }
    if (ok)
        ok = run_gnuplot(gnuplot, drv_path);
    free(drv_path);
    for (u32 i = 0; i < c->n_outputs && ok; i++) {
        char *p = xasprintf("%s/%s", c->stagedir, c->outputs[i]);
        struct stat st;
        if (stat(p, &st) != 0 || st.st_size == 0) {
            fprintf(stderr, PROG ": gnuplot did not write %s\n", c->outputs[i]);
            ok = false;
        }
        free(p);
    }
    return ok;
}

/* Move the staged images into the output folder. */
static bool publish(struct ctx *c)
{
    for (u32 i = 0; i < c->n_outputs; i++) {
        char *from = xasprintf("%s/%s", c->stagedir, c->outputs[i]);
        char *to = xasprintf("%s/%s", c->opt.outdir, c->outputs[i]);
        int rc = rename(from, to);
        if (rc != 0) {
            fprintf(stderr, PROG ": rename %s: %s\n", to, strerror(errno));
            for (u32 j = 0; j < i; j++) {
                char *done = xasprintf("%s/%s", c->opt.outdir, c->outputs[j]);
                unlink(done);
                free(done);
            }
        }
        free(from);
        free(to);
        if (rc != 0)
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct ctx c = {.opt = {.fmt_png = true, .fmt_svg = true}};
    static const struct option longopts[] = {
        {"outdir", required_argument, NULL, 'o'}, {"format", required_argument, NULL, 'f'},
        {"title", required_argument, NULL, 't'},  {"scripts", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "o:f:t:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            c.opt.outdir = optarg;
            break;
        case 'f':
            if (!parse_formats(&c.opt, optarg))
                return 1;
            break;
        case 't':
            c.opt.title = optarg;
            break;
        case 's':
            c.opt.scripts_dir = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 1;
        }
    }
    if (!c.opt.outdir || optind >= argc) {
        fprintf(stderr, PROG ": %s\n",
                !c.opt.outdir ? "-o OUTDIR is required" : "no input CSV given");
        usage(stderr);
        return 1;
    }

    /* Everything that can be wrong with the input is found before any file is created. */
    for (int i = optind; i < argc; i++) {
        if (!csv_read(&c, argv[i])) {
            free_ctx(&c);
            return 1;
        }
    }
    if (c.n_runs == 0) {
        fprintf(stderr, PROG ": no data rows in the input\n");
        free_ctx(&c);
        return 1;
    }
    for (u32 i = 0; i < c.n_runs; i++)
        run_build(c.runs[i]);
    name_runs(&c);
    pick_time_unit(&c);
    char *gnuplot = find_gnuplot();
    if (!gnuplot) {
        free_ctx(&c);
        return 1;
    }

    bool ok = make_outdir(&c, c.opt.outdir);
    if (ok) {
        snprintf(c.stagedir, sizeof(c.stagedir), "%s/.terrace-plot.XXXXXX", c.opt.outdir);
        if (!mkdtemp(c.stagedir)) {
            fprintf(stderr, PROG ": cannot create a folder in %s: %s\n", c.opt.outdir,
                    strerror(errno));
            c.stagedir[0] = '\0';
            ok = false;
        }
    }
    ok = ok && render(&c, gnuplot) && publish(&c);
    if (c.drv)
        fclose(c.drv);
    if (c.tmpdir[0])
        remove_tree_files(c.tmpdir);
    if (c.stagedir[0])
        remove_tree_files(c.stagedir);
    if (!ok)
        undo_outdir(&c);
    for (u32 i = 0; i < c.n_created; i++)
        free(c.created_dirs[i]);
    if (ok)
        for (u32 i = 0; i < c.n_outputs; i++)
            printf("%s/%s\n", c.opt.outdir, c.outputs[i]);
    free(gnuplot);
    free_ctx(&c);
    return ok ? 0 : 1;
}
