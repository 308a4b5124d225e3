/* SPDX-License-Identifier: MIT */
/*
 * A set-associative cache model: tags and state only (the data stays in guest RAM).
 * Write-back, write-allocate, true LRU. Built for speed: a set is one or more groups of sixteen
 * ways, each group two host cache lines (struct cache_group). A lookup compares 16-bit partial
 * tags (hints) sixteen at a time (SSE2) and checks the rest of the tag of a matching way only.
 * LRU is a recency rank per way (0 = most recently used), one byte each, so a hit ages the
 * more recent ways with one vector compare and subtract, and the victim is the way whose rank
 * is ways - 1, found with one vector compare: no stamps, no scan of the set.
 * Addresses are line numbers (pa >> line shift) on the fast interface; line numbers must be
 * below 2^48 (every 52-bit physical address with lines of at least 16 bytes).
 */
#ifndef EMU_MM_CACHE_H
#define EMU_MM_CACHE_H

#include "base/check.h"
#include "base/err.h"
#include "base/types.h"
#include "stats/stats.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CACHE_NAME_MAX   16
#define CACHE_MAX_WAYS   64
#define CACHE_GROUP_WAYS 16u

/* The lookup/fill primitives: inlined always (GCC outlines the fill in memsys otherwise, and the
 * victim then goes through memory: a third more instructions on the miss path). */
#define CACHE_HOT static inline __attribute__((always_inline))

/* Rank of a padding way: above every real rank, so it is never aged, promoted or chosen. */
#define CACHE_RANK_PAD 0x7fu

struct cache_config {
    char name[CACHE_NAME_MAX]; /* for messages: "l1d", "llc" */
    u64 size_bytes;            /* sets = size / (ways * line); need not be a power of two */
    u32 ways;
    u32 line_bytes;     /* power of two */
    u32 hit_lat_cycles; /* load-to-use latency of a hit in this cache */
};

/* A line pushed out by a fill. */
struct cache_victim {
    gpa_t pa; /* address of the line's first byte */
    bool is_dirty;
};

/*
 * Sixteen ways of a set in two host cache lines: the first holds what every lookup reads
 * (hints, LRU ranks, valid and dirty bits), the second the rest of the tags, read on a hint
 * match of a valid way and by a fill. A way's tag is the line number shifted right by the set bits
 * (the whole line number when the set count is not a power of two): its low 16 bits are the hint,
 * the rest tag_hi. The ranks of the ways of a set (all its groups) are a permutation of 0..ways-1,
 * 0 the most recently used, in which invalid ways rank below (higher numbers than) every valid one:
 * the way ranked ways-1 is the LRU line or, while the set has one, an invalid way.
 */
struct cache_group {
    u16 hint[CACHE_GROUP_WAYS];
    u8 rank[CACHE_GROUP_WAYS]; /* CACHE_RANK_PAD for padding ways */
    u16 valid;                 /* bit i: way i holds a line (never set for padding ways) */
    u16 dirty;                 /* bit i: way i holds a modified line */
    u32 tag_hi[CACHE_GROUP_WAYS] __attribute__((aligned(64)));
} __attribute__((aligned(128)));
_Static_assert(sizeof(struct cache_group) == 128, "a group is two host cache lines");

struct cache {
    /* Hot: read on every lookup. */
    struct cache_group *groups; /* set s is groups[s * n_groups .. + n_groups) */
    u32 n_groups;               /* groups per set: ways / CACHE_GROUP_WAYS rounded up */
    u32 ways;
    u32 line_shift;
    u32 tag_shift; /* log2(n_sets) for power-of-two set counts, else 0 */
    u64 set_mask;  /* n_sets - 1 when n_sets is a power of two, else 0 (use modulo) */
    u64 n_sets;
    bool is_pow2_sets;
    u32 hit_lat_cycles;
    /* Counters (demand accesses only; lines written back into this cache are not hits). */
    u64 n_hits, n_misses;
    u64 n_writebacks; /* dirty lines evicted from this cache */
    struct cache_config cfg;
};

/**
 * cache_init() - allocate the sets; all lines invalid.
 * Return: false and @err if the geometry is invalid (sizes not powers of two where required,
 * size not a multiple of ways * line, more than CACHE_MAX_WAYS ways) or allocation fails.
 */
bool cache_init(struct cache *c, const struct cache_config *cfg, struct emu_err *err);

/** cache_destroy() - free the sets (@c itself belongs to the caller). */
void cache_destroy(struct cache *c);

/** cache_set_of() - set index of line number @line. */
static inline u64 cache_set_of(const struct cache *c, u64 line)
{
    return likely(c->is_pow2_sets) ? line & c->set_mask : line % c->n_sets;
}

/** cache_set() - the first group of @line's set. */
static inline struct cache_group *cache_set(const struct cache *c, u64 line)
{
    return c->groups + cache_set_of(c, line) * c->n_groups;
}

