/* SPDX-License-Identifier: MIT */
/*
 * Stack instructions: PUSH/POP (50-5F, 68, 6A, FF /6, 8F /0), PUSH/POP Sreg, PUSHA/POPA, ENTER,
 * LEAVE (Intel SDM vol. 2 instruction pages; vol. 1 6.2 for the stack). RSP changes only
 * after every memory access of the instruction succeeded, so a fault restarts it cleanly.
 * PUSHF/POPF belong to the system family.
 */
#include "core/exec.h"
#include "core/optable.h"
#include "core/seg.h"

enum { R_AX, R_CX, R_DX, R_BX, R_SP, R_BP, R_SI, R_DI };

/* Stack offsets wrap at the stack-address size (SS.B, or 64 bits in 64-bit mode). */
static inline u64 stk_mask(const struct cpu *c)
{
    return size_mask(c->stack_size);
}

static inline void stk_set_sp(struct cpu *c, u64 sp)
{
    reg_write(c, R_SP, c->stack_size, sp);
}

static void stk_push(struct cpu *c, unsigned size, u64 v)
{
    u64 sp = (c->gpr[R_SP] - (1u << size)) & stk_mask(c);

    cpu_write_sized(c, SEG_SS, sp, size, v);
    stk_set_sp(c, sp);
}

/* The value on top of the stack; stk_release() then drops it. */
static u64 stk_peek(struct cpu *c, unsigned size)
{
    return cpu_read_sized(c, SEG_SS, c->gpr[R_SP] & stk_mask(c), size);
}

static void stk_release(struct cpu *c, unsigned size)
{
    stk_set_sp(c, (c->gpr[R_SP] + (1u << size)) & stk_mask(c));
}

/* 64-bit mode (the only place a 64-bit push or pop exists): flat SS, 64-bit RSP. */
static inline void push64(struct cpu *c, u64 v)
{
    u64 sp = c->gpr[R_SP] - 8;

    cpu_write64(c, SEG_SS, sp, v);
    c->gpr[R_SP] = sp;
}

/* ---- PUSH Zv (50+r), POP Zv (58+r) ---- */

static const struct insn *exec_push_Zq(struct cpu *c, const struct insn *i)
{
    push64(c, c->gpr[i->reg]);
    return i + 1;
}

static const struct insn *exec_push_Zv(struct cpu *c, const struct insn *i)
{
    stk_push(c, i->opsize, reg_read(c, i->reg, i->opsize));
    return i + 1;
}

/* POP RSP: the increment happens first, then RSP receives the popped value. */
static const struct insn *exec_pop_Zq(struct cpu *c, const struct insn *i)
{
    u64 sp = c->gpr[R_SP];
    u64 v = cpu_read64(c, SEG_SS, sp);

    c->gpr[R_SP] = sp + 8;
    c->gpr[i->reg] = v;
    return i + 1;
}

static const struct insn *exec_pop_Zv(struct cpu *c, const struct insn *i)
{
    u64 v = stk_peek(c, i->opsize);

    stk_release(c, i->opsize);
    reg_write(c, i->reg, i->opsize, v);
    return i + 1;
}

static exec_fn *select_push_Zv(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_push_Zq : exec_push_Zv;
}

static exec_fn *select_pop_Zv(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_pop_Zq : exec_pop_Zv;
}

/* ---- PUSH Iz (68), PUSH Ib (6A): the decoder sign-extended the immediate ---- */

static const struct insn *exec_push_Iq(struct cpu *c, const struct insn *i)
{
    push64(c, i->imm);
    return i + 1;
}

static const struct insn *exec_push_Iz(struct cpu *c, const struct insn *i)
{
    stk_push(c, i->opsize, i->imm & size_mask(i->opsize));
    return i + 1;
}

static exec_fn *select_push_Iz(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_push_Iq : exec_push_Iz;
}

/* ---- PUSH Ev (FF /6): the operand is read (its address computed) before RSP moves ---- */

static const struct insn *exec_push_Mq(struct cpu *c, const struct insn *i)
{
    push64(c, cpu_read64(c, i->seg, insn_ea(c, i)));
    return i + 1;
}

static const struct insn *exec_push_Ev(struct cpu *c, const struct insn *i)
{
    stk_push(c, i->opsize, rm_read(c, i, i->opsize));
    return i + 1;
}

static exec_fn *select_push_Ev(const struct insn *i)
{
    return (i->opsize == SZ64 && (i->prefixes & INSN_MEM)) ? exec_push_Mq : exec_push_Ev;
}

/* ---- POP Ev (8F /0): a memory destination based on RSP uses RSP after the increment
 * (SDM "POP"); RSP is committed only once the store succeeded ---- */

