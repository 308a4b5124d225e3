/* SPDX-License-Identifier: MIT */
/*
 * Shared by the x87, MMX and SSE families (core/exec_x87.c, core/exec_sse*.c): status and
 * control bits, device-availability checks (Intel SDM vol. 1 8.1, 10.2.3, 11.6.12; vol. 3
 * 2.5, 13.1), x87 register-stack access and wide memory operands. Internal to core/.
 */
#ifndef EMU_CORE_FPU_H
#define EMU_CORE_FPU_H

#include "base/types.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/exec.h"
#include "core/optable.h"

#include <string.h>

/* CR0 and CR4 bits the floating-point units depend on (SDM vol. 3 2.5). */
#define FPU_CR0_MP         (1ull << 1)
#define FPU_CR0_EM         (1ull << 2)
#define FPU_CR0_TS         (1ull << 3)
#define FPU_CR0_NE         (1ull << 5)
#define FPU_CR4_OSFXSR     (1ull << 9)
#define FPU_CR4_OSXMMEXCPT (1ull << 10)

/* x87 status word (SDM vol. 1 8.1.3). */
#define FSW_IE  0x0001u
#define FSW_DE  0x0002u
#define FSW_ZE  0x0004u
#define FSW_OE  0x0008u
#define FSW_UE  0x0010u
#define FSW_PE  0x0020u
#define FSW_SF  0x0040u
#define FSW_ES  0x0080u
#define FSW_C0  0x0100u
#define FSW_C1  0x0200u
#define FSW_C2  0x0400u
#define FSW_TOP 0x3800u
#define FSW_C3  0x4000u
#define FSW_B   0x8000u
#define FSW_CC  (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)
#define FSW_EXC 0x003fu /* the six exception flags; also the mask bits of the control word */

/* x87 control word (SDM vol. 1 8.1.5). */
#define FCW_DEFAULT 0x037fu
#define FCW_PC      0x0300u
#define FCW_RC      0x0c00u

/** fpu_fcw_load() - a control word as FLDCW, FLDENV, FRSTOR and FXRSTOR load it: bits 15:13
 *  and 7 are reserved and read as 0, bit 6 reads as 1 (SDM vol. 1 figure 8-6; as the host
 *  does). */
static inline u16 fpu_fcw_load(u16 v)
{
    return (u16)((v & 0x1f3fu) | 0x0040u);
}

/* MXCSR (SDM vol. 1 10.2.3). */
#define MXCSR_IE       0x0001u
#define MXCSR_DE       0x0002u
#define MXCSR_ZE       0x0004u
#define MXCSR_OE       0x0008u
#define MXCSR_UE       0x0010u
#define MXCSR_PE       0x0020u
#define MXCSR_FLAGS    0x003fu
#define MXCSR_DAZ      0x0040u
#define MXCSR_MASKS    0x1f80u
#define MXCSR_OM       0x0400u
#define MXCSR_UM       0x0800u
#define MXCSR_RC       0x6000u
#define MXCSR_FTZ      0x8000u
#define MXCSR_DEFAULT  0x1f80u
#define MXCSR_WRITABLE 0xffffu /* MXCSR_MASK reported by FXSAVE: DAZ supported */

/** fpu_reset() - the x87/SSE power-up state: FNINIT plus MXCSR = 1F80H (SDM vol. 3 10.1.1). */
void fpu_reset(struct fpu_state *f);

/** fpu_full_tag() - the 16-bit x87 tag word (FSTENV/FSAVE format) from the abridged tags and
 *  the register contents (SDM vol. 1 8.1.7). */
u16 fpu_full_tag(const struct fpu_state *f);

/** fpu_abridge_tag() - the FXSAVE abridged tag (bit per register: not empty) of @ftw. */
u8 fpu_abridge_tag(u16 ftw);

/** fpu_raise_mf() - deliver a pending unmasked x87 exception (#MF, CR0.NE = 1). */
__attribute__((noreturn)) void fpu_raise_mf(struct cpu *c);

/** fpu_raise_nm() - #NM: the x87/SSE unit is not available (CR0.EM or CR0.TS). */
__attribute__((noreturn)) void fpu_raise_nm(struct cpu *c);

