/* SPDX-License-Identifier: MIT */
/*
 * Tests of core/exec_x87.c: every x87 form runs natively on the host and in the emulator from
 * the same random FXSAVE state (random TOP, tags, precision and rounding control, values
 * biased to special encodings) and the resulting images, memory and flags must agree; plus
 * stack faults, unmasked exceptions and #MF, #NM, FNSTENV/FLDENV/FNSAVE/FRSTOR layouts.
 */
#include "core/fpu.h"
#include "fp_oracle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

struct fx {
    struct xenv *e;
    struct fo_host h;
    u64 seed;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    f->e = xe_create("terrace");
    assert_non_null(f->e);
    assert_true(fo_host_init(&f->h));
    f->seed = 0x2545f4914f6cdd1dull;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    fo_host_fini(&f->h);
    xe_destroy(f->e);
    free(f);
    return 0;
}

/* An 80-bit value biased to the interesting encodings (SDM vol. 1 8.2.2, table 8-3). */
static void rand_f80(u64 *s, u8 *out)
{
    u64 r = fo_rand(s), mant = fo_rand(s);
    u16 exp;

    switch (r & 15) {
    case 0: /* zero */
        mant = 0;
        exp = 0;
        break;
    case 1: /* infinity */
        mant = 1ull << 63;
        exp = 0x7fff;
        break;
    case 2: /* NaN (quiet or signalling) */
        mant |= 1ull << 63;
        exp = 0x7fff;
        break;
    case 3: /* denormal or pseudo-denormal */
        mant = (r & 16) ? mant | (1ull << 63) : mant & ~(1ull << 63);
        exp = 0;
        break;
    case 4: /* unnormal */
        mant &= ~(1ull << 63);
        exp = (u16)(1 + (r >> 20) % 0x7ffe);
        break;
    case 5: /* near the top or bottom of the range */
        mant |= 1ull << 63;
        exp = (r & 16) ? (u16)(0x7ffe - ((r >> 8) & 3)) : (u16)(1 + ((r >> 8) & 3));
        break;
    case 6: /* small integer */
    {
        long double v = (long double)(i64)((i32)(r >> 32) >> ((r >> 8) & 31));

        memcpy(out, &v, 10);
        return;
    }
    case 7: /* from a double */
    {
        u64 b = fo_rand_f64(s);
        double d;
        long double v;

        memcpy(&d, &b, 8);
        v = d;
        memcpy(out, &v, 10);
        return;
    }
    default: /* a normal number of moderate size */
        mant |= 1ull << 63;
        exp = (u16)(0x3fff - 70 + (r >> 24) % 140);
        break;
    }
    if (r & 32)
        exp |= 0x8000;
    memcpy(out, &mant, 8);
    memcpy(out + 8, &exp, 2);
}

/* Random x87 state in an FXSAVE image: control (masks set), TOP, tags, registers. @n_valid:
 * how many registers from ST(0) up are valid (the rest empty), -1 for random tags with ST(0)
 * and ST(1) valid, -2 for random tags with ST(0) empty and ST(7) valid. */
static void random_state(struct fx *f, struct fo_state *st, int n_valid)
{
    static const u16 pcrc[] = {0x037f, 0x027f, 0x007f, 0x077f, 0x0b7f, 0x0f7f, 0x0e7f, 0x017f};
    u64 r = fo_rand(&f->seed);
    u16 fcw = pcrc[r % ARRAY_LEN(pcrc)], fsw;
    unsigned top = (unsigned)(r >> 8) & 7;
    u8 ftw = 0;
    u32 mxcsr = MXCSR_DEFAULT;

    memset(st, 0, sizeof(*st));
    fsw = (u16)((top << 11) | ((r >> 16) & (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)));
    for (unsigned k = 0; k < 8; k++) {
        bool valid = n_valid < 0 ? ((r >> (24 + k)) & 1) || k < 2 : (int)k < n_valid;

        if (n_valid == -2)
            valid = k == 7 || (k > 0 && ((r >> (24 + k)) & 1));

        if (valid)
            ftw |= (u8)(1u << ((top + k) & 7));
        rand_f80(&f->seed, st->img + 32 + 16 * k); /* ST(k) */
    }
    memcpy(st->img, &fcw, 2);
    memcpy(st->img + 2, &fsw, 2);
    st->img[4] = ftw;
    memcpy(st->img + 24, &mxcsr, 4);
    for (unsigned k = 0; k < FO_MEM_BYTES; k += 16) {
        u64 a = fo_rand_f64(&f->seed);

        rand_f80(&f->seed, st->mem + k);
        if ((k / 16) & 1)
            memcpy(st->mem + k, &a, 8);
    }
    st->rax = fo_rand(&f->seed);
    st->rflags = 0x202 | (fo_rand(&f->seed) & 0x8d5);
}

