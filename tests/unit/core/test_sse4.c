/* SPDX-License-Identifier: MIT */
/*
 * Tests of SSSE3, SSE4.1 and SSE4.2 (core/exec_ssse3.c, exec_sse4.c, exec_sse4_str.c): every
 * form runs on random and special inputs natively on the host and in the emulator from the
 * same FXSAVE image, RAX, RCX, RDX and RFLAGS, and the images, memory, flags and the output
 * register must agree bit for bit; plus faults, feature gating and a few fixed values.
 */
#include "core/fpu.h"
#include "fp_oracle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

_Static_assert(offsetof(struct fo_state, rflags) == 512, "runner stores RFLAGS at +512");
_Static_assert(offsetof(struct fo_state, rax) == 520, "runner stores RAX at +520");

#ifndef FO_ITER_SCALE
#define FO_ITER_SCALE 1
#endif

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
    f->seed = 0x5eed5eed12345678ull;
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

/* How a case's inputs are made. */
enum gen {
    GEN_INT,   /* bytes biased to 00 01 7F 80 FF and neighbours */
    GEN_F32,   /* single-precision values, random MXCSR control */
    GEN_F64,   /* double precision */
    GEN_STR_B, /* byte strings over a small alphabet with some zero terminators */
    GEN_STR_W, /* word strings */
};

#define CMP_FLAGS 0x1u /* compare the arithmetic flags */
#define CMP_RAX   0x2u /* compare RAX */
#define CMP_RCX   0x4u /* compare RCX (PCMPxSTRI) */

struct tcase {
    u8 b[12];
    u8 n;
    u8 how;
    u8 gen;
};

/* Inputs beyond the FXSAVE image: RCX and RDX. */
struct regs {
    u64 rcx, rdx;
};

static u8 rand_int_byte(u64 *s)
{
    static const u8 special[] = {0x00, 0x01, 0x02, 0x7e, 0x7f, 0x80, 0x81, 0xfe, 0xff};
    u64 r = fo_rand(s);

    return (r & 3) == 0 ? special[(r >> 8) % ARRAY_LEN(special)] : (u8)(r >> 16);
}

static u8 rand_str_byte(u64 *s)
{
    static const u8 alpha[] = {'a', 'b', 'c', 'z', 'A', '0', 0x7f, 0x80, 0xff, 0x01, 'b', 'a'};
    u64 r = fo_rand(s);

    if (r % 23 == 0)
        return 0;
    return (r & 0x700) == 0x700 ? (u8)(r >> 24) : alpha[(r >> 16) % ARRAY_LEN(alpha)];
}

static u16 rand_str_word(u64 *s)
{
    static const u16 alpha[] = {0x0061, 0x0062, 0x0063, 0x7fff, 0x8000, 0xffff,
                                0x0161, 0x6100, 0x0001, 0x0062, 0x0061};
    u64 r = fo_rand(s);

    if (r % 13 == 0)
        return 0;
    return (r & 0x700) == 0x700 ? (u16)(r >> 24) : alpha[(r >> 16) % ARRAY_LEN(alpha)];
}

/* Explicit string lengths: mostly in -20..20, sometimes huge, sometimes with junk above bit 31
 * (which only REX.W forms look at). */
static u64 rand_len(u64 *s)
{
    u64 r = fo_rand(s);

    switch (r & 7) {
    case 0:
        return r;
    case 1:
        return (r & 0xffffffff00000000ull) | ((r >> 8) % 41 - 20);
    case 2:
        return 0x8000000000000000ull;
    default:
        return (u64)((i64)((r >> 8) % 41) - 20);
    }
}

static void fill(u64 *s, u8 *p, unsigned n, enum gen g)
{
    for (unsigned k = 0; k < n;) {
        switch (g) {
        case GEN_F32: {
            u32 v = fo_rand_f32(s);

            memcpy(p + k, &v, 4);
            k += 4;
            break;
        }
        case GEN_F64: {
            u64 v = fo_rand_f64(s);

            memcpy(p + k, &v, 8);
            k += 8;
            break;
        }
        case GEN_STR_W: {
            u16 v = rand_str_word(s);

            memcpy(p + k, &v, 2);
            k += 2;
            break;
        }
        case GEN_STR_B:
            p[k++] = rand_str_byte(s);
            break;
        default:
            p[k++] = rand_int_byte(s);
            break;
        }
    }
}

