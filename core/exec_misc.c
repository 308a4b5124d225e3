/* SPDX-License-Identifier: MIT */
/*
 * Instructions that do (almost) nothing: the hint-NOP space 0F 18-1F (multi-byte NOP 0F 1F /0,
 * PREFETCHh 0F 18, ENDBR32/64 F3 0F 1E FB/FA, reserved-NOP encodings), PREFETCHW 0F 0D, and
 * XLAT D7 (Intel SDM vol. 2 "NOP", "PREFETCHh", "ENDBR64", "XLAT"). NOP 90 and PAUSE F3 90
 * share opcode 90 with XCHG and are registered by core/exec_mov.c.
 * Fences (0F AE /5 /6 /7 with mod = 3) are left to the SSE family, which owns 0F AE.
 */
#include "core/exec.h"
#include "core/optable.h"

/* A hint or NOP with a ModRM operand: the operand is never accessed, so it cannot fault. */
static const struct insn *exec_nop_Ev(struct cpu *c, const struct insn *i)
{
    return i + 1;
}

/* XLAT: AL <- [seg: rBX + zero-extended AL], at the address size. */
static const struct insn *exec_xlat(struct cpu *c, const struct insn *i)
{
    u64 off = (c->gpr[3] + (c->gpr[0] & 0xff)) & size_mask(i->asize);

    reg_write(c, 0, SZ8, cpu_read8(c, i->seg, off));
    return i + 1;
}

void exec_misc_register(struct optable *t)
{
    static const struct op_entry hint_nop = {"nop", OPF_MODRM, exec_nop_Ev, NULL, 0, 0};
    static const struct op_entry prefetchw = {"prefetchw", OPF_MODRM, exec_nop_Ev, NULL, 0, 0};
    static const struct op_entry xlat = {"xlat", OPF_BYTE, exec_xlat, NULL, 0, 0};

    for (unsigned op = 0x18; op <= 0x1f; op++)
        optable_set(t, MAP_0F, (u8)op, &hint_nop);
    optable_set(t, MAP_0F, 0x0d, &prefetchw);
    optable_set(t, MAP_1B, 0xd7, &xlat);
}
