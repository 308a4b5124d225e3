/* SPDX-License-Identifier: MIT */
/*
 * cpu_run() end to end: a vCPU in flat 64-bit mode over identity-mapped page tables runs small
 * programs (loops, calls, self-modifying code, faults), checked against exact register values
 * and instruction counts.
 */
#include "core/block.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/exception.h"
#include "core/flags.h"
#include "core/optable.h"
#include "mm/mmu.h"
#include "tests/unit/mm/pt_build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define CODE_PA   0x10000ull /* programs are copied here */
#define STACK_TOP 0x80000ull
#define ALIAS_VA  0x40000000ull /* second virtual mapping of physical 0..2 MiB */
#define GDT_PA    0x2000ull
#define IDT_PA    0x3000ull
#define UD_PA     0x5000ull /* #UD handler */
#define PF_PA     0x5100ull /* #PF handler */
#define IRQ_PA    0x5200ull /* vector IRQ_VEC handler */
#define IRQ_VEC   0x20

struct rig {
    int irq_pending; /* vector irq_ack() hands out once, or -1 */
    unsigned n_acks;
    struct physmem *pm;
    struct mmu *mmu;
    struct cpuid_model *cpuid;
    struct optable *ot;
    struct cpu *c;
    struct pt_build pt;
};

static int setup(void **state)
{
    struct rig *r = calloc(1, sizeof(*r));
    struct emu_err err = {0};
    struct mmu_config mcfg;
    struct cpu_config cfg = {0};

    assert_non_null(r);
    r->pm = pt_physmem_create();
    assert_non_null(r->pm);
    mmu_config_default(&mcfg);
    r->mmu = mmu_create(&mcfg, r->pm, NULL, 0, &err);
    assert_non_null(r->mmu);
    r->cpuid = cpuid_model_create(NULL, 1, &err);
    assert_non_null(r->cpuid);
    r->ot = optable_create();
    assert_non_null(r->ot);
    cfg.pm = r->pm;
    cfg.mmu = r->mmu;
    cfg.optable = r->ot;
    cfg.cpuid = r->cpuid;
    cfg.tsc_ghz = cfg.cpu_ghz = 1.0;
    r->c = cpu_create(&cfg, &err);
    assert_non_null(r->c);

    /* Identity map 0..64 MiB with 2 MiB pages, and an alias of 0..2 MiB at ALIAS_VA. */
    pt_init(&r->pt, r->pm, 4);
    for (u64 va = 0; va < PT_RAM_BYTES; va += 2 * MiB)
        pt_map(&r->pt, va, va, 2, PT_P | PT_RW);
    pt_map(&r->pt, ALIAS_VA, 0, 2, PT_P | PT_RW);

    /* GDT: null, -, 0x10 64-bit code, 0x18 data. IDT: #UD and #PF gates (SDM vol. 3 6.14.1). */
    u64 gdt[4] = {0, 0, 0x00af9b000000ffffull, 0x00cf93000000ffffull};
    memcpy(physmem_host(r->pm, GDT_PA), gdt, sizeof(gdt));
    struct {
        u64 pa;
        unsigned vec;
    } gates[] = {{UD_PA, EXC_UD}, {PF_PA, EXC_PF}, {IRQ_PA, IRQ_VEC}};
    for (unsigned k = 0; k < ARRAY_LEN(gates); k++) {
        u64 lo = (gates[k].pa & 0xffff) | (0x10ull << 16) | (0x8eull << 40) |
                 ((gates[k].pa >> 16 & 0xffff) << 48);
        u64 hi = gates[k].pa >> 32;

        memcpy(physmem_host(r->pm, IDT_PA + 16 * gates[k].vec), &lo, 8);
        memcpy(physmem_host(r->pm, IDT_PA + 16 * gates[k].vec + 8), &hi, 8);
    }
    cpu_set_long_mode(r->c, r->pt.root, CODE_PA, STACK_TOP);
    r->c->gdtr = (struct dtable_reg){GDT_PA, sizeof(gdt) - 1};
    r->c->idtr = (struct dtable_reg){IDT_PA, 256 * 16 - 1};
    *state = r;
    return 0;
}

