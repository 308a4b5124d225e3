/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU MMU: TLB hierarchy, paging-structure caches and walker behind the front cache.
 * TLB and paging-structure-cache behaviour: Intel SDM vol. 3 4.10; PDPTE registers: 4.4.1.
 */
#include "mm/mmu.h"

#include "base/check.h"

#include <stdlib.h>
#include <string.h>

void mmu_config_default(struct mmu_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    /* Intel 64 and IA-32 Architectures Optimization Reference Manual (248966), Skylake client
     * TLB parameters: the ITLB has no 1 GiB entries, so 1 GiB pages are held as 2 MiB pieces. */
    cfg->itlb.n_arrays = 2;
    cfg->itlb.arrays[0] = (struct tlb_array_config){128, 8, 1u << PAGE_4K};
    cfg->itlb.arrays[1] = (struct tlb_array_config){8, 8, 1u << PAGE_2M};
    cfg->dtlb.n_arrays = 3;
    cfg->dtlb.arrays[0] = (struct tlb_array_config){64, 4, 1u << PAGE_4K};
    cfg->dtlb.arrays[1] = (struct tlb_array_config){32, 4, 1u << PAGE_2M};
    cfg->dtlb.arrays[2] = (struct tlb_array_config){4, 4, 1u << PAGE_1G};
    cfg->stlb.n_arrays = 2;
    cfg->stlb.arrays[0] = (struct tlb_array_config){1536, 12, (1u << PAGE_4K) | (1u << PAGE_2M)};
    cfg->stlb.arrays[1] = (struct tlb_array_config){16, 4, 1u << PAGE_1G};
    /* Intel does not publish the paging-structure cache sizes; these are the commonly cited
     * measured values (docs/mmu.md). */
    cfg->pwc.caches[PWC_PDE] = (struct pwc_cache_config){32, 4};
    cfg->pwc.caches[PWC_PDPTE] = (struct pwc_cache_config){4, 4};
    cfg->pwc.caches[PWC_PML4E] = (struct pwc_cache_config){2, 2};
    cfg->pwc.caches[PWC_PML5E] = (struct pwc_cache_config){2, 2};
    cfg->l1_hit_cycles = 0; /* overlapped with the L1D access (VIPT) */
    cfg->stlb_hit_cycles = 9;
    cfg->maxphyaddr = 46;
}

static void mmu_front_clear(struct mmu *m)
{
    for (u32 k = 0; k < MMU_FRONT_KINDS; k++)
        for (u32 i = 0; i < MMU_FRONT_SIZE; i++) {
            m->front[k][i].tag = MMU_FRONT_INVALID;
            m->front[k][i].l1_stamp = NULL;
        }
}

static void mmu_set_l1_of_kind(struct mmu *m, bool is_nopaging)
{
    m->l1_of_kind[ACCESS_READ] = is_nopaging ? &m->nopaging : &m->dtlb;
    m->l1_of_kind[ACCESS_WRITE] = is_nopaging ? &m->nopaging : &m->dtlb;
    m->l1_of_kind[ACCESS_FETCH] = is_nopaging ? &m->nopaging : &m->itlb;
}

struct mmu *mmu_create(const struct mmu_config *cfg, struct physmem *pm,
                       const struct mem_port *port, u32 cpu, struct emu_err *err)
{
    struct mmu *m;

    if (cfg->maxphyaddr < 36 || cfg->maxphyaddr > 52) {
        err_set(err, "mmu: MAXPHYADDR %u outside 36..52", cfg->maxphyaddr);
        return NULL;
    }
    m = aligned_alloc(64, (sizeof(*m) + 63) & ~(size_t)63);
    if (!m) {
        err_set(err, "mmu: out of memory");
        return NULL;
    }
    memset(m, 0, sizeof(*m));
    if (!tlb_init(&m->itlb, &cfg->itlb, err)) {
        err_prefix(err, "itlb: ");
        goto out_free;
    }
    if (!tlb_init(&m->dtlb, &cfg->dtlb, err)) {
        err_prefix(err, "dtlb: ");
        goto out_itlb;
    }
    if (!tlb_init(&m->stlb, &cfg->stlb, err)) {
        err_prefix(err, "stlb: ");
        goto out_dtlb;
    }
    if (m->itlb.array_of_size[PAGE_4K] < 0 || m->dtlb.array_of_size[PAGE_4K] < 0) {
        err_set(err, "mmu: the L1 ITLB and DTLB must hold 4 KiB pages");
        goto out_stlb;
    }
    if (!pwc_init(&m->pwc, &cfg->pwc, err))
        goto out_stlb;
    walker_init(&m->walker, pm, port, &m->pwc, cpu, cfg->maxphyaddr);
    m->pm = pm;
    m->l1_hit_cycles = cfg->l1_hit_cycles;
    m->stlb_hit_cycles = cfg->stlb_hit_cycles;
    mmu_set_l1_of_kind(m, false);
    m->front_key = 0;
    walker_ram_window_init(&m->data);
    mmu_front_clear(m);
    return m;

out_stlb:
    tlb_fini(&m->stlb);
out_dtlb:
    tlb_fini(&m->dtlb);
out_itlb:
    tlb_fini(&m->itlb);
out_free:
    free(m);
    return NULL;
}

