/* SPDX-License-Identifier: MIT */
/*
 * Instruction family "system": control and debug registers, descriptor tables, MSRs, TSC,
 * CPUID, HLT, flag control (CLI/STI/PUSHF/POPF), software interrupts and IRET, far
 * transfers, SYSCALL/SYSRET and SYSENTER/SYSEXIT, port I/O, segment-register loads.
 * Semantics: each instruction's "Operation" in Intel SDM vol. 2; vol. 3 ch. 2 (CRs, MSRs),
 * 5 (protection), 6 (interrupts), 9-10 (mode switches); vol. 1 19 (I/O).
 * Not modelled (documented gaps): call gates, task gates and task switches (far JMP/CALL to a
 * system descriptor and IRET with NT = 1 raise #GP);
 * debug breakpoints (DRn are stored only); VME/PVI; MOV CR/DR with mod != 3 (#UD).
 */
#include "base/check.h"
#include "core/cpuid.h"
#include "core/exception.h"
#include "core/exec.h"
#include "core/flags.h"
#include "core/optable.h"
#include "core/seg.h"
#include "core/system.h"

#define RSP 4

static inline unsigned sys_iopl(const struct cpu *c)
{
    return (unsigned)(c->rflags >> 12) & 3;
}

static inline bool sys_has(const struct cpu *c, u32 feat)
{
    return c->cpuid && cpuid_has(c->cpuid, feat);
}

static inline bool sys_is_64(const struct cpu *c)
{
    return c->mode == CPU_MODE_LONG64;
}

/* #GP(0) unless CPL = 0 (real mode counts as CPL 0; virtual-8086 mode as CPL 3). */
static inline void sys_require_cpl0(struct cpu *c)
{
    if (c->cpl != 0 || (c->rflags & RFLAGS_VM))
        cpu_raise_gp0(c);
}

/* #UD in real and virtual-8086 mode (LLDT, LTR, LAR, LSL, VERR, ARPL...). */
static inline void sys_require_prot(struct cpu *c)
{
    if (!seg_is_prot(c))
        cpu_raise_ud(c);
}

u64 sys_tsc(const struct cpu *c)
{
    return (u64)((double)c->cycles * c->tsc_per_cycle) + c->msr_tsc_offset;
}

/* ---- Stack access for far transfers (SS-relative, wrapping at the stack size) ---- */

static inline u64 stk_mask(const struct cpu *c)
{
    return size_mask(c->stack_size);
}

static u64 stk_read(struct cpu *c, u64 off, unsigned size)
{
    return cpu_read_sized(c, SEG_SS, (c->gpr[RSP] + off) & stk_mask(c), size);
}

static void stk_write_below(struct cpu *c, u64 below, unsigned size, u64 v)
{
    cpu_write_sized(c, SEG_SS, (c->gpr[RSP] - below) & stk_mask(c), size, v);
}

static void stk_add(struct cpu *c, u64 delta)
{
    u64 m = stk_mask(c);

    c->gpr[RSP] = (c->gpr[RSP] & ~m) | ((c->gpr[RSP] + delta) & m);
}

static void sys_flat(struct seg_cache *s, u16 sel, u16 attr)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffff;
    s->attr = attr;
}

#define ATTR_CS64_DPL0 (SEG_ATTR_P | SEG_ATTR_S | 0xb | SEG_ATTR_L | SEG_ATTR_G)
#define ATTR_CS32_DPL0 (SEG_ATTR_P | SEG_ATTR_S | 0xb | SEG_ATTR_DB | SEG_ATTR_G)
#define ATTR_SS_DPL0   (SEG_ATTR_P | SEG_ATTR_S | 0x3 | SEG_ATTR_DB | SEG_ATTR_G)
#define ATTR_DPL3      SEG_ATTR_DPL

/* ---- MOV to/from control registers (0F 20 / 0F 22) ---- */

static u32 sys_maxphyaddr(const struct cpu *c)
{
    return c->cpuid ? cpuid_maxphyaddr(c->cpuid) : 46;
}

static u64 sys_cr4_allowed(const struct cpu *c)
{
    u64 ok = CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCE | CR4_OSFXSR | CR4_OSXMMEXCPT;

    if (sys_has(c, FEAT_SMEP))
        ok |= CR4_SMEP;
    if (sys_has(c, FEAT_SMAP))
        ok |= CR4_SMAP;
    return ok;
}

static void sys_write_cr0(struct cpu *c, u64 v)
{
    u64 old = c->cr0;
    const u64 defined = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM |
                        CR0_NW | CR0_CD | CR0_PG;

    if (v >> 32)
        cpu_raise_gp0(c);
    v = (v & defined) | CR0_ET;
    if ((v & CR0_PG) && !(v & CR0_PE))
        cpu_raise_gp0(c);
    if ((v & CR0_NW) && !(v & CR0_CD))
        cpu_raise_gp0(c);
    if ((v & CR0_PG) && !(old & CR0_PG) && (c->efer & EFER_LME)) {
        if (!(c->cr4 & CR4_PAE) || (c->seg[SEG_CS].attr & SEG_ATTR_L))
            cpu_raise_gp0(c);
    }
    if (!(v & CR0_PG) && (old & CR0_PG) && sys_is_64(c))
        cpu_raise_gp0(c);
    /* PAE paging after the write and PG, CD or NW changed: load the PDPTEs (SDM 4.4.1). */
    if ((v & CR0_PG) && (c->cr4 & CR4_PAE) && !(c->efer & EFER_LME) &&
        ((old ^ v) & (CR0_PG | CR0_CD | CR0_NW)) && !mmu_load_pdptes(c->mmu, c->cr3))
        cpu_raise_gp0(c);
    c->cr0 = v;
    if ((v & CR0_PG) && (c->efer & EFER_LME))
        c->efer |= EFER_LMA;
    else
        c->efer &= ~EFER_LMA;
    if ((old ^ v) & (CR0_PG | CR0_WP | CR0_PE))
        mmu_flush_all(c->mmu, false);
    cpu_update_mode(c);
}

static void sys_write_cr3(struct cpu *c, u64 v)
{
    if (!seg_is_long(c))
        v = (u32)v;
    else if (v >> sys_maxphyaddr(c))
        cpu_raise_gp0(c);
    if ((c->cr0 & CR0_PG) && (c->cr4 & CR4_PAE) && !seg_is_long(c) && !mmu_load_pdptes(c->mmu, v))
        cpu_raise_gp0(c); /* PAE paging: the PDPTEs come from the new CR3 (SDM 4.4.1) */
    c->cr3 = v;
    mmu_flush_all(c->mmu, true);
    cpu_update_mode(c);
}

static void sys_write_cr4(struct cpu *c, u64 v)
{
    u64 old = c->cr4;

    if (v & ~sys_cr4_allowed(c))
        cpu_raise_gp0(c);
    if (seg_is_long(c) && !(v & CR4_PAE))
        cpu_raise_gp0(c);
    /* PAE paging after the write and PAE, PGE, PSE or SMEP changed: load the PDPTEs. */
    if ((c->cr0 & CR0_PG) && (v & CR4_PAE) && !seg_is_long(c) &&
        ((old ^ v) & (CR4_PAE | CR4_PGE | CR4_PSE | CR4_SMEP)) && !mmu_load_pdptes(c->mmu, c->cr3))
        cpu_raise_gp0(c);
    c->cr4 = v;
    if ((old ^ v) & (CR4_PGE | CR4_PAE | CR4_PSE | CR4_PCIDE | CR4_SMEP | CR4_SMAP))
        mmu_flush_all(c->mmu, false);
    cpu_update_mode(c);
}

static const struct insn *exec_mov_Rd_Cd(struct cpu *c, const struct insn *i)
{
    u64 v;

    if (i->reg != 0 && (i->reg < 2 || i->reg > 4) && i->reg != 8)
        cpu_raise_ud(c);
    sys_require_cpl0(c);
    switch (i->reg) {
    case 0:
        v = c->cr0;
        break;
    case 2:
        v = c->cr2;
        break;
    case 3:
        v = c->cr3;
        break;
    case 4:
        v = c->cr4;
        break;
    default:
        v = c->cr8 & 0xf;
        break;
    }
    c->gpr[i->rm] = sys_is_64(c) ? v : (u32)v;
    return i + 1;
}

static const struct insn *exec_mov_Cd_Rd(struct cpu *c, const struct insn *i)
{
    u64 v;

    if (i->reg != 0 && (i->reg < 2 || i->reg > 4) && i->reg != 8)
        cpu_raise_ud(c);
    sys_require_cpl0(c);
    v = sys_is_64(c) ? c->gpr[i->rm] : (u32)c->gpr[i->rm];
    switch (i->reg) {
    case 0:
        sys_write_cr0(c, v);
        break;
    case 2:
        c->cr2 = v;
        break;
    case 3:
        sys_write_cr3(c, v);
        break;
    case 4:
        sys_write_cr4(c, v);
        break;
    default:
        if (v & ~0xfull)
            cpu_raise_gp0(c);
        c->cr8 = v;
        break;
    }
    return exec_end_block(c, i);
}

