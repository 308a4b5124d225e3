/* SPDX-License-Identifier: MIT */
/* Logger values: level, subsystem mask and output stream owned by the caller. */
#include "base/log.h"

#include <stdarg.h>
#include <string.h>

static const char *const log_subsys_names[LOG_SUB_COUNT] = {
    [LOG_SUB_BASE] = "base", [LOG_SUB_STATS] = "stats", [LOG_SUB_NUMA] = "numa",
    [LOG_SUB_MM] = "mm",     [LOG_SUB_CORE] = "core",   [LOG_SUB_HW] = "hw",
    [LOG_SUB_TIER] = "tier", [LOG_SUB_TRACE] = "trace", [LOG_SUB_MACHINE] = "machine",
    [LOG_SUB_TOOL] = "tool",
};

static const char *const log_level_names[] = {"error", "warning", "info", "debug"};

void log_init(struct emu_log *lg)
{
    lg->level = LOG_WARN;
    lg->subsys_mask = (1u << LOG_SUB_COUNT) - 1;
    lg->out = NULL;
    lg->once_bits = 0;
}

bool log_set_mask(struct emu_log *lg, const char *names)
{
    u32 mask = 0;
    const char *p = names;

    while (*p) {
        size_t len = strcspn(p, ",");
        bool found = false;

        if (len == 3 && !strncmp(p, "all", 3)) {
            mask = (1u << LOG_SUB_COUNT) - 1;
            found = true;
        }
        for (unsigned i = 0; i < LOG_SUB_COUNT && !found; i++) {
            if (strlen(log_subsys_names[i]) == len && !strncmp(p, log_subsys_names[i], len)) {
                mask |= 1u << i;
                found = true;
            }
        }
        if (!found)
            return false;
        p += len;
        if (*p == ',')
            p++;
    }
    lg->subsys_mask = mask;
    return true;
}

void log_msg(struct emu_log *lg, enum log_level level, enum log_subsys sub, const char *fmt, ...)
{
    FILE *out = lg && lg->out ? lg->out : stderr;
    va_list ap;

    fprintf(out, "[%s] %s: ", log_subsys_names[sub], log_level_names[level]);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}
