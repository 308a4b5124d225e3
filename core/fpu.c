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
