/* SPDX-License-Identifier: MIT */
/*
 * SSE4.1 (Intel SDM vol. 1 12.10, vol. 2: 66 0F38 10-41 and 66 0F3A 08-22, 40-42) and
 * PCMPGTQ of SSE4.2. Integer work is plain C; ROUNDxx and DPPS/DPPD run as the host
 * instruction under the guest's MXCSR (exact rounding and flags). PCMPxSTRx and CRC32:
 * exec_sse4_str.c.
 */
#include "core/fpu.h"

#include "core/flags.h"

static inline u16 sse4_sat_u16(i32 v)
{
    return (u16)(v > 65535 ? 65535 : v < 0 ? 0 : v);
}

/* ---- variable blends (implicit XMM0 mask) -------------------------------------------------- */

SSE_RM(pblendvb, SSE_M128A, {
    union xmm_reg m = c->fpu.xmm[0], r = *d;
    for (unsigned k = 0; k < 16; k++)
        if (m.b[k] & 0x80)
            r.b[k] = s->b[k];
    *d = r;
})
SSE_RM(blendvps, SSE_M128A, {
    union xmm_reg m = c->fpu.xmm[0], r = *d;
    for (unsigned k = 0; k < 4; k++)
        if (m.d[k] >> 31)
            r.d[k] = s->d[k];
    *d = r;
})
SSE_RM(blendvpd, SSE_M128A, {
    union xmm_reg m = c->fpu.xmm[0], r = *d;
    for (unsigned k = 0; k < 2; k++)
        if (m.q[k] >> 63)
            r.q[k] = s->q[k];
    *d = r;
})

/* ---- immediate blends ---------------------------------------------------------------------- */

SSE_RM(blendps, SSE_M128A, {
    union xmm_reg r = *d;
    for (unsigned k = 0; k < 4; k++)
        if ((i->imm >> k) & 1)
            r.d[k] = s->d[k];
    *d = r;
})
SSE_RM(blendpd, SSE_M128A, {
    union xmm_reg r = *d;
    for (unsigned k = 0; k < 2; k++)
        if ((i->imm >> k) & 1)
            r.q[k] = s->q[k];
    *d = r;
})
SSE_RM(pblendw, SSE_M128A, {
    union xmm_reg r = *d;
    for (unsigned k = 0; k < 8; k++)
        if ((i->imm >> k) & 1)
            r.w[k] = s->w[k];
    *d = r;
})

/* ---- PTEST: ZF = (src AND dest) = 0, CF = (src AND NOT dest) = 0, AF OF PF SF cleared --- */

SSE_RM(ptest, SSE_M128A, {
    u64 and_ = (d->q[0] & s->q[0]) | (d->q[1] & s->q[1]);
    u64 andn = (~d->q[0] & s->q[0]) | (~d->q[1] & s->q[1]);
    c->lazy.op = FLAGS_OP_NONE;
    c->rflags = (c->rflags & ~RFLAGS_ARITH) | (and_ ? 0 : RFLAGS_ZF) | (andn ? 0 : RFLAGS_CF);
})

/* ---- PMOVSX / PMOVZX: the memory forms read only the bytes they widen ---------------------- */

SSE_RM(pmovsxbw, SSE_M64, {
    union xmm_reg r;
    for (unsigned k = 0; k < 8; k++)
        r.w[k] = (u16)(i8)s->b[k];
    *d = r;
})
SSE_RM(pmovsxbd, SSE_M32, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = (u32)(i8)s->b[k];
    *d = r;
})
SSE_RM(pmovsxbq, SSE_M16, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = (u64)(i8)s->b[k];
    *d = r;
})
SSE_RM(pmovsxwd, SSE_M64, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = (u32)(i16)s->w[k];
    *d = r;
})
SSE_RM(pmovsxwq, SSE_M32, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = (u64)(i16)s->w[k];
    *d = r;
})
SSE_RM(pmovsxdq, SSE_M64, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = (u64)(i32)s->d[k];
    *d = r;
})
SSE_RM(pmovzxbw, SSE_M64, {
    union xmm_reg r;
    for (unsigned k = 0; k < 8; k++)
        r.w[k] = s->b[k];
    *d = r;
})
SSE_RM(pmovzxbd, SSE_M32, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = s->b[k];
    *d = r;
})
SSE_RM(pmovzxbq, SSE_M16, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = s->b[k];
    *d = r;
})
SSE_RM(pmovzxwd, SSE_M64, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = s->w[k];
    *d = r;
})
SSE_RM(pmovzxwq, SSE_M32, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = s->w[k];
    *d = r;
})
SSE_RM(pmovzxdq, SSE_M64, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = s->d[k];
    *d = r;
})

