/* SPDX-License-Identifier: MIT */
/*
 * System instructions (core/exec_system.c), run through the opcode table's handlers with
 * expected values from each instruction's "Operation" in Intel SDM vol. 2: MOV CR rules and
 * the switch to long mode, MSRs, SYSCALL/SYSRET, IRETQ, IOPL and the I/O bitmap, LTR, LAR/LSL,
 * SWAPGS, RDTSC, CPUID, HLT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sys_harness.h"

static int setup(void **state)
{
    struct harness *h = calloc(1, sizeof(*h));

    h_init(h, "terrace");
    h_long_mode(h);
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

static int wrmsr(struct harness *h, u32 msr, u64 v)
{
    h->c->gpr[1] = msr;
    h->c->gpr[0] = (u32)v;
    h->c->gpr[2] = v >> 32;
    return run(h, MAP_0F, 0x30, 0, SZ32);
}

static int rdmsr(struct harness *h, u32 msr, u64 *v)
{
    int r;

    h->c->gpr[1] = msr;
    r = run(h, MAP_0F, 0x32, 0, SZ32);
    *v = (h->c->gpr[2] << 32) | (u32)h->c->gpr[0];
    return r;
}

/* Protected mode -> IA-32e: EFER.LME, CR4.PAE, CR3, CR0.PG, then a far JMP to a 64-bit CS. */
static void test_enter_long_mode(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;
    struct insn jmp;

    h_prot32(h);
    c->gpr[0] = 0x80000011;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xc0, SZ32), -1); /* PG without LME: 32-bit paging */
    assert_true(c->ctx.flags & MMU_CTX_LEGACY32);
    c->gpr[0] = 0x11;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xc0, SZ32), -1); /* paging off again */
    c->gpr[0] = 0x80000010;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xc0, SZ32), EXC_GP); /* PG without PE */
    assert_int_equal(wrmsr(h, MSR_EFER, EFER_LME), -1);
    c->gpr[0] = 0x80000011;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xc0, SZ32), EXC_GP); /* LME without PAE */
    c->gpr[0] = CR4_PAE;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xe0, SZ32), -1);
    c->gpr[0] = h->pt.root;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xd8, SZ32), -1);
    c->gpr[0] = 0x80000011;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xc0, SZ32), -1);
    assert_int_equal(c->efer, EFER_LME | EFER_LMA);
    assert_int_equal(c->mode, CPU_MODE_COMPAT32);
    assert_int_equal(c->rip, H_CODE + 3);
    jmp = h_insn(h, MAP_1B, 0xea, 0, SZ32);
    jmp.imm = 0x401000;
    jmp.disp = H_SEL_CS64;
    assert_int_equal(h_exec(h, &jmp, H_CODE), -1);
    assert_int_equal(c->mode, CPU_MODE_LONG64);
    assert_int_equal(c->rip, 0x401000);
    assert_int_equal(c->seg[SEG_CS].sel, H_SEL_CS64);
    /* Clearing PG in 64-bit mode, or PAE in IA-32e mode: #GP. */
    c->gpr[0] = 0x11;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xc0, SZ64), EXC_GP);
    c->gpr[0] = 0;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xe0, SZ64), EXC_GP);
    c->gpr[3] = 0;
    assert_int_equal(run(h, MAP_0F, 0x20, 0xc3, SZ64), -1); /* mov rbx, cr0 */
    assert_int_equal(c->gpr[3], 0x80000011);
}

static void test_cr_checks(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    c->gpr[0] = CR4_PAE | (1ull << 13); /* VMXE: not supported */
    assert_int_equal(run(h, MAP_0F, 0x22, 0xe0, SZ64), EXC_GP);
    assert_int_equal(run(h, MAP_0F, 0x22, 0xe8, SZ64), EXC_UD); /* CR5 */
    c->gpr[0] = 1ull << 60;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xd8, SZ64), EXC_GP); /* above MAXPHYADDR */
    c->gpr[0] = CR4_PAE | CR4_PGE | CR4_OSFXSR;
    assert_int_equal(run(h, MAP_0F, 0x22, 0xe0, SZ64), -1);
    assert_int_equal(c->cr4, CR4_PAE | CR4_PGE | CR4_OSFXSR);
    assert_true(c->ctx.flags & MMU_CTX_PGE);
    h_user64(h);
    assert_int_equal(run(h, MAP_0F, 0x20, 0xc0, SZ64), EXC_GP);
    assert_int_equal(run(h, MAP_1B, 0xf4, 0, SZ32), EXC_GP); /* HLT at CPL 3 */
}

