/* SPDX-License-Identifier: MIT */
/*
 * Tests of the SSE families (core/exec_sse.c, exec_sse_int.c, exec_sse_mmx.c): every form is
 * run on random and special inputs both natively on the host and in the emulator, and the
 * FXSAVE images, memory, flags and RAX must agree bit for bit; plus the fault behaviour
 * (alignment #GP, #UD/#NM from CR0/CR4, unmasked exceptions #XM/#UD, LDMXCSR #GP).
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
    f->seed = 0x9e3779b97f4a7c15ull;
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

/* A random state: x87 empty with default control, MXCSR with random rounding, DAZ and FTZ
 * (all exceptions masked), XMM registers and memory of FP-flavoured random values. */
static void random_state(struct fx *f, struct fo_state *st, bool f64)
{
    static const u32 csr_ctl[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0xffc0};
    u16 fcw = FCW_DEFAULT;
    u32 mxcsr = csr_ctl[fo_rand(&f->seed) % ARRAY_LEN(csr_ctl)];

    memset(st, 0, sizeof(*st));
    memcpy(st->img, &fcw, 2);
    memcpy(st->img + 24, &mxcsr, 4);
    for (unsigned r = 0; r < 16; r++) {
        u8 *x = st->img + 160 + 16 * r;

        for (unsigned k = 0; k < 4; k++) {
            if (f64) {
                u64 v = fo_rand_f64(&f->seed);

                memcpy(x + 8 * (k & 1), &v, 8);
            } else {
                u32 v = fo_rand_f32(&f->seed);

                memcpy(x + 4 * k, &v, 4);
            }
        }
    }
    for (unsigned k = 0; k < FO_MEM_BYTES; k += 8) {
        u64 v = f64 ? fo_rand_f64(&f->seed)
                    : ((u64)fo_rand_f32(&f->seed) << 32) | fo_rand_f32(&f->seed);

        memcpy(st->mem + k, &v, 8);
    }
    st->rax = fo_rand(&f->seed);
    st->rflags = 0x202 | (fo_rand(&f->seed) & 0x8d5);
}

#define CMP_FLAGS 0x1u /* compare the arithmetic flags */
#define CMP_RAX   0x2u /* compare RAX */

/* Compare two images except FIP/FDP/FOP (AMD hosts save them only with an exception
 * pending) and MXCSR_MASK (the host's may advertise more). */
static void expect_same(const struct fo_state *host, const struct fo_state *emu, unsigned how,
                        const u8 *insn, unsigned n, unsigned iter)
{
    char what[64];
    int len = 0;

    for (unsigned k = 0; k < n && len < 48; k++)
        len += snprintf(what + len, sizeof(what) - (size_t)len, "%02x ", insn[k]);
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
    if ((how & CMP_FLAGS) && ((host->rflags ^ emu->rflags) & 0x8d5)) {
        print_error("insn %s iter %u: flags host %llx emu %llx\n", what, iter,
                    (unsigned long long)host->rflags, (unsigned long long)emu->rflags);
        fail();
    }
    if ((how & CMP_RAX) && host->rax != emu->rax) {
        print_error("insn %s iter %u: rax host %llx emu %llx\n", what, iter,
                    (unsigned long long)host->rax, (unsigned long long)emu->rax);
        fail();
    }
}

struct case_bytes {
    u8 b[8];
    u8 n;
    u8 how;
    bool f64;
};

/* Longer runs: -DFO_ITER_SCALE=N multiplies every case's iteration count. */
#ifndef FO_ITER_SCALE
#define FO_ITER_SCALE 1
#endif

static void run_cases(struct fx *f, const struct case_bytes *cases, size_t n_cases, unsigned iters)
{
    iters *= FO_ITER_SCALE;
    for (size_t k = 0; k < n_cases; k++) {
        for (unsigned it = 0; it < iters; it++) {
            struct fo_state host, emu;
            int vec;

            random_state(f, &host, cases[k].f64);
            emu = host;
            fo_host_run(&f->h, &host, cases[k].b, cases[k].n);
            vec = fo_emu_run(f->e, &emu, cases[k].b, cases[k].n);
            if (vec != XE_NONE) {
                print_error("case %zu (%02x %02x %02x %02x) raised %d\n", k, cases[k].b[0],
                            cases[k].b[1], cases[k].b[2], cases[k].b[3], vec);
                fail();
            }
            expect_same(&host, &emu, cases[k].how, cases[k].b, cases[k].n, it);
        }
    }
}

#define C(...)                                                                                     \
    {                                                                                              \
        .b = {__VA_ARGS__}, .n = sizeof((u8[]){__VA_ARGS__}), .how = 0, .f64 = false               \
    }
#define CD(...)                                                                                    \
    {                                                                                              \
        .b = {__VA_ARGS__}, .n = sizeof((u8[]){__VA_ARGS__}), .how = 0, .f64 = true                \
    }