/** fpu_sse_unavailable() - #UD (CR0.EM, CR4.OSFXSR = 0) or #NM (CR0.TS) for SSE. */
__attribute__((noreturn)) void fpu_sse_unavailable(struct cpu *c);

/** fpu_check_sse() - SSE instructions: #UD if CR0.EM = 1 or CR4.OSFXSR = 0, #NM if CR0.TS. */
static inline void fpu_check_sse(struct cpu *c)
{
    if (unlikely((c->cr0 & (FPU_CR0_EM | FPU_CR0_TS)) || !(c->cr4 & FPU_CR4_OSFXSR)))
        fpu_sse_unavailable(c);
}

/**
 * fpu_check_x87() - before an x87 instruction that waits: #NM if CR0.EM or CR0.TS; #MF if an
 * unmasked exception is pending (FSW.ES) and CR0.NE = 1. With CR0.NE = 0 (MS-DOS style
 * FERR#/IGNNE# reporting) the pending exception is not signalled here: the machine has no
 * FERR# line, which is what a chipset asserting IGNNE# gives (docs/fpu.md).
 */
static inline void fpu_check_x87(struct cpu *c)
{
    if (unlikely(c->cr0 & (FPU_CR0_EM | FPU_CR0_TS)))
        fpu_raise_nm(c);
    if (unlikely(c->fpu.fsw & FSW_ES) && (c->cr0 & FPU_CR0_NE))
        fpu_raise_mf(c);
}

/** fpu_check_x87_nowait() - the non-waiting forms (FNINIT, FNSTSW...): #NM only. */
static inline void fpu_check_x87_nowait(struct cpu *c)
{
    if (unlikely(c->cr0 & (FPU_CR0_EM | FPU_CR0_TS)))
        fpu_raise_nm(c);
}

/** fpu_update_es() - FSW.ES and FSW.B follow the unmasked exception flags (after loads of the
 *  control or status word: FLDCW, FLDENV, FRSTOR, FXRSTOR). */
static inline void fpu_update_es(struct fpu_state *f)
{
    if (f->fsw & ~f->fcw & FSW_EXC)
        f->fsw |= FSW_ES | FSW_B;
    else
        f->fsw &= (u16) ~(FSW_ES | FSW_B);
}

/* ---- wide memory operands ---------------------------------------------------------------- */

/** fpu_read_mem() - @n bytes at @seg:@off (core/mem.h cpu_read_n()). */
static EMU_ALWAYS_INLINE void fpu_read_mem(struct cpu *c, unsigned seg, u64 off, void *dst,
                                           unsigned n)
{
    cpu_read_n(c, seg, off, dst, n);
}

/** fpu_write_mem() - @n bytes to @seg:@off; a fault leaves memory untouched (cpu_write_n()). */
static EMU_ALWAYS_INLINE void fpu_write_mem(struct cpu *c, unsigned seg, u64 off, const void *src,
                                            unsigned n)
{
    cpu_write_n(c, seg, off, src, n);
}

/** fpu_check_align16() - legacy SSE 128-bit operands and FXSAVE: #GP(0) unless the linear
 *  address is 16-byte aligned (SDM vol. 1 11.6.5, vol. 2 FXSAVE). */
static inline void fpu_check_align16(struct cpu *c, unsigned seg, u64 off)
{
    u64 va = (c->seg_flat >> seg) & 1 ? off : c->seg[seg].base + off;

    if (unlikely(va & 15))
        cpu_raise_gp0(c);
}

/* ---- x87 register stack ------------------------------------------------------------------ */

static inline unsigned x87_top(const struct cpu *c)
{
    return (c->fpu.fsw >> 11) & 7;
}

static inline void x87_set_top(struct cpu *c, unsigned top)
{
    c->fpu.fsw = (u16)((c->fpu.fsw & ~FSW_TOP) | ((top & 7) << 11));
}

/** x87_phys() - physical register number of ST(@k). */
static inline unsigned x87_phys(const struct cpu *c, unsigned k)
{
    return (x87_top(c) + k) & 7;
}