/**
 * cache_prefetch() - start loading the lookup half of @line's set into the host cache (all of
 * it for up to CACHE_GROUP_WAYS ways). No state change.
 */
static inline void cache_prefetch(const struct cache *c, u64 line)
{
    __builtin_prefetch(cache_set(c, line));
}

/** cache_tag() - tag of line number @line (unique within its set). */
static inline u64 cache_tag(const struct cache *c, u64 line)
{
    EMU_DCHECK(line >> 48 == 0);
    return line >> c->tag_shift;
}

/*
 * Per-group primitives, sixteen ways at a time with SSE2. Ranks and @r are at most 0x7f, so
 * the signed byte compares are exact.
 */

/* Bit i set: way i of @g has hint @hint (padding and invalid ways may match too). */
static inline u32 cache_hint_matches(const struct cache_group *g, u16 hint)
{
#if defined(__SSE2__)
    __m128i k = _mm_set1_epi16((short)hint);
    __m128i lo = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)g->hint), k);
    __m128i hi = _mm_cmpeq_epi16(_mm_load_si128((const __m128i *)g->hint + 1), k);

    return (u32)_mm_movemask_epi8(_mm_packs_epi16(lo, hi));
#else
    u32 m = 0;

    for (u32 i = 0; i < CACHE_GROUP_WAYS; i++)
        m |= (u32)(g->hint[i] == hint) << i;
    return m;
#endif
}

#if defined(__SSE2__)
/* @r (below 0x80) in every byte: a multiply and a shuffle instead of SSE2's byte unpacking. */
static inline __m128i cache_bytes(u32 r)
{
    return _mm_set1_epi32((int)(r * 0x01010101u));
}
#endif

/* Bit i set: way i of @g has rank @r. */
static inline u32 cache_rank_matches(const struct cache_group *g, u32 r)
{
#if defined(__SSE2__)
    __m128i v = _mm_load_si128((const __m128i *)g->rank);

    return (u32)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cache_bytes(r)));
#else
    u32 m = 0;

    for (u32 i = 0; i < CACHE_GROUP_WAYS; i++)
        m |= (u32)(g->rank[i] == r) << i;
    return m;
#endif
}

/*
 * The way of @g ranked @r (if it is in @g) becomes rank 0 and every way ranked below (more
 * recent than) @r ages by one. One 16-byte store: a narrower store into the ranks would stall
 * the next lookup's vector load of them (failed store-to-load forwarding).
 */
CACHE_HOT void cache_rerank(struct cache_group *g, u32 r)
{
#if defined(__SSE2__)
    __m128i v = _mm_load_si128((const __m128i *)g->rank);
    __m128i k = cache_bytes(r);
    __m128i is_r = _mm_cmpeq_epi8(v, k);

    v = _mm_sub_epi8(v, _mm_cmplt_epi8(v, k)); /* true is -1: ranks below r age by one */
    _mm_store_si128((__m128i *)g->rank, _mm_andnot_si128(is_r, v)); /* rank r becomes 0 */
#else
    for (u32 i = 0; i < CACHE_GROUP_WAYS; i++)
        g->rank[i] = g->rank[i] == r ? 0 : g->rank[i] + (g->rank[i] < r);
#endif
}

/*
 * Makes @way of @set the most recently used. No shortcut when it already is (rank 0, a no-op
 * here): whether a hit repeats the set's last line is unpredictable, a branch on it costs more.
 */
CACHE_HOT void cache_promote(const struct cache *c, struct cache_group *set, u32 way)
{
    u32 r = set[way / CACHE_GROUP_WAYS].rank[way % CACHE_GROUP_WAYS];

    cache_rerank(&set[0], r);
    for (u32 g = 1; g < c->n_groups; g++)
        cache_rerank(&set[g], r);
}

/**
 * cache_lookup() - way of @set (from cache_set()) holding line number @line, or -1.
 * No state change.
 */
CACHE_HOT int cache_lookup(const struct cache *c, const struct cache_group *set, u64 line)
{
    u64 tag = cache_tag(c, line);
    u32 hi = (u32)(tag >> 16), g = 0;

    do { /* a set has at least one group */
        for (u32 m = cache_hint_matches(&set[g], (u16)tag) & set[g].valid; m; m &= m - 1) {
            u32 i = (u32)__builtin_ctz(m);

            if (set[g].tag_hi[i] == hi)
                return (int)(g * CACHE_GROUP_WAYS + i);
        }
    } while (++g < c->n_groups);
    return -1;
}

/**
 * cache_hit() - a demand access hit @way of @set: LRU update, dirty bit set if @is_write,
 * hit counted.
 */
CACHE_HOT void cache_hit(struct cache *c, struct cache_group *set, u32 way, bool is_write)
{
    cache_promote(c, set, way);
    set[way / CACHE_GROUP_WAYS].dirty |= (u16)((u32)is_write << (way % CACHE_GROUP_WAYS));
    c->n_hits++;
}

