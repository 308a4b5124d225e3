/* SPDX-License-Identifier: MIT */
/* Tests of core/exec_stack.c: PUSH/POP in all forms, PUSH/POP Sreg, ENTER with nesting
 * levels, LEAVE, PUSHA/POPA in 32-bit code, and restartability after faults. */
#include "tests/unit/core/exec_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R15 = 15 };

#define S XE_STACK

static int setup(void **state)
{
    *state = xe_create("terrace");
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    xe_destroy(*state);
    return 0;
}

static void test_stack_push_pop_reg(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RAX] = 0x1111111111111111ull;
    r[R15] = 0xf15f15f15f15f15full;
    assert_int_equal(XE_EXEC(e, 0x50), XE_NONE);       /* push rax */
    assert_int_equal(XE_EXEC(e, 0x41, 0x57), XE_NONE); /* push r15 */
    assert_true(r[RSP] == S - 16);
    assert_true(xe_rd64(e, S - 8) == r[RAX] && xe_rd64(e, S - 16) == r[R15]);
    assert_int_equal(XE_EXEC(e, 0x5b), XE_NONE);       /* pop rbx */
    assert_int_equal(XE_EXEC(e, 0x41, 0x58), XE_NONE); /* pop r8 */
    assert_true(r[RBX] == 0xf15f15f15f15f15full && r[R8] == 0x1111111111111111ull);
    assert_true(r[RSP] == S);
    /* push rsp pushes the value before the decrement; pop rsp loads the popped value. */
    assert_int_equal(XE_EXEC(e, 0x54), XE_NONE);
    assert_true(xe_rd64(e, S - 8) == S);
    xe_wr64(e, S - 8, 0x12345678);
    assert_int_equal(XE_EXEC(e, 0x5c), XE_NONE);
    assert_true(r[RSP] == 0x12345678);
    r[RSP] = S;
    /* 66: 16-bit push/pop in 64-bit mode. */
    r[RCX] = 0xaaaaaaaaaaaabeefull;
    assert_int_equal(XE_EXEC(e, 0x66, 0x51), XE_NONE);
    assert_true(r[RSP] == S - 2 && (xe_rd64(e, S - 8) >> 48) == 0xbeef);
    r[RDX] = 0x7777777777777777ull;
    assert_int_equal(XE_EXEC(e, 0x66, 0x5a), XE_NONE);
    assert_true(r[RSP] == S && r[RDX] == 0x777777777777beefull);
}

static void test_stack_push_imm_mem(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    assert_int_equal(XE_EXEC(e, 0x6a, 0xff), XE_NONE); /* push -1 */
    assert_true(r[RSP] == S - 8 && xe_rd64(e, S - 8) == ~0ull);
    assert_int_equal(XE_EXEC(e, 0x68, 0x00, 0x00, 0x00, 0x80), XE_NONE); /* push imm32 */
    assert_true(r[RSP] == S - 16 && xe_rd64(e, S - 16) == 0xffffffff80000000ull);
    assert_int_equal(XE_EXEC(e, 0x66, 0x68, 0x34, 0x12), XE_NONE); /* push imm16 */
    assert_true(r[RSP] == S - 18);
    r[RSP] = S;
    /* push [rbx+8] / pop [rbx+16] */
    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA + 8, 0x0123456789abcdefull);
    assert_int_equal(XE_EXEC(e, 0xff, 0x73, 0x08), XE_NONE);
    assert_true(xe_rd64(e, S - 8) == 0x0123456789abcdefull);
    assert_int_equal(XE_EXEC(e, 0x8f, 0x43, 0x10), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA + 16) == 0x0123456789abcdefull && r[RSP] == S);
    /* push [rsp]: the address uses RSP before the push. */
    xe_wr64(e, S, 0x5555);
    assert_int_equal(XE_EXEC(e, 0xff, 0x34, 0x24), XE_NONE);
    assert_true(xe_rd64(e, S - 8) == 0x5555);
    /* pop [rsp+8]: the address uses RSP after the pop (SDM "POP"). */
    xe_wr64(e, S - 8, 0x6666);
    assert_int_equal(XE_EXEC(e, 0x8f, 0x44, 0x24, 0x08), XE_NONE);
    assert_true(r[RSP] == S && xe_rd64(e, S + 8) == 0x6666);
    /* pop rcx as 8F /0 with a register */
    xe_wr64(e, S - 8, 0x77);
    r[RSP] = S - 8;
    assert_int_equal(XE_EXEC(e, 0x8f, 0xc1), XE_NONE);
    assert_true(r[RCX] == 0x77 && r[RSP] == S);
}

