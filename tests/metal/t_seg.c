/* SPDX-License-Identifier: MIT */
/*
 * Segment-register loads and segment checks in 64-bit mode (Intel SDM vol. 3 3.4, 5.5-5.8;
 * vol. 2 MOV, LAR, LSL, VERR/VERW, LTR, LLDT, JMP/CALL far, IRET): #GP/#NP/#SS with the
 * selector error codes, null selectors, privilege checks at CPL3, far transfers to
 * non-code descriptors.
 */
#include "lib/metal.h"

const char metal_test_name[] = "segments";

#define S_DATA     (GDT_TEST + 0) /* 0x40: data RW, DPL0 */
#define S_DATA_NP  (GDT_TEST + 1) /* 0x48: data RW, not present */
#define S_XONLY    (GDT_TEST + 2) /* 0x50: code execute-only */
#define S_RODATA   (GDT_TEST + 3) /* 0x58: data read-only */
#define S_DATA3_NP (GDT_TEST + 4) /* 0x60: data RW, DPL3, not present */
#define S_CODE_RX  (GDT_TEST + 5) /* 0x68: code execute/read, 32-bit */
#define SEL(i)     ((u16)((i)*8))

static void setup(void)
{
    metal_gdt_set(S_DATA, 0x00cf92000000ffffull);
    metal_gdt_set(S_DATA_NP, 0x00cf12000000ffffull);
    metal_gdt_set(S_XONLY, 0x00cf98000000ffffull);
    metal_gdt_set(S_RODATA, 0x00cf90000000ffffull);
    metal_gdt_set(S_DATA3_NP, 0x00cf72000000ffffull);
    metal_gdt_set(S_CODE_RX, 0x00cf9a000000ffffull);
}

static void load_ds(u16 sel)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movw %w0, %%ds" METAL_TRY_END : : "r"(sel) : "r11", "memory");
    __asm__ volatile("movw %w0, %%ds" ::"r"((u16)SEL_KDATA));
}

static void load_ss(u16 sel)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movw %w0, %%ss" METAL_TRY_END : : "r"(sel) : "r11", "memory");
    __asm__ volatile("movw %w0, %%ss" ::"r"((u16)SEL_KDATA));
}

static void test_loads_cpl0(void)
{
    u16 tmp = SEL(S_DATA);

    load_ds(SEL(S_DATA));
    metal_check_no_trap("mov ds, r16: present RW data");
    load_ds(SEL(S_RODATA));
    metal_check_no_trap("mov ds, r16: read-only data");
    load_ds(SEL(S_CODE_RX));
    metal_check_no_trap("mov ds, r16: readable code");
    load_ds(0);
    metal_check_no_trap("mov ds, r16: null selector");
    load_ds(SEL(S_DATA_NP));
    metal_check_trap("#NP(0x48): mov ds, not-present data", EXC_NP, SEL(S_DATA_NP));
    load_ds(SEL(S_XONLY));
    metal_check_trap("#GP(0x50): mov ds, execute-only code", EXC_GP, SEL(S_XONLY));
    load_ds(SEL_TSS);
    metal_check_trap("#GP(0x30): mov ds, TSS descriptor", EXC_GP, SEL_TSS);
    load_ds(0xf8);
    metal_check_trap("#GP(0xf8): mov ds, beyond the GDT limit", EXC_GP, 0xf8);
    __asm__ volatile("lldt %w0" ::"r"((u16)0)); /* LDTR null: LDT references fault */
    load_ds(0x04);
    metal_check_trap("#GP(0x4): mov ds, LDT selector with a null LDTR", EXC_GP, 0x04);

    load_ss(SEL(S_RODATA));
    metal_check_trap("#GP(0x58): mov ss, read-only data", EXC_GP, SEL(S_RODATA));
    load_ss(SEL(S_DATA_NP));
    metal_check_trap("#SS(0x48): mov ss, not-present data", EXC_SS, SEL(S_DATA_NP));
    load_ss(SEL(S_DATA) | 3);
    metal_check_trap("#GP(0x40): mov ss, RPL 3 at CPL0", EXC_GP, SEL(S_DATA));
    load_ss(SEL(S_CODE_RX));
    metal_check_trap("#GP(0x68): mov ss, code segment", EXC_GP, SEL(S_CODE_RX));
    load_ss(0);
    metal_check_no_trap("mov ss, null selector at CPL0 in 64-bit mode");
    load_ss(SEL(S_DATA));
    metal_check_no_trap("mov ss, r16: present RW data");

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movw %0, %%es" METAL_TRY_END : : "m"(tmp) : "r11", "memory");
    metal_check_no_trap("mov es, m16");
    tmp = SEL(S_DATA_NP);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "movw %0, %%es" METAL_TRY_END : : "m"(tmp) : "r11", "memory");
    metal_check_trap("#NP(0x48): mov es, m16 not present", EXC_NP, SEL(S_DATA_NP));
    __asm__ volatile("movw %w0, %%es" ::"r"((u16)SEL_KDATA));

    metal_trap_clear();
    __asm__ volatile("pushq %%rax\n\t" METAL_TRY_BEGIN "popq %%fs" METAL_TRY_END
                     "\tmovw %w1, %%fs\n"
                     :
                     : "a"((u64)SEL(S_XONLY)), "r"((u16)0)
                     : "r11", "memory");
    metal_check_trap("#GP(0x50): pop fs, execute-only code", EXC_GP, SEL(S_XONLY));
    __asm__ volatile("popq %%rax" ::: "rax");
}

