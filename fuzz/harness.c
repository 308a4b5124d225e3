/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harnesses of the CPU core (docs/fuzzing.md). The whole-CPU harness builds a small
 * machine per input: 2 MiB of RAM, a GDT, an IDT (or IVT) whose gates lead to stubs that
 * report the vector on port 0x80 and return past one byte or halt, a TSS with ring-0 and IST
 * stacks and an I/O bitmap, identity page tables (Intel SDM vol. 3 4.5, 6.10-6.14, 7.2, 20),
 * and runs the fuzzed code in real, virtual-8086, 16/32-bit protected, compatibility or
 * 64-bit mode at CPL 0 or 3. The same code is then run again in small slices with the block
 * cache flushed between them: decoded blocks (and self-modifying code) must not change what
 * the guest computes.
 */
#include "fuzz/harness.h"

#include "base/check.h"
#include "core/block.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/decode.h"
#include "core/exception.h"
#include "core/flags.h"
#include "core/optable.h"
#include "core/seg.h"
#include "core/system.h"
#include "mm/mmu.h"
#include "mm/physmem.h"
#include "numa/topology.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guest-physical layout. 16-bit segments have base FZ_SEG16 (real mode: selector 0x1000). */
#define FZ_RAM_BYTES   (2 * MiB)
#define FZ_GDT         0x1000ull
#define FZ_IDT         0x2000ull
#define FZ_TSS         0x3000ull /* 0x68 bytes, then the I/O bitmap (8 KiB + 1) */
#define FZ_TSS_LIMIT   (0x68 + 0x2000)
#define FZ_PT          0x6000ull /* page tables, bump-allocated up to FZ_PT_END */
#define FZ_PT_END      0xf000ull
#define FZ_SEG16       0x10000ull
#define FZ_CODE        0x10000ull
#define FZ_CODE_MAX    0xb000u    /* code bytes kept (the rest of the input is dropped) */
#define FZ_SYS_STUBS   0x1bf00ull /* SYSCALL (64-bit, compat) and SYSENTER targets */
#define FZ_STUBS       0x1c000ull /* 256 interrupt stubs of FZ_STUB_BYTES */
#define FZ_STUB_BYTES  32
#define FZ_STACK16     0xfff0ull /* SP in 16-bit stack segments (offset from FZ_SEG16) */
#define FZ_KSTACK16    0xf800ull /* 16-bit ring-0 stack (prot16) */
#define FZ_DATA        0x20000ull
#define FZ_KSTACK      0x3f000ull
#define FZ_ISTACK      0x4f000ull
#define FZ_USTACK      0x7f000ull
#define FZ_ALIAS       0x40000000ull         /* 2 MiB page: all of RAM again, user RW */
#define FZ_HIGH        0xffffffff80000000ull /* 2 MiB page: all of RAM again, supervisor */
#define FZ_PORT_VECTOR 0x80                  /* stubs OUT their vector here */

/* GDT selectors. */
#define SEL_CS64   0x08
#define SEL_DS     0x10
#define SEL_CS64_U 0x18
#define SEL_DS_U   0x20
#define SEL_TSS    0x28 /* 16 bytes in IA-32e mode */
#define SEL_CS32   0x38
#define SEL_CS32_U 0x40
#define SEL_CS16   0x48
#define SEL_DS16   0x50
#define SEL_CS16_U 0x58
#define SEL_DS16_U 0x60

/* Paging-structure flags (SDM vol. 3 table 4-19). */
#define PTE_P  0x1ull
#define PTE_RW 0x2ull
#define PTE_US 0x4ull
#define PTE_PS 0x80ull

#define FZ_RFLAGS_DEFINED 0x3f7fd5ull

/* Run budget: FZ_SLICES calls of cpu_run() with FZ_SLICE_INSNS each (at most). */
#define FZ_SLICES      10
#define FZ_SLICE_INSNS 1000
/* The sliced re-run makes at most about this many cpu_run() calls. */
#define FZ_RERUN_CALLS 500
#define FZ_VEC_LOG     64

enum fz_mode {
    FZ_REAL,
    FZ_VM86,
    FZ_PROT16,
    FZ_PROT32,
    FZ_COMPAT16,
    FZ_COMPAT32,
    FZ_LONG,
    FZ_LONG2
};

static const char *const fz_mode_names[8] = {"real",     "vm86",     "prot16", "prot32",
                                             "compat16", "compat32", "long64", "long64"};

/* Header byte 0. */
#define HDR_MODE   0x07
#define HDR_USER   0x08 /* CPL 3 (protected, compatibility, 64-bit modes) */
#define HDR_NO_IDT 0x10 /* IDT limit 0: every exception ends in a triple fault */
#define HDR_HALT   0x20 /* stubs halt instead of returning */
#define HDR_DPL3   0x40 /* gates of DPL 3 (INT n from CPL 3 allowed) */
#define HDR_IST    0x80 /* 64-bit gates of #NMI, #DF, #MC, #PF use IST1 */
/* Header byte 11. */
#define OPT_PAGE_END  0x01 /* code starts 16 bytes before a page boundary */
#define OPT_AM        0x02 /* CR0.AM */
#define OPT_SMEP_SMAP 0x04
#define OPT_LA57      0x08
#define OPT_SEG_BASES 0x10 /* FS/GS with non-zero bases, KERNEL_GS_BASE set */
#define OPT_CODE_RO   0x20 /* code pages read-only (paging modes) */
#define OPT_CR_EXTRA  0x40 /* CR0.TS|MP, CR4.PGE|TSD|FSGSBASE|OSXMMEXCPT */
#define OPT_SMALL_BC  0x80 /* a 64 KiB block arena: frequent flushes */
/* Header byte 12. */
#define EV_IRQ 0x01
#define EV_NMI 0x02

struct fz_hdr {
    u8 b[FUZZ_HDR_BYTES];
};

/* Guest RAM, MMU and block cache of one machine, kept between inputs (creating them costs
 * more than most inputs take to run) and reset for each: RAM zeroed, TLBs and blocks flushed. */
