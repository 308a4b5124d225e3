/* SPDX-License-Identifier: MIT */
/*
 * Privilege transitions (Intel SDM vol. 3 ch. 5, 6): IRETQ to CPL3 and back, INT n from CPL3
 * through interrupt and trap gates (stack switch to TSS.RSP0, null SS, 16-byte alignment,
 * IF cleared or kept), IST stacks at any CPL, gate DPL checks (#GP(vector * 8 + 2)),
 * privileged instructions at CPL3 (#GP(0)), IOPL, SYSCALL/SYSRET (vol. 2 SYSCALL, SYSRET;
 * vol. 3 5.8.8) and IRETQ to the same privilege level.
 */
#include "lib/metal.h"

const char metal_test_name[] = "privilege";

/* ---- SYSCALL entry: records the state SYSCALL established, returns with SYSRETQ. ---- */
volatile u64 sys_rcx, sys_r11, sys_rflags, sys_rax, sys_cs, sys_ss, sys_count;
void syscall_entry(void);
__asm__(".text\n"
        ".globl syscall_entry\n"
        "syscall_entry:\n"
        "\tmovq %rcx, sys_rcx(%rip)\n"
        "\tmovq %r11, sys_r11(%rip)\n"
        "\tmovq %rax, sys_rax(%rip)\n"
        "\tpushfq\n"
        "\tpopq sys_rflags(%rip)\n"
        "\tmovq $0, sys_cs(%rip)\n"
        "\tmovw %cs, sys_cs(%rip)\n"
        "\tmovq $0, sys_ss(%rip)\n"
        "\tmovw %ss, sys_ss(%rip)\n"
        "\tincq sys_count(%rip)\n"
        "\taddq $1, %rax\n"
        "\tsysretq\n");

/* ---- handlers that record what delivery produced ---- */
static volatile u64 h_frame, h_rflags_now, h_cs_now, h_ss_now, h_saved_cs, h_saved_ss, h_saved_rsp,
    h_saved_rflags, h_count;

static void record_handler(struct trap_frame *f)
{
    h_frame = (u64)&f->rip;
    h_rflags_now = read_rflags();
    h_cs_now = read_cs();
    h_ss_now = read_ss();
    h_saved_cs = f->cs;
    h_saved_ss = f->ss;
    h_saved_rsp = f->rsp;
    h_saved_rflags = f->rflags;
    h_count++;
}

static void h_clear(void)
{
    h_frame = h_rflags_now = h_cs_now = h_ss_now = h_saved_cs = h_saved_ss = 0;
    h_saved_rsp = h_saved_rflags = h_count = 0;
}

/* ---- code that runs at CPL3 ---- */
static u64 u_read_cs(u64 a)
{
    return read_cs() | ((u64)read_ss() << 16) | ((read_rflags() & 0x3200) << 20);
}

static volatile u64 u_rsp_at_int;

static u64 u_int(u64 vector)
{
    u64 rsp;

    __asm__ volatile("movq %%rsp, %0" : "=r"(rsp));
    u_rsp_at_int = rsp;
    if (vector == 0x80)
        __asm__ volatile("int $0x80" ::: "memory");
    else if (vector == 0x82)
        __asm__ volatile("int $0x82" ::: "memory");
    else if (vector == 0x83)
        __asm__ volatile("int $0x83" ::: "memory");
    else if (vector == 0x84)
        __asm__ volatile("int $0x84" ::: "memory");
    else if (vector == 3)
        __asm__ volatile("int3" ::: "memory");
    return 77;
}

static volatile u64 u_rcx_expect, u_flags_before, u_cs_after, u_ss_after, u_flags_after;

static u64 u_syscall(u64 a)
{
    u64 rax = 0x1234, rcx_expect, fl, cs, ss, fl2;

    __asm__ volatile("pushfq\n\tpopq %[fl]\n\t"
                     "leaq 9f(%%rip), %[rx]\n\t"
                     "syscall\n9:\n\t"
                     "pushfq\n\tpopq %[fl2]\n\t"
                     "movq $0, %[cs]\n\tmovw %%cs, %w[cs]\n\t"
                     "movq $0, %[ss]\n\tmovw %%ss, %w[ss]\n\t"
                     : "+a"(rax), [rx] "=&r"(rcx_expect), [fl] "=&r"(fl), [fl2] "=&r"(fl2),
                       [cs] "=&r"(cs), [ss] "=&r"(ss)
                     :
                     : "rcx", "r11", "memory");
    u_rcx_expect = rcx_expect;
    u_flags_before = fl;
    u_flags_after = fl2;
    u_cs_after = cs;
    u_ss_after = ss;
    return rax;
}

