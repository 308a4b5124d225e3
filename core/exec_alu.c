/* SPDX-License-Identifier: MIT */
/*
 * Integer ALU: ADD OR ADC SBB AND SUB XOR CMP (00-3D, 80-83), TEST (84 85 A8 A9, F6/F7 /0 /1),
 * INC DEC (FE/FF /0 /1; 40-4F outside 64-bit mode), NOT NEG (F6/F7 /2 /3). Intel SDM vol. 2,
 * flags vol. 1 3.4.3. One handler per operation, form and size, chosen at decode time; a LOCK
 * prefix needs nothing more than the ordinary read-modify-write (one host thread runs all vCPUs).
 */
#include "core/exec.h"
#include "core/optable.h"

#include <string.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))
/* Handlers inline everything on their fast path (the inline memory and flag helpers too: the
 * compiler's unit-growth limit would otherwise leave them as calls in a file this size). */
#define HANDLER static __attribute__((flatten)) const struct insn *

/* Binary operations, numbered as ModRM.reg of group 80-83 and bits 5:3 of opcodes 00-3D. */
enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };

/* Unary operations. */
enum un_op { UN_INC, UN_DEC, UN_NOT, UN_NEG };

/* The result; reads CF for ADC/SBB, so it must run before the flags are replaced. */
ALWAYS_INLINE u64 alu_calc(const struct cpu *c, enum alu_op op, u64 a, u64 b)
{
    switch (op) {
    case ALU_ADD:
        return a + b;
    case ALU_OR:
        return a | b;
    case ALU_ADC:
        return a + b + flags_carry(c);
    case ALU_SBB:
        return a - b - flags_carry(c);
    case ALU_AND:
    case ALU_TEST:
        return a & b;
    case ALU_XOR:
        return a ^ b;
    default: /* SUB, CMP */
        return a - b;
    }
}

ALWAYS_INLINE void alu_flags(struct cpu *c, enum alu_op op, unsigned s, u64 r, u64 a, u64 b)
{
    switch (op) {
    case ALU_ADD:
        flags_set(c, FLAGS_OP_ADD, s, r, a, b);
        break;
    case ALU_ADC:
        flags_set(c, FLAGS_OP_ADC, s, r, a, b);
        break;
    case ALU_SBB:
        flags_set(c, FLAGS_OP_SBB, s, r, a, b);
        break;
    case ALU_SUB:
    case ALU_CMP:
        flags_set(c, FLAGS_OP_SUB, s, r, a, b);
        break;
    default: /* OR AND XOR TEST: CF = OF = 0, AF undefined (0 here, as on the host) */
        flags_set_logic(c, s, r);
        break;
    }
}

ALWAYS_INLINE bool alu_writes(enum alu_op op)
{
    return op != ALU_CMP && op != ALU_TEST;
}

/* Register destination @d. */
ALWAYS_INLINE void alu_reg(struct cpu *c, enum alu_op op, unsigned s, unsigned d, u64 b)
{
    u64 a = reg_read(c, d, s);
    u64 r = alu_calc(c, op, a, b);

    alu_flags(c, op, s, r, a, b);
    if (alu_writes(op))
        reg_write(c, d, s, r);
}

/* A memory destination that crosses a page or is MMIO (out of line: one copy for all). */
static EMU_NOINLINE void alu_mem_slow(struct cpu *c, const struct insn *i, enum alu_op op,
                                      unsigned s, u64 ea, u64 b)
{
    u64 a = cpu_read_sized(c, i->seg, ea, s);
    u64 r = alu_calc(c, op, a, b);

    cpu_write_sized(c, i->seg, ea, s, r);
    alu_flags(c, op, s, r, a, b);
}

/* Memory destination: the store happens before the flags change, so a faulting store leaves
 * the flags (and CF for a restarted ADC/SBB) intact. */
ALWAYS_INLINE void alu_mem(struct cpu *c, const struct insn *i, enum alu_op op, unsigned s, u64 b)
{
    u64 ea = insn_ea(c, i);
    u64 a, r;

    if (!alu_writes(op)) {
        a = cpu_read_sized(c, i->seg, ea, s);
        r = alu_calc(c, op, a, b);
    } else {
        u8 *p = cpu_rmw_ptr(c, i->seg, ea, 1u << s);

        if (unlikely(!p)) {
            alu_mem_slow(c, i, op, s, ea, b);
            return;
        }
        a = host_load(p, s);
        r = alu_calc(c, op, a, b);
        host_store(p, s, r);
    }
    alu_flags(c, op, s, r, a, b);
}