static int rig_irq_ack(void *opaque, u32 cpu)
{
    struct rig *r = opaque;
    int v = r->irq_pending;

    (void)cpu;
    r->n_acks++;
    r->irq_pending = -1;
    return v;
}

static void rig_use_irqs(struct rig *r)
{
    r->irq_pending = -1;
    r->c->bus.opaque = r;
    r->c->bus.irq_ack = rig_irq_ack;
}

static int teardown(void **state)
{
    struct rig *r = *state;

    cpu_destroy(r->c);
    optable_destroy(r->ot);
    cpuid_model_destroy(r->cpuid);
    mmu_destroy(r->mmu);
    physmem_destroy(r->pm);
    free(r);
    return 0;
}

static void load(struct rig *r, u64 pa, const u8 *code, size_t n)
{
    memcpy(physmem_host(r->pm, pa), code, n);
}

/* mov ecx,10; xor eax,eax; L: add eax,ecx; dec ecx; jnz L; mov [rip+0x100],rax; jmp $ */
static void test_run_loop_sum(void **state)
{
    struct rig *r = *state;
    static const u8 prog[] = {0xb9, 0x0a, 0x00, 0x00, 0x00, 0x31, 0xc0, 0x01, 0xc8, 0xff, 0xc9,
                              0x75, 0xfa, 0x48, 0x89, 0x05, 0x00, 0x01, 0x00, 0x00, 0xeb, 0xfe};
    u64 stored;

    load(r, CODE_PA, prog, sizeof(prog));
    assert_int_equal(cpu_run(r->c, 1000), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[0], 55);
    assert_int_equal(r->c->gpr[1], 0);
    memcpy(&stored, physmem_host(r->pm, CODE_PA + 20 + 0x100), 8);
    assert_int_equal(stored, 55);
    assert_int_equal(r->c->rip, CODE_PA + 20);
    /* 2 + 10 * 3 + 1 instructions, then one jmp per block until the budget is reached. */
    assert_int_equal(r->c->icount, 1000);
    assert_int_equal(cpu_run(r->c, 5), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->icount, 1005);
}

/* The budget is checked at block ends: a 3-instruction loop body overshoots by at most 2. */
static void test_run_budget_at_block_ends(void **state)
{
    struct rig *r = *state;
    /* L: inc eax; inc ebx; jmp L */
    static const u8 prog[] = {0xff, 0xc0, 0xff, 0xc3, 0xeb, 0xfa};

    load(r, CODE_PA, prog, sizeof(prog));
    assert_int_equal(cpu_run(r->c, 10), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->icount, 12);
    assert_int_equal(r->c->gpr[0], 4);
    assert_int_equal(r->c->gpr[3], 4);
    assert_int_equal(r->c->n_blocks_decoded, 1);
}

/* A store into a later instruction of the running block: the block is left right after the
 * store and the new bytes run. mov byte [rip+1], 7; mov eax, 1 (imm becomes 7); jmp $ */
static void test_run_smc_same_block(void **state)
{
    struct rig *r = *state;
    static const u8 prog[] = {0xc6, 0x05, 0x01, 0x00, 0x00, 0x00, 0x07, /* imm8 of next */
                              0xb8, 0x01, 0x00, 0x00, 0x00, 0xeb, 0xfe};

    load(r, CODE_PA, prog, sizeof(prog));
    assert_int_equal(cpu_run(r->c, 20), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[0], 7);
    assert_int_equal(r->c->n_smc_invalidations, 1);
    assert_int_equal(physmem_host(r->pm, CODE_PA + 8)[0], 7);
    assert_int_equal(r->c->icount, 20);
}

/*
 * A store into another, already decoded block, through another virtual alias of the frame:
 *   mov ecx, 2
 * L: call B
 *   mov byte [ALIAS_VA + B + 1], 9    (the imm8 of B's mov)
 *   add ebx, eax
 *   dec ecx
 *   jnz L
 *   jmp $
 * B: mov eax, 1 ; ret
 * ebx = 1 + 9.
 */
