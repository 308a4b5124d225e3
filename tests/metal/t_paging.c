/* SPDX-License-Identifier: MIT */
/*
 * Paging (Intel SDM vol. 3 ch. 4): #PF error codes and CR2 for not-present, write, user,
 * instruction-fetch (NX) and reserved-bit faults (4.7), CR0.WP, rights combined over the
 * levels (4.6), accessed and dirty bits (4.8), INVLPG and CR3 reloads (4.10.4), 2 MiB pages,
 * and code written through another virtual alias of its physical page (SDM vol. 3 8.1.3).
 */
#include "lib/metal.h"

const char metal_test_name[] = "paging";

#define W(n)    (TEST_WINDOW + (u64)(n)*4096)
#define PF_P    0x1
#define PF_W    0x2
#define PF_U    0x4
#define PF_RSVD 0x8
#define PF_I    0x10

static void set_pte(unsigned n, u64 v)
{
    *metal_pte(W(n)) = v;
    invlpg(W(n));
}

static u64 frame(unsigned n)
{
    return metal_window_frame(n);
}

static u64 try_read(u64 va)
{
    u64 v = 0;

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq (%%rax), %%rcx" METAL_TRY_END
                     : "=c"(v)
                     : "a"(va)
                     : "r11", "memory");
    return v;
}

static void try_write(u64 va, u64 v)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq %%rcx, (%%rax)" METAL_TRY_END
                     :
                     : "a"(va), "c"(v)
                     : "r11", "memory");
}

static void check_pf(const char *name, u64 va, u64 err)
{
    metal_check_trap(name, EXC_PF, err);
    metal_check_eq(name, metal_trap_rec.cr2, va);
}

/* Reserved-bit faults: the SDM sets P (the entries were present); QEMU 7.2 TCG leaves it 0. */
static void check_pf_rsvd(const char *name, u64 va, u64 err)
{
    metal_check_trap_qemu(name, EXC_PF, err, EXC_PF, err & ~(u64)PF_P);
    metal_check_eq(name, metal_trap_rec.cr2, va);
}

static u64 user_read(u64 va)
{
    return *(volatile u64 *)va;
}

static u64 user_write(u64 va)
{
    *(volatile u64 *)va = 0x5555;
    return 0;
}

static void check_user_pf(const char *name, int faulted, u64 va, u64 err)
{
    metal_check(name,
                faulted && metal_trap_rec.vector == EXC_PF && metal_trap_rec.error == err &&
                    metal_trap_rec.cr2 == va,
                "expected #PF(0x%lx) CR2 0x%lx, got %s vector %lu error 0x%lx CR2 0x%lx", err, va,
                faulted ? "fault" : "no fault", metal_trap_rec.vector, metal_trap_rec.error,
                metal_trap_rec.cr2);
}

static void test_basic(void)
{
    volatile u64 *f0 = (volatile u64 *)frame(0);
    u64 pte;

    f0[2] = 0x1122334455667788ull;
    set_pte(0, frame(0) | PTE_P | PTE_W);
    metal_check_eq("read through a 4 KiB mapping", try_read(W(0) + 16), 0x1122334455667788ull);
    pte = *metal_pte(W(0));
    metal_check("read sets A, not D", (pte & (PTE_A | PTE_D)) == PTE_A, "PTE 0x%lx", pte);
    metal_check("walk sets A in the PDE", (*metal_window_pde() & PTE_A) != 0, "PDE 0x%lx",
                *metal_window_pde());
    try_write(W(0) + 24, 0xabcdef);
    pte = *metal_pte(W(0));
    metal_check("write sets D", (pte & (PTE_A | PTE_D)) == (PTE_A | PTE_D), "PTE 0x%lx", pte);
    metal_check_eq("write reached the frame", f0[3], 0xabcdef);

    set_pte(1, 0);
    try_read(W(1) + 0x10);
    check_pf("#PF(0): read of a not-present page", W(1) + 0x10, 0);
    try_write(W(1) + 0x18, 1);
    check_pf("#PF(2): write to a not-present page", W(1) + 0x18, PF_W);

    set_pte(2, frame(2) | PTE_P);
    try_write(W(2) + 8, 1);
    check_pf("#PF(3): supervisor write to a read-only page, CR0.WP=1", W(2) + 8, PF_P | PF_W);
    write_cr0(read_cr0() & ~0x10000ull);
    try_write(W(2) + 8, 0x77);
    metal_check_no_trap("supervisor write to a read-only page with CR0.WP=0");
    write_cr0(read_cr0() | 0x10000ull);
    metal_check_eq("CR0.WP=0 write reached the frame", ((volatile u64 *)frame(2))[1], 0x77);

    /* A rights bit clear in an upper level applies to the whole walk (SDM 4.6). */
    set_pte(3, frame(3) | PTE_P | PTE_W);
    *metal_window_pde() &= ~PTE_W;
    invlpg(W(3));
    try_write(W(3), 1);
    check_pf("#PF(3): write where the PDE is read-only", W(3), PF_P | PF_W);
    *metal_window_pde() |= PTE_W;
    invlpg(W(3));

    *metal_window_pde() &= ~PTE_P;
    invlpg(W(3));
    try_read(W(3) + 8);
    check_pf("#PF(0): read where the PDE is not present", W(3) + 8, 0);
    *metal_window_pde() |= PTE_P;
    invlpg(W(3));
}