static void test_msrs(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;
    u64 v;

    assert_int_equal(rdmsr(h, 0x1234, &v), EXC_GP);
    assert_int_equal(wrmsr(h, MSR_EFER, EFER_LME | EFER_LMA | 2), EXC_GP);
    /* LME may not change while paging is on. */
    assert_int_equal(wrmsr(h, MSR_EFER, EFER_SCE | EFER_NXE), EXC_GP);
    assert_int_equal(rdmsr(h, MSR_MISC_ENABLE, &v), -1);
    assert_int_equal(v, 1);
    assert_int_equal(rdmsr(h, MSR_MTRRCAP, &v), -1);
    assert_int_equal(v, 0x508);
    assert_int_equal(rdmsr(h, MSR_PAT, &v), -1);
    assert_int_equal(v, 0x0007040600070406ull);
    assert_int_equal(wrmsr(h, MSR_PAT, 0x0007040600070402ull), EXC_GP);
    assert_int_equal(wrmsr(h, MSR_LSTAR, 0x0000800000000000ull), EXC_GP); /* non-canonical */
    assert_int_equal(wrmsr(h, MSR_GS_BASE, 0xffff888000001000ull), -1);
    assert_int_equal(c->seg[SEG_GS].base, 0xffff888000001000ull);
    assert_false(c->seg_flat & (1u << SEG_GS));
    assert_int_equal(wrmsr(h, MSR_KERNEL_GS_BASE, 0x7000), -1);
    assert_int_equal(run(h, MAP_0F, 0x01, 0xf8, SZ32), -1); /* SWAPGS */
    assert_int_equal(c->seg[SEG_GS].base, 0x7000);
    assert_int_equal(c->msr_kernel_gs_base, 0xffff888000001000ull);
    /* TSC: cycles 1000 at 2 TSC ticks per cycle; writing the TSC moves the offset. */
    c->cycles = 1000;
    assert_int_equal(run(h, MAP_0F, 0x31, 0, SZ32), -1);
    assert_int_equal(c->gpr[0], 2000);
    assert_int_equal(c->gpr[2], 0);
    assert_int_equal(wrmsr(h, MSR_TSC, 0x100000005ull), -1);
    assert_int_equal(run(h, MAP_0F, 0x31, 0, SZ32), -1);
    assert_int_equal(c->gpr[0], 5);
    assert_int_equal(c->gpr[2], 1);
    assert_int_equal(wrmsr(h, MSR_TSC_AUX, 3), -1);
    assert_int_equal(run(h, MAP_0F, 0x01, 0xf9, SZ32), -1); /* RDTSCP */
    assert_int_equal(c->gpr[1], 3);
    h_user64(h);
    assert_int_equal(rdmsr(h, MSR_EFER, &v), EXC_GP);
    assert_int_equal(run(h, MAP_0F, 0x01, 0xf8, SZ32), EXC_GP); /* SWAPGS at CPL 3 */
}

