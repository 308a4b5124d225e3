/* SPDX-License-Identifier: MIT */
/*
 * Tests of mm/mmu: TLB hierarchy miss counts for patterns computed by hand, the front cache
 * invariant (a front hit is a modelled L1 hit), dirty and rights re-walks, flushes (INVLPG,
 * MOV CR3, PCID), large pages, latency accounting, faults and stats names; 4 MiB pages of 32-bit
 * paging held as 2 MiB pieces, PAE paging's PDPTE registers.
 */
#include "mm/mmu.h"

#include "pt_build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#define DATA_PA  0x2000000ull
#define VA_BASE  0x00007f0000000000ull /* 1 GiB aligned */
#define L1_CYC   1
#define STLB_CYC 9

struct fx {
    struct physmem *pm;
    struct pt_build b;
    struct mmu *m;
    struct mmu_ctx ctx;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct mmu_config cfg;
    struct mem_port port;
    struct emu_err err = {0};

    assert_non_null(f);
    f->pm = pt_physmem_create();
    assert_non_null(f->pm);
    pt_init(&f->b, f->pm, 4);
    mmu_config_default(&cfg);
    cfg.l1_hit_cycles = L1_CYC;
    cfg.stlb_hit_cycles = STLB_CYC;
    port.access = pt_port_access;
    port.opaque = &f->b;
    f->m = mmu_create(&cfg, f->pm, &port, 0, &err);
    assert_non_null(f->m);
    f->ctx.cr3 = f->b.root;
    f->ctx.flags = MMU_CTX_WP | MMU_CTX_NXE | MMU_CTX_PGE;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    mmu_destroy(f->m);
    physmem_destroy(f->pm);
    free(f);
    return 0;
}

static void map_pages(struct fx *f, u32 n, u64 flags)
{
    for (u32 i = 0; i < n; i++)
        pt_map(&f->b, VA_BASE + (gva_t)i * PAGE_SIZE, DATA_PA + (gpa_t)i * PAGE_SIZE, 1, flags);
}

static struct mmu_result xlate(struct fx *f, gva_t va, enum access_type kind)
{
    struct mmu_result r;
    struct walk_fault flt;

    assert_true(mmu_translate(f->m, &f->ctx, va, kind, &r, &flt));
    if (r.host)
        assert_ptr_equal(r.host, physmem_host(f->pm, r.pa));
    return r;
}

/* Read @n pages @stride pages apart, @reps times; checks each translation. */
static void run_strided(struct fx *f, u32 n, u32 stride, u32 reps)
{
    for (u32 r = 0; r < reps; r++)
        for (u32 i = 0; i < n; i++) {
            gva_t off = (gva_t)i * stride * PAGE_SIZE + 0x40;

            assert_int_equal(xlate(f, VA_BASE + off, ACCESS_READ).pa, DATA_PA + off);
        }
}

static void test_mmu_l1_fits(void **state)
{
    struct fx *f = *state;

    map_pages(f, 64, PT_ALL);
    run_strided(f, 64, 1, 3); /* L1 DTLB 4K: 64 entries, 4-way, 16 sets */
    assert_int_equal(f->m->dtlb.n_misses, 64);
    assert_int_equal(f->m->dtlb.n_hits, 128);
    assert_int_equal(f->m->stlb.n_misses, 64);
    assert_int_equal(f->m->stlb.n_hits, 0);
    assert_int_equal(f->m->walker.n_walks, 64);
    /* One page table: the first walk reads 4 entries, the others hit the PDE cache. */
    assert_int_equal(f->m->walker.n_levels_read, 4 + 63);
    assert_int_equal(f->m->pwc.caches[PWC_PDE].n_hits, 63);
    assert_int_equal(f->m->itlb.n_hits + f->m->itlb.n_misses, 0);
}

static void test_mmu_l1_thrash_stlb_holds(void **state)
{
    struct fx *f = *state;

    map_pages(f, 80, PT_ALL);
    run_strided(f, 80, 1, 3); /* 5 pages per L1 set: all miss; the STLB holds all 80 */
    assert_int_equal(f->m->dtlb.n_misses, 240);
    assert_int_equal(f->m->dtlb.n_hits, 0);
    assert_int_equal(f->m->stlb.n_misses, 80);
    assert_int_equal(f->m->stlb.n_hits, 160);
    assert_int_equal(f->m->walker.n_walks, 80);
}