struct fz_shell {
    struct physmem *pm;
    struct mmu *mmu;
    struct block_cache *bc;
};

struct fuzz_ctx {
    struct optable *ot;
    struct cpuid_model *cpuid;
    struct numa_topology *topo;
    struct fz_shell shell[2]; /* the normal run's and the sliced run's machines */
};

/* One small machine. */
struct fz_vm {
    const struct fz_hdr *h;
    struct physmem *pm;
    struct mmu *mmu;
    struct block_cache *bc;
    struct block_cache *small_bc; /* OPT_SMALL_BC: this input's own small arena */
    struct cpu *c;
    gpa_t pt_next;
    int irq_vector; /* handed out once by irq_ack, then -1 */
    u32 n_vectors;  /* stub reports on FZ_PORT_VECTOR */
    u8 vectors[FZ_VEC_LOG];
};

__attribute__((noreturn, format(printf, 2, 3))) static void fz_fail(const struct fz_vm *v,
                                                                    const char *fmt, ...);

static void fz_fail(const struct fz_vm *v, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz invariant broken: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (v && v->c)
        fprintf(stderr, "\n  mode %s (hdr %02x), rip %#llx, icount %llu, cpu mode %u\n",
                fz_mode_names[v->h->b[0] & HDR_MODE], v->h->b[0], (unsigned long long)v->c->rip,
                (unsigned long long)v->c->icount, v->c->mode);
    else
        fprintf(stderr, "\n");
    abort();
}

struct fuzz_ctx *fuzz_ctx_create(void)
{
    struct fuzz_ctx *x = calloc(1, sizeof(*x));
    struct emu_err err = {0};

    if (!x)
        return NULL;
    x->ot = optable_create();
    x->cpuid = cpuid_model_create(NULL, 1, &err);
    x->topo = calloc(1, sizeof(*x->topo));
    if (!x->ot || !x->cpuid || !x->topo) {
        fuzz_ctx_destroy(x);
        return NULL;
    }
    x->topo->ram_bytes = FZ_RAM_BYTES;
    x->topo->n_cpus = 1;
    x->topo->n_nodes = 1;
    x->topo->nodes[0].mem_bytes = FZ_RAM_BYTES;
    x->topo->nodes[0].n_cpus = 1;
    x->topo->nodes[0].cpus[0] = 1;
    x->topo->nodes[0].memdev = -1;
    x->topo->nodes[0].initiator = -1;
    x->topo->is_final = true;
    for (unsigned k = 0; k < 2; k++) {
        struct fz_shell *sh = &x->shell[k];
        struct mmu_config mcfg;

        mmu_config_default(&mcfg);
        sh->pm = physmem_create(x->topo, NULL, &err);
        sh->mmu = sh->pm ? mmu_create(&mcfg, sh->pm, NULL, 0, &err) : NULL;
        sh->bc = sh->pm ? block_cache_create(sh->pm, 4 * MiB, &err) : NULL;
        if (!sh->bc || !sh->mmu) {
            fuzz_ctx_destroy(x);
            return NULL;
        }
    }
    return x;
}

void fuzz_ctx_destroy(struct fuzz_ctx *x)
{
    if (!x)
        return;
    for (unsigned k = 0; k < 2; k++) {
        if (x->shell[k].bc)
            block_cache_destroy(x->shell[k].bc);
        if (x->shell[k].mmu)
            mmu_destroy(x->shell[k].mmu);
        if (x->shell[k].pm)
            physmem_destroy(x->shell[k].pm);
    }
    if (x->ot)
        optable_destroy(x->ot);
    if (x->cpuid)
        cpuid_model_destroy(x->cpuid);
    free(x->topo);
    free(x);
}

/* ---- Guest memory helpers ---- */

static u8 *fz_ram(struct fz_vm *v, gpa_t pa)
{
    return physmem_host(v->pm, pa);
}

static void fz_wr64(struct fz_vm *v, gpa_t pa, u64 x)
{
    memcpy(fz_ram(v, pa), &x, 8);
}

static void fz_wr32(struct fz_vm *v, gpa_t pa, u32 x)
{
    memcpy(fz_ram(v, pa), &x, 4);
}

static void fz_wr16(struct fz_vm *v, gpa_t pa, u16 x)
{
    memcpy(fz_ram(v, pa), &x, 2);
}

/* A code/data or system descriptor (SDM vol. 3 fig. 3-8): @flags = G, D/B, L, AVL. */
static u64 fz_desc(u32 base, u32 limit, unsigned access, unsigned flags)
{
    return (limit & 0xffff) | ((u64)(base & 0xffffff) << 16) | ((u64)access << 40) |
           ((u64)((limit >> 16) & 0xf) << 48) | ((u64)flags << 52) | ((u64)(base >> 24) << 56);
}

static u64 fz_gdt_desc(u16 sel)
{
    switch (sel & ~3u) {
    case SEL_CS64:
        return fz_desc(0, 0xfffff, 0x9b, 0xa);
    case SEL_DS:
        return fz_desc(0, 0xfffff, 0x93, 0xc);
    case SEL_CS64_U:
        return fz_desc(0, 0xfffff, 0xfb, 0xa);
    case SEL_DS_U:
        return fz_desc(0, 0xfffff, 0xf3, 0xc);
    case SEL_TSS:
        return fz_desc((u32)FZ_TSS, FZ_TSS_LIMIT, 0x8b, 0); /* busy: as after LTR */
    case SEL_CS32:
        return fz_desc(0, 0xfffff, 0x9b, 0xc);
    case SEL_CS32_U:
        return fz_desc(0, 0xfffff, 0xfb, 0xc);
    case SEL_CS16:
        return fz_desc((u32)FZ_SEG16, 0xffff, 0x9b, 0);
    case SEL_DS16:
        return fz_desc((u32)FZ_SEG16, 0xffff, 0x93, 0);
    case SEL_CS16_U:
        return fz_desc((u32)FZ_SEG16, 0xffff, 0xfb, 0);
    case SEL_DS16_U:
        return fz_desc((u32)FZ_SEG16, 0xffff, 0xf3, 0);
    default:
        return 0;
    }
}

