/* SPDX-License-Identifier: MIT */
/*
 * Runtime of the bare-metal tests: a multiboot v1 kernel that enters 64-bit mode with the
 * first 4 GiB identity-mapped (2 MiB pages, user-accessible), a GDT/TSS/IDT, a trap path that
 * records exceptions and resumes at a fixup label, CPL3 excursions, and PASS/FAIL reporting
 * on the 0xE9 debug console with the verdict sent to isa-debug-exit (port 0xF4).
 * Runs unchanged under terrace and QEMU (Intel SDM vol. 3 ch. 3-6 for what it sets up).
 */
#ifndef METAL_H
#define METAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;

/* Selectors of the GDT (same layout as Linux: SYSCALL/SYSRET need this order). */
#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE32 0x1b
#define SEL_UDATA   0x23
#define SEL_UCODE   0x2b
#define SEL_TSS     0x30
#define GDT_TEST    8 /* first of the GDT slots tests may fill (metal_gdt_set) */
#define GDT_SLOTS   24

/* Exit values for isa-debug-exit: status = (value << 1) | 1. */
#define METAL_EXIT_PASS 0x10 /* status 33 */
#define METAL_EXIT_FAIL 0x11 /* status 35 */
#define METAL_EXIT_PORT 0xf4

/* Vectors the runtime uses. */
#define VEC_USER_RETURN 0x81 /* DPL3: a CPL3 excursion ends */

#define PTE_P  (1ull << 0)
#define PTE_W  (1ull << 1)
#define PTE_U  (1ull << 2)
#define PTE_A  (1ull << 5)
#define PTE_D  (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G  (1ull << 8)
#define PTE_NX (1ull << 63)

#define TEST_WINDOW       0x8000000000ull /* PML4 slot 1: 4 KiB pages the tests control */
#define TEST_WINDOW_PAGES 16

struct trap_frame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
};

/* What the last recorded exception looked like. */
struct trap_record {
    u64 count;
    u64 vector, error;
    u64 rip, cs, rflags, rsp, ss;
    u64 cr2;
    u64 frame_addr;    /* address of the saved RIP */
    u64 rcx, rsi, rdi; /* registers at the fault (string instructions) */
};

struct tss64 {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7]; /* IST1..IST7 */
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
} __attribute__((packed));

extern volatile struct trap_record metal_trap_rec;
extern volatile u64 metal_fixup;      /* RIP to resume at after an expected exception */
extern volatile u64 metal_expect_rip; /* address of the instruction expected to fault */
extern struct tss64 metal_tss;
extern u64 metal_gdt[GDT_SLOTS];
extern u32 metal_boot_eax, metal_boot_ebx, metal_boot_cr0, metal_boot_eflags;
extern u16 metal_boot_cs, metal_boot_ds;
#define METAL_STACK_BYTES 16384
extern u8 metal_ist1[METAL_STACK_BYTES], metal_ist2[METAL_STACK_BYTES];
extern u8 metal_rsp0[METAL_STACK_BYTES], metal_user_stack[METAL_STACK_BYTES];

/* Each test kernel defines these. */
extern const char metal_test_name[];
void test_main(void);

