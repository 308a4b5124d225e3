/* SPDX-License-Identifier: MIT */
/*
 * Data movement: MOV (88-8B, C6/C7, B0-BF, A0-A3), MOVZX/MOVSX/MOVSXD, LEA, XCHG (86/87, 90+r),
 * CMPXCHG, CMPXCHG8B/16B, XADD and MOVBE (Intel SDM vol. 2 instruction pages; vol. 1 3.4.1.1
 * for 32-bit writes zero-extending into 64-bit registers).
 */
#include "core/cpuid.h"
#include "core/exec.h"
#include "core/optable.h"
#include "core/system.h"

#include <string.h>

enum { R_AX = 0, R_CX = 1, R_DX = 2, R_BX = 3 };

/* Effective-address forms the hot handlers are specialised for (64-bit address size only):
 * base + disp, RIP + disp, base + index * scale + disp, index * scale + disp. */
enum ea_form { EA_BD, EA_RIP, EA_BISD, EA_ISD, EA_GEN };

static enum ea_form ea_form_of(const struct insn *i)
{
    if (i->asize != SZ64)
        return EA_GEN;
    if (i->index == REG_NONE) {
        if (i->base < 16)
            return EA_BD;
        return i->base == REG_RIP ? EA_RIP : EA_GEN;
    }
    if (i->index >= 16)
        return EA_GEN;
    if (i->base < 16)
        return EA_BISD;
    return i->base == REG_NONE ? EA_ISD : EA_GEN;
}

static exec_fn *pick_ea(const struct insn *i, exec_fn *bd, exec_fn *rip, exec_fn *bisd,
                        exec_fn *isd, exec_fn *gen)
{
    switch (ea_form_of(i)) {
    case EA_BD:
        return bd;
    case EA_RIP:
        return rip;
    case EA_BISD:
        return bisd;
    case EA_ISD:
        return isd;
    default:
        return gen;
    }
}

/*
 * Five handlers per memory form: the four of enum ea_form (64-bit address size) and any
 * address. @body uses the offset `ea`.
 */
#define EA_HANDLERS(name, body)                                                                    \
    static const struct insn *name##_bd(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        const u64 ea = c->gpr[i->base] + (u64)(i64)i->disp;                                        \
        body;                                                                                      \
        return i + 1;                                                                              \
    }                                                                                              \
    static const struct insn *name##_rip(struct cpu *c, const struct insn *i)                      \
    {                                                                                              \
        const u64 ea = insn_next_rip(c, i) + (u64)(i64)i->disp;                                    \
        body;                                                                                      \
        return i + 1;                                                                              \
    }                                                                                              \
    static const struct insn *name##_bisd(struct cpu *c, const struct insn *i)                     \
    {                                                                                              \
        const u64 ea = c->gpr[i->base] + (c->gpr[i->index] << i->scale) + (u64)(i64)i->disp;       \
        body;                                                                                      \
        return i + 1;                                                                              \
    }                                                                                              \
    static const struct insn *name##_isd(struct cpu *c, const struct insn *i)                      \
    {                                                                                              \
        const u64 ea = (c->gpr[i->index] << i->scale) + (u64)(i64)i->disp;                         \
        body;                                                                                      \
        return i + 1;                                                                              \
    }                                                                                              \
    static const struct insn *name##_m(struct cpu *c, const struct insn *i)                        \
    {                                                                                              \
        const u64 ea = insn_ea(c, i);                                                              \
        body;                                                                                      \
        return i + 1;                                                                              \
    }

#define PICK_EA(i, name) pick_ea((i), name##_bd, name##_rip, name##_bisd, name##_isd, name##_m)

/* ---- MOV Ev, Gv / Gv, Ev / Eb, Gb / Gb, Eb (88-8B) ---- */

static const struct insn *exec_mov_Eq_Gq_rr(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = c->gpr[i->reg];
    return i + 1;
}

static const struct insn *exec_mov_Ed_Gd_rr(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = (u32)c->gpr[i->reg];
    return i + 1;
}

static const struct insn *exec_mov_Gq_Eq_rr(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = c->gpr[i->rm];
    return i + 1;
}

static const struct insn *exec_mov_Gd_Ed_rr(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u32)c->gpr[i->rm];
    return i + 1;
}