/* ---- MOV to/from debug registers (0F 21 / 0F 23): stored, no breakpoints ---- */

static unsigned sys_dr_index(struct cpu *c, const struct insn *i)
{
    unsigned n = i->reg;

    if (n > 7)
        cpu_raise_ud(c);
    if (n == 4 || n == 5) {
        if (c->cr4 & CR4_DE)
            cpu_raise_ud(c);
        n += 2;
    }
    sys_require_cpl0(c);
    return n;
}

static const struct insn *exec_mov_Rd_Dd(struct cpu *c, const struct insn *i)
{
    unsigned n = sys_dr_index(c, i);
    u64 v = c->dr[n];

    if (n == 6)
        v = (v | 0xffff0ff0ull) & 0xffffffffull;
    else if (n == 7)
        v |= 0x400;
    c->gpr[i->rm] = sys_is_64(c) ? v : (u32)v;
    return i + 1;
}

static const struct insn *exec_mov_Dd_Rd(struct cpu *c, const struct insn *i)
{
    unsigned n = sys_dr_index(c, i);
    u64 v = sys_is_64(c) ? c->gpr[i->rm] : (u32)c->gpr[i->rm];

    if ((n == 6 || n == 7) && (v >> 32))
        cpu_raise_gp0(c);
    c->dr[n] = v;
    return i + 1;
}

/* ---- Descriptor tables: 0F 01 /0-/3, 0F 00 /0-/5 ---- */

static void sys_load_dtable(struct cpu *c, const struct insn *i, struct dtable_reg *r)
{
    u64 ea = insn_ea(c, i), m = size_mask(i->asize), base;
    u16 limit;

    sys_require_cpl0(c);
    limit = cpu_read16(c, i->seg, ea);
    if (sys_is_64(c)) {
        base = cpu_read64(c, i->seg, (ea + 2) & m);
        if (!sys_canonical(base))
            cpu_raise_gp0(c);
    } else {
        base = cpu_read32(c, i->seg, (ea + 2) & m);
        if (i->opsize == SZ16)
            base &= 0xffffff;
    }
    r->limit = limit;
    r->base = base;
}

static void sys_store_dtable(struct cpu *c, const struct insn *i, const struct dtable_reg *r)
{
    u64 ea = insn_ea(c, i), m = size_mask(i->asize);

    cpu_write16(c, i->seg, ea, r->limit);
    if (sys_is_64(c))
        cpu_write64(c, i->seg, (ea + 2) & m, r->base);
    else
        cpu_write32(c, i->seg, (ea + 2) & m, (u32)r->base);
}

/* 0F 01 /0: SGDT; mod = 3 encodes VMX instructions (not supported). */
static const struct insn *exec_grp7_0(struct cpu *c, const struct insn *i)
{
    if (!(i->prefixes & INSN_MEM))
        cpu_raise_ud(c);
    sys_store_dtable(c, i, &c->gdtr);
    return i + 1;
}

/* 0F 01 /1: SIDT; mod = 3: CLAC (CA), STAC (CB) with SMAP; MONITOR/MWAIT are not advertised. */
static const struct insn *exec_grp7_1(struct cpu *c, const struct insn *i)
{
    if (i->prefixes & INSN_MEM) {
        sys_store_dtable(c, i, &c->idtr);
        return i + 1;
    }
    if ((i->imm2 == 0xca || i->imm2 == 0xcb) && sys_has(c, FEAT_SMAP) && c->cpl == 0 &&
        !(c->rflags & RFLAGS_VM)) {
        if (i->imm2 == 0xca)
            c->rflags &= ~RFLAGS_AC;
        else
            c->rflags |= RFLAGS_AC;
        cpu_update_mode(c);
        return i + 1;
    }
    cpu_raise_ud(c);
}

/* 0F 01 /2: LGDT; mod = 3 encodes XGETBV/XSETBV... (no XSAVE: #UD). */
static const struct insn *exec_grp7_2(struct cpu *c, const struct insn *i)
{
    if (!(i->prefixes & INSN_MEM))
        cpu_raise_ud(c);
    sys_load_dtable(c, i, &c->gdtr);
    return i + 1;
}

/* 0F 01 /3: LIDT. */
static const struct insn *exec_grp7_3(struct cpu *c, const struct insn *i)
{
    if (!(i->prefixes & INSN_MEM))
        cpu_raise_ud(c);
    sys_load_dtable(c, i, &c->idtr);
    return i + 1;
}

/* 0F 01 /4: SMSW Ew / Rv. */
static const struct insn *exec_smsw(struct cpu *c, const struct insn *i)
{
    if (i->prefixes & INSN_MEM)
        cpu_write16(c, i->seg, insn_ea(c, i), (u16)c->cr0);
    else
        reg_write(c, i->rm, i->opsize, c->cr0);
    return i + 1;
}

/* 0F 01 /6: LMSW Ew: PE MP EM TS; PE cannot be cleared. */
static const struct insn *exec_lmsw(struct cpu *c, const struct insn *i)
{
    u64 v;

    sys_require_cpl0(c);
    v = rm_read(c, i, SZ16) & 0xf;
    sys_write_cr0(c, (c->cr0 & ~0xeull) | v | (c->cr0 & CR0_PE));
    return exec_end_block(c, i);
}

/* 0F 01 /7: INVLPG m; mod = 3: SWAPGS (F8), RDTSCP (F9). */
static const struct insn *exec_grp7_7(struct cpu *c, const struct insn *i)
{
    if (i->prefixes & INSN_MEM) {
        u64 va = c->seg[i->seg].base + insn_ea(c, i);

        sys_require_cpl0(c);
        if (!sys_is_64(c))
            va = (u32)va;
        mmu_invlpg(c->mmu, &c->ctx, va);
        return i + 1;
    }
    if (i->imm2 == 0xf8 && sys_is_64(c)) {
        u64 t = c->seg[SEG_GS].base;

        if (c->cpl != 0)
            cpu_raise_gp0(c);
        c->seg[SEG_GS].base = c->msr_kernel_gs_base;
        c->msr_kernel_gs_base = t;
        cpu_update_mode(c);
        return i + 1;
    }
    if (i->imm2 == 0xf9 && sys_has(c, FEAT_RDTSCP)) {
        u64 tsc;

        if ((c->cr4 & CR4_TSD) && c->cpl != 0)
            cpu_raise_gp0(c);
        tsc = sys_tsc(c);
        c->gpr[0] = (u32)tsc;
        c->gpr[2] = tsc >> 32;
        c->gpr[1] = (u32)c->msr_tsc_aux;
        return i + 1;
    }
    cpu_raise_ud(c);
}

static const struct insn *exec_grp7_ud(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_raise_ud(c);
}

/* SLDT / STR: a 16-bit store to memory, the selector zero-extended into a register. */
static void sys_store_sel(struct cpu *c, const struct insn *i, u16 sel)
{
    if (i->prefixes & INSN_MEM)
        cpu_write16(c, i->seg, insn_ea(c, i), sel);
    else
        reg_write(c, i->rm, i->opsize, sel);
}

static const struct insn *exec_sldt(struct cpu *c, const struct insn *i)
{
    sys_require_prot(c);
    sys_store_sel(c, i, c->ldtr.sel);
    return i + 1;
}

static const struct insn *exec_str(struct cpu *c, const struct insn *i)
{
    sys_require_prot(c);
    sys_store_sel(c, i, c->tr.sel);
    return i + 1;
}

/* The upper half of a 16-byte system descriptor in IA-32e mode: base bits 63:32. */
static u64 sys_desc_base_hi(struct cpu *c, u64 addr)
{
    return seg_is_long(c) ? (sys_read_lin(c, addr + 8, 8) & 0xffffffffull) << 32 : 0;
}

static const struct insn *exec_lldt(struct cpu *c, const struct insn *i)
{
    u16 sel;
    u64 d, addr;

    sys_require_prot(c);
    sys_require_cpl0(c);
    sel = (u16)rm_read(c, i, SZ16);
    if (!(sel & ~3u)) {
        seg_null(&c->ldtr, sel);
        return i + 1;
    }
    if ((sel & 4) || !seg_fetch_desc(c, sel, &d, &addr))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (DESC_S(d) || DESC_TYPE(d) != SYS_TYPE_LDT)
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (!DESC_P(d))
        cpu_raise(c, EXC_NP, EXC_SEL_ERR(sel));
    seg_cache_from_desc(&c->ldtr, sel, d);
    c->ldtr.base |= sys_desc_base_hi(c, addr);
    return i + 1;
}

