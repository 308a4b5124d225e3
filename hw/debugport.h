/* SPDX-License-Identifier: MIT */
/*
 * QEMU-compatible debug devices, so that the same bare-metal test kernels run under terrace
 * and QEMU: isa-debug-exit (a write of v ends the emulator with status (v << 1) | 1) and the
 * Bochs/QEMU debug console (bytes written to its port, 0xE9 by default, go to a chardev; a
 * read returns 0xE9 so guests can detect it).
 */
#ifndef EMU_HW_DEBUGPORT_H
#define EMU_HW_DEBUGPORT_H

#include "base/err.h"
#include "base/types.h"
#include "hw/chardev.h"
#include "hw/ioport.h"

#define DEBUGPORT_CON_PORT     0xe9
#define DEBUGPORT_CON_READBACK 0xe9
#define DEBUGPORT_EXIT_PORT    0x501 /* QEMU's default iobase */
#define DEBUGPORT_EXIT_SIZE    2     /* QEMU's default iosize */

/* Called when the guest asks to exit; the machine stops at the end of the current block. */
typedef void debugport_exit_fn(void *opaque, int status);

struct debugport_exit {
    debugport_exit_fn *on_exit;
    void *opaque;
    u64 n_writes;
};

struct debugport_con {
    struct chardev out;
    u64 n_bytes;
};

/**
 * debugport_exit_init() - isa-debug-exit at ports [@iobase, @iobase + @iosize) (iosize 1, 2
 * or 4); a write of any width calls @on_exit with status (value << 1) | 1.
 * Return: false and @err if the ports are taken or the size is invalid.
 */
bool debugport_exit_init(struct debugport_exit *d, struct ioport_bus *bus, u16 iobase, u16 iosize,
                         debugport_exit_fn *on_exit, void *opaque, struct emu_err *err);

/**
 * debugport_con_init() - debug console at @port: the low byte of every write goes to @out.
 * Return: false and @err if the port is taken.
 */
bool debugport_con_init(struct debugport_con *d, struct ioport_bus *bus, u16 port,
                        struct chardev out, struct emu_err *err);

#endif
