/* SPDX-License-Identifier: MIT */
/* Tests of core/exec_string.c: REP MOVS/STOS (page-at-a-time path) against an element-by-
 * element model, overlap, both directions, faults in the middle of a REP and restart, address
 * size, CMPS/SCAS/LODS with REPE/REPNE, and stores over decoded code. */
#include "tests/unit/core/exec_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };

#define REGION       XE_DATA
#define REGION_BYTES (32 * PAGE_SIZE)

static int setup(void **state)
{
    *state = xe_create("terrace");
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    xe_destroy(*state);
    return 0;
}

static u64 rng_next(u64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void set_df(struct xenv *e, bool is_down)
{
    cpu_set_rflags(e->c, is_down ? RFLAGS_DF : 0);
}

/* REP STOS / REP MOVS of 2^sz-byte elements, modelled one element at a time on @ref (a copy
 * of the region). */
static void model(u8 *ref, bool is_movs, unsigned sz, bool is_down, u64 si, u64 di, u64 n, u64 v)
{
    u64 esz = 1u << sz;

    for (u64 k = 0; k < n; k++) {
        u8 t[8];

        if (is_movs)
            memcpy(t, ref + (si - REGION), esz);
        else
            memcpy(t, &v, esz);
        memcpy(ref + (di - REGION), t, esz);
        si = is_down ? si - esz : si + esz;
        di = is_down ? di - esz : di + esz;
    }
}

static void test_string_rep_random(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    u8 *mem = xe_host(e, REGION);
    u8 *ref = malloc(REGION_BYTES);
    u64 seed = 0x9e3779b97f4a7c15ull;

    assert_non_null(ref);
    for (u64 k = 0; k < REGION_BYTES; k++)
        mem[k] = (u8)(k * 7 + (k >> 8));
    memcpy(ref, mem, REGION_BYTES);
    for (int iter = 0; iter < 3000; iter++) {
        bool is_movs = rng_next(&seed) & 1;
        bool is_down = (rng_next(&seed) & 3) == 0;
        unsigned sz = (unsigned)(rng_next(&seed) & 3);
        u64 esz = 1u << sz;
        u64 n = rng_next(&seed) % ((iter & 7) == 0 ? 3000 : 300);
        u64 span = n * esz;
        u64 si, di, v = rng_next(&seed);
        u8 op[3] = {0xf3, 0x48, 0};
        unsigned len;

        if ((iter & 15) == 1)
            v = 0; /* the memset path */
        /* Addresses anywhere in the region such that the whole run stays inside it. */
        si = REGION + (is_down ? span : 0) + rng_next(&seed) % (REGION_BYTES - span - 8);
        if ((iter & 3) == 2) /* nearby: overlapping copies, both ways */
            di = si + (rng_next(&seed) % 64) - 32;
        else
            di = REGION + (is_down ? span : 0) + rng_next(&seed) % (REGION_BYTES - span - 8);
        if (di < REGION + (is_down ? span : 0) ||
            di + 8 > REGION + REGION_BYTES - (is_down ? 0 : span))
            di = si;
        op[2] = (u8)((is_movs ? 0xa4 : 0xaa) + (sz != SZ8));
        if (sz == SZ64) {
            len = 3;
        } else if (sz == SZ16) {
            op[1] = 0x66;
            len = 3;
        } else {
            op[1] = op[2];
            len = 2;
        }
        r[RSI] = si;
        r[RDI] = di;
        r[RCX] = n;
        r[RAX] = v;
        set_df(e, is_down);
        model(ref, is_movs, sz, is_down, si, di, n, v);
        assert_int_equal(xe_exec(e, op, len), XE_NONE);
        assert_true(r[RCX] == 0);
        assert_true(r[RDI] == (is_down ? di - span : di + span));
        if (is_movs)
            assert_true(r[RSI] == (is_down ? si - span : si + span));
        else
            assert_true(r[RSI] == si);
        if (memcmp(mem, ref, REGION_BYTES) != 0)
            fail_msg("iter %d: %s sz %u down %d n %llu si %#llx di %#llx", iter,
                     is_movs ? "movs" : "stos", sz, is_down, (unsigned long long)n,
                     (unsigned long long)si, (unsigned long long)di);
    }
    set_df(e, false);
    free(ref);
}

static void test_string_rep_stosq_page(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    u8 *p = xe_host(e, XE_DATA);

    memset(p, 0xee, 3 * PAGE_SIZE);
    r[RDI] = XE_DATA + PAGE_SIZE;
    r[RCX] = 512;
    r[RAX] = 0;
    assert_int_equal(XE_EXEC(e, 0xf3, 0x48, 0xab), XE_NONE); /* rep stosq */
    assert_true(r[RCX] == 0 && r[RDI] == XE_DATA + 2 * PAGE_SIZE);
    for (u64 k = 0; k < 3 * PAGE_SIZE; k++)
        assert_int_equal(p[k], k >= PAGE_SIZE && k < 2 * PAGE_SIZE ? 0 : 0xee);
    /* count 0: nothing */
    assert_int_equal(XE_EXEC(e, 0xf3, 0x48, 0xab), XE_NONE);
    assert_true(r[RDI] == XE_DATA + 2 * PAGE_SIZE);
    /* without REP: one element */
    r[RAX] = 0x1122334455667788ull;
    assert_int_equal(XE_EXEC(e, 0x48, 0xab), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA + 2 * PAGE_SIZE) == 0x1122334455667788ull);
    assert_true(r[RDI] == XE_DATA + 2 * PAGE_SIZE + 8);
    /* rep movsq of a page */
    r[RSI] = XE_DATA + 2 * PAGE_SIZE;
    r[RDI] = XE_DATA;
    r[RCX] = 512;
    assert_int_equal(XE_EXEC(e, 0xf3, 0x48, 0xa5), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA) == 0x1122334455667788ull && r[RCX] == 0);
    assert_true(memcmp(p, p + 2 * PAGE_SIZE, PAGE_SIZE) == 0);
}

