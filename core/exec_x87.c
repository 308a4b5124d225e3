/* SPDX-License-Identifier: MIT */
/*
 * Instruction family "x87": the floating-point unit (Intel SDM vol. 1 ch. 8, vol. 2 F*).
 * The arithmetic runs on the host's x87 with the guest's precision and rounding control (host
 * exceptions masked), so results, condition codes and exception flags are the hardware's own.
 * Register stack, tags, stack faults, masked/unmasked responses and #MF are modelled here.
 */
#include "core/fpu.h"

#include "core/exception.h"
#include "core/flags.h"

/* Arithmetic operations in ModRM.reg order of D8/DC memory forms (SDM vol. 2 A.4). The
 * destination is `d`, the source `s`: SUB is d - s, SUBR is s - d. */
enum x87_op { X87_ADD, X87_MUL, X87_COM, X87_COMP, X87_SUB, X87_SUBR, X87_DIV, X87_DIVR };

static const u8 x87_indefinite[10] = {0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff};

/* ---- the host x87 ------------------------------------------------------------------------ */

/* Each helper loads the guest control word (exceptions masked) into the host x87, clears the
 * host's flags, runs one instruction, stores the host status word and restores the host
 * control word; all in one asm statement so that nothing moves between them. */
#define X87_PRE  "fnstcw %[h]\n\tfldcw %[g]\n\tfnclex\n\t"
#define X87_POST "\n\tfnstsw %[s]\n\tfldcw %[h]"

#define X87_HOST_BIN(name, insn)                                                                   \
    static long double name(long double a, long double b, u16 cw, u16 *sw)                         \
    {                                                                                              \
        long double r;                                                                             \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn X87_POST                                                 \
                             : "=t"(r), [h] "+m"(h), [s] "=m"(*sw)                                 \
                             : "0"(a), "u"(b), [g] "m"(cw));                                       \
        return r;                                                                                  \
    }
X87_HOST_BIN(host_fadd, "fadd %%st(1), %%st")
X87_HOST_BIN(host_fsub, "fsub %%st(1), %%st")
X87_HOST_BIN(host_fmul, "fmul %%st(1), %%st")
X87_HOST_BIN(host_fdiv, "fdiv %%st(1), %%st")
X87_HOST_BIN(host_fprem, "fprem")
X87_HOST_BIN(host_fprem1, "fprem1")
X87_HOST_BIN(host_fscale, "fscale")

/* st(1) = f(st(0), st(1)), popped: a = ST(0), b = ST(1). */
#define X87_HOST_BIN_POP(name, insn)                                                               \
    static long double name(long double a, long double b, u16 cw, u16 *sw)                         \
    {                                                                                              \
        long double r;                                                                             \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn X87_POST                                                 \
                             : "=t"(r), [h] "+m"(h), [s] "=m"(*sw)                                 \
                             : "0"(a), "u"(b), [g] "m"(cw)                                         \
                             : "st(1)");                                                           \
        return r;                                                                                  \
    }
X87_HOST_BIN_POP(host_fyl2x, "fyl2x")
X87_HOST_BIN_POP(host_fyl2xp1, "fyl2xp1")
X87_HOST_BIN_POP(host_fpatan, "fpatan")

#define X87_HOST_UN(name, insn)                                                                    \
    static long double name(long double a, u16 cw, u16 *sw)                                        \
    {                                                                                              \
        long double r;                                                                             \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn X87_POST                                                 \
                             : "=t"(r), [h] "+m"(h), [s] "=m"(*sw)                                 \
                             : "0"(a), [g] "m"(cw));                                               \
        return r;                                                                                  \
    }
X87_HOST_UN(host_fsqrt, "fsqrt")
X87_HOST_UN(host_fsin, "fsin")
X87_HOST_UN(host_fcos, "fcos")
X87_HOST_UN(host_f2xm1, "f2xm1")
X87_HOST_UN(host_frndint, "frndint")

/* Two results: ST(0) = *top, ST(1) = return value. */
#define X87_HOST_TWO(name, insn)                                                                   \
    static long double name(long double a, long double *top, u16 cw, u16 *sw)                      \
    {                                                                                              \
        long double r0, r1;                                                                        \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn X87_POST                                                 \
                             : "=t"(r0), "=u"(r1), [h] "+m"(h), [s] "=m"(*sw)                      \
                             : "0"(a), [g] "m"(cw));                                               \
        *top = r0;                                                                                 \
        return r1;                                                                                 \
    }
X87_HOST_TWO(host_fptan, "fptan")
X87_HOST_TWO(host_fsincos, "fsincos")
X87_HOST_TWO(host_fxtract, "fxtract")

/* Compares: only the status word matters. */
#define X87_HOST_CMP(name, insn)                                                                   \
    static u16 name(long double a, long double b, u16 cw)                                          \
    {                                                                                              \
        u16 h = 0, sw;                                                                             \
        __asm__ __volatile__(X87_PRE insn X87_POST                                                 \
                             : [h] "+m"(h), [s] "=m"(sw)                                           \
                             : "t"(a), "u"(b), [g] "m"(cw));                                       \
        return sw;                                                                                 \
    }
X87_HOST_CMP(host_fcom, "fcom %%st(1)")
X87_HOST_CMP(host_fucom, "fucom %%st(1)")

static u16 host_ftst(long double a, u16 cw)
{
    u16 h = 0, sw;

    __asm__ __volatile__(X87_PRE "ftst" X87_POST : [h] "+m"(h), [s] "=m"(sw) : "t"(a), [g] "m"(cw));
    return sw;
}

static u16 host_fxam(long double a)
{
    u16 sw;

    __asm__ __volatile__("fxam\n\tfnstsw %[s]" : [s] "=m"(sw) : "t"(a));
    return sw;
}

#define X87_HOST_LOAD(name, type, insn)                                                            \
    static long double name(type m, u16 cw, u16 *sw)                                               \
    {                                                                                              \
        long double r;                                                                             \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn " %[m]" X87_POST                                         \
                             : "=t"(r), [h] "+m"(h), [s] "=m"(*sw)                                 \
                             : [m] "m"(m), [g] "m"(cw));                                           \
        return r;                                                                                  \
    }
X87_HOST_LOAD(host_flds, u32, "flds")
X87_HOST_LOAD(host_fldl, u64, "fldl")

struct x87_bytes10 {
    u8 b[10];
};
X87_HOST_LOAD(host_fbld, struct x87_bytes10, "fbld")

/* Stores that keep the value on the host stack. */
#define X87_HOST_STORE(name, type, insn)                                                           \
    static type name(long double a, u16 cw, u16 *sw)                                               \
    {                                                                                              \
        type m;                                                                                    \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn " %[m]" X87_POST                                         \
                             : [m] "=m"(m), [h] "+m"(h), [s] "=m"(*sw)                             \
                             : "t"(a), [g] "m"(cw));                                               \
        return m;                                                                                  \
    }
X87_HOST_STORE(host_fsts, u32, "fsts")
X87_HOST_STORE(host_fstl, u64, "fstl")
X87_HOST_STORE(host_fists, u16, "fists")
X87_HOST_STORE(host_fistl, u32, "fistl")

/* Stores that pop the host stack. */
#define X87_HOST_STORE_POP(name, type, insn)                                                       \
    static type name(long double a, u16 cw, u16 *sw)                                               \
    {                                                                                              \
        type m;                                                                                    \
        u16 h = 0;                                                                                 \
        __asm__ __volatile__(X87_PRE insn " %[m]" X87_POST                                         \
                             : [m] "=m"(m), [h] "+m"(h), [s] "=m"(*sw)                             \
                             : "t"(a), [g] "m"(cw)                                                 \
                             : "st");                                                              \
        return m;                                                                                  \
    }
X87_HOST_STORE_POP(host_fistpll, u64, "fistpll")
X87_HOST_STORE_POP(host_fisttps, u16, "fisttps")
X87_HOST_STORE_POP(host_fisttpl, u32, "fisttpl")
X87_HOST_STORE_POP(host_fisttpll, u64, "fisttpll")
X87_HOST_STORE_POP(host_fbstp, struct x87_bytes10, "fbstp")

/* The constants of D9 E8-EE, rounded by the guest's rounding control. */
static long double host_fldconst(unsigned which, u16 cw)
{
    long double r;
    u16 h = 0;

    switch (which) {
    case 0:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfld1\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    case 1:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfldl2t\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    case 2:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfldl2e\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    case 3:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfldpi\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    case 4:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfldlg2\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    case 5:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfldln2\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    default:
        __asm__ __volatile__("fnstcw %[h]\n\tfldcw %[g]\n\tfldz\n\tfldcw %[h]"
                             : "=t"(r), [h] "+m"(h)
                             : [g] "m"(cw));
        break;
    }
    return r;
}

/* Arithmetic and compares with a memory operand, done by the host instruction itself (the
 * exception flags of a combined load+operation differ from a load followed by the operation:
 * a denormal source next to a NaN raises no #D). */
