/* SPDX-License-Identifier: MIT */
/*
 * The cache hierarchy (per vCPU L1I/L1D/L2, shared LLC; non-inclusive, write-back) in front of
 * the per-node memory tiers. The L1 hit path is inline in memsys.h; everything else is here.
 */
#include "mm/memsys.h"
#include "base/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMSYS_MAX_CPUS 4096

static void cache_cfg(struct cache_config *c, const char *name, u64 size_bytes, u32 ways,
                      u32 lat_cycles)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s", name);
    c->size_bytes = size_bytes;
    c->ways = ways;
    c->line_bytes = 64;
    c->hit_lat_cycles = lat_cycles;
}

void memsys_config_default(struct memsys_config *cfg, u32 n_cpus)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->n_cpus = n_cpus ? n_cpus : 1;
    cfg->cpu_ghz = 3.0;
    cache_cfg(&cfg->l1i, "l1i", 32 * KiB, 8, 5);
    cache_cfg(&cfg->l1d, "l1d", 48 * KiB, 12, 5);
    cache_cfg(&cfg->l2, "l2", 2 * MiB, 16, 16);
    cache_cfg(&cfg->llc, "llc", 1920 * KiB * cfg->n_cpus, 15, 100);
}

static bool check_config(const struct memsys_config *cfg, const struct physmem *pm,
                         const struct tier_state *tiers, u32 n_nodes, struct emu_err *err)
{
    u32 line = cfg->l1d.line_bytes;

    if (!cfg->n_cpus || cfg->n_cpus > MEMSYS_MAX_CPUS) {
        err_set(err, "memsys: %u CPUs (1..%u)", cfg->n_cpus, MEMSYS_MAX_CPUS);
        return false;
    }
    if (!(cfg->cpu_ghz > 0.0)) {
        err_set(err, "memsys: CPU frequency must be positive (%g GHz)", cfg->cpu_ghz);
        return false;
    }
    if (cfg->l2.line_bytes != line || cfg->llc.line_bytes != line ||
        (cfg->l1i.size_bytes && cfg->l1i.line_bytes != line)) {
        err_set(err, "memsys: every cache level needs the same line size");
        return false;
    }
    if (!pm || !tiers || !n_nodes || n_nodes > NUMA_MAX_NODES || pm->n_nodes > n_nodes) {
        err_set(err, "memsys: need a physmem and one tier per node (%u tiers, %u nodes)", n_nodes,
                pm ? pm->n_nodes : 0);
        return false;
    }
    return true;
}

void memsys_destroy(struct memsys *ms)
{
    if (!ms)
        return;
    if (ms->cpus) {
        for (u32 i = 0; i < ms->cfg.n_cpus; i++) {
            cache_destroy(&ms->cpus[i].l1d);
            cache_destroy(&ms->cpus[i].l1i);
            cache_destroy(&ms->cpus[i].l2);
        }
    }
    cache_destroy(&ms->llc);
    free(ms->cpus);
    free(ms);
}

struct memsys *memsys_create(const struct memsys_config *cfg, struct physmem *pm,
                             struct tier_state *tiers, u32 n_nodes, struct emu_err *err)
{
    struct memsys *ms;
    bool has_l1i = cfg->l1i.size_bytes != 0;

