/* SPDX-License-Identifier: MIT */
/* Tests of core/exec_mov.c: MOV forms, MOVZX/MOVSX/MOVSXD, LEA, XCHG, NOP/PAUSE, CMPXCHG,
 * XADD, CMPXCHG8B/16B, MOVBE, faults and page-crossing accesses; and of core/exec_misc.c
 * (hint NOPs, XLAT). */
#include "tests/unit/core/exec_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8 };

#define J 0x0123456789abcdefull /* junk for upper register bits */

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

static bool zf(struct xenv *e)
{
    return cpu_get_rflags(e->c) & RFLAGS_ZF;
}

static void test_mov_reg_reg(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RAX] = J;
    r[RCX] = 0xfedcba9876543210ull;
    assert_int_equal(XE_EXEC(e, 0x48, 0x89, 0xc8), XE_NONE); /* mov rax, rcx */
    assert_true(r[RAX] == 0xfedcba9876543210ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x89, 0xc8), XE_NONE); /* mov eax, ecx: zero-extends */
    assert_true(r[RAX] == 0x76543210ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x66, 0x89, 0xc8), XE_NONE); /* mov ax, cx */
    assert_true(r[RAX] == 0x0123456789ab3210ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x8b, 0xc1), XE_NONE); /* mov eax, ecx (8B form) */
    assert_true(r[RAX] == 0x76543210ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8b, 0xc1), XE_NONE); /* mov rax, rcx (8B form) */
    assert_true(r[RAX] == 0xfedcba9876543210ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x88, 0xcc), XE_NONE); /* mov ah, cl */
    assert_true(r[RAX] == 0x0123456789ab10efull);
    r[RSP] = J;
    assert_int_equal(XE_EXEC(e, 0x40, 0x88, 0xcc), XE_NONE); /* mov spl, cl */
    assert_true(r[RSP] == 0x0123456789abcd10ull);
    r[RDX] = J;
    assert_int_equal(XE_EXEC(e, 0x8a, 0xf5), XE_NONE); /* mov dh, ch */
    assert_true(r[RDX] == 0x0123456789ab32efull);
    r[RAX] = J;
    r[R8] = 0x1111111111111111ull;
    assert_int_equal(XE_EXEC(e, 0x4c, 0x89, 0xc0), XE_NONE); /* mov rax, r8 */
    assert_true(r[RAX] == 0x1111111111111111ull);
    r[RSP] = XE_STACK;
}

