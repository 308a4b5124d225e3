/* SPDX-License-Identifier: MIT */
/*
 * Test helper for the walker and MMU tests: guest RAM in a real physmem, a tiny builder of
 * x86-64 4-level / 5-level page tables in it (Intel SDM vol. 3 4.5), and raw 4- and 8-byte
 * entry accessors for the hand-written 32-bit and PAE tables (4.3, 4.4).
 */
#ifndef EMU_TESTS_UNIT_MM_PT_BUILD_H
#define EMU_TESTS_UNIT_MM_PT_BUILD_H

#include "base/types.h"
#include "mm/physmem.h"
#include "numa/topology.h"

#include <string.h>

#define PT_P   (1ull << 0)
#define PT_RW  (1ull << 1)
#define PT_US  (1ull << 2)
#define PT_A   (1ull << 5)
#define PT_D   (1ull << 6)
#define PT_PS  (1ull << 7)
#define PT_G   (1ull << 8)
#define PT_XD  (1ull << 63)
#define PT_ALL (PT_P | PT_RW | PT_US)

#define PT_RAM_BYTES   (64 * MiB)
#define PT_TABLES_BASE (1 * MiB) /* page tables are bump-allocated from here */

struct pt_build {
    struct physmem *pm;
    gpa_t next_table;
    gpa_t root;
    unsigned levels;  /* 4 or 5 */
    u64 upper_flags;  /* flags of the non-leaf entries the builder creates */
    u32 n_port_calls; /* filled by pt_port_access() */
    u64 port_cycles;
};

/* One node of PT_RAM_BYTES, built by hand (no option parsing needed). */
static inline struct physmem *pt_physmem_create(void)
{
    static struct numa_topology topo; /* read-only after the first call */
    struct emu_err err = {0};

    memset(&topo, 0, sizeof(topo));
    topo.ram_bytes = PT_RAM_BYTES;
    topo.n_cpus = 1;
    topo.n_nodes = 1;
    topo.nodes[0].mem_bytes = PT_RAM_BYTES;
    topo.nodes[0].n_cpus = 1;
    topo.nodes[0].cpus[0] = 1;
    topo.nodes[0].memdev = -1;
    topo.nodes[0].initiator = -1;
    topo.is_final = true;
    return physmem_create(&topo, NULL, &err);
}

static inline gpa_t pt_alloc_table(struct pt_build *b)
{
    gpa_t pa = b->next_table;

    b->next_table += PAGE_SIZE;
    memset(physmem_host(b->pm, pa), 0, PAGE_SIZE);
    return pa;
}

static inline void pt_init(struct pt_build *b, struct physmem *pm, unsigned levels)
{
    memset(b, 0, sizeof(*b));
    b->pm = pm;
    b->next_table = PT_TABLES_BASE;
    b->levels = levels;
    b->upper_flags = PT_ALL;
    b->root = pt_alloc_table(b);
}

/* Host pointer to the entry for @va at paging level @level (5..1) in the table at @table. */
static inline u64 *pt_slot(struct pt_build *b, gpa_t table, gva_t va, unsigned level)
{
    return (u64 *)(void *)physmem_host(b->pm, table + ((va >> (12 + 9 * (level - 1))) & 511) * 8);
}

/*
 * The entry for @va at @level, creating the tables above it. Return: host pointer to it.
 */
static inline u64 *pt_entry(struct pt_build *b, gva_t va, unsigned level)
{
    gpa_t table = b->root;

    for (unsigned l = b->levels; l > level; l--) {
        u64 *e = pt_slot(b, table, va, l);

        if (!(*e & PT_P))
            *e = pt_alloc_table(b) | b->upper_flags;
        table = *e & 0x000ffffffffff000ull;
    }
    return pt_slot(b, table, va, level);
}

/* Map the page of @va at leaf @level (1: 4K, 2: 2M with PS, 3: 1G with PS) to @pa. */
static inline u64 *pt_map(struct pt_build *b, gva_t va, gpa_t pa, unsigned level, u64 flags)
{
    u64 *e = pt_entry(b, va, level);

    *e = pa | flags | (level > 1 ? PT_PS : 0);
    return e;
}

/* Raw guest-physical accessors for hand-built legacy (32-bit, PAE) tables. */
static inline void pt_wr32(struct physmem *pm, gpa_t pa, u32 v)
{
    memcpy(physmem_host(pm, pa), &v, 4);
}

static inline u32 pt_rd32(struct physmem *pm, gpa_t pa)
{
    u32 v;

    memcpy(&v, physmem_host(pm, pa), 4);
    return v;
}

static inline void pt_wr64(struct physmem *pm, gpa_t pa, u64 v)
{
    memcpy(physmem_host(pm, pa), &v, 8);
}

static inline u64 pt_rd64(struct physmem *pm, gpa_t pa)
{
    u64 v;

    memcpy(&v, physmem_host(pm, pa), 8);
    return v;
}

/* A counting memory port: a different, known charge per address. */
static inline u32 pt_port_access(void *opaque, u32 cpu, gpa_t pa, u32 size, enum access_type kind)
{
    struct pt_build *b = opaque;
    u32 cycles = 10 + (u32)((pa >> 3) % 7) + (kind == ACCESS_WALK ? 0 : 1000);

    (void)cpu;
    (void)size;
    b->n_port_calls++;
    b->port_cycles += cycles;
    return cycles;
}

#endif
