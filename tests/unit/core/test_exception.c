/* SPDX-License-Identifier: MIT */
/*
 * Exception and interrupt delivery (core/exception.c) against Intel SDM vol. 3 ch. 6: 64-bit
 * frames (6.14.2), IST and TSS.RSP0 stack switches, gate checks and error codes (6.13), the
 * double-fault table (6-5) and triple faults, 32-bit protected-mode frames (6.12.1) and the
 * real-mode IVT (20.1.4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sys_harness.h"

#define HANDLER 0xffffffff81000000ull

static int setup(void **state)
{
    struct harness *h = calloc(1, sizeof(*h));

    h_init(h, "terrace");
    h_long_mode(h);
    h_wr64(h, H_TSS + 4, 0x80000);    /* RSP0 */
    h_wr64(h, H_TSS + 0x24, 0x90000); /* IST1 */
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

/* #PF at CPL 0: RSP aligned down to 16, SS RSP RFLAGS CS RIP error pushed, IF cleared. */
static void test_pf_cpl0(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, EXC_PF, H_SEL_CS64, HANDLER + 0x140, 0xe, 0, 0, true);
    c->gpr[4] = 0x70008;
    cpu_set_rflags(c, 0x246);
    assert_true(h_deliver(h, EXC_PF, 0x2, INTR_EXCEPTION, 0x401000, 0x401000));
    assert_int_equal(c->gpr[4], 0x70000 - 48);
    assert_int_equal(h_rd64(h, 0x70000 - 48), 0x2);        /* error code */
    assert_int_equal(h_rd64(h, 0x70000 - 40), 0x401000);   /* RIP */
    assert_int_equal(h_rd64(h, 0x70000 - 32), H_SEL_CS64); /* CS */
    assert_int_equal(h_rd64(h, 0x70000 - 24), 0x246);      /* RFLAGS */
    assert_int_equal(h_rd64(h, 0x70000 - 16), 0x70008);    /* RSP */
    assert_int_equal(h_rd64(h, 0x70000 - 8), H_SEL_DS);    /* SS */
    assert_int_equal(c->rip, HANDLER + 0x140);
    assert_int_equal(c->seg[SEG_CS].sel, H_SEL_CS64);
    assert_int_equal(cpu_get_rflags(c), 0x046);
    assert_int_equal(c->cpl, 0);
    assert_int_equal(c->n_exceptions[EXC_PF], 1);
}

/* External interrupt at CPL 3: stack from TSS.RSP0, SS = null selector, trap gate keeps IF. */
static void test_irq_from_user(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, 0x20, H_SEL_CS64, HANDLER, 0xf, 0, 0, true);
    h_user64(h);
    c->gpr[4] = 0x7fff12345671ull;
    cpu_set_rflags(c, 0x202);
    assert_true(h_deliver(h, 0x20, EXC_NO_ERROR, INTR_EXTERNAL, 0x401234, 0x401234));
    assert_int_equal(c->gpr[4], 0x80000 - 40);
    assert_int_equal(h_rd64(h, 0x80000 - 40), 0x401234);
    assert_int_equal(h_rd64(h, 0x80000 - 32), H_SEL_CS64_3);
    assert_int_equal(h_rd64(h, 0x80000 - 24), 0x202);
    assert_int_equal(h_rd64(h, 0x80000 - 16), 0x7fff12345671ull);
    assert_int_equal(h_rd64(h, 0x80000 - 8), H_SEL_DS_3);
    assert_int_equal(c->cpl, 0);
    assert_int_equal(c->seg[SEG_SS].sel, 0);
    assert_int_equal(c->seg[SEG_CS].sel, H_SEL_CS64);
    assert_int_equal(cpu_get_rflags(c), 0x202);
    assert_int_equal(c->mode, CPU_MODE_LONG64);
    assert_int_equal(c->n_interrupts, 1);
}

/* A gate with IST = 1 switches to IST1 even without a privilege change. */
static void test_ist(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, EXC_NMI, H_SEL_CS64, HANDLER, 0xe, 0, 1, true);
    c->gpr[4] = 0x70000;
    assert_true(h_deliver(h, EXC_NMI, EXC_NO_ERROR, INTR_NMI, 0x401000, 0x401000));
    assert_int_equal(c->gpr[4], 0x90000 - 40);
    assert_int_equal(h_rd64(h, 0x90000 - 16), 0x70000);
    assert_true(c->in_nmi);
}