#define CF(how_, f64_, ...)                                                                        \
    {                                                                                              \
        .b = {__VA_ARGS__}, .n = sizeof((u8[]){__VA_ARGS__}), .how = how_, .f64 = f64_             \
    }

/* The userland mix's forms first (movups/movaps/movdqa/movdqu, movsd/movss, pxor,
 * pcmpeqb+pmovmskb, punpckl*, pshufd, scalar double arithmetic, compares, conversions). */
static void test_sse_moves(void **state)
{
    static const struct case_bytes cases[] = {
        C(0x0f, 0x10, 0xc1),                              /* movups xmm0, xmm1 */
        C(0x0f, 0x10, 0x1e),                              /* movups xmm3, [rsi] */
        C(0x0f, 0x11, 0x16),                              /* movups [rsi], xmm2 */
        C(0x44, 0x0f, 0x11, 0x56, 0x08),                  /* movups [rsi+8], xmm10 */
        C(0x0f, 0x28, 0xc1),                              /* movaps */
        C(0x45, 0x0f, 0x28, 0xc7),                        /* movaps xmm8, xmm15 */
        C(0x0f, 0x29, 0x16),                              /* movaps [rsi], xmm2 */
        C(0x66, 0x0f, 0x6f, 0x06),                        /* movdqa xmm0, [rsi] */
        C(0x66, 0x0f, 0x7f, 0x0e),                        /* movdqa [rsi], xmm1 */
        C(0xf3, 0x0f, 0x6f, 0x46, 0x03),                  /* movdqu xmm0, [rsi+3] */
        C(0xf3, 0x0f, 0x7f, 0x4e, 0x05),                  /* movdqu [rsi+5], xmm1 */
        C(0xf3, 0x0f, 0x10, 0xc1),                        /* movss xmm0, xmm1 */
        C(0xf3, 0x0f, 0x10, 0x06),                        /* movss xmm0, [rsi] */
        C(0xf3, 0x0f, 0x11, 0x06),                        /* movss [rsi], xmm0 */
        C(0xf2, 0x0f, 0x10, 0xc1),                        /* movsd xmm0, xmm1 */
        C(0xf2, 0x0f, 0x10, 0x06),                        /* movsd xmm0, [rsi] */
        C(0xf2, 0x0f, 0x11, 0x06),                        /* movsd [rsi], xmm0 */
        C(0x0f, 0x12, 0x06),                              /* movlps xmm0, [rsi] */
        C(0x0f, 0x12, 0xc1),                              /* movhlps */
        C(0x66, 0x0f, 0x12, 0x06),                        /* movlpd */
        C(0x0f, 0x13, 0x06),                              /* movlps [rsi], xmm0 */
        C(0x0f, 0x16, 0x06),                              /* movhps xmm0, [rsi] */
        C(0x0f, 0x16, 0xc1),                              /* movlhps */
        C(0x66, 0x0f, 0x17, 0x06),                        /* movhpd [rsi], xmm0 */
        C(0x0f, 0x2b, 0x06),                              /* movntps [rsi], xmm0 */
        C(0x66, 0x0f, 0xe7, 0x06),                        /* movntdq */
        C(0x66, 0x0f, 0x6e, 0x06),                        /* movd xmm0, [rsi] */
        C(0x66, 0x48, 0x0f, 0x6e, 0x06),                  /* movq xmm0, [rsi] */
        C(0x66, 0x0f, 0x7e, 0x06),                        /* movd [rsi], xmm0 */
        C(0x66, 0x48, 0x0f, 0x7e, 0x06),                  /* movq [rsi], xmm0 */
        CF(CMP_RAX, false, 0x66, 0x48, 0x0f, 0x7e, 0xc0), /* movq rax, xmm0 */
        CF(CMP_RAX, false, 0x66, 0x0f, 0x7e, 0xc8),       /* movd eax, xmm1 */
        C(0xf3, 0x0f, 0x7e, 0xc1),                        /* movq xmm0, xmm1 */
        C(0xf3, 0x0f, 0x7e, 0x06),                        /* movq xmm0, [rsi] */
        C(0x66, 0x0f, 0xd6, 0xc1),                        /* movq xmm1, xmm0 */
        C(0x66, 0x0f, 0xd6, 0x06),                        /* movq [rsi], xmm0 */
        CF(CMP_RAX, false, 0x0f, 0x50, 0xc1),             /* movmskps eax, xmm1 */
        CF(CMP_RAX, false, 0x66, 0x0f, 0x50, 0xc1),       /* movmskpd eax, xmm1 */
        CF(CMP_RAX, false, 0x66, 0x0f, 0xd7, 0xc1),       /* pmovmskb eax, xmm1 */
        CF(CMP_RAX, false, 0x66, 0x41, 0x0f, 0xd7, 0xc7), /* pmovmskb eax, xmm15 */
        C(0x0f, 0xc3, 0x06),                              /* movnti [rsi], eax */
        C(0x0f, 0x14, 0xc1),
        C(0x0f, 0x15, 0xc1),
        C(0x66, 0x0f, 0x14, 0xc1),
        C(0x66, 0x0f, 0x15, 0x06),
        C(0x0f, 0xc6, 0xc1, 0x1b),
        C(0x0f, 0xc6, 0x06, 0xe4),
        C(0x66, 0x0f, 0xc6, 0xc1, 0x01),
        C(0x66, 0x0f, 0xc6, 0xc1, 0x02),
        C(0x0f, 0x54, 0xc1),
        C(0x66, 0x0f, 0x55, 0xc1),
        C(0x0f, 0x56, 0x06),
        C(0x66, 0x0f, 0x57, 0xc0),
    };
    struct fx *f = *state;

    run_cases(f, cases, ARRAY_LEN(cases), 8);
}

