/* SPDX-License-Identifier: MIT */
/*
 * The vCPU: creation, RESET/INIT state (Intel SDM vol. 3 10.1), mode bookkeeping (vol. 3 2.2,
 * 9.8.5, vol. 1 3.6), and the run loop: events at block ends (vol. 3 6.8 interrupt enabling,
 * 6.8.3 interrupt shadow), block lookup, handler dispatch, exception unwinding.
 */
#include "core/cpu.h"

#include "base/check.h"
#include "core/block.h"
#include "core/cpuid.h"
#include "core/exception.h"
#include "core/flags.h"

#include <stdlib.h>
#include <string.h>

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_NE 0x20ull
#define CR0_WP 0x10000ull
#define CR0_NW 0x20000000ull
#define CR0_CD 0x40000000ull
#define CR0_PG 0x80000000ull

#define CR4_PAE    0x20ull
#define CR4_PGE    0x80ull
#define CR4_PCIDE  0x20000ull
#define CR4_LA57   0x1000ull
#define CR4_SMEP   0x100000ull
#define CR4_SMAP   0x200000ull
#define CR4_OSFXSR 0x200ull

#define EFER_SCE 0x1ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define EFER_NXE 0x800ull

#define RFLAGS_DEFINED 0x3f7fd5ull /* bits that exist besides the fixed bit 1 */

/* Descriptor attributes (cpu.h layout) of the segments cpu_reset/cpu_set_long_mode load. */
#define ATTR_CODE16   0x09b /* P, S, execute/read, accessed */
#define ATTR_DATA16   0x093 /* P, S, read/write, accessed */
#define ATTR_CODE64   0xa9b /* + L, G */
#define ATTR_DATA32   0xc93 /* + D/B, G */
#define ATTR_LDT      0x082
#define ATTR_TSS_BUSY 0x08b

struct cpu *cpu_create(const struct cpu_config *cfg, struct emu_err *err)
{
    size_t size = (sizeof(struct cpu) + 63) & ~(size_t)63;
    struct cpu *c;

    /* x87 and SSE4 arithmetic run on the host's own instructions for exact results. */
    if (!__builtin_cpu_supports("sse4.2")) {
        err_set(err, "the host CPU lacks SSE4.2, which terrace needs to emulate SSE exactly");
        return NULL;
    }
    c = aligned_alloc(64, size);
    if (!c) {
        err_set(err, "cpu%u: out of memory", cfg->index);
        return NULL;
    }
    memset(c, 0, size);
    c->index = cfg->index;
    c->pm = cfg->pm;
    c->mmu = cfg->mmu;
    c->ms = cfg->ms;
    c->optable = cfg->optable;
    c->cpuid = cfg->cpuid;
    c->bus = cfg->bus;
    c->tsc_per_cycle = cfg->cpu_ghz > 0 ? cfg->tsc_ghz / cfg->cpu_ghz : 1.0;
    if (cfg->blocks) {
        c->blocks = cfg->blocks;
    } else {
        c->blocks = block_cache_create(cfg->pm, 0, err);
        if (!c->blocks)
            goto out_free;
        c->owns_blocks = true;
    }
    if (!block_cache_attach(c->blocks, c, err))
        goto out_blocks;
    cpu_reset(c, false);
    return c;

out_blocks:
    if (c->owns_blocks)
        block_cache_destroy(c->blocks);
out_free:
    free(c);
    return NULL;
}

void cpu_destroy(struct cpu *c)
{
    if (!c)
        return;
    block_cache_detach(c->blocks, c);
    if (c->owns_blocks)
        block_cache_destroy(c->blocks);
    free(c);
}

static void seg_load_raw(struct seg_cache *s, u16 sel, u64 base, u32 limit, u16 attr)
{
    s->sel = sel;
    s->base = base;
    s->limit = limit;
    s->attr = attr;
}

