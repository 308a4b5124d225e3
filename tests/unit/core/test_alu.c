/* SPDX-License-Identifier: MIT */
/*
 * Integer instructions (core/exec_alu.c, exec_shift.c, exec_muldiv.c, exec_bit.c), checked
 * against the host CPU: each case is a byte sequence run natively (inline asm) and through the
 * decoder and handlers on random operands; registers, memory and every flag the SDM defines
 * must match, and so must all 16 conditions that read only defined flags (lazy flags before
 * they are materialised). Exact-value tests cover faults (#DE, #PF, #UD) and mode-specific forms.
 */
#include "base/types.h"
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/decode.h"
#include "core/exec.h"
#include "core/flags.h"
#include "core/optable.h"
#include "mm/mmu.h"
#include "tests/unit/mm/pt_build.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define ALL_FLAGS RFLAGS_ARITH

#define CODE_VA  0x400000ull
#define DATA_VA  0x40000000ull /* 4 pages of RAM at DATA_PA, then an unmapped page */
#define DATA_PA  (8 * MiB)
#define RO_VA    0x40010000ull /* a read-only page */
#define RO_PA    (9 * MiB)
#define STACK_VA 0x7fff0000ull
#define CODE_PA  (12 * MiB)

/* Mask kinds: which flags the SDM defines after a case (MK_CONST: the count field holds it). */
enum mask_kind { MK_ALL, MK_LOGIC, MK_CONST, MK_MUL, MK_NONE, MK_ZF, MK_SHIFT, MK_ROT, MK_SHD };

/* Input shaping. */
enum prep_kind {
    P_NONE,
    P_CNT,
    P_CNT16,
    P_SCAN,
    P_BTMEM,
    P_DIV8,
    P_DIV16,
    P_DIV32,
    P_DIV64,
    P_IDIV8,
    P_IDIV16,
    P_IDIV32,
    P_IDIV64,
    P_DIVM32,
};

/* Case flags: the destination is undefined for a zero source (BSF/BSR register / memory). */
#define F_SCAN  1
#define F_SCANM 2

struct regs {
    u64 rax, rcx, rdx, flags;
    u64 mem[8]; /* rbx points at mem + 4 (host) or DATA_VA + 32 (guest) */
};

struct dcase {
    const char *name; /* the instructions, Intel syntax */
    void (*host)(struct regs *r);
    const u8 *bytes;
    unsigned len;
    enum mask_kind mk;
    unsigned size;
    i64 cnt; /* the immediate count, -1 for CL; MK_CONST: the mask */
    enum prep_kind prep;
    unsigned flags;
};

/* Runs @bytes natively with rax/rcx/rdx/flags from @r and rbx = r->mem + 4. The red zone is
 * skipped before pushing. */
#define HOST_FN(name, text, mk, sz, cnt, prep, fl, ...)                                            \
    static void host_##name(struct regs *r)                                                        \
    {                                                                                              \
        u64 f = r->flags;                                                                          \
        __asm__ volatile("sub $128, %%rsp\n\tpush %[f]\n\tpopfq\n\t.byte " #__VA_ARGS__            \
                         "\n\tpushfq\n\tpop %[f]\n\tadd $128, %%rsp"                               \
                         : "+a"(r->rax), "+c"(r->rcx), "+d"(r->rdx), [f] "+r"(f)                   \
                         : "b"(r->mem + 4)                                                         \
                         : "cc", "memory");                                                        \
        r->flags = f;                                                                              \
    }                                                                                              \
    static const u8 bytes_##name[] = {__VA_ARGS__};