#define CMP_FLAGS 0x1u
#define CMP_RAX   0x2u

struct case_bytes {
    u8 b[8];
    u8 n;
    u8 how;
    i8 n_valid;
};

#define C(...)                                                                                     \
    {                                                                                              \
        .b = {__VA_ARGS__}, .n = sizeof((u8[]){__VA_ARGS__}), .how = 0, .n_valid = -1              \
    }
#define CV(nv, how_, ...)                                                                          \
    {                                                                                              \
        .b = {__VA_ARGS__}, .n = sizeof((u8[]){__VA_ARGS__}), .how = how_, .n_valid = nv           \
    }

static void expect_same(const struct fo_state *host, const struct fo_state *emu,
                        const struct case_bytes *cs, unsigned iter, const struct fo_state *before)
{
    char what[40];
    int len = 0;

    for (unsigned k = 0; k < cs->n && len < 32; k++)
        len += snprintf(what + len, sizeof(what) - (size_t)len, "%02x ", cs->b[k]);
    for (unsigned b = 0; b < 160; b++) {
        if ((b >= 6 && b < 24) || (b >= 28 && b < 32))
            continue;
        if (host->img[b] != emu->img[b]) {
            u16 fsw_in, fcw_in;

            memcpy(&fsw_in, before->img + 2, 2);
            memcpy(&fcw_in, before->img, 2);
            print_error("insn %s iter %u: FXSAVE byte %u host %02x emu %02x (fcw %04x fsw "
                        "%04x ftw %02x)\n",
                        what, iter, b, host->img[b], emu->img[b], fcw_in, fsw_in, before->img[4]);
            for (unsigned k = 0; k < 8; k++) {
                u64 m;
                u16 x;

                memcpy(&m, before->img + 32 + 16 * k, 8);
                memcpy(&x, before->img + 40 + 16 * k, 2);
                print_error("  in ST(%u) %04x %016llx\n", k, x, (unsigned long long)m);
            }
            fail();
        }
    }
    if (memcmp(host->mem, emu->mem, FO_MEM_BYTES)) {
        print_error("insn %s iter %u: memory differs\n", what, iter);
        fail();
    }
    if ((cs->how & CMP_FLAGS) && ((host->rflags ^ emu->rflags) & 0x8d5)) {
        print_error("insn %s iter %u: flags host %llx emu %llx\n", what, iter,
                    (unsigned long long)host->rflags, (unsigned long long)emu->rflags);
        fail();
    }
    if ((cs->how & CMP_RAX) && (u16)host->rax != (u16)emu->rax) {
        print_error("insn %s iter %u: ax host %llx emu %llx\n", what, iter,
                    (unsigned long long)host->rax, (unsigned long long)emu->rax);
        fail();
    }
}

/* Longer runs: -DFO_ITER_SCALE=N multiplies every case's iteration count. */
#ifndef FO_ITER_SCALE
#define FO_ITER_SCALE 1
#endif

static void run_cases(struct fx *f, const struct case_bytes *cases, size_t n_cases, unsigned iters)
{
    iters *= FO_ITER_SCALE;
    for (size_t k = 0; k < n_cases; k++)
        for (unsigned it = 0; it < iters; it++) {
            struct fo_state before, host, emu;
            int vec;

            random_state(f, &before, cases[k].n_valid);
            host = emu = before;
            fo_host_run(&f->h, &host, cases[k].b, cases[k].n);
            vec = fo_emu_run(f->e, &emu, cases[k].b, cases[k].n);
            if (vec != XE_NONE) {
                print_error("case %02x %02x raised %d\n", cases[k].b[0], cases[k].b[1], vec);
                fail();
            }
            expect_same(&host, &emu, &cases[k], it, &before);
        }
}

