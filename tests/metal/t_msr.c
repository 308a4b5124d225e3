/* SPDX-License-Identifier: MIT */
/*
 * Control registers and MSRs (Intel SDM vol. 3 2.5, 2.8.1; vol. 4 MSR list; vol. 2 RDMSR,
 * WRMSR, SWAPGS, RDTSC, CPUID): EFER bits and its #GP rules, STAR/LSTAR/SFMASK, FS/GS bases
 * through MSRs and their use by FS:/GS: operands, SWAPGS, unknown MSRs, invalid CR0/CR3/CR4
 * values, CR4.TSD, TSC monotonicity and IA32_TSC, CPUID basics.
 */
#include "lib/metal.h"

const char metal_test_name[] = "cr-msr";

static void try_wrmsr(u32 msr, u64 v)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "wrmsr" METAL_TRY_END
                     :
                     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))
                     : "r11", "memory");
}

static void try_rdmsr(u32 msr)
{
    u32 lo, hi;

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "rdmsr" METAL_TRY_END
                     : "=a"(lo), "=d"(hi)
                     : "c"(msr)
                     : "r11", "memory");
}

#define TRY_WRITE_CR(n, v)                                                                         \
    do {                                                                                           \
        metal_trap_clear();                                                                        \
        __asm__ volatile(METAL_TRY_BEGIN "movq %0, %%cr" #n METAL_TRY_END                          \
                         :                                                                         \
                         : "r"((u64)(v))                                                           \
                         : "r11", "memory");                                                       \
    } while (0)

static void test_efer(void)
{
    u64 efer = rdmsr(MSR_EFER);

    metal_check_eq("EFER = SCE | LME | LMA | NXE", efer & 0xd01, 0xd01);
    if (!metal_qemu_lacks("#GP(0): clear EFER.LME while paging is on")) {
        try_wrmsr(MSR_EFER, efer & ~0x100ull);
        metal_check_trap("#GP(0): clear EFER.LME while paging is on", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): set reserved EFER bit 1")) {
        try_wrmsr(MSR_EFER, efer | 0x2);
        metal_check_trap("#GP(0): set reserved EFER bit 1", EXC_GP, 0);
    }
    try_wrmsr(MSR_EFER, efer & ~0x800ull);
    metal_check_no_trap("clear EFER.NXE");
    metal_check_eq("EFER.NXE reads back 0", rdmsr(MSR_EFER) & 0x800, 0);
    wrmsr(MSR_EFER, efer);
    metal_check_eq("EFER restored", rdmsr(MSR_EFER), efer);
}

static void test_syscall_msrs(void)
{
    wrmsr(MSR_STAR, 0x0023001000000000ull);
    metal_check_eq("STAR reads back", rdmsr(MSR_STAR), 0x0023001000000000ull);
    wrmsr(MSR_LSTAR, 0xffffffff81000000ull);
    metal_check_eq("LSTAR reads back", rdmsr(MSR_LSTAR), 0xffffffff81000000ull);
    wrmsr(MSR_CSTAR, 0x1234000ull);
    metal_check_eq("CSTAR reads back", rdmsr(MSR_CSTAR), 0x1234000ull);
    wrmsr(MSR_SFMASK, 0x47700);
    metal_check_eq("SFMASK reads back", rdmsr(MSR_SFMASK), 0x47700);
    if (!metal_qemu_lacks("#GP(0): non-canonical LSTAR")) {
        try_wrmsr(MSR_LSTAR, 0x8000000000000000ull);
        metal_check_trap("#GP(0): non-canonical LSTAR", EXC_GP, 0);
    }
}

static volatile u64 fs_area[4] = {0x1111, 0x2222, 0x3333, 0x4444};
static volatile u64 gs_area[4] = {0x5555, 0x6666, 0x7777, 0x8888};
static volatile u64 kgs_area[4] = {0x9999, 0xaaaa, 0xbbbb, 0xcccc};

static u64 read_fs8(void)
{
    u64 v;

    __asm__ volatile("movq %%fs:8, %0" : "=r"(v) : : "memory");
    return v;
}

static u64 read_gs8(void)
{
    u64 v;

    __asm__ volatile("movq %%gs:8, %0" : "=r"(v) : : "memory");
    return v;
}

static void test_fs_gs(void)
{
    wrmsr(MSR_FS_BASE, (u64)fs_area);
    metal_check_eq("FS_BASE reads back", rdmsr(MSR_FS_BASE), (u64)fs_area);
    metal_check_eq("mov r64, fs:[8] uses FS_BASE", read_fs8(), 0x2222);
    wrmsr(MSR_GS_BASE, (u64)gs_area);
    wrmsr(MSR_KERNEL_GS, (u64)kgs_area);
    metal_check_eq("mov r64, gs:[8] uses GS_BASE", read_gs8(), 0x6666);
    __asm__ volatile("swapgs" ::: "memory");
    metal_check_eq("swapgs: GS_BASE = old KERNEL_GS_BASE", rdmsr(MSR_GS_BASE), (u64)kgs_area);
    metal_check_eq("swapgs: KERNEL_GS_BASE = old GS_BASE", rdmsr(MSR_KERNEL_GS), (u64)gs_area);
    metal_check_eq("swapgs: gs:[8] uses the new base", read_gs8(), 0xaaaa);
    __asm__ volatile("swapgs" ::: "memory");
    metal_check_eq("swapgs twice restores GS_BASE", rdmsr(MSR_GS_BASE), (u64)gs_area);
    __asm__ volatile("movw %w0, %%fs" ::"r"((u16)SEL_KDATA));
    metal_check_eq("mov fs, r16 in 64-bit mode: base from the descriptor (0)", rdmsr(MSR_FS_BASE),
                   0);
    if (!metal_qemu_lacks("#GP(0): non-canonical FS_BASE")) {
        try_wrmsr(MSR_FS_BASE, 0x0000800000000000ull);
        metal_check_trap("#GP(0): non-canonical FS_BASE", EXC_GP, 0);
    }
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
}

