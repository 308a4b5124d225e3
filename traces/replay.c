/* SPDX-License-Identifier: MIT */
/*
 * Trace replay: a minimal OS (frame allocation by placement policy, x86-64 page tables built in
 * guest-physical memory, SDM vol. 3 4.5) under the modelled MMU and memory hierarchy.
 */
#include "traces/replay.h"
#include "base/check.h"
#include "mm/physmem.h"

#include <stdlib.h>
#include <string.h>

/* Paging-structure entry bits used when building tables (SDM vol. 3 4.5, tables 4-14..4-20). */
#define PTE_P    0x001ull
#define PTE_RW   0x002ull
#define PTE_US   0x004ull
#define PTE_PS   0x080ull
#define PTE_ADDR 0x000ffffffffff000ull

/* CPU clocks are kept in 1/256 cycle so that a fractional CPI adds up exactly. */
#define REPLAY_SUB_SHIFT 8

struct replay_node_alloc {
    u64 lo_pfn; /* next free 4 KiB frame, growing up */
    u64 hi_pfn; /* one past the last free frame; 2 MiB pages are taken from the top, down */
    u64 n_pages_4k, n_pages_2m;
};

struct replay_cpu {
    struct mmu *mmu;
    u64 sub_cycles; /* clock in 1/256 cycles */
    u32 node;       /* node of this CPU (first-touch placement) */
};

struct replay {
    struct replay_config cfg;
    const struct numa_topology *topo;
    struct physmem *pm;
    struct memsys *ms;
    struct tier_state *tiers;
    struct replay_cpu *cpus;
    u32 n_cpus;
    struct mmu_ctx ctx;
    struct replay_node_alloc alloc[NUMA_MAX_NODES];
    u32 near_order[NUMA_MAX_NODES][NUMA_MAX_NODES]; /* nodes by distance from each node */
    u32 n_mem_nodes;
    u32 mem_nodes[NUMA_MAX_NODES]; /* nodes that have memory, for interleave */
    u64 next_interleave;
    u64 cpi_sub;        /* CPI in 1/256 cycles */
    u64 epoch_sub;      /* epoch length in 1/256 cycles */
    u64 next_epoch_sub; /* end of the current epoch */
    double ns_per_sub;
    struct stats *stats;
    /* counters (stats registry points at them) */
    u64 n_records, n_instructions, n_page_faults, n_walk_records, n_split;
    u64 cycles, time_ns;
    u64 pages_on_node[NUMA_MAX_NODES];
};

void replay_config_default(struct replay_config *cfg, const struct numa_topology *topo)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->topo = topo;
    mmu_config_default(&cfg->mmu);
    memsys_config_default(&cfg->mem, topo->n_cpus);
    cfg->placement = REPLAY_FIRST_TOUCH;
    cfg->page_size = PAGE_4K;
    cfg->epoch_ns = 1000000;
    cfg->cpi = 1.0;
    cfg->run_name = "replay";
}

bool replay_placement_parse(const char *s, struct replay_config *cfg, struct emu_err *err)
{
    u64 node;

    if (!strcmp(s, "first-touch")) {
        cfg->placement = REPLAY_FIRST_TOUCH;
        return true;
    }
    if (!strcmp(s, "interleave")) {
        cfg->placement = REPLAY_INTERLEAVE;
        return true;
    }
    if (!strncmp(s, "node=", 5) && opts_parse_u64(s + 5, &node, NULL) && node < NUMA_MAX_NODES) {
        cfg->placement = REPLAY_BIND;
        cfg->place_node = (u32)node;
        return true;
    }
    err_set(err, "unknown placement '%s' (first-touch, interleave, node=N)", s);
    return false;
}

