/* SPDX-License-Identifier: MIT */
/*
 * Instruction family "sse": SSE/SSE2 data movement, floating-point arithmetic, compares and
 * conversions, MXCSR, FXSAVE/FXRSTOR, fences (Intel SDM vol. 1 ch. 10-11, vol. 2). Floating
 * point runs as the same host instruction under the guest's MXCSR, so results and flags are
 * exact. Integer SIMD: exec_sse_int.c; SSE3: exec_sse_ext.c; SSSE3: exec_ssse3.c; SSE4:
 * exec_sse4*.c; MMX: exec_sse_mmx.c.
 */
#include "core/fpu.h"

#include "core/exception.h"
#include "core/flags.h"

/* ---- moves --------------------------------------------------------------------------------- */

/* MOVUPS/MOVUPD/MOVDQU (unaligned) and MOVAPS/MOVAPD/MOVDQA (aligned) loads. */
static const struct insn *exec_movu_Vx_Wx_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->reg] = c->fpu.xmm[i->rm];
    return i + 1;
}

static const struct insn *exec_movu_Vx_Wx_m(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    fpu_read_mem(c, i->seg, insn_ea(c, i), &c->fpu.xmm[i->reg], 16);
    return i + 1;
}

static const struct insn *exec_mova_Vx_Wx_m(struct cpu *c, const struct insn *i)
{
    u64 ea = insn_ea(c, i);

    fpu_check_sse(c);
    fpu_check_align16(c, i->seg, ea);
    fpu_read_mem(c, i->seg, ea, &c->fpu.xmm[i->reg], 16);
    return i + 1;
}

static exec_fn *sel_movu_Vx_Wx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movu_Vx_Wx_m : exec_movu_Vx_Wx_r;
}

static exec_fn *sel_mova_Vx_Wx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_mova_Vx_Wx_m : exec_movu_Vx_Wx_r;
}

/* Stores: MOVUPS/MOVDQU Wx,Vx and the aligned ones (also MOVNTPS/MOVNTPD/MOVNTDQ). */
static const struct insn *exec_movu_Wx_Vx_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->rm] = c->fpu.xmm[i->reg];
    return i + 1;
}

static const struct insn *exec_movu_Wx_Vx_m(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse_store128(c, i, &c->fpu.xmm[i->reg], false);
    return i + 1;
}

static const struct insn *exec_mova_Wx_Vx_m(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    sse_store128(c, i, &c->fpu.xmm[i->reg], true);
    return i + 1;
}

static exec_fn *sel_movu_Wx_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movu_Wx_Vx_m : exec_movu_Wx_Vx_r;
}

static exec_fn *sel_mova_Wx_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_mova_Wx_Vx_m : exec_movu_Wx_Vx_r;
}

static exec_fn *sel_movnt_Mx_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_mova_Wx_Vx_m : NULL;
}

/* MOVSS: register form merges the low dword; the load zeroes bits 127:32. */
static const struct insn *exec_movss_Vx_Wss_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->reg].d[0] = c->fpu.xmm[i->rm].d[0];
    return i + 1;
}

static const struct insn *exec_movss_Vx_Mss(struct cpu *c, const struct insn *i)
{
    u32 v;

    fpu_check_sse(c);
    v = cpu_read32(c, i->seg, insn_ea(c, i));
    c->fpu.xmm[i->reg].q[0] = v;
    c->fpu.xmm[i->reg].q[1] = 0;
    return i + 1;
}

static exec_fn *sel_movss_Vx_Wss(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movss_Vx_Mss : exec_movss_Vx_Wss_r;
}

static const struct insn *exec_movss_Wss_Vx_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->rm].d[0] = c->fpu.xmm[i->reg].d[0];
    return i + 1;
}

static const struct insn *exec_movss_Mss_Vx(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    cpu_write32(c, i->seg, insn_ea(c, i), c->fpu.xmm[i->reg].d[0]);
    return i + 1;
}

static exec_fn *sel_movss_Wss_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movss_Mss_Vx : exec_movss_Wss_Vx_r;
}

/* MOVSD (F2 0F 10/11) and MOVQ xmm, xmm/m64 (F3 0F 7E): low qword. */
static const struct insn *exec_movsd_Vx_Wsd_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->reg].q[0] = c->fpu.xmm[i->rm].q[0];
    return i + 1;
}

static const struct insn *exec_movq_Vx_Wq_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->reg].q[0] = c->fpu.xmm[i->rm].q[0];
    c->fpu.xmm[i->reg].q[1] = 0;
    return i + 1;
}

static const struct insn *exec_movsd_Vx_Msd(struct cpu *c, const struct insn *i)
{
    u64 v;

    fpu_check_sse(c);
    v = cpu_read64(c, i->seg, insn_ea(c, i));
    c->fpu.xmm[i->reg].q[0] = v;
    c->fpu.xmm[i->reg].q[1] = 0;
    return i + 1;
}

static exec_fn *sel_movsd_Vx_Wsd(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movsd_Vx_Msd : exec_movsd_Vx_Wsd_r;
}

static exec_fn *sel_movq_Vx_Wq(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movsd_Vx_Msd : exec_movq_Vx_Wq_r;
}

static const struct insn *exec_movsd_Wsd_Vx_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->rm].q[0] = c->fpu.xmm[i->reg].q[0];
    return i + 1;
}

/* MOVQ xmm/m64, xmm (66 0F D6): the register form zeroes the destination's high qword. */
static const struct insn *exec_movq_Wq_Vx_r(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->rm].q[0] = c->fpu.xmm[i->reg].q[0];
    c->fpu.xmm[i->rm].q[1] = 0;
    return i + 1;
}

/* Store of the low qword: MOVSD m64, MOVQ m64, MOVLPS/MOVLPD m64. */
static const struct insn *exec_movlo_Mq_Vx(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    cpu_write64(c, i->seg, insn_ea(c, i), c->fpu.xmm[i->reg].q[0]);
    return i + 1;
}

