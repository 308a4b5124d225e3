/* SPDX-License-Identifier: MIT */
/*
 * Decoded-block cache: building blocks from guest code, the shared hash keyed by physical
 * address, per-frame lists for invalidation on stores (self-modifying and cross-modifying
 * code, Intel SDM vol. 3 10.6 and 10.7) and the arena blocks live in.
 */
#include "core/block.h"

#include "base/check.h"
#include "core/decode.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_HASH_BITS 16
#define FRAME_HASH_BITS 14

struct block_cache {
    struct physmem *pm;
    u8 *code_frames; /* per RAM frame below pm->ram_end */
    u64 n_frames;
    u8 *arena;
    u64 arena_bytes;
    u64 arena_used;
    struct block **hash;             /* [1 << BLOCK_HASH_BITS] */
    struct block_link **frame_lists; /* [1 << FRAME_HASH_BITS] */
    struct block *dummy;             /* what empty jump-cache slots point at */
    struct cpu **cpus;               /* attached vCPUs (their jump caches) */
    u32 n_cpus, cap_cpus;
    struct insn scratch[BLOCK_MAX_INSNS + 1];
    u8 fetch_buf[PAGE_SIZE]; /* code that is not RAM (MMIO, unmapped) */
    /* stats */
    u64 n_live, n_built, n_insns_decoded, n_flushes, n_invalidated, n_dead_bytes;
};