/* Floating-point arithmetic and conversions: opcode x prefix x (reg, mem) on random values. */
static void test_sse_fp_arith(void **state)
{
    static const u8 ops[] = {0x51, 0x58, 0x59, 0x5a, 0x5c, 0x5d, 0x5e, 0x5f};
    static const u8 pfx[] = {0x00, 0x66, 0xf3, 0xf2};
    struct fx *f = *state;
    struct case_bytes cs[ARRAY_LEN(ops) * 4 * 2 + 16];
    size_t n = 0;

    for (size_t o = 0; o < ARRAY_LEN(ops); o++)
        for (size_t p = 0; p < 4; p++)
            for (unsigned m = 0; m < 2; m++) {
                struct case_bytes c = {.n = 0, .f64 = pfx[p] == 0x66 || pfx[p] == 0xf2};

                if (pfx[p])
                    c.b[c.n++] = pfx[p];
                c.b[c.n++] = 0x0f;
                c.b[c.n++] = ops[o];
                c.b[c.n++] = m ? 0x06 : 0xc1;
                cs[n++] = c;
            }
    {
        static const struct case_bytes extra[] = {
            C(0x0f, 0x52, 0xc1),        C(0xf3, 0x0f, 0x52, 0xc1),  C(0x0f, 0x53, 0xc1),
            C(0xf3, 0x0f, 0x53, 0x06),  C(0x0f, 0x5b, 0xc1),        C(0x66, 0x0f, 0x5b, 0xc1),
            C(0xf3, 0x0f, 0x5b, 0x06),  CD(0x66, 0x0f, 0xe6, 0xc1), C(0xf3, 0x0f, 0xe6, 0x06),
            CD(0xf2, 0x0f, 0xe6, 0xc1), C(0x0f, 0x5a, 0x06),        CD(0x66, 0x0f, 0x5a, 0x06),
        };

        memcpy(cs + n, extra, sizeof(extra));
        n += ARRAY_LEN(extra);
    }
    run_cases(f, cs, n, 40);
}

static void test_sse_compares(void **state)
{
    struct fx *f = *state;
    struct case_bytes cs[64];
    size_t n = 0;
    static const u8 pfx[] = {0x00, 0x66, 0xf3, 0xf2};

    for (size_t p = 0; p < 4; p++)
        for (u8 pred = 0; pred < 8; pred++) {
            struct case_bytes c = {.n = 0, .f64 = pfx[p] == 0x66 || pfx[p] == 0xf2};

            if (pfx[p])
                c.b[c.n++] = pfx[p];
            c.b[c.n++] = 0x0f;
            c.b[c.n++] = 0xc2;
            c.b[c.n++] = pred & 1 ? 0x06 : 0xc1;
            c.b[c.n++] = pred;
            cs[n++] = c;
        }
    {
        static const struct case_bytes comi[] = {
            CF(CMP_FLAGS, false, 0x0f, 0x2e, 0xc1),
            CF(CMP_FLAGS, false, 0x0f, 0x2f, 0x06),
            CF(CMP_FLAGS, true, 0x66, 0x0f, 0x2e, 0xc1),
            CF(CMP_FLAGS, true, 0x66, 0x0f, 0x2f, 0xc1),
            CF(CMP_FLAGS, true, 0x66, 0x0f, 0x2e, 0x06),
        };

        memcpy(cs + n, comi, sizeof(comi));
        n += ARRAY_LEN(comi);
    }
    run_cases(f, cs, n, 40);
}

