/* SPDX-License-Identifier: MIT */
/*
 * Runtime of the bare-metal tests (see metal.h): console, verdicts, descriptor tables (Intel
 * SDM vol. 3 3.4.5 segment descriptors, 6.14.1 64-bit IDT gates, 8.7 64-bit TSS), the trap
 * dispatcher, CPL3 excursions, and the 4 KiB test window of the page tables (SDM 4.5).
 */
#include "metal.h"

struct jmpbuf {
    u64 regs[8];
};
int metal_setjmp(struct jmpbuf *b) __attribute__((returns_twice));
__attribute__((noreturn)) void metal_longjmp(struct jmpbuf *b, int val);
void metal_enter_user(u64 rip, u64 rsp, u64 rflags) __attribute__((noreturn));
void metal_start(void);
void metal_trap(struct trap_frame *f);
extern char metal_trap_stubs[];
extern char metal_user_trampoline[];

u32 metal_boot_eax, metal_boot_ebx, metal_boot_cr0, metal_boot_eflags;
u16 metal_boot_cs, metal_boot_ds;
volatile struct trap_record metal_trap_rec;
volatile u64 metal_fixup;
volatile u64 metal_expect_rip;
volatile u64 metal_user_fn, metal_user_arg, metal_user_ret;

u64 metal_gdt[GDT_SLOTS] __attribute__((aligned(16))) = {
    0,
    0x00af9a000000ffffull, /* 0x08 kernel code, 64-bit */
    0x00cf92000000ffffull, /* 0x10 kernel data */
    0x00cffa000000ffffull, /* 0x18 user code, 32-bit (SYSRET to compatibility mode) */
    0x00cff2000000ffffull, /* 0x20 user data */
    0x00affa000000ffffull, /* 0x28 user code, 64-bit */
};

struct idt_gate {
    u16 off_lo, sel;
    u8 ist, type_attr;
    u16 off_mid;
    u32 off_hi, reserved;
};
static struct idt_gate idt[256] __attribute__((aligned(16)));
struct tss64 metal_tss __attribute__((aligned(16)));
static metal_handler_fn *handlers[256];
static struct jmpbuf user_jmp;
static int in_user;
static unsigned n_pass, n_fail, n_skip;

u8 metal_ist1[16384] __attribute__((aligned(16)));
u8 metal_ist2[16384] __attribute__((aligned(16)));
u8 metal_rsp0[16384] __attribute__((aligned(16)));
u8 metal_user_stack[16384] __attribute__((aligned(16)));

/* Test window page tables: PML4[1] -> pdpt_w -> pd_w[0] -> pt_w, frames below. */
static u64 pdpt_w[512] __attribute__((aligned(4096)));
static u64 pd_w[512] __attribute__((aligned(4096)));
static u64 pt_w[512] __attribute__((aligned(4096)));
static u8 window_frames[TEST_WINDOW_PAGES][4096] __attribute__((aligned(4096)));

/* ---- the compiler's freestanding helpers (struct copies, initialisers) ---- */

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;

    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;

    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

/* ---- console ---- */

static void con_putc(char ch)
{
    outb(0xe9, (u8)ch);
}

static void con_puts(const char *s)
{
    while (*s)
        con_putc(*s++);
}

static void con_num(u64 v, unsigned base, int is_signed, int width, char pad)
{
    char buf[24];
    int n = 0;
    int neg = is_signed && (i64)v < 0;

    if (neg)
        v = (u64)(-(i64)v);
    do {
        unsigned d = (unsigned)(v % base);
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    while (n < width && n < (int)sizeof(buf))
        buf[n++] = pad;
    while (n)
        con_putc(buf[--n]);
}

static void con_vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        int longs = 0, width = 0;
        char pad = ' ';

        if (*fmt != '%') {
            con_putc(*fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 's':
            con_puts(va_arg(ap, const char *));
            break;
        case 'c':
            con_putc((char)va_arg(ap, int));
            break;
        case 'd':
            con_num(longs ? (u64)va_arg(ap, long) : (u64)(i64)va_arg(ap, int), 10, 1, width, pad);
            break;
        case 'u':
            con_num(longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
            break;
        case 'x':
            con_num(longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
            break;
        case '%':
            con_putc('%');
            break;
        default:
            con_putc('?');
            break;
        }
    }
}

void metal_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    con_vprintf(fmt, ap);
    va_end(ap);
}

void metal_check(const char *name, int ok, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        n_pass++;
        metal_printf("PASS %s\n", name);
        return;
    }
    n_fail++;
    metal_printf("FAIL %s: ", name);
    va_start(ap, fmt);
    con_vprintf(fmt, ap);
    va_end(ap);
    con_putc('\n');
}

void metal_check_eq(const char *name, u64 got, u64 expected)
{
    metal_check(name, got == expected, "expected 0x%lx, got 0x%lx", expected, got);
}

void metal_skip(const char *name, const char *why)
{
    n_skip++;
    metal_printf("SKIP %s: %s\n", name, why);
}