void mmu_destroy(struct mmu *m)
{
    if (!m)
        return;
    pwc_fini(&m->pwc);
    tlb_fini(&m->stlb);
    tlb_fini(&m->dtlb);
    tlb_fini(&m->itlb);
    free(m);
}

/* Front kinds (bit per enum access_type) whose entries point into @l1. */
static u32 mmu_front_kinds(const struct mmu *m, const struct tlb *l1)
{
    return l1 == &m->itlb ? 1u << ACCESS_FETCH : (1u << ACCESS_READ) | (1u << ACCESS_WRITE);
}

/*
 * Drop the front entries that point to the L1 entry whose stamp is @stamp, which held @old. A
 * 4 KiB entry can only sit in the front slot its VPN selects; pieces of a large page may sit
 * anywhere.
 */
static void mmu_front_drop(struct mmu *m, u32 kinds, const struct tlb_entry *old, const u64 *stamp)
{
    for (u32 k = 0; k < MMU_FRONT_KINDS; k++) {
        struct mmu_front_entry *f = m->front[k];

        if (!(kinds & (1u << k)))
            continue;
        if (old->size == PAGE_4K) {
            struct mmu_front_entry *fe = &f[tlb_entry_vpn(old) & (MMU_FRONT_SIZE - 1)];

            if (fe->l1_stamp == stamp) {
                fe->tag = MMU_FRONT_INVALID;
                fe->l1_stamp = NULL;
            }
            continue;
        }
        for (u32 i = 0; i < MMU_FRONT_SIZE; i++) {
            if (f[i].l1_stamp == stamp) {
                f[i].tag = MMU_FRONT_INVALID;
                f[i].l1_stamp = NULL;
            }
        }
    }
}

struct mmu_evict_ctx {
    struct mmu *m;
    struct tlb *l1;
    u32 kinds;
};

static void mmu_on_evict(void *opaque, const struct tlb_entry *e)
{
    struct mmu_evict_ctx *c = opaque;

    mmu_front_drop(c->m, c->kinds, e, tlb_stamp(c->l1, e));
}

/* Physical address of the 4 KiB piece of @e's page that contains @va. */
static inline gpa_t mmu_piece_pa(const struct tlb_entry *e, gva_t va)
{
    u64 off = va & ((1ull << page_size_shift((enum page_size)e->size)) - 1);

    return (e->pfn << PAGE_SHIFT) + (off & ~(PAGE_SIZE - 1));
}

/*
 * Complete a successful translation through L1 entry @e: the result, and the front slot of
 * @kind for the 4 KiB piece of @va when that piece is guest RAM.
 */
static void mmu_finish(struct mmu *m, enum access_type kind, gva_t va, struct tlb_entry *e,
                       u32 cycles, enum mmu_level level, struct mmu_result *out)
{
    gpa_t piece = mmu_piece_pa(e, va);

    out->pa = piece | (va & (PAGE_SIZE - 1));
    out->cycles = cycles;
    out->page_size = (enum page_size)e->size;
    out->level = level;
    if (likely(walker_is_ram(&m->data, m->pm, piece, PAGE_SIZE))) {
        struct mmu_front_entry *fe = &m->front[kind][(va >> PAGE_SHIFT) & (MMU_FRONT_SIZE - 1)];

        fe->tag = va & ~(PAGE_SIZE - 1);
        fe->addend = (u64)(uintptr_t)physmem_host(m->pm, piece) - fe->tag;
        fe->pa_size = piece | e->size;
        fe->l1_stamp = tlb_stamp(m->l1_of_kind[kind], e);
        out->host = (u8 *)(uintptr_t)(va + fe->addend);
    } else {
        out->host = NULL;
    }
}

