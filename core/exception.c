/* SPDX-License-Identifier: MIT */
/*
 * Exception and interrupt delivery, Intel SDM vol. 3 ch. 6: the real-mode IVT (20.1.4),
 * protected-mode IDT gates (6.10-6.12), 64-bit IDT gates with IST and the 16-byte aligned
 * stack frame (6.14), error codes (6.13), and the double-fault rules of table 6-5 (6.15,
 * "Interrupt 8"). Also "INT n/INTO/INT3/INT1" Operation in vol. 2 for the order of checks.
 * Not modelled: task gates (a task gate in the IDT raises #GP(vector * 8 + 2 + EXT)), RF in
 * the pushed RFLAGS image of faults.
 */
#include "core/exception.h"

#include "base/check.h"
#include "core/exec.h"
#include "core/flags.h"
#include "core/seg.h"
#include "core/system.h"

#include <setjmp.h>

#define EXC_CLASS_BENIGN       0
#define EXC_CLASS_CONTRIBUTORY 1
#define EXC_CLASS_PF           2
#define EXC_CLASS_DF           3

void cpu_raise(struct cpu *c, u8 vector, u32 error_code)
{
    c->exc_vector = vector;
    c->exc_error = error_code;
    EMU_CHECK(c->in_run);
    longjmp(c->exc_jmp, 1);
}

void cpu_raise_pf(struct cpu *c, u64 va, u32 error_code)
{
    c->cr2 = va;
    cpu_raise(c, EXC_PF, error_code);
}

void cpu_raise_walk_fault(struct cpu *c, u64 va, enum access_type kind, const struct walk_fault *f)
{
    (void)kind;
    if (f->kind == WALK_FAULT_NONCANONICAL)
        cpu_raise(c, EXC_GP, 0);
    cpu_raise_pf(c, va, f->error_code);
}

static u8 exc_class(u8 vector, enum intr_source src)
{
    if (src != INTR_EXCEPTION)
        return EXC_CLASS_BENIGN;
    if (vector == EXC_PF)
        return EXC_CLASS_PF;
    if (vector == EXC_DF)
        return EXC_CLASS_DF;
    if (vector == EXC_DE || (vector >= EXC_TS && vector <= EXC_GP))
        return EXC_CLASS_CONTRIBUTORY;
    return EXC_CLASS_BENIGN;
}

/* A stack being pushed during delivery; committed to RSP only when every push succeeded. */
struct frame {
    u64 base;
    u64 sp;
    u64 sp_mask; /* 0xffff, 0xffffffff or ~0 */
    u32 limit;
    u16 attr;
    bool check_limit; /* legacy modes: SS limit (expand-up or expand-down) */
    bool supervisor;  /* write as a supervisor access whatever the current CPL */
    u32 ss_err;       /* #SS error code for a limit violation */
};