static void test_stack_faults_restart(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    /* Push into a not-present page: RSP unchanged. */
    r[RSP] = XE_NP + 8;
    assert_int_equal(XE_EXEC(e, 0x50), EXC_PF);
    assert_true(r[RSP] == XE_NP + 8 && e->c->cr2 == XE_NP);
    assert_int_equal(XE_EXEC(e, 0x6a, 0x01), EXC_PF);
    assert_true(r[RSP] == XE_NP + 8);
    /* Pop from it: RSP and the destination unchanged. */
    r[RAX] = 42;
    assert_int_equal(XE_EXEC(e, 0x58), EXC_PF);
    assert_true(r[RSP] == XE_NP + 8 && r[RAX] == 42);
    /* pop [rbx] into a read-only page: RSP unchanged, so the pop can be restarted. */
    r[RSP] = S - 8;
    xe_wr64(e, S - 8, 99);
    r[RBX] = XE_RO;
    assert_int_equal(XE_EXEC(e, 0x8f, 0x03), EXC_PF);
    assert_true(r[RSP] == S - 8 && (e->c->exc_error & PF_W));
    r[RBX] = XE_DATA;
    assert_int_equal(XE_EXEC(e, 0x8f, 0x03), XE_NONE);
    assert_true(r[RSP] == S && xe_rd64(e, XE_DATA) == 99);
    /* A push that crosses into the read-only page from above faults on it. */
    r[RSP] = XE_RO + PAGE_SIZE + 4;
    assert_int_equal(XE_EXEC(e, 0x50), EXC_PF);
    assert_true(r[RSP] == XE_RO + PAGE_SIZE + 4);
    r[RSP] = S;
}

static void test_stack_enter_leave(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RBP] = 0xb0b0;
    assert_int_equal(XE_EXEC(e, 0xc8, 0x20, 0x00, 0x00), XE_NONE); /* enter 32, 0 */
    assert_true(xe_rd64(e, S - 8) == 0xb0b0);
    assert_true(r[RBP] == S - 8 && r[RSP] == S - 8 - 32);
    assert_int_equal(XE_EXEC(e, 0xc9), XE_NONE); /* leave */
    assert_true(r[RBP] == 0xb0b0 && r[RSP] == S);
    /* Nesting level 3: copies two outer frame pointers, then pushes the new frame's. */
    r[RBP] = XE_DATA + 0x100;
    xe_wr64(e, XE_DATA + 0x100 - 8, 0xf1);
    xe_wr64(e, XE_DATA + 0x100 - 16, 0xf2);
    assert_int_equal(XE_EXEC(e, 0xc8, 0x10, 0x00, 0x03), XE_NONE); /* enter 16, 3 */
    assert_true(xe_rd64(e, S - 8) == XE_DATA + 0x100);             /* old rbp */
    assert_true(xe_rd64(e, S - 16) == 0xf1);
    assert_true(xe_rd64(e, S - 24) == 0xf2);
    assert_true(xe_rd64(e, S - 32) == S - 8); /* frame pointer of this frame */
    assert_true(r[RBP] == S - 8 && r[RSP] == S - 32 - 16);
    assert_int_equal(XE_EXEC(e, 0xc9), XE_NONE);
    assert_true(r[RBP] == XE_DATA + 0x100 && r[RSP] == S);
    /* Level 1: only the new frame pointer is pushed. Level 33 = 1 (mod 32). */
    assert_int_equal(XE_EXEC(e, 0xc8, 0x00, 0x00, 0x21), XE_NONE);
    assert_true(xe_rd64(e, S - 16) == S - 8 && r[RSP] == S - 16 && r[RBP] == S - 8);
    assert_int_equal(XE_EXEC(e, 0xc9), XE_NONE);
    assert_true(r[RSP] == S);
    /* ENTER faulting on a copied frame pointer leaves RSP/RBP as they were. */
    r[RBP] = XE_NP + 16;
    assert_int_equal(XE_EXEC(e, 0xc8, 0x00, 0x00, 0x02), EXC_PF);
    assert_true(r[RSP] == S && r[RBP] == XE_NP + 16);
    /* LEAVE with RBP in a not-present page: nothing changes. */
    assert_int_equal(XE_EXEC(e, 0xc9), EXC_PF);
    assert_true(r[RSP] == S && r[RBP] == XE_NP + 16);
}

static void test_stack_fs_gs(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    e->c->seg[SEG_FS].sel = 0x2b;
    xe_wr64(e, S - 8, ~0ull);
    assert_int_equal(XE_EXEC(e, 0x0f, 0xa0), XE_NONE); /* push fs: zero-extended to 8 bytes */
    assert_true(r[RSP] == S - 8 && xe_rd64(e, S - 8) == 0x2bull);
    /* 66 0F A0: a 16-bit push writes 2 bytes */
    xe_wr64(e, S - 8, ~0ull);
    assert_int_equal(XE_EXEC(e, 0x66, 0x0f, 0xa0), XE_NONE);
    assert_true(r[RSP] == S - 10 && xe_rd64(e, S - 8) == ~0ull &&
                xe_rd64(e, S - 10) == 0xffffffffffff002bull);
    r[RSP] = S - 8;
    xe_wr64(e, S - 8, 0);
    e->c->seg[SEG_GS].base = 0x1234;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xa9), XE_NONE); /* pop gs: null selector in 64-bit */
    assert_true(r[RSP] == S && e->c->seg[SEG_GS].sel == 0);
}