void cpu_reset(struct cpu *c, bool is_init)
{
    u32 sig[4] = {0x00000600, 0, 0, 0}; /* family 6 when no CPUID model is given */

    memset(c->gpr, 0, sizeof(c->gpr));
    if (c->cpuid)
        cpuid_query(c->cpuid, c->index, 1, 0, sig);
    c->gpr[2] = sig[0]; /* EDX = processor signature (SDM vol. 3 10.1.4) */
    c->rip = 0xfff0;
    c->block_rip = 0;
    c->insn = NULL;
    c->lazy = (struct flags_lazy){0};
    c->rflags = RFLAGS_FIXED;
    seg_load_raw(&c->seg[SEG_CS], 0xf000, 0xffff0000ull, 0xffff, ATTR_CODE16);
    for (unsigned s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            seg_load_raw(&c->seg[s], 0, 0, 0xffff, ATTR_DATA16);
    seg_load_raw(&c->ldtr, 0, 0, 0xffff, ATTR_LDT);
    seg_load_raw(&c->tr, 0, 0, 0xffff, ATTR_TSS_BUSY);
    c->gdtr = (struct dtable_reg){0, 0xffff};
    c->idtr = (struct dtable_reg){0, 0xffff};
    /* CR0: CD, NW, ET at RESET; INIT keeps CD and NW (table 10-1). */
    c->cr0 = is_init ? (c->cr0 & (CR0_CD | CR0_NW)) | CR0_ET : CR0_CD | CR0_NW | CR0_ET;
    c->cr2 = c->cr3 = c->cr4 = c->cr8 = 0;
    c->efer = 0;
    c->xcr0 = 1;
    memset(c->dr, 0, sizeof(c->dr));
    c->dr[6] = 0xffff0ff0;
    c->dr[7] = 0x400;
    c->msr_star = c->msr_lstar = c->msr_cstar = c->msr_sfmask = 0;
    c->msr_kernel_gs_base = 0;
    c->msr_sysenter_cs = c->msr_sysenter_esp = c->msr_sysenter_eip = 0;
    if (!is_init) {
        /* INIT keeps x87/SSE state, MTRRs, PAT and TSC_AUX (table 10-1). */
        memset(&c->fpu, 0, sizeof(c->fpu));
        c->fpu.fcw = 0x0040;
        c->fpu.mxcsr = 0x1f80;
        c->msr_pat = 0x0007040600070406ull;
        c->msr_misc_enable = 1; /* fast strings */
        c->msr_tsc_aux = 0;
        c->msr_mtrr_def_type = 0;
        memset(c->msr_mtrr_fixed, 0, sizeof(c->msr_mtrr_fixed));
        memset(c->msr_mtrr_var, 0, sizeof(c->msr_mtrr_var));
    }
    c->intr_shadow = 0;
    c->is_halted = false;
    c->in_nmi = false;
    c->exc_depth = 0;
    c->is_shutdown = false;
    c->events &= ~(u32)(CPU_EV_INIT | CPU_EV_NMI);
    cpu_update_mode(c);
    mmu_flush_all(c->mmu, false);
}

void cpu_set_long_mode(struct cpu *c, u64 cr3, u64 rip, u64 rsp)
{
    c->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    c->cr3 = cr3;
    c->cr4 = CR4_PAE | CR4_OSFXSR;
    c->efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
    seg_load_raw(&c->seg[SEG_CS], 0x10, 0, 0xffffffffu, ATTR_CODE64);
    for (unsigned s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            seg_load_raw(&c->seg[s], 0x18, 0, 0xffffffffu, ATTR_DATA32);
    seg_load_raw(&c->tr, 0, 0, 0x67, ATTR_TSS_BUSY);
    c->rip = rip;
    c->gpr[4] = rsp;
    c->rflags = RFLAGS_FIXED;
    c->lazy.op = FLAGS_OP_NONE;
    cpu_update_mode(c);
    mmu_flush_all(c->mmu, false);
}

/* Whether @s can take the inline path: base 0, 4 GiB limit, writable expand-up data. */
static bool seg_is_flat(const struct seg_cache *s)
{
    return s->base == 0 && s->limit == 0xffffffffu && (s->attr & SEG_ATTR_P) &&
           (s->attr & (SEG_ATTR_S | 0xe)) == (SEG_ATTR_S | 0x2);
}

void cpu_update_mode(struct cpu *c)
{
    const struct seg_cache *cs = &c->seg[SEG_CS];
    u32 flags = 0;

    if (!(c->cr0 & CR0_PE)) {
        c->mode = CPU_MODE_REAL;
    } else if (c->rflags & RFLAGS_VM) {
        c->mode = CPU_MODE_VM86;
    } else if (c->efer & EFER_LMA) {
        if (cs->attr & SEG_ATTR_L)
            c->mode = CPU_MODE_LONG64;
        else
            c->mode = (cs->attr & SEG_ATTR_DB) ? CPU_MODE_COMPAT32 : CPU_MODE_COMPAT16;
    } else {
        c->mode = (cs->attr & SEG_ATTR_DB) ? CPU_MODE_PROT32 : CPU_MODE_PROT16;
    }
    switch (c->mode) {
    case CPU_MODE_REAL:
        c->cpl = 0;
        c->code_size = SZ16;
        c->stack_size = SZ16;
        break;
    case CPU_MODE_VM86:
        c->cpl = 3;
        c->code_size = SZ16;
        c->stack_size = SZ16;
        break;
    case CPU_MODE_LONG64:
        c->cpl = (cs->attr & SEG_ATTR_DPL) >> 5;
        c->code_size = SZ64;
        c->stack_size = SZ64;
        break;
    default:
        c->cpl = (cs->attr & SEG_ATTR_DPL) >> 5;
        c->code_size = (cs->attr & SEG_ATTR_DB) ? SZ32 : SZ16;
        c->stack_size = (c->seg[SEG_SS].attr & SEG_ATTR_DB) ? SZ32 : SZ16;
        break;
    }
    if (c->mode == CPU_MODE_LONG64) {
        c->seg_flat = (1u << SEG_ES) | (1u << SEG_CS) | (1u << SEG_SS) | (1u << SEG_DS);
        c->seg_flat |= (c->seg[SEG_FS].base == 0) << SEG_FS;
        c->seg_flat |= (c->seg[SEG_GS].base == 0) << SEG_GS;
    } else {
        c->seg_flat = 0;
        if (c->mode != CPU_MODE_REAL && c->mode != CPU_MODE_VM86)
            for (unsigned s = 0; s < SEG_COUNT; s++)
                if (s != SEG_CS && seg_is_flat(&c->seg[s]))
                    c->seg_flat |= 1u << s;
    }

    if (!(c->cr0 & CR0_PG))
        flags |= MMU_CTX_NOPAGING;
    else if (!(c->efer & EFER_LMA)) /* SDM vol. 3 4.1.1: 32-bit or PAE paging */
        flags |= (c->cr4 & CR4_PAE) ? MMU_CTX_PAE32
                 : (c->cr4 & 0x10)  ? MMU_CTX_LEGACY32 | MMU_CTX_PSE /* CR4.PSE */
                                    : MMU_CTX_LEGACY32;
    if (c->cpl == 3)
        flags |= MMU_CTX_USER;
    if (c->cr0 & CR0_WP)
        flags |= MMU_CTX_WP;
    if (c->cr4 & CR4_LA57)
        flags |= MMU_CTX_LA57;
    if (c->cr4 & CR4_SMEP)
        flags |= MMU_CTX_SMEP;
    if (c->cr4 & CR4_SMAP)
        flags |= MMU_CTX_SMAP;
    if (c->cr4 & CR4_PCIDE)
        flags |= MMU_CTX_PCIDE;
    if (c->cr4 & CR4_PGE)
        flags |= MMU_CTX_PGE;
    if (c->efer & EFER_NXE)
        flags |= MMU_CTX_NXE;
    if (c->rflags & RFLAGS_AC)
        flags |= MMU_CTX_AC;
    c->ctx.flags = flags;
    c->ctx.cr3 = c->cr3;
    c->ctx.pcid = (c->cr4 & CR4_PCIDE) ? (u32)(c->cr3 & 0xfff) : 0;
}

u64 cpu_get_rflags(struct cpu *c)
{
    flags_materialize(c);
    return c->rflags;
}

void cpu_set_rflags(struct cpu *c, u64 v)
{
    u64 old = c->rflags;

    c->rflags = (v & RFLAGS_DEFINED) | RFLAGS_FIXED;
    c->lazy.op = FLAGS_OP_NONE;
    if ((old ^ c->rflags) & (RFLAGS_VM | RFLAGS_AC))
        cpu_update_mode(c);
}

#define CPU_RUN_GO   (-1) /* run blocks */
#define CPU_RUN_STEP (-2) /* run one instruction, then look at events again */

/*
 * Events at a block boundary: exit requests, INIT/SIPI (left to the machine), NMI, maskable
 * interrupts (IF = 1 and no interrupt shadow), HLT, triple faults.
 * An interrupt shadow (STI, MOV SS: SDM vol. 3 6.8.3) blocks delivery until one more
 * instruction has run: the caller then runs exactly one (CPU_RUN_STEP), so a window such as
 * STI; HLT or STI; NOP; CLI sees a pending interrupt where hardware would.
 * Return: an enum cpu_exit, CPU_RUN_GO or CPU_RUN_STEP.
 */
static int cpu_run_events(struct cpu *c)
{
    if (c->is_shutdown)
        return CPU_EXIT_TRIPLE_FAULT;
    if (c->events & CPU_EV_EXIT) {
        c->events &= ~(u32)CPU_EV_EXIT;
        c->exit_requests++;
        return CPU_EXIT_REQUEST;
    }
    if (c->events & (CPU_EV_INIT | CPU_EV_SIPI))
        return CPU_EXIT_REQUEST;
    if (c->intr_shadow) {
        c->intr_shadow = 0;
        if (!c->is_halted) /* STI; HLT: the shadow covered the HLT */
            return CPU_RUN_STEP;
    }
    if ((c->events & CPU_EV_NMI) && !c->in_nmi) {
        c->events &= ~(u32)CPU_EV_NMI;
        c->is_halted = false;
        c->n_interrupts++;
        cpu_deliver(c, EXC_NMI, EXC_NO_ERROR, INTR_NMI, c->rip);
        c->exc_depth = 0;
    } else if ((c->events & CPU_EV_IRQ) && (c->rflags & RFLAGS_IF)) {
        int vector = c->bus.irq_ack ? c->bus.irq_ack(c->bus.opaque, c->index) : -1;

        if (vector < 0) {
            c->events &= ~(u32)CPU_EV_IRQ; /* nothing deliverable any more */
        } else {
            c->is_halted = false;
            cpu_deliver(c, (u8)vector, EXC_NO_ERROR, INTR_EXTERNAL, c->rip);
            c->exc_depth = 0;
        }
    }
    if (c->is_shutdown)
        return CPU_EXIT_TRIPLE_FAULT;
    if (c->is_halted)
        return CPU_EXIT_HALT;
    return CPU_RUN_GO;
}

/* An exception unwound to cpu_run() (cpu_raise): deliver it. @b: the running block. */
static void cpu_run_fault(struct cpu *c, const struct block *b)
{
    const struct insn *i = c->insn;

    if (i && b) {
        /* The faulting instruction did not complete; those before it did. */
        u64 n = (u64)(i - b->insns);

        c->icount += n;
        c->cycles += n;
        c->rip = c->block_rip + i->end_off - i->len;
    }
    c->insn = NULL;
    cpu_deliver(c, c->exc_vector, c->exc_error, INTR_EXCEPTION, c->rip);
    c->exc_depth = 0;
}

/*
 * The blocks of cpu_run(), apart from its setjmp() so that the compiler keeps @c in a register.
 * @cur: the block running now, for the fault path (a fault unwinds with c->insn in it).
 */
static __attribute__((noinline)) enum cpu_exit cpu_run_blocks(struct cpu *c, u64 end,
                                                              const struct block *volatile *cur)
{
    for (;;) {
        const struct block *b;
        const struct insn *i, *n;

        if (unlikely(c->events | c->intr_shadow | c->is_halted | c->is_shutdown)) {
            int ev;

            c->insn = NULL; /* a fault delivering an event belongs to no instruction */
            ev = cpu_run_events(c);
            if (ev >= 0)
                return (enum cpu_exit)ev;
            if (ev == CPU_RUN_STEP) {
                struct mmu_result r;

                /* One instruction: the first of the block at RIP. */
                b = block_find(c, &r);
                *cur = b;
                c->block_rip = b->rip;
                i = b->insns;
                c->insn = i;
                n = i->fn(c, i);
                if (n) /* stopped before n (the next one, the sentinel, or i itself) */
                    c->rip = c->block_rip + n->end_off - n->len;
                c->icount++;
                c->cycles++;
                c->insn = NULL;
                continue;
            }
        }
        if (unlikely(c->icount >= end))
            return CPU_EXIT_BUDGET;
        /* The lookup (and in detailed mode the fetch charge) clears c->insn before anything
         * that can fault: until the block starts, c->insn is stale. */
        b = block_enter(c);
        *cur = b;
        c->block_rip = b->rip;
        i = b->insns;
        for (;;) {
            c->insn = i;
            n = i->fn(c, i);
            if (!n)
                break;
            i = n;
        }
        /* i returned NULL: it and those before it retired (the sentinel undoes its own). */
        c->icount += (u64)(i - b->insns) + 1;
        c->cycles += (u64)(i - b->insns) + 1;
    }
}

enum cpu_exit cpu_run(struct cpu *c, u64 max_insns)
{
    const u64 end = c->icount + max_insns;
    const struct block *volatile cur = NULL; /* survives the longjmp */
    volatile u64 n_faults = 0;
    enum cpu_exit ret;

    c->insn = NULL;
    c->in_run = true;
    if (setjmp(c->exc_jmp)) {
        const struct block *b = cur;

        cur = NULL;
        cpu_run_fault(c, b);
        /* A guest can fault forever without retiring anything (e.g. a handler whose code is
         * unmapped, on an IST stack): deliveries count toward the budget so we return. */
        if (++n_faults > max_insns) {
            ret = CPU_EXIT_BUDGET;
            goto out;
        }
    }
    ret = cpu_run_blocks(c, end, &cur);
out:
    c->insn = NULL;
    c->in_run = false;
    return ret;
}

static const char *const exc_names[32] = {
    [EXC_DE] = "de", [EXC_DB] = "db", [EXC_NMI] = "nmi", [EXC_BP] = "bp", [EXC_OF] = "of",
    [EXC_BR] = "br", [EXC_UD] = "ud", [EXC_NM] = "nm",   [EXC_DF] = "df", [EXC_TS] = "ts",
    [EXC_NP] = "np", [EXC_SS] = "ss", [EXC_GP] = "gp",   [EXC_PF] = "pf", [EXC_MF] = "mf",
    [EXC_AC] = "ac", [EXC_MC] = "mc", [EXC_XM] = "xm",
};

void cpu_register_stats(struct cpu *c, struct stats_group *g)
{
    struct stats_group *eg = stats_group_new(g, "exceptions");

    stats_counter(g, "instructions", &c->icount, "count", "instructions retired");
    stats_counter(g, "cycles", &c->cycles, "cycles", "virtual time of this vCPU");
    stats_counter(g, "interrupts", &c->n_interrupts, "count", "external interrupts and NMIs");
    stats_counter(g, "blocks_decoded", &c->n_blocks_decoded, "count", "blocks this vCPU decoded");
    stats_counter(g, "smc_invalidations", &c->n_smc_invalidations, "count",
                  "blocks dropped because this vCPU wrote their bytes");
    stats_counter(g, "exit_requests", &c->exit_requests, "count", "cpu_run() exit requests");
    for (unsigned v = 0; v < 32; v++)
        if (exc_names[v])
            stats_counter(eg, exc_names[v], &c->n_exceptions[v], "count",
                          "exceptions raised with this vector");
}