/* Any size, either direction, register or memory: the rare forms. */
static const struct insn *exec_mov_Ev_Gv(struct cpu *c, const struct insn *i)
{
    rm_write(c, i, i->opsize, reg_read(c, i->reg, i->opsize));
    return i + 1;
}

static const struct insn *exec_mov_Gv_Ev(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsize, rm_read(c, i, i->opsize));
    return i + 1;
}

EA_HANDLERS(exec_mov_Mq_Gq, cpu_write64(c, i->seg, ea, c->gpr[i->reg]))
EA_HANDLERS(exec_mov_Md_Gd, cpu_write32(c, i->seg, ea, (u32)c->gpr[i->reg]))
EA_HANDLERS(exec_mov_Gq_Mq, c->gpr[i->reg] = cpu_read64(c, i->seg, ea))
EA_HANDLERS(exec_mov_Gd_Md, c->gpr[i->reg] = cpu_read32(c, i->seg, ea))
EA_HANDLERS(exec_mov_Mb_Gb, cpu_write8(c, i->seg, ea, (u8)reg_read(c, i->reg, SZ8)))
EA_HANDLERS(exec_mov_Gb_Mb, reg_write(c, i->reg, SZ8, cpu_read8(c, i->seg, ea)))

static exec_fn *select_mov_Ev_Gv(const struct insn *i)
{
    if (!(i->prefixes & INSN_MEM)) {
        if (i->opsize == SZ64)
            return exec_mov_Eq_Gq_rr;
        return i->opsize == SZ32 ? exec_mov_Ed_Gd_rr : exec_mov_Ev_Gv;
    }
    if (i->opsize == SZ64)
        return PICK_EA(i, exec_mov_Mq_Gq);
    if (i->opsize == SZ32)
        return PICK_EA(i, exec_mov_Md_Gd);
    return exec_mov_Ev_Gv;
}

static exec_fn *select_mov_Gv_Ev(const struct insn *i)
{
    if (!(i->prefixes & INSN_MEM)) {
        if (i->opsize == SZ64)
            return exec_mov_Gq_Eq_rr;
        return i->opsize == SZ32 ? exec_mov_Gd_Ed_rr : exec_mov_Gv_Ev;
    }
    if (i->opsize == SZ64)
        return PICK_EA(i, exec_mov_Gq_Mq);
    if (i->opsize == SZ32)
        return PICK_EA(i, exec_mov_Gd_Md);
    return exec_mov_Gv_Ev;
}

static exec_fn *select_mov_Eb_Gb(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? PICK_EA(i, exec_mov_Mb_Gb) : exec_mov_Ev_Gv;
}

static exec_fn *select_mov_Gb_Eb(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? PICK_EA(i, exec_mov_Gb_Mb) : exec_mov_Gv_Ev;
}

/* ---- MOV Ev, Iz (C6 /0, C7 /0), MOV Zv, Iv (B0-BF) ---- */

static const struct insn *exec_mov_Ev_Iz(struct cpu *c, const struct insn *i)
{
    rm_write(c, i, i->opsize, i->imm);
    return i + 1;
}

EA_HANDLERS(exec_mov_Mq_Iz, cpu_write64(c, i->seg, ea, i->imm))
EA_HANDLERS(exec_mov_Md_Iz, cpu_write32(c, i->seg, ea, (u32)i->imm))
EA_HANDLERS(exec_mov_Mb_Ib, cpu_write8(c, i->seg, ea, (u8)i->imm))

static exec_fn *select_mov_Ev_Iz(const struct insn *i)
{
    if (!(i->prefixes & INSN_MEM))
        return exec_mov_Ev_Iz;
    switch (i->opsize) {
    case SZ8:
        return PICK_EA(i, exec_mov_Mb_Ib);
    case SZ32:
        return PICK_EA(i, exec_mov_Md_Iz);
    case SZ64:
        return PICK_EA(i, exec_mov_Mq_Iz);
    default:
        return exec_mov_Ev_Iz;
    }
}

static const struct insn *exec_mov_Zq_Iq(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = i->imm;
    return i + 1;
}

static const struct insn *exec_mov_Zd_Id(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u32)i->imm;
    return i + 1;
}

