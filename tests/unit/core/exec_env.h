/* SPDX-License-Identifier: MIT */
/*
 * Test bench for instruction handlers (tests of core/exec_mov.c, exec_branch.c, exec_stack.c,
 * exec_string.c): a 64-bit vCPU over real page tables, instructions decoded from bytes with
 * the real decoder and run one at a time (faults caught), or whole code runs via cpu_run().
 */
#ifndef EMU_TESTS_UNIT_CORE_EXEC_ENV_H
#define EMU_TESTS_UNIT_CORE_EXEC_ENV_H

#include "base/types.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/decode.h"
#include "core/exception.h"
#include "core/flags.h"
#include "core/optable.h"
#include "mm/mmu.h"
#include "tests/unit/mm/pt_build.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* Guest layout: XE_PAGES 4 KiB pages of RAM at XE_VA, backed by PA XE_PA. */
#define XE_VA    0x10000000ull
#define XE_PA    (8 * MiB)
#define XE_PAGES 64
#define XE_CODE  (XE_VA + 0x1000)  /* instructions under test */
#define XE_DATA  (XE_VA + 0x10000) /* data pages */
#define XE_STACK (XE_VA + 0x3f000) /* initial RSP (stack grows into the page below) */
#define XE_RO    (XE_VA + 0x40000) /* a read-only page */
#define XE_NP    (XE_VA + 0x41000) /* a not-present page */
#define XE_AFTER (XE_VA + 0x42000) /* RAM again after the hole */
#define XE_NONE  (-1)

struct xenv {
    struct physmem *pm;
    struct pt_build pt;
    struct mmu *mmu;
    struct optable *ot;
    struct cpuid_model *cpuid;
    struct cpu *c;
    struct insn insn; /* the last decoded instruction */
    bool is_exit;     /* its handler left the block (returned NULL) */
};

static inline void *xe_host(struct xenv *e, u64 va)
{
    return physmem_host(e->pm, XE_PA + (va - XE_VA));
}

static inline void xe_map(struct xenv *e, u64 va, u64 flags)
{
    pt_map(&e->pt, va, XE_PA + (va - XE_VA), 1, flags);
}

/* @model: CPUID model spec ("terrace", "minimal", "terrace,-cx16"...). */
static inline struct xenv *xe_create(const char *model)
{
    struct xenv *e = calloc(1, sizeof(*e));
    struct emu_err err = {0};
    struct mmu_config mcfg;
    struct cpu_config cfg = {0};

    if (!e)
        return NULL;
    e->pm = pt_physmem_create();
    pt_init(&e->pt, e->pm, 4);
    for (u64 k = 0; k < XE_PAGES + 3; k++) {
        u64 va = XE_VA + k * PAGE_SIZE;

        if (va == XE_NP)
            continue;
        xe_map(e, va, va == XE_RO ? (PT_P | PT_US) : PT_ALL);
    }
    mmu_config_default(&mcfg);
    e->mmu = mmu_create(&mcfg, e->pm, NULL, 0, &err);
    e->ot = optable_create();
    e->cpuid = cpuid_model_create(model, 1, &err);
    cfg.pm = e->pm;
    cfg.mmu = e->mmu;
    cfg.optable = e->ot;
    cfg.cpuid = e->cpuid;
    cfg.tsc_ghz = 1.0;
    cfg.cpu_ghz = 1.0;
    e->c = cpu_create(&cfg, &err);
    if (!e->mmu || !e->ot || !e->cpuid || !e->c)
        return NULL;
    cpu_set_long_mode(e->c, e->pt.root, XE_CODE, XE_STACK);
    return e;
}

static inline void xe_destroy(struct xenv *e)
{
    cpu_destroy(e->c);
    cpuid_model_destroy(e->cpuid);
    optable_destroy(e->ot);
    mmu_destroy(e->mmu);
    physmem_destroy(e->pm);
    free(e);
}

/*
 * Decode @n bytes as one instruction at c->rip and run its handler. Return: XE_NONE, or the
 * vector of the exception it raised (registers as the fault left them). After a completed
 * non-branch instruction RIP is advanced; after a branch it is the handler's target.
 */
static inline int xe_exec(struct xenv *e, const u8 *bytes, unsigned n)
{
    struct cpu *c = e->c;
    const struct decode_env env = {e->ot, e->cpuid, c->code_size};
    const struct insn *next;
    u32 opf = 0;

    if (decode_insn(&env, bytes, n, c->rip, &e->insn, &opf) != DECODE_OK)
        return EXC_UD;
    c->block_rip = c->rip;
    e->insn.end_off = e->insn.len;
    c->insn = &e->insn;
    c->in_run = true;
    if (setjmp(c->exc_jmp)) {
        c->in_run = false;
        return c->exc_vector;
    }
    next = e->insn.fn(c, &e->insn);
    c->in_run = false;
    e->is_exit = next == NULL;
    if (next)
        c->rip += e->insn.len;
    return XE_NONE;
}

#define XE_EXEC(e, ...) xe_exec((e), (const u8[]){__VA_ARGS__}, sizeof((const u8[]){__VA_ARGS__}))

/* Copy code to @va, set RIP there and run until @max_insns retired (code should end in a
 * `jmp $` loop: EB FE). */
static inline enum cpu_exit xe_run(struct xenv *e, u64 va, const u8 *code, unsigned n,
                                   u64 max_insns)
{
    memcpy(xe_host(e, va), code, n);
    e->c->rip = va;
    return cpu_run(e->c, max_insns);
}

static inline u64 xe_rd64(struct xenv *e, u64 va)
{
    u64 v;

    memcpy(&v, xe_host(e, va), 8);
    return v;
}

static inline void xe_wr64(struct xenv *e, u64 va, u64 v)
{
    memcpy(xe_host(e, va), &v, 8);
}

#endif