static void test_mmu_stlb_set_conflict(void **state)
{
    struct fx *f = *state;

    /* STLB: 1536 entries, 12 ways, 128 sets. 13 pages 128 pages apart share one STLB set
     * (and one L1 set): every access walks. 12 pages fit the STLB but not the L1. */
    for (u32 i = 0; i < 13; i++)
        pt_map(&f->b, VA_BASE + (gva_t)i * 128 * PAGE_SIZE, DATA_PA + (gpa_t)i * PAGE_SIZE, 1,
               PT_ALL);
    for (u32 r = 0; r < 2; r++)
        for (u32 i = 0; i < 13; i++)
            xlate(f, VA_BASE + (gva_t)i * 128 * PAGE_SIZE, ACCESS_READ);
    assert_int_equal(f->m->walker.n_walks, 26);
    mmu_flush_all(f->m, false);
    for (u32 r = 0; r < 2; r++)
        for (u32 i = 0; i < 12; i++)
            xlate(f, VA_BASE + (gva_t)i * 128 * PAGE_SIZE, ACCESS_READ);
    assert_int_equal(f->m->walker.n_walks, 26 + 12);
    assert_int_equal(f->m->stlb.n_hits, 12);
}

static void test_mmu_front_hit_is_l1_hit(void **state)
{
    struct fx *f = *state;
    const gva_t a = VA_BASE, b = a + 16 * PAGE_SIZE, c = a + 32 * PAGE_SIZE, d = a + 48 * PAGE_SIZE,
                e = a + 64 * PAGE_SIZE; /* one L1 set */

    map_pages(f, 65, PT_ALL);
    xlate(f, a, ACCESS_READ);
    xlate(f, b, ACCESS_READ);
    xlate(f, c, ACCESS_READ);
    xlate(f, d, ACCESS_READ);
    assert_int_equal(xlate(f, a, ACCESS_READ).level, MMU_HIT_L1); /* front hit: A is MRU */
    xlate(f, e, ACCESS_READ); /* evicts B, the LRU, only if the front hit touched A */
    assert_int_equal(xlate(f, a, ACCESS_READ).level, MMU_HIT_L1);
    /* B's front slot was invalidated when the model evicted B. */
    assert_int_equal(xlate(f, b, ACCESS_READ).level, MMU_HIT_STLB);
    assert_int_equal(f->m->dtlb.n_misses, 6);
    assert_int_equal(f->m->dtlb.n_hits, 2);
}

static void test_mmu_write_sets_dirty(void **state)
{
    struct fx *f = *state;
    u64 *pte = pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_ALL);
    struct mmu_result r;

    xlate(f, VA_BASE, ACCESS_READ);
    assert_int_equal(*pte & (PT_A | PT_D), PT_A);
    /* The L1 entry does not know D is set: the write walks (from the PDE cache) to set it. */
    r = xlate(f, VA_BASE + 8, ACCESS_WRITE);
    assert_int_equal(r.level, MMU_WALK);
    assert_int_equal(*pte & (PT_A | PT_D), PT_A | PT_D);
    assert_int_equal(f->m->walker.n_walks, 2);
    assert_int_equal(xlate(f, VA_BASE + 16, ACCESS_WRITE).level, MMU_HIT_L1);
    assert_int_equal(xlate(f, VA_BASE + 16, ACCESS_READ).level, MMU_HIT_L1);
    assert_int_equal(f->m->walker.n_walks, 2);
    /* A page whose D was already set is dirty-known from a read walk. */
    pt_map(&f->b, VA_BASE + PAGE_SIZE, DATA_PA, 1, PT_ALL | PT_A | PT_D);
    xlate(f, VA_BASE + PAGE_SIZE, ACCESS_READ);
    assert_int_equal(xlate(f, VA_BASE + PAGE_SIZE, ACCESS_WRITE).level, MMU_HIT_L1);
    assert_int_equal(f->m->walker.n_walks, 3);
}

