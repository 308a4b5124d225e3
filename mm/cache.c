/* SPDX-License-Identifier: MIT */
/* Set-associative cache model (tags, dirty bits, true LRU by per-way stamps); see cache.h. */
#include "mm/cache.h"
#include "base/bits.h"

#include <stdlib.h>
#include <string.h>

bool cache_init(struct cache *c, const struct cache_config *cfg, struct emu_err *err)
{
    u64 n_slots;

    memset(c, 0, sizeof(*c));
    if (!cfg->ways || cfg->ways > CACHE_MAX_WAYS || !is_pow2(cfg->line_bytes) || !cfg->size_bytes ||
        cfg->size_bytes % ((u64)cfg->ways * cfg->line_bytes)) {
        err_set(err,
                "cache %s: %llu bytes, %u ways, %u-byte lines is not a valid geometry (size a "
                "multiple of ways x line, line a power of two, 1..%u ways)",
                cfg->name, (unsigned long long)cfg->size_bytes, cfg->ways, cfg->line_bytes,
                CACHE_MAX_WAYS);
        return false;
    }
    c->n_sets = cfg->size_bytes / cfg->line_bytes / cfg->ways;
    c->stride = (u32)align_up(cfg->ways, CACHE_HINT_GROUP);
    n_slots = c->n_sets * c->stride;
    c->hints = aligned_alloc(64, align_up(n_slots * sizeof(*c->hints), 64));
    c->tags = aligned_alloc(64, n_slots * sizeof(*c->tags));
    c->stamps = aligned_alloc(64, n_slots * sizeof(*c->stamps));
    if (!c->hints || !c->tags || !c->stamps) {
        cache_destroy(c);
        err_set(err, "cache %s: out of memory", cfg->name);
        return false;
    }
    memset(c->hints, 0, n_slots * sizeof(*c->hints));
    memset(c->tags, 0xff, n_slots * sizeof(*c->tags)); /* CACHE_TAG_INVALID */
    memset(c->stamps, 0, n_slots * sizeof(*c->stamps));
    c->cfg = *cfg;
    c->ways = cfg->ways;
    c->line_shift = ilog2(cfg->line_bytes);
    c->set_mask = is_pow2(c->n_sets) ? c->n_sets - 1 : 0;
    c->hint_shift = is_pow2(c->n_sets) ? ilog2(c->n_sets) : 0;
    c->hit_lat_cycles = cfg->hit_lat_cycles;
    return true;
}

void cache_destroy(struct cache *c)
{
    free(c->hints);
    free(c->tags);
    free(c->stamps);
    c->hints = NULL;
    c->tags = c->stamps = NULL;
}

/* The least recently used way of the set starting at @base (an invalid way has stamp 0). */
static u32 lru_way(const struct cache *c, u64 base)
{
    const u64 *s = c->stamps + base;
    u64 best = s[0];
    u32 way = 0;

    for (u32 w = 1; w < c->ways; w++) {
        if (s[w] < best) {
            best = s[w];
            way = w;
        }
    }
    return way;
}

/* Replaces the LRU way of @line's set with @line; reports and counts what it pushed out. */
static bool replace(struct cache *c, u64 line, bool is_dirty, struct cache_victim *victim)
{
    u64 base = cache_set_of(c, line) * c->stride;
    u32 w = lru_way(c, base);
    u64 old = c->tags[base + w];
    bool evicted = old != CACHE_TAG_INVALID;

    if (evicted) {
        victim->pa = (old >> 1) << c->line_shift;
        victim->is_dirty = old & 1;
        c->n_writebacks += old & 1;
    } else {
        victim->pa = ~0ull;
        victim->is_dirty = false;
    }
    c->tags[base + w] = (line << 1) | (u64)is_dirty;
    c->hints[base + w] = cache_hint(c, line);
    c->stamps[base + w] = ++c->clock;
    return evicted;
}

bool cache_fill(struct cache *c, u64 line, bool is_dirty, struct cache_victim *victim)
{
    c->n_misses++;
    return replace(c, line, is_dirty, victim);
}

bool cache_access(struct cache *c, gpa_t pa, bool is_write, struct cache_victim *victim)
{
    u64 line = pa >> c->line_shift;

    if (cache_probe(c, line, is_write))
        return true;
    cache_fill(c, line, is_write, victim);
    return false;
}

/* Index of @line's way in the arrays, or -1. */
static i64 find(const struct cache *c, u64 line)
{
    u64 base = cache_set_of(c, line) * c->stride;
    int w = cache_find_way(c, line, base);

    return w < 0 ? -1 : (i64)(base + (u32)w);
}

bool cache_write_back_into(struct cache *c, u64 line, struct cache_victim *victim)
{
    i64 i = find(c, line);

    if (i >= 0) {
        c->tags[i] |= 1;
        victim->pa = ~0ull;
        victim->is_dirty = false;
        return false;
    }
    return replace(c, line, true, victim);
}

bool cache_invalidate_line(struct cache *c, gpa_t pa, bool *was_dirty)
{
    i64 i = find(c, pa >> c->line_shift);

    if (i < 0)
        return false;
    if (was_dirty)
        *was_dirty = c->tags[i] & 1;
    c->tags[i] = CACHE_TAG_INVALID;
    c->stamps[i] = 0;
    return true;
}

u64 cache_invalidate_all(struct cache *c)
{
    u64 n_slots = c->n_sets * c->stride;
    u64 dirty = 0;

    for (u64 i = 0; i < n_slots; i++) {
        dirty += c->tags[i] != CACHE_TAG_INVALID && (c->tags[i] & 1);
        c->tags[i] = CACHE_TAG_INVALID;
        c->stamps[i] = 0;
    }
    return dirty;
}

bool cache_contains(const struct cache *c, gpa_t pa)
{
    return find(c, pa >> c->line_shift) >= 0;
}

void cache_register_stats(struct cache *c, struct stats_group *g)
{
    stats_counter(g, "hits", &c->n_hits, "count", "demand accesses that hit");
    stats_counter(g, "misses", &c->n_misses, "count", "demand accesses that missed");
    stats_counter(g, "writebacks", &c->n_writebacks, "count",
                  "dirty lines evicted to the next level");
}