/* Nodes ordered by SLIT distance from @from (ties by id), memory-less nodes left out. */
static void replay_order_nodes(struct replay *r, u32 from)
{
    const struct numa_topology *t = r->topo;
    u32 n = 0;

    for (u32 i = 0; i < t->n_nodes; i++)
        if (t->nodes[i].mem_bytes)
            r->near_order[from][n++] = i;
    for (u32 i = 1; i < n; i++) {
        u32 v = r->near_order[from][i], j = i;

        while (j > 0 && t->dist[from][r->near_order[from][j - 1]] > t->dist[from][v]) {
            r->near_order[from][j] = r->near_order[from][j - 1];
            j--;
        }
        r->near_order[from][j] = v;
    }
}

static bool replay_alloc_on(struct replay *r, u32 node, enum page_size ps, u64 *pfn)
{
    struct replay_node_alloc *a = &r->alloc[node];

    if (ps == PAGE_2M) {
        u64 top = a->hi_pfn & ~511ull;

        if (top < a->lo_pfn + 512 || top - 512 < a->lo_pfn)
            return false;
        a->hi_pfn = top - 512;
        *pfn = a->hi_pfn;
        a->n_pages_2m++;
        r->pages_on_node[node] += 512;
        return true;
    }
    if (a->lo_pfn >= a->hi_pfn)
        return false;
    *pfn = a->lo_pfn++;
    a->n_pages_4k++;
    r->pages_on_node[node]++;
    return true;
}

/* A frame (or 2 MiB page) on @pref or the nearest node with room. */
static bool replay_alloc(struct replay *r, u32 pref, enum page_size ps, u64 *pfn)
{
    const u32 *order = r->near_order[pref];

    for (u32 i = 0; i < r->n_mem_nodes; i++)
        if (replay_alloc_on(r, order[i], ps, pfn))
            return true;
    return false;
}

static u32 replay_data_node(struct replay *r, const struct replay_cpu *c)
{
    switch (r->cfg.placement) {
    case REPLAY_INTERLEAVE:
        return r->mem_nodes[r->next_interleave++ % r->n_mem_nodes];
    case REPLAY_BIND:
        return r->cfg.place_node;
    case REPLAY_FIRST_TOUCH:
        break;
    }
    return c->node;
}

/* Page tables live with the touching CPU's node, as Linux allocates them. */
static bool replay_new_table(struct replay *r, u32 node, u64 *pfn)
{
    if (!replay_alloc(r, node, PAGE_4K, pfn))
        return false;
    memset(physmem_host(r->pm, *pfn << PAGE_SHIFT), 0, PAGE_SIZE);
    return true;
}

