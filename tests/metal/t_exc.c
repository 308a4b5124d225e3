/* SPDX-License-Identifier: MIT */
/*
 * Exceptions in 64-bit mode and their error codes (Intel SDM vol. 3 6.15): #DE (divide by
 * zero, quotient overflow), #UD (UD2, opcodes invalid in 64-bit mode, LOCK misuse, MOV to CS,
 * instructions over 15 bytes: #GP), #BP as a trap, #GP(0) and #SS(0) for non-canonical
 * addresses, IDT delivery faults (#NP and #GP with IDT error codes), #DF on IST1, #NM and #UD
 * from CR0.TS / CR0.EM / CR4.OSFXSR for SSE.
 */
#include "lib/metal.h"

const char metal_test_name[] = "exceptions";

static void test_de(void)
{
    u64 a = 1, d = 0;

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "divq %%rcx" METAL_TRY_END
                     : "+a"(a), "+d"(d)
                     : "c"(0ull)
                     : "r11", "memory");
    metal_check_trap("#DE: div r64 by zero", EXC_DE, NO_ERR);
    metal_check_eq("#DE: saved CS is the kernel's", metal_trap_rec.cs, SEL_KCODE);
    metal_check_eq("#DE: saved SS is the kernel's", metal_trap_rec.ss, SEL_KDATA);

    a = 0x8000000000000000ull, d = ~0ull;
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "idivq %%rcx" METAL_TRY_END
                     : "+a"(a), "+d"(d)
                     : "c"(~0ull)
                     : "r11", "memory");
    metal_check_trap("#DE: idiv r64 INT64_MIN / -1", EXC_DE, NO_ERR);

    a = 0, d = 1;
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "divl %%ecx" METAL_TRY_END
                     : "+a"(a), "+d"(d)
                     : "c"(1u)
                     : "r11", "memory");
    metal_check_trap("#DE: div r32 quotient overflow", EXC_DE, NO_ERR);

    a = 0x100, d = 0;
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "divb %%cl" METAL_TRY_END
                     : "+a"(a), "+d"(d)
                     : "c"(1u)
                     : "r11", "memory");
    metal_check_trap("#DE: div r8 quotient overflow", EXC_DE, NO_ERR);

    a = 100, d = 0;
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "divq %%rcx" METAL_TRY_END
                     : "+a"(a), "+d"(d)
                     : "c"(7ull)
                     : "r11", "memory");
    metal_check_no_trap("div r64 without fault");
    metal_check("div r64: 100 / 7 = 14 rem 2", a == 14 && d == 2, "got %lu rem %lu", a, d);
}

static void test_ud(void)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "ud2" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: ud2", EXC_UD, NO_ERR);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0x06" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: push es (06) in 64-bit mode", EXC_UD, NO_ERR);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0xce" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: into (CE) in 64-bit mode", EXC_UD, NO_ERR);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0xf0, 0x90" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: lock nop", EXC_UD, NO_ERR);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0xf0, 0x01, 0xc0" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: lock add r32, r32 (register destination)", EXC_UD, NO_ERR);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0x8e, 0xc8" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: mov cs, r16", EXC_UD, NO_ERR);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0x8d, 0xc0" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: lea with a register operand", EXC_UD, NO_ERR);

    /* 15 bytes is the limit (SDM vol. 2 2.3.11): 15 prefixes + NOP is 16 bytes: #GP(0). */
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".fill 15, 1, 0x66\n\tnop" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#GP(0): instruction longer than 15 bytes", EXC_GP, 0);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".fill 14, 1, 0x66\n\tnop" METAL_TRY_END ::: "r11", "memory");
    metal_check_no_trap("15-byte instruction runs");
}

static void test_bp(void)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "int3" METAL_TRY_END ::: "r11", "memory");
    metal_check("#BP: int3 is a trap (RIP after it)",
                metal_trap_rec.count == 1 && metal_trap_rec.vector == EXC_BP &&
                    metal_trap_rec.rip == metal_expect_rip + 1,
                "vector %lu, rip 0x%lx, int3 at 0x%lx", metal_trap_rec.vector, metal_trap_rec.rip,
                metal_expect_rip);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN ".byte 0xcd, 0x03" METAL_TRY_END ::: "r11", "memory");
    metal_check("#BP: int 3 (CD 03) is a trap (RIP after it)",
                metal_trap_rec.count == 1 && metal_trap_rec.vector == EXC_BP &&
                    metal_trap_rec.rip == metal_expect_rip + 2,
                "vector %lu, rip 0x%lx, int at 0x%lx", metal_trap_rec.vector, metal_trap_rec.rip,
                metal_expect_rip);
}

static void test_noncanonical(void)
{
    u64 v = 0x8000000000000000ull;

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq (%%rax), %%rax" METAL_TRY_END
                     : "+a"(v)
                     :
                     : "r11", "memory");
    metal_check_trap("#GP(0): load from a non-canonical address", EXC_GP, 0);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq %%rcx, (%%rax)" METAL_TRY_END
                     :
                     : "a"(0x0000800000000000ull), "c"(0ull)
                     : "r11", "memory");
    metal_check_trap("#GP(0): store to a non-canonical address", EXC_GP, 0);

    /* A memory operand based on RBP uses SS: a non-canonical one is #SS(0) (SDM 6.15). */
    metal_trap_clear();
    __asm__ volatile("pushq %%rbp\n\tmovq %%rax, %%rbp\n\t" METAL_TRY_BEGIN
                     "movq (%%rbp), %%rax" METAL_TRY_END "\tpopq %%rbp\n"
                     :
                     : "a"(0xdead000000000000ull)
                     : "r11", "memory");
    metal_check_trap_qemu("#SS(0): load through RBP from a non-canonical address", EXC_SS, 0,
                          EXC_GP, 0);
}

