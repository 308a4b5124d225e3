/* SPDX-License-Identifier: MIT */
/*
 * terrace-trace: generate synthetic traces, import Valgrind lackey output, check and print
 * trace files, and measure decode speed. Counts take decimal suffixes (10M = 10^7), sizes
 * binary ones (1G = 2^30).
 */
#include "traces/gen.h"
#include "traces/lackey.h"
#include "traces/trace.h"
#include "base/err.h"
#include "base/opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROG "terrace-trace"

static const char usage[] =
    "usage: terrace-trace <command> [options]\n"
    "  gen --kind uniform|zipf|hotcold|chase|stream|gups -o OUT [options]\n"
    "      --records N (1M)  --footprint SIZE (1G)  --base-va ADDR (0x10000000000)\n"
    "      --access-size BYTES (8)  --read-ratio R (0.7)  --cpus N (1)  --icount N (10)\n"
    "      --seed N (1)  --theta T (0.99)  --no-scramble  --hot-fraction F (0.1)\n"
    "      --hot-prob P (0.9)  --move-every N (0: never)  --stride SIZE (64)\n"
    "      --granule SIZE (64)  --codec lz4|zstd|none  --level N  --chunk-records N\n"
    "      --desc TEXT\n"
    "  import-lackey IN.txt -o OUT [--fetches] [--codec C] [--level N] [--desc TEXT]\n"
    "  info FILE            header, counts by kind, footprint; verifies every chunk\n"
    "  cat FILE [--limit N] one record per line: index cpu kind va pa size icount_delta\n"
    "  bench FILE [--passes N]  decode throughput\n"
    "Counts accept K/M/G = 10^3/10^6/10^9; sizes accept K/M/G/T = 2^10/2^20/2^30/2^40.\n";

static __attribute__((noreturn)) void die(const struct emu_err *err)
{
    err_exit(PROG, err);
}

static __attribute__((noreturn)) EMU_PRINTF(1, 2) void die_msg(const char *fmt, ...)
{
    struct emu_err err;
    char msg[ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    err_set(&err, "%s", msg);
    die(&err);
}

/* ---------------------------------------------------------------------------------------- */
/* Command-line options: "--name value", "--name=value", "-o value", flags without value. */

struct cli_opt {
    const char *name; /* without the dashes; "o" for -o */
    bool has_arg;
    const char *val;
    bool is_given;
};

#define MAX_POS 4

static void cli_parse(const char *cmd, int argc, char **argv, struct cli_opt *opts, size_t n_opts,
                      const char **pos, int *n_pos, int max_pos)
{
    bool only_pos = false;

    *n_pos = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *name, *eq, *val = NULL;
        size_t name_len;
        struct cli_opt *o = NULL;

        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (*n_pos == max_pos)
                die_msg("%s: unexpected argument '%s'", cmd, a);
            pos[(*n_pos)++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = true;
            continue;
        }
        name = a[1] == '-' ? a + 2 : a + 1;
        eq = strchr(name, '=');
        name_len = eq ? (size_t)(eq - name) : strlen(name);
        for (size_t k = 0; k < n_opts; k++) {
            if (strlen(opts[k].name) == name_len && !strncmp(opts[k].name, name, name_len) &&
                (a[1] == '-') == (name_len > 1)) {
                o = &opts[k];
                break;
            }
        }
        if (!o)
            die_msg("%s: unknown option '%.*s'", cmd, (int)(name - a + (long)name_len), a);
        if (o->is_given)
            die_msg("%s: option '%s' given twice", cmd, a);
        if (o->has_arg) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else
                die_msg("%s: option '%s' needs a value", cmd, a);
        } else if (eq) {
            die_msg("%s: option '%.*s' takes no value", cmd, (int)(eq - a), a);
        }
        o->val = val;
        o->is_given = true;
    }
}

static struct cli_opt *cli_get(struct cli_opt *opts, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(opts[k].name, name))
            return opts[k].is_given ? &opts[k] : NULL;
    return NULL;
}

/* A count: decimal digits with an optional K/M/G suffix meaning 10^3/10^6/10^9. */
static u64 parse_count(const char *opt, const char *s)
{
    u64 v = 0, mult = 1;
    const char *p = s;

    if (*p < '0' || *p > '9')
        die_msg("%s: '%s' is not a count", opt, s);
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            die_msg("%s: '%s' is too large", opt, s);
        v = v * 10 + (u64)(*p - '0');
    }
    if (*p) {
        switch (*p) {
        case 'k':
        case 'K':
            mult = 1000;
            break;
        case 'm':
        case 'M':
            mult = 1000000;
            break;
        case 'g':
        case 'G':
            mult = 1000000000;
            break;
        default:
            die_msg("%s: '%s' is not a count (suffixes: K, M, G)", opt, s);
        }
        if (p[1])
            die_msg("%s: '%s' is not a count (suffixes: K, M, G)", opt, s);
    }
    if (v && mult > UINT64_MAX / v)
        die_msg("%s: '%s' is too large", opt, s);
    return v * mult;
}

