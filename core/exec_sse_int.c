/* SPDX-License-Identifier: MIT */
/*
 * Packed-integer SIMD of SSE2 (66 0F 60-7F, C4-C5, D1-FE with XMM registers) and the same
 * operations on MMX registers (no prefix; SDM vol. 1 ch. 9, 11.4.3; vol. 2 P*). One body per
 * operation, instantiated for 8-byte (MMX) and 16-byte (XMM) vectors.
 */
#include "core/fpu.h"

/* Packed-integer operation r = f(a, b) over @nb bytes (8 or 16); r never aliases a or b. */
typedef void sse_iop_fn(union xmm_reg *r, const union xmm_reg *a, const union xmm_reg *b,
                        unsigned nb);

static inline i8 sat_i8(i32 v)
{
    return (i8)(v > 127 ? 127 : v < -128 ? -128 : v);
}

static inline u8 sat_u8(i32 v)
{
    return (u8)(v > 255 ? 255 : v < 0 ? 0 : v);
}

static inline i16 sat_i16(i32 v)
{
    return (i16)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

static inline u16 sat_u16(i32 v)
{
    return (u16)(v > 65535 ? 65535 : v < 0 ? 0 : v);
}

#define LANES_B for (unsigned k = 0; k < nb; k++)
#define LANES_W for (unsigned k = 0; k < nb / 2; k++)
#define LANES_D for (unsigned k = 0; k < nb / 4; k++)
#define LANES_Q for (unsigned k = 0; k < nb / 8; k++)

/* IOP(name, body): static void iop_<name>(r, a, b, nb). */
#define IOP(name, ...)                                                                             \
    static inline void iop_##name(union xmm_reg *r, const union xmm_reg *a,                        \
                                  const union xmm_reg *b, unsigned nb)                             \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

IOP(paddb, LANES_B r->b[k] = (u8)(a->b[k] + b->b[k]);)
IOP(paddw, LANES_W r->w[k] = (u16)(a->w[k] + b->w[k]);)
IOP(paddd, LANES_D r->d[k] = a->d[k] + b->d[k];)
IOP(paddq, LANES_Q r->q[k] = a->q[k] + b->q[k];)
IOP(psubb, LANES_B r->b[k] = (u8)(a->b[k] - b->b[k]);)
IOP(psubw, LANES_W r->w[k] = (u16)(a->w[k] - b->w[k]);)
IOP(psubd, LANES_D r->d[k] = a->d[k] - b->d[k];)
IOP(psubq, LANES_Q r->q[k] = a->q[k] - b->q[k];)
IOP(paddsb, LANES_B r->b[k] = (u8)sat_i8((i8)a->b[k] + (i8)b->b[k]);)
IOP(paddsw, LANES_W r->w[k] = (u16)sat_i16((i16)a->w[k] + (i16)b->w[k]);)
IOP(paddusb, LANES_B r->b[k] = sat_u8(a->b[k] + b->b[k]);)
IOP(paddusw, LANES_W r->w[k] = sat_u16(a->w[k] + b->w[k]);)
IOP(psubsb, LANES_B r->b[k] = (u8)sat_i8((i8)a->b[k] - (i8)b->b[k]);)
IOP(psubsw, LANES_W r->w[k] = (u16)sat_i16((i16)a->w[k] - (i16)b->w[k]);)
IOP(psubusb, LANES_B r->b[k] = sat_u8(a->b[k] - b->b[k]);)
IOP(psubusw, LANES_W r->w[k] = sat_u16(a->w[k] - b->w[k]);)
IOP(pmullw, LANES_W r->w[k] = (u16)((i32)(i16)a->w[k] * (i16)b->w[k]);)
IOP(pmulhw, LANES_W r->w[k] = (u16)(((i32)(i16)a->w[k] * (i16)b->w[k]) >> 16);)
IOP(pmulhuw, LANES_W r->w[k] = (u16)(((u32)a->w[k] * b->w[k]) >> 16);)
IOP(pmuludq, LANES_Q r->q[k] = (u64)a->d[2 * k] * b->d[2 * k];)
IOP(pmaddwd, LANES_D r->d[k] = (u32)((i32)(i16)a->w[2 * k] * (i16)b->w[2 * k] +
                                     (u32)((i32)(i16)a->w[2 * k + 1] * (i16)b->w[2 * k + 1]));)
