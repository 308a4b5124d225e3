/* SPDX-License-Identifier: MIT */
/*
 * Segment-register loads and descriptor-table access: Intel SDM vol. 3 3.4 (descriptors),
 * 5.5-5.8 (privilege checks on data, stack and code segments), 20.1 (real-address mode) and
 * 20.2 (virtual-8086 mode); the MOV instruction's "Operation" section for the null rules.
 */
#include "core/seg.h"

#include "core/exception.h"
#include "core/flags.h"
#include "core/mem.h"

void seg_cache_from_desc(struct seg_cache *s, u16 sel, u64 d)
{
    u32 limit = (u32)(d & 0xffff) | (u32)((d >> 32) & 0xf0000);

    s->sel = sel;
    s->base = ((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000);
    s->attr = (u16)(((d >> 40) & 0xff) | ((d >> 44) & 0xf00));
    if (s->attr & SEG_ATTR_G)
        limit = (limit << 12) | 0xfff;
    s->limit = limit;
}

void seg_cache_real(struct cpu *c, struct seg_cache *s, u16 sel)
{
    s->sel = sel;
    s->base = (u64)sel << 4;
    if (c->rflags & RFLAGS_VM) {
        s->limit = 0xffff;
        s->attr = SEG_ATTR_P | SEG_ATTR_S | SEG_ATTR_DPL | 0x3;
        return;
    }
    /* Real mode keeps the limit (and D/G) of the last protected-mode load ("unreal" mode). */
    s->attr = (u16)((s->attr & (SEG_ATTR_DB | SEG_ATTR_G)) | SEG_ATTR_P | SEG_ATTR_S |
                    (s == &c->seg[SEG_CS] ? 0xb : 0x3));
}

void seg_null(struct seg_cache *s, u16 sel)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0;
    s->attr = 0;
}

/* A null SS in 64-bit mode at CPL < 3: unusable on hardware, but stack accesses ignore SS
 * there; keep it a flat writable segment with DPL = CPL so nothing else special-cases it. */
static void seg_null_ss64(struct seg_cache *s, u16 sel, unsigned cpl)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffff;
    s->attr = (u16)(SEG_ATTR_P | SEG_ATTR_S | (cpl << 5) | SEG_ATTR_DB | SEG_ATTR_G | 0x3);
}

static u32 sys_enter_supervisor(struct cpu *c)
{
    u32 saved = c->ctx.flags;

    /* Without USER or SMAP the flag changes nothing: keep the MMU front cache's key. */
    if (saved & (MMU_CTX_USER | MMU_CTX_SMAP))
        c->ctx.flags = saved | MMU_CTX_IMPLICIT;
    return saved;
}

u64 sys_read_lin(struct cpu *c, u64 la, unsigned size_bytes)
{
    u32 saved;
    u64 v;

    if (!seg_is_long(c))
        la = (u32)la;
    saved = sys_enter_supervisor(c);
    v = cpu_read_slow(c, la, size_bytes, ACCESS_READ);
    c->ctx.flags = saved;
    return v;
}

void sys_write_lin(struct cpu *c, u64 la, unsigned size_bytes, u64 v)
{
    u32 saved;

    if (!seg_is_long(c))
        la = (u32)la;
    saved = sys_enter_supervisor(c);
    cpu_write_slow(c, la, size_bytes, v);
    c->ctx.flags = saved;
}

bool seg_fetch_desc(struct cpu *c, u16 sel, u64 *desc, u64 *addr)
{
    u64 base;
    u32 limit;

    if (sel & 4) {
        if (!(c->ldtr.attr & SEG_ATTR_P))
            return false;
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    } else {
        base = c->gdtr.base;
        limit = c->gdtr.limit;
    }
    if ((u32)(sel | 7) > limit)
        return false;
    *addr = base + (sel & ~7u);
    *desc = sys_read_lin(c, *addr, 8);
    return true;
}

void seg_set_accessed(struct cpu *c, u64 addr, u64 *desc)
{
    if (*desc & DESC_ACCESSED)
        return;
    *desc |= DESC_ACCESSED;
    sys_write_lin(c, addr + 5, 1, (*desc >> 40) & 0xff);
}