static void test_run_smc_other_block_alias(void **state)
{
    struct rig *r = *state;
    u8 prog[64];
    size_t n = 0;
    const u64 b_off = 40;
    const u64 alias = ALIAS_VA + CODE_PA + b_off + 1;

    memset(prog, 0x90, sizeof(prog));
    prog[n++] = 0xb9; /* mov ecx, 2 */
    prog[n++] = 2;
    prog[n++] = 0;
    prog[n++] = 0;
    prog[n++] = 0;
    size_t l = n;
    prog[n++] = 0xe8; /* call B */
    i32 rel = (i32)(b_off - (n + 4));
    memcpy(prog + n, &rel, 4);
    n += 4;
    /* mov byte [abs32 alias], 9: C6 04 25 disp32 ib (SIB with no base and no index) */
    prog[n++] = 0xc6;
    prog[n++] = 0x04;
    prog[n++] = 0x25;
    u32 a32 = (u32)alias;
    memcpy(prog + n, &a32, 4);
    n += 4;
    prog[n++] = 9;
    prog[n++] = 0x01; /* add ebx, eax */
    prog[n++] = 0xc3;
    prog[n++] = 0xff; /* dec ecx */
    prog[n++] = 0xc9;
    prog[n++] = 0x75; /* jnz L */
    prog[n] = (u8)(i8)(l - (n + 1));
    n++;
    prog[n++] = 0xeb;
    prog[n++] = 0xfe;
    assert_true(n <= b_off);
    n = b_off;
    prog[n++] = 0xb8; /* B: mov eax, 1 */
    prog[n++] = 1;
    prog[n++] = 0;
    prog[n++] = 0;
    prog[n++] = 0;
    prog[n++] = 0xc3; /* ret */

    load(r, CODE_PA, prog, n);
    assert_int_equal(cpu_run(r->c, 100), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[3], 10);
    assert_int_equal(r->c->gpr[0], 9);
    assert_int_equal(r->c->gpr[4], STACK_TOP);
    assert_true(r->c->n_smc_invalidations >= 1);
}

/* An undefined opcode after a not-taken branch in the same block faults only if reached:
 * xor eax,eax; jz skip; 0F 0B... no: jnz over an undefined 0F 04. Then #UD delivery goes
 * through the IDT to UD_PA with the faulting RIP pushed. */
static void test_run_ud_delivery(void **state)
{
    struct rig *r = *state;
    /* xor eax,eax; jnz +2; (not taken) 0F 04 (undefined); */
    static const u8 prog[] = {0x31, 0xc0, 0x75, 0x02, 0x0f, 0x04, 0xeb, 0xfe};
    static const u8 handler[] = {0xbb, 0x66, 0x00, 0x00, 0x00, 0xeb, 0xfe}; /* mov ebx,0x66 */
    u64 pushed_rip;

    load(r, CODE_PA, prog, sizeof(prog));
    load(r, UD_PA, handler, sizeof(handler));
    assert_int_equal(cpu_run(r->c, 10), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[3], 0x66);
    assert_int_equal(r->c->n_exceptions[EXC_UD], 1);
    /* 64-bit frame: RIP, CS, RFLAGS, RSP, SS; RSP aligned down to 16 first. */
    assert_int_equal(r->c->gpr[4], STACK_TOP - 40);
    memcpy(&pushed_rip, physmem_host(r->pm, STACK_TOP - 40), 8);
    assert_int_equal(pushed_rip, CODE_PA + 4);
    /* xor, jnz retired; the faulting instruction did not; then mov ebx + jmps. */
    assert_int_equal(r->c->icount, 10);
}

/* A store to an unmapped page raises #PF with CR2 and the faulting RIP; nothing retires past
 * it and the store changes nothing. */