#define CASE_ROW(name, text, mk, sz, cnt, prep, fl, ...)                                           \
    {text, host_##name, bytes_##name, sizeof(bytes_##name), mk, sz, cnt, prep, fl},

/* Generated with gas from Intel-syntax lines (one case per line; ';' separates instructions):
 * X(name, Intel syntax, mask kind, operand size, count or mask, prep, flags, bytes...). */
#define CASES(X)                                                                                   \
    X(add_r8_r8, "add al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x00, 0xc8)                             \
    X(add_r8_r8_load, "{load} add al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x02, 0xc1)                 \
    X(add_r8_i8, "add cl, 0x7f", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xc1, 0x7f)                     \
    X(add_rax8_imm, "add al, 0x5a", MK_ALL, SZ8, -1, P_NONE, 0, 0x04, 0x5a)                        \
    X(add_m8_r8, "add byte ptr [rbx], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x00, 0x0b)                 \
    X(add_r8_m8, "add cl, byte ptr [rbx+8]", MK_ALL, SZ8, -1, P_NONE, 0, 0x02, 0x4b, 0x08)         \
    X(add_m8_imm, "add byte ptr [rbx-8], 0x41", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0x43, 0xf8,      \
      0x41)                                                                                        \
    X(lock_add_m8_r8, "lock add byte ptr [rbx+3], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0x00,     \
      0x4b, 0x03)                                                                                  \
    X(add_r16_r16, "add ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x01, 0xc8)                    \
    X(add_r16_r16_load, "{load} add ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x03, 0xc1)        \
    X(add_r16_i8, "add cx, -3", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xc1, 0xfd)               \
    X(add_rax16_imm, "add ax, 0x1234", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x05, 0x34, 0x12)        \
    X(add_r16_imm, "add dx, 0x8001", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xc2, 0x01, 0x80)    \
    X(add_m16_r16, "add word ptr [rbx], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x01, 0x0b)        \
    X(add_r16_m16, "add cx, word ptr [rbx+8]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x03, 0x4b,      \
      0x08)                                                                                        \
    X(add_m16_imm, "add word ptr [rbx-8], 0x41", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x43,    \
      0xf8, 0x41)                                                                                  \
    X(lock_add_m16_r16, "lock add word ptr [rbx+3], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0,  \
      0x01, 0x4b, 0x03)                                                                            \
    X(add_r32_r32, "add eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x01, 0xc8)                        \
    X(add_r32_r32_load, "{load} add eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x03, 0xc1)            \
    X(add_r32_i8, "add ecx, -3", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0xc1, 0xfd)                    \
    X(add_rax32_imm, "add eax, 0x1234", MK_ALL, SZ32, -1, P_NONE, 0, 0x05, 0x34, 0x12, 0x00, 0x00) \
    X(add_r32_imm, "add edx, -0x789a", MK_ALL, SZ32, -1, P_NONE, 0, 0x81, 0xc2, 0x66, 0x87, 0xff,  \
      0xff)                                                                                        \
    X(add_m32_r32, "add dword ptr [rbx], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x01, 0x0b)            \
    X(add_r32_m32, "add ecx, dword ptr [rbx+8]", MK_ALL, SZ32, -1, P_NONE, 0, 0x03, 0x4b, 0x08)    \
    X(add_m32_imm, "add dword ptr [rbx-8], 0x41", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0x43, 0xf8,   \
      0x41)                                                                                        \
    X(lock_add_m32_r32, "lock add dword ptr [rbx+3], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0,      \
      0x01, 0x4b, 0x03)                                                                            \
    X(add_r64_r64, "add rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x01, 0xc8)                  \
    X(add_r64_r64_load, "{load} add rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x03, 0xc1)      \
    X(add_r64_i8, "add rcx, -3", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xc1, 0xfd)              \
    X(add_rax64_imm, "add rax, 0x1234", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x05, 0x34, 0x12, 0x00, \
      0x00)                                                                                        \
    X(add_r64_imm, "add rdx, -0x789a", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xc2, 0x66, 0x87,  \
      0xff, 0xff)                                                                                  \
    X(add_m64_r64, "add qword ptr [rbx], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x01, 0x0b)      \
    X(add_r64_m64, "add rcx, qword ptr [rbx+8]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x03, 0x4b,    \
      0x08)                                                                                        \
    X(add_m64_imm, "add qword ptr [rbx-8], 0x41", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x43,   \
      0xf8, 0x41)                                                                                  \
    X(lock_add_m64_r64, "lock add qword ptr [rbx+3], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0,      \
      0x48, 0x01, 0x4b, 0x03)                                                                      \
    X(add_ah_cl, "add ah, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x00, 0xcc)                             \
    X(add_dh_ah, "add dh, ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x00, 0xe6)                             \
    X(add_ch_imm, "add ch, 0x80", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xc5, 0x80)                    \
    X(add_same32, "add ecx, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x01, 0xc9)                         \
    X(add_same64, "add rdx, rdx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x01, 0xd2)                   \
    X(add_same32_load, "{load} add eax, eax", MK_ALL, SZ32, -1, P_NONE, 0, 0x03, 0xc0)             \
    X(or_r8_r8, "or al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x08, 0xc8)                             \
    X(or_r8_r8_load, "{load} or al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x0a, 0xc1)                 \
    X(or_r8_i8, "or cl, 0x7f", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0xc9, 0x7f)                     \
    X(or_rax8_imm, "or al, 0x5a", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x0c, 0x5a)                        \
    X(or_m8_r8, "or byte ptr [rbx], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x08, 0x0b)                 \
    X(or_r8_m8, "or cl, byte ptr [rbx+8]", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x0a, 0x4b, 0x08)         \
    X(or_m8_imm, "or byte ptr [rbx-8], 0x41", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0x4b, 0xf8,      \
      0x41)                                                                                        \
    X(lock_or_m8_r8, "lock or byte ptr [rbx+3], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0xf0, 0x08,     \
      0x4b, 0x03)                                                                                  \
    X(or_r16_r16, "or ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x09, 0xc8)                    \
    X(or_r16_r16_load, "{load} or ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x0b, 0xc1)        \
    X(or_r16_i8, "or cx, -3", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xc9, 0xfd)               \
    X(or_rax16_imm, "or ax, 0x1234", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x0d, 0x34, 0x12)        \
    X(or_r16_imm, "or dx, 0x8001", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xca, 0x01, 0x80)    \
    X(or_m16_r16, "or word ptr [rbx], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x09, 0x0b)        \
    X(or_r16_m16, "or cx, word ptr [rbx+8]", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x0b, 0x4b,      \
      0x08)                                                                                        \
    X(or_m16_imm, "or word ptr [rbx-8], 0x41", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x4b,    \
      0xf8, 0x41)                                                                                  \
    X(lock_or_m16_r16, "lock or word ptr [rbx+3], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0xf0,  \
      0x09, 0x4b, 0x03)                                                                            \
    X(or_r32_r32, "or eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x09, 0xc8)                        \
    X(or_r32_r32_load, "{load} or eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x0b, 0xc1)            \
    X(or_r32_i8, "or ecx, -3", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x83, 0xc9, 0xfd)                    \
    X(or_rax32_imm, "or eax, 0x1234", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x0d, 0x34, 0x12, 0x00, 0x00) \
    X(or_r32_imm, "or edx, -0x789a", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x81, 0xca, 0x66, 0x87, 0xff,  \
      0xff)                                                                                        \
    X(or_m32_r32, "or dword ptr [rbx], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x09, 0x0b)            \
    X(or_r32_m32, "or ecx, dword ptr [rbx+8]", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x0b, 0x4b, 0x08)    \
    X(or_m32_imm, "or dword ptr [rbx-8], 0x41", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x83, 0x4b, 0xf8,   \
      0x41)                                                                                        \
    X(lock_or_m32_r32, "lock or dword ptr [rbx+3], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0xf0,      \
      0x09, 0x4b, 0x03)                                                                            \
    X(or_r64_r64, "or rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x09, 0xc8)                  \
    X(or_r64_r64_load, "{load} or rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x0b, 0xc1)      \
    X(or_r64_i8, "or rcx, -3", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xc9, 0xfd)              \
    X(or_rax64_imm, "or rax, 0x1234", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x0d, 0x34, 0x12, 0x00, \
      0x00)                                                                                        \
    X(or_r64_imm, "or rdx, -0x789a", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xca, 0x66, 0x87,  \
      0xff, 0xff)                                                                                  \
    X(or_m64_r64, "or qword ptr [rbx], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x09, 0x0b)      \
    X(or_r64_m64, "or rcx, qword ptr [rbx+8]", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x0b, 0x4b,    \
      0x08)                                                                                        \
    X(or_m64_imm, "or qword ptr [rbx-8], 0x41", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x4b,   \
      0xf8, 0x41)                                                                                  \
    X(lock_or_m64_r64, "lock or qword ptr [rbx+3], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0xf0,      \
      0x48, 0x09, 0x4b, 0x03)                                                                      \
    X(or_ah_cl, "or ah, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x08, 0xcc)                             \
    X(or_dh_ah, "or dh, ah", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x08, 0xe6)                             \
    X(or_ch_imm, "or ch, 0x80", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0xcd, 0x80)                    \
    X(or_same32, "or ecx, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x09, 0xc9)                         \
    X(or_same64, "or rdx, rdx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x09, 0xd2)                   \
    X(or_same32_load, "{load} or eax, eax", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x0b, 0xc0)             \
    X(adc_r8_r8, "adc al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x10, 0xc8)                             \
    X(adc_r8_r8_load, "{load} adc al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x12, 0xc1)                 \
    X(adc_r8_i8, "adc cl, 0x7f", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xd1, 0x7f)                     \
    X(adc_rax8_imm, "adc al, 0x5a", MK_ALL, SZ8, -1, P_NONE, 0, 0x14, 0x5a)                        \
    X(adc_m8_r8, "adc byte ptr [rbx], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x10, 0x0b)                 \
    X(adc_r8_m8, "adc cl, byte ptr [rbx+8]", MK_ALL, SZ8, -1, P_NONE, 0, 0x12, 0x4b, 0x08)         \
    X(adc_m8_imm, "adc byte ptr [rbx-8], 0x41", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0x53, 0xf8,      \
      0x41)                                                                                        \
    X(lock_adc_m8_r8, "lock adc byte ptr [rbx+3], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0x10,     \
      0x4b, 0x03)                                                                                  \
    X(adc_r16_r16, "adc ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x11, 0xc8)                    \
    X(adc_r16_r16_load, "{load} adc ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x13, 0xc1)        \
    X(adc_r16_i8, "adc cx, -3", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xd1, 0xfd)               \
    X(adc_rax16_imm, "adc ax, 0x1234", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x15, 0x34, 0x12)        \
    X(adc_r16_imm, "adc dx, 0x8001", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xd2, 0x01, 0x80)    \
    X(adc_m16_r16, "adc word ptr [rbx], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x11, 0x0b)        \
    X(adc_r16_m16, "adc cx, word ptr [rbx+8]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x13, 0x4b,      \
      0x08)                                                                                        \
    X(adc_m16_imm, "adc word ptr [rbx-8], 0x41", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x53,    \
      0xf8, 0x41)                                                                                  \
    X(lock_adc_m16_r16, "lock adc word ptr [rbx+3], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0,  \
      0x11, 0x4b, 0x03)                                                                            \
    X(adc_r32_r32, "adc eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x11, 0xc8)                        \
    X(adc_r32_r32_load, "{load} adc eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x13, 0xc1)            \
    X(adc_r32_i8, "adc ecx, -3", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0xd1, 0xfd)                    \
    X(adc_rax32_imm, "adc eax, 0x1234", MK_ALL, SZ32, -1, P_NONE, 0, 0x15, 0x34, 0x12, 0x00, 0x00) \
    X(adc_r32_imm, "adc edx, -0x789a", MK_ALL, SZ32, -1, P_NONE, 0, 0x81, 0xd2, 0x66, 0x87, 0xff,  \
      0xff)                                                                                        \
    X(adc_m32_r32, "adc dword ptr [rbx], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x11, 0x0b)            \
    X(adc_r32_m32, "adc ecx, dword ptr [rbx+8]", MK_ALL, SZ32, -1, P_NONE, 0, 0x13, 0x4b, 0x08)    \
    X(adc_m32_imm, "adc dword ptr [rbx-8], 0x41", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0x53, 0xf8,   \
      0x41)                                                                                        \
    X(lock_adc_m32_r32, "lock adc dword ptr [rbx+3], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0,      \
      0x11, 0x4b, 0x03)                                                                            \
    X(adc_r64_r64, "adc rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x11, 0xc8)                  \
    X(adc_r64_r64_load, "{load} adc rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x13, 0xc1)      \
    X(adc_r64_i8, "adc rcx, -3", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xd1, 0xfd)              \
    X(adc_rax64_imm, "adc rax, 0x1234", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x15, 0x34, 0x12, 0x00, \
      0x00)                                                                                        \
    X(adc_r64_imm, "adc rdx, -0x789a", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xd2, 0x66, 0x87,  \
      0xff, 0xff)                                                                                  \
    X(adc_m64_r64, "adc qword ptr [rbx], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x11, 0x0b)      \
    X(adc_r64_m64, "adc rcx, qword ptr [rbx+8]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x13, 0x4b,    \
      0x08)                                                                                        \
    X(adc_m64_imm, "adc qword ptr [rbx-8], 0x41", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x53,   \
      0xf8, 0x41)                                                                                  \
    X(lock_adc_m64_r64, "lock adc qword ptr [rbx+3], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0,      \
      0x48, 0x11, 0x4b, 0x03)                                                                      \
    X(adc_ah_cl, "adc ah, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x10, 0xcc)                             \
    X(adc_dh_ah, "adc dh, ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x10, 0xe6)                             \
    X(adc_ch_imm, "adc ch, 0x80", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xd5, 0x80)                    \
    X(adc_same32, "adc ecx, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x11, 0xc9)                         \
    X(adc_same64, "adc rdx, rdx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x11, 0xd2)                   \
    X(adc_same32_load, "{load} adc eax, eax", MK_ALL, SZ32, -1, P_NONE, 0, 0x13, 0xc0)             \
    X(sbb_r8_r8, "sbb al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x18, 0xc8)                             \
    X(sbb_r8_r8_load, "{load} sbb al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x1a, 0xc1)                 \
    X(sbb_r8_i8, "sbb cl, 0x7f", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xd9, 0x7f)                     \
    X(sbb_rax8_imm, "sbb al, 0x5a", MK_ALL, SZ8, -1, P_NONE, 0, 0x1c, 0x5a)                        \
    X(sbb_m8_r8, "sbb byte ptr [rbx], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x18, 0x0b)                 \
    X(sbb_r8_m8, "sbb cl, byte ptr [rbx+8]", MK_ALL, SZ8, -1, P_NONE, 0, 0x1a, 0x4b, 0x08)         \
    X(sbb_m8_imm, "sbb byte ptr [rbx-8], 0x41", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0x5b, 0xf8,      \
      0x41)                                                                                        \
    X(lock_sbb_m8_r8, "lock sbb byte ptr [rbx+3], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0x18,     \
      0x4b, 0x03)                                                                                  \
    X(sbb_r16_r16, "sbb ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x19, 0xc8)                    \
    X(sbb_r16_r16_load, "{load} sbb ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x1b, 0xc1)        \
    X(sbb_r16_i8, "sbb cx, -3", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xd9, 0xfd)               \
    X(sbb_rax16_imm, "sbb ax, 0x1234", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x1d, 0x34, 0x12)        \
    X(sbb_r16_imm, "sbb dx, 0x8001", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xda, 0x01, 0x80)    \
    X(sbb_m16_r16, "sbb word ptr [rbx], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x19, 0x0b)        \
    X(sbb_r16_m16, "sbb cx, word ptr [rbx+8]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x1b, 0x4b,      \
      0x08)                                                                                        \
    X(sbb_m16_imm, "sbb word ptr [rbx-8], 0x41", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x5b,    \
      0xf8, 0x41)                                                                                  \
    X(lock_sbb_m16_r16, "lock sbb word ptr [rbx+3], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0,  \
      0x19, 0x4b, 0x03)                                                                            \
    X(sbb_r32_r32, "sbb eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x19, 0xc8)                        \
    X(sbb_r32_r32_load, "{load} sbb eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x1b, 0xc1)            \
    X(sbb_r32_i8, "sbb ecx, -3", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0xd9, 0xfd)                    \
    X(sbb_rax32_imm, "sbb eax, 0x1234", MK_ALL, SZ32, -1, P_NONE, 0, 0x1d, 0x34, 0x12, 0x00, 0x00) \
    X(sbb_r32_imm, "sbb edx, -0x789a", MK_ALL, SZ32, -1, P_NONE, 0, 0x81, 0xda, 0x66, 0x87, 0xff,  \
      0xff)                                                                                        \
    X(sbb_m32_r32, "sbb dword ptr [rbx], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x19, 0x0b)            \
    X(sbb_r32_m32, "sbb ecx, dword ptr [rbx+8]", MK_ALL, SZ32, -1, P_NONE, 0, 0x1b, 0x4b, 0x08)    \
    X(sbb_m32_imm, "sbb dword ptr [rbx-8], 0x41", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0x5b, 0xf8,   \
      0x41)                                                                                        \
    X(lock_sbb_m32_r32, "lock sbb dword ptr [rbx+3], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0,      \
      0x19, 0x4b, 0x03)                                                                            \
    X(sbb_r64_r64, "sbb rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x19, 0xc8)                  \
    X(sbb_r64_r64_load, "{load} sbb rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x1b, 0xc1)      \
    X(sbb_r64_i8, "sbb rcx, -3", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xd9, 0xfd)              \
    X(sbb_rax64_imm, "sbb rax, 0x1234", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x1d, 0x34, 0x12, 0x00, \
      0x00)                                                                                        \
    X(sbb_r64_imm, "sbb rdx, -0x789a", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xda, 0x66, 0x87,  \
      0xff, 0xff)                                                                                  \
    X(sbb_m64_r64, "sbb qword ptr [rbx], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x19, 0x0b)      \
    X(sbb_r64_m64, "sbb rcx, qword ptr [rbx+8]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x1b, 0x4b,    \
      0x08)                                                                                        \
    X(sbb_m64_imm, "sbb qword ptr [rbx-8], 0x41", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x5b,   \
      0xf8, 0x41)                                                                                  \
    X(lock_sbb_m64_r64, "lock sbb qword ptr [rbx+3], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0,      \
      0x48, 0x19, 0x4b, 0x03)                                                                      \
    X(sbb_ah_cl, "sbb ah, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x18, 0xcc)                             \
    X(sbb_dh_ah, "sbb dh, ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x18, 0xe6)                             \
    X(sbb_ch_imm, "sbb ch, 0x80", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xdd, 0x80)                    \
    X(sbb_same32, "sbb ecx, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x19, 0xc9)                         \
    X(sbb_same64, "sbb rdx, rdx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x19, 0xd2)                   \
    X(sbb_same32_load, "{load} sbb eax, eax", MK_ALL, SZ32, -1, P_NONE, 0, 0x1b, 0xc0)             \
    X(and_r8_r8, "and al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x20, 0xc8)                           \
    X(and_r8_r8_load, "{load} and al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x22, 0xc1)               \
    X(and_r8_i8, "and cl, 0x7f", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0xe1, 0x7f)                   \
    X(and_rax8_imm, "and al, 0x5a", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x24, 0x5a)                      \
    X(and_m8_r8, "and byte ptr [rbx], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x20, 0x0b)               \
    X(and_r8_m8, "and cl, byte ptr [rbx+8]", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x22, 0x4b, 0x08)       \
    X(and_m8_imm, "and byte ptr [rbx-8], 0x41", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0x63, 0xf8,    \
      0x41)                                                                                        \
    X(lock_and_m8_r8, "lock and byte ptr [rbx+3], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0xf0, 0x20,   \
      0x4b, 0x03)                                                                                  \
    X(and_r16_r16, "and ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x21, 0xc8)                  \
    X(and_r16_r16_load, "{load} and ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x23, 0xc1)      \
    X(and_r16_i8, "and cx, -3", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xe1, 0xfd)             \
    X(and_rax16_imm, "and ax, 0x1234", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x25, 0x34, 0x12)      \
    X(and_r16_imm, "and dx, 0x8001", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xe2, 0x01, 0x80)  \
    X(and_m16_r16, "and word ptr [rbx], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x21, 0x0b)      \
    X(and_r16_m16, "and cx, word ptr [rbx+8]", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x23, 0x4b,    \
      0x08)                                                                                        \
    X(and_m16_imm, "and word ptr [rbx-8], 0x41", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x63,  \
      0xf8, 0x41)                                                                                  \
    X(lock_and_m16_r16, "lock and word ptr [rbx+3], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66,      \
      0xf0, 0x21, 0x4b, 0x03)                                                                      \
    X(and_r32_r32, "and eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x21, 0xc8)                      \
    X(and_r32_r32_load, "{load} and eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x23, 0xc1)          \
    X(and_r32_i8, "and ecx, -3", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x83, 0xe1, 0xfd)                  \
    X(and_rax32_imm, "and eax, 0x1234", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x25, 0x34, 0x12, 0x00,     \
      0x00)                                                                                        \
    X(and_r32_imm, "and edx, -0x789a", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x81, 0xe2, 0x66, 0x87,      \
      0xff, 0xff)                                                                                  \
    X(and_m32_r32, "and dword ptr [rbx], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x21, 0x0b)          \
    X(and_r32_m32, "and ecx, dword ptr [rbx+8]", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x23, 0x4b, 0x08)  \
    X(and_m32_imm, "and dword ptr [rbx-8], 0x41", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x83, 0x63, 0xf8, \
      0x41)                                                                                        \
    X(lock_and_m32_r32, "lock and dword ptr [rbx+3], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0xf0,    \
      0x21, 0x4b, 0x03)                                                                            \
    X(and_r64_r64, "and rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x21, 0xc8)                \
    X(and_r64_r64_load, "{load} and rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x23, 0xc1)    \
    X(and_r64_i8, "and rcx, -3", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xe1, 0xfd)            \
    X(and_rax64_imm, "and rax, 0x1234", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x25, 0x34, 0x12,     \
      0x00, 0x00)                                                                                  \
    X(and_r64_imm, "and rdx, -0x789a", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xe2, 0x66,      \
      0x87, 0xff, 0xff)                                                                            \
    X(and_m64_r64, "and qword ptr [rbx], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x21, 0x0b)    \
    X(and_r64_m64, "and rcx, qword ptr [rbx+8]", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x23, 0x4b,  \
      0x08)                                                                                        \
    X(and_m64_imm, "and qword ptr [rbx-8], 0x41", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x63, \
      0xf8, 0x41)                                                                                  \
    X(lock_and_m64_r64, "lock and qword ptr [rbx+3], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0xf0,    \
      0x48, 0x21, 0x4b, 0x03)                                                                      \
    X(and_ah_cl, "and ah, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x20, 0xcc)                           \
    X(and_dh_ah, "and dh, ah", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x20, 0xe6)                           \
    X(and_ch_imm, "and ch, 0x80", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0xe5, 0x80)                  \
    X(and_same32, "and ecx, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x21, 0xc9)                       \
    X(and_same64, "and rdx, rdx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x21, 0xd2)                 \
    X(and_same32_load, "{load} and eax, eax", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x23, 0xc0)           \
    X(sub_r8_r8, "sub al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x28, 0xc8)                             \
    X(sub_r8_r8_load, "{load} sub al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x2a, 0xc1)                 \
    X(sub_r8_i8, "sub cl, 0x7f", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xe9, 0x7f)                     \
    X(sub_rax8_imm, "sub al, 0x5a", MK_ALL, SZ8, -1, P_NONE, 0, 0x2c, 0x5a)                        \
    X(sub_m8_r8, "sub byte ptr [rbx], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x28, 0x0b)                 \
    X(sub_r8_m8, "sub cl, byte ptr [rbx+8]", MK_ALL, SZ8, -1, P_NONE, 0, 0x2a, 0x4b, 0x08)         \
    X(sub_m8_imm, "sub byte ptr [rbx-8], 0x41", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0x6b, 0xf8,      \
      0x41)                                                                                        \
    X(lock_sub_m8_r8, "lock sub byte ptr [rbx+3], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0x28,     \
      0x4b, 0x03)                                                                                  \
    X(sub_r16_r16, "sub ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x29, 0xc8)                    \
    X(sub_r16_r16_load, "{load} sub ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x2b, 0xc1)        \
    X(sub_r16_i8, "sub cx, -3", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xe9, 0xfd)               \
    X(sub_rax16_imm, "sub ax, 0x1234", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x2d, 0x34, 0x12)        \
    X(sub_r16_imm, "sub dx, 0x8001", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xea, 0x01, 0x80)    \
    X(sub_m16_r16, "sub word ptr [rbx], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x29, 0x0b)        \
    X(sub_r16_m16, "sub cx, word ptr [rbx+8]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x2b, 0x4b,      \
      0x08)                                                                                        \
    X(sub_m16_imm, "sub word ptr [rbx-8], 0x41", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x6b,    \
      0xf8, 0x41)                                                                                  \
    X(lock_sub_m16_r16, "lock sub word ptr [rbx+3], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0,  \
      0x29, 0x4b, 0x03)                                                                            \
    X(sub_r32_r32, "sub eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x29, 0xc8)                        \
    X(sub_r32_r32_load, "{load} sub eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x2b, 0xc1)            \
    X(sub_r32_i8, "sub ecx, -3", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0xe9, 0xfd)                    \
    X(sub_rax32_imm, "sub eax, 0x1234", MK_ALL, SZ32, -1, P_NONE, 0, 0x2d, 0x34, 0x12, 0x00, 0x00) \
    X(sub_r32_imm, "sub edx, -0x789a", MK_ALL, SZ32, -1, P_NONE, 0, 0x81, 0xea, 0x66, 0x87, 0xff,  \
      0xff)                                                                                        \
    X(sub_m32_r32, "sub dword ptr [rbx], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x29, 0x0b)            \
    X(sub_r32_m32, "sub ecx, dword ptr [rbx+8]", MK_ALL, SZ32, -1, P_NONE, 0, 0x2b, 0x4b, 0x08)    \
    X(sub_m32_imm, "sub dword ptr [rbx-8], 0x41", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0x6b, 0xf8,   \
      0x41)                                                                                        \
    X(lock_sub_m32_r32, "lock sub dword ptr [rbx+3], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0,      \
      0x29, 0x4b, 0x03)                                                                            \
    X(sub_r64_r64, "sub rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x29, 0xc8)                  \
    X(sub_r64_r64_load, "{load} sub rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x2b, 0xc1)      \
    X(sub_r64_i8, "sub rcx, -3", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xe9, 0xfd)              \
    X(sub_rax64_imm, "sub rax, 0x1234", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x2d, 0x34, 0x12, 0x00, \
      0x00)                                                                                        \
    X(sub_r64_imm, "sub rdx, -0x789a", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xea, 0x66, 0x87,  \
      0xff, 0xff)                                                                                  \
    X(sub_m64_r64, "sub qword ptr [rbx], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x29, 0x0b)      \
    X(sub_r64_m64, "sub rcx, qword ptr [rbx+8]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x2b, 0x4b,    \
      0x08)                                                                                        \
    X(sub_m64_imm, "sub qword ptr [rbx-8], 0x41", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x6b,   \
      0xf8, 0x41)                                                                                  \
    X(lock_sub_m64_r64, "lock sub qword ptr [rbx+3], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0,      \
      0x48, 0x29, 0x4b, 0x03)                                                                      \
    X(sub_ah_cl, "sub ah, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x28, 0xcc)                             \
    X(sub_dh_ah, "sub dh, ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x28, 0xe6)                             \
    X(sub_ch_imm, "sub ch, 0x80", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xed, 0x80)                    \
    X(sub_same32, "sub ecx, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x29, 0xc9)                         \
    X(sub_same64, "sub rdx, rdx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x29, 0xd2)                   \
    X(sub_same32_load, "{load} sub eax, eax", MK_ALL, SZ32, -1, P_NONE, 0, 0x2b, 0xc0)             \
    X(xor_r8_r8, "xor al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x30, 0xc8)                           \
    X(xor_r8_r8_load, "{load} xor al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x32, 0xc1)               \
    X(xor_r8_i8, "xor cl, 0x7f", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0xf1, 0x7f)                   \
    X(xor_rax8_imm, "xor al, 0x5a", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x34, 0x5a)                      \
    X(xor_m8_r8, "xor byte ptr [rbx], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x30, 0x0b)               \
    X(xor_r8_m8, "xor cl, byte ptr [rbx+8]", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x32, 0x4b, 0x08)       \
    X(xor_m8_imm, "xor byte ptr [rbx-8], 0x41", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0x73, 0xf8,    \
      0x41)                                                                                        \
    X(lock_xor_m8_r8, "lock xor byte ptr [rbx+3], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0xf0, 0x30,   \
      0x4b, 0x03)                                                                                  \
    X(xor_r16_r16, "xor ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x31, 0xc8)                  \
    X(xor_r16_r16_load, "{load} xor ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x33, 0xc1)      \
    X(xor_r16_i8, "xor cx, -3", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xf1, 0xfd)             \
    X(xor_rax16_imm, "xor ax, 0x1234", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x35, 0x34, 0x12)      \
    X(xor_r16_imm, "xor dx, 0x8001", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xf2, 0x01, 0x80)  \
    X(xor_m16_r16, "xor word ptr [rbx], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x31, 0x0b)      \
    X(xor_r16_m16, "xor cx, word ptr [rbx+8]", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x33, 0x4b,    \
      0x08)                                                                                        \
    X(xor_m16_imm, "xor word ptr [rbx-8], 0x41", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x73,  \
      0xf8, 0x41)                                                                                  \
    X(lock_xor_m16_r16, "lock xor word ptr [rbx+3], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66,      \
      0xf0, 0x31, 0x4b, 0x03)                                                                      \
    X(xor_r32_r32, "xor eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x31, 0xc8)                      \
    X(xor_r32_r32_load, "{load} xor eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x33, 0xc1)          \
    X(xor_r32_i8, "xor ecx, -3", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x83, 0xf1, 0xfd)                  \
    X(xor_rax32_imm, "xor eax, 0x1234", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x35, 0x34, 0x12, 0x00,     \
      0x00)                                                                                        \
    X(xor_r32_imm, "xor edx, -0x789a", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x81, 0xf2, 0x66, 0x87,      \
      0xff, 0xff)                                                                                  \
    X(xor_m32_r32, "xor dword ptr [rbx], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x31, 0x0b)          \
    X(xor_r32_m32, "xor ecx, dword ptr [rbx+8]", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x33, 0x4b, 0x08)  \
    X(xor_m32_imm, "xor dword ptr [rbx-8], 0x41", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x83, 0x73, 0xf8, \
      0x41)                                                                                        \
    X(lock_xor_m32_r32, "lock xor dword ptr [rbx+3], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0xf0,    \
      0x31, 0x4b, 0x03)                                                                            \
    X(xor_r64_r64, "xor rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x31, 0xc8)                \
    X(xor_r64_r64_load, "{load} xor rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x33, 0xc1)    \
    X(xor_r64_i8, "xor rcx, -3", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xf1, 0xfd)            \
    X(xor_rax64_imm, "xor rax, 0x1234", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x35, 0x34, 0x12,     \
      0x00, 0x00)                                                                                  \
    X(xor_r64_imm, "xor rdx, -0x789a", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xf2, 0x66,      \
      0x87, 0xff, 0xff)                                                                            \
    X(xor_m64_r64, "xor qword ptr [rbx], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x31, 0x0b)    \
    X(xor_r64_m64, "xor rcx, qword ptr [rbx+8]", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x33, 0x4b,  \
      0x08)                                                                                        \
    X(xor_m64_imm, "xor qword ptr [rbx-8], 0x41", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x73, \
      0xf8, 0x41)                                                                                  \
    X(lock_xor_m64_r64, "lock xor qword ptr [rbx+3], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0xf0,    \
      0x48, 0x31, 0x4b, 0x03)                                                                      \
    X(xor_ah_cl, "xor ah, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x30, 0xcc)                           \
    X(xor_dh_ah, "xor dh, ah", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x30, 0xe6)                           \
    X(xor_ch_imm, "xor ch, 0x80", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x80, 0xf5, 0x80)                  \
    X(xor_same32, "xor ecx, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x31, 0xc9)                       \
    X(xor_same64, "xor rdx, rdx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x31, 0xd2)                 \
    X(xor_same32_load, "{load} xor eax, eax", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x33, 0xc0)           \
    X(cmp_r8_r8, "cmp al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x38, 0xc8)                             \
    X(cmp_r8_r8_load, "{load} cmp al, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x3a, 0xc1)                 \
    X(cmp_r8_i8, "cmp cl, 0x7f", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xf9, 0x7f)                     \
    X(cmp_rax8_imm, "cmp al, 0x5a", MK_ALL, SZ8, -1, P_NONE, 0, 0x3c, 0x5a)                        \
    X(cmp_m8_r8, "cmp byte ptr [rbx], cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x38, 0x0b)                 \
    X(cmp_r8_m8, "cmp cl, byte ptr [rbx+8]", MK_ALL, SZ8, -1, P_NONE, 0, 0x3a, 0x4b, 0x08)         \
    X(cmp_m8_imm, "cmp byte ptr [rbx-8], 0x41", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0x7b, 0xf8,      \
      0x41)                                                                                        \
    X(cmp_r16_r16, "cmp ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x39, 0xc8)                    \
    X(cmp_r16_r16_load, "{load} cmp ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x3b, 0xc1)        \
    X(cmp_r16_i8, "cmp cx, -3", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0xf9, 0xfd)               \
    X(cmp_rax16_imm, "cmp ax, 0x1234", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x3d, 0x34, 0x12)        \
    X(cmp_r16_imm, "cmp dx, 0x8001", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x81, 0xfa, 0x01, 0x80)    \
    X(cmp_m16_r16, "cmp word ptr [rbx], cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x39, 0x0b)        \
    X(cmp_r16_m16, "cmp cx, word ptr [rbx+8]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x3b, 0x4b,      \
      0x08)                                                                                        \
    X(cmp_m16_imm, "cmp word ptr [rbx-8], 0x41", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x83, 0x7b,    \
      0xf8, 0x41)                                                                                  \
    X(cmp_r32_r32, "cmp eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x39, 0xc8)                        \
    X(cmp_r32_r32_load, "{load} cmp eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x3b, 0xc1)            \
    X(cmp_r32_i8, "cmp ecx, -3", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0xf9, 0xfd)                    \
    X(cmp_rax32_imm, "cmp eax, 0x1234", MK_ALL, SZ32, -1, P_NONE, 0, 0x3d, 0x34, 0x12, 0x00, 0x00) \
    X(cmp_r32_imm, "cmp edx, -0x789a", MK_ALL, SZ32, -1, P_NONE, 0, 0x81, 0xfa, 0x66, 0x87, 0xff,  \
      0xff)                                                                                        \
    X(cmp_m32_r32, "cmp dword ptr [rbx], ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x39, 0x0b)            \
    X(cmp_r32_m32, "cmp ecx, dword ptr [rbx+8]", MK_ALL, SZ32, -1, P_NONE, 0, 0x3b, 0x4b, 0x08)    \
    X(cmp_m32_imm, "cmp dword ptr [rbx-8], 0x41", MK_ALL, SZ32, -1, P_NONE, 0, 0x83, 0x7b, 0xf8,   \
      0x41)                                                                                        \
    X(cmp_r64_r64, "cmp rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x39, 0xc8)                  \
    X(cmp_r64_r64_load, "{load} cmp rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x3b, 0xc1)      \
    X(cmp_r64_i8, "cmp rcx, -3", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0xf9, 0xfd)              \
    X(cmp_rax64_imm, "cmp rax, 0x1234", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x3d, 0x34, 0x12, 0x00, \
      0x00)                                                                                        \
    X(cmp_r64_imm, "cmp rdx, -0x789a", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x81, 0xfa, 0x66, 0x87,  \
      0xff, 0xff)                                                                                  \
    X(cmp_m64_r64, "cmp qword ptr [rbx], rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x39, 0x0b)      \
    X(cmp_r64_m64, "cmp rcx, qword ptr [rbx+8]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x3b, 0x4b,    \
      0x08)                                                                                        \
    X(cmp_m64_imm, "cmp qword ptr [rbx-8], 0x41", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x83, 0x7b,   \
      0xf8, 0x41)                                                                                  \
    X(cmp_ah_cl, "cmp ah, cl", MK_ALL, SZ8, -1, P_NONE, 0, 0x38, 0xcc)                             \
    X(cmp_dh_ah, "cmp dh, ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x38, 0xe6)                             \
    X(cmp_ch_imm, "cmp ch, 0x80", MK_ALL, SZ8, -1, P_NONE, 0, 0x80, 0xfd, 0x80)                    \
    X(cmp_same32, "cmp ecx, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x39, 0xc9)                         \
    X(cmp_same64, "cmp rdx, rdx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x39, 0xd2)                   \
    X(cmp_same32_load, "{load} cmp eax, eax", MK_ALL, SZ32, -1, P_NONE, 0, 0x3b, 0xc0)             \
    X(test_r8_r8, "test al, cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x84, 0xc8)                         \
    X(test_rax8_imm, "test al, 0x81", MK_LOGIC, SZ8, -1, P_NONE, 0, 0xa8, 0x81)                    \
    X(test_r8_imm, "test cl, 0x81", MK_LOGIC, SZ8, -1, P_NONE, 0, 0xf6, 0xc1, 0x81)                \
    X(test_m8_r8, "test byte ptr [rbx], cl", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x84, 0x0b)             \
    X(test_m8_imm, "test byte ptr [rbx+1], 0x7f", MK_LOGIC, SZ8, -1, P_NONE, 0, 0xf6, 0x43, 0x01,  \
      0x7f)                                                                                        \
    X(inc_r8, "inc cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xfe, 0xc1)                                    \
    X(inc_m8, "inc byte ptr [rbx+5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xfe, 0x43, 0x05)                \
    X(lock_inc_m8, "lock inc byte ptr [rbx-5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0xfe, 0x43,      \
      0xfb)                                                                                        \
    X(dec_r8, "dec cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xfe, 0xc9)                                    \
    X(dec_m8, "dec byte ptr [rbx+5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xfe, 0x4b, 0x05)                \
    X(lock_dec_m8, "lock dec byte ptr [rbx-5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0xfe, 0x4b,      \
      0xfb)                                                                                        \
    X(neg_r8, "neg cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xf6, 0xd9)                                    \
    X(neg_m8, "neg byte ptr [rbx+5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xf6, 0x5b, 0x05)                \
    X(lock_neg_m8, "lock neg byte ptr [rbx-5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0xf6, 0x5b,      \
      0xfb)                                                                                        \
    X(not_r8, "not cl", MK_ALL, SZ8, -1, P_NONE, 0, 0xf6, 0xd1)                                    \
    X(not_m8, "not byte ptr [rbx+5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xf6, 0x53, 0x05)                \
    X(lock_not_m8, "lock not byte ptr [rbx-5]", MK_ALL, SZ8, -1, P_NONE, 0, 0xf0, 0xf6, 0x53,      \
      0xfb)                                                                                        \
    X(test_r16_r16, "test ax, cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x85, 0xc8)                \
    X(test_rax16_imm, "test ax, 0x8001", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0xa9, 0x01, 0x80)    \
    X(test_r16_imm, "test cx, -2", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0xc1, 0xfe, 0xff)    \
    X(test_m16_r16, "test word ptr [rbx], cx", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0x85, 0x0b)    \
    X(test_m16_imm, "test word ptr [rbx+1], 0x7f", MK_LOGIC, SZ16, -1, P_NONE, 0, 0x66, 0xf7,      \
      0x43, 0x01, 0x7f, 0x00)                                                                      \
    X(inc_r16, "inc cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xff, 0xc1)                            \
    X(inc_m16, "inc word ptr [rbx+5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xff, 0x43, 0x05)        \
    X(lock_inc_m16, "lock inc word ptr [rbx-5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0, 0xff,    \
      0x43, 0xfb)                                                                                  \
    X(dec_r16, "dec cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xff, 0xc9)                            \
    X(dec_m16, "dec word ptr [rbx+5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xff, 0x4b, 0x05)        \
    X(lock_dec_m16, "lock dec word ptr [rbx-5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0, 0xff,    \
      0x4b, 0xfb)                                                                                  \
    X(neg_r16, "neg cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0xd9)                            \
    X(neg_m16, "neg word ptr [rbx+5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0x5b, 0x05)        \
    X(lock_neg_m16, "lock neg word ptr [rbx-5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0, 0xf7,    \
      0x5b, 0xfb)                                                                                  \
    X(not_r16, "not cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0xd1)                            \
    X(not_m16, "not word ptr [rbx+5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0x53, 0x05)        \
    X(lock_not_m16, "lock not word ptr [rbx-5]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf0, 0xf7,    \
      0x53, 0xfb)                                                                                  \
    X(test_r32_r32, "test eax, ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x85, 0xc8)                    \
    X(test_rax32_imm, "test eax, 0x80000001", MK_LOGIC, SZ32, -1, P_NONE, 0, 0xa9, 0x01, 0x00,     \
      0x00, 0x80)                                                                                  \
    X(test_r32_imm, "test ecx, -2", MK_LOGIC, SZ32, -1, P_NONE, 0, 0xf7, 0xc1, 0xfe, 0xff, 0xff,   \
      0xff)                                                                                        \
    X(test_m32_r32, "test dword ptr [rbx], ecx", MK_LOGIC, SZ32, -1, P_NONE, 0, 0x85, 0x0b)        \
    X(test_m32_imm, "test dword ptr [rbx+1], 0x7f", MK_LOGIC, SZ32, -1, P_NONE, 0, 0xf7, 0x43,     \
      0x01, 0x7f, 0x00, 0x00, 0x00)                                                                \
    X(inc_r32, "inc ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xff, 0xc1)                                 \
    X(inc_m32, "inc dword ptr [rbx+5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xff, 0x43, 0x05)             \
    X(lock_inc_m32, "lock inc dword ptr [rbx-5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0, 0xff, 0x43,   \
      0xfb)                                                                                        \
    X(dec_r32, "dec ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xff, 0xc9)                                 \
    X(dec_m32, "dec dword ptr [rbx+5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xff, 0x4b, 0x05)             \
    X(lock_dec_m32, "lock dec dword ptr [rbx-5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0, 0xff, 0x4b,   \
      0xfb)                                                                                        \
    X(neg_r32, "neg ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf7, 0xd9)                                 \
    X(neg_m32, "neg dword ptr [rbx+5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xf7, 0x5b, 0x05)             \
    X(lock_neg_m32, "lock neg dword ptr [rbx-5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0, 0xf7, 0x5b,   \
      0xfb)                                                                                        \
    X(not_r32, "not ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf7, 0xd1)                                 \
    X(not_m32, "not dword ptr [rbx+5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xf7, 0x53, 0x05)             \
    X(lock_not_m32, "lock not dword ptr [rbx-5]", MK_ALL, SZ32, -1, P_NONE, 0, 0xf0, 0xf7, 0x53,   \
      0xfb)                                                                                        \
    X(test_r64_r64, "test rax, rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x85, 0xc8)              \
    X(test_rax64_imm, "test rax, -0x7fffffff", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0xa9, 0x01,    \
      0x00, 0x00, 0x80)                                                                            \
    X(test_r64_imm, "test rcx, -2", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0xc1, 0xfe, 0xff,   \
      0xff, 0xff)                                                                                  \
    X(test_m64_r64, "test qword ptr [rbx], rcx", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0x85, 0x0b)  \
    X(test_m64_imm, "test qword ptr [rbx+1], 0x7f", MK_LOGIC, SZ64, -1, P_NONE, 0, 0x48, 0xf7,     \
      0x43, 0x01, 0x7f, 0x00, 0x00, 0x00)                                                          \
    X(inc_r64, "inc rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xff, 0xc1)                           \
    X(inc_m64, "inc qword ptr [rbx+5]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xff, 0x43, 0x05)       \
    X(lock_inc_m64, "lock inc qword ptr [rbx-5]", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0, 0x48, 0xff,   \
      0x43, 0xfb)                                                                                  \
    X(dec_r64, "dec rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xff, 0xc9)                           \
    X(dec_m64, "dec qword ptr [rbx+5]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xff, 0x4b, 0x05)       \
    X(lock_dec_m64, "lock dec qword ptr [rbx-5]", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0, 0x48, 0xff,   \
      0x4b, 0xfb)                                                                                  \
    X(neg_r64, "neg rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0xd9)                           \
    X(neg_m64, "neg qword ptr [rbx+5]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0x5b, 0x05)       \
    X(lock_neg_m64, "lock neg qword ptr [rbx-5]", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0, 0x48, 0xf7,   \
      0x5b, 0xfb)                                                                                  \
    X(not_r64, "not rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0xd1)                           \
    X(not_m64, "not qword ptr [rbx+5]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0x53, 0x05)       \
    X(lock_not_m64, "lock not qword ptr [rbx-5]", MK_ALL, SZ64, -1, P_NONE, 0, 0xf0, 0x48, 0xf7,   \
      0x53, 0xfb)                                                                                  \
    X(test_ah_ch, "test ah, ch", MK_LOGIC, SZ8, -1, P_NONE, 0, 0x84, 0xec)                         \
    X(inc_ah, "inc ah", MK_ALL, SZ8, -1, P_NONE, 0, 0xfe, 0xc4)                                    \
    X(neg_bh, "neg dh", MK_ALL, SZ8, -1, P_NONE, 0, 0xf6, 0xde)                                    \
    X(rol_r8_cl, "rol al, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xc0)                              \
    X(rol_m8_cl, "rol byte ptr [rbx], cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0x03)                  \
    X(rol_r8_1, "rol dl, 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0xc2)                                \
    X(rol_m8_1, "rol byte ptr [rbx+2], 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0x43, 0x02)            \
    X(rol_r8_i0, "rol al, 0", MK_ROT, SZ8, 0, P_NONE, 0, 0xc0, 0xc0, 0x00)                         \
    X(rol_r8_i2, "rol al, 2", MK_ROT, SZ8, 2, P_NONE, 0, 0xc0, 0xc0, 0x02)                         \
    X(rol_r8_i7, "rol al, 7", MK_ROT, SZ8, 7, P_NONE, 0, 0xc0, 0xc0, 0x07)                         \
    X(rol_r8_i8, "rol al, 8", MK_ROT, SZ8, 8, P_NONE, 0, 0xc0, 0xc0, 0x08)                         \
    X(rol_r8_i9, "rol al, 9", MK_ROT, SZ8, 9, P_NONE, 0, 0xc0, 0xc0, 0x09)                         \
    X(rol_r8_i15, "rol al, 15", MK_ROT, SZ8, 15, P_NONE, 0, 0xc0, 0xc0, 0x0f)                      \
    X(rol_r8_i16, "rol al, 16", MK_ROT, SZ8, 16, P_NONE, 0, 0xc0, 0xc0, 0x10)                      \
    X(rol_r8_i17, "rol al, 17", MK_ROT, SZ8, 17, P_NONE, 0, 0xc0, 0xc0, 0x11)                      \
    X(rol_r8_i31, "rol al, 31", MK_ROT, SZ8, 31, P_NONE, 0, 0xc0, 0xc0, 0x1f)                      \
    X(rol_r8_i32, "rol al, 32", MK_ROT, SZ8, 32, P_NONE, 0, 0xc0, 0xc0, 0x20)                      \
    X(rol_r8_i33, "rol al, 33", MK_ROT, SZ8, 33, P_NONE, 0, 0xc0, 0xc0, 0x21)                      \
    X(rol_r8_i63, "rol al, 63", MK_ROT, SZ8, 63, P_NONE, 0, 0xc0, 0xc0, 0x3f)                      \
    X(rol_r8_i64, "rol al, 64", MK_ROT, SZ8, 64, P_NONE, 0, 0xc0, 0xc0, 0x40)                      \
    X(rol_m8_i5, "rol byte ptr [rbx+4], 5", MK_ROT, SZ8, 5, P_NONE, 0, 0xc0, 0x43, 0x04, 0x05)     \
    X(rol_r16_cl, "rol ax, cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xc0)                      \
    X(rol_m16_cl, "rol word ptr [rbx], cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x03)          \
    X(rol_r16_1, "rol dx, 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xc2)                        \
    X(rol_m16_1, "rol word ptr [rbx+2], 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x43, 0x02)    \
    X(rol_r16_i0, "rol ax, 0", MK_ROT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x00)                 \
    X(rol_r16_i2, "rol ax, 2", MK_ROT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x02)                 \
    X(rol_r16_i7, "rol ax, 7", MK_ROT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x07)                 \
    X(rol_r16_i8, "rol ax, 8", MK_ROT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x08)                 \
    X(rol_r16_i9, "rol ax, 9", MK_ROT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x09)                 \
    X(rol_r16_i15, "rol ax, 15", MK_ROT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x0f)              \
    X(rol_r16_i16, "rol ax, 16", MK_ROT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x10)              \
    X(rol_r16_i17, "rol ax, 17", MK_ROT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x11)              \
    X(rol_r16_i31, "rol ax, 31", MK_ROT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x1f)              \
    X(rol_r16_i32, "rol ax, 32", MK_ROT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x20)              \
    X(rol_r16_i33, "rol ax, 33", MK_ROT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x21)              \
    X(rol_r16_i63, "rol ax, 63", MK_ROT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x3f)              \
    X(rol_r16_i64, "rol ax, 64", MK_ROT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xc0, 0x40)              \
    X(rol_m16_i5, "rol word ptr [rbx+4], 5", MK_ROT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x43, 0x04,   \
      0x05)                                                                                        \
    X(rol_r32_cl, "rol eax, cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0xc0)                           \
    X(rol_m32_cl, "rol dword ptr [rbx], cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0x03)               \
    X(rol_r32_1, "rol edx, 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0xc2)                             \
    X(rol_m32_1, "rol dword ptr [rbx+2], 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0x43, 0x02)         \
    X(rol_r32_i0, "rol eax, 0", MK_ROT, SZ32, 0, P_NONE, 0, 0xc1, 0xc0, 0x00)                      \
    X(rol_r32_i2, "rol eax, 2", MK_ROT, SZ32, 2, P_NONE, 0, 0xc1, 0xc0, 0x02)                      \
    X(rol_r32_i7, "rol eax, 7", MK_ROT, SZ32, 7, P_NONE, 0, 0xc1, 0xc0, 0x07)                      \
    X(rol_r32_i8, "rol eax, 8", MK_ROT, SZ32, 8, P_NONE, 0, 0xc1, 0xc0, 0x08)                      \
    X(rol_r32_i9, "rol eax, 9", MK_ROT, SZ32, 9, P_NONE, 0, 0xc1, 0xc0, 0x09)                      \
    X(rol_r32_i15, "rol eax, 15", MK_ROT, SZ32, 15, P_NONE, 0, 0xc1, 0xc0, 0x0f)                   \
    X(rol_r32_i16, "rol eax, 16", MK_ROT, SZ32, 16, P_NONE, 0, 0xc1, 0xc0, 0x10)                   \
    X(rol_r32_i17, "rol eax, 17", MK_ROT, SZ32, 17, P_NONE, 0, 0xc1, 0xc0, 0x11)                   \
    X(rol_r32_i31, "rol eax, 31", MK_ROT, SZ32, 31, P_NONE, 0, 0xc1, 0xc0, 0x1f)                   \
    X(rol_r32_i32, "rol eax, 32", MK_ROT, SZ32, 32, P_NONE, 0, 0xc1, 0xc0, 0x20)                   \
    X(rol_r32_i33, "rol eax, 33", MK_ROT, SZ32, 33, P_NONE, 0, 0xc1, 0xc0, 0x21)                   \
    X(rol_r32_i63, "rol eax, 63", MK_ROT, SZ32, 63, P_NONE, 0, 0xc1, 0xc0, 0x3f)                   \
    X(rol_r32_i64, "rol eax, 64", MK_ROT, SZ32, 64, P_NONE, 0, 0xc1, 0xc0, 0x40)                   \
    X(rol_m32_i5, "rol dword ptr [rbx+4], 5", MK_ROT, SZ32, 5, P_NONE, 0, 0xc1, 0x43, 0x04, 0x05)  \
    X(rol_r64_cl, "rol rax, cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xc0)                     \
    X(rol_m64_cl, "rol qword ptr [rbx], cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x03)         \
    X(rol_r64_1, "rol rdx, 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xc2)                       \
    X(rol_m64_1, "rol qword ptr [rbx+2], 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x43, 0x02)   \
    X(rol_r64_i0, "rol rax, 0", MK_ROT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x00)                \
    X(rol_r64_i2, "rol rax, 2", MK_ROT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x02)                \
    X(rol_r64_i7, "rol rax, 7", MK_ROT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x07)                \
    X(rol_r64_i8, "rol rax, 8", MK_ROT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x08)                \
    X(rol_r64_i9, "rol rax, 9", MK_ROT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x09)                \
    X(rol_r64_i15, "rol rax, 15", MK_ROT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x0f)             \
    X(rol_r64_i16, "rol rax, 16", MK_ROT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x10)             \
    X(rol_r64_i17, "rol rax, 17", MK_ROT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x11)             \
    X(rol_r64_i31, "rol rax, 31", MK_ROT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x1f)             \
    X(rol_r64_i32, "rol rax, 32", MK_ROT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x20)             \
    X(rol_r64_i33, "rol rax, 33", MK_ROT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x21)             \
    X(rol_r64_i63, "rol rax, 63", MK_ROT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x3f)             \
    X(rol_r64_i64, "rol rax, 64", MK_ROT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x40)             \
    X(rol_m64_i5, "rol qword ptr [rbx+4], 5", MK_ROT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x43, 0x04,  \
      0x05)                                                                                        \
    X(rol_ah_cl, "rol ah, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xc4)                              \
    X(rol_ch_3, "rol ch, 3", MK_ROT, SZ8, 3, P_NONE, 0, 0xc0, 0xc5, 0x03)                          \
    X(ror_r8_cl, "ror al, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xc8)                              \
    X(ror_m8_cl, "ror byte ptr [rbx], cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0x0b)                  \
    X(ror_r8_1, "ror dl, 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0xca)                                \
    X(ror_m8_1, "ror byte ptr [rbx+2], 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0x4b, 0x02)            \
    X(ror_r8_i0, "ror al, 0", MK_ROT, SZ8, 0, P_NONE, 0, 0xc0, 0xc8, 0x00)                         \
    X(ror_r8_i2, "ror al, 2", MK_ROT, SZ8, 2, P_NONE, 0, 0xc0, 0xc8, 0x02)                         \
    X(ror_r8_i7, "ror al, 7", MK_ROT, SZ8, 7, P_NONE, 0, 0xc0, 0xc8, 0x07)                         \
    X(ror_r8_i8, "ror al, 8", MK_ROT, SZ8, 8, P_NONE, 0, 0xc0, 0xc8, 0x08)                         \
    X(ror_r8_i9, "ror al, 9", MK_ROT, SZ8, 9, P_NONE, 0, 0xc0, 0xc8, 0x09)                         \
    X(ror_r8_i15, "ror al, 15", MK_ROT, SZ8, 15, P_NONE, 0, 0xc0, 0xc8, 0x0f)                      \
    X(ror_r8_i16, "ror al, 16", MK_ROT, SZ8, 16, P_NONE, 0, 0xc0, 0xc8, 0x10)                      \
    X(ror_r8_i17, "ror al, 17", MK_ROT, SZ8, 17, P_NONE, 0, 0xc0, 0xc8, 0x11)                      \
    X(ror_r8_i31, "ror al, 31", MK_ROT, SZ8, 31, P_NONE, 0, 0xc0, 0xc8, 0x1f)                      \
    X(ror_r8_i32, "ror al, 32", MK_ROT, SZ8, 32, P_NONE, 0, 0xc0, 0xc8, 0x20)                      \
    X(ror_r8_i33, "ror al, 33", MK_ROT, SZ8, 33, P_NONE, 0, 0xc0, 0xc8, 0x21)                      \
    X(ror_r8_i63, "ror al, 63", MK_ROT, SZ8, 63, P_NONE, 0, 0xc0, 0xc8, 0x3f)                      \
    X(ror_r8_i64, "ror al, 64", MK_ROT, SZ8, 64, P_NONE, 0, 0xc0, 0xc8, 0x40)                      \
    X(ror_m8_i5, "ror byte ptr [rbx+4], 5", MK_ROT, SZ8, 5, P_NONE, 0, 0xc0, 0x4b, 0x04, 0x05)     \
    X(ror_r16_cl, "ror ax, cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xc8)                      \
    X(ror_m16_cl, "ror word ptr [rbx], cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x0b)          \
    X(ror_r16_1, "ror dx, 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xca)                        \
    X(ror_m16_1, "ror word ptr [rbx+2], 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x4b, 0x02)    \
    X(ror_r16_i0, "ror ax, 0", MK_ROT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x00)                 \
    X(ror_r16_i2, "ror ax, 2", MK_ROT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x02)                 \
    X(ror_r16_i7, "ror ax, 7", MK_ROT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x07)                 \
    X(ror_r16_i8, "ror ax, 8", MK_ROT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x08)                 \
    X(ror_r16_i9, "ror ax, 9", MK_ROT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x09)                 \
    X(ror_r16_i15, "ror ax, 15", MK_ROT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x0f)              \
    X(ror_r16_i16, "ror ax, 16", MK_ROT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x10)              \
    X(ror_r16_i17, "ror ax, 17", MK_ROT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x11)              \
    X(ror_r16_i31, "ror ax, 31", MK_ROT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x1f)              \
    X(ror_r16_i32, "ror ax, 32", MK_ROT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x20)              \
    X(ror_r16_i33, "ror ax, 33", MK_ROT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x21)              \
    X(ror_r16_i63, "ror ax, 63", MK_ROT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x3f)              \
    X(ror_r16_i64, "ror ax, 64", MK_ROT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xc8, 0x40)              \
    X(ror_m16_i5, "ror word ptr [rbx+4], 5", MK_ROT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x4b, 0x04,   \
      0x05)                                                                                        \
    X(ror_r32_cl, "ror eax, cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0xc8)                           \
    X(ror_m32_cl, "ror dword ptr [rbx], cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0x0b)               \
    X(ror_r32_1, "ror edx, 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0xca)                             \
    X(ror_m32_1, "ror dword ptr [rbx+2], 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0x4b, 0x02)         \
    X(ror_r32_i0, "ror eax, 0", MK_ROT, SZ32, 0, P_NONE, 0, 0xc1, 0xc8, 0x00)                      \
    X(ror_r32_i2, "ror eax, 2", MK_ROT, SZ32, 2, P_NONE, 0, 0xc1, 0xc8, 0x02)                      \
    X(ror_r32_i7, "ror eax, 7", MK_ROT, SZ32, 7, P_NONE, 0, 0xc1, 0xc8, 0x07)                      \
    X(ror_r32_i8, "ror eax, 8", MK_ROT, SZ32, 8, P_NONE, 0, 0xc1, 0xc8, 0x08)                      \
    X(ror_r32_i9, "ror eax, 9", MK_ROT, SZ32, 9, P_NONE, 0, 0xc1, 0xc8, 0x09)                      \
    X(ror_r32_i15, "ror eax, 15", MK_ROT, SZ32, 15, P_NONE, 0, 0xc1, 0xc8, 0x0f)                   \
    X(ror_r32_i16, "ror eax, 16", MK_ROT, SZ32, 16, P_NONE, 0, 0xc1, 0xc8, 0x10)                   \
    X(ror_r32_i17, "ror eax, 17", MK_ROT, SZ32, 17, P_NONE, 0, 0xc1, 0xc8, 0x11)                   \
    X(ror_r32_i31, "ror eax, 31", MK_ROT, SZ32, 31, P_NONE, 0, 0xc1, 0xc8, 0x1f)                   \
    X(ror_r32_i32, "ror eax, 32", MK_ROT, SZ32, 32, P_NONE, 0, 0xc1, 0xc8, 0x20)                   \
    X(ror_r32_i33, "ror eax, 33", MK_ROT, SZ32, 33, P_NONE, 0, 0xc1, 0xc8, 0x21)                   \
    X(ror_r32_i63, "ror eax, 63", MK_ROT, SZ32, 63, P_NONE, 0, 0xc1, 0xc8, 0x3f)                   \
    X(ror_r32_i64, "ror eax, 64", MK_ROT, SZ32, 64, P_NONE, 0, 0xc1, 0xc8, 0x40)                   \
    X(ror_m32_i5, "ror dword ptr [rbx+4], 5", MK_ROT, SZ32, 5, P_NONE, 0, 0xc1, 0x4b, 0x04, 0x05)  \
    X(ror_r64_cl, "ror rax, cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xc8)                     \
    X(ror_m64_cl, "ror qword ptr [rbx], cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x0b)         \
    X(ror_r64_1, "ror rdx, 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xca)                       \
    X(ror_m64_1, "ror qword ptr [rbx+2], 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x4b, 0x02)   \
    X(ror_r64_i0, "ror rax, 0", MK_ROT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x00)                \
    X(ror_r64_i2, "ror rax, 2", MK_ROT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x02)                \
    X(ror_r64_i7, "ror rax, 7", MK_ROT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x07)                \
    X(ror_r64_i8, "ror rax, 8", MK_ROT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x08)                \
    X(ror_r64_i9, "ror rax, 9", MK_ROT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x09)                \
    X(ror_r64_i15, "ror rax, 15", MK_ROT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x0f)             \
    X(ror_r64_i16, "ror rax, 16", MK_ROT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x10)             \
    X(ror_r64_i17, "ror rax, 17", MK_ROT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x11)             \
    X(ror_r64_i31, "ror rax, 31", MK_ROT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x1f)             \
    X(ror_r64_i32, "ror rax, 32", MK_ROT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x20)             \
    X(ror_r64_i33, "ror rax, 33", MK_ROT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x21)             \
    X(ror_r64_i63, "ror rax, 63", MK_ROT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x3f)             \
    X(ror_r64_i64, "ror rax, 64", MK_ROT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xc8, 0x40)             \
    X(ror_m64_i5, "ror qword ptr [rbx+4], 5", MK_ROT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x4b, 0x04,  \
      0x05)                                                                                        \
    X(ror_ah_cl, "ror ah, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xcc)                              \
    X(ror_ch_3, "ror ch, 3", MK_ROT, SZ8, 3, P_NONE, 0, 0xc0, 0xcd, 0x03)                          \
    X(rcl_r8_cl, "rcl al, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xd0)                              \
    X(rcl_m8_cl, "rcl byte ptr [rbx], cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0x13)                  \
    X(rcl_r8_1, "rcl dl, 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0xd2)                                \
    X(rcl_m8_1, "rcl byte ptr [rbx+2], 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0x53, 0x02)            \
    X(rcl_r8_i0, "rcl al, 0", MK_ROT, SZ8, 0, P_NONE, 0, 0xc0, 0xd0, 0x00)                         \
    X(rcl_r8_i2, "rcl al, 2", MK_ROT, SZ8, 2, P_NONE, 0, 0xc0, 0xd0, 0x02)                         \
    X(rcl_r8_i7, "rcl al, 7", MK_ROT, SZ8, 7, P_NONE, 0, 0xc0, 0xd0, 0x07)                         \
    X(rcl_r8_i8, "rcl al, 8", MK_ROT, SZ8, 8, P_NONE, 0, 0xc0, 0xd0, 0x08)                         \
    X(rcl_r8_i9, "rcl al, 9", MK_ROT, SZ8, 9, P_NONE, 0, 0xc0, 0xd0, 0x09)                         \
    X(rcl_r8_i15, "rcl al, 15", MK_ROT, SZ8, 15, P_NONE, 0, 0xc0, 0xd0, 0x0f)                      \
    X(rcl_r8_i16, "rcl al, 16", MK_ROT, SZ8, 16, P_NONE, 0, 0xc0, 0xd0, 0x10)                      \
    X(rcl_r8_i17, "rcl al, 17", MK_ROT, SZ8, 17, P_NONE, 0, 0xc0, 0xd0, 0x11)                      \
    X(rcl_r8_i31, "rcl al, 31", MK_ROT, SZ8, 31, P_NONE, 0, 0xc0, 0xd0, 0x1f)                      \
    X(rcl_r8_i32, "rcl al, 32", MK_ROT, SZ8, 32, P_NONE, 0, 0xc0, 0xd0, 0x20)                      \
    X(rcl_r8_i33, "rcl al, 33", MK_ROT, SZ8, 33, P_NONE, 0, 0xc0, 0xd0, 0x21)                      \
    X(rcl_r8_i63, "rcl al, 63", MK_ROT, SZ8, 63, P_NONE, 0, 0xc0, 0xd0, 0x3f)                      \
    X(rcl_r8_i64, "rcl al, 64", MK_ROT, SZ8, 64, P_NONE, 0, 0xc0, 0xd0, 0x40)                      \
    X(rcl_m8_i5, "rcl byte ptr [rbx+4], 5", MK_ROT, SZ8, 5, P_NONE, 0, 0xc0, 0x53, 0x04, 0x05)     \
    X(rcl_r16_cl, "rcl ax, cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xd0)                      \
    X(rcl_m16_cl, "rcl word ptr [rbx], cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x13)          \
    X(rcl_r16_1, "rcl dx, 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xd2)                        \
    X(rcl_m16_1, "rcl word ptr [rbx+2], 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x53, 0x02)    \
    X(rcl_r16_i0, "rcl ax, 0", MK_ROT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x00)                 \
    X(rcl_r16_i2, "rcl ax, 2", MK_ROT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x02)                 \
    X(rcl_r16_i7, "rcl ax, 7", MK_ROT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x07)                 \
    X(rcl_r16_i8, "rcl ax, 8", MK_ROT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x08)                 \
    X(rcl_r16_i9, "rcl ax, 9", MK_ROT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x09)                 \
    X(rcl_r16_i15, "rcl ax, 15", MK_ROT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x0f)              \
    X(rcl_r16_i16, "rcl ax, 16", MK_ROT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x10)              \
    X(rcl_r16_i17, "rcl ax, 17", MK_ROT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x11)              \
    X(rcl_r16_i31, "rcl ax, 31", MK_ROT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x1f)              \
    X(rcl_r16_i32, "rcl ax, 32", MK_ROT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x20)              \
    X(rcl_r16_i33, "rcl ax, 33", MK_ROT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x21)              \
    X(rcl_r16_i63, "rcl ax, 63", MK_ROT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x3f)              \
    X(rcl_r16_i64, "rcl ax, 64", MK_ROT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xd0, 0x40)              \
    X(rcl_m16_i5, "rcl word ptr [rbx+4], 5", MK_ROT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x53, 0x04,   \
      0x05)                                                                                        \
    X(rcl_r32_cl, "rcl eax, cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0xd0)                           \
    X(rcl_m32_cl, "rcl dword ptr [rbx], cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0x13)               \
    X(rcl_r32_1, "rcl edx, 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0xd2)                             \
    X(rcl_m32_1, "rcl dword ptr [rbx+2], 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0x53, 0x02)         \
    X(rcl_r32_i0, "rcl eax, 0", MK_ROT, SZ32, 0, P_NONE, 0, 0xc1, 0xd0, 0x00)                      \
    X(rcl_r32_i2, "rcl eax, 2", MK_ROT, SZ32, 2, P_NONE, 0, 0xc1, 0xd0, 0x02)                      \
    X(rcl_r32_i7, "rcl eax, 7", MK_ROT, SZ32, 7, P_NONE, 0, 0xc1, 0xd0, 0x07)                      \
    X(rcl_r32_i8, "rcl eax, 8", MK_ROT, SZ32, 8, P_NONE, 0, 0xc1, 0xd0, 0x08)                      \
    X(rcl_r32_i9, "rcl eax, 9", MK_ROT, SZ32, 9, P_NONE, 0, 0xc1, 0xd0, 0x09)                      \
    X(rcl_r32_i15, "rcl eax, 15", MK_ROT, SZ32, 15, P_NONE, 0, 0xc1, 0xd0, 0x0f)                   \
    X(rcl_r32_i16, "rcl eax, 16", MK_ROT, SZ32, 16, P_NONE, 0, 0xc1, 0xd0, 0x10)                   \
    X(rcl_r32_i17, "rcl eax, 17", MK_ROT, SZ32, 17, P_NONE, 0, 0xc1, 0xd0, 0x11)                   \
    X(rcl_r32_i31, "rcl eax, 31", MK_ROT, SZ32, 31, P_NONE, 0, 0xc1, 0xd0, 0x1f)                   \
    X(rcl_r32_i32, "rcl eax, 32", MK_ROT, SZ32, 32, P_NONE, 0, 0xc1, 0xd0, 0x20)                   \
    X(rcl_r32_i33, "rcl eax, 33", MK_ROT, SZ32, 33, P_NONE, 0, 0xc1, 0xd0, 0x21)                   \
    X(rcl_r32_i63, "rcl eax, 63", MK_ROT, SZ32, 63, P_NONE, 0, 0xc1, 0xd0, 0x3f)                   \
    X(rcl_r32_i64, "rcl eax, 64", MK_ROT, SZ32, 64, P_NONE, 0, 0xc1, 0xd0, 0x40)                   \
    X(rcl_m32_i5, "rcl dword ptr [rbx+4], 5", MK_ROT, SZ32, 5, P_NONE, 0, 0xc1, 0x53, 0x04, 0x05)  \
    X(rcl_r64_cl, "rcl rax, cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xd0)                     \
    X(rcl_m64_cl, "rcl qword ptr [rbx], cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x13)         \
    X(rcl_r64_1, "rcl rdx, 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xd2)                       \
    X(rcl_m64_1, "rcl qword ptr [rbx+2], 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x53, 0x02)   \
    X(rcl_r64_i0, "rcl rax, 0", MK_ROT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x00)                \
    X(rcl_r64_i2, "rcl rax, 2", MK_ROT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x02)                \
    X(rcl_r64_i7, "rcl rax, 7", MK_ROT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x07)                \
    X(rcl_r64_i8, "rcl rax, 8", MK_ROT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x08)                \
    X(rcl_r64_i9, "rcl rax, 9", MK_ROT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x09)                \
    X(rcl_r64_i15, "rcl rax, 15", MK_ROT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x0f)             \
    X(rcl_r64_i16, "rcl rax, 16", MK_ROT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x10)             \
    X(rcl_r64_i17, "rcl rax, 17", MK_ROT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x11)             \
    X(rcl_r64_i31, "rcl rax, 31", MK_ROT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x1f)             \
    X(rcl_r64_i32, "rcl rax, 32", MK_ROT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x20)             \
    X(rcl_r64_i33, "rcl rax, 33", MK_ROT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x21)             \
    X(rcl_r64_i63, "rcl rax, 63", MK_ROT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x3f)             \
    X(rcl_r64_i64, "rcl rax, 64", MK_ROT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xd0, 0x40)             \
    X(rcl_m64_i5, "rcl qword ptr [rbx+4], 5", MK_ROT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x53, 0x04,  \
      0x05)                                                                                        \
    X(rcl_ah_cl, "rcl ah, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xd4)                              \
    X(rcl_ch_3, "rcl ch, 3", MK_ROT, SZ8, 3, P_NONE, 0, 0xc0, 0xd5, 0x03)                          \
    X(rcr_r8_cl, "rcr al, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xd8)                              \
    X(rcr_m8_cl, "rcr byte ptr [rbx], cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0x1b)                  \
    X(rcr_r8_1, "rcr dl, 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0xda)                                \
    X(rcr_m8_1, "rcr byte ptr [rbx+2], 1", MK_ROT, SZ8, 1, P_NONE, 0, 0xd0, 0x5b, 0x02)            \
    X(rcr_r8_i0, "rcr al, 0", MK_ROT, SZ8, 0, P_NONE, 0, 0xc0, 0xd8, 0x00)                         \
    X(rcr_r8_i2, "rcr al, 2", MK_ROT, SZ8, 2, P_NONE, 0, 0xc0, 0xd8, 0x02)                         \
    X(rcr_r8_i7, "rcr al, 7", MK_ROT, SZ8, 7, P_NONE, 0, 0xc0, 0xd8, 0x07)                         \
    X(rcr_r8_i8, "rcr al, 8", MK_ROT, SZ8, 8, P_NONE, 0, 0xc0, 0xd8, 0x08)                         \
    X(rcr_r8_i9, "rcr al, 9", MK_ROT, SZ8, 9, P_NONE, 0, 0xc0, 0xd8, 0x09)                         \
    X(rcr_r8_i15, "rcr al, 15", MK_ROT, SZ8, 15, P_NONE, 0, 0xc0, 0xd8, 0x0f)                      \
    X(rcr_r8_i16, "rcr al, 16", MK_ROT, SZ8, 16, P_NONE, 0, 0xc0, 0xd8, 0x10)                      \
    X(rcr_r8_i17, "rcr al, 17", MK_ROT, SZ8, 17, P_NONE, 0, 0xc0, 0xd8, 0x11)                      \
    X(rcr_r8_i31, "rcr al, 31", MK_ROT, SZ8, 31, P_NONE, 0, 0xc0, 0xd8, 0x1f)                      \
    X(rcr_r8_i32, "rcr al, 32", MK_ROT, SZ8, 32, P_NONE, 0, 0xc0, 0xd8, 0x20)                      \
    X(rcr_r8_i33, "rcr al, 33", MK_ROT, SZ8, 33, P_NONE, 0, 0xc0, 0xd8, 0x21)                      \
    X(rcr_r8_i63, "rcr al, 63", MK_ROT, SZ8, 63, P_NONE, 0, 0xc0, 0xd8, 0x3f)                      \
    X(rcr_r8_i64, "rcr al, 64", MK_ROT, SZ8, 64, P_NONE, 0, 0xc0, 0xd8, 0x40)                      \
    X(rcr_m8_i5, "rcr byte ptr [rbx+4], 5", MK_ROT, SZ8, 5, P_NONE, 0, 0xc0, 0x5b, 0x04, 0x05)     \
    X(rcr_r16_cl, "rcr ax, cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xd8)                      \
    X(rcr_m16_cl, "rcr word ptr [rbx], cl", MK_ROT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x1b)          \
    X(rcr_r16_1, "rcr dx, 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xda)                        \
    X(rcr_m16_1, "rcr word ptr [rbx+2], 1", MK_ROT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x5b, 0x02)    \
    X(rcr_r16_i0, "rcr ax, 0", MK_ROT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x00)                 \
    X(rcr_r16_i2, "rcr ax, 2", MK_ROT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x02)                 \
    X(rcr_r16_i7, "rcr ax, 7", MK_ROT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x07)                 \
    X(rcr_r16_i8, "rcr ax, 8", MK_ROT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x08)                 \
    X(rcr_r16_i9, "rcr ax, 9", MK_ROT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x09)                 \
    X(rcr_r16_i15, "rcr ax, 15", MK_ROT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x0f)              \
    X(rcr_r16_i16, "rcr ax, 16", MK_ROT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x10)              \
    X(rcr_r16_i17, "rcr ax, 17", MK_ROT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x11)              \
    X(rcr_r16_i31, "rcr ax, 31", MK_ROT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x1f)              \
    X(rcr_r16_i32, "rcr ax, 32", MK_ROT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x20)              \
    X(rcr_r16_i33, "rcr ax, 33", MK_ROT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x21)              \
    X(rcr_r16_i63, "rcr ax, 63", MK_ROT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x3f)              \
    X(rcr_r16_i64, "rcr ax, 64", MK_ROT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xd8, 0x40)              \
    X(rcr_m16_i5, "rcr word ptr [rbx+4], 5", MK_ROT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x5b, 0x04,   \
      0x05)                                                                                        \
    X(rcr_r32_cl, "rcr eax, cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0xd8)                           \
    X(rcr_m32_cl, "rcr dword ptr [rbx], cl", MK_ROT, SZ32, -1, P_CNT, 0, 0xd3, 0x1b)               \
    X(rcr_r32_1, "rcr edx, 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0xda)                             \
    X(rcr_m32_1, "rcr dword ptr [rbx+2], 1", MK_ROT, SZ32, 1, P_NONE, 0, 0xd1, 0x5b, 0x02)         \
    X(rcr_r32_i0, "rcr eax, 0", MK_ROT, SZ32, 0, P_NONE, 0, 0xc1, 0xd8, 0x00)                      \
    X(rcr_r32_i2, "rcr eax, 2", MK_ROT, SZ32, 2, P_NONE, 0, 0xc1, 0xd8, 0x02)                      \
    X(rcr_r32_i7, "rcr eax, 7", MK_ROT, SZ32, 7, P_NONE, 0, 0xc1, 0xd8, 0x07)                      \
    X(rcr_r32_i8, "rcr eax, 8", MK_ROT, SZ32, 8, P_NONE, 0, 0xc1, 0xd8, 0x08)                      \
    X(rcr_r32_i9, "rcr eax, 9", MK_ROT, SZ32, 9, P_NONE, 0, 0xc1, 0xd8, 0x09)                      \
    X(rcr_r32_i15, "rcr eax, 15", MK_ROT, SZ32, 15, P_NONE, 0, 0xc1, 0xd8, 0x0f)                   \
    X(rcr_r32_i16, "rcr eax, 16", MK_ROT, SZ32, 16, P_NONE, 0, 0xc1, 0xd8, 0x10)                   \
    X(rcr_r32_i17, "rcr eax, 17", MK_ROT, SZ32, 17, P_NONE, 0, 0xc1, 0xd8, 0x11)                   \
    X(rcr_r32_i31, "rcr eax, 31", MK_ROT, SZ32, 31, P_NONE, 0, 0xc1, 0xd8, 0x1f)                   \
    X(rcr_r32_i32, "rcr eax, 32", MK_ROT, SZ32, 32, P_NONE, 0, 0xc1, 0xd8, 0x20)                   \
    X(rcr_r32_i33, "rcr eax, 33", MK_ROT, SZ32, 33, P_NONE, 0, 0xc1, 0xd8, 0x21)                   \
    X(rcr_r32_i63, "rcr eax, 63", MK_ROT, SZ32, 63, P_NONE, 0, 0xc1, 0xd8, 0x3f)                   \
    X(rcr_r32_i64, "rcr eax, 64", MK_ROT, SZ32, 64, P_NONE, 0, 0xc1, 0xd8, 0x40)                   \
    X(rcr_m32_i5, "rcr dword ptr [rbx+4], 5", MK_ROT, SZ32, 5, P_NONE, 0, 0xc1, 0x5b, 0x04, 0x05)  \
    X(rcr_r64_cl, "rcr rax, cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xd8)                     \
    X(rcr_m64_cl, "rcr qword ptr [rbx], cl", MK_ROT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x1b)         \
    X(rcr_r64_1, "rcr rdx, 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xda)                       \
    X(rcr_m64_1, "rcr qword ptr [rbx+2], 1", MK_ROT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x5b, 0x02)   \
    X(rcr_r64_i0, "rcr rax, 0", MK_ROT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x00)                \
    X(rcr_r64_i2, "rcr rax, 2", MK_ROT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x02)                \
    X(rcr_r64_i7, "rcr rax, 7", MK_ROT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x07)                \
    X(rcr_r64_i8, "rcr rax, 8", MK_ROT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x08)                \
    X(rcr_r64_i9, "rcr rax, 9", MK_ROT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x09)                \
    X(rcr_r64_i15, "rcr rax, 15", MK_ROT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x0f)             \
    X(rcr_r64_i16, "rcr rax, 16", MK_ROT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x10)             \
    X(rcr_r64_i17, "rcr rax, 17", MK_ROT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x11)             \
    X(rcr_r64_i31, "rcr rax, 31", MK_ROT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x1f)             \
    X(rcr_r64_i32, "rcr rax, 32", MK_ROT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x20)             \
    X(rcr_r64_i33, "rcr rax, 33", MK_ROT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x21)             \
    X(rcr_r64_i63, "rcr rax, 63", MK_ROT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x3f)             \
    X(rcr_r64_i64, "rcr rax, 64", MK_ROT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xd8, 0x40)             \
    X(rcr_m64_i5, "rcr qword ptr [rbx+4], 5", MK_ROT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x5b, 0x04,  \
      0x05)                                                                                        \
    X(rcr_ah_cl, "rcr ah, cl", MK_ROT, SZ8, -1, P_CNT, 0, 0xd2, 0xdc)                              \
    X(rcr_ch_3, "rcr ch, 3", MK_ROT, SZ8, 3, P_NONE, 0, 0xc0, 0xdd, 0x03)                          \
    X(shl_r8_cl, "shl al, cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0xe0)                            \
    X(shl_m8_cl, "shl byte ptr [rbx], cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0x23)                \
    X(shl_r8_1, "shl dl, 1", MK_SHIFT, SZ8, 1, P_NONE, 0, 0xd0, 0xe2)                              \
    X(shl_m8_1, "shl byte ptr [rbx+2], 1", MK_SHIFT, SZ8, 1, P_NONE, 0, 0xd0, 0x63, 0x02)          \
    X(shl_r8_i0, "shl al, 0", MK_SHIFT, SZ8, 0, P_NONE, 0, 0xc0, 0xe0, 0x00)                       \
    X(shl_r8_i2, "shl al, 2", MK_SHIFT, SZ8, 2, P_NONE, 0, 0xc0, 0xe0, 0x02)                       \
    X(shl_r8_i7, "shl al, 7", MK_SHIFT, SZ8, 7, P_NONE, 0, 0xc0, 0xe0, 0x07)                       \
    X(shl_r8_i8, "shl al, 8", MK_SHIFT, SZ8, 8, P_NONE, 0, 0xc0, 0xe0, 0x08)                       \
    X(shl_r8_i9, "shl al, 9", MK_SHIFT, SZ8, 9, P_NONE, 0, 0xc0, 0xe0, 0x09)                       \
    X(shl_r8_i15, "shl al, 15", MK_SHIFT, SZ8, 15, P_NONE, 0, 0xc0, 0xe0, 0x0f)                    \
    X(shl_r8_i16, "shl al, 16", MK_SHIFT, SZ8, 16, P_NONE, 0, 0xc0, 0xe0, 0x10)                    \
    X(shl_r8_i17, "shl al, 17", MK_SHIFT, SZ8, 17, P_NONE, 0, 0xc0, 0xe0, 0x11)                    \
    X(shl_r8_i31, "shl al, 31", MK_SHIFT, SZ8, 31, P_NONE, 0, 0xc0, 0xe0, 0x1f)                    \
    X(shl_r8_i32, "shl al, 32", MK_SHIFT, SZ8, 32, P_NONE, 0, 0xc0, 0xe0, 0x20)                    \
    X(shl_r8_i33, "shl al, 33", MK_SHIFT, SZ8, 33, P_NONE, 0, 0xc0, 0xe0, 0x21)                    \
    X(shl_r8_i63, "shl al, 63", MK_SHIFT, SZ8, 63, P_NONE, 0, 0xc0, 0xe0, 0x3f)                    \
    X(shl_r8_i64, "shl al, 64", MK_SHIFT, SZ8, 64, P_NONE, 0, 0xc0, 0xe0, 0x40)                    \
    X(shl_m8_i5, "shl byte ptr [rbx+4], 5", MK_SHIFT, SZ8, 5, P_NONE, 0, 0xc0, 0x63, 0x04, 0x05)   \
    X(shl_r16_cl, "shl ax, cl", MK_SHIFT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xe0)                    \
    X(shl_m16_cl, "shl word ptr [rbx], cl", MK_SHIFT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x23)        \
    X(shl_r16_1, "shl dx, 1", MK_SHIFT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xe2)                      \
    X(shl_m16_1, "shl word ptr [rbx+2], 1", MK_SHIFT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x63, 0x02)  \
    X(shl_r16_i0, "shl ax, 0", MK_SHIFT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x00)               \
    X(shl_r16_i2, "shl ax, 2", MK_SHIFT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x02)               \
    X(shl_r16_i7, "shl ax, 7", MK_SHIFT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x07)               \
    X(shl_r16_i8, "shl ax, 8", MK_SHIFT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x08)               \
    X(shl_r16_i9, "shl ax, 9", MK_SHIFT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x09)               \
    X(shl_r16_i15, "shl ax, 15", MK_SHIFT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x0f)            \
    X(shl_r16_i16, "shl ax, 16", MK_SHIFT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x10)            \
    X(shl_r16_i17, "shl ax, 17", MK_SHIFT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x11)            \
    X(shl_r16_i31, "shl ax, 31", MK_SHIFT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x1f)            \
    X(shl_r16_i32, "shl ax, 32", MK_SHIFT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x20)            \
    X(shl_r16_i33, "shl ax, 33", MK_SHIFT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x21)            \
    X(shl_r16_i63, "shl ax, 63", MK_SHIFT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x3f)            \
    X(shl_r16_i64, "shl ax, 64", MK_SHIFT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xe0, 0x40)            \
    X(shl_m16_i5, "shl word ptr [rbx+4], 5", MK_SHIFT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x63, 0x04, \
      0x05)                                                                                        \
    X(shl_r32_cl, "shl eax, cl", MK_SHIFT, SZ32, -1, P_CNT, 0, 0xd3, 0xe0)                         \
    X(shl_m32_cl, "shl dword ptr [rbx], cl", MK_SHIFT, SZ32, -1, P_CNT, 0, 0xd3, 0x23)             \
    X(shl_r32_1, "shl edx, 1", MK_SHIFT, SZ32, 1, P_NONE, 0, 0xd1, 0xe2)                           \
    X(shl_m32_1, "shl dword ptr [rbx+2], 1", MK_SHIFT, SZ32, 1, P_NONE, 0, 0xd1, 0x63, 0x02)       \
    X(shl_r32_i0, "shl eax, 0", MK_SHIFT, SZ32, 0, P_NONE, 0, 0xc1, 0xe0, 0x00)                    \
    X(shl_r32_i2, "shl eax, 2", MK_SHIFT, SZ32, 2, P_NONE, 0, 0xc1, 0xe0, 0x02)                    \
    X(shl_r32_i7, "shl eax, 7", MK_SHIFT, SZ32, 7, P_NONE, 0, 0xc1, 0xe0, 0x07)                    \
    X(shl_r32_i8, "shl eax, 8", MK_SHIFT, SZ32, 8, P_NONE, 0, 0xc1, 0xe0, 0x08)                    \
    X(shl_r32_i9, "shl eax, 9", MK_SHIFT, SZ32, 9, P_NONE, 0, 0xc1, 0xe0, 0x09)                    \
    X(shl_r32_i15, "shl eax, 15", MK_SHIFT, SZ32, 15, P_NONE, 0, 0xc1, 0xe0, 0x0f)                 \
    X(shl_r32_i16, "shl eax, 16", MK_SHIFT, SZ32, 16, P_NONE, 0, 0xc1, 0xe0, 0x10)                 \
    X(shl_r32_i17, "shl eax, 17", MK_SHIFT, SZ32, 17, P_NONE, 0, 0xc1, 0xe0, 0x11)                 \
    X(shl_r32_i31, "shl eax, 31", MK_SHIFT, SZ32, 31, P_NONE, 0, 0xc1, 0xe0, 0x1f)                 \
    X(shl_r32_i32, "shl eax, 32", MK_SHIFT, SZ32, 32, P_NONE, 0, 0xc1, 0xe0, 0x20)                 \
    X(shl_r32_i33, "shl eax, 33", MK_SHIFT, SZ32, 33, P_NONE, 0, 0xc1, 0xe0, 0x21)                 \
    X(shl_r32_i63, "shl eax, 63", MK_SHIFT, SZ32, 63, P_NONE, 0, 0xc1, 0xe0, 0x3f)                 \
    X(shl_r32_i64, "shl eax, 64", MK_SHIFT, SZ32, 64, P_NONE, 0, 0xc1, 0xe0, 0x40)                 \
    X(shl_m32_i5, "shl dword ptr [rbx+4], 5", MK_SHIFT, SZ32, 5, P_NONE, 0, 0xc1, 0x63, 0x04,      \
      0x05)                                                                                        \
    X(shl_r64_cl, "shl rax, cl", MK_SHIFT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xe0)                   \
    X(shl_m64_cl, "shl qword ptr [rbx], cl", MK_SHIFT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x23)       \
    X(shl_r64_1, "shl rdx, 1", MK_SHIFT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xe2)                     \
    X(shl_m64_1, "shl qword ptr [rbx+2], 1", MK_SHIFT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x63, 0x02) \
    X(shl_r64_i0, "shl rax, 0", MK_SHIFT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x00)              \
    X(shl_r64_i2, "shl rax, 2", MK_SHIFT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x02)              \
    X(shl_r64_i7, "shl rax, 7", MK_SHIFT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x07)              \
    X(shl_r64_i8, "shl rax, 8", MK_SHIFT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x08)              \
    X(shl_r64_i9, "shl rax, 9", MK_SHIFT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x09)              \
    X(shl_r64_i15, "shl rax, 15", MK_SHIFT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x0f)           \
    X(shl_r64_i16, "shl rax, 16", MK_SHIFT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x10)           \
    X(shl_r64_i17, "shl rax, 17", MK_SHIFT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x11)           \
    X(shl_r64_i31, "shl rax, 31", MK_SHIFT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x1f)           \
    X(shl_r64_i32, "shl rax, 32", MK_SHIFT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x20)           \
    X(shl_r64_i33, "shl rax, 33", MK_SHIFT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x21)           \
    X(shl_r64_i63, "shl rax, 63", MK_SHIFT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x3f)           \
    X(shl_r64_i64, "shl rax, 64", MK_SHIFT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xe0, 0x40)           \
    X(shl_m64_i5, "shl qword ptr [rbx+4], 5", MK_SHIFT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x63,      \
      0x04, 0x05)                                                                                  \
    X(shl_ah_cl, "shl ah, cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0xe4)                            \
    X(shl_ch_3, "shl ch, 3", MK_SHIFT, SZ8, 3, P_NONE, 0, 0xc0, 0xe5, 0x03)                        \
    X(shr_r8_cl, "shr al, cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0xe8)                            \
    X(shr_m8_cl, "shr byte ptr [rbx], cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0x2b)                \
    X(shr_r8_1, "shr dl, 1", MK_SHIFT, SZ8, 1, P_NONE, 0, 0xd0, 0xea)                              \
    X(shr_m8_1, "shr byte ptr [rbx+2], 1", MK_SHIFT, SZ8, 1, P_NONE, 0, 0xd0, 0x6b, 0x02)          \
    X(shr_r8_i0, "shr al, 0", MK_SHIFT, SZ8, 0, P_NONE, 0, 0xc0, 0xe8, 0x00)                       \
    X(shr_r8_i2, "shr al, 2", MK_SHIFT, SZ8, 2, P_NONE, 0, 0xc0, 0xe8, 0x02)                       \
    X(shr_r8_i7, "shr al, 7", MK_SHIFT, SZ8, 7, P_NONE, 0, 0xc0, 0xe8, 0x07)                       \
    X(shr_r8_i8, "shr al, 8", MK_SHIFT, SZ8, 8, P_NONE, 0, 0xc0, 0xe8, 0x08)                       \
    X(shr_r8_i9, "shr al, 9", MK_SHIFT, SZ8, 9, P_NONE, 0, 0xc0, 0xe8, 0x09)                       \
    X(shr_r8_i15, "shr al, 15", MK_SHIFT, SZ8, 15, P_NONE, 0, 0xc0, 0xe8, 0x0f)                    \
    X(shr_r8_i16, "shr al, 16", MK_SHIFT, SZ8, 16, P_NONE, 0, 0xc0, 0xe8, 0x10)                    \
    X(shr_r8_i17, "shr al, 17", MK_SHIFT, SZ8, 17, P_NONE, 0, 0xc0, 0xe8, 0x11)                    \
    X(shr_r8_i31, "shr al, 31", MK_SHIFT, SZ8, 31, P_NONE, 0, 0xc0, 0xe8, 0x1f)                    \
    X(shr_r8_i32, "shr al, 32", MK_SHIFT, SZ8, 32, P_NONE, 0, 0xc0, 0xe8, 0x20)                    \
    X(shr_r8_i33, "shr al, 33", MK_SHIFT, SZ8, 33, P_NONE, 0, 0xc0, 0xe8, 0x21)                    \
    X(shr_r8_i63, "shr al, 63", MK_SHIFT, SZ8, 63, P_NONE, 0, 0xc0, 0xe8, 0x3f)                    \
    X(shr_r8_i64, "shr al, 64", MK_SHIFT, SZ8, 64, P_NONE, 0, 0xc0, 0xe8, 0x40)                    \
    X(shr_m8_i5, "shr byte ptr [rbx+4], 5", MK_SHIFT, SZ8, 5, P_NONE, 0, 0xc0, 0x6b, 0x04, 0x05)   \
    X(shr_r16_cl, "shr ax, cl", MK_SHIFT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xe8)                    \
    X(shr_m16_cl, "shr word ptr [rbx], cl", MK_SHIFT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x2b)        \
    X(shr_r16_1, "shr dx, 1", MK_SHIFT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xea)                      \
    X(shr_m16_1, "shr word ptr [rbx+2], 1", MK_SHIFT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x6b, 0x02)  \
    X(shr_r16_i0, "shr ax, 0", MK_SHIFT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x00)               \
    X(shr_r16_i2, "shr ax, 2", MK_SHIFT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x02)               \
    X(shr_r16_i7, "shr ax, 7", MK_SHIFT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x07)               \
    X(shr_r16_i8, "shr ax, 8", MK_SHIFT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x08)               \
    X(shr_r16_i9, "shr ax, 9", MK_SHIFT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x09)               \
    X(shr_r16_i15, "shr ax, 15", MK_SHIFT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x0f)            \
    X(shr_r16_i16, "shr ax, 16", MK_SHIFT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x10)            \
    X(shr_r16_i17, "shr ax, 17", MK_SHIFT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x11)            \
    X(shr_r16_i31, "shr ax, 31", MK_SHIFT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x1f)            \
    X(shr_r16_i32, "shr ax, 32", MK_SHIFT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x20)            \
    X(shr_r16_i33, "shr ax, 33", MK_SHIFT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x21)            \
    X(shr_r16_i63, "shr ax, 63", MK_SHIFT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x3f)            \
    X(shr_r16_i64, "shr ax, 64", MK_SHIFT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xe8, 0x40)            \
    X(shr_m16_i5, "shr word ptr [rbx+4], 5", MK_SHIFT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x6b, 0x04, \
      0x05)                                                                                        \
    X(shr_r32_cl, "shr eax, cl", MK_SHIFT, SZ32, -1, P_CNT, 0, 0xd3, 0xe8)                         \
    X(shr_m32_cl, "shr dword ptr [rbx], cl", MK_SHIFT, SZ32, -1, P_CNT, 0, 0xd3, 0x2b)             \
    X(shr_r32_1, "shr edx, 1", MK_SHIFT, SZ32, 1, P_NONE, 0, 0xd1, 0xea)                           \
    X(shr_m32_1, "shr dword ptr [rbx+2], 1", MK_SHIFT, SZ32, 1, P_NONE, 0, 0xd1, 0x6b, 0x02)       \
    X(shr_r32_i0, "shr eax, 0", MK_SHIFT, SZ32, 0, P_NONE, 0, 0xc1, 0xe8, 0x00)                    \
    X(shr_r32_i2, "shr eax, 2", MK_SHIFT, SZ32, 2, P_NONE, 0, 0xc1, 0xe8, 0x02)                    \
    X(shr_r32_i7, "shr eax, 7", MK_SHIFT, SZ32, 7, P_NONE, 0, 0xc1, 0xe8, 0x07)                    \
    X(shr_r32_i8, "shr eax, 8", MK_SHIFT, SZ32, 8, P_NONE, 0, 0xc1, 0xe8, 0x08)                    \
    X(shr_r32_i9, "shr eax, 9", MK_SHIFT, SZ32, 9, P_NONE, 0, 0xc1, 0xe8, 0x09)                    \
    X(shr_r32_i15, "shr eax, 15", MK_SHIFT, SZ32, 15, P_NONE, 0, 0xc1, 0xe8, 0x0f)                 \
    X(shr_r32_i16, "shr eax, 16", MK_SHIFT, SZ32, 16, P_NONE, 0, 0xc1, 0xe8, 0x10)                 \
    X(shr_r32_i17, "shr eax, 17", MK_SHIFT, SZ32, 17, P_NONE, 0, 0xc1, 0xe8, 0x11)                 \
    X(shr_r32_i31, "shr eax, 31", MK_SHIFT, SZ32, 31, P_NONE, 0, 0xc1, 0xe8, 0x1f)                 \
    X(shr_r32_i32, "shr eax, 32", MK_SHIFT, SZ32, 32, P_NONE, 0, 0xc1, 0xe8, 0x20)                 \
    X(shr_r32_i33, "shr eax, 33", MK_SHIFT, SZ32, 33, P_NONE, 0, 0xc1, 0xe8, 0x21)                 \
    X(shr_r32_i63, "shr eax, 63", MK_SHIFT, SZ32, 63, P_NONE, 0, 0xc1, 0xe8, 0x3f)                 \
    X(shr_r32_i64, "shr eax, 64", MK_SHIFT, SZ32, 64, P_NONE, 0, 0xc1, 0xe8, 0x40)                 \
    X(shr_m32_i5, "shr dword ptr [rbx+4], 5", MK_SHIFT, SZ32, 5, P_NONE, 0, 0xc1, 0x6b, 0x04,      \
      0x05)                                                                                        \
    X(shr_r64_cl, "shr rax, cl", MK_SHIFT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xe8)                   \
    X(shr_m64_cl, "shr qword ptr [rbx], cl", MK_SHIFT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x2b)       \
    X(shr_r64_1, "shr rdx, 1", MK_SHIFT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xea)                     \
    X(shr_m64_1, "shr qword ptr [rbx+2], 1", MK_SHIFT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x6b, 0x02) \
    X(shr_r64_i0, "shr rax, 0", MK_SHIFT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x00)              \
    X(shr_r64_i2, "shr rax, 2", MK_SHIFT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x02)              \
    X(shr_r64_i7, "shr rax, 7", MK_SHIFT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x07)              \
    X(shr_r64_i8, "shr rax, 8", MK_SHIFT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x08)              \
    X(shr_r64_i9, "shr rax, 9", MK_SHIFT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x09)              \
    X(shr_r64_i15, "shr rax, 15", MK_SHIFT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x0f)           \
    X(shr_r64_i16, "shr rax, 16", MK_SHIFT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x10)           \
    X(shr_r64_i17, "shr rax, 17", MK_SHIFT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x11)           \
    X(shr_r64_i31, "shr rax, 31", MK_SHIFT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x1f)           \
    X(shr_r64_i32, "shr rax, 32", MK_SHIFT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x20)           \
    X(shr_r64_i33, "shr rax, 33", MK_SHIFT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x21)           \
    X(shr_r64_i63, "shr rax, 63", MK_SHIFT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x3f)           \
    X(shr_r64_i64, "shr rax, 64", MK_SHIFT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xe8, 0x40)           \
    X(shr_m64_i5, "shr qword ptr [rbx+4], 5", MK_SHIFT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x6b,      \
      0x04, 0x05)                                                                                  \
    X(shr_ah_cl, "shr ah, cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0xec)                            \
    X(shr_ch_3, "shr ch, 3", MK_SHIFT, SZ8, 3, P_NONE, 0, 0xc0, 0xed, 0x03)                        \
    X(sar_r8_cl, "sar al, cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0xf8)                            \
    X(sar_m8_cl, "sar byte ptr [rbx], cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0x3b)                \
    X(sar_r8_1, "sar dl, 1", MK_SHIFT, SZ8, 1, P_NONE, 0, 0xd0, 0xfa)                              \
    X(sar_m8_1, "sar byte ptr [rbx+2], 1", MK_SHIFT, SZ8, 1, P_NONE, 0, 0xd0, 0x7b, 0x02)          \
    X(sar_r8_i0, "sar al, 0", MK_SHIFT, SZ8, 0, P_NONE, 0, 0xc0, 0xf8, 0x00)                       \
    X(sar_r8_i2, "sar al, 2", MK_SHIFT, SZ8, 2, P_NONE, 0, 0xc0, 0xf8, 0x02)                       \
    X(sar_r8_i7, "sar al, 7", MK_SHIFT, SZ8, 7, P_NONE, 0, 0xc0, 0xf8, 0x07)                       \
    X(sar_r8_i8, "sar al, 8", MK_SHIFT, SZ8, 8, P_NONE, 0, 0xc0, 0xf8, 0x08)                       \
    X(sar_r8_i9, "sar al, 9", MK_SHIFT, SZ8, 9, P_NONE, 0, 0xc0, 0xf8, 0x09)                       \
    X(sar_r8_i15, "sar al, 15", MK_SHIFT, SZ8, 15, P_NONE, 0, 0xc0, 0xf8, 0x0f)                    \
    X(sar_r8_i16, "sar al, 16", MK_SHIFT, SZ8, 16, P_NONE, 0, 0xc0, 0xf8, 0x10)                    \
    X(sar_r8_i17, "sar al, 17", MK_SHIFT, SZ8, 17, P_NONE, 0, 0xc0, 0xf8, 0x11)                    \
    X(sar_r8_i31, "sar al, 31", MK_SHIFT, SZ8, 31, P_NONE, 0, 0xc0, 0xf8, 0x1f)                    \
    X(sar_r8_i32, "sar al, 32", MK_SHIFT, SZ8, 32, P_NONE, 0, 0xc0, 0xf8, 0x20)                    \
    X(sar_r8_i33, "sar al, 33", MK_SHIFT, SZ8, 33, P_NONE, 0, 0xc0, 0xf8, 0x21)                    \
    X(sar_r8_i63, "sar al, 63", MK_SHIFT, SZ8, 63, P_NONE, 0, 0xc0, 0xf8, 0x3f)                    \
    X(sar_r8_i64, "sar al, 64", MK_SHIFT, SZ8, 64, P_NONE, 0, 0xc0, 0xf8, 0x40)                    \
    X(sar_m8_i5, "sar byte ptr [rbx+4], 5", MK_SHIFT, SZ8, 5, P_NONE, 0, 0xc0, 0x7b, 0x04, 0x05)   \
    X(sar_r16_cl, "sar ax, cl", MK_SHIFT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0xf8)                    \
    X(sar_m16_cl, "sar word ptr [rbx], cl", MK_SHIFT, SZ16, -1, P_CNT, 0, 0x66, 0xd3, 0x3b)        \
    X(sar_r16_1, "sar dx, 1", MK_SHIFT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0xfa)                      \
    X(sar_m16_1, "sar word ptr [rbx+2], 1", MK_SHIFT, SZ16, 1, P_NONE, 0, 0x66, 0xd1, 0x7b, 0x02)  \
    X(sar_r16_i0, "sar ax, 0", MK_SHIFT, SZ16, 0, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x00)               \
    X(sar_r16_i2, "sar ax, 2", MK_SHIFT, SZ16, 2, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x02)               \
    X(sar_r16_i7, "sar ax, 7", MK_SHIFT, SZ16, 7, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x07)               \
    X(sar_r16_i8, "sar ax, 8", MK_SHIFT, SZ16, 8, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x08)               \
    X(sar_r16_i9, "sar ax, 9", MK_SHIFT, SZ16, 9, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x09)               \
    X(sar_r16_i15, "sar ax, 15", MK_SHIFT, SZ16, 15, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x0f)            \
    X(sar_r16_i16, "sar ax, 16", MK_SHIFT, SZ16, 16, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x10)            \
    X(sar_r16_i17, "sar ax, 17", MK_SHIFT, SZ16, 17, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x11)            \
    X(sar_r16_i31, "sar ax, 31", MK_SHIFT, SZ16, 31, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x1f)            \
    X(sar_r16_i32, "sar ax, 32", MK_SHIFT, SZ16, 32, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x20)            \
    X(sar_r16_i33, "sar ax, 33", MK_SHIFT, SZ16, 33, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x21)            \
    X(sar_r16_i63, "sar ax, 63", MK_SHIFT, SZ16, 63, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x3f)            \
    X(sar_r16_i64, "sar ax, 64", MK_SHIFT, SZ16, 64, P_NONE, 0, 0x66, 0xc1, 0xf8, 0x40)            \
    X(sar_m16_i5, "sar word ptr [rbx+4], 5", MK_SHIFT, SZ16, 5, P_NONE, 0, 0x66, 0xc1, 0x7b, 0x04, \
      0x05)                                                                                        \
    X(sar_r32_cl, "sar eax, cl", MK_SHIFT, SZ32, -1, P_CNT, 0, 0xd3, 0xf8)                         \
    X(sar_m32_cl, "sar dword ptr [rbx], cl", MK_SHIFT, SZ32, -1, P_CNT, 0, 0xd3, 0x3b)             \
    X(sar_r32_1, "sar edx, 1", MK_SHIFT, SZ32, 1, P_NONE, 0, 0xd1, 0xfa)                           \
    X(sar_m32_1, "sar dword ptr [rbx+2], 1", MK_SHIFT, SZ32, 1, P_NONE, 0, 0xd1, 0x7b, 0x02)       \
    X(sar_r32_i0, "sar eax, 0", MK_SHIFT, SZ32, 0, P_NONE, 0, 0xc1, 0xf8, 0x00)                    \
    X(sar_r32_i2, "sar eax, 2", MK_SHIFT, SZ32, 2, P_NONE, 0, 0xc1, 0xf8, 0x02)                    \
    X(sar_r32_i7, "sar eax, 7", MK_SHIFT, SZ32, 7, P_NONE, 0, 0xc1, 0xf8, 0x07)                    \
    X(sar_r32_i8, "sar eax, 8", MK_SHIFT, SZ32, 8, P_NONE, 0, 0xc1, 0xf8, 0x08)                    \
    X(sar_r32_i9, "sar eax, 9", MK_SHIFT, SZ32, 9, P_NONE, 0, 0xc1, 0xf8, 0x09)                    \
    X(sar_r32_i15, "sar eax, 15", MK_SHIFT, SZ32, 15, P_NONE, 0, 0xc1, 0xf8, 0x0f)                 \
    X(sar_r32_i16, "sar eax, 16", MK_SHIFT, SZ32, 16, P_NONE, 0, 0xc1, 0xf8, 0x10)                 \
    X(sar_r32_i17, "sar eax, 17", MK_SHIFT, SZ32, 17, P_NONE, 0, 0xc1, 0xf8, 0x11)                 \
    X(sar_r32_i31, "sar eax, 31", MK_SHIFT, SZ32, 31, P_NONE, 0, 0xc1, 0xf8, 0x1f)                 \
    X(sar_r32_i32, "sar eax, 32", MK_SHIFT, SZ32, 32, P_NONE, 0, 0xc1, 0xf8, 0x20)                 \
    X(sar_r32_i33, "sar eax, 33", MK_SHIFT, SZ32, 33, P_NONE, 0, 0xc1, 0xf8, 0x21)                 \
    X(sar_r32_i63, "sar eax, 63", MK_SHIFT, SZ32, 63, P_NONE, 0, 0xc1, 0xf8, 0x3f)                 \
    X(sar_r32_i64, "sar eax, 64", MK_SHIFT, SZ32, 64, P_NONE, 0, 0xc1, 0xf8, 0x40)                 \
    X(sar_m32_i5, "sar dword ptr [rbx+4], 5", MK_SHIFT, SZ32, 5, P_NONE, 0, 0xc1, 0x7b, 0x04,      \
      0x05)                                                                                        \
    X(sar_r64_cl, "sar rax, cl", MK_SHIFT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0xf8)                   \
    X(sar_m64_cl, "sar qword ptr [rbx], cl", MK_SHIFT, SZ64, -1, P_CNT, 0, 0x48, 0xd3, 0x3b)       \
    X(sar_r64_1, "sar rdx, 1", MK_SHIFT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0xfa)                     \
    X(sar_m64_1, "sar qword ptr [rbx+2], 1", MK_SHIFT, SZ64, 1, P_NONE, 0, 0x48, 0xd1, 0x7b, 0x02) \
    X(sar_r64_i0, "sar rax, 0", MK_SHIFT, SZ64, 0, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x00)              \
    X(sar_r64_i2, "sar rax, 2", MK_SHIFT, SZ64, 2, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x02)              \
    X(sar_r64_i7, "sar rax, 7", MK_SHIFT, SZ64, 7, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x07)              \
    X(sar_r64_i8, "sar rax, 8", MK_SHIFT, SZ64, 8, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x08)              \
    X(sar_r64_i9, "sar rax, 9", MK_SHIFT, SZ64, 9, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x09)              \
    X(sar_r64_i15, "sar rax, 15", MK_SHIFT, SZ64, 15, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x0f)           \
    X(sar_r64_i16, "sar rax, 16", MK_SHIFT, SZ64, 16, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x10)           \
    X(sar_r64_i17, "sar rax, 17", MK_SHIFT, SZ64, 17, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x11)           \
    X(sar_r64_i31, "sar rax, 31", MK_SHIFT, SZ64, 31, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x1f)           \
    X(sar_r64_i32, "sar rax, 32", MK_SHIFT, SZ64, 32, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x20)           \
    X(sar_r64_i33, "sar rax, 33", MK_SHIFT, SZ64, 33, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x21)           \
    X(sar_r64_i63, "sar rax, 63", MK_SHIFT, SZ64, 63, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x3f)           \
    X(sar_r64_i64, "sar rax, 64", MK_SHIFT, SZ64, 64, P_NONE, 0, 0x48, 0xc1, 0xf8, 0x40)           \
    X(sar_m64_i5, "sar qword ptr [rbx+4], 5", MK_SHIFT, SZ64, 5, P_NONE, 0, 0x48, 0xc1, 0x7b,      \
      0x04, 0x05)                                                                                  \
    X(sar_ah_cl, "sar ah, cl", MK_SHIFT, SZ8, -1, P_CNT, 0, 0xd2, 0xfc)                            \
    X(sar_ch_3, "sar ch, 3", MK_SHIFT, SZ8, 3, P_NONE, 0, 0xc0, 0xfd, 0x03)                        \
    X(shld_r16_cl, "shld ax, dx, cl", MK_SHD, SZ16, -1, P_CNT16, 0, 0x66, 0x0f, 0xa5, 0xd0)        \
    X(shld_m16_cl, "shld word ptr [rbx], dx, cl", MK_SHD, SZ16, -1, P_CNT16, 0, 0x66, 0x0f, 0xa5,  \
      0x13)                                                                                        \
    X(shld_r16_i0, "shld ax, dx, 0", MK_SHD, SZ16, 0, P_NONE, 0, 0x66, 0x0f, 0xa4, 0xd0, 0x00)     \
    X(shld_r16_i1, "shld ax, dx, 1", MK_SHD, SZ16, 1, P_NONE, 0, 0x66, 0x0f, 0xa4, 0xd0, 0x01)     \
    X(shld_r16_i4, "shld ax, dx, 4", MK_SHD, SZ16, 4, P_NONE, 0, 0x66, 0x0f, 0xa4, 0xd0, 0x04)     \
    X(shld_r16_i16, "shld ax, dx, 16", MK_SHD, SZ16, 16, P_NONE, 0, 0x66, 0x0f, 0xa4, 0xd0, 0x10)  \
    X(shld_m16_i3, "shld word ptr [rbx+1], dx, 3", MK_SHD, SZ16, 3, P_NONE, 0, 0x66, 0x0f, 0xa4,   \
      0x53, 0x01, 0x03)                                                                            \
    X(shld_r32_cl, "shld eax, edx, cl", MK_SHD, SZ32, -1, P_CNT, 0, 0x0f, 0xa5, 0xd0)              \
    X(shld_m32_cl, "shld dword ptr [rbx], edx, cl", MK_SHD, SZ32, -1, P_CNT, 0, 0x0f, 0xa5, 0x13)  \
    X(shld_r32_i0, "shld eax, edx, 0", MK_SHD, SZ32, 0, P_NONE, 0, 0x0f, 0xa4, 0xd0, 0x00)         \
    X(shld_r32_i1, "shld eax, edx, 1", MK_SHD, SZ32, 1, P_NONE, 0, 0x0f, 0xa4, 0xd0, 0x01)         \
    X(shld_r32_i4, "shld eax, edx, 4", MK_SHD, SZ32, 4, P_NONE, 0, 0x0f, 0xa4, 0xd0, 0x04)         \
    X(shld_r32_i16, "shld eax, edx, 16", MK_SHD, SZ32, 16, P_NONE, 0, 0x0f, 0xa4, 0xd0, 0x10)      \
    X(shld_r32_i31, "shld eax, edx, 31", MK_SHD, SZ32, 31, P_NONE, 0, 0x0f, 0xa4, 0xd0, 0x1f)      \
    X(shld_r32_i63, "shld eax, edx, 63", MK_SHD, SZ32, 63, P_NONE, 0, 0x0f, 0xa4, 0xd0, 0x3f)      \
    X(shld_m32_i3, "shld dword ptr [rbx+1], edx, 3", MK_SHD, SZ32, 3, P_NONE, 0, 0x0f, 0xa4, 0x53, \
      0x01, 0x03)                                                                                  \
    X(shld_r64_cl, "shld rax, rdx, cl", MK_SHD, SZ64, -1, P_CNT, 0, 0x48, 0x0f, 0xa5, 0xd0)        \
    X(shld_m64_cl, "shld qword ptr [rbx], rdx, cl", MK_SHD, SZ64, -1, P_CNT, 0, 0x48, 0x0f, 0xa5,  \
      0x13)                                                                                        \
    X(shld_r64_i0, "shld rax, rdx, 0", MK_SHD, SZ64, 0, P_NONE, 0, 0x48, 0x0f, 0xa4, 0xd0, 0x00)   \
    X(shld_r64_i1, "shld rax, rdx, 1", MK_SHD, SZ64, 1, P_NONE, 0, 0x48, 0x0f, 0xa4, 0xd0, 0x01)   \
    X(shld_r64_i4, "shld rax, rdx, 4", MK_SHD, SZ64, 4, P_NONE, 0, 0x48, 0x0f, 0xa4, 0xd0, 0x04)   \
    X(shld_r64_i16, "shld rax, rdx, 16", MK_SHD, SZ64, 16, P_NONE, 0, 0x48, 0x0f, 0xa4, 0xd0,      \
      0x10)                                                                                        \
    X(shld_r64_i31, "shld rax, rdx, 31", MK_SHD, SZ64, 31, P_NONE, 0, 0x48, 0x0f, 0xa4, 0xd0,      \
      0x1f)                                                                                        \
    X(shld_r64_i63, "shld rax, rdx, 63", MK_SHD, SZ64, 63, P_NONE, 0, 0x48, 0x0f, 0xa4, 0xd0,      \
      0x3f)                                                                                        \
    X(shld_m64_i3, "shld qword ptr [rbx+1], rdx, 3", MK_SHD, SZ64, 3, P_NONE, 0, 0x48, 0x0f, 0xa4, \
      0x53, 0x01, 0x03)                                                                            \
    X(shrd_r16_cl, "shrd ax, dx, cl", MK_SHD, SZ16, -1, P_CNT16, 0, 0x66, 0x0f, 0xad, 0xd0)        \
    X(shrd_m16_cl, "shrd word ptr [rbx], dx, cl", MK_SHD, SZ16, -1, P_CNT16, 0, 0x66, 0x0f, 0xad,  \
      0x13)                                                                                        \
    X(shrd_r16_i0, "shrd ax, dx, 0", MK_SHD, SZ16, 0, P_NONE, 0, 0x66, 0x0f, 0xac, 0xd0, 0x00)     \
    X(shrd_r16_i1, "shrd ax, dx, 1", MK_SHD, SZ16, 1, P_NONE, 0, 0x66, 0x0f, 0xac, 0xd0, 0x01)     \
    X(shrd_r16_i4, "shrd ax, dx, 4", MK_SHD, SZ16, 4, P_NONE, 0, 0x66, 0x0f, 0xac, 0xd0, 0x04)     \
    X(shrd_r16_i16, "shrd ax, dx, 16", MK_SHD, SZ16, 16, P_NONE, 0, 0x66, 0x0f, 0xac, 0xd0, 0x10)  \
    X(shrd_m16_i3, "shrd word ptr [rbx+1], dx, 3", MK_SHD, SZ16, 3, P_NONE, 0, 0x66, 0x0f, 0xac,   \
      0x53, 0x01, 0x03)                                                                            \
    X(shrd_r32_cl, "shrd eax, edx, cl", MK_SHD, SZ32, -1, P_CNT, 0, 0x0f, 0xad, 0xd0)              \
    X(shrd_m32_cl, "shrd dword ptr [rbx], edx, cl", MK_SHD, SZ32, -1, P_CNT, 0, 0x0f, 0xad, 0x13)  \
    X(shrd_r32_i0, "shrd eax, edx, 0", MK_SHD, SZ32, 0, P_NONE, 0, 0x0f, 0xac, 0xd0, 0x00)         \
    X(shrd_r32_i1, "shrd eax, edx, 1", MK_SHD, SZ32, 1, P_NONE, 0, 0x0f, 0xac, 0xd0, 0x01)         \
    X(shrd_r32_i4, "shrd eax, edx, 4", MK_SHD, SZ32, 4, P_NONE, 0, 0x0f, 0xac, 0xd0, 0x04)         \
    X(shrd_r32_i16, "shrd eax, edx, 16", MK_SHD, SZ32, 16, P_NONE, 0, 0x0f, 0xac, 0xd0, 0x10)      \
    X(shrd_r32_i31, "shrd eax, edx, 31", MK_SHD, SZ32, 31, P_NONE, 0, 0x0f, 0xac, 0xd0, 0x1f)      \
    X(shrd_r32_i63, "shrd eax, edx, 63", MK_SHD, SZ32, 63, P_NONE, 0, 0x0f, 0xac, 0xd0, 0x3f)      \
    X(shrd_m32_i3, "shrd dword ptr [rbx+1], edx, 3", MK_SHD, SZ32, 3, P_NONE, 0, 0x0f, 0xac, 0x53, \
      0x01, 0x03)                                                                                  \
    X(shrd_r64_cl, "shrd rax, rdx, cl", MK_SHD, SZ64, -1, P_CNT, 0, 0x48, 0x0f, 0xad, 0xd0)        \
    X(shrd_m64_cl, "shrd qword ptr [rbx], rdx, cl", MK_SHD, SZ64, -1, P_CNT, 0, 0x48, 0x0f, 0xad,  \
      0x13)                                                                                        \
    X(shrd_r64_i0, "shrd rax, rdx, 0", MK_SHD, SZ64, 0, P_NONE, 0, 0x48, 0x0f, 0xac, 0xd0, 0x00)   \
    X(shrd_r64_i1, "shrd rax, rdx, 1", MK_SHD, SZ64, 1, P_NONE, 0, 0x48, 0x0f, 0xac, 0xd0, 0x01)   \
    X(shrd_r64_i4, "shrd rax, rdx, 4", MK_SHD, SZ64, 4, P_NONE, 0, 0x48, 0x0f, 0xac, 0xd0, 0x04)   \
    X(shrd_r64_i16, "shrd rax, rdx, 16", MK_SHD, SZ64, 16, P_NONE, 0, 0x48, 0x0f, 0xac, 0xd0,      \
      0x10)                                                                                        \
    X(shrd_r64_i31, "shrd rax, rdx, 31", MK_SHD, SZ64, 31, P_NONE, 0, 0x48, 0x0f, 0xac, 0xd0,      \
      0x1f)                                                                                        \
    X(shrd_r64_i63, "shrd rax, rdx, 63", MK_SHD, SZ64, 63, P_NONE, 0, 0x48, 0x0f, 0xac, 0xd0,      \
      0x3f)                                                                                        \
    X(shrd_m64_i3, "shrd qword ptr [rbx+1], rdx, 3", MK_SHD, SZ64, 3, P_NONE, 0, 0x48, 0x0f, 0xac, \
      0x53, 0x01, 0x03)                                                                            \
    X(mul_r8, "mul cl", MK_MUL, SZ8, -1, P_NONE, 0, 0xf6, 0xe1)                                    \
    X(imul1_r8, "imul cl", MK_MUL, SZ8, -1, P_NONE, 0, 0xf6, 0xe9)                                 \
    X(mul_m8, "mul byte ptr [rbx]", MK_MUL, SZ8, -1, P_NONE, 0, 0xf6, 0x23)                        \
    X(imul1_m8, "imul byte ptr [rbx+8]", MK_MUL, SZ8, -1, P_NONE, 0, 0xf6, 0x6b, 0x08)             \
    X(div_r8, "div cl", MK_NONE, SZ8, -1, P_DIV8, 0, 0xf6, 0xf1)                                   \
    X(idiv_r8, "idiv cl", MK_NONE, SZ8, -1, P_IDIV8, 0, 0xf6, 0xf9)                                \
    X(mul_r16, "mul cx", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0xe1)                            \
    X(imul1_r16, "imul cx", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0xe9)                         \
    X(mul_m16, "mul word ptr [rbx]", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0x23)                \
    X(imul1_m16, "imul word ptr [rbx+8]", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0xf7, 0x6b, 0x08)     \
    X(div_r16, "div cx", MK_NONE, SZ16, -1, P_DIV16, 0, 0x66, 0xf7, 0xf1)                          \
    X(idiv_r16, "idiv cx", MK_NONE, SZ16, -1, P_IDIV16, 0, 0x66, 0xf7, 0xf9)                       \
    X(imul2_r16, "imul ax, cx", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0xaf, 0xc1)               \
    X(imul2_m16, "imul dx, word ptr [rbx]", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0xaf, 0x13)   \
    X(imul3_r16_i8, "imul ax, cx, -7", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0x6b, 0xc1, 0xf9)        \
    X(imul3_r16_iz, "imul ax, cx, 0x4321", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0x69, 0xc1, 0x21,    \
      0x43)                                                                                        \
    X(imul3_m16_iz, "imul ax, word ptr [rbx], -0x4321", MK_MUL, SZ16, -1, P_NONE, 0, 0x66, 0x69,   \
      0x03, 0xdf, 0xbc)                                                                            \
    X(bt_r16_r16, "bt ax, cx", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xa3, 0xc8)              \
    X(bt_r16_i, "bt ax, 0x4d", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba, 0xe0, 0x4d)        \
    X(bt_m16_r16, "bt word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0x0f, 0xa3, 0x0b) \
    X(bt_m16_i, "bt word ptr [rbx+2], 0x23", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba,      \
      0x63, 0x02, 0x23)                                                                            \
    X(bts_r16_r16, "bts ax, cx", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xab, 0xc8)            \
    X(bts_r16_i, "bts ax, 0x4d", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba, 0xe8, 0x4d)      \
    X(bts_m16_r16, "bts word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0x0f, 0xab,     \
      0x0b)                                                                                        \
    X(bts_m16_i, "bts word ptr [rbx+2], 0x23", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba,    \
      0x6b, 0x02, 0x23)                                                                            \
    X(lock_bts_m16_r16, "lock bts word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0xf0, \
      0x0f, 0xab, 0x0b)                                                                            \
    X(btr_r16_r16, "btr ax, cx", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xb3, 0xc8)            \
    X(btr_r16_i, "btr ax, 0x4d", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba, 0xf0, 0x4d)      \
    X(btr_m16_r16, "btr word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0x0f, 0xb3,     \
      0x0b)                                                                                        \
    X(btr_m16_i, "btr word ptr [rbx+2], 0x23", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba,    \
      0x73, 0x02, 0x23)                                                                            \
    X(lock_btr_m16_r16, "lock btr word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0xf0, \
      0x0f, 0xb3, 0x0b)                                                                            \
    X(btc_r16_r16, "btc ax, cx", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xbb, 0xc8)            \
    X(btc_r16_i, "btc ax, 0x4d", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba, 0xf8, 0x4d)      \
    X(btc_m16_r16, "btc word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0x0f, 0xbb,     \
      0x0b)                                                                                        \
    X(btc_m16_i, "btc word ptr [rbx+2], 0x23", MK_CONST, SZ16, 65, P_NONE, 0, 0x66, 0x0f, 0xba,    \
      0x7b, 0x02, 0x23)                                                                            \
    X(lock_btc_m16_r16, "lock btc word ptr [rbx], cx", MK_CONST, SZ16, 65, P_BTMEM, 0, 0x66, 0xf0, \
      0x0f, 0xbb, 0x0b)                                                                            \
    X(bsf_r16, "bsf ax, cx", MK_ZF, SZ16, -1, P_SCAN, F_SCAN, 0x66, 0x0f, 0xbc, 0xc1)              \
    X(bsf_m16, "bsf ax, word ptr [rbx]", MK_ZF, SZ16, -1, P_NONE, F_SCANM, 0x66, 0x0f, 0xbc, 0x03) \
    X(bsr_r16, "bsr ax, cx", MK_ZF, SZ16, -1, P_SCAN, F_SCAN, 0x66, 0x0f, 0xbd, 0xc1)              \
    X(bsr_m16, "bsr ax, word ptr [rbx]", MK_ZF, SZ16, -1, P_NONE, F_SCANM, 0x66, 0x0f, 0xbd, 0x03) \
    X(popcnt_r16, "popcnt ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0xf3, 0x0f, 0xb8, 0xc1)      \
    X(cmovo_r16, "cmovo ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x40, 0xc1)              \
    X(cmovno_r16, "cmovno ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x41, 0xc1)            \
    X(cmovb_r16, "cmovb ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x42, 0xc1)              \
    X(cmovae_r16, "cmovae ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x43, 0xc1)            \
    X(cmove_r16, "cmove ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x44, 0xc1)              \
    X(cmovne_r16, "cmovne ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x45, 0xc1)            \
    X(cmovbe_r16, "cmovbe ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x46, 0xc1)            \
    X(cmova_r16, "cmova ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x47, 0xc1)              \
    X(cmovs_r16, "cmovs ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x48, 0xc1)              \
    X(cmovns_r16, "cmovns ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x49, 0xc1)            \
    X(cmovp_r16, "cmovp ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4a, 0xc1)              \
    X(cmovnp_r16, "cmovnp ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4b, 0xc1)            \
    X(cmovl_r16, "cmovl ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4c, 0xc1)              \
    X(cmovge_r16, "cmovge ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4d, 0xc1)            \
    X(cmovle_r16, "cmovle ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4e, 0xc1)            \
    X(cmovg_r16, "cmovg ax, cx", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4f, 0xc1)              \
    X(cmovl_m16, "cmovl cx, word ptr [rbx]", MK_ALL, SZ16, -1, P_NONE, 0, 0x66, 0x0f, 0x4c, 0x0b)  \
    X(mul_r32, "mul ecx", MK_MUL, SZ32, -1, P_NONE, 0, 0xf7, 0xe1)                                 \
    X(imul1_r32, "imul ecx", MK_MUL, SZ32, -1, P_NONE, 0, 0xf7, 0xe9)                              \
    X(mul_m32, "mul dword ptr [rbx]", MK_MUL, SZ32, -1, P_NONE, 0, 0xf7, 0x23)                     \
    X(imul1_m32, "imul dword ptr [rbx+8]", MK_MUL, SZ32, -1, P_NONE, 0, 0xf7, 0x6b, 0x08)          \
    X(div_r32, "div ecx", MK_NONE, SZ32, -1, P_DIV32, 0, 0xf7, 0xf1)                               \
    X(idiv_r32, "idiv ecx", MK_NONE, SZ32, -1, P_IDIV32, 0, 0xf7, 0xf9)                            \
    X(imul2_r32, "imul eax, ecx", MK_MUL, SZ32, -1, P_NONE, 0, 0x0f, 0xaf, 0xc1)                   \
    X(imul2_m32, "imul edx, dword ptr [rbx]", MK_MUL, SZ32, -1, P_NONE, 0, 0x0f, 0xaf, 0x13)       \
    X(imul3_r32_i8, "imul eax, ecx, -7", MK_MUL, SZ32, -1, P_NONE, 0, 0x6b, 0xc1, 0xf9)            \
    X(imul3_r32_iz, "imul eax, ecx, 0x4321", MK_MUL, SZ32, -1, P_NONE, 0, 0x69, 0xc1, 0x21, 0x43,  \
      0x00, 0x00)                                                                                  \
    X(imul3_m32_iz, "imul eax, dword ptr [rbx], -0x4321", MK_MUL, SZ32, -1, P_NONE, 0, 0x69, 0x03, \
      0xdf, 0xbc, 0xff, 0xff)                                                                      \
    X(bt_r32_r32, "bt eax, ecx", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xa3, 0xc8)                  \
    X(bt_r32_i, "bt eax, 0x4d", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0xe0, 0x4d)             \
    X(bt_m32_r32, "bt dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0x0f, 0xa3, 0x0b)     \
    X(bt_m32_i, "bt dword ptr [rbx+2], 0x23", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0x63,     \
      0x02, 0x23)                                                                                  \
    X(bts_r32_r32, "bts eax, ecx", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xab, 0xc8)                \
    X(bts_r32_i, "bts eax, 0x4d", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0xe8, 0x4d)           \
    X(bts_m32_r32, "bts dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0x0f, 0xab, 0x0b)   \
    X(bts_m32_i, "bts dword ptr [rbx+2], 0x23", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0x6b,   \
      0x02, 0x23)                                                                                  \
    X(lock_bts_m32_r32, "lock bts dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0xf0,     \
      0x0f, 0xab, 0x0b)                                                                            \
    X(btr_r32_r32, "btr eax, ecx", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xb3, 0xc8)                \
    X(btr_r32_i, "btr eax, 0x4d", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0xf0, 0x4d)           \
    X(btr_m32_r32, "btr dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0x0f, 0xb3, 0x0b)   \
    X(btr_m32_i, "btr dword ptr [rbx+2], 0x23", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0x73,   \
      0x02, 0x23)                                                                                  \
    X(lock_btr_m32_r32, "lock btr dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0xf0,     \
      0x0f, 0xb3, 0x0b)                                                                            \
    X(btc_r32_r32, "btc eax, ecx", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xbb, 0xc8)                \
    X(btc_r32_i, "btc eax, 0x4d", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0xf8, 0x4d)           \
    X(btc_m32_r32, "btc dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0x0f, 0xbb, 0x0b)   \
    X(btc_m32_i, "btc dword ptr [rbx+2], 0x23", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xba, 0x7b,   \
      0x02, 0x23)                                                                                  \
    X(lock_btc_m32_r32, "lock btc dword ptr [rbx], ecx", MK_CONST, SZ32, 65, P_BTMEM, 0, 0xf0,     \
      0x0f, 0xbb, 0x0b)                                                                            \
    X(bsf_r32, "bsf eax, ecx", MK_ZF, SZ32, -1, P_SCAN, F_SCAN, 0x0f, 0xbc, 0xc1)                  \
    X(bsf_m32, "bsf eax, dword ptr [rbx]", MK_ZF, SZ32, -1, P_NONE, F_SCANM, 0x0f, 0xbc, 0x03)     \
    X(bsr_r32, "bsr eax, ecx", MK_ZF, SZ32, -1, P_SCAN, F_SCAN, 0x0f, 0xbd, 0xc1)                  \
    X(bsr_m32, "bsr eax, dword ptr [rbx]", MK_ZF, SZ32, -1, P_NONE, F_SCANM, 0x0f, 0xbd, 0x03)     \
    X(popcnt_r32, "popcnt eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0xf3, 0x0f, 0xb8, 0xc1)          \
    X(cmovo_r32, "cmovo eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x40, 0xc1)                  \
    X(cmovno_r32, "cmovno eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x41, 0xc1)                \
    X(cmovb_r32, "cmovb eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x42, 0xc1)                  \
    X(cmovae_r32, "cmovae eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x43, 0xc1)                \
    X(cmove_r32, "cmove eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x44, 0xc1)                  \
    X(cmovne_r32, "cmovne eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x45, 0xc1)                \
    X(cmovbe_r32, "cmovbe eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x46, 0xc1)                \
    X(cmova_r32, "cmova eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x47, 0xc1)                  \
    X(cmovs_r32, "cmovs eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x48, 0xc1)                  \
    X(cmovns_r32, "cmovns eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x49, 0xc1)                \
    X(cmovp_r32, "cmovp eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4a, 0xc1)                  \
    X(cmovnp_r32, "cmovnp eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4b, 0xc1)                \
    X(cmovl_r32, "cmovl eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4c, 0xc1)                  \
    X(cmovge_r32, "cmovge eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4d, 0xc1)                \
    X(cmovle_r32, "cmovle eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4e, 0xc1)                \
    X(cmovg_r32, "cmovg eax, ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4f, 0xc1)                  \
    X(cmovl_m32, "cmovl ecx, dword ptr [rbx]", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0x4c, 0x0b)      \
    X(mul_r64, "mul rcx", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0xe1)                           \
    X(imul1_r64, "imul rcx", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0xe9)                        \
    X(mul_m64, "mul qword ptr [rbx]", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0x23)               \
    X(imul1_m64, "imul qword ptr [rbx+8]", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0xf7, 0x6b, 0x08)    \
    X(div_r64, "div rcx", MK_NONE, SZ64, -1, P_DIV64, 0, 0x48, 0xf7, 0xf1)                         \
    X(idiv_r64, "idiv rcx", MK_NONE, SZ64, -1, P_IDIV64, 0, 0x48, 0xf7, 0xf9)                      \
    X(imul2_r64, "imul rax, rcx", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0xaf, 0xc1)             \
    X(imul2_m64, "imul rdx, qword ptr [rbx]", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0xaf, 0x13) \
    X(imul3_r64_i8, "imul rax, rcx, -7", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0x6b, 0xc1, 0xf9)      \
    X(imul3_r64_iz, "imul rax, rcx, 0x4321", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0x69, 0xc1, 0x21,  \
      0x43, 0x00, 0x00)                                                                            \
    X(imul3_m64_iz, "imul rax, qword ptr [rbx], -0x4321", MK_MUL, SZ64, -1, P_NONE, 0, 0x48, 0x69, \
      0x03, 0xdf, 0xbc, 0xff, 0xff)                                                                \
    X(bt_r64_r64, "bt rax, rcx", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xa3, 0xc8)            \
    X(bt_r64_i, "bt rax, 0x4d", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba, 0xe0, 0x4d)       \
    X(bt_m64_r64, "bt qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0x48, 0x0f, 0xa3,     \
      0x0b)                                                                                        \
    X(bt_m64_i, "bt qword ptr [rbx+2], 0x23", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba,     \
      0x63, 0x02, 0x23)                                                                            \
    X(bts_r64_r64, "bts rax, rcx", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xab, 0xc8)          \
    X(bts_r64_i, "bts rax, 0x4d", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba, 0xe8, 0x4d)     \
    X(bts_m64_r64, "bts qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0x48, 0x0f, 0xab,   \
      0x0b)                                                                                        \
    X(bts_m64_i, "bts qword ptr [rbx+2], 0x23", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba,   \
      0x6b, 0x02, 0x23)                                                                            \
    X(lock_bts_m64_r64, "lock bts qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0xf0,     \
      0x48, 0x0f, 0xab, 0x0b)                                                                      \
    X(btr_r64_r64, "btr rax, rcx", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xb3, 0xc8)          \
    X(btr_r64_i, "btr rax, 0x4d", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba, 0xf0, 0x4d)     \
    X(btr_m64_r64, "btr qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0x48, 0x0f, 0xb3,   \
      0x0b)                                                                                        \
    X(btr_m64_i, "btr qword ptr [rbx+2], 0x23", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba,   \
      0x73, 0x02, 0x23)                                                                            \
    X(lock_btr_m64_r64, "lock btr qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0xf0,     \
      0x48, 0x0f, 0xb3, 0x0b)                                                                      \
    X(btc_r64_r64, "btc rax, rcx", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xbb, 0xc8)          \
    X(btc_r64_i, "btc rax, 0x4d", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba, 0xf8, 0x4d)     \
    X(btc_m64_r64, "btc qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0x48, 0x0f, 0xbb,   \
      0x0b)                                                                                        \
    X(btc_m64_i, "btc qword ptr [rbx+2], 0x23", MK_CONST, SZ64, 65, P_NONE, 0, 0x48, 0x0f, 0xba,   \
      0x7b, 0x02, 0x23)                                                                            \
    X(lock_btc_m64_r64, "lock btc qword ptr [rbx], rcx", MK_CONST, SZ64, 65, P_BTMEM, 0, 0xf0,     \
      0x48, 0x0f, 0xbb, 0x0b)                                                                      \
    X(bsf_r64, "bsf rax, rcx", MK_ZF, SZ64, -1, P_SCAN, F_SCAN, 0x48, 0x0f, 0xbc, 0xc1)            \
    X(bsf_m64, "bsf rax, qword ptr [rbx]", MK_ZF, SZ64, -1, P_NONE, F_SCANM, 0x48, 0x0f, 0xbc,     \
      0x03)                                                                                        \
    X(bsr_r64, "bsr rax, rcx", MK_ZF, SZ64, -1, P_SCAN, F_SCAN, 0x48, 0x0f, 0xbd, 0xc1)            \
    X(bsr_m64, "bsr rax, qword ptr [rbx]", MK_ZF, SZ64, -1, P_NONE, F_SCANM, 0x48, 0x0f, 0xbd,     \
      0x03)                                                                                        \
    X(popcnt_r64, "popcnt rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0xf3, 0x48, 0x0f, 0xb8, 0xc1)    \
    X(cmovo_r64, "cmovo rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x40, 0xc1)            \
    X(cmovno_r64, "cmovno rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x41, 0xc1)          \
    X(cmovb_r64, "cmovb rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x42, 0xc1)            \
    X(cmovae_r64, "cmovae rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x43, 0xc1)          \
    X(cmove_r64, "cmove rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x44, 0xc1)            \
    X(cmovne_r64, "cmovne rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x45, 0xc1)          \
    X(cmovbe_r64, "cmovbe rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x46, 0xc1)          \
    X(cmova_r64, "cmova rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x47, 0xc1)            \
    X(cmovs_r64, "cmovs rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x48, 0xc1)            \
    X(cmovns_r64, "cmovns rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x49, 0xc1)          \
    X(cmovp_r64, "cmovp rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4a, 0xc1)            \
    X(cmovnp_r64, "cmovnp rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4b, 0xc1)          \
    X(cmovl_r64, "cmovl rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4c, 0xc1)            \
    X(cmovge_r64, "cmovge rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4d, 0xc1)          \
    X(cmovle_r64, "cmovle rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4e, 0xc1)          \
    X(cmovg_r64, "cmovg rax, rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4f, 0xc1)            \
    X(cmovl_m64, "cmovl rcx, qword ptr [rbx]", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0x4c,      \
      0x0b)                                                                                        \
    X(div_m32, "div dword ptr [rbx]", MK_NONE, SZ32, -1, P_DIVM32, 0, 0xf7, 0x33)                  \
    X(seto_r8, "seto al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x90, 0xc0)                            \
    X(seto_ah, "seto ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x90, 0xc4)                            \
    X(seto_m8, "seto byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x90, 0x43, 0x07)        \
    X(setno_r8, "setno al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x91, 0xc0)                          \
    X(setno_ah, "setno ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x91, 0xc4)                          \
    X(setno_m8, "setno byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x91, 0x43, 0x07)      \
    X(setb_r8, "setb al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x92, 0xc0)                            \
    X(setb_ah, "setb ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x92, 0xc4)                            \
    X(setb_m8, "setb byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x92, 0x43, 0x07)        \
    X(setae_r8, "setae al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x93, 0xc0)                          \
    X(setae_ah, "setae ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x93, 0xc4)                          \
    X(setae_m8, "setae byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x93, 0x43, 0x07)      \
    X(sete_r8, "sete al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x94, 0xc0)                            \
    X(sete_ah, "sete ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x94, 0xc4)                            \
    X(sete_m8, "sete byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x94, 0x43, 0x07)        \
    X(setne_r8, "setne al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x95, 0xc0)                          \
    X(setne_ah, "setne ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x95, 0xc4)                          \
    X(setne_m8, "setne byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x95, 0x43, 0x07)      \
    X(setbe_r8, "setbe al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x96, 0xc0)                          \
    X(setbe_ah, "setbe ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x96, 0xc4)                          \
    X(setbe_m8, "setbe byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x96, 0x43, 0x07)      \
    X(seta_r8, "seta al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x97, 0xc0)                            \
    X(seta_ah, "seta ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x97, 0xc4)                            \
    X(seta_m8, "seta byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x97, 0x43, 0x07)        \
    X(sets_r8, "sets al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x98, 0xc0)                            \
    X(sets_ah, "sets ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x98, 0xc4)                            \
    X(sets_m8, "sets byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x98, 0x43, 0x07)        \
    X(setns_r8, "setns al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x99, 0xc0)                          \
    X(setns_ah, "setns ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x99, 0xc4)                          \
    X(setns_m8, "setns byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x99, 0x43, 0x07)      \
    X(setp_r8, "setp al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9a, 0xc0)                            \
    X(setp_ah, "setp ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9a, 0xc4)                            \
    X(setp_m8, "setp byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9a, 0x43, 0x07)        \
    X(setnp_r8, "setnp al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9b, 0xc0)                          \
    X(setnp_ah, "setnp ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9b, 0xc4)                          \
    X(setnp_m8, "setnp byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9b, 0x43, 0x07)      \
    X(setl_r8, "setl al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9c, 0xc0)                            \
    X(setl_ah, "setl ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9c, 0xc4)                            \
    X(setl_m8, "setl byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9c, 0x43, 0x07)        \
    X(setge_r8, "setge al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9d, 0xc0)                          \
    X(setge_ah, "setge ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9d, 0xc4)                          \
    X(setge_m8, "setge byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9d, 0x43, 0x07)      \
    X(setle_r8, "setle al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9e, 0xc0)                          \
    X(setle_ah, "setle ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9e, 0xc4)                          \
    X(setle_m8, "setle byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9e, 0x43, 0x07)      \
    X(setg_r8, "setg al", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9f, 0xc0)                            \
    X(setg_ah, "setg ah", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9f, 0xc4)                            \
    X(setg_m8, "setg byte ptr [rbx+7]", MK_ALL, SZ8, -1, P_NONE, 0, 0x0f, 0x9f, 0x43, 0x07)        \
    X(bswap_r32, "bswap ecx", MK_ALL, SZ32, -1, P_NONE, 0, 0x0f, 0xc9)                             \
    X(bswap_r64, "bswap rcx", MK_ALL, SZ64, -1, P_NONE, 0, 0x48, 0x0f, 0xc9)                       \
    X(cbw, "cbw", MK_ALL, SZ32, -1, P_NONE, 0, 0x66, 0x98)                                         \
    X(cwde, "cwde", MK_ALL, SZ32, -1, P_NONE, 0, 0x98)                                             \
    X(cdqe, "cdqe", MK_ALL, SZ32, -1, P_NONE, 0, 0x48, 0x98)                                       \
    X(cwd, "cwd", MK_ALL, SZ32, -1, P_NONE, 0, 0x66, 0x99)                                         \
    X(cdq, "cdq", MK_ALL, SZ32, -1, P_NONE, 0, 0x99)                                               \
    X(cqo, "cqo", MK_ALL, SZ32, -1, P_NONE, 0, 0x48, 0x99)                                         \
    X(lahf, "lahf", MK_ALL, SZ32, -1, P_NONE, 0, 0x9f)                                             \
    X(sahf, "sahf", MK_ALL, SZ32, -1, P_NONE, 0, 0x9e)                                             \
    X(cmc, "cmc", MK_ALL, SZ32, -1, P_NONE, 0, 0xf5)                                               \
    X(clc, "clc", MK_ALL, SZ32, -1, P_NONE, 0, 0xf8)                                               \
    X(stc, "stc", MK_ALL, SZ32, -1, P_NONE, 0, 0xf9)                                               \
    X(seq_add_adc, "add eax, ecx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8,      \
      0x11, 0xca)                                                                                  \
    X(seq_add_sbb, "add eax, ecx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8,      \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_add_rcl, "add eax, ecx; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8, 0xd1,  \
      0xd2)                                                                                        \
    X(seq_add_inc, "add eax, ecx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8, 0xff,     \
      0xc2)                                                                                        \
    X(seq_add_ror, "add eax, ecx; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8, 0xd1,  \
      0xca)                                                                                        \
    X(seq_add_cmc, "add eax, ecx; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8, 0xf5)         \
    X(seq_add_lahf, "add eax, ecx; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x01, 0xc8, 0x9f)       \
    X(seq_add_rol3, "add eax, ecx; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x01, 0xc8, 0xc1,  \
      0xc2, 0x03)                                                                                  \
    X(seq_adc_adc, "adc eax, ecx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8,      \
      0x11, 0xca)                                                                                  \
    X(seq_adc_sbb, "adc eax, ecx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8,      \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_adc_rcl, "adc eax, ecx; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8, 0xd1,  \
      0xd2)                                                                                        \
    X(seq_adc_inc, "adc eax, ecx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8, 0xff,     \
      0xc2)                                                                                        \
    X(seq_adc_ror, "adc eax, ecx; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8, 0xd1,  \
      0xca)                                                                                        \
    X(seq_adc_cmc, "adc eax, ecx; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8, 0xf5)         \
    X(seq_adc_lahf, "adc eax, ecx; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x11, 0xc8, 0x9f)       \
    X(seq_adc_rol3, "adc eax, ecx; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x11, 0xc8, 0xc1,  \
      0xc2, 0x03)                                                                                  \
    X(seq_sub_adc, "sub rax, rcx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29,      \
      0xc8, 0x11, 0xca)                                                                            \
    X(seq_sub_sbb, "sub rax, rcx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29,      \
      0xc8, 0x48, 0x19, 0xca)                                                                      \
    X(seq_sub_rcl, "sub rax, rcx; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc8,  \
      0xd1, 0xd2)                                                                                  \
    X(seq_sub_inc, "sub rax, rcx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc8,     \
      0xff, 0xc2)                                                                                  \
    X(seq_sub_ror, "sub rax, rcx; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc8,  \
      0xd1, 0xca)                                                                                  \
    X(seq_sub_cmc, "sub rax, rcx; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc8, 0xf5)   \
    X(seq_sub_lahf, "sub rax, rcx; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc8, 0x9f) \
    X(seq_sub_rol3, "sub rax, rcx; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x48, 0x29, 0xc8,  \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_sbb_adc, "sbb ax, cx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8,  \
      0x11, 0xca)                                                                                  \
    X(seq_sbb_sbb, "sbb ax, cx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8,  \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_sbb_rcl, "sbb ax, cx; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8,    \
      0xd1, 0xd2)                                                                                  \
    X(seq_sbb_inc, "sbb ax, cx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8, 0xff, \
      0xc2)                                                                                        \
    X(seq_sbb_ror, "sbb ax, cx; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8,    \
      0xd1, 0xca)                                                                                  \
    X(seq_sbb_cmc, "sbb ax, cx; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8, 0xf5)     \
    X(seq_sbb_lahf, "sbb ax, cx; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0x19, 0xc8, 0x9f)   \
    X(seq_sbb_rol3, "sbb ax, cx; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x66, 0x19, 0xc8,    \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_cmp_adc, "cmp al, cl; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0x11,  \
      0xca)                                                                                        \
    X(seq_cmp_sbb, "cmp al, cl; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0x48,  \
      0x19, 0xca)                                                                                  \
    X(seq_cmp_rcl, "cmp al, cl; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0xd1,    \
      0xd2)                                                                                        \
    X(seq_cmp_inc, "cmp al, cl; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0xff, 0xc2) \
    X(seq_cmp_ror, "cmp al, cl; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0xd1,    \
      0xca)                                                                                        \
    X(seq_cmp_cmc, "cmp al, cl; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0xf5)           \
    X(seq_cmp_lahf, "cmp al, cl; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x38, 0xc8, 0x9f)         \
    X(seq_cmp_rol3, "cmp al, cl; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x38, 0xc8, 0xc1,    \
      0xc2, 0x03)                                                                                  \
    X(seq_and_adc, "and eax, ecx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x21, 0xc8,      \
      0x11, 0xca)                                                                                  \
    X(seq_and_sbb, "and eax, ecx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x21, 0xc8,      \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_and_rcl, "and eax, ecx; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x21, 0xc8, 0xd1,  \
      0xd2)                                                                                        \
    X(seq_and_inc, "and eax, ecx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x21, 0xc8, 0xff,     \
      0xc2)                                                                                        \
    X(seq_and_ror, "and eax, ecx; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x21, 0xc8, 0xd1,  \
      0xca)                                                                                        \
    X(seq_and_cmc, "and eax, ecx; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0x21, 0xc8, 0xf5)         \
    X(seq_and_rol3, "and eax, ecx; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x21, 0xc8, 0xc1,  \
      0xc2, 0x03)                                                                                  \
    X(seq_inc_adc, "inc eax; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0x11,     \
      0xca)                                                                                        \
    X(seq_inc_sbb, "inc eax; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0x48,     \
      0x19, 0xca)                                                                                  \
    X(seq_inc_rcl, "inc eax; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0xd1, 0xd2) \
    X(seq_inc_inc, "inc eax; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0xff, 0xc2)    \
    X(seq_inc_ror, "inc eax; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0xd1, 0xca) \
    X(seq_inc_cmc, "inc eax; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0xf5)              \
    X(seq_inc_lahf, "inc eax; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0xff, 0xc0, 0x9f)            \
    X(seq_inc_rol3, "inc eax; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0xff, 0xc0, 0xc1, 0xc2, \
      0x03)                                                                                        \
    X(seq_dec_adc, "dec cl; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0x11,      \
      0xca)                                                                                        \
    X(seq_dec_sbb, "dec cl; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0x48,      \
      0x19, 0xca)                                                                                  \
    X(seq_dec_rcl, "dec cl; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0xd1, 0xd2)  \
    X(seq_dec_inc, "dec cl; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0xff, 0xc2)     \
    X(seq_dec_ror, "dec cl; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0xd1, 0xca)  \
    X(seq_dec_cmc, "dec cl; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0xf5)               \
    X(seq_dec_lahf, "dec cl; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0xfe, 0xc9, 0x9f)             \
    X(seq_dec_rol3, "dec cl; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0xfe, 0xc9, 0xc1, 0xc2,  \
      0x03)                                                                                        \
    X(seq_neg_adc, "neg rcx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9,     \
      0x11, 0xca)                                                                                  \
    X(seq_neg_sbb, "neg rcx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9,     \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_neg_rcl, "neg rcx; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9, 0xd1, \
      0xd2)                                                                                        \
    X(seq_neg_inc, "neg rcx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9, 0xff,    \
      0xc2)                                                                                        \
    X(seq_neg_ror, "neg rcx; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9, 0xd1, \
      0xca)                                                                                        \
    X(seq_neg_cmc, "neg rcx; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9, 0xf5)        \
    X(seq_neg_lahf, "neg rcx; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xf7, 0xd9, 0x9f)      \
    X(seq_neg_rol3, "neg rcx; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x48, 0xf7, 0xd9, 0xc1, \
      0xc2, 0x03)                                                                                  \
    X(seq_shl1_adc, "shl eax, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xe0, 0x11, \
      0xca)                                                                                        \
    X(seq_shl1_sbb, "shl eax, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xe0, 0x48, \
      0x19, 0xca)                                                                                  \
    X(seq_shl1_rcl, "shl eax, 1; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0xd1, 0xe0, 0xd1,   \
      0xd2)                                                                                        \
    X(seq_shl1_inc, "shl eax, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xe0, 0xff,      \
      0xc2)                                                                                        \
    X(seq_shl1_ror, "shl eax, 1; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0xd1, 0xe0, 0xd1,   \
      0xca)                                                                                        \
    X(seq_shl1_cmc, "shl eax, 1; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0xd1, 0xe0, 0xf5)          \
    X(seq_shl1_rol3, "shl eax, 1; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0xd1, 0xe0, 0xc1,   \
      0xc2, 0x03)                                                                                  \
    X(seq_shr1_adc, "shr cx, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xd1, 0xe9,  \
      0x11, 0xca)                                                                                  \
    X(seq_shr1_sbb, "shr cx, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xd1, 0xe9,  \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_shr1_rcl, "shr cx, 1; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x66, 0xd1, 0xe9,    \
      0xd1, 0xd2)                                                                                  \
    X(seq_shr1_inc, "shr cx, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xd1, 0xe9, 0xff, \
      0xc2)                                                                                        \
    X(seq_shr1_ror, "shr cx, 1; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x66, 0xd1, 0xe9,    \
      0xd1, 0xca)                                                                                  \
    X(seq_shr1_cmc, "shr cx, 1; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0x66, 0xd1, 0xe9, 0xf5)     \
    X(seq_shr1_rol3, "shr cx, 1; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x66, 0xd1, 0xe9,    \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_sar1_adc, "sar rax, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xd1, 0xf8, \
      0x11, 0xca)                                                                                  \
    X(seq_sar1_sbb, "sar rax, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xd1, 0xf8, \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_sar1_rcl, "sar rax, 1; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x48, 0xd1, 0xf8,   \
      0xd1, 0xd2)                                                                                  \
    X(seq_sar1_inc, "sar rax, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xd1, 0xf8,      \
      0xff, 0xc2)                                                                                  \
    X(seq_sar1_ror, "sar rax, 1; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x48, 0xd1, 0xf8,   \
      0xd1, 0xca)                                                                                  \
    X(seq_sar1_cmc, "sar rax, 1; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0x48, 0xd1, 0xf8, 0xf5)    \
    X(seq_sar1_rol3, "sar rax, 1; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x48, 0xd1, 0xf8,   \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_shl5_adc, "shl eax, 5; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xc1, 0xe0, 0x05, \
      0x11, 0xca)                                                                                  \
    X(seq_shl5_sbb, "shl eax, 5; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xc1, 0xe0, 0x05, \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_shl5_rcl, "shl eax, 5; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0xc1, 0xe0, 0x05,   \
      0xd1, 0xd2)                                                                                  \
    X(seq_shl5_inc, "shl eax, 5; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xc1, 0xe0, 0x05,      \
      0xff, 0xc2)                                                                                  \
    X(seq_shl5_ror, "shl eax, 5; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0xc1, 0xe0, 0x05,   \
      0xd1, 0xca)                                                                                  \
    X(seq_shl5_cmc, "shl eax, 5; cmc", MK_CONST, SZ32, 197, P_NONE, 0, 0xc1, 0xe0, 0x05, 0xf5)     \
    X(seq_shl5_rol3, "shl eax, 5; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0xc1, 0xe0, 0x05,   \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_shr7_adc, "shr rcx, 7; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xe9, \
      0x07, 0x11, 0xca)                                                                            \
    X(seq_shr7_sbb, "shr rcx, 7; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xe9, \
      0x07, 0x48, 0x19, 0xca)                                                                      \
    X(seq_shr7_rcl, "shr rcx, 7; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x48, 0xc1, 0xe9,   \
      0x07, 0xd1, 0xd2)                                                                            \
    X(seq_shr7_inc, "shr rcx, 7; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xe9,      \
      0x07, 0xff, 0xc2)                                                                            \
    X(seq_shr7_ror, "shr rcx, 7; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x48, 0xc1, 0xe9,   \
      0x07, 0xd1, 0xca)                                                                            \
    X(seq_shr7_cmc, "shr rcx, 7; cmc", MK_CONST, SZ32, 197, P_NONE, 0, 0x48, 0xc1, 0xe9, 0x07,     \
      0xf5)                                                                                        \
    X(seq_shr7_rol3, "shr rcx, 7; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x48, 0xc1, 0xe9,   \
      0x07, 0xc1, 0xc2, 0x03)                                                                      \
    X(seq_sar3_adc, "sar al, 3; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xc0, 0xf8, 0x03,  \
      0x11, 0xca)                                                                                  \
    X(seq_sar3_sbb, "sar al, 3; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xc0, 0xf8, 0x03,  \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_sar3_rcl, "sar al, 3; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0xc0, 0xf8, 0x03,    \
      0xd1, 0xd2)                                                                                  \
    X(seq_sar3_inc, "sar al, 3; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xc0, 0xf8, 0x03, 0xff, \
      0xc2)                                                                                        \
    X(seq_sar3_ror, "sar al, 3; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0xc0, 0xf8, 0x03,    \
      0xd1, 0xca)                                                                                  \
    X(seq_sar3_cmc, "sar al, 3; cmc", MK_CONST, SZ32, 197, P_NONE, 0, 0xc0, 0xf8, 0x03, 0xf5)      \
    X(seq_sar3_rol3, "sar al, 3; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0xc0, 0xf8, 0x03,    \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_rol1_adc, "rol eax, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0x11, \
      0xca)                                                                                        \
    X(seq_rol1_sbb, "rol eax, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0x48, \
      0x19, 0xca)                                                                                  \
    X(seq_rol1_rcl, "rol eax, 1; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0xd1,   \
      0xd2)                                                                                        \
    X(seq_rol1_inc, "rol eax, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0xff,      \
      0xc2)                                                                                        \
    X(seq_rol1_ror, "rol eax, 1; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0xd1,   \
      0xca)                                                                                        \
    X(seq_rol1_cmc, "rol eax, 1; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0xf5)          \
    X(seq_rol1_lahf, "rol eax, 1; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xc0, 0x9f)        \
    X(seq_rol1_rol3, "rol eax, 1; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0xd1, 0xc0, 0xc1,   \
      0xc2, 0x03)                                                                                  \
    X(seq_ror1_adc, "ror cl, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0x11,  \
      0xca)                                                                                        \
    X(seq_ror1_sbb, "ror cl, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0x48,  \
      0x19, 0xca)                                                                                  \
    X(seq_ror1_rcl, "ror cl, 1; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0xd1,    \
      0xd2)                                                                                        \
    X(seq_ror1_inc, "ror cl, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0xff, 0xc2) \
    X(seq_ror1_ror, "ror cl, 1; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0xd1,    \
      0xca)                                                                                        \
    X(seq_ror1_cmc, "ror cl, 1; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0xf5)           \
    X(seq_ror1_lahf, "ror cl, 1; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd0, 0xc9, 0x9f)         \
    X(seq_ror1_rol3, "ror cl, 1; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0xd0, 0xc9, 0xc1,    \
      0xc2, 0x03)                                                                                  \
    X(seq_rol5_adc, "rol rax, 5; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xc0, \
      0x05, 0x11, 0xca)                                                                            \
    X(seq_rol5_sbb, "rol rax, 5; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xc0, \
      0x05, 0x48, 0x19, 0xca)                                                                      \
    X(seq_rol5_rcl, "rol rax, 5; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xc0,   \
      0x05, 0xd1, 0xd2)                                                                            \
    X(seq_rol5_inc, "rol rax, 5; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xc0,      \
      0x05, 0xff, 0xc2)                                                                            \
    X(seq_rol5_ror, "rol rax, 5; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0xc1, 0xc0,   \
      0x05, 0xd1, 0xca)                                                                            \
    X(seq_rol5_cmc, "rol rax, 5; cmc", MK_CONST, SZ32, 213, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x05,     \
      0xf5)                                                                                        \
    X(seq_rol5_lahf, "rol rax, 5; lahf", MK_CONST, SZ32, 213, P_NONE, 0, 0x48, 0xc1, 0xc0, 0x05,   \
      0x9f)                                                                                        \
    X(seq_rol5_rol3, "rol rax, 5; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x48, 0xc1, 0xc0,   \
      0x05, 0xc1, 0xc2, 0x03)                                                                      \
    X(seq_rcl1_adc, "rcl eax, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0x11, \
      0xca)                                                                                        \
    X(seq_rcl1_sbb, "rcl eax, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0x48, \
      0x19, 0xca)                                                                                  \
    X(seq_rcl1_rcl, "rcl eax, 1; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0xd1,   \
      0xd2)                                                                                        \
    X(seq_rcl1_inc, "rcl eax, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0xff,      \
      0xc2)                                                                                        \
    X(seq_rcl1_ror, "rcl eax, 1; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0xd1,   \
      0xca)                                                                                        \
    X(seq_rcl1_cmc, "rcl eax, 1; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0xf5)          \
    X(seq_rcl1_lahf, "rcl eax, 1; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0xd1, 0xd0, 0x9f)        \
    X(seq_rcl1_rol3, "rcl eax, 1; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0xd1, 0xd0, 0xc1,   \
      0xc2, 0x03)                                                                                  \
    X(seq_rcr3_adc, "rcr cx, 3; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xc1, 0xd9,  \
      0x03, 0x11, 0xca)                                                                            \
    X(seq_rcr3_sbb, "rcr cx, 3; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xc1, 0xd9,  \
      0x03, 0x48, 0x19, 0xca)                                                                      \
    X(seq_rcr3_rcl, "rcr cx, 3; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xc1, 0xd9,    \
      0x03, 0xd1, 0xd2)                                                                            \
    X(seq_rcr3_inc, "rcr cx, 3; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xc1, 0xd9, 0x03, \
      0xff, 0xc2)                                                                                  \
    X(seq_rcr3_ror, "rcr cx, 3; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x66, 0xc1, 0xd9,    \
      0x03, 0xd1, 0xca)                                                                            \
    X(seq_rcr3_cmc, "rcr cx, 3; cmc", MK_CONST, SZ32, 213, P_NONE, 0, 0x66, 0xc1, 0xd9, 0x03,      \
      0xf5)                                                                                        \
    X(seq_rcr3_lahf, "rcr cx, 3; lahf", MK_CONST, SZ32, 213, P_NONE, 0, 0x66, 0xc1, 0xd9, 0x03,    \
      0x9f)                                                                                        \
    X(seq_rcr3_rol3, "rcr cx, 3; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x66, 0xc1, 0xd9,    \
      0x03, 0xc1, 0xc2, 0x03)                                                                      \
    X(seq_imul_adc, "imul eax, ecx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xaf,    \
      0xc1, 0x11, 0xca)                                                                            \
    X(seq_imul_sbb, "imul eax, ecx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xaf,    \
      0xc1, 0x48, 0x19, 0xca)                                                                      \
    X(seq_imul_rcl, "imul eax, ecx; rcl edx, 1", MK_CONST, SZ32, 2049, P_NONE, 0, 0x0f, 0xaf,      \
      0xc1, 0xd1, 0xd2)                                                                            \
    X(seq_imul_inc, "imul eax, ecx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xaf, 0xc1,   \
      0xff, 0xc2)                                                                                  \
    X(seq_imul_ror, "imul eax, ecx; ror edx, 1", MK_CONST, SZ32, 2049, P_NONE, 0, 0x0f, 0xaf,      \
      0xc1, 0xd1, 0xca)                                                                            \
    X(seq_imul_cmc, "imul eax, ecx; cmc", MK_CONST, SZ32, 2049, P_NONE, 0, 0x0f, 0xaf, 0xc1, 0xf5) \
    X(seq_imul_rol3, "imul eax, ecx; rol edx, 3", MK_CONST, SZ32, 1, P_NONE, 0, 0x0f, 0xaf, 0xc1,  \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_bt_adc, "bt eax, ecx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xa3, 0xc8,  \
      0x11, 0xca)                                                                                  \
    X(seq_bt_sbb, "bt eax, ecx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xa3, 0xc8,  \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_bt_rcl, "bt eax, ecx; rcl edx, 1", MK_CONST, SZ32, 2113, P_NONE, 0, 0x0f, 0xa3, 0xc8,    \
      0xd1, 0xd2)                                                                                  \
    X(seq_bt_inc, "bt eax, ecx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xa3, 0xc8, 0xff, \
      0xc2)                                                                                        \
    X(seq_bt_ror, "bt eax, ecx; ror edx, 1", MK_CONST, SZ32, 2113, P_NONE, 0, 0x0f, 0xa3, 0xc8,    \
      0xd1, 0xca)                                                                                  \
    X(seq_bt_cmc, "bt eax, ecx; cmc", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xa3, 0xc8, 0xf5)       \
    X(seq_bt_rol3, "bt eax, ecx; rol edx, 3", MK_CONST, SZ32, 65, P_NONE, 0, 0x0f, 0xa3, 0xc8,     \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_shld1_adc, "shld eax, ecx, 1; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f,      \
      0xa4, 0xc8, 0x01, 0x11, 0xca)                                                                \
    X(seq_shld1_sbb, "shld eax, ecx, 1; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f,      \
      0xa4, 0xc8, 0x01, 0x48, 0x19, 0xca)                                                          \
    X(seq_shld1_rcl, "shld eax, ecx, 1; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x0f, 0xa4,  \
      0xc8, 0x01, 0xd1, 0xd2)                                                                      \
    X(seq_shld1_inc, "shld eax, ecx, 1; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x0f, 0xa4,     \
      0xc8, 0x01, 0xff, 0xc2)                                                                      \
    X(seq_shld1_ror, "shld eax, ecx, 1; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x0f, 0xa4,  \
      0xc8, 0x01, 0xd1, 0xca)                                                                      \
    X(seq_shld1_cmc, "shld eax, ecx, 1; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0x0f, 0xa4, 0xc8,   \
      0x01, 0xf5)                                                                                  \
    X(seq_shld1_rol3, "shld eax, ecx, 1; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x0f, 0xa4,  \
      0xc8, 0x01, 0xc1, 0xc2, 0x03)                                                                \
    X(seq_test_adc, "test cl, al; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x84, 0xc1,      \
      0x11, 0xca)                                                                                  \
    X(seq_test_sbb, "test cl, al; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x84, 0xc1,      \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_test_rcl, "test cl, al; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x84, 0xc1, 0xd1,  \
      0xd2)                                                                                        \
    X(seq_test_inc, "test cl, al; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x84, 0xc1, 0xff,     \
      0xc2)                                                                                        \
    X(seq_test_ror, "test cl, al; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x84, 0xc1, 0xd1,  \
      0xca)                                                                                        \
    X(seq_test_cmc, "test cl, al; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0x84, 0xc1, 0xf5)         \
    X(seq_test_rol3, "test cl, al; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x84, 0xc1, 0xc1,  \
      0xc2, 0x03)                                                                                  \
    X(seq_xor_adc, "xor eax, eax; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x31, 0xc0,      \
      0x11, 0xca)                                                                                  \
    X(seq_xor_sbb, "xor eax, eax; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x31, 0xc0,      \
      0x48, 0x19, 0xca)                                                                            \
    X(seq_xor_rcl, "xor eax, eax; rcl edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x31, 0xc0, 0xd1,  \
      0xd2)                                                                                        \
    X(seq_xor_inc, "xor eax, eax; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x31, 0xc0, 0xff,     \
      0xc2)                                                                                        \
    X(seq_xor_ror, "xor eax, eax; ror edx, 1", MK_CONST, SZ32, 2245, P_NONE, 0, 0x31, 0xc0, 0xd1,  \
      0xca)                                                                                        \
    X(seq_xor_cmc, "xor eax, eax; cmc", MK_CONST, SZ32, 2245, P_NONE, 0, 0x31, 0xc0, 0xf5)         \
    X(seq_xor_rol3, "xor eax, eax; rol edx, 3", MK_CONST, SZ32, 197, P_NONE, 0, 0x31, 0xc0, 0xc1,  \
      0xc2, 0x03)                                                                                  \
    X(seq_subz_adc, "sub rcx, rcx; adc edx, ecx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29,     \
      0xc9, 0x11, 0xca)                                                                            \
    X(seq_subz_sbb, "sub rcx, rcx; sbb rdx, rcx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29,     \
      0xc9, 0x48, 0x19, 0xca)                                                                      \
    X(seq_subz_rcl, "sub rcx, rcx; rcl edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc9, \
      0xd1, 0xd2)                                                                                  \
    X(seq_subz_inc, "sub rcx, rcx; inc edx", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc9,    \
      0xff, 0xc2)                                                                                  \
    X(seq_subz_ror, "sub rcx, rcx; ror edx, 1", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc9, \
      0xd1, 0xca)                                                                                  \
    X(seq_subz_cmc, "sub rcx, rcx; cmc", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc9, 0xf5)  \
    X(seq_subz_lahf, "sub rcx, rcx; lahf", MK_CONST, SZ32, 2261, P_NONE, 0, 0x48, 0x29, 0xc9,      \
      0x9f)                                                                                        \
    X(seq_subz_rol3, "sub rcx, rcx; rol edx, 3", MK_CONST, SZ32, 213, P_NONE, 0, 0x48, 0x29, 0xc9, \
      0xc1, 0xc2, 0x03)                                                                            \
    X(seq_add_ror_ror_adc, "add eax, ecx; ror edx, 1; ror edx, 1; adc ecx, edx", MK_CONST, SZ32,   \
      2261, P_NONE, 0, 0x01, 0xc8, 0xd1, 0xca, 0xd1, 0xca, 0x11, 0xd1)                             \
    X(seq_cmp_bt_sete, "cmp eax, ecx; bt edx, 3; sete dl", MK_CONST, SZ32, 65, P_NONE, 0, 0x39,    \
      0xc8, 0x0f, 0xba, 0xe2, 0x03, 0x0f, 0x94, 0xc2)                                              \
    X(seq_sub_imul_adc, "sub eax, ecx; imul edx, ecx; adc eax, edx", MK_CONST, SZ32, 2261, P_NONE, \
      0, 0x29, 0xc8, 0x0f, 0xaf, 0xd1, 0x11, 0xd0)                                                 \
    X(seq_cmp_setcc, "cmp eax, ecx; setb dl; setl dh; setbe cl; setg ch; seto al; sets ah",        \
      MK_CONST, SZ32, 2261, P_NONE, 0, 0x39, 0xc8, 0x0f, 0x92, 0xc2, 0x0f, 0x9c, 0xc6, 0x0f, 0x96, \
      0xc1, 0x0f, 0x9f, 0xc5, 0x0f, 0x90, 0xc0, 0x0f, 0x98, 0xc4)                                  \
    X(seq_test_cmov, "test eax, ecx; cmovle edx, ecx; cmovg eax, edx; cmovs ecx, eax", MK_CONST,   \
      SZ32, 2245, P_NONE, 0, 0x85, 0xc8, 0x0f, 0x4e, 0xd1, 0x0f, 0x4f, 0xc2, 0x0f, 0x48, 0xc8)

CASES(HOST_FN)

static const struct dcase cases[] = {CASES(CASE_ROW)};

struct fixture {
    struct physmem *pm;
    struct mmu *mmu;
    struct optable *t;
    struct cpu *c;
    struct pt_build pt;
    struct decode_env env;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct mmu_config mc;
    struct emu_err err = {0};

    assert_non_null(fx);
    fx->pm = pt_physmem_create();
    assert_non_null(fx->pm);
    mmu_config_default(&mc);
    fx->mmu = mmu_create(&mc, fx->pm, NULL, 0, &err);
    assert_non_null(fx->mmu);
    fx->t = optable_create();
    assert_non_null(fx->t);
    pt_init(&fx->pt, fx->pm, 4);
    for (u64 k = 0; k < 4; k++)
        pt_map(&fx->pt, DATA_VA + k * PAGE_SIZE, DATA_PA + k * PAGE_SIZE, 1, PT_P | PT_RW);
    pt_map(&fx->pt, RO_VA, RO_PA, 1, PT_P);
    pt_map(&fx->pt, STACK_VA, 10 * MiB, 1, PT_P | PT_RW);
    pt_map(&fx->pt, CODE_VA, CODE_PA, 1, PT_P | PT_RW);

    struct cpu_config cfg = {.pm = fx->pm, .mmu = fx->mmu, .optable = fx->t};

    fx->c = cpu_create(&cfg, &err);
    assert_non_null(fx->c);
    cpu_set_long_mode(fx->c, fx->pt.root, CODE_VA, STACK_VA + 0x800);
    fx->env = (struct decode_env){.optable = fx->t, .cpuid = NULL, .code_size = SZ64};
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    cpu_destroy(fx->c);
    optable_destroy(fx->t);
    mmu_destroy(fx->mmu);
    physmem_destroy(fx->pm);
    free(fx);
    return 0;
}

static u8 *data_host(struct fixture *fx, u64 off)
{
    return physmem_host(fx->pm, DATA_PA + off);
}

/* Decodes @bytes into @out (at most @max instructions). Return: the count. */
static unsigned decode_all(struct fixture *fx, const u8 *bytes, unsigned len, struct insn *out,
                           unsigned max)
{
    unsigned n = 0, off = 0;

    while (off < len) {
        assert_true(n < max);
        enum decode_status st =
            decode_insn(&fx->env, bytes + off, len - off, CODE_VA + off, &out[n], NULL);

        assert_int_equal(st, DECODE_OK);
        off += out[n].len;
        out[n].end_off = (u16)off;
        n++;
    }
    return n;
}

/* Runs decoded instructions. Return: the exception vector, or -1 if none was raised. */
static int run_insns(struct cpu *c, const struct insn *ins, unsigned n)
{
    volatile unsigned k = 0;

    c->block_rip = CODE_VA;
    c->in_run = true;
    if (setjmp(c->exc_jmp)) {
        c->in_run = false;
        return c->exc_vector;
    }
    for (; k < n; k++) {
        c->insn = &ins[k];
        const struct insn *next = ins[k].fn(c, &ins[k]);

        assert_ptr_equal(next, &ins[k + 1]);
    }
    c->in_run = false;
    return -1;
}

static int run_bytes(struct fixture *fx, const u8 *bytes, unsigned len)
{
    struct insn ins[8];
    unsigned n = decode_all(fx, bytes, len, ins, 8);

    return run_insns(fx->c, ins, n);
}

static void set_flags(struct cpu *c, u64 f)
{
    c->rflags = (f & ALL_FLAGS) | RFLAGS_FIXED;
    c->lazy.op = FLAGS_OP_NONE;
}

/* xorshift64*, fixed seed: the runs are reproducible. */
static u64 rng_next(u64 *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

/* A random operand, often a boundary value of some width. */
static u64 rng_operand(u64 *s)
{
    static const u64 special[] = {0,
                                  1,
                                  2,
                                  0x7f,
                                  0x80,
                                  0xff,
                                  0x7fff,
                                  0x8000,
                                  0xffff,
                                  0x7fffffff,
                                  0x80000000,
                                  0xffffffff,
                                  0x7fffffffffffffff,
                                  0x8000000000000000,
                                  ~0ull,
                                  0x0f0f0f0f0f0f0f0f,
                                  0x100,
                                  0x8081,
                                  0xff80,
                                  0x17};
    u64 r = rng_next(s);

    switch (r % 8) {
    case 0:
    case 1:
        return special[(r >> 8) % ARRAY_LEN(special)];
    case 2:
        return special[(r >> 8) % ARRAY_LEN(special)] + ((r >> 40) % 3) - 1;
    case 3:
        return (r >> 16) & 0xff;
    default:
        return rng_next(s);
    }
}

static void prep_div(struct regs *r, unsigned size, bool is_signed, u64 *s)
{
    unsigned bits = 8u << size;
    u64 mask = size_mask(size);
    u64 d = r->rcx & mask;

    if (d == 0)
        d = 1 + (rng_next(s) & mask) / 2;
    r->rcx = (r->rcx & ~mask) | d;
    if (!is_signed) {
        if (size == SZ8)
            r->rax = (r->rax & ~0xff00ull) | ((((r->rax >> 8) & 0xff) % d) << 8);
        else
            r->rdx = (r->rdx & ~mask) | ((r->rdx & mask) % d);
        return;
    }
    /* dividend = sign extension of the low half: only MIN / -1 overflows */
    u64 lo = r->rax & mask;
    bool neg = (lo >> (bits - 1)) & 1;

    if (d == mask && lo == (1ull << (bits - 1)))
        r->rax ^= 1; /* MIN / -1 */
    if (size == SZ8)
        r->rax = (r->rax & ~0xff00ull) | (neg ? 0xff00ull : 0);
    else
        r->rdx = (r->rdx & ~mask) | (neg ? mask : 0);
}

static void prep(const struct dcase *k, struct regs *r, u64 *s)
{
    switch (k->prep) {
    case P_CNT:
        r->rcx = (r->rcx & ~0xffull) | (rng_next(s) % 72);
        break;
    case P_CNT16:
        r->rcx = (r->rcx & ~0x1full) | (rng_next(s) % 17);
        break;
    case P_SCAN:
        if (rng_next(s) % 5 == 0)
            r->rcx &= ~size_mask(k->size);
        break;
    case P_BTMEM:
        r->rcx = (u64)((i64)(rng_next(s) % 512) - 256);
        break;
    case P_DIV8:
    case P_DIV16:
    case P_DIV32:
    case P_DIV64:
        prep_div(r, (unsigned)(k->prep - P_DIV8), false, s);
        break;
    case P_IDIV8:
    case P_IDIV16:
    case P_IDIV32:
    case P_IDIV64:
        prep_div(r, (unsigned)(k->prep - P_IDIV8), true, s);
        break;
    case P_DIVM32: {
        u32 d = (u32)r->mem[4];

        if (d == 0)
            d = 7;
        r->mem[4] = (r->mem[4] & ~0xffffffffull) | d;
        r->rdx = (u32)r->rdx % d;
        break;
    }
    default:
        break;
    }
}

/* The flags the SDM defines after case @k on inputs @in. */
static u64 defined_mask(const struct dcase *k, const struct regs *in)
{
    unsigned bits = 8u << k->size;
    unsigned n = (unsigned)((k->cnt < 0 ? in->rcx : (u64)k->cnt) & (k->size == SZ64 ? 63 : 31));
    u64 m;

    switch (k->mk) {
    case MK_ALL:
        return ALL_FLAGS;
    case MK_LOGIC:
        return ALL_FLAGS & ~RFLAGS_AF;
    case MK_CONST:
        return (u64)k->cnt;
    case MK_MUL:
        return RFLAGS_CF | RFLAGS_OF;
    case MK_NONE:
        return 0;
    case MK_ZF:
        return RFLAGS_ZF;
    case MK_SHIFT:
        if (n == 0)
            return ALL_FLAGS;
        m = ALL_FLAGS & ~RFLAGS_AF;
        if (n > 1)
            m &= ~RFLAGS_OF;
        if (n >= bits)
            m &= ~RFLAGS_CF;
        return m;
    case MK_ROT:
        return n > 1 ? ALL_FLAGS & ~RFLAGS_OF : ALL_FLAGS;
    default: /* MK_SHD */
        if (n == 0)
            return ALL_FLAGS;
        if (k->size == SZ16 && n > 16)
            return 0;
        m = ALL_FLAGS & ~RFLAGS_AF;
        if (n > 1)
            m &= ~RFLAGS_OF;
        return m;
    }
}

/* Flags each condition reads (SDM vol. 1 appendix B). */
static const u64 cond_uses[16] = {
    RFLAGS_OF,
    RFLAGS_OF,
    RFLAGS_CF,
    RFLAGS_CF,
    RFLAGS_ZF,
    RFLAGS_ZF,
    RFLAGS_CF | RFLAGS_ZF,
    RFLAGS_CF | RFLAGS_ZF,
    RFLAGS_SF,
    RFLAGS_SF,
    RFLAGS_PF,
    RFLAGS_PF,
    RFLAGS_SF | RFLAGS_OF,
    RFLAGS_SF | RFLAGS_OF,
    RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF,
    RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF,
};

static bool cond_of_flags(u64 f, unsigned cc)
{
    bool of = f & RFLAGS_OF, cf = f & RFLAGS_CF, zf = f & RFLAGS_ZF, sf = f & RFLAGS_SF;
    bool pf = f & RFLAGS_PF;
    bool r[8] = {of, cf, zf, cf || zf, sf, pf, sf != of, zf || sf != of};

    return r[cc >> 1] ^ (cc & 1);
}

static void fail_case(const struct dcase *k, const struct regs *in, const char *what, u64 want,
                      u64 got)
{
    fail_msg("%s: %s: want %#llx got %#llx (rax %#llx rcx %#llx rdx %#llx flags %#llx "
             "mem[4] %#llx)",
             k->name, what, (unsigned long long)want, (unsigned long long)got,
             (unsigned long long)in->rax, (unsigned long long)in->rcx, (unsigned long long)in->rdx,
             (unsigned long long)in->flags, (unsigned long long)in->mem[4]);
}

static void check_case(struct fixture *fx, const struct dcase *k, u64 *seed, unsigned iters)
{
    struct cpu *c = fx->c;
    struct insn ins[8];
    unsigned n = decode_all(fx, k->bytes, k->len, ins, 8);

    for (unsigned it = 0; it < iters; it++) {
        struct regs in, host;

        in.rax = rng_operand(seed);
        in.rcx = rng_operand(seed);
        in.rdx = rng_operand(seed);
        in.flags = (rng_next(seed) & ALL_FLAGS) | 0x202;
        for (unsigned w = 0; w < 8; w++)
            in.mem[w] = rng_operand(seed);
        prep(k, &in, seed);
        host = in;
        k->host(&host);

        c->gpr[0] = in.rax;
        c->gpr[1] = in.rcx;
        c->gpr[2] = in.rdx;
        c->gpr[3] = DATA_VA + 32;
        set_flags(c, in.flags);
        memcpy(data_host(fx, 0), in.mem, sizeof(in.mem));
        int vec = run_insns(c, ins, n);

        if (vec >= 0)
            fail_case(k, &in, "exception", (u64)-1, (u64)vec);

        u64 mask = defined_mask(k, &in);
        bool dest_defined = true;

        if ((k->flags & F_SCAN) && !(in.rcx & size_mask(k->size)))
            dest_defined = false;
        if ((k->flags & F_SCANM) && !(in.mem[4] & size_mask(k->size)))
            dest_defined = false;
        if (k->mk == MK_SHD && k->size == SZ16 && ((k->cnt < 0 ? in.rcx : (u64)k->cnt) & 31) > 16)
            dest_defined = false;

        for (unsigned cc = 0; cc < 16; cc++) {
            if (cond_uses[cc] & ~mask)
                continue;
            bool want = cond_of_flags(host.flags, cc);

            if (flags_cond(c, (enum cond_code)cc) != want)
                fail_case(k, &in, "flags_cond", want, !want);
            if (cpu_cond(c, (enum cond_code)cc) != want)
                fail_case(k, &in, "cpu_cond", want, !want);
        }
        if ((flags_get(c) & mask) != (host.flags & mask))
            fail_case(k, &in, "flags", host.flags & mask, flags_get(c) & mask);
        if (dest_defined && c->gpr[0] != host.rax)
            fail_case(k, &in, "rax", host.rax, c->gpr[0]);
        if (c->gpr[1] != host.rcx)
            fail_case(k, &in, "rcx", host.rcx, c->gpr[1]);
        if (c->gpr[2] != host.rdx)
            fail_case(k, &in, "rdx", host.rdx, c->gpr[2]);
        if (c->gpr[3] != DATA_VA + 32)
            fail_case(k, &in, "rbx", DATA_VA + 32, c->gpr[3]);
        for (unsigned w = 0; w < 8; w++) {
            u64 v;

            memcpy(&v, data_host(fx, w * 8), 8);
            if (v != host.mem[w])
                fail_case(k, &in, "memory", host.mem[w], v);
        }
        if ((cpu_get_rflags(c) & mask) != (host.flags & mask))
            fail_case(k, &in, "rflags", host.flags & mask, cpu_get_rflags(c) & mask);
    }
}

/* Every case, on boundary and random operands and random incoming flags. */
static void test_alu_differential(void **state)
{
    struct fixture *fx = *state;
    u64 seed = 0x9e3779b97f4a7c15ull;

    for (size_t k = 0; k < ARRAY_LEN(cases); k++)
        check_case(fx, &cases[k], &seed, 1000);
}

/* Runs one instruction with rax/rcx/rdx given; returns the vector or -1. */
static int run3(struct fixture *fx, const u8 *bytes, unsigned len, u64 rax, u64 rcx, u64 rdx)
{
    fx->c->gpr[0] = rax;
    fx->c->gpr[1] = rcx;
    fx->c->gpr[2] = rdx;
    fx->c->gpr[3] = DATA_VA + 32;
    return run_bytes(fx, bytes, len);
}

#define BYTES(...) (const u8[]){__VA_ARGS__}, sizeof((const u8[]){__VA_ARGS__})

/* DIV/IDIV: #DE for a zero divisor and for a quotient that does not fit (INT_MIN / -1),
 * with the registers and flags untouched. */
static void test_alu_divide_errors(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;

    set_flags(c, RFLAGS_CF | RFLAGS_ZF);
    assert_int_equal(run3(fx, BYTES(0xf7, 0xf1), 5, 0, 7), EXC_DE); /* div ecx, ecx = 0 */
    assert_int_equal(c->gpr[0], 5);
    assert_int_equal(c->gpr[2], 7);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_CF | RFLAGS_ZF);
    assert_int_equal(run3(fx, BYTES(0xf7, 0xf1), 0, 3, 3), EXC_DE); /* edx >= ecx */
    assert_int_equal(run3(fx, BYTES(0xf7, 0xf1), ~0ull, 4, 3), -1); /* fits */
    assert_int_equal(c->gpr[0], 0xffffffffull);                     /* 0x3ffffffff / 4 */
    assert_int_equal(c->gpr[2], 3);
    assert_int_equal(run3(fx, BYTES(0x48, 0xf7, 0xf1), 0, 0, 0), EXC_DE); /* div rcx */
    assert_int_equal(run3(fx, BYTES(0x48, 0xf7, 0xf1), 5, 2, 2), EXC_DE); /* rdx = rcx */
    assert_int_equal(run3(fx, BYTES(0x48, 0xf7, 0xf1), 5, 3, 2), -1);
    assert_int_equal(c->gpr[0], 0xaaaaaaaaaaaaaaacull); /* (2 << 64 | 5) / 3 */
    assert_int_equal(c->gpr[2], 1);
    /* idiv: INT_MIN / -1 at every size */
    assert_int_equal(run3(fx, BYTES(0xf6, 0xf9), 0xff80, ~0ull, 0), EXC_DE);            /* cl */
    assert_int_equal(run3(fx, BYTES(0x66, 0xf7, 0xf9), 0x8000, ~0ull, 0xffff), EXC_DE); /* cx */
    assert_int_equal(run3(fx, BYTES(0xf7, 0xf9), 0x80000000, ~0ull, 0xffffffff), EXC_DE);
    assert_int_equal(run3(fx, BYTES(0x48, 0xf7, 0xf9), 1ull << 63, ~0ull, ~0ull), EXC_DE);
    assert_int_equal(run3(fx, BYTES(0x48, 0xf7, 0xf9), 0, ~0ull, 1ull << 63), EXC_DE);
    assert_int_equal(run3(fx, BYTES(0x48, 0xf7, 0xf9), 0, 0, 0), EXC_DE);
    /* a 64-bit dividend in edx:eax that is INT64_MIN, divided by -1 */
    assert_int_equal(run3(fx, BYTES(0xf7, 0xf9), 0, ~0ull, 0x80000000), EXC_DE);
    /* quotient just fits: -128 / 1 and 127 * 2 + 1 / 2 */
    assert_int_equal(run3(fx, BYTES(0xf6, 0xf9), 0xff80, 1, 0), -1);
    assert_int_equal(c->gpr[0] & 0xffff, 0x0080);
    assert_int_equal(run3(fx, BYTES(0xf6, 0xf9), 0xff, 2, 0), -1);
    assert_int_equal(c->gpr[0] & 0xffff, 0x017f);
    assert_int_equal(run3(fx, BYTES(0xf6, 0xf9), 0x100, 2, 0), EXC_DE); /* 256 / 2 = 128 */
    /* remainder takes the dividend's sign: -7 / 2 = -3 rem -1 */
    assert_int_equal(run3(fx, BYTES(0xf7, 0xf9), (u32)-7, 2, 0xffffffff), -1);
    assert_int_equal(c->gpr[0], 0xfffffffdull);
    assert_int_equal(c->gpr[2], 0xffffffffull);
}

/* Without BMI1/LZCNT in the CPUID model, F3 0F BC/BD run as BSF/BSR (Linux's "rep bsf"). */
static void test_alu_tzcnt_as_bsf(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;
    struct emu_err err = {0};
    struct cpuid_model *m = cpuid_model_create("terrace", 1, &err);

    assert_non_null(m);
    assert_false(cpuid_has(m, FEAT_BMI1));
    fx->env.cpuid = m;
    set_flags(c, 0);
    assert_int_equal(run3(fx, BYTES(0xf3, 0x0f, 0xbc, 0xc1), 99, 0x100, 0), -1);
    assert_int_equal(c->gpr[0], 8);
    assert_false(cpu_get_rflags(c) & RFLAGS_ZF);
    assert_int_equal(run3(fx, BYTES(0xf3, 0x0f, 0xbc, 0xc1), 0x1234567890ull, 0, 0), -1);
    assert_int_equal(c->gpr[0], 0x1234567890ull); /* unchanged */
    assert_true(cpu_get_rflags(c) & RFLAGS_ZF);
    assert_int_equal(run3(fx, BYTES(0xf3, 0x48, 0x0f, 0xbd, 0xc1), 0, 0x8000000000000001ull, 0),
                     -1);
    assert_int_equal(c->gpr[0], 63);
    /* with the features (no model: everything) they are TZCNT and LZCNT */
    fx->env.cpuid = NULL;
    assert_int_equal(run3(fx, BYTES(0xf3, 0x0f, 0xbc, 0xc1), 99, 0, 0), -1);
    assert_int_equal(c->gpr[0], 32);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_ZF), RFLAGS_CF);
    assert_int_equal(run3(fx, BYTES(0xf3, 0x0f, 0xbd, 0xc1), 99, 1, 0), -1);
    assert_int_equal(c->gpr[0], 31);
    assert_int_equal(run3(fx, BYTES(0x66, 0xf3, 0x0f, 0xbd, 0xc1), ~0ull, 0x8000, 0), -1);
    assert_int_equal(c->gpr[0], 0xffffffffffff0000ull);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_ZF), RFLAGS_ZF);
    cpuid_model_destroy(m);
}

/* LOCK: only with a memory destination and a lockable operation. */
static void test_alu_lock_validity(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        u8 bytes[6];
        unsigned len;
        bool ok;
    } t[] = {
        {{0xf0, 0x01, 0x0b}, 3, true},           /* lock add [rbx], ecx */
        {{0xf0, 0x01, 0xc8}, 3, false},          /* lock add eax, ecx */
        {{0xf0, 0x39, 0x0b}, 3, false},          /* lock cmp [rbx], ecx */
        {{0xf0, 0x85, 0x0b}, 3, false},          /* lock test [rbx], ecx */
        {{0xf0, 0x83, 0x3b, 0x01}, 4, false},    /* lock cmp dword [rbx], 1 */
        {{0xf0, 0x83, 0x33, 0x01}, 4, true},     /* lock xor dword [rbx], 1 */
        {{0xf0, 0xf7, 0x13}, 3, true},           /* lock not dword [rbx] */
        {{0xf0, 0xf7, 0x1b}, 3, true},           /* lock neg dword [rbx] */
        {{0xf0, 0xff, 0x03}, 3, true},           /* lock inc dword [rbx] */
        {{0xf0, 0xfe, 0x0b}, 3, true},           /* lock dec byte [rbx] */
        {{0xf0, 0x0f, 0xab, 0x0b}, 4, true},     /* lock bts [rbx], ecx */
        {{0xf0, 0x0f, 0xa3, 0x0b}, 4, false},    /* lock bt [rbx], ecx */
        {{0xf0, 0x0f, 0xba, 0x3b, 3}, 5, true},  /* lock btc dword [rbx], 3 */
        {{0xf0, 0x0f, 0xba, 0x23, 3}, 5, false}, /* lock bt dword [rbx], 3 */
        {{0xf0, 0xd1, 0x23}, 3, false},          /* lock shl dword [rbx], 1 */
        {{0xf0, 0xf7, 0x23}, 3, false},          /* lock mul dword [rbx] */
    };

    for (size_t k = 0; k < ARRAY_LEN(t); k++) {
        struct insn in;

        enum decode_status st = decode_insn(&fx->env, t[k].bytes, t[k].len, CODE_VA, &in, NULL);

        assert_int_equal(st, t[k].ok ? DECODE_OK : DECODE_UD);
    }
}

/* Forms that exist only outside 64-bit mode: INC/DEC 40-4F, group 82. */
static void test_alu_legacy_forms(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;
    struct insn in;
    const u8 inc_eax[] = {0x40}, dec_edi[] = {0x4f}, inc_ax[] = {0x66, 0x40},
             grp82[] = {0x82, 0xc1, 0x05};

    assert_int_equal(decode_insn(&fx->env, grp82, 3, CODE_VA, &in, NULL), DECODE_UD);
    fx->env.code_size = SZ32;
    c->gpr[0] = 0xffffffffull;
    c->gpr[7] = 0x80000000ull;
    set_flags(c, RFLAGS_CF);
    assert_int_equal(run_bytes(fx, inc_eax, 1), -1);
    assert_int_equal(c->gpr[0], 0);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS,
                     RFLAGS_CF | RFLAGS_ZF | RFLAGS_AF | RFLAGS_PF); /* CF kept */
    assert_int_equal(run_bytes(fx, dec_edi, 1), -1);
    assert_int_equal(c->gpr[7], 0x7fffffffull);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_CF | RFLAGS_OF | RFLAGS_AF | RFLAGS_PF);
    c->gpr[0] = 0x1234ffff;
    assert_int_equal(run_bytes(fx, inc_ax, 2), -1);
    assert_int_equal(c->gpr[0], 0x12340000);
    c->gpr[1] = 0x10;
    assert_int_equal(run_bytes(fx, grp82, 3), -1); /* add cl, 5 */
    assert_int_equal(c->gpr[1], 0x15);
    fx->env.code_size = SZ64;
}

/* A read-modify-write that crosses into a page that is not present faults before anything
 * changes: the first page's bytes and the flags (ADC's CF input) stay as they were. */
static void test_alu_rmw_faults(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;
    const u8 adc_m32[] = {0x11, 0x0b}; /* adc [rbx], ecx */
    u8 *last = data_host(fx, 4 * PAGE_SIZE - 2);

    memset(last, 0xee, 2);
    set_flags(c, RFLAGS_CF);
    flags_set(c, FLAGS_OP_SUB, SZ32, 0xffffffff, 0, 1); /* lazy: CF = 1 */
    c->gpr[1] = 1;
    c->gpr[3] = DATA_VA + 4 * PAGE_SIZE - 2;
    assert_int_equal(run_bytes(fx, adc_m32, 2), EXC_PF);
    assert_int_equal(c->cr2, DATA_VA + 4 * PAGE_SIZE);
    assert_int_equal(last[0], 0xee);
    assert_int_equal(last[1], 0xee);
    assert_int_equal(c->lazy.op & 0xff, FLAGS_OP_SUB);
    assert_true(flags_carry(c));

    /* within RAM but across a page boundary: the slow path gives the same result */
    c->gpr[3] = DATA_VA + PAGE_SIZE - 2;
    memcpy(data_host(fx, PAGE_SIZE - 2), (const u8[]){0xff, 0xff, 0xff, 0x7f}, 4);
    assert_int_equal(run_bytes(fx, adc_m32, 2), -1); /* 0x7fffffff + 1 + CF */
    u32 v;
    memcpy(&v, data_host(fx, PAGE_SIZE - 2), 4);
    assert_int_equal(v, 0x80000001u);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_OF | RFLAGS_SF | RFLAGS_AF);

    /* a read-only page: a write fault (error code W), even for a shift count of 0 */
    c->gpr[3] = RO_VA;
    assert_int_equal(run_bytes(fx, adc_m32, 2), EXC_PF);
    assert_int_equal(c->exc_error & PF_W, PF_W);
    c->gpr[1] = 0;
    assert_int_equal(run_bytes(fx, (const u8[]){0xd3, 0x23}, 2), EXC_PF); /* shl [rbx], cl */
    /* ... but CMP and TEST only read */
    assert_int_equal(run_bytes(fx, (const u8[]){0x39, 0x0b}, 2), -1);
    assert_int_equal(run_bytes(fx, (const u8[]){0x0f, 0xa3, 0x0b}, 3), -1); /* bt */
}

/* Exact values for forms with boundaries worth spelling out. */
static void test_alu_exact(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;

    /* 32-bit results zero-extend; 8/16-bit merge; AH..BH */
    set_flags(c, 0);
    assert_int_equal(run3(fx, BYTES(0x01, 0xc8), 0xffffffff00000001ull, 0xffffffff, 0), -1);
    assert_int_equal(c->gpr[0], 0);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_CF | RFLAGS_ZF | RFLAGS_PF | RFLAGS_AF);
    assert_int_equal(run3(fx, BYTES(0x00, 0xcc), 0x1111111111117f22ull, 0x01, 0), -1); /* ah+cl */
    assert_int_equal(c->gpr[0], 0x1111111111118022ull);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_OF | RFLAGS_SF | RFLAGS_AF);
    assert_int_equal(run3(fx, BYTES(0x66, 0x29, 0xc8), 0xaaaa000000000000ull, 1, 0), -1);
    assert_int_equal(c->gpr[0], 0xaaaa00000000ffffull);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_CF | RFLAGS_SF | RFLAGS_AF | RFLAGS_PF);
    /* xor r32, r32 zeroes the whole register */
    assert_int_equal(run3(fx, BYTES(0x31, 0xc0), ~0ull, 0, 0), -1);
    assert_int_equal(c->gpr[0], 0);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_ZF | RFLAGS_PF);
    /* a 32-bit shift or CMOVcc that changes nothing still clears bits 63:32 */
    assert_int_equal(run3(fx, BYTES(0xd3, 0xe0), ~0ull, 0x20, 0), -1); /* shl eax, cl=32 */
    assert_int_equal(c->gpr[0], 0xffffffffull);
    assert_int_equal(run3(fx, BYTES(0xc1, 0xe0, 0x00), ~0ull, 0, 0), -1); /* shl eax, 0 */
    assert_int_equal(c->gpr[0], 0xffffffffull);
    set_flags(c, 0);
    assert_int_equal(run3(fx, BYTES(0x0f, 0x44, 0xc1), ~0ull, 5, 0), -1); /* cmove eax, ecx */
    assert_int_equal(c->gpr[0], 0xffffffffull);
    /* RCL through CF with a byte count of 9 rotates nothing */
    set_flags(c, RFLAGS_CF);
    assert_int_equal(run3(fx, BYTES(0xd2, 0xd0), 0x81, 9, 0), -1); /* rcl al, cl */
    assert_int_equal(c->gpr[0], 0x81);
    assert_int_equal(cpu_get_rflags(c) & RFLAGS_CF, RFLAGS_CF);
    /* RCR 16-bit by 17 = nothing, by 1 with CF in */
    assert_int_equal(run3(fx, BYTES(0x66, 0xd1, 0xd8), 0x0002, 0, 0), -1); /* rcr ax, 1 */
    assert_int_equal(c->gpr[0], 0x8001);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_OF), RFLAGS_OF);
    /* SAL /6 is SHL; TEST F7 /1 is TEST /0 */
    assert_int_equal(run3(fx, BYTES(0xd1, 0xf0), 0x40000000, 0, 0), -1); /* sal eax, 1 (/6) */
    assert_int_equal(c->gpr[0], 0x80000000);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_OF | RFLAGS_SF),
                     RFLAGS_OF | RFLAGS_SF);
    assert_int_equal(run3(fx, BYTES(0xf7, 0xc8, 0x00, 0x80, 0x00, 0x00), 0x8000, 0, 0), -1);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_ZF | RFLAGS_CF), 0);
    /* BSWAP r16: the low word becomes 0 */
    assert_int_equal(run3(fx, BYTES(0x66, 0x0f, 0xc8), 0x1122334455667788ull, 0, 0), -1);
    assert_int_equal(c->gpr[0], 0x1122334455660000ull);
    /* BT with a negative register offset reaches below the operand */
    memset(data_host(fx, 0), 0, 64);
    assert_int_equal(run3(fx, BYTES(0x48, 0x0f, 0xab, 0x0b), 0, (u64)-1, 0), -1); /* bts */
    assert_int_equal(data_host(fx, 31)[0], 0x80);
    assert_int_equal(run3(fx, BYTES(0x0f, 0xa3, 0x0b), 0, (u64)-1, 0), -1);
    assert_true(cpu_get_rflags(c) & RFLAGS_CF);
    /* MUL 8-bit writes AX, IMUL r64 overflow */
    assert_int_equal(run3(fx, BYTES(0xf6, 0xe1), 0xffff, 0xff, 0x55), -1); /* mul cl */
    assert_int_equal(c->gpr[0], 0xfe01);
    assert_int_equal(c->gpr[2], 0x55);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_OF), RFLAGS_CF | RFLAGS_OF);
    assert_int_equal(run3(fx, BYTES(0x48, 0x0f, 0xaf, 0xc1), 1ull << 62, 2, 0), -1);
    assert_int_equal(c->gpr[0], 1ull << 63);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_OF), RFLAGS_CF | RFLAGS_OF);
    assert_int_equal(run3(fx, BYTES(0x48, 0x0f, 0xaf, 0xc1), (u64) - (1ll << 62), 2, 0), -1);
    assert_int_equal(cpu_get_rflags(c) & (RFLAGS_CF | RFLAGS_OF), 0);
    /* LAHF / SAHF */
    set_flags(c, RFLAGS_SF | RFLAGS_CF | RFLAGS_OF);
    assert_int_equal(run3(fx, BYTES(0x9f), 0, 0, 0), -1);
    assert_int_equal(c->gpr[0], 0x8300);
    c->gpr[0] = 0x4400;
    assert_int_equal(run_bytes(fx, BYTES(0x9e)), -1);
    assert_int_equal(cpu_get_rflags(c) & ALL_FLAGS, RFLAGS_ZF | RFLAGS_PF | RFLAGS_OF);
}

