/* SPDX-License-Identifier: MIT */
/*
 * Tests of mm/walker on hand-built page tables in real guest RAM: levels read, paging-structure
 * cache hits, A/D bits, every fault kind with its error code (Intel SDM vol. 3 4.5-4.8), and
 * walk cycles equal to the sum of the memory port's charges; 32-bit paging (4.3) and PAE
 * paging with its PDPTE registers (4.4).
 */
#include "mm/walker.h"

#include "pt_build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#define DATA_PA 0x2000000ull /* 32 MiB: data frames (never read by the walker) */

struct fx {
    struct physmem *pm;
    struct pt_build b;
    struct pwc pwc;
    struct walker w;
    struct mmu_ctx ctx;
};

static int fx_setup(void **state, unsigned levels, u32 maxphyaddr)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct pwc_config pc = {0};
    struct mem_port port;
    struct emu_err err = {0};

    assert_non_null(f);
    f->pm = pt_physmem_create();
    assert_non_null(f->pm);
    pt_init(&f->b, f->pm, levels);
    pc.caches[PWC_PDE] = (struct pwc_cache_config){32, 4};
    pc.caches[PWC_PDPTE] = (struct pwc_cache_config){4, 4};
    pc.caches[PWC_PML4E] = (struct pwc_cache_config){2, 2};
    pc.caches[PWC_PML5E] = (struct pwc_cache_config){2, 2};
    assert_true(pwc_init(&f->pwc, &pc, &err));
    port.access = pt_port_access;
    port.opaque = &f->b;
    walker_init(&f->w, f->pm, &port, &f->pwc, 0, maxphyaddr);
    f->ctx.cr3 = f->b.root;
    f->ctx.flags = MMU_CTX_WP | MMU_CTX_NXE | (levels == 5 ? MMU_CTX_LA57 : 0);
    *state = f;
    return 0;
}

static int setup4(void **state)
{
    return fx_setup(state, 4, 46);
}

static int setup5(void **state)
{
    return fx_setup(state, 5, 46);
}

static int setup4_m52(void **state)
{
    return fx_setup(state, 4, 52);
}

static int teardown(void **state)
{
    struct fx *f = *state;

    pwc_fini(&f->pwc);
    physmem_destroy(f->pm);
    free(f);
    return 0;
}

/* Walk and check the port was charged exactly what the walk reports. */
static bool walk(struct fx *f, gva_t va, enum access_type kind, struct walk_result *r,
                 struct walk_fault *flt)
{
    u32 calls = f->b.n_port_calls;
    u64 cycles = f->b.port_cycles;
    bool ok = walker_walk(&f->w, &f->ctx, va, kind, r, flt);

    if (ok) {
        assert_int_equal(r->cycles, f->b.port_cycles - cycles);
        assert_int_equal(r->levels_read, f->b.n_port_calls - calls);
    } else {
        assert_int_equal(flt->cycles, f->b.port_cycles - cycles);
    }
    return ok;
}

static void expect_fault(struct fx *f, gva_t va, enum access_type kind, enum walk_fault_kind fk,
                         u32 ec, u32 level)
{
    struct walk_result r;
    struct walk_fault flt;

    assert_false(walk(f, va, kind, &r, &flt));
    assert_string_equal(walker_fault_name(flt.kind), walker_fault_name(fk));
    assert_int_equal(flt.error_code, ec);
    assert_int_equal(flt.level, level);
    assert_int_equal(flt.va, va);
}

static void expect_ok(struct fx *f, gva_t va, enum access_type kind, gpa_t pa)
{
    struct walk_result r;
    struct walk_fault flt;

    assert_true(walk(f, va, kind, &r, &flt));
    assert_int_equal(r.pa, pa);
}

