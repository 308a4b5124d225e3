/* SPDX-License-Identifier: MIT */
/*
 * Guest memory accesses by the CPU, as handlers see them: a segment and an offset in, a value
 * out. Fast path inline: a flat segment, an access within one page, and a hit in the MMU's
 * front cache give a host pointer in a few instructions. Everything else (segment base and
 * limit checks, page-crossing accesses, MMIO, TLB misses and walks, faults, stores into pages
 * holding decoded code) goes out of line to core/mem.c.
 * In detailed mode every access is also charged to the cache hierarchy (cpu->ms).
 */
#ifndef EMU_CORE_MEM_H
#define EMU_CORE_MEM_H

#include "base/types.h"
#include "core/cpu.h"
#include "core/exception.h"
#include "mm/mmu.h"

/* Out-of-line paths (core/mem.c). They raise exceptions themselves. */
u64 cpu_linear_slow(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes,
                    enum access_type kind);
u64 cpu_read_slow(struct cpu *c, u64 va, unsigned size_bytes, enum access_type kind);
void cpu_write_slow(struct cpu *c, u64 va, unsigned size_bytes, u64 value);
void cpu_read_bytes(struct cpu *c, unsigned seg, u64 off, void *dst, unsigned size_bytes);
void cpu_write_bytes(struct cpu *c, unsigned seg, u64 off, const void *src, unsigned size_bytes);
/* A store hit a frame holding decoded instructions: invalidate them (core/block.c). */
void cpu_code_written(struct cpu *c, gpa_t pa, unsigned size_bytes);

/* Frames that hold decoded instructions (owned by the block cache, shared by all vCPUs). */
const u8 *cpu_code_frames(const struct cpu *c);

/** cpu_linear() - linear address of @off in segment @seg (checks limits when not flat). */
static EMU_ALWAYS_INLINE u64 cpu_linear(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes,
                                        enum access_type kind)
{
    if (likely((c->seg_flat >> seg) & 1)) {
        /* A non-canonical stack-segment reference is #SS(0), not #GP(0) (SDM vol. 3 6.15,
         * "Interrupt 12"); other segments' are caught as #GP by the walker. Offsets outside
         * 64-bit mode are 32-bit and always pass. */
        if (seg == SEG_SS) {
            unsigned sh = (c->ctx.flags & MMU_CTX_LA57) ? 7 : 16;

            if (unlikely((u64)((i64)(off << sh) >> sh) != off))
                cpu_raise(c, EXC_SS, 0);
        }
        return off;
    }
    return cpu_linear_slow(c, seg, off, size_bytes, kind);
}

/* Out-of-line parts of cpu_host_ptr() and the accessors below (core/mem.c): the whole
 * translation (TLB models, walks, faults), the detailed-mode charge, stores into frames holding
 * decoded code, segments that are not flat, page crossings and MMIO. */
u8 *cpu_host_ptr_slow(struct cpu *c, u64 va, unsigned size_bytes, enum access_type kind);
u64 cpu_read_miss(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes);
void cpu_write_miss(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes, u64 value);
u8 cpu_read8_lin_miss(struct cpu *c, u64 va);
u16 cpu_read16_lin_miss(struct cpu *c, u64 va);
u32 cpu_read32_lin_miss(struct cpu *c, u64 va);
u64 cpu_read64_lin_miss(struct cpu *c, u64 va);
void cpu_write8_lin_miss(struct cpu *c, u64 va, u8 v);
void cpu_write16_lin_miss(struct cpu *c, u64 va, u16 v);
void cpu_write32_lin_miss(struct cpu *c, u64 va, u32 v);
void cpu_write64_lin_miss(struct cpu *c, u64 va, u64 v);

/*
 * cpu_front_probe() - the MMU front-cache entry that gives [va, va + size) for @kind with a
 * hit, or NULL: only in fast mode, not crossing a page (the tag of the entry for va's page is
 * compared with the page of the last byte), and for a store not into a frame holding decoded
 * code. No side effects: after NULL the caller takes the out-of-line path (mmu_translate())
 * as if nothing had been looked at. cpu_front_touch() then counts the hit.
 */