#define X87_MEMASM(insn)                                                                           \
    __asm__ __volatile__(X87_PRE insn " %[m]" X87_POST                                             \
                         : "=t"(r), [h] "+m"(h), [s] "=m"(*sw)                                     \
                         : "0"(a), [m] "m"(m), [g] "m"(cw))
#define X87_MEMCMP(insn)                                                                           \
    __asm__ __volatile__(X87_PRE insn " %[m]" X87_POST                                             \
                         : [h] "+m"(h), [s] "=m"(*sw)                                              \
                         : "t"(a), [m] "m"(m), [g] "m"(cw))

#define X87_HOST_MEMOP(name, type, pre, sfx)                                                       \
    static long double name(unsigned op, long double a, type m, u16 cw, u16 *sw)                   \
    {                                                                                              \
        long double r = a;                                                                         \
        u16 h = 0;                                                                                 \
        switch (op) {                                                                              \
        case 0:                                                                                    \
            X87_MEMASM(pre "add" sfx);                                                             \
            break;                                                                                 \
        case 1:                                                                                    \
            X87_MEMASM(pre "mul" sfx);                                                             \
            break;                                                                                 \
        case 2:                                                                                    \
        case 3:                                                                                    \
            X87_MEMCMP(pre "com" sfx);                                                             \
            break;                                                                                 \
        case 4:                                                                                    \
            X87_MEMASM(pre "sub" sfx);                                                             \
            break;                                                                                 \
        case 5:                                                                                    \
            X87_MEMASM(pre "subr" sfx);                                                            \
            break;                                                                                 \
        case 6:                                                                                    \
            X87_MEMASM(pre "div" sfx);                                                             \
            break;                                                                                 \
        default:                                                                                   \
            X87_MEMASM(pre "divr" sfx);                                                            \
            break;                                                                                 \
        }                                                                                          \
        return r;                                                                                  \
    }
X87_HOST_MEMOP(host_memop_m32fp, u32, "f", "s")
X87_HOST_MEMOP(host_memop_m64fp, u64, "f", "l")
X87_HOST_MEMOP(host_memop_m32int, u32, "fi", "l")
X87_HOST_MEMOP(host_memop_m16int, u16, "fi", "s")

/* ---- state helpers ----------------------------------------------------------------------- */

static inline u16 x87_host_cw(const struct cpu *c)
{
    return (u16)(c->fpu.fcw | FSW_EXC);
}

static inline void x87_set_cc(struct cpu *c, u16 cc)
{
    c->fpu.fsw = (u16)((c->fpu.fsw & ~FSW_CC) | (cc & FSW_CC));
}

static inline void x87_set_c1(struct cpu *c, u16 sw)
{
    c->fpu.fsw = (u16)((c->fpu.fsw & ~FSW_C1) | (sw & FSW_C1));
}

static void x87_update_es(struct cpu *c)
{
    fpu_update_es(&c->fpu);
}

/*
 * Record exception flags @exc of an operation (SDM vol. 1 8.5). Return: whether the result
 * may be stored: false when an unmasked invalid-operation, denormal or divide-by-zero
 * exception occurred (the operands stay, only those flags are set), or, for memory
 * destinations (@mem), also unmasked overflow and underflow.
 */
static bool x87_exceptions(struct cpu *c, u16 exc, bool mem)
{
    u16 unmasked;
    u16 stop = (u16)(FSW_IE | FSW_DE | FSW_ZE | (mem ? FSW_OE | FSW_UE : 0));

    if (likely(!exc))
        return true;
    unmasked = exc & ~c->fpu.fcw & FSW_EXC;
    if (unmasked & (FSW_IE | FSW_DE | FSW_ZE))
        exc &= FSW_IE | FSW_DE | FSW_ZE | FSW_SF;
    else if (mem && (unmasked & (FSW_OE | FSW_UE)))
        exc &= (u16)~FSW_PE; /* nothing is stored, nothing is rounded (as the host shows) */
    c->fpu.fsw |= exc;
    if (unmasked) {
        c->fpu.fsw |= FSW_ES | FSW_B;
        return !(unmasked & stop);
    }
    return true;
}

/* A stack fault (SDM vol. 1 8.5.1.1): IE + SF, C1 = 1 for overflow, 0 for underflow.
 * Return: true when masked (the instruction continues with the QNaN indefinite). */
static bool x87_stack_fault(struct cpu *c, bool overflow)
{
    c->fpu.fsw = (u16)((c->fpu.fsw & ~FSW_C1) | (overflow ? FSW_C1 : 0));
    return x87_exceptions(c, FSW_IE | FSW_SF, false);
}

static inline void x87_set_indefinite(struct cpu *c, unsigned phys)
{
    memcpy(c->fpu.st[phys], x87_indefinite, 10);
    c->fpu.ftw |= (u8)(1u << phys);
}

static inline long double x87_indef_value(void)
{
    long double v = 0;

    memcpy(&v, x87_indefinite, 10);
    return v;
}

static inline void x87_pop(struct cpu *c)
{
    unsigned top = x87_top(c);

    c->fpu.ftw &= (u8) ~(1u << top);
    x87_set_top(c, top + 1);
}

/* Push @v (when @v is NULL: the indefinite). Return: false on an unmasked stack overflow. */
static bool x87_push_raw(struct cpu *c, const void *v10)
{
    unsigned top = (x87_top(c) - 1) & 7;

    if (unlikely(!x87_is_empty(c, top))) {
        if (!x87_stack_fault(c, true))
            return false;
        v10 = x87_indefinite;
    } else
        c->fpu.fsw &= (u16)~FSW_C1;
    x87_set_top(c, top);
    memcpy(c->fpu.st[top], v10, 10);
    c->fpu.ftw |= (u8)(1u << top);
    return true;
}

static inline bool x87_push(struct cpu *c, long double v)
{
    return x87_push_raw(c, &v);
}

/* Whether a push would overflow; when it would and the fault is masked, the push of the
 * indefinite is done here. Return: true if the caller should go on and push its value. */
static bool x87_push_ok(struct cpu *c)
{
    unsigned top = (x87_top(c) - 1) & 7;

    if (likely(x87_is_empty(c, top)))
        return true;
    if (x87_stack_fault(c, true)) {
        x87_set_top(c, top);
        x87_set_indefinite(c, top);
    }
    return false;
}

/* Last-instruction pointers of a non-control instruction (SDM vol. 1 8.1.8, 8.1.9). */
static inline void x87_note_insn(struct cpu *c, const struct insn *i)
{
    c->fpu.fip = insn_rip(c, i);
    c->fpu.fcs = c->seg[SEG_CS].sel;
    c->fpu.fop = (u16)(((i->opcode & 7u) << 8) | i->imm2);
}

static inline u64 x87_note_mem(struct cpu *c, const struct insn *i)
{
    u64 ea = insn_ea(c, i);

    x87_note_insn(c, i);
    c->fpu.fdp = ea;
    c->fpu.fds = c->seg[i->seg].sel;
    return ea;
}

static inline unsigned x87_sti(const struct insn *i)
{
    return i->rm & 7;
}

/* ---- arithmetic -------------------------------------------------------------------------- */

static long double x87_host_arith(unsigned op, long double d, long double s, u16 cw, u16 *sw)
{
    switch (op) {
    case X87_ADD:
        return host_fadd(d, s, cw, sw);
    case X87_MUL:
        return host_fmul(d, s, cw, sw);
    case X87_SUB:
        return host_fsub(d, s, cw, sw);
    case X87_SUBR:
        return host_fsub(s, d, cw, sw);
    case X87_DIV:
        return host_fdiv(d, s, cw, sw);
    default:
        return host_fdiv(s, d, cw, sw);
    }
}

/*
 * Unmasked overflow/underflow with a register destination delivers the rounded result with
 * its exponent divided (overflow) or multiplied (underflow) by 2^24576 (SDM vol. 1 8.5.4,
 * 8.5.5). Recompute the operation on operands scaled (exactly, by powers of two) so that it
 * stays in range: the significand and its rounding are the same. A product or quotient that
 * leaves the range needs both operands far from 1, so splitting the factor between them keeps
 * both representable; a sum that leaves it has its larger operand at the range's edge.
 */
static long double x87_bias_adjust(unsigned op, long double d, long double s, u16 cw, bool over,
                                   u16 *sw)
{
    const long double down = 0x1p-12288L, up = 0x1p12288L;
    long double k = over ? down : up, kinv = over ? up : down;

    switch (op) {
    case X87_MUL:
        return x87_host_arith(op, d * k, s * k, cw, sw);
    case X87_DIV:
        return x87_host_arith(op, d * k, s * kinv, cw, sw);
    case X87_DIVR:
        return x87_host_arith(op, d * kinv, s * k, cw, sw);
    default:
        return x87_host_arith(op, d * k * k, s * k * k, cw, sw);
    }
}

