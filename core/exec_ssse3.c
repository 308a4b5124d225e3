/* SPDX-License-Identifier: MIT */
/*
 * SSSE3 (Intel SDM vol. 1 12.9, vol. 2 PSHUFB, PHADDW/D, PHADDSW, PHSUBW/D, PHSUBSW,
 * PMADDUBSW, PMULHRSW, PSIGNB/W/D, PABSB/W/D, PALIGNR): 0F38 00-0B, 1C-1E and 0F3A 0F, with
 * XMM registers (66) and MMX registers (no prefix), behind CPUID.1:ECX.SSSE3.
 */
#include "core/fpu.h"

/* Operation r = f(a = destination, b = source) over @nb bytes (8 or 16); r aliases neither. */
static inline i16 ssse3_sat16(i32 v)
{
    return (i16)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

#define SOP(name, ...)                                                                             \
    static inline void sop_##name(union xmm_reg *r, const union xmm_reg *a,                        \
                                  const union xmm_reg *b, unsigned nb)                             \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

/* PSHUFB: byte k = a[b[k] mod nb], or zero when bit 7 of b[k] is set. */
SOP(
    pshufb, for (unsigned k = 0; k < nb; k++) {
        u8 x = b->b[k];
        r->b[k] = (x & 0x80) ? 0 : a->b[x & (nb - 1)];
    })
/* Horizontal add/subtract: adjacent pairs of a, then of b. */
SOP(
    phaddw, for (unsigned k = 0; k < nb / 4; k++) {
        r->w[k] = (u16)(a->w[2 * k] + a->w[2 * k + 1]);
        r->w[k + nb / 4] = (u16)(b->w[2 * k] + b->w[2 * k + 1]);
    })
SOP(
    phaddd, for (unsigned k = 0; k < nb / 8; k++) {
        r->d[k] = a->d[2 * k] + a->d[2 * k + 1];
        r->d[k + nb / 8] = b->d[2 * k] + b->d[2 * k + 1];
    })
SOP(
    phaddsw, for (unsigned k = 0; k < nb / 4; k++) {
        r->w[k] = (u16)ssse3_sat16((i16)a->w[2 * k] + (i16)a->w[2 * k + 1]);
        r->w[k + nb / 4] = (u16)ssse3_sat16((i16)b->w[2 * k] + (i16)b->w[2 * k + 1]);
    })
SOP(
    phsubw, for (unsigned k = 0; k < nb / 4; k++) {
        r->w[k] = (u16)(a->w[2 * k] - a->w[2 * k + 1]);
        r->w[k + nb / 4] = (u16)(b->w[2 * k] - b->w[2 * k + 1]);
    })
SOP(
    phsubd, for (unsigned k = 0; k < nb / 8; k++) {
        r->d[k] = a->d[2 * k] - a->d[2 * k + 1];
        r->d[k + nb / 8] = b->d[2 * k] - b->d[2 * k + 1];
    })
SOP(
    phsubsw, for (unsigned k = 0; k < nb / 4; k++) {
        r->w[k] = (u16)ssse3_sat16((i16)a->w[2 * k] - (i16)a->w[2 * k + 1]);
        r->w[k + nb / 4] = (u16)ssse3_sat16((i16)b->w[2 * k] - (i16)b->w[2 * k + 1]);
    })
/* PMADDUBSW: unsigned bytes of a times signed bytes of b, pairs summed with saturation. */
SOP(
    pmaddubsw, for (unsigned k = 0; k < nb / 2; k++) {
        i32 lo = (i32)a->b[2 * k] * (i8)b->b[2 * k];
        i32 hi = (i32)a->b[2 * k + 1] * (i8)b->b[2 * k + 1];
        r->w[k] = (u16)ssse3_sat16(lo + hi);
    })
/* PMULHRSW: bits 16:1 of the 32-bit product scaled by 2^-14 and rounded. */
SOP(
    pmulhrsw, for (unsigned k = 0; k < nb / 2; k++) {
        i32 p = (i32)(i16)a->w[k] * (i16)b->w[k];
        r->w[k] = (u16)(((p >> 14) + 1) >> 1);
    })
/* PSIGN: a negated, zeroed or kept as b is negative, zero or positive. */
SOP(
    psignb, for (unsigned k = 0; k < nb; k++) {
        i8 s = (i8)b->b[k];
        r->b[k] = s < 0 ? (u8)(0u - a->b[k]) : s ? a->b[k] : 0;
    })
SOP(
    psignw, for (unsigned k = 0; k < nb / 2; k++) {
        i16 s = (i16)b->w[k];
        r->w[k] = s < 0 ? (u16)(0u - a->w[k]) : s ? a->w[k] : 0;
    })
SOP(
    psignd, for (unsigned k = 0; k < nb / 4; k++) {
        i32 s = (i32)b->d[k];
        r->d[k] = s < 0 ? 0u - a->d[k] : s ? a->d[k] : 0;
    })