/* The userland mix's forms: fld m80, faddp, fxch, fmulp, fstp, fnstcw/fldcw, fld1, fld m32,
 * fild, fistp, fcomi(p), fucomi, fabs, fchs, fldz, fsub*, fdiv*, fyl2x, fxam, fnstsw. */
static void test_x87_common(void **state)
{
    static const struct case_bytes cases[] = {
        C(0xdb, 0x2e),                 /* fld tbyte [rsi] */
        CV(8, 0, 0xdb, 0x2e),          /* ... on a full stack: overflow */
        C(0xdb, 0x3e),                 /* fstp tbyte [rsi] */
        CV(0, 0, 0xdb, 0x3e),          /* ... on an empty stack: underflow */
        C(0xde, 0xc1),                 /* faddp */
        C(0xde, 0xc9),                 /* fmulp */
        C(0xde, 0xcb),                 /* fmulp st(3) */
        C(0xde, 0xe9),                 /* fsubp */
        C(0xde, 0xe1),                 /* fsubrp */
        C(0xde, 0xf9),                 /* fdivp */
        C(0xde, 0xf1),                 /* fdivrp */
        C(0xd9, 0xc9),                 /* fxch */
        C(0xd9, 0xcd),                 /* fxch st(5) */
        C(0xdd, 0xd9),                 /* fstp st(1) */
        C(0xdd, 0xd0),                 /* fst st(0) */
        C(0xd9, 0xc2),                 /* fld st(2) */
        C(0xd8, 0xc1),                 /* fadd st, st(1) */
        C(0xd8, 0xcb),                 /* fmul st, st(3) */
        C(0xd8, 0xe1),                 /* fsub st, st(1) */
        C(0xd8, 0xe9),                 /* fsubr */
        C(0xd8, 0xf1),                 /* fdiv */
        C(0xd8, 0xf9),                 /* fdivr */
        C(0xdc, 0xc1),                 /* fadd st(1), st */
        C(0xdc, 0xe1),                 /* fsubr st(1), st */
        C(0xdc, 0xe9),                 /* fsub st(1), st */
        C(0xdc, 0xf9),                 /* fdiv st(1), st */
        C(0xd9, 0x3e),                 /* fnstcw [rsi] */
        C(0xd9, 0xe8),                 /* fld1 */
        C(0xd9, 0xee),                 /* fldz */
        C(0xd9, 0xeb),                 /* fldpi */
        C(0xd9, 0xea),                 /* fldl2e */
        C(0xd9, 0xe9),                 /* fldl2t */
        C(0xd9, 0xec),                 /* fldlg2 */
        C(0xd9, 0xed),                 /* fldln2 */
        C(0xd9, 0x06),                 /* fld dword [rsi] */
        C(0xdd, 0x46, 0x10),           /* fld qword [rsi+16] */
        C(0xd9, 0x16),                 /* fst dword [rsi] */
        C(0xd9, 0x1e),                 /* fstp dword [rsi] */
        C(0xdd, 0x16),                 /* fst qword [rsi] */
        C(0xdd, 0x1e),                 /* fstp qword [rsi] */
        C(0xdb, 0x06),                 /* fild dword */
        C(0xdf, 0x06),                 /* fild word */
        C(0xdf, 0x2e),                 /* fild qword */
        C(0xdb, 0x1e),                 /* fistp dword */
        C(0xdb, 0x16),                 /* fist dword */
        C(0xdf, 0x16),                 /* fist word */
        C(0xdf, 0x3e),                 /* fistp qword */
        C(0xdb, 0x0e),                 /* fisttp dword */
        C(0xdd, 0x0e),                 /* fisttp qword */
        C(0xdf, 0x0e),                 /* fisttp word */
        CV(-1, CMP_FLAGS, 0xdb, 0xf1), /* fcomi st, st(1) */
        CV(-1, CMP_FLAGS, 0xdf, 0xf1), /* fcomip */
        CV(-1, CMP_FLAGS, 0xdb, 0xe9), /* fucomi */
        CV(-1, CMP_FLAGS, 0xdf, 0xea), /* fucomip st, st(2) */
        C(0xd8, 0xd1),                 /* fcom st(1) */
        C(0xd8, 0xd9),                 /* fcomp st(1) */
        C(0xde, 0xd9),                 /* fcompp */
        C(0xdd, 0xe1),                 /* fucom st(1) */
        C(0xdd, 0xe9),                 /* fucomp */
        C(0xda, 0xe9),                 /* fucompp */
        C(0xd8, 0x16),                 /* fcom dword */
        C(0xdc, 0x1e),                 /* fcomp qword */
        C(0xda, 0x16),                 /* ficom dword */
        C(0xde, 0x1e),                 /* ficomp word */
        C(0xd9, 0xe4),                 /* ftst */
        C(0xd9, 0xe5),                 /* fxam */
        CV(0, 0, 0xd9, 0xe5),          /* fxam of an empty ST(0) */
        C(0xd9, 0xe1),                 /* fabs */
        C(0xd9, 0xe0),                 /* fchs */
        CV(-1, CMP_RAX, 0xdf, 0xe0),   /* fnstsw ax */
        C(0xdd, 0x3e),                 /* fnstsw [rsi] */
    };
    struct fx *f = *state;

    run_cases(f, cases, ARRAY_LEN(cases), 60);
}

