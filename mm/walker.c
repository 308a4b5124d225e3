/* SPDX-License-Identifier: MIT */
/*
 * x86 page walks, Intel SDM vol. 3: 4.3 (32-bit paging), 4.4 (PAE paging), 4.5 (4-level and
 * 5-level formats and walk), 4.6 (access rights), 4.7 (#PF error code), 4.8 (accessed and
 * dirty flags), 4.10.3 (paging-structure caches).
 */
#include "mm/walker.h"

#include "base/bits.h"
#include "base/check.h"

#include <string.h>

/*
 * Paging-structure entry formats (SDM vol. 3 tables 4-14 .. 4-20), M = MAXPHYADDR.
 *
 * PML5E, PML4E, PDPTE/PDE referencing a table (PS = 0):
 *  63  62:52   51:M   M-1:12          11:8  7   6   5   4    3    2    1    0
 * +--+-------+------+---------------+-----+---+---+---+----+----+----+----+---+
 * |XD|ignored| rsvd | next table    | ign |PS | i | A |PCD |PWT |U/S |R/W | P |
 * +--+-------+------+---------------+-----+---+---+---+----+----+----+----+---+
 *   PS must be 0 in a PML5E and a PML4E (reserved); PS = 1 makes a PDPTE/PDE a leaf.
 *
 * PDPTE mapping a 1 GiB page (PS = 1):
 *  63  62:59 58:52  51:M   M-1:30     29:13  12   11:9  8   7   6   5  4:0
 * +--+-----+------+------+----------+------+----+-----+---+---+---+---+-----+
 * |XD| PK  | ign  | rsvd | page     | rsvd |PAT | ign | G |PS | D | A | as  |
 * +--+-----+------+------+----------+------+----+-----+---+---+---+---+-----+
 *
 * PDE mapping a 2 MiB page (PS = 1): as above with page = M-1:21 and rsvd = 20:13.
 *
 * PTE mapping a 4 KiB page:
 *  63  62:59 58:52  51:M   M-1:12      11:9  8   7    6   5   4    3    2    1    0
 * +--+-----+------+------+-----------+-----+---+----+---+---+----+----+----+----+---+
 * |XD| PK  | ign  | rsvd | page      | ign | G |PAT | D | A |PCD |PWT |U/S |R/W | P |
 * +--+-----+------+------+-----------+-----+---+----+---+---+----+----+----+----+---+
 *
 * XD is reserved when IA32_EFER.NXE = 0. PK is ignored (protection keys are not modelled).
 */
#define PTE_P  (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A  (1ull << 5)
#define PTE_D  (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G  (1ull << 8)
#define PTE_XD (1ull << 63)

/* Reserved bits of a present entry at @level (5..1) whose PS bit is @ps, SDM 4.5.4. */
static u64 walker_rsvd_bits(u64 rsvd_mask, bool nxe, unsigned level, bool ps)
{
    u64 m = rsvd_mask;

    if (!nxe)
        m |= PTE_XD;
    if (level >= 4)
        m |= PTE_PS;
    else if (level == 3 && ps)
        m |= bits_mask(29, 13);
    else if (level == 2 && ps)
        m |= bits_mask(20, 13);
    return m;
}

/*
 * Legacy paging formats, M = MAXPHYADDR, M' = min(M, 40) (SDM vol. 3 tables 4-4..4-11).
 *
 * 32-bit paging, 4-byte entries; PDE mapping a 4 MiB page (CR4.PSE = 1, PS = 1), PSE-36:
 *  31:22      21    20:13         12   11:9  8   7   6   5   4    3    2    1    0
 * +---------+-----+-------------+----+-----+---+---+---+---+----+----+----+----+---+
 * | PA 31:22| rsvd| PA 39:32    |PAT | ign | G |PS | D | A |PCD |PWT |U/S |R/W | P |
 * +---------+-----+-------------+----+-----+---+---+---+---+----+----+----+----+---+
 *   PA bits (M'-1):32 come from bits (M'-20):13; bits 21:(M'-19) are reserved (bit 21 only
 *   when M' = 40). A PDE referencing a page table holds its address in
 *   31:12 (PS is ignored when CR4.PSE = 0); a PTE holds the 4 KiB frame in 31:12, G in bit 8.
 *   There are no other reserved bits and no XD.
 *
 * PAE paging, 8-byte entries:
 *   PDPTE (a register):  63:M rsvd | M-1:12 page directory | 11:9 ign | 8:5 rsvd | 4 PCD |
 *                        3 PWT | 2:1 rsvd | 0 P          (no R/W, U/S, A or XD)
 *   PDE, PTE:            63 XD | 62:M rsvd | M-1:12 (or M-1:21 for a 2 MiB page, 20:13 rsvd) |
 *                        the low bits as in 4-level paging. XD is reserved when NXE = 0.
 */