static void test_mmu_rights_failure_rewalks(void **state)
{
    struct fx *f = *state;
    u64 *pte = pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_P | PT_US);
    struct mmu_result r;
    struct walk_fault flt;

    xlate(f, VA_BASE, ACCESS_READ);
    *pte |= PT_RW; /* made writable without INVLPG: no spurious fault */
    r = xlate(f, VA_BASE, ACCESS_WRITE);
    assert_int_equal(r.level, MMU_WALK);
    assert_true(*pte & PT_D);
    /* Really read-only: the re-walk faults. */
    *pte &= ~PT_RW;
    mmu_invlpg(f->m, &f->ctx, VA_BASE);
    xlate(f, VA_BASE, ACCESS_READ);
    assert_false(mmu_translate(f->m, &f->ctx, VA_BASE, ACCESS_WRITE, &r, &flt));
    assert_int_equal(flt.kind, WALK_FAULT_WRITE_RO);
    assert_int_equal(flt.error_code, PF_P | PF_W);
    /* The fault removed the entry: the next read walks again. */
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).level, MMU_WALK);
}

static void test_mmu_mode_change(void **state)
{
    struct fx *f = *state;
    struct mmu_result r;
    struct walk_fault flt;

    pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_P | PT_RW); /* supervisor page */
    xlate(f, VA_BASE, ACCESS_READ);
    xlate(f, VA_BASE, ACCESS_READ);
    f->ctx.flags |= MMU_CTX_USER; /* the front entry must not serve a user access */
    assert_false(mmu_translate(f->m, &f->ctx, VA_BASE, ACCESS_READ, &r, &flt));
    assert_int_equal(flt.kind, WALK_FAULT_USER_SV);
    assert_int_equal(flt.error_code, PF_P | PF_U);
    f->ctx.flags &= ~MMU_CTX_USER;
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).level, MMU_WALK);
}

static void test_mmu_invlpg(void **state)
{
    struct fx *f = *state;
    u64 *pte = pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_ALL);

    assert_int_equal(xlate(f, VA_BASE + 5, ACCESS_READ).pa, DATA_PA + 5);
    *pte = (DATA_PA + 0x7000) | PT_ALL;
    /* Without invalidation the stale translation stays in use, as on hardware. */
    assert_int_equal(xlate(f, VA_BASE + 5, ACCESS_READ).pa, DATA_PA + 5);
    mmu_invlpg(f->m, &f->ctx, VA_BASE + 0x800);
    assert_int_equal(xlate(f, VA_BASE + 5, ACCESS_READ).pa, DATA_PA + 0x7005);
    assert_int_equal(f->m->walker.n_walks, 2);
    /* INVLPG flushed the paging-structure caches of the PCID too: a full 4-level walk. */
    assert_int_equal(f->m->walker.n_levels_read, 8);
}

/*
 * A #PF invalidates the TLB entries for the faulting address (SDM 4.10.4.1) in every TLB: a read
 * that misses the DTLB and the STLB and faults also drops the ITLB's stale entry.
 */
static void test_mmu_fault_drops_other_l1(void **state)
{
    struct fx *f = *state;
    struct mmu_result r;
    struct walk_fault flt;
    u64 *pte = pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_ALL);

    xlate(f, VA_BASE, ACCESS_FETCH); /* ITLB and STLB */
    *pte = 0;                        /* unmapped without INVLPG */
    /* Evict it from the STLB (1536 x 12: 128 sets): 12 more pages of its set. */
    for (u32 i = 1; i <= 12; i++) {
        gva_t va = VA_BASE + (gva_t)i * 128 * PAGE_SIZE;

        pt_map(&f->b, va, DATA_PA + (gpa_t)i * PAGE_SIZE, 1, PT_ALL);
        xlate(f, va, ACCESS_READ);
    }
    assert_null(tlb_probe(&f->m->stlb, VA_BASE, 0));
    assert_non_null(tlb_probe(&f->m->itlb, VA_BASE, 0));
    /* The stale ITLB entry still translates fetches, as on hardware. */
    assert_int_equal(xlate(f, VA_BASE + 8, ACCESS_FETCH).pa, DATA_PA + 8);
    assert_false(mmu_translate(f->m, &f->ctx, VA_BASE, ACCESS_READ, &r, &flt));
    assert_int_equal(flt.kind, WALK_FAULT_NOT_PRESENT);
    assert_null(tlb_probe(&f->m->itlb, VA_BASE, 0));
    /* So the next fetch walks and faults too. */
    assert_false(mmu_translate(f->m, &f->ctx, VA_BASE, ACCESS_FETCH, &r, &flt));
    assert_int_equal(flt.kind, WALK_FAULT_NOT_PRESENT);
    assert_int_equal(f->m->walker.n_faults, 2);
}