static void test_walker_4level_4k(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f1234567000ull;
    const gva_t va_pde = va + 0x200000;       /* same PD, other PT */
    const gva_t va_pdpte = va + 0x40000000;   /* same PDPT, other PD */
    const gva_t va_pml4e = va + (1ull << 39); /* same PML4, other PDPT */
    struct walk_result r;
    struct walk_fault flt;
    u64 *e[5];

    pt_map(&f->b, va, DATA_PA, 1, PT_ALL);
    pt_map(&f->b, va_pde, DATA_PA + 0x1000, 1, PT_ALL);
    pt_map(&f->b, va_pdpte, DATA_PA + 0x2000, 1, PT_ALL);
    pt_map(&f->b, va_pml4e, DATA_PA + 0x3000, 1, PT_ALL);
    for (unsigned l = 1; l <= 4; l++)
        e[l] = pt_entry(&f->b, va, l);

    assert_true(walk(f, va + 0x89a, ACCESS_READ, &r, &flt));
    assert_int_equal(r.pa, DATA_PA + 0x89a);
    assert_int_equal(r.page_pa, DATA_PA);
    assert_int_equal(r.page_size, PAGE_4K);
    assert_int_equal(r.levels_read, 4);
    assert_int_equal(r.pwc_hits, 0);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U); /* D not set yet: not dirty-known */
    for (unsigned l = 1; l <= 4; l++)
        assert_int_equal(*e[l] & (PT_A | PT_D), PT_A);

    /* Write: starts from the PDE cache, reads only the PTE, sets D on the leaf only. */
    assert_true(walk(f, va, ACCESS_WRITE, &r, &flt));
    assert_int_equal(r.levels_read, 1);
    assert_int_equal(r.pwc_hits, 3);
    assert_true(r.flags & TLB_E_DIRTY);
    assert_int_equal(*e[1] & (PT_A | PT_D), PT_A | PT_D);
    for (unsigned l = 2; l <= 4; l++)
        assert_int_equal(*e[l] & (PT_A | PT_D), PT_A);

    assert_true(walk(f, va_pde, ACCESS_READ, &r, &flt));
    assert_int_equal(r.levels_read, 2); /* PDPTE-cache hit: PDE + PTE */
    assert_int_equal(r.pwc_hits, 2);
    assert_true(walk(f, va_pdpte, ACCESS_READ, &r, &flt));
    assert_int_equal(r.levels_read, 3); /* PML4E-cache hit */
    assert_true(walk(f, va_pml4e, ACCESS_READ, &r, &flt));
    assert_int_equal(r.levels_read, 4); /* no PML5E cache in 4-level mode: full walk */
    assert_int_equal(r.pa, DATA_PA + 0x3000);

    assert_int_equal(f->pwc.caches[PWC_PDE].n_hits, 1);
    assert_int_equal(f->pwc.caches[PWC_PDPTE].n_hits, 1);
    assert_int_equal(f->pwc.caches[PWC_PML4E].n_hits, 1);
    assert_int_equal(f->pwc.caches[PWC_PML5E].n_hits + f->pwc.caches[PWC_PML5E].n_misses, 0);
    assert_int_equal(f->w.n_walks, 5);
    assert_int_equal(f->w.n_levels_read, 4 + 1 + 2 + 3 + 4);
    assert_int_equal(f->w.n_cycles, f->b.port_cycles);
}

static void test_walker_5level(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00ab123456789000ull; /* bits 56:48 = 0xab */
    const gva_t va2 = va + (1ull << 39);    /* same PML5E, other PML4E */
    struct walk_result r;
    struct walk_fault flt;

    pt_map(&f->b, va, DATA_PA, 1, PT_ALL);
    pt_map(&f->b, va2, DATA_PA + 0x5000, 1, PT_ALL);
    assert_true(walk(f, va, ACCESS_READ, &r, &flt));
    assert_int_equal(r.levels_read, 5);
    assert_int_equal(r.pa, DATA_PA);
    assert_int_equal(*pt_entry(&f->b, va, 5) & PT_A, PT_A);
    assert_true(walk(f, va2 + 8, ACCESS_READ, &r, &flt));
    assert_int_equal(r.levels_read, 4);
    assert_int_equal(r.pwc_hits, 1);
    assert_int_equal(r.pa, DATA_PA + 0x5008);
    assert_int_equal(f->pwc.caches[PWC_PML5E].n_hits, 1);
    assert_true(walk(f, va2, ACCESS_READ, &r, &flt));
    assert_int_equal(r.levels_read, 1);

    /* Canonical in 5-level paging only: bits 63:57 must copy bit 56. */
    expect_fault(f, 0x0100000000000000ull, ACCESS_READ, WALK_FAULT_NONCANONICAL, 0, 0);
    f->ctx.flags &= ~MMU_CTX_LA57;
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_NONCANONICAL, 0, 0);
}

static void test_walker_large_pages(void **state)
{
    struct fx *f = *state;
    const gva_t va2m = 0x00007f0000400000ull;
    const gva_t va1g = 0x00007e0040000000ull;
    struct walk_result r;
    struct walk_fault flt;
    u64 *pde = pt_map(&f->b, va2m, DATA_PA, 2, PT_ALL);
    u64 *pdpte = pt_map(&f->b, va1g, 0x40000000ull, 3, PT_ALL | PT_G);

    assert_true(walk(f, va2m + 0x1abcde, ACCESS_WRITE, &r, &flt));
    assert_int_equal(r.page_size, PAGE_2M);
    assert_int_equal(r.levels_read, 3);
    assert_int_equal(r.pa, DATA_PA + 0x1abcde);
    assert_int_equal(*pde & (PT_A | PT_D), PT_A | PT_D);
    assert_int_equal(*pt_entry(&f->b, va2m, 3) & (PT_A | PT_D), PT_A);

    assert_true(walk(f, va1g + 0x3fffffff, ACCESS_READ, &r, &flt));
    assert_int_equal(r.page_size, PAGE_1G);
    assert_int_equal(r.levels_read, 2);
    assert_int_equal(r.page_pa, 0x40000000ull);
    assert_int_equal(r.pa, 0x40000000ull + 0x3fffffff);
    assert_int_equal(*pdpte & (PT_A | PT_D), PT_A);
    assert_false(r.flags & TLB_E_GLOBAL); /* G ignored without CR4.PGE */
    f->ctx.flags |= MMU_CTX_PGE;
    assert_true(walk(f, va1g, ACCESS_READ, &r, &flt));
    assert_true(r.flags & TLB_E_GLOBAL);
    /* Leaves are not put in the paging-structure caches: the 1G walk reads PDPTE again. */
    assert_int_equal(r.levels_read, 1);
    assert_int_equal(r.pwc_hits, 1);
}

