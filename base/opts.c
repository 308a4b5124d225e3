/* SPDX-License-Identifier: MIT */
/* QEMU-style "kind,key=val" option parsing driven by descriptor tables. */
#include "base/opts.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool opts_split(const char *text, const char *implied_key, struct opts_list *out,
                struct emu_err *err)
{
    size_t len = strlen(text);
    char *w;
    const char *r = text;

    memset(out, 0, sizeof(*out));
    /* Room for the copied text plus one NUL per token and the implied key. */
    out->buf = malloc(2 * len + (implied_key ? strlen(implied_key) : 0) + 2);
    if (!out->buf) {
        err_set(err, "out of memory");
        return false;
    }
    w = out->buf;
    if (len == 0) {
        err_set(err, "empty option");
        goto out_free;
    }
    while (*r || r == text) {
        char *tok = w;
        char *eq = NULL;

        if (out->n == OPTS_MAX_KV) {
            err_set(err, "too many parameters in '%s'", text);
            goto out_free;
        }
        while (*r) {
            if (*r == ',') {
                if (r[1] != ',')
                    break;
                r++; /* ",," is a literal comma */
            } else if (*r == '=' && !eq) {
                eq = w;
            }
            *w++ = *r++;
        }
        *w++ = '\0';
        if (eq) {
            *eq = '\0';
            out->kv[out->n].key = tok;
            out->kv[out->n].val = eq + 1;
        } else if (out->n == 0 && implied_key) {
            strcpy(w, implied_key);
            out->kv[out->n].key = w;
            out->kv[out->n].val = tok;
            w += strlen(implied_key) + 1;
        } else {
            err_set(err, "parameter '%s' has no value in '%s'", tok, text);
            goto out_free;
        }
        if (out->kv[out->n].key[0] == '\0') {
            err_set(err, "empty parameter name in '%s'", text);
            goto out_free;
        }
        out->n++;
        if (*r == ',') {
            r++;
            if (*r == '\0') {
                err_set(err, "trailing comma in '%s'", text);
                goto out_free;
            }
        }
        if (*r == '\0')
            break;
    }
    return true;

out_free:
    opts_free(out);
    return false;
}

void opts_free(struct opts_list *l)
{
    free(l->buf);
    memset(l, 0, sizeof(*l));
}

const char *opts_get(struct opts_list *l, const char *key)
{
    const char *val = NULL;

    for (u32 i = 0; i < l->n; i++) {
        if (!strcmp(l->kv[i].key, key)) {
            l->kv[i].is_used = true;
            val = l->kv[i].val;
        }
    }
    return val;
}

bool opts_check_unused(const struct opts_list *l, const char *what, struct emu_err *err)
{
    for (u32 i = 0; i < l->n; i++) {
        if (!l->kv[i].is_used) {
            err_set(err, "%s: unknown parameter '%s'", what, l->kv[i].key);
            return false;
        }
    }
    return true;
}

bool opts_parse_u64(const char *s, u64 *out, struct emu_err *err)
{
    char *end;
    unsigned long long v;

    if (!*s || *s == '-' || *s == '+' || *s == ' ') {
        err_set(err, "'%s' is not a non-negative integer", s);
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || *end) {
        err_set(err, "'%s' is not a non-negative integer", s);
        return false;
    }
    *out = v;
    return true;
}

bool opts_parse_double(const char *s, double *out, struct emu_err *err)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (!*s || errno || *end || !isfinite(v)) {
        err_set(err, "'%s' is not a number", s);
        return false;
    }
    *out = v;
    return true;
}

bool opts_parse_size(const char *s, u64 unit, u64 *out, struct emu_err *err)
{
    char *end;
    unsigned long long v;
    u64 mult = unit;

    if (!*s || *s == '-' || *s == '+' || *s == ' ') {
        err_set(err, "'%s' is not a size", s);
        return false;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s) {
        err_set(err, "'%s' is not a size", s);
        return false;
    }
    if (*end) {
        switch (*end) {
        case 'b':
        case 'B':
            mult = 1;
            break;
        case 'k':
        case 'K':
            mult = KiB;
            break;
        case 'm':
        case 'M':
            mult = MiB;
            break;
        case 'g':
        case 'G':
            mult = GiB;
            break;
        case 't':
        case 'T':
            mult = 1024 * GiB;
            break;
        default:
            err_set(err, "'%s' has an unknown size suffix", s);
            return false;
        }
        if (end[1] != '\0' &&
            !((end[1] == 'i' || end[1] == 'I') && (end[2] == 'B' || end[2] == 'b') &&
              end[3] == '\0') &&
            !((end[1] == 'B' || end[1] == 'b') && end[2] == '\0')) {
            err_set(err, "'%s' has an unknown size suffix", s);
            return false;
        }
    }
    if (v && mult > UINT64_MAX / v) {
        err_set(err, "size '%s' is too large", s);
        return false;
    }
    *out = v * mult;
    return true;
}