/* A fault in the middle: the registers describe the iterations done; re-executing after the
 * fault is fixed finishes the job. */
static void test_string_rep_fault_restart(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    u64 *pte;

    memset(xe_host(e, XE_RO - PAGE_SIZE), 0, 2 * PAGE_SIZE);
    for (unsigned k = 0; k < 300; k++)
        ((u8 *)xe_host(e, XE_DATA))[k] = (u8)(k + 1);
    r[RSI] = XE_DATA;
    r[RDI] = XE_RO - 100;
    r[RCX] = 300;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa4), EXC_PF); /* rep movsb */
    assert_true(e->c->cr2 == XE_RO && (e->c->exc_error & PF_W));
    assert_true(r[RCX] == 200 && r[RSI] == XE_DATA + 100 && r[RDI] == XE_RO);
    assert_true(memcmp(xe_host(e, XE_RO - 100), xe_host(e, XE_DATA), 100) == 0);
    assert_int_equal(((u8 *)xe_host(e, XE_RO))[0], 0);
    /* Make the page writable (as a #PF handler would) and restart. */
    pte = pt_entry(&e->pt, XE_RO, 1);
    *pte |= PT_RW;
    mmu_flush_all(e->mmu, false);
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa4), XE_NONE);
    assert_true(r[RCX] == 0 && r[RDI] == XE_RO + 200);
    assert_true(memcmp(xe_host(e, XE_RO - 100), xe_host(e, XE_DATA), 300) == 0);
    *pte &= ~PT_RW;
    mmu_flush_all(e->mmu, false);
    /* rep stosq running into the not-present page, downwards from above it. */
    set_df(e, true);
    r[RDI] = XE_AFTER + 8;
    r[RCX] = 10;
    r[RAX] = 0xabab;
    assert_int_equal(XE_EXEC(e, 0xf3, 0x48, 0xab), EXC_PF);
    assert_true(e->c->cr2 == XE_AFTER - 8);
    assert_true(r[RCX] == 8 && r[RDI] == XE_AFTER - 8);
    assert_true(xe_rd64(e, XE_AFTER) == 0xabab && xe_rd64(e, XE_AFTER + 8) == 0xabab);
    set_df(e, false);
    /* The next source element lies in the not-present page, then one crossing into it. */
    r[RSI] = XE_NP - 4;
    r[RDI] = XE_DATA;
    r[RCX] = 3;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa5), EXC_PF); /* rep movsd */
    assert_true(r[RCX] == 2 && r[RSI] == XE_NP && r[RDI] == XE_DATA + 4);
    assert_true(e->c->cr2 == XE_NP);
    r[RSI] = XE_NP - 2;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa5), EXC_PF);
    assert_true(r[RCX] == 2 && r[RSI] == XE_NP - 2 && r[RDI] == XE_DATA + 4);
    assert_true(e->c->cr2 == XE_NP);
}

