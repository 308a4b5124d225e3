/* SPDX-License-Identifier: MIT */
/*
 * What instruction handlers share: register access by size, effective addresses, ModRM
 * operand read/write, RIP helpers. Everything is inline: it runs for every instruction.
 */
#ifndef EMU_CORE_EXEC_H
#define EMU_CORE_EXEC_H

#include "base/types.h"
#include "core/cpu.h"
#include "core/exception.h"
#include "core/flags.h"
#include "core/insn.h"
#include "core/mem.h"

static inline u64 size_mask(unsigned size)
{
    return size >= SZ64 ? ~0ull : (1ull << (8u << size)) - 1;
}

static inline unsigned size_bits(unsigned size)
{
    return 8u << size;
}

static inline u64 sign_extend(u64 v, unsigned size)
{
    unsigned sh = 64 - size_bits(size);

    return size >= SZ64 ? v : (u64)((i64)(v << sh) >> sh);
}

/** reg_read() - register @r (0-15, or REG_AH.. for AH/CH/DH/BH) at @size, zero-extended. */
static inline u64 reg_read(const struct cpu *c, unsigned r, unsigned size)
{
    if (size == SZ8 && r >= REG_AH)
        return (c->gpr[r - REG_AH] >> 8) & 0xff;
    return c->gpr[r] & size_mask(size);
}

/** reg_write() - write @v to register @r at @size: 32-bit writes zero the upper half,
 *  8- and 16-bit writes keep the other bits (SDM vol. 1 3.4.1.1). */
static inline void reg_write(struct cpu *c, unsigned r, unsigned size, u64 v)
{
    switch (size) {
    case SZ8:
        if (r >= REG_AH)
            c->gpr[r - REG_AH] = (c->gpr[r - REG_AH] & ~0xff00ull) | ((v & 0xff) << 8);
        else
            c->gpr[r] = (c->gpr[r] & ~0xffull) | (v & 0xff);
        break;
    case SZ16:
        c->gpr[r] = (c->gpr[r] & ~0xffffull) | (v & 0xffff);
        break;
    case SZ32:
        c->gpr[r] = (u32)v;
        break;
    default:
        c->gpr[r] = v;
        break;
    }
}

/** host_load() / host_store() - a value of @size (enum op_size) at a host pointer into guest
 *  RAM (from cpu_rmw_ptr() or cpu_host_ptr()), unaligned, little-endian as the guest. */
static EMU_ALWAYS_INLINE u64 host_load(const u8 *p, unsigned size)
{
    u8 v8;
    u16 v16;
    u32 v32;
    u64 v64;

    switch (size) {
    case SZ8:
        __builtin_memcpy(&v8, p, 1);
        return v8;
    case SZ16:
        __builtin_memcpy(&v16, p, 2);
        return v16;
    case SZ32:
        __builtin_memcpy(&v32, p, 4);
        return v32;
    default:
        __builtin_memcpy(&v64, p, 8);
        return v64;
    }
}

static EMU_ALWAYS_INLINE void host_store(u8 *p, unsigned size, u64 v)
{
    u8 v8 = (u8)v;
    u16 v16 = (u16)v;
    u32 v32 = (u32)v;

    switch (size) {
    case SZ8:
        __builtin_memcpy(p, &v8, 1);
        break;
    case SZ16:
        __builtin_memcpy(p, &v16, 2);
        break;
    case SZ32:
        __builtin_memcpy(p, &v32, 4);
        break;
    default:
        __builtin_memcpy(p, &v, 8);
        break;
    }
}

/** insn_next_rip() - address of the instruction after @i. */
static inline u64 insn_next_rip(const struct cpu *c, const struct insn *i)
{
    return c->block_rip + i->end_off;
}

/** insn_rip() - address of @i itself. */
static inline u64 insn_rip(const struct cpu *c, const struct insn *i)
{
    return c->block_rip + i->end_off - i->len;
}

/** insn_ea() - effective address (segment offset) of the ModRM memory operand. */
static inline u64 insn_ea(const struct cpu *c, const struct insn *i)
{
    u64 ea = (u64)(i64)i->disp;

    if (i->base < 16)
        ea += c->gpr[i->base];
    else if (i->base == REG_RIP)
        ea += insn_next_rip(c, i);
    if (i->index != REG_NONE)
        ea += c->gpr[i->index] << i->scale;
    return ea & size_mask(i->asize);
}

/** rm_read() - the ModRM operand (register or memory) at @size. */
static inline u64 rm_read(struct cpu *c, const struct insn *i, unsigned size)
{
    if (!(i->prefixes & INSN_MEM))
        return reg_read(c, i->rm, size);
    return cpu_read_sized(c, i->seg, insn_ea(c, i), size);
}

/** rm_write() - write the ModRM operand (register or memory) at @size. */
static inline void rm_write(struct cpu *c, const struct insn *i, unsigned size, u64 v)
{
    if (!(i->prefixes & INSN_MEM))
        reg_write(c, i->rm, size, v);
    else
        cpu_write_sized(c, i->seg, insn_ea(c, i), size, v);
}

/** exec_jump() - leave the block for @target (masked to the code size). */
static inline const struct insn *exec_jump(struct cpu *c, u64 target)
{
    c->rip = target & size_mask(c->code_size);
    return NULL;
}

/** exec_end_block() - leave the block after @i, continuing with the next instruction (after
 *  state changes the decoded block may not survive: CR writes, mode switches...). */
static inline const struct insn *exec_end_block(struct cpu *c, const struct insn *i)
{
    c->rip = insn_next_rip(c, i);
    return NULL;
}

/* Stack: push/pop at the stack size (SS.B / 64-bit mode), with the operand size given. */
void cpu_push(struct cpu *c, unsigned size, u64 v);
u64 cpu_pop(struct cpu *c, unsigned size);

#endif
