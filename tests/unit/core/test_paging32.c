/* SPDX-License-Identifier: MIT */
/*
 * 32-bit and PAE paging from the CPU's side (Intel SDM vol. 3 4.1.1, 4.3, 4.4): a program in
 * 32-bit protected mode turns on 32-bit paging with MOV to CR3/CR4/CR0 and reads and writes
 * memory through it (4 KiB and 4 MiB pages, a #PF with its error code and CR2), decoded and run
 * by cpu_run(); MOV to CR0/CR3/CR4 load PAE paging's PDPTE registers and raise #GP(0) on a
 * reserved bit in a present PDPTE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sys_harness.h"

#define PD      0x600000ull /* 32-bit page directory */
#define PT_LOW  0x601000ull /* identity map of 0x400000..0x7fffff in 4 KiB pages */
#define PT_HIGH 0x602000ull /* 0xc0000000: data page, 0xc0001000: read-only page */
#define CODE    0x500000ull
#define PF_CODE 0x510000ull
#define DATA    0x700000ull
#define STACK   0x580000ull
#define MARKER  0x3ff000ull /* reached through the 4 MiB identity page at 0 */

static int setup(void **state)
{
    struct harness *h = calloc(1, sizeof(*h));

    h_init(h, "terrace");
    h_prot32(h); /* CR0 = PE | ET, CR4 = 0, EFER = 0, flat 32-bit segments */
    h->c->gpr[4] = STACK;
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    struct harness *h = *state;

    h_fini(h);
    free(h);
    return 0;
}

static int run(struct harness *h, enum op_map map, u8 op, u8 modrm, unsigned opsize)
{
    struct insn i = h_insn(h, map, op, modrm, opsize);

    return h_exec(h, &i, H_CODE);
}

/* MOV CRn, EAX (0F 22 /r, mod = 3): @cr 0, 3 or 4. */
static int mov_cr(struct harness *h, unsigned cr, u32 v)
{
    h->c->gpr[0] = v;
    return run(h, MAP_0F, 0x22, (u8)(0xc0 | cr << 3), SZ32);
}