static void test_mov_mem(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    xe_wr64(e, XE_DATA + 8, 0x8877665544332211ull);
    r[RBX] = XE_DATA;
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8b, 0x43, 0x08), XE_NONE); /* mov rax, [rbx+8] */
    assert_true(r[RAX] == 0x8877665544332211ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x8b, 0x43, 0x08), XE_NONE); /* mov eax, [rbx+8] */
    assert_true(r[RAX] == 0x44332211ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x66, 0x8b, 0x43, 0x08), XE_NONE); /* mov ax, [rbx+8] */
    assert_true(r[RAX] == 0x0123456789ab2211ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x8a, 0x63, 0x09), XE_NONE); /* mov ah, [rbx+9] */
    assert_true(r[RAX] == 0x0123456789ab22efull);
    /* SIB: mov rax, [rbx + rcx*8 - 8] */
    r[RCX] = 2;
    r[RAX] = 0;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8b, 0x44, 0xcb, 0xf8), XE_NONE);
    assert_true(r[RAX] == 0x8877665544332211ull);
    /* RIP-relative: mov rax, [rip + d] with d reaching XE_DATA + 8 from the next insn. */
    {
        u64 next = e->c->rip + 7;
        i32 d = (i32)(XE_DATA + 8 - next);
        u8 b[7] = {0x48, 0x8b, 0x05, (u8)d, (u8)(d >> 8), (u8)(d >> 16), (u8)(d >> 24)};

        r[RAX] = 0;
        assert_int_equal(xe_exec(e, b, 7), XE_NONE);
        assert_true(r[RAX] == 0x8877665544332211ull);
        d -= 7; /* RIP moved on by one instruction */
        memcpy(b + 3, &d, 4);
        b[0] = 0x40; /* mov eax, [rip + d] */
        r[RAX] = J;
        assert_int_equal(xe_exec(e, b, 7), XE_NONE);
        assert_true(r[RAX] == 0x44332211ull);
    }
    /* Stores. */
    r[RAX] = 0xa1a2a3a4a5a6a7a8ull;
    assert_int_equal(XE_EXEC(e, 0x48, 0x89, 0x43, 0x10), XE_NONE); /* mov [rbx+16], rax */
    assert_true(xe_rd64(e, XE_DATA + 16) == 0xa1a2a3a4a5a6a7a8ull);
    assert_int_equal(XE_EXEC(e, 0x89, 0x4b, 0x10), XE_NONE); /* mov [rbx+16], ecx */
    assert_true(xe_rd64(e, XE_DATA + 16) == 0xa1a2a3a400000002ull);
    assert_int_equal(XE_EXEC(e, 0x66, 0x89, 0x43, 0x10), XE_NONE); /* mov [rbx+16], ax */
    assert_true(xe_rd64(e, XE_DATA + 16) == 0xa1a2a3a40000a7a8ull);
    assert_int_equal(XE_EXEC(e, 0x88, 0x63, 0x13), XE_NONE); /* mov [rbx+19], ah */
    assert_true(xe_rd64(e, XE_DATA + 16) == 0xa1a2a3a4a700a7a8ull);
    assert_int_equal(XE_EXEC(e, 0x40, 0x88, 0x73, 0x17), XE_NONE); /* mov [rbx+23], sil */
    assert_true(xe_rd64(e, XE_DATA + 16) == (0x00a2a3a4a700a7a8ull | ((r[RSI] & 0xff) << 56)));
    /* 32-bit address size: [ebx+8] ignores RBX's upper half. */
    r[RBX] = 0xffffffff00000000ull | XE_DATA;
    r[RAX] = 0;
    assert_int_equal(XE_EXEC(e, 0x67, 0x48, 0x8b, 0x43, 0x08), XE_NONE);
    assert_true(r[RAX] == 0x8877665544332211ull);
}

static void test_mov_imm(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA, J);
    assert_int_equal(XE_EXEC(e, 0x48, 0xc7, 0x03, 0xfe, 0xff, 0xff, 0xff), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA) == 0xfffffffffffffffeull); /* sign-extended imm32 */
    assert_int_equal(XE_EXEC(e, 0xc7, 0x03, 0x78, 0x56, 0x34, 0x12), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA) == 0xffffffff12345678ull);
    assert_int_equal(XE_EXEC(e, 0x66, 0xc7, 0x03, 0xcd, 0xab), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA) == 0xffffffff1234abcdull);
    assert_int_equal(XE_EXEC(e, 0xc6, 0x43, 0x07, 0x5a), XE_NONE); /* mov byte [rbx+7], 0x5a */
    assert_true(xe_rd64(e, XE_DATA) == 0x5affffff1234abcdull);
    r[RCX] = J;
    assert_int_equal(XE_EXEC(e, 0xc7, 0xc1, 0x01, 0x00, 0x00, 0x80), XE_NONE); /* mov ecx, imm */
    assert_true(r[RCX] == 0x80000001ull);
    r[RCX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0xc7, 0xc1, 0x01, 0x00, 0x00, 0x80), XE_NONE);
    assert_true(r[RCX] == 0xffffffff80000001ull);
    assert_int_equal(XE_EXEC(e, 0xc6, 0xc5, 0x77), XE_NONE); /* mov ch, 0x77 */
    assert_true(r[RCX] == 0xffffffff80007701ull);
    /* B8+r */
    r[RDX] = J;
    assert_int_equal(XE_EXEC(e, 0xba, 0x44, 0x33, 0x22, 0x11), XE_NONE); /* mov edx, imm32 */
    assert_true(r[RDX] == 0x11223344ull);
    assert_int_equal(XE_EXEC(e, 0x48, 0xba, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
                     XE_NONE);
    assert_true(r[RDX] == 0x1122334455667788ull);
    assert_int_equal(XE_EXEC(e, 0x66, 0xba, 0xff, 0xee), XE_NONE); /* mov dx, imm16 */
    assert_true(r[RDX] == 0x112233445566eeffull);
    assert_int_equal(XE_EXEC(e, 0xb6, 0x99), XE_NONE); /* mov dh, 0x99 */
    assert_true(r[RDX] == 0x11223344556699ffull);
    r[R8] = J;
    assert_int_equal(XE_EXEC(e, 0x41, 0xb0, 0x42), XE_NONE); /* mov r8b, 0x42 */
    assert_true(r[R8] == 0x0123456789abcd42ull);
    r[RSI] = J;
    assert_int_equal(XE_EXEC(e, 0x40, 0xb6, 0x42), XE_NONE); /* mov sil, 0x42 */
    assert_true(r[RSI] == 0x0123456789abcd42ull);
}