static inline bool x87_is_empty(const struct cpu *c, unsigned phys)
{
    return !((c->fpu.ftw >> phys) & 1);
}

static inline long double x87_get_phys(const struct cpu *c, unsigned phys)
{
    long double v = 0;

    memcpy(&v, c->fpu.st[phys], 10);
    return v;
}

static inline void x87_set_phys(struct cpu *c, unsigned phys, long double v)
{
    memcpy(c->fpu.st[phys], &v, 10);
    c->fpu.ftw |= (u8)(1u << phys);
}

/* ---- SSE operands ------------------------------------------------------------------------ */

/* The kinds of memory source an SSE handler reads (register forms read the whole register). */
enum sse_src {
    SSE_M128A, /* 16 bytes, 16-byte aligned or #GP(0) */
    SSE_M128U, /* 16 bytes, any alignment */
    SSE_M64,   /* low 8 bytes, rest zero */
    SSE_M32,   /* low 4 bytes, rest zero */
    SSE_M16,   /* low 2 bytes, rest zero */
};

/** sse_load() - the memory operand of @i as an enum sse_src @kind into @v. */
static EMU_ALWAYS_INLINE void sse_load(struct cpu *c, const struct insn *i, enum sse_src kind,
                                       union xmm_reg *v)
{
    u64 ea = insn_ea(c, i);

    switch (kind) {
    case SSE_M128A:
        fpu_check_align16(c, i->seg, ea);
        fpu_read_mem(c, i->seg, ea, v, 16);
        break;
    case SSE_M128U:
        fpu_read_mem(c, i->seg, ea, v, 16);
        break;
    case SSE_M64:
        v->q[0] = cpu_read64(c, i->seg, ea);
        v->q[1] = 0;
        break;
    case SSE_M32:
        v->q[0] = cpu_read32(c, i->seg, ea);
        v->q[1] = 0;
        break;
    default:
        v->q[0] = cpu_read16(c, i->seg, ea);
        v->q[1] = 0;
        break;
    }
}

/** sse_store128() - store @v to the memory operand (aligned: #GP(0) unless 16-aligned). */
static EMU_ALWAYS_INLINE void sse_store128(struct cpu *c, const struct insn *i,
                                           const union xmm_reg *v, bool aligned)
{
    u64 ea = insn_ea(c, i);

    if (aligned)
        fpu_check_align16(c, i->seg, ea);
    fpu_write_mem(c, i->seg, ea, v, 16);
}

/** sse_raise_simd() - an unmasked SIMD floating-point exception: #XM when CR4.OSXMMEXCPT,
 *  else #UD (SDM vol. 1 11.5.1). */
__attribute__((noreturn)) void sse_raise_simd(struct cpu *c);

/** sse_guest_csr() - the MXCSR to run a host SSE instruction with: the guest's rounding,
 *  DAZ and FTZ, all exceptions masked, no flags. */
static inline u32 sse_guest_csr(const struct cpu *c)
{
    return (c->fpu.mxcsr | MXCSR_MASKS) & ~(u32)MXCSR_FLAGS;
}

/**
 * sse_fp_flags() - fold the host MXCSR @host_out after an operation into the guest's flags
 * (SDM vol. 1 11.5.2: an unmasked pre-computation exception suppresses the post-computation
 * ones) and raise #XM/#UD for unmasked ones, before anything is written.
 */
static inline void sse_fp_flags(struct cpu *c, u32 host_out)
{
    u32 exc = host_out & MXCSR_FLAGS, unmasked;

    if (likely(!exc))
        return;
    unmasked = exc & ~(c->fpu.mxcsr >> 7) & MXCSR_FLAGS;
    if (unmasked & (MXCSR_IE | MXCSR_DE | MXCSR_ZE))
        exc &= MXCSR_IE | MXCSR_DE | MXCSR_ZE;
    c->fpu.mxcsr |= exc;
    if (unlikely(unmasked & exc))
        sse_raise_simd(c);
}

/* A 128-bit vector type for asm operands in XMM registers. */
typedef float sse_v4sf __attribute__((vector_size(16)));