static u64 parse_count_max(const char *opt, const char *s, u64 max)
{
    u64 v = parse_count(opt, s);

    if (v > max)
        die_msg("%s: %s is above the maximum of %llu", opt, s, (unsigned long long)max);
    return v;
}

static u64 parse_size(const char *opt, const char *s)
{
    struct emu_err err;
    u64 v;

    if (!opts_parse_size(s, 1, &v, &err))
        die_msg("%s: %s", opt, err.msg);
    return v;
}

static double parse_double(const char *opt, const char *s)
{
    struct emu_err err;
    double v;

    if (!opts_parse_double(s, &v, &err))
        die_msg("%s: %s", opt, err.msg);
    return v;
}

static u64 parse_addr(const char *opt, const char *s)
{
    struct emu_err err;
    u64 v;

    if (!opts_parse_u64(s, &v, &err))
        die_msg("%s: %s", opt, err.msg);
    return v;
}

/* @prefix and the arguments joined by spaces, for the header's source description. */
static void join_args(char *out, size_t cap, const char *prefix, int argc, char **argv)
{
    size_t n = (size_t)snprintf(out, cap, "%s", prefix);

    for (int i = 0; i < argc && n + 1 < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, " %s", argv[i]);
}

static void writer_opts_from(struct cli_opt *o, size_t n, struct trace_writer_opts *wo)
{
    struct cli_opt *c;
    struct emu_err err;

    if ((c = cli_get(o, n, "codec")) && !trace_codec_parse(c->val, &wo->codec, &err))
        die_msg("--codec: %s", err.msg);
    if ((c = cli_get(o, n, "level")))
        wo->level = (int)parse_count_max("--level", c->val, 100);
    if ((c = cli_get(o, n, "chunk-records"))) {
        wo->chunk_records = (u32)parse_count_max("--chunk-records", c->val, TRACE_CHUNK_MAX);
        if (!wo->chunk_records)
            die_msg("--chunk-records: must be at least 1");
    }
}

/* ---------------------------------------------------------------------------------------- */