static void walker_legacy_init(struct walker *w)
{
    unsigned m = w->maxphyaddr;
    unsigned m32 = m < 40 ? m : 40;

    w->pdpte_rsvd = bits_mask(63, m) | bits_mask(8, 5) | bits_mask(2, 1);
    for (unsigned nxe = 0; nxe < 2; nxe++) {
        u64 r = bits_mask(62, m) | (nxe ? 0 : PTE_XD);

        w->pae_rsvd[nxe][0] = r;
        w->pae_rsvd[nxe][1] = r | bits_mask(20, 13);
    }
    w->pse_rsvd = (u32)bits_mask(21, m32 - 19);
    w->pse_hi_mask = (u32)bits_mask(m32 - 33, 0);
}

void walker_init(struct walker *w, struct physmem *pm, const struct mem_port *port, struct pwc *pwc,
                 u32 cpu, u32 maxphyaddr)
{
    u64 rsvd_mask = maxphyaddr < 52 ? bits_mask(51, maxphyaddr) : 0; /* bits 51:M */

    EMU_CHECK(maxphyaddr >= 36 && maxphyaddr <= 52);
    memset(w, 0, sizeof(*w));
    w->pm = pm;
    if (port)
        w->port = *port;
    w->pwc = pwc;
    w->cpu = cpu;
    w->maxphyaddr = maxphyaddr;
    w->addr_mask = bits_mask(maxphyaddr - 1, 12);
    for (unsigned nxe = 0; nxe < 2; nxe++)
        for (unsigned level = 1; level <= WALKER_MAX_LEVELS; level++)
            for (unsigned ps = 0; ps < 2; ps++)
                w->rsvd[nxe][level][ps] = walker_rsvd_bits(rsvd_mask, nxe, level, ps);
    walker_legacy_init(w);
    walker_ram_window_init(&w->tables);
}

bool walker_ram_window_fill(struct walker_ram_window *win, const struct physmem *pm, gpa_t pa,
                            u64 len)
{
    const struct physmem_range *r = physmem_range_of(pm, pa);

    if (!r || len > r->size_bytes - (pa - r->base))
        return false;
    win->lo = r->base;
    win->hi = r->base + r->size_bytes;
    return true;
}

u32 walker_error_code(const struct mmu_ctx *ctx, enum access_type akind, enum walk_fault_kind kind)
{
    u32 ec = 0;

    if (kind == WALK_FAULT_NONCANONICAL || kind == WALK_FAULT_NONE)
        return 0;
    if (kind != WALK_FAULT_NOT_PRESENT && kind != WALK_FAULT_BAD_TABLE)
        ec |= PF_P;
    if (kind == WALK_FAULT_RSVD)
        ec |= PF_RSVD;
    if (akind == ACCESS_WRITE)
        ec |= PF_W;
    if ((ctx->flags & (MMU_CTX_USER | MMU_CTX_IMPLICIT)) == MMU_CTX_USER)
        ec |= PF_U;
    /* I/D: fetches with SMEP, or with NXE where entries have XD (not 32-bit paging). */
    if (akind == ACCESS_FETCH && ((ctx->flags & MMU_CTX_SMEP) ||
                                  (ctx->flags & (MMU_CTX_NXE | MMU_CTX_LEGACY32)) == MMU_CTX_NXE))
        ec |= PF_ID;
    return ec;
}

const char *walker_fault_name(enum walk_fault_kind kind)
{
    static const char *const names[WALK_FAULT_KIND_COUNT] = {
        [WALK_FAULT_NONE] = "none",
        [WALK_FAULT_NOT_PRESENT] = "not-present",
        [WALK_FAULT_RSVD] = "reserved-bit",
        [WALK_FAULT_WRITE_RO] = "write-read-only",
        [WALK_FAULT_USER_SV] = "user-supervisor",
        [WALK_FAULT_NX] = "nx",
        [WALK_FAULT_SMEP] = "smep",
        [WALK_FAULT_SMAP] = "smap",
        [WALK_FAULT_NONCANONICAL] = "non-canonical",
        [WALK_FAULT_BAD_TABLE] = "table-not-in-ram",
    };

    return (unsigned)kind < WALK_FAULT_KIND_COUNT ? names[kind] : "?";
}