    if (!check_config(cfg, pm, tiers, n_nodes, err))
        return NULL;
    ms = calloc(1, sizeof(*ms));
    if (ms)
        ms->cpus = aligned_alloc(64, sizeof(*ms->cpus) * cfg->n_cpus);
    if (!ms || !ms->cpus) {
        free(ms);
        err_set(err, "memsys: out of memory");
        return NULL;
    }
    memset(ms->cpus, 0, sizeof(*ms->cpus) * cfg->n_cpus);
    ms->cfg = *cfg;
    ms->pm = pm;
    ms->tiers = tiers;
    ms->n_nodes = n_nodes;
    ms->line_bytes = cfg->l1d.line_bytes;
    ms->cycles_per_ns = cfg->cpu_ghz;
    ms->miss_add_cycles = cfg->miss_adds_llc_lat ? cfg->llc.hit_lat_cycles : 0;
    ms->miss_floor_cycles = cfg->miss_adds_llc_lat ? 0 : cfg->llc.hit_lat_cycles;
    if (!cache_init(&ms->llc, &cfg->llc, err))
        goto out_destroy;
    for (u32 i = 0; i < cfg->n_cpus; i++) {
        struct memsys_cpu *c = &ms->cpus[i];

        if (!cache_init(&c->l1d, &cfg->l1d, err) || !cache_init(&c->l2, &cfg->l2, err) ||
            (has_l1i && !cache_init(&c->l1i, &cfg->l1i, err)))
            goto out_destroy;
    }
    ms->line_shift = ms->llc.line_shift;
    if (!cfg->caches_off)
        ms->fast_kinds = (1u << ACCESS_READ) | (1u << ACCESS_WRITE) | (1u << ACCESS_WALK) |
                         ((u32)has_l1i << ACCESS_FETCH);
    return ms;

out_destroy:
    err_prefix(err, "memsys: ");
    memsys_destroy(ms);
    return NULL;
}

static inline u32 ns_to_cycles(const struct memsys *ms, double ns)
{
    return (u32)(ns * ms->cycles_per_ns + 0.5);
}

static inline struct tier_state *tier_of_line(struct memsys *ms, u64 line)
{
    u32 node = physmem_node_of(ms->pm, line << ms->line_shift);

    EMU_DCHECK(node < ms->n_nodes);
    return &ms->tiers[node];
}

/* An LLC victim (or any line leaving the chip dirty) is written to its node: bandwidth only. */
static void mem_write(struct memsys *ms, u64 line)
{
    (void)tier_access(tier_of_line(ms, line), true, ms->line_bytes);
}

/* Fills a line from its node. Return: the miss latency in cycles. */
static u32 mem_read(struct memsys *ms, u64 line)
{
    u32 lat = ns_to_cycles(ms, tier_access(tier_of_line(ms, line), false, ms->line_bytes));

    lat += ms->miss_add_cycles;
    return lat > ms->miss_floor_cycles ? lat : ms->miss_floor_cycles;
}

static void write_back_llc(struct memsys *ms, u64 line)
{
    struct cache_victim v;

    if (cache_write_back_into(&ms->llc, line, &v) && v.is_dirty)
        mem_write(ms, v.pa >> ms->line_shift);
}

static void write_back_l2(struct memsys *ms, struct memsys_cpu *c, u64 line)
{
    struct cache_victim v;

    if (cache_write_back_into(&c->l2, line, &v) && v.is_dirty)
        write_back_llc(ms, v.pa >> ms->line_shift);
}

/*
 * @line missed in @l1, in its set @l1_set (both NULL when a fetch bypasses a missing L1I):
 * look it up in L2, then the LLC, then memory, filling every level that missed. Fills are
 * clean below L1; a write makes only the L1 copy dirty. Victims cascade down as writebacks.
 */
static u32 miss_below_l1(struct memsys *ms, struct memsys_cpu *c, struct cache *l1,
                         struct cache_group *l1_set, u64 line, bool is_write)
{
    struct cache_group *l2_set = cache_set(&c->l2, line);
    int way = cache_lookup(&c->l2, l2_set, line);
    struct cache_victim v;
    u32 lat;

    if (way >= 0) {
        cache_hit(&c->l2, l2_set, (u32)way, false);
        lat = c->l2.hit_lat_cycles;
    } else {
        struct cache_group *llc_set = cache_set(&ms->llc, line);

        way = cache_lookup(&ms->llc, llc_set, line);
        if (way >= 0) {
            cache_hit(&ms->llc, llc_set, (u32)way, false);
            lat = ms->llc.hit_lat_cycles;
        } else {
            lat = mem_read(ms, line);
            if (cache_fill_set(&ms->llc, llc_set, line, false, &v) && v.is_dirty)
                mem_write(ms, v.pa >> ms->line_shift);
        }
        if (cache_fill_set(&c->l2, l2_set, line, false, &v) && v.is_dirty)
            write_back_llc(ms, v.pa >> ms->line_shift);
    }
    if (l1 && cache_fill_set(l1, l1_set, line, is_write, &v) && v.is_dirty)
        write_back_l2(ms, c, v.pa >> ms->line_shift);
    return lat;
}

