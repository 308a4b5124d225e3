/* SPDX-License-Identifier: MIT */
/*
 * System instructions in 64-bit mode, each checked for its exact architectural effect (Intel
 * SDM vol. 2 CLI, STI, HLT, RDTSC, CPUID, RDMSR/WRMSR, MOV CR, MOV DR, LGDT/LIDT, SGDT/SIDT,
 * LLDT, LTR, WBINVD, INVLPG, IRET, RET far, CALL far, RSM; vol. 3 2.5 control registers,
 * 5.9 privileged instructions, 7.2.1 TSS, 17.2 debug registers): register and flag results,
 * values read back, table loads seen by later segment loads and interrupts, stack frames of
 * far transfers (also into compatibility mode), and the exceptions with their error codes.
 */
#include "lib/metal.h"

const char metal_test_name[] = "sysinsn";

#define S_DATA   (GDT_TEST + 0) /* 0x40: data RW, DPL0 */
#define S_CODE32 (GDT_TEST + 1) /* 0x48: 32-bit code, DPL0 (compatibility mode) */
#define S_LDT    (GDT_TEST + 2) /* 0x50: LDT (16-byte descriptor) */
#define S_TSS2   (GDT_TEST + 4) /* 0x60: a second 64-bit TSS (16 bytes) */
#define S_TSS_NP (GDT_TEST + 6) /* 0x70: a TSS descriptor that is not present */
#define SEL(i)   ((u16)((i)*8))

