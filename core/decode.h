/* SPDX-License-Identifier: MIT */
/*
 * x86 instruction decoder: bytes -> struct insn for 16-, 32- and 64-bit code (Intel SDM vol. 2
 * ch. 2: prefixes, REX, opcode maps, ModRM/SIB, displacement, immediates). The opcode table
 * (core/optable.h) says what each opcode consumes and which handler runs it.
 *
 * What the decoder leaves in struct insn beyond insn.h's comments:
 *  - relative branches: imm = absolute target, masked to 16 bits for a 16-bit operand size
 *    and to 32 bits outside 64-bit mode (SDM vol. 2 JMP/Jcc/CALL);
 *  - moffs (A0-A3): imm = the offset (zero-extended, address size), disp = its low 32 bits,
 *    base = index = REG_NONE, INSN_MEM clear: handlers use imm;
 *  - far pointers: imm = offset, disp = selector; ENTER: imm = iw, imm2 = ib;
 *  - imm2 = the ModRM byte for opcodes with one; for group opcodes reg = the digit
 *    (never turned into REG_AH..);
 *  - a mandatory prefix an entry consumed (OPF_PREFIXED entries) is not reported in
 *    prefixes (INSN_REP/REPNE/OSIZE) and a consumed 66 does not change the operand size.
 */
#ifndef EMU_CORE_DECODE_H
#define EMU_CORE_DECODE_H

#include "base/types.h"
#include "core/insn.h"
#include "core/optable.h"

struct cpuid_model;

#define DECODE_MAX_LEN 15 /* SDM vol. 2 2.3.11: longer is #GP(0) */

enum decode_status {
    DECODE_OK,
    DECODE_UD,   /* undefined or invalid here: #UD */
    DECODE_GP,   /* longer than 15 bytes: #GP(0) */
    DECODE_MORE, /* the bytes given end before the instruction does */
};

struct decode_env {
    const struct optable *optable;
    const struct cpuid_model *cpuid; /* NULL: every feature is available */
    u8 code_size;                    /* SZ16, SZ32 or SZ64 (64-bit mode) */
};

/**
 * decode_insn() - decode the instruction at @bytes (at most @avail bytes may be read).
 * @rip: its address (offset in CS), for relative targets.
 * @out: filled on DECODE_OK (all fields but end_off); on failure out->len is the number of
 *       bytes examined.
 * @opf: if not NULL, the OPF_* flags of the table entry (OPF_ENDS...).
 * Return: the status; DECODE_MORE only when @avail < DECODE_MAX_LEN.
 */
enum decode_status decode_insn(const struct decode_env *env, const u8 *bytes, unsigned avail,
                               u64 rip, struct insn *out, u32 *opf);

#endif
