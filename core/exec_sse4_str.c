/* SPDX-License-Identifier: MIT */
/*
 * SSE4.2 string compares PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM (66 0F3A 60-63; Intel SDM
 * vol. 2 4.1 "Imm8 control byte operation for PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM")
 * and CRC32 (F2 0F38 F0/F1, SDM vol. 2 CRC32), behind CPUID.1:ECX.SSE4_2.
 */
#include "core/fpu.h"

#include "core/flags.h"

/* imm8 fields (SDM vol. 2 4.1.2-4.1.5). */
#define STR_WORDS      0x01u /* elements are words (else bytes) */
#define STR_SIGNED     0x02u /* signed elements (else unsigned) */
#define STR_AGG_SHIFT  2     /* [3:2] aggregation */
#define STR_POL_SHIFT  4     /* [5:4] polarity */
#define STR_MSB        0x40u /* index: most significant bit; mask: expanded to elements */
#define STR_AGG_ANY    0u    /* equal any */
#define STR_AGG_RANGES 1u
#define STR_AGG_EACH   2u /* equal each */
#define STR_AGG_ORDER  3u /* equal ordered */

/* Element @k of @v as an integer, by the imm8 element format. */
static inline i32 str_elem(const union xmm_reg *v, unsigned k, unsigned imm)
{
    switch (imm & (STR_WORDS | STR_SIGNED)) {
    case 0:
        return v->b[k];
    case STR_WORDS:
        return v->w[k];
    case STR_SIGNED:
        return (i8)v->b[k];
    default:
        return (i16)v->w[k];
    }
}

/* Implicit length: the index of the first zero element, or the element count. */
static inline unsigned str_len_implicit(const union xmm_reg *v, unsigned imm)
{
    unsigned n = (imm & STR_WORDS) ? 8 : 16;

    for (unsigned k = 0; k < n; k++)
        if (!((imm & STR_WORDS) ? v->w[k] : v->b[k]))
            return k;
    return n;
}

/* Explicit length: |EAX| or |EDX| (RAX/RDX with REX.W), saturated to the element count. */
static inline unsigned str_len_explicit(u64 reg, bool is_w64, unsigned imm)
{
    unsigned n = (imm & STR_WORDS) ? 8 : 16;
    i64 v = is_w64 ? (i64)reg : (i64)(i32)(u32)reg;
    u64 mag = v < 0 ? 0 - (u64)v : (u64)v;

    return mag > n ? n : (unsigned)mag;
}

/*
 * IntRes2 of the compare of @a (xmm1, @la valid elements) with @b (xmm2/m128, @lb valid):
 * bit j describes element j of @b. Invalid elements override the comparisons as SDM vol. 2
 * table 4-7 says: equal any and ranges force false; equal each forces true when both are
 * invalid, false when one is; equal ordered forces true when the xmm1 element is invalid,
 * false when only the xmm2 element is.
 */
static u32 str_compare(const union xmm_reg *a, const union xmm_reg *b, unsigned la, unsigned lb,
                       unsigned imm)
{
    const unsigned n = (imm & STR_WORDS) ? 8 : 16;
    const u32 all = (1u << n) - 1, vb = (1u << lb) - 1;
    i32 ea[16], eb[16];
    u32 res = 0;

    for (unsigned k = 0; k < n; k++) {
        ea[k] = str_elem(a, k, imm);
        eb[k] = str_elem(b, k, imm);
    }
    switch ((imm >> STR_AGG_SHIFT) & 3) {
    case STR_AGG_ANY:
        for (unsigned j = 0; j < lb; j++)
            for (unsigned k = 0; k < la; k++)
                if (ea[k] == eb[j]) {
                    res |= 1u << j;
                    break;
                }
        break;
    case STR_AGG_RANGES:
        /* Pairs (xmm1[k], xmm1[k+1]) are inclusive ranges [low, high]. */
        for (unsigned j = 0; j < lb; j++)
            for (unsigned k = 0; k + 1 < la; k += 2)
                if (eb[j] >= ea[k] && eb[j] <= ea[k + 1]) {
                    res |= 1u << j;
                    break;
                }
        break;
    case STR_AGG_EACH:
        for (unsigned j = 0; j < n; j++) {
            bool va = j < la, vbj = j < lb;

            if (va && vbj ? ea[j] == eb[j] : va == vbj)
                res |= 1u << j;
        }
        break;
    default:
        /* Equal ordered: xmm1 (the needle) matches xmm2 starting at element j. */
        for (unsigned j = 0; j < n; j++) {
            bool is_match = true;
            unsigned lim = n - j < la ? n - j : la;

            for (unsigned k = 0; k < lim && is_match; k++)
                is_match = j + k < lb && ea[k] == eb[j + k];
            if (is_match)
                res |= 1u << j;
        }
        break;
    }
    switch ((imm >> STR_POL_SHIFT) & 3) {
    case 1: /* negative */
        res ^= all;
        break;
    case 3: /* masked negative: only the valid elements of xmm2 */
        res ^= vb;
        break;
    default:
        break;
    }
    return res & all;
}