/* Whether the register value @r is a nonzero denormal (exponent field 0). */
static bool x87_value_is_denormal(long double r)
{
    u8 b[10];
    u64 m;

    memcpy(b, &r, 10);
    memcpy(&m, b, 8);
    return m && !(b[8] | (b[9] & 0x7f));
}

/*
 * Status @sw of a host operation (run with exceptions masked) with result @r, as the guest
 * sees it: with underflow unmasked (FCW.UM = 0) every tiny result is signalled, exact or not
 * (SDM vol. 1 4.9.1.5), while the masked host reports UE only for results that are tiny and
 * inexact. Tininess is detected after rounding (as the host does): a tiny result the host did
 * not report is exact, hence the nonzero denormal @r.
 */
static inline u16 x87_tiny_sw(const struct cpu *c, u16 sw, long double r)
{
    if (likely(c->fpu.fcw & FSW_UE) || (sw & FSW_UE) || !x87_value_is_denormal(r))
        return sw;
    return (u16)(sw | FSW_UE);
}

/* Whether @sw holds an unmasked overflow or underflow and no unmasked pre-computation
 * exception: the result then goes to a register bias-adjusted (SDM vol. 1 8.5.4, 8.5.5). */
static inline bool x87_biased(const struct cpu *c, u16 sw)
{
    u16 unmasked = sw & ~c->fpu.fcw & FSW_EXC;

    return (unmasked & (FSW_OE | FSW_UE)) && !(unmasked & (FSW_IE | FSW_DE | FSW_ZE));
}

/* The status of a bias-adjusted result: its own rounding gives PE and C1 (the host reports
 * no precision exception for an exact bias-adjusted result), and a result still out of range
 * after the adjustment adds the host's masked response flags. */
static inline u16 x87_biased_sw(u16 sw, u16 bsw)
{
    return (u16)((sw & ~(FSW_PE | FSW_C1)) | (bsw & (FSW_PE | FSW_C1 | FSW_OE | FSW_UE)));
}

/* Commit dest(phys @dp) = @r, the host's result of d op s with status @sw (exceptions,
 * unmasked overflow/underflow bias, C1); then pop @pops times. */
static void x87_arith_done(struct cpu *c, unsigned op, unsigned dp, long double d, long double s,
                           long double r, u16 sw, unsigned pops)
{
    sw = x87_tiny_sw(c, sw, r);
    if (unlikely(x87_biased(c, sw))) {
        u16 bsw;

        r = x87_bias_adjust(op, d, s, x87_host_cw(c), sw & ~c->fpu.fcw & FSW_OE, &bsw);
        sw = x87_biased_sw(sw, bsw);
    }
    if (!x87_exceptions(c, sw & FSW_EXC, false))
        return;
    x87_set_c1(c, sw);
    x87_set_phys(c, dp, r);
    while (pops--)
        x87_pop(c);
}

/*
 * The register result of an operation other than the basic arithmetic when x87_biased():
 * FSCALE (@fscale_b: ST(1)) is recomputed with its scale moved by 24576; the other results
 * (FPREM's exact remainder, transcendentals) are scaled from the masked result when they
 * underflow (the low bits of an inexact tiny one are then those of the denormal) and left as
 * the masked response when they overflow.
 */
static long double x87_bias_other(const struct cpu *c, long double r, long double a,
                                  const long double *fscale_b, u16 *sw)
{
    bool over = *sw & ~c->fpu.fcw & FSW_OE;

    if (fscale_b) {
        u16 cw = x87_host_cw(c), tsw, bsw;
        long double n = host_frndint(*fscale_b, (u16)(cw | FCW_RC), &tsw); /* truncated */

        r = host_fscale(a, over ? n - 24576.0L : n + 24576.0L, cw, &bsw);
        *sw = x87_biased_sw(*sw, bsw);
        return r;
    }
    return over ? r : r * 0x1p12288L * 0x1p12288L;
}

/* dest(phys @dp) = dest op @s; then pop @pops times. */
static void x87_arith(struct cpu *c, unsigned op, unsigned dp, long double d, long double s,
                      unsigned pops)
{
    u16 sw;
    long double r = x87_host_arith(op, d, s, x87_host_cw(c), &sw);

    x87_arith_done(c, op, dp, d, s, r, sw, pops);
}

/* Condition codes (or ZF PF CF) from a host compare's status @sw; then pop @pops times. */
static void x87_compare_done(struct cpu *c, u16 sw, bool eflags, unsigned pops)
{
    if (!x87_exceptions(c, sw & FSW_EXC, false))
        return;
    if (eflags) {
        u64 f = 0;

        if (sw & FSW_C0)
            f |= RFLAGS_CF;
        if (sw & FSW_C2)
            f |= RFLAGS_PF;
        if (sw & FSW_C3)
            f |= RFLAGS_ZF;
        /* C1 is left alone, as the host does (the SDM says cleared; AMD keeps it). */
        c->lazy.op = FLAGS_OP_NONE;
        c->rflags = (c->rflags & ~RFLAGS_ARITH) | f;
    } else {
        x87_set_cc(c, sw & (FSW_C0 | FSW_C2 | FSW_C3));
    }
    while (pops--)
        x87_pop(c);
}

/* Compare ST(0) with @s (FCOM/FUCOM/FCOMI...): @eflags writes ZF PF CF instead of C3 C2 C0. */
static void x87_compare(struct cpu *c, long double a, long double s, bool unordered, bool eflags,
                        unsigned pops)
{
    u16 sw = unordered ? host_fucom(a, s, x87_host_cw(c)) : host_fcom(a, s, x87_host_cw(c));

    x87_compare_done(c, sw, eflags, pops);
}

/* Unordered result of a compare with an empty register (masked underflow). */
static void x87_compare_empty(struct cpu *c, bool eflags, unsigned pops)
{
    if (!x87_stack_fault(c, false))
        return;
    if (eflags) {
        c->lazy.op = FLAGS_OP_NONE;
        c->rflags = (c->rflags & ~RFLAGS_ARITH) | RFLAGS_ZF | RFLAGS_PF | RFLAGS_CF;
    } else {
        x87_set_cc(c, FSW_C0 | FSW_C2 | FSW_C3);
    }
    while (pops--)
        x87_pop(c);
}

/* ST(0) op= memory source, or compare with it. @kind: 0 m32fp, 1 m64fp, 2 m32int, 3 m16int;
 * @m: the raw operand. */
static void x87_arith_mem(struct cpu *c, unsigned op, unsigned kind, u64 m)
{
    unsigned p0 = x87_phys(c, 0);
    bool cmp = op == X87_COM || op == X87_COMP;
    long double a, r, s;
    u16 sw, cw = x87_host_cw(c), sw2;

    if (unlikely(x87_is_empty(c, p0))) {
        if (cmp)
            x87_compare_empty(c, false, op == X87_COMP);
        else if (x87_stack_fault(c, false))
            x87_set_indefinite(c, p0);
        return;
    }
    a = x87_get_phys(c, p0);
    switch (kind) {
    case 0:
        r = host_memop_m32fp(op, a, (u32)m, cw, &sw);
        s = host_flds((u32)m, cw, &sw2);
        break;
    case 1:
        r = host_memop_m64fp(op, a, m, cw, &sw);
        s = host_fldl(m, cw, &sw2);
        break;
    case 2:
        r = host_memop_m32int(op, a, (u32)m, cw, &sw);
        s = (long double)(i32)m;
        break;
    default:
        r = host_memop_m16int(op, a, (u16)m, cw, &sw);
        s = (long double)(i16)m;
        break;
    }
    if (cmp)
        x87_compare_done(c, sw, false, op == X87_COMP);
    else
        x87_arith_done(c, op, p0, a, s, r, sw, 0);
}

static const struct insn *exec_x87_arith_m32fp(struct cpu *c, const struct insn *i)
{
    u64 ea;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    x87_arith_mem(c, i->aux, 0, cpu_read32(c, i->seg, ea));
    return i + 1;
}

static const struct insn *exec_x87_arith_m64fp(struct cpu *c, const struct insn *i)
{
    u64 ea;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    x87_arith_mem(c, i->aux, 1, cpu_read64(c, i->seg, ea));
    return i + 1;
}

static const struct insn *exec_x87_arith_m32int(struct cpu *c, const struct insn *i)
{
    u64 ea;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    x87_arith_mem(c, i->aux, 2, cpu_read32(c, i->seg, ea));
    return i + 1;
}

static const struct insn *exec_x87_arith_m16int(struct cpu *c, const struct insn *i)
{
    u64 ea;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    x87_arith_mem(c, i->aux, 3, cpu_read16(c, i->seg, ea));
    return i + 1;
}

/* Register forms. D8: ST(0) = ST(0) op ST(i); DC: ST(i) = ST(i) op ST(0); DE: same, pop.
 * aux: the operation (with DC/DE's swapped SUB/SUBR and DIV/DIVR already applied). */