/* Handlers. Sizes are log2 bytes; 8-bit forms use the Eb/Gb/Ib operands of the same row. */
#define DEF_EG(op, OP, S, bits)                                                                    \
    HANDLER exec_##op##_Ev_Gv_r##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_reg(c, OP, S, i->rm, reg_read(c, i->reg, S));                                          \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_Gv_m##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_mem(c, i, OP, S, reg_read(c, i->reg, S));                                              \
        return i + 1;                                                                              \
    }

#define DEF_GE(op, OP, S, bits)                                                                    \
    HANDLER exec_##op##_Gv_Ev_r##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_reg(c, OP, S, i->reg, reg_read(c, i->rm, S));                                          \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Gv_Ev_m##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_reg(c, OP, S, i->reg, cpu_read_sized(c, i->seg, insn_ea(c, i), S));                    \
        return i + 1;                                                                              \
    }

#define DEF_EI(op, OP, S, bits)                                                                    \
    HANDLER exec_##op##_Ev_Iz_r##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_reg(c, OP, S, i->rm, i->imm);                                                          \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_Iz_m##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_mem(c, i, OP, S, i->imm);                                                              \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_rAX_Iz_##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        alu_reg(c, OP, S, 0, i->imm);                                                              \
        return i + 1;                                                                              \
    }

#define DEF_SIZES(DEF, op, OP)                                                                     \
    DEF(op, OP, SZ8, 8)                                                                            \
    DEF(op, OP, SZ16, 16)                                                                          \
    DEF(op, OP, SZ32, 32)                                                                          \
    DEF(op, OP, SZ64, 64)

/* Tables [memory operand][size] and [size]. */
#define TABLE_RM(op, form)                                                                         \
    static exec_fn *const op##_##form##_fns[2][4] = {                                              \
        {exec_##op##_##form##_r8, exec_##op##_##form##_r16, exec_##op##_##form##_r32,              \
         exec_##op##_##form##_r64},                                                                \
        {exec_##op##_##form##_m8, exec_##op##_##form##_m16, exec_##op##_##form##_m32,              \
         exec_##op##_##form##_m64},                                                                \
    };

#define TABLE_AX(op)                                                                               \
    static exec_fn *const op##_rAX_Iz_fns[4] = {exec_##op##_rAX_Iz_8, exec_##op##_rAX_Iz_16,       \
                                                exec_##op##_rAX_Iz_32, exec_##op##_rAX_Iz_64};

static inline exec_fn *pick_rm(exec_fn *const fns[2][4], const struct insn *i)
{
    return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];
}

