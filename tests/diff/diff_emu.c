/* SPDX-License-Identifier: MIT */
/*
 * The emulator side of the differential harness: a 64-bit vCPU at CPL 3 with Linux's user
 * selectors (CS 0x33, SS 0x2b, null data segments), the harness's code page and data buffer
 * at the same virtual addresses as on the host, and an IDT whose gates lead to a HLT per
 * vector in a supervisor page, so an exception shows as HLT at a known place (SDM vol. 3
 * 6.14 for 64-bit delivery). One instruction runs per case through cpu_run().
 */
#include "tests/diff/diff.h"

#include "core/block.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/optable.h"
#include "core/seg.h"
#include "mm/mmu.h"
#include "tests/unit/mm/pt_build.h"

#include <stdlib.h>
#include <string.h>

/* Supervisor pages, identity-mapped below the page tables (PT_TABLES_BASE, 1 MiB). */
#define EMU_GDT    0x20000ull
#define EMU_IDT    0x21000ull
#define EMU_TSS    0x22000ull
#define EMU_KCODE  0x23000ull /* HLT for vector v at EMU_KCODE + 16 v */
#define EMU_KSTACK 0x28000ull /* top of the ring-0 stack (pages 0x24000-0x27fff) */

/* Guest-physical homes of the user pages. */
#define EMU_CODE_PA 0x1000000ull
#define EMU_BUF_PA  0x1010000ull

/* Linux's 64-bit GDT layout (arch/x86/include/asm/segment.h) so selectors read the same. */
#define SEL_KCODE   0x10
#define SEL_KDATA   0x18
#define SEL_UCODE32 0x23
#define SEL_UDATA   0x2b
#define SEL_UCODE   0x33
#define SEL_TSS     0x40
#define SEL_CPUNODE 0x7b /* GDT entry 15: user data segment whose limit encodes CPU and node */

#define DESC_KCODE   0x00af9b000000ffffull
#define DESC_KDATA   0x00cf93000000ffffull
#define DESC_UCODE32 0x00cffb000000ffffull
#define DESC_UDATA   0x00cff3000000ffffull
#define DESC_UCODE   0x00affb000000ffffull

/* Exception-less exits the harness reports as pseudo vectors. */
#define EMU_VEC_TRIPLE 256
#define EMU_VEC_STUCK  257

struct diff_emu {
    struct physmem *pm;
    struct pt_build pt;
    struct mmu *mmu;
    struct optable *ot;
    struct cpuid_model *cpuid;
    struct cpu *c;
};

static void wr64(struct diff_emu *m, gpa_t pa, u64 v)
{
    memcpy(physmem_host(m->pm, pa), &v, 8);
}

struct diff_emu *diff_emu_create(const char *cpu_model, char *why, size_t why_len)
{
    struct diff_emu *m = calloc(1, sizeof(*m));
    struct emu_err err = {0};
    struct mmu_config mcfg;
    struct cpu_config cfg = {0};
    u64 tss_desc;

    if (!m)
        return NULL;
    m->pm = pt_physmem_create();
    if (!m->pm) {
        snprintf(why, why_len, "physmem: %s", err.msg);
        free(m);
        return NULL;
    }
    pt_init(&m->pt, m->pm, 4);
    for (gpa_t pa = EMU_GDT; pa < EMU_KSTACK; pa += PAGE_SIZE)
        pt_map(&m->pt, pa, pa, 1, PT_P | PT_RW);
    pt_map(&m->pt, DIFF_CODE_VA, EMU_CODE_PA, 1, PT_ALL);
    for (u32 off = 0; off < DIFF_BUF_SIZE; off += PAGE_SIZE)
        pt_map(&m->pt, DIFF_BUF_VA + off, EMU_BUF_PA + off, 1, PT_ALL);
    mmu_config_default(&mcfg);
    m->mmu = mmu_create(&mcfg, m->pm, NULL, 0, &err);
    m->ot = optable_create();
    m->cpuid = cpuid_model_create(cpu_model, 1, &err);
    if (!m->mmu || !m->ot || !m->cpuid) {
        snprintf(why, why_len, "emulator setup: %s", err.msg[0] ? err.msg : "optable");
        diff_emu_destroy(m);
        return NULL;
    }
    cfg.pm = m->pm;
    cfg.mmu = m->mmu;
    cfg.optable = m->ot;
    cfg.cpuid = m->cpuid;
    cfg.tsc_ghz = 1.0;
    cfg.cpu_ghz = 1.0;
    m->c = cpu_create(&cfg, &err);
    if (!m->c) {
        snprintf(why, why_len, "cpu_create: %s", err.msg);
        diff_emu_destroy(m);
        return NULL;
    }