static const struct insn *exec_pop_Ev(struct cpu *c, const struct insn *i)
{
    u64 v = stk_peek(c, i->opsize);
    u64 old_sp, new_sp, ea;

    if (!(i->prefixes & INSN_MEM)) {
        stk_release(c, i->opsize);
        reg_write(c, i->rm, i->opsize, v);
        return i + 1;
    }
    old_sp = c->gpr[R_SP];
    stk_release(c, i->opsize);
    new_sp = c->gpr[R_SP];
    ea = insn_ea(c, i);
    c->gpr[R_SP] = old_sp;
    cpu_write_sized(c, i->seg, ea, i->opsize, v);
    c->gpr[R_SP] = new_sp;
    return i + 1;
}

/* ---- PUSH ES/CS/SS/DS (06, 0E, 16, 1E), FS/GS (0F A0, 0F A8): the selector zero-extended
 * to the operand size. The SDM ("PUSH") lets recent Intel cores write only the low 16 bits
 * and leave the rest of the slot unmodified; AMD (APM vol. 3 "PUSH") and the hosts the
 * differential tests run on write the whole slot, which is what is done here ---- */

static const struct insn *exec_push_Sw(struct cpu *c, const struct insn *i)
{
    stk_push(c, i->opsize, c->seg[i->aux].sel);
    return i + 1;
}

/* POP ES/SS/DS (07, 17, 1F) and FS/GS (0F A1, 0F A9): the segment load (with its checks,
 * core/seg.c) comes before RSP moves, so a faulting load leaves RSP as it was. RSP moves at
 * the stack size in force before a POP SS. POP SS blocks interrupts for one instruction, as
 * MOV SS does (SDM vol. 3 6.8.3). */
static const struct insn *exec_pop_Sw(struct cpu *c, const struct insn *i)
{
    unsigned ssz = c->stack_size;
    u64 sp = c->gpr[R_SP];
    u64 v = stk_peek(c, i->opsize);

    seg_load(c, i->aux, (u16)v);
    reg_write(c, R_SP, ssz, (sp + (1u << i->opsize)) & size_mask(ssz));
    if (i->aux == SEG_SS)
        c->intr_shadow = 1;
    return i + 1;
}

/* ---- PUSHA/POPA (60/61, not in 64-bit mode) ---- */

static const struct insn *exec_pusha(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 bytes = 1u << sz;
    u64 sp = c->gpr[R_SP];

    /* Order: rAX rCX rDX rBX, the original rSP, rBP rSI rDI. */
    for (unsigned r = R_AX; r <= R_DI; r++) {
        sp = (sp - bytes) & stk_mask(c);
        cpu_write_sized(c, SEG_SS, sp, sz, reg_read(c, r, sz));
    }
    stk_set_sp(c, sp);
    return i + 1;
}

static const struct insn *exec_popa(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 bytes = 1u << sz;
    u64 sp = c->gpr[R_SP];
    u64 v[8];

    for (int r = R_DI; r >= R_AX; r--) {
        v[r] = cpu_read_sized(c, SEG_SS, sp & stk_mask(c), sz);
        sp += bytes;
    }
    for (unsigned r = R_AX; r <= R_DI; r++) {
        if (r != R_SP) /* the stored rSP is skipped */
            reg_write(c, r, sz, v[r]);
    }
    stk_set_sp(c, sp & stk_mask(c));
    return i + 1;
}

/* ---- ENTER Iw, Ib (C8): frame of Iw bytes at nesting level Ib mod 32 (SDM "ENTER") ---- */

static const struct insn *exec_enter_Iw_Ib(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 bytes = 1u << sz;
    u64 mask = stk_mask(c);
    unsigned level = i->imm2 & 31;
    u64 sp = (c->gpr[R_SP] - bytes) & mask;
    u64 frame;

    cpu_write_sized(c, SEG_SS, sp, sz, reg_read(c, R_BP, sz));
    frame = sp;
    if (level > 0) {
        u64 bp = c->gpr[R_BP];

        /* Copy the outer frames' pointers, then push this frame's. */
        for (unsigned k = 1; k < level; k++) {
            u64 v;

            bp = (bp - bytes) & mask;
            v = cpu_read_sized(c, SEG_SS, bp, sz);
            sp = (sp - bytes) & mask;
            cpu_write_sized(c, SEG_SS, sp, sz, v);
        }
        sp = (sp - bytes) & mask;
        cpu_write_sized(c, SEG_SS, sp, sz, frame);
    }
    if (c->stack_size == SZ64)
        c->gpr[R_BP] = frame;
    else
        reg_write(c, R_BP, sz, frame);
    stk_set_sp(c, (sp - (i->imm & 0xffff)) & mask);
    return i + 1;
}

/* ---- LEAVE (C9): rSP <- rBP, then pop rBP ---- */

static const struct insn *exec_leave_64(struct cpu *c, const struct insn *i)
{
    u64 bp = c->gpr[R_BP];
    u64 v = cpu_read64(c, SEG_SS, bp);

    c->gpr[R_SP] = bp + 8;
    c->gpr[R_BP] = v;
    return i + 1;
}