/*
 * SSE_HOST_OP - run one host SSE instruction "@insn src, dst" with the guest's MXCSR: saves
 * the host MXCSR, loads the guest's, runs, stores the resulting MXCSR into @out, restores.
 * One asm statement, so the compiler cannot move the operation out of the window.
 */
#define SSE_HOST_OP(insn, dst, src, csr_in, out)                                                   \
    do {                                                                                           \
        u32 sse_host_csr_ = 0;                                                                     \
        __asm__ __volatile__("stmxcsr %[h]\n\tldmxcsr %[g]\n\t" insn                               \
                             " %[s], %[d]\n\tstmxcsr %[o]\n\tldmxcsr %[h]"                         \
                             : [d] "+x"(dst), [h] "+m"(sse_host_csr_), [o] "=m"(out)               \
                             : [s] "x"(src), [g] "m"(csr_in));                                     \
    } while (0)

/*
 * Unmasked underflow and overflow (SDM vol. 1 11.5.2.3, 11.5.2.4). The host runs with every
 * exception masked; its flags then report an underflow only for a result that is tiny and
 * inexact, while with MXCSR.UM = 0 every tiny result (after rounding, as the host detects it)
 * is an underflow, exact or not; the host also reports UE or OE alone, without PE, for an
 * element whose underflow or overflow is unmasked. Handlers whose operation can underflow or
 * overflow take the slow path sse_fp_uo() when the guest unmasks either (a test of MXCSR on
 * the common, masked, path).
 */
static inline bool sse_uo_unmasked(const struct cpu *c)
{
    return (c->fpu.mxcsr & (MXCSR_UM | MXCSR_OM)) != (MXCSR_UM | MXCSR_OM);
}

/* The shape of an operation for sse_fp_uo(): result elements, their and the sources' sizes. */
#define SSE_UO_LANES 0x07u /* number of result elements: 1 (scalar), 2 or 4 */
#define SSE_UO_R64   0x08u /* result elements are doubles (else singles) */
#define SSE_UO_S64   0x10u /* source elements are doubles (else singles) */
#define SSE_UO_HORIZ 0x20u /* HADD/HSUB: result k from a pair of one operand's elements */

/* The host instruction of an operation: *d = *d op s under MXCSR @csr; returns the MXCSR after. */
typedef u32 sse_host_fn(sse_v4sf *d, sse_v4sf s, u32 csr);

/** sse_uo_csr() - the MXCSR to run the host with on the slow path: FTZ does not apply when
 *  underflow is unmasked. */
static inline u32 sse_uo_csr(const struct cpu *c)
{
    u32 g = sse_guest_csr(c);

    return (c->fpu.mxcsr & MXCSR_UM) ? g : g & ~(u32)MXCSR_FTZ;
}

/**
 * sse_uo_flags() - the guest's flags for a result computed as one element (scalar forms,
 * DPPS/DPPD) in element 0 of @res (@r64: a double), from the host's MXCSR @out after a run
 * with sse_uo_csr(). Return: @out with the flags adjusted.
 */
u32 sse_uo_flags(const struct cpu *c, u32 out, const union xmm_reg *res, bool r64);

/**
 * sse_fp_uo() - run @run on *@d, @s as sse_uo_csr() says and return the MXCSR with the flags
 * the guest sees: per result element (re-running the host on that element alone, the other
 * inputs 1.0, for packed forms whose result shows an underflow, overflow or denormal), a tiny
 * element raises UE when UM = 0 and an unmasked UE or OE replaces the element's PE. @shape:
 * SSE_UO_* bits.
 */
u32 sse_fp_uo(const struct cpu *c, sse_host_fn *run, unsigned shape, sse_v4sf *d, sse_v4sf s);

/*
 * SSE_RM - the register and memory forms of "xmm[reg] = f(xmm[reg], source)" and the selector
 * that picks one at decode time: exec_<name>_r, exec_<name>_m, sel_<name>. @body sees d (the
 * destination register), s (the source: a register, or the memory operand read as @kind),
 * c and i; it must read all of s before it writes d (they may be the same register).
 */