static const struct insn *exec_ltr(struct cpu *c, const struct insn *i)
{
    u16 sel;
    u64 d, addr, hi;
    unsigned type;

    sys_require_prot(c);
    sys_require_cpl0(c);
    sel = (u16)rm_read(c, i, SZ16);
    if (!(sel & ~3u))
        cpu_raise_gp0(c);
    if ((sel & 4) || !seg_fetch_desc(c, sel, &d, &addr))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    type = DESC_TYPE(d);
    if (DESC_S(d) ||
        (type != SYS_TYPE_TSS_AVAIL && (seg_is_long(c) || type != SYS_TYPE_TSS16_AVAIL)))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (!DESC_P(d))
        cpu_raise(c, EXC_NP, EXC_SEL_ERR(sel));
    hi = sys_desc_base_hi(c, addr);
    d |= DESC_TSS_BUSY;
    sys_write_lin(c, addr + 5, 1, (d >> 40) & 0xff);
    seg_cache_from_desc(&c->tr, sel, d);
    c->tr.base |= hi;
    return i + 1;
}

static void sys_set_zf(struct cpu *c, bool zf)
{
    flags_materialize(c);
    c->rflags = zf ? c->rflags | RFLAGS_ZF : c->rflags & ~RFLAGS_ZF;
}

/* The descriptor of @sel if it is visible at the current CPL/RPL (VERR/VERW/LAR/LSL). */
static bool sys_visible_desc(struct cpu *c, u16 sel, u64 *d)
{
    u64 addr;

    if (!(sel & ~3u) || !seg_fetch_desc(c, sel, d, &addr))
        return false;
    if (DESC_S(*d) &&
        (DESC_TYPE(*d) & (SEG_TYPE_CODE | SEG_TYPE_CONF)) == (SEG_TYPE_CODE | SEG_TYPE_CONF))
        return true; /* conforming code: no privilege check */
    return DESC_DPL(*d) >= c->cpl && DESC_DPL(*d) >= (sel & 3u);
}

static const struct insn *exec_verr_verw(struct cpu *c, const struct insn *i)
{
    u16 sel;
    u64 d;
    bool ok;

    sys_require_prot(c);
    sel = (u16)rm_read(c, i, SZ16);
    ok = sys_visible_desc(c, sel, &d) && DESC_S(d);
    if (ok) {
        unsigned type = DESC_TYPE(d);

        if (i->aux) /* VERW: writable data */
            ok = !(type & SEG_TYPE_CODE) && (type & SEG_TYPE_RW);
        else /* VERR: data or readable code */
            ok = !(type & SEG_TYPE_CODE) || (type & SEG_TYPE_RW);
    }
    sys_set_zf(c, ok);
    return i + 1;
}

/* LAR (aux 0) / LSL (aux 1): which system types each accepts, SDM vol. 2 tables 3-55/3-60. */
static bool sys_lar_lsl_type_ok(const struct cpu *c, unsigned type, bool is_lsl)
{
    if (seg_is_long(c))
        return type == SYS_TYPE_LDT || type == SYS_TYPE_TSS_AVAIL || type == SYS_TYPE_TSS_BUSY ||
               (!is_lsl && type == SYS_TYPE_CALL);
    switch (type) {
    case SYS_TYPE_TSS16_AVAIL:
    case SYS_TYPE_LDT:
    case SYS_TYPE_TSS16_BUSY:
    case SYS_TYPE_TSS_AVAIL:
    case SYS_TYPE_TSS_BUSY:
        return true;
    case SYS_TYPE_CALL16:
    case SYS_TYPE_TASK:
    case SYS_TYPE_CALL:
        return !is_lsl;
    default:
        return false;
    }
}

static const struct insn *exec_lar_lsl(struct cpu *c, const struct insn *i)
{
    bool is_lsl = i->aux;
    u16 sel;
    u64 d;

    sys_require_prot(c);
    sel = (u16)rm_read(c, i, SZ16);
    if (!sys_visible_desc(c, sel, &d) ||
        (!DESC_S(d) && !sys_lar_lsl_type_ok(c, DESC_TYPE(d), is_lsl))) {
        sys_set_zf(c, false);
        return i + 1;
    }
    if (is_lsl) {
        struct seg_cache s;

        seg_cache_from_desc(&s, sel, d);
        reg_write(c, i->reg, i->opsize == SZ16 ? SZ16 : SZ32, s.limit);
    } else {
        reg_write(c, i->reg, i->opsize == SZ16 ? SZ16 : SZ32, (d >> 32) & 0x00f0ff00);
    }
    sys_set_zf(c, true);
    return i + 1;
}

const struct insn *exec_arpl_Ew_Gw(struct cpu *c, const struct insn *i)
{
    u64 dst, src;

    if (sys_is_64(c)) { /* MOVSXD without REX.W: a plain move at the operand size */
        reg_write(c, i->reg, i->opsize, rm_read(c, i, i->opsize));
        return i + 1;
    }
    sys_require_prot(c);
    dst = rm_read(c, i, SZ16);
    src = reg_read(c, i->reg, SZ16);
    if ((dst & 3) < (src & 3)) {
        rm_write(c, i, SZ16, (dst & ~3ull) | (src & 3));
        sys_set_zf(c, true);
    } else {
        sys_set_zf(c, false);
    }
    return i + 1;
}

/* ---- Simple privileged and control instructions ---- */

static const struct insn *exec_clts(struct cpu *c, const struct insn *i)
{
    sys_require_cpl0(c);
    c->cr0 &= ~CR0_TS;
    return i + 1;
}

static const struct insn *exec_wbinvd(struct cpu *c, const struct insn *i)
{
    sys_require_cpl0(c);
    return i + 1;
}

static const struct insn *exec_ud2(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_raise_ud(c);
}

static const struct insn *exec_hlt(struct cpu *c, const struct insn *i)
{
    sys_require_cpl0(c);
    c->is_halted = true;
    return exec_end_block(c, i);
}

static bool sys_if_allowed(const struct cpu *c)
{
    if (!(c->cr0 & CR0_PE))
        return true;
    if (c->rflags & RFLAGS_VM)
        return sys_iopl(c) == 3;
    return c->cpl <= sys_iopl(c);
}

static const struct insn *exec_cli(struct cpu *c, const struct insn *i)
{
    if (!sys_if_allowed(c))
        cpu_raise_gp0(c);
    c->rflags &= ~RFLAGS_IF;
    return i + 1;
}

/* STI: interrupts stay blocked until the next instruction has run (intr_shadow). */
static const struct insn *exec_sti(struct cpu *c, const struct insn *i)
{
    if (!sys_if_allowed(c))
        cpu_raise_gp0(c);
    if (!(c->rflags & RFLAGS_IF)) {
        c->rflags |= RFLAGS_IF;
        c->intr_shadow = 1;
    }
    return i + 1;
}

static const struct insn *exec_cld(struct cpu *c, const struct insn *i)
{
    c->rflags &= ~RFLAGS_DF;
    return i + 1;
}

static const struct insn *exec_std(struct cpu *c, const struct insn *i)
{
    c->rflags |= RFLAGS_DF;
    return i + 1;
}

static const struct insn *exec_pushf(struct cpu *c, const struct insn *i)
{
    if ((c->rflags & RFLAGS_VM) && sys_iopl(c) < 3)
        cpu_raise_gp0(c);
    cpu_push(c, i->opsize, cpu_get_rflags(c) & ~(RFLAGS_RF | RFLAGS_VM));
    return i + 1;
}

/* The RFLAGS bits POPF/IRET may change at the current privilege (SDM vol. 1 table 3-2 and
 * vol. 2 "POPF"): never VM, VIF, VIP; IOPL only at CPL 0; IF only when CPL <= IOPL. */
static u64 sys_flags_changeable(const struct cpu *c)
{
    u64 m = RFLAGS_ARITH | RFLAGS_TF | RFLAGS_DF | RFLAGS_NT | RFLAGS_AC | RFLAGS_ID | RFLAGS_IF |
            RFLAGS_IOPL;

    if (!(c->cr0 & CR0_PE))
        return m;
    if (c->rflags & RFLAGS_VM)
        return m & ~RFLAGS_IOPL;
    if (c->cpl > 0)
        m &= ~RFLAGS_IOPL;
    if (c->cpl > sys_iopl(c))
        m &= ~RFLAGS_IF;
    return m;
}

static const struct insn *exec_popf(struct cpu *c, const struct insn *i)
{
    u64 m, v, old;

    if ((c->rflags & RFLAGS_VM) && sys_iopl(c) < 3)
        cpu_raise_gp0(c);
    v = cpu_pop(c, i->opsize);
    old = cpu_get_rflags(c);
    m = sys_flags_changeable(c);
    if (i->opsize == SZ16)
        m &= 0xffff;
    cpu_set_rflags(c, ((old & ~m) | (v & m) | RFLAGS_FIXED) & ~RFLAGS_RF);
    cpu_update_mode(c); /* AC is part of the paging context */
    return exec_end_block(c, i);
}

