/* SPDX-License-Identifier: MIT */
/*
 * x87/SSE state helpers shared by the floating-point families: reset state, tag-word
 * conversions (Intel SDM vol. 1 8.1.7, 10.5.1.1) and the #MF/#NM/#UD availability faults
 * (SDM vol. 1 8.7, 13.1; vol. 3 2.5 CR0.EM/TS/NE, CR4.OSFXSR).
 */
#include "core/fpu.h"

#include "core/exception.h"

void fpu_reset(struct fpu_state *f)
{
    f->fcw = FCW_DEFAULT;
    f->fsw = 0;
    f->ftw = 0;
    f->fop = 0;
    f->fip = 0;
    f->fdp = 0;
    f->fcs = 0;
    f->fds = 0;
    memset(f->st, 0, sizeof(f->st));
    f->mxcsr = MXCSR_DEFAULT;
    memset(f->xmm, 0, sizeof(f->xmm));
}

/* Tag of a non-empty register: 00 valid, 01 zero, 10 special (NaN, infinity, denormal,
 * unsupported formats). */
static unsigned fpu_tag_of(const u8 *r)
{
    u64 mant;
    u16 exp;

    memcpy(&mant, r, 8);
    memcpy(&exp, r + 8, 2);
    exp &= 0x7fff;
    if (exp == 0x7fff)
        return 2;
    if (exp == 0)
        return mant ? 2 : 1;
    return (mant >> 63) ? 0 : 2; /* J bit clear with a non-zero exponent: unnormal */
}

u16 fpu_full_tag(const struct fpu_state *f)
{
    u16 tw = 0;

    for (unsigned i = 0; i < 8; i++) {
        unsigned t = (f->ftw >> i) & 1 ? fpu_tag_of(f->st[i]) : 3;

        tw |= (u16)(t << (2 * i));
    }
    return tw;
}

u8 fpu_abridge_tag(u16 ftw)
{
    u8 a = 0;

    for (unsigned i = 0; i < 8; i++)
        if (((ftw >> (2 * i)) & 3) != 3)
            a |= (u8)(1u << i);
    return a;
}

void fpu_raise_mf(struct cpu *c)
{
    cpu_raise(c, EXC_MF, EXC_NO_ERROR);
}

void fpu_raise_nm(struct cpu *c)
{
    cpu_raise(c, EXC_NM, EXC_NO_ERROR);
}

void fpu_sse_unavailable(struct cpu *c)
{
    if ((c->cr0 & FPU_CR0_EM) || !(c->cr4 & FPU_CR4_OSFXSR))
        cpu_raise_ud(c);
    cpu_raise(c, EXC_NM, EXC_NO_ERROR);
}

void sse_raise_simd(struct cpu *c)
{
    if (c->cr4 & FPU_CR4_OSXMMEXCPT)
        cpu_raise(c, EXC_XM, EXC_NO_ERROR);
    cpu_raise_ud(c);
}

/* Whether element @k of @v is a nonzero denormal (a double when @r64). */
static bool sse_elem_denormal(const union xmm_reg *v, unsigned k, bool r64)
{
    if (r64) {
        u64 x = v->q[k] & ~(1ull << 63);

        return x && x < 0x0010000000000000ull;
    }
    u32 x = v->d[k] & 0x7fffffffu;

    return x && x < 0x00800000u;
}

/* The guest's flags of one result element: host flags @f (masked run), @denormal result. */
static u32 sse_uo_elem(u32 mxcsr, u32 f, bool denormal)
{
    if (!(mxcsr & MXCSR_UM) && ((f & MXCSR_UE) || denormal))
        return (f & ~(u32)MXCSR_PE) | MXCSR_UE;
    if (!(mxcsr & MXCSR_OM) && (f & MXCSR_OE))
        return f & ~(u32)MXCSR_PE;
    return f;
}

u32 sse_uo_flags(const struct cpu *c, u32 out, const union xmm_reg *res, bool r64)
{
    return (out & ~(u32)MXCSR_FLAGS) |
           sse_uo_elem(c->fpu.mxcsr, out & MXCSR_FLAGS, sse_elem_denormal(res, 0, r64));
}

/* Copy source element @k (@s64: 8 bytes, else 4) from @from to @to. */
static void sse_copy_elem(union xmm_reg *to, const union xmm_reg *from, unsigned k, bool s64)
{
    if (s64)
        to->q[k] = from->q[k];
    else
        to->d[k] = from->d[k];
}

u32 sse_fp_uo(const struct cpu *c, sse_host_fn *run, unsigned shape, sse_v4sf *d, sse_v4sf s)
{
    unsigned n = shape & SSE_UO_LANES, half = n / 2;
    bool r64 = shape & SSE_UO_R64, s64 = shape & SSE_UO_S64, any = false;
    u32 g = sse_uo_csr(c), out, flags = 0;
    union xmm_reg din, sin, res, one;

    memcpy(&din, d, 16);
    memcpy(&sin, &s, 16);
    out = run(d, s, g);
    memcpy(&res, d, 16);
    if (n == 1)
        return sse_uo_flags(c, out, &res, r64);
    for (unsigned k = 0; k < n; k++)
        any |= sse_elem_denormal(&res, k, r64);
    if (!any && !(out & (MXCSR_UE | MXCSR_OE)))
        return out;
    /* Each result element alone: its inputs, 1.0 elsewhere (exact in every operation). */
    if (s64)
        one.q[0] = one.q[1] = 0x3ff0000000000000ull;
    else
        one.d[0] = one.d[1] = one.d[2] = one.d[3] = 0x3f800000u;
    for (unsigned k = 0; k < n; k++) {
        union xmm_reg dk = one, sk = one;
        sse_v4sf dv, sv;

        if (!(shape & SSE_UO_HORIZ)) {
            sse_copy_elem(&dk, &din, k, s64);
            sse_copy_elem(&sk, &sin, k, s64);
        } else if (k < half) {
            sse_copy_elem(&dk, &din, 2 * k, s64);
            sse_copy_elem(&dk, &din, 2 * k + 1, s64);
        } else {
            sse_copy_elem(&sk, &sin, 2 * (k - half), s64);
            sse_copy_elem(&sk, &sin, 2 * (k - half) + 1, s64);
        }
        memcpy(&dv, &dk, 16);
        memcpy(&sv, &sk, 16);
        flags |= sse_uo_elem(c->fpu.mxcsr, run(&dv, sv, g) & MXCSR_FLAGS,
                             sse_elem_denormal(&res, k, r64));
    }
    return (out & ~(u32)MXCSR_FLAGS) | flags;
}

void sse_register_ops(struct optable *t, const struct sse_op *ops, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        struct op_entry e = {
            .name = ops[k].name,
            .flags = ops[k].flags | OPF_MODRM,
            .fn = ops[k].fn,
            .select = ops[k].select,
            .cpuid_feature = ops[k].feature,
        };

        optable_set_prefixed(t, (enum op_map)ops[k].map, ops[k].opcode, (enum op_prefix)ops[k].pfx,
                             &e);
    }
}