static void test_sse_gpr_conversions(void **state)
{
    static const struct case_bytes cases[] = {
        CF(0, true, 0xf2, 0x0f, 0x2a, 0x06),              /* cvtsi2sd xmm0, [rsi] */
        CF(0, true, 0xf2, 0x48, 0x0f, 0x2a, 0x06),        /* cvtsi2sd xmm0, qword [rsi] */
        CF(0, false, 0xf3, 0x48, 0x0f, 0x2a, 0x06),       /* cvtsi2ss xmm0, qword [rsi] */
        CF(0, false, 0xf3, 0x0f, 0x2a, 0x4e, 0x04),       /* cvtsi2ss xmm1, [rsi+4] */
        CF(CMP_RAX, true, 0xf2, 0x48, 0x0f, 0x2c, 0xc1),  /* cvttsd2si rax, xmm1 */
        CF(CMP_RAX, true, 0xf2, 0x0f, 0x2c, 0xc1),        /* cvttsd2si eax, xmm1 */
        CF(CMP_RAX, true, 0xf2, 0x48, 0x0f, 0x2d, 0x06),  /* cvtsd2si rax, [rsi] */
        CF(CMP_RAX, false, 0xf3, 0x0f, 0x2c, 0xc1),       /* cvttss2si eax, xmm1 */
        CF(CMP_RAX, false, 0xf3, 0x48, 0x0f, 0x2d, 0xc1), /* cvtss2si rax, xmm1 */
        CF(0, false, 0x0f, 0x2a, 0x06),                   /* cvtpi2ps xmm0, [rsi] */
        CF(0, true, 0x66, 0x0f, 0x2a, 0x06),              /* cvtpi2pd xmm0, [rsi] */
        CF(0, false, 0x0f, 0x2c, 0xc1),                   /* cvttps2pi mm0, xmm1 */
        CF(0, true, 0x66, 0x0f, 0x2d, 0xc1),              /* cvtpd2pi mm0, xmm1 */
    };
    struct fx *f = *state;

    run_cases(f, cases, ARRAY_LEN(cases), 40);
}

/* Every packed-integer opcode, XMM (66) register and memory forms and MMX forms. */
static void test_sse_integer(void **state)
{
    static const u8 ops[] = {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b,
                             0x6c, 0x6d, 0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9,
                             0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5,
                             0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef, 0xf1, 0xf2, 0xf3, 0xf4,
                             0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe};
    struct fx *f = *state;
    struct case_bytes cs[ARRAY_LEN(ops) * 4 + 40];
    size_t n = 0;

    for (size_t o = 0; o < ARRAY_LEN(ops); o++) {
        struct case_bytes r = C(0x66, 0x0f, ops[o], 0xc1);
        struct case_bytes m = C(0x66, 0x0f, ops[o], 0x06);
        struct case_bytes x = C(0x66, 0x45, 0x0f, ops[o], 0xc7);

        cs[n++] = r;
        cs[n++] = m;
        cs[n++] = x;
        if (ops[o] != 0x6c && ops[o] != 0x6d) {
            struct case_bytes mm = C(0x0f, ops[o], 0xc1);

            cs[n++] = mm;
        }
    }
    {
        static const struct case_bytes extra[] = {
            C(0x66, 0x0f, 0x70, 0xc1, 0x1b),
            C(0x66, 0x0f, 0x70, 0x06, 0x4e),
            C(0xf3, 0x0f, 0x70, 0xc1, 0x93),
            C(0xf2, 0x0f, 0x70, 0xc1, 0x27),
            C(0x0f, 0x70, 0xc1, 0xb1),
            C(0x66, 0x0f, 0x71, 0xd1, 0x03),
            C(0x66, 0x0f, 0x71, 0xe1, 0x11),
            C(0x66, 0x0f, 0x71, 0xf1, 0x0f),
            C(0x66, 0x0f, 0x72, 0xd1, 0x05),
            C(0x66, 0x0f, 0x72, 0xe1, 0x1f),
            C(0x66, 0x0f, 0x72, 0xf1, 0x21),
            C(0x66, 0x0f, 0x73, 0xd1, 0x07),
            C(0x66, 0x0f, 0x73, 0xd9, 0x05),
            C(0x66, 0x0f, 0x73, 0xf1, 0x3f),
            C(0x66, 0x0f, 0x73, 0xf9, 0x11),
            C(0x66, 0x0f, 0x73, 0xf9, 0x03),
            C(0x0f, 0x71, 0xd1, 0x03),
            C(0x0f, 0x72, 0xe1, 0x07),
            C(0x0f, 0x73, 0xf1, 0x09),
            C(0x66, 0x0f, 0xc4, 0x06, 0x05),
            CF(CMP_RAX, false, 0x66, 0x0f, 0xc5, 0xc1, 0x06),
            C(0x0f, 0xc4, 0x06, 0x02),
            CF(CMP_RAX, false, 0x0f, 0xc5, 0xc1, 0x03),
            CF(CMP_RAX, false, 0x0f, 0xd7, 0xc1),
            C(0x0f, 0x6e, 0x06),
            C(0x48, 0x0f, 0x6e, 0x06),
            C(0x0f, 0x7e, 0x06),
            C(0x0f, 0x6f, 0x06),
            C(0x0f, 0x6f, 0xc1),
            C(0x0f, 0x7f, 0x06),
            C(0x0f, 0xe7, 0x06),
            C(0xf3, 0x0f, 0xd6, 0xc1),
            C(0xf2, 0x0f, 0xd6, 0xc1),
            C(0x0f, 0x77),
        };

        memcpy(cs + n, extra, sizeof(extra));
        n += ARRAY_LEN(extra);
    }
    run_cases(f, cs, n, 12);
}