static void test_x87_memory_arith(void **state)
{
    static const struct case_bytes cases[] = {
        C(0xd8, 0x06),       C(0xd8, 0x0e),       C(0xd8, 0x26),       C(0xd8, 0x2e),
        C(0xd8, 0x36),       C(0xd8, 0x3e),       C(0xdc, 0x46, 0x10), C(0xdc, 0x4e, 0x10),
        C(0xdc, 0x66, 0x10), C(0xdc, 0x6e, 0x10), C(0xdc, 0x76, 0x10), C(0xdc, 0x7e, 0x10),
        C(0xda, 0x06),       C(0xda, 0x0e),       C(0xda, 0x26),       C(0xda, 0x2e),
        C(0xda, 0x36),       C(0xda, 0x3e),       C(0xde, 0x06),       C(0xde, 0x0e),
        C(0xde, 0x26),       C(0xde, 0x2e),       C(0xde, 0x36),       C(0xde, 0x3e),
        C(0xdf, 0x26), /* fbld */
        C(0xdf, 0x36), /* fbstp */
    };
    struct fx *f = *state;

    run_cases(f, cases, ARRAY_LEN(cases), 60);
}

static void test_x87_transcendental(void **state)
{
    static const struct case_bytes cases[] = {
        C(0xd9, 0xfa),                        /* fsqrt */
        C(0xd9, 0xfe),                        /* fsin */
        C(0xd9, 0xff),                        /* fcos */
        C(0xd9, 0xfb),                        /* fsincos */
        CV(8, 0, 0xd9, 0xfb),  C(0xd9, 0xf2), /* fptan */
        CV(-2, 0, 0xd9, 0xfb),                /* fsincos, ST(0) empty, ST(7) in use */
        CV(-2, 0, 0xd9, 0xf2),                /* fptan, the same */
        CV(-2, 0, 0xd9, 0xf4),                /* fxtract, the same */
        CV(8, 0, 0xd9, 0xf2),                 /* fptan, full stack: overflow */
        CV(8, 0, 0xd9, 0xf4),                 /* fxtract, full stack */
        C(0xd9, 0xf3),                        /* fpatan */
        C(0xd9, 0xf0),                        /* f2xm1 */
        C(0xd9, 0xf1),                        /* fyl2x */
        C(0xd9, 0xf9),                        /* fyl2xp1 */
        C(0xd9, 0xf4),                        /* fxtract */
        C(0xd9, 0xf5),                        /* fprem1 */
        C(0xd9, 0xf8),                        /* fprem */
        C(0xd9, 0xfc),                        /* frndint */
        C(0xd9, 0xfd),                        /* fscale */
    };
    struct fx *f = *state;

    run_cases(f, cases, ARRAY_LEN(cases), 200);
}