u32 memsys_miss_l1(struct memsys *ms, u32 cpu, struct cache_group *l1_set, u64 line,
                   enum access_type kind)
{
    struct memsys_cpu *c = &ms->cpus[cpu];
    struct cache *l1 = kind == ACCESS_FETCH ? &c->l1i : &c->l1d;

    /* Both sets are likely out of the host's caches: start loading them now. */
    cache_prefetch(&c->l2, line);
    cache_prefetch(&ms->llc, line);
    return miss_below_l1(ms, c, l1, l1_set, line, kind == ACCESS_WRITE);
}

static u32 access_line(struct memsys *ms, u32 cpu, u64 line, enum access_type kind)
{
    struct memsys_cpu *c = &ms->cpus[cpu];
    bool is_write = kind == ACCESS_WRITE;
    struct cache *l1;

    if (unlikely(ms->cfg.caches_off))
        return ns_to_cycles(ms, tier_access(tier_of_line(ms, line), is_write, ms->line_bytes));
    l1 = kind == ACCESS_FETCH ? (c->l1i.groups ? &c->l1i : NULL) : &c->l1d;
    if (l1) {
        struct cache_group *set = cache_set(l1, line);
        int way = cache_lookup(l1, set, line);

        if (way >= 0) {
            cache_hit(l1, set, (u32)way, is_write);
            return l1->hit_lat_cycles;
        }
        return miss_below_l1(ms, c, l1, set, line, is_write);
    }
    return miss_below_l1(ms, c, NULL, NULL, line, is_write);
}

u32 memsys_access_slow(struct memsys *ms, u32 cpu, gpa_t pa, u32 size, enum access_type kind)
{
    u64 first = pa >> ms->line_shift;
    u64 last = (pa + (size ? size : 1) - 1) >> ms->line_shift;
    u32 lat;

    EMU_DCHECK(cpu < ms->cfg.n_cpus);
    lat = access_line(ms, cpu, first, kind);
    if (last != first) {
        u32 lat2 = access_line(ms, cpu, last, kind);

        lat = lat2 > lat ? lat2 : lat;
    }
    return lat;
}

static u32 port_access(void *opaque, u32 cpu, gpa_t pa, u32 size, enum access_type kind)
{
    return memsys_access(opaque, cpu, pa, size, kind);
}

struct mem_port memsys_port(struct memsys *ms)
{
    return (struct mem_port){.access = port_access, .opaque = ms};
}

void memsys_epoch_end(struct memsys *ms, double epoch_ns)
{
    for (u32 n = 0; n < ms->n_nodes; n++)
        tier_epoch_end(&ms->tiers[n], epoch_ns);
}

void memsys_register_stats(struct memsys *ms, struct stats_group *root)
{
    for (u32 i = 0; i < ms->cfg.n_cpus; i++) {
        struct memsys_cpu *c = &ms->cpus[i];
        struct stats_group *g = stats_group_new(root, "cpu%u", i);

        cache_register_stats(&c->l1d, stats_group_new(g, "l1d"));
        if (c->l1i.groups)
            cache_register_stats(&c->l1i, stats_group_new(g, "l1i"));
        cache_register_stats(&c->l2, stats_group_new(g, "l2"));
    }
    cache_register_stats(&ms->llc, stats_group_new(root, "llc"));
    for (u32 n = 0; n < ms->n_nodes; n++)
        tier_register_stats(&ms->tiers[n], stats_group_new(root, "node%u", n));
}