static void x87_arith_regs(struct cpu *c, const struct insn *i, bool to_sti, unsigned pops)
{
    unsigned p0 = x87_phys(c, 0), pi = x87_phys(c, x87_sti(i));
    unsigned dp = to_sti ? pi : p0, sp = to_sti ? p0 : pi;

    x87_note_insn(c, i);
    if (unlikely(x87_is_empty(c, p0) || x87_is_empty(c, pi))) {
        if (x87_stack_fault(c, false)) {
            x87_set_indefinite(c, dp);
            while (pops--)
                x87_pop(c);
        }
        return;
    }
    x87_arith(c, i->aux, dp, x87_get_phys(c, dp), x87_get_phys(c, sp), pops);
}

static const struct insn *exec_x87_arith_st0_sti(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_arith_regs(c, i, false, 0);
    return i + 1;
}

static const struct insn *exec_x87_arith_sti_st0(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_arith_regs(c, i, true, 0);
    return i + 1;
}

static const struct insn *exec_x87_arith_sti_st0_pop(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_arith_regs(c, i, true, 1);
    return i + 1;
}

/* ---- compares ---------------------------------------------------------------------------- */

/* FCOM/FCOMP/FUCOM/FUCOMP/FCOMPP/FUCOMPP/FCOMI/FUCOMI/FCOMIP/FUCOMIP ST(0), ST(i).
 * aux: bit 0 unordered, bit 1 EFLAGS, bits 2-3 number of pops; FCOMPP uses ST(1). */
#define X87_CMP_U    0x1u
#define X87_CMP_EFL  0x2u
#define X87_CMP_POP1 0x4u
#define X87_CMP_POP2 0x8u

static const struct insn *exec_x87_fcom_sti(struct cpu *c, const struct insn *i)
{
    unsigned k = (i->aux & X87_CMP_POP2) ? 1 : x87_sti(i);
    unsigned p0, pi, pops = (i->aux >> 2) & 3;
    bool efl = i->aux & X87_CMP_EFL;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    pi = x87_phys(c, k);
    if (unlikely(x87_is_empty(c, p0) || x87_is_empty(c, pi))) {
        x87_compare_empty(c, efl, pops);
        return i + 1;
    }
    x87_compare(c, x87_get_phys(c, p0), x87_get_phys(c, pi), i->aux & X87_CMP_U, efl, pops);
    return i + 1;
}

static const struct insn *exec_x87_ftst(struct cpu *c, const struct insn *i)
{
    unsigned p0;
    u16 sw;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    if (unlikely(x87_is_empty(c, p0))) {
        x87_compare_empty(c, false, 0);
        return i + 1;
    }
    sw = host_ftst(x87_get_phys(c, p0), x87_host_cw(c));
    if (x87_exceptions(c, sw & FSW_EXC, false))
        x87_set_cc(c, sw & (FSW_C0 | FSW_C2 | FSW_C3));
    return i + 1;
}

static const struct insn *exec_x87_fxam(struct cpu *c, const struct insn *i)
{
    unsigned p0;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    if (x87_is_empty(c, p0)) {
        u16 c1 = (c->fpu.st[p0][9] & 0x80) ? FSW_C1 : 0;

        x87_set_cc(c, FSW_C3 | FSW_C0 | c1);
        return i + 1;
    }
    x87_set_cc(c, host_fxam(x87_get_phys(c, p0)));
    return i + 1;
}

/* ---- loads and stores -------------------------------------------------------------------- */

static const struct insn *exec_x87_fld_m32fp(struct cpu *c, const struct insn *i)
{
    u64 ea;
    u32 m;
    u16 sw;
    long double v;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    m = cpu_read32(c, i->seg, ea);
    if (!x87_push_ok(c))
        return i + 1;
    v = host_flds(m, x87_host_cw(c), &sw);
    if (x87_exceptions(c, sw & FSW_EXC, false))
        x87_push(c, v);
    return i + 1;
}

static const struct insn *exec_x87_fld_m64fp(struct cpu *c, const struct insn *i)
{
    u64 ea, m;
    u16 sw;
    long double v;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    m = cpu_read64(c, i->seg, ea);
    if (!x87_push_ok(c))
        return i + 1;
    v = host_fldl(m, x87_host_cw(c), &sw);
    if (x87_exceptions(c, sw & FSW_EXC, false))
        x87_push(c, v);
    return i + 1;
}

static const struct insn *exec_x87_fld_m80fp(struct cpu *c, const struct insn *i)
{
    u8 m[10];
    u64 ea;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    fpu_read_mem(c, i->seg, ea, m, 10);
    x87_push_raw(c, m);
    return i + 1;
}

static const struct insn *exec_x87_fbld(struct cpu *c, const struct insn *i)
{
    struct x87_bytes10 m;
    u64 ea;
    u16 sw;
    long double v;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    fpu_read_mem(c, i->seg, ea, m.b, 10);
    if (!x87_push_ok(c))
        return i + 1;
    v = host_fbld(m, x87_host_cw(c), &sw);
    if (x87_exceptions(c, sw & FSW_EXC, false)) {
        x87_push(c, v);
        c->fpu.fsw &= (u16)~FSW_C1;
    }
    return i + 1;
}

static const struct insn *exec_x87_fild_m16(struct cpu *c, const struct insn *i)
{
    u64 ea;
    i16 v;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    v = (i16)cpu_read16(c, i->seg, ea);
    x87_push(c, (long double)v);
    return i + 1;
}

static const struct insn *exec_x87_fild_m32(struct cpu *c, const struct insn *i)
{
    u64 ea;
    i32 v;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    v = (i32)cpu_read32(c, i->seg, ea);
    x87_push(c, (long double)v);
    return i + 1;
}

static const struct insn *exec_x87_fild_m64(struct cpu *c, const struct insn *i)
{
    u64 ea;
    i64 v;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    v = (i64)cpu_read64(c, i->seg, ea);
    x87_push(c, (long double)v);
    return i + 1;
}

/*
 * The value ST(0) to store, or false when ST(0) is empty and the underflow is unmasked.
 * A masked underflow stores the indefinite (which then converts to the format's indefinite).
 */
static bool x87_store_src(struct cpu *c, long double *v)
{
    unsigned p0 = x87_phys(c, 0);

    if (likely(!x87_is_empty(c, p0))) {
        *v = x87_get_phys(c, p0);
        return true;
    }
    if (!x87_stack_fault(c, false))
        return false;
    *v = x87_indef_value();
    return true;
}

/* aux of the store handlers: 1 = pop after the store. */
static const struct insn *exec_x87_fst_m32fp(struct cpu *c, const struct insn *i)
{
    long double v;
    u64 ea;
    u32 m;
    u16 sw;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    if (!x87_store_src(c, &v))
        return i + 1;
    m = host_fsts(v, x87_host_cw(c), &sw);
    if (unlikely(!(c->fpu.fcw & FSW_UE)) && (m & 0x7fffffffu) && !(m & 0x7f800000u))
        sw |= FSW_UE; /* tiny in single format, exact: see x87_tiny_sw() */
    if (sw & FSW_EXC & ~c->fpu.fcw & (FSW_IE | FSW_DE | FSW_OE | FSW_UE)) {
        x87_exceptions(c, sw & FSW_EXC, true);
        return i + 1;
    }
    cpu_write32(c, i->seg, ea, m);
    x87_exceptions(c, sw & FSW_EXC, true);
    x87_set_c1(c, sw);
    if (i->aux)
        x87_pop(c);
    return i + 1;
}

static const struct insn *exec_x87_fst_m64fp(struct cpu *c, const struct insn *i)
{
    long double v;
    u64 ea, m;
    u16 sw;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    if (!x87_store_src(c, &v))
        return i + 1;
    m = host_fstl(v, x87_host_cw(c), &sw);
    if (unlikely(!(c->fpu.fcw & FSW_UE)) && (m & ~(1ull << 63)) && !(m & 0x7ff0000000000000ull))
        sw |= FSW_UE; /* tiny in double format, exact: see x87_tiny_sw() */
    if (sw & FSW_EXC & ~c->fpu.fcw & (FSW_IE | FSW_DE | FSW_OE | FSW_UE)) {
        x87_exceptions(c, sw & FSW_EXC, true);
        return i + 1;
    }
    cpu_write64(c, i->seg, ea, m);
    x87_exceptions(c, sw & FSW_EXC, true);
    x87_set_c1(c, sw);
    if (i->aux)
        x87_pop(c);
    return i + 1;
}

static const struct insn *exec_x87_fstp_m80fp(struct cpu *c, const struct insn *i)
{
    long double v;
    u8 m[10];
    u64 ea;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    if (!x87_store_src(c, &v))
        return i + 1;
    memcpy(m, &v, 10);
    fpu_write_mem(c, i->seg, ea, m, 10);
    c->fpu.fsw &= (u16)~FSW_C1;
    x87_pop(c);
    return i + 1;
}