bool opts_parse_cpus(const char *s, u64 *bitmap, struct emu_err *err)
{
    const char *p = s;

    if (!*p) {
        err_set(err, "empty CPU list");
        return false;
    }
    while (*p) {
        char *end;
        unsigned long lo, hi;

        if (*p < '0' || *p > '9')
            goto bad;
        lo = strtoul(p, &end, 10);
        hi = lo;
        p = end;
        if (*p == '-') {
            p++;
            if (*p < '0' || *p > '9')
                goto bad;
            hi = strtoul(p, &end, 10);
            p = end;
        }
        if (hi < lo) {
            err_set(err, "CPU range '%s' is reversed", s);
            return false;
        }
        if (hi >= OPTS_MAX_CPUS) {
            err_set(err, "CPU %lu in '%s' is beyond the maximum of %d CPUs", hi, s, OPTS_MAX_CPUS);
            return false;
        }
        for (unsigned long c = lo; c <= hi; c++)
            bitmap[c / 64] |= 1ull << (c % 64);
        if (*p == ':')
            p++;
        else if (*p)
            goto bad;
    }
    return true;
bad:
    err_set(err, "'%s' is not a CPU list (like 0-3 or 0-1:4)", s);
    return false;
}

static const struct opts_desc *opts_find_desc(const struct opts_desc *descs, size_t n,
                                              const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(descs[i].key, key))
            return &descs[i];
    return NULL;
}

static bool opts_store(const struct opts_desc *d, const char *val, void *dst, struct emu_err *err)
{
    char *field = (char *)dst + d->offset;
    u64 v;

    switch (d->type) {
    case OPT_STR:
        if (strlen(val) >= d->size) {
            err_set(err, "value '%s' is too long", val);
            return false;
        }
        strcpy(field, val);
        return true;
    case OPT_U64:
        return opts_parse_u64(val, (u64 *)(void *)field, err);
    case OPT_U32:
        if (!opts_parse_u64(val, &v, err))
            return false;
        if (v > UINT32_MAX) {
            err_set(err, "'%s' is too large", val);
            return false;
        }
        *(u32 *)(void *)field = (u32)v;
        return true;
    case OPT_DOUBLE:
        return opts_parse_double(val, (double *)(void *)field, err);
    case OPT_BOOL:
        if (!strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "1"))
            *(bool *)(void *)field = true;
        else if (!strcmp(val, "off") || !strcmp(val, "no") || !strcmp(val, "false") ||
                 !strcmp(val, "0"))
            *(bool *)(void *)field = false;
        else {
            err_set(err, "'%s' is not on/off", val);
            return false;
        }
        return true;
    case OPT_SIZE:
        return opts_parse_size(val, d->size ? d->size : 1, (u64 *)(void *)field, err);
    case OPT_CPUS:
        return opts_parse_cpus(val, (u64 *)(void *)field, err);
    }
    return false;
}

bool opts_apply(struct opts_list *l, const struct opts_desc *descs, size_t n_descs, void *dst,
                const char *what, struct emu_err *err)
{
    for (u32 i = 0; i < l->n; i++) {
        const struct opts_desc *d = opts_find_desc(descs, n_descs, l->kv[i].key);

        if (!d)
            continue;
        for (u32 j = 0; j < i && d->type != OPT_CPUS; j++) {
            if (!strcmp(l->kv[j].key, l->kv[i].key)) {
                err_set(err, "%s: parameter '%s' given twice", what, l->kv[i].key);
                return false;
            }
        }
        if (!opts_store(d, l->kv[i].val, dst, err)) {
            err_prefix(err, "%s: %s: ", what, d->key);
            return false;
        }
        l->kv[i].is_used = true;
        if (d->set_off)
            *(bool *)(void *)((char *)dst + d->set_off) = true;
    }
    for (size_t k = 0; k < n_descs; k++) {
        if (!(descs[k].flags & OPT_REQUIRED))
            continue;
        bool found = false;
        for (u32 i = 0; i < l->n && !found; i++)
            found = !strcmp(l->kv[i].key, descs[k].key);
        if (!found) {
            err_set(err, "%s: parameter '%s' is required", what, descs[k].key);
            return false;
        }
    }
    return opts_check_unused(l, what, err);
}