#define SSE_RM(name, kind, ...)                                                                    \
    static inline void name##_do(struct cpu *c, const struct insn *i, union xmm_reg *d,            \
                                 const union xmm_reg *s)                                           \
    {                                                                                              \
        (void)c;                                                                                   \
        (void)i;                                                                                   \
        __VA_ARGS__                                                                                \
    }                                                                                              \
    static const struct insn *exec_##name##_r(struct cpu *c, const struct insn *i)                 \
    {                                                                                              \
        fpu_check_sse(c);                                                                          \
        name##_do(c, i, &c->fpu.xmm[i->reg], &c->fpu.xmm[i->rm]);                                  \
        return i + 1;                                                                              \
    }                                                                                              \
    static const struct insn *exec_##name##_m(struct cpu *c, const struct insn *i)                 \
    {                                                                                              \
        union xmm_reg src;                                                                         \
        fpu_check_sse(c);                                                                          \
        sse_load(c, i, kind, &src);                                                                \
        name##_do(c, i, &c->fpu.xmm[i->reg], &src);                                                \
        return i + 1;                                                                              \
    }                                                                                              \
    static exec_fn *sel_##name(const struct insn *i)                                               \
    {                                                                                              \
        return (i->prefixes & INSN_MEM) ? exec_##name##_m : exec_##name##_r;                       \
    }

/* SSE_FP - a floating-point SSE_RM whose work is the host instruction @insn (AT&T syntax). */
#define SSE_FP(name, kind, insn)                                                                   \
    SSE_RM(name, kind, {                                                                           \
        sse_v4sf dv, sv;                                                                           \
        u32 g = sse_guest_csr(c), out;                                                             \
        memcpy(&dv, d, 16);                                                                        \
        memcpy(&sv, s, 16);                                                                        \
        SSE_HOST_OP(insn, dv, sv, g, out);                                                         \
        sse_fp_flags(c, out);                                                                      \
        memcpy(d, &dv, 16);                                                                        \
    })

/* SSE_FP_UO - SSE_FP for an operation that can underflow or overflow, of shape @shape
 * (SSE_UO_*): the slow path sse_fp_uo() when the guest unmasks underflow or overflow. */