static const struct insn *exec_x87_fbstp(struct cpu *c, const struct insn *i)
{
    struct x87_bytes10 m;
    long double v;
    u64 ea;
    u16 sw;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    if (!x87_store_src(c, &v))
        return i + 1;
    m = host_fbstp(v, x87_host_cw(c), &sw);
    if (sw & FSW_EXC & ~c->fpu.fcw & FSW_IE) {
        x87_exceptions(c, sw & FSW_EXC, true);
        return i + 1;
    }
    fpu_write_mem(c, i->seg, ea, m.b, 10);
    x87_exceptions(c, sw & FSW_EXC, true);
    x87_set_c1(c, sw);
    x87_pop(c);
    return i + 1;
}

/* FIST/FISTP/FISTTP m16/m32/m64. aux: bits 0-1 size (SZ16, SZ32, SZ64), bit 2 pop, bit 3
 * truncate (FISTTP). */
#define X87_INT_POP   0x4u
#define X87_INT_TRUNC 0x8u

static const struct insn *exec_x87_fist(struct cpu *c, const struct insn *i)
{
    unsigned size = i->aux & 3;
    long double v;
    u64 ea, m;
    u16 sw, cw;

    fpu_check_x87(c);
    ea = x87_note_mem(c, i);
    if (!x87_store_src(c, &v))
        return i + 1;
    cw = x87_host_cw(c);
    if (i->aux & X87_INT_TRUNC)
        m = size == SZ16   ? host_fisttps(v, cw, &sw)
            : size == SZ32 ? host_fisttpl(v, cw, &sw)
                           : host_fisttpll(v, cw, &sw);
    else
        m = size == SZ16   ? host_fists(v, cw, &sw)
            : size == SZ32 ? host_fistl(v, cw, &sw)
                           : host_fistpll(v, cw, &sw);
    if (sw & FSW_EXC & ~c->fpu.fcw & FSW_IE) {
        x87_exceptions(c, sw & FSW_EXC, true);
        return i + 1;
    }
    cpu_write_sized(c, i->seg, ea, size, m);
    x87_exceptions(c, sw & FSW_EXC, true);
    x87_set_c1(c, sw);
    if (i->aux & X87_INT_POP)
        x87_pop(c);
    return i + 1;
}

static const struct insn *exec_x87_fld_sti(struct cpu *c, const struct insn *i)
{
    unsigned pi, top;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    pi = x87_phys(c, x87_sti(i));
    if (likely(!x87_is_empty(c, pi))) {
        u8 v[10];

        memcpy(v, c->fpu.st[pi], 10);
        x87_push_raw(c, v);
        return i + 1;
    }
    /* An empty source is an underflow (C1 = 0); the masked response pushes the indefinite
     * without a second, overflow, check (as the hardware reports it). */
    if (!x87_stack_fault(c, false))
        return i + 1;
    top = (x87_top(c) - 1) & 7;
    x87_set_top(c, top);
    x87_set_indefinite(c, top);
    return i + 1;
}

/* FST/FSTP ST(i). aux: 1 = pop. */
static const struct insn *exec_x87_fst_sti(struct cpu *c, const struct insn *i)
{
    unsigned p0, pi;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    pi = x87_phys(c, x87_sti(i));
    if (unlikely(x87_is_empty(c, p0))) {
        if (!x87_stack_fault(c, false))
            return i + 1;
        x87_set_indefinite(c, pi);
    } else {
        memcpy(c->fpu.st[pi], c->fpu.st[p0], 10);
        c->fpu.ftw |= (u8)(1u << pi);
        c->fpu.fsw &= (u16)~FSW_C1;
    }
    if (i->aux)
        x87_pop(c);
    return i + 1;
}

static const struct insn *exec_x87_fxch(struct cpu *c, const struct insn *i)
{
    unsigned p0, pi;
    u8 t[10];

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    pi = x87_phys(c, x87_sti(i));
    if (unlikely(x87_is_empty(c, p0) || x87_is_empty(c, pi))) {
        if (!x87_stack_fault(c, false))
            return i + 1;
        if (x87_is_empty(c, p0))
            x87_set_indefinite(c, p0);
        if (x87_is_empty(c, pi))
            x87_set_indefinite(c, pi);
    } else {
        c->fpu.fsw &= (u16)~FSW_C1;
    }
    memcpy(t, c->fpu.st[p0], 10);
    memcpy(c->fpu.st[p0], c->fpu.st[pi], 10);
    memcpy(c->fpu.st[pi], t, 10);
    return i + 1;
}

/* FCMOVcc ST(0), ST(i). aux: the condition code (enum cond_code). */
static const struct insn *exec_x87_fcmov(struct cpu *c, const struct insn *i)
{
    unsigned p0, pi;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    pi = x87_phys(c, x87_sti(i));
    if (unlikely(x87_is_empty(c, p0) || x87_is_empty(c, pi))) {
        if (x87_stack_fault(c, false))
            x87_set_indefinite(c, p0);
        return i + 1;
    }
    if (cpu_cond(c, (enum cond_code)i->aux))
        memcpy(c->fpu.st[p0], c->fpu.st[pi], 10);
    return i + 1;
}

static const struct insn *exec_x87_ffree(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_note_insn(c, i);
    c->fpu.ftw &= (u8) ~(1u << x87_phys(c, x87_sti(i)));
    c->fpu.fsw &= (u16)~FSW_C1;
    if (i->aux)
        x87_pop(c); /* FFREEP (DF C0+i) */
    return i + 1;
}

static const struct insn *exec_x87_fincstp(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_note_insn(c, i);
    x87_set_top(c, x87_top(c) + (i->aux ? 7 : 1)); /* aux: FDECSTP */
    c->fpu.fsw &= (u16)~FSW_C1;
    return i + 1;
}

static const struct insn *exec_x87_fnop(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_note_insn(c, i);
    return i + 1;
}

/* FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ: aux 0-6. */
static const struct insn *exec_x87_fldconst(struct cpu *c, const struct insn *i)
{
    fpu_check_x87(c);
    x87_note_insn(c, i);
    x87_push(c, host_fldconst(i->aux, x87_host_cw(c)));
    return i + 1;
}

/* ---- one-operand arithmetic on ST(0) ----------------------------------------------------- */

enum x87_unop { X87_FCHS, X87_FABS, X87_FSQRT, X87_FSIN, X87_FCOS, X87_F2XM1, X87_FRNDINT };

/* Whether ST(0) is a finite value outside the range of FSIN/FCOS/FPTAN/FSINCOS (|x| >= 2^63):
 * then C2 = 1 and nothing changes (SDM vol. 2 FSIN). Unnormals are invalid operands instead. */
static bool x87_trig_out_of_range(const u8 *r)
{
    u16 exp = (u16)((r[8] | (r[9] << 8)) & 0x7fff);

    return exp >= 0x3fff + 63 && exp != 0x7fff && (r[7] & 0x80);
}

static const struct insn *exec_x87_unop(struct cpu *c, const struct insn *i)
{
    unsigned p0;
    long double v, r;
    u16 sw = 0, cw;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    if (unlikely(x87_is_empty(c, p0))) {
        if (x87_stack_fault(c, false))
            x87_set_indefinite(c, p0);
        return i + 1;
    }
    switch (i->aux) {
    case X87_FCHS:
        c->fpu.st[p0][9] ^= 0x80;
        c->fpu.fsw &= (u16)~FSW_C1;
        return i + 1;
    case X87_FABS:
        c->fpu.st[p0][9] &= 0x7f;
        c->fpu.fsw &= (u16)~FSW_C1;
        return i + 1;
    default:
        break;
    }
    if ((i->aux == X87_FSIN || i->aux == X87_FCOS) && x87_trig_out_of_range(c->fpu.st[p0])) {
        c->fpu.fsw = (u16)((c->fpu.fsw | FSW_C2) & ~FSW_C1);
        return i + 1;
    }
    v = x87_get_phys(c, p0);
    cw = x87_host_cw(c);
    switch (i->aux) {
    case X87_FSQRT:
        r = host_fsqrt(v, cw, &sw);
        break;
    case X87_FSIN:
        r = host_fsin(v, cw, &sw);
        break;
    case X87_FCOS:
        r = host_fcos(v, cw, &sw);
        break;
    case X87_F2XM1:
        r = host_f2xm1(v, cw, &sw);
        break;
    default:
        r = host_frndint(v, cw, &sw);
        break;
    }
    sw = x87_tiny_sw(c, sw, r);
    if (unlikely(x87_biased(c, sw)))
        r = x87_bias_other(c, r, v, NULL, &sw);
    if (!x87_exceptions(c, sw & FSW_EXC, false))
        return i + 1;
    x87_set_c1(c, sw);
    if (i->aux == X87_FSIN || i->aux == X87_FCOS)
        c->fpu.fsw &= (u16)~FSW_C2;
    x87_set_phys(c, p0, r);
    return i + 1;
}

/* FPTAN, FSINCOS, FXTRACT: ST(0) replaced and a second value pushed. aux: 0 FPTAN,
 * 1 FSINCOS, 2 FXTRACT. */