static void test_syscall_sysret(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    c->efer &= ~EFER_SCE;
    assert_int_equal(run(h, MAP_0F, 0x05, 0, SZ32), EXC_UD);
    c->efer |= EFER_SCE;
    c->msr_star = (0x23ull << 48) | (0x10ull << 32);
    c->msr_lstar = 0xffffffff81a00000ull;
    c->msr_sfmask = 0x47700;
    h_user64(h);
    cpu_set_rflags(c, 0x246);
    assert_int_equal(run(h, MAP_0F, 0x05, 0, SZ32), -1);
    assert_int_equal(c->gpr[1], H_CODE + 3);
    assert_int_equal(c->gpr[11], 0x246);
    assert_int_equal(cpu_get_rflags(c), 0x046);
    assert_int_equal(c->rip, 0xffffffff81a00000ull);
    assert_int_equal(c->seg[SEG_CS].sel, 0x10);
    assert_int_equal(c->seg[SEG_SS].sel, 0x18);
    assert_int_equal(c->cpl, 0);
    assert_int_equal(c->mode, CPU_MODE_LONG64);
    c->gpr[1] = 0x0000800000000000ull;
    assert_int_equal(run(h, MAP_0F, 0x07, 0, SZ64), EXC_GP); /* non-canonical RCX */
    c->gpr[1] = 0x401003;
    c->gpr[11] = 0x30246; /* RF and VM are not loaded (R11 & 0x3c7fd7) */
    assert_int_equal(run(h, MAP_0F, 0x07, 0, SZ64), -1);
    assert_int_equal(c->rip, 0x401003);
    assert_int_equal(c->seg[SEG_CS].sel, 0x33);
    assert_int_equal(c->seg[SEG_SS].sel, 0x2b);
    assert_int_equal(c->cpl, 3);
    assert_int_equal(cpu_get_rflags(c), 0x246);
    assert_int_equal(c->mode, CPU_MODE_LONG64);
    assert_int_equal(run(h, MAP_0F, 0x07, 0, SZ64), EXC_GP); /* SYSRET at CPL 3 */
    /* 32-bit SYSRET: compatibility mode, CS = STAR[63:48] | 3. */
    c->cpl = 0;
    seg_cache_from_desc(&c->seg[SEG_CS], H_SEL_CS64, H_DESC_CS64);
    cpu_update_mode(c);
    c->gpr[1] = 0xffffffff00001234ull;
    assert_int_equal(run(h, MAP_0F, 0x07, 0, SZ32), -1);
    assert_int_equal(c->rip, 0x1234);
    assert_int_equal(c->seg[SEG_CS].sel, 0x23);
    assert_int_equal(c->mode, CPU_MODE_COMPAT32);
}

static void test_iretq(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;
    const u64 sp = 0x6ff00;

    h_wr64(h, sp, 0x402000);
    h_wr64(h, sp + 8, H_SEL_CS64);
    h_wr64(h, sp + 16, 0x3202); /* IF, IOPL 3 */
    h_wr64(h, sp + 24, 0x71000);
    h_wr64(h, sp + 32, H_SEL_DS);
    c->gpr[4] = sp;
    c->in_nmi = true;
    assert_int_equal(run(h, MAP_1B, 0xcf, 0, SZ64), -1);
    assert_int_equal(c->rip, 0x402000);
    assert_int_equal(c->gpr[4], 0x71000);
    assert_int_equal(cpu_get_rflags(c), 0x3202);
    assert_false(c->in_nmi);
    /* To CPL 3: SS:RSP popped, CPL 3; DS (DPL 0 data) becomes null. */
    h_wr64(h, sp, 0x403000);
    h_wr64(h, sp + 8, H_SEL_CS64_3);
    h_wr64(h, sp + 16, 0x202);
    h_wr64(h, sp + 24, 0x7f000);
    h_wr64(h, sp + 32, H_SEL_DS_3);
    c->gpr[4] = sp;
    assert_int_equal(run(h, MAP_1B, 0xcf, 0, SZ64), -1);
    assert_int_equal(c->cpl, 3);
    assert_int_equal(c->gpr[4], 0x7f000);
    assert_int_equal(c->seg[SEG_SS].sel, H_SEL_DS_3);
    assert_int_equal(c->seg[SEG_DS].sel, 0);
    assert_int_equal(cpu_get_rflags(c), 0x202); /* IOPL loaded at CPL 0 */
    /* From CPL 3 a DPL-0 CS is refused: #GP(selector). */
    h_wr64(h, 0x7f000, 0x404000);
    h_wr64(h, 0x7f008, H_SEL_CS64);
    h_wr64(h, 0x7f010, 0x202);
    assert_int_equal(run(h, MAP_1B, 0xcf, 0, SZ64), EXC_GP);
    assert_int_equal(c->exc_error, H_SEL_CS64);
    assert_int_equal(c->gpr[4], 0x7f000);
}