static EMU_ALWAYS_INLINE const struct mmu_front_entry *
cpu_front_probe(const struct cpu *c, u64 va, unsigned size_bytes, enum access_type kind)
{
    const struct mmu *m = c->mmu;
    const struct mmu_front_entry *fe = &m->front[kind][(va >> PAGE_SHIFT) & (MMU_FRONT_SIZE - 1)];

    if (likely(!c->ms && fe->tag == ((va + size_bytes - 1) & ~(PAGE_SIZE - 1)) &&
               mmu_ctx_key(&c->ctx) == m->front_key &&
               (kind != ACCESS_WRITE || !c->code_frames[fe->pa_size >> PAGE_SHIFT])))
        return fe;
    return NULL;
}

/** cpu_front_touch() - count a hit of @fe (cpu_front_probe()) as mmu_translate() counts its
 *  front hits: an L1 TLB hit and the LRU touch of the L1 entry. */
static EMU_ALWAYS_INLINE void cpu_front_touch(struct cpu *c, enum access_type kind,
                                              const struct mmu_front_entry *fe)
{
    struct tlb *t = c->mmu->l1_of_kind[kind];

    t->n_hits++;
    tlb_touch_stamp(t, fe->l1_stamp);
}

/*
 * cpu_front_hit() - the inline part of cpu_host_ptr(): true and the host address of
 * [va, va + size) in @host on a front-cache hit (cpu_front_probe()), counted; false having
 * counted nothing. Never faults, never calls.
 */
static EMU_ALWAYS_INLINE bool cpu_front_hit(struct cpu *c, u64 va, unsigned size_bytes,
                                            enum access_type kind, u8 **host)
{
    const struct mmu_front_entry *fe = cpu_front_probe(c, va, size_bytes, kind);

    if (likely(fe)) {
        cpu_front_touch(c, kind, fe);
        *host = (u8 *)(uintptr_t)(va + fe->addend);
        return true;
    }
    return false;
}

/*
 * cpu_host_ptr() - host address of [va, va + size) for @kind when it lies in one RAM page and
 * the translation succeeds; NULL sends the caller to the slow path (page crossing, MMIO).
 * Raises #PF/#GP on a failed translation. Charges the cache hierarchy in detailed mode.
 */
static EMU_ALWAYS_INLINE u8 *cpu_host_ptr(struct cpu *c, u64 va, unsigned size_bytes,
                                          enum access_type kind)
{
    u8 *p;

    if (likely(cpu_front_hit(c, va, size_bytes, kind, &p)))
        return p;
    return cpu_host_ptr_slow(c, va, size_bytes, kind);
}

/* Reads and writes of 1, 2, 4 and 8 bytes at @seg:@off. Inline: a flat segment and
 * cpu_front_hit(); everything else is one call (cpu_*_miss: by segment and offset, cpu_*_lin_miss:
 * by linear address once a flat segment gave it), so that the
 * handlers' fast paths make no call. */