IOP(pavgb, LANES_B r->b[k] = (u8)((a->b[k] + b->b[k] + 1) >> 1);)
IOP(pavgw, LANES_W r->w[k] = (u16)(((u32)a->w[k] + b->w[k] + 1) >> 1);)
IOP(
    psadbw, LANES_Q {
        u32 sum = 0;
        for (unsigned j = 0; j < 8; j++) {
            int diff = a->b[8 * k + j] - b->b[8 * k + j];
            sum += (u32)(diff < 0 ? -diff : diff);
        }
        r->q[k] = sum;
    })
IOP(pminub, LANES_B r->b[k] = a->b[k] < b->b[k] ? a->b[k] : b->b[k];)
IOP(pmaxub, LANES_B r->b[k] = a->b[k] > b->b[k] ? a->b[k] : b->b[k];)
IOP(pminsw, LANES_W r->w[k] = (i16)a->w[k] < (i16)b->w[k] ? a->w[k] : b->w[k];)
IOP(pmaxsw, LANES_W r->w[k] = (i16)a->w[k] > (i16)b->w[k] ? a->w[k] : b->w[k];)
IOP(pcmpeqb, LANES_B r->b[k] = a->b[k] == b->b[k] ? 0xff : 0;)
IOP(pcmpeqw, LANES_W r->w[k] = a->w[k] == b->w[k] ? 0xffff : 0;)
IOP(pcmpeqd, LANES_D r->d[k] = a->d[k] == b->d[k] ? ~0u : 0;)
IOP(pcmpgtb, LANES_B r->b[k] = (i8)a->b[k] > (i8)b->b[k] ? 0xff : 0;)
IOP(pcmpgtw, LANES_W r->w[k] = (i16)a->w[k] > (i16)b->w[k] ? 0xffff : 0;)
IOP(pcmpgtd, LANES_D r->d[k] = (i32)a->d[k] > (i32)b->d[k] ? ~0u : 0;)
IOP(pand, LANES_Q r->q[k] = a->q[k] & b->q[k];)
IOP(pandn, LANES_Q r->q[k] = ~a->q[k] & b->q[k];)
IOP(por, LANES_Q r->q[k] = a->q[k] | b->q[k];)
IOP(pxor, LANES_Q r->q[k] = a->q[k] ^ b->q[k];)
IOP(
    packsswb, LANES_W {
        r->b[k] = (u8)sat_i8((i16)a->w[k]);
        r->b[k + nb / 2] = (u8)sat_i8((i16)b->w[k]);
    })
IOP(
    packuswb, LANES_W {
        r->b[k] = sat_u8((i16)a->w[k]);
        r->b[k + nb / 2] = sat_u8((i16)b->w[k]);
    })
IOP(
    packssdw, LANES_D {
        r->w[k] = (u16)sat_i16((i32)a->d[k]);
        r->w[k + nb / 4] = (u16)sat_i16((i32)b->d[k]);
    })
IOP(
    punpcklbw, for (unsigned k = 0; k < nb / 2; k++) {
        r->b[2 * k] = a->b[k];
        r->b[2 * k + 1] = b->b[k];
    })
IOP(
    punpcklwd, for (unsigned k = 0; k < nb / 4; k++) {
        r->w[2 * k] = a->w[k];
        r->w[2 * k + 1] = b->w[k];
    })
IOP(
    punpckldq, for (unsigned k = 0; k < nb / 8; k++) {
        r->d[2 * k] = a->d[k];
        r->d[2 * k + 1] = b->d[k];
    })
IOP(punpcklqdq, {
    (void)nb;
    r->q[0] = a->q[0];
    r->q[1] = b->q[0];
})
IOP(
    punpckhbw, for (unsigned k = 0; k < nb / 2; k++) {
        r->b[2 * k] = a->b[nb / 2 + k];
        r->b[2 * k + 1] = b->b[nb / 2 + k];
    })
IOP(
    punpckhwd, for (unsigned k = 0; k < nb / 4; k++) {
        r->w[2 * k] = a->w[nb / 4 + k];
        r->w[2 * k + 1] = b->w[nb / 4 + k];
    })
