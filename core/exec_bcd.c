/* SPDX-License-Identifier: MIT */
/*
 * Decimal and ASCII adjust instructions, invalid in 64-bit mode (Intel SDM vol. 2: DAA 27,
 * DAS 2F, AAA 37, AAS 3F, AAM D4 ib, AAD D5 ib). Flags the SDM leaves undefined: OF is cleared;
 * after AAA/AAS, SF ZF PF follow the adjusted AL.
 */
#include "core/exec.h"
#include "core/optable.h"

/* Write the six arithmetic flags: CF and AF as given, SF ZF PF from @al, OF = 0. */
static void bcd_set_flags(struct cpu *c, u8 al, bool cf, bool af)
{
    u64 f = c->rflags & ~RFLAGS_ARITH;

    f |= cf ? RFLAGS_CF : 0;
    f |= af ? RFLAGS_AF : 0;
    f |= al ? 0 : RFLAGS_ZF;
    f |= (al & 0x80) ? RFLAGS_SF : 0;
    f |= (__builtin_popcount(al) & 1) ? 0 : RFLAGS_PF;
    c->rflags = f;
    c->lazy.op = FLAGS_OP_NONE;
}

/* DAA: decimal adjust AL after addition. */
static const struct insn *exec_daa(struct cpu *c, const struct insn *i)
{
    u64 fl = flags_get(c);
    u8 old_al = (u8)c->gpr[0], al = old_al;
    bool old_cf = fl & RFLAGS_CF, cf = false, af = false;

    if ((al & 0xf) > 9 || (fl & RFLAGS_AF)) {
        cf = old_cf || al > 0xf9;
        al += 6;
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al += 0x60;
        cf = true;
    } else {
        cf = false;
    }
    reg_write(c, 0, SZ8, al);
    bcd_set_flags(c, al, cf, af);
    return i + 1;
}

/* DAS: decimal adjust AL after subtraction. */
static const struct insn *exec_das(struct cpu *c, const struct insn *i)
{
    u64 fl = flags_get(c);
    u8 old_al = (u8)c->gpr[0], al = old_al;
    bool old_cf = fl & RFLAGS_CF, cf = false, af = false;

    if ((al & 0xf) > 9 || (fl & RFLAGS_AF)) {
        cf = old_cf || al < 6;
        al -= 6;
        af = true;
    }
    if (old_al > 0x99 || old_cf) {
        al -= 0x60;
        cf = true;
    }
    reg_write(c, 0, SZ8, al);
    bcd_set_flags(c, al, cf, af);
    return i + 1;
}

/* AAA / AAS: ASCII adjust after addition / subtraction (AX +/- 0x106 as a 16-bit value). */
static const struct insn *exec_aaa_aas(struct cpu *c, const struct insn *i, bool is_sub)
{
    u64 fl = flags_get(c);
    u16 ax = (u16)c->gpr[0];
    bool adjust = (ax & 0xf) > 9 || (fl & RFLAGS_AF);

    if (adjust) {
        if (is_sub) {
            ax = (u16)(ax - 6);
            ax = (u16)(ax - 0x100);
        } else {
            ax = (u16)(ax + 0x106);
        }
    }
    ax &= 0xff0f;
    reg_write(c, 0, SZ16, ax);
    bcd_set_flags(c, (u8)ax, adjust, adjust);
    return i + 1;
}

static const struct insn *exec_aaa(struct cpu *c, const struct insn *i)
{
    return exec_aaa_aas(c, i, false);
}

static const struct insn *exec_aas(struct cpu *c, const struct insn *i)
{
    return exec_aaa_aas(c, i, true);
}

/* AAM ib: AH = AL / ib, AL = AL % ib; #DE when ib is 0. */
static const struct insn *exec_aam_Ib(struct cpu *c, const struct insn *i)
{
    u8 base = (u8)i->imm, al = (u8)c->gpr[0];

    if (base == 0)
        cpu_raise(c, EXC_DE, EXC_NO_ERROR);
    reg_write(c, 0, SZ16, ((u16)(al / base) << 8) | (al % base));
    bcd_set_flags(c, al % base, false, false);
    return i + 1;
}

/* AAD ib: AL = AL + AH * ib (8 bits), AH = 0. */
static const struct insn *exec_aad_Ib(struct cpu *c, const struct insn *i)
{
    u16 ax = (u16)c->gpr[0];
    u8 al = (u8)((ax & 0xff) + (ax >> 8) * (u8)i->imm);

    reg_write(c, 0, SZ16, al);
    bcd_set_flags(c, al, false, false);
    return i + 1;
}

void exec_bcd_register(struct optable *t)
{
    static const struct op_entry daa = {"daa", OPF_NO64, exec_daa, NULL, 0, 0};
    static const struct op_entry das = {"das", OPF_NO64, exec_das, NULL, 0, 0};
    static const struct op_entry aaa = {"aaa", OPF_NO64, exec_aaa, NULL, 0, 0};
    static const struct op_entry aas = {"aas", OPF_NO64, exec_aas, NULL, 0, 0};
    static const struct op_entry aam = {"aam", OPF_NO64 | OPF_UIMM8, exec_aam_Ib, NULL, 0, 0};
    static const struct op_entry aad = {"aad", OPF_NO64 | OPF_UIMM8, exec_aad_Ib, NULL, 0, 0};

    optable_set(t, MAP_1B, 0x27, &daa);
    optable_set(t, MAP_1B, 0x2f, &das);
    optable_set(t, MAP_1B, 0x37, &aaa);
    optable_set(t, MAP_1B, 0x3f, &aas);
    optable_set(t, MAP_1B, 0xd4, &aam);
    optable_set(t, MAP_1B, 0xd5, &aad);
}
