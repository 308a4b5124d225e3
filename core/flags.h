/* SPDX-License-Identifier: MIT */
/*
 * Lazy arithmetic flags (CF PF AF ZF SF OF). A flag-setting instruction records what it did
 * (operation, size, result, operands) in cpu->lazy; flags are computed only when something
 * reads them (Jcc, SETcc, CMOVcc, PUSHF, ADC...). Most results are overwritten unread.
 * Flag definitions: Intel SDM vol. 1 3.4.3 and each instruction's "Flags Affected".
 */
#ifndef EMU_CORE_FLAGS_H
#define EMU_CORE_FLAGS_H

#include "base/types.h"
#include "core/cpu.h"

#define RFLAGS_CF    0x0001ull
#define RFLAGS_PF    0x0004ull
#define RFLAGS_AF    0x0010ull
#define RFLAGS_ZF    0x0040ull
#define RFLAGS_SF    0x0080ull
#define RFLAGS_TF    0x0100ull
#define RFLAGS_IF    0x0200ull
#define RFLAGS_DF    0x0400ull
#define RFLAGS_OF    0x0800ull
#define RFLAGS_IOPL  0x3000ull
#define RFLAGS_NT    0x4000ull
#define RFLAGS_RF    0x10000ull
#define RFLAGS_VM    0x20000ull
#define RFLAGS_AC    0x40000ull
#define RFLAGS_VIF   0x80000ull
#define RFLAGS_VIP   0x100000ull
#define RFLAGS_ID    0x200000ull
#define RFLAGS_ARITH (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)
#define RFLAGS_FIXED 0x0002ull /* bit 1 always reads 1 */

/* The operation that last set the arithmetic flags. */
enum flags_op {
    FLAGS_OP_NONE,  /* rflags holds the arithmetic flags */
    FLAGS_OP_ADD,   /* res = src1 + src2 */
    FLAGS_OP_ADC,   /* res = src1 + src2 + CF(in) */
    FLAGS_OP_SUB,   /* res = src1 - src2 (also CMP) */
    FLAGS_OP_SBB,   /* res = src1 - src2 - CF(in) */
    FLAGS_OP_LOGIC, /* AND OR XOR TEST: CF = OF = 0, AF undefined (0 on the host) */
    FLAGS_OP_INC,   /* CF preserved: src2 holds the old CF */
    FLAGS_OP_DEC,   /* CF preserved: src2 holds the old CF */
    FLAGS_OP_NEG,   /* res = -src1 */
    FLAGS_OP_SHL,   /* src1 = value, src2 = count (masked, non-zero; up to 31 for 8/16 bits) */
    FLAGS_OP_SHR,
    FLAGS_OP_SAR,
    FLAGS_OP_CO, /* ZF SF PF from res (kept from an earlier operation, or set); CF OF AF are
                    RFLAGS bits in src1 (rotates, MUL/IMUL, BT, SHLD/SHRD) */
    FLAGS_OP_COUNT
};

/* Condition codes (the low nibble of Jcc/SETcc/CMOVcc), SDM vol. 1 appendix B. */
enum cond_code {
    CC_O,
    CC_NO,
    CC_B,
    CC_AE,
    CC_E,
    CC_NE,
    CC_BE,
    CC_A,
    CC_S,
    CC_NS,
    CC_P,
    CC_NP,
    CC_L,
    CC_GE,
    CC_LE,
    CC_G
};

/** flags_set() - record a flag-setting operation of @size (enum op_size). */
static inline void flags_set(struct cpu *c, enum flags_op op, unsigned size, u64 res, u64 src1,
                             u64 src2)
{
    c->lazy.op = (u32)op | (size << 8);
    c->lazy.res = res;
    c->lazy.src1 = src1;
    c->lazy.src2 = src2;
}

/** flags_get() - the six arithmetic flags as RFLAGS bits (materialised from the lazy state). */
u64 flags_get(const struct cpu *c);

/** flags_materialize() - fold the lazy flags into c->rflags and mark them NONE. */
void flags_materialize(struct cpu *c);

/** flags_cf() - CF alone (cheaper than flags_get for ADC/SBB/RCL...). */
bool flags_cf(const struct cpu *c);

/** cpu_cond() - evaluate condition @cc against the current flags. */
bool cpu_cond(const struct cpu *c, enum cond_code cc);

/*
 * Inline fast paths (core-int). The lazy operands are meaningful in their low 8 << size bits
 * only: every test shifts them left by flags_lazy_shift() first, so producers need not mask.
 * For SHL/SHR/SAR src2 is the masked count (1..31, or 1..63 at 64 bits); for INC/DEC it is
 * the CF before (0 or 1); NEG ignores it. Invariant every reader may use: for any op but
 * NONE, ZF SF PF are those of res at the recorded size (CO keeps an earlier res).
 */

/** flags_lazy_shift() - 64 minus the operand width of the recorded operation. */
static inline unsigned flags_lazy_shift(u32 lazy_op)
{
    return 64 - (8u << (lazy_op >> 8));
}

/** flags_set_logic() - AND OR XOR TEST and friends: only the result matters. */
static inline void flags_set_logic(struct cpu *c, unsigned size, u64 res)
{
    c->lazy.op = (u32)FLAGS_OP_LOGIC | (size << 8);
    c->lazy.res = res;
}