#define USER_OP(name, insn)                                                                        \
    static u64 name(u64 a)                                                                         \
    {                                                                                              \
        __asm__ volatile(insn ::: "memory", "rax", "rcx", "rdx");                                  \
        return 0;                                                                                  \
    }
USER_OP(u_hlt, "hlt")
USER_OP(u_cli, "cli")
USER_OP(u_sti, "sti")
USER_OP(u_mov_cr3, "movq %%cr3, %%rax")
USER_OP(u_mov_to_cr0, "xorl %%eax, %%eax\n\tmovq %%rax, %%cr0")
USER_OP(u_rdmsr, "movl $0xc0000080, %%ecx\n\trdmsr")
USER_OP(u_wrmsr, "movl $0xc0000081, %%ecx\n\txorl %%eax, %%eax\n\txorl %%edx, %%edx\n\twrmsr")
USER_OP(u_lgdt, "subq $16, %%rsp\n\tlgdt (%%rsp)\n\taddq $16, %%rsp")
USER_OP(u_lidt, "subq $16, %%rsp\n\tlidt (%%rsp)\n\taddq $16, %%rsp")
USER_OP(u_ltr, "movl $0x30, %%eax\n\tltr %%ax")
USER_OP(u_invlpg, "invlpg (%%rsp)")
USER_OP(u_swapgs, "swapgs")
USER_OP(u_clts, "clts")
USER_OP(u_wbinvd, "wbinvd")
USER_OP(u_outb, "movb $0x41, %%al\n\toutb %%al, $0x80")
USER_OP(u_inb, "inb $0x80, %%al")
USER_OP(u_sysret, "sysretq")

static void test_iretq_to_user(void)
{
    u64 r = 0;
    int f = metal_run_user(u_read_cs, 0, 0x202, &r);

    metal_check("IRETQ to CPL3: CS=0x2b SS=0x23 IF=1 IOPL=0",
                !f && r == (0x2bull | 0x23ull << 16 | 0x200ull << 20), "fault %d, got 0x%lx", f, r);
    f = metal_run_user(u_read_cs, 0, 0x3202, &r);
    metal_check("IRETQ to CPL3 with IOPL=3", !f && r == (0x2bull | 0x23ull << 16 | 0x3200ull << 20),
                "fault %d, got 0x%lx", f, r);

    /* IRETQ to the same privilege level (Linux's sync_core). */
    {
        u64 done = 0;

        __asm__ volatile("movq %%ss, %%rax\n\tpushq %%rax\n\tpushq %%rsp\n\taddq $8, (%%rsp)\n\t"
                         "pushfq\n\tmovq %%cs, %%rax\n\tpushq %%rax\n\t"
                         "leaq 1f(%%rip), %%rax\n\tpushq %%rax\n\tiretq\n1:\n\tmovq $1, %0"
                         : "=r"(done)
                         :
                         : "rax", "memory");
        metal_check_eq("IRETQ to CPL0 (same level)", done, 1);
    }
}

