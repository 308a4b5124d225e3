/* SPDX-License-Identifier: MIT */
/*
 * Decoded-block cache, shared by the vCPUs of a machine. A block is a straight-line run of
 * decoded instructions ending at an OPF_ENDS instruction, a page boundary, BLOCK_MAX_INSNS or
 * an undecodable instruction, followed by a sentinel that leaves the block. Blocks are keyed
 * by the guest-physical address of their first byte, the virtual RIP, the code size and the
 * CS base, and found from the run loop through a per-vCPU direct-mapped jump cache.
 * Stores into frames holding decoded bytes invalidate the blocks they overlap (by physical
 * address, since code may be patched through another virtual alias).
 */
#ifndef EMU_CORE_BLOCK_H
#define EMU_CORE_BLOCK_H

#include "base/err.h"
#include "base/types.h"
#include "core/cpu.h"
#include "core/exception.h"
#include "core/insn.h"
#include "mm/mmu.h"
#include "mm/physmem.h"

#define BLOCK_MAX_INSNS   64
#define BLOCK_JC_BITS     12
#define BLOCK_JC_SIZE     (1u << BLOCK_JC_BITS)
#define BLOCK_ARENA_BYTES (32 * MiB) /* default arena size */
#define BLOCK_KEY_VALID   1ull       /* set in every live block's mode key */
#define BLOCK_KEY_CROSS   0x80ull    /* mode key bit of blocks whose instruction crosses a page */

/* A block's membership in the list of the frames it covers (one or two frames). */
struct block_link {
    struct block_link *next;
    struct block *b;
    u64 frame;  /* pa >> PAGE_SHIFT */
    u32 lo, hi; /* bytes [lo, hi) of the frame that the block's instructions occupy */
};

struct block {
    u64 rip;       /* virtual RIP (offset in CS) of the first instruction */
    u64 mode_key;  /* block_mode_key() at decode time (+ BLOCK_KEY_CROSS); 0 once invalidated */
    gpa_t pa;      /* guest-physical address of the first byte */
    u32 n_insns;   /* instructions, not counting the sentinel */
    bool is_cross; /* the (only) instruction continues on the next page */
    gpa_t pa2;     /* is_cross: guest-physical address of that next page */
    struct block *hash_next;
    struct block_link link[2];
    struct insn insns[]; /* n_insns + 1 (the sentinel) */
};

struct block_jc_entry {
    u64 rip;
    struct block *b; /* never NULL: an empty slot points at a dead dummy block */
};

struct block_cache;

/**
 * block_cache_create() - an empty cache for guest memory @pm.
 * @arena_bytes: memory for decoded blocks (0: BLOCK_ARENA_BYTES); when full, every block is
 * dropped and decoding starts over.
 * Return: NULL and @err if memory runs out.
 */
struct block_cache *block_cache_create(struct physmem *pm, u64 arena_bytes, struct emu_err *err);
void block_cache_destroy(struct block_cache *bc);

/** block_cache_attach() - give vCPU @c its jump cache and make it use @bc. */
bool block_cache_attach(struct block_cache *bc, struct cpu *c, struct emu_err *err);
/** block_cache_detach() - undo block_cache_attach() (before the cache or the vCPU goes). */
void block_cache_detach(struct block_cache *bc, struct cpu *c);

/** block_cache_code_frames() - byte per RAM frame: 1 while it may hold decoded bytes. */
const u8 *block_cache_code_frames(const struct block_cache *bc);

/**
 * block_cache_invalidate_phys() - drop every block with bytes in [@pa, @pa + @len): stores by
 * vCPUs (cpu_code_written) and DMA by devices. Safe while a block runs: an invalidated block
 * leaves to the run loop before its next instruction, and its memory stays valid until the
 * next flush (which only happens between blocks).
 * Return: the number of blocks invalidated.
 */
u32 block_cache_invalidate_phys(struct block_cache *bc, gpa_t pa, u64 len);