/* The compiler may call these for struct copies and initialisers (DF must be clear). */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/* Console and verdicts. */
void metal_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void metal_check(const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void metal_check_eq(const char *name, u64 got, u64 expected);
void metal_skip(const char *name, const char *why);
__attribute__((noreturn)) void metal_exit(void);
/**
 * metal_send_verdict() - write @value (METAL_EXIT_*) to isa-debug-exit. The runtime's (weak)
 * version uses OUT imm8, EAX; a kernel may define its own to check another OUT form.
 */
void metal_send_verdict(u32 value);

/*
 * Expected exceptions at any CPL: METAL_TRY_BEGIN arms the fixup (label 1) and marks the
 * next instruction (label 2) as the expected faulting one; METAL_TRY_END disarms it.
 * Usage: asm volatile(METAL_TRY_BEGIN "div %%rcx" METAL_TRY_END : ... : ... : "r11", "memory");
 */
#define METAL_TRY_BEGIN                                                                            \
    "leaq 1f(%%rip), %%r11\n\tmovq %%r11, metal_fixup(%%rip)\n\t"                                  \
    "leaq 2f(%%rip), %%r11\n\tmovq %%r11, metal_expect_rip(%%rip)\n2:\n\t"
#define METAL_TRY_END "\n1:\n\tmovq $0, metal_fixup(%%rip)\n"

/** metal_trap_clear() - forget the last recorded exception. */
void metal_trap_clear(void);

/**
 * metal_check_trap() - the last instruction run under METAL_TRY faulted with @vector and
 * @error (~0ull: no error code expected to be checked) at the marked instruction.
 */
void metal_check_trap(const char *name, u64 vector, u64 error);
/** metal_is_qemu() - running under QEMU TCG (CPUID hypervisor signature or brand string). */
int metal_is_qemu(void);
/**
 * metal_check_trap_qemu() - metal_check_trap() where QEMU TCG is known to deviate from the
 * SDM: under QEMU the QEMU values are expected (and a NOTE line says so).
 */
void metal_check_trap_qemu(const char *name, u64 vector, u64 error, u64 qemu_vector,
                           u64 qemu_error);
/**
 * metal_qemu_lacks() - under QEMU TCG, report @name as skipped (QEMU does not implement the
 * architectural check) and return 1: the caller must not run the test. Else return 0.
 */
int metal_qemu_lacks(const char *name);
/** metal_check_no_trap() - nothing was recorded since metal_trap_clear(). */
void metal_check_no_trap(const char *name);

/* Handlers of its own for a vector (return normally: IRETQ). */
typedef void metal_handler_fn(struct trap_frame *f);
void metal_set_handler(u8 vector, metal_handler_fn *fn);

/** metal_set_gate() - IDT entry @vector: present/type (0xE interrupt, 0xF trap), DPL, IST. */
void metal_set_gate(u8 vector, int is_present, u8 type, u8 dpl, u8 ist);
/** metal_gate_stub() - address of the runtime's stub for @vector. */
u64 metal_gate_stub(u8 vector);
/** metal_set_gate_target() - point IDT entry @vector at @target with selector @sel. */
void metal_set_gate_target(u8 vector, u64 target, u16 sel);
void metal_lidt_limit(u16 limit); /* reload the IDTR with another limit */

/** metal_gdt_set() - GDT slot @index (>= GDT_TEST) := @desc. */
void metal_gdt_set(unsigned index, u64 desc);

/**
 * metal_run_user() - call @fn(@arg) at CPL3 with RFLAGS @rflags on the user stack.
 * Return: 0 if it returned (its value in *@ret), 1 if it took an exception (metal_trap_rec).
 */
int metal_run_user(u64 (*fn)(u64), u64 arg, u64 rflags, u64 *ret);

/** metal_pte() - the 4 KiB PTE of @va in the test window (TEST_WINDOW + n * 4096). */
volatile u64 *metal_pte(u64 va);
/** metal_window_frame() - physical address of the test window's page @n. */
u64 metal_window_frame(unsigned n);
/** metal_pml4e() / metal_pdpte() / metal_pde() - upper entries of the test window. */
volatile u64 *metal_window_pde(void);

/* Instructions. */
static inline void outb(u16 port, u8 v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void outl(u16 port, u32 v)
{
    __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
static inline u8 inb(u16 port)
{
    u8 v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}
static inline u64 rdtsc(void)
{
    u32 lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((u64)hi << 32) | lo;
}
static inline void cpuid(u32 leaf, u32 sub, u32 r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}
#define DEF_CR(n)                                                                                  \
    static inline u64 read_cr##n(void)                                                             \
    {                                                                                              \
        u64 v;                                                                                     \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                          \
        return v;                                                                                  \
    }                                                                                              \
    static inline void write_cr##n(u64 v)                                                          \
    {                                                                                              \
        __asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory");                                   \
    }
DEF_CR(0)
DEF_CR(2)
DEF_CR(3)
DEF_CR(4)
static inline void invlpg(u64 va)
{
    __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}
static inline u64 read_rflags(void)
{
    u64 v;
    __asm__ volatile("pushfq; popq %0" : "=r"(v));
    return v;
}
static inline u16 read_cs(void)
{
    u16 v;
    __asm__ volatile("mov %%cs, %0" : "=r"(v));
    return v;
}
static inline u16 read_ss(void)
{
    u16 v;
    __asm__ volatile("mov %%ss, %0" : "=r"(v));
    return v;
}

#define MSR_EFER      0xc0000080u
#define MSR_STAR      0xc0000081u
#define MSR_LSTAR     0xc0000082u
#define MSR_CSTAR     0xc0000083u
#define MSR_SFMASK    0xc0000084u
#define MSR_FS_BASE   0xc0000100u
#define MSR_GS_BASE   0xc0000101u
#define MSR_KERNEL_GS 0xc0000102u
#define MSR_TSC       0x10u

#define EXC_DE 0
#define EXC_DB 1
#define EXC_BP 3
#define EXC_OF 4
#define EXC_UD 6
#define EXC_NM 7
#define EXC_DF 8
#define EXC_TS 10
#define EXC_NP 11
#define EXC_SS 12
#define EXC_GP 13
#define EXC_PF 14
#define EXC_MF 16
#define EXC_AC 17
#define EXC_XM 19
#define NO_ERR (~0ull)

#endif