static void test_int_from_user(void)
{
    u64 r = 0, rsp0 = (u64)(metal_rsp0 + METAL_STACK_BYTES);
    u64 ist2 = (u64)(metal_ist2 + METAL_STACK_BYTES);
    int f;

    metal_set_gate(0x80, 1, 0xe, 3, 0);
    metal_set_handler(0x80, record_handler);
    h_clear();
    f = metal_run_user(u_int, 0x80, 0x202, &r);
    metal_check("INT 0x80 from CPL3 returns to CPL3", !f && r == 77 && h_count == 1,
                "fault %d ret %lu handler ran %lu times", f, r, h_count);
    metal_check_eq("INT 0x80: frame on TSS.RSP0 (RSP0 - 40)", h_frame, rsp0 - 40);
    metal_check("INT 0x80: handler at CPL0 with null SS", h_cs_now == SEL_KCODE && h_ss_now == 0,
                "CS 0x%lx SS 0x%lx", h_cs_now, h_ss_now);
    metal_check("INT 0x80: saved user CS/SS/RSP",
                h_saved_cs == SEL_UCODE && h_saved_ss == SEL_UDATA && h_saved_rsp == u_rsp_at_int,
                "CS 0x%lx SS 0x%lx RSP 0x%lx (user RSP 0x%lx)", h_saved_cs, h_saved_ss, h_saved_rsp,
                u_rsp_at_int);
    metal_check("INT 0x80: interrupt gate clears IF",
                !(h_rflags_now & 0x200) && (h_saved_rflags & 0x200), "RFLAGS now 0x%lx saved 0x%lx",
                h_rflags_now, h_saved_rflags);

    metal_set_gate(0x83, 1, 0xf, 3, 0);
    metal_set_handler(0x83, record_handler);
    h_clear();
    f = metal_run_user(u_int, 0x83, 0x202, &r);
    metal_check("INT 0x83: trap gate keeps IF", !f && h_count == 1 && (h_rflags_now & 0x200),
                "fault %d count %lu RFLAGS 0x%lx", f, h_count, h_rflags_now);

    metal_set_gate(0x82, 1, 0xe, 3, 2);
    metal_set_handler(0x82, record_handler);
    h_clear();
    f = metal_run_user(u_int, 0x82, 0x202, &r);
    metal_check_eq("INT 0x82 from CPL3: frame on IST2", h_frame, ist2 - 40);
    h_clear();
    __asm__ volatile("int $0x82" ::: "memory");
    metal_check_eq("INT 0x82 from CPL0: frame on IST2", h_frame, ist2 - 40);
    metal_check_eq("INT 0x82 from CPL0: saved SS is the kernel's", h_saved_ss, SEL_KDATA);

    /* Without IST at the same CPL: the stack is aligned to 16 before the push (SDM 6.14.2). */
    metal_set_handler(0x85, record_handler);
    h_clear();
    {
        u64 rsp_before;

        __asm__ volatile("subq $8, %%rsp\n\tmovq %%rsp, %0\n\tint $0x85\n\taddq $8, %%rsp"
                         : "=r"(rsp_before)
                         :
                         : "memory");
        metal_check("INT from CPL0 on a misaligned stack: aligned frame, RSP saved",
                    h_frame == ((rsp_before & ~15ull) - 40) && h_saved_rsp == rsp_before,
                    "frame 0x%lx saved RSP 0x%lx RSP 0x%lx", h_frame, h_saved_rsp, rsp_before);
    }

    /* Gate DPL below CPL: #GP(vector * 8 + 2) (SDM 6.12.1.1). */
    f = metal_run_user(u_int, 0x84, 0x202, &r);
    metal_check("INT 0x84 (DPL0 gate) from CPL3: #GP(0x422)",
                f && metal_trap_rec.vector == EXC_GP &&
                    metal_trap_rec.error == (metal_is_qemu() ? 0x84 * 16 + 2 : 0x84 * 8 + 2),
                "fault %d vector %lu error 0x%lx", f, metal_trap_rec.vector, metal_trap_rec.error);
    f = metal_run_user(u_int, 3, 0x202, &r);
    metal_check("INT3 (DPL0 gate) from CPL3: #GP(0x1a)",
                f && metal_trap_rec.vector == EXC_GP &&
                    metal_trap_rec.error == (metal_is_qemu() ? 3 * 16 + 2 : 3 * 8 + 2),
                "fault %d vector %lu error 0x%lx", f, metal_trap_rec.vector, metal_trap_rec.error);
    metal_set_gate(EXC_BP, 1, 0xe, 3, 0);
    f = metal_run_user(u_int, 3, 0x202, &r);
    metal_check("INT3 (DPL3 gate) from CPL3: #BP with RIP after it",
                f && metal_trap_rec.vector == EXC_BP && (metal_trap_rec.cs & 3) == 3,
                "fault %d vector %lu", f, metal_trap_rec.vector);
    metal_set_gate(EXC_BP, 1, 0xe, 0, 0);
}

static void check_user_gp(const char *name, u64 (*fn)(u64), u64 rflags)
{
    u64 r;
    int f = metal_run_user(fn, 0, rflags, &r);

    metal_check(name, f && metal_trap_rec.vector == EXC_GP && metal_trap_rec.error == 0,
                "%s, vector %lu error 0x%lx", f ? "fault" : "no fault", metal_trap_rec.vector,
                metal_trap_rec.error);
}