/* CF = IntRes2 != 0, ZF = xmm2 shorter than full, SF = xmm1 shorter than full,
 * OF = IntRes2[0], AF = PF = 0. */
static inline void str_flags(struct cpu *c, u32 res, unsigned la, unsigned lb, unsigned imm)
{
    unsigned n = (imm & STR_WORDS) ? 8 : 16;

    c->lazy.op = FLAGS_OP_NONE;
    c->rflags = (c->rflags & ~RFLAGS_ARITH) | (res ? RFLAGS_CF : 0) | (lb < n ? RFLAGS_ZF : 0) |
                (la < n ? RFLAGS_SF : 0) | ((res & 1) ? RFLAGS_OF : 0);
}

/* PCMPxSTRI: ECX = index of the least (imm8[6] = 0) or most significant set bit, or the
 * element count when none is set. */
static inline void str_out_index(struct cpu *c, u32 res, unsigned imm)
{
    unsigned n = (imm & STR_WORDS) ? 8 : 16;
    u32 idx;

    if (!res)
        idx = n;
    else if (imm & STR_MSB)
        idx = 31 - (u32)__builtin_clz(res);
    else
        idx = (u32)__builtin_ctz(res);
    c->gpr[1] = idx; /* ECX, zero-extended */
}

/* PCMPxSTRM: XMM0 = IntRes2 zero-extended (imm8[6] = 0) or expanded to byte/word masks. */
static inline void str_out_mask(struct cpu *c, u32 res, unsigned imm)
{
    union xmm_reg m = {.q = {0, 0}};

    if (!(imm & STR_MSB))
        m.q[0] = res;
    else if (imm & STR_WORDS)
        for (unsigned k = 0; k < 8; k++)
            m.w[k] = ((res >> k) & 1) ? 0xffff : 0;
    else
        for (unsigned k = 0; k < 16; k++)
            m.b[k] = ((res >> k) & 1) ? 0xff : 0;
    c->fpu.xmm[0] = m;
}

/* The four forms share one body: explicit (E) or implicit (I) lengths, index or mask. */
SSE_RM(pcmpestri, SSE_M128U, {
    unsigned imm = (unsigned)i->imm;
    bool w = i->prefixes & INSN_REXW;
    unsigned la = str_len_explicit(c->gpr[0], w, imm), lb = str_len_explicit(c->gpr[2], w, imm);
    u32 res = str_compare(d, s, la, lb, imm);
    str_out_index(c, res, imm);
    str_flags(c, res, la, lb, imm);
})
SSE_RM(pcmpestrm, SSE_M128U, {
    unsigned imm = (unsigned)i->imm;
    bool w = i->prefixes & INSN_REXW;
    unsigned la = str_len_explicit(c->gpr[0], w, imm), lb = str_len_explicit(c->gpr[2], w, imm);
    u32 res = str_compare(d, s, la, lb, imm);
    str_out_mask(c, res, imm);
    str_flags(c, res, la, lb, imm);
})
SSE_RM(pcmpistri, SSE_M128U, {
    unsigned imm = (unsigned)i->imm;
    unsigned la = str_len_implicit(d, imm), lb = str_len_implicit(s, imm);
    u32 res = str_compare(d, s, la, lb, imm);
    str_out_index(c, res, imm);
    str_flags(c, res, la, lb, imm);
})
SSE_RM(pcmpistrm, SSE_M128U, {
    unsigned imm = (unsigned)i->imm;
    unsigned la = str_len_implicit(d, imm), lb = str_len_implicit(s, imm);
    u32 res = str_compare(d, s, la, lb, imm);
    str_out_mask(c, res, imm);
    str_flags(c, res, la, lb, imm);
})

