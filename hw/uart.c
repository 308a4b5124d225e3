/* SPDX-License-Identifier: MIT */
/*
 * 16550A register model (National Semiconductor PC16550D datasheet; docs PLATFORM.md 5.1):
 * DLAB-banked divisor latch, IER (low 4 bits), IIR with the FIFO bits, LCR, MCR with
 * loopback mirrored into MSR, LSR with THRE|TEMT always set, scratch register.
 */
#include "hw/uart.h"

#include <string.h>

#define UART_LCR_DLAB 0x80
#define UART_MCR_LOOP 0x10
#define UART_LSR_IDLE 0x60 /* THRE | TEMT: the transmitter is always empty */
#define UART_MSR_IDLE 0xb0 /* DCD | DSR | CTS */

static u8 uart_msr(const struct uart *u)
{
    u8 m = u->mcr;

    if (!(m & UART_MCR_LOOP))
        return UART_MSR_IDLE;
    /* Loopback: DTR -> DSR, RTS -> CTS, OUT1 -> RI, OUT2 -> DCD. */
    return (u8)(((m & 1) << 5) | ((m & 2) << 3) | ((m & 4) << 4) | ((m & 8) << 4));
}

static u64 uart_read(void *opaque, u64 offset, unsigned size)
{
    struct uart *u = opaque;
    bool dlab = u->lcr & UART_LCR_DLAB;

    switch (offset) {
    case 0:
        return dlab ? u->dll : 0; /* RBR: no received data */
    case 1:
        return dlab ? u->dlm : u->ier;
    case 2:
        return (u->fcr & 1) ? 0xc1 : 0x01; /* no interrupt pending; FIFO bits when enabled */
    case 3:
        return u->lcr;
    case 4:
        return u->mcr;
    case 5:
        return UART_LSR_IDLE;
    case 6:
        return uart_msr(u);
    default:
        return u->scr;
    }
}

static void uart_write(void *opaque, u64 offset, u64 value, unsigned size)
{
    struct uart *u = opaque;
    bool dlab = u->lcr & UART_LCR_DLAB;
    u8 v = (u8)value;

    switch (offset) {
    case 0:
        if (dlab) {
            u->dll = v;
        } else if (!(u->mcr & UART_MCR_LOOP)) {
            u->n_tx_bytes++;
            chardev_write(&u->out, &v, 1);
        }
        break;
    case 1:
        if (dlab)
            u->dlm = v;
        else
            u->ier = v & 0x0f;
        break;
    case 2:
        u->fcr = v & 0xc9; /* enable, DMA mode, trigger level; clear bits self-reset */
        break;
    case 3:
        u->lcr = v;
        break;
    case 4:
        u->mcr = v & 0x1f;
        break;
    case 7:
        u->scr = v;
        break;
    default:
        break; /* LSR and MSR are read-only */
    }
}

static const struct mmio_ops uart_ops = {uart_read, uart_write};

bool uart_init(struct uart *u, struct ioport_bus *bus, u16 base, struct chardev out,
               struct emu_err *err)
{
    memset(u, 0, sizeof(*u));
    u->out = out;
    if (!ioport_register(bus, base, UART_N_PORTS, &uart_ops, u, err)) {
        err_prefix(err, "serial: ");
        return false;
    }
    return true;
}