static void frame_from_seg(struct cpu *c, struct frame *f, const struct seg_cache *ss, u64 sp,
                           bool supervisor, u32 ss_err)
{
    bool is_64 = c->mode == CPU_MODE_LONG64;

    f->base = is_64 ? 0 : ss->base;
    f->sp = sp;
    f->sp_mask = is_64 ? ~0ull : (ss->attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;
    f->limit = ss->limit;
    f->attr = ss->attr;
    f->check_limit = !is_64;
    f->supervisor = supervisor;
    f->ss_err = ss_err;
}

static void frame_push(struct cpu *c, struct frame *f, unsigned bytes, u64 v)
{
    u64 off = (f->sp - bytes) & f->sp_mask;
    u64 la;

    if (f->check_limit) {
        u64 last = off + bytes - 1;
        bool ok;

        if ((f->attr & (SEG_ATTR_S | SEG_TYPE_CODE | SEG_TYPE_EXPDN)) ==
            (SEG_ATTR_S | SEG_TYPE_EXPDN))
            ok = off > f->limit && last <= ((f->attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffffull);
        else
            ok = last <= f->limit;
        if (!ok)
            cpu_raise(c, EXC_SS, f->ss_err);
    }
    la = f->base + off;
    if (f->supervisor) {
        sys_write_lin(c, la, bytes, v);
    } else {
        if (!seg_is_long(c))
            la = (u32)la;
        cpu_write_slow(c, la, bytes, v);
    }
    f->sp = (f->sp & ~f->sp_mask) | off;
}

static void deliver_real(struct cpu *c, u8 vector, u64 return_rip, u64 rflags)
{
    struct frame f;
    u32 entry;

    if ((u32)vector * 4 + 3 > c->idtr.limit)
        cpu_raise(c, EXC_GP, 0);
    entry = (u32)sys_read_lin(c, c->idtr.base + (u64)vector * 4, 4);
    frame_from_seg(c, &f, &c->seg[SEG_SS], c->gpr[4], false, 0);
    frame_push(c, &f, 2, rflags & 0xffff);
    frame_push(c, &f, 2, c->seg[SEG_CS].sel);
    frame_push(c, &f, 2, return_rip & 0xffff);
    c->gpr[4] = f.sp;
    cpu_set_rflags(c, rflags & ~(RFLAGS_IF | RFLAGS_TF | RFLAGS_AC));
    seg_cache_real(c, &c->seg[SEG_CS], (u16)(entry >> 16));
    c->rip = entry & 0xffff;
    cpu_update_mode(c);
}

/* The code segment a gate names: SDM vol. 3 6.12.1 checks, error codes with EXT. */
static u64 deliver_code_desc(struct cpu *c, u16 sel, u32 ext, u64 *addr)
{
    u64 d;

    if (!(sel & ~3u))
        cpu_raise(c, EXC_GP, ext);
    if (!seg_fetch_desc(c, sel, &d, addr))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel) | ext);
    if (!DESC_S(d) || !(DESC_TYPE(d) & SEG_TYPE_CODE) || DESC_DPL(d) > c->cpl)
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel) | ext);
    if (!DESC_P(d))
        cpu_raise(c, EXC_NP, EXC_SEL_ERR(sel) | ext);
    return d;
}

static bool has_error_code(u8 vector, u32 error_code, enum intr_source src)
{
    return src == INTR_EXCEPTION && error_code != EXC_NO_ERROR && vector < 32;
}

