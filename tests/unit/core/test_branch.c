/* SPDX-License-Identifier: MIT */
/* Tests of core/exec_branch.c: Jcc against every condition and flag producer, JMP, CALL, RET,
 * LOOP/LOOPE/LOOPNE, JrCXZ, canonical and CS-limit checks, and small programs via cpu_run(). */
#include "tests/unit/core/exec_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };

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

/* Run "jcc rel32" (0F 80+cc) at XE_CODE. Return: whether it was taken. */
static bool run_jcc(struct xenv *e, unsigned cc)
{
    u8 b[6] = {0x0f, (u8)(0x80 + cc), 0x00, 0x01, 0x00, 0x00};

    e->c->rip = XE_CODE;
    assert_int_equal(xe_exec(e, b, 6), XE_NONE);
    if (e->is_exit) {
        assert_true(e->c->rip == XE_CODE + 6 + 0x100);
        return true;
    }
    assert_true(e->c->rip == XE_CODE + 6);
    return false;
}

/* The conditions from explicit flag bits (SDM vol. 1 appendix B). */
static bool cond_of_flags(u64 f, unsigned cc)
{
    bool cf = f & RFLAGS_CF, zf = f & RFLAGS_ZF, sf = f & RFLAGS_SF, of = f & RFLAGS_OF;
    bool pf = f & RFLAGS_PF, r;

    switch (cc >> 1) {
    case 0:
        r = of;
        break;
    case 1:
        r = cf;
        break;
    case 2:
        r = zf;
        break;
    case 3:
        r = cf || zf;
        break;
    case 4:
        r = sf;
        break;
    case 5:
        r = pf;
        break;
    case 6:
        r = sf != of;
        break;
    default:
        r = zf || sf != of;
        break;
    }
    return (cc & 1) ? !r : r;
}

static void test_branch_jcc_explicit_flags(void **state)
{
    struct xenv *e = *state;

    for (u64 f = 0; f < 64; f++) {
        u64 fl = ((f & 1) ? RFLAGS_CF : 0) | ((f & 2) ? RFLAGS_ZF : 0) | ((f & 4) ? RFLAGS_SF : 0) |
                 ((f & 8) ? RFLAGS_OF : 0) | ((f & 16) ? RFLAGS_PF : 0) |
                 ((f & 32) ? RFLAGS_AF : 0);

        for (unsigned cc = 0; cc < 16; cc++) {
            cpu_set_rflags(e->c, fl);
            assert_int_equal(run_jcc(e, cc), cond_of_flags(fl, cc));
        }
    }
}

/* CMP a, b at every size: the relations themselves. */
static void test_branch_jcc_after_cmp(void **state)
{
    struct xenv *e = *state;
    static const u64 vals[] = {0,
                               1,
                               2,
                               0x7f,
                               0x80,
                               0xff,
                               0x7fff,
                               0x8000,
                               0xffff,
                               0x7fffffff,
                               0x80000000,
                               0xffffffff,
                               0x7fffffffffffffffull,
                               0x8000000000000000ull,
                               ~0ull,
                               0x1234};

    for (unsigned sz = SZ8; sz <= SZ64; sz++) {
        u64 m = sz == SZ64 ? ~0ull : (1ull << (8u << sz)) - 1;
        unsigned sh = 64 - (8u << sz);

        for (unsigned x = 0; x < ARRAY_LEN(vals); x++) {
            for (unsigned y = 0; y < ARRAY_LEN(vals); y++) {
                u64 a = vals[x], b = vals[y];
                i64 sa = (i64)(a << sh) >> sh, sb = (i64)(b << sh) >> sh;
                bool expect[16] = {
                    [CC_B] = (a & m) < (b & m),
                    [CC_AE] = (a & m) >= (b & m),
                    [CC_E] = (a & m) == (b & m),
                    [CC_NE] = (a & m) != (b & m),
                    [CC_BE] = (a & m) <= (b & m),
                    [CC_A] = (a & m) > (b & m),
                    [CC_L] = sa<sb, [CC_GE] = sa >= sb, [CC_LE] = sa <= sb, [CC_G] = sa> sb,
                };

                for (unsigned cc = 0; cc < 16; cc++) {
                    /* Operands recorded unmasked on purpose: consumers must cope. */
                    flags_set(e->c, FLAGS_OP_SUB, sz, a - b, a, b);
                    if (cc == CC_O || cc == CC_NO || cc == CC_P || cc == CC_NP || cc == CC_S ||
                        cc == CC_NS) {
                        bool ref = cpu_cond(e->c, (enum cond_code)cc);

                        assert_int_equal(run_jcc(e, cc), ref);
                    } else {
                        assert_int_equal(run_jcc(e, cc), expect[cc]);
                    }
                }
            }
        }
    }
}