static void test_idt_faults(void)
{
    /* INT n through a not-present gate: #NP(vector * 8 + 2) (IDT bit set, SDM 6.13). */
    metal_set_gate(0x40, 0, 0xe, 0, 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "int $0x40" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap_qemu("#NP(0x202): int 0x40 through a not-present gate", EXC_NP, 0x40 * 8 + 2,
                          EXC_NP, 0x40 * 16 + 2);
    metal_set_gate(0x40, 1, 0xe, 0, 0);

    /* A gate type other than 64-bit interrupt/trap gate: #GP(vector * 8 + 2). */
    metal_set_gate(0x41, 1, 0x5, 0, 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "int $0x41" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap_qemu("#GP(0x20a): int 0x41 through a task gate in IA-32e mode", EXC_GP,
                          0x41 * 8 + 2, EXC_GP, 0x41 * 16 + 2);
    metal_set_gate(0x41, 1, 0xe, 0, 0);

    /* A vector beyond the IDT limit: #GP(vector * 8 + 2). */
    metal_lidt_limit(0x50 * 16 - 1);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "int $0x60" METAL_TRY_END ::: "r11", "memory");
    metal_lidt_limit(256 * 16 - 1);
    metal_check_trap_qemu("#GP(0x302): int 0x60 beyond the IDT limit", EXC_GP, 0x60 * 8 + 2, EXC_GP,
                          0x60 * 16 + 2);

    /* A gate whose code selector is null: #GP(0) (SDM 6.12.1.1, IA-32e 6.14.1). */
    metal_set_gate(0x42, 1, 0xe, 0, 0);
    metal_set_gate_target(0x42, metal_gate_stub(0x42), 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "int $0x42" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#GP(0): int 0x42 through a gate with a null selector", EXC_GP, 0);
    metal_set_gate(0x42, 1, 0xe, 0, 0);
}

static void test_df(void)
{
    u64 a = 1, d = 0;
    u64 lo = (u64)metal_ist1, hi = lo + METAL_STACK_BYTES;

    /* #DE whose gate is not present: #NP while delivering a contributory fault -> #DF(0). */
    metal_set_gate(EXC_DE, 0, 0xe, 0, 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "divq %%rcx" METAL_TRY_END
                     : "+a"(a), "+d"(d)
                     : "c"(0ull)
                     : "r11", "memory");
    metal_set_gate(EXC_DE, 1, 0xe, 0, 0);
    metal_check("#DF(0): #NP while delivering #DE",
                metal_trap_rec.count == 1 && metal_trap_rec.vector == EXC_DF &&
                    metal_trap_rec.error == 0,
                "got vector %lu error 0x%lx (%lu exceptions)", metal_trap_rec.vector,
                metal_trap_rec.error, metal_trap_rec.count);
    metal_check("#DF delivered on IST1",
                metal_trap_rec.frame_addr >= lo && metal_trap_rec.frame_addr < hi,
                "frame at 0x%lx, IST1 0x%lx-0x%lx", metal_trap_rec.frame_addr, lo, hi);

    /* #GP whose gate is not present while delivering #GP: #DF too. */
    a = 0x8000000000000000ull;
    metal_set_gate(EXC_GP, 0, 0xe, 0, 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq (%%rax), %%rax" METAL_TRY_END
                     : "+a"(a)
                     :
                     : "r11", "memory");
    metal_set_gate(EXC_GP, 1, 0xe, 0, 0);
    metal_check("#DF(0): #NP while delivering #GP",
                metal_trap_rec.count == 1 && metal_trap_rec.vector == EXC_DF &&
                    metal_trap_rec.error == 0,
                "got vector %lu error 0x%lx", metal_trap_rec.vector, metal_trap_rec.error);

    /* A benign exception followed by a contributory one is delivered serially: no #DF. */
    metal_set_gate(EXC_BP, 0, 0xe, 0, 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "int3" METAL_TRY_END ::: "r11", "memory");
    metal_set_gate(EXC_BP, 1, 0xe, 0, 0);
    metal_check_trap_qemu("#NP(0x1a), not #DF: int3 through a not-present gate", EXC_NP, 3 * 8 + 2,
                          EXC_NP, 3 * 16 + 2);
}

static void test_sse_faults(void)
{
    u64 cr0 = read_cr0(), cr4 = read_cr4();

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movaps %%xmm0, %%xmm1" METAL_TRY_END ::: "r11", "memory");
    metal_check_no_trap("movaps xmm, xmm with SSE enabled");

    write_cr0(cr0 | 0x8); /* TS */
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movaps %%xmm0, %%xmm1" METAL_TRY_END ::: "r11", "memory");
    __asm__ volatile("clts");
    metal_check_trap("#NM: movaps with CR0.TS=1", EXC_NM, NO_ERR);
    metal_check_eq("clts clears CR0.TS", read_cr0() & 0x8, 0);

    write_cr0(cr0 | 0x4); /* EM */
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "addps %%xmm0, %%xmm1" METAL_TRY_END ::: "r11", "memory");
    write_cr0(cr0);
    metal_check_trap("#UD: addps with CR0.EM=1", EXC_UD, NO_ERR);

    write_cr4(cr4 & ~0x200ull); /* OSFXSR */
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "addps %%xmm0, %%xmm1" METAL_TRY_END ::: "r11", "memory");
    write_cr4(cr4);
    metal_check_trap("#UD: addps with CR4.OSFXSR=0", EXC_UD, NO_ERR);
}

void test_main(void)
{
    test_de();
    test_ud();
    test_bp();
    test_noncanonical();
    test_idt_faults();
    test_df();
    test_sse_faults();
}
