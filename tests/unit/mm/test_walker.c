/* SPDX-License-Identifier: MIT */
/*
 * Tests of mm/walker on hand-built page tables in real guest RAM: levels read, paging-structure
 * cache hits, A/D bits, every fault kind with its error code (Intel SDM vol. 3 4.5-4.8), and
 * walk cycles equal to the sum of the memory port's charges.
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
    };

    return cmocka_run_group_tests_name("mm/walker", tests, NULL, NULL);
}
