/* SPDX-License-Identifier: MIT */
/*
 * Port-I/O dispatch: a short list of claimed ranges, searched linearly (port I/O is rare on
 * the paths that matter; the test machine has a handful of devices).
 */
#include "hw/ioport.h"

#include <string.h>

void ioport_bus_init(struct ioport_bus *bus)
{
    memset(bus, 0, sizeof(*bus));
}

bool ioport_register(struct ioport_bus *bus, u16 base, u32 n_ports, const struct mmio_ops *ops,
                     void *opaque, struct emu_err *err)
{
    if (n_ports == 0 || (u32)base + n_ports > 0x10000u) {
        err_set(err, "I/O ports 0x%x+%u leave the 64 KiB port space", base, n_ports);
        return false;
    }
    for (u32 k = 0; k < bus->n_ranges; k++) {
        const struct ioport_range *r = &bus->ranges[k];

        if (base < r->base + r->n_ports && r->base < base + n_ports) {
            err_set(err, "I/O ports 0x%x-0x%x are already used by another device", base,
                    base + n_ports - 1);
            return false;
        }
    }
    if (bus->n_ranges == IOPORT_MAX_RANGES) {
        err_set(err, "too many I/O port ranges (at most %u)", IOPORT_MAX_RANGES);
        return false;
    }
    bus->ranges[bus->n_ranges++] = (struct ioport_range){base, n_ports, ops, opaque};
    return true;
}

static const struct ioport_range *ioport_find(const struct ioport_bus *bus, u16 port)
{
    for (u32 k = 0; k < bus->n_ranges; k++)
        if (port >= bus->ranges[k].base &&
            (u32)(port - bus->ranges[k].base) < bus->ranges[k].n_ports)
            return &bus->ranges[k];
    return NULL;
}

u32 ioport_read(struct ioport_bus *bus, u16 port, unsigned size_bytes)
{
    const struct ioport_range *r = ioport_find(bus, port);
    u32 mask = size_bytes >= 4 ? 0xffffffffu : (1u << (8 * size_bytes)) - 1;

    if (!r || !r->ops->read) {
        bus->n_unclaimed++;
        return mask;
    }
    return (u32)r->ops->read(r->opaque, (u64)(port - r->base), size_bytes) & mask;
}

void ioport_write(struct ioport_bus *bus, u16 port, u32 value, unsigned size_bytes)
{
    const struct ioport_range *r = ioport_find(bus, port);

    if (!r || !r->ops->write) {
        bus->n_unclaimed++;
        return;
    }
    r->ops->write(r->opaque, (u64)(port - r->base), value, size_bytes);
}