IOP(
    punpckhdq, for (unsigned k = 0; k < nb / 8; k++) {
        r->d[2 * k] = a->d[nb / 8 + k];
        r->d[2 * k + 1] = b->d[nb / 8 + k];
    })
IOP(punpckhqdq, {
    (void)nb;
    r->q[0] = a->q[1];
    r->q[1] = b->q[1];
})

/* Shifts by the count in the low 64 bits of b (SDM vol. 2 PSLLW: counts above the lane width
 * give zeros, or sign copies for PSRA). */
IOP(psllw, {
    u64 n = b->q[0];
    LANES_W r->w[k] = n > 15 ? 0 : (u16)(a->w[k] << n);
})
IOP(pslld, {
    u64 n = b->q[0];
    LANES_D r->d[k] = n > 31 ? 0 : a->d[k] << n;
})
IOP(psllq, {
    u64 n = b->q[0];
    LANES_Q r->q[k] = n > 63 ? 0 : a->q[k] << n;
})
IOP(psrlw, {
    u64 n = b->q[0];
    LANES_W r->w[k] = n > 15 ? 0 : (u16)(a->w[k] >> n);
})
IOP(psrld, {
    u64 n = b->q[0];
    LANES_D r->d[k] = n > 31 ? 0 : a->d[k] >> n;
})
IOP(psrlq, {
    u64 n = b->q[0];
    LANES_Q r->q[k] = n > 63 ? 0 : a->q[k] >> n;
})
IOP(psraw, {
    u64 n = b->q[0] > 15 ? 15 : b->q[0];
    LANES_W r->w[k] = (u16)((i16)a->w[k] >> n);
})
IOP(psrad, {
    u64 n = b->q[0] > 31 ? 31 : b->q[0];
    LANES_D r->d[k] = (u32)((i32)a->d[k] >> n);
})

/* Handlers: XMM register and memory forms (aligned m128) and MMX forms. */
#define IOP_HANDLERS(name) PACKED_INT_HANDLERS(name, iop_##name)

#define IOP_LIST(X)                                                                                \
    X(punpcklbw, 0x60, 1)                                                                          \
    X(punpcklwd, 0x61, 1)                                                                          \
    X(punpckldq, 0x62, 1)                                                                          \
    X(packsswb, 0x63, 1)                                                                           \
    X(pcmpgtb, 0x64, 1)                                                                            \
    X(pcmpgtw, 0x65, 1)                                                                            \
    X(pcmpgtd, 0x66, 1)                                                                            \
    X(packuswb, 0x67, 1)                                                                           \
    X(punpckhbw, 0x68, 1)                                                                          \
    X(punpckhwd, 0x69, 1)                                                                          \
    X(punpckhdq, 0x6a, 1)                                                                          \
    X(packssdw, 0x6b, 1)                                                                           \
    X(punpcklqdq, 0x6c, 0)                                                                         \
    X(punpckhqdq, 0x6d, 0)                                                                         \
    X(pcmpeqb, 0x74, 1)                                                                            \
    X(pcmpeqw, 0x75, 1)                                                                            \
    X(pcmpeqd, 0x76, 1)                                                                            \
    X(psrlw, 0xd1, 1)                                                                              \
    X(psrld, 0xd2, 1)                                                                              \
    X(psrlq, 0xd3, 1)                                                                              \
    X(paddq, 0xd4, 1)                                                                              \
    X(pmullw, 0xd5, 1)                                                                             \
    X(psubusb, 0xd8, 1)                                                                            \
    X(psubusw, 0xd9, 1)                                                                            \
    X(pminub, 0xda, 1)                                                                             \
    X(pand, 0xdb, 1)                                                                               \
    X(paddusb, 0xdc, 1)                                                                            \
    X(paddusw, 0xdd, 1)                                                                            \
    X(pmaxub, 0xde, 1)                                                                             \
    X(pandn, 0xdf, 1)                                                                              \
    X(pavgb, 0xe0, 1)                                                                              \
    X(psraw, 0xe1, 1)                                                                              \
    X(psrad, 0xe2, 1)                                                                              \
    X(pavgw, 0xe3, 1)                                                                              \
    X(pmulhuw, 0xe4, 1)                                                                            \
    X(pmulhw, 0xe5, 1)                                                                             \
    X(psubsb, 0xe8, 1)                                                                             \
    X(psubsw, 0xe9, 1)                                                                             \
    X(pminsw, 0xea, 1)                                                                             \
    X(por, 0xeb, 1)                                                                                \
    X(paddsb, 0xec, 1)                                                                             \
    X(paddsw, 0xed, 1)                                                                             \
    X(pmaxsw, 0xee, 1)                                                                             \
    X(pxor, 0xef, 1)                                                                               \
    X(psllw, 0xf1, 1)                                                                              \
    X(pslld, 0xf2, 1)                                                                              \
    X(psllq, 0xf3, 1)                                                                              \
    X(pmuludq, 0xf4, 1)                                                                            \
    X(pmaddwd, 0xf5, 1)                                                                            \
    X(psadbw, 0xf6, 1)                                                                             \
    X(psubb, 0xf8, 1)                                                                              \
    X(psubw, 0xf9, 1)                                                                              \
    X(psubd, 0xfa, 1)                                                                              \
    X(psubq, 0xfb, 1)                                                                              \
    X(paddb, 0xfc, 1)                                                                              \
    X(paddw, 0xfd, 1)                                                                              \
    X(paddd, 0xfe, 1)

