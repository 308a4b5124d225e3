/* SPDX-License-Identifier: MIT */
/* Set-associative cache model (tags, dirty bits, true LRU by per-way recency ranks); see cache.h.
 */
#include "mm/cache.h"
#include "base/bits.h"

#include <stdlib.h>
#include <string.h>

/* Every way invalid; the ranks of each set a permutation, padding ways ranked CACHE_RANK_PAD. */
static void reset_sets(struct cache *c)
{
    for (u64 s = 0; s < c->n_sets; s++) {
        struct cache_group *set = c->groups + s * c->n_groups;

        for (u32 w = 0; w < c->n_groups * CACHE_GROUP_WAYS; w++) {
            struct cache_group *g = &set[w / CACHE_GROUP_WAYS];

            g->hint[w % CACHE_GROUP_WAYS] = 0;
            g->tag_hi[w % CACHE_GROUP_WAYS] = 0;
            /* Any permutation will do; this one fills way 0 first. */
            g->rank[w % CACHE_GROUP_WAYS] = (u8)(w < c->ways ? c->ways - 1 - w : CACHE_RANK_PAD);
        }
        for (u32 g = 0; g < c->n_groups; g++)
            set[g].valid = set[g].dirty = 0;
    }
}

bool cache_init(struct cache *c, const struct cache_config *cfg, struct emu_err *err)
{
    u64 n_groups_total;

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
    c->n_groups = (u32)align_up(cfg->ways, CACHE_GROUP_WAYS) / CACHE_GROUP_WAYS;
    n_groups_total = c->n_sets * c->n_groups;
    c->groups = aligned_alloc(_Alignof(struct cache_group), n_groups_total * sizeof(*c->groups));
    if (!c->groups) {
        err_set(err, "cache %s: out of memory", cfg->name);
        return false;
    }
    memset(c->groups, 0, n_groups_total * sizeof(*c->groups));
    c->cfg = *cfg;
    c->ways = cfg->ways;
    c->line_shift = ilog2(cfg->line_bytes);
    c->is_pow2_sets = is_pow2(c->n_sets);
    c->set_mask = c->is_pow2_sets ? c->n_sets - 1 : 0;
    c->tag_shift = is_pow2(c->n_sets) ? ilog2(c->n_sets) : 0;
    c->hit_lat_cycles = cfg->hit_lat_cycles;
    reset_sets(c);
    return true;
}

void cache_destroy(struct cache *c)
{
    free(c->groups);
    c->groups = NULL;
}

bool cache_access(struct cache *c, gpa_t pa, bool is_write, struct cache_victim *victim)
{
    u64 line = pa >> c->line_shift;
    struct cache_group *set = cache_set(c, line);
    int w = cache_lookup(c, set, line);

    if (w >= 0) {
        cache_hit(c, set, (u32)w, is_write);
        return true;
    }
    cache_fill_set(c, set, line, is_write, victim);
    return false;
}

bool cache_invalidate_line(struct cache *c, gpa_t pa, bool *was_dirty)
{
    u64 line = pa >> c->line_shift;
    struct cache_group *set = cache_set(c, line);
    int w = cache_lookup(c, set, line);
    struct cache_group *g;
    u32 i, r;

    if (w < 0)
        return false;
    g = &set[w / CACHE_GROUP_WAYS];
    i = (u32)w % CACHE_GROUP_WAYS;
    if (was_dirty)
        *was_dirty = (g->dirty >> i) & 1;
    g->valid &= (u16) ~(1u << i);
    g->dirty &= (u16) ~(1u << i);
    /* The way becomes the least recent; the ways that were less recent move up by one. */
    r = g->rank[i];
    for (u32 v = 0; v < c->ways; v++) {
        u8 *rank = &set[v / CACHE_GROUP_WAYS].rank[v % CACHE_GROUP_WAYS];

        *rank -= *rank > r;
    }
    g->rank[i] = (u8)(c->ways - 1);
    return true;
}

u64 cache_invalidate_all(struct cache *c)
{
    u64 dirty = 0;

    for (u64 s = 0; s < c->n_sets * c->n_groups; s++)
        dirty += (u64)__builtin_popcount(c->groups[s].dirty);
    reset_sets(c);
    return dirty;
}

bool cache_contains(const struct cache *c, gpa_t pa)
{
    u64 line = pa >> c->line_shift;

    return cache_lookup(c, cache_set(c, line), line) >= 0;
}

void cache_register_stats(struct cache *c, struct stats_group *g)
{
    stats_counter(g, "hits", &c->n_hits, "count", "demand accesses that hit");
    stats_counter(g, "misses", &c->n_misses, "count", "demand accesses that missed");
    stats_counter(g, "writebacks", &c->n_writebacks, "count",
                  "dirty lines evicted to the next level");
}