__attribute__((weak)) void metal_send_verdict(u32 value)
{
    outl(METAL_EXIT_PORT, value);
}

void metal_exit(void)
{
    metal_printf("%s: %u passed, %u failed, %u skipped\n", metal_test_name, n_pass, n_fail, n_skip);
    metal_send_verdict(n_fail || !n_pass ? METAL_EXIT_FAIL : METAL_EXIT_PASS);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* ---- exceptions ---- */

void metal_trap_clear(void)
{
    metal_trap_rec.count = 0;
    metal_trap_rec.vector = ~0ull;
    metal_trap_rec.error = ~0ull;
}

static const char *vec_name(u64 v)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "9",   "#TS",
        "#NP", "#SS", "#GP", "#PF", "15",  "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    };

    if (v < 32 && names[v])
        return names[v];
    return v == ~0ull ? "none" : "vector";
}

void metal_check_trap(const char *name, u64 vector, u64 error)
{
    volatile struct trap_record *r = &metal_trap_rec;
    int ok = r->count == 1 && r->vector == vector && (error == NO_ERR || r->error == error) &&
             r->rip == metal_expect_rip;

    if (r->count == 0) {
        metal_check(name, 0, "expected %s(0x%lx), got no exception", vec_name(vector),
                    error == NO_ERR ? 0ul : error);
        return;
    }
    metal_check(name, ok,
                "expected %s(0x%lx) at 0x%lx, got %s (vector %lu) error 0x%lx at 0x%lx, %lu "
                "exceptions",
                vec_name(vector), error == NO_ERR ? 0ul : error, metal_expect_rip,
                vec_name(r->vector), r->vector, r->error, r->rip, r->count);
}

void metal_check_no_trap(const char *name)
{
    volatile struct trap_record *r = &metal_trap_rec;

    metal_check(name, r->count == 0,
                "expected no exception, got %s (vector %lu) error 0x%lx "
                "at 0x%lx",
                vec_name(r->vector), r->vector, r->error, r->rip);
}

void metal_set_handler(u8 vector, metal_handler_fn *fn)
{
    handlers[vector] = fn;
}

int metal_is_qemu(void)
{
    u32 r[4];
    static const char brand_qemu[] = "QEMU";

    cpuid(0x40000000, 0, r);
    if (r[1] == 0x54474354 && r[2] == 0x43544743 && r[3] == 0x47544347) /* "TCGTCGTCGTCG" */
        return 1;
    cpuid(0x80000000, 0, r);
    if (r[0] >= 0x80000004) {
        u32 b[12];

        cpuid(0x80000002, 0, b);
        cpuid(0x80000003, 0, b + 4);
        cpuid(0x80000004, 0, b + 8);
        for (unsigned k = 0; k + 4 <= 48; k++) {
            const char *p = (const char *)b + k;

            if (p[0] == brand_qemu[0] && p[1] == brand_qemu[1] && p[2] == brand_qemu[2] &&
                p[3] == brand_qemu[3])
                return 1;
        }
    }
    return 0;
}

void metal_check_trap_qemu(const char *name, u64 vector, u64 error, u64 qemu_vector, u64 qemu_error)
{
    if (metal_is_qemu()) {
        metal_printf("NOTE %s: QEMU TCG deviates from the SDM here; expecting its value\n", name);
        metal_check_trap(name, qemu_vector, qemu_error);
    } else {
        metal_check_trap(name, vector, error);
    }
}

int metal_qemu_lacks(const char *name)
{
    if (!metal_is_qemu())
        return 0;
    metal_skip(name, "QEMU TCG does not implement this check");
    return 1;
}

static void record(struct trap_frame *f)
{
    metal_trap_rec.count++;
    metal_trap_rec.vector = f->vector;
    metal_trap_rec.error = f->error;
    metal_trap_rec.rip = f->rip;
    metal_trap_rec.cs = f->cs;
    metal_trap_rec.rflags = f->rflags;
    metal_trap_rec.rsp = f->rsp;
    metal_trap_rec.ss = f->ss;
    metal_trap_rec.cr2 = read_cr2();
    metal_trap_rec.frame_addr = (u64)&f->rip;
    metal_trap_rec.rcx = f->rcx;
    metal_trap_rec.rsi = f->rsi;
    metal_trap_rec.rdi = f->rdi;
}

void metal_trap(struct trap_frame *f)
{
    if (f->vector == VEC_USER_RETURN && in_user) {
        in_user = 0;
        metal_longjmp(&user_jmp, 1);
    }
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (metal_fixup) {
        record(f);
        f->rip = metal_fixup;
        metal_fixup = 0;
        return;
    }
    if (in_user && (f->cs & 3) == 3) {
        record(f);
        in_user = 0;
        metal_longjmp(&user_jmp, 2);
    }
    n_fail++;
    metal_printf("FAIL unexpected exception %s (vector %lu) error 0x%lx at %lx:%lx, CR2 0x%lx\n",
                 vec_name(f->vector), f->vector, f->error, f->cs, f->rip, read_cr2());
    metal_exit();
}