static void test_lar_lsl(void)
{
    u64 v, zf;

    __asm__ volatile("xorl %k0, %k0\n\tlarq %2, %0\n\tsetz %b1\n\tmovzbl %b1, %k1"
                     : "=&r"(v), "=&r"(zf)
                     : "r"((u64)SEL(S_DATA3_NP)));
    metal_check("lar r64, r16: DPL3 data, not present", zf == 1 && v == 0x00c07200ull,
                "ZF %lu value 0x%lx", zf, v);
    __asm__ volatile("xorl %k0, %k0\n\tlarq %2, %0\n\tsetz %b1\n\tmovzbl %b1, %k1"
                     : "=&r"(v), "=&r"(zf)
                     : "r"((u64)SEL_TSS));
    metal_check("lar r64, r16: busy 64-bit TSS", zf == 1 && v == 0x00008b00ull,
                "ZF %lu value 0x%lx", zf, v);
    __asm__ volatile("movq $5, %0\n\tlarq %2, %0\n\tsetz %b1\n\tmovzbl %b1, %k1"
                     : "=&r"(v), "=&r"(zf)
                     : "r"((u64)0xf8));
    metal_check("lar r64, r16: beyond the GDT limit: ZF=0, unchanged", zf == 0 && v == 5,
                "ZF %lu value 0x%lx", zf, v);
    __asm__ volatile("lslq %2, %0\n\tsetz %b1\n\tmovzbl %b1, %k1"
                     : "=&r"(v), "=&r"(zf)
                     : "r"((u64)SEL(S_DATA)));
    metal_check("lsl r64, r16: 4 GiB data", zf == 1 && v == 0xffffffffull, "ZF %lu value 0x%lx", zf,
                v);
    __asm__ volatile("lslq %2, %0\n\tsetz %b1\n\tmovzbl %b1, %k1"
                     : "=&r"(v), "=&r"(zf)
                     : "r"((u64)SEL_TSS));
    metal_check("lsl r64, r16: TSS limit 0x67", zf == 1 && v == 0x67, "ZF %lu value 0x%lx", zf, v);

    __asm__ volatile("verr %w1\n\tsetz %b0\n\tmovzbl %b0, %k0" : "=&r"(zf) : "r"(SEL(S_XONLY)));
    metal_check_eq("verr: execute-only code is not readable", zf, 0);
    __asm__ volatile("verr %w1\n\tsetz %b0\n\tmovzbl %b0, %k0" : "=&r"(zf) : "r"(SEL(S_CODE_RX)));
    metal_check_eq("verr: readable code", zf, 1);
    __asm__ volatile("verw %w1\n\tsetz %b0\n\tmovzbl %b0, %k0" : "=&r"(zf) : "r"(SEL(S_RODATA)));
    metal_check_eq("verw: read-only data is not writable", zf, 0);
    __asm__ volatile("verw %w1\n\tsetz %b0\n\tmovzbl %b0, %k0" : "=&r"(zf) : "r"(SEL(S_DATA)));
    metal_check_eq("verw: RW data", zf, 1);
}

static void test_system_loads(void)
{
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "ltr %w0" METAL_TRY_END
                     :
                     : "r"(SEL(S_DATA))
                     : "r11", "memory");
    metal_check_trap("#GP(0x40): ltr with a data descriptor", EXC_GP, SEL(S_DATA));
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "ltr %w0" METAL_TRY_END
                     :
                     : "r"((u16)SEL_TSS)
                     : "r11", "memory");
    metal_check_trap("#GP(0x30): ltr with a busy TSS", EXC_GP, SEL_TSS);
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "lldt %w0" METAL_TRY_END
                     :
                     : "r"(SEL(S_DATA))
                     : "r11", "memory");
    metal_check_trap("#GP(0x40): lldt with a data descriptor", EXC_GP, SEL(S_DATA));
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "lldt %w0" METAL_TRY_END : : "r"((u16)0) : "r11", "memory");
    metal_check_no_trap("lldt with a null selector");
}