static const struct insn *exec_x87_two_results(struct cpu *c, const struct insn *i)
{
    unsigned p0, pn;
    long double v, top, below;
    u16 sw, cw;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    pn = x87_phys(c, 7);
    if (i->aux != 2 && (x87_is_empty(c, p0) || !x87_is_empty(c, pn)))
        c->fpu.fsw &= (u16)~FSW_C2; /* stack faults of FPTAN/FSINCOS clear C2 */
    if (unlikely(x87_is_empty(c, p0))) {
        /* Masked underflow: the indefinite replaces ST(0) and is pushed, over ST(7) even
         * when that register is in use (no overflow is reported), as the host does. */
        if (x87_stack_fault(c, false)) {
            x87_set_indefinite(c, p0);
            x87_set_top(c, pn);
            x87_set_indefinite(c, pn);
        }
        return i + 1;
    }
    if (unlikely(!x87_is_empty(c, pn))) {
        if (x87_stack_fault(c, true)) {
            x87_set_indefinite(c, p0);
            x87_set_top(c, pn);
            x87_set_indefinite(c, pn);
        }
        return i + 1;
    }
    if (i->aux != 2 && x87_trig_out_of_range(c->fpu.st[p0])) {
        c->fpu.fsw = (u16)((c->fpu.fsw | FSW_C2) & ~FSW_C1);
        return i + 1;
    }
    v = x87_get_phys(c, p0);
    cw = x87_host_cw(c);
    if (i->aux == 0)
        below = host_fptan(v, &top, cw, &sw);
    else if (i->aux == 1)
        below = host_fsincos(v, &top, cw, &sw);
    else
        below = host_fxtract(v, &top, cw, &sw);
    if (i->aux != 2) {
        sw = x87_tiny_sw(c, sw, below);
        if (unlikely(x87_biased(c, sw)))
            below = x87_bias_other(c, below, v, NULL, &sw);
    }
    if (!x87_exceptions(c, sw & FSW_EXC, false))
        return i + 1;
    x87_set_c1(c, sw);
    if (i->aux != 2)
        c->fpu.fsw &= (u16)~FSW_C2;
    x87_set_phys(c, p0, below);
    x87_set_top(c, pn);
    x87_set_phys(c, pn, top);
    return i + 1;
}

/* Two operands ST(0), ST(1). aux: 0 FPREM, 1 FPREM1, 2 FSCALE (result in ST(0));
 * 3 FYL2X, 4 FYL2XP1, 5 FPATAN (result in ST(1), then pop). */
static const struct insn *exec_x87_binop(struct cpu *c, const struct insn *i)
{
    unsigned p0, p1;
    long double a, b, r;
    u16 sw, cw;
    bool to_st1 = i->aux >= 3;

    fpu_check_x87(c);
    x87_note_insn(c, i);
    p0 = x87_phys(c, 0);
    p1 = x87_phys(c, 1);
    if (unlikely(x87_is_empty(c, p0) || x87_is_empty(c, p1))) {
        if (x87_stack_fault(c, false)) {
            x87_set_indefinite(c, to_st1 ? p1 : p0);
            if (to_st1)
                x87_pop(c);
        }
        return i + 1;
    }
    a = x87_get_phys(c, p0);
    b = x87_get_phys(c, p1);
    cw = x87_host_cw(c);
    switch (i->aux) {
    case 0:
        r = host_fprem(a, b, cw, &sw);
        break;
    case 1:
        r = host_fprem1(a, b, cw, &sw);
        break;
    case 2:
        r = host_fscale(a, b, cw, &sw);
        break;
    case 3:
        r = host_fyl2x(a, b, cw, &sw);
        break;
    case 4:
        r = host_fyl2xp1(a, b, cw, &sw);
        break;
    default:
        r = host_fpatan(a, b, cw, &sw);
        break;
    }
    sw = x87_tiny_sw(c, sw, r);
    if (unlikely(x87_biased(c, sw)))
        r = x87_bias_other(c, r, a, i->aux == 2 ? &b : NULL, &sw);
    if (!x87_exceptions(c, sw & FSW_EXC, false))
        return i + 1;
    if (i->aux <= 1 && r != r) /* NaN result: C0, C3 kept; C1, C2 from the host */
        x87_set_cc(c, (u16)((c->fpu.fsw & (FSW_C0 | FSW_C3)) | (sw & (FSW_C1 | FSW_C2))));
    else if (i->aux <= 1)
        x87_set_cc(c, sw); /* quotient bits in C0 C3 C1, C2 = incomplete */
    else
        x87_set_c1(c, sw);
    if (to_st1) {
        x87_set_phys(c, p1, r);
        x87_pop(c);
    } else {
        x87_set_phys(c, p0, r);
    }
    return i + 1;
}

/* ---- control ----------------------------------------------------------------------------- */

static const struct insn *exec_x87_fnstsw_m16(struct cpu *c, const struct insn *i)
{
    fpu_check_x87_nowait(c);
    cpu_write16(c, i->seg, insn_ea(c, i), c->fpu.fsw);
    return i + 1;
}

static const struct insn *exec_x87_fnstsw_ax(struct cpu *c, const struct insn *i)
{
    fpu_check_x87_nowait(c);
    reg_write(c, 0, SZ16, c->fpu.fsw);
    return i + 1;
}

static const struct insn *exec_x87_fnstcw(struct cpu *c, const struct insn *i)
{
    fpu_check_x87_nowait(c);
    cpu_write16(c, i->seg, insn_ea(c, i), c->fpu.fcw);
    return i + 1;
}

static const struct insn *exec_x87_fldcw(struct cpu *c, const struct insn *i)
{
    u16 cw;

    fpu_check_x87(c);
    cw = cpu_read16(c, i->seg, insn_ea(c, i));
    c->fpu.fcw = fpu_fcw_load(cw);
    x87_update_es(c);
    return i + 1;
}

static const struct insn *exec_x87_fnclex(struct cpu *c, const struct insn *i)
{
    fpu_check_x87_nowait(c);
    c->fpu.fsw &= (u16) ~(FSW_EXC | FSW_SF | FSW_ES | FSW_B);
    return i + 1;
}

static void x87_finit(struct fpu_state *f)
{
    f->fcw = FCW_DEFAULT;
    f->fsw = 0;
    f->ftw = 0;
    f->fop = 0;
    f->fip = 0;
    f->fdp = 0;
    f->fcs = 0;
    f->fds = 0;
}

static const struct insn *exec_x87_fninit(struct cpu *c, const struct insn *i)
{
    fpu_check_x87_nowait(c);
    x87_finit(&c->fpu);
    return i + 1;
}

/* FENI, FDISI, FSETPM (DB E0, E1, E4): 8087/287 controls, no-ops since the 387. */
static const struct insn *exec_x87_fnop_legacy(struct cpu *c, const struct insn *i)
{
    fpu_check_x87_nowait(c);
    return i + 1;
}

/* FWAIT (9B): #NM when CR0.MP and CR0.TS are both set; pending unmasked exceptions: #MF. */
static const struct insn *exec_fwait(struct cpu *c, const struct insn *i)
{
    if (unlikely((c->cr0 & (FPU_CR0_MP | FPU_CR0_TS)) == (FPU_CR0_MP | FPU_CR0_TS)))
        fpu_raise_nm(c);
    if (unlikely(c->fpu.fsw & FSW_ES) && (c->cr0 & FPU_CR0_NE))
        fpu_raise_mf(c);
    return i + 1;
}

/* ---- environment and full state (SDM vol. 1 8.1.10, figures 8-9 to 8-12) ----------------- */

static bool x87_real_format(const struct cpu *c)
{
    return c->mode == CPU_MODE_REAL || c->mode == CPU_MODE_VM86;
}

static void put16(u8 *p, u16 v)
{
    memcpy(p, &v, 2);
}

static void put32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
}

static u16 get16(const u8 *p)
{
    u16 v;

    memcpy(&v, p, 2);
    return v;
}

static u32 get32(const u8 *p)
{
    u32 v;

    memcpy(&v, p, 4);
    return v;
}

/* Build the environment image; Return: its size (14 or 28 bytes). */
static unsigned x87_env_image(const struct cpu *c, const struct insn *i, u8 *img)
{
    const struct fpu_state *f = &c->fpu;
    bool real = x87_real_format(c);
    u32 fip = (u32)f->fip, fdp = (u32)f->fdp;
    u16 tw = fpu_full_tag(f);

    if (i->opsize == SZ16) {
        put16(img + 0, f->fcw);
        put16(img + 2, f->fsw);
        put16(img + 4, tw);
        if (real) {
            put16(img + 6, (u16)fip);
            put16(img + 8, (u16)(((fip >> 4) & 0xf000) | (f->fop & 0x7ff)));
            put16(img + 10, (u16)fdp);
            put16(img + 12, (u16)((fdp >> 4) & 0xf000));
        } else {
            put16(img + 6, (u16)fip);
            put16(img + 8, f->fcs);
            put16(img + 10, (u16)fdp);
            put16(img + 12, f->fds);
        }
        return 14;
    }
    put32(img + 0, 0xffff0000u | f->fcw);
    put32(img + 4, 0xffff0000u | f->fsw);
    put32(img + 8, 0xffff0000u | tw);
    if (real) {
        put32(img + 12, 0xffff0000u | (fip & 0xffff));
        put32(img + 16, ((fip >> 4) & 0x0ffff000u) | (f->fop & 0x7ffu));
        put32(img + 20, 0xffff0000u | (fdp & 0xffff));
        put32(img + 24, (fdp >> 4) & 0x0ffff000u);
    } else {
        put32(img + 12, fip);
        put32(img + 16, ((u32)(f->fop & 0x7ff) << 16) | f->fcs);
        put32(img + 20, fdp);
        put32(img + 24, 0xffff0000u | f->fds);
    }
    return 28;
}

