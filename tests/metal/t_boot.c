/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 entry (Multiboot Specification 0.6.96 3.2, 3.3): EAX magic, the information
 * structure (flags, memory sizes, memory map covering the kernel, command line), the entry
 * state captured by boot.S (protected mode, paging off, IF = 0, VM = 0), and that the runtime
 * reached 64-bit mode (EFER.LMA, CS.L).
 */
#include "lib/metal.h"

const char metal_test_name[] = "boot";

extern char __image_start[], __bss_end[];

static int has_substr(const char *s, const char *needle)
{
    for (; *s; s++) {
        const char *a = s, *b = needle;

        while (*b && *a == *b)
            a++, b++;
        if (!*b)
            return 1;
    }
    return 0;
}

static u32 rd32(u64 addr)
{
    return *(volatile u32 *)addr;
}

/* COM1 when present (QEMU always has it; terrace with -serial): scratch and IER registers,
 * LSR idle, then a line of output polled on THRE. */
static void test_serial(void)
{
    const char *msg = "serial: hello from the metal boot test\n";

    if (inb(0x3fd) == 0xff) {
        metal_skip("16550 UART at 0x3F8", "no UART (terrace without -serial)");
        return;
    }
    outb(0x3ff, 0x5a);
    metal_check_eq("UART scratch register", inb(0x3ff), 0x5a);
    outb(0x3f9, 0xff);
    metal_check_eq("UART IER keeps the low 4 bits", inb(0x3f9), 0x0f);
    outb(0x3f9, 0);
    metal_check_eq("UART LSR: THRE and TEMT", inb(0x3fd) & 0x60, 0x60);
    for (; *msg; msg++) {
        while (!(inb(0x3fd) & 0x20))
            ;
        outb(0x3f8, (u8)*msg);
    }
}

void test_main(void)
{
    u64 info = metal_boot_ebx;
    u32 flags = rd32(info);
    u64 kernel_lo = (u64)__image_start, kernel_hi = (u64)__bss_end;
    int covered = 0;

    metal_check_eq("multiboot magic in EAX", metal_boot_eax, 0x2badb002);
    metal_check("entry CR0.PE=1 PG=0", (metal_boot_cr0 & 0x80000001u) == 1, "CR0 0x%x",
                metal_boot_cr0);
    metal_check("entry EFLAGS.IF=0 VM=0", (metal_boot_eflags & 0x20200u) == 0, "EFLAGS 0x%x",
                metal_boot_eflags);
    metal_check("info flags: mem, mmap", (flags & 0x41) == 0x41, "flags 0x%x", flags);
    metal_check("info mem_lower 639 KiB", rd32(info + 4) >= 600 && rd32(info + 4) <= 640,
                "mem_lower %u", rd32(info + 4));
    /* -m 128M: upper memory is 127 MiB, minus what firmware may keep. */
    metal_check("info mem_upper ~127 MiB",
                rd32(info + 8) > 120 * 1024 && rd32(info + 8) <= 127 * 1024, "mem_upper %u",
                rd32(info + 8));
    if (flags & 0x4) {
        const char *cmd = (const char *)(u64)rd32(info + 16);

        metal_check("info cmdline has -append", has_substr(cmd, "metal-arg=42 second"),
                    "cmdline '%s'", cmd);
    } else {
        metal_check("info cmdline flag", 0, "flags 0x%x", flags);
    }
    if (flags & 0x40) {
        u64 p = rd32(info + 48), end = p + rd32(info + 44);
        unsigned n = 0;

        while (p < end && n < 64) {
            u32 size = rd32(p);
            u64 base = *(volatile u64 *)(p + 4), len = *(volatile u64 *)(p + 12);
            u32 type = rd32(p + 20);

            if (type == 1 && base <= kernel_lo && base + len >= kernel_hi)
                covered = 1;
            p += size + 4;
            n++;
        }
        metal_check("mmap: RAM covers the kernel", covered, "kernel 0x%lx-0x%lx not in a RAM entry",
                    kernel_lo, kernel_hi);
    }
    metal_check("long mode active (EFER.LMA)", (rdmsr(MSR_EFER) & 0x400) != 0, "EFER 0x%lx",
                rdmsr(MSR_EFER));
    metal_check_eq("64-bit CS selector", read_cs(), SEL_KCODE);
    test_serial();
}