static void test_sse3(void **state)
{
    static const struct case_bytes cases[] = {
        CD(0x66, 0x0f, 0xd0, 0xc1),      C(0xf2, 0x0f, 0xd0, 0x06),
        CD(0x66, 0x0f, 0x7c, 0xc1),      C(0xf2, 0x0f, 0x7c, 0xc1),
        CD(0x66, 0x0f, 0x7d, 0x06),      C(0xf2, 0x0f, 0x7d, 0xc1),
        C(0xf3, 0x0f, 0x12, 0xc1),       C(0xf3, 0x0f, 0x16, 0x06),
        C(0xf2, 0x0f, 0x12, 0xc1),       C(0xf2, 0x0f, 0x12, 0x46, 0x08),
        C(0xf2, 0x0f, 0xf0, 0x46, 0x01),
    };
    struct fx *f = *state;

    run_cases(f, cases, ARRAY_LEN(cases), 40);
}

static int exec_bytes(struct fx *f, const u8 *b, unsigned n)
{
    return xe_exec(f->e, b, n);
}

#define EXEC(f, ...) exec_bytes((f), (const u8[]){__VA_ARGS__}, sizeof((const u8[]){__VA_ARGS__}))

static void test_sse_faults(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    u32 v;

    /* Misaligned MOVAPS/MOVDQA/FXSAVE: #GP(0); MOVUPS is fine. */
    c->gpr[6] = XE_DATA + 4;
    assert_int_equal(EXEC(f, 0x0f, 0x28, 0x06), EXC_GP);
    assert_int_equal(EXEC(f, 0x66, 0x0f, 0x7f, 0x06), EXC_GP);
    assert_int_equal(EXEC(f, 0x66, 0x0f, 0xef, 0x06), EXC_GP); /* pxor xmm0, m128 */
    assert_int_equal(EXEC(f, 0x0f, 0x10, 0x06), XE_NONE);
    assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x06), EXC_GP); /* fxsave64 */
    /* CR0.TS: #NM; CR0.EM or CR4.OSFXSR = 0: #UD. */
    c->gpr[6] = XE_DATA;
    c->cr0 |= FPU_CR0_TS;
    assert_int_equal(EXEC(f, 0x0f, 0x28, 0xc1), EXC_NM);
    assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x06), EXC_NM);
    c->cr0 &= ~FPU_CR0_TS;
    c->cr0 |= FPU_CR0_EM;
    assert_int_equal(EXEC(f, 0x0f, 0x28, 0xc1), EXC_UD);
    c->cr0 &= ~FPU_CR0_EM;
    c->cr4 &= ~FPU_CR4_OSFXSR;
    assert_int_equal(EXEC(f, 0x66, 0x0f, 0xef, 0xc0), EXC_UD);
    c->cr4 |= FPU_CR4_OSFXSR;
    /* LDMXCSR with a reserved bit: #GP(0), MXCSR unchanged; STMXCSR. */
    xe_wr64(f->e, XE_DATA, 0x00011f80);
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x16), EXC_GP);
    assert_int_equal(c->fpu.mxcsr, 0x1f80);
    xe_wr64(f->e, XE_DATA, 0x00003f80);
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x16), XE_NONE);
    assert_int_equal(c->fpu.mxcsr, 0x3f80);
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x5e, 0x08), XE_NONE); /* stmxcsr [rsi+8] */
    memcpy(&v, xe_host(f->e, XE_DATA + 8), 4);
    assert_int_equal(v, 0x3f80);
    c->fpu.mxcsr = MXCSR_DEFAULT;
    /* Fences and CLFLUSH decode and run; CLFLUSH of a not-present page: #PF. */
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0xe8), XE_NONE);
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0xf0), XE_NONE);
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0xf8), XE_NONE);
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x3e), XE_NONE);
    c->gpr[6] = XE_NP;
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x3e), EXC_PF);
    /* XSAVE (0F AE /4) is not implemented: #UD. */
    c->gpr[6] = XE_DATA;
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x26), EXC_UD);
}

/* Unmasked exceptions: #XM with CR4.OSXMMEXCPT, else #UD; the destination is not written
 * and the flag is set. */