/* 32-bit code (compatibility mode, 32-bit stack): PUSHA/POPA, 32-bit pushes. */
static void test_stack_pusha_popa_compat32(void **state)
{
    struct xenv *e = *state;
    struct cpu *c = e->c;
    u64 *r = c->gpr;

    c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_L) | SEG_ATTR_DB;
    cpu_update_mode(c);
    assert_int_equal(c->stack_size, SZ32);
    for (unsigned k = 0; k < 8; k++)
        r[k] = 0x100000000ull * (k + 1) + 0x1000 * (k + 1);
    r[RSP] = S;
    assert_int_equal(XE_EXEC(e, 0x60), XE_NONE); /* pushad */
    assert_true(r[RSP] == S - 32);
    for (unsigned k = 0; k < 8; k++) {
        u32 v;

        memcpy(&v, xe_host(e, S - 4 - 4 * k), 4);
        assert_int_equal(v, k == RSP ? (u32)S : 0x1000 * (k + 1));
    }
    for (unsigned k = 0; k < 8; k++)
        if (k != RSP)
            r[k] = 0;
    assert_int_equal(XE_EXEC(e, 0x61), XE_NONE); /* popad */
    assert_true(r[RSP] == S);
    for (unsigned k = 0; k < 8; k++)
        if (k != RSP)
            assert_true(r[k] == 0x1000 * (k + 1));
    /* 16-bit pusha: 8 words */
    assert_int_equal(XE_EXEC(e, 0x66, 0x60), XE_NONE);
    assert_true(r[RSP] == S - 16);
    assert_int_equal(XE_EXEC(e, 0x66, 0x61), XE_NONE);
    assert_true(r[RSP] == S);
    /* push in 32-bit code writes 4 bytes and ESP */
    r[RAX] = 0xdddddddd11223344ull;
    assert_int_equal(XE_EXEC(e, 0x50), XE_NONE);
    assert_true(r[RSP] == S - 4 && (u32)xe_rd64(e, S - 4) == 0x11223344);
    assert_int_equal(XE_EXEC(e, 0x5b), XE_NONE);
    assert_true(r[RBX] == 0x11223344 && r[RSP] == S);
    /* push ds (selector 0x18 in 4 bytes); pop es with a null selector; pop ss null: #GP */
    xe_wr64(e, S - 8, ~0ull);
    assert_int_equal(XE_EXEC(e, 0x1e), XE_NONE);
    assert_true(r[RSP] == S - 4 && xe_rd64(e, S - 8) == 0x00000018ffffffffull);
    xe_wr64(e, S - 8, 0);
    assert_int_equal(XE_EXEC(e, 0x07), XE_NONE);
    assert_true(r[RSP] == S && c->seg[SEG_ES].sel == 0);
    r[RSP] = S - 4;
    assert_int_equal(XE_EXEC(e, 0x17), EXC_GP);
    assert_true(r[RSP] == S - 4 && c->intr_shadow == 0);
    r[RSP] = S;
    /* PUSHA is #UD in 64-bit mode, and so are the segment pushes but FS/GS. */
    c->seg[SEG_CS].attr |= SEG_ATTR_L;
    c->seg[SEG_CS].attr &= ~SEG_ATTR_DB;
    cpu_update_mode(c);
    assert_int_equal(XE_EXEC(e, 0x60), EXC_UD);
    assert_int_equal(XE_EXEC(e, 0x1e), EXC_UD);
    assert_int_equal(XE_EXEC(e, 0x1f), EXC_UD);
}

/* Stack addresses wrap at 16 bits with a 16-bit stack (SS.B = 0). */
static void test_stack_16bit_wrap(void **state)
{
    struct xenv *e = *state;
    struct cpu *c = e->c;
    u64 *r = c->gpr;

    c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_L) | SEG_ATTR_DB;
    c->seg[SEG_SS].attr &= ~SEG_ATTR_DB;
    c->seg[SEG_SS].base = XE_DATA;
    cpu_update_mode(c);
    assert_int_equal(c->stack_size, SZ16);
    r[RSP] = 0xabcd0002ull; /* SP = 2 */
    r[RAX] = 0x11223344;
    assert_int_equal(XE_EXEC(e, 0x50), XE_NONE); /* push eax: SP = 0xfffe */
    assert_true(r[RSP] == 0xabcdfffeull);
    assert_true((u32)xe_rd64(e, XE_DATA + 0xfffe) == 0x11223344);
    assert_int_equal(XE_EXEC(e, 0x59), XE_NONE); /* pop ecx: SP wraps to 2 */
    assert_true(r[RSP] == 0xabcd0002ull && r[RCX] == 0x11223344);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stack_push_pop_reg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_push_imm_mem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_faults_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_enter_leave, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_fs_gs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_pusha_popa_compat32, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stack_16bit_wrap, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/stack", tests, NULL, NULL);
}
