/* SPDX-License-Identifier: MIT */
/*
 * Test harness for the system-level core tests (exceptions, segments, system instructions):
 * a vCPU over 64 MiB of guest RAM whose first 16 MiB are identity-mapped with 2 MiB pages,
 * descriptor-table builders, and helpers that run a handler or a delivery the way cpu_run()
 * does (exceptions unwind to a setjmp here).
 */
#ifndef EMU_TESTS_UNIT_CORE_SYS_HARNESS_H
#define EMU_TESTS_UNIT_CORE_SYS_HARNESS_H

#include "../mm/pt_build.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/exception.h"
#include "core/exec.h"
#include "core/optable.h"
#include "core/seg.h"
#include "core/system.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define H_GDT  0x20000ull
#define H_IDT  0x10000ull
#define H_TSS  0x30000ull
#define H_CODE 0x400000ull

/* GDT selectors the harness installs. */
#define H_SEL_CS64   0x08
#define H_SEL_DS     0x10
#define H_SEL_CS64_3 0x1b
#define H_SEL_DS_3   0x23
#define H_SEL_TSS    0x28 /* 16 bytes in IA-32e mode */
#define H_SEL_CS32   0x38
#define H_SEL_CS32_3 0x43
#define H_SEL_DS16   0x48

/* Descriptors (SDM vol. 3 3.4.5). */
#define H_DESC_CS64   0x00af9b000000ffffull
#define H_DESC_DS     0x00cf93000000ffffull
#define H_DESC_CS64_3 0x00affb000000ffffull
#define H_DESC_DS_3   0x00cff3000000ffffull
#define H_DESC_CS32   0x00cf9b000000ffffull
#define H_DESC_CS32_3 0x00cffb000000ffffull

struct harness {
    struct physmem *pm;
    struct mmu *mmu;
    struct cpuid_model *model;
    struct optable *ops;
    struct cpu *c;
    struct pt_build pt;
};

static inline u8 *h_ptr(struct harness *h, gpa_t pa)
{
    return physmem_host(h->pm, pa);
}

static inline u64 h_rd64(struct harness *h, gpa_t pa)
{
    u64 v;

    memcpy(&v, h_ptr(h, pa), 8);
    return v;
}

static inline u32 h_rd32(struct harness *h, gpa_t pa)
{
    u32 v;

    memcpy(&v, h_ptr(h, pa), 4);
    return v;
}

static inline u16 h_rd16(struct harness *h, gpa_t pa)
{
    u16 v;

    memcpy(&v, h_ptr(h, pa), 2);
    return v;
}

static inline void h_wr64(struct harness *h, gpa_t pa, u64 v)
{
    memcpy(h_ptr(h, pa), &v, 8);
}

static inline void h_wr32(struct harness *h, gpa_t pa, u32 v)
{
    memcpy(h_ptr(h, pa), &v, 4);
}

static inline void h_wr16(struct harness *h, gpa_t pa, u16 v)
{
    memcpy(h_ptr(h, pa), &v, 2);
}

/* A 64-bit IDT gate (SDM vol. 3 fig. 6-8): @type 0xe interrupt, 0xf trap. */
static inline void h_gate64(struct harness *h, unsigned vec, u16 sel, u64 off, unsigned type,
                            unsigned dpl, unsigned ist, bool present)
{
    u64 lo = (off & 0xffff) | ((u64)sel << 16) | ((u64)ist << 32) | ((u64)type << 40) |
             ((u64)dpl << 45) | ((u64)present << 47) | ((off & 0xffff0000ull) << 32);

    h_wr64(h, H_IDT + vec * 16, lo);
    h_wr64(h, H_IDT + vec * 16 + 8, off >> 32);
}

/* A legacy 8-byte IDT gate (SDM vol. 3 fig. 6-2). */
static inline void h_gate32(struct harness *h, unsigned vec, u16 sel, u32 off, unsigned type,
                            unsigned dpl, bool present)
{
    u64 g = (off & 0xffff) | ((u64)sel << 16) | ((u64)type << 40) | ((u64)dpl << 45) |
            ((u64)present << 47) | ((u64)(off & 0xffff0000u) << 32);

    h_wr64(h, H_IDT + vec * 8, g);
}

