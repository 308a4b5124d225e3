/* SPDX-License-Identifier: MIT */
/*
 * MMX data movement and state (SDM vol. 1 ch. 9; vol. 2 MOVD/MOVQ, EMMS, MOVQ2DQ, MOVDQ2Q,
 * MOVNTQ, MASKMOVQ). MMX registers alias the x87 mantissas; every MMX instruction sets
 * TOP = 0 and, but EMMS, all tags valid; EMMS empties the tags. Arithmetic: exec_sse_int.c.
 */
#include "core/fpu.h"

/* MOVD/MOVQ mm, r/m32/64 (0F 6E): zero-extended. */
static const struct insn *exec_movd_Pq_Ey(struct cpu *c, const struct insn *i)
{
    u64 v;

    mmx_check(c);
    v = rm_read(c, i, (i->prefixes & INSN_REXW) ? SZ64 : SZ32);
    mmx_mark(c);
    mmx_set(c, i->reg, v);
    return i + 1;
}

/* MOVD/MOVQ r/m32/64, mm (0F 7E). */
static const struct insn *exec_movd_Ey_Pq(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    rm_write(c, i, (i->prefixes & INSN_REXW) ? SZ64 : SZ32, mmx_get(c, i->reg));
    mmx_mark(c);
    return i + 1;
}

/* MOVQ mm, mm/m64 (0F 6F). */
static const struct insn *exec_movq_Pq_Qq(struct cpu *c, const struct insn *i)
{
    u64 v;

    mmx_check(c);
    v = (i->prefixes & INSN_MEM) ? cpu_read64(c, i->seg, insn_ea(c, i)) : mmx_get(c, i->rm);
    mmx_mark(c);
    mmx_set(c, i->reg, v);
    return i + 1;
}

/* MOVQ mm/m64, mm (0F 7F) and MOVNTQ m64, mm (0F E7). */
static const struct insn *exec_movq_Qq_Pq(struct cpu *c, const struct insn *i)
{
    mmx_check(c);
    if (i->prefixes & INSN_MEM)
        cpu_write64(c, i->seg, insn_ea(c, i), mmx_get(c, i->reg));
    else
        mmx_set(c, i->rm, mmx_get(c, i->reg));
    mmx_mark(c);
    return i + 1;
}

/* MOVQ2DQ xmm, mm (F3 0F D6) and MOVDQ2Q mm, xmm (F2 0F D6). */
static const struct insn *exec_movq2dq_Vx_Nq(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    mmx_enter(c);
    c->fpu.xmm[i->reg].q[0] = mmx_get(c, i->rm);
    c->fpu.xmm[i->reg].q[1] = 0;
    return i + 1;
}

static const struct insn *exec_movdq2q_Pq_Ux(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    mmx_enter(c);
    mmx_set(c, i->reg, c->fpu.xmm[i->rm].q[0]);
    return i + 1;
}

/* MASKMOVQ mm, mm (0F F7): byte stores to DS:rDI under the mask's top bits. */
static const struct insn *exec_maskmovq_Pq_Nq(struct cpu *c, const struct insn *i)
{
    u64 base = reg_read(c, 7, i->asize), v, m;

    mmx_check(c);
    v = mmx_get(c, i->reg);
    m = mmx_get(c, i->rm);
    for (unsigned k = 0; k < 8; k++)
        if ((m >> (8 * k + 7)) & 1)
            cpu_write8(c, i->seg, (base + k) & size_mask(i->asize), (u8)(v >> (8 * k)));
    mmx_mark(c);
    return i + 1;
}

/* EMMS (0F 77): all x87 tags empty and, as every MMX instruction, TOP = 0 (SDM vol. 3 12.2). */
static const struct insn *exec_emms(struct cpu *c, const struct insn *i)
{
    if (unlikely(c->cr0 & (FPU_CR0_EM | FPU_CR0_TS))) {
        if (c->cr0 & FPU_CR0_EM)
            cpu_raise_ud(c);
        fpu_raise_nm(c);
    }
    if (unlikely(c->fpu.fsw & FSW_ES) && (c->cr0 & FPU_CR0_NE))
        fpu_raise_mf(c);
    c->fpu.fsw &= (u16)~FSW_TOP;
    c->fpu.ftw = 0;
    return i + 1;
}

static exec_fn *sel_movntq_Mq_Pq(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? exec_movq_Qq_Pq : NULL;
}

void exec_sse_mmx_register(struct optable *t)
{
    static const struct sse_op ops[] = {
        {.map = MAP_0F, .opcode = 0x6e, .pfx = PFX_NONE, .name = "movd", .fn = exec_movd_Pq_Ey},
        {.map = MAP_0F, .opcode = 0x7e, .pfx = PFX_NONE, .name = "movd", .fn = exec_movd_Ey_Pq},
        {.map = MAP_0F, .opcode = 0x6f, .pfx = PFX_NONE, .name = "movq", .fn = exec_movq_Pq_Qq},
        {.map = MAP_0F, .opcode = 0x7f, .pfx = PFX_NONE, .name = "movq", .fn = exec_movq_Qq_Pq},
        {.map = MAP_0F,
         .opcode = 0xe7,
         .pfx = PFX_NONE,
         .name = "movntq",
         .select = sel_movntq_Mq_Pq},
        {.map = MAP_0F,
         .opcode = 0xd6,
         .pfx = PFX_F3,
         .name = "movq2dq",
         .fn = exec_movq2dq_Vx_Nq,
         .flags = OPF_REG_ONLY},
        {.map = MAP_0F,
         .opcode = 0xd6,
         .pfx = PFX_F2,
         .name = "movdq2q",
         .fn = exec_movdq2q_Pq_Ux,
         .flags = OPF_REG_ONLY},
        {.map = MAP_0F,
         .opcode = 0xf7,
         .pfx = PFX_NONE,
         .name = "maskmovq",
         .fn = exec_maskmovq_Pq_Nq,
         .flags = OPF_REG_ONLY},
    };
    struct op_entry emms = {.name = "emms", .fn = exec_emms, .cpuid_feature = FEAT_MMX};

    sse_register_ops(t, ops, ARRAY_LEN(ops));
    optable_set_prefixed(t, MAP_0F, 0x77, PFX_NONE, &emms);
}
