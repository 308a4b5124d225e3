/* SPDX-License-Identifier: MIT */
/*
 * A character sink for device output (debug console, serial port): the machine connects it
 * to stdout or a file. Devices only call chardev_write().
 */
#ifndef EMU_HW_CHARDEV_H
#define EMU_HW_CHARDEV_H

#include "base/types.h"

#include <stddef.h>

typedef void chardev_write_fn(void *opaque, const u8 *buf, size_t len);

struct chardev {
    chardev_write_fn *write; /* NULL: output is dropped */
    void *opaque;
};

/** chardev_write() - send @len bytes to @cd (nothing if it is not connected). */
static inline void chardev_write(const struct chardev *cd, const u8 *buf, size_t len)
{
    if (cd->write)
        cd->write(cd->opaque, buf, len);
}

#endif
