/* SPDX-License-Identifier: MIT */
/*
 * A set-associative cache model: tags and state only (the data stays in guest RAM).
 * Write-back, write-allocate, true LRU. Built for speed: each way has a 16-bit partial tag
 * (hint); the hints of a set are contiguous and compared 8 at a time (SSE2), and only a
 * matching way's full tag (which carries the dirty bit) is checked. LRU is one 64-bit stamp
 * per way, so a hit is a hint compare, a tag check and one stamp store.
 * Addresses are line numbers (pa >> line shift) on the fast interface.
 */
#ifndef EMU_MM_CACHE_H
#define EMU_MM_CACHE_H

#include "base/err.h"
#include "base/types.h"
#include "stats/stats.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CACHE_NAME_MAX    16
#define CACHE_MAX_WAYS    64
#define CACHE_TAG_INVALID (~0ull)
#define CACHE_HINT_GROUP  8u /* hints compared per SSE2 instruction; ways are padded to it */

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

struct cache {
    /* Hot: read on every lookup. Arrays are indexed [set * stride + way]. */
    u16 *hints;  /* partial tag of each way (meaningless for invalid ways) */
    u64 *tags;   /* (line << 1) | dirty, or CACHE_TAG_INVALID (also in padding ways) */
    u64 *stamps; /* LRU stamp, 0 for an invalid way */
    u64 clock;   /* last stamp handed out */
    u32 ways;
    u32 stride; /* ways rounded up to CACHE_HINT_GROUP */
    u32 line_shift;
    u32 hint_shift; /* log2(n_sets) for power-of-two set counts, else 0 */
    u64 set_mask;   /* n_sets - 1 when n_sets is a power of two, else 0 (use modulo) */
    u64 n_sets;
    u32 hit_lat_cycles;
    /* Counters (demand accesses only; lines written back into this cache are not hits). */
    u64 n_hits, n_misses;
    u64 n_writebacks; /* dirty lines evicted from this cache */
    struct cache_config cfg;
};

/**
 * cache_init() - allocate the tag and stamp arrays; all lines invalid.
 * Return: false and @err if the geometry is invalid (sizes not powers of two where required,
 * size not a multiple of ways * line, more than CACHE_MAX_WAYS ways) or allocation fails.
 */
bool cache_init(struct cache *c, const struct cache_config *cfg, struct emu_err *err);

/** cache_destroy() - free the arrays (@c itself belongs to the caller). */
void cache_destroy(struct cache *c);

/** cache_set_of() - set index of line number @line. */
static inline u64 cache_set_of(const struct cache *c, u64 line)
{
    return likely(c->set_mask || c->n_sets == 1) ? line & c->set_mask : line % c->n_sets;
}

/** cache_hint() - partial tag of line @line: line bits just above the set index. */
static inline u16 cache_hint(const struct cache *c, u64 line)
{
    return (u16)(line >> c->hint_shift);
}

/** cache_find_way() - way holding @line in the set starting at @base, or -1 (no state change). */
static inline int cache_find_way(const struct cache *c, u64 line, u64 base)
{
    const u64 *t = c->tags + base;
    u64 key = (line << 1) | 1;
#if defined(__SSE2__)
    const u16 *h = c->hints + base;
    __m128i k = _mm_set1_epi16((short)cache_hint(c, line));

    for (u32 g = 0; g < c->stride; g += CACHE_HINT_GROUP) {
        __m128i v = _mm_load_si128((const __m128i *)(h + g));
        u32 m = (u32)_mm_movemask_epi8(_mm_cmpeq_epi16(v, k)) & 0x5555u;

        while (m) {
            u32 w = g + ((u32)__builtin_ctz(m) >> 1);

            if ((t[w] | 1) == key)
                return (int)w;
            m &= m - 1;
        }
    }
#else
    for (u32 w = 0; w < c->ways; w++)
        if ((t[w] | 1) == key)
            return (int)w;
#endif
    return -1;
}

/**
 * cache_probe() - demand lookup of line number @line. On a hit: LRU update, dirty bit set if
 * @is_write, hit counted. On a miss nothing changes (the caller counts it with
 * cache_fill()). Return: true on a hit.
 */
static inline bool cache_probe(struct cache *c, u64 line, bool is_write)
{
    u64 base = cache_set_of(c, line) * c->stride;
    int w = cache_find_way(c, line, base);

    if (w < 0)
        return false;
    c->tags[base + (u32)w] |= (u64)is_write;
    c->stamps[base + (u32)w] = ++c->clock;
    c->n_hits++;
    return true;
}

/**
 * cache_fill() - install line @line (not present) after a demand miss, counting the miss;
 * the LRU way is replaced. Return: true if a valid line was evicted, described in @victim
 * (its dirty eviction is counted as a writeback).
 */
bool cache_fill(struct cache *c, u64 line, bool is_dirty, struct cache_victim *victim);

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
bool cache_write_back_into(struct cache *c, u64 line, struct cache_victim *victim);

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
