/* SPDX-License-Identifier: MIT */
/*
 * Per-vCPU MMU model: L1 ITLB (fetches), L1 DTLB (reads, writes), unified STLB, paging-
 * structure caches and the page walker (Intel SDM vol. 3 ch. 4), behind an inline front cache
 * whose entries are exactly pages the modelled L1 TLBs hold: a front hit is an L1 hit.
 */
#ifndef EMU_MM_MMU_H
#define EMU_MM_MMU_H

#include "base/err.h"
#include "base/types.h"
#include "mm/mmtypes.h"
#include "mm/physmem.h"
#include "mm/pwc.h"
#include "mm/tlb.h"
#include "mm/walker.h"
#include "stats/stats.h"

#define MMU_FRONT_BITS    8
#define MMU_FRONT_SIZE    (1u << MMU_FRONT_BITS) /* direct-mapped slots per access kind */
#define MMU_FRONT_INVALID 1ull                   /* never equals a page-aligned address */
#define MMU_FRONT_KINDS   3                      /* ACCESS_READ, ACCESS_WRITE, ACCESS_FETCH */

/* One 4 KiB piece of a page held by the modelled L1 TLB, usable for one access kind. */
struct mmu_front_entry {
    u64 tag;       /* va & ~0xfff, or MMU_FRONT_INVALID */
    u64 addend;    /* host address minus va (the piece is guest RAM) */
    u64 pa_size;   /* physical address of the 4 KiB piece | enum page_size */
    u64 *l1_stamp; /* LRU stamp of the L1 entry this piece comes from (tlb_stamp()) */
};

enum mmu_level { MMU_HIT_L1, MMU_HIT_STLB, MMU_WALK };

struct mmu_result {
    gpa_t pa;
    u8 *host;                 /* host address of pa, NULL if pa is not RAM */
    u32 cycles;               /* translation latency: L1 [+ STLB] [+ walk] */
    enum page_size page_size; /* size of the TLB entry used */
    enum mmu_level level;     /* where the translation came from */
};

struct mmu_config {
    struct tlb_config itlb, dtlb, stlb;
    struct pwc_config pwc;
    u32 l1_hit_cycles;   /* added to every translation */
    u32 stlb_hit_cycles; /* added when the L1 TLB misses */
    u32 maxphyaddr;      /* MAXPHYADDR for the walker's reserved-bit checks */
};

struct mmu {
    /* What a front hit touches comes first. */
    u64 front_key; /* mmu_ctx_key() of the context the front entries were filled under */
    u32 l1_hit_cycles;
    u32 stlb_hit_cycles;
    struct tlb *l1_of_kind[MMU_FRONT_KINDS];
    struct mmu_front_entry front[MMU_FRONT_KINDS][MMU_FRONT_SIZE];

    struct tlb itlb, dtlb, stlb;
    struct pwc pwc;
    struct walker walker;
    struct physmem *pm;
    struct walker_ram_window data; /* the RAM range of the last page given a front entry */
    /* With paging off the front holds identity pages that no TLB holds: its hit counting and
     * LRU touches go to this unregistered TLB instead of the modelled L1s. */
    struct tlb nopaging;
    u64 nopaging_stamp;
};

/** mmu_ctx_key() - the part of @ctx the front cache's contents depend on. */
static inline u64 mmu_ctx_key(const struct mmu_ctx *ctx)
{
    return (u64)ctx->flags | ((u64)ctx->pcid << 32);
}

/**
 * mmu_config_default() - Skylake-like shapes (Intel optimization manual 248966, Skylake TLB
 * parameters table): ITLB 128x8 4K + 8 2M; DTLB 64x4 4K + 32x4 2M + 4 1G; STLB 1536x12 4K/2M
 * + 16x4 1G; small paging-structure caches; L1 hit 0 cycles, STLB hit 9; MAXPHYADDR 46.
 */
void mmu_config_default(struct mmu_config *cfg);

/**
 * mmu_create() - an MMU for vCPU @cpu translating into @pm; page-table reads are charged to
 * @port (NULL: not charged).
 * Return: NULL and @err if @cfg is invalid or memory runs out.
 */