/* ---- Software interrupts (CD, CC, CE, F1) ---- */

static const struct insn *exec_int_Ib(struct cpu *c, const struct insn *i)
{
    if ((c->rflags & RFLAGS_VM) && sys_iopl(c) < 3)
        cpu_raise_gp0(c);
    c->insn = i;
    cpu_deliver(c, (u8)i->imm, EXC_NO_ERROR, INTR_SOFTWARE, insn_next_rip(c, i));
    return NULL;
}

static const struct insn *exec_int3(struct cpu *c, const struct insn *i)
{
    c->insn = i;
    cpu_deliver(c, EXC_BP, EXC_NO_ERROR, INTR_SOFTWARE, insn_next_rip(c, i));
    return NULL;
}

static const struct insn *exec_into(struct cpu *c, const struct insn *i)
{
    if (!cpu_cond(c, CC_O))
        return exec_end_block(c, i);
    c->insn = i;
    cpu_deliver(c, EXC_OF, EXC_NO_ERROR, INTR_SOFTWARE, insn_next_rip(c, i));
    return NULL;
}

/* INT1 (ICEBP): a #DB trap without the gate-DPL check. */
static const struct insn *exec_int1(struct cpu *c, const struct insn *i)
{
    c->insn = i;
    cpu_deliver(c, EXC_DB, EXC_NO_ERROR, INTR_EXCEPTION, insn_next_rip(c, i));
    return NULL;
}

/* ---- Returns to an outer privilege level: ES, DS, FS, GS the new CPL may not use ---- */

static void sys_null_inaccessible(struct cpu *c, unsigned cpl)
{
    static const u8 regs[] = {SEG_ES, SEG_DS, SEG_FS, SEG_GS};

    for (unsigned k = 0; k < 4; k++) {
        struct seg_cache *s = &c->seg[regs[k]];
        unsigned type = s->attr & SEG_ATTR_TYPE;
        bool conf_code =
            (type & (SEG_TYPE_CODE | SEG_TYPE_CONF)) == (SEG_TYPE_CODE | SEG_TYPE_CONF);

        if ((s->attr & SEG_ATTR_P) && !conf_code && (unsigned)((s->attr & SEG_ATTR_DPL) >> 5) < cpl)
            seg_null(s, 0);
    }
}

/* The code segment a far RET or IRET returns to (SDM vol. 2 "RET", "IRET"). */
static u64 sys_check_return_cs(struct cpu *c, u16 sel, u64 *addr)
{
    unsigned rpl = sel & 3u, type;
    u64 d;

    if (!(sel & ~3u))
        cpu_raise_gp0(c);
    if (!seg_fetch_desc(c, sel, &d, addr))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    type = DESC_TYPE(d);
    if (!DESC_S(d) || !(type & SEG_TYPE_CODE) || rpl < c->cpl)
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if ((type & SEG_TYPE_CONF) ? DESC_DPL(d) > rpl : DESC_DPL(d) != rpl)
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (!DESC_P(d))
        cpu_raise(c, EXC_NP, EXC_SEL_ERR(sel));
    if (seg_is_long(c) && DESC_L(d) && DESC_DB(d))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    return d;
}

/* Checks the new RIP against the target code segment: canonical in 64-bit code, else within
 * the limit. Return: the RIP truncated to the operand size outside 64-bit code. */
static u64 sys_check_target_rip(struct cpu *c, u64 d, u16 sel, u64 rip, unsigned size)
{
    struct seg_cache s;

    if (seg_is_long(c) && DESC_L(d)) {
        if (!sys_canonical(rip))
            cpu_raise_gp0(c);
        return rip;
    }
    rip &= size_mask(size == SZ64 ? SZ32 : size);
    seg_cache_from_desc(&s, sel, d);
    if (rip > s.limit)
        cpu_raise_gp0(c);
    return rip;
}

/*
 * Commit a protected-mode return: CS from @d at privilege @rpl, and (when @pop_ss) SS:RSP
 * from @ss_sel/@ssd/@new_sp. The caller did every check first.
 */
static void sys_commit_return(struct cpu *c, u16 cs_sel, u64 d, u64 cs_addr, unsigned rpl,
                              bool pop_ss, u16 ss_sel, u64 ssd, u64 ss_addr, u64 new_sp)
{
    bool outer = rpl > c->cpl;

    seg_set_accessed(c, cs_addr, &d);
    if (pop_ss && (ss_sel & ~3u))
        seg_set_accessed(c, ss_addr, &ssd);
    seg_cache_from_desc(&c->seg[SEG_CS], cs_sel, d);
    if (pop_ss) {
        if (!(ss_sel & ~3u))
            seg_load_ss_null64(c, rpl);
        else
            seg_cache_from_desc(&c->seg[SEG_SS], ss_sel, ssd);
        if (seg_is_long(c) && DESC_L(d))
            c->gpr[RSP] = new_sp;
        else if (DESC_DB(ssd) || !(ss_sel & ~3u))
            c->gpr[RSP] = (u32)new_sp;
        else /* a 16-bit stack: only SP is loaded (SDM vol. 2 "IRET") */
            c->gpr[RSP] = (c->gpr[RSP] & ~0xffffull) | (new_sp & 0xffff);
    }
    c->cpl = (u8)rpl;
    if (outer)
        sys_null_inaccessible(c, rpl);
}

/* ---- IRET (CF) ---- */

static const struct insn *sys_iret_real(struct cpu *c, const struct insn *i, u64 rflags)
{
    unsigned sz = i->opsize, nb = 1u << sz;
    u64 ip = stk_read(c, 0, sz), fl = stk_read(c, 2ull * nb, sz), nf;
    u16 cs = (u16)stk_read(c, nb, SZ16);

    if (c->rflags & RFLAGS_VM) {
        if (sys_iopl(c) < 3)
            cpu_raise_gp0(c);
        if (sz == SZ16)
            nf = (rflags & ~0xffffull) | (fl & 0xffff & ~RFLAGS_IOPL) | (rflags & RFLAGS_IOPL);
        else
            nf = (fl & ~(RFLAGS_VM | RFLAGS_IOPL | RFLAGS_VIP | RFLAGS_VIF)) |
                 (rflags & (RFLAGS_VM | RFLAGS_IOPL | RFLAGS_VIP | RFLAGS_VIF));
    } else if (sz == SZ16) {
        nf = (rflags & ~0xffffull) | (fl & 0xffff);
    } else {
        nf = (fl & 0x257fd5) | (rflags & 0x1a0000);
    }
    stk_add(c, 3ull * nb);
    seg_cache_real(c, &c->seg[SEG_CS], cs);
    cpu_set_rflags(c, (nf & 0x3f7fd5) | RFLAGS_FIXED);
    c->rip = ip;
    cpu_update_mode(c);
    return NULL;
}

/* IRET from protected mode to virtual-8086 mode (CPL 0, EFLAGS image with VM = 1). */
static const struct insn *sys_iret_to_vm86(struct cpu *c, u64 ip, u16 cs, u64 fl)
{
    u64 esp = stk_read(c, 12, SZ32);
    u16 ss = (u16)stk_read(c, 16, SZ16), es = (u16)stk_read(c, 20, SZ16);
    u16 ds = (u16)stk_read(c, 24, SZ16), fs = (u16)stk_read(c, 28, SZ16);
    u16 gs = (u16)stk_read(c, 32, SZ16);

    cpu_set_rflags(c, (fl & 0x3f7fd5) | RFLAGS_VM | RFLAGS_FIXED);
    seg_cache_real(c, &c->seg[SEG_CS], cs);
    seg_cache_real(c, &c->seg[SEG_SS], ss);
    seg_cache_real(c, &c->seg[SEG_ES], es);
    seg_cache_real(c, &c->seg[SEG_DS], ds);
    seg_cache_real(c, &c->seg[SEG_FS], fs);
    seg_cache_real(c, &c->seg[SEG_GS], gs);
    c->gpr[RSP] = (u32)esp;
    c->cpl = 3;
    c->rip = ip & 0xffff;
    cpu_update_mode(c);
    return NULL;
}