/* A system descriptor of 16 bytes (SDM vol. 3 8.2.3): LDT type 2, TSS type 9. */
static void set_sys_desc(unsigned slot, u64 base, u32 limit, u8 type_attr)
{
    metal_gdt_set(slot, (limit & 0xffff) | ((base & 0xffffff) << 16) | ((u64)type_attr << 40) |
                            ((u64)((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56));
    metal_gdt_set(slot + 1, base >> 32);
}

/* ---------------------------------------------------------------------------------------- */
/* Code at CPL3 (labels mark the instructions expected to fault).                           */

u64 u_cli_fl(u64), u_sti_fl(u64), u_hlt(u64), u_mov_dr7(u64), u_mov_to_dr0(u64), u_sgdt(u64);
u64 u_int86(u64);
extern char u_cli_insn[], u_sti_insn[], u_hlt_insn[], u_dr7_insn[], u_dr0_insn[];
__asm__(".text\n"
        "u_cli_fl:\n"
        "u_cli_insn: cli\n\tpushfq\n\tpopq %rax\n\tret\n"
        "u_sti_fl:\n"
        "u_sti_insn: sti\n\tpushfq\n\tpopq %rax\n\tret\n"
        "u_hlt:\n"
        "u_hlt_insn: hlt\n\txorl %eax, %eax\n\tret\n"
        "u_mov_dr7:\n"
        "u_dr7_insn: movq %db7, %rax\n\tret\n"
        "u_mov_to_dr0:\n"
        "u_dr0_insn: movq %rdi, %db0\n\txorl %eax, %eax\n\tret\n"
        "u_sgdt:\n\tsgdt (%rdi)\n\txorl %eax, %eax\n\tret\n"
        "u_int86:\n\tint $0x86\n\tmovl $86, %eax\n\tret\n");

static void check_user_fault(const char *name, u64 (*fn)(u64), u64 arg, u64 rflags, u64 vector,
                             u64 error, const void *rip)
{
    u64 r = 0;
    int f = metal_run_user(fn, arg, rflags, &r);

    metal_check(name,
                f && metal_trap_rec.vector == vector && metal_trap_rec.error == error &&
                    metal_trap_rec.rip == (u64)rip && (metal_trap_rec.cs & 3) == 3,
                "%s, vector %lu error 0x%lx at 0x%lx (expected at 0x%lx)", f ? "fault" : "no fault",
                metal_trap_rec.vector, metal_trap_rec.error, metal_trap_rec.rip, (u64)rip);
}

/* ---------------------------------------------------------------------------------------- */
/* CLI, STI, HLT                                                                             */

static void test_cli_sti_hlt(void)
{
    u64 before, after_sti, after_cli, r = 0;
    int f;

    /* Arithmetic flags and DF must survive: set CF, ZF, DF and compare everything but IF. */
    __asm__ volatile("stc\n\tstd\n\tpushfq\n\tpopq %0\n\t"
                     "sti\n\tpushfq\n\tpopq %1\n\t"
                     "cli\n\tpushfq\n\tpopq %2\n\tcld"
                     : "=&r"(before), "=&r"(after_sti), "=&r"(after_cli)
                     :
                     : "cc", "memory");
    metal_check_eq("sti at CPL0: IF=1, other flags kept", after_sti, before | 0x200);
    metal_check_eq("cli at CPL0: IF=0, other flags kept", after_cli, before & ~0x200ull);

    f = metal_run_user(u_cli_fl, 0, 0x3202, &r);
    metal_check("cli at CPL3 with IOPL=3: IF=0", !f && (r & 0x3200) == 0x3000,
                "fault %d RFLAGS 0x%lx", f, r);
    f = metal_run_user(u_sti_fl, 0, 0x3002, &r);
    metal_check("sti at CPL3 with IOPL=3: IF=1", !f && (r & 0x3200) == 0x3200,
                "fault %d RFLAGS 0x%lx", f, r);
    check_user_fault("#GP(0): cli at CPL3 with IOPL=2", u_cli_fl, 0, 0x2202, EXC_GP, 0, u_cli_insn);
    check_user_fault("#GP(0): sti at CPL3 with IOPL=0", u_sti_fl, 0, 0x0002, EXC_GP, 0, u_sti_insn);
    check_user_fault("#GP(0): hlt at CPL3, RIP at the hlt", u_hlt, 0, 0x3202, EXC_GP, 0,
                     u_hlt_insn);
}

/* ---------------------------------------------------------------------------------------- */
/* RDTSC, CPUID, RDMSR, WRMSR: 32-bit results zero-extended, 32-bit inputs                  */

static void test_rdtsc_cpuid_msr(void)
{
    u64 a, d, b, c, t0;
    u32 r0[4];

    a = 0xffffffff00000000ull, d = 0xffffffff00000000ull;
    __asm__ volatile("rdtsc" : "+a"(a), "+d"(d));
    metal_check("rdtsc: upper halves of RAX and RDX cleared", (a >> 32) == 0 && (d >> 32) == 0,
                "RAX 0x%lx RDX 0x%lx", a, d);

    /* QEMU TCG stores IA32_TSC writes but its RDTSC does not use them. */
    if (!metal_qemu_lacks("rdtsc after wrmsr IA32_TSC := 0x123400000000")) {
        wrmsr(MSR_TSC, 0x0000123400000000ull);
        t0 = rdtsc();
        metal_check("rdtsc after wrmsr IA32_TSC := 0x123400000000",
                    t0 >= 0x0000123400000000ull && t0 - 0x0000123400000000ull < (1ull << 32),
                    "got 0x%lx", t0);
    }
    t0 = rdtsc();
    write_cr4(read_cr4() | 0x4); /* TSD restricts CPL > 0 only */
    a = rdtsc();
    write_cr4(read_cr4() & ~0x4ull);
    metal_check("rdtsc at CPL0 with CR4.TSD=1", a > t0, "0x%lx then 0x%lx", t0, a);

    cpuid(0, 0, r0);
    a = 0xdeadbeef00000000ull, b = ~0ull, c = 0xffffffff00000000ull, d = ~0ull;
    __asm__ volatile("cpuid" : "+a"(a), "+b"(b), "+c"(c), "+d"(d));
    metal_check("cpuid: leaf from EAX only, results zero-extended",
                a == r0[0] && b == r0[1] && c == r0[2] && d == r0[3],
                "got %lx %lx %lx %lx, expected %x %x %x %x", a, b, c, d, r0[0], r0[1], r0[2],
                r0[3]);

    /* WRMSR takes EDX:EAX (the upper halves are ignored); RDMSR zero-extends. */
    a = 0xdeadbeef12345678ull, d = 0xcafebabe00007fffull;
    __asm__ volatile("wrmsr" ::"a"(a), "d"(d), "c"(MSR_KERNEL_GS) : "memory");
    a = d = ~0ull;
    __asm__ volatile("rdmsr" : "+a"(a), "+d"(d) : "c"(MSR_KERNEL_GS));
    metal_check("wrmsr/rdmsr: EDX:EAX, upper halves ignored and cleared",
                a == 0x12345678ull && d == 0x7fffull, "RAX 0x%lx RDX 0x%lx", a, d);
    wrmsr(MSR_KERNEL_GS, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* MOV CR                                                                                    */

#define TRY_READ_CR(n, out)                                                                        \
    do {                                                                                           \
        metal_trap_clear();                                                                        \
        __asm__ volatile(METAL_TRY_BEGIN "movq %%cr" #n ", %0" METAL_TRY_END                       \
                         : "=r"(out)                                                               \
                         :                                                                         \
                         : "r11", "memory");                                                       \
    } while (0)

static void test_mov_cr(void)
{
    u64 cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4(), v = 0;

    write_cr0(cr0 & ~0x10000ull); /* WP off */
    metal_check_eq("mov cr0: WP cleared reads back", read_cr0(), cr0 & ~0x10000ull);
    write_cr0(cr0 | 0x40008); /* AM, TS */
    metal_check_eq("mov cr0: AM and TS set read back", read_cr0(), cr0 | 0x40008);
    __asm__ volatile("clts");
    metal_check_eq("clts clears CR0.TS only", read_cr0(), cr0 | 0x40000);
    write_cr0(cr0);
    metal_check_eq("mov cr0: restored", read_cr0(), cr0);

    write_cr4(cr4 | 0x188); /* DE, PGE, PCE */
    metal_check_eq("mov cr4: DE, PGE, PCE read back", read_cr4(), cr4 | 0x188);
    write_cr4(cr4);
    metal_check_eq("mov cr4: restored", read_cr4(), cr4);

    write_cr3(cr3 | 0x18); /* PWT, PCD */
    metal_check_eq("mov cr3: PWT and PCD read back", read_cr3(), cr3 | 0x18);
    write_cr3(cr3);

    write_cr2(0x123456789abcull);
    metal_check_eq("mov cr2, r64 reads back", read_cr2(), 0x123456789abcull);
    write_cr2(0xffff800000001000ull);
    metal_check_eq("mov cr2: any 64-bit value", read_cr2(), 0xffff800000001000ull);

    __asm__ volatile("movq %0, %%cr8" ::"r"(0xaull));
    __asm__ volatile("movq %%cr8, %0" : "=r"(v));
    metal_check_eq("mov cr8 (TPR) reads back", v, 0xa);
    if (!metal_qemu_lacks("#GP(0): mov cr8 with bit 4 set")) {
        metal_trap_clear();
        __asm__ volatile(METAL_TRY_BEGIN "movq %0, %%cr8" METAL_TRY_END
                         :
                         : "r"(0x10ull)
                         : "r11", "memory");
        metal_check_trap("#GP(0): mov cr8 with bit 4 set", EXC_GP, 0);
    }
    __asm__ volatile("movq %0, %%cr8" ::"r"(0ull));

    TRY_READ_CR(1, v);
    metal_check_trap("#UD: mov r64, cr1", EXC_UD, NO_ERR);
    TRY_READ_CR(5, v);
    metal_check_trap("#UD: mov r64, cr5", EXC_UD, NO_ERR);
    TRY_READ_CR(9, v);
    metal_check_trap("#UD: mov r64, cr9", EXC_UD, NO_ERR);
}

/* ---------------------------------------------------------------------------------------- */
/* MOV DR                                                                                    */

#define DR_RW(n)                                                                                   \
    static u64 dr##n##_rw(u64 v)                                                                   \
    {                                                                                              \
        u64 r;                                                                                     \
        __asm__ volatile("movq %1, %%db" #n "\n\tmovq %%db" #n ", %0" : "=r"(r) : "r"(v));         \
        return r;                                                                                  \
    }
DR_RW(0)
DR_RW(1)
DR_RW(2)
DR_RW(3)
DR_RW(6)
DR_RW(7)

static u64 read_dr(int n)
{
    u64 v = 0;

    if (n == 0)
        __asm__ volatile("movq %%db0, %0" : "=r"(v));
    else if (n == 4)
        __asm__ volatile("movq %%db4, %0" : "=r"(v));
    else if (n == 6)
        __asm__ volatile("movq %%db6, %0" : "=r"(v));
    else
        __asm__ volatile("movq %%db7, %0" : "=r"(v));
    return v;
}

static void test_mov_dr(void)
{
    u64 v = 0;

    metal_check_eq("mov dr0, r64 reads back", dr0_rw(0xffffffff81000000ull), 0xffffffff81000000ull);
    metal_check_eq("mov dr1, r64 reads back", dr1_rw(0x0000123456789ab0ull), 0x0000123456789ab0ull);
    metal_check_eq("mov dr2, r64 reads back", dr2_rw(0x1000), 0x1000);
    metal_check_eq("mov dr3, r64 reads back", dr3_rw(0x7ffffffff000ull), 0x7ffffffff000ull);
    metal_check_eq("mov dr6, 0: reserved bits read as 1", dr6_rw(0), 0xffff0ff0ull);
    metal_check_eq("mov dr6: B0-B3 BD BS BT read back", dr6_rw(0xe00f), 0xffffefffull);
    metal_check_eq("mov dr7, 0: bit 10 reads as 1", dr7_rw(0), 0x400);
    metal_check_eq("mov dr7: LE GE RW/LEN fields read back", dr7_rw(0xffff0300ull), 0xffff0700ull);

    /* DR4/DR5 alias DR6/DR7 while CR4.DE = 0, and raise #UD once it is set (SDM 17.2.2). */
    dr6_rw(0x1);
    metal_check_eq("mov r64, dr4 with CR4.DE=0 reads DR6", read_dr(4), 0xffff0ff1ull);
    __asm__ volatile("movq %0, %%db5" ::"r"(0x100ull));
    metal_check_eq("mov dr5, r64 with CR4.DE=0 writes DR7", read_dr(7), 0x500);
    write_cr4(read_cr4() | 0x8);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq %%db4, %0" METAL_TRY_END : "=r"(v) : : "r11", "memory");
    metal_check_trap("#UD: mov r64, dr4 with CR4.DE=1", EXC_UD, NO_ERR);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq %0, %%db5" METAL_TRY_END
                     :
                     : "r"(0ull)
                     : "r11", "memory");
    metal_check_trap("#UD: mov dr5, r64 with CR4.DE=1", EXC_UD, NO_ERR);
    write_cr4(read_cr4() & ~0x8ull);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq %0, %%db7" METAL_TRY_END
                     :
                     : "r"(1ull << 32)
                     : "r11", "memory");
    metal_check_trap("#GP(0): mov dr7 with bit 32 set", EXC_GP, 0);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movq %0, %%db6" METAL_TRY_END
                     :
                     : "r"(1ull << 63)
                     : "r11", "memory");
    metal_check_trap("#GP(0): mov dr6 with bit 63 set", EXC_GP, 0);
    metal_check_eq("DR7 unchanged by the faulting writes", read_dr(7), 0x500);
    dr7_rw(0);
    dr6_rw(0);
    dr0_rw(0x2000);
    check_user_fault("#GP(0): mov r64, dr7 at CPL3", u_mov_dr7, 0, 0x202, EXC_GP, 0, u_dr7_insn);
    check_user_fault("#GP(0): mov dr0, r64 at CPL3", u_mov_to_dr0, 0, 0x202, EXC_GP, 0, u_dr0_insn);
    metal_check_eq("DR0 unchanged by the CPL3 write", read_dr(0), 0x2000);
}

/* ---------------------------------------------------------------------------------------- */
/* LGDT, LIDT, SGDT, SIDT                                                                    */

struct __attribute__((packed)) dtr {
    u16 limit;
    u64 base;
    u8 tail[6];
};

static u64 gdt2[GDT_SLOTS] __attribute__((aligned(16)));
static u8 idt2[256 * 16] __attribute__((aligned(16)));
static volatile u64 h_vector, h_count;

static void vec_handler(struct trap_frame *f)
{
    h_vector = f->vector;
    h_count++;
}

static void load_ds(u16 sel)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movw %w0, %%ds" METAL_TRY_END : : "r"(sel) : "r11", "memory");
    __asm__ volatile("movw %w0, %%ds" ::"r"((u16)SEL_KDATA));
}

static int dtr_tail_intact(const struct dtr *d)
{
    for (unsigned k = 0; k < sizeof(d->tail); k++)
        if (d->tail[k] != 0xaa)
            return 0;
    return 1;
}

static void test_descriptor_tables(void)
{
    struct dtr g0, g1, i0, i1, u;
    struct __attribute__((packed)) {
        u16 limit;
        u64 base;
    } p;
    u64 r = 0;
    int f;

    __builtin_memset(&g0, 0xaa, sizeof(g0));
    __asm__ volatile("sgdt %0" : "+m"(g0));
    metal_check("sgdt m: 2-byte limit and 8-byte base, nothing more",
                g0.limit == sizeof(metal_gdt) - 1 && g0.base == (u64)metal_gdt &&
                    dtr_tail_intact(&g0),
                "limit 0x%x base 0x%lx", g0.limit, g0.base);

    /* A copy of the GDT whose slot S_DATA is not present: loads must use the new table. */
    for (unsigned k = 0; k < GDT_SLOTS; k++)
        gdt2[k] = metal_gdt[k];
    gdt2[S_DATA] &= ~(1ull << 47);
    p.limit = (u16)(sizeof(gdt2) - 1);
    p.base = (u64)gdt2;
    __builtin_memset(&g1, 0xaa, sizeof(g1));
    __builtin_memset(&i1, 0xaa, sizeof(i1));
    __asm__ volatile("lgdt %0" ::"m"(p) : "memory");
    __asm__ volatile("sgdt %0" : "+m"(g1));
    load_ds(SEL(S_DATA));
    __asm__ volatile("lgdt %0" ::"m"(g0) : "memory");
    metal_check("lgdt m: sgdt returns the new table",
                g1.limit == sizeof(gdt2) - 1 && g1.base == (u64)gdt2, "limit 0x%x base 0x%lx",
                g1.limit, g1.base);
    metal_check_trap("lgdt m: mov ds reads the new table (#NP(0x40))", EXC_NP, SEL(S_DATA));
    load_ds(SEL(S_DATA));
    metal_check_no_trap("lgdt m back: mov ds reads the old table");

    /* In 64-bit mode LGDT ignores the operand size: 66 still loads the 8-byte base. */
    __asm__ volatile(".byte 0x66\n\tlgdt %0" ::"m"(p) : "memory");
    __asm__ volatile("sgdt %0" : "+m"(g1));
    __asm__ volatile("lgdt %0" ::"m"(g0) : "memory");
    metal_check_eq("lgdt m with 66: still a 64-bit base", g1.base, (u64)gdt2);

    /* SGDT is not privileged (CR4.UMIP = 0). */
    __builtin_memset(&u, 0xaa, sizeof(u));
    f = metal_run_user(u_sgdt, (u64)&u, 0x202, &r);
    metal_check("sgdt m at CPL3", !f && u.limit == g0.limit && u.base == g0.base,
                "fault %d limit 0x%x base 0x%lx", f, u.limit, u.base);

    /* A copy of the IDT where vector 0x90 goes through the stub of vector 0x91. */
    __builtin_memset(&i0, 0xaa, sizeof(i0));
    __asm__ volatile("sidt %0" : "+m"(i0));
    metal_check("sidt m: limit 0xfff, 8-byte base", i0.limit == 0xfff && dtr_tail_intact(&i0),
                "limit 0x%x", i0.limit);
    for (unsigned k = 0; k < sizeof(idt2); k++)
        idt2[k] = ((const u8 *)i0.base)[k];
    for (unsigned k = 0; k < 16; k++)
        idt2[0x90 * 16 + k] = idt2[0x91 * 16 + k];
    metal_set_handler(0x90, vec_handler);
    metal_set_handler(0x91, vec_handler);
    p.limit = 0xfff;
    p.base = (u64)idt2;
    __asm__ volatile("lidt %0" ::"m"(p) : "memory");
    __asm__ volatile("sidt %0" : "+m"(i1));
    h_vector = 0, h_count = 0;
    __asm__ volatile("int $0x90" ::: "memory");
    __asm__ volatile("lidt %0" ::"m"(i0) : "memory");
    metal_check("lidt m: sidt returns the new table", i1.limit == 0xfff && i1.base == (u64)idt2,
                "limit 0x%x base 0x%lx", i1.limit, i1.base);
    metal_check("lidt m: int 0x90 delivered through the new table",
                h_count == 1 && h_vector == 0x91, "%lu deliveries, vector 0x%lx", h_count,
                h_vector);
    h_vector = 0, h_count = 0;
    __asm__ volatile("int $0x90" ::: "memory");
    metal_check("lidt m back: int 0x90 through the old table", h_count == 1 && h_vector == 0x90,
                "%lu deliveries, vector 0x%lx", h_count, h_vector);
    metal_set_handler(0x90, 0);
    metal_set_handler(0x91, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* LLDT, LTR                                                                                 */

static u64 ldt[4] __attribute__((aligned(16))) = {
    0,
    0x00cf92000000ffffull, /* 0x0c: data RW, DPL0 */
    0x00cf12000000ffffull, /* 0x14: data RW, not present */
    0,
};
static struct tss64 tss2 __attribute__((aligned(16)));
static u8 tss2_stack[4096] __attribute__((aligned(16)));
static volatile u64 h_frame;

static void frame_handler(struct trap_frame *f)
{
    h_frame = (u64)&f->rip;
    h_count++;
}

static void test_lldt_ltr(void)
{
    u16 sel = 0xffff;
    u64 v = 0, zf = 0, r = 0;
    int f;

    set_sys_desc(S_LDT, (u64)ldt, sizeof(ldt) - 1, 0x82);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "lldt %w0" METAL_TRY_END
                     :
                     : "r"(SEL(S_LDT))
                     : "r11", "memory");
    metal_check_no_trap("lldt r16: LDT descriptor");
    __asm__ volatile("sldt %0" : "=r"(sel));
    metal_check_eq("lldt r16: sldt returns the selector", sel, SEL(S_LDT));
    load_ds(0x0c);
    metal_check_no_trap("lldt r16: mov ds, LDT selector 0x0c");
    __asm__ volatile("larq %2, %0\n\tsetz %b1\n\tmovzbl %b1, %k1"
                     : "=&r"(v), "=&r"(zf)
                     : "r"((u64)0x0c));
    metal_check("lldt r16: lar of LDT entry 1 (accessed by the load)",
                zf == 1 && v == 0x00c09300ull, "ZF %lu value 0x%lx", zf, v);
    metal_check_eq("lldt r16: the load set the accessed bit in the LDT", ldt[1],
                   0x00cf93000000ffffull);
    load_ds(0x14);
    metal_check_trap("lldt r16: #NP(0x14) for a not-present LDT entry", EXC_NP, 0x14);
    load_ds(0x1c);
    metal_check_trap("lldt r16: #GP(0x1c) for a zero LDT entry", EXC_GP, 0x1c);
    load_ds(0x24);
    metal_check_trap("lldt r16: #GP(0x24) beyond the LDT limit", EXC_GP, 0x24);
    __asm__ volatile("lldt %w0" ::"r"((u16)0));
    load_ds(0x0c);
    metal_check_trap("lldt 0: #GP(0xc) for an LDT selector", EXC_GP, 0x0c);

    /* LTR: a second TSS with its own RSP0; it becomes busy and interrupts from CPL3 use it. */
    tss2 = metal_tss;
    tss2.rsp[0] = (u64)(tss2_stack + sizeof(tss2_stack));
    set_sys_desc(S_TSS2, (u64)&tss2, sizeof(tss2) - 1, 0x89);
    set_sys_desc(S_TSS_NP, (u64)&tss2, sizeof(tss2) - 1, 0x09);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "ltr %w0" METAL_TRY_END
                     :
                     : "r"(SEL(S_TSS_NP))
                     : "r11", "memory");
    metal_check_trap("#NP(0x70): ltr with a not-present TSS", EXC_NP, SEL(S_TSS_NP));
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "ltr %w0" METAL_TRY_END
                     :
                     : "r"(SEL(S_TSS2))
                     : "r11", "memory");
    metal_check_no_trap("ltr r16: available TSS");
    metal_check_eq("ltr r16: descriptor type becomes busy (0xb)", (metal_gdt[S_TSS2] >> 40) & 0xf,
                   0xb);
    __asm__ volatile("str %0" : "=r"(sel));
    metal_check_eq("ltr r16: str returns the selector", sel, SEL(S_TSS2));
    metal_set_gate(0x86, 1, 0xe, 3, 0);
    metal_set_handler(0x86, frame_handler);
    h_frame = 0, h_count = 0;
    f = metal_run_user(u_int86, 0, 0x202, &r);
    metal_check("ltr r16: INT from CPL3 switches to the new TSS.RSP0",
                !f && r == 86 && h_count == 1 &&
                    h_frame == (u64)(tss2_stack + sizeof(tss2_stack)) - 40,
                "fault %d count %lu frame 0x%lx", f, h_count, h_frame);
    /* Back to the runtime's TSS: clear its busy bit first (LTR of a busy TSS is #GP). */
    metal_gdt[SEL_TSS / 8] &= ~(2ull << 40);
    __asm__ volatile("ltr %w0" ::"r"((u16)SEL_TSS) : "memory");
    h_frame = 0, h_count = 0;
    f = metal_run_user(u_int86, 0, 0x202, &r);
    metal_check("ltr r16 back: INT from CPL3 uses the old TSS.RSP0",
                !f && h_count == 1 && h_frame == (u64)(metal_rsp0 + METAL_STACK_BYTES) - 40,
                "fault %d count %lu frame 0x%lx", f, h_count, h_frame);
    metal_set_handler(0x86, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* WBINVD, INVLPG, RSM                                                                       */

static void test_cache_tlb_rsm(void)
{
    volatile u64 x = 0x5a5a5a5a12345678ull;
    u64 fl0, fl1;

    __asm__ volatile("pushfq\n\tpopq %0\n\twbinvd\n\tpushfq\n\tpopq %1"
                     : "=&r"(fl0), "=&r"(fl1)
                     :
                     : "memory");
    metal_check("wbinvd at CPL0: memory and flags unchanged",
                x == 0x5a5a5a5a12345678ull && fl0 == fl1, "memory 0x%lx RFLAGS 0x%lx -> 0x%lx", x,
                fl0, fl1);

    /* INVLPG never faults: not-present and non-canonical addresses are no-ops (SDM INVLPG). */
    *metal_pte(TEST_WINDOW + 4096) = 0;
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "invlpg (%0)" METAL_TRY_END
                     :
                     : "r"(TEST_WINDOW + 4096)
                     : "r11", "memory");
    metal_check_no_trap("invlpg m8 of a not-present page: no #PF");
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "invlpg (%0)" METAL_TRY_END
                     :
                     : "r"(0x8000000000000000ull)
                     : "r11", "memory");
    metal_check_no_trap("invlpg m8 of a non-canonical address: no #GP");
    *metal_pte(TEST_WINDOW + 4096) = metal_window_frame(1) | PTE_P | PTE_W | PTE_U;
    invlpg(TEST_WINDOW + 4096);

    /* The 4 KiB window page 2 first maps frame 2, then frame 3: INVLPG makes the change seen. */
    *(volatile u64 *)metal_window_frame(2) = 0x2222;
    *(volatile u64 *)metal_window_frame(3) = 0x3333;
    metal_check_eq("window page 2 maps frame 2", *(volatile u64 *)(TEST_WINDOW + 2 * 4096), 0x2222);
    *metal_pte(TEST_WINDOW + 2 * 4096) = metal_window_frame(3) | PTE_P | PTE_W | PTE_U;
    invlpg(TEST_WINDOW + 2 * 4096);
    metal_check_eq("invlpg m8: the new translation is used",
                   *(volatile u64 *)(TEST_WINDOW + 2 * 4096), 0x3333);
    *metal_pte(TEST_WINDOW + 2 * 4096) = metal_window_frame(2) | PTE_P | PTE_W | PTE_U;
    invlpg(TEST_WINDOW + 2 * 4096);

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "rsm" METAL_TRY_END ::: "r11", "memory");
    metal_check_trap("#UD: rsm outside SMM", EXC_UD, NO_ERR);
}