static void test_walker_not_present(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000001000ull;
    u64 *pte = pt_entry(&f->b, va, 1); /* tables exist, leaf is 0 */

    expect_fault(f, va, ACCESS_READ, WALK_FAULT_NOT_PRESENT, 0, 1);
    /* User write into an unmapped 512 GiB region: PML4E not present. */
    f->ctx.flags |= MMU_CTX_USER;
    expect_fault(f, 0x0000100000000000ull, ACCESS_WRITE, WALK_FAULT_NOT_PRESENT, PF_W | PF_U, 4);
    /* Fetch: I/D is set only with NXE or SMEP. */
    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_NOT_PRESENT, PF_U | PF_ID, 1);
    f->ctx.flags &= ~MMU_CTX_NXE;
    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_NOT_PRESENT, PF_U, 1);
    /* No entry got an A bit from any of these faulting walks. */
    for (unsigned l = 2; l <= 4; l++)
        assert_int_equal(*pt_entry(&f->b, va, l) & PT_A, 0);
    assert_int_equal(*pte, 0);
    assert_int_equal(f->w.n_faults, 4);
}

static void test_walker_write_read_only(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000002000ull;
    u64 *pte = pt_map(&f->b, va, DATA_PA, 1, PT_P | PT_US);

    /* User: always faults, whatever CR0.WP. Nothing is written. */
    f->ctx.flags = (f->ctx.flags & ~MMU_CTX_WP) | MMU_CTX_USER;
    expect_fault(f, va, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W | PF_U, 0);
    f->ctx.flags |= MMU_CTX_WP;
    expect_fault(f, va, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W | PF_U, 0);
    assert_int_equal(*pte & (PT_A | PT_D), 0);
    for (unsigned l = 2; l <= 4; l++)
        assert_int_equal(*pt_entry(&f->b, va, l) & PT_A, 0);
    /* Supervisor with WP = 1: faults. */
    f->ctx.flags &= ~MMU_CTX_USER;
    expect_fault(f, va, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W, 0);
    assert_int_equal(*pte & (PT_A | PT_D), 0);
    /* Supervisor with WP = 0: allowed, and the write sets A and D. */
    f->ctx.flags &= ~MMU_CTX_WP;
    expect_ok(f, va + 4, ACCESS_WRITE, DATA_PA + 4);
    assert_int_equal(*pte & (PT_A | PT_D), PT_A | PT_D);
    /* Read-only at an upper level only (PDE R/W = 0) also makes the page read-only. */
    *pte |= PT_RW;
    *pt_entry(&f->b, va, 2) &= ~PT_RW;
    pwc_flush_all(&f->pwc);
    f->ctx.flags |= MMU_CTX_WP;
    expect_fault(f, va, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W, 0);
}

static void test_walker_user_supervisor(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000003000ull;

    pt_map(&f->b, va, DATA_PA, 1, PT_P | PT_RW); /* supervisor page */
    f->ctx.flags |= MMU_CTX_USER;
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_USER_SV, PF_P | PF_U, 0);
    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_USER_SV, PF_P | PF_U | PF_ID, 0);
    f->ctx.flags &= ~MMU_CTX_USER;
    expect_ok(f, va, ACCESS_READ, DATA_PA);
    /* An implicit supervisor access at CPL 3 (e.g. the GDT) is a supervisor access. */
    f->ctx.flags |= MMU_CTX_USER | MMU_CTX_IMPLICIT;
    expect_ok(f, va, ACCESS_WRITE, DATA_PA);
}

static void test_walker_supervisor_upper_level_cached(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000004000ull;
    struct walk_result r;
    struct walk_fault flt;

    pt_map(&f->b, va, DATA_PA, 1, PT_ALL);
    *pt_entry(&f->b, va, 2) &= ~PT_US; /* PDE supervisor-only, PTE user */
    assert_true(walk(f, va, ACCESS_READ, &r, &flt));
    assert_int_equal(r.flags & TLB_E_U, 0);
    /* The next walk starts from the cached PDE, whose accumulated rights say supervisor. */
    f->ctx.flags |= MMU_CTX_USER;
    assert_false(walk(f, va, ACCESS_READ, &r, &flt));
    assert_int_equal(flt.kind, WALK_FAULT_USER_SV);
    assert_int_equal(f->pwc.caches[PWC_PDE].n_hits, 1);
}

static void test_walker_nx(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000005000ull;
    u64 *pte = pt_map(&f->b, va, DATA_PA, 1, PT_ALL | PT_XD);

    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_NX, PF_P | PF_ID, 0);
    f->ctx.flags |= MMU_CTX_USER;
    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_NX, PF_P | PF_U | PF_ID, 0);
    expect_ok(f, va, ACCESS_READ, DATA_PA); /* data accesses ignore XD */
    /* XD on an upper level only. */
    *pte &= ~PT_XD;
    *pt_entry(&f->b, va, 3) |= PT_XD;
    pwc_flush_all(&f->pwc);
    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_NX, PF_P | PF_U | PF_ID, 0);
    /* Without NXE, bit 63 is reserved: read faults with RSVD at the PDPTE. */
    f->ctx.flags &= ~MMU_CTX_NXE;
    pwc_flush_all(&f->pwc);
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_U | PF_RSVD, 3);
}

