/* SPDX-License-Identifier: MIT */
/*
 * Decoded blocks: where blocks end (OPF_ENDS, page boundaries, instructions that cross a page,
 * the length limit, undecodable bytes), the jump cache and the shared cache, invalidation by
 * physical range, flushes when the arena fills, sharing between vCPUs.
 */
#include "core/block.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/optable.h"
#include "mm/mmu.h"
#include "tests/unit/mm/pt_build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define CODE_PA  0x10000ull
#define ALIAS_VA 0x40000000ull

static const struct insn *h_op(struct cpu *c, const struct insn *i)
{
    (void)c;
    return i + 1;
}

static const struct insn *h_ends(struct cpu *c, const struct insn *i)
{
    c->rip = i->imm;
    return NULL;
}

struct rig {
    struct physmem *pm;
    struct mmu *mmu[2];
    struct cpuid_model *cpuid;
    struct optable *ot;
    struct block_cache *bc;
    struct cpu *c[2];
    struct pt_build pt;
};

static struct rig *rig_create(u64 arena_bytes)
{
    struct rig *r = calloc(1, sizeof(*r));
    struct emu_err err = {0};
    struct mmu_config mcfg;
    struct op_entry op = {"op", OPF_MODRM, h_op, NULL, 0, 0};
    struct op_entry jmp = {"jmp", OPF_REL8 | OPF_ENDS, h_ends, NULL, 0, 0};

    assert_non_null(r);
    r->pm = pt_physmem_create();
    assert_non_null(r->pm);
    r->cpuid = cpuid_model_create(NULL, 2, &err);
    r->ot = optable_create();
    assert_non_null(r->ot);
    /* Our own entries: 89 /r (2 bytes with a register operand), EB rel8 ending blocks. */
    optable_set(r->ot, MAP_1B, 0x89, &op);
    optable_set(r->ot, MAP_1B, 0xeb, &jmp);
    optable_set(r->ot, MAP_0F, 0x04, &(struct op_entry){0});
    r->bc = block_cache_create(r->pm, arena_bytes, &err);
    assert_non_null(r->bc);
    pt_init(&r->pt, r->pm, 4);
    for (u64 va = 0; va < PT_RAM_BYTES; va += 2 * MiB)
        pt_map(&r->pt, va, va, 2, PT_P | PT_RW);
    pt_map(&r->pt, ALIAS_VA, 0, 2, PT_P | PT_RW);
    mmu_config_default(&mcfg);
    for (unsigned k = 0; k < 2; k++) {
        struct cpu_config cfg = {0};

        r->mmu[k] = mmu_create(&mcfg, r->pm, NULL, k, &err);
        assert_non_null(r->mmu[k]);
        cfg.index = k;
        cfg.pm = r->pm;
        cfg.mmu = r->mmu[k];
        cfg.optable = r->ot;
        cfg.cpuid = r->cpuid;
        cfg.blocks = r->bc;
        r->c[k] = cpu_create(&cfg, &err);
        assert_non_null(r->c[k]);
        cpu_set_long_mode(r->c[k], r->pt.root, CODE_PA, 0x80000);
    }
    return r;
}

static void rig_destroy(struct rig *r)
{
    for (unsigned k = 0; k < 2; k++) {
        cpu_destroy(r->c[k]);
        mmu_destroy(r->mmu[k]);
    }
    block_cache_destroy(r->bc);
    optable_destroy(r->ot);
    cpuid_model_destroy(r->cpuid);
    physmem_destroy(r->pm);
    free(r);
}

static int setup(void **state)
{
    *state = rig_create(0);
    return 0;
}

static int teardown(void **state)
{
    rig_destroy(*state);
    return 0;
}

/* @n register moves (89 C8) at @pa. */
static void put_moves(struct rig *r, u64 pa, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        physmem_host(r->pm, pa)[2 * k] = 0x89;
        physmem_host(r->pm, pa)[2 * k + 1] = 0xc8;
    }
}

static const struct block *find(struct rig *r, unsigned cpu, u64 rip)
{
    struct mmu_result mr;

    r->c[cpu]->rip = rip;
    return block_find(r->c[cpu], &mr);
}

