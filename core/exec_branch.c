/* SPDX-License-Identifier: MIT */
/*
 * Near branches: Jcc, JMP, CALL, RET, LOOP/LOOPE/LOOPNE, JCXZ/JECXZ/JRCXZ (Intel SDM vol. 2
 * instruction pages; vol. 1 6.3 for near calls and returns). Far forms and IRET belong to the
 * system family. In 64-bit mode near branches have a 64-bit operand size whatever a 66 prefix
 * says: Intel ignores 66 there (AMD honours it); we follow Intel (OPF_FORCE64).
 */
#include "core/exec.h"
#include "core/optable.h"
#include "core/system.h"

#define R_CX 1
#define R_SP 4

/*
 * The condition of a Jcc against the lazy flags. ZF and SF come from the recorded result for
 * every recorded operation (ADD .. CO, core/flags.h), which covers the JE/JNE/JS/JNS after
 * ADD, INC, DEC, shifts...; flags_cond() has CMP/SUB and TEST inline and calls cpu_cond()
 * for the rest.
 */
static inline bool br_cond(const struct cpu *c, enum cond_code cc)
{
    u32 op = c->lazy.op;

    if ((cc == CC_E || cc == CC_NE || cc == CC_S || cc == CC_NS) && (op & 0xff) >= FLAGS_OP_ADD &&
        (op & 0xff) <= FLAGS_OP_CO) {
        i64 r = (i64)(c->lazy.res << flags_lazy_shift(op));

        switch (cc) {
        case CC_E:
            return r == 0;
        case CC_NE:
            return r != 0;
        case CC_S:
            return r < 0;
        default:
            return r >= 0;
        }
    }
    return flags_cond(c, cc);
}

/* 64-bit mode: #GP(0) for a non-canonical target (SDM "JMP", "CALL", "RET": the fault is
 * raised by the branch, which has not changed RSP yet). */
static inline u64 br_canonical(struct cpu *c, u64 t)
{
    unsigned sh = (c->cr4 & CR4_LA57) ? 7 : 16;

    if (unlikely((u64)((i64)(t << sh) >> sh) != t))
        cpu_raise_gp0(c);
    return t;
}

/* Any mode: the target truncated to the operand size, checked against the CS limit (outside
 * 64-bit mode) or for canonical form (in it). */
static u64 br_target(struct cpu *c, u64 t, unsigned opsize)
{
    if (c->mode == CPU_MODE_LONG64)
        return br_canonical(c, t);
    t &= size_mask(opsize);
    if (unlikely(t > c->seg[SEG_CS].limit))
        cpu_raise_gp0(c);
    return t;
}

/* A relative target: already absolute, and in 64-bit mode (operand size 64) nothing to check. */
static inline u64 br_rel_target(struct cpu *c, const struct insn *i)
{
    if (likely(i->opsize == SZ64))
        return i->imm;
    return br_target(c, i->imm, i->opsize);
}

/* Stack accesses at the stack-address size (SS.B, or 64 bits in 64-bit mode); RSP changes
 * only after the access succeeded, so a faulting instruction can be restarted. */
static void stk_push(struct cpu *c, unsigned size, u64 v)
{
    u64 sp = (c->gpr[R_SP] - (1u << size)) & size_mask(c->stack_size);

    cpu_write_sized(c, SEG_SS, sp, size, v);
    reg_write(c, R_SP, c->stack_size, sp);
}

static u64 stk_peek(struct cpu *c, unsigned size)
{
    return cpu_read_sized(c, SEG_SS, c->gpr[R_SP] & size_mask(c->stack_size), size);
}

static void stk_release(struct cpu *c, u64 bytes)
{
    reg_write(c, R_SP, c->stack_size, (c->gpr[R_SP] + bytes) & size_mask(c->stack_size));
}

/* ---- Jcc rel8 / rel16/32 (70-7F, 0F 80-8F): insn.imm is the absolute target ---- */