static void test_walker_reserved_bits(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000006000ull;
    const gva_t va2m = 0x00007f0000800000ull;
    const gva_t va1g = 0x00007d0000000000ull;
    u64 *pde;

    pt_map(&f->b, va, DATA_PA, 1, PT_ALL);
    pde = pt_entry(&f->b, va, 2);
    *pde |= 1ull << 50; /* above MAXPHYADDR 46 */
    f->ctx.flags |= MMU_CTX_USER;
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_U | PF_RSVD, 2);
    *pde &= ~(1ull << 50);
    *pt_entry(&f->b, va, 4) |= PT_PS; /* PS is reserved in a PML4E */
    expect_fault(f, va, ACCESS_WRITE, WALK_FAULT_RSVD, PF_P | PF_W | PF_U | PF_RSVD, 4);
    *pt_entry(&f->b, va, 4) &= ~PT_PS;
    expect_ok(f, va, ACCESS_READ, DATA_PA);

    /* Large pages: the address bits below the page alignment (except PAT, bit 12) are reserved. */
    pt_map(&f->b, va2m, DATA_PA | (1ull << 13), 2, PT_ALL);
    expect_fault(f, va2m, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_U | PF_RSVD, 2);
    pt_map(&f->b, va2m, DATA_PA | (1ull << 12), 2, PT_ALL); /* PAT: fine */
    expect_ok(f, va2m, ACCESS_READ, DATA_PA);
    pt_map(&f->b, va1g, 0x40000000ull | (1ull << 29), 3, PT_ALL);
    expect_fault(f, va1g, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_U | PF_RSVD, 3);
}

static void test_walker_maxphyaddr_52(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000006000ull;

    /* With MAXPHYADDR 52, bit 50 of a leaf is an address bit. */
    pt_map(&f->b, va, (1ull << 50) | DATA_PA, 1, PT_ALL);
    expect_ok(f, va, ACCESS_READ, (1ull << 50) | DATA_PA);
}

static void test_walker_smep_smap(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000007000ull;

    pt_map(&f->b, va, DATA_PA, 1, PT_ALL); /* user page */
    expect_ok(f, va, ACCESS_FETCH, DATA_PA);
    f->ctx.flags = (f->ctx.flags | MMU_CTX_SMEP) & ~MMU_CTX_NXE;
    expect_fault(f, va, ACCESS_FETCH, WALK_FAULT_SMEP, PF_P | PF_ID, 0);
    expect_ok(f, va, ACCESS_READ, DATA_PA); /* SMEP is about fetches */
    f->ctx.flags |= MMU_CTX_SMAP;
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_SMAP, PF_P, 0);
    expect_fault(f, va, ACCESS_WRITE, WALK_FAULT_SMAP, PF_P | PF_W, 0);
    f->ctx.flags |= MMU_CTX_AC; /* STAC */
    expect_ok(f, va, ACCESS_WRITE, DATA_PA);
    f->ctx.flags |= MMU_CTX_IMPLICIT; /* AC does not help implicit accesses */
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_SMAP, PF_P, 0);
    f->ctx.flags = (f->ctx.flags & ~MMU_CTX_IMPLICIT) | MMU_CTX_USER;
    expect_ok(f, va, ACCESS_READ, DATA_PA); /* user accesses are not SMAP's business */
}

static void test_walker_table_outside_ram(void **state)
{
    struct fx *f = *state;
    const gva_t va = 0x00007f0000008000ull;

    pt_map(&f->b, va, DATA_PA, 1, PT_ALL);
    *pt_entry(&f->b, va, 2) = (8ull << 30) | PT_ALL; /* PT at 8 GiB: no RAM there */
    expect_fault(f, va, ACCESS_READ, WALK_FAULT_BAD_TABLE, 0, 1);
}

/* ---- 32-bit paging (SDM vol. 3 4.3) and PAE paging (4.4), on hand-written tables ---- */

#define PD32  0x300000ull /* 32-bit page directory */
#define PT32  0x301000ull /* its page table for 0x12345678 */
#define PT32B 0x302000ull
#define PDPT  0x310020ull /* PAE PDPT: 32-byte aligned, not page aligned */
#define PD3   0x311000ull /* PAE page directory under PDPTE3 */
#define PT3   0x312000ull
#define PD1   0x313000ull /* under PDPTE1 */

static int setup4_m36(void **state)
{
    return fx_setup(state, 4, 36);
}

/* A successful walk of @va with its exact shape. */
static struct walk_result expect_walk(struct fx *f, gva_t va, enum access_type kind, gpa_t pa,
                                      enum page_size size, u8 levels, u8 pwc_hits)
{
    struct walk_result r;
    struct walk_fault flt;

    assert_true(walk(f, va, kind, &r, &flt));
    assert_int_equal(r.pa, pa);
    assert_int_equal(r.page_size, size);
    assert_int_equal(r.levels_read, levels);
    assert_int_equal(r.pwc_hits, pwc_hits);
    return r;
}

