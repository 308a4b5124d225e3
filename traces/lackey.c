/* SPDX-License-Identifier: MIT */
/* Valgrind lackey --trace-mem=yes output to trace records. */
#include "traces/lackey.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void lackey_parser_init(struct lackey_parser *lp, const struct lackey_opts *opts)
{
    memset(lp, 0, sizeof(*lp));
    if (opts)
        lp->opts = *opts;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "==1234==", "--1234--" or "**1234**" at the start: one of Valgrind's own messages. */
static bool is_valgrind_msg(const char *s, size_t len)
{
    size_t i = 2;

    if (len < 5 || s[1] != s[0] || (s[0] != '=' && s[0] != '-' && s[0] != '*'))
        return false;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i > 2 && i + 1 < len && s[i] == s[0] && s[i + 1] == s[0];
}

/* Parses "hexaddr,decsize" and nothing else but trailing blanks. */
static bool parse_access(const char *s, size_t len, u64 *addr, u64 *size)
{
    size_t i = 0, n_hex = 0;
    u64 a = 0, sz = 0;

    for (; i < len && hexval(s[i]) >= 0; i++, n_hex++)
        a = (a << 4) | (u64)hexval(s[i]);
    if (n_hex == 0 || n_hex > 16 || i == len || s[i] != ',')
        return false;
    i++;
    if (i == len || s[i] < '0' || s[i] > '9')
        return false;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        sz = sz * 10 + (u64)(s[i] - '0');
        if (sz > LACKEY_MAX_ACCESS_BYTES)
            return false;
    }
    for (; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    *addr = a;
    *size = sz;
    return sz >= 1;
}

/* Charges the pending instructions to the next record. */
static u32 take_insns(struct lackey_parser *lp)
{
    u64 n = lp->pending_insns;

    lp->pending_insns = 0;
    return n > UINT32_MAX ? UINT32_MAX : (u32)n;
}

/* One data access as records of at most LACKEY_PIECE_BYTES. */
static int emit_access(struct lackey_parser *lp, u64 va, u64 size, enum trace_kind kind,
                       struct trace_rec *out)
{
    int n = 0;

    for (u64 done = 0; done < size; done += LACKEY_PIECE_BYTES) {
        u64 piece = size - done < LACKEY_PIECE_BYTES ? size - done : LACKEY_PIECE_BYTES;

        out[n].va = va + done;
        out[n].pa = 0;
        out[n].icount_delta = take_insns(lp);
        out[n].cpu = 0;
        out[n].size = (u8)piece;
        out[n].kind = (u8)kind;
        n++;
    }
    return n;
}

int lackey_parse_line(struct lackey_parser *lp, const char *line, size_t len, struct trace_rec *out,
                      struct emu_err *err)
{
    u64 line_no = ++lp->counts.lines, va, size;
    int n = 0;

    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len == 0 || is_valgrind_msg(line, len)) {
        lp->counts.messages++;
        return 0;
    }
    if (line[0] == 'I' && len > 2 && line[1] == ' ') {
        size_t i = 1;

        while (i < len && line[i] == ' ')
            i++;
        if (!parse_access(line + i, len - i, &va, &size) || size > 255)
            goto bad_access;
        lp->counts.instructions++;
        lp->pending_insns++;
        if (lp->opts.keep_fetches)
            n = emit_access(lp, va, size, TRACE_FETCH, out);
    } else if (line[0] == ' ' && len > 3 && line[2] == ' ' &&
               (line[1] == 'L' || line[1] == 'S' || line[1] == 'M')) {
        if (!parse_access(line + 3, len - 3, &va, &size))
            goto bad_access;
        switch (line[1]) {
        case 'L':
            lp->counts.loads++;
            n = emit_access(lp, va, size, TRACE_READ, out);
            break;
        case 'S':
            lp->counts.stores++;
            n = emit_access(lp, va, size, TRACE_WRITE, out);
            break;
        default:
            lp->counts.modifies++;
            n = emit_access(lp, va, size, TRACE_READ, out);
            n += emit_access(lp, va, size, TRACE_WRITE, out + n);
            break;
        }
    } else {
        err_set(err, "line %llu: not a lackey record (expected 'I', ' L', ' S' or ' M'): '%.*s'",
                (unsigned long long)line_no, (int)(len < 60 ? len : 60), line);
        return -1;
    }
    lp->counts.records += (u64)n;
    return n;

bad_access:
    err_set(err, "line %llu: malformed access (expected hexaddr,size with size 1..%d): '%.*s'",
            (unsigned long long)line_no, line[0] == 'I' ? 255 : LACKEY_MAX_ACCESS_BYTES,
            (int)(len < 60 ? len : 60), line);
    return -1;
}

bool lackey_import(FILE *in, const char *in_name, struct trace_writer *w,
                   const struct lackey_opts *opts, struct lackey_counts *counts,
                   struct emu_err *err)
{
    struct lackey_parser lp;
    struct trace_rec recs[LACKEY_MAX_LINE_RECS];
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    bool ok = true;

    lackey_parser_init(&lp, opts);
    errno = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        int n = lackey_parse_line(&lp, line, (size_t)len, recs, err);

        if (n < 0) {
            err_prefix(err, "%s: ", in_name);
            ok = false;
            break;
        }
        if (n && !trace_writer_add_batch(w, recs, (size_t)n, err)) {
            ok = false;
            break;
        }
    }
    if (ok && ferror(in)) {
        err_set_errno(err, errno, "cannot read '%s'", in_name);
        ok = false;
    }
    free(line);
    if (counts)
        *counts = lp.counts;
    return ok;
}
