/* SPDX-License-Identifier: MIT */
/*
 * Memory-access traces: the decoded record, the chunked compressed file format (byte layout in
 * docs/trace-format.md), a buffered writer with atomic output and a batch reader.
 */
#ifndef EMU_TRACES_TRACE_H
#define EMU_TRACES_TRACE_H

#include "base/afile.h"
#include "base/err.h"
#include "base/types.h"

enum trace_kind { TRACE_READ, TRACE_WRITE, TRACE_FETCH, TRACE_WALK, TRACE_KIND_COUNT };

/*
 * One access, as replay sees it. pa 0 means "physical address unknown"; size is in bytes
 * (1..255); icount_delta counts instructions retired on this CPU since its previous record.
 */
struct trace_rec {
    u64 va;
    u64 pa;
    u32 icount_delta;
    u16 cpu;
    u8 size;
    u8 kind; /* enum trace_kind */
};
_Static_assert(sizeof(struct trace_rec) == 24, "trace_rec is 24 bytes");

enum trace_codec { TRACE_CODEC_NONE, TRACE_CODEC_LZ4, TRACE_CODEC_ZSTD, TRACE_CODEC_COUNT };

#define TRACE_VERSION         1
#define TRACE_DESC_MAX        4095        /* bytes of free-text source description */
#define TRACE_CHUNK_RECORDS   65536       /* default records per chunk */
#define TRACE_CHUNK_MAX       (1u << 22)  /* largest records-per-chunk a file may declare */
#define TRACE_BATCH_RECORDS   1024        /* records returned per trace_reader_next() */
#define TRACE_COUNT_UNKNOWN   UINT64_MAX  /* header record count when not known */
#define TRACE_FLAG_HAS_PA     (1u << 0)   /* some records carry a physical address */
#define TRACE_FLAGS_MUST_KNOW 0xffff0000u /* a reader must refuse unknown bits here */

/* Header fields, as read from (or to be written to) a file. */
struct trace_header {
    u16 version;
    u32 flags;                     /* TRACE_FLAG_* */
    u8 page_shift;                 /* log2 of the page size the trace assumes (12 = 4 KiB) */
    u8 codec;                      /* enum trace_codec */
    u16 n_cpus;                    /* every record's cpu is below this */
    u32 chunk_records;             /* records per chunk (the last one may hold fewer) */
    u64 n_records;                 /* TRACE_COUNT_UNKNOWN if the writer did not know it */
    char desc[TRACE_DESC_MAX + 1]; /* NUL-terminated source description */
};

/** trace_kind_name() - "read", "write", "fetch", "walk" ("?" for anything else). */
const char *trace_kind_name(unsigned kind);

/** trace_codec_name() - "none", "lz4", "zstd". */
const char *trace_codec_name(unsigned codec);

/** trace_codec_parse() - "none"/"lz4"/"zstd" to enum trace_codec. Return: false if unknown. */
bool trace_codec_parse(const char *s, enum trace_codec *out, struct emu_err *err);

/**
 * trace_hash64() - the checksum used for headers, chunks and the end marker: FNV-1a-style
 * multiply-xor over little-endian 64-bit words in four interleaved lanes (exact definition in
 * docs/trace-format.md). About 6 bytes per cycle.
 */
u64 trace_hash64(const void *data, size_t len_bytes);

/* ---------------------------------------------------------------------------------------- */
/* Writer */

struct trace_writer_opts {
    enum trace_codec codec; /* default TRACE_CODEC_LZ4 */
    int level;              /* codec level; 0 = codec default (lz4: acceleration 1, zstd: 3) */
    u32 chunk_records;      /* 0 = TRACE_CHUNK_RECORDS */
    u8 page_shift;          /* 0 = 12 */
    u16 n_cpus;             /* 0 = 1 */
    u32 flags;              /* extra informational flags; HAS_PA is set automatically */
    const char *desc;       /* source description, may be NULL; cut at TRACE_DESC_MAX bytes */
};

/*
 * The writer. Only buf/n_buf/cap are touched by the inline trace_writer_add(); every other
 * field is private to trace.c.
 */