static bool walker_is_canonical(gva_t va, bool la57)
{
    unsigned bits = la57 ? 57 : 48;

    return (u64)((i64)(va << (64 - bits)) >> (64 - bits)) == va;
}

/* What a walk in progress needs to report a fault. */
struct walk_state {
    const struct mmu_ctx *ctx;
    gva_t va;
    enum access_type kind;
    u16 pcid;
    /* Lowest paging-structure cache that may hold entries for va: the walk started from the
     * deepest hit, so every cache below it has just missed and holds none. */
    enum pwc_level pwc_from;
    u32 cycles;
};

static bool walker_fail(struct walker *w, const struct walk_state *st, enum walk_fault_kind kind,
                        unsigned level, struct walk_fault *fault)
{
    fault->kind = kind;
    fault->error_code = walker_error_code(st->ctx, st->kind, kind);
    fault->va = st->va;
    fault->level = level;
    fault->cycles = st->cycles;
    w->n_faults++;
    w->n_cycles += st->cycles;
    if (w->pwc)
        pwc_flush_va_from(w->pwc, st->pwc_from, st->va, st->pcid);
    return false;
}

/* The deepest paging-structure-cache hit for @va: sets @level, @table and @perms. */
static void walker_pwc_start(struct walker *w, gva_t va, u16 pcid, unsigned top, unsigned *level,
                             gpa_t *table, u8 *perms)
{
    for (unsigned lvl = PWC_PDE; lvl + 2 <= top; lvl++) {
        if (pwc_lookup(w->pwc, (enum pwc_level)lvl, va, pcid, table, perms)) {
            *level = lvl + 1;
            return;
        }
    }
}

/* Permissions after one more entry @e (SDM 4.6.1): R/W = 0 clears W, U/S = 0 clears U, XD sets
 * NX when IA32_EFER.NXE = 1. */
static inline u8 walker_perms(u8 perms, u64 e, bool nxe)
{
    if (!(e & PTE_RW))
        perms &= (u8)~TLB_E_W;
    if (!(e & PTE_US))
        perms &= (u8)~TLB_E_U;
    if ((e & PTE_XD) && nxe)
        perms |= TLB_E_NX;
    return perms;
}

/* Address of the entry for @va at @level (5..1) in the table at @table. */
static inline gpa_t walker_entry_pa(gpa_t table, gva_t va, unsigned level)
{
    return table + ((va >> (12 + 9 * (level - 1))) & 511) * 8;
}

bool walker_load_pdptes(struct walker *w, u64 cr3)
{
    gpa_t base = cr3 & 0xffffffe0u; /* CR3 bits 31:5 with PAE paging (SDM table 4-7) */
    u64 e[4];

    if (!walker_is_ram(&w->tables, w->pm, base, sizeof(e)))
        return false;
    for (unsigned i = 0; i < 4; i++) {
        e[i] = __atomic_load_n((u64 *)(void *)physmem_host(w->pm, base + 8 * i), __ATOMIC_RELAXED);
        if (w->port.access)
            w->port.access(w->port.opaque, w->cpu, base + 8 * i, 8, ACCESS_WALK);
    }
    for (unsigned i = 0; i < 4; i++)
        if ((e[i] & PTE_P) && (e[i] & w->pdpte_rsvd))
            return false;
    memcpy(w->pdpte, e, sizeof(e));
    return true;
}

/*
 * One entry of a legacy walk: its address, width (4 or 8 bytes), host pointer and value.
 * Return: false if the entry is not in RAM.
 */
static inline bool walker_read_legacy(struct walker *w, struct walk_state *st, gpa_t pa_e, bool pae,
                                      void **host_e, u64 *e)
{
    unsigned size = pae ? 8 : 4;

    if (unlikely(!walker_is_ram(&w->tables, w->pm, pa_e, size)))
        return false;
    *host_e = physmem_host(w->pm, pa_e);
    if (pae)
        *e = __atomic_load_n((u64 *)*host_e, __ATOMIC_RELAXED);
    else
        *e = __atomic_load_n((u32 *)*host_e, __ATOMIC_RELAXED);
    if (w->port.access)
        st->cycles += w->port.access(w->port.opaque, w->cpu, pa_e, size, ACCESS_WALK);
    w->n_levels_read++;
    return true;
}