static const struct insn *exec_leave(struct cpu *c, const struct insn *i)
{
    u64 sp = c->gpr[R_BP] & stk_mask(c);
    u64 v = cpu_read_sized(c, SEG_SS, sp, i->opsize);

    stk_set_sp(c, (sp + (1u << i->opsize)) & stk_mask(c));
    reg_write(c, R_BP, i->opsize, v);
    return i + 1;
}

static exec_fn *select_leave(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_leave_64 : exec_leave;
}

/* ---- Registration ---- */

void exec_stack_register(struct optable *t)
{
    static const struct op_entry push_Zv = {
        "push", OPF_REG_IN_OP | OPF_DEF64, NULL, select_push_Zv, 0, 0};
    static const struct op_entry pop_Zv = {"pop", OPF_REG_IN_OP | OPF_DEF64, NULL, select_pop_Zv, 0,
                                           0};
    static const struct op_entry push_Iz = {"push", OPF_IMMZ | OPF_DEF64, NULL, select_push_Iz, 0,
                                            0};
    static const struct op_entry push_Ib = {"push", OPF_IMM8 | OPF_DEF64, NULL, select_push_Iz, 0,
                                            0};
    static const struct op_entry push_Ev = {"push", OPF_MODRM | OPF_DEF64, NULL, select_push_Ev, 0,
                                            0};
    static const struct op_entry pop_Ev = {"pop", OPF_MODRM | OPF_DEF64, exec_pop_Ev, NULL, 0, 0};
    static const struct op_entry push_FS = {"push", OPF_DEF64, exec_push_Sw, NULL, SEG_FS, 0};
    static const struct op_entry push_GS = {"push", OPF_DEF64, exec_push_Sw, NULL, SEG_GS, 0};
    static const struct op_entry pop_FS = {"pop", OPF_DEF64, exec_pop_Sw, NULL, SEG_FS, 0};
    static const struct op_entry push_sreg[4] = {
        {"push", OPF_NO64, exec_push_Sw, NULL, SEG_ES, 0},
        {"push", OPF_NO64, exec_push_Sw, NULL, SEG_CS, 0},
        {"push", OPF_NO64, exec_push_Sw, NULL, SEG_SS, 0},
        {"push", OPF_NO64, exec_push_Sw, NULL, SEG_DS, 0},
    };
    static const struct op_entry pop_ES = {"pop", OPF_NO64, exec_pop_Sw, NULL, SEG_ES, 0};
    static const struct op_entry pop_SS = {"pop", OPF_NO64 | OPF_ENDS, exec_pop_Sw, NULL, SEG_SS,
                                           0};
    static const struct op_entry pop_DS = {"pop", OPF_NO64, exec_pop_Sw, NULL, SEG_DS, 0};
    static const struct op_entry pop_GS = {"pop", OPF_DEF64, exec_pop_Sw, NULL, SEG_GS, 0};
    static const struct op_entry pusha = {"pusha", OPF_NO64, exec_pusha, NULL, 0, 0};
    static const struct op_entry popa = {"popa", OPF_NO64, exec_popa, NULL, 0, 0};
    static const struct op_entry enter = {"enter", OPF_ENTER | OPF_DEF64, exec_enter_Iw_Ib, NULL, 0,
                                          0};
    static const struct op_entry leave = {"leave", OPF_DEF64, NULL, select_leave, 0, 0};

    for (unsigned r = 0; r < 8; r++) {
        optable_set(t, MAP_1B, (u8)(0x50 + r), &push_Zv);
        optable_set(t, MAP_1B, (u8)(0x58 + r), &pop_Zv);
    }
    optable_set(t, MAP_1B, 0x68, &push_Iz);
    optable_set(t, MAP_1B, 0x6a, &push_Ib);
    optable_set_group(t, MAP_1B, 0xff, 6, &push_Ev);
    optable_set_group(t, MAP_1B, 0x8f, 0, &pop_Ev);
    optable_set(t, MAP_0F, 0xa0, &push_FS);
    optable_set(t, MAP_0F, 0xa8, &push_GS);
    optable_set(t, MAP_0F, 0xa1, &pop_FS);
    optable_set(t, MAP_0F, 0xa9, &pop_GS);
    for (unsigned k = 0; k < 4; k++) /* 06 0E 16 1E */
        optable_set(t, MAP_1B, (u8)(0x06 + 8 * k), &push_sreg[k]);
    optable_set(t, MAP_1B, 0x07, &pop_ES); /* 0F is the two-byte escape, not POP CS */
    optable_set(t, MAP_1B, 0x17, &pop_SS);
    optable_set(t, MAP_1B, 0x1f, &pop_DS);
    optable_set(t, MAP_1B, 0x60, &pusha);
    optable_set(t, MAP_1B, 0x61, &popa);
    optable_set(t, MAP_1B, 0xc8, &enter);
    optable_set(t, MAP_1B, 0xc9, &leave);
}