static const struct insn *exec_movhi_Mq_Vx(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    cpu_write64(c, i->seg, insn_ea(c, i), c->fpu.xmm[i->reg].q[1]);
    return i + 1;
}

static exec_fn *sel_movsd_Wsd_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movlo_Mq_Vx : exec_movsd_Wsd_Vx_r;
}

static exec_fn *sel_movq_Wq_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movlo_Mq_Vx : exec_movq_Wq_Vx_r;
}

static exec_fn *sel_movlps_Mq_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movlo_Mq_Vx : NULL;
}

static exec_fn *sel_movhps_Mq_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movhi_Mq_Vx : NULL;
}

/* 0F 12: MOVLPS xmm, m64 / MOVHLPS xmm, xmm; 66: MOVLPD xmm, m64. */
static const struct insn *exec_movlps_Vx_Mq(struct cpu *c, const struct insn *i)
{
    u64 v;

    fpu_check_sse(c);
    v = cpu_read64(c, i->seg, insn_ea(c, i));
    c->fpu.xmm[i->reg].q[0] = v;
    return i + 1;
}

static const struct insn *exec_movhlps_Vx_Ux(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->reg].q[0] = c->fpu.xmm[i->rm].q[1];
    return i + 1;
}

static exec_fn *sel_movlps_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movlps_Vx_Mq : exec_movhlps_Vx_Ux;
}

static exec_fn *sel_movlpd_Vx_Mq(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movlps_Vx_Mq : NULL;
}

/* 0F 16: MOVHPS xmm, m64 / MOVLHPS xmm, xmm; 66: MOVHPD xmm, m64. */
static const struct insn *exec_movhps_Vx_Mq(struct cpu *c, const struct insn *i)
{
    u64 v;

    fpu_check_sse(c);
    v = cpu_read64(c, i->seg, insn_ea(c, i));
    c->fpu.xmm[i->reg].q[1] = v;
    return i + 1;
}

static const struct insn *exec_movlhps_Vx_Ux(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    c->fpu.xmm[i->reg].q[1] = c->fpu.xmm[i->rm].q[0];
    return i + 1;
}

static exec_fn *sel_movhps_Vx(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movhps_Vx_Mq : exec_movlhps_Vx_Ux;
}

static exec_fn *sel_movhpd_Vx_Mq(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movhps_Vx_Mq : NULL;
}

/* MOVD/MOVQ xmm, r/m32/64 (66 0F 6E): zero-extended to 128 bits. */
static const struct insn *exec_movd_Vx_Ey(struct cpu *c, const struct insn *i)
{
    u64 v;

    fpu_check_sse(c);
    v = rm_read(c, i, (i->prefixes & INSN_REXW) ? SZ64 : SZ32);
    c->fpu.xmm[i->reg].q[0] = v;
    c->fpu.xmm[i->reg].q[1] = 0;
    return i + 1;
}

/* MOVD/MOVQ r/m32/64, xmm (66 0F 7E). */
static const struct insn *exec_movd_Ey_Vx(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    rm_write(c, i, (i->prefixes & INSN_REXW) ? SZ64 : SZ32, c->fpu.xmm[i->reg].q[0]);
    return i + 1;
}

/* MOVNTI m32/m64, r32/r64 (0F C3). */
static const struct insn *exec_movnti_My_Gy(struct cpu *c, const struct insn *i)
{
    unsigned size = (i->prefixes & INSN_REXW) ? SZ64 : SZ32;

    fpu_check_sse(c);
    cpu_write_sized(c, i->seg, insn_ea(c, i), size, reg_read(c, i->reg, size));
    return i + 1;
}

/* MOVMSKPS/MOVMSKPD r32, xmm: sign bits (0F 50). */
static const struct insn *exec_movmskps_Gd_Ux(struct cpu *c, const struct insn *i)
{
    const union xmm_reg *s = &c->fpu.xmm[i->rm];
    u32 m = 0;

    fpu_check_sse(c);
    for (unsigned k = 0; k < 4; k++)
        m |= (s->d[k] >> 31) << k;
    reg_write(c, i->reg, SZ32, m);
    return i + 1;
}

static const struct insn *exec_movmskpd_Gd_Ux(struct cpu *c, const struct insn *i)
{
    const union xmm_reg *s = &c->fpu.xmm[i->rm];

    fpu_check_sse(c);
    reg_write(c, i->reg, SZ32, (s->q[0] >> 63) | ((s->q[1] >> 63) << 1));
    return i + 1;
}

/* MASKMOVDQU xmm, xmm (66 0F F7): byte stores to DS:rDI where the mask byte's top bit is
 * set. Bytes are written one by one (a fault part-way leaves the earlier ones, as allowed:
 * the SDM makes no atomicity promise for this non-temporal store). */
static const struct insn *exec_maskmovdqu_Vx_Ux(struct cpu *c, const struct insn *i)
{
    u64 base = reg_read(c, 7, i->asize);
    union xmm_reg v, m;

    fpu_check_sse(c);
    v = c->fpu.xmm[i->reg];
    m = c->fpu.xmm[i->rm];
    for (unsigned k = 0; k < 16; k++)
        if (m.b[k] & 0x80)
            cpu_write8(c, i->seg, (base + k) & size_mask(i->asize), v.b[k]);
    return i + 1;
}

/* UNPCKLPS/UNPCKHPS/UNPCKLPD/UNPCKHPD, SHUFPS/SHUFPD. */
SSE_RM(unpcklps, SSE_M128A, {
    union xmm_reg r = {.d = {d->d[0], s->d[0], d->d[1], s->d[1]}};
    *d = r;
})
SSE_RM(unpckhps, SSE_M128A, {
    union xmm_reg r = {.d = {d->d[2], s->d[2], d->d[3], s->d[3]}};
    *d = r;
})
SSE_RM(unpcklpd, SSE_M128A, {
    union xmm_reg r = {.q = {d->q[0], s->q[0]}};
    *d = r;
})
SSE_RM(unpckhpd, SSE_M128A, {
    union xmm_reg r = {.q = {d->q[1], s->q[1]}};
    *d = r;
})
SSE_RM(shufps, SSE_M128A, {
    unsigned im = (unsigned)i->imm;
    union xmm_reg r = {
        .d = {d->d[im & 3], d->d[(im >> 2) & 3], s->d[(im >> 4) & 3], s->d[(im >> 6) & 3]}};
    *d = r;
})
SSE_RM(shufpd, SSE_M128A, {
    unsigned im = (unsigned)i->imm;
    union xmm_reg r = {.q = {d->q[im & 1], s->q[(im >> 1) & 1]}};
    *d = r;
})