/* ---------------------------------------------------------------------------------------- */
/* IRETQ, far RET, far CALL, compatibility mode                                              */

volatile u64 saved_rsp, far_rsp_at, far_ret0, far_ret1, compat_eax, compat_ret_eip, compat_ret_cs;
void far_target64(void), compat_target(void), compat_iret_target(void), compat_iret_back(void);
__asm__(".text\n"
        /* Called with CALL far m16:64: records the frame, returns with RETFQ. */
        "far_target64:\n"
        "\tmovq %rsp, far_rsp_at(%rip)\n"
        "\tmovq (%rsp), %rax\n\tmovq %rax, far_ret0(%rip)\n"
        "\tmovq 8(%rsp), %rax\n\tmovq %rax, far_ret1(%rip)\n"
        "\tlretq\n"
        /* Compatibility-mode code: 48 is DEC EAX here (REX.W in 64-bit mode). */
        ".code32\n"
        "compat_target:\n"
        "\tmovl $5, %eax\n"
        "\t.byte 0x48\n"
        "\tmovl %eax, compat_eax\n"
        "\tmovl (%esp), %eax\n\tmovl %eax, compat_ret_eip\n"
        "\tmovl 4(%esp), %eax\n\tmovl %eax, compat_ret_cs\n"
        "\tlret\n"
        "compat_iret_target:\n"
        "\tmovl $7, %eax\n"
        "\t.byte 0x48\n"
        "\tmovl %eax, compat_eax\n"
        "\tljmp $0x08, $compat_iret_back\n"
        ".code64\n");