/* Set @bits in the legacy entry at @host_e (4 or 8 bytes) unless @e has them all already. */
static inline void walker_set_bits_legacy(void *host_e, u64 e, u64 bits, bool pae)
{
    if ((e & bits) == bits)
        return;
    if (pae)
        __atomic_fetch_or((u64 *)host_e, bits, __ATOMIC_RELAXED);
    else
        __atomic_fetch_or((u32 *)host_e, (u32)bits, __ATOMIC_RELAXED);
}

/* A legacy walk's fault: the PDE-cache entry for the address is dropped (SDM 4.10.4.1). */
static bool walker_fail_legacy(struct walker *w, struct walk_state *st, enum walk_fault_kind kind,
                               unsigned level, gva_t key_va, struct walk_fault *fault)
{
    st->pwc_from = PWC_LEVEL_COUNT; /* walker_fail() flushes nothing... */
    walker_fail(w, st, kind, level, fault);
    if (w->pwc)
        pwc_flush_va_from(w->pwc, PWC_PDE, key_va, st->pcid); /* ...the PDE cache is done here */
    return false;
}

/*
 * 32-bit paging (SDM 4.3) and PAE paging (4.4): two levels of in-memory tables below CR3 (32-bit)
 * or below the PDPTE register selected by linear-address bits 31:30 (PAE, never re-read here).
 * The PDE cache is the only paging-structure cache used; its key is the linear address with
 * bits 31:21 (PAE) or 31:22 (32-bit paging: bit 21 is cleared, one PDE covers 4 MiB).
 */
static bool walker_walk_legacy(struct walker *w, const struct mmu_ctx *ctx, gva_t va,
                               enum access_type kind, struct walk_result *out,
                               struct walk_fault *fault)
{
    const u32 flags = ctx->flags;
    const bool pae = flags & MMU_CTX_PAE32;
    const bool nxe = pae && (flags & MMU_CTX_NXE);
    const u32 la = (u32)va;
    const gva_t key_va = pae ? la : la & ~(u32)(1u << 21);
    struct walk_state st = {ctx, va, kind, mmu_ctx_pcid(ctx), PWC_PDE, 0};
    void *host[2];
    u64 val[2];
    unsigned n = 0, level = 2;
    gpa_t table = 0, pa_e, page_pa;
    u8 perms = TLB_E_W | TLB_E_U, perms_pde = 0;
    enum page_size size = PAGE_4K;
    enum walk_fault_kind fk;
    bool pwc_hit = w->pwc && pwc_lookup(w->pwc, PWC_PDE, key_va, st.pcid, &table, &perms);
    u64 e;

    if (pwc_hit) {
        level = 1;
    } else if (pae) {
        u64 pdpte = w->pdpte[la >> 30];

        if (!(pdpte & PTE_P))
            return walker_fail_legacy(w, &st, WALK_FAULT_NOT_PRESENT, 3, key_va, fault);
        table = pdpte & w->addr_mask;
    } else {
        table = ctx->cr3 & 0xfffff000u;
    }