static void random_state(struct fx *f, struct fo_state *st, struct regs *rg, enum gen g)
{
    static const u32 csr_ctl[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0xffc0};
    u16 fcw = FCW_DEFAULT;
    u32 mxcsr = MXCSR_DEFAULT;

    if (g == GEN_F32 || g == GEN_F64)
        mxcsr = csr_ctl[fo_rand(&f->seed) % ARRAY_LEN(csr_ctl)];
    memset(st, 0, sizeof(*st));
    memcpy(st->img, &fcw, 2);
    memcpy(st->img + 24, &mxcsr, 4);
    for (unsigned r = 0; r < 8; r++) /* MMX registers: mantissa and exponent */
        fill(&f->seed, st->img + 32 + 16 * r, 10, GEN_INT);
    for (unsigned r = 0; r < 16; r++)
        fill(&f->seed, st->img + 160 + 16 * r, 16, g);
    fill(&f->seed, st->mem, FO_MEM_BYTES, g);
    st->rflags = 0x202 | (fo_rand(&f->seed) & 0x8d5);
    if (g == GEN_STR_B || g == GEN_STR_W) {
        st->rax = rand_len(&f->seed);
        rg->rdx = rand_len(&f->seed);
    } else {
        st->rax = fo_rand(&f->seed);
        rg->rdx = fo_rand(&f->seed);
    }
    rg->rcx = fo_rand(&f->seed);
}

/* Host: mov rdx, imm64; mov rcx, imm64; the instruction; (mov rax, rcx). */
static void host_run(struct fx *f, struct fo_state *st, const struct regs *rg,
                     const struct tcase *tc)
{
    u8 code[48];
    unsigned n = 0;

    code[n++] = 0x48;
    code[n++] = 0xba;
    memcpy(code + n, &rg->rdx, 8);
    n += 8;
    code[n++] = 0x48;
    code[n++] = 0xb9;
    memcpy(code + n, &rg->rcx, 8);
    n += 8;
    memcpy(code + n, tc->b, tc->n);
    n += tc->n;
    if (tc->how & CMP_RCX) {
        code[n++] = 0x48;
        code[n++] = 0x89;
        code[n++] = 0xc8;
    }
    fo_host_run(&f->h, st, code, n);
}

/* Emulator: FXRSTOR64, the registers, the instruction, FXSAVE64. Return: XE_NONE or a vector. */
static int emu_run(struct fx *f, struct fo_state *st, const struct regs *rg, const struct tcase *tc)
{
    static const u8 rstor[] = {0x48, 0x0f, 0xae, 0x0f};
    static const u8 save[] = {0x48, 0x0f, 0xae, 0x07};
    struct xenv *e = f->e;
    int vec;

    memcpy(xe_host(e, FO_IMG_VA), st->img, 512);
    memcpy(xe_host(e, FO_MEM_VA), st->mem, FO_MEM_BYTES);
    e->c->gpr[7] = FO_IMG_VA;
    e->c->gpr[6] = FO_MEM_VA;
    e->c->gpr[0] = st->rax;
    e->c->gpr[1] = rg->rcx;
    e->c->gpr[2] = rg->rdx;
    cpu_set_rflags(e->c, st->rflags);
    if (xe_exec(e, rstor, sizeof(rstor)) != XE_NONE)
        return -2;
    vec = xe_exec(e, tc->b, tc->n);
    if (xe_exec(e, save, sizeof(save)) != XE_NONE)
        return -3;
    memcpy(st->img, xe_host(e, FO_IMG_VA), 512);
    memcpy(st->mem, xe_host(e, FO_MEM_VA), FO_MEM_BYTES);
    st->rflags = cpu_get_rflags(e->c);
    st->rax = (tc->how & CMP_RCX) ? e->c->gpr[1] : e->c->gpr[0];
    return vec;
}

static void describe(char *what, size_t size, const struct tcase *tc)
{
    int len = 0;

    what[0] = 0;
    for (unsigned k = 0; k < tc->n && (size_t)len + 4 < size; k++)
        len += snprintf(what + len, size - (size_t)len, "%02x ", tc->b[k]);
}

/* Compare everything but FIP/FDP/FOP (AMD saves them only with an exception pending) and
 * MXCSR_MASK. */