static void test_x87_stack_control(void **state)
{
    static const struct case_bytes cases[] = {
        C(0xdd, 0xc3),       /* ffree st(3) */
        C(0xdf, 0xc1),       /* ffreep st(1) */
        C(0xd9, 0xf7),       /* fincstp */
        C(0xd9, 0xf6),       /* fdecstp */
        C(0xd9, 0xd0),       /* fnop */
        C(0xdb, 0xe2),       /* fnclex */
        C(0xdb, 0xe3),       /* fninit */
        C(0xda, 0xc1),       /* fcmovb */
        C(0xda, 0xca),       /* fcmove */
        C(0xda, 0xd3),       /* fcmovbe */
        C(0xda, 0xd9),       /* fcmovu */
        C(0xdb, 0xc1),       /* fcmovnb */
        C(0xdb, 0xca),       /* fcmovne */
        C(0xdb, 0xd3),       /* fcmovnbe */
        C(0xdb, 0xd9),       /* fcmovnu */
        C(0xd9, 0x36),       /* fnstenv [rsi] */
        C(0xdd, 0x36),       /* fnsave [rsi] (108 bytes: reaches past the scratch area) */
        C(0x66, 0xd9, 0x36), /* fnstenv 16-bit */
    };
    struct fx *f = *state;

    (void)cases;
    run_cases(f, cases, 15, 30);
}

static int exec_bytes(struct fx *f, const u8 *b, unsigned n)
{
    return xe_exec(f->e, b, n);
}

#define EXEC(f, ...) exec_bytes((f), (const u8[]){__VA_ARGS__}, sizeof((const u8[]){__VA_ARGS__}))

/* Unmasked exceptions: the operands stay, ES is set, and the next waiting x87 instruction
 * raises #MF (CR0.NE = 1); non-waiting ones run; CR0.NE = 0 does not signal it. */
static void test_x87_unmasked_and_mf(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    long double one = 1.0L, zero = 0.0L, v;

    fpu_reset(&c->fpu);
    c->gpr[6] = XE_DATA;
    memcpy(xe_host(f->e, XE_DATA), &zero, 10);
    memcpy(xe_host(f->e, XE_DATA + 16), &one, 10);
    assert_int_equal(EXEC(f, 0xdb, 0x6e, 0x10), XE_NONE); /* fld one */
    assert_int_equal(EXEC(f, 0xdb, 0x2e), XE_NONE);       /* fld zero */
    c->fpu.fcw &= (u16)~FSW_ZE;                           /* unmask divide-by-zero */
    assert_int_equal(EXEC(f, 0xdc, 0xf9), XE_NONE);       /* fdiv st(1), st: 1/0 */
    assert_int_equal(c->fpu.fsw & (FSW_ZE | FSW_ES | FSW_B), FSW_ZE | FSW_ES | FSW_B);
    v = x87_get_phys(c, x87_phys(c, 1));
    assert_true(v == 1.0L);                         /* destination unchanged */
    assert_int_equal(EXEC(f, 0xd9, 0xe8), EXC_MF);  /* fld1: #MF */
    assert_int_equal(EXEC(f, 0x9b), EXC_MF);        /* fwait: #MF */
    assert_int_equal(EXEC(f, 0xdf, 0xe0), XE_NONE); /* fnstsw ax */
    assert_int_equal(c->gpr[0] & 0xffff, c->fpu.fsw);
    c->cr0 &= ~FPU_CR0_NE;
    assert_int_equal(EXEC(f, 0xd9, 0xd0), XE_NONE); /* fnop: no #MF with NE = 0 */
    c->cr0 |= FPU_CR0_NE;
    assert_int_equal(EXEC(f, 0xdb, 0xe2), XE_NONE); /* fnclex */
    assert_int_equal(c->fpu.fsw & 0x80ff, 0);
    assert_int_equal(EXEC(f, 0xd9, 0xe8), XE_NONE);
    /* Unmasked stack overflow: nothing pushed, IE SF C1 ES. */
    fpu_reset(&c->fpu);
    c->fpu.fcw &= (u16)~FSW_IE;
    for (unsigned k = 0; k < 8; k++)
        assert_int_equal(EXEC(f, 0xd9, 0xe8), XE_NONE);
    assert_int_equal(EXEC(f, 0xd9, 0xee), XE_NONE); /* fldz: overflow */
    assert_int_equal(c->fpu.fsw & (FSW_IE | FSW_SF | FSW_C1 | FSW_ES),
                     FSW_IE | FSW_SF | FSW_C1 | FSW_ES);
    assert_int_equal(x87_top(c), 0);
    v = x87_get_phys(c, 0);
    assert_true(v == 1.0L);
    /* FLDCW masking the pending exception clears ES: no #MF. */
    xe_wr64(f->e, XE_DATA, FCW_DEFAULT);
    assert_int_equal(EXEC(f, 0xd9, 0x2e), EXC_MF); /* fldcw itself waits */
    c->fpu.fcw = FCW_DEFAULT;
    c->fpu.fsw &= (u16) ~(FSW_ES | FSW_B);
    assert_int_equal(EXEC(f, 0xd9, 0x2e), XE_NONE);
    assert_int_equal(EXEC(f, 0xd9, 0xe8), XE_NONE);
    /* CR0.TS/EM: #NM; WAIT only with MP and TS. */
    c->cr0 |= FPU_CR0_TS;
    assert_int_equal(EXEC(f, 0xd9, 0xe8), EXC_NM);
    assert_int_equal(EXEC(f, 0xdb, 0xe3), EXC_NM);
    assert_int_equal(EXEC(f, 0x9b), XE_NONE);
    c->cr0 |= FPU_CR0_MP;
    assert_int_equal(EXEC(f, 0x9b), EXC_NM);
    c->cr0 &= ~(FPU_CR0_TS | FPU_CR0_MP);
    c->cr0 |= FPU_CR0_EM;
    assert_int_equal(EXEC(f, 0xd9, 0xe8), EXC_NM);
    assert_int_equal(EXEC(f, 0x0f, 0x77), EXC_UD); /* emms */
    c->cr0 &= ~FPU_CR0_EM;
    fpu_reset(&c->fpu);
}