#define CPU_MEM_ACCESSORS(bits)                                                                    \
    static EMU_ALWAYS_INLINE u##bits cpu_read##bits(struct cpu *c, unsigned seg, u64 off)          \
    {                                                                                              \
        if (likely((c->seg_flat >> seg) & 1)) {                                                    \
            u64 va = cpu_linear(c, seg, off, bits / 8, ACCESS_READ);                               \
            u8 *p;                                                                                 \
            if (likely(cpu_front_hit(c, va, bits / 8, ACCESS_READ, &p))) {                         \
                u##bits v;                                                                         \
                __builtin_memcpy(&v, p, sizeof(v));                                                \
                return v;                                                                          \
            }                                                                                      \
            return cpu_read##bits##_lin_miss(c, va);                                               \
        }                                                                                          \
        return (u##bits)cpu_read_miss(c, seg, off, bits / 8);                                      \
    }                                                                                              \
    static EMU_ALWAYS_INLINE void cpu_write##bits(struct cpu *c, unsigned seg, u64 off, u##bits v) \
    {                                                                                              \
        if (likely((c->seg_flat >> seg) & 1)) {                                                    \
            u64 va = cpu_linear(c, seg, off, bits / 8, ACCESS_WRITE);                              \
            u8 *p;                                                                                 \
            if (likely(cpu_front_hit(c, va, bits / 8, ACCESS_WRITE, &p))) {                        \
                __builtin_memcpy(p, &v, sizeof(v));                                                \
                return;                                                                            \
            }                                                                                      \
            cpu_write##bits##_lin_miss(c, va, v);                                                  \
            return;                                                                                \
        }                                                                                          \
        cpu_write_miss(c, seg, off, bits / 8, v);                                                  \
    }

CPU_MEM_ACCESSORS(8)
CPU_MEM_ACCESSORS(16)
CPU_MEM_ACCESSORS(32)
CPU_MEM_ACCESSORS(64)

/* cpu_read_n() / cpu_write_n()'s out-of-line paths (core/mem.c). */
void cpu_read_n_miss(struct cpu *c, unsigned seg, u64 off, void *dst, unsigned size_bytes);
void cpu_write_n_miss(struct cpu *c, unsigned seg, u64 off, const void *src, unsigned size_bytes);

/**
 * cpu_read_n() - @size_bytes bytes at @seg:@off into @dst (wide operands: SSE, x87, FXSAVE
 * images). Inline as the accessors above (the size should be a constant); page crossings,
 * MMIO and the rest go to cpu_read_n_miss(), which ends in cpu_read_bytes().
 */
static EMU_ALWAYS_INLINE void cpu_read_n(struct cpu *c, unsigned seg, u64 off, void *dst,
                                         unsigned size_bytes)
{
    u8 *p;

    if (likely((c->seg_flat >> seg) & 1) &&
        likely(cpu_front_hit(c, cpu_linear(c, seg, off, size_bytes, ACCESS_READ), size_bytes,
                             ACCESS_READ, &p))) {
        __builtin_memcpy(dst, p, size_bytes);
        return;
    }
    cpu_read_n_miss(c, seg, off, dst, size_bytes);
}

/** cpu_write_n() - @size_bytes bytes from @src to @seg:@off; a fault leaves memory untouched
 *  (the out-of-line path ends in cpu_write_bytes()). */
static EMU_ALWAYS_INLINE void cpu_write_n(struct cpu *c, unsigned seg, u64 off, const void *src,
                                          unsigned size_bytes)
{
    u8 *p;

    if (likely((c->seg_flat >> seg) & 1) &&
        likely(cpu_front_hit(c, cpu_linear(c, seg, off, size_bytes, ACCESS_WRITE), size_bytes,
                             ACCESS_WRITE, &p))) {
        __builtin_memcpy(p, src, size_bytes);
        return;
    }
    cpu_write_n_miss(c, seg, off, src, size_bytes);
}

/** cpu_read_sized() / cpu_write_sized() - by enum op_size (SZ8..SZ64). */
static inline u64 cpu_read_sized(struct cpu *c, unsigned seg, u64 off, unsigned size)
{
    switch (size) {
    case SZ8:
        return cpu_read8(c, seg, off);
    case SZ16:
        return cpu_read16(c, seg, off);
    case SZ32:
        return cpu_read32(c, seg, off);
    default:
        return cpu_read64(c, seg, off);
    }
}

static inline void cpu_write_sized(struct cpu *c, unsigned seg, u64 off, unsigned size, u64 v)
{
    switch (size) {
    case SZ8:
        cpu_write8(c, seg, off, (u8)v);
        break;
    case SZ16:
        cpu_write16(c, seg, off, (u16)v);
        break;
    case SZ32:
        cpu_write32(c, seg, off, (u32)v);
        break;
    default:
        cpu_write64(c, seg, off, v);
        break;
    }
}

/**
 * cpu_rmw_ptr() - for read-modify-write instructions: translate once for writing (a
 * not-writable page faults as a write, as hardware does) and return the host pointer, or NULL
 * when the operand crosses a page or is MMIO (use cpu_read<N> and cpu_write<N> then).
 */
static inline u8 *cpu_rmw_ptr(struct cpu *c, unsigned seg, u64 off, unsigned size_bytes)
{
    u64 va = cpu_linear(c, seg, off, size_bytes, ACCESS_WRITE);

    return cpu_host_ptr(c, va, size_bytes, ACCESS_WRITE);
}

#endif