static void test_run_pf_delivery(void **state)
{
    struct rig *r = *state;
    /* mov eax, 5; mov [0x7000000], eax (unmapped: above 64 MiB); mov eax, 6 */
    static const u8 prog[] = {0xb8, 0x05, 0x00, 0x00, 0x00, 0x89, 0x04, 0x25, 0x00, 0x00,
                              0x00, 0x07, 0xb8, 0x06, 0x00, 0x00, 0x00, 0xeb, 0xfe};
    static const u8 handler[] = {0xeb, 0xfe};
    u64 pushed[2];

    load(r, CODE_PA, prog, sizeof(prog));
    load(r, PF_PA, handler, sizeof(handler));
    assert_int_equal(cpu_run(r->c, 4), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[0], 5);
    assert_int_equal(r->c->cr2, 0x7000000);
    assert_int_equal(r->c->rip, PF_PA);
    memcpy(pushed, physmem_host(r->pm, STACK_TOP - 48), 16); /* error code, RIP */
    assert_int_equal(pushed[0], PF_W);
    assert_int_equal(pushed[1], CODE_PA + 5);
    assert_int_equal(r->c->icount, 1 + 3);
}

/* An instruction that straddles two pages is decoded from both (a block of its own). */
static void test_run_insn_across_pages(void **state)
{
    struct rig *r = *state;
    /* at 0x10ffd: mov eax, 0x11223344 (5 bytes, 3 on the first page); jmp $ */
    static const u8 prog[] = {0xb8, 0x44, 0x33, 0x22, 0x11, 0xeb, 0xfe};

    load(r, 0x10ffd, prog, sizeof(prog));
    r->c->rip = 0x10ffd;
    assert_int_equal(cpu_run(r->c, 3), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[0], 0x11223344);
    assert_int_equal(r->c->rip, 0x11002);
}

/* STI; HLT halts (cpu_run returns HALT); an interrupt then wakes it through the IDT with the
 * address after HLT pushed. */
static void test_run_hlt_irq(void **state)
{
    struct rig *r = *state;
    static const u8 prog[] = {0xfb, 0xf4, 0xeb, 0xfe};
    static const u8 handler[] = {0xbb, 0x77, 0x00, 0x00, 0x00, 0xeb, 0xfe}; /* mov ebx,0x77 */
    u64 pushed_rip;

    rig_use_irqs(r);
    load(r, CODE_PA, prog, sizeof(prog));
    load(r, IRQ_PA, handler, sizeof(handler));
    assert_int_equal(cpu_run(r->c, 100), CPU_EXIT_HALT);
    assert_int_equal(r->c->icount, 2);
    assert_int_equal(r->c->rip, CODE_PA + 2);
    assert_int_equal(cpu_run(r->c, 100), CPU_EXIT_HALT); /* still nothing pending */
    r->irq_pending = IRQ_VEC;
    cpu_post_event(r->c, CPU_EV_IRQ);
    assert_int_equal(cpu_run(r->c, 5), CPU_EXIT_BUDGET);
    assert_false(r->c->is_halted);
    assert_int_equal(r->c->gpr[3], 0x77);
    assert_int_equal(r->c->n_interrupts, 1);
    memcpy(&pushed_rip, physmem_host(r->pm, STACK_TOP - 40), 8);
    assert_int_equal(pushed_rip, CODE_PA + 2);
    assert_int_equal(r->c->rflags & RFLAGS_IF, 0); /* interrupt gate */
}

/* With IF = 0 a pending interrupt waits; after STI it is taken once the instruction after
 * STI has run (the shadow), even inside what would be one block: STI; NOP; CLI takes it
 * before CLI. STI ends the block here, as it must for this. */
static void test_run_sti_shadow(void **state)
{
    struct rig *r = *state;
    /* nop; sti; nop; cli; mov ecx, 1; jmp $ */
    static const u8 prog[] = {0x90, 0xfb, 0x90, 0xfa, 0xb9, 0x01, 0x00, 0x00, 0x00, 0xeb, 0xfe};
    static const u8 handler[] = {0xeb, 0xfe};
    const struct op_entry *sti = optable_lookup(r->ot, MAP_1B, 0xfb, PFX_NONE, 0);
    struct op_entry sti_ends;
    u64 pushed_rip;

    assert_non_null(sti);
    sti_ends = *sti;
    sti_ends.flags |= OPF_ENDS;
    optable_set(r->ot, MAP_1B, 0xfb, &sti_ends);
    rig_use_irqs(r);
    r->irq_pending = IRQ_VEC;
    cpu_post_event(r->c, CPU_EV_IRQ);
    load(r, CODE_PA, prog, sizeof(prog));
    load(r, IRQ_PA, handler, sizeof(handler));
    assert_int_equal(cpu_run(r->c, 6), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->rip, IRQ_PA);
    memcpy(&pushed_rip, physmem_host(r->pm, STACK_TOP - 40), 8);
    assert_int_equal(pushed_rip, CODE_PA + 3); /* the CLI */
    assert_int_equal(r->c->gpr[1], 0);
    /* nop, sti, nop, then jmps in the handler */
    assert_int_equal(r->c->icount, 6);
}

