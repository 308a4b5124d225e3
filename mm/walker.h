/* SPDX-License-Identifier: MIT */
/*
 * x86 page walker for 4-level and 5-level paging (Intel SDM vol. 3 4.5), 32-bit paging (4.3)
 * and PAE paging with its PDPTE registers (4.4), with access rights (4.6), page-fault error
 * codes (4.7), A/D bits (4.8) and the paging-structure caches of mm/pwc.h (4.10.3).
 * Page-table reads are charged through a struct mem_port.
 */
#ifndef EMU_MM_WALKER_H
#define EMU_MM_WALKER_H

#include "base/types.h"
#include "mm/mmtypes.h"
#include "mm/physmem.h"
#include "mm/pwc.h"
#include "mm/tlb.h"
#include "stats/stats.h"

/*
 * Paging context of one access: the control-register state the MMU needs. Shared by the
 * walker and mm/mmu.h (it lives here because mmu.h includes this header).
 */
#define MMU_CTX_USER     0x001u /* CPL = 3 */
#define MMU_CTX_WP       0x002u /* CR0.WP */
#define MMU_CTX_LA57     0x004u /* CR4.LA57: 5-level paging */
#define MMU_CTX_SMEP     0x008u /* CR4.SMEP */
#define MMU_CTX_SMAP     0x010u /* CR4.SMAP */
#define MMU_CTX_PCIDE    0x020u /* CR4.PCIDE */
#define MMU_CTX_PGE      0x040u /* CR4.PGE: honour G in leaves */
#define MMU_CTX_NXE      0x080u /* IA32_EFER.NXE */
#define MMU_CTX_AC       0x100u /* RFLAGS.AC (SMAP override for explicit accesses) */
#define MMU_CTX_IMPLICIT 0x200u /* implicit supervisor access (GDT/IDT/TSS...) at any CPL */
#define MMU_CTX_NOPAGING 0x400u /* CR0.PG = 0: linear addresses are physical, no TLB is used */
/*
 * Paging modes without IA-32e (EFER.LMA = 0), SDM vol. 3 4.1.1: 32-bit linear addresses.
 * Without either flag (and without NOPAGING) the walker does 4-level or 5-level paging.
 */
#define MMU_CTX_LEGACY32      0x800u  /* 32-bit paging: CR0.PG = 1, CR4.PAE = 0 */
#define MMU_CTX_PAE32         0x1000u /* PAE paging: CR0.PG = 1, CR4.PAE = 1, EFER.LME = 0 */
#define MMU_CTX_PSE           0x2000u /* CR4.PSE: 4 MiB pages (meaningful with LEGACY32 only) */
#define MMU_CTX_LEGACY_PAGING (MMU_CTX_LEGACY32 | MMU_CTX_PAE32)

struct mmu_ctx {
    u64 cr3;   /* bits M-1:12 locate the top table; bits 11:0 are the PCID with PCIDE */
    u32 flags; /* MMU_CTX_* */
    u32 pcid;  /* current PCID (used only with MMU_CTX_PCIDE) */
};

/** mmu_ctx_pcid() - the PCID TLB entries are tagged with under @ctx (0 without PCIDE). */
static inline u16 mmu_ctx_pcid(const struct mmu_ctx *ctx)
{
    return (ctx->flags & MMU_CTX_PCIDE) ? (u16)(ctx->pcid & 0xfff) : 0;
}

/* #PF error code bits, SDM vol. 3 4.7. */
#define PF_P    0x01u /* 0: not present; 1: protection or reserved bit */
#define PF_W    0x02u /* the access was a write */
#define PF_U    0x04u /* user-mode access */
#define PF_RSVD 0x08u /* a reserved bit was set in some entry */
#define PF_ID   0x10u /* instruction fetch (with NXE or SMEP) */
#define PF_PK   0x20u /* protection key (not modelled, always 0) */