static void expect_same(const struct fo_state *host, const struct fo_state *emu,
                        const struct tcase *tc, unsigned iter)
{
    char what[64];

    describe(what, sizeof(what), tc);
    for (unsigned b = 0; b < 512; b++) {
        if ((b >= 6 && b < 24) || (b >= 28 && b < 32))
            continue;
        if (host->img[b] != emu->img[b]) {
            print_error("insn %s iter %u: FXSAVE byte %u host %02x emu %02x\n", what, iter, b,
                        host->img[b], emu->img[b]);
            fail();
        }
    }
    if (memcmp(host->mem, emu->mem, FO_MEM_BYTES)) {
        print_error("insn %s iter %u: memory differs\n", what, iter);
        fail();
    }
    if ((tc->how & CMP_FLAGS) && ((host->rflags ^ emu->rflags) & 0x8d5)) {
        print_error("insn %s iter %u: flags host %llx emu %llx\n", what, iter,
                    (unsigned long long)host->rflags, (unsigned long long)emu->rflags);
        fail();
    }
    if ((tc->how & (CMP_RAX | CMP_RCX)) && host->rax != emu->rax) {
        print_error("insn %s iter %u: %s host %llx emu %llx\n", what, iter,
                    (tc->how & CMP_RCX) ? "rcx" : "rax", (unsigned long long)host->rax,
                    (unsigned long long)emu->rax);
        fail();
    }
}

static void run_cases(struct fx *f, const struct tcase *cases, size_t n_cases, unsigned iters)
{
    iters *= FO_ITER_SCALE;
    for (size_t k = 0; k < n_cases; k++) {
        for (unsigned it = 0; it < iters; it++) {
            struct fo_state host, emu;
            struct regs rg;
            int vec;

            random_state(f, &host, &rg, (enum gen)cases[k].gen);
            emu = host;
            host_run(f, &host, &rg, &cases[k]);
            vec = emu_run(f, &emu, &rg, &cases[k]);
            if (vec != XE_NONE) {
                char what[64];

                describe(what, sizeof(what), &cases[k]);
                print_error("insn %s raised %d\n", what, vec);
                fail();
            }
            expect_same(&host, &emu, &cases[k], it);
        }
    }
}

/* A case from bytes: T(how, gen, bytes...). */
#define T(how_, gen_, ...)                                                                         \
    (struct tcase)                                                                                 \
    {                                                                                              \
        .b = {__VA_ARGS__}, .n = sizeof((u8[]){__VA_ARGS__}), .how = how_, .gen = gen_             \
    }

/* Append a case to @cs (capacity checked). */
#define ADD(cs, n, cap, tc)                                                                        \
    do {                                                                                           \
        assert_true((n) < (cap));                                                                  \
        (cs)[(n)++] = (tc);                                                                        \
    } while (0)

/* ---- SSSE3 ---------------------------------------------------------------------------------- */

static void test_ssse3(void **state)
{
    static const u8 ops[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                             0x08, 0x09, 0x0a, 0x0b, 0x1c, 0x1d, 0x1e};
    static const u8 palignr_imm[] = {0, 1, 5, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 200, 255};
    struct fx *f = *state;
    struct tcase cs[200];
    size_t n = 0;

    for (size_t o = 0; o < ARRAY_LEN(ops); o++) {
        u8 op = ops[o];

        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x38, op, 0xc1));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x38, op, 0xc0)); /* same reg */
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x38, op, 0x4e, 0x10));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x45, 0x0f, 0x38, op, 0xc7));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x0f, 0x38, op, 0xc1));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x0f, 0x38, op, 0xdb));       /* mm3, mm3 */
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x0f, 0x38, op, 0x56, 0x03)); /* mm2, [rsi+3] */
    }
    for (size_t k = 0; k < ARRAY_LEN(palignr_imm); k++) {
        u8 im = palignr_imm[k];

        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0f, 0x4e, 0x20, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x0f, 0x3a, 0x0f, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x0f, 0x3a, 0x0f, 0x46, 0x05, im));
    }
    run_cases(f, cs, n, 24);
}

/* ---- SSE4.1 --------------------------------------------------------------------------------- */