/* A data/code descriptor with byte-granular limit @limit < 1 MiB. */
static inline u64 h_desc(u32 base, u32 limit, unsigned access, unsigned flags)
{
    return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) | ((u64)access << 40) |
           ((u64)((limit >> 16) & 0xf) << 48) | ((u64)flags << 52) | ((u64)(base >> 24) << 56);
}

static inline void h_set_desc(struct harness *h, u16 sel, u64 d)
{
    h_wr64(h, H_GDT + (sel & ~7u), d);
}

static inline void h_init(struct harness *h, const char *model)
{
    struct mmu_config mcfg;
    struct cpu_config cfg;
    struct emu_err err = {0};

    memset(h, 0, sizeof(*h));
    h->pm = pt_physmem_create();
    EMU_CHECK(h->pm);
    mmu_config_default(&mcfg);
    h->mmu = mmu_create(&mcfg, h->pm, NULL, 0, &err);
    EMU_CHECK(h->mmu);
    h->model = cpuid_model_create(model, 2, &err);
    EMU_CHECK(h->model);
    h->ops = optable_create();
    EMU_CHECK(h->ops);
    pt_init(&h->pt, h->pm, 4);
    for (u64 va = 0; va < 16 * MiB; va += 2 * MiB)
        pt_map(&h->pt, va, va, 2, PT_ALL);
    memset(&cfg, 0, sizeof(cfg));
    cfg.pm = h->pm;
    cfg.mmu = h->mmu;
    cfg.optable = h->ops;
    cfg.cpuid = h->model;
    cfg.tsc_ghz = 2.0;
    cfg.cpu_ghz = 1.0;
    h->c = cpu_create(&cfg, &err);
    EMU_CHECK(h->c);
    /* GDT: null, then the harness's descriptors; TSS at H_TSS (64-bit form, 16 bytes). */
    memset(h_ptr(h, H_GDT), 0, 0x100);
    h_set_desc(h, H_SEL_CS64, H_DESC_CS64);
    h_set_desc(h, H_SEL_DS, H_DESC_DS);
    h_set_desc(h, H_SEL_CS64_3, H_DESC_CS64_3);
    h_set_desc(h, H_SEL_DS_3, H_DESC_DS_3);
    h_set_desc(h, H_SEL_TSS, h_desc((u32)H_TSS, 0x67 + 0x2000 / 8 + 1, 0x8b, 0));
    h_wr64(h, H_GDT + H_SEL_TSS + 8, 0);
    h_set_desc(h, H_SEL_CS32, H_DESC_CS32);
    h_set_desc(h, H_SEL_CS32_3, H_DESC_CS32_3);
    h_set_desc(h, H_SEL_DS16, h_desc(0x1000, 0xffff, 0x93, 0));
    memset(h_ptr(h, H_IDT), 0, 0x1000);
    memset(h_ptr(h, H_TSS), 0, 0x68 + 0x2000 / 8 + 1);
}

/* 64-bit mode at CPL 0, paging through the identity map, GDT/IDT/TR loaded. */
static inline void h_long_mode(struct harness *h)
{
    struct cpu *c = h->c;

    cpu_set_long_mode(c, h->pt.root, H_CODE, 0x70000);
    c->gdtr.base = H_GDT;
    c->gdtr.limit = 0xff;
    c->idtr.base = H_IDT;
    c->idtr.limit = 0xfff;
    seg_cache_from_desc(&c->seg[SEG_CS], H_SEL_CS64, H_DESC_CS64);
    for (unsigned s = 0; s < SEG_COUNT; s++)
        if (s != SEG_CS)
            seg_cache_from_desc(&c->seg[s], H_SEL_DS, H_DESC_DS);
    seg_cache_from_desc(&c->tr, H_SEL_TSS, h_rd64(h, H_GDT + H_SEL_TSS));
    cpu_update_mode(c);
}

/* Enter CPL 3 in 64-bit mode (CS 0x1b, SS 0x23). */
static inline void h_user64(struct harness *h)
{
    struct cpu *c = h->c;

    seg_cache_from_desc(&c->seg[SEG_CS], H_SEL_CS64_3, H_DESC_CS64_3);
    seg_cache_from_desc(&c->seg[SEG_SS], H_SEL_DS_3, H_DESC_DS_3);
    c->cpl = 3;
    cpu_update_mode(c);
}