static const struct insn *exec_mov_Zv_Iv(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsize, i->imm);
    return i + 1;
}

static exec_fn *select_mov_Zv_Iv(const struct insn *i)
{
    if (i->opsize == SZ64)
        return exec_mov_Zq_Iq;
    return i->opsize == SZ32 ? exec_mov_Zd_Id : exec_mov_Zv_Iv;
}

/* ---- MOV AL/rAX, moffs and back (A0-A3): the offset has the address size ---- */

static const struct insn *exec_mov_AL_Ob(struct cpu *c, const struct insn *i)
{
    reg_write(c, R_AX, i->opsize,
              cpu_read_sized(c, i->seg, i->imm & size_mask(i->asize), i->opsize));
    return i + 1;
}

static const struct insn *exec_mov_Ob_AL(struct cpu *c, const struct insn *i)
{
    cpu_write_sized(c, i->seg, i->imm & size_mask(i->asize), i->opsize,
                    reg_read(c, R_AX, i->opsize));
    return i + 1;
}

/* ---- MOVZX / MOVSX (0F B6/B7/BE/BF), MOVSXD (63) ---- */

/* Zero extension to 32 or 64 bits: a 32-bit write clears the upper half anyway. */
static const struct insn *exec_movzx_Gd_Eb_r(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = reg_read(c, i->rm, SZ8);
    return i + 1;
}

static const struct insn *exec_movzx_Gd_Ew_r(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u16)c->gpr[i->rm];
    return i + 1;
}

EA_HANDLERS(exec_movzx_Gd_Mb, c->gpr[i->reg] = cpu_read8(c, i->seg, ea))
EA_HANDLERS(exec_movzx_Gd_Mw, c->gpr[i->reg] = cpu_read16(c, i->seg, ea))

static const struct insn *exec_movzx_Gw_Eb(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, SZ16, rm_read(c, i, SZ8));
    return i + 1;
}

static const struct insn *exec_movzx_Gw_Ew(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, SZ16, rm_read(c, i, SZ16));
    return i + 1;
}

static exec_fn *select_movzx_Gv_Eb(const struct insn *i)
{
    if (i->opsize == SZ16)
        return exec_movzx_Gw_Eb;
    return (i->prefixes & INSN_MEM) ? PICK_EA(i, exec_movzx_Gd_Mb) : exec_movzx_Gd_Eb_r;
}

static exec_fn *select_movzx_Gv_Ew(const struct insn *i)
{
    if (i->opsize == SZ16)
        return exec_movzx_Gw_Ew;
    return (i->prefixes & INSN_MEM) ? PICK_EA(i, exec_movzx_Gd_Mw) : exec_movzx_Gd_Ew_r;
}

/* MOVSX Gv, Eb / Ew and MOVSXD Gq, Ed: the source size is in insn.aux. */
static const struct insn *exec_movsx_Gq_Ex(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = sign_extend(rm_read(c, i, i->aux), i->aux);
    return i + 1;
}

static const struct insn *exec_movsx_Gd_Ex(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u32)sign_extend(rm_read(c, i, i->aux), i->aux);
    return i + 1;
}

static const struct insn *exec_movsx_Gw_Ex(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, SZ16, sign_extend(rm_read(c, i, i->aux), i->aux));
    return i + 1;
}

static const struct insn *exec_movsxd_Gq_Ed_r(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u64)(i64)(i32)c->gpr[i->rm];
    return i + 1;
}

EA_HANDLERS(exec_movsx_Gq_Mb, c->gpr[i->reg] = (u64)(i64)(i8)cpu_read8(c, i->seg, ea))
EA_HANDLERS(exec_movsx_Gd_Mb, c->gpr[i->reg] = (u32)(i32)(i8)cpu_read8(c, i->seg, ea))
EA_HANDLERS(exec_movsxd_Gq_Md, c->gpr[i->reg] = (u64)(i64)(i32)cpu_read32(c, i->seg, ea))

