/* SPDX-License-Identifier: MIT */
/*
 * Deterministic synthetic access streams: uniform, zipfian (Gray et al. 1994, as in YCSB),
 * moving hot/cold set, pointer chase, streaming and GUPS read-modify-write.
 */
#ifndef EMU_TRACES_GEN_H
#define EMU_TRACES_GEN_H

#include "traces/trace.h"
#include "base/err.h"
#include "base/types.h"

/* ---------------------------------------------------------------------------------------- */
/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. */

struct gen_rng {
    u64 s[4];
};

static inline u64 gen_splitmix64(u64 *state)
{
    u64 z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void gen_rng_seed(struct gen_rng *g, u64 seed)
{
    for (unsigned i = 0; i < 4; i++)
        g->s[i] = gen_splitmix64(&seed);
}

static inline u64 gen_rotl(u64 x, unsigned k)
{
    return (x << k) | (x >> (64 - k));
}

static inline u64 gen_rng_next(struct gen_rng *g)
{
    u64 *s = g->s;
    u64 out = gen_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n) by the multiply-high method (bias below n / 2^64). */
static inline u64 gen_rng_below(struct gen_rng *g, u64 n)
{
    return (u64)(((unsigned __int128)gen_rng_next(g) * n) >> 64);
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double gen_rng_unit(struct gen_rng *g)
{
    return (double)(gen_rng_next(g) >> 11) * 0x1.0p-53;
}

/* ---------------------------------------------------------------------------------------- */

enum gen_kind {
    GEN_UNIFORM,
    GEN_ZIPF,
    GEN_HOTCOLD,
    GEN_CHASE,
    GEN_STREAM,
    GEN_GUPS,
    GEN_KIND_COUNT
};

/*
 * Addresses are base_va + k * access_size_bytes for an item k in [0, footprint / access size),
 * except for the pointer chase (granules) and the stream (stride). Records are dealt to CPUs
 * round robin (GUPS: one read+write pair per turn); every record has icount_delta =
 * insns_between; pa is 0.
 */
struct gen_params {
    enum gen_kind kind;
    u64 n_records;
    u64 footprint_bytes;
    u64 base_va;
    u32 access_size_bytes; /* 1..255 */
    double read_ratio;     /* uniform, zipf, hotcold, stream: P(read); chase: all reads */
    u16 n_cpus;
    u32 insns_between; /* icount_delta of every record */
    u64 seed;
    double zipf_theta;       /* zipf: 0 < theta < 1 (YCSB uses 0.99) */
    bool zipf_scramble;      /* zipf: spread popular items over the footprint */
    double hot_fraction;     /* hotcold: hot set size / footprint */
    double hot_prob;         /* hotcold: P(access goes to the hot set) */
    u64 move_every_records;  /* hotcold: relocate the hot set every so many records; 0 never */
    u64 stride_bytes;        /* stream: distance between consecutive accesses */
    u64 chase_granule_bytes; /* chase: element size (64 = cache lines, 4096 = pages) */
};

/** gen_params_init() - defaults: uniform, 1M records, 1 GiB at 0x10000000000, 8-byte accesses,
 * read ratio 0.7, 1 CPU, 10 instructions between accesses, seed 1, theta 0.99 scrambled, hot
 * fraction 0.1 with probability 0.9 moving never, stride 64, chase granule 64. */
void gen_params_init(struct gen_params *p);

/** gen_kind_name() - "uniform", "zipf", "hotcold", "chase", "stream", "gups". */
const char *gen_kind_name(enum gen_kind k);

/** gen_kind_parse() - name to kind. Return: false and @err if unknown. */
bool gen_kind_parse(const char *s, enum gen_kind *out, struct emu_err *err);

struct gen;

/**
 * gen_create() - validate @p and set the generator up (zipf precomputes zeta; chase builds a
 * random single-cycle permutation with Sattolo's algorithm: 4 bytes per granule).
 * Return: the generator, or NULL and @err naming the bad parameter.
 */
struct gen *gen_create(const struct gen_params *p, struct emu_err *err);

/**
 * gen_next() - produce up to @max records into @out.
 * Return: records produced; 0 once n_records have been produced.
 */
size_t gen_next(struct gen *g, struct trace_rec *out, size_t max);

/** gen_hot_window() - hotcold: current hot set as [start_va, start_va + len) modulo the footprint
 * (it may wrap around to base_va). Return: false for other kinds. */
bool gen_hot_window(const struct gen *g, u64 *start_va, u64 *len_bytes);

/** gen_zipf_zeta() - zipf: the normaliser zeta(n, theta); P(most popular item) = 1 / zeta. */
double gen_zipf_zeta(const struct gen *g);

/** gen_destroy() - free @g (may be NULL). */
void gen_destroy(struct gen *g);

#endif