static void x87_load_env_image(struct cpu *c, const struct insn *i, const u8 *img)
{
    struct fpu_state *f = &c->fpu;
    bool real = x87_real_format(c);

    f->fcw = fpu_fcw_load(get16(img));
    f->fsw = get16(img + (i->opsize == SZ16 ? 2 : 4));
    f->ftw = fpu_abridge_tag(get16(img + (i->opsize == SZ16 ? 4 : 8)));
    if (i->opsize == SZ16) {
        if (real) {
            u16 w = get16(img + 8);

            f->fip = get16(img + 6) | ((u64)(w & 0xf000) << 4);
            f->fop = w & 0x7ff;
            f->fdp = get16(img + 10) | ((u64)(get16(img + 12) & 0xf000) << 4);
        } else {
            f->fip = get16(img + 6);
            f->fcs = get16(img + 8);
            f->fdp = get16(img + 10);
            f->fds = get16(img + 12);
        }
    } else if (real) {
        u32 w = get32(img + 16);

        f->fip = (get32(img + 12) & 0xffff) | ((u64)(w & 0x0ffff000u) << 4);
        f->fop = w & 0x7ff;
        f->fdp = (get32(img + 20) & 0xffff) | ((u64)(get32(img + 24) & 0x0ffff000u) << 4);
    } else {
        u32 w = get32(img + 16);

        f->fip = get32(img + 12);
        f->fcs = (u16)w;
        f->fop = (w >> 16) & 0x7ff;
        f->fdp = get32(img + 20);
        f->fds = get16(img + 24);
    }
    x87_update_es(c);
}

static const struct insn *exec_x87_fnstenv(struct cpu *c, const struct insn *i)
{
    u8 img[28];
    unsigned n;

    fpu_check_x87_nowait(c);
    n = x87_env_image(c, i, img);
    fpu_write_mem(c, i->seg, insn_ea(c, i), img, n);
    c->fpu.fcw |= FSW_EXC; /* FNSTENV masks all exceptions afterwards */
    return i + 1;
}

static const struct insn *exec_x87_fldenv(struct cpu *c, const struct insn *i)
{
    u8 img[28];

    fpu_check_x87(c);
    fpu_read_mem(c, i->seg, insn_ea(c, i), img, i->opsize == SZ16 ? 14 : 28);
    x87_load_env_image(c, i, img);
    return i + 1;
}

static const struct insn *exec_x87_fnsave(struct cpu *c, const struct insn *i)
{
    u8 img[108];
    unsigned n;

    fpu_check_x87_nowait(c);
    n = x87_env_image(c, i, img);
    for (unsigned k = 0; k < 8; k++)
        memcpy(img + n + 10 * k, c->fpu.st[x87_phys(c, k)], 10);
    fpu_write_mem(c, i->seg, insn_ea(c, i), img, n + 80);
    x87_finit(&c->fpu);
    return i + 1;
}

static const struct insn *exec_x87_frstor(struct cpu *c, const struct insn *i)
{
    u8 img[108];
    unsigned n = i->opsize == SZ16 ? 14 : 28;

    fpu_check_x87(c);
    fpu_read_mem(c, i->seg, insn_ea(c, i), img, n + 80);
    x87_load_env_image(c, i, img);
    for (unsigned k = 0; k < 8; k++)
        memcpy(c->fpu.st[x87_phys(c, k)], img + n + 10 * k, 10);
    return i + 1;
}

/* ---- registration ------------------------------------------------------------------------ */

static void x87_mem(struct optable *t, u8 op, u8 digit, const char *name, exec_fn *fn, u8 aux)
{
    struct op_entry e = {.name = name, .flags = OPF_MODRM, .fn = fn, .aux = aux};

    if (aux & X87_INT_TRUNC)
        e.cpuid_feature = FEAT_SSE3; /* FISTTP */

    optable_set_x87(t, op, digit, &e);
}

/* Eight register forms op, modrm .. modrm+7 (ST(i) in ModRM.rm). */
static void x87_reg8(struct optable *t, u8 op, u8 modrm, const char *name, exec_fn *fn, u8 aux)
{
    struct op_entry e = {.name = name, .flags = OPF_MODRM, .fn = fn, .aux = aux};

    for (unsigned k = 0; k < 8; k++)
        optable_set_x87(t, op, (u8)(modrm + k), &e);
}

static void x87_reg1(struct optable *t, u8 op, u8 modrm, const char *name, exec_fn *fn, u8 aux)
{
    struct op_entry e = {.name = name, .flags = OPF_MODRM, .fn = fn, .aux = aux};

    optable_set_x87(t, op, modrm, &e);
}