#define SSE_FP_UO(name, kind, insn, shape)                                                         \
    static u32 name##_host(sse_v4sf *d, sse_v4sf s, u32 g)                                         \
    {                                                                                              \
        u32 out;                                                                                   \
        SSE_HOST_OP(insn, *d, s, g, out);                                                          \
        return out;                                                                                \
    }                                                                                              \
    SSE_RM(name, kind, {                                                                           \
        sse_v4sf dv, sv;                                                                           \
        u32 out;                                                                                   \
        memcpy(&dv, d, 16);                                                                        \
        memcpy(&sv, s, 16);                                                                        \
        if (likely(!sse_uo_unmasked(c))) {                                                         \
            u32 g = sse_guest_csr(c);                                                              \
            SSE_HOST_OP(insn, dv, sv, g, out);                                                     \
        } else {                                                                                   \
            out = sse_fp_uo(c, name##_host, (shape), &dv, sv);                                     \
        }                                                                                          \
        sse_fp_flags(c, out);                                                                      \
        memcpy(d, &dv, 16);                                                                        \
    })

/* A registration row: opcode, mandatory prefix, handler or selector, flags, CPUID feature. */
struct sse_op {
    u8 map;
    u8 opcode;
    u8 pfx; /* enum op_prefix */
    const char *name;
    op_select_fn *select;
    exec_fn *fn;
    u32 flags;
    u32 feature;
};

/** sse_register_ops() - optable_set_prefixed() for each row of @ops. */
void sse_register_ops(struct optable *t, const struct sse_op *ops, size_t n);

/* ---- MMX registers (SDM vol. 1 9.5) ------------------------------------------------------ */

/** mmx_check() - the faults of an MMX instruction before its operands are touched: #UD if
 *  CR0.EM, #NM if CR0.TS, #MF if an x87 exception is pending. */
static inline void mmx_check(struct cpu *c)
{
    if (unlikely(c->cr0 & (FPU_CR0_EM | FPU_CR0_TS))) {
        if (c->cr0 & FPU_CR0_EM)
            cpu_raise_ud(c);
        fpu_raise_nm(c);
    }
    if (unlikely(c->fpu.fsw & FSW_ES) && (c->cr0 & FPU_CR0_NE))
        fpu_raise_mf(c);
}

/** mmx_mark() - the x87-to-MMX transition: TOP = 0 and all registers valid (SDM vol. 1
 *  9.5.1, table 9-2). Called once the memory operand is accessed: an instruction that
 *  faults on its operand leaves the x87 state as it was, as the hardware does. */
static inline void mmx_mark(struct cpu *c)
{
    c->fpu.fsw &= (u16)~FSW_TOP;
    c->fpu.ftw = 0xff;
}

/** mmx_enter() - mmx_check() then mmx_mark(), for the forms without a memory operand. */
static inline void mmx_enter(struct cpu *c)
{
    mmx_check(c);
    mmx_mark(c);
}

static inline u64 mmx_get(const struct cpu *c, unsigned r)
{
    u64 v;

    memcpy(&v, c->fpu.st[r & 7], 8);
    return v;
}

/** mmx_set() - write MMn: the mantissa of R<n>, exponent and sign all ones. */
static inline void mmx_set(struct cpu *c, unsigned r, u64 v)
{
    memcpy(c->fpu.st[r & 7], &v, 8);
    c->fpu.st[r & 7][8] = 0xff;
    c->fpu.st[r & 7][9] = 0xff;
}

/* Family registration helpers (core/exec_sse*.c), called from exec_sse_register(). */
void exec_sse_int_register(struct optable *t);
void exec_sse_ext_register(struct optable *t);
void exec_sse_mmx_register(struct optable *t);
void exec_sse4_str_register(struct optable *t); /* from exec_sse4_register() */

/*
 * Handlers of a packed-integer operation @op(dst, a, b, width_bytes) in its XMM register form,
 * XMM aligned-m128 form (with a selector between the two) and MMX form (register or m64).
 */
#define PACKED_INT_HANDLERS(name, op)                                                              \
    static const struct insn *exec_##name##_Vx_Wx_r(struct cpu *c, const struct insn *i)           \
    {                                                                                              \
        union xmm_reg r;                                                                           \
        fpu_check_sse(c);                                                                          \
        op(&r, &c->fpu.xmm[i->reg], &c->fpu.xmm[i->rm], 16);                                       \
        c->fpu.xmm[i->reg] = r;                                                                    \
        return i + 1;                                                                              \
    }                                                                                              \
    static const struct insn *exec_##name##_Vx_Mx(struct cpu *c, const struct insn *i)             \
    {                                                                                              \
        union xmm_reg r, s;                                                                        \
        fpu_check_sse(c);                                                                          \
        sse_load(c, i, SSE_M128A, &s);                                                             \
        op(&r, &c->fpu.xmm[i->reg], &s, 16);                                                       \
        c->fpu.xmm[i->reg] = r;                                                                    \
        return i + 1;                                                                              \
    }                                                                                              \
    static exec_fn *sel_##name##_Vx_Wx(const struct insn *i)                                       \
    {                                                                                              \
        return (i->prefixes & INSN_MEM) ? exec_##name##_Vx_Mx : exec_##name##_Vx_Wx_r;             \
    }                                                                                              \
    static const struct insn *exec_##name##_Pq_Qq(struct cpu *c, const struct insn *i)             \
    {                                                                                              \
        union xmm_reg a = {.q = {0, 0}}, b = {.q = {0, 0}}, r = {.q = {0, 0}};                     \
        mmx_check(c);                                                                              \
        b.q[0] =                                                                                   \
            (i->prefixes & INSN_MEM) ? cpu_read64(c, i->seg, insn_ea(c, i)) : mmx_get(c, i->rm);   \
        mmx_mark(c);                                                                               \
        a.q[0] = mmx_get(c, i->reg);                                                               \
        op(&r, &a, &b, 8);                                                                         \
        mmx_set(c, i->reg, r.q[0]);                                                                \
        return i + 1;                                                                              \
    }

#endif