static exec_fn *select_movsx(const struct insn *i)
{
    bool is_mem = i->prefixes & INSN_MEM;

    switch (i->opsize) {
    case SZ64:
        if (i->aux == SZ32)
            return is_mem ? PICK_EA(i, exec_movsxd_Gq_Md) : exec_movsxd_Gq_Ed_r;
        if (i->aux == SZ8 && is_mem)
            return PICK_EA(i, exec_movsx_Gq_Mb);
        return exec_movsx_Gq_Ex;
    case SZ32:
        if (i->aux == SZ8 && is_mem)
            return PICK_EA(i, exec_movsx_Gd_Mb);
        return exec_movsx_Gd_Ex;
    default:
        return exec_movsx_Gw_Ex;
    }
}

static exec_fn *select_movsxd(const struct insn *i)
{
    /* Without REX.W: MOVSXD Gd, Ed / Gw, Ew (a plain move) in 64-bit mode, ARPL Ew, Gw in
     * protected mode; the decoder cannot tell them apart, exec_arpl_Ew_Gw() does both. */
    if (i->opsize != SZ64)
        return exec_arpl_Ew_Gw;
    return select_movsx(i);
}

/* ---- LEA Gv, M (8D): the offset, no segment, truncated to the operand size ---- */

static const struct insn *exec_lea_Gq_M_bd(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = c->gpr[i->base] + (u64)(i64)i->disp;
    return i + 1;
}

static const struct insn *exec_lea_Gq_M_bisd(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = c->gpr[i->base] + (c->gpr[i->index] << i->scale) + (u64)(i64)i->disp;
    return i + 1;
}

static const struct insn *exec_lea_Gq_M_rip(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = insn_next_rip(c, i) + (u64)(i64)i->disp;
    return i + 1;
}

static const struct insn *exec_lea_Gd_M_bd(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u32)(c->gpr[i->base] + (u64)(i64)i->disp);
    return i + 1;
}

static const struct insn *exec_lea_Gd_M_bisd(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u32)(c->gpr[i->base] + (c->gpr[i->index] << i->scale) + (u64)(i64)i->disp);
    return i + 1;
}

static const struct insn *exec_lea_Gq_M_isd(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (c->gpr[i->index] << i->scale) + (u64)(i64)i->disp;
    return i + 1;
}

static const struct insn *exec_lea_Gd_M_isd(struct cpu *c, const struct insn *i)
{
    c->gpr[i->reg] = (u32)((c->gpr[i->index] << i->scale) + (u64)(i64)i->disp);
    return i + 1;
}

static const struct insn *exec_lea_Gv_M(struct cpu *c, const struct insn *i)
{
    reg_write(c, i->reg, i->opsize, insn_ea(c, i));
    return i + 1;
}

static exec_fn *select_lea(const struct insn *i)
{
    bool is_bd = i->asize == SZ64 && i->base < 16 && i->index == REG_NONE;
    bool is_bisd = i->asize == SZ64 && i->base < 16 && i->index < 16;
    bool is_isd = i->asize == SZ64 && i->base == REG_NONE && i->index < 16;

    /* A 32-bit result of a 64-bit address is the low half of the 64-bit sum. */
    if (i->opsize == SZ64 || i->opsize == SZ32) {
        bool is_q = i->opsize == SZ64;

        if (i->asize == SZ64 && i->base == REG_RIP && is_q)
            return exec_lea_Gq_M_rip;
        if (is_bd)
            return is_q ? exec_lea_Gq_M_bd : exec_lea_Gd_M_bd;
        if (is_bisd)
            return is_q ? exec_lea_Gq_M_bisd : exec_lea_Gd_M_bisd;
        if (is_isd)
            return is_q ? exec_lea_Gq_M_isd : exec_lea_Gd_M_isd;
    }
    return exec_lea_Gv_M;
}

/* ---- Read-modify-write helpers: one write translation, then a host pointer ---- */

/*
 * A memory operand being read and then written by one instruction. mem_rmw_begin() translates
 * it for writing (a read-only page faults as a write, as for a locked access) and returns its
 * value; mem_rmw_end() stores the new value. All vCPUs run on one host thread, so the pair is
 * atomic with respect to the guest.
 */
struct mem_rmw {
    u8 *host; /* NULL: page-crossing or MMIO operand, use the slow accessors */
    unsigned seg;
    u64 off;
};

