/* SPDX-License-Identifier: MIT */
/*
 * The port-I/O address space (64 Ki byte ports, Intel SDM vol. 1 ch. 19): devices claim port
 * ranges with read/write handlers; the machine routes the CPUs' IN/OUT here. Unclaimed ports
 * read as all ones and ignore writes, as on a PC's ISA bus.
 */
#ifndef EMU_HW_IOPORT_H
#define EMU_HW_IOPORT_H

#include "base/err.h"
#include "base/types.h"
#include "mm/physmem.h"

#define IOPORT_MAX_RANGES 64

struct ioport_range {
    u16 base;
    u32 n_ports;
    const struct mmio_ops *ops; /* offset = port - base; size in bytes (1, 2, 4) */
    void *opaque;
};

struct ioport_bus {
    u32 n_ranges;
    struct ioport_range ranges[IOPORT_MAX_RANGES];
    u64 n_unclaimed; /* accesses to ports no device claimed */
};

/** ioport_bus_init() - an empty bus. */
void ioport_bus_init(struct ioport_bus *bus);

/**
 * ioport_register() - route ports [@base, @base + @n_ports) to @ops.
 * Return: false and @err if the range overlaps another or leaves the 64 KiB space.
 */
bool ioport_register(struct ioport_bus *bus, u16 base, u32 n_ports, const struct mmio_ops *ops,
                     void *opaque, struct emu_err *err);

/** ioport_read() - IN of @size_bytes (1, 2, 4) from @port. */
u32 ioport_read(struct ioport_bus *bus, u16 port, unsigned size_bytes);

/** ioport_write() - OUT of @size_bytes (1, 2, 4) to @port. */
void ioport_write(struct ioport_bus *bus, u16 port, u32 value, unsigned size_bytes);

#endif