static void test_iopl_and_io_bitmap(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    h_wr16(h, H_TSS + 0x66, 0x68);
    memset(h_ptr(h, H_TSS + 0x68), 0xff, 0x2000 / 8 + 1);
    h_ptr(h, H_TSS + 0x68 + 0x3f8 / 8)[0] = 0xfe; /* port 0x3f8 allowed */
    h_user64(h);
    cpu_set_rflags(c, 0x202);
    assert_int_equal(run(h, MAP_1B, 0xfa, 0, SZ32), EXC_GP); /* CLI at CPL 3, IOPL 0 */
    assert_true(sys_io_allowed(c, 0x3f8, 1));
    assert_false(sys_io_allowed(c, 0x3f8, 2));
    assert_false(sys_io_allowed(c, 0x3f9, 1));
    c->gpr[2] = 0x3f9;
    assert_int_equal(run(h, MAP_1B, 0xec, 0, SZ8), EXC_GP);
    c->gpr[2] = 0x3f8;
    c->gpr[0] = 0x1234;
    assert_int_equal(run(h, MAP_1B, 0xec, 0, SZ8), -1); /* no device: reads all ones */
    assert_int_equal(c->gpr[0], 0x12ff);
    /* POPF at CPL 3, IOPL 0: IF and IOPL unchanged, arithmetic flags and AC loaded. */
    h_wr64(h, 0x60000, 0x43cd5);
    c->gpr[4] = 0x60000;
    assert_int_equal(run(h, MAP_1B, 0x9d, 0, SZ64), -1);
    assert_int_equal(cpu_get_rflags(c), 0x40ed7);
}

static void test_ltr_lar_lsl(void **state)
{
    struct harness *h = *state;
    struct cpu *c = h->c;

    /* An available TSS at 0x58 (16 bytes in IA-32e mode). */
    h_set_desc(h, 0x58, h_desc(0x31000, 0x67, 0x89, 0));
    h_wr64(h, H_GDT + 0x60, 0x1);
    c->gpr[0] = 0x58;
    assert_int_equal(run(h, MAP_0F, 0x00, 0xd8, SZ16), -1);
    assert_int_equal(c->tr.sel, 0x58);
    assert_int_equal(c->tr.base, 0x100031000ull);
    assert_int_equal(h_rd64(h, H_GDT + 0x58) >> 40 & 0xff, 0x8b);
    assert_int_equal(run(h, MAP_0F, 0x00, 0xd8, SZ16), EXC_GP); /* busy now */
    assert_int_equal(c->exc_error, 0x58);
    c->gpr[0] = H_SEL_DS;
    assert_int_equal(run(h, MAP_0F, 0x03, 0xd8, SZ32), -1); /* lsl ebx, eax */
    assert_int_equal(c->gpr[3], 0xffffffffu);
    assert_true(cpu_get_rflags(c) & RFLAGS_ZF);
    assert_int_equal(run(h, MAP_0F, 0x02, 0xd8, SZ32), -1); /* lar ebx, eax */
    assert_int_equal(c->gpr[3], 0x00c09300);
    c->gpr[0] = 0;
    assert_int_equal(run(h, MAP_0F, 0x02, 0xd8, SZ32), -1);
    assert_false(cpu_get_rflags(c) & RFLAGS_ZF);
    c->gpr[0] = 0x123;
    assert_int_equal(run(h, MAP_0F, 0xa2, 0, SZ32), -1); /* CPUID leaf 0x123: zeros */
    c->gpr[0] = 0;
    assert_int_equal(run(h, MAP_0F, 0xa2, 0, SZ32), -1);
    assert_int_equal(c->gpr[3], 0x756e6547);
    assert_int_equal(run(h, MAP_1B, 0xf4, 0, SZ32), -1);
    assert_true(c->is_halted);
    assert_int_equal(c->rip, H_CODE + 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_enter_long_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cr_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_msrs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syscall_sysret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iretq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iopl_and_io_bitmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ltr_lar_lsl, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