#define X(name, op, mmx) IOP_HANDLERS(name)
IOP_LIST(X)
#undef X

/* ---- shifts by immediate (groups 0F 71, 72, 73) ------------------------------------------ */

/* aux: the operation, in the same order as the table below. */
enum sse_shift_op {
    SH_PSRLW,
    SH_PSRAW,
    SH_PSLLW,
    SH_PSRLD,
    SH_PSRAD,
    SH_PSLLD,
    SH_PSRLQ,
    SH_PSLLQ,
    SH_PSRLDQ,
    SH_PSLLDQ
};

static void sse_shift_imm(union xmm_reg *v, unsigned op, unsigned n, unsigned nb)
{
    union xmm_reg r = {.q = {0, 0}}, cnt = {.q = {n, 0}};

    switch (op) {
    case SH_PSRLW:
        iop_psrlw(&r, v, &cnt, nb);
        break;
    case SH_PSRAW:
        iop_psraw(&r, v, &cnt, nb);
        break;
    case SH_PSLLW:
        iop_psllw(&r, v, &cnt, nb);
        break;
    case SH_PSRLD:
        iop_psrld(&r, v, &cnt, nb);
        break;
    case SH_PSRAD:
        iop_psrad(&r, v, &cnt, nb);
        break;
    case SH_PSLLD:
        iop_pslld(&r, v, &cnt, nb);
        break;
    case SH_PSRLQ:
        iop_psrlq(&r, v, &cnt, nb);
        break;
    case SH_PSLLQ:
        iop_psllq(&r, v, &cnt, nb);
        break;
    case SH_PSRLDQ:
        if (n > 16)
            n = 16;
        for (unsigned k = 0; k + n < 16; k++)
            r.b[k] = v->b[k + n];
        break;
    default:
        if (n > 16)
            n = 16;
        for (unsigned k = n; k < 16; k++)
            r.b[k] = v->b[k - n];
        break;
    }
    *v = r;
}

static const struct insn *exec_pshift_Ux_Ib(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse_shift_imm(&c->fpu.xmm[i->rm], i->aux, (unsigned)i->imm, 16);
    return i + 1;
}

static const struct insn *exec_pshift_Nq_Ib(struct cpu *c, const struct insn *i)
{
    union xmm_reg v = {.q = {0, 0}};

    mmx_enter(c);
    v.q[0] = mmx_get(c, i->rm);
    sse_shift_imm(&v, i->aux, (unsigned)i->imm, 8);
    mmx_set(c, i->rm, v.q[0]);
    return i + 1;
}

/* ---- shuffles, inserts, extracts, masks -------------------------------------------------- */