/* ---- packed integer arithmetic ------------------------------------------------------------- */

SSE_RM(pmuldq, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = (u64)((i64)(i32)d->d[2 * k] * (i32)s->d[2 * k]);
    *d = r;
})
SSE_RM(pcmpeqq, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = d->q[k] == s->q[k] ? ~0ull : 0;
    *d = r;
})
SSE_RM(pcmpgtq, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 2; k++)
        r.q[k] = (i64)d->q[k] > (i64)s->q[k] ? ~0ull : 0;
    *d = r;
})
SSE_RM(packusdw, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++) {
        r.w[k] = sse4_sat_u16((i32)d->d[k]);
        r.w[k + 4] = sse4_sat_u16((i32)s->d[k]);
    }
    *d = r;
})
SSE_RM(pminsb, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 16; k++)
        r.b[k] = (i8)d->b[k] < (i8)s->b[k] ? d->b[k] : s->b[k];
    *d = r;
})
SSE_RM(pminsd, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = (i32)d->d[k] < (i32)s->d[k] ? d->d[k] : s->d[k];
    *d = r;
})
SSE_RM(pminuw, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 8; k++)
        r.w[k] = d->w[k] < s->w[k] ? d->w[k] : s->w[k];
    *d = r;
})
SSE_RM(pminud, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = d->d[k] < s->d[k] ? d->d[k] : s->d[k];
    *d = r;
})
SSE_RM(pmaxsb, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 16; k++)
        r.b[k] = (i8)d->b[k] > (i8)s->b[k] ? d->b[k] : s->b[k];
    *d = r;
})
SSE_RM(pmaxsd, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = (i32)d->d[k] > (i32)s->d[k] ? d->d[k] : s->d[k];
    *d = r;
})
SSE_RM(pmaxuw, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 8; k++)
        r.w[k] = d->w[k] > s->w[k] ? d->w[k] : s->w[k];
    *d = r;
})
SSE_RM(pmaxud, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = d->d[k] > s->d[k] ? d->d[k] : s->d[k];
    *d = r;
})
SSE_RM(pmulld, SSE_M128A, {
    union xmm_reg r;
    for (unsigned k = 0; k < 4; k++)
        r.d[k] = d->d[k] * s->d[k];
    *d = r;
})
/* PHMINPOSUW: the smallest unsigned word of the source and its (first) index. */
SSE_RM(phminposuw, SSE_M128A, {
    unsigned best = 0;
    for (unsigned k = 1; k < 8; k++)
        if (s->w[k] < s->w[best])
            best = k;
    union xmm_reg r = {.d = {s->w[best] | (u32)best << 16, 0, 0, 0}};
    *d = r;
})
/* MPSADBW: eight sums of absolute differences of a 4-byte source block (imm8[1:0]) against
 * sliding 4-byte windows of the destination from offset 0 or 4 (imm8[2]). */
SSE_RM(mpsadbw, SSE_M128A, {
    unsigned so = 4 * ((unsigned)i->imm & 3), doff = 4 * (((unsigned)i->imm >> 2) & 1);
    union xmm_reg r;
    for (unsigned k = 0; k < 8; k++) {
        u32 sum = 0;
        for (unsigned j = 0; j < 4; j++) {
            int diff = d->b[doff + k + j] - s->b[so + j];
            sum += (u32)(diff < 0 ? -diff : diff);
        }
        r.w[k] = (u16)sum;
    }
    *d = r;
})

/* ---- rounding and dot products: the host instruction with the guest's MXCSR ---------------- */

