/* SPDX-License-Identifier: MIT */
/*
 * Loaders for the test machine: multiboot v1 kernels (ELF or a.out kludge), plain ELF32/ELF64
 * images, and raw ROM images at the top of the 4 GiB space (the CPU then starts at its reset
 * vector). They write guest RAM through physmem and put the boot CPU in the entry state.
 */
#ifndef EMU_MACHINE_BOOT_H
#define EMU_MACHINE_BOOT_H

#include "base/err.h"
#include "base/types.h"
#include "core/cpu.h"
#include "mm/physmem.h"

#define BOOT_MB_MAGIC        0x1badb002u /* in the kernel's multiboot header */
#define BOOT_MB_EAX          0x2badb002u /* EAX at entry */
#define BOOT_MB_SEARCH_BYTES 8192        /* the header lies in the first 8 KiB */
#define BOOT_ROM_MAX_BYTES   (16 * MiB)
#define BOOT_ROM_ISA_BYTES   (128 * KiB) /* the ROM's end also appears below 1 MiB */
#define BOOT_LOADER_NAME     "terrace"

enum boot_kind {
    BOOT_KIND_MULTIBOOT_ELF,  /* multiboot header, loaded by ELF program headers */
    BOOT_KIND_MULTIBOOT_AOUT, /* multiboot header with the address fields (flags bit 16) */
    BOOT_KIND_ELF32,          /* no multiboot header: 32-bit protected mode at e_entry */
    BOOT_KIND_ELF64,          /* no multiboot header: 64-bit mode, first 4 GiB identity-mapped */
};

/* What a kernel load did (for logs and tests). */
struct boot_info {
    enum boot_kind kind;
    u64 entry;
    gpa_t load_lo, load_hi; /* guest-physical span of the image, bss included */
    gpa_t mb_info_pa;       /* multiboot: the info structure (EBX) */
    gpa_t page_tables_pa;   /* ELF64: the identity map's PML4 */
};

/* A ROM image mapped at the top of the 4 GiB space. */
struct boot_rom {
    u8 *data;
    u64 size_bytes;
    gpa_t base;
};

/**
 * boot_kernel() - load the image in @path into @pm and set up @c (the boot CPU, just reset)
 * for its entry: multiboot v1 if the file has a valid header in its first 8 KiB (EAX =
 * 0x2BADB002, EBX = info with memory map and command line "@path @cmdline", 32-bit protected
 * mode, flat segments, paging off), else ELF32 (same mode, no info) or ELF64 (64-bit mode
 * with the first 4 GiB identity-mapped by 2 MiB pages placed after the image).
 * Return: false and @err if the file cannot be read, is not a supported image, or does not
 * fit in guest RAM.
 */
bool boot_kernel(struct physmem *pm, struct cpu *c, const char *path, const char *cmdline,
                 struct boot_info *out, struct emu_err *err);

/**
 * boot_rom_load() - read a ROM image (a multiple of 64 KiB, at most 16 MiB, as QEMU's -bios
 * requires), map it read-only at 4 GiB minus its size, and copy its last 128 KiB (or all of
 * it) to the RAM just below 1 MiB, where a PC aliases it (segment F000 after a far jump).
 * Return: false and @err.
 */
bool boot_rom_load(struct physmem *pm, const char *path, struct boot_rom *rom, struct emu_err *err);

/** boot_rom_free() - release the image (after the physmem that maps it is gone). */
void boot_rom_free(struct boot_rom *rom);

#endif
