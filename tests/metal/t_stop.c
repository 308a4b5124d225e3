/* SPDX-License-Identifier: MIT */
/*
 * Kernels that end without isa-debug-exit, for the emulator's own stop paths: "halt" stops
 * in HLT with interrupts disabled (terrace: all CPUs halted, status 2), "triple" makes every
 * delivery fail (IDT limit 0: #UD -> #GP -> #DF -> shutdown; terrace status 4, QEMU with
 * -no-reboot exits 0), "spin" loops forever (terrace -icount-limit: status 6).
 */
#include "lib/metal.h"

#ifndef METAL_STOP_KIND
#error "define METAL_STOP_KIND"
#endif

const char metal_test_name[] = METAL_STOP_KIND;

static int is_kind(const char *k)
{
    const char *a = METAL_STOP_KIND;

    while (*a && *a == *k)
        a++, k++;
    return *a == *k;
}

void test_main(void)
{
    if (is_kind("halt")) {
        metal_printf("halting with IF=0\n");
        for (;;)
            __asm__ volatile("cli; hlt");
    }
    if (is_kind("triple")) {
        metal_printf("triple fault next\n");
        metal_lidt_limit(0);
        __asm__ volatile("ud2");
    }
    metal_printf("spinning\n");
    for (volatile u64 n = 0;; n++)
        ;
}