static void test_mmu_flush_global(void **state)
{
    struct fx *f = *state;

    pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_ALL | PT_G);
    pt_map(&f->b, VA_BASE + PAGE_SIZE, DATA_PA + PAGE_SIZE, 1, PT_ALL);
    xlate(f, VA_BASE, ACCESS_READ);
    xlate(f, VA_BASE + PAGE_SIZE, ACCESS_READ);
    mmu_flush_all(f->m, true); /* MOV to CR3 */
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).level, MMU_HIT_L1);
    assert_int_equal(xlate(f, VA_BASE + PAGE_SIZE, ACCESS_READ).level, MMU_WALK);
    mmu_flush_all(f->m, false); /* CR4.PGE toggle */
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).level, MMU_WALK);
    assert_int_equal(f->m->walker.n_walks, 4);
}

static void test_mmu_pcid(void **state)
{
    struct fx *f = *state;
    struct pt_build b2 = f->b;
    struct mmu_ctx c1, c2;

    pt_map(&f->b, VA_BASE, DATA_PA, 1, PT_ALL);
    b2.next_table = 8 * MiB;
    b2.root = pt_alloc_table(&b2);
    pt_map(&b2, VA_BASE, DATA_PA + 0x9000, 1, PT_ALL);
    c1 = (struct mmu_ctx){f->b.root | 1, f->ctx.flags | MMU_CTX_PCIDE, 1};
    c2 = (struct mmu_ctx){b2.root | 2, f->ctx.flags | MMU_CTX_PCIDE, 2};

    for (u32 i = 0; i < 3; i++) {
        f->ctx = c1;
        assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).pa, DATA_PA);
        f->ctx = c2;
        assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).pa, DATA_PA + 0x9000);
    }
    assert_int_equal(f->m->walker.n_walks, 2);
    mmu_flush_pcid(f->m, 1);
    f->ctx = c2;
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).level, MMU_HIT_L1);
    f->ctx = c1;
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).level, MMU_WALK);
}

static void test_mmu_2m_page(void **state)
{
    struct fx *f = *state;

    pt_map(&f->b, VA_BASE, DATA_PA, 2, PT_ALL);
    for (u32 i = 0; i < 512; i++) {
        struct mmu_result r = xlate(f, VA_BASE + (gva_t)i * PAGE_SIZE + 3, ACCESS_READ);

        assert_int_equal(r.pa, DATA_PA + (gpa_t)i * PAGE_SIZE + 3);
        assert_int_equal(r.page_size, PAGE_2M);
    }
    assert_int_equal(f->m->dtlb.n_misses, 1);
    assert_int_equal(f->m->dtlb.n_hits, 511);
    assert_int_equal(f->m->walker.n_walks, 1);
    assert_int_equal(f->m->walker.n_levels_read, 3);
    /* INVLPG anywhere in the 2M page drops it, front pieces included. */
    mmu_invlpg(f->m, &f->ctx, VA_BASE + 0x1ff000);
    assert_int_equal(xlate(f, VA_BASE + 0x5000, ACCESS_READ).level, MMU_WALK);
}