static void test_unknown_msr(void)
{
    if (!metal_qemu_lacks("#GP(0): rdmsr of an unknown MSR")) {
        try_rdmsr(0x12345678);
        metal_check_trap("#GP(0): rdmsr of an unknown MSR", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): wrmsr of an unknown MSR")) {
        try_wrmsr(0x12345678, 1);
        metal_check_trap("#GP(0): wrmsr of an unknown MSR", EXC_GP, 0);
    }
}

static void test_crs(void)
{
    u64 cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();

    metal_check_eq("CR0 = PG | WP | NE | ET | MP | PE", cr0 & 0x8005003f, 0x80010033);
    if (!metal_qemu_lacks("#GP(0): CR0.PG=1 with PE=0")) {
        TRY_WRITE_CR(0, cr0 & ~1ull);
        metal_check_trap("#GP(0): CR0.PG=1 with PE=0", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): CR0.NW=1 with CD=0")) {
        TRY_WRITE_CR(0, (cr0 & ~0x40000000ull) | 0x20000000ull);
        metal_check_trap("#GP(0): CR0.NW=1 with CD=0", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): CR0 bit 32 set")) {
        TRY_WRITE_CR(0, cr0 | (1ull << 32));
        metal_check_trap("#GP(0): CR0 bit 32 set", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): CR4 bit 32 set")) {
        TRY_WRITE_CR(4, cr4 | (1ull << 32));
        metal_check_trap("#GP(0): CR4 bit 32 set", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): clear CR4.PAE in IA-32e mode")) {
        TRY_WRITE_CR(4, cr4 & ~0x20ull);
        metal_check_trap("#GP(0): clear CR4.PAE in IA-32e mode", EXC_GP, 0);
    }
    if (!metal_qemu_lacks("#GP(0): CR3 bit 52 set")) {
        TRY_WRITE_CR(3, cr3 | (1ull << 52));
        metal_check_trap("#GP(0): CR3 bit 52 set", EXC_GP, 0);
    }
    metal_check_eq("CR0 unchanged", read_cr0(), cr0);
    metal_check_eq("CR4 unchanged", read_cr4(), cr4);
    write_cr4(cr4 | 0x80); /* PGE */
    metal_check_eq("CR4.PGE set", read_cr4() & 0x80, 0x80);
    write_cr4(cr4);
    write_cr0(cr0 | 0x40000); /* AM */
    metal_check_eq("CR0.AM set", read_cr0() & 0x40000, 0x40000);
    write_cr0(cr0);
}

static u64 u_rdtsc(u64 a)
{
    return rdtsc() != 0;
}

static void test_tsc(void)
{
    u64 prev = rdtsc(), first = prev, bad = 0, r = 0;
    int f;

    for (unsigned k = 0; k < 2000; k++) {
        u64 t = rdtsc();

        if (t < prev)
            bad++;
        prev = t;
    }
    metal_check("rdtsc is monotonic over 2000 reads", bad == 0 && prev > first,
                "%lu decreases, first 0x%lx last 0x%lx", bad, first, prev);
    {
        u64 m = rdmsr(MSR_TSC), t = rdtsc();

        metal_check("rdmsr IA32_TSC agrees with rdtsc", m <= t && t - m < (1ull << 32),
                    "MSR 0x%lx rdtsc 0x%lx", m, t);
    }
    f = metal_run_user(u_rdtsc, 0, 0x202, &r);
    metal_check("rdtsc at CPL3 with CR4.TSD=0", !f && r == 1, "fault %d", f);
    write_cr4(read_cr4() | 0x4);
    f = metal_run_user(u_rdtsc, 0, 0x202, &r);
    write_cr4(read_cr4() & ~0x4ull);
    metal_check("#GP(0): rdtsc at CPL3 with CR4.TSD=1",
                f && metal_trap_rec.vector == EXC_GP && metal_trap_rec.error == 0,
                "fault %d vector %lu", f, metal_trap_rec.vector);
}

static void test_cpuid(void)
{
    u32 r[4];

    cpuid(0, 0, r);
    metal_check("cpuid 0: max leaf >= 1, vendor set", r[0] >= 1 && r[1] && r[2] && r[3], "eax 0x%x",
                r[0]);
    cpuid(1, 0, r);
    metal_check("cpuid 1: FPU TSC MSR PAE CX8 CMOV FXSR SSE SSE2",
                (r[3] & 0x07008171u) == 0x07008171u, "edx 0x%x", r[3]);
    cpuid(0x80000001, 0, r);
    metal_check("cpuid 0x80000001: SYSCALL NX LM", (r[3] & 0x20100800u) == 0x20100800u, "edx 0x%x",
                r[3]);
}

void test_main(void)
{
    test_efer();
    test_syscall_msrs();
    test_fs_gs();
    test_unknown_msr();
    test_crs();
    test_tsc();
    test_cpuid();
}
