/* SPDX-License-Identifier: MIT */
/*
 * SSE3 (SDM vol. 2: ADDSUBPS/PD, HADDPS/PD, HSUBPS/PD, MOVSLDUP, MOVSHDUP, MOVDDUP, LDDQU;
 * FISTTP is in exec_x87.c), behind CPUID.1:ECX.SSE3. SSSE3: exec_ssse3.c; SSE4.1/4.2:
 * exec_sse4.c and exec_sse4_str.c.
 */
#include "core/fpu.h"

SSE_FP_UO(addsubpd, SSE_M128A, "addsubpd", 2 | SSE_UO_R64 | SSE_UO_S64)
SSE_FP_UO(addsubps, SSE_M128A, "addsubps", 4)
SSE_FP_UO(haddpd, SSE_M128A, "haddpd", 2 | SSE_UO_R64 | SSE_UO_S64 | SSE_UO_HORIZ)
SSE_FP_UO(haddps, SSE_M128A, "haddps", 4 | SSE_UO_HORIZ)
SSE_FP_UO(hsubpd, SSE_M128A, "hsubpd", 2 | SSE_UO_R64 | SSE_UO_S64 | SSE_UO_HORIZ)
SSE_FP_UO(hsubps, SSE_M128A, "hsubps", 4 | SSE_UO_HORIZ)

SSE_RM(movsldup, SSE_M128A, {
    union xmm_reg r = {.d = {s->d[0], s->d[0], s->d[2], s->d[2]}};
    *d = r;
})
SSE_RM(movshdup, SSE_M128A, {
    union xmm_reg r = {.d = {s->d[1], s->d[1], s->d[3], s->d[3]}};
    *d = r;
})
SSE_RM(movddup, SSE_M64, {
    union xmm_reg r = {.q = {s->q[0], s->q[0]}};
    *d = r;
})

/* LDDQU xmm, m128 (F2 0F F0): an unaligned load. */
static const struct insn *exec_lddqu_Vx_M(struct cpu *c, const struct insn *i)
{
    fpu_check_sse(c);
    fpu_read_mem(c, i->seg, insn_ea(c, i), &c->fpu.xmm[i->reg], 16);
    return i + 1;
}

#define S3(op, p, nm, sel)                                                                         \
    {                                                                                              \
        .map = MAP_0F, .opcode = op, .pfx = p, .name = nm, .select = sel, .feature = FEAT_SSE3     \
    }

void exec_sse_ext_register(struct optable *t)
{
    static const struct sse_op sse3[] = {
        S3(0xd0, PFX_66, "addsubpd", sel_addsubpd),
        S3(0xd0, PFX_F2, "addsubps", sel_addsubps),
        S3(0x7c, PFX_66, "haddpd", sel_haddpd),
        S3(0x7c, PFX_F2, "haddps", sel_haddps),
        S3(0x7d, PFX_66, "hsubpd", sel_hsubpd),
        S3(0x7d, PFX_F2, "hsubps", sel_hsubps),
        S3(0x12, PFX_F3, "movsldup", sel_movsldup),
        S3(0x16, PFX_F3, "movshdup", sel_movshdup),
        S3(0x12, PFX_F2, "movddup", sel_movddup),
        {.map = MAP_0F,
         .opcode = 0xf0,
         .pfx = PFX_F2,
         .name = "lddqu",
         .fn = exec_lddqu_Vx_M,
         .flags = OPF_MEM_ONLY,
         .feature = FEAT_SSE3},
    };

    sse_register_ops(t, sse3, ARRAY_LEN(sse3));
}