static int cmd_gen(int argc, char **argv)
{
    struct cli_opt o[] = {
        {"kind", true, 0, 0},          {"records", true, 0, 0},      {"footprint", true, 0, 0},
        {"base-va", true, 0, 0},       {"access-size", true, 0, 0},  {"read-ratio", true, 0, 0},
        {"cpus", true, 0, 0},          {"icount", true, 0, 0},       {"seed", true, 0, 0},
        {"theta", true, 0, 0},         {"no-scramble", false, 0, 0}, {"hot-fraction", true, 0, 0},
        {"hot-prob", true, 0, 0},      {"move-every", true, 0, 0},   {"stride", true, 0, 0},
        {"granule", true, 0, 0},       {"codec", true, 0, 0},        {"level", true, 0, 0},
        {"chunk-records", true, 0, 0}, {"desc", true, 0, 0},         {"o", true, 0, 0},
        {"output", true, 0, 0},
    };
    size_t n = ARRAY_LEN(o);
    const char *pos[MAX_POS], *out;
    int n_pos;
    struct gen_params gp;
    struct trace_writer_opts wo = {.codec = TRACE_CODEC_LZ4};
    struct trace_writer *w;
    struct gen *g;
    struct emu_err err;
    struct cli_opt *c;
    struct trace_rec *buf;
    char desc[TRACE_DESC_MAX + 1];
    size_t got;

    cli_parse("gen", argc, argv, o, n, pos, &n_pos, 0);
    gen_params_init(&gp);
    if (!(c = cli_get(o, n, "kind")))
        die_msg("gen: --kind is required");
    if (!gen_kind_parse(c->val, &gp.kind, &err))
        die_msg("--kind: %s", err.msg);
    out = cli_get(o, n, "o") ? cli_get(o, n, "o")->val
                             : (cli_get(o, n, "output") ? cli_get(o, n, "output")->val : NULL);
    if (!out)
        die_msg("gen: -o OUT is required");
    if ((c = cli_get(o, n, "records")))
        gp.n_records = parse_count("--records", c->val);
    if ((c = cli_get(o, n, "footprint")))
        gp.footprint_bytes = parse_size("--footprint", c->val);
    if ((c = cli_get(o, n, "base-va")))
        gp.base_va = parse_addr("--base-va", c->val);
    if ((c = cli_get(o, n, "access-size")))
        gp.access_size_bytes = (u32)parse_count_max("--access-size", c->val, 1u << 20);
    if ((c = cli_get(o, n, "read-ratio")))
        gp.read_ratio = parse_double("--read-ratio", c->val);
    if ((c = cli_get(o, n, "cpus")))
        gp.n_cpus = (u16)parse_count_max("--cpus", c->val, UINT16_MAX);
    if ((c = cli_get(o, n, "icount")))
        gp.insns_between = (u32)parse_count_max("--icount", c->val, UINT32_MAX);
    if ((c = cli_get(o, n, "seed")))
        gp.seed = parse_addr("--seed", c->val);
    if ((c = cli_get(o, n, "theta")))
        gp.zipf_theta = parse_double("--theta", c->val);
    if (cli_get(o, n, "no-scramble"))
        gp.zipf_scramble = false;
    if ((c = cli_get(o, n, "hot-fraction")))
        gp.hot_fraction = parse_double("--hot-fraction", c->val);
    if ((c = cli_get(o, n, "hot-prob")))
        gp.hot_prob = parse_double("--hot-prob", c->val);
    if ((c = cli_get(o, n, "move-every")))
        gp.move_every_records = parse_count("--move-every", c->val);
    if ((c = cli_get(o, n, "stride")))
        gp.stride_bytes = parse_size("--stride", c->val);
    if ((c = cli_get(o, n, "granule")))
        gp.chase_granule_bytes = parse_size("--granule", c->val);
    writer_opts_from(o, n, &wo);
    if (gp.n_cpus == 0)
        die_msg("--cpus: must be at least 1");
    wo.n_cpus = gp.n_cpus;
    if ((c = cli_get(o, n, "desc"))) {
        wo.desc = c->val;
    } else {
        join_args(desc, sizeof(desc), "terrace-trace gen", argc, argv);
        wo.desc = desc;
    }

    g = gen_create(&gp, &err);
    if (!g)
        die_msg("gen: %s", err.msg);
    buf = malloc(sizeof(*buf) * 4096);
    if (!buf)
        die_msg("out of memory");
    w = trace_writer_open(out, &wo, &err);
    if (!w)
        die(&err);
    while ((got = gen_next(g, buf, 4096)) > 0) {
        if (!trace_writer_add_batch(w, buf, got, &err)) {
            trace_writer_abort(w);
            die(&err);
        }
    }
    free(buf);
    gen_destroy(g);
    if (!trace_writer_close(w, &err))
        die(&err);
    return 0;
}

static int cmd_import_lackey(int argc, char **argv)
{
    struct cli_opt o[] = {
        {"fetches", false, 0, 0},      {"codec", true, 0, 0}, {"level", true, 0, 0},
        {"chunk-records", true, 0, 0}, {"desc", true, 0, 0},  {"o", true, 0, 0},
        {"output", true, 0, 0},
    };
    size_t n = ARRAY_LEN(o);
    const char *pos[MAX_POS], *out;
    int n_pos;
    struct trace_writer_opts wo = {.codec = TRACE_CODEC_LZ4, .n_cpus = 1};
    struct lackey_opts lo = {0};
    struct lackey_counts counts;
    struct trace_writer *w;
    struct emu_err err;
    struct cli_opt *c;
    char desc[TRACE_DESC_MAX + 1];
    FILE *in;

    cli_parse("import-lackey", argc, argv, o, n, pos, &n_pos, 1);
    if (n_pos != 1)
        die_msg("import-lackey: expected one input file");
    out = cli_get(o, n, "o") ? cli_get(o, n, "o")->val
                             : (cli_get(o, n, "output") ? cli_get(o, n, "output")->val : NULL);
    if (!out)
        die_msg("import-lackey: -o OUT is required");
    lo.keep_fetches = cli_get(o, n, "fetches") != NULL;
    writer_opts_from(o, n, &wo);
    if ((c = cli_get(o, n, "desc"))) {
        wo.desc = c->val;
    } else {
        snprintf(desc, sizeof(desc), "valgrind lackey output %s%s", pos[0],
                 lo.keep_fetches ? " (with fetches)" : "");
        wo.desc = desc;
    }
    in = fopen(pos[0], "r");
    if (!in)
        die_msg("cannot open '%s': %s", pos[0], strerror(errno));
    w = trace_writer_open(out, &wo, &err);
    if (!w) {
        fclose(in);
        die(&err);
    }
    if (!lackey_import(in, pos[0], w, &lo, &counts, &err)) {
        fclose(in);
        trace_writer_abort(w);
        die(&err);
    }
    fclose(in);
    if (!trace_writer_close(w, &err))
        die(&err);
    printf("imported %llu instructions, %llu loads, %llu stores, %llu modifies -> %llu records\n",
           (unsigned long long)counts.instructions, (unsigned long long)counts.loads,
           (unsigned long long)counts.stores, (unsigned long long)counts.modifies,
           (unsigned long long)counts.records);
    return 0;
}