static void test_reserved(void)
{
    u64 efer = rdmsr(MSR_EFER);

    set_pte(4, frame(4) | PTE_P | PTE_W | (1ull << 51));
    try_read(W(4));
    check_pf_rsvd("#PF(9): read, reserved bit 51 set", W(4), PF_P | PF_RSVD);
    try_write(W(4), 1);
    check_pf_rsvd("#PF(0xb): write, reserved bit 51 set", W(4), PF_P | PF_W | PF_RSVD);

    /* XD is reserved while EFER.NXE = 0 (SDM 4.5.4). */
    set_pte(4, frame(4) | PTE_P | PTE_W | PTE_NX);
    wrmsr(MSR_EFER, efer & ~0x800ull);
    try_read(W(4));
    wrmsr(MSR_EFER, efer);
    check_pf_rsvd("#PF(9): read, XD set with EFER.NXE=0", W(4), PF_P | PF_RSVD);
}

static void test_nx(void)
{
    volatile u8 *code = (volatile u8 *)frame(5);

    code[0] = 0xc3; /* ret */
    set_pte(5, frame(5) | PTE_P | PTE_W | PTE_NX);
    metal_trap_clear();
    __asm__ volatile("leaq 1f(%%rip), %%r11\n\tmovq %%r11, metal_fixup(%%rip)\n\t"
                     "jmp *%%rax\n1:\n\tmovq $0, metal_fixup(%%rip)\n"
                     :
                     : "a"(W(5))
                     : "r11", "memory");
    metal_check("#PF(0x11): fetch from an XD page, RIP and CR2 = target",
                metal_trap_rec.count == 1 && metal_trap_rec.vector == EXC_PF &&
                    metal_trap_rec.error == (PF_P | PF_I) && metal_trap_rec.cr2 == W(5) &&
                    metal_trap_rec.rip == W(5),
                "vector %lu error 0x%lx CR2 0x%lx RIP 0x%lx", metal_trap_rec.vector,
                metal_trap_rec.error, metal_trap_rec.cr2, metal_trap_rec.rip);

    set_pte(5, frame(5) | PTE_P | PTE_W);
    {
        u64 (*fn)(void) = (u64(*)(void))W(5);
        volatile u8 *p = code;

        /* mov $42, %eax; ret */
        p[0] = 0xb8, p[1] = 42, p[2] = 0, p[3] = 0, p[4] = 0, p[5] = 0xc3;
        metal_check_eq("call code in a 4 KiB page without XD", fn(), 42);
    }
}

