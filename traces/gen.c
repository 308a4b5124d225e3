/* SPDX-License-Identifier: MIT */
/*
 * Synthetic access generators. Zipf follows Gray et al., "Quickly Generating Billion-Record
 * Synthetic Databases" (SIGMOD 1994), the rejection-free method YCSB also uses.
 */
#include "traces/gen.h"
#include "base/bits.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GEN_PAGE_BYTES 4096u
#define ZETA_EXACT_MAX (1u << 20) /* terms summed exactly before Euler-Maclaurin takes over */

struct gen {
    struct gen_params p;
    struct gen_rng rng;
    u64 produced;
    u64 n_items;     /* footprint / access size */
    u64 read_thresh; /* a 53-bit draw below this is a read */
    u32 cpu;         /* CPU of the next operation */
    /* zipf */
    double zetan, alpha, eta, half_pow_theta;
    u64 scr_mul, scr_add;
    /* hotcold */
    u64 hot_items, hot_start, page_items;
    u64 hot_thresh;
    /* chase */
    u32 *chase_next;
    u64 n_gran, chase_cur;
    /* stream */
    u64 n_pos, stream_pos;
    /* gups */
    bool is_gups_write_due;
    u64 gups_item;
};

static const char *const gen_kind_names[GEN_KIND_COUNT] = {"uniform", "zipf",   "hotcold",
                                                           "chase",   "stream", "gups"};

void gen_params_init(struct gen_params *p)
{
    memset(p, 0, sizeof(*p));
    p->kind = GEN_UNIFORM;
    p->n_records = 1000000;
    p->footprint_bytes = GiB;
    p->base_va = 0x10000000000ull;
    p->access_size_bytes = 8;
    p->read_ratio = 0.7;
    p->n_cpus = 1;
    p->insns_between = 10;
    p->seed = 1;
    p->zipf_theta = 0.99;
    p->zipf_scramble = true;
    p->hot_fraction = 0.1;
    p->hot_prob = 0.9;
    p->move_every_records = 0;
    p->stride_bytes = 64;
    p->chase_granule_bytes = 64;
}

const char *gen_kind_name(enum gen_kind k)
{
    return (unsigned)k < GEN_KIND_COUNT ? gen_kind_names[k] : "?";
}

bool gen_kind_parse(const char *s, enum gen_kind *out, struct emu_err *err)
{
    for (unsigned k = 0; k < GEN_KIND_COUNT; k++) {
        if (!strcmp(s, gen_kind_names[k])) {
            *out = (enum gen_kind)k;
            return true;
        }
    }
    err_set(err,
            "unknown generator kind '%s' (expected uniform, zipf, hotcold, chase, stream or "
            "gups)",
            s);
    return false;
}

/* P(draw < thresh) = prob for a 53-bit draw; prob 1 gives 2^53, which every draw is below. */
static u64 prob_thresh(double prob)
{
    return (u64)(prob * 0x1.0p53);
}

static inline bool gen_coin(struct gen *g, u64 thresh)
{
    return (gen_rng_next(&g->rng) >> 11) < thresh;
}

/*
 * zeta(n, theta) = sum_{i=1..n} i^-theta. The first ZETA_EXACT_MAX terms are summed; the rest
 * by Euler-Maclaurin with terms up to f''' (error far below double precision for m = 2^20).
 */
static double zipf_zeta(u64 n, double theta)
{
    u64 m = n < ZETA_EXACT_MAX ? n : ZETA_EXACT_MAX;
    double sum = 0, dm, dn, f1m, f1n, f3m, f3n;

    for (u64 i = m; i >= 1; i--) /* smallest terms first */
        sum += pow((double)i, -theta);
    if (n == m)
        return sum;
    dm = (double)m;
    dn = (double)n;
    sum += (pow(dn, 1 - theta) - pow(dm, 1 - theta)) / (1 - theta);
    sum += (pow(dn, -theta) - pow(dm, -theta)) / 2;
    f1m = -theta * pow(dm, -theta - 1);
    f1n = -theta * pow(dn, -theta - 1);
    sum += (f1n - f1m) / 12;
    f3m = -theta * (theta + 1) * (theta + 2) * pow(dm, -theta - 3);
    f3n = -theta * (theta + 1) * (theta + 2) * pow(dn, -theta - 3);
    sum -= (f3n - f3m) / 720;
    return sum;
}

static u64 gcd_u64(u64 a, u64 b)
{
    while (b) {
        u64 t = a % b;

        a = b;
        b = t;
    }
    return a;
}