static void test_mov_moffs(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    u64 a = XE_DATA + 0x20;
    u8 b[10] = {0x48, 0xa1};

    xe_wr64(e, a, 0x0102030405060708ull);
    memcpy(b + 2, &a, 8);
    r[RAX] = 0;
    assert_int_equal(xe_exec(e, b, 10), XE_NONE); /* mov rax, [moffs64] */
    assert_true(r[RAX] == 0x0102030405060708ull);
    b[0] = 0xa2; /* mov [moffs64], al */
    memcpy(b + 1, &a, 8);
    r[RAX] = 0xff;
    assert_int_equal(xe_exec(e, b, 9), XE_NONE);
    assert_true(xe_rd64(e, a) == 0x01020304050607ffull);
    b[0] = 0xa1; /* mov eax, [moffs64] */
    r[RAX] = J;
    assert_int_equal(xe_exec(e, b, 9), XE_NONE);
    assert_true(r[RAX] == 0x050607ffull);
    /* 67: 32-bit moffs */
    {
        u8 b32[6] = {0x67, 0xa3, (u8)a, (u8)(a >> 8), (u8)(a >> 16), (u8)(a >> 24)};

        r[RAX] = 0xdeadbeef;
        assert_int_equal(xe_exec(e, b32, 6), XE_NONE); /* mov [moffs32], eax */
        assert_true(xe_rd64(e, a) == 0x01020304deadbeefull);
    }
}

static void test_mov_movzx_movsx(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA, 0x00000000f00d8a81ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb6, 0x03), XE_NONE); /* movzx eax, byte [rbx] */
    assert_true(r[RAX] == 0x81);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb7, 0x03), XE_NONE); /* movzx eax, word [rbx] */
    assert_true(r[RAX] == 0x8a81);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xbe, 0x03), XE_NONE); /* movsx rax, byte [rbx] */
    assert_true(r[RAX] == 0xffffffffffffff81ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xbe, 0x03), XE_NONE); /* movsx eax, byte [rbx] */
    assert_true(r[RAX] == 0xffffff81ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xbf, 0x03), XE_NONE); /* movsx eax, word [rbx] */
    assert_true(r[RAX] == 0xffff8a81ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x66, 0x0f, 0xbe, 0x03), XE_NONE); /* movsx ax, byte [rbx] */
    assert_true(r[RAX] == 0x0123456789abff81ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x66, 0x0f, 0xb6, 0x03), XE_NONE); /* movzx ax, byte [rbx] */
    assert_true(r[RAX] == 0x0123456789ab0081ull);
    /* Register sources, AH and friends. */
    r[RCX] = 0x8000f0e1ull;
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb6, 0xc5), XE_NONE); /* movzx eax, ch */
    assert_true(r[RAX] == 0xf0);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x40, 0x0f, 0xb6, 0xc5), XE_NONE); /* movzx eax, bpl */
    assert_true(r[RAX] == (r[RBP] & 0xff));
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xbe, 0xc5), XE_NONE); /* movsx rax, bpl */
    assert_true(r[RAX] == (u64)(i64)(i8)r[RBP]);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xbe, 0xc5), XE_NONE); /* movsx eax, ch */
    assert_true(r[RAX] == 0xfffffff0ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb7, 0xc1), XE_NONE); /* movzx eax, cx */
    assert_true(r[RAX] == 0xf0e1);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xbf, 0xc1), XE_NONE); /* movsx rax, cx */
    assert_true(r[RAX] == 0xfffffffffffff0e1ull);
    /* MOVSXD */
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x63, 0xc1), XE_NONE); /* movsxd rax, ecx */
    assert_true(r[RAX] == 0xffffffff8000f0e1ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x63, 0x03), XE_NONE); /* movsxd rax, [rbx] */
    assert_true(r[RAX] == 0xfffffffff00d8a81ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x63, 0xc1), XE_NONE); /* movsxd eax, ecx: a 32-bit move */
    assert_true(r[RAX] == 0x8000f0e1ull);
}