/* Open-addressing set of page numbers for the footprint count. */
struct page_set {
    u64 *slots; /* page + 1; 0 = empty */
    u64 cap, n;
};

static void page_set_add(struct page_set *s, u64 page);

static void page_set_grow(struct page_set *s)
{
    struct page_set bigger = {calloc(s->cap ? s->cap * 2 : 4096, sizeof(u64)),
                              s->cap ? s->cap * 2 : 4096, 0};

    if (!bigger.slots)
        die_msg("out of memory counting pages");
    for (u64 i = 0; i < s->cap; i++)
        if (s->slots[i])
            page_set_add(&bigger, s->slots[i] - 1);
    free(s->slots);
    *s = bigger;
}

static void page_set_add(struct page_set *s, u64 page)
{
    u64 key = page + 1, i;

    if (2 * (s->n + 1) > s->cap)
        page_set_grow(s);
    i = (key * 0x9e3779b97f4a7c15ull) >> 20 & (s->cap - 1);
    while (s->slots[i]) {
        if (s->slots[i] == key)
            return;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = key;
    s->n++;
}

static struct trace_reader *open_or_die(const char *path)
{
    struct emu_err err;
    struct trace_reader *r = trace_reader_open(path, &err);

    if (!r)
        die(&err);
    return r;
}

static int cmd_info(int argc, char **argv)
{
    const char *pos[MAX_POS];
    int n_pos;
    struct trace_reader *r;
    const struct trace_header *h;
    const struct trace_rec *b;
    struct emu_err err;
    struct page_set pages = {0};
    u64 by_kind[TRACE_KIND_COUNT] = {0}, total = 0, insns = 0, with_pa = 0;
    u64 va_min = UINT64_MAX, va_max = 0, last_page = UINT64_MAX;
    size_t got;

    cli_parse("info", argc, argv, NULL, 0, pos, &n_pos, 1);
    if (n_pos != 1)
        die_msg("info: expected one trace file");
    r = open_or_die(pos[0]);
    h = trace_reader_header(r);
    err_clear(&err);
    while ((got = trace_reader_next(r, &b, &err)) > 0) {
        for (size_t i = 0; i < got; i++) {
            u64 page = b[i].va >> h->page_shift;

            by_kind[b[i].kind]++;
            insns += b[i].icount_delta;
            with_pa += b[i].pa != 0;
            va_min = b[i].va < va_min ? b[i].va : va_min;
            va_max = b[i].va > va_max ? b[i].va : va_max;
            if (page != last_page) {
                page_set_add(&pages, page);
                last_page = page;
            }
        }
        total += got;
    }
    if (err.is_set)
        die(&err);
    printf("file:          %s\n", pos[0]);
    printf("format:        terrace trace version %u\n", h->version);
    printf("source:        %s\n", h->desc);
    printf("codec:         %s\n", trace_codec_name(h->codec));
    printf("flags:         0x%x%s\n", h->flags, h->flags & TRACE_FLAG_HAS_PA ? " (has pa)" : "");
    printf("cpus:          %u\n", h->n_cpus);
    printf("page size:     %llu bytes\n", 1ull << h->page_shift);
    printf("chunk records: %u\n", h->chunk_records);
    printf("chunks:        %llu\n", (unsigned long long)trace_reader_n_chunks(r));
    printf("records:       %llu\n", (unsigned long long)total);
    for (unsigned k = 0; k < TRACE_KIND_COUNT; k++)
        printf("  %-12s %llu\n", trace_kind_name(k), (unsigned long long)by_kind[k]);
    printf("with pa:       %llu\n", (unsigned long long)with_pa);
    printf("instructions:  %llu\n", (unsigned long long)insns);
    if (total)
        printf("va range:      0x%llx..0x%llx\n", (unsigned long long)va_min,
               (unsigned long long)va_max);
    printf("footprint:     %llu pages (%llu bytes)\n", (unsigned long long)pages.n,
           (unsigned long long)(pages.n << h->page_shift));
    printf("file bytes:    %llu (%.2f bytes/record)\n",
           (unsigned long long)trace_reader_file_bytes(r),
           total ? (double)trace_reader_file_bytes(r) / (double)total : 0.0);
    printf("verified:      ok\n");
    free(pages.slots);
    trace_reader_close(r);
    return 0;
}

static int cmd_cat(int argc, char **argv)
{
    struct cli_opt o[] = {{"limit", true, 0, 0}};
    const char *pos[MAX_POS];
    int n_pos;
    struct trace_reader *r;
    const struct trace_rec *b;
    struct emu_err err;
    struct cli_opt *c;
    u64 limit = UINT64_MAX, idx = 0;
    size_t got;
    static char obuf[1 << 16];

    cli_parse("cat", argc, argv, o, ARRAY_LEN(o), pos, &n_pos, 1);
    if (n_pos != 1)
        die_msg("cat: expected one trace file");
    if ((c = cli_get(o, ARRAY_LEN(o), "limit")))
        limit = parse_count("--limit", c->val);
    r = open_or_die(pos[0]);
    setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
    printf("# index cpu kind va pa size icount_delta\n");
    err_clear(&err);
    while (idx < limit && (got = trace_reader_next(r, &b, &err)) > 0) {
        for (size_t i = 0; i < got && idx < limit; i++, idx++)
            printf("%llu %u %s 0x%llx 0x%llx %u %u\n", (unsigned long long)idx, b[i].cpu,
                   trace_kind_name(b[i].kind), (unsigned long long)b[i].va,
                   (unsigned long long)b[i].pa, b[i].size, b[i].icount_delta);
    }
    fflush(stdout);
    if (err.is_set)
        die(&err);
    trace_reader_close(r);
    return 0;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmd_bench(int argc, char **argv)
{
    struct cli_opt o[] = {{"passes", true, 0, 0}};
    const char *pos[MAX_POS];
    int n_pos;
    struct trace_reader *r;
    const struct trace_rec *b;
    struct emu_err err;
    struct cli_opt *c;
    u64 passes = 3, total = 0, sum = 0;
    double best = 0;
    size_t got;

    cli_parse("bench", argc, argv, o, ARRAY_LEN(o), pos, &n_pos, 1);
    if (n_pos != 1)
        die_msg("bench: expected one trace file");
    if ((c = cli_get(o, ARRAY_LEN(o), "passes")))
        passes = parse_count_max("--passes", c->val, 1000);
    r = open_or_die(pos[0]);
    for (u64 p = 0; p < passes; p++) {
        double t0, dt;
        u64 n = 0;

        if (!trace_reader_rewind(r, &err))
            die(&err);
        err_clear(&err);
        t0 = now_s();
        while ((got = trace_reader_next(r, &b, &err)) > 0) {
            for (size_t i = 0; i < got; i++)
                sum += b[i].va ^ b[i].icount_delta ^ b[i].kind;
            n += got;
        }
        dt = now_s() - t0;
        if (err.is_set)
            die(&err);
        if (n && (best == 0 || (double)n / dt > best))
            best = (double)n / dt;
        total = n;
    }
    printf("records:       %llu\n", (unsigned long long)total);
    printf("file bytes:    %llu (%.2f bytes/record)\n",
           (unsigned long long)trace_reader_file_bytes(r),
           total ? (double)trace_reader_file_bytes(r) / (double)total : 0.0);
    printf("decode:        %.1f M records/s (%.2f ns/record, best of %llu passes)\n", best / 1e6,
           best ? 1e9 / best : 0.0, (unsigned long long)passes);
    printf("checksum:      %llx\n", (unsigned long long)sum);
    trace_reader_close(r);
    return 0;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, cmd ? stdout : stderr);
        return cmd ? 0 : 2;
    }
    if (!strcmp(cmd, "gen"))
        return cmd_gen(argc - 2, argv + 2);
    if (!strcmp(cmd, "import-lackey"))
        return cmd_import_lackey(argc - 2, argv + 2);
    if (!strcmp(cmd, "info"))
        return cmd_info(argc - 2, argv + 2);
    if (!strcmp(cmd, "cat"))
        return cmd_cat(argc - 2, argv + 2);
    if (!strcmp(cmd, "bench"))
        return cmd_bench(argc - 2, argv + 2);
    die_msg("unknown command '%s' (gen, import-lackey, info, cat, bench; --help)", cmd);
}