static void test_block_ends_at_branch(void **state)
{
    struct rig *r = *state;
    const struct block *b;

    put_moves(r, CODE_PA, 3);
    physmem_host(r->pm, CODE_PA)[6] = 0xeb; /* jmp $ */
    physmem_host(r->pm, CODE_PA)[7] = 0xfe;
    put_moves(r, CODE_PA + 8, 4);
    b = find(r, 0, CODE_PA);
    assert_int_equal(b->n_insns, 4);
    assert_int_equal(b->rip, CODE_PA);
    assert_int_equal(b->pa, CODE_PA);
    assert_false(b->is_cross);
    for (unsigned k = 0; k < 3; k++) {
        assert_ptr_equal(b->insns[k].fn, h_op);
        assert_int_equal(b->insns[k].end_off, 2 * (k + 1));
        assert_int_equal(b->insns[k].len, 2);
    }
    assert_ptr_equal(b->insns[3].fn, h_ends);
    assert_int_equal(b->insns[3].imm, CODE_PA + 6);
    assert_int_equal(b->insns[4].end_off, 8); /* sentinel */
    assert_int_equal(b->insns[4].len, 0);
    assert_int_equal(r->c[0]->n_blocks_decoded, 1);
    assert_int_equal(block_cache_code_frames(r->bc)[CODE_PA >> 12], 1);
    assert_int_equal(block_cache_code_frames(r->bc)[(CODE_PA >> 12) + 1], 0);
}

/* The block stops at the page end; the next starts on the next page. */
static void test_block_ends_at_page(void **state)
{
    struct rig *r = *state;
    const struct block *b;

    put_moves(r, CODE_PA + 0xffa, 6); /* 3 on this page, 3 on the next */
    b = find(r, 0, CODE_PA + 0xffa);
    assert_int_equal(b->n_insns, 3);
    assert_int_equal(b->insns[3].end_off, 6);
    b = find(r, 0, CODE_PA + 0x1000);
    assert_int_equal(b->pa, CODE_PA + 0x1000);
    assert_true(b->n_insns >= 3);
}

/* An instruction crossing the page ends the block before it and then gets a block alone. */
static void test_block_crossing_insn(void **state)
{
    struct rig *r = *state;
    const struct block *b;

    put_moves(r, CODE_PA + 0xffb, 3); /* 2 whole moves, then 89 | C8 across the boundary */
    b = find(r, 0, CODE_PA + 0xffb);
    assert_int_equal(b->n_insns, 2);
    assert_false(b->is_cross);
    b = find(r, 0, CODE_PA + 0xfff);
    assert_int_equal(b->n_insns, 1);
    assert_true(b->is_cross);
    assert_int_equal(b->pa2, CODE_PA + 0x1000);
    assert_int_equal(b->insns[0].len, 2);
    assert_int_equal(b->insns[1].end_off, 2);
    /* Found again (through the shared cache, re-validating the second page). */
    assert_ptr_equal(find(r, 0, CODE_PA + 0xfff), b);
    assert_int_equal(r->c[0]->n_blocks_decoded, 2);
    /* A store to its second byte (on the next page) invalidates it. */
    assert_int_equal(block_cache_invalidate_phys(r->bc, CODE_PA + 0x1000, 1), 1);
    assert_ptr_not_equal(find(r, 0, CODE_PA + 0xfff), b);
}

static void test_block_length_limit(void **state)
{
    struct rig *r = *state;
    const struct block *b;

    put_moves(r, CODE_PA, 2 * BLOCK_MAX_INSNS + 10);
    b = find(r, 0, CODE_PA);
    assert_int_equal(b->n_insns, BLOCK_MAX_INSNS);
    assert_int_equal(b->insns[BLOCK_MAX_INSNS].end_off, 2 * BLOCK_MAX_INSNS);
    b = find(r, 0, CODE_PA + 2 * BLOCK_MAX_INSNS);
    assert_int_equal(b->n_insns, BLOCK_MAX_INSNS);
    assert_int_equal(b->rip, CODE_PA + 2 * BLOCK_MAX_INSNS);
}

/* Undecodable bytes become an instruction that raises #UD when reached; the block ends. */
static void test_block_undefined_insn(void **state)
{
    struct rig *r = *state;
    const struct block *b;
    static const u8 code[] = {0x89, 0xc8, 0x0f, 0x04, 0x89, 0xc8};

    memcpy(physmem_host(r->pm, CODE_PA), code, sizeof(code));
    b = find(r, 0, CODE_PA);
    assert_int_equal(b->n_insns, 2);
    assert_ptr_equal(b->insns[0].fn, h_op);
    assert_ptr_not_equal(b->insns[1].fn, h_op);
    assert_int_equal(b->insns[1].end_off - b->insns[1].len, 2); /* its RIP offset */
    /* Rewriting the undefined bytes invalidates the block. */
    assert_int_equal(block_cache_invalidate_phys(r->bc, CODE_PA + 3, 1), 1);
}

/* Lookups: the jump cache, then the shared cache (another vCPU), then another virtual RIP
 * for the same physical bytes is another block. */