static void test_string_address_size(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;

    /* 67: EDI/ECX, and the writes clear their upper halves. */
    r[RDI] = 0xdead000000000000ull | XE_DATA;
    r[RCX] = 0xbeef000000000010ull;
    r[RAX] = 0x5a;
    assert_int_equal(XE_EXEC(e, 0x67, 0xf3, 0xaa), XE_NONE);
    assert_true(r[RCX] == 0 && r[RDI] == XE_DATA + 16);
    for (unsigned k = 0; k < 16; k++)
        assert_int_equal(((u8 *)xe_host(e, XE_DATA))[k], 0x5a);
    /* Non-REP with 67: ESI advances, upper half cleared. */
    r[RSI] = 0xffff000000000000ull | XE_DATA;
    assert_int_equal(XE_EXEC(e, 0x67, 0xac), XE_NONE); /* lodsb */
    assert_true(r[RSI] == XE_DATA + 1 && (r[RAX] & 0xff) == 0x5a);
}

static void test_string_cmps_scas_lods(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    char *a = xe_host(e, XE_DATA), *b = xe_host(e, XE_DATA + 0x100);

    memcpy(a, "hello, worle", 12);
    memcpy(b, "hello, world", 12);
    /* repe cmpsb: stops after the first difference (index 11). */
    r[RSI] = XE_DATA;
    r[RDI] = XE_DATA + 0x100;
    r[RCX] = 12;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa6), XE_NONE);
    assert_true(r[RCX] == 0 && r[RSI] == XE_DATA + 12 && r[RDI] == XE_DATA + 0x10c);
    assert_true(!(cpu_get_rflags(e->c) & RFLAGS_ZF));
    assert_true(!(cpu_get_rflags(e->c) & RFLAGS_CF)); /* 'e' - 'd' does not borrow */
    r[RSI] = XE_DATA;
    r[RDI] = XE_DATA + 0x100;
    r[RCX] = 20;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa6), XE_NONE);
    assert_true(r[RCX] == 8 && r[RSI] == XE_DATA + 12);
    /* Equal prefix only: ZF stays set when the count runs out. */
    r[RSI] = XE_DATA;
    r[RDI] = XE_DATA + 0x100;
    r[RCX] = 5;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa6), XE_NONE);
    assert_true(r[RCX] == 0 && (cpu_get_rflags(e->c) & RFLAGS_ZF));
    /* Count 0: flags untouched. */
    cpu_set_rflags(e->c, RFLAGS_CF);
    assert_int_equal(XE_EXEC(e, 0xf3, 0xa6), XE_NONE);
    assert_true(cpu_get_rflags(e->c) == (RFLAGS_CF | RFLAGS_FIXED));
    /* repne scasb: strlen */
    memcpy(a, "abcdef\0", 7);
    r[RDI] = XE_DATA;
    r[RCX] = ~0ull;
    r[RAX] = 0;
    assert_int_equal(XE_EXEC(e, 0xf2, 0xae), XE_NONE);
    assert_true(r[RDI] == XE_DATA + 7 && ~r[RCX] - 1 == 6);
    assert_true(cpu_get_rflags(e->c) & RFLAGS_ZF);
    /* repe scasq over equal qwords, backwards */
    xe_wr64(e, XE_DATA + 0x200, 7);
    xe_wr64(e, XE_DATA + 0x208, 7);
    xe_wr64(e, XE_DATA + 0x210, 9);
    set_df(e, true);
    r[RDI] = XE_DATA + 0x210;
    r[RCX] = 3;
    r[RAX] = 9;
    assert_int_equal(XE_EXEC(e, 0xf3, 0x48, 0xaf), XE_NONE);
    assert_true(r[RCX] == 1 && r[RDI] == XE_DATA + 0x200); /* stopped after 9 != 7 */
    assert_true(!(cpu_get_rflags(e->c) & RFLAGS_ZF));
    set_df(e, false);
    /* lodsw / rep lodsb */
    xe_wr64(e, XE_DATA, 0x0807060504030201ull);
    r[RSI] = XE_DATA;
    r[RAX] = 0xffffffffffffffffull;
    assert_int_equal(XE_EXEC(e, 0x66, 0xad), XE_NONE);
    assert_true(r[RAX] == 0xffffffffffff0201ull && r[RSI] == XE_DATA + 2);
    r[RCX] = 3;
    assert_int_equal(XE_EXEC(e, 0xf3, 0xac), XE_NONE);
    assert_true((r[RAX] & 0xff) == 5 && r[RSI] == XE_DATA + 5 && r[RCX] == 0);
    assert_int_equal(XE_EXEC(e, 0xad), XE_NONE); /* lodsd zero-extends; byte 8 is 'o' */
    assert_true(r[RAX] == 0x6f080706ull);
    /* movsq without REP */
    r[RSI] = XE_DATA;
    r[RDI] = XE_DATA + 0x300;
    assert_int_equal(XE_EXEC(e, 0x48, 0xa5), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA + 0x300) == 0x0807060504030201ull);
    assert_true(r[RSI] == XE_DATA + 8 && r[RDI] == XE_DATA + 0x308);
    /* FS override on the source, ES fixed for the destination. */
    e->c->seg[SEG_FS].base = 0x100;
    cpu_update_mode(e->c);
    r[RSI] = XE_DATA - 0x100;
    r[RDI] = XE_DATA + 0x400;
    r[RCX] = 8;
    assert_int_equal(XE_EXEC(e, 0x64, 0xf3, 0xa4), XE_NONE);
    assert_true(xe_rd64(e, XE_DATA + 0x400) == 0x0807060504030201ull);
}