/* Bitwise logic on packed floats: no floating-point exceptions. */
SSE_RM(andps, SSE_M128A, {
    d->q[0] &= s->q[0];
    d->q[1] &= s->q[1];
})
SSE_RM(andnps, SSE_M128A, {
    d->q[0] = ~d->q[0] & s->q[0];
    d->q[1] = ~d->q[1] & s->q[1];
})
SSE_RM(orps, SSE_M128A, {
    d->q[0] |= s->q[0];
    d->q[1] |= s->q[1];
})
SSE_RM(xorps, SSE_M128A, {
    u64 a = s->q[0], b = s->q[1];
    d->q[0] ^= a;
    d->q[1] ^= b;
})

/* ---- floating-point arithmetic (host instruction under the guest's MXCSR) ---------------- */

SSE_FP_UO(addps, SSE_M128A, "addps", 4)
SSE_FP_UO(addpd, SSE_M128A, "addpd", 2 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(addss, SSE_M32, "addss", 1)
SSE_FP_UO(addsd, SSE_M64, "addsd", 1 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(subps, SSE_M128A, "subps", 4)
SSE_FP_UO(subpd, SSE_M128A, "subpd", 2 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(subss, SSE_M32, "subss", 1)
SSE_FP_UO(subsd, SSE_M64, "subsd", 1 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(mulps, SSE_M128A, "mulps", 4)
SSE_FP_UO(mulpd, SSE_M128A, "mulpd", 2 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(mulss, SSE_M32, "mulss", 1)
SSE_FP_UO(mulsd, SSE_M64, "mulsd", 1 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(divps, SSE_M128A, "divps", 4)
SSE_FP_UO(divpd, SSE_M128A, "divpd", 2 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(divss, SSE_M32, "divss", 1)
SSE_FP_UO(divsd, SSE_M64, "divsd", 1 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP(minps, SSE_M128A, "minps")
SSE_FP(minpd, SSE_M128A, "minpd")
SSE_FP(minss, SSE_M32, "minss")
SSE_FP(minsd, SSE_M64, "minsd")
SSE_FP(maxps, SSE_M128A, "maxps")
SSE_FP(maxpd, SSE_M128A, "maxpd")
SSE_FP(maxss, SSE_M32, "maxss")
SSE_FP(maxsd, SSE_M64, "maxsd")
SSE_FP(sqrtps, SSE_M128A, "sqrtps")
SSE_FP(sqrtpd, SSE_M128A, "sqrtpd")
SSE_FP(sqrtss, SSE_M32, "sqrtss")
SSE_FP(sqrtsd, SSE_M64, "sqrtsd")
SSE_FP(rsqrtps, SSE_M128A, "rsqrtps")
SSE_FP(rsqrtss, SSE_M32, "rsqrtss")
SSE_FP(rcpps, SSE_M128A, "rcpps")
SSE_FP(rcpss, SSE_M32, "rcpss")
SSE_FP(cvtps2pd, SSE_M64, "cvtps2pd")
SSE_FP_UO(cvtpd2ps, SSE_M128A, "cvtpd2ps", 2 | SSE_UO_S64)
SSE_FP(cvtss2sd, SSE_M32, "cvtss2sd")
SSE_FP_UO(cvtsd2ss, SSE_M64, "cvtsd2ss", 1 | SSE_UO_S64)
SSE_FP(cvtdq2ps, SSE_M128A, "cvtdq2ps")
SSE_FP(cvtps2dq, SSE_M128A, "cvtps2dq")
SSE_FP(cvttps2dq, SSE_M128A, "cvttps2dq")
SSE_FP(cvttpd2dq, SSE_M128A, "cvttpd2dq")
SSE_FP(cvtdq2pd, SSE_M64, "cvtdq2pd")
SSE_FP(cvtpd2dq, SSE_M128A, "cvtpd2dq")

/* CMPPS/CMPPD/CMPSS/CMPSD with the predicate in imm8[2:0] (SDM vol. 2 CMPPS table 3-7). */
#define SSE_CMP(name, kind, mn)                                                                    \
    SSE_RM(name, kind, {                                                                           \
        sse_v4sf dv, sv;                                                                           \
        u32 g = sse_guest_csr(c), out;                                                             \
        memcpy(&dv, d, 16);                                                                        \
        memcpy(&sv, s, 16);                                                                        \
        switch (i->imm & 7) {                                                                      \
        case 0:                                                                                    \
            SSE_HOST_OP(mn " $0,", dv, sv, g, out);                                                \
            break;                                                                                 \
        case 1:                                                                                    \
            SSE_HOST_OP(mn " $1,", dv, sv, g, out);                                                \
            break;                                                                                 \
        case 2:                                                                                    \
            SSE_HOST_OP(mn " $2,", dv, sv, g, out);                                                \
            break;                                                                                 \
        case 3:                                                                                    \
            SSE_HOST_OP(mn " $3,", dv, sv, g, out);                                                \
            break;                                                                                 \
        case 4:                                                                                    \
            SSE_HOST_OP(mn " $4,", dv, sv, g, out);                                                \
            break;                                                                                 \
        case 5:                                                                                    \
            SSE_HOST_OP(mn " $5,", dv, sv, g, out);                                                \
            break;                                                                                 \
        case 6:                                                                                    \
            SSE_HOST_OP(mn " $6,", dv, sv, g, out);                                                \
            break;                                                                                 \
        default:                                                                                   \
            SSE_HOST_OP(mn " $7,", dv, sv, g, out);                                                \
            break;                                                                                 \
        }                                                                                          \
        sse_fp_flags(c, out);                                                                      \
        memcpy(d, &dv, 16);                                                                        \
    })
SSE_CMP(cmpps, SSE_M128A, "cmpps")
SSE_CMP(cmppd, SSE_M128A, "cmppd")
SSE_CMP(cmpss, SSE_M32, "cmpss")
SSE_CMP(cmpsd, SSE_M64, "cmpsd")

/* COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF from the compare, OF SF AF cleared. */
#define SSE_COMI(name, kind, insn)                                                                 \
    SSE_RM(name, kind, {                                                                           \
        sse_v4sf dv, sv;                                                                           \
        u32 g = sse_guest_csr(c), out, host = 0;                                                   \
        bool zf, pf, cf;                                                                           \
        memcpy(&dv, d, 16);                                                                        \
        memcpy(&sv, s, 16);                                                                        \
        __asm__ __volatile__(                                                                      \
            "stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn " %[s], %[d]\n\tstmxcsr %[o]\n\tldmxcsr %[h]"  \
            : "=@ccz"(zf), "=@ccp"(pf), "=@ccc"(cf), [h] "+m"(host), [o] "=m"(out)                 \
            : [d] "x"(dv), [s] "x"(sv), [g] "m"(g));                                               \
        sse_fp_flags(c, out);                                                                      \
        c->lazy.op = FLAGS_OP_NONE;                                                                \
        c->rflags = (c->rflags & ~RFLAGS_ARITH) | (zf ? RFLAGS_ZF : 0) | (pf ? RFLAGS_PF : 0) |    \
                    (cf ? RFLAGS_CF : 0);                                                          \
    })
SSE_COMI(comiss, SSE_M32, "comiss")
SSE_COMI(ucomiss, SSE_M32, "ucomiss")
SSE_COMI(comisd, SSE_M64, "comisd")
SSE_COMI(ucomisd, SSE_M64, "ucomisd")

/* ---- scalar conversions with a general register ------------------------------------------ */

/* CVTSI2SS/CVTSI2SD xmm, r/m32 or r/m64 (REX.W). */
#define SSE_CVTSI2(name, insn32, insn64)                                                           \
    static const struct insn *exec_##name(struct cpu *c, const struct insn *i)                     \
    {                                                                                              \
        union xmm_reg *d = &c->fpu.xmm[i->reg];                                                    \
        u32 g, out, host = 0;                                                                      \
        sse_v4sf dv;                                                                               \
        fpu_check_sse(c);                                                                          \
        g = sse_guest_csr(c);                                                                      \
        memcpy(&dv, d, 16);                                                                        \
        if (i->prefixes & INSN_REXW) {                                                             \
            u64 v = rm_read(c, i, SZ64);                                                           \
            __asm__ __volatile__("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn64                         \
                                 " %[s], %[d]\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                                 : [d] "+x"(dv), [h] "+m"(host), [o] "=m"(out)                     \
                                 : [s] "r"(v), [g] "m"(g));                                        \
        } else {                                                                                   \
            u32 v = (u32)rm_read(c, i, SZ32);                                                      \
            __asm__ __volatile__("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn32                         \
                                 " %[s], %[d]\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                                 : [d] "+x"(dv), [h] "+m"(host), [o] "=m"(out)                     \
                                 : [s] "r"(v), [g] "m"(g));                                        \
        }                                                                                          \
        sse_fp_flags(c, out);                                                                      \
        memcpy(d, &dv, 16);                                                                        \
        return i + 1;                                                                              \
    }
SSE_CVTSI2(cvtsi2ss_Vss_Ey, "cvtsi2ssl", "cvtsi2ssq")
SSE_CVTSI2(cvtsi2sd_Vsd_Ey, "cvtsi2sdl", "cvtsi2sdq")

/* CVT(T)SS2SI / CVT(T)SD2SI r32/r64, xmm/m32/m64. @kind: the memory source. */
#define SSE_CVT2SI(name, kind, insn32, insn64)                                                     \
    static const struct insn *exec_##name(struct cpu *c, const struct insn *i)                     \
    {                                                                                              \
        union xmm_reg src;                                                                         \
        u32 g, out, host = 0;                                                                      \
        sse_v4sf sv;                                                                               \
        u64 r;                                                                                     \
        fpu_check_sse(c);                                                                          \
        if (i->prefixes & INSN_MEM)                                                                \
            sse_load(c, i, kind, &src);                                                            \
        else                                                                                       \
            src = c->fpu.xmm[i->rm];                                                               \
        g = sse_guest_csr(c);                                                                      \
        memcpy(&sv, &src, 16);                                                                     \
        if (i->prefixes & INSN_REXW) {                                                             \
            __asm__ __volatile__("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn64                         \
                                 " %[s], %[d]\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                                 : [d] "=r"(r), [h] "+m"(host), [o] "=m"(out)                      \
                                 : [s] "x"(sv), [g] "m"(g));                                       \
        } else {                                                                                   \
            u32 r32;                                                                               \
            __asm__ __volatile__("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn32                         \
                                 " %[s], %[d]\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                     \
                                 : [d] "=r"(r32), [h] "+m"(host), [o] "=m"(out)                    \
                                 : [s] "x"(sv), [g] "m"(g));                                       \
            r = r32;                                                                               \
        }                                                                                          \
        sse_fp_flags(c, out);                                                                      \
        reg_write(c, i->reg, (i->prefixes & INSN_REXW) ? SZ64 : SZ32, r);                          \
        return i + 1;                                                                              \
    }
SSE_CVT2SI(cvttss2si_Gy_Wss, SSE_M32, "cvttss2si", "cvttss2siq")
SSE_CVT2SI(cvtss2si_Gy_Wss, SSE_M32, "cvtss2si", "cvtss2siq")
SSE_CVT2SI(cvttsd2si_Gy_Wsd, SSE_M64, "cvttsd2si", "cvttsd2siq")
SSE_CVT2SI(cvtsd2si_Gy_Wsd, SSE_M64, "cvtsd2si", "cvtsd2siq")

/* ---- conversions with MMX registers (0F 2A/2C/2D without F2/F3) --------------------------- */

/* Run host @insn on a vector @v in place, under the guest MXCSR. */
#define SSE_HOST_INPLACE(insn, v)                                                                  \
    do {                                                                                           \
        u32 g_ = sse_guest_csr(c), out_;                                                           \
        sse_v4sf dv_ = {0}, sv_;                                                                   \
        memcpy(&sv_, &(v), 16);                                                                    \
        SSE_HOST_OP(insn, dv_, sv_, g_, out_);                                                     \
        sse_fp_flags(c, out_);                                                                     \
        memcpy(&(v), &dv_, 16);                                                                    \
    } while (0)

static u64 sse_mmx_src(struct cpu *c, const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? cpu_read64(c, i->seg, insn_ea(c, i)) : mmx_get(c, i->rm);
}

/* CVTPI2PS xmm, mm/m64: two int32 to two floats in the low half; the high half stays. */
static const struct insn *exec_cvtpi2ps_Vps_Qpi(struct cpu *c, const struct insn *i)
{
    union xmm_reg v = {.q = {0, 0}};

    fpu_check_sse(c);
    v.q[0] = sse_mmx_src(c, i);
    if (!(i->prefixes & INSN_MEM))
        mmx_enter(c);
    SSE_HOST_INPLACE("cvtdq2ps", v);
    c->fpu.xmm[i->reg].q[0] = v.q[0];
    return i + 1;
}

/* CVTPI2PD xmm, mm/m64. */
static const struct insn *exec_cvtpi2pd_Vpd_Qpi(struct cpu *c, const struct insn *i)
{
    union xmm_reg v = {.q = {0, 0}};

    fpu_check_sse(c);
    v.q[0] = sse_mmx_src(c, i);
    if (!(i->prefixes & INSN_MEM))
        mmx_enter(c);
    SSE_HOST_INPLACE("cvtdq2pd", v);
    c->fpu.xmm[i->reg] = v;
    return i + 1;
}

/* CVT(T)PS2PI mm, xmm/m64 and CVT(T)PD2PI mm, xmm/m128. aux: 0 cvttps2pi, 1 cvtps2pi,
 * 2 cvttpd2pi, 3 cvtpd2pi. */
static const struct insn *exec_cvtp2pi_Ppi_W(struct cpu *c, const struct insn *i)
{
    union xmm_reg v;

    fpu_check_sse(c);
    mmx_check(c);
    if (i->prefixes & INSN_MEM)
        sse_load(c, i, i->aux >= 2 ? SSE_M128A : SSE_M64, &v);
    else
        v = c->fpu.xmm[i->rm];
    if (i->aux < 2)
        v.q[1] = 0;
    mmx_mark(c);
    switch (i->aux) {
    case 0:
        SSE_HOST_INPLACE("cvttps2dq", v);
        break;
    case 1:
        SSE_HOST_INPLACE("cvtps2dq", v);
        break;
    case 2:
        SSE_HOST_INPLACE("cvttpd2dq", v);
        break;
    default:
        SSE_HOST_INPLACE("cvtpd2dq", v);
        break;
    }
    mmx_set(c, i->reg, v.q[0]);
    return i + 1;
}

/* ---- MXCSR, FXSAVE/FXRSTOR, fences (0F AE) ----------------------------------------------- */

static const struct insn *exec_ldmxcsr_Md(struct cpu *c, const struct insn *i)
{
    u32 v;

    fpu_check_sse(c);
    v = cpu_read32(c, i->seg, insn_ea(c, i));
    if (v & ~MXCSR_WRITABLE)
        cpu_raise_gp0(c);
    c->fpu.mxcsr = v;
    return i + 1;
}

static const struct insn *exec_stmxcsr_Md(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    cpu_write32(c, i->seg, insn_ea(c, i), c->fpu.mxcsr);
    return i + 1;
}

static void sse_put(u8 *img, unsigned off, const void *v, unsigned n)
{
    memcpy(img + off, v, n);
}

/* The FXSAVE image (SDM vol. 1 10.5.1, tables 10-2 and 10-3): REX.W selects the 64-bit
 * layout (64-bit FPU IP/DP, no selectors). Bytes 464-511 are not written; XMM8-15 only in
 * 64-bit mode. */
static unsigned sse_fxsave_len(const struct cpu *c)
{
    return c->mode == CPU_MODE_LONG64 ? 160 + 16 * 16 : 160 + 8 * 16;
}

static const struct insn *exec_fxsave_M(struct cpu *c, const struct insn *i)
{
    const struct fpu_state *f = &c->fpu;
    u8 img[416];
    u32 w32, mask = MXCSR_WRITABLE;
    u64 ea = insn_ea(c, i);
    unsigned n = sse_fxsave_len(c);

    if (unlikely(c->cr0 & (FPU_CR0_EM | FPU_CR0_TS)))
        fpu_raise_nm(c);
    fpu_check_align16(c, i->seg, ea);
    memset(img, 0, sizeof(img));
    sse_put(img, 0, &f->fcw, 2);
    sse_put(img, 2, &f->fsw, 2);
    img[4] = f->ftw;
    sse_put(img, 6, &f->fop, 2);
    if (i->prefixes & INSN_REXW) {
        sse_put(img, 8, &f->fip, 8);
        sse_put(img, 16, &f->fdp, 8);
    } else {
        w32 = (u32)f->fip;
        sse_put(img, 8, &w32, 4);
        sse_put(img, 12, &f->fcs, 2);
        w32 = (u32)f->fdp;
        sse_put(img, 16, &w32, 4);
        sse_put(img, 20, &f->fds, 2);
    }
    sse_put(img, 24, &f->mxcsr, 4);
    sse_put(img, 28, &mask, 4);
    for (unsigned k = 0; k < 8; k++)
        sse_put(img, 32 + 16 * k, f->st[x87_phys(c, k)], 10);
    for (unsigned k = 0; k < (n - 160) / 16; k++)
        sse_put(img, 160 + 16 * k, &f->xmm[k], 16);
    fpu_write_mem(c, i->seg, ea, img, n);
    return i + 1;
}

static const struct insn *exec_fxrstor_M(struct cpu *c, const struct insn *i)
{
    struct fpu_state *f = &c->fpu;
    u8 img[416];
    u32 mxcsr, w32;
    u64 ea = insn_ea(c, i);
    unsigned n = sse_fxsave_len(c);

    if (unlikely(c->cr0 & (FPU_CR0_EM | FPU_CR0_TS)))
        fpu_raise_nm(c);
    fpu_check_align16(c, i->seg, ea);
    fpu_read_mem(c, i->seg, ea, img, n);
    memcpy(&mxcsr, img + 24, 4);
    if (mxcsr & ~MXCSR_WRITABLE)
        cpu_raise_gp0(c);
    memcpy(&f->fcw, img, 2);
    f->fcw = fpu_fcw_load(f->fcw);
    memcpy(&f->fsw, img + 2, 2);
    f->ftw = img[4];
    memcpy(&f->fop, img + 6, 2);
    f->fop &= 0x7ff;
    if (i->prefixes & INSN_REXW) {
        memcpy(&f->fip, img + 8, 8);
        memcpy(&f->fdp, img + 16, 8);
    } else {
        memcpy(&w32, img + 8, 4);
        f->fip = w32;
        memcpy(&f->fcs, img + 12, 2);
        memcpy(&w32, img + 16, 4);
        f->fdp = w32;
        memcpy(&f->fds, img + 20, 2);
    }
    f->mxcsr = mxcsr;
    for (unsigned k = 0; k < 8; k++)
        memcpy(f->st[x87_phys(c, k)], img + 32 + 16 * k, 10);
    for (unsigned k = 0; k < (n - 160) / 16; k++)
        memcpy(&f->xmm[k], img + 160 + 16 * k, 16);
    fpu_update_es(f);
    return i + 1;
}

/* LFENCE, MFENCE, SFENCE: one vCPU thread runs all vCPUs in order; nothing to wait for. */
static const struct insn *exec_fence(struct cpu *c, const struct insn *i)
{
    (void)c;
    return i + 1;
}

/* CLFLUSH m8: no cached data to write back (caches are timing models), but the access is
 * checked like a byte read: #PF/#GP as for a load (SDM vol. 2 CLFLUSH). */
static const struct insn *exec_clflush_Mb(struct cpu *c, const struct insn *i)
{
    u64 va = cpu_linear(c, i->seg, insn_ea(c, i), 1, ACCESS_READ);
    struct mmu_result r;
    struct walk_fault f;

    if (unlikely(!mmu_translate(c->mmu, &c->ctx, va, ACCESS_READ, &r, &f)))
        cpu_raise_walk_fault(c, va, ACCESS_READ, &f);
    return i + 1;
}

static exec_fn *sel_0fae_0(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_fxsave_M : NULL;
}

static exec_fn *sel_0fae_1(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_fxrstor_M : NULL;
}

static exec_fn *sel_0fae_2(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_ldmxcsr_Md : NULL;
}

static exec_fn *sel_0fae_3(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_stmxcsr_Md : NULL;
}

static exec_fn *sel_0fae_fence(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? NULL : exec_fence;
}

static exec_fn *sel_0fae_7(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_clflush_Mb : exec_fence;
}

/* ---- registration ------------------------------------------------------------------------ */

#define R(mp, op, p, nm, sel)                                                                      \
    {                                                                                              \
        .map = mp, .opcode = op, .pfx = p, .name = nm, .select = sel                               \
    }
#define F(mp, op, p, nm, f, fl)                                                                    \
    {                                                                                              \
        .map = mp, .opcode = op, .pfx = p, .name = nm, .fn = f, .flags = fl                        \
    }

static const struct sse_op sse_ops[] = {
    R(MAP_0F, 0x10, PFX_NONE, "movups", sel_movu_Vx_Wx),
    R(MAP_0F, 0x10, PFX_66, "movupd", sel_movu_Vx_Wx),
    R(MAP_0F, 0x10, PFX_F3, "movss", sel_movss_Vx_Wss),
    R(MAP_0F, 0x10, PFX_F2, "movsd", sel_movsd_Vx_Wsd),
    R(MAP_0F, 0x11, PFX_NONE, "movups", sel_movu_Wx_Vx),
    R(MAP_0F, 0x11, PFX_66, "movupd", sel_movu_Wx_Vx),
    R(MAP_0F, 0x11, PFX_F3, "movss", sel_movss_Wss_Vx),
    R(MAP_0F, 0x11, PFX_F2, "movsd", sel_movsd_Wsd_Vx),
    R(MAP_0F, 0x12, PFX_NONE, "movlps", sel_movlps_Vx),
    R(MAP_0F, 0x12, PFX_66, "movlpd", sel_movlpd_Vx_Mq),
    R(MAP_0F, 0x13, PFX_NONE, "movlps", sel_movlps_Mq_Vx),
    R(MAP_0F, 0x13, PFX_66, "movlpd", sel_movlps_Mq_Vx),
    R(MAP_0F, 0x14, PFX_NONE, "unpcklps", sel_unpcklps),
    R(MAP_0F, 0x14, PFX_66, "unpcklpd", sel_unpcklpd),
    R(MAP_0F, 0x15, PFX_NONE, "unpckhps", sel_unpckhps),
    R(MAP_0F, 0x15, PFX_66, "unpckhpd", sel_unpckhpd),
    R(MAP_0F, 0x16, PFX_NONE, "movhps", sel_movhps_Vx),
    R(MAP_0F, 0x16, PFX_66, "movhpd", sel_movhpd_Vx_Mq),
    R(MAP_0F, 0x17, PFX_NONE, "movhps", sel_movhps_Mq_Vx),
    R(MAP_0F, 0x17, PFX_66, "movhpd", sel_movhps_Mq_Vx),
    R(MAP_0F, 0x28, PFX_NONE, "movaps", sel_mova_Vx_Wx),
    R(MAP_0F, 0x28, PFX_66, "movapd", sel_mova_Vx_Wx),
    R(MAP_0F, 0x29, PFX_NONE, "movaps", sel_mova_Wx_Vx),
    R(MAP_0F, 0x29, PFX_66, "movapd", sel_mova_Wx_Vx),
    F(MAP_0F, 0x2a, PFX_NONE, "cvtpi2ps", exec_cvtpi2ps_Vps_Qpi, 0),
    F(MAP_0F, 0x2a, PFX_66, "cvtpi2pd", exec_cvtpi2pd_Vpd_Qpi, 0),
    F(MAP_0F, 0x2a, PFX_F3, "cvtsi2ss", exec_cvtsi2ss_Vss_Ey, 0),
    F(MAP_0F, 0x2a, PFX_F2, "cvtsi2sd", exec_cvtsi2sd_Vsd_Ey, 0),
    R(MAP_0F, 0x2b, PFX_NONE, "movntps", sel_movnt_Mx_Vx),
    R(MAP_0F, 0x2b, PFX_66, "movntpd", sel_movnt_Mx_Vx),
    F(MAP_0F, 0x2c, PFX_F3, "cvttss2si", exec_cvttss2si_Gy_Wss, 0),
    F(MAP_0F, 0x2c, PFX_F2, "cvttsd2si", exec_cvttsd2si_Gy_Wsd, 0),
    F(MAP_0F, 0x2d, PFX_F3, "cvtss2si", exec_cvtss2si_Gy_Wss, 0),
    F(MAP_0F, 0x2d, PFX_F2, "cvtsd2si", exec_cvtsd2si_Gy_Wsd, 0),
    R(MAP_0F, 0x2e, PFX_NONE, "ucomiss", sel_ucomiss),
    R(MAP_0F, 0x2e, PFX_66, "ucomisd", sel_ucomisd),
    R(MAP_0F, 0x2f, PFX_NONE, "comiss", sel_comiss),
    R(MAP_0F, 0x2f, PFX_66, "comisd", sel_comisd),
    F(MAP_0F, 0x50, PFX_NONE, "movmskps", exec_movmskps_Gd_Ux, OPF_REG_ONLY),
    F(MAP_0F, 0x50, PFX_66, "movmskpd", exec_movmskpd_Gd_Ux, OPF_REG_ONLY),
    R(MAP_0F, 0x51, PFX_NONE, "sqrtps", sel_sqrtps),
    R(MAP_0F, 0x51, PFX_66, "sqrtpd", sel_sqrtpd),
    R(MAP_0F, 0x51, PFX_F3, "sqrtss", sel_sqrtss),
    R(MAP_0F, 0x51, PFX_F2, "sqrtsd", sel_sqrtsd),
    R(MAP_0F, 0x52, PFX_NONE, "rsqrtps", sel_rsqrtps),
    R(MAP_0F, 0x52, PFX_F3, "rsqrtss", sel_rsqrtss),
    R(MAP_0F, 0x53, PFX_NONE, "rcpps", sel_rcpps),
    R(MAP_0F, 0x53, PFX_F3, "rcpss", sel_rcpss),
    R(MAP_0F, 0x54, PFX_NONE, "andps", sel_andps),
    R(MAP_0F, 0x54, PFX_66, "andpd", sel_andps),
    R(MAP_0F, 0x55, PFX_NONE, "andnps", sel_andnps),
    R(MAP_0F, 0x55, PFX_66, "andnpd", sel_andnps),
    R(MAP_0F, 0x56, PFX_NONE, "orps", sel_orps),
    R(MAP_0F, 0x56, PFX_66, "orpd", sel_orps),
    R(MAP_0F, 0x57, PFX_NONE, "xorps", sel_xorps),
    R(MAP_0F, 0x57, PFX_66, "xorpd", sel_xorps),
    R(MAP_0F, 0x58, PFX_NONE, "addps", sel_addps),
    R(MAP_0F, 0x58, PFX_66, "addpd", sel_addpd),
    R(MAP_0F, 0x58, PFX_F3, "addss", sel_addss),
    R(MAP_0F, 0x58, PFX_F2, "addsd", sel_addsd),
    R(MAP_0F, 0x59, PFX_NONE, "mulps", sel_mulps),
    R(MAP_0F, 0x59, PFX_66, "mulpd", sel_mulpd),
    R(MAP_0F, 0x59, PFX_F3, "mulss", sel_mulss),
    R(MAP_0F, 0x59, PFX_F2, "mulsd", sel_mulsd),
    R(MAP_0F, 0x5a, PFX_NONE, "cvtps2pd", sel_cvtps2pd),
    R(MAP_0F, 0x5a, PFX_66, "cvtpd2ps", sel_cvtpd2ps),
    R(MAP_0F, 0x5a, PFX_F3, "cvtss2sd", sel_cvtss2sd),
    R(MAP_0F, 0x5a, PFX_F2, "cvtsd2ss", sel_cvtsd2ss),
    R(MAP_0F, 0x5b, PFX_NONE, "cvtdq2ps", sel_cvtdq2ps),
    R(MAP_0F, 0x5b, PFX_66, "cvtps2dq", sel_cvtps2dq),
    R(MAP_0F, 0x5b, PFX_F3, "cvttps2dq", sel_cvttps2dq),
    R(MAP_0F, 0x5c, PFX_NONE, "subps", sel_subps),
    R(MAP_0F, 0x5c, PFX_66, "subpd", sel_subpd),
    R(MAP_0F, 0x5c, PFX_F3, "subss", sel_subss),
    R(MAP_0F, 0x5c, PFX_F2, "subsd", sel_subsd),
    R(MAP_0F, 0x5d, PFX_NONE, "minps", sel_minps),
    R(MAP_0F, 0x5d, PFX_66, "minpd", sel_minpd),
    R(MAP_0F, 0x5d, PFX_F3, "minss", sel_minss),
    R(MAP_0F, 0x5d, PFX_F2, "minsd", sel_minsd),
    R(MAP_0F, 0x5e, PFX_NONE, "divps", sel_divps),
    R(MAP_0F, 0x5e, PFX_66, "divpd", sel_divpd),
    R(MAP_0F, 0x5e, PFX_F3, "divss", sel_divss),
    R(MAP_0F, 0x5e, PFX_F2, "divsd", sel_divsd),
    R(MAP_0F, 0x5f, PFX_NONE, "maxps", sel_maxps),
    R(MAP_0F, 0x5f, PFX_66, "maxpd", sel_maxpd),
    R(MAP_0F, 0x5f, PFX_F3, "maxss", sel_maxss),
    R(MAP_0F, 0x5f, PFX_F2, "maxsd", sel_maxsd),
    F(MAP_0F, 0x6e, PFX_66, "movd", exec_movd_Vx_Ey, 0),
    R(MAP_0F, 0x6f, PFX_66, "movdqa", sel_mova_Vx_Wx),
    R(MAP_0F, 0x6f, PFX_F3, "movdqu", sel_movu_Vx_Wx),
    F(MAP_0F, 0x7e, PFX_66, "movd", exec_movd_Ey_Vx, 0),
    R(MAP_0F, 0x7e, PFX_F3, "movq", sel_movq_Vx_Wq),
    R(MAP_0F, 0x7f, PFX_66, "movdqa", sel_mova_Wx_Vx),
    R(MAP_0F, 0x7f, PFX_F3, "movdqu", sel_movu_Wx_Vx),
    F(MAP_0F, 0xc3, PFX_NONE, "movnti", exec_movnti_My_Gy, OPF_MEM_ONLY),
    R(MAP_0F, 0xd6, PFX_66, "movq", sel_movq_Wq_Vx),
    R(MAP_0F, 0xe7, PFX_66, "movntdq", sel_movnt_Mx_Vx),
    F(MAP_0F, 0xf7, PFX_66, "maskmovdqu", exec_maskmovdqu_Vx_Ux, OPF_REG_ONLY),
};

static const struct sse_op sse_imm_ops[] = {
    R(MAP_0F, 0xc2, PFX_NONE, "cmpps", sel_cmpps),   R(MAP_0F, 0xc2, PFX_66, "cmppd", sel_cmppd),
    R(MAP_0F, 0xc2, PFX_F3, "cmpss", sel_cmpss),     R(MAP_0F, 0xc2, PFX_F2, "cmpsd", sel_cmpsd),
    R(MAP_0F, 0xc6, PFX_NONE, "shufps", sel_shufps), R(MAP_0F, 0xc6, PFX_66, "shufpd", sel_shufpd),
};

static const struct sse_op sse_mmx_cvt_ops[] = {
    {.map = MAP_0F, .opcode = 0x2c, .pfx = PFX_NONE, .name = "cvttps2pi", .fn = exec_cvtp2pi_Ppi_W},
    {.map = MAP_0F, .opcode = 0x2d, .pfx = PFX_NONE, .name = "cvtps2pi", .fn = exec_cvtp2pi_Ppi_W},
    {.map = MAP_0F, .opcode = 0x2c, .pfx = PFX_66, .name = "cvttpd2pi", .fn = exec_cvtp2pi_Ppi_W},
    {.map = MAP_0F, .opcode = 0x2d, .pfx = PFX_66, .name = "cvtpd2pi", .fn = exec_cvtp2pi_Ppi_W},
};

static const struct sse_op sse_e6_ops[] = {
    R(MAP_0F, 0xe6, PFX_66, "cvttpd2dq", sel_cvttpd2dq),
    R(MAP_0F, 0xe6, PFX_F3, "cvtdq2pd", sel_cvtdq2pd),
    R(MAP_0F, 0xe6, PFX_F2, "cvtpd2dq", sel_cvtpd2dq),
};

void exec_sse_register(struct optable *t)
{
    static const struct {
        u8 digit;
        const char *name;
        op_select_fn *sel;
    } ae[] = {
        {0, "fxsave", sel_0fae_0},  {1, "fxrstor", sel_0fae_1},    {2, "ldmxcsr", sel_0fae_2},
        {3, "stmxcsr", sel_0fae_3}, {5, "lfence", sel_0fae_fence}, {6, "mfence", sel_0fae_fence},
        {7, "sfence", sel_0fae_7},
    };

    sse_register_ops(t, sse_ops, ARRAY_LEN(sse_ops));
    for (size_t k = 0; k < ARRAY_LEN(sse_imm_ops); k++) {
        struct sse_op o = sse_imm_ops[k];

        o.flags |= OPF_UIMM8;
        sse_register_ops(t, &o, 1);
    }
    for (size_t k = 0; k < ARRAY_LEN(sse_mmx_cvt_ops); k++) {
        struct op_entry e = {.name = sse_mmx_cvt_ops[k].name,
                             .flags = OPF_MODRM,
                             .fn = sse_mmx_cvt_ops[k].fn,
                             .aux = (u8)((sse_mmx_cvt_ops[k].opcode == 0x2d ? 1 : 0) +
                                         (sse_mmx_cvt_ops[k].pfx == PFX_66 ? 2 : 0))};

        optable_set_prefixed(t, MAP_0F, sse_mmx_cvt_ops[k].opcode,
                             (enum op_prefix)sse_mmx_cvt_ops[k].pfx, &e);
    }
    sse_register_ops(t, sse_e6_ops, ARRAY_LEN(sse_e6_ops));
    for (size_t k = 0; k < ARRAY_LEN(ae); k++) {
        struct op_entry e = {.name = ae[k].name, .flags = OPF_MODRM, .select = ae[k].sel};

        optable_set_prefixed_group(t, MAP_0F, 0xae, PFX_NONE, ae[k].digit, &e);
    }
    exec_sse_int_register(t);
    exec_sse_ext_register(t);
    exec_sse_mmx_register(t);
}