/**
 * cache_probe() - demand lookup of line number @line. On a hit: LRU update, dirty bit set if
 * @is_write, hit counted. On a miss nothing changes (the caller counts it with
 * cache_fill()). Return: true on a hit.
 */
static inline bool cache_probe(struct cache *c, u64 line, bool is_write)
{
    struct cache_group *set = cache_set(c, line);
    int w = cache_lookup(c, set, line);

    if (w < 0)
        return false;
    cache_hit(c, set, (u32)w, is_write);
    return true;
}

/* The way of @set ranked last: the LRU line, or an invalid way when the set has one. */
CACHE_HOT u32 cache_lru_way(const struct cache *c, const struct cache_group *set)
{
    for (u32 g = 0;; g++) {
        u32 m = cache_rank_matches(&set[g], c->ways - 1);

        if (m)
            return g * CACHE_GROUP_WAYS + (u32)__builtin_ctz(m);
        EMU_DCHECK(g + 1 < c->n_groups);
    }
}

/*
 * Installs @line (absent) in the LRU way of @set, its set, as the most recently used line.
 * Return: true if a valid line was evicted (described in @victim, a dirty one counted as a
 * writeback); else @victim->pa is ~0.
 */
CACHE_HOT bool cache_replace(struct cache *c, struct cache_group *set, u64 line, bool is_dirty,
                             struct cache_victim *victim)
{
    u32 way = cache_lru_way(c, set);
    struct cache_group *g = &set[way / CACHE_GROUP_WAYS];
    u32 i = way % CACHE_GROUP_WAYS;
    u64 old_tag = ((u64)g->tag_hi[i] << 16) | g->hint[i];
    u32 was_dirty = (g->dirty >> i) & 1;
    u64 tag = cache_tag(c, line);
    bool is_evicted = (g->valid >> i) & 1;

    victim->pa =
        is_evicted ? ((old_tag << c->tag_shift) | (line & c->set_mask)) << c->line_shift : ~0ull;
    victim->is_dirty = is_evicted && was_dirty;
    c->n_writebacks += victim->is_dirty;
    g->hint[i] = (u16)tag;
    g->tag_hi[i] = (u32)(tag >> 16);
    g->valid |= (u16)(1u << i);
    g->dirty ^= (u16)((was_dirty ^ (u32)is_dirty) << i);
    cache_promote(c, set, way);
    return is_evicted;
}

/**
 * cache_fill_set() - cache_fill() of @line into @set, the set cache_set() gave for it (saves
 * locating the set again after a cache_lookup() that missed).
 */
CACHE_HOT bool cache_fill_set(struct cache *c, struct cache_group *set, u64 line, bool is_dirty,
                              struct cache_victim *victim)
{
    c->n_misses++;
    return cache_replace(c, set, line, is_dirty, victim);
}

/**
 * cache_fill() - install line @line (not present) after a demand miss, counting the miss;
 * the LRU way is replaced. Return: true if a valid line was evicted, described in @victim
 * (its dirty eviction is counted as a writeback); else @victim->pa is ~0.
 */
static inline bool cache_fill(struct cache *c, u64 line, bool is_dirty, struct cache_victim *victim)
{
    return cache_fill_set(c, cache_set(c, line), line, is_dirty, victim);
}

/**
 * cache_access() - demand access by byte address: probe, and on a miss fill (write-allocate).
 * Return: true on a hit; on a miss @victim->pa is ~0 if nothing valid was evicted.
 */
bool cache_access(struct cache *c, gpa_t pa, bool is_write, struct cache_victim *victim);

/**
 * cache_write_back_into() - a dirty line evicted from the level above arrives: mark it dirty
 * if present (no LRU change), else allocate it dirty (non-inclusive hierarchy). Not counted as
 * a hit or miss. Return: true if a valid line was evicted to make room (in @victim).
 */
static inline bool cache_write_back_into(struct cache *c, u64 line, struct cache_victim *victim)
{
    struct cache_group *set = cache_set(c, line);
    int w = cache_lookup(c, set, line);

    if (w >= 0) {
        set[w / CACHE_GROUP_WAYS].dirty |= (u16)(1u << (w % CACHE_GROUP_WAYS));
        victim->pa = ~0ull;
        victim->is_dirty = false;
        return false;
    }
    return cache_replace(c, set, line, true, victim);
}

/**
 * cache_invalidate_line() - drop the line holding @pa. @was_dirty (may be NULL) tells whether
 * the dropped line was dirty (its data would have needed a writeback). Return: true if present.
 */
bool cache_invalidate_line(struct cache *c, gpa_t pa, bool *was_dirty);

/** cache_invalidate_all() - drop every line. Return: the number of dirty lines dropped. */
u64 cache_invalidate_all(struct cache *c);

/** cache_contains() - whether the line holding @pa is present (no state change; for tests). */
bool cache_contains(const struct cache *c, gpa_t pa);

/** cache_register_stats() - "hits", "misses", "writebacks" under @g. */
void cache_register_stats(struct cache *c, struct stats_group *g);

#endif