static void test_sse_unmasked(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    double one = 1.0, zero = 0.0, d;

    memcpy(&c->fpu.xmm[0].df[0], &one, 8);
    memcpy(&c->fpu.xmm[1].df[0], &zero, 8);
    c->fpu.mxcsr = MXCSR_DEFAULT & ~(MXCSR_ZE << 7); /* divide-by-zero unmasked */
    c->cr4 |= FPU_CR4_OSXMMEXCPT;
    assert_int_equal(EXEC(f, 0xf2, 0x0f, 0x5e, 0xc1), EXC_XM); /* divsd xmm0, xmm1 */
    memcpy(&d, &c->fpu.xmm[0].df[0], 8);
    assert_true(d == 1.0);
    assert_int_equal(c->fpu.mxcsr & MXCSR_FLAGS, MXCSR_ZE);
    c->cr4 &= ~FPU_CR4_OSXMMEXCPT;
    assert_int_equal(EXEC(f, 0xf2, 0x0f, 0x5e, 0xc1), EXC_UD);
    /* Masked: infinity and ZE. */
    c->fpu.mxcsr = MXCSR_DEFAULT;
    assert_int_equal(EXEC(f, 0xf2, 0x0f, 0x5e, 0xc1), XE_NONE);
    memcpy(&d, &c->fpu.xmm[0].df[0], 8);
    assert_true(d > 1e308);
    assert_int_equal(c->fpu.mxcsr, MXCSR_DEFAULT | MXCSR_ZE);
    /* The host's MXCSR is untouched by all this. */
    {
        u32 host;

        __asm__ __volatile__("stmxcsr %0" : "=m"(host));
        assert_int_equal(host & ~MXCSR_FLAGS, 0x1f80);
    }
    c->fpu.mxcsr = MXCSR_DEFAULT;
}

/* MMX and the x87 state (SDM vol. 3 12.2): EMMS empties the tags and sets TOP = 0; an MMX
 * instruction sets TOP = 0 and all registers valid, but not when its operand faults (#PF
 * leaves the x87 state as it was, as the host does); CVTPI2PS from memory is no MMX
 * transition. */
static void test_sse_mmx_state(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;

    fpu_reset(&c->fpu);
    c->fpu.fsw = 5u << 11;
    c->fpu.ftw = 0xe0;
    assert_int_equal(EXEC(f, 0x0f, 0x77), XE_NONE); /* emms */
    assert_int_equal(c->fpu.fsw, 0);
    assert_int_equal(c->fpu.ftw, 0);
    c->fpu.fsw = 6u << 11;
    c->fpu.ftw = 0xc0;
    c->gpr[6] = XE_NP;
    assert_int_equal(EXEC(f, 0x0f, 0xfc, 0x06), EXC_PF); /* paddb mm0, [rsi] */
    assert_int_equal(c->fpu.fsw, 6u << 11);
    assert_int_equal(c->fpu.ftw, 0xc0);
    assert_int_equal(EXEC(f, 0x0f, 0x7f, 0x06), EXC_PF); /* movq [rsi], mm0 */
    assert_int_equal(c->fpu.fsw, 6u << 11);
    assert_int_equal(c->fpu.ftw, 0xc0);
    c->gpr[6] = XE_DATA;
    assert_int_equal(EXEC(f, 0x0f, 0x2a, 0x06), XE_NONE); /* cvtpi2ps xmm0, [rsi] */
    assert_int_equal(c->fpu.fsw, 6u << 11);
    assert_int_equal(c->fpu.ftw, 0xc0);
    assert_int_equal(EXEC(f, 0x0f, 0xfc, 0x06), XE_NONE); /* paddb mm0, [rsi] */
    assert_int_equal(c->fpu.fsw, 0);
    assert_int_equal(c->fpu.ftw, 0xff);
    fpu_reset(&c->fpu);
}

/*
 * Underflow and overflow with UM or OM clear (SDM vol. 1 11.5.2.3, 11.5.2.4): every tiny
 * result (after rounding) raises UE, exact or not, and an element with an unmasked UE or OE
 * reports no PE. The expected values are what the host (AMD EPYC) gives for the same operands.
 */
