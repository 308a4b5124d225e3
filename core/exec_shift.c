/* SPDX-License-Identifier: MIT */
/*
 * Shifts and rotates: ROL ROR RCL RCR SHL/SAL SHR SAR (C0 C1 D0-D3) and SHLD SHRD (0F A4 A5
 * AC AD), Intel SDM vol. 2 "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD". The count is
 * masked to 5 bits (6 with a 64-bit operand); a masked count of 0 changes no flag (but a
 * 32-bit register destination is still written, clearing bits 63:32, as hardware does).
 */
#include "core/exec.h"
#include "core/optable.h"

#include <string.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define HANDLER       static __attribute__((flatten)) const struct insn *

/* ModRM.reg of group C0/C1/D0-D3; /6 (SAL) is an alias of /4 on every x86 CPU. */
enum sh_op { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

ALWAYS_INLINE unsigned count_mask(unsigned s)
{
    return s == SZ64 ? 63 : 31;
}

/* What a shift computed: the result, and for rotates the new CF and OF as RFLAGS bits. */
struct sh_out {
    u64 res;
    u64 cf_of;
};

/*
 * @a: the operand, zero-extended; @n: the masked count, non-zero; @cin: CF before (RCL/RCR).
 * Rotates: CF is the bit that last moved through the end; OF is defined for count 1 (ROL/RCL:
 * MSB(result) XOR CF; ROR/RCR: XOR of the two top bits of the result) and, for larger counts,
 * computed the same way (what the reference host does; the SDM leaves it undefined).
 */
ALWAYS_INLINE struct sh_out sh_calc(enum sh_op op, unsigned s, u64 a, unsigned n, bool cin)
{
    const unsigned bits = size_bits(s);
    const u64 mask = size_mask(s);
    struct sh_out o = {0, 0};
    u64 cf = 0, of = 0;

    switch (op) {
    case SH_ROL: {
        unsigned m = n & (bits - 1);

        o.res = m ? ((a << m) | (a >> (bits - m))) & mask : a;
        cf = o.res & 1;
        of = ((o.res >> (bits - 1)) ^ cf) & 1;
        break;
    }
    case SH_ROR: {
        unsigned m = n & (bits - 1);

        o.res = m ? ((a >> m) | (a << (bits - m))) & mask : a;
        cf = (o.res >> (bits - 1)) & 1;
        of = ((o.res >> (bits - 1)) ^ (o.res >> (bits - 2))) & 1;
        break;
    }
    case SH_RCL: {
        /* a (bits + 1)-bit rotation through CF: modulo 9 and 17 for byte and word operands */
        unsigned m = bits < 32 ? n % (bits + 1) : n;

        if (m == 0) {
            o.res = a;
            cf = cin;
        } else {
            o.res = ((a << m) | ((u64)cin << (m - 1)) | ((a >> 1) >> (bits - m))) & mask;
            cf = (a >> (bits - m)) & 1;
        }
        of = ((o.res >> (bits - 1)) ^ cf) & 1;
        break;
    }
    case SH_RCR: {
        unsigned m = bits < 32 ? n % (bits + 1) : n;

        if (m == 0) {
            o.res = a;
            cf = cin;
        } else {
            o.res = ((a >> m) | ((u64)cin << (bits - m)) | ((a << 1) << (bits - m))) & mask;
            cf = (a >> (m - 1)) & 1;
        }
        of = ((o.res >> (bits - 1)) ^ (o.res >> (bits - 2))) & 1;
        break;
    }
    case SH_SHL:
    case SH_SAL:
        o.res = (a << n) & mask; /* n <= 31 for byte/word operands: no overflow of u64 */
        break;
    case SH_SHR:
        o.res = a >> n;
        break;
    default: /* SAR */
        o.res = (u64)((i64)sign_extend(a, s) >> n) & mask;
        break;
    }
    o.cf_of = (cf ? RFLAGS_CF : 0) | (of ? RFLAGS_OF : 0);
    return o;
}

ALWAYS_INLINE bool sh_reads_cf(enum sh_op op)
{
    return op == SH_RCL || op == SH_RCR;
}

ALWAYS_INLINE void sh_flags(struct cpu *c, enum sh_op op, unsigned s, struct sh_out o, u64 a,
                            unsigned n)
{
    switch (op) {
    case SH_SHL:
    case SH_SAL:
        flags_set(c, FLAGS_OP_SHL, s, o.res, a, n);
        break;
    case SH_SHR:
        flags_set(c, FLAGS_OP_SHR, s, o.res, a, n);
        break;
    case SH_SAR:
        flags_set(c, FLAGS_OP_SAR, s, o.res, a, n);
        break;
    default: /* rotates: only CF and OF */
        flags_set_co(c, o.cf_of);
        break;
    }
}

/* Register operand @d shifted by the masked count @n (may be 0). */
ALWAYS_INLINE void sh_reg(struct cpu *c, enum sh_op op, unsigned s, unsigned d, unsigned n)
{
    if (n == 0) {
        if (s == SZ32)
            c->gpr[d] = (u32)c->gpr[d];
        return;
    }
    u64 a = reg_read(c, d, s);
    struct sh_out o = sh_calc(op, s, a, n, sh_reads_cf(op) ? flags_carry(c) : false);

    sh_flags(c, op, s, o, a, n);
    reg_write(c, d, s, o.res);
}

static EMU_NOINLINE void sh_mem_slow(struct cpu *c, const struct insn *i, enum sh_op op, unsigned s,
                                     u64 ea, unsigned n)
{
    u64 a = cpu_read_sized(c, i->seg, ea, s);
    struct sh_out o = sh_calc(op, s, a, n, flags_carry(c));

    cpu_write_sized(c, i->seg, ea, s, o.res);
    sh_flags(c, op, s, o, a, n);
}

/* Memory operand. With a count of 0 the operand is still checked for writing (a locked
 * read-modify-write in hardware) but neither it nor the flags change. */
ALWAYS_INLINE void sh_mem(struct cpu *c, const struct insn *i, enum sh_op op, unsigned s,
                          unsigned n)
{
    u64 ea = insn_ea(c, i);
    u8 *p = cpu_rmw_ptr(c, i->seg, ea, 1u << s);

    if (n == 0)
        return;
    if (unlikely(!p)) {
        sh_mem_slow(c, i, op, s, ea, n);
        return;
    }
    u64 a = host_load(p, s);
    struct sh_out o = sh_calc(op, s, a, n, sh_reads_cf(op) ? flags_carry(c) : false);

    host_store(p, s, o.res);
    sh_flags(c, op, s, o, a, n);
}

/* Handlers: Ib (C0 C1: count in imm, non-zero, checked by the selector), 1 (D0 D1), CL (D2
 * D3). Register and memory forms, every size. */
#define DEF_SH_SIZE(op, OP, S, bits)                                                               \
    HANDLER exec_##op##_Ev_Ib_r##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        sh_reg(c, OP, S, i->rm, (unsigned)i->imm &count_mask(S));                                  \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_Ib_m##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        sh_mem(c, i, OP, S, (unsigned)i->imm &count_mask(S));                                      \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_1_r##bits(struct cpu *c, const struct insn *i)                          \
    {                                                                                              \
        sh_reg(c, OP, S, i->rm, 1);                                                                \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_1_m##bits(struct cpu *c, const struct insn *i)                          \
    {                                                                                              \
        sh_mem(c, i, OP, S, 1);                                                                    \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_CL_r##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        sh_reg(c, OP, S, i->rm, (unsigned)c->gpr[1] & count_mask(S));                              \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##op##_Ev_CL_m##bits(struct cpu *c, const struct insn *i)                         \
    {                                                                                              \
        sh_mem(c, i, OP, S, (unsigned)c->gpr[1] & count_mask(S));                                  \
        return i + 1;                                                                              \
    }

#define TABLE_RM(op, form)                                                                         \
    static exec_fn *const op##_##form##_fns[2][4] = {                                              \
        {exec_##op##_##form##_r8, exec_##op##_##form##_r16, exec_##op##_##form##_r32,              \
         exec_##op##_##form##_r64},                                                                \
        {exec_##op##_##form##_m8, exec_##op##_##form##_m16, exec_##op##_##form##_m32,              \
         exec_##op##_##form##_m64},                                                                \
    };

#define DEF_SH(op, OP)                                                                             \
    DEF_SH_SIZE(op, OP, SZ8, 8)                                                                    \
    DEF_SH_SIZE(op, OP, SZ16, 16)                                                                  \
    DEF_SH_SIZE(op, OP, SZ32, 32)                                                                  \
    DEF_SH_SIZE(op, OP, SZ64, 64)                                                                  \
    TABLE_RM(op, Ev_Ib)                                                                            \
    TABLE_RM(op, Ev_1)                                                                             \
    TABLE_RM(op, Ev_CL)

DEF_SH(rol, SH_ROL)
DEF_SH(ror, SH_ROR)
DEF_SH(rcl, SH_RCL)
DEF_SH(rcr, SH_RCR)
DEF_SH(shl, SH_SHL)
DEF_SH(shr, SH_SHR)
DEF_SH(sar, SH_SAR)

/* An immediate count that masks to 0: nothing happens but the 32-bit register write-back. */
HANDLER exec_shift_Ev_Ib0_r32(struct cpu *c, const struct insn *i)
{
    c->gpr[i->rm] = (u32)c->gpr[i->rm];
    return i + 1;
}

HANDLER exec_shift_Ev_Ib0_m(struct cpu *c, const struct insn *i)
{
    (void)cpu_rmw_ptr(c, i->seg, insn_ea(c, i), 1u << i->opsize);
    return i + 1;
}

HANDLER exec_shift_Ev_Ib0_nop(struct cpu *c, const struct insn *i)
{
    (void)c;
    return i + 1;
}

/* [digit][form: Ib, 1, CL] -> [memory operand][size] */
static exec_fn *const (*const sh_tables[8][3])[2][4] = {
    {&rol_Ev_Ib_fns, &rol_Ev_1_fns, &rol_Ev_CL_fns},
    {&ror_Ev_Ib_fns, &ror_Ev_1_fns, &ror_Ev_CL_fns},
    {&rcl_Ev_Ib_fns, &rcl_Ev_1_fns, &rcl_Ev_CL_fns},
    {&rcr_Ev_Ib_fns, &rcr_Ev_1_fns, &rcr_Ev_CL_fns},
    {&shl_Ev_Ib_fns, &shl_Ev_1_fns, &shl_Ev_CL_fns},
    {&shr_Ev_Ib_fns, &shr_Ev_1_fns, &shr_Ev_CL_fns},
    {&shl_Ev_Ib_fns, &shl_Ev_1_fns, &shl_Ev_CL_fns},
    {&sar_Ev_Ib_fns, &sar_Ev_1_fns, &sar_Ev_CL_fns},
};

static exec_fn *pick(const struct insn *i, unsigned form)
{
    unsigned mem = (i->prefixes & INSN_MEM) != 0;

    return (*sh_tables[i->reg & 7][form])[mem][i->opsize & 3];
}

static exec_fn *select_shift_Ev_Ib(const struct insn *i)
{
    if ((i->imm & count_mask(i->opsize)) == 0) {
        if (i->prefixes & INSN_MEM)
            return exec_shift_Ev_Ib0_m;
        return i->opsize == SZ32 ? exec_shift_Ev_Ib0_r32 : exec_shift_Ev_Ib0_nop;
    }
    return pick(i, 0);
}

static exec_fn *select_shift_Ev_1(const struct insn *i)
{
    return pick(i, 1);
}

static exec_fn *select_shift_Ev_CL(const struct insn *i)
{
    return pick(i, 2);
}

/*
 * SHLD/SHRD (SDM vol. 2 "SHLD", "SHRD"): dest (Ev) shifted with bits from src (Gv) filling in.
 * CF = last bit shifted out of dest; OF (count 1) = sign change, computed as MSB(result) XOR
 * CF for SHLD and MSB(result) XOR MSB(dest) for SHRD at every count; AF undefined (1, as on
 * the host); SF ZF PF from the result. A 16-bit operand with a count above 16 has an undefined
 * result: SHLD shifts src:dest... as the host does, SHLD takes the 32-bit dest:src shifted left
 * (zeros in), SHRD the 48-bit dest:src:dest shifted right.
 */
ALWAYS_INLINE struct sh_out shd_calc(bool is_left, unsigned s, u64 a, u64 b, unsigned n)
{
    const unsigned bits = size_bits(s);
    const u64 mask = size_mask(s);
    struct sh_out o;
    u64 cf;

    if (s == SZ16) {
        if (is_left) {
            u64 t = (a << 16) | b;

            o.res = ((t << n) >> 16) & mask;
            cf = (t >> (32 - n)) & 1;
        } else {
            u64 t = a | (b << 16) | (a << 32);

            o.res = (t >> n) & mask;
            cf = (t >> (n - 1)) & 1;
        }
    } else if (is_left) {
        o.res = ((a << n) | (b >> (bits - n))) & mask;
        cf = (a >> (bits - n)) & 1;
    } else {
        o.res = ((a >> n) | (b << (bits - n))) & mask;
        cf = (a >> (n - 1)) & 1;
    }
    u64 msb = o.res >> (bits - 1);
    u64 of = is_left ? msb ^ cf : msb ^ (a >> (bits - 1));

    o.cf_of = (cf ? RFLAGS_CF : 0) | ((of & 1) ? RFLAGS_OF : 0) | RFLAGS_AF;
    return o;
}

ALWAYS_INLINE void shd_flags(struct cpu *c, unsigned s, struct sh_out o)
{
    c->lazy.op = (u32)FLAGS_OP_CO | (s << 8);
    c->lazy.res = o.res;
    c->lazy.src1 = o.cf_of;
}

ALWAYS_INLINE void shd_reg(struct cpu *c, const struct insn *i, bool is_left, unsigned s,
                           unsigned n)
{
    if (n == 0) {
        if (s == SZ32)
            c->gpr[i->rm] = (u32)c->gpr[i->rm];
        return;
    }
    struct sh_out o = shd_calc(is_left, s, reg_read(c, i->rm, s), reg_read(c, i->reg, s), n);

    shd_flags(c, s, o);
    reg_write(c, i->rm, s, o.res);
}

static EMU_NOINLINE void shd_mem(struct cpu *c, const struct insn *i, bool is_left, unsigned s,
                                 unsigned n)
{
    u64 ea = insn_ea(c, i);
    u8 *p = cpu_rmw_ptr(c, i->seg, ea, 1u << s);
    u64 b = reg_read(c, i->reg, s);

    if (n == 0)
        return;
    u64 a = p ? host_load(p, s) : cpu_read_sized(c, i->seg, ea, s);
    struct sh_out o = shd_calc(is_left, s, a, b, n);

    if (p)
        host_store(p, s, o.res);
    else
        cpu_write_sized(c, i->seg, ea, s, o.res);
    shd_flags(c, s, o);
}

#define DEF_SHD_SIZE(name, LEFT, S, bits)                                                          \
    HANDLER exec_##name##_Ev_Gv_Ib_r##bits(struct cpu *c, const struct insn *i)                    \
    {                                                                                              \
        shd_reg(c, i, LEFT, S, (unsigned)i->imm &count_mask(S));                                   \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##name##_Ev_Gv_CL_r##bits(struct cpu *c, const struct insn *i)                    \
    {                                                                                              \
        shd_reg(c, i, LEFT, S, (unsigned)c->gpr[1] & count_mask(S));                               \
        return i + 1;                                                                              \
    }

DEF_SHD_SIZE(shld, true, SZ16, 16)
DEF_SHD_SIZE(shld, true, SZ32, 32)
DEF_SHD_SIZE(shld, true, SZ64, 64)
DEF_SHD_SIZE(shrd, false, SZ16, 16)
DEF_SHD_SIZE(shrd, false, SZ32, 32)
DEF_SHD_SIZE(shrd, false, SZ64, 64)

static const struct insn *exec_shd_Ev_Gv_m(struct cpu *c, const struct insn *i)
{
    bool is_left = i->opcode < 0xa8;
    unsigned n = (unsigned)((i->opcode & 1) ? c->gpr[1] : i->imm) & count_mask(i->opsize);

    shd_mem(c, i, is_left, i->opsize, n);
    return i + 1;
}

static exec_fn *select_shld_Ib(const struct insn *i)
{
    static exec_fn *const fns[4] = {NULL, exec_shld_Ev_Gv_Ib_r16, exec_shld_Ev_Gv_Ib_r32,
                                    exec_shld_Ev_Gv_Ib_r64};

    return (i->prefixes & INSN_MEM) ? exec_shd_Ev_Gv_m : fns[i->opsize & 3];
}

static exec_fn *select_shld_CL(const struct insn *i)
{
    static exec_fn *const fns[4] = {NULL, exec_shld_Ev_Gv_CL_r16, exec_shld_Ev_Gv_CL_r32,
                                    exec_shld_Ev_Gv_CL_r64};

    return (i->prefixes & INSN_MEM) ? exec_shd_Ev_Gv_m : fns[i->opsize & 3];
}

static exec_fn *select_shrd_Ib(const struct insn *i)
{
    static exec_fn *const fns[4] = {NULL, exec_shrd_Ev_Gv_Ib_r16, exec_shrd_Ev_Gv_Ib_r32,
                                    exec_shrd_Ev_Gv_Ib_r64};

    return (i->prefixes & INSN_MEM) ? exec_shd_Ev_Gv_m : fns[i->opsize & 3];
}

static exec_fn *select_shrd_CL(const struct insn *i)
{
    static exec_fn *const fns[4] = {NULL, exec_shrd_Ev_Gv_CL_r16, exec_shrd_Ev_Gv_CL_r32,
                                    exec_shrd_Ev_Gv_CL_r64};

    return (i->prefixes & INSN_MEM) ? exec_shd_Ev_Gv_m : fns[i->opsize & 3];
}

void exec_shift_register(struct optable *t)
{
    static const char *const names[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};

    for (u8 d = 0; d < 8; d++) {
        struct op_entry e = {.name = names[d], .aux = d};

        e.flags = OPF_MODRM | OPF_GROUP | OPF_BYTE | OPF_UIMM8;
        e.select = select_shift_Ev_Ib;
        optable_set_group(t, MAP_1B, 0xc0, d, &e);
        e.flags = OPF_MODRM | OPF_GROUP | OPF_UIMM8;
        optable_set_group(t, MAP_1B, 0xc1, d, &e);
        e.flags = OPF_MODRM | OPF_GROUP | OPF_BYTE;
        e.select = select_shift_Ev_1;
        optable_set_group(t, MAP_1B, 0xd0, d, &e);
        e.select = select_shift_Ev_CL;
        optable_set_group(t, MAP_1B, 0xd2, d, &e);
        e.flags = OPF_MODRM | OPF_GROUP;
        e.select = select_shift_Ev_1;
        optable_set_group(t, MAP_1B, 0xd1, d, &e);
        e.select = select_shift_Ev_CL;
        optable_set_group(t, MAP_1B, 0xd3, d, &e);
    }

    struct op_entry e = {.name = "shld", .flags = OPF_MODRM | OPF_UIMM8, .select = select_shld_Ib};

    optable_set(t, MAP_0F, 0xa4, &e);
    e.flags = OPF_MODRM;
    e.select = select_shld_CL;
    optable_set(t, MAP_0F, 0xa5, &e);
    e.name = "shrd";
    e.flags = OPF_MODRM | OPF_UIMM8;
    e.select = select_shrd_Ib;
    optable_set(t, MAP_0F, 0xac, &e);
    e.flags = OPF_MODRM;
    e.select = select_shrd_CL;
    optable_set(t, MAP_0F, 0xad, &e);
}