enum walk_fault_kind {
    WALK_FAULT_NONE,
    WALK_FAULT_NOT_PRESENT,  /* P = 0 at fault.level */
    WALK_FAULT_RSVD,         /* reserved bit set at fault.level */
    WALK_FAULT_WRITE_RO,     /* write to a read-only translation */
    WALK_FAULT_USER_SV,      /* user-mode access to a supervisor translation */
    WALK_FAULT_NX,           /* fetch from an execute-disable translation */
    WALK_FAULT_SMEP,         /* supervisor fetch from a user translation */
    WALK_FAULT_SMAP,         /* supervisor data access to a user translation */
    WALK_FAULT_NONCANONICAL, /* not a #PF: the caller raises #GP (or #SS); error code 0 */
    WALK_FAULT_BAD_TABLE,    /* a paging structure lies outside RAM (emulator-level error) */
    WALK_FAULT_KIND_COUNT
};

struct walk_fault {
    enum walk_fault_kind kind;
    u32 error_code; /* #PF error code (PF_*) */
    gva_t va;       /* faulting linear address (CR2) */
    u32 level;      /* 5 PML5E, 4 PML4E, 3 PDPTE (register, in PAE paging), 2 PDE, 1 PTE;
                       0 for rights faults */
    u32 cycles;     /* cycles spent on the walk before faulting */
};

struct walk_result {
    gpa_t pa;                 /* physical address of va */
    gpa_t page_pa;            /* physical base of the page */
    enum page_size page_size; /* leaf size (a 4 MiB page of 32-bit paging: PAGE_2M, below) */
    u8 flags;                 /* TLB_E_PERMS | TLB_E_GLOBAL | TLB_E_DIRTY, for a TLB fill */
    u8 levels_read;           /* paging-structure entries read from memory */
    u8 pwc_hits;              /* paging levels skipped thanks to a paging-structure cache */
    u32 cycles;               /* sum of the memory port's charges for the reads */
};

#define WALKER_MAX_LEVELS 5

/*
 * A one-range cache in front of physmem_is_ram(): the RAM range [lo, hi) that answered last.
 * Valid because physmem's RAM ranges never change once it is created.
 */
struct walker_ram_window {
    gpa_t lo, hi; /* lo > hi while empty */
};

struct walker {
    struct physmem *pm;
    struct mem_port port;
    struct pwc *pwc; /* may be NULL: no paging-structure caches */
    u32 cpu;         /* vCPU id passed to the port */
    u32 maxphyaddr;  /* MAXPHYADDR, 36..52 */
    u64 addr_mask;   /* bits M-1:12 */
    /* Reserved bits of a present entry, SDM 4.5.4: [EFER.NXE][level 1..5][PS] */
    u64 rsvd[2][WALKER_MAX_LEVELS + 1][2];
    struct walker_ram_window tables; /* the range that held the last paging-structure entry */
    /* stats */
    u64 n_walks, n_levels_read, n_cycles, n_faults;
    struct stats_hist cycles_hist; /* buckets allocated only once registered */
    /* Legacy (non-IA-32e) paging, SDM 4.3 and 4.4. */
    u64 pdpte[4];       /* PAE paging's PDPTE registers (walker_load_pdptes()) */
    u64 pdpte_rsvd;     /* reserved bits of a present PDPTE: 63:M, 8:5, 2:1 */
    u64 pae_rsvd[2][2]; /* of a present PAE PDE/PTE: [EFER.NXE][PS]: 62:M, XD, 20:13 */
    u32 pse_rsvd;       /* of a present 4 MiB PDE: 21:(M'-19), M' = min(MAXPHYADDR, 40) */
    u32 pse_hi_mask;    /* PDE bits 20:13 >> 13 that hold physical-address bits 39:32 */
};

/**
 * walker_init() - set up @w to read page tables in @pm through @port (may be NULL: no charge).
 * @pwc: paging-structure caches to consult and fill, or NULL. @maxphyaddr: 36..52.
 */
void walker_init(struct walker *w, struct physmem *pm, const struct mem_port *port, struct pwc *pwc,
                 u32 cpu, u32 maxphyaddr);

/** walker_ram_window_init() - an empty window. */
static inline void walker_ram_window_init(struct walker_ram_window *win)
{
    win->lo = 1;
    win->hi = 0;
}

/** walker_ram_window_fill() - physmem_is_ram(@pm, @pa, @len), remembering the range on success. */
bool walker_ram_window_fill(struct walker_ram_window *win, const struct physmem *pm, gpa_t pa,
                            u64 len);