static void test_mov_lea(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RBX] = 0x1000;
    r[RCX] = 3;
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8d, 0x44, 0xcb, 0x10),
                     XE_NONE); /* lea rax,[rbx+rcx*8+16] */
    assert_true(r[RAX] == 0x1028);
    assert_int_equal(XE_EXEC(e, 0x48, 0x8d, 0x43, 0xf0), XE_NONE); /* lea rax, [rbx-16] */
    assert_true(r[RAX] == 0xff0);
    r[RBX] = 0xffffffff00000000ull;
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x8d, 0x43, 0xff), XE_NONE); /* lea eax, [rbx-1] */
    assert_true(r[RAX] == 0xffffffffull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x8d, 0x44, 0x8b, 0x05), XE_NONE); /* lea eax,[rbx+rcx*4+5] */
    assert_true(r[RAX] == 17);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x66, 0x8d, 0x43, 0xff), XE_NONE); /* lea ax, [rbx-1] */
    assert_true(r[RAX] == 0x0123456789abffffull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8d, 0x04, 0x8d, 0x10, 0, 0, 0), XE_NONE); /* [rcx*4+16] */
    assert_true(r[RAX] == 28);
    r[RBX] = 0xfffffff0ull;
    r[RCX] = 0x20;
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x67, 0x48, 0x8d, 0x04, 0x0b), XE_NONE); /* lea rax,[ebx+ecx] */
    assert_true(r[RAX] == 0x10); /* the 32-bit address wraps, then zero-extends */
    {
        u64 next = e->c->rip + 7;

        assert_int_equal(XE_EXEC(e, 0x48, 0x8d, 0x05, 0x00, 0x01, 0x00, 0x00), XE_NONE);
        assert_true(r[RAX] == next + 0x100);
    }
    assert_int_equal(XE_EXEC(e, 0x48, 0x8d, 0xc0), EXC_UD); /* lea with a register: #UD */
}

static void test_mov_xchg_nop(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RAX] = J;
    r[RCX] = 0x1111222233334444ull;
    assert_int_equal(XE_EXEC(e, 0x48, 0x87, 0xc8), XE_NONE); /* xchg rax, rcx */
    assert_true(r[RAX] == 0x1111222233334444ull && r[RCX] == J);
    assert_int_equal(XE_EXEC(e, 0x91), XE_NONE); /* xchg eax, ecx: both zero-extend */
    assert_true(r[RAX] == 0x89abcdefull && r[RCX] == 0x33334444ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x90), XE_NONE); /* nop: RAX untouched */
    assert_true(r[RAX] == J);
    assert_int_equal(XE_EXEC(e, 0x66, 0x90), XE_NONE);
    assert_int_equal(XE_EXEC(e, 0x48, 0x90), XE_NONE);
    assert_int_equal(XE_EXEC(e, 0xf3, 0x90), XE_NONE); /* pause */
    assert_true(r[RAX] == J);
    r[R8] = 5;
    assert_int_equal(XE_EXEC(e, 0x49, 0x90), XE_NONE); /* xchg r8, rax */
    assert_true(r[RAX] == 5 && r[R8] == J);
    r[RAX] = 0xaabb;
    assert_int_equal(XE_EXEC(e, 0x86, 0xe0), XE_NONE); /* xchg al, ah */
    assert_true(r[RAX] == 0xbbaa);
    /* Memory */
    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA, 0x5555666677778888ull);
    r[RCX] = J;
    assert_int_equal(XE_EXEC(e, 0x87, 0x0b), XE_NONE); /* xchg [rbx], ecx */
    assert_true(r[RCX] == 0x77778888ull);
    assert_true(xe_rd64(e, XE_DATA) == 0x5555666689abcdefull);
    assert_int_equal(XE_EXEC(e, 0xf0, 0x48, 0x87, 0x0b), XE_NONE); /* lock xchg [rbx], rcx */
    assert_true(r[RCX] == 0x5555666689abcdefull && xe_rd64(e, XE_DATA) == 0x77778888ull);
    /* A read-only page faults as a write, and nothing changes. */
    r[RBX] = XE_RO;
    r[RCX] = 1;
    assert_int_equal(XE_EXEC(e, 0x48, 0x87, 0x0b), EXC_PF);
    assert_true(e->c->exc_error & PF_W);
    assert_true(e->c->cr2 == XE_RO && r[RCX] == 1);
}