static void test_sse41_0f38(void **state)
{
    static const u8 ops[] = {0x10, 0x14, 0x15, 0x17, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
                             0x28, 0x29, 0x2b, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x37,
                             0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x41};
    struct fx *f = *state;
    struct tcase cs[200];
    size_t n = 0;

    for (size_t o = 0; o < ARRAY_LEN(ops); o++) {
        u8 op = ops[o];
        u8 how = op == 0x17 ? CMP_FLAGS : 0;
        bool is_pmov = (op >= 0x20 && op <= 0x25) || (op >= 0x30 && op <= 0x35);

        ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x0f, 0x38, op, 0xd1)); /* xmm2, xmm1 */
        ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x0f, 0x38, op, 0xc1)); /* xmm0 dest */
        ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x0f, 0x38, op, 0xc8)); /* xmm0 src */
        ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x0f, 0x38, op, 0xdb)); /* same */
        ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x0f, 0x38, op, 0x56, 0x10));
        ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x45, 0x0f, 0x38, op, 0xc7));
        if (is_pmov)
            ADD(cs, n, ARRAY_LEN(cs), T(how, GEN_INT, 0x66, 0x0f, 0x38, op, 0x56, 0x03));
    }
    /* PTEST on all-zero / all-ones / equal operands: ZF and CF both ways. */
    ADD(cs, n, ARRAY_LEN(cs), T(CMP_FLAGS, GEN_INT, 0x66, 0x0f, 0x38, 0x17, 0xc0));
    /* MOVNTDQA */
    ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x38, 0x2a, 0x1e));
    ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x44, 0x0f, 0x38, 0x2a, 0x6e, 0x20));
    run_cases(f, cs, n, 24);
}

static void test_sse41_ptest_special(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    static const u64 pat[][2] = {{0, 0}, {~0ull, ~0ull}, {1, 0}, {0, 1ull << 63}, {0x55, 0xaa}};

    for (size_t a = 0; a < ARRAY_LEN(pat); a++)
        for (size_t b = 0; b < ARRAY_LEN(pat); b++) {
            u64 and_ = (pat[a][0] & pat[b][0]) | (pat[a][1] & pat[b][1]);
            u64 andn = (~pat[a][0] & pat[b][0]) | (~pat[a][1] & pat[b][1]);
            u64 fl;

            c->fpu.xmm[0].q[0] = pat[a][0];
            c->fpu.xmm[0].q[1] = pat[a][1];
            c->fpu.xmm[1].q[0] = pat[b][0];
            c->fpu.xmm[1].q[1] = pat[b][1];
            cpu_set_rflags(c, 0x2 | RFLAGS_ARITH);
            assert_int_equal(XE_EXEC(f->e, 0x66, 0x0f, 0x38, 0x17, 0xc1), XE_NONE);
            fl = cpu_get_rflags(c) & RFLAGS_ARITH;
            assert_int_equal(fl, (and_ ? 0 : RFLAGS_ZF) | (andn ? 0 : RFLAGS_CF));
        }
}

static void test_sse41_imm(void **state)
{
    static const u8 imms[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                              0x0f, 0x10, 0x3c, 0x55, 0xaa, 0xc3, 0xf0, 0xff};
    struct fx *f = *state;
    struct tcase cs[600];
    size_t n = 0;

    for (size_t k = 0; k < ARRAY_LEN(imms); k++) {
        u8 im = imms[k];

        /* blendps/pd, pblendw, mpsadbw */
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0c, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0c, 0x06, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0d, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0d, 0x46, 0x10, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x0e, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x45, 0x0f, 0x3a, 0x0e, 0xc7, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x42, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x42, 0xc0, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x42, 0x06, im));
        /* insertps: register and memory forms */
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x21, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x21, 0xc0, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x21, 0x46, 0x06, im));
        /* extracts to RAX and to memory, inserts from RAX and memory */
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x0f, 0x3a, 0x14, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x48, 0x0f, 0x3a, 0x14, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x14, 0x4e, 0x05, im));
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x0f, 0x3a, 0x15, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x15, 0x4e, 0x03, im));
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x0f, 0x3a, 0x16, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x48, 0x0f, 0x3a, 0x16, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x16, 0x4e, 0x01, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x48, 0x0f, 0x3a, 0x16, 0x4e, 0x07, im));
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x0f, 0x3a, 0x17, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(CMP_RAX, GEN_INT, 0x66, 0x48, 0x0f, 0x3a, 0x17, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x17, 0x4e, 0x02, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x20, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x20, 0xc9, im)); /* cl */
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x20, 0x4e, 0x09, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x22, 0xc8, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x48, 0x0f, 0x3a, 0x22, 0xca, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x0f, 0x3a, 0x22, 0x4e, 0x0b, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_INT, 0x66, 0x48, 0x0f, 0x3a, 0x22, 0x4e, 0x0d, im));
    }
    run_cases(f, cs, n, 12);
}

