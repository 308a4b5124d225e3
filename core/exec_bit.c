/* SPDX-License-Identifier: MIT */
/*
 * Bit and flag instructions: BT BTS BTR BTC (0F A3 AB B3 BB, 0F BA /4-/7), BSF BSR (0F BC BD),
 * TZCNT LZCNT (F3 0F BC BD, as BSF/BSR when CPUID reports no BMI1/LZCNT), POPCNT (F3 0F B8),
 * BSWAP (0F C8+r), CBW/CWDE/CDQE (98), CWD/CDQ/CQO (99), SAHF LAHF (9E 9F), CMC CLC STC (F5 F8
 * F9), SETcc (0F 90-9F), CMOVcc (0F 40-4F). Intel SDM vol. 2, each instruction.
 */
#include "core/cpuid.h"
#include "core/exec.h"
#include "core/optable.h"

#include <string.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))
#define HANDLER       static __attribute__((flatten)) const struct insn *

/*
 * BT BTS BTR BTC. CF = the selected bit; OF SF AF PF are undefined (OF is cleared here, the
 * others kept; the AMD host keeps all four), ZF is unchanged. A register bit offset on a
 * memory operand is a signed offset from the operand's address (SDM "Bit(BitBase,
 * BitOffset)"): the operand-sized unit at ea + (offset >> log2(bits)) * bytes is accessed.
 */
enum bt_op { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

ALWAYS_INLINE u64 bt_apply(enum bt_op op, u64 v, u64 bit)
{
    switch (op) {
    case BT_SET:
        return v | bit;
    case BT_RESET:
        return v & ~bit;
    case BT_COMPLEMENT:
        return v ^ bit;
    default:
        return v;
    }
}

ALWAYS_INLINE void bt_reg(struct cpu *c, const struct insn *i, enum bt_op op, unsigned s,
                          u64 offset)
{
    u64 v = reg_read(c, i->rm, s);
    u64 bit = 1ull << (offset & (size_bits(s) - 1));

    if (op != BT_TEST)
        reg_write(c, i->rm, s, bt_apply(op, v, bit));
    flags_set_co(c, (v & bit) ? RFLAGS_CF : 0);
}

static EMU_NOINLINE void bt_mem(struct cpu *c, const struct insn *i, enum bt_op op, unsigned s,
                                u64 offset, bool is_reg_offset)
{
    u64 ea = insn_ea(c, i);
    u64 bit;
    u64 v;

    if (is_reg_offset) {
        i64 off = (i64)sign_extend(offset, s);

        ea = (ea + ((u64)(off >> (3 + s)) << s)) & size_mask(i->asize);
    }
    bit = 1ull << (offset & (size_bits(s) - 1));
    if (op == BT_TEST) {
        v = cpu_read_sized(c, i->seg, ea, s);
    } else {
        u8 *p = cpu_rmw_ptr(c, i->seg, ea, 1u << s);

        if (likely(p)) {
            v = host_load(p, s);
            host_store(p, s, bt_apply(op, v, bit));
        } else {
            v = cpu_read_sized(c, i->seg, ea, s);
            cpu_write_sized(c, i->seg, ea, s, bt_apply(op, v, bit));
        }
    }
    flags_set_co(c, (v & bit) ? RFLAGS_CF : 0);
}

#define DEF_BT(name, OP, S, bits)                                                                  \
    HANDLER exec_##name##_Ev_Gv_r##bits(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        bt_reg(c, i, OP, S, reg_read(c, i->reg, S));                                               \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##name##_Ev_Ib_r##bits(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        bt_reg(c, i, OP, S, i->imm);                                                               \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##name##_Ev_Gv_m##bits(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        bt_mem(c, i, OP, S, reg_read(c, i->reg, S), true);                                         \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##name##_Ev_Ib_m##bits(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        bt_mem(c, i, OP, S, i->imm, false);                                                        \
        return i + 1;                                                                              \
    }