#define DEF_BINARY(op, OP)                                                                         \
    DEF_SIZES(DEF_EG, op, OP)                                                                      \
    DEF_SIZES(DEF_GE, op, OP)                                                                      \
    DEF_SIZES(DEF_EI, op, OP)                                                                      \
    TABLE_RM(op, Ev_Gv)                                                                            \
    TABLE_RM(op, Gv_Ev)                                                                            \
    TABLE_RM(op, Ev_Iz)                                                                            \
    TABLE_AX(op)                                                                                   \
    static exec_fn *select_##op##_Ev_Gv(const struct insn *i)                                      \
    {                                                                                              \
        return pick_rm(op##_Ev_Gv_fns, i);                                                         \
    }                                                                                              \
    static exec_fn *select_##op##_Gv_Ev(const struct insn *i)                                      \
    {                                                                                              \
        return pick_rm(op##_Gv_Ev_fns, i);                                                         \
    }                                                                                              \
    static exec_fn *select_##op##_Ev_Iz(const struct insn *i)                                      \
    {                                                                                              \
        return pick_rm(op##_Ev_Iz_fns, i);                                                         \
    }                                                                                              \
    static exec_fn *select_##op##_rAX_Iz(const struct insn *i)                                     \
    {                                                                                              \
        return op##_rAX_Iz_fns[i->opsize & 3];                                                     \
    }

DEF_BINARY(add, ALU_ADD)
DEF_BINARY(or, ALU_OR)
DEF_BINARY(adc, ALU_ADC)
DEF_BINARY(sbb, ALU_SBB)
DEF_BINARY(and, ALU_AND)
DEF_BINARY(sub, ALU_SUB)
DEF_BINARY(xor, ALU_XOR)
DEF_BINARY(cmp, ALU_CMP)

/* TEST: Ev,Gv (84 85), Ev,Iz (F6/F7 /0 /1), rAX,Iz (A8 A9). */
DEF_SIZES(DEF_EG, test, ALU_TEST)
DEF_SIZES(DEF_EI, test, ALU_TEST)
TABLE_RM(test, Ev_Gv)
TABLE_RM(test, Ev_Iz)
TABLE_AX(test)

static exec_fn *select_test_Ev_Gv(const struct insn *i)
{
    return pick_rm(test_Ev_Gv_fns, i);
}

static exec_fn *select_test_Ev_Iz(const struct insn *i)
{
    return pick_rm(test_Ev_Iz_fns, i);
}

static exec_fn *select_test_rAX_Iz(const struct insn *i)
{
    return test_rAX_Iz_fns[i->opsize & 3];
}

/* Zeroing idioms (xor r32, r32 is 4% of user instructions): the result does not depend on
 * the register. SUB r, r leaves the same flags as SUB 0, 0. */
HANDLER exec_xor_zero_r32(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = 0;
    flags_set_logic(c, SZ32, 0);
    return i + 1;
}

HANDLER exec_xor_zero_r64(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = 0;
    flags_set_logic(c, SZ64, 0);
    return i + 1;
}

HANDLER exec_sub_zero_r32(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = 0;
    flags_set(c, FLAGS_OP_SUB, SZ32, 0, 0, 0);
    return i + 1;
}

HANDLER exec_sub_zero_r64(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = 0;
    flags_set(c, FLAGS_OP_SUB, SZ64, 0, 0, 0);
    return i + 1;
}

static bool is_same_reg32_64(const struct insn *i)
{
    return !(i->prefixes & INSN_MEM) && i->reg == i->rm && i->opsize >= SZ32 && i->opsize <= SZ64;
}

static exec_fn *select_xor_rr(const struct insn *i, exec_fn *generic)
{
    if (is_same_reg32_64(i))
        return i->opsize == SZ32 ? exec_xor_zero_r32 : exec_xor_zero_r64;
    return generic;
}

static exec_fn *select_sub_rr(const struct insn *i, exec_fn *generic)
{
    if (is_same_reg32_64(i))
        return i->opsize == SZ32 ? exec_sub_zero_r32 : exec_sub_zero_r64;
    return generic;
}

static exec_fn *select_xor_Ev_Gv_z(const struct insn *i)
{
    return select_xor_rr(i, select_xor_Ev_Gv(i));
}

static exec_fn *select_xor_Gv_Ev_z(const struct insn *i)
{
    return select_xor_rr(i, select_xor_Gv_Ev(i));
}

static exec_fn *select_sub_Ev_Gv_z(const struct insn *i)
{
    return select_sub_rr(i, select_sub_Ev_Gv(i));
}

static exec_fn *select_sub_Gv_Ev_z(const struct insn *i)
{
    return select_sub_rr(i, select_sub_Gv_Ev(i));
}

/* Unary operations: INC DEC keep CF (SDM INC/DEC "Flags Affected"); NOT changes no flag; NEG
 * sets the flags of 0 - src (CF = src != 0). */
ALWAYS_INLINE u64 un_calc(enum un_op op, u64 a)
{
    switch (op) {
    case UN_INC:
        return a + 1;
    case UN_DEC:
        return a - 1;
    case UN_NOT:
        return ~a;
    default:
        return 0 - a;
    }
}

ALWAYS_INLINE void un_flags(struct cpu *c, enum un_op op, unsigned s, u64 r, u64 a)
{
    switch (op) {
    case UN_INC:
        flags_set(c, FLAGS_OP_INC, s, r, a, flags_carry(c));
        break;
    case UN_DEC:
        flags_set(c, FLAGS_OP_DEC, s, r, a, flags_carry(c));
        break;
    case UN_NOT:
        break;
    default:
        flags_set(c, FLAGS_OP_SUB, s, r, 0, a);
        break;
    }
}

ALWAYS_INLINE void un_reg(struct cpu *c, enum un_op op, unsigned s, unsigned d)
{
    u64 a = reg_read(c, d, s);
    u64 r = un_calc(op, a);

    un_flags(c, op, s, r, a);
    reg_write(c, d, s, r);
}

static EMU_NOINLINE void un_mem_slow(struct cpu *c, const struct insn *i, enum un_op op, unsigned s,
                                     u64 ea)
{
    u64 a = cpu_read_sized(c, i->seg, ea, s);
    u64 r = un_calc(op, a);

    cpu_write_sized(c, i->seg, ea, s, r);
    un_flags(c, op, s, r, a);
}

ALWAYS_INLINE void un_mem(struct cpu *c, const struct insn *i, enum un_op op, unsigned s)
{
    u64 ea = insn_ea(c, i);
    u8 *p = cpu_rmw_ptr(c, i->seg, ea, 1u << s);
    u64 a, r;

    if (unlikely(!p)) {
        un_mem_slow(c, i, op, s, ea);
        return;
    }
    a = host_load(p, s);
    r = un_calc(op, a);
    host_store(p, s, r);
    un_flags(c, op, s, r, a);
}

#define DEF_UN(op, OP, S, bits)                                                                    \
    HANDLER exec_##op##_Ev_r##bits(struct cpu *c, const struct insn *i)                            \
    {                                                                                              \
        un_reg(c, OP, S, i->rm);                                                                   \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_m##bits(struct cpu *c, const struct insn *i)                            \
    {                                                                                              \
        un_mem(c, i, OP, S);                                                                       \
        return i + 1;                                                                              \
    }

#define DEF_ZV(op, OP, S, bits)                                                                    \
    HANDLER exec_##op##_Zv_##bits(struct cpu *c, const struct insn *i)                             \
    {                                                                                              \
        un_reg(c, OP, S, i->reg);                                                                  \
        return i + 1;                                                                              \
    }

#define DEF_UNARY(op, OP)                                                                          \
    DEF_SIZES(DEF_UN, op, OP)                                                                      \
    TABLE_RM(op, Ev)                                                                               \
    static exec_fn *select_##op##_Ev(const struct insn *i)                                         \
    {                                                                                              \
        return pick_rm(op##_Ev_fns, i);                                                            \
    }

DEF_UNARY(inc, UN_INC)
DEF_UNARY(dec, UN_DEC)
/* 40-4F: every size is generated, only 16 and 32 are reachable. */
DEF_SIZES(DEF_ZV, inc, UN_INC)
DEF_SIZES(DEF_ZV, dec, UN_DEC)
DEF_UNARY(not, UN_NOT)
DEF_UNARY(neg, UN_NEG)

static exec_fn *select_inc_Zv(const struct insn *i)
{
    static exec_fn *const fns[4] = {exec_inc_Zv_8, exec_inc_Zv_16, exec_inc_Zv_32, exec_inc_Zv_64};

    return fns[i->opsize & 3];
}

static exec_fn *select_dec_Zv(const struct insn *i)
{
    static exec_fn *const fns[4] = {exec_dec_Zv_8, exec_dec_Zv_16, exec_dec_Zv_32, exec_dec_Zv_64};

    return fns[i->opsize & 3];
}

/* Registration. */
struct alu_selectors {
    const char *name;
    op_select_fn *ev_gv, *gv_ev, *ev_iz, *rax_iz;
};

static const struct alu_selectors alu_ops[8] = {
    {"add", select_add_Ev_Gv, select_add_Gv_Ev, select_add_Ev_Iz, select_add_rAX_Iz},
    {"or", select_or_Ev_Gv, select_or_Gv_Ev, select_or_Ev_Iz, select_or_rAX_Iz},
    {"adc", select_adc_Ev_Gv, select_adc_Gv_Ev, select_adc_Ev_Iz, select_adc_rAX_Iz},
    {"sbb", select_sbb_Ev_Gv, select_sbb_Gv_Ev, select_sbb_Ev_Iz, select_sbb_rAX_Iz},
    {"and", select_and_Ev_Gv, select_and_Gv_Ev, select_and_Ev_Iz, select_and_rAX_Iz},
    {"sub", select_sub_Ev_Gv_z, select_sub_Gv_Ev_z, select_sub_Ev_Iz, select_sub_rAX_Iz},
    {"xor", select_xor_Ev_Gv_z, select_xor_Gv_Ev_z, select_xor_Ev_Iz, select_xor_rAX_Iz},
    {"cmp", select_cmp_Ev_Gv, select_cmp_Gv_Ev, select_cmp_Ev_Iz, select_cmp_rAX_Iz},
};

static void set(struct optable *t, u8 opcode, const char *name, u32 flags, op_select_fn *sel,
                u8 aux)
{
    struct op_entry e = {.name = name, .flags = flags, .select = sel, .aux = aux};

    optable_set(t, MAP_1B, opcode, &e);
}

static void set_group(struct optable *t, u8 opcode, u8 digit, const char *name, u32 flags,
                      op_select_fn *sel)
{
    struct op_entry e = {.name = name, .flags = flags | OPF_GROUP, .select = sel, .aux = digit};

    optable_set_group(t, MAP_1B, opcode, digit, &e);
}

void exec_alu_register(struct optable *t)
{
    for (u8 k = 0; k < 8; k++) {
        const struct alu_selectors *s = &alu_ops[k];
        u32 lock = k == ALU_CMP ? 0 : OPF_LOCKABLE;
        u8 base = (u8)(k * 8);

        set(t, base + 0, s->name, OPF_MODRM | OPF_BYTE | lock, s->ev_gv, k);
        set(t, base + 1, s->name, OPF_MODRM | lock, s->ev_gv, k);
        set(t, base + 2, s->name, OPF_MODRM | OPF_BYTE, s->gv_ev, k);
        set(t, base + 3, s->name, OPF_MODRM, s->gv_ev, k);
        set(t, base + 4, s->name, OPF_BYTE | OPF_IMM8, s->rax_iz, k);
        set(t, base + 5, s->name, OPF_IMMZ, s->rax_iz, k);
        set_group(t, 0x80, k, s->name, OPF_MODRM | OPF_BYTE | OPF_IMM8 | lock, s->ev_iz);
        set_group(t, 0x81, k, s->name, OPF_MODRM | OPF_IMMZ | lock, s->ev_iz);
        set_group(t, 0x82, k, s->name, OPF_MODRM | OPF_BYTE | OPF_IMM8 | OPF_NO64 | lock, s->ev_iz);
        set_group(t, 0x83, k, s->name, OPF_MODRM | OPF_IMM8 | lock, s->ev_iz);
    }

    set(t, 0x84, "test", OPF_MODRM | OPF_BYTE, select_test_Ev_Gv, ALU_TEST);
    set(t, 0x85, "test", OPF_MODRM, select_test_Ev_Gv, ALU_TEST);
    set(t, 0xa8, "test", OPF_BYTE | OPF_IMM8, select_test_rAX_Iz, ALU_TEST);
    set(t, 0xa9, "test", OPF_IMMZ, select_test_rAX_Iz, ALU_TEST);

    for (u8 d = 0; d < 2; d++) { /* /1 is an alias of /0 on every x86 CPU */
        set_group(t, 0xf6, d, "test", OPF_MODRM | OPF_BYTE | OPF_IMM8, select_test_Ev_Iz);
        set_group(t, 0xf7, d, "test", OPF_MODRM | OPF_IMMZ, select_test_Ev_Iz);
    }
    set_group(t, 0xf6, 2, "not", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, select_not_Ev);
    set_group(t, 0xf7, 2, "not", OPF_MODRM | OPF_LOCKABLE, select_not_Ev);
    set_group(t, 0xf6, 3, "neg", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, select_neg_Ev);
    set_group(t, 0xf7, 3, "neg", OPF_MODRM | OPF_LOCKABLE, select_neg_Ev);

    set_group(t, 0xfe, 0, "inc", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, select_inc_Ev);
    set_group(t, 0xfe, 1, "dec", OPF_MODRM | OPF_BYTE | OPF_LOCKABLE, select_dec_Ev);
    set_group(t, 0xff, 0, "inc", OPF_MODRM | OPF_LOCKABLE, select_inc_Ev);
    set_group(t, 0xff, 1, "dec", OPF_MODRM | OPF_LOCKABLE, select_dec_Ev);

    for (u8 r = 0; r < 8; r++) { /* REX prefixes in 64-bit mode */
        set(t, 0x40 + r, "inc", OPF_REG_IN_OP | OPF_NO64, select_inc_Zv, 0);
        set(t, 0x48 + r, "dec", OPF_REG_IN_OP | OPF_NO64, select_dec_Zv, 0);
    }
}
