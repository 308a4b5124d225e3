/* SPDX-License-Identifier: MIT */
/*
 * Lazy arithmetic flags: CF PF AF ZF SF OF computed from the last flag-setting operation when
 * something reads them, and condition evaluation (Intel SDM vol. 1 3.4.3 and appendix B; the
 * "Flags Affected" section of each instruction in vol. 2).
 */
#include "core/flags.h"

#define MSB(x) ((x) >> 63)

/*
 * The flags of the recorded operation. Operands are normalised by shifting them left so that
 * the operation's most significant bit is bit 63: carries and overflows then come from the
 * usual full-adder identities at bit 63, whatever the operand size.
 * @want_pf_af: false skips PF and AF (conditions never read AF, and only P/NP read PF).
 */
static inline u64 flags_compute(const struct cpu *c, bool want_pf_af)
{
    u32 op = c->lazy.op;
    unsigned sh = flags_lazy_shift(op);
    u64 a = c->lazy.src1, b = c->lazy.src2, r = c->lazy.res;
    u64 an = a << sh, bn = b << sh, rn = r << sh;
    u64 cf = 0, of = 0, af = 0;

    switch (op & 0xff) {
    case FLAGS_OP_NONE:
        return c->rflags & RFLAGS_ARITH;
    case FLAGS_OP_ADD:
    case FLAGS_OP_ADC:
        /* carry out of the top bit: majority(a, b, carry-in), carry-in = a ^ b ^ r */
        cf = MSB((an & bn) | ((an | bn) & ~rn));
        of = MSB((an ^ rn) & (bn ^ rn));
        af = (a ^ b ^ r) & RFLAGS_AF;
        break;
    case FLAGS_OP_SUB:
    case FLAGS_OP_SBB:
        cf = MSB((~an & bn) | ((~an | bn) & rn));
        of = MSB((an ^ bn) & (an ^ rn));
        af = (a ^ b ^ r) & RFLAGS_AF;
        break;
    case FLAGS_OP_LOGIC:
        break;
    case FLAGS_OP_INC:
        cf = b & 1;
        of = MSB(rn & ~an);
        af = (a ^ r) & RFLAGS_AF;
        break;
    case FLAGS_OP_DEC:
        cf = b & 1;
        of = MSB(an & ~rn);
        af = (a ^ r) & RFLAGS_AF;
        break;
    case FLAGS_OP_NEG:
        cf = an != 0;
        of = MSB(an & rn);
        af = (a ^ r) & RFLAGS_AF;
        break;
    case FLAGS_OP_SHL:
        /* CF: the last bit shifted out (0 once the count passes the width, as hardware);
         * OF: defined for count 1, MSB(result) XOR CF; the same formula for larger counts
         * matches the reference host. AF undefined: 1 as on the host. */
        cf = MSB((a << (b - 1)) << sh);
        of = MSB(rn) ^ cf;
        af = RFLAGS_AF;
        break;
    case FLAGS_OP_SHR: {
        u64 t = ((an >> sh) >> (b - 1)); /* the operand zero-extended, shifted by count-1 */

        cf = t & 1;
        of = MSB(t << sh); /* the original MSB for count 1, 0 for larger counts */
        af = RFLAGS_AF;
        break;
    }
    case FLAGS_OP_SAR:
        cf = (u64)(((i64)an >> sh) >> (b - 1)) & 1;
        af = RFLAGS_AF;
        break;
    case FLAGS_OP_CO:
        cf = (a & RFLAGS_CF) != 0;
        of = (a & RFLAGS_OF) != 0;
        af = a & RFLAGS_AF;
        break;
    default:
        break;
    }

    u64 f = (cf ? RFLAGS_CF : 0) | (of ? RFLAGS_OF : 0);

    if (rn == 0)
        f |= RFLAGS_ZF;
    if ((i64)rn < 0)
        f |= RFLAGS_SF;
    if (want_pf_af) {
        f |= af;
        if (!__builtin_parity((unsigned)(r & 0xff)))
            f |= RFLAGS_PF;
    }
    return f;
}

u64 flags_get(const struct cpu *c)
{
    return flags_compute(c, true);
}

void flags_materialize(struct cpu *c)
{
    c->rflags = (c->rflags & ~RFLAGS_ARITH) | flags_compute(c, true);
    c->lazy.op = FLAGS_OP_NONE;
}

bool flags_cf(const struct cpu *c)
{
    return flags_compute(c, false) & RFLAGS_CF;
}

/* Condition @cc from materialised flags @f (SDM vol. 1 appendix B, table B-1). */
static bool cond_eval(u64 f, enum cond_code cc)
{
    bool r;

    switch ((unsigned)cc >> 1) {
    case 0: /* O */
        r = f & RFLAGS_OF;
        break;
    case 1: /* B */
        r = f & RFLAGS_CF;
        break;
    case 2: /* E */
        r = f & RFLAGS_ZF;
        break;
    case 3: /* BE */
        r = f & (RFLAGS_CF | RFLAGS_ZF);
        break;
    case 4: /* S */
        r = f & RFLAGS_SF;
        break;
    case 5: /* P */
        r = f & RFLAGS_PF;
        break;
    case 6: /* L */
        r = !(f & RFLAGS_SF) != !(f & RFLAGS_OF);
        break;
    default: /* LE */
        r = (f & RFLAGS_ZF) || !(f & RFLAGS_SF) != !(f & RFLAGS_OF);
        break;
    }
    return r ^ ((unsigned)cc & 1);
}

bool cpu_cond(const struct cpu *c, enum cond_code cc)
{
    u32 kind = c->lazy.op & 0xff;
    bool needs_pf = cc == CC_P || cc == CC_NP;

    if (!needs_pf && (kind == FLAGS_OP_LOGIC || (kind == FLAGS_OP_SUB && cc > CC_NO)))
        return flags_cond(c, cc);
    return cond_eval(flags_compute(c, needs_pf), cc);
}