static void test_user(void)
{
    u64 r;
    int f;

    ((volatile u64 *)frame(6))[0] = 0x6666;
    set_pte(6, frame(6) | PTE_P | PTE_W | PTE_U);
    f = metal_run_user(user_read, W(6), 0x202, &r);
    metal_check("user read of a user page", !f && r == 0x6666, "fault %d value 0x%lx", f, r);

    set_pte(7, frame(7) | PTE_P | PTE_W);
    f = metal_run_user(user_read, W(7) + 8, 0x202, &r);
    check_user_pf("#PF(5): user read of a supervisor page", f, W(7) + 8, PF_P | PF_U);
    f = metal_run_user(user_write, W(7) + 16, 0x202, &r);
    check_user_pf("#PF(7): user write to a supervisor page", f, W(7) + 16, PF_P | PF_W | PF_U);

    set_pte(8, frame(8) | PTE_P | PTE_U);
    f = metal_run_user(user_write, W(8), 0x202, &r);
    check_user_pf("#PF(7): user write to a read-only user page", f, W(8), PF_P | PF_W | PF_U);

    set_pte(9, 0);
    f = metal_run_user(user_read, W(9), 0x202, &r);
    check_user_pf("#PF(4): user read of a not-present page", f, W(9), PF_U);

    /* U clear in the PDE denies user access even where the PTE allows it. */
    *metal_window_pde() &= ~PTE_U;
    invlpg(W(6));
    f = metal_run_user(user_read, W(6), 0x202, &r);
    check_user_pf("#PF(5): user read where the PDE is supervisor", f, W(6), PF_P | PF_U);
    *metal_window_pde() |= PTE_U;
    invlpg(W(6));

    ((volatile u8 *)frame(10))[0] = 0xc3;
    set_pte(10, frame(10) | PTE_P | PTE_U | PTE_NX);
    f = metal_run_user((u64(*)(u64))W(10), 0, 0x202, &r);
    check_user_pf("#PF(0x15): user fetch from an XD page", f, W(10), PF_P | PF_U | PF_I);
}

static void test_tlb(void)
{
    volatile u64 *a = (volatile u64 *)frame(11), *b = (volatile u64 *)frame(12);

    a[0] = 0xaaaa;
    b[0] = 0xbbbb;
    set_pte(11, frame(11) | PTE_P | PTE_W);
    metal_check_eq("mapping to frame A", try_read(W(11)), 0xaaaa);
    *metal_pte(W(11)) = frame(12) | PTE_P | PTE_W;
    invlpg(W(11));
    metal_check_eq("after INVLPG the new frame is seen", try_read(W(11)), 0xbbbb);
    *metal_pte(W(11)) = frame(11) | PTE_P | PTE_W;
    write_cr3(read_cr3());
    metal_check_eq("after a CR3 reload the new frame is seen", try_read(W(11)), 0xaaaa);
    *metal_pte(W(11)) = 0;
    write_cr3(read_cr3());
    try_read(W(11));
    check_pf("#PF(0): after a CR3 reload the unmapped page faults", W(11), 0);
}

/* A function whose immediate the test rewrites through another mapping of its page. */
__attribute__((noinline, aligned(16))) static u64 smc_target(void)
{
    u64 v;

    __asm__ volatile(".globl smc_imm\n\tmovl $1, %k0\nsmc_imm = . - 4" : "=r"(v));
    return v;
}
extern u8 smc_imm[];

static void test_large_and_alias(void)
{
    /* PD slot 1 of the test window: a 2 MiB page onto physical 0 (kernel image at 1 MiB). */
    volatile u64 *pde1 = metal_window_pde() + 1;
    u64 alias = TEST_WINDOW + (2ull << 20);
    static volatile u64 marker = 0x0123456789abcdefull;
    u64 r1, r2;

    *pde1 = 0 | PTE_P | PTE_W | PTE_PS;
    invlpg(alias + (u64)&marker);
    metal_check_eq("read through a 2 MiB page alias", try_read(alias + (u64)&marker), marker);
    metal_check("2 MiB page: A set, PS kept", (*pde1 & (PTE_A | PTE_PS)) == (PTE_A | PTE_PS),
                "PDE 0x%lx", *pde1);

    r1 = smc_target();
    *(volatile u32 *)(alias + (u64)smc_imm) = 2;
    r2 = smc_target();
    metal_check("code patched through another virtual alias runs patched", r1 == 1 && r2 == 2,
                "before %lu, after %lu", r1, r2);
    *(volatile u32 *)(alias + (u64)smc_imm) = 1;
    metal_check_eq("patched back", smc_target(), 1);

    /* Bits 20:13 of a 2 MiB PDE are reserved (SDM 4.5.4, table 4-17). */
    *pde1 = (1ull << 13) | PTE_P | PTE_W | PTE_PS;
    invlpg(alias);
    try_read(alias + 0x100);
    check_pf_rsvd("#PF(9): 2 MiB page with reserved bit 13 set", alias + 0x100, PF_P | PF_RSVD);
    *pde1 = 0;
    invlpg(alias);
}

void test_main(void)
{
    test_basic();
    test_reserved();
    test_nx();
    test_user();
    test_tlb();
    test_large_and_alias();
}
