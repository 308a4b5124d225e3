/* SPDX-License-Identifier: MIT */
/*
 * Error reporting for host, configuration and I/O failures (never for guest faults).
 * Rules: `struct emu_err *err` is the last parameter; the callee sets it only on failure and
 * also returns a failure value (false, NULL or negative); the caller decides what to do.
 * The message is one line that names the problem, suitable for "terrace: <msg>".
 */
#ifndef EMU_BASE_ERR_H
#define EMU_BASE_ERR_H

#include "base/types.h"

#define ERR_MSG_MAX 512

struct emu_err {
    bool is_set;
    char msg[ERR_MSG_MAX];
};

/** err_set() - record a failure message (printf format). @err may be NULL. */
void err_set(struct emu_err *err, const char *fmt, ...) EMU_PRINTF(2, 3);

/** err_set_errno() - record "<message>: <strerror(errno)>". */
void err_set_errno(struct emu_err *err, int errnum, const char *fmt, ...) EMU_PRINTF(3, 4);

/** err_prefix() - prepend context ("-numa node: ") to an already set message. */
void err_prefix(struct emu_err *err, const char *fmt, ...) EMU_PRINTF(2, 3);

/** err_clear() - forget a previous error. */
void err_clear(struct emu_err *err);

/** err_exit() - print "prog: msg" on one line to stderr and exit(1). For front ends only. */
__attribute__((noreturn)) void err_exit(const char *prog, const struct emu_err *err);

#endif
