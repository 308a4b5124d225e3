/* SPDX-License-Identifier: MIT */
/*
 * Kernel and ROM loaders: multiboot v1 (Multiboot Specification 0.6.96, sections 3.1 header,
 * 3.2 machine state, 3.3 boot information; docs PLATFORM.md 1.6), ELF program headers
 * (System V ABI, ELF32/ELF64 PT_LOAD by physical address), and the reset-vector ROM (Intel
 * SDM vol. 3 10.1.4: the first instruction is fetched at FFFFFFF0H).
 */
#include "machine/boot.h"

#include "base/check.h"
#include "mm/physmem.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MB_FLAG_ALIGN_MODS 0x00000001u
#define MB_FLAG_MEMINFO    0x00000002u
#define MB_FLAG_VIDEO      0x00000004u
#define MB_FLAG_AOUT       0x00010000u
#define MB_FLAGS_KNOWN_REQ (MB_FLAG_ALIGN_MODS | MB_FLAG_MEMINFO | MB_FLAG_VIDEO)

/* Info structure flags the loader sets (spec 3.3). */
#define MBI_MEM      (1u << 0)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODS     (1u << 3)
#define MBI_MMAP     (1u << 6)
#define MBI_LDR_NAME (1u << 9)

#define MBI_SIZE_BYTES   88
#define MB_MMAP_RAM      1
#define MB_MMAP_RESERVED 2

/* Conventional-memory layout of a PC (what QEMU's multiboot loader reports). */
#define LOW_RAM_END  0x9fc00ull /* 639 KiB: the EBDA follows */
#define BIOS_AREA_LO 0xf0000ull
#define ONE_MIB      0x100000ull
#define FOUR_GIB     0x100000000ull

#define ATTR_CODE32 0xc9b /* P, S, execute/read, accessed, D, G */
#define ATTR_DATA32 0xc93 /* P, S, read/write, accessed, B, G */

/* A whole file in memory. */
struct boot_file {
    u8 *data;
    size_t size;
};

static bool boot_read_file(const char *path, u64 max_bytes, struct boot_file *f,
                           struct emu_err *err)
{
    FILE *fp = fopen(path, "rb");
    long len;

    f->data = NULL;
    f->size = 0;
    if (!fp) {
        err_set_errno(err, errno, "cannot open '%s'", path);
        return false;
    }
    if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
        err_set(err, "cannot read '%s' (not a regular file?)", path);
        goto out_close;
    }
    if ((u64)len > max_bytes) {
        err_set(err, "'%s' is too large (%ld bytes, at most %llu)", path, len,
                (unsigned long long)max_bytes);
        goto out_close;
    }
    f->data = malloc(len ? (size_t)len : 1);
    if (!f->data) {
        err_set(err, "out of memory reading '%s'", path);
        goto out_close;
    }
    if (len && fread(f->data, 1, (size_t)len, fp) != (size_t)len) {
        err_set(err, "cannot read '%s'", path);
        free(f->data);
        f->data = NULL;
        goto out_close;
    }
    f->size = (size_t)len;
    fclose(fp);
    return true;

out_close:
    fclose(fp);
    return false;
}