/* 32-bit protected mode at CPL 0 (no paging on hardware; here the identity map stands in). */
static inline void h_prot32(struct harness *h)
{
    struct cpu *c = h->c;

    h_long_mode(h);
    c->cr0 = CR0_PE | CR0_ET;
    c->cr4 = 0;
    c->efer = 0;
    seg_cache_from_desc(&c->seg[SEG_CS], H_SEL_CS32, H_DESC_CS32);
    c->tr.attr = (c->tr.attr & ~0xfu) | SYS_TYPE_TSS_BUSY;
    cpu_update_mode(c);
}

static inline void h_real_mode(struct harness *h)
{
    struct cpu *c = h->c;

    cpu_reset(c, false);
    c->cr3 = h->pt.root; /* stands in for "no paging" */
    cpu_update_mode(c);
    mmu_flush_all(c->mmu, false);
}

static inline void h_fini(struct harness *h)
{
    cpu_destroy(h->c);
    optable_destroy(h->ops);
    cpuid_model_destroy(h->model);
    mmu_destroy(h->mmu);
    physmem_destroy(h->pm);
}

/*
 * Deliver an event as cpu_run() does: faults during delivery come back here and are
 * delivered in turn with @fault_rip. Return: false on a triple fault.
 */
static inline bool h_deliver(struct harness *h, u8 vec, u32 err, enum intr_source src, u64 rip,
                             u64 fault_rip)
{
    struct cpu *c = h->c;

    c->in_run = true;
    c->exc_depth = 0;
    if (setjmp(c->exc_jmp)) {
        if (!c->is_shutdown)
            cpu_deliver(c, c->exc_vector, c->exc_error, INTR_EXCEPTION, fault_rip);
        c->exc_depth = 0;
        c->in_run = false;
        return !c->is_shutdown;
    }
    cpu_deliver(c, vec, err, src, rip);
    c->exc_depth = 0;
    c->in_run = false;
    return !c->is_shutdown;
}

/* A decoded instruction for the handler the table holds at @map/@opcode/@modrm. */
static inline struct insn h_insn(struct harness *h, enum op_map map, u8 opcode, u8 modrm,
                                 unsigned opsize)
{
    const struct op_entry *e = optable_lookup(h->ops, map, opcode, PFX_NONE, modrm);
    struct insn i;

    EMU_CHECK(e);
    memset(&i, 0, sizeof(i));
    i.fn = e->fn;
    i.aux = e->aux;
    i.opcode = opcode;
    i.imm2 = modrm;
    i.map = (u8)map;
    i.len = 3;
    i.end_off = 3;
    i.opsize = (u8)opsize;
    i.asize = SZ64;
    i.reg = (modrm >> 3) & 7;
    i.rm = modrm & 7;
    i.base = REG_NONE;
    i.index = REG_NONE;
    i.seg = SEG_DS;
    if ((modrm >> 6) != 3)
        i.prefixes |= INSN_MEM;
    if (!e->fn) {
        i.fn = e->select(&i);
        EMU_CHECK(i.fn);
    }
    return i;
}

/*
 * Run @i at RIP @rip like cpu_run() does. Return: -1 if it completed, else the vector it
 * raised (not delivered; c->exc_error has the error code).
 */
static inline int h_exec(struct harness *h, const struct insn *i, u64 rip)
{
    struct cpu *c = h->c;

    c->block_rip = rip;
    c->rip = rip;
    c->insn = i;
    c->in_run = true;
    if (setjmp(c->exc_jmp)) {
        c->in_run = false;
        c->ctx.flags &= ~MMU_CTX_IMPLICIT;
        return c->exc_vector;
    }
    i->fn(c, i);
    c->in_run = false;
    return -1;
}

/* h_seg_try() - seg_load() with the exception (if any) returned as by h_exec(). */
static inline int h_seg_try(struct harness *h, unsigned sreg, u16 sel)
{
    struct cpu *c = h->c;

    c->in_run = true;
    if (setjmp(c->exc_jmp)) {
        c->in_run = false;
        return c->exc_vector;
    }
    seg_load(c, sreg, sel);
    c->in_run = false;
    return -1;
}

#endif
