/* SPDX-License-Identifier: MIT */
/*
 * A decoded instruction and the handler that executes it. Instructions are decoded once into
 * blocks (core/block.c) and executed by calling each one's handler in turn: a handler returns
 * the next instruction to run (normally i + 1) or NULL to leave the block (a taken branch, a
 * mode change, anything that needs the run loop). The decoder picks a handler specialised for
 * the decoded form (register or memory operand, operand size) through the opcode table.
 */
#ifndef EMU_CORE_INSN_H
#define EMU_CORE_INSN_H

#include "base/types.h"

struct cpu;
struct insn;

/* Executes @i on @c. Return: the next instruction of the block, or NULL to leave the block. */
typedef const struct insn *exec_fn(struct cpu *c, const struct insn *i);

/* Operand and address sizes as log2 of the byte count. */
enum op_size { SZ8, SZ16, SZ32, SZ64, SZ128 };

/* Register numbers in insn.reg/rm/base/index: 0-15 = RAX..R15 (SDM order). For byte operands
 * without REX, 4-7 mean AH, CH, DH, BH and are encoded as REG_AH.. (16-19) by the decoder. */
#define REG_AH   16
#define REG_NONE 0xfe /* no base / no index */
#define REG_RIP  0xff /* base is the address of the next instruction (RIP-relative) */

/* insn.prefixes */
#define INSN_REP    0x01 /* F3 */
#define INSN_REPNE  0x02 /* F2 */
#define INSN_LOCK   0x04 /* F0 */
#define INSN_REX    0x08 /* any REX prefix (byte registers are then SPL/BPL/SIL/DIL) */
#define INSN_MEM    0x10 /* the ModRM operand is memory (mod != 3) */
#define INSN_SEGOVR 0x20 /* a segment override prefix was given */
#define INSN_OSIZE  0x40 /* 66 prefix present */
#define INSN_REXW   0x80 /* REX.W */

struct insn {
    exec_fn *fn;
    union {
        u64 imm; /* immediate, sign- or zero-extended as the opcode defines; for relative
                    branches the absolute target address */
        i64 simm;
    };
    i32 disp;    /* memory displacement (sign-extended) */
    u16 end_off; /* offset of the next instruction from the block's first byte */
    u8 len;      /* instruction length in bytes (1..15) */
    u8 opsize;   /* enum op_size of the operation */
    u8 asize;    /* enum op_size of addresses: SZ16, SZ32 or SZ64 */
    u8 reg;      /* ModRM.reg + REX.R, or the register in the opcode's low bits + REX.B */
    u8 rm;       /* register operand when mod == 3: ModRM.rm + REX.B */
    u8 base;     /* memory base register, REG_NONE or REG_RIP */
    u8 index;    /* memory index register, or REG_NONE */
    u8 scale;    /* log2 of the index scale */
    u8 seg;      /* enum seg_reg of the memory operand (default or override) */
    u8 prefixes; /* INSN_* */
    u8 aux;      /* per-opcode constant from the table (ALU op, condition code, ...) */
    u8 opcode;   /* the opcode byte (last byte of the opcode) */
    u8 imm2;     /* second immediate (ENTER's nesting level), or the ModRM byte */
    u8 map;      /* enum op_map */
};
_Static_assert(sizeof(struct insn) == 40, "struct insn stays small: blocks are arrays of it");

#endif
