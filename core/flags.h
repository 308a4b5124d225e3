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
    FLAGS_OP_SHL,   /* src1 = value, src2 = count (1..size-1, masked, non-zero) */
    FLAGS_OP_SHR,
    FLAGS_OP_SAR,
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

#endif