/* case @label: the host instruction @insn with immediate @enc. */
#define SSE4_HOST_CASE(insn, label, enc)                                                           \
    case label:                                                                                    \
        SSE_HOST_OP(insn " $" #enc ",", dv, sv, g, out);                                           \
        break;

/* ROUNDPS/PD/SS/SD: imm8[1:0] rounding, [2] MXCSR.RC instead, [3] no precision exception;
 * imm8[7:4] are ignored. */
#define SSE4_ROUND(name, kind)                                                                     \
    SSE_RM(name, kind, {                                                                           \
        sse_v4sf dv, sv;                                                                           \
        u32 g = sse_guest_csr(c), out = 0;                                                         \
        memcpy(&dv, d, 16);                                                                        \
        memcpy(&sv, s, 16);                                                                        \
        switch (i->imm & 15) {                                                                     \
            SSE4_HOST_CASE(#name, 0, 0)                                                            \
            SSE4_HOST_CASE(#name, 1, 1)                                                            \
            SSE4_HOST_CASE(#name, 2, 2)                                                            \
            SSE4_HOST_CASE(#name, 3, 3)                                                            \
            SSE4_HOST_CASE(#name, 4, 4)                                                            \
            SSE4_HOST_CASE(#name, 5, 5)                                                            \
            SSE4_HOST_CASE(#name, 6, 6)                                                            \
            SSE4_HOST_CASE(#name, 7, 7)                                                            \
            SSE4_HOST_CASE(#name, 8, 8)                                                            \
            SSE4_HOST_CASE(#name, 9, 9)                                                            \
            SSE4_HOST_CASE(#name, 10, 10)                                                          \
            SSE4_HOST_CASE(#name, 11, 11)                                                          \
            SSE4_HOST_CASE(#name, 12, 12)                                                          \
            SSE4_HOST_CASE(#name, 13, 13)                                                          \
            SSE4_HOST_CASE(#name, 14, 14)                                                          \
        default:                                                                                   \
            SSE_HOST_OP(#name " $15,", dv, sv, g, out);                                            \
            break;                                                                                 \
        }                                                                                          \
        sse_fp_flags(c, out);                                                                      \
        memcpy(d, &dv, 16);                                                                        \
    })
SSE4_ROUND(roundps, SSE_M128A)
SSE4_ROUND(roundpd, SSE_M128A)
SSE4_ROUND(roundss, SSE_M32)
SSE4_ROUND(roundsd, SSE_M64)

/*
 * DPPS: imm8[7:4] choose the products summed (the computation and its flags), imm8[3:0] the
 * lanes that receive the sum (the others get +0.0). The host runs the computation with all
 * four lanes written (imm8[3:0] = 1111B, one of 16 encodings) and the lanes are picked here.
 */
SSE_RM(dpps, SSE_M128A, {
    sse_v4sf dv, sv;
    bool uo = sse_uo_unmasked(c);
    u32 g = unlikely(uo) ? sse_uo_csr(c) : sse_guest_csr(c), out = 0;
    union xmm_reg r;
    memcpy(&dv, d, 16);
    memcpy(&sv, s, 16);
    switch ((i->imm >> 4) & 15) {
        SSE4_HOST_CASE("dpps", 0, 15)
        SSE4_HOST_CASE("dpps", 1, 31)
        SSE4_HOST_CASE("dpps", 2, 47)
        SSE4_HOST_CASE("dpps", 3, 63)
        SSE4_HOST_CASE("dpps", 4, 79)
        SSE4_HOST_CASE("dpps", 5, 95)
        SSE4_HOST_CASE("dpps", 6, 111)
        SSE4_HOST_CASE("dpps", 7, 127)
        SSE4_HOST_CASE("dpps", 8, 143)
        SSE4_HOST_CASE("dpps", 9, 159)
        SSE4_HOST_CASE("dpps", 10, 175)
        SSE4_HOST_CASE("dpps", 11, 191)
        SSE4_HOST_CASE("dpps", 12, 207)
        SSE4_HOST_CASE("dpps", 13, 223)
        SSE4_HOST_CASE("dpps", 14, 239)
    default:
        SSE_HOST_OP("dpps $255,", dv, sv, g, out);
        break;
    }
    memcpy(&r, &dv, 16);
    if (unlikely(uo)) /* the sum, in every element: its final rounding only */
        out = sse_uo_flags(c, out, &r, false);
    sse_fp_flags(c, out);
    for (unsigned k = 0; k < 4; k++)
        d->d[k] = ((i->imm >> k) & 1) ? r.d[k] : 0;
})

/* DPPD: imm8[5:4] products, imm8[1:0] destination lanes; imm8[7:6] and [3:2] are ignored. */
SSE_RM(dppd, SSE_M128A, {
    sse_v4sf dv, sv;
    bool uo = sse_uo_unmasked(c);
    u32 g = unlikely(uo) ? sse_uo_csr(c) : sse_guest_csr(c), out = 0;
    union xmm_reg r;
    memcpy(&dv, d, 16);
    memcpy(&sv, s, 16);
    switch ((i->imm >> 4) & 3) {
        SSE4_HOST_CASE("dppd", 0, 3)
        SSE4_HOST_CASE("dppd", 1, 19)
        SSE4_HOST_CASE("dppd", 2, 35)
    default:
        SSE_HOST_OP("dppd $51,", dv, sv, g, out);
        break;
    }
    memcpy(&r, &dv, 16);
    if (unlikely(uo))
        out = sse_uo_flags(c, out, &r, true);
    sse_fp_flags(c, out);
    for (unsigned k = 0; k < 2; k++)
        d->q[k] = ((i->imm >> k) & 1) ? r.q[k] : 0;
})

/* ---- INSERTPS, PINSRx, PEXTRx, EXTRACTPS, MOVNTDQA ----------------------------------------- */

/* INSERTPS: a dword (register: imm8[7:6] selects it; memory: the m32) into lane imm8[5:4],
 * then lanes of imm8[3:0] zeroed. */
SSE_RM(insertps, SSE_M32, {
    unsigned im = (unsigned)i->imm;
    u32 v = (i->prefixes & INSN_MEM) ? s->d[0] : s->d[(im >> 6) & 3];
    d->d[(im >> 4) & 3] = v;
    for (unsigned k = 0; k < 4; k++)
        if ((im >> k) & 1)
            d->d[k] = 0;
})

static const struct insn *exec_pinsrb_Vx_Eb_Ib(struct cpu *c, const struct insn *i)
{
    u8 v;

    fpu_check_sse(c);
    v = (u8)rm_read(c, i, SZ8);
    c->fpu.xmm[i->reg].b[i->imm & 15] = v;
    return i + 1;
}

/* PINSRD (PINSRQ with REX.W). */
static const struct insn *exec_pinsrd_Vx_Ey_Ib(struct cpu *c, const struct insn *i)
{
    u64 v;

    fpu_check_sse(c);
    if (i->opsize == SZ64) {
        v = rm_read(c, i, SZ64);
        c->fpu.xmm[i->reg].q[i->imm & 1] = v;
    } else {
        v = rm_read(c, i, SZ32);
        c->fpu.xmm[i->reg].d[i->imm & 3] = (u32)v;
    }
    return i + 1;
}

/* Extracts: a memory destination gets the element's size; a register destination gets the
 * element zero-extended to 64 bits (32-bit writes zero the upper half anyway). */
static inline void sse4_extract_store(struct cpu *c, const struct insn *i, unsigned size, u64 v)
{
    if (i->prefixes & INSN_MEM)
        cpu_write_sized(c, i->seg, insn_ea(c, i), size, v);
    else
        c->gpr[i->rm] = v;
}

static const struct insn *exec_pextrb_Eb_Vx_Ib(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse4_extract_store(c, i, SZ8, c->fpu.xmm[i->reg].b[i->imm & 15]);
    return i + 1;
}

static const struct insn *exec_pextrw_Ew_Vx_Ib(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse4_extract_store(c, i, SZ16, c->fpu.xmm[i->reg].w[i->imm & 7]);
    return i + 1;
}

/* PEXTRD (PEXTRQ with REX.W). */
static const struct insn *exec_pextrd_Ey_Vx_Ib(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    if (i->opsize == SZ64)
        sse4_extract_store(c, i, SZ64, c->fpu.xmm[i->reg].q[i->imm & 1]);
    else
        sse4_extract_store(c, i, SZ32, c->fpu.xmm[i->reg].d[i->imm & 3]);
    return i + 1;
}

static const struct insn *exec_extractps_Ed_Vx_Ib(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse4_extract_store(c, i, SZ32, c->fpu.xmm[i->reg].d[i->imm & 3]);
    return i + 1;
}

/* MOVNTDQA xmm, m128: an aligned load (the non-temporal hint has no effect here). */
static const struct insn *exec_movntdqa_Vx_Mx(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse_load(c, i, SSE_M128A, &c->fpu.xmm[i->reg]);
    return i + 1;
}

/* ---- registration -------------------------------------------------------------------------- */

#define R38(op, nm, sel)                                                                           \
    {                                                                                              \
        .map = MAP_0F38, .opcode = op, .pfx = PFX_66, .name = nm, .select = sel,                   \
        .feature = FEAT_SSE41                                                                      \
    }
#define R3A(op, nm, sel)                                                                           \
    {                                                                                              \
        .map = MAP_0F3A, .opcode = op, .pfx = PFX_66, .name = nm, .select = sel,                   \
        .flags = OPF_UIMM8, .feature = FEAT_SSE41                                                  \
    }
#define F3A(op, nm, f)                                                                             \
    {                                                                                              \
        .map = MAP_0F3A, .opcode = op, .pfx = PFX_66, .name = nm, .fn = f, .flags = OPF_UIMM8,     \
        .feature = FEAT_SSE41                                                                      \
    }

void exec_sse4_register(struct optable *t)
{
    static const struct sse_op ops[] = {
        R38(0x10, "pblendvb", sel_pblendvb),
        R38(0x14, "blendvps", sel_blendvps),
        R38(0x15, "blendvpd", sel_blendvpd),
        R38(0x17, "ptest", sel_ptest),
        R38(0x20, "pmovsxbw", sel_pmovsxbw),
        R38(0x21, "pmovsxbd", sel_pmovsxbd),
        R38(0x22, "pmovsxbq", sel_pmovsxbq),
        R38(0x23, "pmovsxwd", sel_pmovsxwd),
        R38(0x24, "pmovsxwq", sel_pmovsxwq),
        R38(0x25, "pmovsxdq", sel_pmovsxdq),
        R38(0x28, "pmuldq", sel_pmuldq),
        R38(0x29, "pcmpeqq", sel_pcmpeqq),
        {.map = MAP_0F38,
         .opcode = 0x2a,
         .pfx = PFX_66,
         .name = "movntdqa",
         .fn = exec_movntdqa_Vx_Mx,
         .flags = OPF_MEM_ONLY,
         .feature = FEAT_SSE41},
        R38(0x2b, "packusdw", sel_packusdw),
        R38(0x30, "pmovzxbw", sel_pmovzxbw),
        R38(0x31, "pmovzxbd", sel_pmovzxbd),
        R38(0x32, "pmovzxbq", sel_pmovzxbq),
        R38(0x33, "pmovzxwd", sel_pmovzxwd),
        R38(0x34, "pmovzxwq", sel_pmovzxwq),
        R38(0x35, "pmovzxdq", sel_pmovzxdq),
        {.map = MAP_0F38,
         .opcode = 0x37,
         .pfx = PFX_66,
         .name = "pcmpgtq",
         .select = sel_pcmpgtq,
         .feature = FEAT_SSE42},
        R38(0x38, "pminsb", sel_pminsb),
        R38(0x39, "pminsd", sel_pminsd),
        R38(0x3a, "pminuw", sel_pminuw),
        R38(0x3b, "pminud", sel_pminud),
        R38(0x3c, "pmaxsb", sel_pmaxsb),
        R38(0x3d, "pmaxsd", sel_pmaxsd),
        R38(0x3e, "pmaxuw", sel_pmaxuw),
        R38(0x3f, "pmaxud", sel_pmaxud),
        R38(0x40, "pmulld", sel_pmulld),
        R38(0x41, "phminposuw", sel_phminposuw),
        R3A(0x08, "roundps", sel_roundps),
        R3A(0x09, "roundpd", sel_roundpd),
        R3A(0x0a, "roundss", sel_roundss),
        R3A(0x0b, "roundsd", sel_roundsd),
        R3A(0x0c, "blendps", sel_blendps),
        R3A(0x0d, "blendpd", sel_blendpd),
        R3A(0x0e, "pblendw", sel_pblendw),
        F3A(0x14, "pextrb", exec_pextrb_Eb_Vx_Ib),
        F3A(0x15, "pextrw", exec_pextrw_Ew_Vx_Ib),
        F3A(0x16, "pextrd", exec_pextrd_Ey_Vx_Ib),
        F3A(0x17, "extractps", exec_extractps_Ed_Vx_Ib),
        F3A(0x20, "pinsrb", exec_pinsrb_Vx_Eb_Ib),
        R3A(0x21, "insertps", sel_insertps),
        F3A(0x22, "pinsrd", exec_pinsrd_Vx_Ey_Ib),
        R3A(0x40, "dpps", sel_dpps),
        R3A(0x41, "dppd", sel_dppd),
        R3A(0x42, "mpsadbw", sel_mpsadbw),
    };

    sse_register_ops(t, ops, ARRAY_LEN(ops));
    exec_sse4_str_register(t);
}