static void test_sse41_fp(void **state)
{
    static const u8 round_imms[] = {0, 1,  2,  3,  4,  5,  6,  7,    8,
                                    9, 10, 11, 12, 13, 14, 15, 0xf3, 0x4c};
    struct fx *f = *state;
    struct tcase cs[640];
    size_t n = 0;

    for (size_t k = 0; k < ARRAY_LEN(round_imms); k++) {
        u8 im = round_imms[k];

        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x08, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x08, 0x06, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x0f, 0x3a, 0x09, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x0f, 0x3a, 0x09, 0x46, 0x10, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x0a, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x0a, 0x46, 0x04, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x0f, 0x3a, 0x0b, 0xc1, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x45, 0x0f, 0x3a, 0x0b, 0xc7, im));
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x0f, 0x3a, 0x0b, 0x46, 0x08, im));
    }
    /* DPPS and DPPD: every immediate, register form; memory forms for some. */
    for (unsigned im = 0; im < 256; im++) {
        ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x40, 0xc1, (u8)im));
        if (im % 16 == 5)
            ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F32, 0x66, 0x0f, 0x3a, 0x40, 0x06, (u8)im));
        if (im % 4 == 0 || im > 0xf0) {
            ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x0f, 0x3a, 0x41, 0xc1, (u8)im));
            ADD(cs, n, ARRAY_LEN(cs), T(0, GEN_F64, 0x66, 0x0f, 0x3a, 0x41, 0x46, 0x20, (u8)im));
        }
    }
    run_cases(f, cs, n, 16);
}

/* ---- SSE4.2 --------------------------------------------------------------------------------- */

static void test_sse42_strings(void **state)
{
    struct fx *f = *state;
    struct tcase *cs = calloc(128 * 4 * 2 + 32, sizeof(*cs));
    const size_t cap = 128 * 4 * 2 + 32;
    size_t n = 0;

    assert_non_null(cs);
    for (unsigned im = 0; im < 128; im++) {
        enum gen g = (im & 1) ? GEN_STR_W : GEN_STR_B;
        u8 b = (u8)im;

        for (u8 op = 0x60; op <= 0x63; op++) {
            u8 how = CMP_FLAGS | ((op & 1) ? CMP_RCX : 0);

            ADD(cs, n, cap, T(how, g, 0x66, 0x0f, 0x3a, op, 0xd1, b)); /* xmm2, xmm1 */
            if (im % 3 == 0)
                ADD(cs, n, cap, T(how, g, 0x66, 0x0f, 0x3a, op, 0x4e, 0x01, b)); /* [rsi+1] */
            else if (im % 3 == 1)
                ADD(cs, n, cap, T(how, g, 0x66, 0x48, 0x0f, 0x3a, op, 0xc1, b)); /* REX.W */
            else
                ADD(cs, n, cap, T(how, g, 0x66, 0x0f, 0x3a, op, 0xc0, b)); /* same register */
        }
    }
    /* imm8[7] is ignored; REX.W with memory; high registers. */
    for (u8 op = 0x60; op <= 0x63; op++) {
        u8 how = CMP_FLAGS | ((op & 1) ? CMP_RCX : 0);

        ADD(cs, n, cap, T(how, GEN_STR_B, 0x66, 0x0f, 0x3a, op, 0xd1, 0x8c));
        ADD(cs, n, cap, T(how, GEN_STR_W, 0x66, 0x0f, 0x3a, op, 0xd1, 0xfd));
        ADD(cs, n, cap, T(how, GEN_STR_B, 0x66, 0x48, 0x0f, 0x3a, op, 0x4e, 0x03, 0x44));
        ADD(cs, n, cap, T(how, GEN_STR_B, 0x66, 0x45, 0x0f, 0x3a, op, 0xc7, 0x0c));
    }
    run_cases(f, cs, n, 24);
    free(cs);
}

