/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 vCPU: architectural state, the run loop, and the small interfaces through which
 * the machine connects it to devices (port I/O, interrupts, reset). Memory goes through mm/
 * (per-vCPU MMU model with its front cache; the cache hierarchy in detailed mode).
 * Modes: real, 16/32-bit protected, compatibility and 64-bit (Intel SDM vol. 3 ch. 2, 9, 10).
 */
#ifndef EMU_CORE_CPU_H
#define EMU_CORE_CPU_H

#include "base/err.h"
#include "base/types.h"
#include "core/insn.h"
#include "mm/memsys.h"
#include "mm/mmu.h"
#include "mm/physmem.h"
#include "stats/stats.h"

#include <setjmp.h>

enum seg_reg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_COUNT }; /* SDM order */

/* Hidden part of a segment register (the descriptor cache). attr holds descriptor bits
 * 40-47 in bits 0-7 (type, S, DPL, P) and bits 52-55 in bits 8-11 (AVL, L, D/B, G). */
struct seg_cache {
    u64 base;
    u32 limit; /* byte-granular, after G scaling */
    u16 sel;
    u16 attr;
};

#define SEG_ATTR_TYPE 0x00f
#define SEG_ATTR_S    0x010 /* code/data (1) or system (0) */
#define SEG_ATTR_DPL  0x060
#define SEG_ATTR_P    0x080
#define SEG_ATTR_AVL  0x100
#define SEG_ATTR_L    0x200 /* 64-bit code */
#define SEG_ATTR_DB   0x400 /* default operation size 32 / big stack */
#define SEG_ATTR_G    0x800

struct dtable_reg {
    u64 base;
    u16 limit;
};

/* Execution modes; the decoder's defaults follow from them (SDM vol. 1 3.6, vol. 3 9.8). */
enum cpu_mode {
    CPU_MODE_REAL,     /* CR0.PE = 0 */
    CPU_MODE_PROT16,   /* protected, CS.D = 0 */
    CPU_MODE_PROT32,   /* protected, CS.D = 1 */
    CPU_MODE_COMPAT16, /* IA-32e compatibility, CS.L = 0, CS.D = 0 */
    CPU_MODE_COMPAT32, /* IA-32e compatibility, CS.L = 0, CS.D = 1 */
    CPU_MODE_LONG64,   /* IA-32e 64-bit, CS.L = 1 */
    CPU_MODE_VM86,     /* virtual-8086 (EFLAGS.VM) */
};

/* Lazily evaluated arithmetic flags (core/flags.h): the last flag-setting operation's kind,
 * size, result and operands; CF ZF SF OF AF PF are computed only when read. */
struct flags_lazy {
    u64 res;
    u64 src1;
    u64 src2;
    u32 op; /* enum flags_op | (enum op_size << 8); FLAGS_OP_NONE: rflags holds them */
};

/* x87 + SSE state, laid out for FXSAVE/FXRSTOR (SDM vol. 1 10.5.1). */
union xmm_reg {
    u8 b[16];
    u16 w[8];
    u32 d[4];
    u64 q[2];
    float f[4];
    double df[2];
} __attribute__((aligned(16)));

struct fpu_state {
    u16 fcw;      /* x87 control word */
    u16 fsw;      /* status word, TOP in bits 13:11 */
    u8 ftw;       /* abridged tag word: bit i set = physical register i valid */
    u16 fop;      /* last opcode */
    u64 fip, fdp; /* last instruction / data pointer */
    u16 fcs, fds;
    u8 st[8][10]; /* physical registers R0-R7, 80-bit extended precision */
    u32 mxcsr;
    union xmm_reg xmm[16];
};