static void check_user_ok(const char *name, u64 (*fn)(u64), u64 rflags)
{
    u64 r;
    int f = metal_run_user(fn, 0, rflags, &r);

    metal_check(name, !f, "vector %lu error 0x%lx", metal_trap_rec.vector, metal_trap_rec.error);
}

static void test_privileged(void)
{
    check_user_gp("#GP(0): hlt at CPL3", u_hlt, 0x202);
    check_user_gp("#GP(0): cli at CPL3, IOPL=0", u_cli, 0x202);
    check_user_gp("#GP(0): sti at CPL3, IOPL=0", u_sti, 0x202);
    check_user_gp("#GP(0): mov r64, cr3 at CPL3", u_mov_cr3, 0x202);
    check_user_gp("#GP(0): mov cr0, r64 at CPL3", u_mov_to_cr0, 0x202);
    check_user_gp("#GP(0): rdmsr at CPL3", u_rdmsr, 0x202);
    check_user_gp("#GP(0): wrmsr at CPL3", u_wrmsr, 0x202);
    check_user_gp("#GP(0): lgdt at CPL3", u_lgdt, 0x202);
    check_user_gp("#GP(0): lidt at CPL3", u_lidt, 0x202);
    check_user_gp("#GP(0): ltr at CPL3", u_ltr, 0x202);
    check_user_gp("#GP(0): invlpg at CPL3", u_invlpg, 0x202);
    check_user_gp("#GP(0): swapgs at CPL3", u_swapgs, 0x202);
    check_user_gp("#GP(0): clts at CPL3", u_clts, 0x202);
    check_user_gp("#GP(0): wbinvd at CPL3", u_wbinvd, 0x202);
    check_user_gp("#GP(0): sysret at CPL3", u_sysret, 0x202);
    check_user_gp("#GP(0): out imm8, al at CPL3, IOPL=0, no I/O bitmap", u_outb, 0x202);
    check_user_gp("#GP(0): in al, imm8 at CPL3, IOPL=0, no I/O bitmap", u_inb, 0x202);
    check_user_ok("out imm8, al at CPL3 with IOPL=3", u_outb, 0x3202);
    check_user_ok("cli at CPL3 with IOPL=3", u_cli, 0x3202);
}

static void test_syscall(void)
{
    u64 r = 0;
    int f;

    wrmsr(MSR_STAR, (0x1bull << 48) | (0x08ull << 32));
    wrmsr(MSR_LSTAR, (u64)syscall_entry);
    wrmsr(MSR_SFMASK, 0x47700);
    sys_count = 0;
    f = metal_run_user(u_syscall, 0, 0x202, &r);
    metal_check("SYSCALL/SYSRET round trip", !f && sys_count == 1 && r == 0x1235,
                "fault %d (vector %lu) entries %lu rax 0x%lx", f, metal_trap_rec.vector, sys_count,
                r);
    metal_check_eq("SYSCALL: RCX = return RIP", sys_rcx, u_rcx_expect);
    metal_check_eq("SYSCALL: R11 = RFLAGS", sys_r11, u_flags_before);
    metal_check("SYSCALL: CS=0x08 SS=0x10 from STAR", sys_cs == SEL_KCODE && sys_ss == SEL_KDATA,
                "CS 0x%lx SS 0x%lx", sys_cs, sys_ss);
    metal_check("SYSCALL: RFLAGS masked by SFMASK", (sys_rflags & 0x47700) == 0 && (sys_rflags & 2),
                "RFLAGS 0x%lx", sys_rflags);
    metal_check("SYSRET: CS=0x2b SS=0x23", u_cs_after == SEL_UCODE && u_ss_after == SEL_UDATA,
                "CS 0x%lx SS 0x%lx", u_cs_after, u_ss_after);
    metal_check("SYSRET: RFLAGS from R11",
                (u_flags_after & 0x3f7fd7) == (u_flags_before & 0x3f7fd7),
                "before 0x%lx after 0x%lx", u_flags_before, u_flags_after);

    wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~1ull);
    f = metal_run_user(u_syscall, 0, 0x202, &r);
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1ull);
    metal_check("#UD: syscall with EFER.SCE=0", f && metal_trap_rec.vector == EXC_UD,
                "fault %d vector %lu", f, metal_trap_rec.vector);
}

void test_main(void)
{
    test_iretq_to_user();
    test_int_from_user();
    test_privileged();
    test_syscall();
}
