/* SPDX-License-Identifier: MIT */
/*
 * Slow paths of guest memory accesses by the CPU: segmentation (Intel SDM vol. 3 3.4.5, 5.3:
 * limit checks, expand-down segments, #GP(0)/#SS(0)), page-crossing accesses (both pages are
 * translated before anything is written, so a fault leaves memory unchanged), MMIO, and
 * stores into frames holding decoded code.
 */
#include "core/mem.h"

#include "core/block.h"

#include <string.h>

/* Type field bits of code/data descriptors (SDM vol. 3 3.4.5.1). */
#define SEG_TYPE_ACCESSED 0x1u
#define SEG_TYPE_W        0x2u /* data: writable; code: readable */
#define SEG_TYPE_E        0x4u /* data: expand-down; code: conforming */
#define SEG_TYPE_CODE     0x8u

static __attribute__((noreturn)) void seg_fault(struct cpu *c, unsigned seg)
{
    cpu_raise(c, seg == SEG_SS ? EXC_SS : EXC_GP, 0);
}

u64 cpu_linear_slow(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes,
                    enum access_type kind)
{
    const struct seg_cache *s = &c->seg[seg];
    const u64 last = off + size_bytes - 1;

    if (c->mode == CPU_MODE_LONG64) /* only FS and GS have bases; no limits (5.3.1) */
        return (seg == SEG_FS || seg == SEG_GS) ? s->base + off : off;
    if (c->mode != CPU_MODE_REAL && c->mode != CPU_MODE_VM86) {
        const unsigned type = s->attr & SEG_ATTR_TYPE;

        if (!(s->attr & SEG_ATTR_P)) /* null selector or not-present segment */
            seg_fault(c, seg);
        if (type & SEG_TYPE_CODE) {
            if (kind == ACCESS_WRITE || (kind == ACCESS_READ && !(type & SEG_TYPE_W)))
                seg_fault(c, seg);
        } else if (kind == ACCESS_WRITE && !(type & SEG_TYPE_W)) {
            seg_fault(c, seg);
        }
        if (!(type & SEG_TYPE_CODE) && (type & SEG_TYPE_E)) {
            /* Expand-down: offsets above the limit up to 64K or 4G are valid (5.3). */
            u64 upper = (s->attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffffull;

            if (off <= s->limit || last > upper)
                seg_fault(c, seg);
            return (u32)(s->base + off);
        }
    }
    if (last > s->limit || last < off)
        seg_fault(c, seg);
    return (u32)(s->base + off);
}

/* The old inline cpu_host_ptr(): translate (counting in the TLB models), charge the access in
 * detailed mode, invalidate decoded code a store hits. Inlined with a constant @kind below. */
static EMU_ALWAYS_INLINE u8 *mem_host_ptr(struct cpu *c, u64 va, unsigned size_bytes,
                                          enum access_type kind)
{
    struct mmu_result r;
    struct walk_fault f;