/* INT n through a DPL-0 gate at CPL 3: #GP(vector * 8 + 2), EXT = 0, RIP of the INT. */
static void test_int_dpl_check(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, 0x80, H_SEL_CS64, HANDLER, 0xe, 0, 0, true);
    h_gate64(h, EXC_GP, H_SEL_CS64, HANDLER + 0x10, 0xe, 0, 0, true);
    h_user64(h);
    c->gpr[4] = 0x60000;
    assert_true(h_deliver(h, 0x80, EXC_NO_ERROR, INTR_SOFTWARE, 0x401002, 0x401000));
    assert_int_equal(c->rip, HANDLER + 0x10);
    assert_int_equal(c->gpr[4], 0x80000 - 48);
    assert_int_equal(h_rd64(h, 0x80000 - 48), 0x80 * 8 + 2);
    assert_int_equal(h_rd64(h, 0x80000 - 40), 0x401000);
    assert_int_equal(c->n_exceptions[EXC_GP], 1);
}

/* A not-present gate for an external interrupt: #NP(vector * 8 + 2 + EXT). */
static void test_np_gate_ext(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, 0x21, H_SEL_CS64, HANDLER, 0xe, 0, 0, false);
    h_gate64(h, EXC_NP, H_SEL_CS64, HANDLER + 0x20, 0xe, 0, 0, true);
    c->gpr[4] = 0x70000;
    assert_true(h_deliver(h, 0x21, EXC_NO_ERROR, INTR_EXTERNAL, 0x401000, 0x401000));
    assert_int_equal(c->rip, HANDLER + 0x20);
    assert_int_equal(h_rd64(h, 0x70000 - 48), 0x21 * 8 + 3);
}

/* #PF whose gate is absent: #NP during #PF delivery is a double fault (#DF, error 0, IST1). */
static void test_double_fault(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, EXC_PF, H_SEL_CS64, HANDLER, 0xe, 0, 0, false);
    h_gate64(h, EXC_DF, H_SEL_CS64, HANDLER + 0x80, 0xe, 0, 1, true);
    c->gpr[4] = 0x70000;
    assert_true(h_deliver(h, EXC_PF, 0x0, INTR_EXCEPTION, 0x401000, 0x401000));
    assert_int_equal(c->rip, HANDLER + 0x80);
    assert_int_equal(c->gpr[4], 0x90000 - 48);
    assert_int_equal(h_rd64(h, 0x90000 - 48), 0);
    assert_int_equal(c->n_exceptions[EXC_DF], 1);
    assert_int_equal(c->n_exceptions[EXC_PF], 0);
}

/* Benign first event (#UD) then a contributory fault: delivered serially, no #DF. */
static void test_benign_then_np(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, EXC_UD, H_SEL_CS64, HANDLER, 0xe, 0, 0, false);
    h_gate64(h, EXC_NP, H_SEL_CS64, HANDLER + 0x20, 0xe, 0, 0, true);
    c->gpr[4] = 0x70000;
    assert_true(h_deliver(h, EXC_UD, EXC_NO_ERROR, INTR_EXCEPTION, 0x401000, 0x401000));
    assert_int_equal(c->rip, HANDLER + 0x20);
    assert_int_equal(h_rd64(h, 0x70000 - 48), EXC_UD * 8 + 3);
    assert_int_equal(c->n_exceptions[EXC_DF], 0);
}

/* #GP with no usable gates at all: #GP -> #DF -> triple fault (shutdown). */
static void test_triple_fault(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    c->idtr.limit = 0;
    assert_false(h_deliver(h, EXC_GP, 0, INTR_EXCEPTION, 0x401000, 0x401000));
    assert_true(c->is_shutdown);
}

/* The code selector of a gate names a data segment: #GP(selector + EXT). */
static void test_gate_bad_cs(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_gate64(h, 0x30, H_SEL_DS, HANDLER, 0xe, 0, 0, true);
    h_gate64(h, EXC_GP, H_SEL_CS64, HANDLER + 0x10, 0xe, 0, 0, true);
    c->gpr[4] = 0x70000;
    assert_true(h_deliver(h, 0x30, EXC_NO_ERROR, INTR_EXTERNAL, 0x401000, 0x401000));
    assert_int_equal(c->rip, HANDLER + 0x10);
    assert_int_equal(h_rd64(h, 0x70000 - 48), H_SEL_DS | EXC_ERR_EXT);
}