/* A port-I/O bus that logs accesses; port reads return a counter. */
struct io_log {
    unsigned n_in, n_out;
    u16 port[16];
    u32 out[16];
};

static u32 io_in(void *opaque, u32 cpu, u16 port, unsigned size_bytes)
{
    struct io_log *l = opaque;

    (void)cpu;
    l->port[l->n_in % 16] = port;
    return 0xa0b0c0d0u + (size_bytes << 8) + l->n_in++;
}

static void io_out(void *opaque, u32 cpu, u16 port, u32 value, unsigned size_bytes)
{
    struct io_log *l = opaque;

    (void)cpu;
    (void)size_bytes;
    l->port[l->n_out % 16] = port;
    l->out[l->n_out++ % 16] = value;
}

static void test_string_ins_outs(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    struct io_log log = {0};

    e->c->bus.opaque = &log;
    e->c->bus.port_in = io_in;
    e->c->bus.port_out = io_out;
    /* rep insw from port 0x1f0 */
    memset(xe_host(e, XE_DATA), 0, 16);
    r[RDX] = 0x1f0;
    r[RDI] = XE_DATA;
    r[RCX] = 3;
    assert_int_equal(XE_EXEC(e, 0xf3, 0x66, 0x6d), XE_NONE);
    assert_int_equal(log.n_in, 3);
    assert_true(log.port[0] == 0x1f0 && log.port[2] == 0x1f0);
    assert_true(r[RCX] == 0 && r[RDI] == XE_DATA + 6);
    assert_true(xe_rd64(e, XE_DATA) == 0x0000c2d2c2d1c2d0ull);
    /* insd with REX.W stays 32-bit */
    assert_int_equal(XE_EXEC(e, 0x48, 0x6d), XE_NONE);
    assert_true(r[RDI] == XE_DATA + 10);
    /* rep outsb: every byte goes out; the block ends after it */
    r[RSI] = XE_DATA;
    r[RCX] = 4;
    r[RDX] = 0x3f8;
    e->c->rip = XE_CODE;
    assert_int_equal(XE_EXEC(e, 0xf3, 0x6e), XE_NONE);
    assert_true(e->is_exit && e->c->rip == XE_CODE + 2);
    assert_int_equal(log.n_out, 4);
    assert_true(log.out[0] == 0xd0 && log.out[1] == 0xc2 && log.out[2] == 0xd1);
    assert_true(log.port[3] == 0x3f8 && r[RSI] == XE_DATA + 4);
    /* ins into a read-only page: #PF before the port is read */
    r[RDI] = XE_RO;
    assert_int_equal(XE_EXEC(e, 0x6c), EXC_PF);
    assert_int_equal(log.n_in, 4);
    /* CPL 3 with IOPL 0 and no usable I/O bitmap: #GP(0), no access */
    e->c->seg[SEG_CS].attr |= SEG_ATTR_DPL;
    cpu_update_mode(e->c);
    assert_int_equal(e->c->cpl, 3);
    e->c->tr.limit = 0x10;
    r[RDI] = XE_DATA;
    assert_int_equal(XE_EXEC(e, 0x6c), EXC_GP);
    assert_int_equal(XE_EXEC(e, 0xf3, 0x6e), EXC_GP);
    assert_true(log.n_in == 4 && log.n_out == 4);
    /* IOPL 3 allows it */
    cpu_set_rflags(e->c, RFLAGS_IOPL);
    assert_int_equal(XE_EXEC(e, 0x6c), XE_NONE);
    assert_int_equal(log.n_in, 5);
}

