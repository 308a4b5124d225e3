/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and interrupt delivery (Intel SDM vol. 3 ch. 6). A handler that detects a fault
 * calls cpu_raise(), which unwinds to cpu_run() (longjmp); cpu_run() then delivers the
 * exception through the IVT (real mode) or the IDT (protected, compatibility, 64-bit mode),
 * with the faulting instruction's RIP, privilege and stack switches, IST, and the #DF and
 * triple-fault rules for faults raised while delivering.
 */
#ifndef EMU_CORE_EXCEPTION_H
#define EMU_CORE_EXCEPTION_H

#include "base/types.h"
#include "core/cpu.h"
#include "mm/walker.h"

enum exc_vector {
    EXC_DE = 0, /* divide error */
    EXC_DB = 1, /* debug */
    EXC_NMI = 2,
    EXC_BP = 3,  /* INT3 */
    EXC_OF = 4,  /* INTO */
    EXC_BR = 5,  /* BOUND */
    EXC_UD = 6,  /* invalid opcode */
    EXC_NM = 7,  /* device not available */
    EXC_DF = 8,  /* double fault (error code 0) */
    EXC_TS = 10, /* invalid TSS */
    EXC_NP = 11, /* segment not present */
    EXC_SS = 12, /* stack-segment fault */
    EXC_GP = 13, /* general protection */
    EXC_PF = 14, /* page fault (CR2) */
    EXC_MF = 16, /* x87 floating-point error */
    EXC_AC = 17, /* alignment check */
    EXC_MC = 18, /* machine check */
    EXC_XM = 19, /* SIMD floating-point */
};

#define EXC_NO_ERROR 0xffffffffu /* error_code value for vectors that push none */

/* Selector error code (SDM vol. 3 6.13): EXT, IDT, TI bits and the index. */
#define EXC_SEL_ERR(sel) ((u32)(sel)&0xfffcu)
#define EXC_ERR_EXT      0x1u
#define EXC_ERR_IDT      0x2u
#define EXC_ERR_TI       0x4u

/**
 * cpu_raise() - raise a fault by the current instruction: unwinds to cpu_run(), which delivers
 * @vector with @error_code (EXC_NO_ERROR for none) and the instruction's RIP as return address.
 */
__attribute__((noreturn)) void cpu_raise(struct cpu *c, u8 vector, u32 error_code);

/** cpu_raise_pf() - #PF with CR2 = @va. */
__attribute__((noreturn)) void cpu_raise_pf(struct cpu *c, u64 va, u32 error_code);

/** cpu_raise_walk_fault() - the exception a failed translation calls for: #PF for page faults,
 *  #GP(0) (or #SS(0) for stack accesses) for a non-canonical address. */
__attribute__((noreturn)) void cpu_raise_walk_fault(struct cpu *c, u64 va, enum access_type kind,
                                                    const struct walk_fault *f);

#define cpu_raise_ud(c)  cpu_raise((c), EXC_UD, EXC_NO_ERROR)
#define cpu_raise_gp0(c) cpu_raise((c), EXC_GP, 0)

enum intr_source {
    INTR_EXCEPTION, /* fault or trap raised by the CPU */
    INTR_SOFTWARE,  /* INT n, INT3, INTO: IDT gate DPL checked against CPL */
    INTR_EXTERNAL,  /* maskable interrupt from the interrupt controller */
    INTR_NMI,
};

/**
 * cpu_deliver() - deliver @vector now, as if raised with RIP = @return_rip (the faulting
 * instruction for faults, the next instruction for traps and INT n). Handles real-mode IVT,
 * 16/32-bit and 64-bit IDT gates, privilege changes, IST, error codes. Faults during delivery
 * escalate to #DF and then to a triple fault (cpu_run() returns CPU_EXIT_TRIPLE_FAULT).
 * Called by cpu_run() and by INT n / INT3 / INTO handlers (which then leave the block).
 */
void cpu_deliver(struct cpu *c, u8 vector, u32 error_code, enum intr_source src, u64 return_rip);

#endif