static void test_walker_32bit_4k(void **state)
{
    struct fx *f = *state;
    struct walk_result r;

    f->ctx.cr3 = PD32 | 0x18; /* PWT and PCD: no effect on the walk */
    f->ctx.flags = MMU_CTX_LEGACY32 | MMU_CTX_WP;
    pt_wr32(f->pm, PD32 + 0x48 * 4, (u32)PT32 | 7);  /* 0x12345678: PDE 0x48 */
    pt_wr32(f->pm, PT32 + 0x345 * 4, 0x2345000 | 7); /* PTE 0x345 */
    r = expect_walk(f, 0x12345678, ACCESS_READ, 0x2345678, PAGE_4K, 2, 0);
    assert_int_equal(r.page_pa, 0x2345000);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U);
    assert_int_equal(pt_rd32(f->pm, PD32 + 0x48 * 4), PT32 | 0x27);
    assert_int_equal(pt_rd32(f->pm, PT32 + 0x345 * 4), 0x2345027);
    /* The second walk starts from the PDE cache and sets D in the 4-byte PTE only. */
    r = expect_walk(f, 0x12345000, ACCESS_WRITE, 0x2345000, PAGE_4K, 1, 1);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U | TLB_E_DIRTY);
    assert_int_equal(pt_rd32(f->pm, PT32 + 0x345 * 4), 0x2345067);
    assert_int_equal(pt_rd32(f->pm, PD32 + 0x48 * 4), PT32 | 0x27);
    assert_int_equal(pt_rd32(f->pm, PT32 + 0x346 * 4), 0); /* neighbours untouched */
    /* Linear addresses are 32 bits: higher bits are ignored. */
    expect_walk(f, (1ull << 32) | 0x12345678, ACCESS_READ, 0x2345678, PAGE_4K, 1, 1);

    /* PSE off: PS in a PDE is ignored, the PDE references a page table. */
    pt_wr32(f->pm, PD32 + 0x49 * 4, (u32)PT32B | PT_PS | 7); /* 0x12745678: PDE 0x49 */
    pt_wr32(f->pm, PT32B + 0x345 * 4, 0x2346000 | 7);
    expect_walk(f, 0x12745678, ACCESS_READ, 0x2346678, PAGE_4K, 2, 0);
    assert_int_equal(f->w.n_walks, 4);
    assert_int_equal(f->w.n_levels_read, 2 + 1 + 1 + 2);
    assert_int_equal(f->w.n_cycles, f->b.port_cycles);

    /* The same PDE with PSE on maps a 4 MiB page whose bit 21 (reserved) is set. */
    f->ctx.flags |= MMU_CTX_PSE;
    pwc_flush_all(&f->pwc); /* as MOV to CR4 does */
    expect_fault(f, 0x12745678, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_RSVD, 2);
}

static void test_walker_32bit_4m(void **state)
{
    struct fx *f = *state;
    struct walk_result r;

    f->ctx.cr3 = PD32;
    f->ctx.flags = MMU_CTX_LEGACY32 | MMU_CTX_PSE | MMU_CTX_WP | MMU_CTX_PGE;
    /* PDE 0x201 (0x80400000..0x807fffff): 4 MiB at 0x1c00000, global, supervisor, writable. */
    pt_wr32(f->pm, PD32 + 0x201 * 4, 0x01c00000 | PT_G | PT_PS | PT_RW | PT_P);
    r = expect_walk(f, 0x80612345, ACCESS_READ, 0x1e12345, PAGE_2M, 1, 0);
    assert_int_equal(r.page_pa, 0x1e00000); /* the upper 2 MiB half */
    assert_int_equal(r.flags, TLB_E_W | TLB_E_GLOBAL);
    assert_int_equal(pt_rd32(f->pm, PD32 + 0x201 * 4), 0x01c001a3);
    r = expect_walk(f, 0x80412345, ACCESS_WRITE, 0x1c12345, PAGE_2M, 1, 0);
    assert_int_equal(r.page_pa, 0x1c00000); /* the lower half */
    assert_int_equal(r.flags, TLB_E_W | TLB_E_GLOBAL | TLB_E_DIRTY);
    assert_int_equal(pt_rd32(f->pm, PD32 + 0x201 * 4), 0x01c001e3);
    /* Leaves are not cached in the PDE cache. */
    assert_int_equal(f->pwc.caches[PWC_PDE].n_hits, 0);

    /* PSE-36: PDE bits 20:13 are physical-address bits 39:32 (MAXPHYADDR 46: M' = 40). */
    pt_wr32(f->pm, PD32 + 0x202 * 4, 0x01c00000 | (0x5a << 13) | PT_PS | PT_P);
    r = expect_walk(f, 0x80812345, ACCESS_READ, 0x5a01c12345ull, PAGE_2M, 1, 0);
    assert_int_equal(r.flags, 0); /* read-only, supervisor, not global */
    expect_fault(f, 0x80812345, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W, 0);
    f->ctx.flags &= ~MMU_CTX_WP; /* supervisor writes ignore R/W without CR0.WP */
    expect_walk(f, 0x80812345, ACCESS_WRITE, 0x5a01c12345ull, PAGE_2M, 1, 0);

    /* Bit 21 is reserved in a 4 MiB PDE: RSVD, and no A bit written. */
    pt_wr32(f->pm, PD32 + 0x203 * 4, 0x01c00000 | (1u << 21) | PT_PS | PT_RW | PT_P);
    expect_fault(f, 0x80c01234, ACCESS_WRITE, WALK_FAULT_RSVD, PF_P | PF_W | PF_RSVD, 2);
    assert_int_equal(pt_rd32(f->pm, PD32 + 0x203 * 4), 0x01e00083);
}

