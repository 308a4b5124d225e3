/* SPDX-License-Identifier: MIT */
/*
 * Segment-register loads (core/seg.c) against Intel SDM vol. 3 5.5-5.6 and vol. 2 "MOV"
 * (null selectors, table limits, type/DPL/RPL checks, #GP/#SS/#NP error codes, accessed bit)
 * and real-mode loads (base = selector * 16).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sys_harness.h"

static int setup(void **state)
{
    struct harness *h = calloc(1, sizeof(*h));

    h_init(h, "terrace");
    h_prot32(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    struct harness *h = *state;

    h_fini(h);
    free(h);
    return 0;
}

static void test_load_data(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_set_desc(h, 0x50, h_desc(0x123000, 0xfff, 0x92, 0x4)); /* not yet accessed */
    assert_int_equal(h_seg_try(h, SEG_DS, 0x50), -1);
    assert_int_equal(c->seg[SEG_DS].sel, 0x50);
    assert_int_equal(c->seg[SEG_DS].base, 0x123000);
    assert_int_equal(c->seg[SEG_DS].limit, 0xfff);
    assert_int_equal(c->seg[SEG_DS].attr, 0x493);
    assert_int_equal(h_rd64(h, H_GDT + 0x50) >> 40 & 0xff, 0x93); /* accessed bit written */
    assert_false(c->seg_flat & (1u << SEG_DS));
    /* G = 1 scales the limit; base 0 and 4 GiB: flat. */
    assert_int_equal(h_seg_try(h, SEG_ES, H_SEL_DS), -1);
    assert_int_equal(c->seg[SEG_ES].limit, 0xffffffffu);
    assert_true(c->seg_flat & (1u << SEG_ES));
}

static void test_null_and_limits(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    assert_int_equal(h_seg_try(h, SEG_FS, 0x3), -1); /* null: allowed, unusable */
    assert_int_equal(c->seg[SEG_FS].sel, 0x3);
    assert_int_equal(c->seg[SEG_FS].attr & SEG_ATTR_P, 0);
    assert_int_equal(h_seg_try(h, SEG_SS, 0), EXC_GP); /* null SS outside 64-bit mode */
    assert_int_equal(c->exc_error, 0);
    c->gdtr.limit = 0x57;
    assert_int_equal(h_seg_try(h, SEG_DS, 0x58), EXC_GP); /* beyond the GDT limit */
    assert_int_equal(c->exc_error, 0x58);
    assert_int_equal(h_seg_try(h, SEG_DS, 0x5c), EXC_GP); /* LDT unusable */
    assert_int_equal(c->exc_error, 0x5c);
}

static void test_privilege(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_set_desc(h, 0x50, h_desc(0, 0xffff, 0x93, 0x4));    /* DPL 0 data */
    h_set_desc(h, 0x58, h_desc(0, 0xffff, 0x13, 0x4));    /* not present */
    h_set_desc(h, 0x60, h_desc(0, 0xffff, 0x98, 0x4));    /* execute-only code */
    h_set_desc(h, 0x68, h_desc(0, 0xffff, 0xfb, 0x4));    /* DPL 3 readable code */
    assert_int_equal(h_seg_try(h, SEG_DS, 0x53), EXC_GP); /* RPL 3 > DPL 0 */
    assert_int_equal(c->exc_error, 0x50);
    assert_int_equal(h_seg_try(h, SEG_DS, 0x58), EXC_NP);
    assert_int_equal(c->exc_error, 0x58);
    assert_int_equal(h_seg_try(h, SEG_DS, 0x60), EXC_GP);
    assert_int_equal(h_seg_try(h, SEG_DS, 0x68), -1);
    assert_int_equal(h_seg_try(h, SEG_SS, 0x68), EXC_GP); /* SS must be writable data */
    assert_int_equal(h_seg_try(h, SEG_SS, 0x51), EXC_GP); /* RPL != CPL */
    assert_int_equal(c->exc_error, 0x50);
    h_set_desc(h, 0x58, h_desc(0, 0xffff, 0x13, 0x4));
    assert_int_equal(h_seg_try(h, SEG_SS, 0x58), EXC_SS); /* not present: #SS(sel) */
    assert_int_equal(c->exc_error, 0x58);
    assert_int_equal(h_seg_try(h, SEG_SS, 0x50), -1);
    assert_int_equal(c->stack_size, SZ32);
    h_set_desc(h, 0x70, h_desc(0, 0xffff, 0x93, 0x0)); /* 16-bit stack */
    assert_int_equal(h_seg_try(h, SEG_SS, 0x70), -1);
    assert_int_equal(c->stack_size, SZ16);
}

static void test_null_ss_64(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_long_mode(h);
    assert_int_equal(h_seg_try(h, SEG_SS, 0), -1);
    assert_int_equal(c->seg[SEG_SS].sel, 0);
    assert_int_equal(h_seg_try(h, SEG_SS, 1), EXC_GP); /* RPL != CPL */
    h_user64(h);
    assert_int_equal(h_seg_try(h, SEG_SS, 3), EXC_GP); /* CPL 3 */
}

static void test_real_mode_load(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_real_mode(h);
    assert_int_equal(h_seg_try(h, SEG_DS, 0x1234), -1);
    assert_int_equal(c->seg[SEG_DS].base, 0x12340);
    assert_int_equal(c->seg[SEG_DS].limit, 0xffff);
    assert_int_equal(h_seg_try(h, SEG_SS, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_load_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_and_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_privilege, setup, teardown),
        cmocka_unit_test_setup_teardown(test_null_ss_64, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_mode_load, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