static void fz_load_seg(struct fz_vm *v, unsigned s, u16 sel)
{
    seg_cache_from_desc(&v->c->seg[s], sel, fz_gdt_desc(sel));
}

/* ---- Page tables: identity map of RAM with 4 KiB pages, two 2 MiB aliases ---- */

static gpa_t fz_pt_alloc(struct fz_vm *v)
{
    gpa_t pa = v->pt_next;

    v->pt_next += PAGE_SIZE;
    EMU_CHECK(v->pt_next <= FZ_PT_END);
    return pa;
}

/* The entry for @va at @level (1 = PTE) in tables rooted at @root with @levels levels. */
static gpa_t fz_pt_slot(struct fz_vm *v, gpa_t root, unsigned levels, u64 va, unsigned level)
{
    gpa_t table = root;

    for (unsigned l = levels; l > level; l--) {
        gpa_t e = table + ((va >> (12 + 9 * (l - 1))) & 511) * 8;
        u64 ent;

        memcpy(&ent, fz_ram(v, e), 8);
        if (!(ent & PTE_P)) {
            ent = fz_pt_alloc(v) | PTE_P | PTE_RW | PTE_US;
            fz_wr64(v, e, ent);
        }
        table = ent & 0x000ffffffffff000ull;
    }
    return table + ((va >> (12 + 9 * (level - 1))) & 511) * 8;
}

static bool fz_is_user_page(gpa_t pa)
{
    return (pa >= FZ_CODE && pa < FZ_SYS_STUBS) || (pa >= FZ_DATA && pa < FZ_DATA + 0x10000) ||
           (pa >= FZ_USTACK - 0x10000 && pa < FZ_USTACK);
}

static gpa_t fz_build_page_tables(struct fz_vm *v, unsigned levels, u8 opts)
{
    gpa_t root;

    v->pt_next = FZ_PT;
    root = fz_pt_alloc(v);
    for (gpa_t pa = 0; pa < FZ_RAM_BYTES; pa += PAGE_SIZE) {
        u64 f = PTE_P | PTE_RW;

        if (fz_is_user_page(pa))
            f |= PTE_US;
        if ((opts & OPT_CODE_RO) && pa >= FZ_CODE && pa < FZ_SYS_STUBS)
            f &= ~PTE_RW;
        fz_wr64(v, fz_pt_slot(v, root, levels, pa, 1), pa | f);
    }
    fz_wr64(v, fz_pt_slot(v, root, levels, FZ_ALIAS, 2), PTE_P | PTE_RW | PTE_US | PTE_PS);
    fz_wr64(v, fz_pt_slot(v, root, levels, FZ_HIGH, 2), PTE_P | PTE_RW | PTE_PS);
    return root;
}

/* ---- Interrupt stubs ---- */

enum fz_frame { FRAME_REAL, FRAME_16, FRAME_32, FRAME_64 };

static bool fz_vector_has_error(unsigned vec)
{
    return vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30;
}

/*
 * The stub of vector @vec: drop the error code, OUT the vector to FZ_PORT_VECTOR (AX kept),
 * then either add 1 to the saved IP and return with IRET, or HLT forever.
 */
static void fz_write_stub(struct fz_vm *v, gpa_t pa, unsigned vec, enum fz_frame kind, bool halt)
{
    u8 s[FZ_STUB_BYTES];
    unsigned n = 0;

    memset(s, 0xcc, sizeof(s));
    if (fz_vector_has_error(vec) && kind != FRAME_REAL) {
        if (kind == FRAME_64)
            s[n++] = 0x48; /* add rsp, 8 */
        s[n++] = 0x83;
        s[n++] = 0xc4;
        s[n++] = kind == FRAME_64 ? 8 : kind == FRAME_32 ? 4 : 2;
    }
    s[n++] = 0x50; /* push rax; mov al, vec; out 0x80, al; pop rax */
    s[n++] = 0xb0;
    s[n++] = (u8)vec;
    s[n++] = 0xe6;
    s[n++] = FZ_PORT_VECTOR;
    s[n++] = 0x58;
    if (halt) {
        s[n++] = 0xf4; /* hlt; jmp hlt */
        s[n++] = 0xeb;
        s[n++] = 0xfd;
    } else if (kind == FRAME_64) {
        static const u8 t[] = {0x48, 0xff, 0x04, 0x24, 0x48, 0xcf}; /* inc qword [rsp]; iretq */

        memcpy(s + n, t, sizeof(t));
        n += sizeof(t);
    } else if (kind == FRAME_32) {
        static const u8 t[] = {0xff, 0x04, 0x24, 0xcf}; /* inc dword [esp]; iretd */

        memcpy(s + n, t, sizeof(t));
        n += sizeof(t);
    } else {
        /* push bp; mov bp, sp; inc word [bp+2]; pop bp; iret */
        static const u8 t[] = {0x55, 0x89, 0xe5, 0xff, 0x46, 0x02, 0x5d, 0xcf};

        memcpy(s + n, t, sizeof(t));
        n += sizeof(t);
    }
    EMU_CHECK(n <= sizeof(s));
    memcpy(fz_ram(v, pa), s, sizeof(s));
}