static void test_block_lookup_and_sharing(void **state)
{
    struct rig *r = *state;
    const struct block *b, *b2;

    put_moves(r, CODE_PA, 2);
    physmem_host(r->pm, CODE_PA)[4] = 0xeb;
    physmem_host(r->pm, CODE_PA)[5] = 0xfe;
    b = find(r, 0, CODE_PA);
    assert_ptr_equal(find(r, 0, CODE_PA), b);
    assert_ptr_equal(find(r, 1, CODE_PA), b);
    assert_int_equal(r->c[0]->n_blocks_decoded, 1);
    assert_int_equal(r->c[1]->n_blocks_decoded, 0);
    b2 = find(r, 0, ALIAS_VA + CODE_PA);
    assert_ptr_not_equal(b2, b);
    assert_int_equal(b2->pa, CODE_PA);
    assert_int_equal(b2->insns[2].imm, ALIAS_VA + CODE_PA + 4); /* targets are virtual */
    assert_int_equal(r->c[0]->n_blocks_decoded, 2);
}

/* Invalidation is by physical range: both virtual copies of the bytes go, others stay. */
static void test_block_invalidate_range(void **state)
{
    struct rig *r = *state;
    const struct block *a, *alias, *other;

    put_moves(r, CODE_PA, 2);
    physmem_host(r->pm, CODE_PA)[4] = 0xeb;
    physmem_host(r->pm, CODE_PA)[5] = 0xfe;
    put_moves(r, CODE_PA + 0x100, 1);
    physmem_host(r->pm, CODE_PA)[0x102] = 0xeb;
    physmem_host(r->pm, CODE_PA)[0x103] = 0xfe;
    a = find(r, 0, CODE_PA);
    alias = find(r, 1, ALIAS_VA + CODE_PA);
    other = find(r, 0, CODE_PA + 0x100);
    /* Bytes just past the block: nothing. */
    assert_int_equal(block_cache_invalidate_phys(r->bc, CODE_PA + 6, 0x10), 0);
    assert_int_equal(block_cache_invalidate_phys(r->bc, CODE_PA + 5, 1), 2);
    assert_int_equal(a->mode_key, 0);
    assert_int_equal(alias->mode_key, 0);
    assert_int_not_equal(other->mode_key, 0);
    assert_int_equal(block_cache_code_frames(r->bc)[CODE_PA >> 12], 1); /* "other" is left */
    /* A running invalidated block leaves before its next instruction, at that RIP. */
    r->c[0]->block_rip = a->rip;
    r->c[0]->icount = 10;
    r->c[0]->cycles = 10;
    assert_null(a->insns[1].fn(r->c[0], &a->insns[1]));
    assert_int_equal(r->c[0]->rip, CODE_PA + 2);
    assert_int_equal(r->c[0]->icount, 9); /* the loop's count of it is undone */
    assert_ptr_not_equal(find(r, 0, CODE_PA), a);
    assert_int_equal(block_cache_invalidate_phys(r->bc, CODE_PA + 0x100, 0x1000), 1);
    assert_int_equal(block_cache_code_frames(r->bc)[CODE_PA >> 12], 1); /* the new block */
    assert_int_equal(block_cache_invalidate_phys(r->bc, CODE_PA, 1), 1);
    assert_int_equal(block_cache_code_frames(r->bc)[CODE_PA >> 12], 0);
}

/* A small arena fills: everything is dropped and decoding goes on. */
static void test_block_arena_flush(void **state)
{
    struct rig *r = rig_create(8 * KiB);
    const struct block *b;

    (void)state;
    put_moves(r, CODE_PA, 2048);
    for (unsigned k = 0; k < 100; k++) {
        b = find(r, 0, CODE_PA + 2 * k);
        assert_int_equal(b->rip, CODE_PA + 2 * k);
        assert_int_equal(b->pa, CODE_PA + 2 * k);
    }
    assert_int_equal(r->c[0]->n_blocks_decoded, 100);
    b = find(r, 0, CODE_PA + 2 * 99);
    assert_int_equal(r->c[0]->n_blocks_decoded, 100); /* the last one survived the flush */
    b = find(r, 1, CODE_PA);
    assert_int_equal(b->rip, CODE_PA);
    assert_int_equal(r->c[1]->n_blocks_decoded, 1); /* flushed: decoded again */
    rig_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_block_ends_at_branch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_ends_at_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_crossing_insn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_length_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_undefined_insn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_lookup_and_sharing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_invalidate_range, setup, teardown),
        cmocka_unit_test(test_block_arena_flush),
    };

    return cmocka_run_group_tests_name("core/block", tests, NULL, NULL);
}