/* Map the page holding @va for a first touch by @c: tables as needed, then the leaf. */
static bool replay_map(struct replay *r, struct replay_cpu *c, gva_t va, struct emu_err *err)
{
    unsigned top = r->cfg.la57 ? 5 : 4;
    unsigned leaf = r->cfg.page_size == PAGE_2M ? 2 : 1;
    gpa_t table = r->ctx.cr3 & PTE_ADDR;
    u64 pfn;

    for (unsigned lvl = top; lvl > leaf; lvl--) {
        gpa_t slot = table + ((va >> (12 + 9 * (lvl - 1))) & 511) * 8;
        u64 e = physmem_read_u64(r->pm, slot);

        if (!(e & PTE_P)) {
            if (!replay_new_table(r, c->node, &pfn))
                goto out_full;
            e = (pfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US;
            physmem_write_u64(r->pm, slot, e);
        }
        table = e & PTE_ADDR;
    }
    if (!replay_alloc(r, replay_data_node(r, c), r->cfg.page_size, &pfn))
        goto out_full;
    physmem_write_u64(r->pm, table + ((va >> (12 + 9 * (leaf - 1))) & 511) * 8,
                      (pfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US | (leaf == 2 ? PTE_PS : 0));
    r->n_page_faults++;
    return true;

out_full:
    err_set(err, "the trace touches more memory than the guest has (-m %llu MiB)",
            (unsigned long long)(r->topo->ram_bytes >> 20));
    return false;
}

static void replay_register_stats(struct replay *r)
{
    struct stats_group *g = stats_group_new(stats_root(r->stats), "replay");

    stats_counter(g, "records", &r->n_records, "count", "trace records replayed");
    stats_counter(g, "instructions", &r->n_instructions, "count",
                  "instructions retired (sum of the records' instruction deltas)");
    stats_counter(g, "cycles", &r->cycles, "cycles", "virtual time of the most advanced CPU");
    stats_counter(g, "time_ns", &r->time_ns, "ns", "virtual time");
    stats_counter(g, "page_faults", &r->n_page_faults, "count",
                  "first touches that allocated and mapped a page");
    stats_counter(g, "walk_records", &r->n_walk_records, "count",
                  "page-walk records in the trace, skipped (the walker re-creates them)");
    stats_counter(g, "split_accesses", &r->n_split, "count", "accesses that cross a page");
    for (u32 n = 0; n < r->topo->n_nodes; n++) {
        struct stats_group *ng = stats_group_new(g, "node%u", n);

        stats_counter(ng, "pages", &r->pages_on_node[n], "pages",
                      "4 KiB frames placed on the node (data and page tables)");
    }
    for (u32 i = 0; i < r->n_cpus; i++)
        mmu_register_stats(r->cpus[i].mmu, stats_group_new(stats_root(r->stats), "cpu%u", i));
    memsys_register_stats(r->ms, stats_root(r->stats));
}

struct replay *replay_create(const struct replay_config *cfg, struct emu_err *err)
{
    const struct numa_topology *t = cfg->topo;
    struct physmem_layout layout = {0};
    struct replay *r;
    struct mem_port port;
    u64 root_pfn;

    EMU_CHECK(t->is_final);
    if (cfg->epoch_ns == 0 || !(cfg->cpi > 0) || cfg->mem.cpu_ghz <= 0) {
        err_set(err, "epoch, CPI and CPU frequency must be positive");
        return NULL;
    }
    if (cfg->placement == REPLAY_BIND &&
        (cfg->place_node >= t->n_nodes || !t->nodes[cfg->place_node].mem_bytes)) {
        err_set(err, "placement node %u has no memory", cfg->place_node);
        return NULL;
    }
    if (cfg->page_size != PAGE_4K && cfg->page_size != PAGE_2M) {
        err_set(err, "replay supports 4K and 2M pages");
        return NULL;
    }
    r = calloc(1, sizeof(*r));
    if (!r) {
        err_set(err, "out of memory");
        return NULL;
    }
    r->cfg = *cfg;
    r->topo = t;
    r->n_cpus = t->n_cpus;
    r->pm = physmem_create(t, &layout, err);
    if (!r->pm)
        goto out_free;
    for (u32 i = 0; i < r->pm->n_ranges; i++) {
        const struct physmem_range *rg = &r->pm->ranges[i];

        r->alloc[rg->node].lo_pfn = rg->base >> PAGE_SHIFT;
        r->alloc[rg->node].hi_pfn = (rg->base + rg->size_bytes) >> PAGE_SHIFT;
    }
    for (u32 n = 0; n < t->n_nodes; n++) {
        replay_order_nodes(r, n);
        if (t->nodes[n].mem_bytes)
            r->mem_nodes[r->n_mem_nodes++] = n;
    }
    r->tiers = calloc(t->n_nodes, sizeof(*r->tiers));
    r->cpus = calloc(r->n_cpus, sizeof(*r->cpus));
    if (!r->tiers || !r->cpus) {
        err_set(err, "out of memory");
        goto out_free;
    }
    for (u32 n = 0; n < t->n_nodes; n++)
        tier_init(&r->tiers[n], &t->nodes[n].perf);
    r->cfg.mem.n_cpus = r->n_cpus;
    r->ms = memsys_create(&r->cfg.mem, r->pm, r->tiers, t->n_nodes, err);
    if (!r->ms)
        goto out_free;
    port = memsys_port(r->ms);
    for (u32 i = 0; i < r->n_cpus; i++) {
        r->cpus[i].node = topo_node_of_cpu(t, i);
        r->cpus[i].mmu = mmu_create(&r->cfg.mmu, r->pm, &port, i, err);
        if (!r->cpus[i].mmu)
            goto out_free;
    }
    if (!replay_new_table(r, r->cpus[0].node, &root_pfn)) {
        err_set(err, "guest memory is too small for a page table");
        goto out_free;
    }
    r->ctx.cr3 = root_pfn << PAGE_SHIFT;
    r->ctx.flags =
        MMU_CTX_USER | MMU_CTX_WP | MMU_CTX_NXE | MMU_CTX_PGE | (cfg->la57 ? MMU_CTX_LA57 : 0);
    r->cpi_sub = (u64)(cfg->cpi * (1 << REPLAY_SUB_SHIFT) + 0.5);
    r->ns_per_sub = 1.0 / (cfg->mem.cpu_ghz * (1 << REPLAY_SUB_SHIFT));
    r->epoch_sub = (u64)((double)cfg->epoch_ns / r->ns_per_sub + 0.5);
    if (r->epoch_sub == 0)
        r->epoch_sub = 1;
    r->next_epoch_sub = r->epoch_sub;
    r->stats = stats_create(cfg->run_name ? cfg->run_name : "replay");
    if (!r->stats) {
        err_set(err, "out of memory");
        goto out_free;
    }
    replay_register_stats(r);
    return r;

out_free:
    replay_destroy(r);
    return NULL;
}

void replay_destroy(struct replay *r)
{
    if (!r)
        return;
    if (r->stats)
        stats_destroy(r->stats);
    for (u32 i = 0; r->cpus && i < r->n_cpus; i++)
        if (r->cpus[i].mmu)
            mmu_destroy(r->cpus[i].mmu);
    if (r->ms)
        memsys_destroy(r->ms);
    if (r->pm)
        physmem_destroy(r->pm);
    free(r->cpus);
    free(r->tiers);
    free(r);
}

struct stats *replay_stats(struct replay *r)
{
    return r->stats;
}

u64 replay_rss_bytes(const struct replay *r)
{
    return physmem_rss_bytes(r->pm);
}

/* Close every epoch that ended at or before @now_sub. */
static void replay_epochs_until(struct replay *r, u64 now_sub)
{
    while (now_sub >= r->next_epoch_sub) {
        r->time_ns = (u64)((double)r->next_epoch_sub * r->ns_per_sub + 0.5);
        r->cycles = r->next_epoch_sub >> REPLAY_SUB_SHIFT;
        memsys_epoch_end(r->ms, (double)r->cfg.epoch_ns);
        stats_epoch_end(r->stats, r->time_ns);
        r->next_epoch_sub += r->epoch_sub;
    }
}

/* One access of at most one page: translate (mapping on first touch), then charge memory. */
static bool replay_access(struct replay *r, struct replay_cpu *c, u32 cpu, gva_t va, u32 size,
                          enum access_type kind, struct emu_err *err)
{
    struct mmu_result res;
    struct walk_fault f;

    while (unlikely(!mmu_translate(c->mmu, &r->ctx, va, kind, &res, &f))) {
        if (f.kind != WALK_FAULT_NOT_PRESENT) {
            err_set(err, "unexpected %s fault at 0x%llx while replaying", walker_fault_name(f.kind),
                    (unsigned long long)va);
            return false;
        }
        c->sub_cycles += (u64)f.cycles << REPLAY_SUB_SHIFT;
        if (!replay_map(r, c, va, err))
            return false;
    }
    c->sub_cycles += (u64)(res.cycles + memsys_access(r->ms, cpu, res.pa, size, kind))
                     << REPLAY_SUB_SHIFT;
    return true;
}

static EMU_NOINLINE bool replay_record_slow(struct replay *r, const struct trace_rec *rc,
                                            struct emu_err *err)
{
    static const enum access_type kinds[] = {ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH};
    struct replay_cpu *c;
    u32 first;

    if (rc->kind == TRACE_WALK) {
        r->n_walk_records++;
        return true;
    }
    if (rc->cpu >= r->n_cpus) {
        err_set(err, "trace record %llu is from CPU %u but the machine has %u (-smp)",
                (unsigned long long)r->n_records, rc->cpu, r->n_cpus);
        return false;
    }
    if (rc->kind >= ARRAY_LEN(kinds) || rc->size == 0) {
        err_set(err, "trace record %llu has an invalid kind or size",
                (unsigned long long)r->n_records);
        return false;
    }
    c = &r->cpus[rc->cpu];
    first = PAGE_SIZE - (rc->va & (PAGE_SIZE - 1));
    if (first >= rc->size)
        return replay_access(r, c, rc->cpu, rc->va, rc->size, kinds[rc->kind], err);
    r->n_split++;
    return replay_access(r, c, rc->cpu, rc->va, first, kinds[rc->kind], err) &&
           replay_access(r, c, rc->cpu, rc->va + first, rc->size - first, kinds[rc->kind], err);
}

bool replay_run(struct replay *r, struct trace_reader *tr, struct emu_err *err)
{
    const struct trace_rec *batch;
    size_t n;

    if (trace_reader_n_cpus(tr) > r->n_cpus) {
        err_set(err, "the trace has %u CPUs but the machine has %u (-smp)", trace_reader_n_cpus(tr),
                r->n_cpus);
        return false;
    }
    while ((n = trace_reader_next(tr, &batch, err)) > 0) {
        for (size_t i = 0; i < n; i++) {
            const struct trace_rec *rc = &batch[i];
            struct replay_cpu *c;

            r->n_instructions += rc->icount_delta;
            /* Fast path: a data access within one page by a known CPU. */
            if (likely(rc->cpu < r->n_cpus && rc->kind <= TRACE_WRITE && rc->size &&
                       (rc->va & (PAGE_SIZE - 1)) + rc->size <= PAGE_SIZE)) {
                c = &r->cpus[rc->cpu];
                c->sub_cycles += rc->icount_delta * r->cpi_sub;
                if (!replay_access(r, c, rc->cpu, rc->va, rc->size,
                                   rc->kind == TRACE_WRITE ? ACCESS_WRITE : ACCESS_READ, err))
                    return false;
            } else {
                if (rc->cpu < r->n_cpus)
                    r->cpus[rc->cpu].sub_cycles += rc->icount_delta * r->cpi_sub;
                if (!replay_record_slow(r, rc, err))
                    return false;
                if (rc->cpu >= r->n_cpus)
                    continue;
                c = &r->cpus[rc->cpu];
            }
            r->n_records++;
            if (unlikely(c->sub_cycles >= r->next_epoch_sub))
                replay_epochs_until(r, c->sub_cycles);
        }
    }
    if (err && err->is_set)
        return false;
    /* Close the last, partial epoch at the most advanced CPU's clock. */
    {
        u64 end_sub = 0;

        for (u32 i = 0; i < r->n_cpus; i++)
            if (r->cpus[i].sub_cycles > end_sub)
                end_sub = r->cpus[i].sub_cycles;
        if (end_sub + r->epoch_sub > r->next_epoch_sub) {
            double part_ns = (double)(end_sub + r->epoch_sub - r->next_epoch_sub) * r->ns_per_sub;

            r->time_ns = (u64)((double)end_sub * r->ns_per_sub + 0.5);
            r->cycles = end_sub >> REPLAY_SUB_SHIFT;
            memsys_epoch_end(r->ms, part_ns > 0 ? part_ns : 1.0);
            stats_epoch_end(r->stats, r->time_ns);
        }
    }
    return true;
}