static inline u32 block_hash(gpa_t pa, u64 rip)
{
    return (u32)(((pa ^ (rip * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull) >>
                 (64 - BLOCK_HASH_BITS));
}

static inline u32 frame_hash(u64 frame)
{
    return (u32)((frame * 0x9e3779b97f4a7c15ull) >> (64 - FRAME_HASH_BITS));
}

/* Leaves the block: the sentinel after the last instruction, and every instruction of an
 * invalidated block. @i has not run: RIP is its address, and the loop's count of i is undone. */
static const struct insn *block_exec_exit(struct cpu *c, const struct insn *i)
{
    c->rip = c->block_rip + i->end_off - i->len;
    c->icount--;
    c->cycles--;
    return NULL;
}

static const struct insn *block_exec_ud(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_raise(c, EXC_UD, EXC_NO_ERROR);
}

static const struct insn *block_exec_gp(struct cpu *c, const struct insn *i)
{
    (void)i;
    cpu_raise(c, EXC_GP, 0);
}

struct block_cache *block_cache_create(struct physmem *pm, u64 arena_bytes, struct emu_err *err)
{
    struct block_cache *bc = calloc(1, sizeof(*bc));

    if (!bc)
        goto out_nomem;
    bc->pm = pm;
    bc->n_frames = pm->ram_end >> PAGE_SHIFT;
    bc->arena_bytes = arena_bytes ? arena_bytes : BLOCK_ARENA_BYTES;
    bc->code_frames = calloc(bc->n_frames ? bc->n_frames : 1, 1);
    bc->arena = malloc(bc->arena_bytes);
    bc->hash = calloc(1u << BLOCK_HASH_BITS, sizeof(*bc->hash));
    bc->frame_lists = calloc(1u << FRAME_HASH_BITS, sizeof(*bc->frame_lists));
    bc->dummy = calloc(1, sizeof(struct block) + sizeof(struct insn));
    if (!bc->code_frames || !bc->arena || !bc->hash || !bc->frame_lists || !bc->dummy)
        goto out_free;
    return bc;

out_free:
    block_cache_destroy(bc);
out_nomem:
    err_set(err, "block cache: out of memory");
    return NULL;
}

void block_cache_destroy(struct block_cache *bc)
{
    if (!bc)
        return;
    free(bc->code_frames);
    free(bc->arena);
    free(bc->hash);
    free(bc->frame_lists);
    free(bc->dummy);
    free(bc->cpus);
    free(bc);
}

static void block_jc_clear(struct block_cache *bc, struct cpu *c)
{
    for (u32 k = 0; k < BLOCK_JC_SIZE; k++) {
        c->jc[k].rip = 0;
        c->jc[k].b = bc->dummy;
    }
}

bool block_cache_attach(struct block_cache *bc, struct cpu *c, struct emu_err *err)
{
    if (bc->n_cpus == bc->cap_cpus) {
        u32 cap = bc->cap_cpus ? 2 * bc->cap_cpus : 4;
        struct cpu **v = realloc(bc->cpus, cap * sizeof(*v));

        if (!v)
            goto out_nomem;
        bc->cpus = v;
        bc->cap_cpus = cap;
    }
    c->jc = malloc(BLOCK_JC_SIZE * sizeof(*c->jc));
    if (!c->jc)
        goto out_nomem;
    block_jc_clear(bc, c);
    bc->cpus[bc->n_cpus++] = c;
    c->blocks = bc;
    c->code_frames = bc->code_frames;
    return true;

out_nomem:
    err_set(err, "block cache: out of memory");
    return false;
}

void block_cache_detach(struct block_cache *bc, struct cpu *c)
{
    for (u32 k = 0; k < bc->n_cpus; k++) {
        if (bc->cpus[k] == c) {
            bc->cpus[k] = bc->cpus[--bc->n_cpus];
            break;
        }
    }
    free(c->jc);
    c->jc = NULL;
}

const u8 *block_cache_code_frames(const struct block_cache *bc)
{
    return bc->code_frames;
}

void block_cache_flush(struct block_cache *bc)
{
    bc->arena_used = 0;
    bc->n_live = 0;
    bc->n_dead_bytes = 0;
    memset(bc->hash, 0, (1u << BLOCK_HASH_BITS) * sizeof(*bc->hash));
    memset(bc->frame_lists, 0, (1u << FRAME_HASH_BITS) * sizeof(*bc->frame_lists));
    memset(bc->code_frames, 0, bc->n_frames);
    for (u32 k = 0; k < bc->n_cpus; k++)
        block_jc_clear(bc, bc->cpus[k]);
    bc->n_flushes++;
}

static void block_hash_remove(struct block_cache *bc, struct block *b)
{
    struct block **pp = &bc->hash[block_hash(b->pa, b->rip)];

    for (; *pp; pp = &(*pp)->hash_next) {
        if (*pp == b) {
            *pp = b->hash_next;
            return;
        }
    }
}

/* Kill @b: lookups stop finding it, and if it is running it leaves before its next
 * instruction. Its memory stays until the next flush. */
static void block_kill(struct block_cache *bc, struct block *b)
{
    b->mode_key = 0;
    block_hash_remove(bc, b);
    for (u32 k = 0; k <= b->n_insns; k++)
        b->insns[k].fn = block_exec_exit;
    bc->n_live--;
    bc->n_dead_bytes += offsetof(struct block, insns) + (b->n_insns + 1) * sizeof(struct insn);
    bc->n_invalidated++;
}

u32 block_cache_invalidate_phys(struct block_cache *bc, gpa_t pa, u64 len)
{
    u32 n_killed = 0;

    if (!len)
        return 0;
    for (u64 frame = pa >> PAGE_SHIFT; frame <= (pa + len - 1) >> PAGE_SHIFT; frame++) {
        struct block_link **pp;
        u64 lo, hi;
        bool any_left = false;

        if (frame >= bc->n_frames || !bc->code_frames[frame])
            continue;
        lo = frame == pa >> PAGE_SHIFT ? pa & (PAGE_SIZE - 1) : 0;
        hi = frame == (pa + len - 1) >> PAGE_SHIFT ? ((pa + len - 1) & (PAGE_SIZE - 1)) + 1
                                                   : PAGE_SIZE;
        pp = &bc->frame_lists[frame_hash(frame)];
        while (*pp) {
            struct block_link *l = *pp;

            if (!l->b->mode_key) { /* dead (killed through its other frame): unlink */
                *pp = l->next;
                continue;
            }
            if (l->frame == frame && l->lo < hi && lo < l->hi) {
                block_kill(bc, l->b);
                n_killed++;
                *pp = l->next;
                continue;
            }
            any_left |= l->frame == frame;
            pp = &l->next;
        }
        bc->code_frames[frame] = any_left;
    }
    return n_killed;
}

/* @n bytes of guest-physical code at @pa that is not RAM: MMIO reads, or all ones. */
static void block_fetch_phys(struct block_cache *bc, gpa_t pa, u8 *dst, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        const struct physmem_mmio *m = physmem_find_mmio(bc->pm, pa + k);

        dst[k] = m ? (u8)m->ops->read(m->opaque, pa + k - m->base, 1) : 0xff;
    }
}

static void block_link_frame(struct block_cache *bc, struct block_link *l, struct block *b,
                             gpa_t pa, u32 n_bytes)
{
    u64 frame = pa >> PAGE_SHIFT;
    struct block_link **head;

    l->b = b;
    l->frame = frame;
    l->lo = (u32)(pa & (PAGE_SIZE - 1));
    l->hi = l->lo + n_bytes;
    if (frame >= bc->n_frames || !physmem_is_ram(bc->pm, pa, 1)) {
        l->next = NULL; /* not RAM: CPU stores never reach it as RAM */
        return;
    }
    head = &bc->frame_lists[frame_hash(frame)];
    l->next = *head;
    *head = l;
    bc->code_frames[frame] = 1;
}

static struct block *block_commit(struct block_cache *bc, struct cpu *c, u64 key, gpa_t pa, u32 n,
                                  u32 bytes1, bool is_cross, gpa_t pa2, u32 bytes2)
{
    u64 size = offsetof(struct block, insns) + (u64)(n + 1) * sizeof(struct insn);
    struct block *b;

    size = (size + 15) & ~15ull;
    EMU_CHECK(size <= bc->arena_bytes);
    if (bc->arena_used + size > bc->arena_bytes)
        block_cache_flush(bc); /* safe: no block is running while one is built */
    b = (struct block *)(void *)(bc->arena + bc->arena_used);
    bc->arena_used += size;
    b->rip = c->rip;
    b->mode_key = key | (is_cross ? BLOCK_KEY_CROSS : 0);
    b->pa = pa;
    b->n_insns = n;
    b->is_cross = is_cross;
    b->pa2 = pa2;
    memcpy(b->insns, bc->scratch, (n + 1) * sizeof(struct insn));
    b->hash_next = bc->hash[block_hash(pa, b->rip)];
    bc->hash[block_hash(pa, b->rip)] = b;
    block_link_frame(bc, &b->link[0], b, pa, bytes1);
    if (is_cross)
        block_link_frame(bc, &b->link[1], b, pa2, bytes2);
    else
        b->link[1] = (struct block_link){0};
    bc->n_live++;
    bc->n_built++;
    bc->n_insns_decoded += n;
    c->n_blocks_decoded++;
    return b;
}

/* Next page's fetch translation for an instruction that crosses into it (raises faults). */
static void block_translate_next(struct cpu *c, u64 lin, struct mmu_result *r2)
{
    u64 lin2 = (lin & ~(PAGE_SIZE - 1)) + PAGE_SIZE;
    struct walk_fault f;

    if (c->code_size != SZ64)
        lin2 = (u32)lin2;
    if (!mmu_translate(c->mmu, &c->ctx, lin2, ACCESS_FETCH, r2, &f))
        cpu_raise_walk_fault(c, lin2, ACCESS_FETCH, &f);
}

static struct block *block_build(struct cpu *c, u64 lin, u64 key, gpa_t pa, u8 *host)
{
    struct block_cache *bc = c->blocks;
    const struct decode_env env = {c->optable, c->cpuid, c->code_size};
    const u64 rip0 = c->rip;
    const u32 page_off = (u32)(lin & (PAGE_SIZE - 1));
    const u32 n1 = (u32)PAGE_SIZE - page_off; /* bytes up to the page end */
    u64 lim = ~0ull;                          /* bytes up to the CS limit */
    const u8 *p = host;
    struct insn *s = bc->scratch;
    u32 off = 0, n = 0, seen_end = 0, bytes2 = 0;
    bool is_cross = false;
    gpa_t pa2 = 0;

    if (c->code_size != SZ64) {
        if (rip0 > c->seg[SEG_CS].limit)
            cpu_raise(c, EXC_GP, 0);
        lim = (u64)c->seg[SEG_CS].limit - rip0 + 1;
    }
    if (!p) {
        block_fetch_phys(bc, pa, bc->fetch_buf, n1);
        p = bc->fetch_buf;
    }
    while (n < BLOCK_MAX_INSNS && off < n1) {
        u32 avail = n1 - off;
        bool is_lim_cut = false;
        enum decode_status st;
        u32 opf = 0;

        if (avail >= lim - off) {
            avail = (u32)(lim - off);
            is_lim_cut = true;
        }
        st = decode_insn(&env, p + off, avail, rip0 + off, &s[n], &opf);
        if (st == DECODE_MORE && !is_lim_cut) {
            /* The instruction continues on the next page. It starts a block of its own, so
             * that a fault fetching that page is raised only when it is reached. */
            u8 tmp[DECODE_MAX_LEN];
            struct mmu_result r2;
            u32 take = DECODE_MAX_LEN - avail;

            if (n > 0)
                break;
            block_translate_next(c, lin, &r2);
            if (take > lim - avail) {
                take = (u32)(lim - avail);
                is_lim_cut = true;
            }
            memcpy(tmp, p + off, avail);
            if (r2.host)
                memcpy(tmp + avail, r2.host, take);
            else
                block_fetch_phys(bc, r2.pa, tmp + avail, take);
            st = decode_insn(&env, tmp, avail + take, rip0, &s[0], &opf);
            is_cross = true;
            pa2 = r2.pa;
            bytes2 = (st == DECODE_OK ? s[0].len : avail + take) - avail;
        }
        if (st == DECODE_MORE)
            st = DECODE_GP; /* runs past the CS limit */
        if (st != DECODE_OK) {
            /* Raise the fault when (if) execution gets here. */
            seen_end = off + (s[n].len ? s[n].len : 1u);
            s[n] = (struct insn){.fn = st == DECODE_UD ? block_exec_ud : block_exec_gp,
                                 .end_off = (u16)off,
                                 .base = REG_NONE,
                                 .index = REG_NONE};
            n++;
            break;
        }
        off += s[n].len;
        s[n].end_off = (u16)off;
        n++;
        if ((opf & OPF_ENDS) || is_cross)
            break;
    }
    s[n] = (struct insn){
        .fn = block_exec_exit, .end_off = (u16)off, .base = REG_NONE, .index = REG_NONE};
    if (seen_end < off)
        seen_end = off;
    if (seen_end > n1)
        seen_end = n1;
    return block_commit(bc, c, key, pa, n, seen_end, is_cross, pa2, bytes2 ? bytes2 : 1);
}

const struct block *block_find_slow(struct cpu *c, u64 lin, u64 key, gpa_t pa, u8 *host)
{
    struct block_cache *bc = c->blocks;
    struct block *b;

    c->insn = NULL;
    for (b = bc->hash[block_hash(pa, c->rip)]; b; b = b->hash_next) {
        if (b->pa != pa || b->rip != c->rip || (b->mode_key & ~BLOCK_KEY_CROSS) != key)
            continue;
        if (b->is_cross) {
            struct mmu_result r2;

            block_translate_next(c, lin, &r2);
            if (r2.pa != b->pa2)
                continue;
        }
        break;
    }
    if (!b)
        b = block_build(c, lin, key, pa, host);
    /* A crossing block is found here again each time (its mode key never matches on the fast
     * path), so that the next page's translation is checked too. */
    c->jc[block_jc_hash(c->rip)] = (struct block_jc_entry){c->rip, b};
    return b;
}

void block_fetch_fault(struct cpu *c, u64 lin, const struct walk_fault *f)
{
    c->insn = NULL;
    cpu_raise_walk_fault(c, lin, ACCESS_FETCH, f);
}

void block_charge_fetch(struct cpu *c, const struct block *b, gpa_t pa, u32 tlb_cycles)
{
    u32 n_bytes = b->insns[b->n_insns].end_off;

    c->cycles +=
        tlb_cycles + memsys_access(c->ms, c->index, pa, n_bytes ? n_bytes : 1, ACCESS_FETCH);
}

const struct block *block_enter_slow(struct cpu *c)
{
    struct mmu_result r;
    const struct block *b = block_find(c, &r);

    if (c->ms && r.host)
        block_charge_fetch(c, b, r.pa, r.cycles);
    return b;
}

void block_cache_register_stats(struct block_cache *bc, struct stats_group *g)
{
    stats_counter(g, "live", &bc->n_live, "count", "decoded blocks in the cache now");
    stats_counter(g, "built", &bc->n_built, "count", "blocks decoded");
    stats_counter(g, "insns_decoded", &bc->n_insns_decoded, "count",
                  "instructions decoded into blocks");
    stats_counter(g, "flushes", &bc->n_flushes, "count", "whole-cache flushes (arena full)");
    stats_counter(g, "invalidated", &bc->n_invalidated, "count",
                  "blocks dropped because their bytes were written");
    stats_counter(g, "arena_bytes", &bc->arena_used, "bytes", "arena memory in use");
}