/* cpu_post_event(CPU_EV_EXIT) stops the loop at the next block end. */
static void test_run_exit_request(void **state)
{
    struct rig *r = *state;
    static const u8 prog[] = {0xeb, 0xfe};

    load(r, CODE_PA, prog, sizeof(prog));
    cpu_post_event(r->c, CPU_EV_EXIT);
    assert_int_equal(cpu_run(r->c, 100), CPU_EXIT_REQUEST);
    assert_int_equal(r->c->icount, 0);
    assert_int_equal(cpu_run(r->c, 100), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->icount, 100);
}

/* A fault with no usable IDT entry escalates to #DF and then to a triple fault. */
static void test_run_triple_fault(void **state)
{
    struct rig *r = *state;
    static const u8 prog[] = {0x0f, 0x04};

    load(r, CODE_PA, prog, sizeof(prog));
    r->c->idtr.limit = 0; /* every vector is outside the IDT: #GP, then #DF, then shutdown */
    assert_int_equal(cpu_run(r->c, 100), CPU_EXIT_TRIPLE_FAULT);
    assert_int_equal(r->c->icount, 0);
}

/* Real mode after RESET: 16-bit code with segment bases, paging off. */
static void test_run_real_mode(void **state)
{
    struct rig *r = *state;
    /* mov ax,0x1234; mov bx,ax; add ax,bx; mov [0x10],ax; mov cx,[bp+2]; jmp $ */
    static const u8 prog[] = {0xb8, 0x34, 0x12, 0x89, 0xc3, 0x01, 0xd8, 0xa3,
                              0x10, 0x00, 0x8b, 0x4e, 0x02, 0xeb, 0xfe};
    u16 stored;

    cpu_reset(r->c, false);
    assert_int_equal(r->c->mode, CPU_MODE_REAL);
    assert_int_equal(r->c->rip, 0xfff0);
    assert_int_equal(r->c->seg[SEG_CS].base, 0xffff0000ull);
    assert_int_equal(r->c->gpr[2] >> 8 & 0xf, 6); /* EDX: family 6 */
    r->c->seg[SEG_CS].sel = 0x1000;
    r->c->seg[SEG_CS].base = 0x10000;
    r->c->seg[SEG_DS].sel = 0x2000;
    r->c->seg[SEG_DS].base = 0x20000;
    r->c->seg[SEG_SS].sel = 0x3000;
    r->c->seg[SEG_SS].base = 0x30000;
    r->c->gpr[5] = 0x100; /* BP */
    r->c->rip = 0;
    physmem_host(r->pm, 0x30102)[0] = 0xcd;
    physmem_host(r->pm, 0x30102)[1] = 0xab;
    load(r, 0x10000, prog, sizeof(prog));
    assert_int_equal(cpu_run(r->c, 8), CPU_EXIT_BUDGET);
    assert_int_equal(r->c->gpr[0] & 0xffff, 0x2468);
    assert_int_equal(r->c->gpr[3] & 0xffff, 0x1234);
    assert_int_equal(r->c->gpr[1] & 0xffff, 0xabcd);
    memcpy(&stored, physmem_host(r->pm, 0x20010), 2);
    assert_int_equal(stored, 0x2468);
    assert_int_equal(r->c->rip, 13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_loop_sum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_budget_at_block_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_smc_same_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_smc_other_block_alias, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_ud_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_pf_delivery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_insn_across_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_hlt_irq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_sti_shadow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_exit_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_triple_fault, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_real_mode, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/run", tests, NULL, NULL);
}