SSE_RM(pshufd, SSE_M128A, {
    unsigned im = (unsigned)i->imm;
    union xmm_reg r = {
        .d = {s->d[im & 3], s->d[(im >> 2) & 3], s->d[(im >> 4) & 3], s->d[(im >> 6) & 3]}};
    *d = r;
})
SSE_RM(pshufhw, SSE_M128A, {
    unsigned im = (unsigned)i->imm;
    union xmm_reg r = *s;
    for (unsigned k = 0; k < 4; k++)
        r.w[4 + k] = s->w[4 + ((im >> (2 * k)) & 3)];
    *d = r;
})
SSE_RM(pshuflw, SSE_M128A, {
    unsigned im = (unsigned)i->imm;
    union xmm_reg r = *s;
    for (unsigned k = 0; k < 4; k++)
        r.w[k] = s->w[(im >> (2 * k)) & 3];
    *d = r;
})

static const struct insn *exec_pshufw_Pq_Qq_Ib(struct cpu *c, const struct insn *i)
{
    unsigned im = (unsigned)i->imm;
    union xmm_reg s = {.q = {0, 0}}, r = {.q = {0, 0}};

    mmx_check(c);
    s.q[0] = (i->prefixes & INSN_MEM) ? cpu_read64(c, i->seg, insn_ea(c, i)) : mmx_get(c, i->rm);
    mmx_mark(c);
    for (unsigned k = 0; k < 4; k++)
        r.w[k] = s.w[(im >> (2 * k)) & 3];
    mmx_set(c, i->reg, r.q[0]);
    return i + 1;
}

/* PINSRW xmm, r32/m16, imm8 and PEXTRW r32, xmm, imm8 (66 0F C4/C5). */
static const struct insn *exec_pinsrw_Vx_Ew_Ib(struct cpu *c, const struct insn *i)
{
    u16 v;

    fpu_check_sse(c);
    v = (u16)rm_read(c, i, SZ16);
    c->fpu.xmm[i->reg].w[i->imm & 7] = v;
    return i + 1;
}

static const struct insn *exec_pextrw_Gd_Ux_Ib(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    reg_write(c, i->reg, SZ32, c->fpu.xmm[i->rm].w[i->imm & 7]);
    return i + 1;
}

static const struct insn *exec_pinsrw_Pq_Ew_Ib(struct cpu *c, const struct insn *i)
{
    union xmm_reg v = {.q = {0, 0}};
    u16 w;

    mmx_check(c);
    w = (u16)rm_read(c, i, SZ16);
    mmx_mark(c);
    v.q[0] = mmx_get(c, i->reg);
    v.w[i->imm & 3] = w;
    mmx_set(c, i->reg, v.q[0]);
    return i + 1;
}

static const struct insn *exec_pextrw_Gd_Nq_Ib(struct cpu *c, const struct insn *i)
{
    mmx_enter(c);
    reg_write(c, i->reg, SZ32, (mmx_get(c, i->rm) >> (16 * (i->imm & 3))) & 0xffff);
    return i + 1;
}

/* PMOVMSKB r32, xmm / mm: the top bit of each byte. */
static const struct insn *exec_pmovmskb_Gd_Ux(struct cpu *c, const struct insn *i)
{
    u64 lo, hi;
    u32 m;

    fpu_check_sse(c);
    lo = c->fpu.xmm[i->rm].q[0] & 0x8080808080808080ull;
    hi = c->fpu.xmm[i->rm].q[1] & 0x8080808080808080ull;
    /* Gather bit 7 of each byte into one byte: multiply the isolated bits into the top byte. */
    m = (u32)((lo * 0x0002040810204081ull) >> 56) |
        (u32)(((hi * 0x0002040810204081ull) >> 56) << 8);
    reg_write(c, i->reg, SZ32, m);
    return i + 1;
}

static const struct insn *exec_pmovmskb_Gd_Nq(struct cpu *c, const struct insn *i)
{
    u64 v;

    mmx_enter(c);
    v = mmx_get(c, i->rm) & 0x8080808080808080ull;
    reg_write(c, i->reg, SZ32, (v * 0x0002040810204081ull) >> 56);
    return i + 1;
}

/* ---- registration ------------------------------------------------------------------------ */