/* PABS: absolute values of b as unsigned numbers (80H stays 80H). */
SOP(
    pabsb, (void)a; for (unsigned k = 0; k < nb; k++) {
        u8 x = b->b[k];
        r->b[k] = (x & 0x80) ? (u8)(0u - x) : x;
    })
SOP(
    pabsw, (void)a; for (unsigned k = 0; k < nb / 2; k++) {
        u16 x = b->w[k];
        r->w[k] = (x & 0x8000) ? (u16)(0u - x) : x;
    })
SOP(
    pabsd, (void)a; for (unsigned k = 0; k < nb / 4; k++) {
        u32 x = b->d[k];
        r->d[k] = (x & 0x80000000u) ? 0u - x : x;
    })

/* Handlers: XMM register form, XMM aligned m128 form, MMX form (register or m64). */
#define SOP_HANDLERS(name) PACKED_INT_HANDLERS(name, sop_##name)

#define SOP_LIST(X)                                                                                \
    X(pshufb, 0x00)                                                                                \
    X(phaddw, 0x01)                                                                                \
    X(phaddd, 0x02)                                                                                \
    X(phaddsw, 0x03)                                                                               \
    X(pmaddubsw, 0x04)                                                                             \
    X(phsubw, 0x05)                                                                                \
    X(phsubd, 0x06)                                                                                \
    X(phsubsw, 0x07)                                                                               \
    X(psignb, 0x08)                                                                                \
    X(psignw, 0x09)                                                                                \
    X(psignd, 0x0a)                                                                                \
    X(pmulhrsw, 0x0b)                                                                              \
    X(pabsb, 0x1c)                                                                                 \
    X(pabsw, 0x1d)                                                                                 \
    X(pabsd, 0x1e)

#define X(name, opc) SOP_HANDLERS(name)
SOP_LIST(X)
#undef X

/* PALIGNR: the concatenation a:b (a high) shifted right by imm8 bytes; the low @nb bytes. */
static inline void ssse3_palignr(union xmm_reg *r, const union xmm_reg *a, const union xmm_reg *b,
                                 unsigned n, unsigned nb)
{
    const unsigned nw = nb / 8;
    u64 cat[6] = {0, 0, 0, 0, 0, 0};

    if (n >= 2 * nb) {
        r->q[0] = r->q[1] = 0;
        return;
    }
    for (unsigned k = 0; k < nw; k++) {
        cat[k] = b->q[k];
        cat[nw + k] = a->q[k];
    }
    for (unsigned k = 0; k < nw; k++) {
        unsigned o = n + 8 * k, w = o / 8, sh = (o % 8) * 8;

        r->q[k] = sh ? (cat[w] >> sh) | (cat[w + 1] << (64 - sh)) : cat[w];
    }
}

SSE_RM(palignr, SSE_M128A, {
    union xmm_reg r;
    ssse3_palignr(&r, d, s, (unsigned)i->imm, 16);
    *d = r;
})

static const struct insn *exec_palignr_Pq_Qq_Ib(struct cpu *c, const struct insn *i)
{
    union xmm_reg a = {.q = {0, 0}}, b = {.q = {0, 0}}, r = {.q = {0, 0}};

    mmx_check(c);
    b.q[0] = (i->prefixes & INSN_MEM) ? cpu_read64(c, i->seg, insn_ea(c, i)) : mmx_get(c, i->rm);
    mmx_mark(c);
    a.q[0] = mmx_get(c, i->reg);
    ssse3_palignr(&r, &a, &b, (unsigned)i->imm, 8);
    mmx_set(c, i->reg, r.q[0]);
    return i + 1;
}

void exec_ssse3_register(struct optable *t)
{
#define X(nm, opc)                                                                                 \
    {                                                                                              \
        struct op_entry ex = {.name = #nm,                                                         \
                              .flags = OPF_MODRM,                                                  \
                              .select = sel_##nm##_Vx_Wx,                                          \
                              .cpuid_feature = FEAT_SSSE3};                                        \
        struct op_entry em = {.name = #nm,                                                         \
                              .flags = OPF_MODRM,                                                  \
                              .fn = exec_##nm##_Pq_Qq,                                             \
                              .cpuid_feature = FEAT_SSSE3};                                        \
        optable_set_prefixed(t, MAP_0F38, opc, PFX_66, &ex);                                       \
        optable_set_prefixed(t, MAP_0F38, opc, PFX_NONE, &em);                                     \
    }
    SOP_LIST(X)
#undef X
    static const struct sse_op ops[] = {
        {.map = MAP_0F3A,
         .opcode = 0x0f,
         .pfx = PFX_66,
         .name = "palignr",
         .select = sel_palignr,
         .flags = OPF_UIMM8,
         .feature = FEAT_SSSE3},
        {.map = MAP_0F3A,
         .opcode = 0x0f,
         .pfx = PFX_NONE,
         .name = "palignr",
         .fn = exec_palignr_Pq_Qq_Ib,
         .flags = OPF_UIMM8,
         .feature = FEAT_SSSE3},
    };

    sse_register_ops(t, ops, ARRAY_LEN(ops));
}