static bool gen_check(const struct gen_params *p, struct emu_err *err)
{
    if (p->access_size_bytes < 1 || p->access_size_bytes > 255) {
        err_set(err, "access size %u is outside 1..255 bytes", p->access_size_bytes);
        return false;
    }
    if (p->footprint_bytes < p->access_size_bytes) {
        err_set(err, "footprint %llu is smaller than one access",
                (unsigned long long)p->footprint_bytes);
        return false;
    }
    if (p->base_va + p->footprint_bytes < p->base_va) {
        err_set(err, "base VA + footprint overflows 64 bits");
        return false;
    }
    if (!(p->read_ratio >= 0 && p->read_ratio <= 1)) {
        err_set(err, "read ratio %g is outside 0..1", p->read_ratio);
        return false;
    }
    if (p->n_cpus < 1) {
        err_set(err, "need at least one CPU");
        return false;
    }
    switch (p->kind) {
    case GEN_ZIPF:
        if (!(p->zipf_theta > 0 && p->zipf_theta < 1)) {
            err_set(err, "zipf theta %g must be strictly between 0 and 1", p->zipf_theta);
            return false;
        }
        break;
    case GEN_HOTCOLD:
        if (!(p->hot_fraction > 0 && p->hot_fraction <= 1)) {
            err_set(err, "hot fraction %g must be in (0, 1]", p->hot_fraction);
            return false;
        }
        if (!(p->hot_prob >= 0 && p->hot_prob <= 1)) {
            err_set(err, "hot probability %g is outside 0..1", p->hot_prob);
            return false;
        }
        break;
    case GEN_CHASE:
        if (p->chase_granule_bytes < p->access_size_bytes) {
            err_set(err, "chase granule %llu is smaller than the access size %u",
                    (unsigned long long)p->chase_granule_bytes, p->access_size_bytes);
            return false;
        }
        if (p->footprint_bytes / p->chase_granule_bytes < 2 ||
            p->footprint_bytes / p->chase_granule_bytes > UINT32_MAX) {
            err_set(err, "chase needs 2..2^32-1 granules, footprint gives %llu",
                    (unsigned long long)(p->footprint_bytes / p->chase_granule_bytes));
            return false;
        }
        break;
    case GEN_STREAM:
        if (p->stride_bytes < 1) {
            err_set(err, "stream stride must be at least 1 byte");
            return false;
        }
        break;
    case GEN_UNIFORM:
    case GEN_GUPS:
        break;
    default:
        err_set(err, "unknown generator kind %d", (int)p->kind);
        return false;
    }
    return true;
}

static void hot_relocate(struct gen *g)
{
    g->hot_start = align_down(gen_rng_below(&g->rng, g->n_items), g->page_items);
}

struct gen *gen_create(const struct gen_params *p, struct emu_err *err)
{
    struct gen *g;

    if (!gen_check(p, err))
        return NULL;
    g = calloc(1, sizeof(*g));
    if (!g) {
        err_set(err, "out of memory");
        return NULL;
    }
    g->p = *p;
    gen_rng_seed(&g->rng, p->seed);
    g->n_items = p->footprint_bytes / p->access_size_bytes;
    g->read_thresh = prob_thresh(p->read_ratio);
    switch (p->kind) {
    case GEN_ZIPF: {
        double theta = p->zipf_theta, n = (double)g->n_items;

        g->zetan = zipf_zeta(g->n_items, theta);
        g->half_pow_theta = pow(0.5, theta);
        g->alpha = 1 / (1 - theta);
        g->eta = g->n_items > 1
                     ? (1 - pow(2 / n, 1 - theta)) / (1 - (1 + g->half_pow_theta) / g->zetan)
                     : 0;
        g->scr_mul = 1;
        if (p->zipf_scramble && g->n_items > 2) {
            do
                g->scr_mul = 1 + gen_rng_below(&g->rng, g->n_items - 1);
            while (gcd_u64(g->scr_mul, g->n_items) != 1);
            g->scr_add = gen_rng_below(&g->rng, g->n_items);
        }
        break;
    }
    case GEN_HOTCOLD:
        g->page_items = 1;
        if (GEN_PAGE_BYTES % p->access_size_bytes == 0 &&
            g->n_items > GEN_PAGE_BYTES / p->access_size_bytes)
            g->page_items = GEN_PAGE_BYTES / p->access_size_bytes;
        g->hot_items = (u64)llround(p->hot_fraction * (double)g->n_items);
        if (g->hot_items < 1)
            g->hot_items = 1;
        if (g->hot_items > g->n_items)
            g->hot_items = g->n_items;
        g->hot_thresh = prob_thresh(p->hot_prob);
        hot_relocate(g);
        break;
    case GEN_CHASE:
        g->n_gran = p->footprint_bytes / p->chase_granule_bytes;
        g->chase_next = malloc(sizeof(u32) * g->n_gran);
        if (!g->chase_next) {
            err_set(err, "out of memory for a %llu-granule pointer chase",
                    (unsigned long long)g->n_gran);
            free(g);
            return NULL;
        }
        for (u64 i = 0; i < g->n_gran; i++)
            g->chase_next[i] = (u32)i;
        /* Sattolo: j < i strictly, so the permutation is one cycle through every granule. */
        for (u64 i = g->n_gran - 1; i >= 1; i--) {
            u64 j = gen_rng_below(&g->rng, i);
            u32 t = g->chase_next[i];

            g->chase_next[i] = g->chase_next[j];
            g->chase_next[j] = t;
        }
        break;
    case GEN_STREAM:
        g->n_pos = (p->footprint_bytes - p->access_size_bytes) / p->stride_bytes + 1;
        break;
    default:
        break;
    }
    return g;
}