/* Unmasked overflow to a register: the result with its exponent reduced by 24576. */
static void test_x87_bias_adjust(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    long double big = 0x1p16000L, r;

    fpu_reset(&c->fpu);
    c->gpr[6] = XE_DATA;
    memcpy(xe_host(f->e, XE_DATA), &big, 10);
    assert_int_equal(EXEC(f, 0xdb, 0x2e), XE_NONE);
    assert_int_equal(EXEC(f, 0xdb, 0x2e), XE_NONE);
    c->fpu.fcw &= (u16)~FSW_OE;
    assert_int_equal(EXEC(f, 0xde, 0xc9), XE_NONE); /* fmulp: 2^32000 */
    r = x87_get_phys(c, x87_phys(c, 0));
    assert_true(r == 0x1p7424L);
    assert_int_equal(c->fpu.fsw & (FSW_OE | FSW_ES), FSW_OE | FSW_ES);
    fpu_reset(&c->fpu);
}

/*
 * Underflow and overflow with UM or OM clear (SDM vol. 1 4.9.1.5, 8.5.4, 8.5.5): every tiny
 * result (after rounding at the precision control) raises UE, exact or not; a register
 * destination gets the bias-adjusted result, whose own rounding sets PE and C1; a memory
 * destination is not written and only UE/OE is reported. The expected values are the host's
 * (AMD EPYC) for the same operands.
 */