static const struct insn *exec_iret(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize, nb = 1u << sz, rpl;
    u64 rflags = cpu_get_rflags(c), ip, fl, d, cs_addr, ssd = 0, ss_addr = 0, new_sp = 0, m;
    bool pop_ss;
    u16 cs, ss = 0;

    c->in_nmi = false; /* IRET unblocks NMIs (SDM vol. 3 6.7.1) */
    if (!seg_is_prot(c))
        return sys_iret_real(c, i, rflags);
    if (rflags & RFLAGS_NT)
        cpu_raise_gp0(c); /* task return: not modelled (#GP(0) in IA-32e mode anyway) */
    ip = stk_read(c, 0, sz);
    cs = (u16)stk_read(c, nb, SZ16);
    fl = stk_read(c, 2ull * nb, sz);
    if (sz == SZ16)
        fl = (rflags & ~0xffffull) | (fl & 0xffff);
    if (!seg_is_long(c) && sz == SZ32 && (fl & RFLAGS_VM) && c->cpl == 0)
        return sys_iret_to_vm86(c, ip, cs, fl);
    d = sys_check_return_cs(c, cs, &cs_addr);
    rpl = cs & 3u;
    pop_ss = rpl > c->cpl || sys_is_64(c);
    if (pop_ss) {
        bool to64 = seg_is_long(c) && DESC_L(d);

        new_sp = stk_read(c, 3ull * nb, sz);
        ss = (u16)stk_read(c, 4ull * nb, SZ16);
        ssd = seg_check_ss(c, ss, rpl, EXC_GP, 0, to64 && rpl < 3, &ss_addr);
    }
    ip = sys_check_target_rip(c, d, cs, ip, sz);
    m = sys_flags_changeable(c) | RFLAGS_RF;
    if (c->cpl == 0)
        m |= RFLAGS_VIF | RFLAGS_VIP;
    if (sz == SZ16)
        m &= 0xffff;
    rflags = ((rflags & ~m) | (fl & m) | RFLAGS_FIXED) & ~RFLAGS_VM;
    if (!pop_ss)
        stk_add(c, 3ull * nb);
    sys_commit_return(c, cs, d, cs_addr, rpl, pop_ss, ss, ssd, ss_addr, new_sp);
    cpu_set_rflags(c, rflags);
    c->rip = ip;
    cpu_update_mode(c);
    return NULL;
}

/* ---- Far RET (CB, CA iw) ---- */

static const struct insn *exec_retf(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize, nb = 1u << sz, rpl;
    u64 imm = i->opcode == 0xca ? (u16)i->imm : 0, ip, d, cs_addr, ssd = 0, ss_addr = 0, new_sp = 0;
    bool outer;
    u16 cs, ss = 0;

    ip = stk_read(c, 0, sz);
    cs = (u16)stk_read(c, nb, SZ16);
    if (!seg_is_prot(c)) {
        stk_add(c, 2ull * nb + imm);
        seg_cache_real(c, &c->seg[SEG_CS], cs);
        c->rip = ip & size_mask(sz == SZ64 ? SZ32 : sz);
        cpu_update_mode(c);
        return NULL;
    }
    d = sys_check_return_cs(c, cs, &cs_addr);
    rpl = cs & 3u;
    outer = rpl > c->cpl;
    if (outer) {
        bool to64 = seg_is_long(c) && DESC_L(d);

        new_sp = stk_read(c, 2ull * nb + imm, sz);
        ss = (u16)stk_read(c, 3ull * nb + imm, SZ16);
        ssd = seg_check_ss(c, ss, rpl, EXC_GP, 0, to64 && rpl < 3, &ss_addr);
    }
    ip = sys_check_target_rip(c, d, cs, ip, sz);
    if (!outer)
        stk_add(c, 2ull * nb + imm);
    sys_commit_return(c, cs, d, cs_addr, rpl, outer, ss, ssd, ss_addr, new_sp + imm);
    c->rip = ip;
    cpu_update_mode(c);
    return NULL;
}

/* ---- Far JMP / CALL (EA, 9A, FF /5, FF /3) ---- */

static const struct insn *sys_far_transfer(struct cpu *c, const struct insn *i, u16 sel, u64 off,
                                           bool is_call)
{
    unsigned sz = i->opsize, nb = 1u << sz;
    u64 next = insn_next_rip(c, i), d, addr;

    if (!seg_is_prot(c)) {
        if (is_call) {
            stk_write_below(c, nb, sz, c->seg[SEG_CS].sel);
            stk_write_below(c, 2ull * nb, sz, next);
            stk_add(c, -2ull * nb);
        }
        seg_cache_real(c, &c->seg[SEG_CS], sel);
        c->rip = off & size_mask(sz == SZ64 ? SZ32 : sz);
        cpu_update_mode(c);
        return NULL;
    }
    if (!(sel & ~3u))
        cpu_raise_gp0(c);
    if (!seg_fetch_desc(c, sel, &d, &addr))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (!DESC_S(d)) /* call gate, task gate or TSS: not modelled */
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    seg_check_code_jmp(c, sel, d);
    off = sys_check_target_rip(c, d, sel, off, sz);
    if (is_call) {
        stk_write_below(c, nb, sz, c->seg[SEG_CS].sel);
        stk_write_below(c, 2ull * nb, sz, next);
    }
    seg_set_accessed(c, addr, &d);
    if (is_call)
        stk_add(c, -2ull * nb);
    seg_load_cs(c, sel, d, c->cpl);
    c->rip = off;
    return NULL;
}

static const struct insn *exec_jmp_Ap(struct cpu *c, const struct insn *i)
{
    return sys_far_transfer(c, i, (u16)i->disp, i->imm, false);
}

static const struct insn *exec_call_Ap(struct cpu *c, const struct insn *i)
{
    return sys_far_transfer(c, i, (u16)i->disp, i->imm, true);
}

static void sys_read_farptr(struct cpu *c, const struct insn *i, u64 *off, u16 *sel)
{
    u64 ea = insn_ea(c, i);

    *off = cpu_read_sized(c, i->seg, ea, i->opsize);
    *sel = cpu_read16(c, i->seg, (ea + (1u << i->opsize)) & size_mask(i->asize));
}

static const struct insn *exec_jmp_Mp(struct cpu *c, const struct insn *i)
{
    u64 off;
    u16 sel;

    sys_read_farptr(c, i, &off, &sel);
    return sys_far_transfer(c, i, sel, off, false);
}

static const struct insn *exec_call_Mp(struct cpu *c, const struct insn *i)
{
    u64 off;
    u16 sel;

    sys_read_farptr(c, i, &off, &sel);
    return sys_far_transfer(c, i, sel, off, true);
}

/* ---- SYSCALL / SYSRET (0F 05 / 0F 07), SYSENTER / SYSEXIT (0F 34 / 0F 35) ---- */

static const struct insn *exec_syscall(struct cpu *c, const struct insn *i)
{
    u64 rflags;
    u16 sel = (u16)(c->msr_star >> 32);

    if (!(c->efer & EFER_SCE) || !sys_is_64(c))
        cpu_raise_ud(c);
    rflags = cpu_get_rflags(c);
    c->gpr[1] = insn_next_rip(c, i);
    c->gpr[11] = rflags;
    sys_flat(&c->seg[SEG_CS], sel & 0xfffc, ATTR_CS64_DPL0);
    sys_flat(&c->seg[SEG_SS], (u16)((sel + 8) & 0xfffc), ATTR_SS_DPL0);
    c->cpl = 0;
    cpu_set_rflags(c, (rflags & ~c->msr_sfmask & ~RFLAGS_RF) | RFLAGS_FIXED);
    c->rip = c->msr_lstar;
    cpu_update_mode(c);
    return NULL;
}

static const struct insn *exec_sysret(struct cpu *c, const struct insn *i)
{
    u16 sel = (u16)(c->msr_star >> 48);

    if (!(c->efer & EFER_SCE) || !sys_is_64(c))
        cpu_raise_ud(c);
    if (c->cpl != 0)
        cpu_raise_gp0(c);
    if (i->opsize == SZ64) {
        if (!sys_canonical(c->gpr[1]))
            cpu_raise_gp0(c);
        sys_flat(&c->seg[SEG_CS], (u16)((sel + 16) | 3), ATTR_CS64_DPL0 | ATTR_DPL3);
        c->rip = c->gpr[1];
    } else {
        sys_flat(&c->seg[SEG_CS], (u16)(sel | 3), ATTR_CS32_DPL0 | ATTR_DPL3);
        c->rip = (u32)c->gpr[1];
    }
    sys_flat(&c->seg[SEG_SS], (u16)((sel + 8) | 3), ATTR_SS_DPL0 | ATTR_DPL3);
    c->cpl = 3;
    cpu_set_rflags(c, (c->gpr[11] & 0x3c7fd7) | RFLAGS_FIXED);
    cpu_update_mode(c);
    return NULL;
}