static void deliver_prot(struct cpu *c, u8 vector, u32 error_code, enum intr_source src,
                         u64 return_rip, u64 rflags)
{
    u32 ext = c->exc_cur_ext ? EXC_ERR_EXT : 0;
    u32 idt_err = (u32)vector * 8 + EXC_ERR_IDT + ext;
    bool vm = rflags & RFLAGS_VM, outer, gate32;
    struct seg_cache new_ss = c->seg[SEG_SS];
    unsigned gtype, new_cpl, sz;
    u64 g, d, cs_addr, ss_addr = 0, ssd = 0, off;
    struct frame f;
    u16 sel, ss_sel = 0;

    if ((u32)vector * 8 + 7 > c->idtr.limit)
        cpu_raise(c, EXC_GP, idt_err);
    g = sys_read_lin(c, c->idtr.base + (u64)vector * 8, 8);
    gtype = (unsigned)(g >> 40) & 0x1f; /* type with S (bit 4): gates have S = 0 */
    if (gtype != SYS_TYPE_INT && gtype != SYS_TYPE_TRAP && gtype != SYS_TYPE_INT16 &&
        gtype != SYS_TYPE_TRAP16 && gtype != SYS_TYPE_TASK)
        cpu_raise(c, EXC_GP, idt_err);
    if (src == INTR_SOFTWARE && DESC_DPL(g) < c->cpl)
        cpu_raise(c, EXC_GP, (u32)vector * 8 + EXC_ERR_IDT);
    if (!DESC_P(g))
        cpu_raise(c, EXC_NP, idt_err);
    if (gtype == SYS_TYPE_TASK) /* task switches are not modelled */
        cpu_raise(c, EXC_GP, idt_err);
    gate32 = gtype & 8;
    sz = gate32 ? 4 : 2;
    sel = (u16)(g >> 16);
    off = (g & 0xffff) | (gate32 ? (g >> 32) & 0xffff0000 : 0);
    d = deliver_code_desc(c, sel, ext, &cs_addr);
    new_cpl = (DESC_TYPE(d) & SEG_TYPE_CONF) ? c->cpl : DESC_DPL(d);
    if (vm && new_cpl != 0)
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel) | ext);
    outer = new_cpl < c->cpl;
    if (outer) {
        bool tss32 = (c->tr.attr & SEG_ATTR_TYPE & 8) != 0;
        u32 toff = tss32 ? 4 + 8 * new_cpl : 2 + 4 * new_cpl;
        u64 new_sp;

        if (toff + (tss32 ? 5 : 3) > c->tr.limit)
            cpu_raise(c, EXC_TS, EXC_SEL_ERR(c->tr.sel) | ext);
        new_sp = sys_read_lin(c, c->tr.base + toff, tss32 ? 4 : 2);
        ss_sel = (u16)sys_read_lin(c, c->tr.base + toff + (tss32 ? 4 : 2), 2);
        ssd = seg_check_ss(c, ss_sel, new_cpl, EXC_TS, ext, false, &ss_addr);
        seg_cache_from_desc(&new_ss, ss_sel, ssd);
        frame_from_seg(c, &f, &new_ss, new_sp, true, EXC_SEL_ERR(ss_sel) | ext);
        if (vm) {
            frame_push(c, &f, sz, c->seg[SEG_GS].sel);
            frame_push(c, &f, sz, c->seg[SEG_FS].sel);
            frame_push(c, &f, sz, c->seg[SEG_DS].sel);
            frame_push(c, &f, sz, c->seg[SEG_ES].sel);
        }
        frame_push(c, &f, sz, c->seg[SEG_SS].sel);
        frame_push(c, &f, sz, c->gpr[4] & (gate32 ? 0xffffffffull : 0xffffull));
    } else {
        if (vm)
            cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel) | ext);
        frame_from_seg(c, &f, &c->seg[SEG_SS], c->gpr[4], false, ext);
    }
    {
        struct seg_cache cs;

        seg_cache_from_desc(&cs, sel, d);
        if (off > cs.limit)
            cpu_raise(c, EXC_GP, ext);
    }
    frame_push(c, &f, sz, rflags & (gate32 ? 0xffffffffull : 0xffffull));
    frame_push(c, &f, sz, c->seg[SEG_CS].sel);
    frame_push(c, &f, sz, return_rip & (gate32 ? 0xffffffffull : 0xffffull));
    if (has_error_code(vector, error_code, src))
        frame_push(c, &f, sz, error_code);

    /* Commit (the accessed bits first: they may fault too). */
    if (outer)
        seg_set_accessed(c, ss_addr, &ssd);
    seg_set_accessed(c, cs_addr, &d);
    if (outer) {
        seg_cache_from_desc(&c->seg[SEG_SS], ss_sel, ssd);
        c->gpr[4] = f.sp & 0xffffffffull;
        if (vm) {
            seg_null(&c->seg[SEG_DS], 0);
            seg_null(&c->seg[SEG_ES], 0);
            seg_null(&c->seg[SEG_FS], 0);
            seg_null(&c->seg[SEG_GS], 0);
        }
    } else {
        c->gpr[4] = f.sp;
    }
    seg_cache_from_desc(&c->seg[SEG_CS], (u16)((sel & ~3u) | new_cpl), d);
    c->cpl = (u8)new_cpl;
    rflags &= ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM);
    if (!(gtype & 1))
        rflags &= ~RFLAGS_IF;
    cpu_set_rflags(c, rflags);
    c->rip = off;
    cpu_update_mode(c);
}