static void test_x87_unmasked_underflow(void **state)
{
    static const struct {
        u64 am, bm;
        u16 ae, be;
        u16 cw;
        u8 op;   /* 0 fmulp, 1 fscale (ST(0) = a, ST(1) = b) */
        u16 fsw; /* exception flags, C1, ES and B after */
        u64 rm;
        u16 re;
    } rows[] = {
        /* (1-2^-63) * 2^-16382 (1+2^-63): rounds to 2^-16382, not tiny after rounding */
        {0xfffffffffffffffeull, 0x8000000000000001ull, 0x3ffe, 0x0001, 0x036f, 0, 0x0220,
         0x8000000000000000ull, 0x0001},
        /* the same at 24-bit precision: (1-2^-23) * 2^-16382 (1+2^-23) */
        {0xfffffe0000000000ull, 0x8000010000000000ull, 0x3ffe, 0x0001, 0x006f, 0, 0x0220,
         0x8000000000000000ull, 0x0001},
        /* 0.5 * 2^-16382: exact and tiny; bias-adjusted 2^-16383+24576 */
        {0x8000000000000000ull, 0x8000000000000000ull, 0x3ffe, 0x0001, 0x036f, 0, 0x8090,
         0x8000000000000000ull, 0x6000},
        /* 0.5 * 2^-16382 (1+2^-63): inexact as a denormal, exact bias-adjusted: no PE */
        {0x8000000000000000ull, 0x8000000000000001ull, 0x3ffe, 0x0001, 0x036f, 0, 0x8090,
         0x8000000000000001ull, 0x6000},
        /* 0.5 (1-2^-63) * 2^-16382 (1+2^-63): bias-adjusted result rounds up: PE, C1 */
        {0xfffffffffffffffeull, 0x8000000000000001ull, 0x3ffd, 0x0001, 0x036f, 0, 0x82b0,
         0x8000000000000000ull, 0x6000},
        /* overflow with OM clear: exact bias-adjusted result, no PE */
        {0x8000000000000000ull, 0x8000000000000001ull, 0x7ffe, 0x4000, 0x0377, 0, 0x8088,
         0x8000000000000001ull, 0x1fff},
        /* fscale 1.0 by -16390: exact tiny */
        {0x8000000000000000ull, 0x800c000000000000ull, 0x3fff, 0xc00d, 0x036f, 1, 0x8090,
         0x8000000000000000ull, 0x5ff9},
        /* fscale 1.5(1+2^-63) by -50000: still tiny after the bias: 0, UE PE */
        {0xc000000000000001ull, 0xc350000000000000ull, 0x3fff, 0xc00e, 0x036f, 1, 0x80b0, 0, 0},
        /* fscale by 16390 with OM clear; by 50000: still overflows, infinity, PE C1 */
        {0xc000000000000001ull, 0x800c000000000000ull, 0x3fff, 0x400d, 0x0377, 1, 0x8088,
         0xc000000000000001ull, 0x2005},
        {0xc000000000000001ull, 0xc350000000000000ull, 0x3fff, 0x400e, 0x0377, 1, 0x82a8,
         0x8000000000000000ull, 0x7fff},
    };
    static const u8 fmulp[] = {0xde, 0xc9}, fscale[] = {0xd9, 0xfd};
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    u8 *mem = xe_host(f->e, XE_DATA);

    c->gpr[6] = XE_DATA;
    for (size_t k = 0; k < ARRAY_LEN(rows); k++) {
        u8 r[10];
        u64 m;
        u16 e;

        fpu_reset(&c->fpu);
        c->fpu.fcw = rows[k].cw;
        memcpy(mem, &rows[k].am, 8);
        memcpy(mem + 8, &rows[k].ae, 2);
        memcpy(mem + 16, &rows[k].bm, 8);
        memcpy(mem + 24, &rows[k].be, 2);
        assert_int_equal(EXEC(f, 0xdb, 0x6e, 0x10), XE_NONE); /* fld tbyte [rsi+16] */
        assert_int_equal(EXEC(f, 0xdb, 0x2e), XE_NONE);       /* fld tbyte [rsi] */
        assert_int_equal(exec_bytes(f, rows[k].op ? fscale : fmulp, 2), XE_NONE);
        memcpy(r, c->fpu.st[x87_phys(c, 0)], 10);
        memcpy(&m, r, 8);
        memcpy(&e, r + 8, 2);
        if ((c->fpu.fsw & 0x82ff) != rows[k].fsw || m != rows[k].rm || e != rows[k].re)
            print_error("row %zu: fsw %04x st0 %04x:%016llx\n", k, c->fpu.fsw, e,
                        (unsigned long long)m);
        assert_int_equal(c->fpu.fsw & 0x82ff, rows[k].fsw);
        assert_true(m == rows[k].rm && e == rows[k].re);
    }
    /* FSTP m32 of 2^-130 (exact in single, tiny) and of 2^-130 (1+2^-60), UM clear: UE
     * alone, nothing stored, nothing popped. */
    for (unsigned k = 0; k < 2; k++) {
        long double v = k ? 0x1p-130L * (1 + 0x1p-60L) : 0x1p-130L;
        u32 out;

        fpu_reset(&c->fpu);
        c->fpu.fcw = 0x036f;
        memcpy(mem, &v, 10);
        memset(mem + 32, 0xee, 4);
        assert_int_equal(EXEC(f, 0xdb, 0x2e), XE_NONE);       /* fld tbyte [rsi] */
        assert_int_equal(EXEC(f, 0xd9, 0x5e, 0x20), XE_NONE); /* fstp dword [rsi+32] */
        memcpy(&out, mem + 32, 4);
        assert_int_equal(out, 0xeeeeeeeeu);
        assert_int_equal(c->fpu.fsw & 0xb8ff, 0xb890); /* TOP 7: not popped */
    }
    fpu_reset(&c->fpu);
}