/** block_cache_flush() - drop every block. Only between blocks (never from a handler). */
void block_cache_flush(struct block_cache *bc);

/** block_cache_register_stats() - blocks, bytes, flushes, invalidations under @g. */
void block_cache_register_stats(struct block_cache *bc, struct stats_group *g);

/** block_mode_key() - what decoding depends on besides the bytes: code size and CS base. */
static inline u64 block_mode_key(const struct cpu *c)
{
    if (c->code_size == SZ64)
        return ((u64)SZ64 << 1) | BLOCK_KEY_VALID;
    return (c->seg[SEG_CS].base << 8) | ((u64)c->code_size << 1) | BLOCK_KEY_VALID;
}

/** block_fetch_linear() - linear address of @rip in CS. */
static inline u64 block_fetch_linear(const struct cpu *c, u64 rip)
{
    if (c->code_size == SZ64)
        return rip;
    return (u32)(c->seg[SEG_CS].base + rip);
}

static inline u32 block_jc_hash(u64 rip)
{
    return (u32)(rip ^ (rip >> BLOCK_JC_BITS)) & (BLOCK_JC_SIZE - 1);
}

/* The out-of-line parts of block_find() and block_enter(); do not call directly. They clear
 * c->insn first: a fault they raise belongs to no instruction. */
const struct block *block_find_slow(struct cpu *c, u64 lin, u64 key, gpa_t pa, u8 *host);
const struct block *block_enter_slow(struct cpu *c);
__attribute__((noreturn)) void block_fetch_fault(struct cpu *c, u64 lin,
                                                 const struct walk_fault *f);
void block_charge_fetch(struct cpu *c, const struct block *b, gpa_t pa, u32 tlb_cycles);

/**
 * block_find() - the block for c->rip: a fetch translation of RIP (raises #PF/#GP), then the
 * jump cache, then the shared cache, then the decoder. @r: the fetch translation (for
 * charging the fetch in detailed mode).
 */
static inline const struct block *block_find(struct cpu *c, struct mmu_result *r)
{
    const u64 rip = c->rip;
    const u64 lin = block_fetch_linear(c, rip);
    const u64 key = block_mode_key(c);
    const struct block_jc_entry *e = &c->jc[block_jc_hash(rip)];
    const struct block *b = e->b;
    struct walk_fault f;

    if (unlikely(!mmu_translate(c->mmu, &c->ctx, lin, ACCESS_FETCH, r, &f)))
        block_fetch_fault(c, lin, &f);
    if (likely(e->rip == rip && b->mode_key == key && b->pa == r->pa))
        return b;
    return block_find_slow(c, lin, key, r->pa, r->host);
}

/**
 * block_enter() - the run loop's block_find(): the same lookup, and in detailed mode the
 * block's bytes charged as one fetch. 64-bit code with a front-cache hit and a jump-cache hit
 * stays inline; everything else goes out of line. Blocks that cross a page carry
 * BLOCK_KEY_CROSS in their mode key, so that the jump cache never returns them here.
 */
static EMU_ALWAYS_INLINE const struct block *block_enter(struct cpu *c)
{
    const u64 rip = c->rip;
    const struct block_jc_entry *e = &c->jc[block_jc_hash(rip)];
    const struct block *b;
    struct mmu_result r;
    struct walk_fault f;

    if (unlikely(c->code_size != SZ64))
        return block_enter_slow(c);
    if (unlikely(!mmu_translate(c->mmu, &c->ctx, rip, ACCESS_FETCH, &r, &f)))
        block_fetch_fault(c, rip, &f);
    b = e->b;
    if (unlikely(e->rip != rip || b->mode_key != (((u64)SZ64 << 1) | BLOCK_KEY_VALID) ||
                 b->pa != r.pa))
        b = block_find_slow(c, rip, ((u64)SZ64 << 1) | BLOCK_KEY_VALID, r.pa, r.host);
    if (unlikely(c->ms != NULL) && r.host)
        block_charge_fetch(c, b, r.pa, r.cycles);
    return b;
}

#endif