static void test_mov_cmpxchg(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA, 0x00000000000000aaull);
    /* Success, 32-bit memory: [rbx] = ecx, RAX untouched (upper half kept). */
    r[RAX] = 0xffffffff000000aaull;
    r[RCX] = 0x12345678;
    assert_int_equal(XE_EXEC(e, 0xf0, 0x0f, 0xb1, 0x0b), XE_NONE); /* lock cmpxchg [rbx],ecx */
    assert_true(zf(e));
    assert_true(xe_rd64(e, XE_DATA) == 0x12345678ull && r[RAX] == 0xffffffff000000aaull);
    /* Failure: EAX <- [rbx] (zero-extended), memory unchanged. */
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb1, 0x0b), XE_NONE);
    assert_true(!zf(e));
    assert_true(r[RAX] == 0x12345678ull && xe_rd64(e, XE_DATA) == 0x12345678ull);
    /* The flags are those of CMP EAX, [rbx]: 0xaa - 0x12345678 borrows. */
    r[RAX] = 0xaa;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb1, 0x0b), XE_NONE);
    assert_true(cpu_get_rflags(e->c) & RFLAGS_CF);
    /* Register destination, 32-bit: on failure the destination is not written at all. */
    r[RDX] = 0xdddddddd00000001ull;
    r[RAX] = 0xaaaaaaaa00000002ull;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb1, 0xca), XE_NONE); /* cmpxchg edx, ecx */
    assert_true(!zf(e));
    assert_true(r[RDX] == 0xdddddddd00000001ull && r[RAX] == 1);
    /* Success: the destination is written (zero-extended), RAX is not. */
    r[RAX] = 0xaaaaaaaa00000001ull;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb1, 0xca), XE_NONE);
    assert_true(zf(e));
    assert_true(r[RDX] == 0x12345678ull && r[RAX] == 0xaaaaaaaa00000001ull);
    /* 8-bit with AH-style registers: cmpxchg ch, dl (AL compared with CH). */
    r[RAX] = 0x33;
    r[RCX] = 0x3300;
    r[RDX] = 0x44;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xb0, 0xd5), XE_NONE);
    assert_true(zf(e) && r[RCX] == 0x4400);
    /* 64-bit memory, read-only page: #PF as a write even though the compare fails. */
    r[RBX] = XE_RO;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xb1, 0x0b), EXC_PF);
    assert_true(e->c->exc_error & PF_W);
    /* Lock on a register form: #UD. */
    assert_int_equal(XE_EXEC(e, 0xf0, 0x0f, 0xb1, 0xca), EXC_UD);
}

static void test_mov_xadd(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA, 0xfffffffffffffffeull);
    r[RCX] = 3;
    assert_int_equal(XE_EXEC(e, 0xf0, 0x48, 0x0f, 0xc1, 0x0b), XE_NONE); /* lock xadd [rbx],rcx */
    assert_true(xe_rd64(e, XE_DATA) == 1 && r[RCX] == 0xfffffffffffffffeull);
    assert_true(cpu_get_rflags(e->c) & RFLAGS_CF);
    assert_true(!zf(e));
    /* Register form with one register: the sum wins. */
    r[RAX] = 0x8000000000000021ull;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xc1, 0xc0), XE_NONE); /* xadd eax, eax */
    assert_true(r[RAX] == 0x42);
    r[RAX] = 5;
    r[RDX] = 7;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xc1, 0xd0), XE_NONE); /* xadd rax, rdx */
    assert_true(r[RAX] == 12 && r[RDX] == 5);
    r[RAX] = 0x80;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xc0, 0xc0), XE_NONE); /* xadd al, al */
    assert_true(r[RAX] == 0 && zf(e));
    assert_true(cpu_get_rflags(e->c) & RFLAGS_OF);
}