/* 32-bit protected mode, same privilege: EFLAGS CS EIP error as 32-bit values. */
static void test_prot32_same_priv(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_prot32(h);
    h_gate32(h, EXC_GP, H_SEL_CS32, 0x123456, 0xe, 0, true);
    c->gpr[4] = 0x50000;
    cpu_set_rflags(c, 0x10246);
    assert_true(h_deliver(h, EXC_GP, 0x18, INTR_EXCEPTION, 0x2000, 0x2000));
    assert_int_equal(c->gpr[4], 0x50000 - 16);
    assert_int_equal(h_rd32(h, 0x50000 - 16), 0x18);
    assert_int_equal(h_rd32(h, 0x50000 - 12), 0x2000);
    assert_int_equal(h_rd32(h, 0x50000 - 8), H_SEL_CS32);
    assert_int_equal(h_rd32(h, 0x50000 - 4), 0x10246);
    assert_int_equal(c->rip, 0x123456);
    assert_int_equal(cpu_get_rflags(c), 0x046); /* IF, RF cleared */
    assert_int_equal(c->mode, CPU_MODE_PROT32);
}

/* 32-bit protected mode, CPL 3 -> 0: SS0:ESP0 from the 32-bit TSS, SS and ESP pushed. */
static void test_prot32_outer(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_prot32(h);
    h_gate32(h, 0x40, H_SEL_CS32, 0x1000, 0xf, 3, true);
    h_wr32(h, H_TSS + 4, 0x66000);
    h_wr16(h, H_TSS + 8, H_SEL_DS);
    seg_cache_from_desc(&c->seg[SEG_CS], H_SEL_CS32_3, H_DESC_CS32_3);
    seg_cache_from_desc(&c->seg[SEG_SS], H_SEL_DS_3, H_DESC_DS_3);
    cpu_update_mode(c);
    assert_int_equal(c->cpl, 3);
    c->gpr[4] = 0x12345678;
    cpu_set_rflags(c, 0x202);
    assert_true(h_deliver(h, 0x40, EXC_NO_ERROR, INTR_SOFTWARE, 0x3002, 0x3000));
    assert_int_equal(c->gpr[4], 0x66000 - 20);
    assert_int_equal(h_rd32(h, 0x66000 - 20), 0x3002);
    assert_int_equal(h_rd32(h, 0x66000 - 16), H_SEL_CS32_3);
    assert_int_equal(h_rd32(h, 0x66000 - 12), 0x202);
    assert_int_equal(h_rd32(h, 0x66000 - 8), 0x12345678);
    assert_int_equal(h_rd32(h, 0x66000 - 4), H_SEL_DS_3);
    assert_int_equal(c->seg[SEG_SS].sel, H_SEL_DS);
    assert_int_equal(c->cpl, 0);
    assert_int_equal(cpu_get_rflags(c), 0x202); /* trap gate: IF kept */
}

/* Real mode: IVT entry seg:off, FLAGS CS IP pushed as 16-bit values, IF and TF cleared. */
static void test_real_mode(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_real_mode(h);
    h_wr16(h, 8 * 4, 0x5678);
    h_wr16(h, 8 * 4 + 2, 0x1234);
    c->seg[SEG_SS].sel = 0x100;
    c->seg[SEG_SS].base = 0x1000;
    c->gpr[4] = 0x7c00;
    c->seg[SEG_CS].sel = 0x2000;
    c->seg[SEG_CS].base = 0x20000;
    cpu_set_rflags(c, 0x302);
    assert_true(h_deliver(h, 8, 0, INTR_EXCEPTION, 0x0123, 0x0123));
    assert_int_equal(c->gpr[4], 0x7bfa);
    assert_int_equal(h_rd16(h, 0x1000 + 0x7bfa), 0x0123);
    assert_int_equal(h_rd16(h, 0x1000 + 0x7bfc), 0x2000);
    assert_int_equal(h_rd16(h, 0x1000 + 0x7bfe), 0x0302);
    assert_int_equal(c->seg[SEG_CS].sel, 0x1234);
    assert_int_equal(c->seg[SEG_CS].base, 0x12340);
    assert_int_equal(c->rip, 0x5678);
    assert_int_equal(cpu_get_rflags(c), 0x002);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pf_cpl0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_irq_from_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_dpl_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_np_gate_ext, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_benign_then_np, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triple_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gate_bad_cs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prot32_same_priv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prot32_outer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_mode, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