/**
 * walker_is_ram() - physmem_is_ram(@pm, @pa, @len) answered from @win when @pa lies in the
 * range that answered last (@pa + @len must not wrap: guest-physical addresses are < 2^52).
 */
static inline bool walker_is_ram(struct walker_ram_window *win, const struct physmem *pm, gpa_t pa,
                                 u64 len)
{
    if (likely(pa >= win->lo && pa + len <= win->hi))
        return true;
    return walker_ram_window_fill(win, pm, pa, len);
}

/**
 * walker_walk() - translate @va for an access of @kind (READ, WRITE or FETCH) under @ctx.
 * With MMU_CTX_LEGACY32 or MMU_CTX_PAE32, @va is a 32-bit linear address (higher bits are
 * ignored) and a 4 MiB page of 32-bit paging comes back as its 2 MiB half holding @va
 * (page_size PAGE_2M), the form the TLB model stores it in.
 * Starts from the deepest paging-structure-cache hit. On success sets A in every entry read
 * and D in the leaf for a write (atomically, only if not yet set). On a fault nothing is
 * written, and the cached entries for @va are dropped (SDM 4.10.4.1).
 * Return: true and @out, or false and @fault.
 */
bool walker_walk(struct walker *w, const struct mmu_ctx *ctx, gva_t va, enum access_type kind,
                 struct walk_result *out, struct walk_fault *fault);

/**
 * walker_load_pdptes() - load the PAE PDPTE registers from the 32-byte table at @cr3 bits
 * 31:5, as MOV to CR3 / CR0 / CR4 do when PAE paging is (or becomes) active (SDM 4.4.1).
 * The four reads are charged to the port. The registers are not re-read by walks.
 * Return: false, leaving the registers unchanged, when a present PDPTE has a reserved bit set
 * or the table is not in RAM (the instruction raises #GP(0)).
 */
bool walker_load_pdptes(struct walker *w, u64 cr3);

/**
 * walker_check() - access rights of a translation with permissions @perms (TLB_E_*) for an
 * access of @kind under @ctx, SDM vol. 3 4.6.1.
 * Return: WALK_FAULT_NONE if allowed, else the rights-fault kind.
 */
static inline enum walk_fault_kind walker_check(const struct mmu_ctx *ctx, enum access_type kind,
                                                u8 perms)
{
    u32 f = ctx->flags;
    bool user_access = (f & (MMU_CTX_USER | MMU_CTX_IMPLICIT)) == MMU_CTX_USER;
    bool user_page = perms & TLB_E_U;

    if (kind == ACCESS_FETCH) {
        if (user_access && !user_page)
            return WALK_FAULT_USER_SV;
        if (!user_access && user_page && (f & MMU_CTX_SMEP))
            return WALK_FAULT_SMEP;
        if (perms & TLB_E_NX)
            return WALK_FAULT_NX;
        return WALK_FAULT_NONE;
    }
    if (user_access) {
        if (!user_page)
            return WALK_FAULT_USER_SV;
        if (kind == ACCESS_WRITE && !(perms & TLB_E_W))
            return WALK_FAULT_WRITE_RO;
        return WALK_FAULT_NONE;
    }
    if (user_page && (f & MMU_CTX_SMAP) && ((f & MMU_CTX_IMPLICIT) || !(f & MMU_CTX_AC)))
        return WALK_FAULT_SMAP;
    if (kind == ACCESS_WRITE && !(perms & TLB_E_W) && (f & MMU_CTX_WP))
        return WALK_FAULT_WRITE_RO;
    return WALK_FAULT_NONE;
}

/** walker_error_code() - #PF error code for a fault of @kind by an access of @akind. */
u32 walker_error_code(const struct mmu_ctx *ctx, enum access_type akind, enum walk_fault_kind kind);

/** walker_fault_name() - short name of a fault kind ("not-present", "nx"...). */
const char *walker_fault_name(enum walk_fault_kind kind);

/** walker_register_stats() - walk.{count,levels_read,cycles,faults,cycles_hist} under @g. */
void walker_register_stats(struct walker *w, struct stats_group *g);

#endif