static void test_mmu_1g_fetch_split(void **state)
{
    struct fx *f = *state;
    const gva_t va = VA_BASE + (1ull << 30);
    struct mmu_result r;

    pt_map(&f->b, va, 0, 3, PT_ALL);
    r = xlate(f, va + 0x1000, ACCESS_FETCH);
    assert_int_equal(r.level, MMU_WALK);
    assert_int_equal(r.page_size, PAGE_2M); /* the ITLB holds 2M pieces of 1G pages */
    assert_int_equal(r.pa, 0x1000);
    r = xlate(f, va + 0x200000 + 0x1000, ACCESS_FETCH);
    assert_int_equal(r.level, MMU_HIT_STLB); /* the STLB has the whole 1G page */
    assert_int_equal(r.pa, 0x201000);
    assert_int_equal(f->m->itlb.n_misses, 2);
    assert_int_equal(f->m->stlb.n_hits, 1);
    /* Data: the DTLB has a 1G array. */
    assert_int_equal(xlate(f, va + 0x3000000, ACCESS_READ).page_size, PAGE_1G);
    assert_int_equal(xlate(f, va + 0x12345678, ACCESS_READ).level, MMU_HIT_L1);
    assert_int_equal(f->m->walker.n_walks, 1);
    assert_int_equal(f->m->dtlb.n_hits, 1);
}

static void test_mmu_cycles(void **state)
{
    struct fx *f = *state;
    u64 before;
    struct mmu_result r;
    struct walk_fault flt;

    map_pages(f, 80, PT_ALL);
    before = f->b.port_cycles;
    r = xlate(f, VA_BASE, ACCESS_READ);
    assert_int_equal(r.cycles, L1_CYC + STLB_CYC + (f->b.port_cycles - before));
    assert_true(f->b.port_cycles > before);
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).cycles, L1_CYC);
    for (u32 i = 1; i < 5; i++) /* four more pages in L1 set 0 evict VA_BASE */
        xlate(f, VA_BASE + (gva_t)i * 16 * PAGE_SIZE, ACCESS_READ);
    before = f->b.port_cycles;
    assert_int_equal(xlate(f, VA_BASE, ACCESS_READ).cycles, L1_CYC + STLB_CYC);
    assert_int_equal(f->b.port_cycles, before);
    assert_int_equal(f->m->walker.n_cycles, f->b.port_cycles);
    /* A fault reports the cycles spent up to it. */
    before = f->b.port_cycles;
    assert_false(mmu_translate(f->m, &f->ctx, VA_BASE + 200 * PAGE_SIZE, ACCESS_READ, &r, &flt));
    assert_int_equal(flt.kind, WALK_FAULT_NOT_PRESENT);
    assert_int_equal(flt.error_code, 0);
    assert_int_equal(flt.cycles, L1_CYC + STLB_CYC + (f->b.port_cycles - before));
}

static void test_mmu_stats(void **state)
{
    struct fx *f = *state;
    struct stats *s = stats_create("t");
    struct stats_group *cpu = stats_group_new(stats_root(s), "cpu%u", 0u);
    u64 v = 0;

    mmu_register_stats(f->m, cpu);
    map_pages(f, 80, PT_ALL);
    run_strided(f, 80, 1, 2);
    xlate(f, VA_BASE, ACCESS_FETCH);
    assert_true(stats_lookup_u64(s, "cpu0.dtlb.l1.misses", &v));
    assert_int_equal(v, 160);
    assert_true(stats_lookup_u64(s, "cpu0.dtlb.l1.hits", &v));
    assert_int_equal(v, 0);
    assert_true(stats_lookup_u64(s, "cpu0.itlb.l1.misses", &v));
    assert_int_equal(v, 1);
    assert_true(stats_lookup_u64(s, "cpu0.stlb.hits", &v));
    assert_int_equal(v, 80 + 1);
    assert_true(stats_lookup_u64(s, "cpu0.stlb.misses", &v));
    assert_int_equal(v, 80);
    assert_true(stats_lookup_u64(s, "cpu0.walk.count", &v));
    assert_int_equal(v, 80);
    assert_true(stats_lookup_u64(s, "cpu0.walk.levels_read", &v));
    assert_int_equal(v, 4 + 79);
    assert_true(stats_lookup_u64(s, "cpu0.walk.cycles", &v));
    assert_int_equal(v, f->b.port_cycles);
    assert_true(stats_lookup_u64(s, "cpu0.walk.faults", &v));
    assert_int_equal(v, 0);
    assert_true(stats_lookup_u64(s, "cpu0.pwc.pde.hits", &v));
    assert_int_equal(v, 79);
    assert_true(stats_lookup_u64(s, "cpu0.pwc.pml5e.misses", &v));
    assert_int_equal(v, 0);
    assert_int_equal(f->m->walker.cycles_hist.n_samples, 80);
    stats_destroy(s);
}