static inline u64 mem_rmw_begin(struct cpu *c, const struct insn *i, struct mem_rmw *m,
                                unsigned size)
{
    m->seg = i->seg;
    m->off = insn_ea(c, i);
    m->host = cpu_rmw_ptr(c, m->seg, m->off, 1u << size);
    if (likely(m->host))
        return host_load(m->host, size);
    return cpu_read_sized(c, m->seg, m->off, size);
}

static inline void mem_rmw_end(struct cpu *c, const struct mem_rmw *m, unsigned size, u64 v)
{
    if (likely(m->host))
        host_store(m->host, size, v);
    else
        cpu_write_sized(c, m->seg, m->off, size, v);
}

/* ---- XCHG Ev, Gv (86/87; implicitly locked) and XCHG rAX, Zv (90+r) ---- */

static const struct insn *exec_xchg_Eq_Gq_rr(struct cpu *c, const struct insn *i)
{
    u64 t = c->gpr[i->rm];

    c->gpr[i->rm] = c->gpr[i->reg];
    c->gpr[i->reg] = t;
    return i + 1;
}

static const struct insn *exec_xchg_Ev_Gv_rr(struct cpu *c, const struct insn *i)
{
    u64 a = reg_read(c, i->rm, i->opsize);
    u64 b = reg_read(c, i->reg, i->opsize);

    reg_write(c, i->rm, i->opsize, b);
    reg_write(c, i->reg, i->opsize, a);
    return i + 1;
}

static const struct insn *exec_xchg_Mv_Gv(struct cpu *c, const struct insn *i)
{
    struct mem_rmw m;
    u64 old = mem_rmw_begin(c, i, &m, i->opsize);

    mem_rmw_end(c, &m, i->opsize, reg_read(c, i->reg, i->opsize));
    reg_write(c, i->reg, i->opsize, old);
    return i + 1;
}

static exec_fn *select_xchg_Ev_Gv(const struct insn *i)
{
    if (i->prefixes & INSN_MEM)
        return exec_xchg_Mv_Gv;
    return i->opsize == SZ64 ? exec_xchg_Eq_Gq_rr : exec_xchg_Ev_Gv_rr;
}

/* XCHG rAX, Zv: insn.reg is the register of the opcode, the other operand is rAX. */
static const struct insn *exec_xchg_Zv_rAX(struct cpu *c, const struct insn *i)
{
    u64 a = reg_read(c, R_AX, i->opsize);
    u64 b = reg_read(c, i->reg, i->opsize);

    reg_write(c, R_AX, i->opsize, b);
    reg_write(c, i->reg, i->opsize, a);
    return i + 1;
}

/* 90 without REX.B (any operand size) is NOP, not XCHG EAX, EAX: RAX keeps its upper half.
 * F3 90 is PAUSE, a spin-loop hint that executes as a NOP here. */
static const struct insn *exec_nop(struct cpu *c, const struct insn *i)
{
    return i + 1;
}

static const struct insn *exec_pause(struct cpu *c, const struct insn *i)
{
    return i + 1;
}

static exec_fn *select_xchg_Zv_rAX(const struct insn *i)
{
    if (i->reg != R_AX)
        return exec_xchg_Zv_rAX;
    return (i->prefixes & INSN_REP) ? exec_pause : exec_nop;
}

/* ---- CMPXCHG Ev, Gv (0F B0/B1) ---- */

/*
 * Flags as CMP accumulator, destination. Register destination: written only on success, the
 * accumulator only on failure (so a 32-bit form zero-extends just the register it writes).
 * Memory destination: always written (SDM "CMPXCHG": the destination gets a write cycle
 * whatever the comparison gives).
 */
static const struct insn *exec_cmpxchg_Ev_Gv(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 mask = size_mask(sz);
    u64 acc = reg_read(c, R_AX, sz);
    struct mem_rmw m;
    u64 dst;

    if (i->prefixes & INSN_MEM) {
        dst = mem_rmw_begin(c, i, &m, sz);
        if (acc == dst) {
            mem_rmw_end(c, &m, sz, reg_read(c, i->reg, sz));
        } else {
            mem_rmw_end(c, &m, sz, dst);
            reg_write(c, R_AX, sz, dst);
        }
    } else {
        dst = reg_read(c, i->rm, sz);
        if (acc == dst)
            reg_write(c, i->rm, sz, reg_read(c, i->reg, sz));
        else
            reg_write(c, R_AX, sz, dst);
    }
    flags_set(c, FLAGS_OP_SUB, sz, (acc - dst) & mask, acc, dst);
    return i + 1;
}