/* LAHF/SAHF in 64-bit mode need CPUID LAHF-SAHF. */
static void test_alu_lahf_feature(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;
    struct emu_err err = {0};
    struct cpuid_model *m = cpuid_model_create("terrace,-lahf_lm", 1, &err);

    assert_non_null(m);
    c->cpuid = m;
    assert_int_equal(run_bytes(fx, BYTES(0x9f)), EXC_UD);
    assert_int_equal(run_bytes(fx, BYTES(0x9e)), EXC_UD);
    c->cpuid = NULL;
    cpuid_model_destroy(m);
}

/* Through the decoder, the block cache and cpu_run(): a loop, then a #DE that (with no IDT)
 * escalates to a triple fault. Skipped while MOV/Jcc/HLT are not registered yet. */
static void test_alu_run_loop(void **state)
{
    struct fixture *fx = *state;
    struct cpu *c = fx->c;
    static const u8 prog[] = {
        0xb9, 0x0a, 0x00, 0x00, 0x00, /* mov ecx, 10 */
        0x31, 0xc0,                   /* xor eax, eax */
        0x01, 0xc8,                   /* L: add eax, ecx */
        0xff, 0xc9,                   /* dec ecx */
        0x75, 0xfa,                   /* jnz L */
        0x6b, 0xc0, 0x03,             /* imul eax, eax, 3 */
        0x48, 0xc1, 0xe0, 0x21,       /* shl rax, 33 */
        0x48, 0xc1, 0xe8, 0x20,       /* shr rax, 32 */
        0x3d, 0x4a, 0x01, 0x00, 0x00, /* cmp eax, 330 */
        0x0f, 0x94, 0xc2,             /* sete dl */
        0xf4,                         /* hlt */
        0xf7, 0xf1,                   /* div ecx */
    };
    static const unsigned starts[] = {0, 11, 32, 33};

    for (size_t k = 0; k < ARRAY_LEN(starts); k++) {
        struct insn in;

        if (decode_insn(&fx->env, prog + starts[k], sizeof(prog) - starts[k], CODE_VA, &in, NULL) !=
            DECODE_OK)
            skip();
    }
    memcpy(physmem_host(fx->pm, CODE_PA), prog, sizeof(prog));
    c->rip = CODE_VA;
    c->gpr[2] = 0xff00;
    assert_int_equal(cpu_run(c, 1000), CPU_EXIT_HALT);
    assert_int_equal(c->gpr[0], 330);
    assert_int_equal(c->gpr[1], 0);
    assert_int_equal(c->gpr[2], 0xff01);
    assert_int_equal(c->rip, CODE_VA + 33); /* after HLT */

    c->is_halted = false;
    c->rip = CODE_VA + 33;
    assert_int_equal(cpu_run(c, 1000), CPU_EXIT_TRIPLE_FAULT); /* #DE, no IDT: #DF, shutdown */
    assert_int_equal(c->gpr[0], 330);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_alu_differential, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_divide_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_tzcnt_as_bsf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_lock_validity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_legacy_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_rmw_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_lahf_feature, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alu_run_loop, setup, teardown),
    };

    return cmocka_run_group_tests_name("core/alu", tests, NULL, NULL);
}