static inline u64 zipf_rank(struct gen *g)
{
    double u = gen_rng_unit(&g->rng), uz = u * g->zetan;
    u64 r;

    if (uz < 1)
        return 0;
    if (uz < 1 + g->half_pow_theta)
        return 1;
    r = (u64)((double)g->n_items * pow(g->eta * u - g->eta + 1, g->alpha));
    return r < g->n_items ? r : g->n_items - 1;
}

static inline u64 gen_item_addr(const struct gen *g, u64 item)
{
    return g->p.base_va + item * g->p.access_size_bytes;
}

size_t gen_next(struct gen *g, struct trace_rec *out, size_t max)
{
    const struct gen_params *p = &g->p;
    size_t i;

    for (i = 0; i < max && g->produced < p->n_records; i++, g->produced++) {
        struct trace_rec *r = &out[i];
        u64 item;

        r->pa = 0;
        r->icount_delta = p->insns_between;
        r->size = (u8)p->access_size_bytes;
        r->cpu = (u16)g->cpu;
        r->kind = TRACE_READ;
        switch (p->kind) {
        case GEN_UNIFORM:
            r->va = gen_item_addr(g, gen_rng_below(&g->rng, g->n_items));
            break;
        case GEN_ZIPF:
            item = zipf_rank(g);
            if (g->scr_mul != 1)
                item = (u64)(((unsigned __int128)item * g->scr_mul + g->scr_add) % g->n_items);
            r->va = gen_item_addr(g, item);
            break;
        case GEN_HOTCOLD:
            if (p->move_every_records && g->produced && g->produced % p->move_every_records == 0)
                hot_relocate(g);
            if (gen_coin(g, g->hot_thresh) || g->hot_items == g->n_items)
                item = g->hot_start + gen_rng_below(&g->rng, g->hot_items);
            else
                item =
                    g->hot_start + g->hot_items + gen_rng_below(&g->rng, g->n_items - g->hot_items);
            if (item >= g->n_items)
                item -= g->n_items;
            r->va = gen_item_addr(g, item);
            break;
        case GEN_CHASE:
            r->va = p->base_va + g->chase_cur * p->chase_granule_bytes;
            g->chase_cur = g->chase_next[g->chase_cur];
            break;
        case GEN_STREAM:
            r->va = p->base_va + g->stream_pos * p->stride_bytes;
            if (++g->stream_pos == g->n_pos)
                g->stream_pos = 0;
            break;
        case GEN_GUPS:
            if (!g->is_gups_write_due) {
                g->gups_item = gen_rng_below(&g->rng, g->n_items);
            } else {
                r->kind = TRACE_WRITE;
            }
            r->va = gen_item_addr(g, g->gups_item);
            g->is_gups_write_due = !g->is_gups_write_due;
            break;
        default:
            break;
        }
        if (p->kind != GEN_GUPS && p->kind != GEN_CHASE && !gen_coin(g, g->read_thresh))
            r->kind = TRACE_WRITE;
        /* Next CPU after each operation; a GUPS operation is its read and write. */
        if (p->kind != GEN_GUPS || !g->is_gups_write_due)
            g->cpu = g->cpu + 1 == p->n_cpus ? 0 : g->cpu + 1;
    }
    return i;
}

bool gen_hot_window(const struct gen *g, u64 *start_va, u64 *len_bytes)
{
    if (g->p.kind != GEN_HOTCOLD)
        return false;
    *start_va = gen_item_addr(g, g->hot_start);
    *len_bytes = g->hot_items * g->p.access_size_bytes;
    return true;
}

double gen_zipf_zeta(const struct gen *g)
{
    return g->zetan;
}

void gen_destroy(struct gen *g)
{
    if (!g)
        return;
    free(g->chase_next);
    free(g);
}