    if ((va & (PAGE_SIZE - 1)) + size_bytes > PAGE_SIZE)
        return NULL;
    if (!mmu_translate(c->mmu, &c->ctx, va, kind, &r, &f))
        cpu_raise_walk_fault(c, va, kind, &f);
    if (!r.host)
        return NULL;
    if (c->ms)
        c->cycles += r.cycles + memsys_access(c->ms, c->index, r.pa, size_bytes, kind);
    if (kind == ACCESS_WRITE && c->code_frames[r.pa >> PAGE_SHIFT])
        cpu_code_written(c, r.pa, size_bytes);
    return r.host;
}

u8 *cpu_host_ptr_slow(struct cpu *c, u64 va, unsigned size_bytes, enum access_type kind)
{
    return mem_host_ptr(c, va, size_bytes, kind);
}

/* The accessors' out-of-line paths by linear address, one per size so that the translation
 * and the cache model see constants. */
#define MEM_LIN_MISS(bits)                                                                         \
    __attribute__((flatten)) u##bits cpu_read##bits##_lin_miss(struct cpu *c, u64 va)              \
    {                                                                                              \
        u8 *p = mem_host_ptr(c, va, bits / 8, ACCESS_READ);                                        \
        u##bits v;                                                                                 \
                                                                                                   \
        if (!p)                                                                                    \
            return (u##bits)cpu_read_slow(c, va, bits / 8, ACCESS_READ);                           \
        memcpy(&v, p, sizeof(v)); /* little-endian host */                                         \
        return v;                                                                                  \
    }                                                                                              \
    __attribute__((flatten)) void cpu_write##bits##_lin_miss(struct cpu *c, u64 va, u##bits v)     \
    {                                                                                              \
        u8 *p = mem_host_ptr(c, va, bits / 8, ACCESS_WRITE);                                       \
                                                                                                   \
        if (!p) {                                                                                  \
            cpu_write_slow(c, va, bits / 8, v);                                                    \
            return;                                                                                \
        }                                                                                          \
        memcpy(p, &v, sizeof(v));                                                                  \
    }

MEM_LIN_MISS(8)
MEM_LIN_MISS(16)
MEM_LIN_MISS(32)
MEM_LIN_MISS(64)

u64 cpu_read_miss(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes)
{
    u64 va = cpu_linear(c, seg, off, size_bytes, ACCESS_READ);

    switch (size_bytes) {
    case 1:
        return cpu_read8_lin_miss(c, va);
    case 2:
        return cpu_read16_lin_miss(c, va);
    case 4:
        return cpu_read32_lin_miss(c, va);
    default:
        return cpu_read64_lin_miss(c, va);
    }
}

void cpu_write_miss(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes, u64 value)
{
    u64 va = cpu_linear(c, seg, off, size_bytes, ACCESS_WRITE);

    switch (size_bytes) {
    case 1:
        cpu_write8_lin_miss(c, va, (u8)value);
        break;
    case 2:
        cpu_write16_lin_miss(c, va, (u16)value);
        break;
    case 4:
        cpu_write32_lin_miss(c, va, (u32)value);
        break;
    default:
        cpu_write64_lin_miss(c, va, value);
        break;
    }
}

void cpu_read_n_miss(struct cpu *c, unsigned seg, u64 off, void *dst, unsigned size_bytes)
{
    u64 va = cpu_linear(c, seg, off, size_bytes, ACCESS_READ);
    u8 *p = cpu_host_ptr_slow(c, va, size_bytes, ACCESS_READ);

    if (p)
        memcpy(dst, p, size_bytes);
    else
        cpu_read_bytes(c, seg, off, dst, size_bytes);
}

void cpu_write_n_miss(struct cpu *c, unsigned seg, u64 off, const void *src, unsigned size_bytes)
{
    u64 va = cpu_linear(c, seg, off, size_bytes, ACCESS_WRITE);
    u8 *p = cpu_host_ptr_slow(c, va, size_bytes, ACCESS_WRITE);

    if (p)
        memcpy(p, src, size_bytes);
    else
        cpu_write_bytes(c, seg, off, src, size_bytes);
}

/* Translate @va for @kind; raises the fault a failed translation calls for. */
static void mem_translate(struct cpu *c, u64 va, enum access_type kind, struct mmu_result *r)
{
    struct walk_fault f;

    if (!mmu_translate(c->mmu, &c->ctx, va, kind, r, &f))
        cpu_raise_walk_fault(c, va, kind, &f);
    if (c->ms)
        c->cycles += r->cycles;
}

static u64 mem_phys_read(struct cpu *c, const struct mmu_result *r, unsigned n,
                         enum access_type kind)
{
    u64 v = 0;

    if (r->host) {
        if (c->ms)
            c->cycles += memsys_access(c->ms, c->index, r->pa, n, kind);
        memcpy(&v, r->host, n); /* little-endian host */
        return v;
    }
    const struct physmem_mmio *m = physmem_find_mmio(c->pm, r->pa);

    if (!m)
        return n >= 8 ? ~0ull : (1ull << (8 * n)) - 1; /* unmapped: all ones */
    return m->ops->read(m->opaque, r->pa - m->base, n);
}

static void mem_phys_write(struct cpu *c, const struct mmu_result *r, unsigned n, u64 v)
{
    if (r->host) {
        if (c->ms)
            c->cycles += memsys_access(c->ms, c->index, r->pa, n, ACCESS_WRITE);
        if (c->code_frames[r->pa >> PAGE_SHIFT])
            cpu_code_written(c, r->pa, n);
        memcpy(r->host, &v, n);
        return;
    }
    const struct physmem_mmio *m = physmem_find_mmio(c->pm, r->pa);

    if (m) /* writes to unmapped addresses are dropped */
        m->ops->write(m->opaque, r->pa - m->base, v, n);
}

/* The linear address of the byte after the page of @va (wraps at 4G outside 64-bit mode). */
static u64 mem_next_page(const struct cpu *c, u64 va)
{
    u64 next = (va & ~(PAGE_SIZE - 1)) + PAGE_SIZE;

    return c->mode == CPU_MODE_LONG64 ? next : (u32)next;
}

u64 cpu_read_slow(struct cpu *c, u64 va, unsigned size_bytes, enum access_type kind)
{
    struct mmu_result r1, r2;
    unsigned n1 = (unsigned)(PAGE_SIZE - (va & (PAGE_SIZE - 1)));
    u64 lo, hi;

    mem_translate(c, va, kind, &r1);
    if (n1 >= size_bytes)
        return mem_phys_read(c, &r1, size_bytes, kind);
    mem_translate(c, mem_next_page(c, va), kind, &r2);
    lo = mem_phys_read(c, &r1, n1, kind);
    hi = mem_phys_read(c, &r2, size_bytes - n1, kind);
    return lo | (hi << (8 * n1));
}

void cpu_write_slow(struct cpu *c, u64 va, unsigned size_bytes, u64 value)
{
    struct mmu_result r1, r2;
    unsigned n1 = (unsigned)(PAGE_SIZE - (va & (PAGE_SIZE - 1)));

    mem_translate(c, va, ACCESS_WRITE, &r1);
    if (n1 >= size_bytes) {
        mem_phys_write(c, &r1, size_bytes, value);
        return;
    }
    mem_translate(c, mem_next_page(c, va), ACCESS_WRITE, &r2); /* both before any byte */
    mem_phys_write(c, &r1, n1, value);
    mem_phys_write(c, &r2, size_bytes - n1, value >> (8 * n1));
}

/* Copy between the guest range at linear @va and @buf, page by page. */
static void mem_copy(struct cpu *c, u64 va, u8 *buf, unsigned size_bytes, bool is_write)
{
    while (size_bytes) {
        unsigned n = (unsigned)(PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        struct mmu_result r;

        if (n > size_bytes)
            n = size_bytes;
        mem_translate(c, va, is_write ? ACCESS_WRITE : ACCESS_READ, &r);
        if (r.host) {
            if (c->ms)
                c->cycles +=
                    memsys_access(c->ms, c->index, r.pa, n, is_write ? ACCESS_WRITE : ACCESS_READ);
            if (!is_write) {
                memcpy(buf, r.host, n);
            } else {
                if (c->code_frames[r.pa >> PAGE_SHIFT])
                    cpu_code_written(c, r.pa, n);
                memcpy(r.host, buf, n);
            }
        } else {
            for (unsigned k = 0; k < n; k++) {
                struct mmu_result rb = r;

                rb.pa = r.pa + k;
                if (is_write)
                    mem_phys_write(c, &rb, 1, buf[k]);
                else
                    buf[k] = (u8)mem_phys_read(c, &rb, 1, ACCESS_READ);
            }
        }
        va = mem_next_page(c, va + n - 1);
        buf += n;
        size_bytes -= n;
    }
}

void cpu_read_bytes(struct cpu *c, unsigned seg, u64 off, void *dst, unsigned size_bytes)
{
    u64 va;

    if (!size_bytes)
        return;
    va = cpu_linear(c, seg, off, size_bytes, ACCESS_READ);
    mem_copy(c, va, dst, size_bytes, false);
}

void cpu_write_bytes(struct cpu *c, unsigned seg, u64 off, const void *src, unsigned size_bytes)
{
    u64 va, page;
    unsigned left;

    if (!size_bytes)
        return;
    va = cpu_linear(c, seg, off, size_bytes, ACCESS_WRITE);
    /* Every page first, so that a fault leaves memory unchanged. */
    page = va;
    left = size_bytes;
    while (left) {
        unsigned n = (unsigned)(PAGE_SIZE - (page & (PAGE_SIZE - 1)));
        struct mmu_result r;
        struct walk_fault f;

        if (!mmu_translate(c->mmu, &c->ctx, page, ACCESS_WRITE, &r, &f))
            cpu_raise_walk_fault(c, page, ACCESS_WRITE, &f);
        if (n >= left)
            break;
        left -= n;
        page = mem_next_page(c, page);
    }
    mem_copy(c, va, (u8 *)(uintptr_t)src, size_bytes, true);
}

void cpu_code_written(struct cpu *c, gpa_t pa, unsigned size_bytes)
{
    c->n_smc_invalidations += block_cache_invalidate_phys(c->blocks, pa, size_bytes);
}

const u8 *cpu_code_frames(const struct cpu *c)
{
    return c->code_frames;
}
