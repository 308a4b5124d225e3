/* SPDX-License-Identifier: MIT */
/*
 * MUL IMUL DIV IDIV (F6/F7 /4-/7, 0F AF, 69, 6B), Intel SDM vol. 2 "MUL", "IMUL", "DIV",
 * "IDIV". MUL/IMUL set CF = OF = "the result does not fit the destination"; SF ZF AF PF are
 * undefined and are left unchanged (as the AMD reference host does). DIV/IDIV raise #DE on a
 * zero divisor or a quotient that does not fit (INT_MIN / -1 included) and leave every flag
 * unchanged (all undefined).
 */
#include "core/exec.h"
#include "core/optable.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define HANDLER       static __attribute__((flatten)) const struct insn *

typedef unsigned __int128 u128;
typedef __int128 i128;

ALWAYS_INLINE u64 rm_value(struct cpu *c, const struct insn *i, unsigned s, bool is_mem)
{
    if (is_mem)
        return cpu_read_sized(c, i->seg, insn_ea(c, i), s);
    return reg_read(c, i->rm, s);
}

/* The low half of @a * @b at size @s, and whether the signed product overflowed it. */
ALWAYS_INLINE u64 imul_trunc(unsigned s, u64 a, u64 b, bool *overflow)
{
    if (s == SZ64) {
        i128 p = (i128)(i64)a * (i128)(i64)b;

        *overflow = p != (i128)(i64)p;
        return (u64)p;
    }
    i64 p = (i64)sign_extend(a, s) * (i64)sign_extend(b, s);
    u64 r = (u64)p & size_mask(s);

    *overflow = (i64)sign_extend(r, s) != p;
    return r;
}

/* IMUL Gv, Ev (0F AF) and IMUL Gv, Ev, Iz/Ib (69, 6B). */
ALWAYS_INLINE void imul_g(struct cpu *c, const struct insn *i, unsigned s, u64 a, u64 b)
{
    bool overflow;
    u64 r = imul_trunc(s, a, b, &overflow);

    reg_write(c, i->reg, s, r);
    flags_set_co(c, overflow ? RFLAGS_CF | RFLAGS_OF : 0);
}

