/* SPDX-License-Identifier: MIT */
/*
 * DAS (decimal adjust AL after subtraction, Intel SDM vol. 2 DAS), valid only outside 64-bit
 * mode: run in compatibility mode (a 32-bit code segment at CPL0, reached with CALL far) on
 * inputs covering both adjustment steps, the borrow out of AL - 6 and CF/AF inputs; AL, EAX
 * bits 8-31, CF, AF, ZF, SF and PF are compared (OF is undefined). In 64-bit mode opcode 2F
 * raises #UD.
 */
#include "lib/metal.h"

const char metal_test_name[] = "bcd";

#define S_CODE32 (GDT_TEST + 0) /* 0x40: 32-bit code, DPL0 */

/* Inputs and outputs of one DAS in compatibility mode; das_faulted counts #UDs there. */
volatile u64 das_in_eax, das_in_flags, das_out_eax, das_out_flags, das_faulted;
void compat_das(void);
extern char compat_das_insn[];
__asm__(".text\n"
        ".code32\n"
        "compat_das:\n"
        /* An exception at DAS resumes after it (the runtime's fixup, 64-bit variables). */
        "\tmovl $1f, metal_fixup\n\tmovl $0, metal_fixup + 4\n"
        "\tmovl $compat_das_insn, metal_expect_rip\n\tmovl $0, metal_expect_rip + 4\n"
        "\tpushl das_in_flags\n\tpopfl\n"
        "\tmovl das_in_eax, %eax\n"
        "compat_das_insn:\n\tdas\n"
        "\tpushfl\n\tpopl das_out_flags\n"
        "\tmovl %eax, das_out_eax\n"
        "\tjmp 2f\n"
        "1:\tincl das_faulted\n"
        "2:\tmovl $0, metal_fixup\n"
        "\tpushl $2\n\tpopfl\n"
        "\tlret\n"
        ".code64\n");

struct das_case {
    u8 al, cf, af;
    u8 al_out, flags_out; /* CF PF AF ZF SF */
};

/* Expected values from the SDM's DAS operation (both steps, CF := old CF | borrow). */
static const struct das_case das_cases[] = {
    {0x00, 0, 0, 0x00, 0x44}, {0x0a, 0, 0, 0x04, 0x10}, {0x9a, 0, 0, 0x34, 0x11},
    {0xa0, 0, 0, 0x40, 0x01}, {0x15, 0, 1, 0x0f, 0x14}, {0x70, 1, 0, 0x10, 0x01},
    {0x03, 0, 1, 0xfd, 0x91}, {0x66, 1, 1, 0x00, 0x55}, {0xff, 0, 0, 0x99, 0x95},
    {0x99, 0, 0, 0x99, 0x84}, {0x60, 1, 0, 0x00, 0x45}, {0x06, 0, 1, 0x00, 0x54},
};

static void test_das_compat(void)
{
    struct __attribute__((packed)) {
        u32 off;
        u16 sel;
    } fp = {(u32)(u64)compat_das, (u16)(S_CODE32 * 8)};

    /* Compatibility mode needs a usable DS (returns from CPL3 would have nulled it). */
    __asm__ volatile("movw %w0, %%ds\n\tmovw %w0, %%es" ::"r"((u16)SEL_KDATA));
    for (unsigned k = 0; k < sizeof(das_cases) / sizeof(das_cases[0]); k++) {
        const struct das_case *t = &das_cases[k];
        u64 want_eax = 0x12345600u | t->al_out, got_fl;

        das_in_eax = 0x12345600u | t->al;
        das_in_flags = 0x2 | t->cf | ((u64)t->af << 4);
        das_out_eax = das_out_flags = das_faulted = 0;
        metal_trap_clear();
        __asm__ volatile("lcalll *%0" ::"m"(fp) : "rax", "memory");
        got_fl = das_out_flags & 0xd5;
        metal_printf("das: AL 0x%x CF %u AF %u -> AL 0x%x flags 0x%x\n", t->al, t->cf, t->af,
                     t->al_out, t->flags_out);
        if (das_faulted) {
            metal_check("das (compatibility mode) executes", 0, "it raised %s (vector %lu)",
                        metal_trap_rec.vector == EXC_UD ? "#UD" : "exception",
                        metal_trap_rec.vector);
            continue;
        }
        metal_check("das: EAX (AL adjusted, bits 8-31 kept)", das_out_eax == want_eax,
                    "expected 0x%lx, got 0x%lx", want_eax, das_out_eax);
        metal_check("das: CF PF AF ZF SF", got_fl == t->flags_out, "expected 0x%x, got 0x%lx",
                    t->flags_out, got_fl);
    }
}

static void test_das_64(void)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0x2f" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: das (2F) in 64-bit mode", EXC_UD, NO_ERR);
}

void test_main(void)
{
    metal_gdt_set(S_CODE32, 0x00cf9a000000ffffull);
    test_das_64();
    test_das_compat();
}