/* Paging off: identity, no walks, no modelled TLB traffic; turning paging on starts clean. */
static void test_mmu_paging_off(void **state)
{
    struct fx *f = *state;
    struct mmu_result r;

    f->ctx.flags = MMU_CTX_NOPAGING;
    for (int rep = 0; rep < 2; rep++) {
        r = xlate(f, DATA_PA + 0x123, ACCESS_READ);
        assert_int_equal(r.pa, DATA_PA + 0x123);
        r = xlate(f, DATA_PA + 0x1008, ACCESS_WRITE);
        assert_int_equal(r.pa, DATA_PA + 0x1008);
        r = xlate(f, DATA_PA + 0x2000, ACCESS_FETCH);
        assert_int_equal(r.pa, DATA_PA + 0x2000);
    }
    assert_int_equal(f->m->dtlb.n_hits + f->m->dtlb.n_misses, 0);
    assert_int_equal(f->m->itlb.n_hits + f->m->itlb.n_misses, 0);
    assert_int_equal(f->m->walker.n_walks, 0);

    f->ctx.flags = MMU_CTX_WP | MMU_CTX_NXE | MMU_CTX_PGE;
    map_pages(f, 1, PT_P | PT_RW);
    assert_int_equal(xlate(f, VA_BASE + 8, ACCESS_READ).pa, DATA_PA + 8);
    assert_int_equal(f->m->dtlb.n_misses, 1);
    assert_int_equal(xlate(f, VA_BASE + 16, ACCESS_READ).pa, DATA_PA + 16);
    assert_int_equal(f->m->dtlb.n_hits, 1);
}

/* Valid entries of one paging-structure cache. */
static u32 pwc_n_valid(const struct pwc_cache *c)
{
    u32 n = 0;

    for (u32 i = 0; i < c->cfg.n_entries; i++)
        n += c->e[i].key != 0;
    return n;
}

/*
 * 32-bit paging with a 4 MiB page (SDM 4.3): the TLBs hold it as two 2 MiB pieces, each filled
 * by its own walk; INVLPG anywhere in the page drops both.
 */
static void test_mmu_32bit_4m_pieces(void **state)
{
    struct fx *f = *state;
    const gpa_t pd = 0x300000;
    struct mmu_result r;

    f->ctx.cr3 = pd;
    f->ctx.flags = MMU_CTX_LEGACY32 | MMU_CTX_PSE | MMU_CTX_WP;
    pt_wr32(f->pm, pd + 0x201 * 4, (u32)DATA_PA | PT_PS | PT_RW | PT_P); /* 0x80400000 */
    r = xlate(f, 0x80400010, ACCESS_READ);
    assert_int_equal(r.pa, DATA_PA + 0x10);
    assert_int_equal(r.page_size, PAGE_2M);
    assert_int_equal(r.level, MMU_WALK);
    r = xlate(f, 0x80600010, ACCESS_READ);
    assert_int_equal(r.pa, DATA_PA + 0x200010);
    assert_int_equal(r.level, MMU_WALK);
    r = xlate(f, 0x807ff008, ACCESS_WRITE); /* D is set: the write re-walks once */
    assert_int_equal(r.pa, DATA_PA + 0x3ff008);
    assert_int_equal(r.level, MMU_WALK);
    r = xlate(f, 0x80401000, ACCESS_READ);
    assert_int_equal(r.pa, DATA_PA + 0x1000);
    assert_int_equal(r.level, MMU_HIT_L1); /* the lower piece's L1 entry */
    assert_int_equal(f->m->walker.n_walks, 3);
    assert_int_equal(f->m->walker.n_levels_read, 3);
    assert_int_equal(pt_rd32(f->pm, pd + 0x201 * 4), (u32)DATA_PA | 0xe3);

    mmu_invlpg(f->m, &f->ctx, 0x80400000);
    assert_int_equal(xlate(f, 0x80600010, ACCESS_READ).level, MMU_WALK);
    assert_int_equal(xlate(f, 0x80400010, ACCESS_READ).level, MMU_WALK);
    assert_int_equal(f->m->walker.n_walks, 5);
}