static void test_mov_cmpxchg8b_16b(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    r[RDI] = XE_DATA + 0x40;
    xe_wr64(e, XE_DATA + 0x40, 0x1111111122222222ull);
    xe_wr64(e, XE_DATA + 0x48, 0x3333333344444444ull);
    r[RAX] = 0xffffffff22222222ull;
    r[RDX] = 0xffffffff11111111ull;
    r[RBX] = 0xaaaaaaaabbbbbbbbull;
    r[RCX] = 0xccccccccddddddddull;
    assert_int_equal(XE_EXEC(e, 0xf0, 0x0f, 0xc7, 0x0f), XE_NONE); /* lock cmpxchg8b [rdi] */
    assert_true(zf(e));
    assert_true(xe_rd64(e, XE_DATA + 0x40) == 0xddddddddbbbbbbbbull);
    assert_true(r[RAX] == 0xffffffff22222222ull && r[RDX] == 0xffffffff11111111ull);
    assert_int_equal(XE_EXEC(e, 0x0f, 0xc7, 0x0f), XE_NONE); /* fails: EDX:EAX <- m64 */
    assert_true(!zf(e));
    assert_true(r[RAX] == 0xbbbbbbbbull && r[RDX] == 0xddddddddull);
    /* CMPXCHG16B */
    xe_wr64(e, XE_DATA + 0x40, 1);
    xe_wr64(e, XE_DATA + 0x48, 2);
    r[RAX] = 1;
    r[RDX] = 2;
    assert_int_equal(XE_EXEC(e, 0xf0, 0x48, 0x0f, 0xc7, 0x0f), XE_NONE);
    assert_true(zf(e));
    assert_true(xe_rd64(e, XE_DATA + 0x40) == 0xaaaaaaaabbbbbbbbull);
    assert_true(xe_rd64(e, XE_DATA + 0x48) == 0xccccccccddddddddull);
    r[RAX] = 1;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xc7, 0x0f), XE_NONE);
    assert_true(!zf(e));
    assert_true(r[RAX] == 0xaaaaaaaabbbbbbbbull && r[RDX] == 0xccccccccddddddddull);
    /* Not 16-byte aligned: #GP(0). */
    r[RDI] = XE_DATA + 0x48;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xc7, 0x0f), EXC_GP);
    assert_true(e->c->exc_error == 0);
    /* Register operand: #UD. */
    assert_int_equal(XE_EXEC(e, 0x0f, 0xc7, 0xc8), EXC_UD);
    /* The other ZF-neighbours survive: CF set before stays set. */
    cpu_set_rflags(e->c, RFLAGS_CF);
    r[RDI] = XE_DATA + 0x40;
    assert_int_equal(XE_EXEC(e, 0x0f, 0xc7, 0x0f), XE_NONE);
    assert_true(cpu_get_rflags(e->c) & RFLAGS_CF);
}

static void test_mov_cmpxchg16b_needs_cx16(void **state)
{
    struct xenv *e = xe_create("terrace,-cx16");

    (void)state;
    assert_non_null(e);
    e->c->gpr[RDI] = XE_DATA;
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0xc7, 0x0f), EXC_UD);
    assert_int_equal(XE_EXEC(e, 0x0f, 0xc7, 0x0f), XE_NONE); /* cmpxchg8b still there */
    xe_destroy(e);
}

static void test_mov_movbe(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    struct xenv *m;

    r[RBX] = XE_DATA;
    xe_wr64(e, XE_DATA, 0x0102030405060708ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x0f, 0x38, 0xf0, 0x03), XE_NONE); /* movbe eax, [rbx] */
    assert_true(r[RAX] == 0x08070605ull);
    assert_int_equal(XE_EXEC(e, 0x48, 0x0f, 0x38, 0xf0, 0x03), XE_NONE);
    assert_true(r[RAX] == 0x0807060504030201ull);
    r[RAX] = J;
    assert_int_equal(XE_EXEC(e, 0x66, 0x0f, 0x38, 0xf0, 0x03), XE_NONE); /* movbe ax, [rbx] */
    assert_true(r[RAX] == 0x0123456789ab0807ull);
    r[RCX] = 0x1122;
    assert_int_equal(XE_EXEC(e, 0x66, 0x0f, 0x38, 0xf1, 0x0b), XE_NONE); /* movbe [rbx], cx */
    assert_true(xe_rd64(e, XE_DATA) == 0x0102030405062211ull);
    assert_int_equal(XE_EXEC(e, 0x0f, 0x38, 0xf0, 0xc1), EXC_UD); /* register form */
    m = xe_create("minimal");
    assert_non_null(m);
    m->c->gpr[RBX] = XE_DATA;
    assert_int_equal(XE_EXEC(m, 0x0f, 0x38, 0xf0, 0x03), EXC_UD);
    xe_destroy(m);
}

