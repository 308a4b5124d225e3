/* SPDX-License-Identifier: MIT */
/*
 * isa-debug-exit and the 0xE9 debug console, with QEMU's observable behaviour (QEMU
 * hw/misc/debugexit.c and hw/char/debugcon.c as documented in its manual: exit status
 * (value << 1) | 1, console readback 0xE9).
 */
#include "hw/debugport.h"

static u64 debugport_exit_read(void *opaque, u64 offset, unsigned size)
{
    return 0xffffffffu; /* write-only: reads see an empty bus */
}

static void debugport_exit_write(void *opaque, u64 offset, u64 value, unsigned size)
{
    struct debugport_exit *d = opaque;
    u32 mask = size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;

    d->n_writes++;
    d->on_exit(d->opaque, (int)((((u32)value & mask) << 1) | 1));
}

static const struct mmio_ops debugport_exit_ops = {debugport_exit_read, debugport_exit_write};

bool debugport_exit_init(struct debugport_exit *d, struct ioport_bus *bus, u16 iobase, u16 iosize,
                         debugport_exit_fn *on_exit, void *opaque, struct emu_err *err)
{
    if (iosize != 1 && iosize != 2 && iosize != 4) {
        err_set(err, "isa-debug-exit: iosize must be 1, 2 or 4, not %u", iosize);
        return false;
    }
    d->on_exit = on_exit;
    d->opaque = opaque;
    d->n_writes = 0;
    if (!ioport_register(bus, iobase, iosize, &debugport_exit_ops, d, err)) {
        err_prefix(err, "isa-debug-exit: ");
        return false;
    }
    return true;
}

static u64 debugport_con_read(void *opaque, u64 offset, unsigned size)
{
    return DEBUGPORT_CON_READBACK;
}

static void debugport_con_write(void *opaque, u64 offset, u64 value, unsigned size)
{
    struct debugport_con *d = opaque;
    u8 ch = (u8)value;

    d->n_bytes++;
    chardev_write(&d->out, &ch, 1);
}

static const struct mmio_ops debugport_con_ops = {debugport_con_read, debugport_con_write};

bool debugport_con_init(struct debugport_con *d, struct ioport_bus *bus, u16 port,
                        struct chardev out, struct emu_err *err)
{
    d->out = out;
    d->n_bytes = 0;
    if (!ioport_register(bus, port, 1, &debugport_con_ops, d, err)) {
        err_prefix(err, "debugcon: ");
        return false;
    }
    return true;
}
