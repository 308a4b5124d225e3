/* SPDX-License-Identifier: MIT */
/*
 * System-level state shared by core/exec_system.c, core/exception.c and the string-I/O
 * instructions: control-register and EFER bits (Intel SDM vol. 3 2.5, 2.2.1), MSR numbers
 * (vol. 4), the I/O permission check (vol. 1 19.5) and ARPL for opcode 63 outside 64-bit mode.
 */
#ifndef EMU_CORE_SYSTEM_H
#define EMU_CORE_SYSTEM_H

#include "base/types.h"
#include "core/cpu.h"
#include "core/insn.h"

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)

#define CR4_VME        (1ull << 0)
#define CR4_PVI        (1ull << 1)
#define CR4_TSD        (1ull << 2)
#define CR4_DE         (1ull << 3)
#define CR4_PSE        (1ull << 4)
#define CR4_PAE        (1ull << 5)
#define CR4_MCE        (1ull << 6)
#define CR4_PGE        (1ull << 7)
#define CR4_PCE        (1ull << 8)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP       (1ull << 11)
#define CR4_LA57       (1ull << 12)
#define CR4_FSGSBASE   (1ull << 16)
#define CR4_PCIDE      (1ull << 17)
#define CR4_OSXSAVE    (1ull << 18)
#define CR4_SMEP       (1ull << 20)
#define CR4_SMAP       (1ull << 21)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define MSR_TSC            0x10u
#define MSR_PLATFORM_ID    0x17u
#define MSR_APIC_BASE      0x1bu
#define MSR_BIOS_SIGN_ID   0x8bu
#define MSR_MTRRCAP        0xfeu
#define MSR_SYSENTER_CS    0x174u
#define MSR_SYSENTER_ESP   0x175u
#define MSR_SYSENTER_EIP   0x176u
#define MSR_MISC_ENABLE    0x1a0u
#define MSR_MTRR_PHYSBASE0 0x200u
#define MSR_MTRR_FIX64K    0x250u
#define MSR_MTRR_FIX16K_80 0x258u
#define MSR_MTRR_FIX16K_A0 0x259u
#define MSR_MTRR_FIX4K_C0  0x268u
#define MSR_PAT            0x277u
#define MSR_MTRR_DEF_TYPE  0x2ffu
#define MSR_EFER           0xc0000080u
#define MSR_STAR           0xc0000081u
#define MSR_LSTAR          0xc0000082u
#define MSR_CSTAR          0xc0000083u
#define MSR_SFMASK         0xc0000084u
#define MSR_FS_BASE        0xc0000100u
#define MSR_GS_BASE        0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define MSR_TSC_AUX        0xc0000103u

/** sys_canonical() - @va is canonical for 48-bit linear addresses. */
static inline bool sys_canonical(u64 va)
{
    return (u64)(((i64)(va << 16)) >> 16) == va;
}

/**
 * sys_io_allowed() - whether an access of @size_bytes at @port is allowed: always in real
 * mode and at CPL <= IOPL; otherwise (and always in virtual-8086 mode) every bit of the TSS
 * I/O permission bitmap covering it must be clear (SDM vol. 1 19.5). Does not raise: the
 * caller raises #GP(0) when this returns false. May raise #PF reading the TSS.
 */
bool sys_io_allowed(struct cpu *c, u16 port, unsigned size_bytes);

/** sys_tsc() - the TSC now: virtual time (cycles * TSC ticks per cycle) + the offset. */
u64 sys_tsc(const struct cpu *c);

/**
 * exec_arpl_Ew_Gw() - opcode 63 outside 64-bit mode (ARPL). The MOVSXD selector of
 * core/exec_mov.c may return it for forms it cannot tell apart by decode (no REX, 32-bit
 * address size): in 64-bit mode it then executes MOVSXD without REX.W (a 32-bit move).
 */
const struct insn *exec_arpl_Ew_Gw(struct cpu *c, const struct insn *i);

#endif
