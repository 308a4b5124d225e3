/* SPDX-License-Identifier: MIT */
/* Tests of mm/pwc: keys by linear-address bits (SDM vol. 3 4.10.3), LRU, PCID, flushes. */
#include "mm/pwc.h"

#include "mm/tlb.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void pwc_make(struct pwc *p, u32 pde_entries, u32 pde_ways)
{
    struct pwc_config cfg = {0};
    struct emu_err err = {0};

    cfg.caches[PWC_PDE] = (struct pwc_cache_config){pde_entries, pde_ways};
    cfg.caches[PWC_PDPTE] = (struct pwc_cache_config){4, 4};
    cfg.caches[PWC_PML4E] = (struct pwc_cache_config){2, 2};
    assert_true(pwc_init(p, &cfg, &err));
}

static void test_pwc_keys(void **state)
{
    struct pwc p;
    gpa_t next = 0;
    u8 perms = 0;

    pwc_make(&p, 32, 4);
    pwc_insert(&p, PWC_PDE, 0x7f0000200000ull, 0, 0x5000, TLB_E_W);
    /* Same 2 MiB region (bits 56:21 equal): hit, whatever bits 20:0 are. */
    assert_true(pwc_lookup(&p, PWC_PDE, 0x7f00003fffffull, 0, &next, &perms));
    assert_int_equal(next, 0x5000);
    assert_int_equal(perms, TLB_E_W);
    /* Next 2 MiB region: miss. */
    assert_false(pwc_lookup(&p, PWC_PDE, 0x7f0000400000ull, 0, &next, &perms));
    /* The PDPTE cache keys on bits 56:30: one entry covers 1 GiB. */
    pwc_insert(&p, PWC_PDPTE, 0x7f0000000000ull, 0, 0x6000, TLB_E_U);
    assert_true(pwc_lookup(&p, PWC_PDPTE, 0x7f003fffffffull, 0, &next, &perms));
    assert_false(pwc_lookup(&p, PWC_PDPTE, 0x7f0040000000ull, 0, &next, &perms));
    /* Disabled cache (PML5E has 0 entries): always misses, counts nothing. */
    pwc_insert(&p, PWC_PML5E, 0, 0, 0x7000, 0);
    assert_false(pwc_lookup(&p, PWC_PML5E, 0, 0, &next, &perms));
    assert_int_equal(p.caches[PWC_PML5E].n_misses, 0);
    assert_int_equal(p.caches[PWC_PDE].n_hits, 1);
    assert_int_equal(p.caches[PWC_PDE].n_misses, 1);
    assert_int_equal(p.caches[PWC_PDPTE].n_hits, 1);
    assert_int_equal(p.caches[PWC_PDPTE].n_misses, 1);
    pwc_fini(&p);
}

static void test_pwc_lru(void **state)
{
    struct pwc p;
    gpa_t next;
    u8 perms;

    pwc_make(&p, 32, 4);
    /* PML4E cache: 2 entries, fully associative. Regions are 512 GiB apart. */
    pwc_insert(&p, PWC_PML4E, 0ull << 39, 0, 0xa000, 0);
    pwc_insert(&p, PWC_PML4E, 1ull << 39, 0, 0xb000, 0);
    assert_true(pwc_lookup(&p, PWC_PML4E, 0ull << 39, 0, &next, &perms)); /* A newest */
    pwc_insert(&p, PWC_PML4E, 2ull << 39, 0, 0xc000, 0);                  /* evicts B */
    assert_true(pwc_lookup(&p, PWC_PML4E, 0ull << 39, 0, &next, &perms));
    assert_int_equal(next, 0xa000);
    assert_false(pwc_lookup(&p, PWC_PML4E, 1ull << 39, 0, &next, &perms));
    assert_true(pwc_lookup(&p, PWC_PML4E, 2ull << 39, 0, &next, &perms));
    /* PDE cache 32 entries, 4 ways, 8 sets: 5 regions 8 x 2 MiB apart share set 0. */
    for (u32 i = 0; i < 5; i++)
        pwc_insert(&p, PWC_PDE, (gva_t)i * 8 << 21, 0, i, 0);
    assert_false(pwc_lookup(&p, PWC_PDE, 0, 0, &next, &perms));
    for (u32 i = 1; i < 5; i++)
        assert_true(pwc_lookup(&p, PWC_PDE, (gva_t)i * 8 << 21, 0, &next, &perms));
    pwc_fini(&p);
}

static void test_pwc_pcid_and_flush(void **state)
{
    struct pwc p;
    gpa_t next;
    u8 perms;

    pwc_make(&p, 32, 4);
    pwc_insert(&p, PWC_PDE, 0x200000, 1, 0x1000, 0);
    pwc_insert(&p, PWC_PDE, 0x200000, 2, 0x2000, 0);
    pwc_insert(&p, PWC_PDPTE, 0x200000, 1, 0x3000, 0);
    assert_true(pwc_lookup(&p, PWC_PDE, 0x200000, 2, &next, &perms));
    assert_int_equal(next, 0x2000);
    assert_false(pwc_lookup(&p, PWC_PDE, 0x200000, 3, &next, &perms));

    pwc_flush_va(&p, 0x2fffff, 1); /* every level's entry for the address, PCID 1 only */
    assert_false(pwc_lookup(&p, PWC_PDE, 0x200000, 1, &next, &perms));
    assert_false(pwc_lookup(&p, PWC_PDPTE, 0x200000, 1, &next, &perms));
    assert_true(pwc_lookup(&p, PWC_PDE, 0x200000, 2, &next, &perms));

    pwc_insert(&p, PWC_PDE, 0x400000, 1, 0x4000, 0);
    pwc_flush_pcid(&p, 2);
    assert_false(pwc_lookup(&p, PWC_PDE, 0x200000, 2, &next, &perms));
    assert_true(pwc_lookup(&p, PWC_PDE, 0x400000, 1, &next, &perms));
    pwc_flush_all(&p);
    assert_false(pwc_lookup(&p, PWC_PDE, 0x400000, 1, &next, &perms));
    pwc_fini(&p);
}

static void test_pwc_bad_config(void **state)
{
    struct pwc p;
    struct pwc_config cfg = {0};
    struct emu_err err = {0};

    cfg.caches[PWC_PDE] = (struct pwc_cache_config){24, 4}; /* 6 sets */
    assert_false(pwc_init(&p, &cfg, &err));
    assert_true(err.is_set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pwc_keys),
        cmocka_unit_test(test_pwc_lru),
        cmocka_unit_test(test_pwc_pcid_and_flush),
        cmocka_unit_test(test_pwc_bad_config),
    };

    return cmocka_run_group_tests_name("mm/pwc", tests, NULL, NULL);
}