    if (level == 2) {
        bool ps;

        pa_e = pae ? table + ((la >> 21) & 511) * 8 : table + (la >> 22) * 4;
        if (!walker_read_legacy(w, &st, pa_e, pae, &host[n], &e))
            return walker_fail_legacy(w, &st, WALK_FAULT_BAD_TABLE, 2, key_va, fault);
        val[n++] = e;
        if (!(e & PTE_P))
            return walker_fail_legacy(w, &st, WALK_FAULT_NOT_PRESENT, 2, key_va, fault);
        ps = (e & PTE_PS) && (pae || (flags & MMU_CTX_PSE));
        if (pae ? (e & w->pae_rsvd[nxe][ps]) != 0 : ps && (e & w->pse_rsvd))
            return walker_fail_legacy(w, &st, WALK_FAULT_RSVD, 2, key_va, fault);
        perms = walker_perms(perms, e, nxe);
        if (ps) {
            size = PAGE_2M;
            if (pae)
                page_pa = e & w->addr_mask & ~((1ull << 21) - 1);
            else /* the 2 MiB half of the 4 MiB page that holds la */
                page_pa =
                    (e & 0xffc00000u) | ((e >> 13) & w->pse_hi_mask) << 32 | (la & (1u << 21));
        } else {
            table = pae ? e & w->addr_mask : e & 0xfffff000u;
            level = 1;
        }
    }
    if (level == 1) {
        pa_e = pae ? table + ((la >> 12) & 511) * 8 : table + ((la >> 12) & 1023) * 4;
        if (!walker_read_legacy(w, &st, pa_e, pae, &host[n], &e))
            return walker_fail_legacy(w, &st, WALK_FAULT_BAD_TABLE, 1, key_va, fault);
        val[n++] = e;
        if (!(e & PTE_P))
            return walker_fail_legacy(w, &st, WALK_FAULT_NOT_PRESENT, 1, key_va, fault);
        if (pae && (e & w->pae_rsvd[nxe][0]))
            return walker_fail_legacy(w, &st, WALK_FAULT_RSVD, 1, key_va, fault);
        perms_pde = perms;
        perms = walker_perms(perms, e, nxe);
        page_pa = pae ? e & w->addr_mask : e & 0xfffff000u;
    }

    fk = walker_check(ctx, kind, perms);
    if (fk != WALK_FAULT_NONE)
        return walker_fail_legacy(w, &st, fk, 0, key_va, fault);

    /* Allowed: A in the PDE read, A (and D for a write) in the leaf (SDM 4.8). */
    if (n == 2)
        walker_set_bits_legacy(host[0], val[0], PTE_A, pae);
    walker_set_bits_legacy(host[n - 1], val[n - 1], PTE_A | (kind == ACCESS_WRITE ? PTE_D : 0),
                           pae);
    /* A PDE read from memory that references a page table goes to the PDE cache, with the
     * rights accumulated down to it. */
    if (n == 2 && size == PAGE_4K && w->pwc)
        pwc_insert(w->pwc, PWC_PDE, key_va, st.pcid, table, perms_pde);
    out->page_size = size;
    out->page_pa = page_pa;
    out->flags = perms;
    if ((val[n - 1] & PTE_D) || kind == ACCESS_WRITE)
        out->flags |= TLB_E_DIRTY;
    if ((val[n - 1] & PTE_G) && (flags & MMU_CTX_PGE))
        out->flags |= TLB_E_GLOBAL;
    out->pa = page_pa | (la & ((1ull << page_size_shift(size)) - 1));
    out->levels_read = (u8)n;
    out->pwc_hits = pwc_hit;
    out->cycles = st.cycles;
    w->n_cycles += st.cycles;
    if (w->cycles_hist.buckets)
        stats_hist_add(&w->cycles_hist, st.cycles);
    return true;
}

bool walker_walk(struct walker *w, const struct mmu_ctx *ctx, gva_t va, enum access_type kind,
                 struct walk_result *out, struct walk_fault *fault)
{
    const u32 flags = ctx->flags;
    const bool nxe = flags & MMU_CTX_NXE;
    const unsigned top = (flags & MMU_CTX_LA57) ? 5 : 4;
    const u64(*rsvd)[2] = w->rsvd[nxe];
    struct walk_state st = {ctx, va, kind, mmu_ctx_pcid(ctx), PWC_PDE, 0};
    u64 *host[WALKER_MAX_LEVELS];
    u64 val[WALKER_MAX_LEVELS];
    u8 perms_at[WALKER_MAX_LEVELS + 1];
    unsigned level = top, n = 0, leaf_level;
    gpa_t table = ctx->cr3 & w->addr_mask;
    u8 perms = TLB_E_W | TLB_E_U;
    enum walk_fault_kind fk;

    EMU_DCHECK(kind == ACCESS_READ || kind == ACCESS_WRITE || kind == ACCESS_FETCH);
    w->n_walks++;
    if (unlikely(flags & MMU_CTX_LEGACY_PAGING))
        return walker_walk_legacy(w, ctx, va, kind, out, fault);
    if (!walker_is_canonical(va, top == 5))
        return walker_fail(w, &st, WALK_FAULT_NONCANONICAL, 0, fault);
    if (w->pwc)
        walker_pwc_start(w, va, st.pcid, top, &level, &table, &perms);
    st.pwc_from = (enum pwc_level)(level - 1);
    out->pwc_hits = (u8)(top - level);