static void fz_write_idt(struct fz_vm *v, enum fz_frame kind, u8 hdr)
{
    const unsigned dpl = (hdr & HDR_DPL3) ? 3 : 0;

    for (unsigned vec = 0; vec < 256; vec++) {
        gpa_t stub = FZ_STUBS + vec * FZ_STUB_BYTES;
        u64 off16 = stub - FZ_SEG16;
        unsigned type = (vec >= 32 && (vec & 1)) ? 0xf : 0xe; /* some trap gates */
        u64 g;

        fz_write_stub(v, stub, vec, kind, hdr & HDR_HALT);
        switch (kind) {
        case FRAME_REAL:
            fz_wr32(v, vec * 4, (u32)(off16 | (FZ_SEG16 >> 4) << 16));
            break;
        case FRAME_16:
            g = off16 | ((u64)SEL_CS16 << 16) | ((u64)(type - 8) << 40) | ((u64)dpl << 45) |
                (1ull << 47);
            fz_wr64(v, FZ_IDT + vec * 8, g);
            break;
        case FRAME_32:
            g = (stub & 0xffff) | ((u64)SEL_CS32 << 16) | ((u64)type << 40) | ((u64)dpl << 45) |
                (1ull << 47) | ((stub & 0xffff0000ull) << 32);
            fz_wr64(v, FZ_IDT + vec * 8, g);
            break;
        case FRAME_64: {
            unsigned ist =
                (hdr & HDR_IST) && (vec == EXC_NMI || vec == EXC_DF || vec == 18 || vec == EXC_PF);

            g = (stub & 0xffff) | ((u64)SEL_CS64 << 16) | ((u64)ist << 32) | ((u64)type << 40) |
                ((u64)dpl << 45) | (1ull << 47) | ((stub & 0xffff0000ull) << 32);
            fz_wr64(v, FZ_IDT + vec * 16, g);
            fz_wr64(v, FZ_IDT + vec * 16 + 8, stub >> 32);
            break;
        }
        }
    }
}

/* TSS (SDM vol. 3 fig. 7-2 and 8-11) with its I/O bitmap: ports below 0x100 allowed. */
static void fz_write_tss(struct fz_vm *v, enum fz_frame kind)
{
    if (kind == FRAME_64) {
        fz_wr64(v, FZ_TSS + 4, FZ_KSTACK);
        fz_wr64(v, FZ_TSS + 0x24, FZ_ISTACK);
    } else if (kind == FRAME_16) {
        fz_wr32(v, FZ_TSS + 4, (u32)FZ_KSTACK16);
        fz_wr16(v, FZ_TSS + 8, SEL_DS16);
    } else {
        fz_wr32(v, FZ_TSS + 4, (u32)FZ_KSTACK);
        fz_wr16(v, FZ_TSS + 8, SEL_DS);
    }
    fz_wr16(v, FZ_TSS + 0x66, 0x68);
    memset(fz_ram(v, FZ_TSS + 0x68 + 0x20), 0xff, 0x2000 - 0x20 + 1);
}

/* ---- Machine ---- */

static u32 fz_port_in(void *opaque, u32 cpu, u16 port, unsigned size_bytes)
{
    (void)opaque;
    (void)cpu;
    return (u32)(port * 0x9e3779b1u) ^ size_bytes;
}

static void fz_port_out(void *opaque, u32 cpu, u16 port, u32 value, unsigned size_bytes)
{
    struct fz_vm *v = opaque;

    (void)cpu;
    (void)size_bytes;
    if (port != FZ_PORT_VECTOR)
        return;
    if (v->n_vectors < FZ_VEC_LOG)
        v->vectors[v->n_vectors] = (u8)value;
    v->n_vectors++;
}

static int fz_irq_ack(void *opaque, u32 cpu)
{
    struct fz_vm *v = opaque;
    int vec = v->irq_vector;

    (void)cpu;
    v->irq_vector = -1;
    return vec;
}

static void fz_vm_destroy(struct fz_vm *v)
{
    if (v->c)
        cpu_destroy(v->c);
    if (v->small_bc)
        block_cache_destroy(v->small_bc);
    memset(v, 0, sizeof(*v));
}

static const u64 fz_reg_values[16] = {
    0,
    1,
    ~0ull,
    0x80000000ull,
    0x7fffffffull,
    FZ_CODE,
    FZ_DATA,
    0x8000000000000000ull,
    0xffff,
    0x100000000ull,
    FZ_DATA + 0xff8,
    FZ_RAM_BYTES - 0x1000,
    0x0000800000000000ull,
    0xfffffffffffff000ull,
    0x7f,
    0x0123456789abcdefull,
};