static void test_paging32_run(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;
    static const u8 prog[] = {
        0xb8, 0x00, 0x00, 0x60, 0x00,             /* mov eax, PD */
        0x0f, 0x22, 0xd8,                         /* mov cr3, eax */
        0xb8, 0x10, 0x00, 0x00, 0x00,             /* mov eax, CR4.PSE */
        0x0f, 0x22, 0xe0,                         /* mov cr4, eax */
        0x0f, 0x20, 0xc0,                         /* mov eax, cr0 */
        0x0d, 0x00, 0x00, 0x01, 0x80,             /* or eax, PG | WP */
        0x0f, 0x22, 0xc0,                         /* mov cr0, eax */
        0xc7, 0x05, 0x10, 0x00, 0x00, 0xc0, 0x78, /* mov dword [0xc0000010], 0x12345678 */
        0x56, 0x34, 0x12,                         /* */
        0xa1, 0x10, 0x00, 0x00, 0xc0,             /* mov eax, [0xc0000010] */
        0x8b, 0x1d, 0x10, 0x00, 0x70, 0x00,       /* mov ebx, [0x700010] */
        0x8b, 0x0d, 0x00, 0xf0, 0x3f, 0x00,       /* mov ecx, [MARKER] */
        0xf4,                                     /* hlt */
        0xc7, 0x05, 0x08, 0x10, 0x00, 0xc0, 0x01, /* mov dword [0xc0001008], 1: #PF */
        0x00, 0x00, 0x00,                         /* */
    };
    static const u8 pf_handler[] = {
        0x58,             /* pop eax (error code) */
        0x0f, 0x20, 0xd3, /* mov ebx, cr2 */
        0xf4,             /* hlt */
    };
    const u64 fault_eip = CODE + sizeof(prog) - 10;

    memcpy(h_ptr(h, CODE), prog, sizeof(prog));
    memcpy(h_ptr(h, PF_CODE), pf_handler, sizeof(pf_handler));
    h_gate32(h, EXC_PF, H_SEL_CS32, (u32)PF_CODE, 0xe, 0, true);
    h_wr32(h, MARKER, 0xcafef00d);
    /* PDE 0: 4 MiB identity page; PDE 1: page table; PDE 0x300: 0xc0000000. */
    h_wr32(h, PD + 0 * 4, 0x00000000 | PT_PS | PT_RW | PT_P);
    h_wr32(h, PD + 1 * 4, (u32)PT_LOW | PT_RW | PT_P);
    h_wr32(h, PD + 0x300 * 4, (u32)PT_HIGH | PT_RW | PT_P);
    for (u32 i = 0; i < 1024; i++)
        h_wr32(h, PT_LOW + i * 4, (0x400000 + i * 0x1000) | PT_RW | PT_P);
    h_wr32(h, PT_HIGH + 0, (u32)DATA | PT_RW | PT_P);
    h_wr32(h, PT_HIGH + 4, (u32)(DATA + 0x1000) | PT_P);

    c->rip = CODE;
    assert_int_equal(cpu_run(c, 100), CPU_EXIT_HALT);
    assert_int_equal(c->cr0, CR0_PG | CR0_WP | CR0_ET | CR0_PE);
    assert_int_equal(c->efer, 0);
    assert_int_equal(c->mode, CPU_MODE_PROT32);
    assert_int_equal(c->ctx.flags & (MMU_CTX_LEGACY32 | MMU_CTX_PSE | MMU_CTX_PAE32 |
                                     MMU_CTX_NOPAGING | MMU_CTX_WP),
                     MMU_CTX_LEGACY32 | MMU_CTX_PSE | MMU_CTX_WP);
    assert_int_equal(h_rd32(h, DATA + 0x10), 0x12345678);
    assert_int_equal(c->gpr[0], 0x12345678);
    assert_int_equal(c->gpr[3], 0x12345678); /* the same frame through the identity map */
    assert_int_equal(c->gpr[1], 0xcafef00d);
    /* A and D as the walks left them: A on each PDE used, D only where written. */
    assert_int_equal(h_rd32(h, PD + 0 * 4), PT_A | PT_PS | PT_RW | PT_P);
    assert_int_equal(h_rd32(h, PD + 1 * 4), (u32)PT_LOW | PT_A | PT_RW | PT_P);
    assert_int_equal(h_rd32(h, PD + 0x300 * 4), (u32)PT_HIGH | PT_A | PT_RW | PT_P);
    assert_int_equal(h_rd32(h, PT_HIGH), (u32)DATA | PT_D | PT_A | PT_RW | PT_P);
    assert_int_equal(h_rd32(h, PT_LOW + 0x100 * 4), (u32)CODE | PT_A | PT_RW | PT_P);
    assert_int_equal(h_rd32(h, PT_LOW + 0x300 * 4), (u32)DATA | PT_A | PT_RW | PT_P);

    /* A supervisor write to a read-only page with CR0.WP: #PF, error code P | W, CR2. */
    c->is_halted = false; /* resume after the HLT */
    assert_int_equal(cpu_run(c, 100), CPU_EXIT_HALT);
    assert_int_equal(c->n_exceptions[EXC_PF], 1);
    assert_int_equal(c->gpr[0], PF_P | PF_W);
    assert_int_equal(c->gpr[3], 0xc0001008);
    assert_int_equal(c->cr2, 0xc0001008);
    assert_int_equal(c->gpr[4], STACK - 12); /* EIP, CS, EFLAGS left on the stack */
    assert_int_equal(h_rd32(h, STACK - 12), fault_eip);
    assert_int_equal(h_rd32(h, DATA + 0x1008), 0);
    assert_int_equal(h_rd32(h, PT_HIGH + 4), (u32)(DATA + 0x1000) | PT_P);
}