    /* GDT, TSS (RSP0), IDT with a 64-bit interrupt gate per vector (DPL 3 for #BP and #OF
     * as Linux has them), and the HLT page. */
    memset(physmem_host(m->pm, EMU_GDT), 0, 4 * PAGE_SIZE);
    wr64(m, EMU_GDT + SEL_KCODE, DESC_KCODE);
    wr64(m, EMU_GDT + SEL_KDATA, DESC_KDATA);
    wr64(m, EMU_GDT + (SEL_UCODE32 & ~7), DESC_UCODE32);
    wr64(m, EMU_GDT + (SEL_UDATA & ~7), DESC_UDATA);
    wr64(m, EMU_GDT + (SEL_UCODE & ~7), DESC_UCODE);
    wr64(m, EMU_GDT + (SEL_CPUNODE & ~7), DESC_UDATA);
    tss_desc = 0x67 | ((EMU_TSS & 0xffffff) << 16) | (0x8bull << 40) | ((EMU_TSS >> 24) << 56);
    wr64(m, EMU_GDT + SEL_TSS, tss_desc);
    wr64(m, EMU_GDT + SEL_TSS + 8, EMU_TSS >> 32);
    memcpy(physmem_host(m->pm, EMU_TSS + 4), &(u64){EMU_KSTACK}, 8); /* RSP0 */
    for (unsigned v = 0; v < 256; v++) {
        u64 off = EMU_KCODE + 16 * v;
        unsigned dpl = (v == 3 || v == 4) ? 3 : 0;
        u64 lo = (off & 0xffff) | ((u64)SEL_KCODE << 16) | (0xeull << 40) | ((u64)dpl << 45) |
                 (1ull << 47) | ((off & 0xffff0000ull) << 32);

        wr64(m, EMU_IDT + 16 * v, lo);
        wr64(m, EMU_IDT + 16 * v + 8, off >> 32);
    }
    memset(physmem_host(m->pm, EMU_KCODE), 0xf4, PAGE_SIZE);

    cpu_set_long_mode(m->c, m->pt.root, DIFF_INSN_VA, DIFF_STACK);
    m->c->cr0 |= 0x2;        /* MP, as Linux runs */
    m->c->cr4 |= 1ull << 10; /* OSXMMEXCPT: unmasked SIMD exceptions are #XM */
    m->c->gdtr.base = EMU_GDT;
    m->c->gdtr.limit = 0x7f;
    m->c->idtr.base = EMU_IDT;
    m->c->idtr.limit = 0xfff;
    seg_cache_from_desc(&m->c->tr, SEL_TSS, tss_desc);
    seg_null(&m->c->ldtr, 0); /* no LDT, as under Linux */
    return m;
}

void diff_emu_destroy(struct diff_emu *m)
{
    if (!m)
        return;
    cpu_destroy(m->c);
    cpuid_model_destroy(m->cpuid);
    optable_destroy(m->ot);
    mmu_destroy(m->mmu);
    physmem_destroy(m->pm);
    free(m);
}

void diff_emu_load(struct diff_emu *m, const struct diff_enc *e)
{
    u8 *code = physmem_host(m->pm, EMU_CODE_PA);

    /* JMP $ everywhere: nothing after the instruction runs within the budget anyway. */
    for (unsigned k = 0; k + 1 < PAGE_SIZE; k += 2) {
        code[k] = 0xeb;
        code[k + 1] = 0xfe;
    }
    for (unsigned k = 0; k < DIFF_N_PADS; k++) {
        code[diff_pad_off[k]] = 0xeb;
        code[diff_pad_off[k] + 1] = 0xfe;
    }
    memcpy(code + DIFF_INSN_OFF, e->bytes, e->len);
    code[DIFF_INSN_OFF + e->len] = 0xeb;
    code[DIFF_INSN_OFF + e->len + 1] = 0xfe;
    block_cache_flush(m->c->blocks);
}