/* Set up the machine of header @h with @code at its entry point. */
static void fz_vm_create(struct fz_vm *v, const struct fuzz_ctx *x, unsigned shell,
                         const struct fz_hdr *h, const u8 *code, size_t code_len)
{
    const u8 mode = h->b[0] & HDR_MODE, opts = h->b[11];
    const bool user = (h->b[0] & HDR_USER) && mode != FZ_REAL && mode != FZ_VM86;
    const bool paging = mode >= FZ_COMPAT16;
    const bool is16 =
        mode == FZ_REAL || mode == FZ_VM86 || mode == FZ_PROT16 || mode == FZ_COMPAT16;
    const struct fz_shell *sh = &x->shell[shell];
    enum fz_frame kind;
    struct emu_err err = {0};
    struct cpu_config cfg;
    struct cpu *c;
    u16 flags16 = (u16)(h->b[1] | h->b[2] << 8);
    u64 rflags, entry = FZ_CODE + ((opts & OPT_PAGE_END) ? PAGE_SIZE - 16 : 0);
    unsigned levels = (paging && (opts & OPT_LA57)) ? 5 : 4;
    gpa_t root;

    memset(v, 0, sizeof(*v));
    v->h = h;
    v->irq_vector = -1;
    v->pm = sh->pm;
    v->mmu = sh->mmu;
    v->bc = sh->bc;
    memset(fz_ram(v, 0), 0, FZ_RAM_BYTES);
    mmu_flush_all(v->mmu, false);
    block_cache_flush(v->bc);
    if (opts & OPT_SMALL_BC) {
        v->small_bc = v->bc = block_cache_create(v->pm, 64 * KiB, &err);
        EMU_CHECK(v->bc);
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.pm = v->pm;
    cfg.mmu = v->mmu;
    cfg.optable = x->ot;
    cfg.cpuid = x->cpuid;
    cfg.tsc_ghz = 2.0;
    cfg.cpu_ghz = 1.0;
    cfg.blocks = v->bc;
    cfg.bus.opaque = v;
    cfg.bus.port_in = fz_port_in;
    cfg.bus.port_out = fz_port_out;
    cfg.bus.irq_ack = fz_irq_ack;
    v->c = c = cpu_create(&cfg, &err);
    EMU_CHECK(c);

    /* Memory: code, descriptor tables, stubs, page tables. */
    if (code_len > FZ_CODE_MAX)
        code_len = FZ_CODE_MAX;
    memcpy(fz_ram(v, entry), code, code_len);
    kind = mode == FZ_REAL     ? FRAME_REAL
           : mode == FZ_PROT16 ? FRAME_16
           : paging            ? FRAME_64
                               : FRAME_32;
    for (u16 sel = 8; sel <= SEL_DS16_U; sel += 8)
        fz_wr64(v, FZ_GDT + sel, fz_gdt_desc(sel));
    fz_wr64(v, FZ_GDT + SEL_TSS + 8, 0);
    fz_write_idt(v, kind, h->b[0]);
    fz_write_tss(v, kind);
    fz_wr16(v, FZ_SYS_STUBS, 0x0f48); /* 64-bit SYSCALL target: sysretq */
    fz_ram(v, FZ_SYS_STUBS)[2] = 0x07;
    fz_wr16(v, FZ_SYS_STUBS + 0x10, 0x070f); /* compatibility SYSCALL target: sysretl */
    fz_wr16(v, FZ_SYS_STUBS + 0x20, 0x350f); /* SYSENTER target: sysexit */
    root = fz_build_page_tables(v, levels, opts);

    /* Control registers and system state. */
    c->cr3 = root;
    c->gdtr = (struct dtable_reg){FZ_GDT, 0xfff};
    if (kind == FRAME_REAL)
        c->idtr = (struct dtable_reg){0, 0x3ff};
    else
        c->idtr = (struct dtable_reg){FZ_IDT, kind == FRAME_64 ? 0xfff : 0x7ff};
    if (h->b[0] & HDR_NO_IDT)
        c->idtr.limit = 0;
    if (mode != FZ_REAL) {
        c->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP;
        seg_cache_from_desc(&c->tr, SEL_TSS, fz_gdt_desc(SEL_TSS));
    }
    if (paging) {
        c->cr0 |= CR0_PG;
        c->cr4 = CR4_PAE | CR4_OSFXSR | ((levels == 5) ? CR4_LA57 : 0);
        c->efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
        if (opts & OPT_SMEP_SMAP)
            c->cr4 |= CR4_SMEP | CR4_SMAP;
    } else if (mode != FZ_REAL) {
        c->cr4 = CR4_OSFXSR;
    }
    if (opts & OPT_AM)
        c->cr0 |= CR0_AM;
    if (opts & OPT_CR_EXTRA) {
        c->cr0 |= CR0_TS | CR0_MP;
        c->cr4 |= CR4_PGE | CR4_TSD | CR4_FSGSBASE | CR4_OSXMMEXCPT;
    }
    c->msr_star = ((u64)SEL_CS64 << 48) | ((u64)SEL_CS64 << 32);
    c->msr_lstar = FZ_SYS_STUBS;
    c->msr_cstar = FZ_SYS_STUBS + 0x10;
    c->msr_sfmask = RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC;
    c->msr_sysenter_cs = SEL_CS32;
    c->msr_sysenter_eip = FZ_SYS_STUBS + 0x20;
    c->msr_sysenter_esp = FZ_KSTACK;

    /* RFLAGS before the segments: real-mode style loads look at VM. */
    rflags =
        RFLAGS_FIXED |
        (flags16 & (RFLAGS_ARITH | RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT));
    if (flags16 & 0x8000)
        rflags |= RFLAGS_AC;
    if (flags16 & 0x0020)
        rflags |= RFLAGS_ID;
    if (mode == FZ_VM86)
        rflags |= RFLAGS_VM;
    c->rflags = rflags;
    c->lazy.op = FLAGS_OP_NONE;

    /* Segments. */
    switch (mode) {
    case FZ_REAL:
    case FZ_VM86:
        seg_cache_real(c, &c->seg[SEG_CS], (u16)(FZ_SEG16 >> 4));
        seg_cache_real(c, &c->seg[SEG_SS], (u16)(FZ_SEG16 >> 4));
        seg_cache_real(c, &c->seg[SEG_ES], (u16)(FZ_SEG16 >> 4));
        seg_cache_real(c, &c->seg[SEG_DS], (u16)(FZ_DATA >> 4));
        seg_cache_real(c, &c->seg[SEG_FS], 0);
        seg_cache_real(c, &c->seg[SEG_GS], 0);
        break;
    case FZ_PROT16:
    case FZ_COMPAT16:
        fz_load_seg(v, SEG_CS, user ? SEL_CS16_U | 3 : SEL_CS16);
        for (unsigned s = 0; s < SEG_COUNT; s++)
            if (s != SEG_CS)
                fz_load_seg(v, s, user ? SEL_DS16_U | 3 : SEL_DS16);
        fz_load_seg(v, SEG_FS, user ? SEL_DS_U | 3 : SEL_DS);
        break;
    case FZ_PROT32:
    case FZ_COMPAT32:
        fz_load_seg(v, SEG_CS, user ? SEL_CS32_U | 3 : SEL_CS32);
        for (unsigned s = 0; s < SEG_COUNT; s++)
            if (s != SEG_CS)
                fz_load_seg(v, s, user ? SEL_DS_U | 3 : SEL_DS);
        break;
    default:
        fz_load_seg(v, SEG_CS, user ? SEL_CS64_U | 3 : SEL_CS64);
        for (unsigned s = 0; s < SEG_COUNT; s++)
            if (s != SEG_CS)
                fz_load_seg(v, s, user ? SEL_DS_U | 3 : SEL_DS);
        break;
    }
    if (opts & OPT_SEG_BASES) {
        c->seg[SEG_FS].base = FZ_DATA;
        c->seg[SEG_GS].base = paging && !is16 ? FZ_ALIAS : FZ_DATA + 0x8000;
        c->msr_kernel_gs_base = FZ_DATA + 0x1000;
    }
    cpu_update_mode(c);
    mmu_flush_all(c->mmu, false);

    /* Registers. */
    for (unsigned r = 0; r < 16; r++) {
        u8 sel = (h->b[3 + r / 2] >> (4 * (r & 1))) & 0xf;

        c->gpr[r] = fz_reg_values[sel];
    }
    if ((h->b[3 + 2] & 0xf) == 0) /* RSP: 0 selects the mode's stack */
        c->gpr[4] = is16 ? FZ_STACK16 : FZ_USTACK;
    c->rip = is16 ? entry - FZ_SEG16 : entry;

    if (h->b[12] & EV_IRQ) {
        v->irq_vector = h->b[13];
        cpu_post_event(c, CPU_EV_IRQ);
    }
    if (h->b[12] & EV_NMI)
        cpu_post_event(c, CPU_EV_NMI);
}

/* ---- Invariants ---- */

/* Whether invariant @id is listed in TERRACE_FUZZ_KNOWN (known bugs, not re-reported while
 * the fuzzer looks for new ones: docs/fuzzing.md). */
static bool fz_known(const char *id)
{
    const char *k = getenv("TERRACE_FUZZ_KNOWN");

    return k && strstr(k, id);
}

static bool fz_canonical(u64 va, unsigned bits)
{
    i64 s = (i64)(va << (64 - bits)) >> (64 - bits);

    return (u64)s == va;
}

/* State cpu_update_mode() derives; recomputing it must change nothing. */
struct fz_derived {
    u8 mode, code_size, stack_size, cpl;
    u32 seg_flat, ctx_flags, pcid;
    u64 ctx_cr3;
};

static void fz_get_derived(const struct cpu *c, struct fz_derived *d)
{
    memset(d, 0, sizeof(*d));
    d->mode = c->mode;
    d->code_size = c->code_size;
    d->stack_size = c->stack_size;
    d->cpl = c->cpl;
    d->seg_flat = c->seg_flat;
    d->ctx_flags = c->ctx.flags & ~MMU_CTX_IMPLICIT;
    d->pcid = c->ctx.pcid;
    d->ctx_cr3 = c->ctx.cr3;
}

/* Exceptions delivered so far: cpu_run() counts deliveries toward its budget. */
static u64 fz_exc_total(const struct cpu *c)
{
    u64 n = 0;

    for (unsigned k = 0; k < 32; k++)
        n += c->n_exceptions[k];
    return n;
}

static void fz_check_sane(struct fz_vm *v, enum cpu_exit ex, u64 icount0, u64 exc0, u64 budget)
{
    struct cpu *c = v->c;
    struct fz_derived before, after;
    u64 rf;

    if (ex != CPU_EXIT_BUDGET && ex != CPU_EXIT_HALT && ex != CPU_EXIT_TRIPLE_FAULT &&
        ex != CPU_EXIT_REQUEST)
        fz_fail(v, "cpu_run returned %d", (int)ex);
    if (c->in_run || c->exc_depth || c->insn)
        fz_fail(v, "run state left behind: in_run %d exc_depth %u insn %p", c->in_run, c->exc_depth,
                (const void *)c->insn);
    if (ex == CPU_EXIT_HALT && !c->is_halted)
        fz_fail(v, "HALT exit but not halted");
    if (ex == CPU_EXIT_TRIPLE_FAULT && !c->is_shutdown)
        fz_fail(v, "triple-fault exit but no shutdown");
    if (c->icount < icount0)
        fz_fail(v, "icount went back");
    if (ex == CPU_EXIT_BUDGET && c->icount < icount0 + budget && fz_exc_total(c) - exc0 <= budget)
        fz_fail(v, "budget exit after %llu of %llu instructions",
                (unsigned long long)(c->icount - icount0), (unsigned long long)budget);
    if (c->icount - icount0 > budget + BLOCK_MAX_INSNS)
        fz_fail(v, "ran %llu instructions on a budget of %llu",
                (unsigned long long)(c->icount - icount0), (unsigned long long)budget);
    rf = cpu_get_rflags(c);
    if (!(rf & RFLAGS_FIXED) || (rf & ~(FZ_RFLAGS_DEFINED | RFLAGS_FIXED)))
        fz_fail(v, "RFLAGS %#llx", (unsigned long long)rf);
    /* Outside 64-bit mode EIP may pass CS.limit only by running off its end: a jump beyond
     * the limit faults (SDM vol. 3 5.3), and fetching past it raises #GP. */
    switch (c->code_size) {
    case SZ16:
    case SZ32:
        if ((c->rip > 0xffffffffull || c->rip > (u64)c->seg[SEG_CS].limit + 1) &&
            !fz_known("rip-limit"))
            fz_fail(v, "RIP %#llx beyond the CS limit %#x", (unsigned long long)c->rip,
                    c->seg[SEG_CS].limit);
        break;
    case SZ64:
        if (!fz_canonical(c->rip, (c->cr4 & CR4_LA57) ? 57 : 48))
            fz_fail(v, "non-canonical RIP");
        break;
    default:
        fz_fail(v, "code size %u", c->code_size);
    }
    if (c->stack_size > SZ64 || c->stack_size == SZ8)
        fz_fail(v, "stack size %u", c->stack_size);
    if ((c->mode == CPU_MODE_LONG64) != (c->code_size == SZ64))
        fz_fail(v, "64-bit code size outside 64-bit mode");
    fz_get_derived(c, &before);
    cpu_update_mode(c);
    fz_get_derived(c, &after);
    if (c->seg[SEG_CS].attr & SEG_TYPE_CONF) { /* conforming code: CPL is not CS.DPL */
        before.cpl = after.cpl;
        before.ctx_flags = (before.ctx_flags & ~MMU_CTX_USER) | (after.ctx_flags & MMU_CTX_USER);
    }
    if (memcmp(&before, &after, sizeof(before)))
        fz_fail(v,
                "stale derived state: mode %u/%u code %u/%u stack %u/%u cpl %u/%u flat %#x/%#x "
                "ctx %#x/%#x",
                before.mode, after.mode, before.code_size, after.code_size, before.stack_size,
                after.stack_size, before.cpl, after.cpl, before.seg_flat, after.seg_flat,
                before.ctx_flags, after.ctx_flags);
}

/* ---- Runs ---- */

/* TERRACE_FUZZ_TRACE=1: where each slice of the normal run ended (triage). */
static void fz_trace(const struct fz_vm *v, unsigned k, enum cpu_exit ex)
{
    const struct cpu *c = v->c;

    fprintf(stderr, "slice %u: exit %d rip %#llx icount %llu mode %u cpl %u cs %#x vectors %u:", k,
            (int)ex, (unsigned long long)c->rip, (unsigned long long)c->icount, c->mode, c->cpl,
            c->seg[SEG_CS].sel, v->n_vectors);
    for (u32 n = 0; n < v->n_vectors && n < FZ_VEC_LOG; n++)
        fprintf(stderr, " %u", v->vectors[n]);
    fprintf(stderr, "\n");
}

/* The normal run: up to FZ_SLICES slices. Return: how the last cpu_run() call ended. */
static enum cpu_exit fz_run_normal(struct fz_vm *v)
{
    enum cpu_exit ex = CPU_EXIT_BUDGET;

    for (unsigned k = 0; k < FZ_SLICES; k++) {
        u64 icount0 = v->c->icount, exc0 = fz_exc_total(v->c);

        ex = cpu_run(v->c, FZ_SLICE_INSNS);
        if (getenv("TERRACE_FUZZ_TRACE"))
            fz_trace(v, k, ex);
        fz_check_sane(v, ex, icount0, exc0, FZ_SLICE_INSNS);
        if (ex != CPU_EXIT_BUDGET)
            break;
    }
    return ex;
}

/* The same up to @target instructions, in slices of @slice with the block cache flushed
 * between them. */
static enum cpu_exit fz_run_sliced(struct fz_vm *v, u64 target, u64 slice)
{
    enum cpu_exit ex = CPU_EXIT_BUDGET;

    while (v->c->icount <= target) {
        u64 icount0 = v->c->icount, exc0 = fz_exc_total(v->c);

        ex = cpu_run(v->c, slice);
        fz_check_sane(v, ex, icount0, exc0, slice);
        if (ex != CPU_EXIT_BUDGET)
            break;
        block_cache_flush(v->bc);
    }
    return ex;
}

static void fz_compare(struct fz_vm *a, struct fz_vm *b, enum cpu_exit ea, enum cpu_exit eb)
{
    struct cpu *ca = a->c, *cb = b->c;
    u64 fa = cpu_get_rflags(ca), fb = cpu_get_rflags(cb);
    const char *what = NULL;

    if (ea != eb)
        what = "exit";
    else if (ca->icount != cb->icount)
        what = "icount";
    else if (ca->rip != cb->rip)
        what = "rip";
    else if (fa != fb)
        what = "rflags";
    else if (memcmp(ca->gpr, cb->gpr, sizeof(ca->gpr)))
        what = "gpr";
    else if (memcmp(ca->seg, cb->seg, sizeof(ca->seg)))
        what = "segments";
    else if (ca->cr0 != cb->cr0 || ca->cr2 != cb->cr2 || ca->cr3 != cb->cr3 || ca->cr4 != cb->cr4 ||
             ca->efer != cb->efer || ca->cpl != cb->cpl)
        what = "control registers";
    else if (memcmp(ca->fpu.xmm, cb->fpu.xmm, sizeof(ca->fpu.xmm)) ||
             memcmp(ca->fpu.st, cb->fpu.st, sizeof(ca->fpu.st)) || ca->fpu.fsw != cb->fpu.fsw ||
             ca->fpu.fcw != cb->fpu.fcw || ca->fpu.mxcsr != cb->fpu.mxcsr)
        what = "fpu/sse";
    else if (a->n_vectors != b->n_vectors || memcmp(a->vectors, b->vectors, sizeof(a->vectors)))
        what = "delivered vectors";
    else if (memcmp(fz_ram(a, 0), fz_ram(b, 0), FZ_RAM_BYTES))
        what = "memory";
    if (!what)
        return;
    for (gpa_t pa = 0; what[0] == 'm' && pa < FZ_RAM_BYTES; pa++)
        if (fz_ram(a, pa)[0] != fz_ram(b, pa)[0]) {
            fprintf(stderr, "first memory difference at %#llx: %02x / %02x\n",
                    (unsigned long long)pa, fz_ram(a, pa)[0], fz_ram(b, pa)[0]);
            break;
        }
    fprintf(stderr,
            "normal run:  exit %d icount %llu rip %#llx rflags %#llx vectors %u\n"
            "sliced run:  exit %d icount %llu rip %#llx rflags %#llx vectors %u\n",
            (int)ea, (unsigned long long)ca->icount, (unsigned long long)ca->rip,
            (unsigned long long)fa, a->n_vectors, (int)eb, (unsigned long long)cb->icount,
            (unsigned long long)cb->rip, (unsigned long long)fb, b->n_vectors);
    for (unsigned r = 0; r < 16; r++)
        if (ca->gpr[r] != cb->gpr[r])
            fprintf(stderr, "gpr[%u]: %#llx / %#llx\n", r, (unsigned long long)ca->gpr[r],
                    (unsigned long long)cb->gpr[r]);
    fz_fail(a, "sliced run with block-cache flushes differs from the normal run: %s", what);
}

int fuzz_cpu_one(struct fuzz_ctx *x, const u8 *data, size_t size)
{
    struct fz_hdr h;
    struct fz_vm a, b;
    enum cpu_exit ea, eb;
    const u8 *code = data + (size < FUZZ_HDR_BYTES ? size : FUZZ_HDR_BYTES);
    size_t code_len = size < FUZZ_HDR_BYTES ? 0 : size - FUZZ_HDR_BYTES;

    memset(&h, 0, sizeof(h));
    memcpy(h.b, data, size < FUZZ_HDR_BYTES ? size : FUZZ_HDR_BYTES);
    fz_vm_create(&a, x, 0, &h, code, code_len);
    ea = fz_run_normal(&a);
    if (ea == CPU_EXIT_HALT || ea == CPU_EXIT_TRIPLE_FAULT) {
        /* A definite end: the sliced run must reach the same one. */
        u64 slice = 1 + (h.b[12] >> 3);

        if (a.c->icount / slice > FZ_RERUN_CALLS)
            slice = a.c->icount / FZ_RERUN_CALLS + 1;
        fz_vm_create(&b, x, 1, &h, code, code_len);
        eb = fz_run_sliced(&b, a.c->icount, slice);
        fz_compare(&a, &b, ea, eb);
        fz_vm_destroy(&b);
    }
    fz_vm_destroy(&a);
    return 0;
}

/* ---- Decoder ---- */

static bool fz_is_rel_branch(const struct insn *i)
{
    if (i->map == MAP_1B)
        return (i->opcode >= 0x70 && i->opcode <= 0x7f) ||
               (i->opcode >= 0xe0 && i->opcode <= 0xe3) || i->opcode == 0xe8 || i->opcode == 0xe9 ||
               i->opcode == 0xeb;
    return i->map == MAP_0F && i->opcode >= 0x80 && i->opcode <= 0x8f;
}

static void fz_dfail(u8 code_size, const u8 *p, size_t avail, const char *what)
{
    fprintf(stderr, "decoder (code size %u): %s; bytes:", code_size, what);
    for (size_t k = 0; k < avail && k < 16; k++)
        fprintf(stderr, " %02x", p[k]);
    fz_fail(NULL, "decoder");
}

static void fz_check_insn(const struct decode_env *env, const struct insn *i, const u8 *p,
                          size_t avail, u64 rip)
{
    const u8 cs = env->code_size;
    u8 *copy;

    if (!i->fn)
        fz_dfail(cs, p, avail, "no handler");
    if (i->len < 1 || i->len > DECODE_MAX_LEN || i->len > avail)
        fz_dfail(cs, p, avail, "length");
    if (i->opsize > SZ128 || i->asize < SZ16 || i->asize > SZ64 ||
        (cs == SZ64 && i->asize == SZ16) || (cs != SZ64 && i->asize == SZ64))
        fz_dfail(cs, p, avail, "operand or address size");
    if (i->seg >= SEG_COUNT || i->scale > 3 || i->map > MAP_0F3A)
        fz_dfail(cs, p, avail, "segment, scale or map");
    if (i->reg > REG_AH + 3 || i->rm > REG_AH + 3)
        fz_dfail(cs, p, avail, "register number");
    if (!(i->base < 16 || i->base == REG_NONE || (i->base == REG_RIP && cs == SZ64)))
        fz_dfail(cs, p, avail, "base register");
    if (!(i->index < 16 || i->index == REG_NONE) || i->index == 4)
        fz_dfail(cs, p, avail, "index register");
    if (cs != SZ64 && fz_is_rel_branch(i) &&
        (i->imm > 0xffffffffull || (i->opsize == SZ16 && i->imm > 0xffff)))
        fz_dfail(cs, p, avail, "branch target not masked");
    if (i->prefixes & INSN_REX && cs != SZ64)
        fz_dfail(cs, p, avail, "REX outside 64-bit mode");

    /* Exactly the instruction's bytes decode the same; fewer ask for more. */
    copy = malloc(i->len);
    EMU_CHECK(copy);
    for (unsigned n = 1; n <= i->len; n++) {
        struct insn j;
        u32 opf = 0;
        enum decode_status st;

        memcpy(copy + i->len - n, p, n); /* at the end: ASan sees any read past n bytes */
        memset(&j, 0, sizeof(j));
        st = decode_insn(env, copy + i->len - n, n, rip, &j, &opf);
        if (n < i->len && st != DECODE_MORE)
            fz_dfail(cs, p, avail, "a prefix of an instruction did not ask for more bytes");
        if (n == i->len && (st != DECODE_OK || memcmp(&j, i, sizeof(j))))
            fz_dfail(cs, p, avail, "the instruction's own bytes decode differently");
    }
    free(copy);
}

static void fz_check_padded(const struct decode_env *env, enum decode_status st, const u8 *p,
                            size_t avail, u64 rip)
{
    u8 buf[DECODE_MAX_LEN + 1];
    struct insn i;
    u32 opf = 0;

    memset(buf, 0, sizeof(buf));
    memcpy(buf, p, avail);
    if (decode_insn(env, buf, sizeof(buf), rip, &i, &opf) != st)
        fz_dfail(env->code_size, p, avail, "the status changed when more bytes followed");
}

int fuzz_decode_one(struct fuzz_ctx *x, const u8 *data, size_t size)
{
    static const u8 sizes[3] = {SZ16, SZ32, SZ64};
    static const u64 rip_base[3] = {0xfff0, 0xfffffff0ull, 0x7ffffffffff0ull};

    for (unsigned m = 0; m < 2; m++) {
        for (unsigned s = 0; s < 3; s++) {
            const struct decode_env env = {x->ot, m ? x->cpuid : NULL, sizes[s]};

            for (size_t off = 0; off < size; off++) {
                size_t avail = size - off;
                u64 rip = (rip_base[s] + off) & (s == 0 ? 0xffff : s == 1 ? 0xffffffffull : ~0ull);
                struct insn i;
                u32 opf = 0;
                enum decode_status st;

                memset(&i, 0, sizeof(i));
                st = decode_insn(&env, data + off, avail > 0xffff ? 0xffff : (unsigned)avail, rip,
                                 &i, &opf);
                switch (st) {
                case DECODE_OK:
                    fz_check_insn(&env, &i, data + off, avail, rip);
                    break;
                case DECODE_UD:
                case DECODE_GP:
                    /* Decided from the bytes seen: more bytes after them change nothing. */
                    if (avail < DECODE_MAX_LEN)
                        fz_check_padded(&env, st, data + off, avail, rip);
                    break;
                case DECODE_MORE:
                    if (avail >= DECODE_MAX_LEN)
                        fz_dfail(sizes[s], data + off, avail, "asked for more than 15 bytes");
                    break;
                default:
                    fz_dfail(sizes[s], data + off, avail, "status");
                }
            }
        }
    }
    return 0;
}