#define DEF_BT_OP(name, OP)                                                                        \
    DEF_BT(name, OP, SZ16, 16)                                                                     \
    DEF_BT(name, OP, SZ32, 32)                                                                     \
    DEF_BT(name, OP, SZ64, 64)                                                                     \
    static exec_fn *select_##name##_Ev_Gv(const struct insn *i)                                    \
    {                                                                                              \
        static exec_fn *const fns[2][4] = {                                                        \
            {NULL, exec_##name##_Ev_Gv_r16, exec_##name##_Ev_Gv_r32, exec_##name##_Ev_Gv_r64},     \
            {NULL, exec_##name##_Ev_Gv_m16, exec_##name##_Ev_Gv_m32, exec_##name##_Ev_Gv_m64},     \
        };                                                                                         \
        return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];                                  \
    }                                                                                              \
    static exec_fn *select_##name##_Ev_Ib(const struct insn *i)                                    \
    {                                                                                              \
        static exec_fn *const fns[2][4] = {                                                        \
            {NULL, exec_##name##_Ev_Ib_r16, exec_##name##_Ev_Ib_r32, exec_##name##_Ev_Ib_r64},     \
            {NULL, exec_##name##_Ev_Ib_m16, exec_##name##_Ev_Ib_m32, exec_##name##_Ev_Ib_m64},     \
        };                                                                                         \
        return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];                                  \
    }

DEF_BT_OP(bt, BT_TEST)
DEF_BT_OP(bts, BT_SET)
DEF_BT_OP(btr, BT_RESET)
DEF_BT_OP(btc, BT_COMPLEMENT)

/*
 * BSF BSR: a zero source sets ZF and leaves the destination unchanged (AMD documents this,
 * Linux relies on it for 64-bit operands; Intel calls it undefined and clears bits 63:32 of a
 * 32-bit destination). Other flags are undefined: recorded as a logic result of the source
 * (CF = OF = AF = 0, SF and PF of the source).
 * TZCNT LZCNT (with BMI1 / LZCNT reported): the count, the width for a zero source; CF = the
 * source was zero, ZF = the result is zero.
 */
enum scan_op { SCAN_BSF, SCAN_BSR, SCAN_TZCNT, SCAN_LZCNT };

ALWAYS_INLINE void scan(struct cpu *c, const struct insn *i, enum scan_op op, unsigned s, u64 v)
{
    unsigned bits = size_bits(s);
    u64 r;

    switch (op) {
    case SCAN_BSF:
    case SCAN_BSR:
        if (v != 0)
            reg_write(c, i->reg, s,
                      op == SCAN_BSF ? (u64)__builtin_ctzll(v) : (u64)(63 - __builtin_clzll(v)));
        flags_set_logic(c, s, v);
        return;
    case SCAN_TZCNT:
        r = v ? (u64)__builtin_ctzll(v) : bits;
        break;
    default:
        r = v ? (u64)(__builtin_clzll(v) - (64 - (int)bits)) : bits;
        break;
    }
    reg_write(c, i->reg, s, r);
    c->lazy.op = (u32)FLAGS_OP_CO | (s << 8);
    c->lazy.res = r;
    c->lazy.src1 = v ? 0 : RFLAGS_CF;
}

ALWAYS_INLINE u64 src_value(struct cpu *c, const struct insn *i, unsigned s, bool is_mem)
{
    if (is_mem)
        return cpu_read_sized(c, i->seg, insn_ea(c, i), s);
    return reg_read(c, i->rm, s);
}

#define DEF_SCAN(name, OP, S, bits)                                                                \
    HANDLER exec_##name##_Gv_Ev_r##bits(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        scan(c, i, OP, S, src_value(c, i, S, false));                                              \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_##name##_Gv_Ev_m##bits(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        scan(c, i, OP, S, src_value(c, i, S, true));                                               \
        return i + 1;                                                                              \
    }

#define DEF_SCAN_OP(name, OP)                                                                      \
    DEF_SCAN(name, OP, SZ16, 16)                                                                   \
    DEF_SCAN(name, OP, SZ32, 32)                                                                   \
    DEF_SCAN(name, OP, SZ64, 64)                                                                   \
    static exec_fn *select_##name##_Gv_Ev(const struct insn *i)                                    \
    {                                                                                              \
        static exec_fn *const fns[2][4] = {                                                        \
            {NULL, exec_##name##_Gv_Ev_r16, exec_##name##_Gv_Ev_r32, exec_##name##_Gv_Ev_r64},     \
            {NULL, exec_##name##_Gv_Ev_m16, exec_##name##_Gv_Ev_m32, exec_##name##_Gv_Ev_m64},     \
        };                                                                                         \
        return fns[(i->prefixes & INSN_MEM) != 0][i->opsize & 3];                                  \
    }

DEF_SCAN_OP(bsf, SCAN_BSF)
DEF_SCAN_OP(bsr, SCAN_BSR)
DEF_SCAN_OP(tzcnt, SCAN_TZCNT)
DEF_SCAN_OP(lzcnt, SCAN_LZCNT)

/* POPCNT: ZF = source is zero, OF SF AF CF PF cleared. */
static const struct insn *exec_popcnt_Gv_Ev(struct cpu *c, const struct insn *i)
{
    u64 v = rm_read(c, i, i->opsize);

    reg_write(c, i->reg, i->opsize, (u64)__builtin_popcountll(v));
    c->rflags = (c->rflags & ~RFLAGS_ARITH) | (v ? 0 : RFLAGS_ZF);
    c->lazy.op = FLAGS_OP_NONE;
    return i + 1;
}

/* BSWAP: a 16-bit operand is undefined; the low word becomes 0 (Intel and AMD hardware). */
static const struct insn *exec_bswap_Zv(struct cpu *c, const struct insn *i)
{
    u64 v = c->gpr[i->reg];

    switch (i->opsize) {
    case SZ16:
        reg_write(c, i->reg, SZ16, 0);
        break;
    case SZ32:
        c->gpr[i->reg] = __builtin_bswap32((u32)v);
        break;
    default:
        c->gpr[i->reg] = __builtin_bswap64(v);
        break;
    }
    return i + 1;
}

/* CBW CWDE CDQE: rAX = sign extension of its lower half. */
static const struct insn *exec_cbw(struct cpu *c, const struct insn *i)
{
    unsigned s = i->opsize;

    reg_write(c, 0, s, sign_extend(reg_read(c, 0, s - 1), s - 1));
    return i + 1;
}

/* CWD CDQ CQO: rDX = the sign of rAX, replicated. */
static const struct insn *exec_cwd(struct cpu *c, const struct insn *i)
{
    unsigned s = i->opsize;
    u64 sign = (reg_read(c, 0, s) >> (size_bits(s) - 1)) & 1;

    reg_write(c, 2, s, 0 - sign);
    return i + 1;
}

#define SAHF_MASK (RFLAGS_SF | RFLAGS_ZF | RFLAGS_AF | RFLAGS_PF | RFLAGS_CF)

/* LAHF SAHF: in 64-bit mode only with CPUID.80000001H:ECX.LAHF-SAHF[bit 0]. */
static void lahf_check(struct cpu *c)
{
    if (c->mode == CPU_MODE_LONG64 && c->cpuid && !cpuid_has(c->cpuid, FEAT_LAHF64))
        cpu_raise_ud(c);
}

static const struct insn *exec_lahf(struct cpu *c, const struct insn *i)
{
    lahf_check(c);
    u64 f = flags_get(c) & SAHF_MASK;

    reg_write(c, REG_AH, SZ8, f | RFLAGS_FIXED);
    return i + 1;
}

static const struct insn *exec_sahf(struct cpu *c, const struct insn *i)
{
    lahf_check(c);
    flags_materialize(c);
    c->rflags = (c->rflags & ~SAHF_MASK) | (reg_read(c, REG_AH, SZ8) & SAHF_MASK);
    return i + 1;
}

static const struct insn *exec_cmc(struct cpu *c, const struct insn *i)
{
    flags_materialize(c);
    c->rflags ^= RFLAGS_CF;
    return i + 1;
}

static const struct insn *exec_clc(struct cpu *c, const struct insn *i)
{
    flags_materialize(c);
    c->rflags &= ~RFLAGS_CF;
    return i + 1;
}

static const struct insn *exec_stc(struct cpu *c, const struct insn *i)
{
    flags_materialize(c);
    c->rflags |= RFLAGS_CF;
    return i + 1;
}

/* SETcc and CMOVcc: one handler per condition, so flags_cond() folds to a compare. CMOVcc
 * reads its source whatever the condition (a memory source can fault) and a 32-bit
 * destination is written (bits 63:32 cleared) even when the condition is false. */
#define CC_LIST(X)                                                                                 \
    X(o, CC_O)                                                                                     \
    X(no, CC_NO)                                                                                   \
    X(b, CC_B)                                                                                     \
    X(ae, CC_AE)                                                                                   \
    X(e, CC_E)                                                                                     \
    X(ne, CC_NE)                                                                                   \
    X(be, CC_BE)                                                                                   \
    X(a, CC_A)                                                                                     \
    X(s, CC_S)                                                                                     \
    X(ns, CC_NS)                                                                                   \
    X(p, CC_P)                                                                                     \
    X(np, CC_NP)                                                                                   \
    X(l, CC_L)                                                                                     \
    X(ge, CC_GE)                                                                                   \
    X(le, CC_LE)                                                                                   \
    X(g, CC_G)

ALWAYS_INLINE void cmov(struct cpu *c, const struct insn *i, enum cond_code cc, unsigned s, u64 v)
{
    if (flags_cond(c, cc))
        reg_write(c, i->reg, s, v);
    else if (s == SZ32)
        c->gpr[i->reg] = (u32)c->gpr[i->reg];
}

#define DEF_CC(name, CC)                                                                           \
    HANDLER exec_set##name##_Eb_r(struct cpu *c, const struct insn *i)                             \
    {                                                                                              \
        reg_write(c, i->rm, SZ8, flags_cond(c, CC));                                               \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_set##name##_Eb_m(struct cpu *c, const struct insn *i)                             \
    {                                                                                              \
        cpu_write8(c, i->seg, insn_ea(c, i), flags_cond(c, CC));                                   \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_cmov##name##_Gv_Ev_r16(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        cmov(c, i, CC, SZ16, reg_read(c, i->rm, SZ16));                                            \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_cmov##name##_Gv_Ev_r32(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        cmov(c, i, CC, SZ32, reg_read(c, i->rm, SZ32));                                            \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_cmov##name##_Gv_Ev_r64(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        cmov(c, i, CC, SZ64, c->gpr[i->rm]);                                                       \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_cmov##name##_Gv_Ev_m16(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        cmov(c, i, CC, SZ16, cpu_read16(c, i->seg, insn_ea(c, i)));                                \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_cmov##name##_Gv_Ev_m32(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        cmov(c, i, CC, SZ32, cpu_read32(c, i->seg, insn_ea(c, i)));                                \
        return i + 1;                                                                              \
    }                                                                                              \
    HANDLER exec_cmov##name##_Gv_Ev_m64(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        cmov(c, i, CC, SZ64, cpu_read64(c, i->seg, insn_ea(c, i)));                                \
        return i + 1;                                                                              \
    }

CC_LIST(DEF_CC)

#define SET_ROW(name, CC) {exec_set##name##_Eb_r, exec_set##name##_Eb_m},
#define CMOV_ROW(name, CC)                                                                         \
    {{NULL, exec_cmov##name##_Gv_Ev_r16, exec_cmov##name##_Gv_Ev_r32,                              \
      exec_cmov##name##_Gv_Ev_r64},                                                                \
     {NULL, exec_cmov##name##_Gv_Ev_m16, exec_cmov##name##_Gv_Ev_m32,                              \
      exec_cmov##name##_Gv_Ev_m64}},

static exec_fn *const setcc_fns[16][2] = {CC_LIST(SET_ROW)};
static exec_fn *const cmovcc_fns[16][2][4] = {CC_LIST(CMOV_ROW)};

static exec_fn *select_setcc(const struct insn *i)
{
    return setcc_fns[i->opcode & 15][(i->prefixes & INSN_MEM) != 0];
}

static exec_fn *select_cmovcc(const struct insn *i)
{
    return cmovcc_fns[i->opcode & 15][(i->prefixes & INSN_MEM) != 0][i->opsize & 3];
}

static void set0f(struct optable *t, u8 opcode, const char *name, u32 flags, op_select_fn *sel,
                  u32 feature)
{
    struct op_entry e = {.name = name, .flags = flags, .select = sel, .cpuid_feature = feature};

    optable_set(t, MAP_0F, opcode, &e);
}

static void set1b(struct optable *t, u8 opcode, const char *name, u32 flags, exec_fn *fn)
{
    struct op_entry e = {.name = name, .flags = flags, .fn = fn};

    optable_set(t, MAP_1B, opcode, &e);
}

void exec_bit_register(struct optable *t)
{
    set0f(t, 0xa3, "bt", OPF_MODRM, select_bt_Ev_Gv, 0);
    set0f(t, 0xab, "bts", OPF_MODRM | OPF_LOCKABLE, select_bts_Ev_Gv, 0);
    set0f(t, 0xb3, "btr", OPF_MODRM | OPF_LOCKABLE, select_btr_Ev_Gv, 0);
    set0f(t, 0xbb, "btc", OPF_MODRM | OPF_LOCKABLE, select_btc_Ev_Gv, 0);

    static const struct {
        const char *name;
        op_select_fn *select;
        u32 lock;
    } group_ba[4] = {
        {"bt", select_bt_Ev_Ib, 0},
        {"bts", select_bts_Ev_Ib, OPF_LOCKABLE},
        {"btr", select_btr_Ev_Ib, OPF_LOCKABLE},
        {"btc", select_btc_Ev_Ib, OPF_LOCKABLE},
    };
    for (u8 k = 0; k < 4; k++) {
        struct op_entry e = {.name = group_ba[k].name,
                             .flags = OPF_MODRM | OPF_GROUP | OPF_UIMM8 | group_ba[k].lock,
                             .select = group_ba[k].select,
                             .aux = 4 + k};

        optable_set_group(t, MAP_0F, 0xba, 4 + k, &e);
    }

    /* BSF/BSR for every prefix; F3 selects TZCNT/LZCNT when the feature is reported (the
     * decoder falls back to the plain entry otherwise). */
    set0f(t, 0xbc, "bsf", OPF_MODRM, select_bsf_Gv_Ev, 0);
    set0f(t, 0xbd, "bsr", OPF_MODRM, select_bsr_Gv_Ev, 0);
    struct op_entry e = {.name = "tzcnt",
                         .flags = OPF_MODRM,
                         .select = select_tzcnt_Gv_Ev,
                         .cpuid_feature = FEAT_BMI1};

    optable_set_prefixed(t, MAP_0F, 0xbc, PFX_F3, &e);
    e.name = "lzcnt";
    e.select = select_lzcnt_Gv_Ev;
    e.cpuid_feature = FEAT_LZCNT;
    optable_set_prefixed(t, MAP_0F, 0xbd, PFX_F3, &e);
    e.name = "popcnt";
    e.select = NULL;
    e.fn = exec_popcnt_Gv_Ev;
    e.cpuid_feature = FEAT_POPCNT;
    optable_set_prefixed(t, MAP_0F, 0xb8, PFX_F3, &e);

    for (u8 r = 0; r < 8; r++) {
        struct op_entry b = {.name = "bswap", .flags = OPF_REG_IN_OP, .fn = exec_bswap_Zv};

        optable_set(t, MAP_0F, 0xc8 + r, &b);
    }

    set1b(t, 0x98, "cbw", 0, exec_cbw);
    set1b(t, 0x99, "cwd", 0, exec_cwd);
    set1b(t, 0x9e, "sahf", 0, exec_sahf);
    set1b(t, 0x9f, "lahf", 0, exec_lahf);
    set1b(t, 0xf5, "cmc", 0, exec_cmc);
    set1b(t, 0xf8, "clc", 0, exec_clc);
    set1b(t, 0xf9, "stc", 0, exec_stc);

    for (u8 cc = 0; cc < 16; cc++) {
        set0f(t, 0x90 + cc, "setcc", OPF_MODRM | OPF_BYTE, select_setcc, 0);
        set0f(t, 0x40 + cc, "cmovcc", OPF_MODRM, select_cmovcc, FEAT_CMOV);
    }
}