#define JCC_HANDLERS(cc)                                                                           \
    static const struct insn *exec_j##cc##_Jz_64(struct cpu *c, const struct insn *i)              \
    {                                                                                              \
        if (!br_cond(c, CC_##cc))                                                                  \
            return i + 1;                                                                          \
        c->rip = i->imm;                                                                           \
        return NULL;                                                                               \
    }                                                                                              \
    static const struct insn *exec_j##cc##_Jz(struct cpu *c, const struct insn *i)                 \
    {                                                                                              \
        if (!br_cond(c, CC_##cc))                                                                  \
            return i + 1;                                                                          \
        c->rip = br_target(c, i->imm, i->opsize);                                                  \
        return NULL;                                                                               \
    }

JCC_HANDLERS(O)
JCC_HANDLERS(NO)
JCC_HANDLERS(B)
JCC_HANDLERS(AE)
JCC_HANDLERS(E)
JCC_HANDLERS(NE)
JCC_HANDLERS(BE)
JCC_HANDLERS(A)
JCC_HANDLERS(S)
JCC_HANDLERS(NS)
JCC_HANDLERS(P)
JCC_HANDLERS(NP)
JCC_HANDLERS(L)
JCC_HANDLERS(GE)
JCC_HANDLERS(LE)
JCC_HANDLERS(G)

#define JCC_PAIR(cc)                                                                               \
    {                                                                                              \
        exec_j##cc##_Jz_64, exec_j##cc##_Jz                                                        \
    }

static exec_fn *const jcc_handlers[16][2] = {
    JCC_PAIR(O),  JCC_PAIR(NO), JCC_PAIR(B),  JCC_PAIR(AE), JCC_PAIR(E), JCC_PAIR(NE),
    JCC_PAIR(BE), JCC_PAIR(A),  JCC_PAIR(S),  JCC_PAIR(NS), JCC_PAIR(P), JCC_PAIR(NP),
    JCC_PAIR(L),  JCC_PAIR(GE), JCC_PAIR(LE), JCC_PAIR(G),
};

/* The operand size is 64 only in 64-bit mode (OPF_FORCE64), where a relative target needs
 * neither truncation nor a limit check. */
static exec_fn *select_jcc(const struct insn *i)
{
    return jcc_handlers[i->aux & 15][i->opsize == SZ64 ? 0 : 1];
}

/* ---- LOOP, LOOPE, LOOPNE (E2, E1, E0), JrCXZ (E3): the count register has the address
 * size; flags are not changed ---- */

static const struct insn *exec_loop_Jb(struct cpu *c, const struct insn *i)
{
    u64 n = (c->gpr[R_CX] - 1) & size_mask(i->asize);

    reg_write(c, R_CX, i->asize, n);
    if (!n)
        return i + 1;
    c->rip = br_rel_target(c, i);
    return NULL;
}

static const struct insn *exec_loope_Jb(struct cpu *c, const struct insn *i)
{
    u64 n = (c->gpr[R_CX] - 1) & size_mask(i->asize);

    reg_write(c, R_CX, i->asize, n);
    if (!n || !br_cond(c, CC_E))
        return i + 1;
    c->rip = br_rel_target(c, i);
    return NULL;
}

static const struct insn *exec_loopne_Jb(struct cpu *c, const struct insn *i)
{
    u64 n = (c->gpr[R_CX] - 1) & size_mask(i->asize);

    reg_write(c, R_CX, i->asize, n);
    if (!n || br_cond(c, CC_E))
        return i + 1;
    c->rip = br_rel_target(c, i);
    return NULL;
}

static const struct insn *exec_jrcxz_Jb(struct cpu *c, const struct insn *i)
{
    if (c->gpr[R_CX] & size_mask(i->asize))
        return i + 1;
    c->rip = br_rel_target(c, i);
    return NULL;
}

/* ---- JMP rel (EB, E9), JMP Ev (FF /4) ---- */

static const struct insn *exec_jmp_Jz_64(struct cpu *c, const struct insn *i)
{
    c->rip = i->imm;
    return NULL;
}

static const struct insn *exec_jmp_Jz(struct cpu *c, const struct insn *i)
{
    c->rip = br_target(c, i->imm, i->opsize);
    return NULL;
}

static exec_fn *select_jmp_Jz(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_jmp_Jz_64 : exec_jmp_Jz;
}

static const struct insn *exec_jmp_Rq(struct cpu *c, const struct insn *i)
{
    c->rip = br_canonical(c, c->gpr[i->rm]);
    return NULL;
}

static const struct insn *exec_jmp_Mq(struct cpu *c, const struct insn *i)
{
    c->rip = br_canonical(c, cpu_read64(c, i->seg, insn_ea(c, i)));
    return NULL;
}

static const struct insn *exec_jmp_Ev(struct cpu *c, const struct insn *i)
{
    c->rip = br_target(c, rm_read(c, i, i->opsize), i->opsize);
    return NULL;
}

static exec_fn *select_jmp_Ev(const struct insn *i)
{
    if (i->opsize != SZ64)
        return exec_jmp_Ev;
    return (i->prefixes & INSN_MEM) ? exec_jmp_Mq : exec_jmp_Rq;
}

/* ---- CALL rel (E8), CALL Ev (FF /2): the target is read and checked before the push ---- */

static inline void push64(struct cpu *c, u64 v)
{
    u64 sp = c->gpr[R_SP] - 8;

    cpu_write64(c, SEG_SS, sp, v);
    c->gpr[R_SP] = sp;
}

static const struct insn *exec_call_Jz_64(struct cpu *c, const struct insn *i)
{
    push64(c, insn_next_rip(c, i));
    c->rip = i->imm;
    return NULL;
}

static const struct insn *exec_call_Jz(struct cpu *c, const struct insn *i)
{
    u64 t = br_target(c, i->imm, i->opsize);

    stk_push(c, i->opsize, insn_next_rip(c, i));
    c->rip = t;
    return NULL;
}

static exec_fn *select_call_Jz(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_call_Jz_64 : exec_call_Jz;
}

static const struct insn *exec_call_Rq(struct cpu *c, const struct insn *i)
{
    u64 t = br_canonical(c, c->gpr[i->rm]);

    push64(c, insn_next_rip(c, i));
    c->rip = t;
    return NULL;
}

static const struct insn *exec_call_Mq(struct cpu *c, const struct insn *i)
{
    u64 t = br_canonical(c, cpu_read64(c, i->seg, insn_ea(c, i)));

    push64(c, insn_next_rip(c, i));
    c->rip = t;
    return NULL;
}

static const struct insn *exec_call_Ev(struct cpu *c, const struct insn *i)
{
    u64 t = br_target(c, rm_read(c, i, i->opsize), i->opsize);

    stk_push(c, i->opsize, insn_next_rip(c, i));
    c->rip = t;
    return NULL;
}

static exec_fn *select_call_Ev(const struct insn *i)
{
    if (i->opsize != SZ64)
        return exec_call_Ev;
    return (i->prefixes & INSN_MEM) ? exec_call_Mq : exec_call_Rq;
}

/* ---- RET (C3), RET Iw (C2): pop, then release Iw more bytes ---- */

static const struct insn *exec_ret_64(struct cpu *c, const struct insn *i)
{
    u64 sp = c->gpr[R_SP];
    u64 t = br_canonical(c, cpu_read64(c, SEG_SS, sp));

    c->gpr[R_SP] = sp + 8 + i->imm;
    c->rip = t;
    return NULL;
}

static const struct insn *exec_ret(struct cpu *c, const struct insn *i)
{
    u64 t = br_target(c, stk_peek(c, i->opsize), i->opsize);

    stk_release(c, (1u << i->opsize) + i->imm);
    c->rip = t;
    return NULL;
}

static exec_fn *select_ret(const struct insn *i)
{
    return i->opsize == SZ64 ? exec_ret_64 : exec_ret;
}

/* ---- Registration ---- */

#define JCC_ENTRY(name, cc, flags)                                                                 \
    {                                                                                              \
        "j" #name, (flags) | OPF_FORCE64, NULL, select_jcc, CC_##cc, 0                             \
    }
#define JCC_ROW(flags)                                                                             \
    JCC_ENTRY(o, O, flags), JCC_ENTRY(no, NO, flags), JCC_ENTRY(b, B, flags),                      \
        JCC_ENTRY(ae, AE, flags), JCC_ENTRY(e, E, flags), JCC_ENTRY(ne, NE, flags),                \
        JCC_ENTRY(be, BE, flags), JCC_ENTRY(a, A, flags), JCC_ENTRY(s, S, flags),                  \
        JCC_ENTRY(ns, NS, flags), JCC_ENTRY(p, P, flags), JCC_ENTRY(np, NP, flags),                \
        JCC_ENTRY(l, L, flags), JCC_ENTRY(ge, GE, flags), JCC_ENTRY(le, LE, flags),                \
        JCC_ENTRY(g, G, flags)

void exec_branch_register(struct optable *t)
{
    static const struct op_entry jcc_Jb[16] = {JCC_ROW(OPF_REL8)};
    static const struct op_entry jcc_Jz[16] = {JCC_ROW(OPF_RELZ)};
    static const struct op_entry loopne = {
        "loopne", OPF_REL8 | OPF_FORCE64, exec_loopne_Jb, NULL, 0, 0};
    static const struct op_entry loope = {"loope", OPF_REL8 | OPF_FORCE64, exec_loope_Jb, NULL, 0,
                                          0};
    static const struct op_entry loop = {"loop", OPF_REL8 | OPF_FORCE64, exec_loop_Jb, NULL, 0, 0};
    static const struct op_entry jrcxz = {"jrcxz", OPF_REL8 | OPF_FORCE64, exec_jrcxz_Jb, NULL, 0,
                                          0};
    static const struct op_entry jmp_Jb = {
        "jmp", OPF_REL8 | OPF_FORCE64 | OPF_ENDS, NULL, select_jmp_Jz, 0, 0};
    static const struct op_entry jmp_Jz = {
        "jmp", OPF_RELZ | OPF_FORCE64 | OPF_ENDS, NULL, select_jmp_Jz, 0, 0};
    static const struct op_entry call_Jz = {
        "call", OPF_RELZ | OPF_FORCE64 | OPF_ENDS, NULL, select_call_Jz, 0, 0};
    static const struct op_entry ret = {"ret", OPF_FORCE64 | OPF_ENDS, NULL, select_ret, 0, 0};
    static const struct op_entry ret_Iw = {
        "ret", OPF_IMM16 | OPF_FORCE64 | OPF_ENDS, NULL, select_ret, 0, 0};
    static const struct op_entry call_Ev = {
        "call", OPF_MODRM | OPF_FORCE64 | OPF_ENDS, NULL, select_call_Ev, 0, 0};
    static const struct op_entry jmp_Ev = {
        "jmp", OPF_MODRM | OPF_FORCE64 | OPF_ENDS, NULL, select_jmp_Ev, 0, 0};

    for (unsigned cc = 0; cc < 16; cc++) {
        optable_set(t, MAP_1B, (u8)(0x70 + cc), &jcc_Jb[cc]);
        optable_set(t, MAP_0F, (u8)(0x80 + cc), &jcc_Jz[cc]);
    }
    optable_set(t, MAP_1B, 0xe0, &loopne);
    optable_set(t, MAP_1B, 0xe1, &loope);
    optable_set(t, MAP_1B, 0xe2, &loop);
    optable_set(t, MAP_1B, 0xe3, &jrcxz);
    optable_set(t, MAP_1B, 0xeb, &jmp_Jb);
    optable_set(t, MAP_1B, 0xe9, &jmp_Jz);
    optable_set(t, MAP_1B, 0xe8, &call_Jz);
    optable_set(t, MAP_1B, 0xc3, &ret);
    optable_set(t, MAP_1B, 0xc2, &ret_Iw);
    optable_set_group(t, MAP_1B, 0xff, 2, &call_Ev);
    optable_set_group(t, MAP_1B, 0xff, 4, &jmp_Ev);
}