/* REP STOSB over code in the block being run: the block is invalidated and the new bytes
 * execute. */
static void test_string_smc(void **state)
{
    struct xenv *e = *state;
    u64 *r = e->c->gpr;
    /*      lea rdi, [rip + 9]   (-> the mov below)
     *      mov ecx, 5
     *      mov al, 0x90
     *      rep stosb
     *      mov edx, 1           (overwritten by five NOPs)
     *      jmp $ */
    static const u8 code[] = {0x48, 0x8d, 0x3d, 0x09, 0x00, 0x00, 0x00, 0xb9,
                              0x05, 0x00, 0x00, 0x00, 0xb0, 0x90, 0xf3, 0xaa,
                              0xba, 0x01, 0x00, 0x00, 0x00, 0xeb, 0xfe};

    r[RDX] = 0;
    assert_int_equal(xe_run(e, XE_CODE + 0x100, code, sizeof(code), 100), CPU_EXIT_BUDGET);
    assert_true(r[RDX] == 0);
    assert_true(e->c->rip == XE_CODE + 0x100 + 21);
    assert_true(e->c->n_smc_invalidations >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_string_rep_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_rep_stosq_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_rep_fault_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_address_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_cmps_scas_lods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_ins_outs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_smc, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/string", tests, NULL, NULL);
}
