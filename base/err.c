/* SPDX-License-Identifier: MIT */
/* Error messages for host/config/I/O failures, and the always-on check failure path. */
#include "base/err.h"
#include "base/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void check_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, expr);
    fflush(stderr);
    abort();
}

/* Messages must stay on one line: newlines from sources such as file contents become spaces. */
static void err_flatten(char *s)
{
    for (; *s; s++)
        if (*s == '\n' || *s == '\r')
            *s = ' ';
}

void err_set(struct emu_err *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err_flatten(err->msg);
    err->is_set = true;
}

void err_set_errno(struct emu_err *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    n = strlen(err->msg);
    snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
    err_flatten(err->msg);
    err->is_set = true;
}

void err_prefix(struct emu_err *err, const char *fmt, ...)
{
    char old[ERR_MSG_MAX];
    va_list ap;
    size_t n;

    if (!err)
        return;
    memcpy(old, err->msg, sizeof(old));
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    n = strlen(err->msg);
    if (n + 1 < sizeof(err->msg)) {
        memcpy(err->msg + n, old, sizeof(err->msg) - n - 1);
        err->msg[sizeof(err->msg) - 1] = '\0';
    }
    err_flatten(err->msg);
}

void err_clear(struct emu_err *err)
{
    if (err) {
        err->is_set = false;
        err->msg[0] = '\0';
    }
}

void err_exit(const char *prog, const struct emu_err *err)
{
    fprintf(stderr, "%s: %s\n", prog, err && err->is_set ? err->msg : "unknown error");
    exit(1);
}