static void test_mov_page_crossing_and_faults(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    u64 a = XE_DATA + PAGE_SIZE - 3;

    memset(xe_host(e, XE_DATA), 0, 2 * PAGE_SIZE);
    r[RBX] = a;
    r[RAX] = 0x1122334455667788ull;
    assert_int_equal(XE_EXEC(e, 0x48, 0x89, 0x03), XE_NONE); /* mov [rbx], rax */
    assert_true(xe_rd64(e, a) == 0x1122334455667788ull);
    r[RCX] = 0;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8b, 0x0b), XE_NONE);
    assert_true(r[RCX] == 0x1122334455667788ull);
    /* A store crossing into the read-only page: #PF at that page, nothing written. */
    a = XE_RO - 4;
    xe_wr64(e, a - 4, 0);
    r[RBX] = a;
    assert_int_equal(XE_EXEC(e, 0x48, 0x89, 0x03), EXC_PF);
    assert_true(e->c->cr2 == XE_RO);
    assert_true(e->c->exc_error == (PF_P | PF_W));
    assert_true(xe_rd64(e, a - 4) == 0);
    /* A load from the not-present page: #PF, destination unchanged. */
    r[RBX] = XE_NP + 8;
    r[RCX] = J;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8b, 0x0b), EXC_PF);
    assert_true(e->c->cr2 == XE_NP + 8 && e->c->exc_error == 0 && r[RCX] == J);
    /* A non-canonical address: #GP(0). */
    r[RBX] = 0x0000800000000000ull;
    assert_int_equal(XE_EXEC(e, 0x48, 0x8b, 0x0b), EXC_GP);
}

/* core/exec_misc.c: hint NOPs never touch their operand; XLAT. */
static void test_mov_misc_nops_xlat(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    u64 before[16];

    r[RAX] = XE_NP; /* operands pointing at the not-present page must not fault */
    memcpy(before, r, sizeof(before));
    assert_int_equal(XE_EXEC(e, 0x0f, 0x1f, 0x00), XE_NONE);             /* nop [rax] */
    assert_int_equal(XE_EXEC(e, 0x0f, 0x1f, 0x44, 0x00, 0x00), XE_NONE); /* nop [rax+rax] */
    assert_int_equal(XE_EXEC(e, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
                     XE_NONE);
    assert_int_equal(XE_EXEC(e, 0xf3, 0x0f, 0x1e, 0xfa), XE_NONE); /* endbr64 */
    assert_int_equal(XE_EXEC(e, 0xf3, 0x0f, 0x1e, 0xfb), XE_NONE); /* endbr32 */
    assert_int_equal(XE_EXEC(e, 0x0f, 0x18, 0x08), XE_NONE);       /* prefetcht0 [rax] */
    assert_int_equal(XE_EXEC(e, 0x0f, 0x0d, 0x08), XE_NONE);       /* prefetchw [rax] */
    assert_int_equal(XE_EXEC(e, 0x0f, 0x19, 0xc0), XE_NONE);       /* reserved NOP, reg form */
    assert_memory_equal(before, r, sizeof(before));
    /* xlat: AL <- [rbx + AL] */
    memcpy(xe_host(e, XE_DATA), "0123456789abcdef", 16);
    r[RBX] = XE_DATA;
    r[RAX] = 0x123400000000000bull;
    assert_int_equal(XE_EXEC(e, 0xd7), XE_NONE);
    assert_true(r[RAX] == 0x1234000000000062ull); /* 'b' */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mov_reg_reg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_mem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_imm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_moffs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_movzx_movsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_lea, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_xchg_nop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_cmpxchg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_xadd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_cmpxchg8b_16b, setup, teardown),
        cmocka_unit_test(test_mov_cmpxchg16b_needs_cx16),
        cmocka_unit_test_setup_teardown(test_mov_movbe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_page_crossing_and_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mov_misc_nops_xlat, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/mov", tests, NULL, NULL);
}
