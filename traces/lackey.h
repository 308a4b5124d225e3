/* SPDX-License-Identifier: MIT */
/*
 * Importer for Valgrind lackey output (valgrind --tool=lackey --trace-mem=yes): "I  addr,size"
 * instruction fetches, " L", " S" and " M" (load then store) data accesses, "==pid==" messages.
 */
#ifndef EMU_TRACES_LACKEY_H
#define EMU_TRACES_LACKEY_H

#include "traces/trace.h"
#include "base/err.h"
#include "base/types.h"

#include <stdio.h>

#define LACKEY_MAX_ACCESS_BYTES 4096 /* larger accesses are refused as malformed */
#define LACKEY_PIECE_BYTES      64   /* accesses above this are split into 64-byte records */
#define LACKEY_MAX_LINE_RECS    (2 * LACKEY_MAX_ACCESS_BYTES / LACKEY_PIECE_BYTES)

struct lackey_opts {
    bool keep_fetches; /* emit a TRACE_FETCH record for every "I" line */
};

struct lackey_counts {
    u64 lines;        /* lines read */
    u64 messages;     /* Valgrind message lines and blank lines skipped */
    u64 instructions; /* "I" lines */
    u64 loads;        /* " L" lines */
    u64 stores;       /* " S" lines */
    u64 modifies;     /* " M" lines */
    u64 records;      /* records produced */
};

/*
 * Line-by-line parser. A record's icount_delta is the number of "I" lines since the previous
 * record, counting the instruction the access belongs to; so the deltas sum to the instruction
 * count up to the last record. All records have cpu 0 and pa 0.
 */
struct lackey_parser {
    struct lackey_opts opts;
    u64 pending_insns; /* "I" lines not yet charged to a record */
    struct lackey_counts counts;
};

/** lackey_parser_init() - start a parse; @opts may be NULL (no fetch records). */
void lackey_parser_init(struct lackey_parser *lp, const struct lackey_opts *opts);

/**
 * lackey_parse_line() - parse one line (@len bytes, newline optional).
 * @out: room for LACKEY_MAX_LINE_RECS records.
 * Return: records written to @out, or -1 and @err ("line N: ...") for a malformed line.
 */
int lackey_parse_line(struct lackey_parser *lp, const char *line, size_t len, struct trace_rec *out,
                      struct emu_err *err);

/**
 * lackey_import() - parse all of @in into @w. @in_name names the input in messages
 * ("in.txt:17: ..."). @counts may be NULL.
 * Return: false and @err on a malformed line, a read error or a write error.
 */
bool lackey_import(FILE *in, const char *in_name, struct trace_writer *w,
                   const struct lackey_opts *opts, struct lackey_counts *counts,
                   struct emu_err *err);

#endif