/* MAXPHYADDR 36: a 4 MiB PDE holds address bits 35:32 in bits 16:13; bits 21:17 are reserved. */
static void test_walker_32bit_pse36_m36(void **state)
{
    struct fx *f = *state;

    f->ctx.cr3 = PD32;
    f->ctx.flags = MMU_CTX_LEGACY32 | MMU_CTX_PSE | MMU_CTX_WP;
    pt_wr32(f->pm, PD32 + 0x201 * 4, 0x01c00000 | (0xf << 13) | PT_PS | PT_P);
    expect_walk(f, 0x80612345, ACCESS_READ, 0xf01e12345ull, PAGE_2M, 1, 0);
    pt_wr32(f->pm, PD32 + 0x202 * 4, 0x01c00000 | (0x10 << 13) | PT_PS | PT_P); /* bit 17 */
    expect_fault(f, 0x80812345, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_RSVD, 2);
}

/* Every fault kind of 32-bit paging with its error code (SDM 4.6, 4.7). */
static void test_walker_32bit_faults(void **state)
{
    struct fx *f = *state;
    const u32 base = MMU_CTX_LEGACY32 | MMU_CTX_WP;

    f->ctx.cr3 = PD32;
    f->ctx.flags = base;
    pt_wr32(f->pm, PD32 + 1 * 4, (u32)PT32 | 7);            /* 0x00400000: PDE 1 */
    pt_wr32(f->pm, PT32 + 1 * 4, 0x2000000 | PT_P);         /* 0x00401000: supervisor, read-only */
    pt_wr32(f->pm, PT32 + 3 * 4, 0x2003000 | PT_US | PT_P); /* 0x00403000: user, read-only */

    expect_fault(f, 0x00801000, ACCESS_READ, WALK_FAULT_NOT_PRESENT, 0, 2);
    f->ctx.flags = base | MMU_CTX_USER;
    expect_fault(f, 0x00801000, ACCESS_WRITE, WALK_FAULT_NOT_PRESENT, PF_W | PF_U, 2);
    /* No I/D bit for fetches in 32-bit paging unless SMEP: EFER.NXE does not count. */
    f->ctx.flags = base | MMU_CTX_NXE;
    expect_fault(f, 0x00402000, ACCESS_FETCH, WALK_FAULT_NOT_PRESENT, 0, 1);
    f->ctx.flags = base;
    expect_fault(f, 0x00401000, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W, 0);
    assert_int_equal(pt_rd32(f->pm, PT32 + 1 * 4), 0x2000001); /* no A after a fault */
    f->ctx.flags = base | MMU_CTX_USER;
    expect_fault(f, 0x00401000, ACCESS_READ, WALK_FAULT_USER_SV, PF_P | PF_U, 0);
    expect_fault(f, 0x00403000, ACCESS_WRITE, WALK_FAULT_WRITE_RO, PF_P | PF_W | PF_U, 0);
    expect_walk(f, 0x00403004, ACCESS_READ, 0x2003004, PAGE_4K, 2,
                0); /* faults dropped the PDE-cache entry */
    f->ctx.flags = base | MMU_CTX_SMEP;
    expect_fault(f, 0x00403000, ACCESS_FETCH, WALK_FAULT_SMEP, PF_P | PF_ID, 0);
    f->ctx.flags = base | MMU_CTX_SMAP;
    expect_fault(f, 0x00403000, ACCESS_READ, WALK_FAULT_SMAP, PF_P, 0);
    f->ctx.flags = base | MMU_CTX_SMAP | MMU_CTX_AC;
    expect_walk(f, 0x00403000, ACCESS_READ, 0x2003000, PAGE_4K, 2, 0);
    /* Supervisor write to a read-only page: allowed with CR0.WP = 0, sets D. */
    f->ctx.flags = MMU_CTX_LEGACY32;
    expect_walk(f, 0x00401008, ACCESS_WRITE, 0x2000008, PAGE_4K, 1, 1);
    assert_int_equal(pt_rd32(f->pm, PT32 + 1 * 4), 0x2000061);
    /* A page table outside RAM. */
    pt_wr32(f->pm, PD32 + 5 * 4, 0xfffff000u | 7);
    expect_fault(f, 0x01400000, ACCESS_READ, WALK_FAULT_BAD_TABLE, 0, 1);
}

