/* SPDX-License-Identifier: MIT */
/*
 * Segmentation: descriptor-table reads, segment-register loads with the protection checks of
 * Intel SDM vol. 3 3.4-3.5 and 5.5-5.8 (MOV/POP Sreg, LDS..LGS, far transfers), real-mode and
 * virtual-8086 loads (base = selector * 16), and implicit supervisor accesses to system tables.
 */
#ifndef EMU_CORE_SEG_H
#define EMU_CORE_SEG_H

#include "base/types.h"
#include "core/cpu.h"

/* Descriptor bits as a 64-bit value (SDM vol. 3 3.4.5). */
#define DESC_TYPE(d)  ((unsigned)((d) >> 40) & 0xfu)
#define DESC_S(d)     ((unsigned)((d) >> 44) & 1u)
#define DESC_DPL(d)   ((unsigned)((d) >> 45) & 3u)
#define DESC_P(d)     ((unsigned)((d) >> 47) & 1u)
#define DESC_L(d)     ((unsigned)((d) >> 53) & 1u)
#define DESC_DB(d)    ((unsigned)((d) >> 54) & 1u)
#define DESC_ACCESSED (1ull << 40)
#define DESC_TSS_BUSY (1ull << 41)
/* Code/data type bits (S = 1). */
#define SEG_TYPE_CODE  0x8u
#define SEG_TYPE_CONF  0x4u /* code: conforming */
#define SEG_TYPE_EXPDN 0x4u /* data: expand-down */
#define SEG_TYPE_RW    0x2u /* code: readable; data: writable */
/* System types (S = 0). */
#define SYS_TYPE_TSS16_AVAIL 0x1u
#define SYS_TYPE_LDT         0x2u
#define SYS_TYPE_TSS16_BUSY  0x3u
#define SYS_TYPE_CALL16      0x4u
#define SYS_TYPE_TASK        0x5u
#define SYS_TYPE_INT16       0x6u
#define SYS_TYPE_TRAP16      0x7u
#define SYS_TYPE_TSS_AVAIL   0x9u
#define SYS_TYPE_TSS_BUSY    0xbu
#define SYS_TYPE_CALL        0xcu
#define SYS_TYPE_INT         0xeu
#define SYS_TYPE_TRAP        0xfu

/** seg_is_long() - IA-32e mode is active (EFER.LMA). */
static inline bool seg_is_long(const struct cpu *c)
{
    return (c->efer >> 10) & 1;
}

/** seg_is_prot() - CR0.PE = 1 and not virtual-8086 mode. */
static inline bool seg_is_prot(const struct cpu *c)
{
    return (c->cr0 & 1) && !(c->rflags & 0x20000);
}

/** seg_cache_from_desc() - the hidden part loaded from descriptor @d for selector @sel. */
void seg_cache_from_desc(struct seg_cache *s, u16 sel, u64 d);

/** seg_cache_real() - a real-mode / virtual-8086 load: base = @sel * 16. In virtual-8086
 *  mode the limit becomes 0xffff and the attributes a DPL-3 read/write data segment. */
void seg_cache_real(struct cpu *c, struct seg_cache *s, u16 sel);

/** seg_null() - @s becomes a null (unusable) segment with selector @sel. */
void seg_null(struct seg_cache *s, u16 sel);

/**
 * seg_fetch_desc() - the 8-byte descriptor of @sel from the GDT or LDT; @addr gets its linear
 * address. Return: false when the index lies outside the table (or the LDT is unusable).
 */
bool seg_fetch_desc(struct cpu *c, u16 sel, u64 *desc, u64 *addr);

/** seg_set_accessed() - set the accessed bit of the descriptor at @addr if @desc lacks it. */
void seg_set_accessed(struct cpu *c, u64 addr, u64 *desc);

/**
 * seg_load() - MOV/POP to ES, SS, DS, FS or GS (and LDS..LGS) with every check of SDM vol. 3
 * 5.5-5.6 (raises #GP/#SS/#NP with the selector's error code). Updates mode-dependent state
 * (stack size, flat-segment bits) through cpu_update_mode(). In 64-bit mode FS/GS loads set the
 * base from the descriptor (32 bits); WRMSR FS_BASE/GS_BASE sets the full base.
 */
void seg_load(struct cpu *c, unsigned sreg, u16 sel);

/**
 * seg_check_code_jmp() - the checks on a code-segment descriptor @d of @sel for a far JMP/CALL
 * (SDM vol. 3 5.8.1): type, conforming/DPL rules against CPL and RPL, and (in IA-32e mode)
 * L and D not both set. Raises #GP(sel) or #NP(sel).
 */
void seg_check_code_jmp(struct cpu *c, u16 sel, u64 d);

/** seg_load_cs() - commit CS from descriptor @d with selector @sel at privilege @cpl, then
 *  recompute the mode (core/cpu.c cpu_update_mode). */
void seg_load_cs(struct cpu *c, u16 sel, u64 d, unsigned cpl);

/**
 * seg_check_ss() - checks for loading SS with @sel for privilege @cpl (RPL = DPL = @cpl,
 * writable data, present). @err_vector: EXC_GP for MOV/POP/IRET/RET, EXC_TS for stack
 * switches through the TSS. @ext: EXT bit for the error code. Returns the descriptor; a null
 * selector returns 0 when @allow_null (64-bit mode, @cpl < 3).
 */
u64 seg_check_ss(struct cpu *c, u16 sel, unsigned cpl, unsigned err_vector, u32 ext,
                 bool allow_null, u64 *addr);

/** seg_load_ss_null64() - SS = null selector @cpl (64-bit mode: interrupts and far
 *  transfers to CPL < 3 load it); kept as a flat writable segment with DPL = @cpl. */
void seg_load_ss_null64(struct cpu *c, unsigned cpl);

/**
 * sys_read_lin() / sys_write_lin() - implicit supervisor-mode access (GDT, LDT, IDT, TSS and
 * the stack of a privilege change) to linear address @la whatever the CPL (SDM vol. 3 4.6).
 * Linear addresses wrap at 4 GiB outside IA-32e mode. Raise #PF on a failed translation.
 */
u64 sys_read_lin(struct cpu *c, u64 la, unsigned size_bytes);
void sys_write_lin(struct cpu *c, u64 la, unsigned size_bytes, u64 v);

#endif