static void test_far_transfers(void)
{
    u64 rsp_after = 0, fl_after = 0, ss_after = 0, rsp0 = 0, ret_label = 0;
    struct __attribute__((packed)) {
        u64 off;
        u16 sel;
    } fp64 = {(u64)far_target64, SEL_KCODE};
    struct __attribute__((packed)) {
        u32 off;
        u16 sel;
    } fp32 = {(u32)(u64)compat_target, SEL(S_CODE32)};

    /* IRETQ at CPL0 loads RIP, CS, RFLAGS, RSP and SS from the frame (SDM IRET, 64-bit). */
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "leaq -512(%%rsp), %%rax\n\tandq $-16, %%rax\n\t"
                     "pushq $0x10\n\tpushq %%rax\n\tpushq $0xcd7\n\tpushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rcx\n\tpushq %%rcx\n\t"
                     "iretq\n"
                     "1:\tmovq %%rsp, %0\n\tpushfq\n\tpopq %1\n\tcld\n\t"
                     "movq %%r12, %%rsp\n\tleaq -512(%%rsp), %2\n\tandq $-16, %2"
                     : "=&r"(rsp_after), "=&r"(fl_after), "=&r"(rsp0)
                     :
                     : "rax", "rcx", "r12", "cc", "memory");
    metal_check("iretq: RSP and RFLAGS from the frame", rsp_after == rsp0 && fl_after == 0xcd7,
                "RSP 0x%lx (expected 0x%lx) RFLAGS 0x%lx", rsp_after, rsp0, fl_after);

    /* Null SS is allowed when IRETQ returns to CPL0 in 64-bit mode. */
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "pushq $0\n\tpushq %%r12\n\tpushfq\n\tpushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rcx\n\tpushq %%rcx\n\t"
                     "iretq\n"
                     "1:\tmovq $0, %0\n\tmovw %%ss, %w0\n\tmovw %w1, %%ss"
                     : "=&r"(ss_after)
                     : "r"((u16)SEL_KDATA)
                     : "rcx", "r12", "memory");
    metal_check_eq("iretq to CPL0 with a null SS", ss_after, 0);

    /* IRETQ into compatibility mode, back with JMP far ptr16:32 (RSP kept in memory: the
     * upper halves of the registers are undefined across compatibility mode). DS must be
     * usable there: the returns from CPL3 left it null (SDM IRET: DPL < CPL -> null). */
    __asm__ volatile("movw %w0, %%ds\n\tmovw %w0, %%es" ::"r"((u16)SEL_KDATA));
    compat_eax = 0;
    __asm__ volatile("movq %%rsp, saved_rsp(%%rip)\n\t"
                     "pushq $0x10\n\tpushq saved_rsp(%%rip)\n\tpushfq\n\tpushq %0\n\t"
                     "pushq $compat_iret_target\n\t"
                     "iretq\n"
                     "compat_iret_back:\n\t"
                     "movq saved_rsp(%%rip), %%rsp"
                     :
                     : "i"((u64)SEL(S_CODE32))
                     : "rax", "memory");
    metal_check_eq("iretq to a 32-bit code segment: 48 is DEC EAX there", compat_eax, 6);

    /* RETFQ pops RIP and CS (8 bytes each) and then imm16 more bytes. */
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "pushq $0x08\n\tleaq 1f(%%rip), %%rax\n\tpushq %%rax\n\t"
                     "lretq\n"
                     "1:\tmovq %%rsp, %0\n\tsubq %%r12, %0\n\t"
                     "subq $32, %%rsp\n\tmovq %%rsp, %%r12\n\t"
                     "pushq $0x08\n\tleaq 2f(%%rip), %%rax\n\tpushq %%rax\n\t"
                     "lretq $32\n"
                     "2:\tmovq %%rsp, %1\n\tsubq %%r12, %1"
                     : "=&r"(far_ret0), "=&r"(far_ret1)
                     :
                     : "rax", "r12", "memory");
    metal_check("retfq: RSP back where it was; retfq 32 adds 32", far_ret0 == 0 && far_ret1 == 32,
                "RSP deltas %ld and %ld", (long)far_ret0, (long)far_ret1);
    /* RETF without REX.W in 64-bit mode: 4-byte EIP and 4-byte CS. */
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "subq $8, %%rsp\n\tleaq 1f(%%rip), %%rax\n\tmovl %%eax, (%%rsp)\n\t"
                     "movl $0x08, 4(%%rsp)\n\t"
                     "lretl\n"
                     "1:\tmovq %%rsp, %0\n\tsubq %%r12, %0"
                     : "=&r"(far_ret0)
                     :
                     : "rax", "r12", "memory");
    metal_check_eq("retf (32-bit operand) in 64-bit mode pops 8 bytes", far_ret0, 0);

    /* CALL far m16:64 pushes CS and RIP as 8-byte values; RETFQ pops them. */
    far_ret0 = far_ret1 = far_rsp_at = 0;
    __asm__ volatile("movq %%rsp, %1\n\t"
                     "rex64 lcall *%3\n"
                     "1:\tleaq 1b(%%rip), %0\n\tmovq %%rsp, %2"
                     : "=&r"(ret_label), "=&r"(rsp0), "=&r"(rsp_after)
                     : "m"(fp64)
                     : "rax", "memory");
    metal_check("lcall m (m16:64): RIP and CS pushed, 8 bytes each",
                far_ret0 == ret_label && far_ret1 == SEL_KCODE && far_rsp_at == rsp0 - 16,
                "pushed RIP 0x%lx CS 0x%lx at 0x%lx (RSP was 0x%lx)", far_ret0, far_ret1,
                far_rsp_at, rsp0);
    metal_check_eq("lcall m (m16:64) + retfq: RSP restored", rsp_after, rsp0);

    /* CALL far m16:32 into a 32-bit code segment: compatibility mode; RETF back. */
    compat_eax = compat_ret_eip = compat_ret_cs = 0;
    __asm__ volatile("lcalll *%1\n"
                     "1:\tleaq 1b(%%rip), %0"
                     : "=&r"(ret_label)
                     : "m"(fp32)
                     : "rax", "memory");
    metal_check_eq("lcall m (m16:32) into compatibility mode: 48 is DEC EAX", compat_eax, 4);
    metal_check("lcall m (m16:32): 4-byte EIP and CS pushed",
                compat_ret_eip == ret_label && compat_ret_cs == SEL_KCODE,
                "pushed EIP 0x%lx CS 0x%lx (expected 0x%lx)", compat_ret_eip, compat_ret_cs,
                ret_label);
    metal_check_eq("back in 64-bit mode: CS", read_cs(), SEL_KCODE);
}

void test_main(void)
{
    metal_gdt_set(S_DATA, 0x00cf92000000ffffull);
    metal_gdt_set(S_CODE32, 0x00cf9a000000ffffull);
    test_cli_sti_hlt();
    test_rdtsc_cpuid_msr();
    test_mov_cr();
    test_mov_dr();
    test_descriptor_tables();
    test_lldt_ltr();
    test_cache_tlb_rsm();
    test_far_transfers();
}