/* ---- XADD Ev, Gv (0F C0/C1): the source register gets the old destination ---- */

static const struct insn *exec_xadd_Ev_Gv(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 src = reg_read(c, i->reg, sz);
    struct mem_rmw m;
    u64 dst, sum;

    if (i->prefixes & INSN_MEM) {
        dst = mem_rmw_begin(c, i, &m, sz);
        sum = (dst + src) & size_mask(sz);
        mem_rmw_end(c, &m, sz, sum);
        reg_write(c, i->reg, sz, dst);
    } else {
        /* SRC <- DEST first, then DEST <- sum: XADD r, r with one register leaves the sum. */
        dst = reg_read(c, i->rm, sz);
        sum = (dst + src) & size_mask(sz);
        reg_write(c, i->reg, sz, dst);
        reg_write(c, i->rm, sz, sum);
    }
    flags_set(c, FLAGS_OP_ADD, sz, sum, dst, src);
    return i + 1;
}

/* ---- CMPXCHG8B / CMPXCHG16B Mq / Mdq (0F C7 /1): only ZF changes ---- */

static void set_zf(struct cpu *c, bool is_zf)
{
    flags_materialize(c);
    if (is_zf)
        c->rflags |= RFLAGS_ZF;
    else
        c->rflags &= ~RFLAGS_ZF;
}

static const struct insn *exec_cmpxchg8b_Mq(struct cpu *c, const struct insn *i)
{
    struct mem_rmw m;
    u64 old = mem_rmw_begin(c, i, &m, SZ64);
    u64 cmp = (u32)c->gpr[R_AX] | ((u64)(u32)c->gpr[R_DX] << 32);
    bool is_eq = old == cmp;

    if (is_eq) {
        mem_rmw_end(c, &m, SZ64, (u32)c->gpr[R_BX] | ((u64)(u32)c->gpr[R_CX] << 32));
    } else {
        mem_rmw_end(c, &m, SZ64, old);
        c->gpr[R_AX] = (u32)old;
        c->gpr[R_DX] = old >> 32;
    }
    set_zf(c, is_eq);
    return i + 1;
}

static const struct insn *exec_cmpxchg16b_Mdq(struct cpu *c, const struct insn *i)
{
    u64 off, lin, lo, hi;
    u8 *p;
    bool is_eq;

    if (unlikely(!cpuid_has(c->cpuid, FEAT_CX16)))
        cpu_raise_ud(c);
    off = insn_ea(c, i);
    lin = cpu_linear(c, i->seg, off, 16, ACCESS_WRITE);
    if (lin & 15)
        cpu_raise_gp0(c);
    /* 16-byte aligned: one page, so the second half cannot fault once the first did not. */
    p = cpu_host_ptr(c, lin, 16, ACCESS_WRITE);
    if (p) {
        memcpy(&lo, p, 8);
        memcpy(&hi, p + 8, 8);
    } else {
        lo = cpu_read64(c, i->seg, off);
        hi = cpu_read64(c, i->seg, off + 8);
    }
    is_eq = lo == c->gpr[R_AX] && hi == c->gpr[R_DX];
    if (is_eq) {
        lo = c->gpr[R_BX];
        hi = c->gpr[R_CX];
    }
    if (p) {
        memcpy(p, &lo, 8);
        memcpy(p + 8, &hi, 8);
    } else {
        cpu_write64(c, i->seg, off, lo);
        cpu_write64(c, i->seg, off + 8, hi);
    }
    if (!is_eq) {
        c->gpr[R_AX] = lo;
        c->gpr[R_DX] = hi;
    }
    set_zf(c, is_eq);
    return i + 1;
}

static exec_fn *select_cmpxchg8b(const struct insn *i)
{
    return (i->prefixes & INSN_REXW) ? exec_cmpxchg16b_Mdq : exec_cmpxchg8b_Mq;
}

/* ---- MOVBE Gv, Mv / Mv, Gv (0F38 F0/F1) ---- */

