/* SPDX-License-Identifier: MIT */
/* Access kinds and page sizes shared by every part of mm/ and its users. */
#ifndef EMU_MM_MMTYPES_H
#define EMU_MM_MMTYPES_H

#include "base/types.h"

/* Order is fixed: tables are indexed by it. */
enum access_type {
    ACCESS_READ,
    ACCESS_WRITE,
    ACCESS_FETCH,
    ACCESS_WALK, /* page-table read by the walker (only seen by caches, stats, traces) */
    ACCESS_TYPE_COUNT
};
_Static_assert(ACCESS_READ == 0 && ACCESS_WRITE == 1 && ACCESS_FETCH == 2 && ACCESS_WALK == 3,
               "access_type indexes tables");

enum page_size { PAGE_4K, PAGE_2M, PAGE_1G, PAGE_SIZE_COUNT };

/*
 * A port into the memory hierarchy: charges one physical access of @size bytes by vCPU @cpu and
 * returns its latency in CPU cycles. The page walker issues its PTE reads through a port
 * (kind ACCESS_WALK) so that walks are timed by the cache model; a NULL access function means
 * functional only (latency 0).
 */
typedef u32 mem_port_fn(void *opaque, u32 cpu, gpa_t pa, u32 size, enum access_type kind);

struct mem_port {
    mem_port_fn *access;
    void *opaque;
};

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ull << PAGE_SHIFT)

static inline unsigned page_size_shift(enum page_size ps)
{
    return 12u + 9u * (unsigned)ps;
}

#endif