/* ---- descriptor tables ---- */

u64 metal_gate_stub(u8 vector)
{
    return (u64)metal_trap_stubs + 16ull * vector;
}

void metal_set_gate_target(u8 vector, u64 target, u16 sel)
{
    struct idt_gate *g = &idt[vector];

    g->off_lo = (u16)target;
    g->off_mid = (u16)(target >> 16);
    g->off_hi = (u32)(target >> 32);
    g->sel = sel;
}

void metal_set_gate(u8 vector, int is_present, u8 type, u8 dpl, u8 ist)
{
    struct idt_gate *g = &idt[vector];

    metal_set_gate_target(vector, metal_gate_stub(vector), SEL_KCODE);
    g->ist = ist;
    g->type_attr = (u8)((is_present ? 0x80 : 0) | (dpl << 5) | type);
    g->reserved = 0;
}

void metal_lidt_limit(u16 limit)
{
    struct __attribute__((packed)) {
        u16 limit;
        u64 base;
    } p = {limit, (u64)idt};

    __asm__ volatile("lidt %0" ::"m"(p) : "memory");
}

void metal_gdt_set(unsigned index, u64 desc)
{
    if (index >= GDT_TEST && index < GDT_SLOTS)
        metal_gdt[index] = desc;
}

static void load_tables(void)
{
    struct __attribute__((packed)) {
        u16 limit;
        u64 base;
    } gp = {sizeof(metal_gdt) - 1, (u64)metal_gdt};
    u64 tss = (u64)&metal_tss;
    u64 lim = sizeof(metal_tss) - 1;

    metal_tss.rsp[0] = (u64)(metal_rsp0 + sizeof(metal_rsp0));
    metal_tss.ist[0] = (u64)(metal_ist1 + sizeof(metal_ist1));
    metal_tss.ist[1] = (u64)(metal_ist2 + sizeof(metal_ist2));
    metal_tss.iomap_base = sizeof(metal_tss); /* no I/O bitmap: CPL3 I/O faults */
    /* 64-bit available TSS (type 9), 16 bytes (SDM vol. 3 8.2.3). */
    metal_gdt[6] = (lim & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ull << 40) |
                   (((lim >> 16) & 0xf) << 48) | (((tss >> 24) & 0xff) << 56);
    metal_gdt[7] = tss >> 32;
    __asm__ volatile("lgdt %0" ::"m"(gp) : "memory");
    __asm__ volatile("ltr %w0" ::"r"((u16)SEL_TSS) : "memory");
    for (unsigned v = 0; v < 256; v++)
        metal_set_gate((u8)v, 1, 0xe, 0, 0);
    metal_set_gate(EXC_DF, 1, 0xe, 0, 1);
    metal_set_gate(VEC_USER_RETURN, 1, 0xe, 3, 0);
    metal_lidt_limit(sizeof(idt) - 1);
}

/* ---- CPL3 ---- */

int metal_run_user(u64 (*fn)(u64), u64 arg, u64 rflags, u64 *ret)
{
    int r;

    metal_user_fn = (u64)fn;
    metal_user_arg = arg;
    r = metal_setjmp(&user_jmp);
    if (r == 0) {
        in_user = 1;
        metal_enter_user((u64)metal_user_trampoline,
                         (u64)(metal_user_stack + sizeof(metal_user_stack)), rflags);
    }
    /* Back at CPL0 on the boot stack; the interrupt left SS null. */
    __asm__ volatile("movw %w0, %%ss" ::"r"((u16)SEL_KDATA));
    if (ret)
        *ret = metal_user_ret;
    return r == 1 ? 0 : 1;
}

/* ---- paging: the test window ---- */

static void window_init(void)
{
    u64 *pml4 = (u64 *)(read_cr3() & ~0xfffull);

    for (unsigned n = 0; n < TEST_WINDOW_PAGES; n++)
        pt_w[n] = (u64)window_frames[n] | PTE_P | PTE_W | PTE_U;
    pd_w[0] = (u64)pt_w | PTE_P | PTE_W | PTE_U;
    pdpt_w[0] = (u64)pd_w | PTE_P | PTE_W | PTE_U;
    pml4[1] = (u64)pdpt_w | PTE_P | PTE_W | PTE_U;
    write_cr3(read_cr3());
}

volatile u64 *metal_pte(u64 va)
{
    return &pt_w[((va - TEST_WINDOW) >> 12) & 511];
}

u64 metal_window_frame(unsigned n)
{
    return (u64)window_frames[n];
}

volatile u64 *metal_window_pde(void)
{
    return &pd_w[0];
}

void metal_start(void)
{
    /* Mask both 8259s: under QEMU the firmware left the timer interrupt enabled. */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    load_tables();
    window_init();
    metal_trap_clear();
    metal_printf("metal: %s\n", metal_test_name);
    test_main();
    metal_exit();
}