static inline bool mmu_entry_allows(const struct mmu_ctx *ctx, enum access_type kind,
                                    const struct tlb_entry *e)
{
    if (walker_check(ctx, kind, e->flags & TLB_E_PERMS) != WALK_FAULT_NONE)
        return false;
    return kind != ACCESS_WRITE || (e->flags & TLB_E_DIRTY);
}

/* Insert into an L1 TLB, dropping the front entries of whatever the slot held before. */
static struct tlb_entry *mmu_l1_insert(struct mmu *m, struct tlb *l1, gva_t va, gpa_t page_pa,
                                       enum page_size size, u16 pcid, u8 flags)
{
    struct tlb_entry victim;
    struct tlb_entry *e = tlb_insert(l1, va, page_pa, size, pcid, flags, &victim);

    if (e && (victim.flags & TLB_E_VALID))
        mmu_front_drop(m, mmu_front_kinds(m, l1), &victim, tlb_stamp(l1, e));
    return e;
}

/* Remove @l1's entries for @va, keeping the front consistent. */
static void mmu_l1_drop_va(struct mmu *m, struct tlb *l1, gva_t va, u16 pcid)
{
    struct mmu_evict_ctx c = {m, l1, mmu_front_kinds(m, l1)};

    tlb_flush_va(l1, va, pcid, mmu_on_evict, &c);
}

/* Remove every TLB entry for @va (all levels, all sizes), keeping the front consistent. */
static void mmu_drop_va(struct mmu *m, gva_t va, u16 pcid)
{
    mmu_l1_drop_va(m, &m->itlb, va, pcid);
    mmu_l1_drop_va(m, &m->dtlb, va, pcid);
    tlb_flush_va(&m->stlb, va, pcid, NULL, NULL);
}

/* Paging off (SDM vol. 3 4.1.1): the linear address is the physical address. */
static bool mmu_translate_nopaging(struct mmu *m, gva_t va, enum access_type kind,
                                   struct mmu_result *out)
{
    gpa_t page = va & ~(PAGE_SIZE - 1);

    out->pa = va;
    out->cycles = 0;
    out->page_size = PAGE_4K;
    out->level = MMU_HIT_L1;
    if (walker_is_ram(&m->data, m->pm, page, PAGE_SIZE)) {
        struct mmu_front_entry *fe = &m->front[kind][(va >> PAGE_SHIFT) & (MMU_FRONT_SIZE - 1)];

        fe->tag = page;
        fe->addend = (u64)(uintptr_t)physmem_host(m->pm, page) - page;
        fe->pa_size = page | PAGE_4K;
        fe->l1_stamp = &m->nopaging_stamp;
        out->host = (u8 *)(uintptr_t)(va + fe->addend);
    } else {
        out->host = NULL;
    }
    return true;
}

bool mmu_translate_slow(struct mmu *m, const struct mmu_ctx *ctx, gva_t va, enum access_type kind,
                        struct mmu_result *out, struct walk_fault *fault)
{
    const u16 pcid = mmu_ctx_pcid(ctx);
    const u64 key = mmu_ctx_key(ctx);
    struct tlb *l1 = m->l1_of_kind[kind];
    struct tlb_entry *e, *s;
    struct walk_result wr;
    u32 cycles = m->l1_hit_cycles;
    bool dropped = false; /* every TLB entry for va is gone */

    EMU_DCHECK(kind == ACCESS_READ || kind == ACCESS_WRITE || kind == ACCESS_FETCH);
    if (key != m->front_key) {
        /* Rights depend on the mode: the front only holds entries checked under one. */
        mmu_front_clear(m);
        m->front_key = key;
        mmu_set_l1_of_kind(m, ctx->flags & MMU_CTX_NOPAGING);
        l1 = m->l1_of_kind[kind];
    }
    if (unlikely(ctx->flags & MMU_CTX_NOPAGING))
        return mmu_translate_nopaging(m, va, kind, out);

    e = tlb_lookup(l1, va, pcid);
    if (e) {
        if (likely(mmu_entry_allows(ctx, kind, e))) {
            mmu_finish(m, kind, va, e, cycles, MMU_HIT_L1, out);
            return true;
        }
        /* Rights failure or D not known set: hardware re-walks before faulting. */
        mmu_drop_va(m, va, pcid);
        dropped = true;
        goto walk;
    }