/* PAE paging through the MMU: PDPTE registers loaded by mmu_load_pdptes() (SDM 4.4.1). */
static void test_mmu_pae(void **state)
{
    struct fx *f = *state;
    const gpa_t pdpt = 0x310000, pd = 0x311000, pt = 0x312000, pd2 = 0x314000, pt2 = 0x315000;
    struct mmu_result r;
    struct walk_fault flt;

    pt_wr64(f->pm, pdpt, pd | PT_P);
    pt_wr64(f->pm, pd, pt | 7);
    pt_wr64(f->pm, pt + 5 * 8, DATA_PA | 7);
    pt_wr64(f->pm, pd2, pt2 | 7);
    pt_wr64(f->pm, pt2 + 5 * 8, (DATA_PA + 0x9000) | 7);
    assert_true(mmu_load_pdptes(f->m, pdpt));
    f->ctx.cr3 = pdpt;
    f->ctx.flags = MMU_CTX_PAE32 | MMU_CTX_WP | MMU_CTX_NXE;
    r = xlate(f, 0x5008, ACCESS_READ);
    assert_int_equal(r.pa, DATA_PA + 8);
    assert_int_equal(r.level, MMU_WALK);
    assert_int_equal(f->m->walker.n_levels_read, 2);
    assert_int_equal(xlate(f, 0x5010, ACCESS_READ).level, MMU_HIT_L1);
    assert_int_equal(pwc_n_valid(&f->m->pwc.caches[PWC_PDE]), 1);

    /* A reserved bit in a present PDPTE: the load fails and changes nothing. */
    pt_wr64(f->pm, pdpt + 8, pd | PT_RW | PT_P);
    assert_false(mmu_load_pdptes(f->m, pdpt));
    assert_int_equal(f->m->walker.pdpte[1], 0);
    pt_wr64(f->pm, pdpt + 8, 0);
    /* Same values: the PDE cache stays; new values: it goes (its entries came from them). */
    assert_true(mmu_load_pdptes(f->m, pdpt));
    assert_int_equal(pwc_n_valid(&f->m->pwc.caches[PWC_PDE]), 1);
    pt_wr64(f->pm, pdpt, pd2 | PT_P);
    assert_true(mmu_load_pdptes(f->m, pdpt));
    assert_int_equal(pwc_n_valid(&f->m->pwc.caches[PWC_PDE]), 0);
    mmu_flush_all(f->m, true); /* MOV to CR3 */
    assert_int_equal(xlate(f, 0x5008, ACCESS_READ).pa, DATA_PA + 0x9008);

    /* PDPTE1 is not present: #PF, P = 0, at the PDPTE. */
    assert_false(mmu_translate(f->m, &f->ctx, 0x40000000, ACCESS_WRITE, &r, &flt));
    assert_int_equal(flt.error_code, PF_W);
    assert_int_equal(flt.level, 3);
}

static void test_mmu_bad_config(void **state)
{
    struct mmu_config cfg;
    struct emu_err err = {0};

    mmu_config_default(&cfg);
    cfg.stlb.arrays[0].n_ways = 7;
    assert_null(mmu_create(&cfg, NULL, NULL, 0, &err));
    assert_true(err.is_set);
    err_clear(&err);
    mmu_config_default(&cfg);
    cfg.dtlb.arrays[0] = cfg.dtlb.arrays[2]; /* 2M and 1G arrays only: no 4 KiB */
    cfg.dtlb.n_arrays = 2;
    assert_null(mmu_create(&cfg, NULL, NULL, 0, &err));
    assert_true(err.is_set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mmu_l1_fits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_l1_thrash_stlb_holds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_stlb_set_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_front_hit_is_l1_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_write_sets_dirty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_rights_failure_rewalks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_mode_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_invlpg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_fault_drops_other_l1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_flush_global, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_pcid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_2m_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_1g_fetch_split, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_cycles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_paging_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_32bit_4m_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmu_pae, setup, teardown),
        cmocka_unit_test(test_mmu_bad_config),
    };

    return cmocka_run_group_tests_name("mm/mmu", tests, NULL, NULL);
}