static u64 bswap_sized(u64 v, unsigned size)
{
    switch (size) {
    case SZ16:
        return __builtin_bswap16((u16)v);
    case SZ32:
        return __builtin_bswap32((u32)v);
    default:
        return __builtin_bswap64(v);
    }
}

static const struct insn *exec_movbe_Gv_Mv(struct cpu *c, const struct insn *i)
{
    u64 v = cpu_read_sized(c, i->seg, insn_ea(c, i), i->opsize);

    reg_write(c, i->reg, i->opsize, bswap_sized(v, i->opsize));
    return i + 1;
}

static const struct insn *exec_movbe_Mv_Gv(struct cpu *c, const struct insn *i)
{
    cpu_write_sized(c, i->seg, insn_ea(c, i), i->opsize,
                    bswap_sized(reg_read(c, i->reg, i->opsize), i->opsize));
    return i + 1;
}

/* ---- Registration ---- */

void exec_mov_register(struct optable *t)
{
    static const struct op_entry mov_Eb_Gb = {
        "mov", OPF_MODRM | OPF_BYTE, NULL, select_mov_Eb_Gb, 0, 0};
    static const struct op_entry mov_Ev_Gv = {"mov", OPF_MODRM, NULL, select_mov_Ev_Gv, 0, 0};
    static const struct op_entry mov_Gb_Eb = {
        "mov", OPF_MODRM | OPF_BYTE, NULL, select_mov_Gb_Eb, 0, 0};
    static const struct op_entry mov_Gv_Ev = {"mov", OPF_MODRM, NULL, select_mov_Gv_Ev, 0, 0};
    static const struct op_entry mov_Eb_Ib = {
        "mov", OPF_MODRM | OPF_BYTE | OPF_UIMM8, NULL, select_mov_Ev_Iz, 0, 0};
    static const struct op_entry mov_Ev_Iz = {
        "mov", OPF_MODRM | OPF_IMMZ, NULL, select_mov_Ev_Iz, 0, 0};
    static const struct op_entry mov_Zb_Ib = {
        "mov", OPF_REG_IN_OP | OPF_BYTE | OPF_UIMM8, exec_mov_Zv_Iv, NULL, 0, 0};
    static const struct op_entry mov_Zv_Iv = {
        "mov", OPF_REG_IN_OP | OPF_IMMV, NULL, select_mov_Zv_Iv, 0, 0};
    static const struct op_entry mov_AL_Ob = {"mov", OPF_MOFFS | OPF_BYTE, exec_mov_AL_Ob, NULL, 0,
                                              0};
    static const struct op_entry mov_rAX_Ov = {"mov", OPF_MOFFS, exec_mov_AL_Ob, NULL, 0, 0};
    static const struct op_entry mov_Ob_AL = {"mov", OPF_MOFFS | OPF_BYTE, exec_mov_Ob_AL, NULL, 0,
                                              0};
    static const struct op_entry mov_Ov_rAX = {"mov", OPF_MOFFS, exec_mov_Ob_AL, NULL, 0, 0};
    static const struct op_entry movzx_Gv_Eb = {"movzx", OPF_MODRM, NULL, select_movzx_Gv_Eb, 0, 0};
    static const struct op_entry movzx_Gv_Ew = {"movzx", OPF_MODRM, NULL, select_movzx_Gv_Ew, 0, 0};
    static const struct op_entry movsx_Gv_Eb = {"movsx", OPF_MODRM, NULL, select_movsx, SZ8, 0};
    static const struct op_entry movsx_Gv_Ew = {"movsx", OPF_MODRM, NULL, select_movsx, SZ16, 0};
    static const struct op_entry movsxd_Gv_Ed = {"movsxd", OPF_MODRM, NULL, select_movsxd, SZ32, 0};
    static const struct op_entry lea = {"lea", OPF_MODRM | OPF_MEM_ONLY, NULL, select_lea, 0, 0};
    static const struct op_entry xchg_Eb_Gb = {
        "xchg", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, NULL, select_xchg_Ev_Gv, 0, 0};
    static const struct op_entry xchg_Ev_Gv = {
        "xchg", OPF_MODRM | OPF_LOCKABLE, NULL, select_xchg_Ev_Gv, 0, 0};
    static const struct op_entry xchg_Zv_rAX = {"xchg", OPF_REG_IN_OP, NULL, select_xchg_Zv_rAX, 0,
                                                0};
    static const struct op_entry cmpxchg_Eb_Gb = {
        "cmpxchg", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, exec_cmpxchg_Ev_Gv, NULL, 0, 0};
    static const struct op_entry cmpxchg_Ev_Gv = {
        "cmpxchg", OPF_MODRM | OPF_LOCKABLE, exec_cmpxchg_Ev_Gv, NULL, 0, 0};
    static const struct op_entry xadd_Eb_Gb = {
        "xadd", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, exec_xadd_Ev_Gv, NULL, 0, 0};
    static const struct op_entry xadd_Ev_Gv = {
        "xadd", OPF_MODRM | OPF_LOCKABLE, exec_xadd_Ev_Gv, NULL, 0, 0};
    static const struct op_entry cmpxchg8b = {
        "cmpxchg8b", OPF_MODRM | OPF_MEM_ONLY | OPF_LOCKABLE, NULL, select_cmpxchg8b, 0, FEAT_CX8};
    static const struct op_entry movbe_Gv_Mv = {
        "movbe", OPF_MODRM | OPF_MEM_ONLY, exec_movbe_Gv_Mv, NULL, 0, FEAT_MOVBE};
    static const struct op_entry movbe_Mv_Gv = {
        "movbe", OPF_MODRM | OPF_MEM_ONLY, exec_movbe_Mv_Gv, NULL, 0, FEAT_MOVBE};

    optable_set(t, MAP_1B, 0x88, &mov_Eb_Gb);
    optable_set(t, MAP_1B, 0x89, &mov_Ev_Gv);
    optable_set(t, MAP_1B, 0x8a, &mov_Gb_Eb);
    optable_set(t, MAP_1B, 0x8b, &mov_Gv_Ev);
    optable_set_group(t, MAP_1B, 0xc6, 0, &mov_Eb_Ib);
    optable_set_group(t, MAP_1B, 0xc7, 0, &mov_Ev_Iz);
    for (unsigned r = 0; r < 8; r++) {
        optable_set(t, MAP_1B, (u8)(0xb0 + r), &mov_Zb_Ib);
        optable_set(t, MAP_1B, (u8)(0xb8 + r), &mov_Zv_Iv);
        optable_set(t, MAP_1B, (u8)(0x90 + r), &xchg_Zv_rAX);
    }
    optable_set(t, MAP_1B, 0xa0, &mov_AL_Ob);
    optable_set(t, MAP_1B, 0xa1, &mov_rAX_Ov);
    optable_set(t, MAP_1B, 0xa2, &mov_Ob_AL);
    optable_set(t, MAP_1B, 0xa3, &mov_Ov_rAX);
    optable_set(t, MAP_0F, 0xb6, &movzx_Gv_Eb);
    optable_set(t, MAP_0F, 0xb7, &movzx_Gv_Ew);
    optable_set(t, MAP_0F, 0xbe, &movsx_Gv_Eb);
    optable_set(t, MAP_0F, 0xbf, &movsx_Gv_Ew);
    optable_set(t, MAP_1B, 0x63, &movsxd_Gv_Ed);
    optable_set(t, MAP_1B, 0x8d, &lea);
    optable_set(t, MAP_1B, 0x86, &xchg_Eb_Gb);
    optable_set(t, MAP_1B, 0x87, &xchg_Ev_Gv);
    optable_set(t, MAP_0F, 0xb0, &cmpxchg_Eb_Gb);
    optable_set(t, MAP_0F, 0xb1, &cmpxchg_Ev_Gv);
    optable_set(t, MAP_0F, 0xc0, &xadd_Eb_Gb);
    optable_set(t, MAP_0F, 0xc1, &xadd_Ev_Gv);
    optable_set_group(t, MAP_0F, 0xc7, 1, &cmpxchg8b);
    /* F2 0F38 F0/F1 is CRC32 (SSE4.2): the SSE family registers that row over this one with
     * optable_set_prefixed(). MOVBE itself is not a prefixed entry, so 66 keeps meaning a
     * 16-bit operand. */
    optable_set(t, MAP_0F38, 0xf0, &movbe_Gv_Mv);
    optable_set(t, MAP_0F38, 0xf1, &movbe_Mv_Gv);
}