/* The PAE tables of the tests below; PDPTE0 and PDPTE2 are not present (PDPTE2 with junk). */
static void pae_setup(struct fx *f)
{
    pt_wr64(f->pm, PDPT + 0, 0);
    pt_wr64(f->pm, PDPT + 8, PD1 | PT_P);
    pt_wr64(f->pm, PDPT + 16, 0xbad6);
    pt_wr64(f->pm, PDPT + 24, PD3 | PT_P);
    pt_wr64(f->pm, PD3 + 1 * 8, PT3 | 7);                        /* 0xc0200000: PDE 1 */
    pt_wr64(f->pm, PT3 + 0x145 * 8, 0x2345000 | 7);              /* 0xc0345000 */
    pt_wr64(f->pm, PT3 + 0x146 * 8, PT_XD | 0x2346000 | 7);      /* 0xc0346000 */
    pt_wr64(f->pm, PD1 + 5 * 8, 0x1a00000 | PT_G | PT_PS | 7);   /* 0x40a00000: 2 MiB */
    pt_wr64(f->pm, PD1 + 6 * 8, 0x3fffe00000ull | PT_PS | PT_P); /* 0x40c00000: 2 MiB */
    pt_wr64(f->pm, PD1 + 7 * 8, PT_XD | 0x1c00000 | PT_PS | 7);  /* 0x40e00000: 2 MiB, XD */
    f->ctx.cr3 = PDPT | 0x18;                                    /* bits 4:0 are ignored */
    f->ctx.flags = MMU_CTX_PAE32 | MMU_CTX_WP | MMU_CTX_NXE;
    assert_true(walker_load_pdptes(&f->w, f->ctx.cr3));
}

static void test_walker_pae_4k_2m(void **state)
{
    struct fx *f = *state;
    struct walk_result r;
    u32 calls = f->b.n_port_calls;

    pae_setup(f);
    assert_int_equal(f->b.n_port_calls - calls, 4); /* the PDPTE loads were charged */
    assert_int_equal(f->w.pdpte[3], PD3 | PT_P);
    assert_int_equal(f->w.pdpte[2], 0xbad6);
    /* PDPTE3 is a register: two reads (PDE, PTE), A in both, nothing written to the PDPTE. */
    r = expect_walk(f, 0xc0345678, ACCESS_READ, 0x2345678, PAGE_4K, 2, 0);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U);
    assert_int_equal(pt_rd64(f->pm, PD3 + 8), PT3 | 0x27);
    assert_int_equal(pt_rd64(f->pm, PT3 + 0x145 * 8), 0x2345027);
    assert_int_equal(pt_rd64(f->pm, PDPT + 24), PD3 | PT_P);
    r = expect_walk(f, 0xc0345ff8, ACCESS_WRITE, 0x2345ff8, PAGE_4K, 1, 1);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U | TLB_E_DIRTY);
    assert_int_equal(pt_rd64(f->pm, PT3 + 0x145 * 8), 0x2345067);

    /* 2 MiB pages; G counts only with CR4.PGE. */
    r = expect_walk(f, 0x40a12345, ACCESS_READ, 0x1a12345, PAGE_2M, 1, 0);
    assert_int_equal(r.page_pa, 0x1a00000);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U);
    assert_int_equal(pt_rd64(f->pm, PD1 + 5 * 8), 0x1a00000 | PT_G | PT_PS | PT_A | 7);
    f->ctx.flags |= MMU_CTX_PGE;
    r = expect_walk(f, 0x40a00000, ACCESS_WRITE, 0x1a00000, PAGE_2M, 1, 0);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U | TLB_E_DIRTY | TLB_E_GLOBAL);
    /* Physical addresses above 4 GiB. */
    expect_walk(f, 0x40c01234, ACCESS_READ, 0x3fffe01234ull, PAGE_2M, 1, 0);
    assert_int_equal(f->w.n_cycles, f->b.port_cycles - 4 * 10 - (PDPT >> 3) % 7 -
                                        ((PDPT + 8) >> 3) % 7 - ((PDPT + 16) >> 3) % 7 -
                                        ((PDPT + 24) >> 3) % 7);
}

static void test_walker_pae_nx(void **state)
{
    struct fx *f = *state;
    struct walk_result r;

    pae_setup(f);
    r = expect_walk(f, 0xc0346000, ACCESS_READ, 0x2346000, PAGE_4K, 2, 0);
    assert_int_equal(r.flags, TLB_E_W | TLB_E_U | TLB_E_NX);
    expect_fault(f, 0xc0346000, ACCESS_FETCH, WALK_FAULT_NX, PF_P | PF_ID, 0);
    f->ctx.flags |= MMU_CTX_USER;
    expect_fault(f, 0xc0346000, ACCESS_FETCH, WALK_FAULT_NX, PF_P | PF_U | PF_ID, 0);
    expect_walk(f, 0xc0345000, ACCESS_FETCH, 0x2345000, PAGE_4K, 2, 0); /* after faults */
    expect_fault(f, 0x40e00000, ACCESS_FETCH, WALK_FAULT_NX, PF_P | PF_U | PF_ID, 0); /* PDE XD */
    /* Without NXE, XD is a reserved bit (and fetches get no I/D). */
    f->ctx.flags = MMU_CTX_PAE32 | MMU_CTX_WP;
    pwc_flush_all(&f->pwc);
    expect_fault(f, 0xc0346000, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_RSVD, 1);
    expect_fault(f, 0xc0346000, ACCESS_FETCH, WALK_FAULT_RSVD, PF_P | PF_RSVD, 1);
    expect_fault(f, 0x40e00000, ACCESS_READ, WALK_FAULT_RSVD, PF_P | PF_RSVD, 2);
    expect_walk(f, 0xc0345000, ACCESS_FETCH, 0x2345000, PAGE_4K, 2, 0);
}