static void test_far(void)
{
    struct __attribute__((packed)) {
        u32 off;
        u16 sel;
    } fp = {0x1000, SEL(S_DATA)};

    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "ljmpl *(%0)" METAL_TRY_END : : "r"(&fp) : "r11", "memory");
    metal_check_trap("#GP(0x40): jmp far to a data selector", EXC_GP, SEL(S_DATA));
    fp.sel = SEL(S_XONLY);
    metal_gdt_set(S_XONLY, 0x00cf18000000ffffull); /* not present */
    metal_trap_clear();
    __asm__ volatile(METAL_TRY_BEGIN "lcalll *(%0)" METAL_TRY_END : : "r"(&fp) : "r11", "memory");
    metal_gdt_set(S_XONLY, 0x00cf98000000ffffull);
    metal_check_trap("#NP(0x50): call far to a not-present code segment", EXC_NP, SEL(S_XONLY));

    /* IRETQ to a data selector in CS: #GP(selector); RSP is unchanged by the fault. */
    metal_trap_clear();
    __asm__ volatile("movq %%rsp, %%rcx\n\tpushq $0x10\n\tpushq %%rcx\n\tpushfq\n\t"
                     "pushq $0x40\n\tleaq 1f(%%rip), %%rcx\n\tpushq %%rcx\n\t" METAL_TRY_BEGIN
                     "iretq" METAL_TRY_END "\taddq $40, %%rsp\n"
                     :
                     :
                     : "rcx", "r11", "memory");
    metal_check_trap("#GP(0x40): iretq to a data selector", EXC_GP, SEL(S_DATA));

    /* RPL of the new CS below CPL: #GP(selector). */
    metal_trap_clear();
    __asm__ volatile("movq %%rsp, %%rcx\n\tpushq $0x23\n\tpushq %%rcx\n\tpushfq\n\t"
                     "pushq $0x28\n\tleaq 1f(%%rip), %%rcx\n\tpushq %%rcx\n\t" METAL_TRY_BEGIN
                     "iretq" METAL_TRY_END "\taddq $40, %%rsp\n"
                     :
                     :
                     : "rcx", "r11", "memory");
    metal_check_trap("#GP(0x28): iretq to a DPL3 code selector with RPL 0", EXC_GP, 0x28);
}

static u16 u_sel;

static u64 u_load_ds(u64 sel)
{
    __asm__ volatile("movw %w0, %%ds" ::"r"((u16)sel) : "memory");
    return 0;
}

static u64 u_load_ss(u64 sel)
{
    __asm__ volatile("movw %w0, %%ss\n\tmovw %w1, %%ss" ::"r"((u16)sel), "r"((u16)SEL_UDATA)
                     : "memory");
    return 0;
}

static void check_user(const char *name, u64 (*fn)(u64), u16 sel, u64 vector, u64 err)
{
    u64 r;
    int f = metal_run_user(fn, sel, 0x202, &r);

    if (vector == NO_ERR) {
        metal_check(name, !f, "vector %lu error 0x%lx", metal_trap_rec.vector,
                    metal_trap_rec.error);
        return;
    }
    metal_check(name, f && metal_trap_rec.vector == vector && metal_trap_rec.error == err,
                "%s, vector %lu error 0x%lx", f ? "fault" : "no fault", metal_trap_rec.vector,
                metal_trap_rec.error);
}

static void test_cpl3(void)
{
    (void)u_sel;
    check_user("#GP(0x40): mov ds, DPL0 data at CPL3", u_load_ds, SEL(S_DATA) | 3, EXC_GP,
               SEL(S_DATA));
    check_user("#NP(0x60): mov ds, DPL3 not-present data at CPL3", u_load_ds, SEL(S_DATA3_NP) | 3,
               EXC_NP, SEL(S_DATA3_NP));
    check_user("mov ds, user data at CPL3", u_load_ds, SEL_UDATA, NO_ERR, 0);
    check_user("mov ds, null at CPL3", u_load_ds, 0, NO_ERR, 0);
    check_user("#GP(0): mov ss, null at CPL3", u_load_ss, 0x3, EXC_GP, 0);
    check_user("#GP(0x20): mov ss, RPL 0 at CPL3", u_load_ss, 0x20, EXC_GP, 0x20);
    check_user("mov ss, user data at CPL3", u_load_ss, SEL_UDATA, NO_ERR, 0);
}

void test_main(void)
{
    setup();
    test_loads_cpl0();
    test_lar_lsl();
    test_system_loads();
    test_far();
    test_cpl3();
}