/* ---- CRC32 ---------------------------------------------------------------------------------- */

/*
 * CRC32 accumulates with the CRC-32C polynomial 11EDC6F41H, bit-reflected, without the
 * initial and final inversions. The host's CRC32 instruction computes exactly that. The
 * destination is r32 (r64 with REX.W, whose upper half is zeroed); the source is 8, 16, 32
 * or 64 bits.
 */
static inline u32 crc32_u8(u32 crc, u8 v)
{
    __asm__("crc32b %1, %0" : "+r"(crc) : "r"(v));
    return crc;
}

static inline u32 crc32_u16(u32 crc, u16 v)
{
    __asm__("crc32w %1, %0" : "+r"(crc) : "r"(v));
    return crc;
}

static inline u32 crc32_u32(u32 crc, u32 v)
{
    __asm__("crc32l %1, %0" : "+r"(crc) : "r"(v));
    return crc;
}

static inline u32 crc32_u64(u32 crc, u64 v)
{
    u64 acc = crc;

    __asm__("crc32q %1, %0" : "+r"(acc) : "r"(v));
    return (u32)acc;
}

static const struct insn *exec_crc32_Gy_Eb(struct cpu *c, const struct insn *i)
{
    u8 v = (u8)rm_read(c, i, SZ8);

    c->gpr[i->reg] = crc32_u8((u32)c->gpr[i->reg], v);
    return i + 1;
}

static const struct insn *exec_crc32_Gd_Ew(struct cpu *c, const struct insn *i)
{
    u16 v = (u16)rm_read(c, i, SZ16);

    c->gpr[i->reg] = crc32_u16((u32)c->gpr[i->reg], v);
    return i + 1;
}

static const struct insn *exec_crc32_Gd_Ed(struct cpu *c, const struct insn *i)
{
    u32 v = (u32)rm_read(c, i, SZ32);

    c->gpr[i->reg] = crc32_u32((u32)c->gpr[i->reg], v);
    return i + 1;
}

static const struct insn *exec_crc32_Gq_Eq(struct cpu *c, const struct insn *i)
{
    u64 v = rm_read(c, i, SZ64);

    c->gpr[i->reg] = crc32_u64((u32)c->gpr[i->reg], v);
    return i + 1;
}

static exec_fn *sel_crc32_Gy_Ev(const struct insn *i)
{
    switch (i->opsize) {
    case SZ16:
        return exec_crc32_Gd_Ew;
    case SZ32:
        return exec_crc32_Gd_Ed;
    default:
        return exec_crc32_Gq_Eq;
    }
}

void exec_sse4_str_register(struct optable *t)
{
    static const struct sse_op ops[] = {
        {.map = MAP_0F3A,
         .opcode = 0x60,
         .pfx = PFX_66,
         .name = "pcmpestrm",
         .select = sel_pcmpestrm,
         .flags = OPF_UIMM8,
         .feature = FEAT_SSE42},
        {.map = MAP_0F3A,
         .opcode = 0x61,
         .pfx = PFX_66,
         .name = "pcmpestri",
         .select = sel_pcmpestri,
         .flags = OPF_UIMM8,
         .feature = FEAT_SSE42},
        {.map = MAP_0F3A,
         .opcode = 0x62,
         .pfx = PFX_66,
         .name = "pcmpistrm",
         .select = sel_pcmpistrm,
         .flags = OPF_UIMM8,
         .feature = FEAT_SSE42},
        {.map = MAP_0F3A,
         .opcode = 0x63,
         .pfx = PFX_66,
         .name = "pcmpistri",
         .select = sel_pcmpistri,
         .flags = OPF_UIMM8,
         .feature = FEAT_SSE42},
        /* F2 0F38 F0/F1 over MOVBE's row (exec_mov.c registers MOVBE for every prefix). */
        {.map = MAP_0F38,
         .opcode = 0xf0,
         .pfx = PFX_F2,
         .name = "crc32",
         .fn = exec_crc32_Gy_Eb,
         .feature = FEAT_SSE42},
        {.map = MAP_0F38,
         .opcode = 0xf1,
         .pfx = PFX_F2,
         .name = "crc32",
         .select = sel_crc32_Gy_Ev,
         .feature = FEAT_SSE42},
    };

    sse_register_ops(t, ops, ARRAY_LEN(ops));
}