static u32 rd32(const u8 *p)
{
    u32 v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static void wr32(u8 *p, u32 v)
{
    memcpy(p, &v, sizeof(v));
}

static void wr64(u8 *p, u64 v)
{
    memcpy(p, &v, sizeof(v));
}

/* Host pointer to guest RAM [pa, pa + len), or NULL and @err. */
static u8 *boot_ram(struct physmem *pm, gpa_t pa, u64 len, const char *what, struct emu_err *err)
{
    if (pa + len < pa || !physmem_is_ram(pm, pa, len ? len : 1)) {
        err_set(err, "%s at 0x%llx-0x%llx does not fit in guest RAM (see -m)", what,
                (unsigned long long)pa, (unsigned long long)(pa + len));
        return NULL;
    }
    return physmem_host(pm, pa);
}

/* Copy @filesz bytes and zero up to @memsz at guest-physical @pa. */
static bool boot_place(struct physmem *pm, gpa_t pa, const u8 *src, u64 filesz, u64 memsz,
                       struct boot_info *out, struct emu_err *err)
{
    u8 *dst;

    if (memsz == 0)
        return true;
    dst = boot_ram(pm, pa, memsz, "kernel segment", err);
    if (!dst)
        return false;
    memcpy(dst, src, filesz);
    memset(dst + filesz, 0, memsz - filesz);
    if (pa < out->load_lo)
        out->load_lo = pa;
    if (pa + memsz > out->load_hi)
        out->load_hi = pa + memsz;
    return true;
}

static bool boot_elf_class(const struct boot_file *f, int *cls)
{
    if (f->size < EI_NIDENT || memcmp(f->data, ELFMAG, SELFMAG) != 0)
        return false;
    *cls = f->data[EI_CLASS];
    return (*cls == ELFCLASS32 || *cls == ELFCLASS64) && f->data[EI_DATA] == ELFDATA2LSB;
}

/* PT_LOAD segments of an ELF32 or ELF64 file, by physical address; @entry from e_entry. */
static bool boot_load_elf(struct physmem *pm, const struct boot_file *f, const char *path,
                          u64 *entry, struct boot_info *out, struct emu_err *err)
{
    int cls;
    u64 phoff, phentsize, phnum;

    if (!boot_elf_class(f, &cls)) {
        err_set(err, "'%s' is not a little-endian ELF file", path);
        return false;
    }
    if (cls == ELFCLASS32) {
        Elf32_Ehdr eh;

        if (f->size < sizeof(eh))
            goto truncated;
        memcpy(&eh, f->data, sizeof(eh));
        if (eh.e_machine != EM_386 && eh.e_machine != EM_X86_64) {
            err_set(err, "'%s' is not an x86 ELF file (e_machine %u)", path, eh.e_machine);
            return false;
        }
        *entry = eh.e_entry;
        phoff = eh.e_phoff;
        phentsize = eh.e_phentsize;
        phnum = eh.e_phnum;
        if (phentsize < sizeof(Elf32_Phdr))
            goto truncated;
    } else {
        Elf64_Ehdr eh;

        if (f->size < sizeof(eh))
            goto truncated;
        memcpy(&eh, f->data, sizeof(eh));
        if (eh.e_machine != EM_X86_64 && eh.e_machine != EM_386) {
            err_set(err, "'%s' is not an x86 ELF file (e_machine %u)", path, eh.e_machine);
            return false;
        }
        *entry = eh.e_entry;
        phoff = eh.e_phoff;
        phentsize = eh.e_phentsize;
        phnum = eh.e_phnum;
        if (phentsize < sizeof(Elf64_Phdr))
            goto truncated;
    }
    if (phnum == 0 || phoff > f->size || phnum * phentsize > f->size - phoff)
        goto truncated;
    for (u64 k = 0; k < phnum; k++) {
        const u8 *ph = f->data + phoff + k * phentsize;
        u64 type, off, paddr, filesz, memsz;

        if (cls == ELFCLASS32) {
            Elf32_Phdr p;

            memcpy(&p, ph, sizeof(p));
            type = p.p_type, off = p.p_offset, paddr = p.p_paddr;
            filesz = p.p_filesz, memsz = p.p_memsz;
        } else {
            Elf64_Phdr p;

            memcpy(&p, ph, sizeof(p));
            type = p.p_type, off = p.p_offset, paddr = p.p_paddr;
            filesz = p.p_filesz, memsz = p.p_memsz;
        }
        if (type != PT_LOAD)
            continue;
        if (filesz > memsz || off > f->size || filesz > f->size - off)
            goto truncated;
        if (!boot_place(pm, paddr, f->data + off, filesz, memsz, out, err))
            return false;
    }
    if (out->load_hi == 0) {
        err_set(err, "'%s' has no loadable segment", path);
        return false;
    }
    return true;

truncated:
    err_set(err, "'%s' is a truncated or malformed ELF file", path);
    return false;
}

/* Offset of a valid multiboot v1 header in the first 8 KiB, or -1. */
static long boot_mb_find(const struct boot_file *f)
{
    size_t end = f->size < BOOT_MB_SEARCH_BYTES ? f->size : BOOT_MB_SEARCH_BYTES;

    for (size_t off = 0; off + 12 <= end; off += 4) {
        const u8 *h = f->data + off;

        if (rd32(h) == BOOT_MB_MAGIC && rd32(h) + rd32(h + 4) + rd32(h + 8) == 0)
            return (long)off;
    }
    return -1;
}

/* Flat 32-bit protected mode, paging off (multiboot 3.2 and the plain ELF32 entry). */
static void boot_enter_prot32(struct cpu *c, u64 entry)
{
    static const struct seg_cache code = {0, 0xffffffffu, 0x08, ATTR_CODE32};
    static const struct seg_cache data = {0, 0xffffffffu, 0x10, ATTR_DATA32};

    c->cr0 |= 0x1; /* PE; PG stays 0 */
    for (unsigned s = 0; s < SEG_COUNT; s++)
        c->seg[s] = s == SEG_CS ? code : data;
    c->rip = entry;
    cpu_set_rflags(c, 0x2);
    cpu_update_mode(c);
    mmu_flush_all(c->mmu, false);
}

/* Multiboot memory map entry: size (20), base, length, type. */
static u8 *boot_mmap_put(u8 *p, u64 base, u64 len, u32 type)
{
    wr32(p, 20);
    wr64(p + 4, base);
    wr64(p + 12, len);
    wr32(p + 20, type);
    return p + 24;
}

/* The info structure, the memory map, the command line and the loader name, at @pa. */
static bool boot_mb_info(struct physmem *pm, gpa_t pa, const char *path, const char *cmdline,
                         struct emu_err *err)
{
    const u64 mmap_max = (3 + 2 * (u64)pm->n_ranges) * 24;
    const size_t cmd_len = strlen(path) + 1 + (cmdline ? strlen(cmdline) : 0) + 1;
    const u64 total = MBI_SIZE_BYTES + mmap_max + cmd_len + sizeof(BOOT_LOADER_NAME);
    u8 *info = boot_ram(pm, pa, total, "multiboot information", err);
    u8 *mm, *p;
    u64 mem_upper_kib = 0;
    u32 mmap_pa = (u32)(pa + MBI_SIZE_BYTES);

    if (!info)
        return false;
    if (pa + total > FOUR_GIB) {
        err_set(err, "multiboot information would lie above 4 GiB");
        return false;
    }
    memset(info, 0, total);
    mm = p = info + MBI_SIZE_BYTES;
    for (u32 k = 0; k < pm->n_ranges; k++) {
        const struct physmem_range *r = &pm->ranges[k];
        u64 base = r->base, end = r->base + r->size_bytes;

        if (base < ONE_MIB) {
            /* Conventional memory, the EBDA, the BIOS area; RAM resumes at 1 MiB. */
            if (base < LOW_RAM_END)
                p = boot_mmap_put(p, base, (end < LOW_RAM_END ? end : LOW_RAM_END) - base,
                                  MB_MMAP_RAM);
            if (end > LOW_RAM_END)
                p = boot_mmap_put(p, LOW_RAM_END, 0xa0000 - LOW_RAM_END, MB_MMAP_RESERVED);
            if (end > BIOS_AREA_LO)
                p = boot_mmap_put(p, BIOS_AREA_LO, ONE_MIB - BIOS_AREA_LO, MB_MMAP_RESERVED);
            base = ONE_MIB;
        }
        if (end > base)
            p = boot_mmap_put(p, base, end - base, MB_MMAP_RAM);
        if (base <= ONE_MIB && end > ONE_MIB)
            mem_upper_kib = ((end < FOUR_GIB ? end : FOUR_GIB) - ONE_MIB) / KiB;
    }
    EMU_CHECK((u64)(p - mm) <= mmap_max);
    wr32(info + 0, MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LDR_NAME);
    wr32(info + 4, (u32)(LOW_RAM_END / KiB));
    wr32(info + 8, (u32)mem_upper_kib);
    wr32(info + 16, (u32)(mmap_pa + mmap_max));           /* cmdline */
    wr32(info + 20, 0);                                   /* mods_count */
    wr32(info + 24, (u32)(mmap_pa + mmap_max));           /* mods_addr (none) */
    wr32(info + 44, (u32)(p - mm));                       /* mmap_length */
    wr32(info + 48, mmap_pa);                             /* mmap_addr */
    wr32(info + 64, (u32)(mmap_pa + mmap_max + cmd_len)); /* boot_loader_name */
    snprintf((char *)info + MBI_SIZE_BYTES + mmap_max, cmd_len, "%s %s", path,
             cmdline ? cmdline : "");
    memcpy(info + MBI_SIZE_BYTES + mmap_max + cmd_len, BOOT_LOADER_NAME, sizeof(BOOT_LOADER_NAME));
    return true;
}

static bool boot_multiboot(struct physmem *pm, struct cpu *c, const struct boot_file *f, long hoff,
                           const char *path, const char *cmdline, struct boot_info *out,
                           struct emu_err *err)
{
    const u8 *h = f->data + hoff;
    u32 flags = rd32(h + 4);
    u64 entry;

    if (flags & 0xffffu & ~MB_FLAGS_KNOWN_REQ) {
        err_set(err, "'%s': multiboot header requires unsupported features (flags 0x%x)", path,
                flags);
        return false;
    }
    if (flags & MB_FLAG_AOUT) {
        u32 header_addr, load_addr, load_end, bss_end;
        u64 file_off, load_len;

        if ((size_t)hoff + 32 > f->size) {
            err_set(err, "'%s': truncated multiboot header", path);
            return false;
        }
        header_addr = rd32(h + 12);
        load_addr = rd32(h + 16);
        load_end = rd32(h + 20);
        bss_end = rd32(h + 24);
        entry = rd32(h + 28);
        if (load_addr > header_addr || header_addr - load_addr > (u64)hoff ||
            (load_end && load_end < load_addr) || (bss_end && load_end && bss_end < load_end)) {
            err_set(err, "'%s': inconsistent multiboot address fields", path);
            return false;
        }
        file_off = (u64)hoff - (header_addr - load_addr);
        load_len = load_end ? load_end - load_addr : f->size - file_off;
        if (load_len > f->size - file_off) {
            err_set(err, "'%s': multiboot load_end_addr lies past the end of the file", path);
            return false;
        }
        out->kind = BOOT_KIND_MULTIBOOT_AOUT;
        if (!boot_place(pm, load_addr, f->data + file_off, load_len,
                        bss_end > load_addr + load_len ? bss_end - load_addr : load_len, out, err))
            return false;
    } else {
        out->kind = BOOT_KIND_MULTIBOOT_ELF;
        if (!boot_load_elf(pm, f, path, &entry, out, err))
            return false;
    }
    if (entry >= FOUR_GIB) {
        err_set(err, "'%s': multiboot entry 0x%llx is above 4 GiB", path,
                (unsigned long long)entry);
        return false;
    }
    out->entry = entry;
    out->mb_info_pa = (out->load_hi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (!boot_mb_info(pm, out->mb_info_pa, path, cmdline, err))
        return false;
    boot_enter_prot32(c, entry);
    c->gpr[0] = BOOT_MB_EAX;
    c->gpr[3] = out->mb_info_pa;
    return true;
}

/* ELF64 without multiboot: identity-map the first 4 GiB with 2 MiB pages, enter 64-bit mode. */
static bool boot_elf64_long(struct physmem *pm, struct cpu *c, struct boot_info *out,
                            struct emu_err *err)
{
    gpa_t pt = (out->load_hi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    u8 *p = boot_ram(pm, pt, 6 * PAGE_SIZE, "identity page tables", err);

    if (!p)
        return false;
    memset(p, 0, 6 * PAGE_SIZE);
    wr64(p, (pt + PAGE_SIZE) | 0x7); /* PML4[0] -> PDPT */
    for (u64 g = 0; g < 4; g++) {
        wr64(p + PAGE_SIZE + 8 * g, (pt + (2 + g) * PAGE_SIZE) | 0x7);
        for (u64 e = 0; e < 512; e++)
            wr64(p + (2 + g) * PAGE_SIZE + 8 * e, ((g << 30) + (e << 21)) | 0x87); /* PS */
    }
    out->page_tables_pa = pt;
    cpu_set_long_mode(c, pt, out->entry, 0);
    return true;
}

bool boot_kernel(struct physmem *pm, struct cpu *c, const char *path, const char *cmdline,
                 struct boot_info *out, struct emu_err *err)
{
    struct boot_file f;
    long hoff;
    bool ok;
    int cls;

    memset(out, 0, sizeof(*out));
    out->load_lo = ~0ull;
    if (!boot_read_file(path, pm->ram_end ? pm->ram_end : GiB, &f, err))
        return false;
    hoff = boot_mb_find(&f);
    if (hoff >= 0) {
        ok = boot_multiboot(pm, c, &f, hoff, path, cmdline, out, err);
    } else if (boot_elf_class(&f, &cls)) {
        ok = boot_load_elf(pm, &f, path, &out->entry, out, err);
        if (ok && cls == ELFCLASS32) {
            out->kind = BOOT_KIND_ELF32;
            boot_enter_prot32(c, out->entry);
        } else if (ok) {
            out->kind = BOOT_KIND_ELF64;
            ok = boot_elf64_long(pm, c, out, err);
        }
    } else {
        err_set(err, "'%s' is neither a multiboot kernel nor an ELF file", path);
        ok = false;
    }
    free(f.data);
    return ok;
}

static u64 boot_rom_read(void *opaque, u64 offset, unsigned size)
{
    const struct boot_rom *rom = opaque;
    u64 v = 0;

    for (unsigned k = 0; k < size && offset + k < rom->size_bytes; k++)
        v |= (u64)rom->data[offset + k] << (8 * k);
    return v;
}

static void boot_rom_write(void *opaque, u64 offset, u64 value, unsigned size)
{
    /* ROM: writes are ignored. */
}

static const struct mmio_ops boot_rom_ops = {boot_rom_read, boot_rom_write};

bool boot_rom_load(struct physmem *pm, const char *path, struct boot_rom *rom, struct emu_err *err)
{
    struct boot_file f;
    u64 alias;

    memset(rom, 0, sizeof(*rom));
    if (!boot_read_file(path, BOOT_ROM_MAX_BYTES, &f, err))
        return false;
    if (f.size == 0 || f.size % (64 * KiB) != 0) {
        err_set(err, "-bios '%s': a ROM image must be a non-empty multiple of 64 KiB (%zu bytes)",
                path, f.size);
        free(f.data);
        return false;
    }
    rom->data = f.data;
    rom->size_bytes = f.size;
    rom->base = FOUR_GIB - f.size;
    if (!physmem_map_mmio(pm, rom->base, rom->size_bytes, &boot_rom_ops, rom, err)) {
        err_prefix(err, "-bios: ");
        boot_rom_free(rom);
        return false;
    }
    alias = f.size < BOOT_ROM_ISA_BYTES ? f.size : BOOT_ROM_ISA_BYTES;
    if (physmem_is_ram(pm, ONE_MIB - alias, alias))
        memcpy(physmem_host(pm, ONE_MIB - alias), f.data + f.size - alias, alias);
    return true;
}

void boot_rom_free(struct boot_rom *rom)
{
    free(rom->data);
    rom->data = NULL;
}