#define DEF_IMUL(S, bits)                                                                          \
    HANDLER exec_imul_Gv_Ev_r##bits(struct cpu *c, const struct insn *i)                           \
    {                                                                                              \
        imul_g(c, i, S, reg_read(c, i->reg, S), reg_read(c, i->rm, S));                            \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_imul_Gv_Ev_m##bits(struct cpu *c, const struct insn *i)                           \
    {                                                                                              \
        imul_g(c, i, S, reg_read(c, i->reg, S), rm_value(c, i, S, true));                          \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_imul_Gv_Ev_Iz_r##bits(struct cpu *c, const struct insn *i)                        \
    {                                                                                              \
        imul_g(c, i, S, reg_read(c, i->rm, S), i->imm);                                            \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_imul_Gv_Ev_Iz_m##bits(struct cpu *c, const struct insn *i)                        \
    {                                                                                              \
        imul_g(c, i, S, rm_value(c, i, S, true), i->imm);                                          \
        return i + 1;                                                                              \
    }

DEF_IMUL(SZ16, 16)
DEF_IMUL(SZ32, 32)
DEF_IMUL(SZ64, 64)

static exec_fn *select_imul_Gv_Ev(const struct insn *i)
{
    static exec_fn *const fns[2][4] = {
        {NULL, exec_imul_Gv_Ev_r16, exec_imul_Gv_Ev_r32, exec_imul_Gv_Ev_r64},
        {NULL, exec_imul_Gv_Ev_m16, exec_imul_Gv_Ev_m32, exec_imul_Gv_Ev_m64},
    };

    return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];
}

static exec_fn *select_imul_Gv_Ev_Iz(const struct insn *i)
{
    static exec_fn *const fns[2][4] = {
        {NULL, exec_imul_Gv_Ev_Iz_r16, exec_imul_Gv_Ev_Iz_r32, exec_imul_Gv_Ev_Iz_r64},
        {NULL, exec_imul_Gv_Ev_Iz_m16, exec_imul_Gv_Ev_Iz_m32, exec_imul_Gv_Ev_Iz_m64},
    };

    return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];
}

/*
 * One-operand forms: rDX:rAX (AX for bytes) = rAX * src. The high half goes to AH / DX /
 * EDX / RDX; CF = OF = (high half is not just the extension of the low half).
 */
ALWAYS_INLINE void mul_wide(struct cpu *c, unsigned s, u64 b, bool is_signed)
{
    u64 a = reg_read(c, 0, s), lo, hi;
    bool overflow;

    if (s == SZ64) {
        u128 p = is_signed ? (u128)((i128)(i64)a * (i128)(i64)b) : (u128)a * b;

        lo = (u64)p;
        hi = (u64)(p >> 64);
        overflow = is_signed ? hi != (u64)((i64)lo >> 63) : hi != 0;
    } else {
        unsigned bits = size_bits(s);
        u64 p = is_signed ? (u64)((i64)sign_extend(a, s) * (i64)sign_extend(b, s)) : a * b;

        lo = p & size_mask(s);
        hi = (p >> bits) & size_mask(s);
        overflow = is_signed ? sign_extend(lo, s) != p : hi != 0;
    }
    if (s == SZ8) {
        reg_write(c, 0, SZ16, lo | (hi << 8));
    } else {
        reg_write(c, 0, s, lo);
        reg_write(c, 2, s, hi);
    }
    flags_set_co(c, overflow ? RFLAGS_CF | RFLAGS_OF : 0);
}

/* Unsigned divide of the double-width rDX:rAX (AX for bytes) by @b. */
ALWAYS_INLINE void div_wide(struct cpu *c, unsigned s, u64 b)
{
    if (b == 0)
        cpu_raise(c, EXC_DE, EXC_NO_ERROR);
    if (s == SZ64) {
        u64 hi = c->gpr[2], lo = c->gpr[0];

        if (hi >= b) /* the quotient would not fit in 64 bits */
            cpu_raise(c, EXC_DE, EXC_NO_ERROR);
        u128 n = ((u128)hi << 64) | lo;

        c->gpr[0] = (u64)(n / b);
        c->gpr[2] = (u64)(n % b);
        return;
    }
    unsigned bits = size_bits(s);
    u64 n = s == SZ8 ? reg_read(c, 0, SZ16) : (reg_read(c, 2, s) << bits) | reg_read(c, 0, s);
    u64 q = n / b, r = n % b;

    if (q > size_mask(s))
        cpu_raise(c, EXC_DE, EXC_NO_ERROR);
    if (s == SZ8) {
        reg_write(c, 0, SZ16, q | (r << 8));
    } else {
        reg_write(c, 0, s, q);
        reg_write(c, 2, s, r);
    }
}

/* Signed divide: the quotient truncates toward zero, the remainder has the dividend's sign. */
ALWAYS_INLINE void idiv_wide(struct cpu *c, unsigned s, u64 b_raw)
{
    i64 b = (i64)sign_extend(b_raw, s);

    if (b == 0)
        cpu_raise(c, EXC_DE, EXC_NO_ERROR);
    if (s == SZ64) {
        i128 n = (i128)(((u128)c->gpr[2] << 64) | c->gpr[0]);
        i128 q, r;

        if (b == -1) {
            /* -n fits in 64 bits only for n in [-(2^63 - 1), 2^63]; also avoids the C
             * overflow of INT128_MIN / -1 */
            if (n > (i128)INT64_MAX + 1 || n < -(i128)INT64_MAX)
                cpu_raise(c, EXC_DE, EXC_NO_ERROR);
            q = -n;
            r = 0;
        } else {
            q = n / b;
            r = n % b;
        }
        if (q != (i128)(i64)q)
            cpu_raise(c, EXC_DE, EXC_NO_ERROR);
        c->gpr[0] = (u64)q;
        c->gpr[2] = (u64)r;
        return;
    }
    unsigned bits = size_bits(s);
    i64 n = s == SZ8 ? (i64)(i16)reg_read(c, 0, SZ16)
                     : (i64)sign_extend((reg_read(c, 2, s) << bits) | reg_read(c, 0, s),
                                        (unsigned)(s + 1));
    i64 q, r;

    if (b == -1) { /* INT64_MIN / -1 would overflow in C; it is #DE below anyway */
        q = (i64)(0 - (u64)n);
        r = 0;
    } else {
        q = n / b;
        r = n % b;
    }

    if (q != (i64)sign_extend((u64)q & size_mask(s), s))
        cpu_raise(c, EXC_DE, EXC_NO_ERROR);
    if (s == SZ8) {
        reg_write(c, 0, SZ16, ((u64)q & 0xff) | (((u64)r & 0xff) << 8));
    } else {
        reg_write(c, 0, s, (u64)q);
        reg_write(c, 2, s, (u64)r);
    }
}

#define DEF_WIDE(S, bits)                                                                          \
    HANDLER exec_mul_Ev_r##bits(struct cpu *c, const struct insn *i)                               \
    {                                                                                              \
        mul_wide(c, S, rm_value(c, i, S, false), false);                                           \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_mul_Ev_m##bits(struct cpu *c, const struct insn *i)                               \
    {                                                                                              \
        mul_wide(c, S, rm_value(c, i, S, true), false);                                            \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_imul_Ev_r##bits(struct cpu *c, const struct insn *i)                              \
    {                                                                                              \
        mul_wide(c, S, rm_value(c, i, S, false), true);                                            \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_imul_Ev_m##bits(struct cpu *c, const struct insn *i)                              \
    {                                                                                              \
        mul_wide(c, S, rm_value(c, i, S, true), true);                                             \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_div_Ev_r##bits(struct cpu *c, const struct insn *i)                               \
    {                                                                                              \
        div_wide(c, S, rm_value(c, i, S, false));                                                  \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_div_Ev_m##bits(struct cpu *c, const struct insn *i)                               \
    {                                                                                              \
        div_wide(c, S, rm_value(c, i, S, true));                                                   \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_idiv_Ev_r##bits(struct cpu *c, const struct insn *i)                              \
    {                                                                                              \
        idiv_wide(c, S, rm_value(c, i, S, false));                                                 \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_idiv_Ev_m##bits(struct cpu *c, const struct insn *i)                              \
    {                                                                                              \
        idiv_wide(c, S, rm_value(c, i, S, true));                                                  \
        return i + 1;                                                                              \
    }

DEF_WIDE(SZ8, 8)
DEF_WIDE(SZ16, 16)
DEF_WIDE(SZ32, 32)
DEF_WIDE(SZ64, 64)

#define SELECT_WIDE(op)                                                                            \
    static exec_fn *select_##op##_Ev(const struct insn *i)                                         \
    {                                                                                              \
        static exec_fn *const fns[2][4] = {                                                        \
            {exec_##op##_Ev_r8, exec_##op##_Ev_r16, exec_##op##_Ev_r32, exec_##op##_Ev_r64},       \
            {exec_##op##_Ev_m8, exec_##op##_Ev_m16, exec_##op##_Ev_m32, exec_##op##_Ev_m64},       \
        };                                                                                         \
        return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];                                  \
    }

SELECT_WIDE(mul)
SELECT_WIDE(imul)
SELECT_WIDE(div)
SELECT_WIDE(idiv)

void exec_muldiv_register(struct optable *t)
{
    static const struct {
        const char *name;
        op_select_fn *select;
    } wide[4] = {
        {"mul", select_mul_Ev},
        {"imul", select_imul_Ev},
        {"div", select_div_Ev},
        {"idiv", select_idiv_Ev},
    };

    for (u8 k = 0; k < 4; k++) {
        struct op_entry e = {.name = wide[k].name, .select = wide[k].select, .aux = 4 + k};

        e.flags = OPF_MODRM | OPF_GROUP | OPF_BYTE;
        optable_set_group(t, MAP_1B, 0xf6, 4 + k, &e);
        e.flags = OPF_MODRM | OPF_GROUP;
        optable_set_group(t, MAP_1B, 0xf7, 4 + k, &e);
    }

    struct op_entry e = {.name = "imul", .flags = OPF_MODRM, .select = select_imul_Gv_Ev};

    optable_set(t, MAP_0F, 0xaf, &e);
    e.flags = OPF_MODRM | OPF_IMMZ;
    e.select = select_imul_Gv_Ev_Iz;
    optable_set(t, MAP_1B, 0x69, &e);
    e.flags = OPF_MODRM | OPF_IMM8;
    optable_set(t, MAP_1B, 0x6b, &e);
}
