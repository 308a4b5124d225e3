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

/*
 * cpu_host_ptr() - host address of [va, va + size) for @kind when it lies in one RAM page and
 * the translation succeeds; NULL sends the caller to the slow path (page crossing, MMIO).
 * Raises #PF/#GP on a failed translation. Charges the cache hierarchy in detailed mode.
 */
static EMU_ALWAYS_INLINE u8 *cpu_host_ptr(struct cpu *c, u64 va, unsigned size_bytes,
                                          enum access_type kind)
{
    struct mmu_result r;
    struct walk_fault f;

    if (unlikely((va & (PAGE_SIZE - 1)) + size_bytes > PAGE_SIZE))
        return NULL;
    if (unlikely(!mmu_translate(c->mmu, &c->ctx, va, kind, &r, &f)))
        cpu_raise_walk_fault(c, va, kind, &f);
    if (unlikely(!r.host))
        return NULL;
    if (c->ms)
        c->cycles += r.cycles + memsys_access(c->ms, c->index, r.pa, size_bytes, kind);
    if (kind == ACCESS_WRITE && unlikely(c->code_frames[r.pa >> PAGE_SHIFT]))
        cpu_code_written(c, r.pa, size_bytes);
    return r.host;
}

#define CPU_MEM_ACCESSORS(bits)                                                                    \
    static EMU_ALWAYS_INLINE u##bits cpu_read##bits(struct cpu *c, unsigned seg, u64 off)          \
    {                                                                                              \
        u64 va = cpu_linear(c, seg, off, bits / 8, ACCESS_READ);                                   \
        u8 *p = cpu_host_ptr(c, va, bits / 8, ACCESS_READ);                                        \
        u##bits v;                                                                                 \
        if (unlikely(!p))                                                                          \
            return (u##bits)cpu_read_slow(c, va, bits / 8, ACCESS_READ);                           \
        __builtin_memcpy(&v, p, sizeof(v));                                                        \
        return v;                                                                                  \
    }                                                                                              \
    static EMU_ALWAYS_INLINE void cpu_write##bits(struct cpu *c, unsigned seg, u64 off, u##bits v) \
    {                                                                                              \
        u64 va = cpu_linear(c, seg, off, bits / 8, ACCESS_WRITE);                                  \
        u8 *p = cpu_host_ptr(c, va, bits / 8, ACCESS_WRITE);                                       \
        if (unlikely(!p)) {                                                                        \
            cpu_write_slow(c, va, bits / 8, v);                                                    \
            return;                                                                                \
        }                                                                                          \
        __builtin_memcpy(p, &v, sizeof(v));                                                        \
    }

CPU_MEM_ACCESSORS(8)
CPU_MEM_ACCESSORS(16)
CPU_MEM_ACCESSORS(32)
CPU_MEM_ACCESSORS(64)

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
