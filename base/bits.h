/* SPDX-License-Identifier: MIT */
/* Bit-field extraction, alignment and power-of-two helpers. */
#ifndef EMU_BASE_BITS_H
#define EMU_BASE_BITS_H

#include "base/types.h"

/* Bits [hi:lo] of v, inclusive, as in the SDM's field notation. */
static inline u64 bits_get(u64 v, unsigned hi, unsigned lo)
{
    return (v >> lo) & (hi - lo == 63 ? ~0ull : ((1ull << (hi - lo + 1)) - 1));
}

static inline u64 bits_mask(unsigned hi, unsigned lo)
{
    return (hi - lo == 63 ? ~0ull : ((1ull << (hi - lo + 1)) - 1)) << lo;
}

static inline bool is_pow2(u64 v)
{
    return v && !(v & (v - 1));
}

static inline u64 align_down(u64 v, u64 a)
{
    return v & ~(a - 1);
}

static inline u64 align_up(u64 v, u64 a)
{
    return (v + a - 1) & ~(a - 1);
}

/* log2 of a power of two (or floor log2 of any non-zero value). */
static inline unsigned ilog2(u64 v)
{
    return 63u - (unsigned)__builtin_clzll(v);
}

#endif