/* FLDCW, FLDENV and FXRSTOR: control-word bits 15:13 and 7 read as 0, bit 6 as 1 (the host's
 * values for the same words). */
static void test_x87_fcw_reserved(void **state)
{
    static const u16 in[] = {0x6e8b, 0xffff, 0x0000, 0x1000, 0x0080, 0x2000};
    static const u16 out[] = {0x0e4b, 0x1f7f, 0x0040, 0x1040, 0x0040, 0x0040};
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    u8 *mem = xe_host(f->e, XE_DATA);

    c->gpr[6] = XE_DATA;
    for (size_t k = 0; k < ARRAY_LEN(in); k++) {
        fpu_reset(&c->fpu);
        memcpy(mem, &in[k], 2);
        assert_int_equal(EXEC(f, 0xd9, 0x2e), XE_NONE); /* fldcw [rsi] */
        assert_int_equal(c->fpu.fcw, out[k]);
        fpu_reset(&c->fpu);
        assert_int_equal(EXEC(f, 0xd9, 0x36), XE_NONE); /* fnstenv [rsi] */
        memcpy(mem, &in[k], 2);
        assert_int_equal(EXEC(f, 0xd9, 0x26), XE_NONE); /* fldenv [rsi] */
        assert_int_equal(c->fpu.fcw, out[k]);
        fpu_reset(&c->fpu);
        assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x06), XE_NONE); /* fxsave64 [rsi] */
        memcpy(mem, &in[k], 2);
        assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x0e), XE_NONE); /* fxrstor64 [rsi] */
        assert_int_equal(c->fpu.fcw, out[k]);
    }
    fpu_reset(&c->fpu);
}

/* FNSTENV/FLDENV and FNSAVE/FRSTOR round trips in 32-bit format; FNSAVE reinitialises. */
static void test_x87_env_save(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    struct fpu_state saved;
    u32 w;

    fpu_reset(&c->fpu);
    c->gpr[6] = XE_DATA;
    assert_int_equal(EXEC(f, 0xd9, 0xeb), XE_NONE); /* fldpi */
    assert_int_equal(EXEC(f, 0xd9, 0xee), XE_NONE); /* fldz */
    c->fpu.fcw = 0x0a7f;
    saved = c->fpu;
    assert_int_equal(EXEC(f, 0xd9, 0x36), XE_NONE); /* fnstenv */
    memcpy(&w, xe_host(f->e, XE_DATA + 8), 4);
    assert_int_equal(w, 0xffff0000u | fpu_full_tag(&saved));
    assert_int_equal(w & 0xffff, 0x1fff); /* R7 valid, R6 zero, rest empty */
    assert_int_equal(c->fpu.fcw, 0x0a7f);
    assert_int_equal(EXEC(f, 0xdd, 0x76, 0x40), XE_NONE); /* fnsave [rsi+0x40] */
    assert_int_equal(c->fpu.fcw, FCW_DEFAULT);
    assert_int_equal(c->fpu.ftw, 0);
    assert_int_equal(EXEC(f, 0xdd, 0x66, 0x40), XE_NONE); /* frstor */
    assert_int_equal(c->fpu.fcw, 0x0a7f);
    assert_int_equal(c->fpu.ftw, saved.ftw);
    assert_int_equal(c->fpu.fsw, saved.fsw);
    assert_memory_equal(c->fpu.st, saved.st, sizeof(saved.st));
    assert_int_equal(EXEC(f, 0xdb, 0xe3), XE_NONE);
    assert_int_equal(EXEC(f, 0xd9, 0x26), XE_NONE); /* fldenv */
    assert_int_equal(c->fpu.ftw, saved.ftw);
    fpu_reset(&c->fpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_x87_common, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_memory_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_transcendental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_stack_control, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_unmasked_and_mf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_bias_adjust, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_unmasked_underflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_fcw_reserved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_x87_env_save, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/x87", tests, NULL, NULL);
}
