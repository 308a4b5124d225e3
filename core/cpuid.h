/* SPDX-License-Identifier: MIT */
/*
 * The CPUID model: which leaves and feature bits the vCPU reports. It advertises only what
 * the core implements; opcodes behind a feature bit (optable cpuid_feature) raise #UD when
 * the model does not report it. Configurable (-cpu NAME[,+feature,-feature]).
 */
#ifndef EMU_CORE_CPUID_H
#define EMU_CORE_CPUID_H

#include "base/err.h"
#include "base/types.h"

/* Feature identifiers: leaf/register/bit packed as (leaf_index << 8) | (reg << 5) | bit. */
#define CPUID_FEAT(li, reg, bit) (((u32)(li) << 8) | ((u32)(reg) << 5) | (u32)(bit))
enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };
/* leaf_index: 1 = leaf 1, 2 = leaf 7 subleaf 0, 3 = leaf 0x80000001 */
#define FEAT_SSE3     CPUID_FEAT(1, CPUID_ECX, 0)
#define FEAT_PCLMUL   CPUID_FEAT(1, CPUID_ECX, 1)
#define FEAT_SSSE3    CPUID_FEAT(1, CPUID_ECX, 9)
#define FEAT_CX16     CPUID_FEAT(1, CPUID_ECX, 13)
#define FEAT_SSE41    CPUID_FEAT(1, CPUID_ECX, 19)
#define FEAT_SSE42    CPUID_FEAT(1, CPUID_ECX, 20)
#define FEAT_MOVBE    CPUID_FEAT(1, CPUID_ECX, 22)
#define FEAT_POPCNT   CPUID_FEAT(1, CPUID_ECX, 23)
#define FEAT_XSAVE    CPUID_FEAT(1, CPUID_ECX, 26)
#define FEAT_RDRAND   CPUID_FEAT(1, CPUID_ECX, 30)
#define FEAT_FPU      CPUID_FEAT(1, CPUID_EDX, 0)
#define FEAT_TSC      CPUID_FEAT(1, CPUID_EDX, 4)
#define FEAT_MSR      CPUID_FEAT(1, CPUID_EDX, 5)
#define FEAT_CX8      CPUID_FEAT(1, CPUID_EDX, 8)
#define FEAT_SEP      CPUID_FEAT(1, CPUID_EDX, 11)
#define FEAT_CMOV     CPUID_FEAT(1, CPUID_EDX, 15)
#define FEAT_CLFSH    CPUID_FEAT(1, CPUID_EDX, 19)
#define FEAT_MMX      CPUID_FEAT(1, CPUID_EDX, 23)
#define FEAT_FXSR     CPUID_FEAT(1, CPUID_EDX, 24)
#define FEAT_SSE      CPUID_FEAT(1, CPUID_EDX, 25)
#define FEAT_SSE2     CPUID_FEAT(1, CPUID_EDX, 26)
#define FEAT_BMI1     CPUID_FEAT(2, CPUID_EBX, 3)
#define FEAT_BMI2     CPUID_FEAT(2, CPUID_EBX, 8)
#define FEAT_ERMS     CPUID_FEAT(2, CPUID_EBX, 9)
#define FEAT_INVPCID  CPUID_FEAT(2, CPUID_EBX, 10)
#define FEAT_FSGSBASE CPUID_FEAT(2, CPUID_EBX, 0)
#define FEAT_LAHF64   CPUID_FEAT(3, CPUID_ECX, 0)
#define FEAT_LZCNT    CPUID_FEAT(3, CPUID_ECX, 5)
#define FEAT_SYSCALL  CPUID_FEAT(3, CPUID_EDX, 11)
#define FEAT_NX       CPUID_FEAT(3, CPUID_EDX, 20)
#define FEAT_PDPE1GB  CPUID_FEAT(3, CPUID_EDX, 26)
#define FEAT_RDTSCP   CPUID_FEAT(3, CPUID_EDX, 27)
#define FEAT_LM       CPUID_FEAT(3, CPUID_EDX, 29)
/* Added by core/cpuid.c (system features; leaf_index 4 = leaf 6, 5 = leaf 0x80000007). */
#define FEAT_DE           CPUID_FEAT(1, CPUID_EDX, 2)
#define FEAT_PSE          CPUID_FEAT(1, CPUID_EDX, 3)
#define FEAT_PAE          CPUID_FEAT(1, CPUID_EDX, 6)
#define FEAT_APIC         CPUID_FEAT(1, CPUID_EDX, 9)
#define FEAT_MTRR         CPUID_FEAT(1, CPUID_EDX, 12)
#define FEAT_PGE          CPUID_FEAT(1, CPUID_EDX, 13)
#define FEAT_PAT          CPUID_FEAT(1, CPUID_EDX, 16)
#define FEAT_PSE36        CPUID_FEAT(1, CPUID_EDX, 17)
#define FEAT_TSC_DEADLINE CPUID_FEAT(1, CPUID_ECX, 24)
#define FEAT_HYPERVISOR   CPUID_FEAT(1, CPUID_ECX, 31)
#define FEAT_SMEP         CPUID_FEAT(2, CPUID_EBX, 7)
#define FEAT_SMAP         CPUID_FEAT(2, CPUID_EBX, 20)
#define FEAT_ARAT         CPUID_FEAT(4, CPUID_EAX, 2)
#define FEAT_INVTSC       CPUID_FEAT(5, CPUID_EDX, 8)

struct cpuid_model;

/** cpuid_model_create() - a named model ("terrace" default: what the core implements) with
 *  "+feat,-feat" edits. Return: NULL and @err for an unknown name or feature. */
struct cpuid_model *cpuid_model_create(const char *spec, u32 n_cpus, struct emu_err *err);
void cpuid_model_destroy(struct cpuid_model *m);

/** cpuid_set_tsc() - TSC frequency @tsc_hz and core crystal (LAPIC timer input) @crystal_hz
 *  reported by leaves 0x15/0x16 (default 1 GHz and 25 MHz; PLATFORM.md 2.2). */
void cpuid_set_tsc(struct cpuid_model *m, u64 tsc_hz, u32 crystal_hz);

/** cpuid_maxphyaddr() - physical-address width reported in leaf 0x80000008 (46). */
u32 cpuid_maxphyaddr(const struct cpuid_model *m);

/** cpuid_has() - whether the model reports feature @feat. */
bool cpuid_has(const struct cpuid_model *m, u32 feat);

/** cpuid_query() - the four registers for leaf @leaf, subleaf @sub, as seen by vCPU @cpu. */
void cpuid_query(const struct cpuid_model *m, u32 cpu, u32 leaf, u32 sub, u32 out[4]);

#endif
