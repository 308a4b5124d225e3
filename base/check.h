/* SPDX-License-Identifier: MIT */
/* Internal-consistency checks: EMU_CHECK is always on, EMU_DCHECK only in debug builds. */
#ifndef EMU_BASE_CHECK_H
#define EMU_BASE_CHECK_H

#include "base/types.h"

/* Prints "file:line: check failed: expr" to stderr and aborts. Bugs only, never guest input. */
__attribute__((noreturn, cold)) void check_fail(const char *expr, const char *file, int line);

#define EMU_CHECK(cond)                                                                            \
    do {                                                                                           \
        if (unlikely(!(cond)))                                                                     \
            check_fail(#cond, __FILE__, __LINE__);                                                 \
    } while (0)

#ifdef NDEBUG
#define EMU_DCHECK(cond) ((void)0)
#else
#define EMU_DCHECK(cond) EMU_CHECK(cond)
#endif

/* Marks a boundary condition worth covering in tests; compiles to nothing. */
#define testcase(cond) ((void)0)

#endif