static void test_sse42_pcmpgtq_crc32(void **state)
{
    struct fx *f = *state;
    const struct tcase cs[] = {
        T(0, GEN_INT, 0x66, 0x0f, 0x38, 0x37, 0xc1),
        T(0, GEN_INT, 0x66, 0x0f, 0x38, 0x37, 0x06),
        T(0, GEN_INT, 0x66, 0x45, 0x0f, 0x38, 0x37, 0xc7),
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf0, 0xc1),             /* crc32 eax, cl */
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf0, 0xc4),             /* crc32 eax, ah */
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf0, 0xc0),             /* crc32 eax, al */
        T(CMP_RAX, GEN_INT, 0xf2, 0x40, 0x0f, 0x38, 0xf0, 0xc1),       /* REX: cl */
        T(CMP_RAX, GEN_INT, 0xf2, 0x48, 0x0f, 0x38, 0xf0, 0xc1),       /* crc32 rax, cl */
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf0, 0x46, 0x05),       /* crc32 eax, [rsi+5] */
        T(CMP_RAX, GEN_INT, 0x66, 0xf2, 0x0f, 0x38, 0xf1, 0xc1),       /* crc32 eax, cx */
        T(CMP_RAX, GEN_INT, 0xf2, 0x66, 0x0f, 0x38, 0xf1, 0x06),       /* crc32 eax, [rsi] w */
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf1, 0xc1),             /* crc32 eax, ecx */
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf1, 0xc0),             /* crc32 eax, eax */
        T(CMP_RAX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf1, 0x46, 0x03),       /* crc32 eax, [rsi+3] */
        T(CMP_RAX, GEN_INT, 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xc1),       /* crc32 rax, rcx */
        T(CMP_RAX, GEN_INT, 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0x46, 0x07), /* crc32 rax, [rsi+7] */
        T(CMP_RCX, GEN_INT, 0xf2, 0x0f, 0x38, 0xf1, 0xca),             /* crc32 ecx, edx */
        T(CMP_RCX, GEN_INT, 0xf2, 0x48, 0x0f, 0x38, 0xf0, 0xca),       /* crc32 rcx, dl */
    };

    run_cases(f, cs, ARRAY_LEN(cs), 64);
}

/* Fixed values: CRC-32C of "123456789" is E3069283H (with the usual inversions); a strcmp-
 * style PCMPISTRI; PCMPESTRM with explicit lengths. */
static void test_sse42_known(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    static const char msg[] = "123456789";

    c->gpr[0] = 0xffffffff;
    for (unsigned k = 0; k < 9; k++) {
        c->gpr[1] = (u8)msg[k];
        assert_int_equal(XE_EXEC(f->e, 0xf2, 0x0f, 0x38, 0xf0, 0xc1), XE_NONE);
    }
    assert_int_equal(c->gpr[0] ^ 0xffffffffu, 0xe3069283u);

    /* pcmpistri xmm0, xmm1, 0x18 (unsigned bytes, equal each, negative): first difference. */
    memset(&c->fpu.xmm[0], 0, 16);
    memset(&c->fpu.xmm[1], 0, 16);
    memcpy(&c->fpu.xmm[0], "hello, world", 12);
    memcpy(&c->fpu.xmm[1], "hello, there", 12);
    c->gpr[1] = ~0ull;
    assert_int_equal(XE_EXEC(f->e, 0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x18), XE_NONE);
    assert_int_equal(c->gpr[1], 7);
    assert_int_equal(cpu_get_rflags(c) & RFLAGS_ARITH, RFLAGS_CF | RFLAGS_ZF | RFLAGS_SF);

    /* pcmpestrm xmm0, xmm1, 0x40 (equal any, byte mask): which of "abcabc" are in "ca". */
    memset(&c->fpu.xmm[0], 0xee, 16);
    memset(&c->fpu.xmm[1], 0xee, 16);
    memcpy(&c->fpu.xmm[0], "ca", 2);
    memcpy(&c->fpu.xmm[1], "abcabc", 6);
    c->gpr[0] = 2;
    c->gpr[2] = (u64)-6; /* the absolute value counts */
    assert_int_equal(XE_EXEC(f->e, 0x66, 0x0f, 0x3a, 0x60, 0xc1, 0x40), XE_NONE);
    assert_int_equal(c->fpu.xmm[0].q[0], 0x0000ff00ffff00ffull);
    assert_int_equal(c->fpu.xmm[0].q[1], 0);
    assert_int_equal(cpu_get_rflags(c) & RFLAGS_ARITH,
                     RFLAGS_CF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF);
}