u64 seg_check_ss(struct cpu *c, u16 sel, unsigned cpl, unsigned err_vector, u32 ext,
                 bool allow_null, u64 *addr)
{
    u64 d;
    unsigned type;

    if (!(sel & ~3u)) {
        if (allow_null && (sel & 3u) == cpl)
            return 0;
        cpu_raise(c, (u8)err_vector, ext);
    }
    if ((sel & 3u) != cpl || !seg_fetch_desc(c, sel, &d, addr))
        cpu_raise(c, (u8)err_vector, EXC_SEL_ERR(sel) | ext);
    type = DESC_TYPE(d);
    if (!DESC_S(d) || (type & SEG_TYPE_CODE) || !(type & SEG_TYPE_RW) || DESC_DPL(d) != cpl)
        cpu_raise(c, (u8)err_vector, EXC_SEL_ERR(sel) | ext);
    if (!DESC_P(d))
        cpu_raise(c, EXC_SS, EXC_SEL_ERR(sel) | ext);
    return d;
}

void seg_load(struct cpu *c, unsigned sreg, u16 sel)
{
    unsigned cpl = c->cpl, rpl = sel & 3u, type;
    u64 d, addr;

    if (!seg_is_prot(c)) {
        seg_cache_real(c, &c->seg[sreg], sel);
        cpu_update_mode(c);
        return;
    }
    if (sreg == SEG_SS) {
        bool is_64 = c->mode == CPU_MODE_LONG64;

        d = seg_check_ss(c, sel, cpl, EXC_GP, 0, is_64 && cpl < 3, &addr);
        if (!(sel & ~3u)) {
            seg_null_ss64(&c->seg[SEG_SS], sel, cpl);
        } else {
            seg_set_accessed(c, addr, &d);
            seg_cache_from_desc(&c->seg[SEG_SS], sel, d);
        }
        cpu_update_mode(c);
        return;
    }
    if (!(sel & ~3u)) {
        seg_null(&c->seg[sreg], sel);
        cpu_update_mode(c);
        return;
    }
    if (!seg_fetch_desc(c, sel, &d, &addr))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    type = DESC_TYPE(d);
    /* Data, or readable code; data and non-conforming code need max(CPL, RPL) <= DPL. */
    if (!DESC_S(d) || (type & (SEG_TYPE_CODE | SEG_TYPE_RW)) == SEG_TYPE_CODE)
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if ((!(type & SEG_TYPE_CODE) || !(type & SEG_TYPE_CONF)) &&
        (rpl > DESC_DPL(d) || cpl > DESC_DPL(d)))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (!DESC_P(d))
        cpu_raise(c, EXC_NP, EXC_SEL_ERR(sel));
    seg_set_accessed(c, addr, &d);
    seg_cache_from_desc(&c->seg[sreg], sel, d);
    cpu_update_mode(c);
}

void seg_check_code_jmp(struct cpu *c, u16 sel, u64 d)
{
    unsigned type = DESC_TYPE(d), dpl = DESC_DPL(d), cpl = c->cpl;

    if (!DESC_S(d) || !(type & SEG_TYPE_CODE))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    if (type & SEG_TYPE_CONF) {
        if (dpl > cpl)
            cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    } else if ((sel & 3u) > cpl || dpl != cpl) {
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
    }
    if (!DESC_P(d))
        cpu_raise(c, EXC_NP, EXC_SEL_ERR(sel));
    if (seg_is_long(c) && DESC_L(d) && DESC_DB(d))
        cpu_raise(c, EXC_GP, EXC_SEL_ERR(sel));
}

void seg_load_cs(struct cpu *c, u16 sel, u64 d, unsigned cpl)
{
    seg_cache_from_desc(&c->seg[SEG_CS], (u16)((sel & ~3u) | cpl), d);
    c->cpl = (u8)cpl;
    cpu_update_mode(c);
}

void seg_load_ss_null64(struct cpu *c, unsigned cpl)
{
    seg_null_ss64(&c->seg[SEG_SS], (u16)cpl, cpl);
}
