/* SPDX-License-Identifier: MIT */
/*
 * QEMU-style option values: "kind,key=val,key=val". The first token may omit its key (QEMU's
 * implied option name: "-numa node,..." means type=node, "-m 2G" means size=2G). ",," inside a
 * value stands for a literal comma. Values are typed by a descriptor table; unknown or repeated
 * keys (unless repeatable) and malformed values are refused with a message naming them.
 */
#ifndef EMU_BASE_OPTS_H
#define EMU_BASE_OPTS_H

#include "base/err.h"
#include "base/types.h"

#define OPTS_MAX_KV 32

struct opts_kv {
    char *key;
    char *val;
    bool is_used;
};

struct opts_list {
    char *buf; /* owns every key and value */
    u32 n;
    struct opts_kv kv[OPTS_MAX_KV];
};

/**
 * opts_split() - split @text into key/value pairs.
 * @implied_key: key given to a first token without '=' (NULL: such a token is an error).
 * Return: false and @err on malformed text (empty key, too many pairs).
 */
bool opts_split(const char *text, const char *implied_key, struct opts_list *out,
                struct emu_err *err);

void opts_free(struct opts_list *l);

/** opts_get() - the last value for @key and mark every occurrence used; NULL when absent. */
const char *opts_get(struct opts_list *l, const char *key);

/** opts_check_unused() - fail naming the first key that no getter consumed. */
bool opts_check_unused(const struct opts_list *l, const char *what, struct emu_err *err);

enum opts_type {
    OPT_STR,    /* char[size] at offset; value must fit */
    OPT_U64,    /* u64 at offset; decimal or 0x hex */
    OPT_U32,    /* u32 at offset */
    OPT_DOUBLE, /* double at offset */
    OPT_BOOL,   /* bool at offset; on/off, yes/no, true/false, 1/0 */
    OPT_SIZE,   /* u64 bytes; suffix K/M/G/T (binary); without suffix, units of 'size' bytes */
    OPT_CPUS,   /* u64[OPTS_CPU_WORDS] bitmap; "a", "a-b", "a-b:c-d"; key may repeat (QEMU) */
};

#define OPTS_CPU_WORDS 4 /* 256 CPUs */
#define OPTS_MAX_CPUS  (OPTS_CPU_WORDS * 64)

#define OPT_REQUIRED 1u

struct opts_desc {
    const char *key;
    enum opts_type type;
    size_t offset;  /* into the destination struct */
    size_t size;    /* OPT_STR: buffer size; OPT_SIZE: unit for bare numbers (1 or MiB) */
    u32 flags;      /* OPT_REQUIRED */
    size_t set_off; /* offset of a bool set to true when the key was given; 0 = none */
};

/**
 * opts_apply() - store every key described in @descs into @dst, check required keys, then
 * refuse keys nobody described. @what names the option in messages ("-numa node").
 */
bool opts_apply(struct opts_list *l, const struct opts_desc *descs, size_t n_descs, void *dst,
                const char *what, struct emu_err *err);

/** opts_parse_size() - "1G", "512M", "2048" (x @unit). Return: false on syntax or overflow. */
bool opts_parse_size(const char *s, u64 unit, u64 *out, struct emu_err *err);

/** opts_parse_u64() - decimal or 0x-hex, whole string. */
bool opts_parse_u64(const char *s, u64 *out, struct emu_err *err);

/** opts_parse_double() - a finite decimal number, whole string. */
bool opts_parse_double(const char *s, double *out, struct emu_err *err);

/** opts_parse_cpus() - add "0-3:6" (ranges separated by ':') to @bitmap. */
bool opts_parse_cpus(const char *s, u64 *bitmap, struct emu_err *err);

#endif