/* Every lazy producer: the inline paths agree with cpu_cond(). */
static void test_branch_jcc_matches_cpu_cond(void **state)
{
    struct xenv *e = *state;
    static const u64 vals[] = {0,          1,
                               0x80,       0xff,
                               0x8000,     0x80000000,
                               0xffffffff, 0x8000000000000000ull,
                               ~0ull,      0x5a5a5a5a5a5a5a5aull};
    static const enum flags_op ops[] = {FLAGS_OP_ADD, FLAGS_OP_SUB, FLAGS_OP_LOGIC,
                                        FLAGS_OP_INC, FLAGS_OP_DEC, FLAGS_OP_NEG};

    for (unsigned k = 0; k < ARRAY_LEN(ops); k++)
        for (unsigned sz = SZ8; sz <= SZ64; sz++)
            for (unsigned x = 0; x < ARRAY_LEN(vals); x++)
                for (unsigned y = 0; y < ARRAY_LEN(vals); y++)
                    for (unsigned cc = 0; cc < 16; cc++) {
                        u64 a = vals[x], b = vals[y], res;

                        switch (ops[k]) {
                        case FLAGS_OP_ADD:
                            res = a + b;
                            break;
                        case FLAGS_OP_SUB:
                            res = a - b;
                            break;
                        case FLAGS_OP_LOGIC:
                            res = a & b;
                            break;
                        case FLAGS_OP_INC:
                            res = a + 1;
                            b &= 1; /* old CF */
                            break;
                        case FLAGS_OP_DEC:
                            res = a - 1;
                            b &= 1;
                            break;
                        default:
                            res = 0 - a;
                            break;
                        }
                        flags_set(e->c, ops[k], sz, res, a, b);
                        assert_int_equal(run_jcc(e, cc), cpu_cond(e->c, (enum cond_code)cc));
                    }
}

static void test_branch_jmp_call_ret(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xeb, 0xfe), XE_NONE); /* jmp $ */
    assert_true(e->is_exit && e->c->rip == XE_CODE);
    assert_int_equal(XE_EXEC(e, 0xe9, 0x00, 0xf0, 0xff, 0xff), XE_NONE); /* jmp -0x1000 */
    assert_true(e->c->rip == XE_CODE + 5 - 0x1000);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0x66, 0xe9, 0x10, 0x00, 0x00, 0x00), XE_NONE); /* 66 ignored */
    assert_true(e->c->rip == XE_CODE + 6 + 0x10);
    /* call rel32 */
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe8, 0x00, 0x02, 0x00, 0x00), XE_NONE);
    assert_true(e->is_exit && e->c->rip == XE_CODE + 5 + 0x200);
    assert_true(r[RSP] == XE_STACK - 8 && xe_rd64(e, XE_STACK - 8) == XE_CODE + 5);
    /* ret */
    assert_int_equal(XE_EXEC(e, 0xc3), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 5 && r[RSP] == XE_STACK);
    /* call rax; ret 16 */
    r[RAX] = XE_CODE + 0x300;
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xff, 0xd0), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 0x300 && xe_rd64(e, XE_STACK - 8) == XE_CODE + 2);
    assert_int_equal(XE_EXEC(e, 0xc2, 0x10, 0x00), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 2 && r[RSP] == XE_STACK + 16);
    r[RSP] = XE_STACK;
    /* call [rbx+8]; jmp [rbx+8]; jmp rcx */
    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA + 8, XE_CODE + 0x400);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xff, 0x53, 0x08), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 0x400 && xe_rd64(e, XE_STACK - 8) == XE_CODE + 3);
    r[RSP] = XE_STACK;
    assert_int_equal(XE_EXEC(e, 0xff, 0x63, 0x08), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 0x400 && r[RSP] == XE_STACK);
    r[RCX] = XE_CODE + 0x500;
    assert_int_equal(XE_EXEC(e, 0xff, 0xe1), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 0x500);
    /* call [rsp]: the target is read before the push. */
    xe_wr64(e, XE_STACK, XE_CODE + 0x600);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xff, 0x14, 0x24), XE_NONE);
    assert_true(e->c->rip == XE_CODE + 0x600 && r[RSP] == XE_STACK - 8);
    r[RSP] = XE_STACK;
    /* call rsp: the old RSP is the target. */
    assert_int_equal(XE_EXEC(e, 0xff, 0xd4), XE_NONE);
    assert_true(e->c->rip == XE_STACK && r[RSP] == XE_STACK - 8);
    r[RSP] = XE_STACK;
}