static const struct insn *exec_sysenter(struct cpu *c, const struct insn *i)
{
    u16 sel = (u16)c->msr_sysenter_cs & 0xfffc;

    (void)i;
    if (!(c->cr0 & CR0_PE) || !sel)
        cpu_raise_gp0(c);
    if (seg_is_long(c)) {
        sys_flat(&c->seg[SEG_CS], sel, ATTR_CS64_DPL0);
        c->rip = c->msr_sysenter_eip;
        c->gpr[RSP] = c->msr_sysenter_esp;
    } else {
        sys_flat(&c->seg[SEG_CS], sel, ATTR_CS32_DPL0);
        c->rip = (u32)c->msr_sysenter_eip;
        c->gpr[RSP] = (u32)c->msr_sysenter_esp;
    }
    sys_flat(&c->seg[SEG_SS], (u16)(sel + 8), ATTR_SS_DPL0);
    c->cpl = 0;
    c->rflags &= ~(RFLAGS_VM | RFLAGS_IF | RFLAGS_RF);
    cpu_update_mode(c);
    return NULL;
}

static const struct insn *exec_sysexit(struct cpu *c, const struct insn *i)
{
    u16 sel = (u16)c->msr_sysenter_cs & 0xfffc;

    if (!(c->cr0 & CR0_PE) || !sel || c->cpl != 0 || (c->rflags & RFLAGS_VM))
        cpu_raise_gp0(c);
    if (i->opsize == SZ64) {
        if (!sys_canonical(c->gpr[2]) || !sys_canonical(c->gpr[1]))
            cpu_raise_gp0(c);
        sys_flat(&c->seg[SEG_CS], (u16)((sel + 32) | 3), ATTR_CS64_DPL0 | ATTR_DPL3);
        sys_flat(&c->seg[SEG_SS], (u16)((sel + 40) | 3), ATTR_SS_DPL0 | ATTR_DPL3);
        c->rip = c->gpr[2];
        c->gpr[RSP] = c->gpr[1];
    } else {
        sys_flat(&c->seg[SEG_CS], (u16)((sel + 16) | 3), ATTR_CS32_DPL0 | ATTR_DPL3);
        sys_flat(&c->seg[SEG_SS], (u16)((sel + 24) | 3), ATTR_SS_DPL0 | ATTR_DPL3);
        c->rip = (u32)c->gpr[2];
        c->gpr[RSP] = (u32)c->gpr[1];
    }
    c->cpl = 3;
    cpu_update_mode(c);
    return NULL;
}

/* ---- TSC, PMC, CPUID ---- */

static const struct insn *exec_rdtsc(struct cpu *c, const struct insn *i)
{
    u64 tsc;

    if ((c->cr4 & CR4_TSD) && c->cpl != 0 && (c->cr0 & CR0_PE))
        cpu_raise_gp0(c);
    tsc = sys_tsc(c);
    c->gpr[0] = (u32)tsc;
    c->gpr[2] = tsc >> 32;
    return i + 1;
}

/* RDPMC: no performance counters exist, so every counter index is invalid: #GP(0). */
static const struct insn *exec_rdpmc(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_raise_gp0(c);
}

static const struct insn *exec_cpuid(struct cpu *c, const struct insn *i)
{
    u32 out[4] = {0, 0, 0, 0};

    if (c->cpuid)
        cpuid_query(c->cpuid, c->index, (u32)c->gpr[0], (u32)c->gpr[1], out);
    c->gpr[0] = out[CPUID_EAX];
    c->gpr[3] = out[CPUID_EBX];
    c->gpr[1] = out[CPUID_ECX];
    c->gpr[2] = out[CPUID_EDX];
    return i + 1;
}

/* ---- MSRs (0F 32 / 0F 30) ---- */

static bool sys_mtrr_index(u32 msr, u64 **slot, struct cpu *c)
{
    static const u32 fixed[11] = {
        MSR_MTRR_FIX64K,       MSR_MTRR_FIX16K_80,    MSR_MTRR_FIX16K_A0,    MSR_MTRR_FIX4K_C0,
        MSR_MTRR_FIX4K_C0 + 1, MSR_MTRR_FIX4K_C0 + 2, MSR_MTRR_FIX4K_C0 + 3, MSR_MTRR_FIX4K_C0 + 4,
        MSR_MTRR_FIX4K_C0 + 5, MSR_MTRR_FIX4K_C0 + 6, MSR_MTRR_FIX4K_C0 + 7};

    if (msr >= MSR_MTRR_PHYSBASE0 && msr < MSR_MTRR_PHYSBASE0 + 16) {
        *slot = &c->msr_mtrr_var[msr - MSR_MTRR_PHYSBASE0];
        return true;
    }
    for (unsigned k = 0; k < 11; k++)
        if (fixed[k] == msr) {
            *slot = &c->msr_mtrr_fixed[k];
            return true;
        }
    if (msr == MSR_MTRR_DEF_TYPE) {
        *slot = &c->msr_mtrr_def_type;
        return true;
    }
    return false;
}

/** sys_msr_read() - RDMSR semantics without the privilege check. Return: false for #GP. */
static bool sys_msr_read(struct cpu *c, u32 msr, u64 *v)
{
    u64 *slot;

    switch (msr) {
    case MSR_TSC:
        *v = sys_tsc(c);
        return true;
    case MSR_PLATFORM_ID:
        *v = 0;
        return true;
    case MSR_BIOS_SIGN_ID:
        *v = 0x7fffffffull << 32; /* microcode revision (EDX): new enough for every erratum */
        return true;
    case MSR_MTRRCAP:
        if (!sys_has(c, FEAT_MTRR))
            return false;
        *v = 0x508; /* WC, fixed ranges, 8 variable ranges */
        return true;
    case MSR_SYSENTER_CS:
        *v = c->msr_sysenter_cs;
        return true;
    case MSR_SYSENTER_ESP:
        *v = c->msr_sysenter_esp;
        return true;
    case MSR_SYSENTER_EIP:
        *v = c->msr_sysenter_eip;
        return true;
    case MSR_MISC_ENABLE:
        *v = c->msr_misc_enable;
        return true;
    case MSR_PAT:
        *v = c->msr_pat;
        return true;
    case MSR_EFER:
        *v = c->efer;
        return true;
    case MSR_STAR:
        *v = c->msr_star;
        return true;
    case MSR_LSTAR:
        *v = c->msr_lstar;
        return true;
    case MSR_CSTAR:
        *v = c->msr_cstar;
        return true;
    case MSR_SFMASK:
        *v = c->msr_sfmask;
        return true;
    case MSR_FS_BASE:
        *v = c->seg[SEG_FS].base;
        return true;
    case MSR_GS_BASE:
        *v = c->seg[SEG_GS].base;
        return true;
    case MSR_KERNEL_GS_BASE:
        *v = c->msr_kernel_gs_base;
        return true;
    case MSR_TSC_AUX:
        if (!sys_has(c, FEAT_RDTSCP))
            return false;
        *v = c->msr_tsc_aux;
        return true;
    default:
        break;
    }
    if (sys_has(c, FEAT_MTRR) && sys_mtrr_index(msr, &slot, c)) {
        *v = *slot;
        return true;
    }
    return c->bus.msr_read && c->bus.msr_read(c->bus.opaque, c->index, msr, v);
}