static void test_sse_unmasked_underflow(void **state)
{
    static const struct {
        u8 b[4];
        u32 csr;
        u32 x0[4], x1[4];
        int vec;
        u32 flags;
        u32 r0[4]; /* xmm0 after, when no exception */
    } rows[] = {
        /* mulss: (1-2^-23)(2^-126 (1+2^-23)) rounds to 2^-126: not tiny after rounding */
        {{0xf3, 0x0f, 0x59, 0xc1}, 0x1780, {0x3f7ffffe}, {0x00800001}, XE_NONE, 0x20, {0x00800000}},
        {{0xf3, 0x0f, 0x59, 0xc1}, 0x7f80, {0x3f7ffffe}, {0x00800001}, XE_NONE, 0x30, {0x007fffff}},
        /* mulss: 2^-126 * 0.5, exact and tiny */
        {{0xf3, 0x0f, 0x59, 0xc1}, 0x1f80, {0x00800000}, {0x3f000000}, XE_NONE, 0, {0x00400000}},
        {{0xf3, 0x0f, 0x59, 0xc1}, 0x1780, {0x00800000}, {0x3f000000}, EXC_XM, 0x10, {0}},
        {{0xf3, 0x0f, 0x59, 0xc1}, 0x9780, {0x00800000}, {0x3f000000}, EXC_XM, 0x10, {0}},
        /* mulss: tiny and inexact, PE unmasked too: UE alone */
        {{0xf3, 0x0f, 0x59, 0xc1}, 0x0780, {0x00800001}, {0x3f000000}, EXC_XM, 0x10, {0}},
        /* mulps: exact tiny | inexact */
        {{0x0f, 0x59, 0xc1},
         0x1780,
         {0x00800000, 0x3eaaaaab, 0x3f800000, 0x3f800000},
         {0x3f000000, 0x3eaaaaab, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x30,
         {0}},
        /* mulps: overflow | exact tiny under each mask */
        {{0x0f, 0x59, 0xc1},
         0x1780,
         {0x7f000000, 0x00800000, 0x3f800000, 0x3f800000},
         {0x7f000000, 0x3f000000, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x38,
         {0}},
        {{0x0f, 0x59, 0xc1},
         0x1380,
         {0x7f000000, 0x00800000, 0x3f800000, 0x3f800000},
         {0x7f000000, 0x3f000000, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x18,
         {0}},
        {{0x0f, 0x59, 0xc1},
         0x1b80,
         {0x7f000000, 0x00800000, 0x3f800000, 0x3f800000},
         {0x7f000000, 0x3f000000, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x08,
         {0}},
        /* mulps: denormal operand (DE) with an exact tiny result; DM clear; DAZ */
        {{0x0f, 0x59, 0xc1},
         0x1780,
         {0x00000001, 0x3f800000, 0x3f800000, 0x3f800000},
         {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x12,
         {0}},
        {{0x0f, 0x59, 0xc1},
         0x1680,
         {0x00000001, 0x3f800000, 0x3f800000, 0x3f800000},
         {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x02,
         {0}},
        {{0x0f, 0x59, 0xc1},
         0x17c0,
         {0x00000001, 0x3f800000, 0x3f800000, 0x3f800000},
         {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000},
         XE_NONE,
         0,
         {0, 0x3f800000, 0x3f800000, 0x3f800000}},
        /* mulsd: (1-2^-52)(2^-1022 (1+2^-52)) rounds to 2^-1022 */
        {{0xf2, 0x0f, 0x59, 0xc1},
         0x1780,
         {0xfffffffe, 0x3fefffff},
         {0x00000001, 0x00100000},
         XE_NONE,
         0x20,
         {0, 0x00100000}},
        /* haddps: 2^-126 + -2^-127 (a denormal operand) in element 0 */
        {{0xf2, 0x0f, 0x7c, 0xc1},
         0x1780,
         {0x00800000, 0x80400000, 0x3f800000, 0x3f800000},
         {0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000},
         EXC_XM,
         0x12,
         {0}},
        /* hsubps: inexact 1 - 1/3 from the destination, exact tiny from the source */
        {{0xf2, 0x0f, 0x7d, 0xc1},
         0x1780,
         {0x3f800000, 0x3eaaaaab, 0x3f800000, 0x3f800000},
         {0x3f800000, 0x3f800000, 0x00c00000, 0x00800000},
         EXC_XM,
         0x30,
         {0}},
        /* cvtpd2ps {2^-130, 1/3}; cvtsd2ss 2^-130; cvtsd2ss 2^128 with OM clear */
        {{0x66, 0x0f, 0x5a, 0xc1},
         0x1780,
         {0},
         {0, 0x37d00000, 0x55555555, 0x3fd55555},
         EXC_XM,
         0x30,
         {0}},
        {{0xf2, 0x0f, 0x5a, 0xc1}, 0x1780, {0}, {0, 0x37d00000}, EXC_XM, 0x10, {0}},
        {{0xf2, 0x0f, 0x5a, 0xc1}, 0x1b80, {0}, {0, 0x47f00000}, EXC_XM, 0x08, {0}},
        /* addpd: a denormal doubled (exact), and -0.5 + -0.5 */
        {{0x66, 0x0f, 0x58, 0xc1},
         0x1780,
         {0x8b70e62b, 0x00001268, 0, 0xbfe00000},
         {0x8b70e62b, 0x00001268, 0, 0xbfe00000},
         EXC_XM,
         0x12,
         {0}},
        /* divpd: 2^-1022 / 2, exact */
        {{0x66, 0x0f, 0x5e, 0xc1},
         0x1780,
         {0, 0x00100000, 0, 0x3ff00000},
         {0, 0x40000000, 0, 0x3ff00000},
         EXC_XM,
         0x10,
         {0}},
    };
    struct fx *f = *state;
    struct cpu *c = f->e->c;

    c->cr4 |= FPU_CR4_OSXMMEXCPT;
    for (size_t k = 0; k < ARRAY_LEN(rows); k++) {
        unsigned n = rows[k].b[0] == 0x0f ? 3 : 4;
        int vec;

        memcpy(c->fpu.xmm[0].d, rows[k].x0, 16);
        memcpy(c->fpu.xmm[1].d, rows[k].x1, 16);
        c->fpu.mxcsr = rows[k].csr;
        vec = exec_bytes(f, rows[k].b, n);
        if (vec != rows[k].vec || (c->fpu.mxcsr & MXCSR_FLAGS) != rows[k].flags)
            print_error("row %zu: vector %d flags %02x\n", k, vec, c->fpu.mxcsr & MXCSR_FLAGS);
        assert_int_equal(vec, rows[k].vec);
        assert_int_equal(c->fpu.mxcsr, rows[k].csr | rows[k].flags);
        assert_memory_equal(c->fpu.xmm[0].d, vec == XE_NONE ? rows[k].r0 : rows[k].x0, 16);
    }
    c->cr4 &= ~FPU_CR4_OSXMMEXCPT;
    c->fpu.mxcsr = MXCSR_DEFAULT;
}

/* FXSAVE64/FXRSTOR64 and the legacy layout against the host's own images. */
static void test_sse_fxsave_layout(void **state)
{
    struct fx *f = *state;
    struct cpu *c = f->e->c;
    const u8 *img = xe_host(f->e, XE_DATA);
    u16 w;
    u32 d;

    for (unsigned r = 0; r < 16; r++)
        for (unsigned k = 0; k < 16; k++)
            c->fpu.xmm[r].b[k] = (u8)(r * 16 + k);
    c->fpu.mxcsr = 0x1f85;
    c->fpu.fcw = 0x027f;
    c->fpu.fsw = 0x3800; /* TOP = 7 */
    c->fpu.ftw = 0x80;   /* R7 valid = ST(0) */
    memset(c->fpu.st[7], 0x11, 10);
    c->fpu.fip = 0x123456789aull;
    c->fpu.fcs = 0x33;
    c->gpr[6] = XE_DATA;
    memset(xe_host(f->e, XE_DATA), 0xee, 512);
    assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x06), XE_NONE); /* fxsave64 [rsi] */
    memcpy(&w, img, 2);
    assert_int_equal(w, 0x027f);
    memcpy(&w, img + 2, 2);
    assert_int_equal(w, 0x3800);
    assert_int_equal(img[4], 0x80);
    memcpy(&d, img + 8, 4);
    assert_int_equal(d, 0x3456789a);
    memcpy(&d, img + 12, 4);
    assert_int_equal(d, 0x12); /* 64-bit FIP, no FCS */
    memcpy(&d, img + 24, 4);
    assert_int_equal(d, 0x1f85);
    assert_int_equal(img[32], 0x11); /* ST(0) = R7 */
    assert_int_equal(img[160 + 16 * 15 + 3], 0xf3);
    assert_int_equal(img[464], 0xee); /* software area untouched */
    /* Legacy layout: 32-bit FIP and FCS. */
    assert_int_equal(EXEC(f, 0x0f, 0xae, 0x06), XE_NONE);
    memcpy(&d, img + 8, 4);
    assert_int_equal(d, 0x3456789a);
    memcpy(&w, img + 12, 2);
    assert_int_equal(w, 0x33);
    /* FXRSTOR with a reserved MXCSR bit: #GP; a good one restores everything. */
    memset(&c->fpu.xmm, 0, sizeof(c->fpu.xmm));
    d = 0x10000;
    memcpy(xe_host(f->e, XE_DATA + 24), &d, 4);
    assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x0e), EXC_GP);
    d = 0x1f80;
    memcpy(xe_host(f->e, XE_DATA + 24), &d, 4);
    assert_int_equal(EXEC(f, 0x48, 0x0f, 0xae, 0x0e), XE_NONE);
    assert_int_equal(c->fpu.xmm[9].b[5], 0x95);
    assert_int_equal(c->fpu.mxcsr, 0x1f80);
    assert_int_equal(c->fpu.fcw, 0x027f);
    c->fpu.fsw = 0;
    c->fpu.ftw = 0;
    c->fpu.fcw = FCW_DEFAULT;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sse_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_fp_arith, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_compares, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_gpr_conversions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_integer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse3, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_unmasked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_unmasked_underflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_mmx_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sse_fxsave_layout, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/sse", tests, NULL, NULL);
}