static void test_branch_faults(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    /* Non-canonical targets: #GP(0) with nothing changed. */
    e->c->rip = XE_CODE;
    r[RAX] = 0x0000800000000000ull;
    assert_int_equal(XE_EXEC(e, 0xff, 0xe0), EXC_GP); /* jmp rax */
    assert_int_equal(XE_EXEC(e, 0xff, 0xd0), EXC_GP); /* call rax */
    assert_true(r[RSP] == XE_STACK);
    xe_wr64(e, XE_STACK, 0xffff7fffffffffffull);
    assert_int_equal(XE_EXEC(e, 0xc3), EXC_GP); /* ret */
    assert_true(r[RSP] == XE_STACK && e->c->rip == XE_CODE);
    /* Canonical high-half targets are fine. */
    r[RAX] = 0xffff800000001000ull;
    assert_int_equal(XE_EXEC(e, 0xff, 0xe0), XE_NONE);
    assert_true(e->c->rip == 0xffff800000001000ull);
    e->c->rip = XE_CODE;
    /* call with the push faulting: RSP and RIP unchanged. */
    r[RSP] = XE_NP + 8;
    assert_int_equal(XE_EXEC(e, 0xe8, 0, 0, 0, 0), EXC_PF);
    assert_true(r[RSP] == XE_NP + 8 && e->c->cr2 == XE_NP);
    /* ret popping from a not-present page */
    assert_int_equal(XE_EXEC(e, 0xc3), EXC_PF);
    assert_true(r[RSP] == XE_NP + 8);
    r[RSP] = XE_STACK;
}

static void test_branch_loop_jrcxz(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    int n_taken = 0;

    r[RCX] = 3;
    for (int k = 0; k < 3; k++) {
        e->c->rip = XE_CODE;
        assert_int_equal(XE_EXEC(e, 0xe2, 0xfe), XE_NONE); /* loop $ */
        n_taken += e->is_exit;
    }
    assert_int_equal(n_taken, 2);
    assert_true(r[RCX] == 0 && e->c->rip == XE_CODE + 2);
    /* 67: ECX counts, the upper half is cleared by the write. */
    r[RCX] = 0x100000001ull;
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0x67, 0xe2, 0xfd), XE_NONE);
    assert_true(!e->is_exit && r[RCX] == 0);
    r[RCX] = 0;
    assert_int_equal(XE_EXEC(e, 0xe2, 0xfe), XE_NONE); /* 0 - 1: loops 2^64 - 1 more */
    assert_true(e->is_exit && r[RCX] == ~0ull);
    /* loope / loopne */
    r[RCX] = 5;
    cpu_set_rflags(e->c, RFLAGS_ZF);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe1, 0x10), XE_NONE);
    assert_true(e->is_exit && e->c->rip == XE_CODE + 0x12 && r[RCX] == 4);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe0, 0x10), XE_NONE);
    assert_true(!e->is_exit && r[RCX] == 3);
    cpu_set_rflags(e->c, 0);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe1, 0x10), XE_NONE);
    assert_true(!e->is_exit && r[RCX] == 2);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe0, 0x10), XE_NONE);
    assert_true(e->is_exit && r[RCX] == 1);
    /* jrcxz / jecxz */
    r[RCX] = 0x100000000ull;
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe3, 0x10), XE_NONE); /* jrcxz: RCX != 0 */
    assert_true(!e->is_exit);
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0x67, 0xe3, 0x10), XE_NONE); /* jecxz: ECX == 0 */
    assert_true(e->is_exit && e->c->rip == XE_CODE + 0x13 && r[RCX] == 0x100000000ull);
}