void exec_sse_int_register(struct optable *t)
{
    static const struct {
        u8 op, digit, aux;
        const char *name;
        bool xmm_only;
    } shifts[] = {
        {0x71, 2, SH_PSRLW, "psrlw", false}, {0x71, 4, SH_PSRAW, "psraw", false},
        {0x71, 6, SH_PSLLW, "psllw", false}, {0x72, 2, SH_PSRLD, "psrld", false},
        {0x72, 4, SH_PSRAD, "psrad", false}, {0x72, 6, SH_PSLLD, "pslld", false},
        {0x73, 2, SH_PSRLQ, "psrlq", false}, {0x73, 3, SH_PSRLDQ, "psrldq", true},
        {0x73, 6, SH_PSLLQ, "psllq", false}, {0x73, 7, SH_PSLLDQ, "pslldq", true},
    };
#define X(nm, opc, mmx)                                                                            \
    {                                                                                              \
        struct op_entry ex = {.name = #nm, .flags = OPF_MODRM, .select = sel_##nm##_Vx_Wx};        \
        struct op_entry em = {.name = #nm, .flags = OPF_MODRM, .fn = exec_##nm##_Pq_Qq};           \
        optable_set_prefixed(t, MAP_0F, opc, PFX_66, &ex);                                         \
        if (mmx)                                                                                   \
            optable_set_prefixed(t, MAP_0F, opc, PFX_NONE, &em);                                   \
    }
    IOP_LIST(X)
#undef X
    for (size_t k = 0; k < ARRAY_LEN(shifts); k++) {
        struct op_entry ex = {.name = shifts[k].name,
                              .flags = OPF_MODRM | OPF_UIMM8 | OPF_REG_ONLY,
                              .fn = exec_pshift_Ux_Ib,
                              .aux = shifts[k].aux};
        struct op_entry em = ex;

        em.fn = exec_pshift_Nq_Ib;
        optable_set_prefixed_group(t, MAP_0F, shifts[k].op, PFX_66, shifts[k].digit, &ex);
        if (!shifts[k].xmm_only)
            optable_set_prefixed_group(t, MAP_0F, shifts[k].op, PFX_NONE, shifts[k].digit, &em);
    }
    {
        static const struct sse_op ops[] = {
            {.map = MAP_0F,
             .opcode = 0x70,
             .pfx = PFX_66,
             .name = "pshufd",
             .select = sel_pshufd,
             .flags = OPF_UIMM8},
            {.map = MAP_0F,
             .opcode = 0x70,
             .pfx = PFX_F3,
             .name = "pshufhw",
             .select = sel_pshufhw,
             .flags = OPF_UIMM8},
            {.map = MAP_0F,
             .opcode = 0x70,
             .pfx = PFX_F2,
             .name = "pshuflw",
             .select = sel_pshuflw,
             .flags = OPF_UIMM8},
            {.map = MAP_0F,
             .opcode = 0x70,
             .pfx = PFX_NONE,
             .name = "pshufw",
             .fn = exec_pshufw_Pq_Qq_Ib,
             .flags = OPF_UIMM8},
            {.map = MAP_0F,
             .opcode = 0xc4,
             .pfx = PFX_66,
             .name = "pinsrw",
             .fn = exec_pinsrw_Vx_Ew_Ib,
             .flags = OPF_UIMM8},
            {.map = MAP_0F,
             .opcode = 0xc4,
             .pfx = PFX_NONE,
             .name = "pinsrw",
             .fn = exec_pinsrw_Pq_Ew_Ib,
             .flags = OPF_UIMM8},
            {.map = MAP_0F,
             .opcode = 0xc5,
             .pfx = PFX_66,
             .name = "pextrw",
             .fn = exec_pextrw_Gd_Ux_Ib,
             .flags = OPF_UIMM8 | OPF_REG_ONLY},
            {.map = MAP_0F,
             .opcode = 0xc5,
             .pfx = PFX_NONE,
             .name = "pextrw",
             .fn = exec_pextrw_Gd_Nq_Ib,
             .flags = OPF_UIMM8 | OPF_REG_ONLY},
            {.map = MAP_0F,
             .opcode = 0xd7,
             .pfx = PFX_66,
             .name = "pmovmskb",
             .fn = exec_pmovmskb_Gd_Ux,
             .flags = OPF_REG_ONLY},
            {.map = MAP_0F,
             .opcode = 0xd7,
             .pfx = PFX_NONE,
             .name = "pmovmskb",
             .fn = exec_pmovmskb_Gd_Nq,
             .flags = OPF_REG_ONLY},
        };

        sse_register_ops(t, ops, ARRAY_LEN(ops));
    }
}