/* ---- faults and feature gating ----------------------------------------------------------- */

static int exec_bytes(struct xenv *e, const u8 *b, unsigned n)
{
    return xe_exec(e, b, n);
}

#define EXEC(e, ...) exec_bytes((e), (const u8[]){__VA_ARGS__}, sizeof((const u8[]){__VA_ARGS__}))

static void test_sse4_faults(void **state)
{
    struct fx *f = *state;
    struct xenv *e = f->e;
    struct cpu *c = e->c;

    /* Legacy 128-bit memory operands must be aligned, except PCMPxSTRx and narrower loads. */
    c->gpr[6] = XE_DATA + 8;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x00, 0x06), EXC_GP);        /* pshufb */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x0f, 0x06, 0x03), EXC_GP);  /* palignr */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x2a, 0x06), EXC_GP);        /* movntdqa */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x17, 0x06), EXC_GP);        /* ptest */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x10, 0x06), EXC_GP);        /* pblendvb */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x08, 0x06, 0x00), EXC_GP);  /* roundps */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x40, 0x06, 0xff), EXC_GP);  /* dpps */
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0x00, 0x06), XE_NONE);             /* pshufb mm */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x63, 0x06, 0x00), XE_NONE); /* pcmpistri */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x30, 0x06), XE_NONE);       /* pmovzxbw m64 */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x0a, 0x06, 0x00), XE_NONE); /* roundss m32 */
    /* MOVNTDQA has no register form; PEXTR to memory works through the PEXTRW 0F3A form. */
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x2a, 0xc1), EXC_UD);
    /* PMOVZXBQ reads 2 bytes only: the last 2 bytes before a not-present page are fine;
     * PMOVZXBD (4 bytes) there faults. */
    c->gpr[6] = XE_NP - 2;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x32, 0x06), XE_NONE);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x31, 0x06), EXC_PF);
    /* PEXTRW to memory writes 2 bytes; to the read-only page: #PF. */
    c->gpr[6] = XE_DATA;
    memset(xe_host(e, XE_DATA), 0x11, 8);
    c->fpu.xmm[1].w[3] = 0xabcd;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x15, 0x0e, 0x03), XE_NONE);
    assert_int_equal(xe_rd64(e, XE_DATA), 0x111111111111abcdull);
    c->gpr[6] = XE_RO;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x15, 0x0e, 0x03), EXC_PF);
    c->gpr[6] = XE_DATA;
    /* LOCK: #UD. */
    assert_int_equal(EXEC(e, 0xf0, 0x66, 0x0f, 0x38, 0x00, 0x06), EXC_UD);
    assert_int_equal(EXEC(e, 0xf0, 0xf2, 0x0f, 0x38, 0xf0, 0x06), EXC_UD);
    /* CR0.TS: #NM for XMM and MMX forms; CRC32 is not affected. */
    c->cr0 |= FPU_CR0_TS;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x00, 0xc1), EXC_NM);
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0x00, 0xc1), EXC_NM);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x00), EXC_NM);
    assert_int_equal(EXEC(e, 0xf2, 0x0f, 0x38, 0xf1, 0xc1), XE_NONE);
    c->cr0 &= ~FPU_CR0_TS;
    /* CR0.EM: #UD for both; CR4.OSFXSR = 0: #UD for XMM forms only. */
    c->cr0 |= FPU_CR0_EM;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x1c, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0x1c, 0xc1), EXC_UD);
    c->cr0 &= ~FPU_CR0_EM;
    c->cr4 &= ~FPU_CR4_OSFXSR;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x1c, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0x1c, 0xc1), XE_NONE);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x16, 0xc8, 0x01), EXC_UD);
    c->cr4 |= FPU_CR4_OSFXSR;
    /* No MMX forms of SSE4; no F3 forms. */
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0x10, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x0f, 0x3a, 0x08, 0xc1, 0x00), EXC_UD);
    assert_int_equal(EXEC(e, 0xf3, 0x0f, 0x38, 0x00, 0xc1), EXC_UD);
    /* MOVBE still owns the unprefixed and 66 rows of 0F38 F0/F1. */
    c->gpr[3] = XE_DATA;
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0xf0, 0x03), XE_NONE);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0xf1, 0x0b), XE_NONE);
}