static void deliver_long(struct cpu *c, u8 vector, u32 error_code, enum intr_source src,
                         u64 return_rip, u64 rflags)
{
    u32 ext = c->exc_cur_ext ? EXC_ERR_EXT : 0;
    u32 idt_err = (u32)vector * 8 + EXC_ERR_IDT + ext;
    unsigned gtype, ist, new_cpl;
    u64 lo, hi, d, cs_addr, off, rsp;
    struct frame f;
    bool outer;
    u16 sel;

    if ((u32)vector * 16 + 15 > c->idtr.limit)
        cpu_raise(c, EXC_GP, idt_err);
    lo = sys_read_lin(c, c->idtr.base + (u64)vector * 16, 8);
    hi = sys_read_lin(c, c->idtr.base + (u64)vector * 16 + 8, 8);
    gtype = (unsigned)(lo >> 40) & 0x1f;
    if (gtype != SYS_TYPE_INT && gtype != SYS_TYPE_TRAP)
        cpu_raise(c, EXC_GP, idt_err);
    if (src == INTR_SOFTWARE && DESC_DPL(lo) < c->cpl)
        cpu_raise(c, EXC_GP, (u32)vector * 8 + EXC_ERR_IDT);
    if (!DESC_P(lo))
        cpu_raise(c, EXC_NP, idt_err);
    sel = (u16)(lo >> 16);
    off = (lo & 0xffff) | ((lo >> 32) & 0xffff0000) | (hi << 32);
    ist = (unsigned)(lo >> 32) & 7;
    d = deliver_code_desc(c, sel, ext, &cs_addr);
    if (!DESC_L(d) || DESC_DB(d))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel) | ext);
    new_cpl = (DESC_TYPE(d) & SEG_TYPE_CONF) ? c->cpl : DESC_DPL(d);
    outer = new_cpl < c->cpl;
    if (outer || ist) {
        u32 toff = ist ? 0x24 + 8 * (ist - 1) : 4 + 8 * new_cpl;

        if (toff + 7 > c->tr.limit)
            cpu_raise(c, EXC_TS, EXC_SEL_ERR(c->tr.sel) | ext);
        rsp = sys_read_lin(c, c->tr.base + toff, 8);
        if (!sys_canonical(rsp))
            cpu_raise(c, EXC_SS, ext);
    } else {
        rsp = c->gpr[4];
    }
    if (!sys_canonical(off))
        cpu_raise(c, EXC_GP, ext);
    f.base = 0;
    f.sp = rsp & ~15ull;
    f.sp_mask = ~0ull;
    f.check_limit = false;
    f.supervisor = new_cpl < 3;
    f.ss_err = ext;
    frame_push(c, &f, 8, c->seg[SEG_SS].sel);
    frame_push(c, &f, 8, c->gpr[4]);
    frame_push(c, &f, 8, rflags);
    frame_push(c, &f, 8, c->seg[SEG_CS].sel);
    frame_push(c, &f, 8, return_rip);
    if (has_error_code(vector, error_code, src))
        frame_push(c, &f, 8, error_code);

    /* Commit (the accessed bit first: it may fault too). */
    seg_set_accessed(c, cs_addr, &d);
    c->gpr[4] = f.sp;
    if (outer)
        seg_load_ss_null64(c, new_cpl);
    seg_cache_from_desc(&c->seg[SEG_CS], (u16)((sel & ~3u) | new_cpl), d);
    c->cpl = (u8)new_cpl;
    rflags &= ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF | RFLAGS_VM);
    if (!(gtype & 1))
        rflags &= ~RFLAGS_IF;
    cpu_set_rflags(c, rflags);
    c->rip = off;
    cpu_update_mode(c);
}

void cpu_deliver(struct cpu *c, u8 vector, u32 error_code, enum intr_source src, u64 return_rip)
{
    u8 cls = exc_class(vector, src);
    u64 rflags;

    /* A fault may have left a system-table access's supervisor flag behind (core/seg.c). */
    c->ctx.flags &= ~MMU_CTX_IMPLICIT;
    if (c->exc_depth > 0) {
        /* @vector was raised while delivering exc_cur_vector: SDM vol. 3 table 6-5. */
        u8 first = c->exc_cur_class;

        if (first == EXC_CLASS_DF) {
            c->exc_depth = 0;
            c->is_shutdown = true;
            return;
        }
        if ((first == EXC_CLASS_CONTRIBUTORY && cls == EXC_CLASS_CONTRIBUTORY) ||
            (first == EXC_CLASS_PF && (cls == EXC_CLASS_CONTRIBUTORY || cls == EXC_CLASS_PF))) {
            vector = EXC_DF;
            error_code = 0;
            src = INTR_EXCEPTION;
            cls = EXC_CLASS_DF;
        }
    }
    c->exc_depth = c->exc_depth + 1;
    c->exc_cur_vector = vector;
    c->exc_cur_class = cls;
    c->exc_cur_ext = src != INTR_SOFTWARE;
    rflags = cpu_get_rflags(c);
    if (!(c->cr0 & CR0_PE))
        deliver_real(c, vector, return_rip, rflags);
    else if (c->efer & EFER_LMA)
        deliver_long(c, vector, error_code, src, return_rip, rflags);
    else
        deliver_prot(c, vector, error_code, src, return_rip, rflags);
    c->exc_depth = 0;
    c->is_halted = false;
    c->intr_shadow = 0;
    if (src == INTR_NMI)
        c->in_nmi = true;
    if (src == INTR_EXCEPTION && vector < 32)
        c->n_exceptions[vector]++;
    else if (src == INTR_EXTERNAL)
        c->n_interrupts++;
}