/* How the machine reaches devices and interrupt controllers; set before cpu_run(). */
struct cpu_bus {
    void *opaque;
    u32 (*port_in)(void *opaque, u32 cpu, u16 port, unsigned size_bytes);
    void (*port_out)(void *opaque, u32 cpu, u16 port, u32 value, unsigned size_bytes);
    /* The vector of the highest-priority pending maskable interrupt, acknowledged; -1 if
     * none is deliverable any more. Called only when irq_pending is set and IF allows. */
    int (*irq_ack)(void *opaque, u32 cpu);
    /* Reads/writes of MSRs the CPU does not own (e.g. the local APIC's). Return false: #GP. */
    bool (*msr_read)(void *opaque, u32 cpu, u32 msr, u64 *value);
    bool (*msr_write)(void *opaque, u32 cpu, u32 msr, u64 value);
};

/* Why cpu_run() returned. */
enum cpu_exit {
    CPU_EXIT_BUDGET,       /* executed the requested number of instructions */
    CPU_EXIT_HALT,         /* HLT with no interrupt pending: the scheduler may skip time */
    CPU_EXIT_TRIPLE_FAULT, /* shutdown: the machine resets or stops */
    CPU_EXIT_REQUEST,      /* cpu_request_exit() was called (device, debug port, SIPI...) */
};

/* Pending events, set by devices through the machine, polled at block ends. */
#define CPU_EV_IRQ  0x1 /* a maskable interrupt may be pending (INTR line) */
#define CPU_EV_NMI  0x2
#define CPU_EV_INIT 0x4
#define CPU_EV_SIPI 0x8
#define CPU_EV_EXIT 0x10 /* leave cpu_run() */

struct block_cache;
struct block_jc_entry;
struct optable;
struct cpuid_model;

struct cpu {
    /* Hot state first: what nearly every instruction touches. */
    u64 gpr[16];
    u64 rip;                 /* RIP at block boundaries (handlers that leave a block set it) */
    u64 block_rip;           /* RIP (offset in CS) of the current block's first byte */
    const struct insn *insn; /* the instruction executing now (for faults) */
    struct flags_lazy lazy;
    u64 rflags; /* RFLAGS; arithmetic bits valid only when lazy.op is NONE */
    struct mmu *mmu;
    struct mmu_ctx ctx; /* paging context derived from CR0/CR3/CR4/EFER/CPL/AC */
    struct memsys *ms;  /* detailed mode: cache hierarchy charges; NULL in fast mode */
    u64 cycles;         /* virtual time of this vCPU in cycles */
    u64 icount;         /* instructions retired */
    u32 events;         /* CPU_EV_* (written by other threads of control only via
                           cpu_post_event from the same host thread) */
    u8 cpl;
    u8 mode;        /* enum cpu_mode */
    u8 code_size;   /* enum op_size: default operand/address size of CS: SZ16/32/64 */
    u8 stack_size;  /* SS.B: SZ16, SZ32, or SZ64 in 64-bit mode */
    u8 intr_shadow; /* STI / MOV SS shadow: interrupts blocked for one instruction */
    bool is_halted;
    bool in_nmi;  /* NMIs blocked until IRET */
    u32 seg_flat; /* bit per segment whose base is 0 and limit 4 GiB (or 64-bit
                     mode): the fast path skips base and limit work */

    struct seg_cache seg[SEG_COUNT];
    struct seg_cache ldtr, tr;
    struct dtable_reg gdtr, idtr;
    u64 cr0, cr2, cr3, cr4, cr8, efer, xcr0;
    u64 dr[8];

    /* MSRs the core owns (SDM vol. 4). */
    u64 msr_star, msr_lstar, msr_cstar, msr_sfmask, msr_kernel_gs_base, msr_tsc_aux;
    u64 msr_sysenter_cs, msr_sysenter_esp, msr_sysenter_eip;
    u64 msr_pat, msr_misc_enable, msr_tsc_offset, msr_mtrr_def_type;
    u64 msr_mtrr_fixed[11], msr_mtrr_var[16];

    struct fpu_state fpu;

    /* Wiring and configuration. */
    u32 index; /* vCPU number (APIC id) */
    struct physmem *pm;
    struct cpu_bus bus;
    const struct optable *optable;
    const struct cpuid_model *cpuid;
    struct block_cache *blocks;
    double tsc_per_cycle; /* TSC ticks per CPU cycle */
    jmp_buf exc_jmp;      /* exceptions unwind to cpu_run() */
    bool in_run;          /* exc_jmp is valid */
    u32 exc_depth;        /* nested delivery: 1 = first fault, 2 = #DF, 3 = triple fault */
    u64 exit_requests;    /* counters */
    u64 n_exceptions[32], n_interrupts, n_blocks_decoded, n_smc_invalidations;