static void test_sse4_features_off(void **state)
{
    struct xenv *e = xe_create("terrace,-ssse3,-sse4.1,-sse4.2");

    (void)state;
    assert_non_null(e);
    e->c->gpr[6] = XE_DATA;
    e->c->gpr[3] = XE_DATA;
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x00, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x0f, 0x38, 0x00, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x01), EXC_UD);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x17, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x16, 0xc8, 0x01), EXC_UD);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x37, 0xc1), EXC_UD);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x3a, 0x63, 0xc1, 0x00), EXC_UD);
    assert_int_equal(EXEC(e, 0xf2, 0x0f, 0x38, 0xf1, 0xc1), EXC_UD); /* MOVBE reg form */
    xe_destroy(e);
    /* SSE4.2 off alone leaves SSE4.1 working. */
    e = xe_create("terrace,-sse4.2");
    assert_non_null(e);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x17, 0xc1), XE_NONE);
    assert_int_equal(EXEC(e, 0x66, 0x0f, 0x38, 0x37, 0xc1), EXC_UD);
    xe_destroy(e);
}

/* ROUNDSS: an SNaN with IE unmasked raises #XM (#UD without OSXMMEXCPT) and writes nothing;
 * imm8[3] suppresses the precision exception even when PE is unmasked. */
static void test_sse41_round_exceptions(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    float v;

    c->fpu.xmm[0].d[0] = 0x12345678;
    c->fpu.xmm[1].d[0] = 0x7f800001; /* SNaN */
    c->fpu.mxcsr = MXCSR_DEFAULT & ~(MXCSR_IE << 7);
    c->cr4 |= FPU_CR4_OSXMMEXCPT;
    assert_int_equal(EXEC(f->e, 0x66, 0x0f, 0x3a, 0x0a, 0xc1, 0x00), EXC_XM);
    assert_int_equal(c->fpu.xmm[0].d[0], 0x12345678);
    assert_int_equal(c->fpu.mxcsr & MXCSR_FLAGS, MXCSR_IE);
    c->cr4 &= ~FPU_CR4_OSXMMEXCPT;
    assert_int_equal(EXEC(f->e, 0x66, 0x0f, 0x3a, 0x0a, 0xc1, 0x00), EXC_UD);
    c->cr4 |= FPU_CR4_OSXMMEXCPT;
    /* 2.5 rounded to nearest with PE unmasked: #XM; with imm8[3]: 2.0, no flag. */
    v = 2.5f;
    memcpy(&c->fpu.xmm[1].d[0], &v, 4);
    c->fpu.mxcsr = MXCSR_DEFAULT & ~(MXCSR_PE << 7);
    assert_int_equal(EXEC(f->e, 0x66, 0x0f, 0x3a, 0x0a, 0xc1, 0x00), EXC_XM);
    assert_int_equal(c->fpu.xmm[0].d[0], 0x12345678);
    c->fpu.mxcsr = MXCSR_DEFAULT & ~(MXCSR_PE << 7);
    assert_int_equal(EXEC(f->e, 0x66, 0x0f, 0x3a, 0x0a, 0xc1, 0x08), XE_NONE);
    memcpy(&v, &c->fpu.xmm[0].d[0], 4);
    assert_true(v == 2.0f);
    assert_int_equal(c->fpu.mxcsr & MXCSR_FLAGS, 0);
    /* imm8[2]: MXCSR.RC (round up here) instead of imm8[1:0]. */
    c->fpu.mxcsr = MXCSR_DEFAULT | 0x4000;
    assert_int_equal(EXEC(f->e, 0x66, 0x0f, 0x3a, 0x0a, 0xc1, 0x0c), XE_NONE);
    memcpy(&v, &c->fpu.xmm[0].d[0], 4);
    assert_true(v == 3.0f);
    c->fpu.mxcsr = MXCSR_DEFAULT;
    c->cr4 &= ~FPU_CR4_OSXMMEXCPT;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ssse3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse41_0f38, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse41_ptest_special, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse41_imm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse41_fp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse41_round_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse42_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse42_pcmpgtq_crc32, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse42_known, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse4_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse4_features_off, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/sse4", tests, NULL, NULL);
}