void exec_x87_register(struct optable *t)
{
    static const char *const arith_names[8] = {"fadd", "fmul",  "fcom", "fcomp",
                                               "fsub", "fsubr", "fdiv", "fdivr"};
    static const char *const iarith_names[8] = {"fiadd", "fimul",  "ficom", "ficomp",
                                                "fisub", "fisubr", "fidiv", "fidivr"};
    /* DC/DE register forms: ModRM.reg 4-7 mean SUBR, SUB, DIVR, DIV (SDM vol. 2 A.4.2). */
    static const u8 rev_ops[8] = {X87_ADD,  X87_MUL, X87_COM,  X87_COMP,
                                  X87_SUBR, X87_SUB, X87_DIVR, X87_DIV};
    static const char *const rev_names[8] = {"fadd",  "fmul", "fcom2", "fcomp3",
                                             "fsubr", "fsub", "fdivr", "fdiv"};
    static const char *const revp_names[8] = {"faddp",  "fmulp", "fcomp5", "fcompp",
                                              "fsubrp", "fsubp", "fdivrp", "fdivp"};
    struct op_entry fwait = {.name = "fwait", .fn = exec_fwait};

    for (u8 d = 0; d < 8; d++) {
        x87_mem(t, 0xd8, d, arith_names[d], exec_x87_arith_m32fp, d);
        x87_mem(t, 0xdc, d, arith_names[d], exec_x87_arith_m64fp, d);
        x87_mem(t, 0xda, d, iarith_names[d], exec_x87_arith_m32int, d);
        x87_mem(t, 0xde, d, iarith_names[d], exec_x87_arith_m16int, d);
        if (d == X87_COM || d == X87_COMP) {
            x87_reg8(t, 0xd8, (u8)(0xc0 + 8 * d), arith_names[d], exec_x87_fcom_sti,
                     d == X87_COMP ? X87_CMP_POP1 : 0);
            x87_reg8(t, 0xdc, (u8)(0xc0 + 8 * d), rev_names[d], exec_x87_fcom_sti,
                     d == X87_COMP ? X87_CMP_POP1 : 0);
        } else {
            x87_reg8(t, 0xd8, (u8)(0xc0 + 8 * d), arith_names[d], exec_x87_arith_st0_sti, d);
            x87_reg8(t, 0xdc, (u8)(0xc0 + 8 * d), rev_names[d], exec_x87_arith_sti_st0, rev_ops[d]);
            x87_reg8(t, 0xde, (u8)(0xc0 + 8 * d), revp_names[d], exec_x87_arith_sti_st0_pop,
                     rev_ops[d]);
        }
    }
    x87_reg8(t, 0xde, 0xd0, "fcomp5", exec_x87_fcom_sti, X87_CMP_POP1);
    x87_reg1(t, 0xde, 0xd9, "fcompp", exec_x87_fcom_sti, X87_CMP_POP2);

    /* D9 */
    x87_mem(t, 0xd9, 0, "fld", exec_x87_fld_m32fp, 0);
    x87_mem(t, 0xd9, 2, "fst", exec_x87_fst_m32fp, 0);
    x87_mem(t, 0xd9, 3, "fstp", exec_x87_fst_m32fp, 1);
    x87_mem(t, 0xd9, 4, "fldenv", exec_x87_fldenv, 0);
    x87_mem(t, 0xd9, 5, "fldcw", exec_x87_fldcw, 0);
    x87_mem(t, 0xd9, 6, "fnstenv", exec_x87_fnstenv, 0);
    x87_mem(t, 0xd9, 7, "fnstcw", exec_x87_fnstcw, 0);
    x87_reg8(t, 0xd9, 0xc0, "fld", exec_x87_fld_sti, 0);
    x87_reg8(t, 0xd9, 0xc8, "fxch", exec_x87_fxch, 0);
    x87_reg1(t, 0xd9, 0xd0, "fnop", exec_x87_fnop, 0);
    x87_reg8(t, 0xd9, 0xd8, "fstp1", exec_x87_fst_sti, 1);
    x87_reg1(t, 0xd9, 0xe0, "fchs", exec_x87_unop, X87_FCHS);
    x87_reg1(t, 0xd9, 0xe1, "fabs", exec_x87_unop, X87_FABS);
    x87_reg1(t, 0xd9, 0xe4, "ftst", exec_x87_ftst, 0);
    x87_reg1(t, 0xd9, 0xe5, "fxam", exec_x87_fxam, 0);
    {
        static const char *const names[7] = {"fld1",   "fldl2t", "fldl2e", "fldpi",
                                             "fldlg2", "fldln2", "fldz"};

        for (u8 k = 0; k < 7; k++)
            x87_reg1(t, 0xd9, (u8)(0xe8 + k), names[k], exec_x87_fldconst, k);
    }
    x87_reg1(t, 0xd9, 0xf0, "f2xm1", exec_x87_unop, X87_F2XM1);
    x87_reg1(t, 0xd9, 0xf1, "fyl2x", exec_x87_binop, 3);
    x87_reg1(t, 0xd9, 0xf2, "fptan", exec_x87_two_results, 0);
    x87_reg1(t, 0xd9, 0xf3, "fpatan", exec_x87_binop, 5);
    x87_reg1(t, 0xd9, 0xf4, "fxtract", exec_x87_two_results, 2);
    x87_reg1(t, 0xd9, 0xf5, "fprem1", exec_x87_binop, 1);
    x87_reg1(t, 0xd9, 0xf6, "fdecstp", exec_x87_fincstp, 1);
    x87_reg1(t, 0xd9, 0xf7, "fincstp", exec_x87_fincstp, 0);
    x87_reg1(t, 0xd9, 0xf8, "fprem", exec_x87_binop, 0);
    x87_reg1(t, 0xd9, 0xf9, "fyl2xp1", exec_x87_binop, 4);
    x87_reg1(t, 0xd9, 0xfa, "fsqrt", exec_x87_unop, X87_FSQRT);
    x87_reg1(t, 0xd9, 0xfb, "fsincos", exec_x87_two_results, 1);
    x87_reg1(t, 0xd9, 0xfc, "frndint", exec_x87_unop, X87_FRNDINT);
    x87_reg1(t, 0xd9, 0xfd, "fscale", exec_x87_binop, 2);
    x87_reg1(t, 0xd9, 0xfe, "fsin", exec_x87_unop, X87_FSIN);
    x87_reg1(t, 0xd9, 0xff, "fcos", exec_x87_unop, X87_FCOS);

    /* DA, DB register forms: FCMOVcc, FUCOMPP, FCOMI, control. */
    x87_reg8(t, 0xda, 0xc0, "fcmovb", exec_x87_fcmov, CC_B);
    x87_reg8(t, 0xda, 0xc8, "fcmove", exec_x87_fcmov, CC_E);
    x87_reg8(t, 0xda, 0xd0, "fcmovbe", exec_x87_fcmov, CC_BE);
    x87_reg8(t, 0xda, 0xd8, "fcmovu", exec_x87_fcmov, CC_P);
    x87_reg1(t, 0xda, 0xe9, "fucompp", exec_x87_fcom_sti, X87_CMP_U | X87_CMP_POP2);
    x87_reg8(t, 0xdb, 0xc0, "fcmovnb", exec_x87_fcmov, CC_AE);
    x87_reg8(t, 0xdb, 0xc8, "fcmovne", exec_x87_fcmov, CC_NE);
    x87_reg8(t, 0xdb, 0xd0, "fcmovnbe", exec_x87_fcmov, CC_A);
    x87_reg8(t, 0xdb, 0xd8, "fcmovnu", exec_x87_fcmov, CC_NP);
    x87_reg1(t, 0xdb, 0xe0, "feni", exec_x87_fnop_legacy, 0);
    x87_reg1(t, 0xdb, 0xe1, "fdisi", exec_x87_fnop_legacy, 0);
    x87_reg1(t, 0xdb, 0xe2, "fnclex", exec_x87_fnclex, 0);
    x87_reg1(t, 0xdb, 0xe3, "fninit", exec_x87_fninit, 0);
    x87_reg1(t, 0xdb, 0xe4, "fsetpm", exec_x87_fnop_legacy, 0);
    x87_reg8(t, 0xdb, 0xe8, "fucomi", exec_x87_fcom_sti, X87_CMP_U | X87_CMP_EFL);
    x87_reg8(t, 0xdb, 0xf0, "fcomi", exec_x87_fcom_sti, X87_CMP_EFL);
    x87_reg8(t, 0xdf, 0xe8, "fucomip", exec_x87_fcom_sti, X87_CMP_U | X87_CMP_EFL | X87_CMP_POP1);
    x87_reg8(t, 0xdf, 0xf0, "fcomip", exec_x87_fcom_sti, X87_CMP_EFL | X87_CMP_POP1);

    /* DB, DD, DF memory forms: integer and m64/m80 loads and stores, state. */
    x87_mem(t, 0xdb, 0, "fild", exec_x87_fild_m32, 0);
    x87_mem(t, 0xdb, 1, "fisttp", exec_x87_fist, SZ32 | X87_INT_POP | X87_INT_TRUNC);
    x87_mem(t, 0xdb, 2, "fist", exec_x87_fist, SZ32);
    x87_mem(t, 0xdb, 3, "fistp", exec_x87_fist, SZ32 | X87_INT_POP);
    x87_mem(t, 0xdb, 5, "fld", exec_x87_fld_m80fp, 0);
    x87_mem(t, 0xdb, 7, "fstp", exec_x87_fstp_m80fp, 0);
    x87_mem(t, 0xdd, 0, "fld", exec_x87_fld_m64fp, 0);
    x87_mem(t, 0xdd, 1, "fisttp", exec_x87_fist, SZ64 | X87_INT_POP | X87_INT_TRUNC);
    x87_mem(t, 0xdd, 2, "fst", exec_x87_fst_m64fp, 0);
    x87_mem(t, 0xdd, 3, "fstp", exec_x87_fst_m64fp, 1);
    x87_mem(t, 0xdd, 4, "frstor", exec_x87_frstor, 0);
    x87_mem(t, 0xdd, 6, "fnsave", exec_x87_fnsave, 0);
    x87_mem(t, 0xdd, 7, "fnstsw", exec_x87_fnstsw_m16, 0);
    x87_mem(t, 0xdf, 0, "fild", exec_x87_fild_m16, 0);
    x87_mem(t, 0xdf, 1, "fisttp", exec_x87_fist, SZ16 | X87_INT_POP | X87_INT_TRUNC);
    x87_mem(t, 0xdf, 2, "fist", exec_x87_fist, SZ16);
    x87_mem(t, 0xdf, 3, "fistp", exec_x87_fist, SZ16 | X87_INT_POP);
    x87_mem(t, 0xdf, 4, "fbld", exec_x87_fbld, 0);
    x87_mem(t, 0xdf, 5, "fild", exec_x87_fild_m64, 0);
    x87_mem(t, 0xdf, 6, "fbstp", exec_x87_fbstp, 0);
    x87_mem(t, 0xdf, 7, "fistp", exec_x87_fist, SZ64 | X87_INT_POP);

    /* DD, DF register forms. */
    x87_reg8(t, 0xdd, 0xc0, "ffree", exec_x87_ffree, 0);
    x87_reg8(t, 0xdd, 0xc8, "fxch4", exec_x87_fxch, 0);
    x87_reg8(t, 0xdd, 0xd0, "fst", exec_x87_fst_sti, 0);
    x87_reg8(t, 0xdd, 0xd8, "fstp", exec_x87_fst_sti, 1);
    x87_reg8(t, 0xdd, 0xe0, "fucom", exec_x87_fcom_sti, X87_CMP_U);
    x87_reg8(t, 0xdd, 0xe8, "fucomp", exec_x87_fcom_sti, X87_CMP_U | X87_CMP_POP1);
    x87_reg8(t, 0xdf, 0xc0, "ffreep", exec_x87_ffree, 1);
    x87_reg8(t, 0xdf, 0xc8, "fxch7", exec_x87_fxch, 0);
    x87_reg8(t, 0xdf, 0xd0, "fstp8", exec_x87_fst_sti, 1);
    x87_reg8(t, 0xdf, 0xd8, "fstp9", exec_x87_fst_sti, 1);
    x87_reg1(t, 0xdf, 0xe0, "fnstsw", exec_x87_fnstsw_ax, 0);

    optable_set(t, MAP_1B, 0x9b, &fwait);
}