static void test_walker_pae_reserved(void **state)
{
    struct fx *f = *state;
    static const struct {
        gpa_t pa; /* entry */
        u64 bit;
        gva_t va;
        u32 level;
    } cases[] = {
        {PT3 + 0x145 * 8, 1ull << 46, 0xc0345000, 1}, /* 62:M with MAXPHYADDR 46 */
        {PT3 + 0x145 * 8, 1ull << 52, 0xc0345000, 1}, /* ignored in 4-level paging, not here */
        {PT3 + 0x145 * 8, 1ull << 62, 0xc0345000, 1}, {PD3 + 1 * 8, 1ull << 51, 0xc0345000, 2},
        {PD1 + 5 * 8, 1ull << 13, 0x40a00000, 2}, /* 20:13 of a 2 MiB PDE */
        {PD1 + 5 * 8, 1ull << 20, 0x40a00000, 2},     {PD1 + 5 * 8, 1ull << 58, 0x40a00000, 2},
    };

    pae_setup(f);
    for (unsigned i = 0; i < ARRAY_LEN(cases); i++) {
        u64 old = pt_rd64(f->pm, cases[i].pa);

        pt_wr64(f->pm, cases[i].pa, old | cases[i].bit);
        expect_fault(f, cases[i].va, ACCESS_WRITE, WALK_FAULT_RSVD, PF_P | PF_W | PF_RSVD,
                     cases[i].level);
        assert_int_equal(pt_rd64(f->pm, cases[i].pa), old | cases[i].bit); /* no A */
        pt_wr64(f->pm, cases[i].pa, old);
    }
    /* Ignored bits 11:9 and the PAT bit of a 2 MiB page are fine. */
    pt_wr64(f->pm, PT3 + 0x145 * 8, 0x2345000 | 0xe00 | 7);
    expect_walk(f, 0xc0345000, ACCESS_READ, 0x2345000, PAGE_4K, 2, 0);
    pt_wr64(f->pm, PD1 + 5 * 8, 0x1a00000 | (1ull << 12) | PT_PS | 7);
    expect_walk(f, 0x40a00000, ACCESS_READ, 0x1a00000, PAGE_2M, 1, 0);
}

/* PDPTE registers: loaded with reserved-bit checks (SDM 4.4.1), never re-read by walks. */
static void test_walker_pae_pdptes(void **state)
{
    struct fx *f = *state;
    static const u64 bad_bits[] = {1ull << 1, 1ull << 2,  1ull << 5,  1ull << 6, 1ull << 7,
                                   1ull << 8, 1ull << 46, 1ull << 52, 1ull << 63};
    u64 saved[4];

    pae_setup(f);
    memcpy(saved, f->w.pdpte, sizeof(saved));
    for (unsigned i = 0; i < ARRAY_LEN(bad_bits); i++) {
        pt_wr64(f->pm, PDPT + 8, PD1 | PT_P | bad_bits[i]);
        assert_false(walker_load_pdptes(&f->w, PDPT));
        assert_memory_equal(f->w.pdpte, saved, sizeof(saved)); /* unchanged */
    }
    /* Not present: the other bits are free. PWT, PCD and bits 11:9 are not reserved. */
    pt_wr64(f->pm, PDPT + 8, 0xfffffffffffffffeull);
    assert_true(walker_load_pdptes(&f->w, PDPT));
    pt_wr64(f->pm, PDPT + 8, PD1 | 0xe18 | PT_P);
    assert_true(walker_load_pdptes(&f->w, PDPT));
    assert_int_equal(f->w.pdpte[1], PD1 | 0xe18 | PT_P);
    assert_false(walker_load_pdptes(&f->w, 0xffffffe0)); /* not RAM */

    /* Not-present PDPTE: fault at level 3 without reading memory. */
    f->ctx.flags |= MMU_CTX_USER;
    expect_fault(f, 0x00001000, ACCESS_WRITE, WALK_FAULT_NOT_PRESENT, PF_W | PF_U, 3);
    expect_fault(f, 0x80001000, ACCESS_READ, WALK_FAULT_NOT_PRESENT, PF_U, 3);
    /* Clearing PDPTE3 in memory changes nothing until the registers are loaded again. */
    pt_wr64(f->pm, PDPT + 24, 0);
    pwc_flush_all(&f->pwc);
    expect_walk(f, 0xc0345678, ACCESS_READ, 0x2345678, PAGE_4K, 2, 0);
    assert_true(walker_load_pdptes(&f->w, PDPT));
    pwc_flush_all(&f->pwc);
    expect_fault(f, 0xc0345678, ACCESS_READ, WALK_FAULT_NOT_PRESENT, PF_U, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walker_4level_4k, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_5level, setup5, teardown),
        cmocka_unit_test_setup_teardown(test_walker_large_pages, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_not_present, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_write_read_only, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_user_supervisor, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_supervisor_upper_level_cached, setup4,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_walker_nx, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_reserved_bits, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_maxphyaddr_52, setup4_m52, teardown),
        cmocka_unit_test_setup_teardown(test_walker_smep_smap, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_table_outside_ram, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_32bit_4k, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_32bit_4m, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_32bit_pse36_m36, setup4_m36, teardown),
        cmocka_unit_test_setup_teardown(test_walker_32bit_faults, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_pae_4k_2m, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_pae_nx, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_pae_reserved, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_walker_pae_pdptes, setup4, teardown),
    };

    return cmocka_run_group_tests_name("mm/walker", tests, NULL, NULL);
}