/* Compatibility mode (32-bit code): 32-bit pushes, truncated targets, the CS limit. */
static void test_branch_compat32(void **state)
{
    struct xenv *e = *state;
    struct cpu *c = e->c;
    u64 *r = c->gpr;

    c->seg[SEG_CS].attr = (c->seg[SEG_CS].attr & ~SEG_ATTR_L) | SEG_ATTR_DB;
    cpu_update_mode(c);
    assert_int_equal(c->mode, CPU_MODE_COMPAT32);
    r[RSP] = 0xabcd000000000000ull | XE_STACK;
    c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe8, 0x00, 0x01, 0x00, 0x00), XE_NONE); /* call rel32 */
    assert_true(c->rip == XE_CODE + 5 + 0x100);
    assert_true(r[RSP] == XE_STACK - 4); /* ESP written: upper half cleared */
    assert_true((u32)xe_rd64(e, XE_STACK - 4) == XE_CODE + 5);
    assert_int_equal(XE_EXEC(e, 0xc3), XE_NONE);
    assert_true(c->rip == XE_CODE + 5 && r[RSP] == XE_STACK);
    /* 16-bit operand size: call pushes IP (2 bytes), target truncated to 16 bits. */
    c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0x66, 0xe8, 0x00, 0x01), XE_NONE);
    assert_true(c->rip == ((XE_CODE + 4 + 0x100) & 0xffff));
    assert_true(r[RSP] == XE_STACK - 2);
    r[RSP] = XE_STACK;
    /* Beyond the CS limit: #GP(0) before anything changes. */
    c->seg[SEG_CS].limit = XE_CODE + 0xfff;
    c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xe9, 0x00, 0x10, 0x00, 0x00), EXC_GP);
    assert_int_equal(XE_EXEC(e, 0xe8, 0x00, 0x10, 0x00, 0x00), EXC_GP);
    assert_true(r[RSP] == XE_STACK && c->rip == XE_CODE);
    assert_int_equal(XE_EXEC(e, 0x74, 0x10), XE_NONE); /* jz not taken: no check */
    cpu_set_rflags(c, RFLAGS_ZF);
    c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0x74, 0x10), XE_NONE); /* taken within the limit */
    assert_true(c->rip == XE_CODE + 0x12);
    c->seg[SEG_CS].limit = 0xffffffffu;
}

/* Whole programs through the decoder, the block cache and cpu_run(). */
static void test_branch_run(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    /*      mov ecx, 5
     * L:   lea eax, [rax + 1]
     *      loop L
     *      call F
     *      jmp $
     * F:   lea edx, [rax + 100]
     *      ret */
    static const u8 code[] = {0xb9, 0x05, 0x00, 0x00, 0x00, 0x8d, 0x40, 0x01, 0xe2, 0xfb, 0xe8,
                              0x02, 0x00, 0x00, 0x00, 0xeb, 0xfe, 0x8d, 0x50, 0x64, 0xc3};

    r[RAX] = 0;
    assert_int_equal(xe_run(e, XE_CODE + 0x800, code, sizeof(code), 200), CPU_EXIT_BUDGET);
    assert_true(r[RAX] == 5 && r[RCX] == 0 && r[RDX] == 105);
    assert_true(e->c->rip == XE_CODE + 0x800 + 15);
    assert_true(r[RSP] == XE_STACK);
    assert_true(e->c->icount >= 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_branch_jcc_explicit_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_jcc_after_cmp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_jcc_matches_cpu_cond, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_jmp_call_ret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_loop_jrcxz, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_compat32, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_run, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/branch", tests, NULL, NULL);
}
