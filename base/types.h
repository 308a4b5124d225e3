/* SPDX-License-Identifier: MIT */
/* Fixed-width integer names, guest address types and branch hints used everywhere. */
#ifndef EMU_BASE_TYPES_H
#define EMU_BASE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t i8;
typedef int16_t i16;
typedef int32_t i32;
typedef int64_t i64;

/* Guest-virtual (linear) and guest-physical addresses. */
typedef u64 gva_t;
typedef u64 gpa_t;

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define EMU_UNUSED        __attribute__((unused))
#define EMU_NOINLINE      __attribute__((noinline))
#define EMU_ALWAYS_INLINE inline __attribute__((always_inline))
#define EMU_COLD          __attribute__((cold, noinline))
#define EMU_PRINTF(f, a)  __attribute__((format(printf, f, a)))

#define KiB (1024ull)
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

#endif