struct trace_writer {
    struct trace_rec *buf; /* records of the chunk being filled */
    u32 n_buf;
    u32 cap;
    bool is_failed; /* an earlier error poisoned the writer; close fails, removes output */
    struct afile af;
    struct trace_header hdr;
    u64 n_written; /* records in chunks already written */
    u64 n_chunks;
    u64 bytes_out; /* file bytes written so far */
    u8 *raw;       /* encoded chunk before compression */
    u8 *col[5];    /* scratch columns: va, pa, size, cpu, icount */
    u8 *comp;      /* compressed chunk */
    size_t comp_cap;
    u64 *prev_va; /* per CPU, reset each chunk */
    void *zcctx;  /* ZSTD_CCtx when codec is zstd */
    int level;    /* codec level (lz4: acceleration) */
};

/**
 * trace_writer_open() - start writing a trace to a temporary file next to @path.
 * @opts: NULL for all defaults.
 * Return: the writer, or NULL and @err (bad options, cannot create the file).
 */
struct trace_writer *trace_writer_open(const char *path, const struct trace_writer_opts *opts,
                                       struct emu_err *err);

/** trace_writer_flush() - encode and write the buffered records as one chunk. Out of line. */
bool trace_writer_flush(struct trace_writer *w, struct emu_err *err);

/**
 * trace_writer_add() - append one record (buffered). Records are validated when their chunk is
 * written: kind < TRACE_KIND_COUNT, size 1..255, cpu < n_cpus.
 * Return: false and @err if writing a full chunk failed; the writer is then unusable.
 */
static inline bool trace_writer_add(struct trace_writer *w, const struct trace_rec *rec,
                                    struct emu_err *err)
{
    if (unlikely(w->n_buf == w->cap) && !trace_writer_flush(w, err))
        return false;
    w->buf[w->n_buf++] = *rec;
    return true;
}

/** trace_writer_add_batch() - append @n records. Return: as trace_writer_add(). */
bool trace_writer_add_batch(struct trace_writer *w, const struct trace_rec *recs, size_t n,
                            struct emu_err *err);

/** trace_writer_n_records() - records accepted so far. */
u64 trace_writer_n_records(const struct trace_writer *w);

/**
 * trace_writer_close() - write the last chunk and the end marker, fill in the header's record
 * count, and rename the file into place. Frees @w in every case; on failure nothing is left at
 * the destination. Return: false and @err on failure.
 */
bool trace_writer_close(struct trace_writer *w, struct emu_err *err);

/** trace_writer_abort() - discard everything written and free @w. @w may be NULL. */
void trace_writer_abort(struct trace_writer *w);

/* ---------------------------------------------------------------------------------------- */
/* Reader */

struct trace_reader;

/**
 * trace_reader_open() - open @path and validate its header. Errors name the file and say
 * which of: not a trace, unsupported version, truncated header, header checksum mismatch.
 * Return: the reader, or NULL and @err.
 */
struct trace_reader *trace_reader_open(const char *path, struct emu_err *err);

/**
 * trace_reader_next() - decode the next batch (at most TRACE_BATCH_RECORDS records).
 * @batch: set to the records, valid until the next call on @r.
 * Return: number of records; 0 at the end of the trace, or 0 with @err set on corruption or
 * truncation (checksum mismatch, bad encoding, missing end marker, count mismatch).
 */
size_t trace_reader_next(struct trace_reader *r, const struct trace_rec **batch,
                         struct emu_err *err);

/** trace_reader_rewind() - start again at the first record. Return: false and @err on I/O error. */
bool trace_reader_rewind(struct trace_reader *r, struct emu_err *err);

/** trace_reader_header() - the validated header. */
const struct trace_header *trace_reader_header(const struct trace_reader *r);

/** trace_reader_n_cpus() - number of CPUs declared by the header. */
u16 trace_reader_n_cpus(const struct trace_reader *r);

/** trace_reader_page_shift() - log2 of the trace's page size. */
u8 trace_reader_page_shift(const struct trace_reader *r);

/** trace_reader_n_records() - record count from the header (TRACE_COUNT_UNKNOWN if absent). */
u64 trace_reader_n_records(const struct trace_reader *r);

/** trace_reader_n_chunks() - chunks decoded so far. */
u64 trace_reader_n_chunks(const struct trace_reader *r);

/** trace_reader_file_bytes() - size of the file in bytes. */
u64 trace_reader_file_bytes(const struct trace_reader *r);

/** trace_reader_close() - release @r (may be NULL). */
void trace_reader_close(struct trace_reader *r);

#endif