/* CR0.PG with EFER.LME = 0 and CR4.PAE = 0: 32-bit paging; PG can be cleared again. */
static void test_paging32_mov_cr0(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_wr32(h, PD, PT_PS | PT_RW | PT_P); /* 0..4 MiB identity */
    assert_int_equal(mov_cr(h, 3, PD), -1);
    assert_int_equal(mov_cr(h, 0, CR0_PG | CR0_PE), -1);
    assert_int_equal(c->ctx.flags & (MMU_CTX_LEGACY32 | MMU_CTX_PSE | MMU_CTX_NOPAGING),
                     MMU_CTX_LEGACY32);
    assert_int_equal(c->efer & EFER_LMA, 0);
    assert_int_equal(mov_cr(h, 4, CR4_PSE), -1);
    assert_true(c->ctx.flags & MMU_CTX_PSE);
    /* 32-bit paging -> PAE paging directly by MOV to CR4 (SDM 4.1.2) needs valid PDPTEs: the
     * PDPT is read at CR3 = PD, whose first entry (PS | RW | P) sets reserved bits 7 and 1. */
    assert_int_equal(mov_cr(h, 4, CR4_PAE), EXC_GP);
    assert_int_equal(c->cr4, CR4_PSE);
    assert_int_equal(mov_cr(h, 0, CR0_PE), -1);
    assert_true(c->ctx.flags & MMU_CTX_NOPAGING);
    /* WRMSR EFER.LME then PG with PAE = 0: still #GP. */
    c->efer = EFER_LME;
    assert_int_equal(mov_cr(h, 0, CR0_PG | CR0_PE), EXC_GP);
}

/* PAE paging's PDPTE registers from the CPU: loaded by MOV to CR0/CR3/CR4 (SDM 4.4.1). */
static void test_paging32_pae_pdptes(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;
    const u64 pdpt = 0x600020, pdpt2 = 0x600040, pd = 0x601000;
    struct mmu_result r;
    struct walk_fault flt;

    h_wr64(h, pdpt + 0, pd | PT_P);
    h_wr64(h, pdpt + 8, 0x602000 | PT_RW | PT_P); /* R/W is reserved in a PDPTE */
    h_wr64(h, pd + 2 * 8, 0x400000 | PT_PS | PT_RW | PT_P);
    assert_int_equal(mov_cr(h, 4, CR4_PAE), -1); /* paging off: nothing loaded */
    assert_int_equal(mov_cr(h, 3, (u32)pdpt), -1);
    assert_int_equal(mov_cr(h, 0, CR0_PG | CR0_PE), EXC_GP);
    assert_int_equal(c->cr0, CR0_ET | CR0_PE);
    h_wr64(h, pdpt + 8, 0);
    assert_int_equal(mov_cr(h, 0, CR0_PG | CR0_PE), -1);
    assert_int_equal(c->ctx.flags & (MMU_CTX_PAE32 | MMU_CTX_LEGACY32 | MMU_CTX_NOPAGING),
                     MMU_CTX_PAE32);
    assert_int_equal(c->mmu->walker.pdpte[0], pd | PT_P);
    assert_true(mmu_translate(c->mmu, &c->ctx, 0x400010, ACCESS_READ, &r, &flt));
    assert_int_equal(r.pa, 0x400010);
    assert_int_equal(r.page_size, PAGE_2M);

    /* MOV to CR3 with a bad PDPTE: #GP(0), CR3 and the registers unchanged. */
    h_wr64(h, pdpt2 + 24, 0x603000 | (1ull << 5) | PT_P);
    assert_int_equal(mov_cr(h, 3, (u32)pdpt2), EXC_GP);
    assert_int_equal(c->exc_error, 0);
    assert_int_equal(c->cr3, pdpt);
    assert_int_equal(c->mmu->walker.pdpte[0], pd | PT_P);

    /* The registers are not re-read by walks: a changed PDPTE counts only after a reload. */
    h_wr64(h, pdpt + 0, 0);
    assert_int_equal(mov_cr(h, 4, CR4_PAE | CR4_OSFXSR), -1); /* no PDPTE-loading bit */
    assert_int_equal(c->mmu->walker.pdpte[0], pd | PT_P);
    assert_int_equal(mov_cr(h, 4, CR4_PAE | CR4_PGE), -1); /* PGE changes: reload */
    assert_int_equal(c->mmu->walker.pdpte[0], 0);
    assert_false(mmu_translate(c->mmu, &c->ctx, 0x400010, ACCESS_READ, &r, &flt));
    assert_int_equal(flt.level, 3);
    assert_int_equal(flt.error_code, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paging32_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging32_mov_cr0, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging32_pae_pdptes, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/paging32", tests, NULL, NULL);
}
