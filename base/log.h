/* SPDX-License-Identifier: MIT */
/*
 * Diagnostic logging. The logger is a value owned by whoever runs (a machine, a replay, a tool),
 * never a global: `struct emu_log` carries the level, the subsystem mask and the stream.
 * Subsystems can be compiled out entirely with LOG_<SUBSYS>=0 switches (e.g. -DLOG_MM=0).
 */
#ifndef EMU_BASE_LOG_H
#define EMU_BASE_LOG_H

#include "base/types.h"

#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

enum log_subsys {
    LOG_SUB_BASE,
    LOG_SUB_STATS,
    LOG_SUB_NUMA,
    LOG_SUB_MM,
    LOG_SUB_CORE,
    LOG_SUB_HW,
    LOG_SUB_TIER,
    LOG_SUB_TRACE,
    LOG_SUB_MACHINE,
    LOG_SUB_TOOL,
    LOG_SUB_COUNT
};

struct emu_log {
    enum log_level level; /* messages above this level are dropped */
    u32 subsys_mask;      /* bit per enum log_subsys; 0 bits drop DEBUG/INFO lines */
    FILE *out;            /* NULL means stderr */
    u32 once_bits;        /* LOG_ONCE slots already used, by caller-chosen slot number */
};

/** log_init() - defaults: WARN level, every subsystem enabled, stderr. */
void log_init(struct emu_log *lg);

/** log_set_mask() - parse "mm,tier" or "all" into the subsystem mask. Return: false if unknown. */
bool log_set_mask(struct emu_log *lg, const char *names);

/** log_msg() - write one line "[subsys] level: message". @lg may be NULL (stderr, WARN). */
void log_msg(struct emu_log *lg, enum log_level level, enum log_subsys sub, const char *fmt, ...)
    EMU_PRINTF(4, 5);

static inline bool log_enabled(const struct emu_log *lg, enum log_level level, enum log_subsys sub)
{
    if (!lg)
        return level <= LOG_WARN;
    return level <= lg->level && (level <= LOG_WARN || (lg->subsys_mask & (1u << sub)));
}

#define LOG(lg, level, sub, ...)                                                                   \
    do {                                                                                           \
        if (log_enabled((lg), (level), (sub)))                                                     \
            log_msg((lg), (level), (sub), __VA_ARGS__);                                            \
    } while (0)

/* Logs once per logger for a slot number 0..31 chosen by the caller. */
#define LOG_ONCE(lg, slot, level, sub, ...)                                                        \
    do {                                                                                           \
        if ((lg) && !((lg)->once_bits & (1u << (slot)))) {                                         \
            (lg)->once_bits |= 1u << (slot);                                                       \
            LOG((lg), (level), (sub), __VA_ARGS__);                                                \
        }                                                                                          \
    } while (0)

#endif
