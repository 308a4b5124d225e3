/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level and 5-level page walk, Intel SDM vol. 3: 4.5 (formats and walk), 4.6 (access
 * rights), 4.7 (#PF error code), 4.8 (accessed and dirty flags), 4.10.3 (paging-structure
 * caches).
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
    if (akind == ACCESS_FETCH && (ctx->flags & (MMU_CTX_NXE | MMU_CTX_SMEP)))
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