    for (;;) {
        gpa_t pa_e = walker_entry_pa(table, va, level);
        u64 *host_e;
        u64 e;
        bool ps;

        if (unlikely(!walker_is_ram(&w->tables, w->pm, pa_e, 8)))
            return walker_fail(w, &st, WALK_FAULT_BAD_TABLE, level, fault);
        host_e = (u64 *)(void *)physmem_host(w->pm, pa_e);
        e = __atomic_load_n(host_e, __ATOMIC_RELAXED);
        ps = (e & PTE_PS) != 0;
        /*
         * The next level's entry is usually a host cache miss: start loading it now, so that it
         * overlaps the port's timing model (the port only charges; it changes no memory).
         */
        if ((e & PTE_P) && !ps && level > 1)
            __builtin_prefetch(
                physmem_host(w->pm, walker_entry_pa(e & w->addr_mask, va, level - 1)));
        if (w->port.access)
            st.cycles += w->port.access(w->port.opaque, w->cpu, pa_e, 8, ACCESS_WALK);
        host[n] = host_e;
        val[n++] = e;
        w->n_levels_read++;
        if (unlikely(!(e & PTE_P)))
            return walker_fail(w, &st, WALK_FAULT_NOT_PRESENT, level, fault);
        if (unlikely(e & rsvd[level][ps]))
            return walker_fail(w, &st, WALK_FAULT_RSVD, level, fault);
        perms = walker_perms(perms, e, nxe);
        perms_at[level] = perms;
        /* PS = 1 ends the walk in a PDPTE or PDE; in a PML4E or PML5E it is reserved. */
        if (ps || level == 1)
            break;
        table = e & w->addr_mask;
        level--;
    }
    leaf_level = level;

    fk = walker_check(ctx, kind, perms);
    if (fk != WALK_FAULT_NONE)
        return walker_fail(w, &st, fk, 0, fault);

    /* Allowed: set A on each entry used, D on the leaf for a write (SDM 4.8). */
    for (unsigned i = 0; i + 1 < n; i++)
        if (!(val[i] & PTE_A))
            __atomic_fetch_or(host[i], PTE_A, __ATOMIC_RELAXED);
    {
        u64 need = PTE_A | (kind == ACCESS_WRITE ? PTE_D : 0);
        u64 leaf = val[n - 1];

        if ((leaf & need) != need)
            __atomic_fetch_or(host[n - 1], need, __ATOMIC_RELAXED);
        out->page_size = (enum page_size)(leaf_level - 1);
        out->page_pa = leaf & w->addr_mask & ~((1ull << page_size_shift(out->page_size)) - 1);
        out->flags = perms;
        if ((leaf & PTE_D) || kind == ACCESS_WRITE)
            out->flags |= TLB_E_DIRTY;
        if ((leaf & PTE_G) && (flags & MMU_CTX_PGE))
            out->flags |= TLB_E_GLOBAL;
    }

    /* Cache the non-leaf entries read by this walk (entries n-1 is the leaf). */
    if (w->pwc) {
        for (unsigned i = 0; i + 1 < n; i++) {
            unsigned lvl_i = level + (n - 1 - i); /* paging level of val[i] */

            pwc_insert(w->pwc, (enum pwc_level)(lvl_i - 2), va, st.pcid, val[i] & w->addr_mask,
                       perms_at[lvl_i]);
        }
    }

    out->pa = out->page_pa | (va & ((1ull << page_size_shift(out->page_size)) - 1));
    out->levels_read = (u8)n;
    out->cycles = st.cycles;
    w->n_cycles += st.cycles;
    if (w->cycles_hist.buckets)
        stats_hist_add(&w->cycles_hist, st.cycles);
    return true;
}

void walker_register_stats(struct walker *w, struct stats_group *g)
{
    stats_counter(g, "count", &w->n_walks, "count", "page walks started");
    stats_counter(g, "levels_read", &w->n_levels_read, "count",
                  "paging-structure entries read by walks");
    stats_counter(g, "cycles", &w->n_cycles, "cycles", "cycles spent reading paging structures");
    stats_counter(g, "faults", &w->n_faults, "count", "walks that ended in a fault");
    stats_hist(g, "cycles_hist", &w->cycles_hist, 0, 1000, 50, "cycles",
               "cycles per successful page walk");
}