static void emu_fpu_in(struct cpu *c, const u8 *fx)
{
    struct fpu_state *f = &c->fpu;
    unsigned top;

    memcpy(&f->fcw, fx + FX_FCW, 2);
    memcpy(&f->fsw, fx + FX_FSW, 2);
    f->ftw = fx[FX_FTW];
    memcpy(&f->fop, fx + FX_FOP, 2);
    memcpy(&f->fip, fx + FX_FIP, 8);
    memcpy(&f->fdp, fx + FX_FDP, 8);
    memcpy(&f->mxcsr, fx + FX_MXCSR, 4);
    top = (f->fsw >> 11) & 7;
    for (unsigned i = 0; i < 8; i++)
        memcpy(f->st[(top + i) & 7], fx + FX_ST + 16 * i, 10);
    for (unsigned i = 0; i < 16; i++)
        memcpy(&f->xmm[i], fx + FX_XMM + 16 * i, 16);
}

static void emu_fpu_out(const struct cpu *c, u8 *fx)
{
    const struct fpu_state *f = &c->fpu;
    unsigned top = (f->fsw >> 11) & 7;

    memset(fx, 0, 512);
    memcpy(fx + FX_FCW, &f->fcw, 2);
    memcpy(fx + FX_FSW, &f->fsw, 2);
    fx[FX_FTW] = f->ftw;
    memcpy(fx + FX_FOP, &f->fop, 2);
    memcpy(fx + FX_FIP, &f->fip, 8);
    memcpy(fx + FX_FDP, &f->fdp, 8);
    memcpy(fx + FX_MXCSR, &f->mxcsr, 4);
    memcpy(fx + FX_MXCSR + 4, &(u32){0xffff}, 4); /* MXCSR_MASK: not compared */
    for (unsigned i = 0; i < 8; i++)
        memcpy(fx + FX_ST + 16 * i, f->st[(top + i) & 7], 10);
    for (unsigned i = 0; i < 16; i++)
        memcpy(fx + FX_XMM + 16 * i, &f->xmm[i], 16);
}

void diff_emu_run(struct diff_emu *m, const struct diff_state *in, struct diff_state *out)
{
    struct cpu *c = m->c;
    enum cpu_exit ex;
    unsigned rounds = 0;

    memcpy(physmem_host(m->pm, EMU_BUF_PA), in->buf, DIFF_BUF_SIZE);
    memcpy(c->gpr, in->gpr, sizeof(c->gpr));
    c->rip = DIFF_INSN_VA;
    seg_cache_from_desc(&c->seg[SEG_CS], SEL_UCODE, DESC_UCODE);
    seg_cache_from_desc(&c->seg[SEG_SS], SEL_UDATA, DESC_UDATA);
    for (unsigned s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS && s != SEG_SS)
            seg_null(&c->seg[s], 0);
    c->is_halted = false;
    c->is_shutdown = false;
    c->intr_shadow = 0;
    c->events = 0;
    c->exc_depth = 0;
    cpu_set_rflags(c, in->rflags);
    cpu_update_mode(c);
    emu_fpu_in(c, in->fx);

    /* One instruction; a REP string instruction may come back to itself: resume it. */
    do {
        ex = cpu_run(c, 1);
    } while (ex == CPU_EXIT_BUDGET && c->rip == DIFF_INSN_VA && c->cpl == 3 && ++rounds < 100000);

    memcpy(out, in, __builtin_offsetof(struct diff_state, buf));
    memcpy(out->buf, physmem_host(m->pm, EMU_BUF_PA), DIFF_BUF_SIZE);
    if (ex == CPU_EXIT_TRIPLE_FAULT) {
        out->vector = EMU_VEC_TRIPLE;
    } else if (c->cpl == 0 && c->rip >= EMU_KCODE && c->rip < EMU_KCODE + PAGE_SIZE) {
        out->vector = (int)((c->rip - EMU_KCODE) / 16); /* the handler or just past its HLT */
    } else if (ex != CPU_EXIT_BUDGET) {
        out->vector = EMU_VEC_STUCK;
    } else {
        out->vector = -1;
        memcpy(out->gpr, c->gpr, sizeof(out->gpr));
        out->rip = c->rip;
        out->rflags = cpu_get_rflags(c);
        out->ds = c->seg[SEG_DS].sel;
        out->es = c->seg[SEG_ES].sel;
        emu_fpu_out(c, out->fx);
    }
}