struct mmu *mmu_create(const struct mmu_config *cfg, struct physmem *pm,
                       const struct mem_port *port, u32 cpu, struct emu_err *err);

void mmu_destroy(struct mmu *m);

/** mmu_translate_slow() - the out-of-line part of mmu_translate(); do not call directly. */
bool mmu_translate_slow(struct mmu *m, const struct mmu_ctx *ctx, gva_t va, enum access_type kind,
                        struct mmu_result *out, struct walk_fault *fault);

/**
 * mmu_translate() - translate @va for an access of @kind (READ, WRITE or FETCH) under @ctx,
 * updating the TLB models, walking on a miss, and charging the latency to @out->cycles.
 * The caller must have flushed (mmu_flush_*) after changing CR3 or paging-control bits, as
 * the instructions that change them do.
 * Return: true and @out, or false and @fault (the CPU raises #PF, or #GP if non-canonical).
 */
static EMU_ALWAYS_INLINE bool mmu_translate(struct mmu *m, const struct mmu_ctx *ctx, gva_t va,
                                            enum access_type kind, struct mmu_result *out,
                                            struct walk_fault *fault)
{
    const struct mmu_front_entry *fe = &m->front[kind][(va >> PAGE_SHIFT) & (MMU_FRONT_SIZE - 1)];

    if (likely(fe->tag == (va & ~(PAGE_SIZE - 1)) && mmu_ctx_key(ctx) == m->front_key)) {
        struct tlb *t = m->l1_of_kind[kind];

        t->n_hits++;
        tlb_touch_stamp(t, fe->l1_stamp);
        out->pa = (fe->pa_size & ~(PAGE_SIZE - 1)) | (va & (PAGE_SIZE - 1));
        out->host = (u8 *)(uintptr_t)(va + fe->addend);
        out->cycles = m->l1_hit_cycles;
        out->page_size = (enum page_size)(fe->pa_size & 3);
        out->level = MMU_HIT_L1;
        return true;
    } else {
        /* The miss path fills a copy: @out's address never escapes, so a caller's result
         * can live in registers on the hit path. */
        struct mmu_result slow;
        bool ok = mmu_translate_slow(m, ctx, va, kind, &slow, fault);

        *out = slow;
        return ok;
    }
}

/**
 * mmu_load_pdptes() - load the PAE PDPTE registers from @cr3 (bits 31:5), for MOV to CR3 while
 * PAE paging is active and MOV to CR0/CR4 that enter PAE paging or change CD, NW, PG, PAE, PGE,
 * PSE or SMEP under it (SDM vol. 3 4.4.1). Call before committing the new register value.
 * Drops the paging-structure caches when the registers change (PDE-cache entries came from
 * the old ones); TLB flushing stays with the caller, as for any CR write.
 * Return: false, changing nothing, if a present PDPTE sets a reserved bit (#GP(0)).
 */
bool mmu_load_pdptes(struct mmu *m, u64 cr3);

/** mmu_flush_all() - MOV to CR3 (keep_global) or CR4.PGE toggle / INVPCID all (!keep_global). */
void mmu_flush_all(struct mmu *m, bool keep_global);

/** mmu_flush_pcid() - INVPCID single context: non-global entries of @pcid, and its PWC entries. */
void mmu_flush_pcid(struct mmu *m, u16 pcid);

/**
 * mmu_invlpg() - INVLPG @va under @ctx: TLB entries of every size for @va (current PCID and
 * global ones), and every paging-structure-cache entry of the current PCID (SDM 4.10.4.1).
 * In 32-bit paging with CR4.PSE, the entries for va ^ 2 MiB go too: a 4 MiB page is held as
 * two 2 MiB pieces (invalidating more than required is allowed).
 */
void mmu_invlpg(struct mmu *m, const struct mmu_ctx *ctx, gva_t va);

/**
 * mmu_register_stats() - register itlb.l1.*, dtlb.l1.*, stlb.*, pwc.<level>.*, walk.* under
 * @g (the caller's "cpu<N>" group).
 */
void mmu_register_stats(struct mmu *m, struct stats_group *g);

#endif
