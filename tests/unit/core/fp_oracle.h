/* SPDX-License-Identifier: MIT */
/*
 * The host CPU as the oracle for x87/SSE tests: one instruction's bytes run natively between
 * FXRSTOR64 and FXSAVE64 of a given state image (and with RSI pointing at a scratch buffer
 * for memory operands), and the same bytes run in the emulator from the same image; the
 * tests compare the two FXSAVE images, the scratch memory and the arithmetic flags.
 */
#ifndef EMU_TESTS_UNIT_CORE_FP_ORACLE_H
#define EMU_TESTS_UNIT_CORE_FP_ORACLE_H

#include "exec_env.h"

#include <sys/mman.h>

#define FO_MEM_BYTES 64
#define FO_IMG_VA    (XE_DATA + 0x2000) /* FXSAVE image in guest memory (16-aligned) */
#define FO_MEM_VA    (XE_DATA + 0x3000) /* scratch memory operand (RSI) */

struct fo_state {
    u8 img[512] __attribute__((aligned(16))); /* FXSAVE64 image */
    u64 rflags;
    u64 rax;
    u8 mem[FO_MEM_BYTES] __attribute__((aligned(16)));
};

typedef void fo_host_fn(struct fo_state *st, u8 *mem);

struct fo_host {
    u8 *code;
    size_t len;
};

static inline bool fo_host_init(struct fo_host *h)
{
    h->len = 4096;
    h->code =
        mmap(NULL, h->len, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return h->code != MAP_FAILED;
}

static inline void fo_host_fini(struct fo_host *h)
{
    munmap(h->code, h->len);
}

/* Run @insn natively on @st (RDI = st, RSI = st->mem, RAX = st->rax,
 * RFLAGS = st->rflags: keep TF clear). The host's own FPU state is
 * saved and restored around it. */
static inline void fo_host_run(struct fo_host *h, struct fo_state *st, const u8 *insn, unsigned n)
{
    static const u8 pro[] = {0x48, 0x0f, 0xae, 0x0f,                   /* fxrstor64 [rdi] */
                             0x48, 0x8b, 0x87, 0x08, 0x02, 0x00, 0x00, /* mov rax, [rdi+520] */
                             0xff, 0xb7, 0x00, 0x02, 0x00, 0x00,       /* push qword [rdi+512] */
                             0x9d};                                    /* popfq */
    static const u8 epi[] = {0x48, 0x0f, 0xae, 0x07,                   /* fxsave64 [rdi] */
                             0x48, 0x89, 0x87, 0x08, 0x02, 0, 0,       /* mov [rdi+520], rax */
                             0x9c, 0x58,                               /* pushfq; pop rax */
                             0x48, 0x89, 0x87, 0x00, 0x02, 0, 0,       /* mov [rdi+512], rax */
                             0xc3};
    u8 saved[512] __attribute__((aligned(16)));
    u8 *p = h->code;
    fo_host_fn *fn;

    memcpy(p, pro, sizeof(pro));
    p += sizeof(pro);
    memcpy(p, insn, n);
    p += n;
    memcpy(p, epi, sizeof(epi));
    __builtin___clear_cache((char *)h->code, (char *)p + sizeof(epi));
    fn = (fo_host_fn *)(void *)h->code;
    __asm__ __volatile__("fxsave64 %0" : "=m"(saved));
    fn(st, st->mem);
    __asm__ __volatile__("fxrstor64 %0" : : "m"(saved));
}

/* Run the same in the emulator: FXRSTOR64 from the image, the instruction, FXSAVE64.
 * Return: XE_NONE or the exception vector the instruction raised. */
static inline int fo_emu_run(struct xenv *e, struct fo_state *st, const u8 *insn, unsigned n)
{
    static const u8 rstor[] = {0x48, 0x0f, 0xae, 0x0f};
    static const u8 save[] = {0x48, 0x0f, 0xae, 0x07};
    int vec;

    memcpy(xe_host(e, FO_IMG_VA), st->img, 512);
    memcpy(xe_host(e, FO_MEM_VA), st->mem, FO_MEM_BYTES);
    e->c->gpr[7] = FO_IMG_VA;
    e->c->gpr[6] = FO_MEM_VA;
    e->c->gpr[0] = st->rax;
    cpu_set_rflags(e->c, st->rflags);
    if (xe_exec(e, rstor, sizeof(rstor)) != XE_NONE)
        return -2;
    vec = xe_exec(e, insn, n);
    if (xe_exec(e, save, sizeof(save)) != XE_NONE)
        return -3;
    memcpy(st->img, xe_host(e, FO_IMG_VA), 512);
    memcpy(st->mem, xe_host(e, FO_MEM_VA), FO_MEM_BYTES);
    st->rflags = cpu_get_rflags(e->c);
    st->rax = e->c->gpr[0];
    return vec;
}

/* A small deterministic generator (xorshift64*). */
static inline u64 fo_rand(u64 *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

/* A 32-bit float pattern biased to interesting values: zeros, infinities, NaNs, denormals,
 * 1.0 neighbours, integers, and random bits. */
static inline u32 fo_rand_f32(u64 *s)
{
    static const u32 special[] = {0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
                                  0xffc00000, 0x7fa00000, 0x00000001, 0x807fffff, 0x3f800000,
                                  0xbf800000, 0x4f000000, 0xcf000000, 0x7f7fffff, 0x00800000};
    u64 r = fo_rand(s);

    switch (r & 7) {
    case 0:
        return special[(r >> 8) % ARRAY_LEN(special)];
    case 1:
        return ((u32)(r >> 8) & 0x807fffffu) | 0x3f000000u;
    default:
        return (u32)(r >> 16);
    }
}

static inline u64 fo_rand_f64(u64 *s)
{
    static const u64 special[] = {0x0ull,
                                  0x8000000000000000ull,
                                  0x7ff0000000000000ull,
                                  0xfff0000000000000ull,
                                  0x7ff8000000000000ull,
                                  0x7ff4000000000000ull,
                                  0x0000000000000001ull,
                                  0x800fffffffffffffull,
                                  0x3ff0000000000000ull,
                                  0x43e0000000000000ull,
                                  0xc3e0000000000000ull,
                                  0x41dfffffffc00000ull,
                                  0x7fefffffffffffffull,
                                  0x0010000000000000ull};
    u64 r = fo_rand(s);

    switch (r & 7) {
    case 0:
        return special[(r >> 8) % ARRAY_LEN(special)];
    case 1:
        return ((r >> 8) & 0x800fffffffffffffull) | 0x3fe0000000000000ull;
    case 2:
        return ((r >> 8) & 0x800fffffffffffffull) | ((u64)(0x3c0 + (r >> 56)) << 52);
    default:
        return fo_rand(s);
    }
}

#endif