    /*
     * Exception unwinding (core/exception.c <-> cpu_run() in core/cpu.c): cpu_raise() stores
     * the vector and error code here and longjmps to exc_jmp (value 1). cpu_run() then calls
     * cpu_deliver() with the RIP of c->insn (the faulting instruction) or, when the fault came
     * while no instruction ran (c->insn == NULL: delivering an interrupt), with c->rip.
     * cpu_deliver() raises its own nested faults the same way; it owns exc_depth (#DF rules).
     * A triple fault sets is_shutdown: cpu_run() returns CPU_EXIT_TRIPLE_FAULT.
     */
    u8 exc_vector;
    u32 exc_error;
    bool is_shutdown;
    /* Block lookup (core/block.c): per-vCPU jump cache (virtual RIP -> block), cleared by
     * the shared cache when it flushes; code_frames = cpu_code_frames(). */
    struct block_jc_entry *jc;
    const u8 *code_frames;
    bool owns_blocks; /* the block cache was created for this vCPU alone */
    /* The event cpu_deliver() is delivering while exc_depth > 0 (core/exception.c). */
    u8 exc_cur_vector;
    u8 exc_cur_class; /* #DF rules: 0 benign, 1 contributory, 2 page fault (SDM table 6-5) */
    bool exc_cur_ext; /* not INT n/INT3/INTO: selector error codes carry EXT */
};

struct cpu_config {
    u32 index;
    struct physmem *pm;
    struct mmu *mmu;               /* owned by the caller (machine) */
    struct memsys *ms;             /* NULL: fast mode (no cache timing) */
    const struct optable *optable; /* shared, read-only */
    const struct cpuid_model *cpuid;
    struct cpu_bus bus;
    double tsc_ghz; /* TSC frequency; cycles are converted at cpu_ghz */
    double cpu_ghz;
    struct block_cache *blocks; /* decoded blocks shared by the machine's vCPUs (block.h);
                                   NULL: the vCPU creates a private one */
};

/** cpu_create() - a vCPU in its reset state (SDM vol. 3 10.1.1). Return: NULL and @err. */
struct cpu *cpu_create(const struct cpu_config *cfg, struct emu_err *err);
void cpu_destroy(struct cpu *c);

/** cpu_reset() - power-up/RESET (or INIT, which keeps x87/SSE state and some MSRs). */
void cpu_reset(struct cpu *c, bool is_init);

/**
 * cpu_run() - execute until @max_insns instructions have retired (checked at block ends, so
 * it may run a few more), HLT, a triple fault or an exit request.
 */
enum cpu_exit cpu_run(struct cpu *c, u64 max_insns);

/** cpu_post_event() - set CPU_EV_* bits; they are seen at the next block end. */
static inline void cpu_post_event(struct cpu *c, u32 ev)
{
    c->events |= ev;
}

/** cpu_set_mode_64() - put a reset CPU directly in 64-bit mode with flat segments, paging on
 *  with @cr3 (tests, and the Linux 64-bit boot protocol). */
void cpu_set_long_mode(struct cpu *c, u64 cr3, u64 rip, u64 rsp);

/** cpu_get_rflags() / cpu_set_rflags() - with the lazy arithmetic flags materialised. */
u64 cpu_get_rflags(struct cpu *c);
void cpu_set_rflags(struct cpu *c, u64 v);

/** cpu_update_mode() - recompute mode, code/stack size, CPL-dependent paging context and
 *  flat-segment bits after CR0/CR4/EFER/CS/SS/RFLAGS.VM changes. */
void cpu_update_mode(struct cpu *c);

/** cpu_register_stats() - instructions, cycles, exceptions by vector, interrupts, blocks. */
void cpu_register_stats(struct cpu *c, struct stats_group *g);

#endif