static bool sys_pat_valid(u64 v)
{
    for (unsigned k = 0; k < 8; k++) {
        unsigned t = (unsigned)(v >> (8 * k)) & 0xff;

        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}

static bool sys_write_efer(struct cpu *c, u64 v)
{
    u64 ok = EFER_LME | EFER_LMA;
    u64 old = c->efer;

    if (sys_has(c, FEAT_SYSCALL))
        ok |= EFER_SCE;
    if (sys_has(c, FEAT_NX))
        ok |= EFER_NXE;
    if (v & ~ok)
        return false;
    if ((c->cr0 & CR0_PG) && ((v ^ old) & EFER_LME))
        return false;
    c->efer = (v & ~EFER_LMA) | (old & EFER_LMA);
    if ((old ^ c->efer) & EFER_NXE)
        mmu_flush_all(c->mmu, false);
    cpu_update_mode(c);
    return true;
}

/** sys_msr_write() - WRMSR semantics without the privilege check. Return: false for #GP. */
static bool sys_msr_write(struct cpu *c, u32 msr, u64 v)
{
    u64 *slot;

    switch (msr) {
    case MSR_TSC:
        c->msr_tsc_offset = v - (u64)((double)c->cycles * c->tsc_per_cycle);
        return true;
    case MSR_BIOS_SIGN_ID:
        return true;
    case MSR_SYSENTER_CS:
        c->msr_sysenter_cs = v & 0xffff;
        return true;
    case MSR_SYSENTER_ESP:
    case MSR_SYSENTER_EIP:
        if (!sys_canonical(v))
            return false;
        *(msr == MSR_SYSENTER_ESP ? &c->msr_sysenter_esp : &c->msr_sysenter_eip) = v;
        return true;
    case MSR_MISC_ENABLE:
        c->msr_misc_enable = v;
        return true;
    case MSR_PAT:
        if (!sys_pat_valid(v))
            return false;
        c->msr_pat = v;
        return true;
    case MSR_EFER:
        return sys_write_efer(c, v);
    case MSR_STAR:
        c->msr_star = v;
        return true;
    case MSR_LSTAR:
    case MSR_CSTAR:
        if (!sys_canonical(v))
            return false;
        *(msr == MSR_LSTAR ? &c->msr_lstar : &c->msr_cstar) = v;
        return true;
    case MSR_SFMASK:
        c->msr_sfmask = (u32)v;
        return true;
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_KERNEL_GS_BASE:
        if (!sys_canonical(v))
            return false;
        if (msr == MSR_KERNEL_GS_BASE)
            c->msr_kernel_gs_base = v;
        else
            c->seg[msr == MSR_FS_BASE ? SEG_FS : SEG_GS].base = v;
        cpu_update_mode(c);
        return true;
    case MSR_TSC_AUX:
        if (!sys_has(c, FEAT_RDTSCP) || (v >> 32))
            return false;
        c->msr_tsc_aux = v;
        return true;
    default:
        break;
    }
    if (sys_has(c, FEAT_MTRR) && sys_mtrr_index(msr, &slot, c)) {
        if (msr == MSR_MTRR_DEF_TYPE && (v & ~0xcffull))
            return false;
        *slot = v;
        return true;
    }
    return c->bus.msr_write && c->bus.msr_write(c->bus.opaque, c->index, msr, v);
}

static const struct insn *exec_rdmsr(struct cpu *c, const struct insn *i)
{
    u64 v = 0;

    sys_require_cpl0(c);
    if (!sys_msr_read(c, (u32)c->gpr[1], &v))
        cpu_raise_gp0(c);
    c->gpr[0] = (u32)v;
    c->gpr[2] = v >> 32;
    return i + 1;
}

static const struct insn *exec_wrmsr(struct cpu *c, const struct insn *i)
{
    sys_require_cpl0(c);
    if (!sys_msr_write(c, (u32)c->gpr[1], (c->gpr[2] << 32) | (u32)c->gpr[0]))
        cpu_raise_gp0(c);
    return exec_end_block(c, i);
}

/* ---- Port I/O (E4-E7, EC-EF) ---- */

bool sys_io_allowed(struct cpu *c, u16 port, unsigned size_bytes)
{
    unsigned type = c->tr.attr & SEG_ATTR_TYPE;
    u32 map, off, bits;

    if (!(c->cr0 & CR0_PE) || (!(c->rflags & RFLAGS_VM) && c->cpl <= sys_iopl(c)))
        return true;
    if (!(c->tr.attr & SEG_ATTR_P) || (type != SYS_TYPE_TSS_AVAIL && type != SYS_TYPE_TSS_BUSY) ||
        c->tr.limit < 0x67)
        return false;
    map = (u32)sys_read_lin(c, c->tr.base + 0x66, 2);
    off = map + port / 8u;
    if (off + 1 > c->tr.limit)
        return false;
    bits = (u32)sys_read_lin(c, c->tr.base + off, 2);
    return !(bits & (((1u << size_bytes) - 1) << (port & 7u)));
}

static unsigned sys_io_size(const struct insn *i)
{
    return i->opsize > SZ32 ? SZ32 : i->opsize;
}

static const struct insn *sys_in(struct cpu *c, const struct insn *i, u16 port)
{
    unsigned sz = sys_io_size(i), nb = 1u << sz;
    u32 v = 0xffffffffu;

    if (!sys_io_allowed(c, port, nb))
        cpu_raise_gp0(c);
    if (c->bus.port_in)
        v = c->bus.port_in(c->bus.opaque, c->index, port, nb);
    reg_write(c, 0, sz, v);
    return i + 1;
}

static const struct insn *sys_out(struct cpu *c, const struct insn *i, u16 port)
{
    unsigned sz = sys_io_size(i), nb = 1u << sz;

    if (!sys_io_allowed(c, port, nb))
        cpu_raise_gp0(c);
    if (c->bus.port_out)
        c->bus.port_out(c->bus.opaque, c->index, port, (u32)reg_read(c, 0, sz), nb);
    return exec_end_block(c, i); /* a device may have posted an event */
}

static const struct insn *exec_in_Ib(struct cpu *c, const struct insn *i)
{
    return sys_in(c, i, (u8)i->imm);
}

static const struct insn *exec_in_DX(struct cpu *c, const struct insn *i)
{
    return sys_in(c, i, (u16)c->gpr[2]);
}

static const struct insn *exec_out_Ib(struct cpu *c, const struct insn *i)
{
    return sys_out(c, i, (u8)i->imm);
}

static const struct insn *exec_out_DX(struct cpu *c, const struct insn *i)
{
    return sys_out(c, i, (u16)c->gpr[2]);
}

/* ---- MOV Sreg (8C / 8E), LDS LES LSS LFS LGS ---- */

static const struct insn *exec_mov_Ev_Sw(struct cpu *c, const struct insn *i)
{
    u16 sel;

    if (i->reg >= SEG_COUNT)
        cpu_raise_ud(c);
    sel = c->seg[i->reg].sel;
    if (i->prefixes & INSN_MEM)
        cpu_write16(c, i->seg, insn_ea(c, i), sel);
    else
        reg_write(c, i->rm, i->opsize, sel);
    return i + 1;
}

static const struct insn *exec_mov_Sw_Ew(struct cpu *c, const struct insn *i)
{
    if (i->reg >= SEG_COUNT || i->reg == SEG_CS)
        cpu_raise_ud(c);
    seg_load(c, i->reg, (u16)rm_read(c, i, SZ16));
    if (i->reg == SEG_SS)
        c->intr_shadow = 1;
    return i + 1;
}

/* aux = segment register. */
static const struct insn *exec_lseg_Gv_Mp(struct cpu *c, const struct insn *i)
{
    u64 off;
    u16 sel;

    sys_read_farptr(c, i, &off, &sel);
    seg_load(c, i->aux, sel);
    reg_write(c, i->reg, i->opsize, off);
    return i + 1;
}

/* ---- Registration ---- */

#define SYS_OP(name, flags, fn)                                                                    \
    {                                                                                              \
        name, (flags), fn, NULL, 0, 0                                                              \
    }
#define SYS_OPA(name, flags, fn, aux)                                                              \
    {                                                                                              \
        name, (flags), fn, NULL, (aux), 0                                                          \
    }

void exec_system_register(struct optable *t)
{
    static const struct op_entry grp6[6] = {
        SYS_OP("sldt", OPF_MODRM, exec_sldt),
        SYS_OP("str", OPF_MODRM, exec_str),
        SYS_OP("lldt", OPF_MODRM, exec_lldt),
        SYS_OP("ltr", OPF_MODRM, exec_ltr),
        SYS_OPA("verr", OPF_MODRM, exec_verr_verw, 0),
        SYS_OPA("verw", OPF_MODRM, exec_verr_verw, 1),
    };
    static const struct op_entry grp7[8] = {
        SYS_OP("sgdt", OPF_MODRM, exec_grp7_0),
        SYS_OP("sidt", OPF_MODRM, exec_grp7_1),
        SYS_OP("lgdt", OPF_MODRM, exec_grp7_2),
        SYS_OP("lidt", OPF_MODRM, exec_grp7_3),
        SYS_OP("smsw", OPF_MODRM, exec_smsw),
        SYS_OP("grp7/5", OPF_MODRM, exec_grp7_ud),
        SYS_OP("lmsw", OPF_MODRM | OPF_ENDS, exec_lmsw),
        SYS_OP("invlpg", OPF_MODRM, exec_grp7_7),
    };
    static const struct op_entry lar = SYS_OPA("lar", OPF_MODRM, exec_lar_lsl, 0);
    static const struct op_entry lsl = SYS_OPA("lsl", OPF_MODRM, exec_lar_lsl, 1);
    static const struct op_entry syscall = SYS_OP("syscall", OPF_ENDS, exec_syscall);
    static const struct op_entry clts = SYS_OP("clts", 0, exec_clts);
    static const struct op_entry sysret = SYS_OP("sysret", OPF_ENDS, exec_sysret);
    static const struct op_entry invd = SYS_OP("invd", 0, exec_wbinvd);
    static const struct op_entry wbinvd = SYS_OP("wbinvd", 0, exec_wbinvd);
    static const struct op_entry ud2 = SYS_OP("ud2", OPF_ENDS, exec_ud2);
    static const struct op_entry mov_rc = SYS_OP("mov", OPF_MODRM | OPF_REG_ONLY, exec_mov_Rd_Cd);
    static const struct op_entry mov_rd = SYS_OP("mov", OPF_MODRM | OPF_REG_ONLY, exec_mov_Rd_Dd);
    static const struct op_entry mov_cr =
        SYS_OP("mov", OPF_MODRM | OPF_REG_ONLY | OPF_ENDS, exec_mov_Cd_Rd);
    static const struct op_entry mov_dr = SYS_OP("mov", OPF_MODRM | OPF_REG_ONLY, exec_mov_Dd_Rd);
    static const struct op_entry wrmsr = SYS_OP("wrmsr", OPF_ENDS, exec_wrmsr);
    static const struct op_entry rdtsc = SYS_OP("rdtsc", 0, exec_rdtsc);
    static const struct op_entry rdmsr = SYS_OP("rdmsr", 0, exec_rdmsr);
    static const struct op_entry rdpmc = SYS_OP("rdpmc", 0, exec_rdpmc);
    static const struct op_entry sysenter = SYS_OP("sysenter", OPF_ENDS, exec_sysenter);
    static const struct op_entry sysexit = SYS_OP("sysexit", OPF_ENDS, exec_sysexit);
    static const struct op_entry cpuid = SYS_OP("cpuid", 0, exec_cpuid);
    static const struct op_entry lss =
        SYS_OPA("lss", OPF_MODRM | OPF_MEM_ONLY, exec_lseg_Gv_Mp, SEG_SS);
    static const struct op_entry lfs =
        SYS_OPA("lfs", OPF_MODRM | OPF_MEM_ONLY, exec_lseg_Gv_Mp, SEG_FS);
    static const struct op_entry lgs =
        SYS_OPA("lgs", OPF_MODRM | OPF_MEM_ONLY, exec_lseg_Gv_Mp, SEG_GS);
    static const struct op_entry les =
        SYS_OPA("les", OPF_MODRM | OPF_MEM_ONLY | OPF_NO64, exec_lseg_Gv_Mp, SEG_ES);
    static const struct op_entry lds =
        SYS_OPA("lds", OPF_MODRM | OPF_MEM_ONLY | OPF_NO64, exec_lseg_Gv_Mp, SEG_DS);
    static const struct op_entry mov_ev_sw = SYS_OP("mov", OPF_MODRM, exec_mov_Ev_Sw);
    static const struct op_entry mov_sw_ew = SYS_OP("mov", OPF_MODRM | OPF_ENDS, exec_mov_Sw_Ew);
    static const struct op_entry call_ap =
        SYS_OP("call", OPF_FARPTR | OPF_NO64 | OPF_ENDS, exec_call_Ap);
    static const struct op_entry jmp_ap =
        SYS_OP("jmp", OPF_FARPTR | OPF_NO64 | OPF_ENDS, exec_jmp_Ap);
    static const struct op_entry call_mp =
        SYS_OP("call", OPF_MODRM | OPF_MEM_ONLY | OPF_ENDS, exec_call_Mp);
    static const struct op_entry jmp_mp =
        SYS_OP("jmp", OPF_MODRM | OPF_MEM_ONLY | OPF_ENDS, exec_jmp_Mp);
    static const struct op_entry pushf = SYS_OP("pushf", OPF_DEF64, exec_pushf);
    static const struct op_entry popf = SYS_OP("popf", OPF_DEF64 | OPF_ENDS, exec_popf);
    static const struct op_entry retf_iw = SYS_OP("retf", OPF_IMM16 | OPF_ENDS, exec_retf);
    static const struct op_entry retf = SYS_OP("retf", OPF_ENDS, exec_retf);
    static const struct op_entry int3 = SYS_OP("int3", OPF_ENDS, exec_int3);
    static const struct op_entry int_ib = SYS_OP("int", OPF_UIMM8 | OPF_ENDS, exec_int_Ib);
    static const struct op_entry into = SYS_OP("into", OPF_NO64 | OPF_ENDS, exec_into);
    static const struct op_entry iret = SYS_OP("iret", OPF_ENDS, exec_iret);
    static const struct op_entry in_al_ib = SYS_OP("in", OPF_UIMM8 | OPF_BYTE, exec_in_Ib);
    static const struct op_entry in_ax_ib = SYS_OP("in", OPF_UIMM8, exec_in_Ib);
    static const struct op_entry out_ib_al =
        SYS_OP("out", OPF_UIMM8 | OPF_BYTE | OPF_ENDS, exec_out_Ib);
    static const struct op_entry out_ib_ax = SYS_OP("out", OPF_UIMM8 | OPF_ENDS, exec_out_Ib);
    static const struct op_entry in_al_dx = SYS_OP("in", OPF_BYTE, exec_in_DX);
    static const struct op_entry in_ax_dx = SYS_OP("in", 0, exec_in_DX);
    static const struct op_entry out_dx_al = SYS_OP("out", OPF_BYTE | OPF_ENDS, exec_out_DX);
    static const struct op_entry out_dx_ax = SYS_OP("out", OPF_ENDS, exec_out_DX);
    static const struct op_entry int1 = SYS_OP("int1", OPF_ENDS, exec_int1);
    static const struct op_entry hlt = SYS_OP("hlt", OPF_ENDS, exec_hlt);
    static const struct op_entry cli = SYS_OP("cli", 0, exec_cli);
    static const struct op_entry sti = SYS_OP("sti", OPF_ENDS, exec_sti);
    static const struct op_entry cld = SYS_OP("cld", 0, exec_cld);
    static const struct op_entry std = SYS_OP("std", 0, exec_std);

    for (u8 d = 0; d < 6; d++)
        optable_set_group(t, MAP_0F, 0x00, d, &grp6[d]);
    for (u8 d = 0; d < 8; d++)
        optable_set_group(t, MAP_0F, 0x01, d, &grp7[d]);
    optable_set(t, MAP_0F, 0x02, &lar);
    optable_set(t, MAP_0F, 0x03, &lsl);
    optable_set(t, MAP_0F, 0x05, &syscall);
    optable_set(t, MAP_0F, 0x06, &clts);
    optable_set(t, MAP_0F, 0x07, &sysret);
    optable_set(t, MAP_0F, 0x08, &invd);
    optable_set(t, MAP_0F, 0x09, &wbinvd);
    optable_set(t, MAP_0F, 0x0b, &ud2);
    optable_set(t, MAP_0F, 0x20, &mov_rc);
    optable_set(t, MAP_0F, 0x21, &mov_rd);
    optable_set(t, MAP_0F, 0x22, &mov_cr);
    optable_set(t, MAP_0F, 0x23, &mov_dr);
    optable_set(t, MAP_0F, 0x30, &wrmsr);
    optable_set(t, MAP_0F, 0x31, &rdtsc);
    optable_set(t, MAP_0F, 0x32, &rdmsr);
    optable_set(t, MAP_0F, 0x33, &rdpmc);
    optable_set(t, MAP_0F, 0x34, &sysenter);
    optable_set(t, MAP_0F, 0x35, &sysexit);
    optable_set(t, MAP_0F, 0xa2, &cpuid);
    optable_set(t, MAP_0F, 0xb2, &lss);
    optable_set(t, MAP_0F, 0xb4, &lfs);
    optable_set(t, MAP_0F, 0xb5, &lgs);
    optable_set(t, MAP_1B, 0xc4, &les);
    optable_set(t, MAP_1B, 0xc5, &lds);
    optable_set(t, MAP_1B, 0x8c, &mov_ev_sw);
    optable_set(t, MAP_1B, 0x8e, &mov_sw_ew);
    optable_set(t, MAP_1B, 0x9a, &call_ap);
    optable_set(t, MAP_1B, 0xea, &jmp_ap);
    optable_set_group(t, MAP_1B, 0xff, 3, &call_mp);
    optable_set_group(t, MAP_1B, 0xff, 5, &jmp_mp);
    optable_set(t, MAP_1B, 0x9c, &pushf);
    optable_set(t, MAP_1B, 0x9d, &popf);
    optable_set(t, MAP_1B, 0xca, &retf_iw);
    optable_set(t, MAP_1B, 0xcb, &retf);
    optable_set(t, MAP_1B, 0xcc, &int3);
    optable_set(t, MAP_1B, 0xcd, &int_ib);
    optable_set(t, MAP_1B, 0xce, &into);
    optable_set(t, MAP_1B, 0xcf, &iret);
    optable_set(t, MAP_1B, 0xe4, &in_al_ib);
    optable_set(t, MAP_1B, 0xe5, &in_ax_ib);
    optable_set(t, MAP_1B, 0xe6, &out_ib_al);
    optable_set(t, MAP_1B, 0xe7, &out_ib_ax);
    optable_set(t, MAP_1B, 0xec, &in_al_dx);
    optable_set(t, MAP_1B, 0xed, &in_ax_dx);
    optable_set(t, MAP_1B, 0xee, &out_dx_al);
    optable_set(t, MAP_1B, 0xef, &out_dx_ax);
    optable_set(t, MAP_1B, 0xf1, &int1);
    optable_set(t, MAP_1B, 0xf4, &hlt);
    optable_set(t, MAP_1B, 0xfa, &cli);
    optable_set(t, MAP_1B, 0xfb, &sti);
    optable_set(t, MAP_1B, 0xfc, &cld);
    optable_set(t, MAP_1B, 0xfd, &std);
}