_Static_assert(FLAGS_OP_COUNT == 13, "flags_carry() and flags_compute() handle every op");

/** flags_carry() - CF, inline (ADC, SBB, INC, DEC, RCL... read it after any producer). */
static inline bool flags_carry(const struct cpu *c)
{
    u32 op = c->lazy.op;
    unsigned sh = flags_lazy_shift(op);
    const struct flags_lazy *l = &c->lazy;

    switch (op & 0xff) {
    case FLAGS_OP_NONE:
        return c->rflags & RFLAGS_CF;
    case FLAGS_OP_SUB:
        return (l->src1 << sh) < (l->src2 << sh);
    case FLAGS_OP_ADD:
        return (l->res << sh) < (l->src1 << sh);
    case FLAGS_OP_LOGIC:
        return false;
    case FLAGS_OP_INC:
    case FLAGS_OP_DEC:
        return l->src2 & 1;
    case FLAGS_OP_CO:
        return l->src1 & RFLAGS_CF;
    case FLAGS_OP_ADC: /* carry out of the top bit: majority(a, b, a ^ b ^ r) */
        return (((l->src1 & l->src2) | ((l->src1 | l->src2) & ~l->res)) << sh) >> 63;
    case FLAGS_OP_SBB:
        return (((~l->src1 & l->src2) | ((~l->src1 | l->src2) & l->res)) << sh) >> 63;
    case FLAGS_OP_NEG:
        return (l->src1 << sh) != 0;
    case FLAGS_OP_SHL: /* the last bit shifted out */
        return ((l->src1 << (l->src2 - 1)) << sh) >> 63;
    case FLAGS_OP_SHR:
        return (((l->src1 << sh) >> sh) >> (l->src2 - 1)) & 1;
    case FLAGS_OP_SAR:
        return (((i64)(l->src1 << sh) >> sh) >> (l->src2 - 1)) & 1;
    default: /* every operation is handled above (no call: it would cost a stack frame) */
        return false;
    }
}

/**
 * flags_cond() - cpu_cond() with the common producers inline: CMP/SUB and the logic ops
 * (TEST). With a constant @cc (one handler per condition) this folds to a compare or two.
 */
static inline bool flags_cond(const struct cpu *c, enum cond_code cc)
{
    u32 op = c->lazy.op;
    unsigned sh = flags_lazy_shift(op);

    if ((op & 0xff) == FLAGS_OP_SUB) {
        u64 a = c->lazy.src1 << sh, b = c->lazy.src2 << sh;

        switch (cc) {
        case CC_B:
            return a < b;
        case CC_AE:
            return a >= b;
        case CC_E:
            return a == b;
        case CC_NE:
            return a != b;
        case CC_BE:
            return a <= b;
        case CC_A:
            return a > b;
        case CC_L:
            return (i64)a < (i64)b;
        case CC_GE:
            return (i64)a >= (i64)b;
        case CC_LE:
            return (i64)a <= (i64)b;
        case CC_G:
            return (i64)a > (i64)b;
        case CC_S:
            return (i64)(c->lazy.res << sh) < 0;
        case CC_NS:
            return (i64)(c->lazy.res << sh) >= 0;
        default:
            break;
        }
    } else if ((op & 0xff) == FLAGS_OP_LOGIC) {
        i64 r = (i64)(c->lazy.res << sh);

        switch (cc) {
        case CC_O:
        case CC_B:
            return false;
        case CC_NO:
        case CC_AE:
            return true;
        case CC_E:
        case CC_BE:
            return r == 0;
        case CC_NE:
        case CC_A:
            return r != 0;
        case CC_S:
        case CC_L:
            return r < 0;
        case CC_NS:
        case CC_GE:
            return r >= 0;
        case CC_LE:
            return r <= 0;
        case CC_G:
            return r > 0;
        default:
            break;
        }
    }
    return cpu_cond(c, cc);
}

/** flags_af_of() - AF of the recorded operation (for flags_set_co()). */
static inline u64 flags_af_of(const struct cpu *c)
{
    u32 op = c->lazy.op & 0xff;

    if (op == FLAGS_OP_LOGIC)
        return 0;
    if (op == FLAGS_OP_NEG)
        return (c->lazy.res ^ c->lazy.src1) & RFLAGS_AF;
    if (op >= FLAGS_OP_SHL) /* shifts: AF undefined, 1 as on the reference host; CO: kept */
        return op == FLAGS_OP_CO ? c->lazy.src1 & RFLAGS_AF : RFLAGS_AF;
    return (c->lazy.res ^ c->lazy.src1 ^ c->lazy.src2) & RFLAGS_AF;
}

/**
 * flags_set_co() - set CF and OF to @cf_of (RFLAGS_CF / RFLAGS_OF bits), keep ZF SF AF PF:
 * rotates, MUL/IMUL (whose SF ZF AF PF are undefined: kept, as AMD does), BT (OF undefined).
 */
static inline void flags_set_co(struct cpu *c, u64 cf_of)
{
    u32 op = c->lazy.op;

    if ((op & 0xff) == FLAGS_OP_NONE) {
        c->rflags = (c->rflags & ~(RFLAGS_CF | RFLAGS_OF)) | cf_of;
        return;
    }
    c->lazy.src1 = flags_af_of(c) | cf_of;
    c->lazy.op = (u32)FLAGS_OP_CO | (op & ~0xffu);
}

#endif
