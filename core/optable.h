/* SPDX-License-Identifier: MIT */
/*
 * The opcode table: for every opcode (per map, mandatory prefix and ModRM.reg digit), what the
 * decoder must consume (ModRM, immediates), when it is invalid, and which handler runs it.
 * Instruction families (core/exec_*.c) fill it through their *_register() functions; the table
 * is built once per machine and read-only afterwards.
 */
#ifndef EMU_CORE_OPTABLE_H
#define EMU_CORE_OPTABLE_H

#include "base/types.h"
#include "core/insn.h"

enum op_map { MAP_1B, MAP_0F, MAP_0F38, MAP_0F3A, MAP_COUNT };
enum op_prefix { PFX_NONE, PFX_66, PFX_F3, PFX_F2, PFX_COUNT }; /* mandatory (SSE) prefix */

/* What follows the opcode. */
#define OPF_MODRM  0x00000001u /* ModRM (+ SIB + displacement) */
#define OPF_IMM8   0x00000002u /* ib, sign-extended into insn.imm */
#define OPF_UIMM8  0x00000004u /* ib, zero-extended */
#define OPF_IMM16  0x00000008u /* iw, zero-extended */
#define OPF_IMMZ   0x00000010u /* iz: imm16 or imm32 (sign-extended to 64 with REX.W) */
#define OPF_IMMV   0x00000020u /* iv: imm16/32/64 by operand size (MOV r, imm) */
#define OPF_REL8   0x00000040u /* rel8: insn.imm = absolute target */
#define OPF_RELZ   0x00000080u /* rel16/rel32: insn.imm = absolute target */
#define OPF_MOFFS  0x00000100u /* moffs of address size (MOV AL, [moffs]): insn.disp/imm */
#define OPF_FARPTR 0x00000200u /* ptr16:16/32: offset in imm, selector in disp */
#define OPF_ENTER  0x00000400u /* iw then ib (ENTER): imm = iw, imm2 = ib */
/* Operand size. */
#define OPF_BYTE    0x00001000u /* 8-bit operation (opsize = SZ8) */
#define OPF_DEF64   0x00002000u /* 64-bit default in long mode (PUSH, POP, near indirect) */
#define OPF_FORCE64 0x00004000u /* 64-bit in long mode whatever 66 says (Jcc, CALL rel) */
#define OPF_SZ128   0x00008000u /* opsize = SZ128 (SSE) */
/* Validity. */
#define OPF_NO64     0x00010000u /* #UD in 64-bit mode */
#define OPF_ONLY64   0x00020000u /* #UD outside 64-bit mode */
#define OPF_REG_ONLY 0x00040000u /* #UD unless mod == 3 */
#define OPF_MEM_ONLY 0x00080000u /* #UD if mod == 3 (LEA, LGDT...) */
#define OPF_LOCKABLE 0x00100000u /* LOCK allowed (with a memory destination); else #UD */
/* Table shape. */
#define OPF_GROUP    0x00200000u /* entries per ModRM.reg digit (optable_set_group) */
#define OPF_PREFIXED 0x00400000u /* entries per mandatory prefix (optable_set_prefixed) */
/* Control flow. */
#define OPF_ENDS      0x00800000u /* ends the decoded block (branches, mode/CR changes, HLT) */
#define OPF_REG_IN_OP 0x01000000u /* register in the opcode's low 3 bits (+ REX.B) -> insn.reg */

/* Picks the handler for a decoded form (register or memory operand, operand size...). */
typedef exec_fn *op_select_fn(const struct insn *i);

struct op_entry {
    const char *name; /* mnemonic, for tables and diagnostics */
    u32 flags;        /* OPF_* */
    exec_fn *fn;      /* the handler, when no selector is given */
    op_select_fn *select;
    u8 aux;            /* copied to insn.aux */
    u32 cpuid_feature; /* CPUID feature the opcode needs (core/cpuid.h), 0 = base ISA */
};

struct optable;

/** optable_create() - a table filled by every instruction family. Return: NULL if no memory. */
struct optable *optable_create(void);
void optable_destroy(struct optable *t);

/** optable_set() - the entry of @opcode in @map (all prefixes and digits). */
void optable_set(struct optable *t, enum op_map map, u8 opcode, const struct op_entry *e);

/** optable_set_group() - the entry for ModRM.reg == @digit of a group opcode. */
void optable_set_group(struct optable *t, enum op_map map, u8 opcode, u8 digit,
                       const struct op_entry *e);

/** optable_set_prefixed() - the entry of an opcode under mandatory prefix @p (SSE forms). */
void optable_set_prefixed(struct optable *t, enum op_map map, u8 opcode, enum op_prefix p,
                          const struct op_entry *e);

/** optable_set_prefixed_group() - both: mandatory prefix and ModRM.reg digit (0F 71-73). */
void optable_set_prefixed_group(struct optable *t, enum op_map map, u8 opcode, enum op_prefix p,
                                u8 digit, const struct op_entry *e);

/** optable_set_x87() - x87 escape @opcode (D8-DF): memory forms by @digit (@modrm < 0xc0
 *  means "memory form, digit = modrm"), register forms by the full ModRM byte (>= 0xc0). */
void optable_set_x87(struct optable *t, u8 opcode, u8 modrm, const struct op_entry *e);

/**
 * optable_lookup() - the entry for a decoded opcode; NULL when the encoding is undefined.
 * @modrm: the ModRM byte when the opcode has one (else 0).
 */
const struct op_entry *optable_lookup(const struct optable *t, enum op_map map, u8 opcode,
                                      enum op_prefix p, u8 modrm);

/** optable_needs_modrm() - whether any entry of @opcode consumes a ModRM byte (the decoder
 *  must know before it can pick a group entry). */
bool optable_needs_modrm(const struct optable *t, enum op_map map, u8 opcode, enum op_prefix p);

/* Family registration (each core/exec_*.c provides one). */
void exec_alu_register(struct optable *t);
void exec_bcd_register(struct optable *t);
void exec_shift_register(struct optable *t);
void exec_muldiv_register(struct optable *t);
void exec_bit_register(struct optable *t);
void exec_mov_register(struct optable *t);
void exec_branch_register(struct optable *t);
void exec_stack_register(struct optable *t);
void exec_string_register(struct optable *t);
void exec_misc_register(struct optable *t);
void exec_system_register(struct optable *t);
void exec_x87_register(struct optable *t);
void exec_sse_register(struct optable *t);
void exec_ssse3_register(struct optable *t);
void exec_sse4_register(struct optable *t);

#endif