    cycles += m->stlb_hit_cycles;
    s = tlb_lookup(&m->stlb, va, pcid);
    if (s) {
        if (likely(mmu_entry_allows(ctx, kind, s))) {
            e = mmu_l1_insert(m, l1, va, s->pfn << PAGE_SHIFT, (enum page_size)s->size, pcid,
                              s->flags & (u8)~TLB_E_VALID);
            EMU_CHECK(e);
            mmu_finish(m, kind, va, e, cycles, MMU_HIT_STLB, out);
            return true;
        }
        mmu_drop_va(m, va, pcid);
        dropped = true;
    }

walk:
    if (!walker_walk(&m->walker, ctx, va, kind, &wr, fault)) {
        /*
         * A #PF invalidates the TLB entries for the faulting address (SDM 4.10.4.1). A failed
         * walk inserts nothing, and lookups that just missed in @l1 and the STLB prove they hold
         * no entry for va: only the other L1 TLB may still have one.
         */
        if (!dropped)
            mmu_l1_drop_va(m, l1 == &m->itlb ? &m->dtlb : &m->itlb, va, pcid);
        fault->cycles += cycles;
        return false;
    }
    tlb_insert(&m->stlb, va, wr.page_pa, wr.page_size, pcid, wr.flags, NULL);
    e = mmu_l1_insert(m, l1, va, wr.page_pa, wr.page_size, pcid, wr.flags);
    EMU_CHECK(e);
    mmu_finish(m, kind, va, e, cycles + wr.cycles, MMU_WALK, out);
    return true;
}

bool mmu_load_pdptes(struct mmu *m, u64 cr3)
{
    u64 old[4];

    memcpy(old, m->walker.pdpte, sizeof(old));
    if (!walker_load_pdptes(&m->walker, cr3))
        return false;
    if (memcmp(old, m->walker.pdpte, sizeof(old)))
        pwc_flush_all(&m->pwc);
    return true;
}

void mmu_flush_all(struct mmu *m, bool keep_global)
{
    struct tlb *all[] = {&m->itlb, &m->dtlb, &m->stlb};

    for (u32 i = 0; i < ARRAY_LEN(all); i++) {
        if (keep_global)
            tlb_flush_nonglobal(all[i]);
        else
            tlb_flush_all(all[i]);
    }
    pwc_flush_all(&m->pwc);
    mmu_front_clear(m);
}

void mmu_flush_pcid(struct mmu *m, u16 pcid)
{
    tlb_flush_pcid(&m->itlb, pcid);
    tlb_flush_pcid(&m->dtlb, pcid);
    tlb_flush_pcid(&m->stlb, pcid);
    pwc_flush_pcid(&m->pwc, pcid);
    mmu_front_clear(m);
}

void mmu_invlpg(struct mmu *m, const struct mmu_ctx *ctx, gva_t va)
{
    u16 pcid = mmu_ctx_pcid(ctx);

    mmu_drop_va(m, va, pcid);
    if ((ctx->flags & (MMU_CTX_LEGACY32 | MMU_CTX_PSE)) == (MMU_CTX_LEGACY32 | MMU_CTX_PSE))
        mmu_drop_va(m, (u32)va ^ (1u << 21), pcid);
    pwc_flush_pcid(&m->pwc, pcid);
}

static void mmu_register_tlb(struct tlb *t, struct stats_group *g, const char *what)
{
    stats_counter(g, "hits", &t->n_hits, "count", what);
    stats_counter(g, "misses", &t->n_misses, "count", "lookups that missed");
}

void mmu_register_stats(struct mmu *m, struct stats_group *g)
{
    static const char *const pwc_names[PWC_LEVEL_COUNT] = {"pde", "pdpte", "pml4e", "pml5e"};
    struct stats_group *pwc = stats_group_new(g, "pwc");

    mmu_register_tlb(&m->itlb, stats_group_new(stats_group_new(g, "itlb"), "l1"),
                     "instruction fetches that hit the L1 ITLB");
    mmu_register_tlb(&m->dtlb, stats_group_new(stats_group_new(g, "dtlb"), "l1"),
                     "data accesses that hit the L1 DTLB");
    mmu_register_tlb(&m->stlb, stats_group_new(g, "stlb"), "L1 TLB misses that hit the STLB");
    for (u32 i = 0; i < PWC_LEVEL_COUNT; i++) {
        struct stats_group *c = stats_group_new(pwc, "%s", pwc_names[i]);

        stats_counter(c, "hits", &m->pwc.caches[i].n_hits, "count",
                      "walks that started from this paging-structure cache");
        stats_counter(c, "misses", &m->pwc.caches[i].n_misses, "count",
                      "lookups in this paging-structure cache that missed");
    }
    walker_register_stats(&m->walker, stats_group_new(g, "walk"));
}
