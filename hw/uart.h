/* SPDX-License-Identifier: MIT */
/*
 * 16550A UART, output only (docs PLATFORM.md 5.1): the transmitter drains instantly into a
 * chardev, the receiver never has data, and no interrupt is raised (the test machine has no
 * interrupt controller yet). Enough for polled consoles (earlyprintk, printk, test kernels).
 */
#ifndef EMU_HW_UART_H
#define EMU_HW_UART_H

#include "base/err.h"
#include "base/types.h"
#include "hw/chardev.h"
#include "hw/ioport.h"

#define UART_COM1_PORT 0x3f8
#define UART_N_PORTS   8

struct uart {
    struct chardev out;
    u8 ier, lcr, mcr, scr, fcr;
    u8 dll, dlm;
    u64 n_tx_bytes;
};

/** uart_init() - a UART at ports [@base, @base + 8). Return: false and @err if taken. */
bool uart_init(struct uart *u, struct ioport_bus *bus, u16 base, struct chardev out,
               struct emu_err *err);

#endif
