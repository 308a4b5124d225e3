/* SPDX-License-Identifier: MIT */
/*
 * Trace files: header, chunks of columnar prefix-varint records compressed with lz4 or zstd,
 * end-of-trace marker. docs/trace-format.md is the byte-by-byte reference for this code.
 */
#include "traces/trace.h"
#include "base/bits.h"
#include "base/check.h"

#include <errno.h>
#include <lz4.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zstd.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the trace decoder assumes a little-endian host"
#endif

static const u8 trace_magic[8] = {0x89, 'T', 'R', 'C', '\r', '\n', 0x1a, '\n'};

#define HDR_FIXED_BYTES 40
#define HDR_MAX_BYTES   (HDR_FIXED_BYTES + TRACE_DESC_MAX + 8)
#define FRAME_BYTES     24
#define END_BYTES       32
#define CHUNK_TAG       0x4b4e4843u /* "CHNK" little-endian */
#define END_TAG         0x444e4554u /* "TEND" little-endian */
#define RAW_COLS        5           /* va, pa, size, cpu, icount */
#define RAW_HDR_BYTES   (4 * RAW_COLS)
#define REC_MAX_BYTES   28 /* tag 1 + va 9 + pa 9 + size 1 + cpu 3 + icount 5 */
#define VARINT_MAX      9
#define PAD_BYTES       16 /* varint loads read 8 bytes past the cursor */

enum { COL_VA, COL_PA, COL_SIZE, COL_CPU, COL_ICOUNT };

/*
 * Tag byte, one per record:
 *   7     reserved, 0
 *   6     icount_delta differs from the previous record's: next value in the icount column
 *   5     pa known: next value in the pa column
 *   4     size differs from the previous record's: next byte in the size column
 *   3:2   cpu: 0 same as previous record, 1 previous + 1 (mod n_cpus), 2 in the cpu column
 *   1:0   kind
 */
#define TAG_KIND_MASK    0x03u
#define TAG_CPU_SHIFT    2
#define TAG_CPU_SAME     0u
#define TAG_CPU_NEXT     1u
#define TAG_CPU_EXPLICIT 2u
#define TAG_SIZE         0x10u
#define TAG_PA           0x20u
#define TAG_ICOUNT       0x40u
#define TAG_RESERVED     0x80u

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME  0x100000001b3ull

/* ---------------------------------------------------------------------------------------- */
/* Little-endian fields and prefix varints */

static inline u64 ld64(const u8 *p)
{
    u64 v;
    memcpy(&v, p, 8);
    return v;
}

static inline u32 ld32(const u8 *p)
{
    u32 v;
    memcpy(&v, p, 4);
    return v;
}

static inline u16 ld16(const u8 *p)
{
    u16 v;
    memcpy(&v, p, 2);
    return v;
}

static inline void st64(u8 *p, u64 v)
{
    memcpy(p, &v, 8);
}

static inline void st32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
}

static inline void st16(u8 *p, u16 v)
{
    memcpy(p, &v, 2);
}

static inline u64 zig(u64 v)
{
    return (v << 1) ^ (u64)((i64)v >> 63);
}

static inline u64 unzig(u64 z)
{
    return (z >> 1) ^ (0 - (z & 1));
}

/*
 * Prefix varint: the number of trailing zero bits of the first byte, plus one, is the length n
 * (1..8) and the value sits above those n bits in n little-endian bytes (7n bits). A first byte
 * of 0 means 8 more bytes hold the full 64-bit value. Writes up to 8 bytes past the end.
 */
static inline u8 *pv_put(u8 *p, u64 v)
{
    if (likely(v < (1ull << 56))) {
        unsigned n = v ? (ilog2(v) + 7) / 7 : 1;

        st64(p, (v << n) | (1ull << (n - 1)));
        return p + n;
    }
    *p = 0;
    st64(p + 1, v);
    return p + 9;
}

/* Reads 8 bytes at the cursor whatever the length: buffers carry PAD_BYTES of slack. */
static inline u64 pv_get(const u8 **pp)
{
    const u8 *p = *pp;
    u64 x = ld64(p);

    if (likely(x & 0xff)) {
        unsigned n = (unsigned)__builtin_ctzll(x) + 1;

        *pp = p + n;
        return (x << (64 - 8 * n)) >> (64 - 7 * n);
    }
    *pp = p + 9;
    return ld64(p + 1);
}

static inline u64 hash_step(u64 lane, u64 w)
{
    u64 x = (lane ^ w) * FNV_PRIME;

    return (x << 27) | (x >> 37);
}

u64 trace_hash64(const void *data, size_t len_bytes)
{
    const u8 *p = data;
    size_t n = len_bytes;
    u64 l0 = FNV_OFFSET, l1 = FNV_OFFSET + 1, l2 = FNV_OFFSET + 2, l3 = FNV_OFFSET + 3;
    u64 h = FNV_OFFSET;

    for (; n >= 32; p += 32, n -= 32) {
        l0 = hash_step(l0, ld64(p));
        l1 = hash_step(l1, ld64(p + 8));
        l2 = hash_step(l2, ld64(p + 16));
        l3 = hash_step(l3, ld64(p + 24));
    }
    if (n >= 8) {
        l0 = hash_step(l0, ld64(p));
        p += 8;
        n -= 8;
    }
    if (n >= 8) {
        l1 = hash_step(l1, ld64(p));
        p += 8;
        n -= 8;
    }
    if (n >= 8) {
        l2 = hash_step(l2, ld64(p));
        p += 8;
        n -= 8;
    }
    if (n) {
        u64 w = 0;

        memcpy(&w, p, n);
        l3 = hash_step(l3, w);
    }
    h = (h ^ l0) * FNV_PRIME;
    h = (h ^ l1) * FNV_PRIME;
    h = (h ^ l2) * FNV_PRIME;
    h = (h ^ l3) * FNV_PRIME;
    h = (h ^ (u64)len_bytes) * FNV_PRIME;
    return h ^ (h >> 32);
}

/* A chunk's checksum covers its frame fields and, through a first hash, its payload. */
static u64 chunk_checksum(const u8 *frame, const u8 *payload, size_t comp_len)
{
    u8 buf[24];

    memcpy(buf, frame, 16);
    st64(buf + 16, trace_hash64(payload, comp_len));
    return trace_hash64(buf, sizeof(buf));
}

const char *trace_kind_name(unsigned kind)
{
    static const char *const names[TRACE_KIND_COUNT] = {"read", "write", "fetch", "walk"};

    return kind < TRACE_KIND_COUNT ? names[kind] : "?";
}

const char *trace_codec_name(unsigned codec)
{
    static const char *const names[TRACE_CODEC_COUNT] = {"none", "lz4", "zstd"};

    return codec < TRACE_CODEC_COUNT ? names[codec] : "?";
}

bool trace_codec_parse(const char *s, enum trace_codec *out, struct emu_err *err)
{
    for (unsigned c = 0; c < TRACE_CODEC_COUNT; c++) {
        if (!strcmp(s, trace_codec_name(c))) {
            *out = (enum trace_codec)c;
            return true;
        }
    }
    err_set(err, "unknown codec '%s' (expected lz4, zstd or none)", s);
    return false;
}

static size_t codec_bound(unsigned codec, size_t raw_len)
{
    switch (codec) {
    case TRACE_CODEC_LZ4:
        return (size_t)LZ4_compressBound((int)raw_len);
    case TRACE_CODEC_ZSTD:
        return ZSTD_compressBound(raw_len);
    default:
        return raw_len;
    }
}

static size_t raw_max_bytes(u32 n_records)
{
    return RAW_HDR_BYTES + (size_t)REC_MAX_BYTES * n_records;
}

/* Header bytes for @h; returns the length (fixed part + description + checksum). */
static size_t hdr_encode(const struct trace_header *h, u8 *buf)
{
    size_t desc_len = strlen(h->desc);

    memset(buf, 0, HDR_FIXED_BYTES);
    memcpy(buf, trace_magic, 8);
    st16(buf + 8, h->version);
    st16(buf + 10, (u16)desc_len);
    st32(buf + 12, h->flags);
    buf[16] = h->page_shift;
    buf[17] = h->codec;
    st16(buf + 18, h->n_cpus);
    st32(buf + 20, h->chunk_records);
    st64(buf + 24, h->n_records);
    st64(buf + 32, 0);
    memcpy(buf + HDR_FIXED_BYTES, h->desc, desc_len);
    st64(buf + HDR_FIXED_BYTES + desc_len, trace_hash64(buf, HDR_FIXED_BYTES + desc_len));
    return HDR_FIXED_BYTES + desc_len + 8;
}

/* ---------------------------------------------------------------------------------------- */
/* Writer */

static bool wr_out(struct trace_writer *w, const void *p, size_t n, struct emu_err *err)
{
    if (fwrite(p, 1, n, w->af.fp) != n) {
        err_set_errno(err, errno, "cannot write '%s'", w->af.final_path);
        w->is_failed = true;
        return false;
    }
    w->bytes_out += n;
    return true;
}

static void wr_free(struct trace_writer *w)
{
    free(w->buf);
    free(w->raw);
    for (unsigned i = 0; i < RAW_COLS; i++)
        free(w->col[i]);
    free(w->comp);
    free(w->prev_va);
    if (w->zcctx)
        ZSTD_freeCCtx(w->zcctx);
    free(w);
}

struct trace_writer *trace_writer_open(const char *path, const struct trace_writer_opts *opts,
                                       struct emu_err *err)
{
    struct trace_writer_opts o = {.codec = TRACE_CODEC_LZ4};
    struct trace_writer *w;
    u8 hbuf[HDR_MAX_BYTES];
    size_t raw_max, hlen;

    if (opts)
        o = *opts;
    if (!o.chunk_records)
        o.chunk_records = TRACE_CHUNK_RECORDS;
    if (!o.page_shift)
        o.page_shift = 12;
    if (!o.n_cpus)
        o.n_cpus = 1;
    if ((unsigned)o.codec >= TRACE_CODEC_COUNT) {
        err_set(err, "%s: unknown codec %d", path, (int)o.codec);
        return NULL;
    }
    if (o.chunk_records > TRACE_CHUNK_MAX) {
        err_set(err, "%s: %u records per chunk is above the limit of %u", path, o.chunk_records,
                TRACE_CHUNK_MAX);
        return NULL;
    }
    if (o.page_shift < 10 || o.page_shift > 40) {
        err_set(err, "%s: page shift %u is outside 10..40", path, o.page_shift);
        return NULL;
    }
    if (o.flags & TRACE_FLAGS_MUST_KNOW) {
        err_set(err, "%s: flags 0x%x are not defined by trace version %d", path, o.flags,
                TRACE_VERSION);
        return NULL;
    }
    w = calloc(1, sizeof(*w));
    if (!w) {
        err_set(err, "out of memory");
        return NULL;
    }
    w->hdr.version = TRACE_VERSION;
    w->hdr.flags = o.flags;
    w->hdr.page_shift = o.page_shift;
    w->hdr.codec = (u8)o.codec;
    w->hdr.n_cpus = o.n_cpus;
    w->hdr.chunk_records = o.chunk_records;
    w->hdr.n_records = TRACE_COUNT_UNKNOWN;
    if (o.desc) {
        size_t n = strlen(o.desc);

        if (n > TRACE_DESC_MAX)
            n = TRACE_DESC_MAX;
        memcpy(w->hdr.desc, o.desc, n);
    }
    w->cap = o.chunk_records;
    raw_max = raw_max_bytes(w->cap);
    w->comp_cap = codec_bound(TRACE_CODEC_LZ4, raw_max);
    if (ZSTD_compressBound(raw_max) > w->comp_cap)
        w->comp_cap = ZSTD_compressBound(raw_max);
    w->buf = malloc(sizeof(*w->buf) * w->cap);
    w->raw = malloc(raw_max + PAD_BYTES);
    for (unsigned i = 0; i < RAW_COLS; i++)
        w->col[i] = malloc((size_t)VARINT_MAX * w->cap + PAD_BYTES);
    w->comp = malloc(w->comp_cap);
    w->prev_va = malloc(sizeof(u64) * o.n_cpus);
    if (!w->buf || !w->raw || !w->col[0] || !w->col[1] || !w->col[2] || !w->col[3] || !w->col[4] ||
        !w->comp || !w->prev_va) {
        err_set(err, "out of memory for a trace writer");
        goto out_free;
    }
    if (o.codec == TRACE_CODEC_ZSTD) {
        w->zcctx = ZSTD_createCCtx();
        if (!w->zcctx || ZSTD_isError(ZSTD_CCtx_setParameter(w->zcctx, ZSTD_c_compressionLevel,
                                                             o.level ? o.level : 3))) {
            err_set(err, "%s: cannot set up zstd level %d", path, o.level);
            goto out_free;
        }
    }
    /* lz4's "acceleration" serves as its level: 1 is the default, larger is faster. */
    w->level = o.level;
    if (!afile_open(&w->af, path, err))
        goto out_free;
    hlen = hdr_encode(&w->hdr, hbuf);
    if (!wr_out(w, hbuf, hlen, err)) {
        afile_abort(&w->af);
        goto out_free;
    }
    return w;

out_free:
    wr_free(w);
    return NULL;
}

static int wr_lz4_accel(const struct trace_writer *w)
{
    return w->level > 0 ? w->level : 1;
}

bool trace_writer_flush(struct trace_writer *w, struct emu_err *err)
{
    u32 n = w->n_buf, n_cpus = w->hdr.n_cpus;
    u8 *tags = w->raw + RAW_HDR_BYTES;
    u8 *c[RAW_COLS];
    u32 prev_cpu = 0, prev_size = 0, prev_ic = 0;
    u64 prev_off = 0;
    size_t raw_len, comp_len;
    const u8 *payload;
    u8 frame[FRAME_BYTES];

    if (w->is_failed) {
        err_set(err, "%s: writing failed earlier", w->af.final_path);
        return false;
    }
    if (n == 0)
        return true;
    for (unsigned i = 0; i < RAW_COLS; i++)
        c[i] = w->col[i];
    memset(w->prev_va, 0, sizeof(u64) * n_cpus);
    for (u32 i = 0; i < n; i++) {
        const struct trace_rec *r = &w->buf[i];
        u32 t = r->kind, next_cpu = prev_cpu + 1 == n_cpus ? 0 : prev_cpu + 1;

        if (r->kind >= TRACE_KIND_COUNT || r->size == 0 || r->cpu >= n_cpus) {
            err_set(err, "%s: record %llu is invalid (kind %u, size %u, cpu %u of %u)",
                    w->af.final_path, (unsigned long long)(w->n_written + i), r->kind, r->size,
                    r->cpu, n_cpus);
            w->is_failed = true;
            return false;
        }
        if (r->cpu == prev_cpu) {
            t |= TAG_CPU_SAME << TAG_CPU_SHIFT;
        } else if (r->cpu == next_cpu) {
            t |= TAG_CPU_NEXT << TAG_CPU_SHIFT;
        } else {
            t |= TAG_CPU_EXPLICIT << TAG_CPU_SHIFT;
            c[COL_CPU] = pv_put(c[COL_CPU], r->cpu);
        }
        prev_cpu = r->cpu;
        c[COL_VA] = pv_put(c[COL_VA], zig(r->va - w->prev_va[r->cpu]));
        w->prev_va[r->cpu] = r->va;
        if (r->size != prev_size) {
            t |= TAG_SIZE;
            *c[COL_SIZE]++ = r->size;
            prev_size = r->size;
        }
        if (r->pa) {
            u64 off = r->pa - r->va;

            t |= TAG_PA;
            c[COL_PA] = pv_put(c[COL_PA], zig(off - prev_off));
            prev_off = off;
            w->hdr.flags |= TRACE_FLAG_HAS_PA;
        }
        if (r->icount_delta != prev_ic) {
            t |= TAG_ICOUNT;
            c[COL_ICOUNT] = pv_put(c[COL_ICOUNT], r->icount_delta);
            prev_ic = r->icount_delta;
        }
        tags[i] = (u8)t;
    }
    raw_len = RAW_HDR_BYTES + n;
    for (unsigned i = 0; i < RAW_COLS; i++) {
        size_t len = (size_t)(c[i] - w->col[i]);

        st32(w->raw + 4 * i, (u32)len);
        memcpy(w->raw + raw_len, w->col[i], len);
        raw_len += len;
    }
    switch (w->hdr.codec) {
    case TRACE_CODEC_LZ4: {
        int got = LZ4_compress_fast((const char *)w->raw, (char *)w->comp, (int)raw_len,
                                    (int)w->comp_cap, wr_lz4_accel(w));
        if (got <= 0) {
            err_set(err, "%s: lz4 compression failed", w->af.final_path);
            w->is_failed = true;
            return false;
        }
        comp_len = (size_t)got;
        payload = w->comp;
        break;
    }
    case TRACE_CODEC_ZSTD:
        comp_len = ZSTD_compress2(w->zcctx, w->comp, w->comp_cap, w->raw, raw_len);
        if (ZSTD_isError(comp_len)) {
            err_set(err, "%s: zstd compression failed: %s", w->af.final_path,
                    ZSTD_getErrorName(comp_len));
            w->is_failed = true;
            return false;
        }
        payload = w->comp;
        break;
    default:
        comp_len = raw_len;
        payload = w->raw;
        break;
    }
    st32(frame, CHUNK_TAG);
    st32(frame + 4, n);
    st32(frame + 8, (u32)comp_len);
    st32(frame + 12, (u32)raw_len);
    st64(frame + 16, chunk_checksum(frame, payload, comp_len));
    if (!wr_out(w, frame, sizeof(frame), err) || !wr_out(w, payload, comp_len, err))
        return false;
    w->n_written += n;
    w->n_chunks++;
    w->n_buf = 0;
    return true;
}

bool trace_writer_add_batch(struct trace_writer *w, const struct trace_rec *recs, size_t n,
                            struct emu_err *err)
{
    while (n) {
        size_t room = w->cap - w->n_buf, k;

        if (room == 0) {
            if (!trace_writer_flush(w, err))
                return false;
            continue;
        }
        k = n < room ? n : room;
        memcpy(w->buf + w->n_buf, recs, k * sizeof(*recs));
        w->n_buf += (u32)k;
        recs += k;
        n -= k;
    }
    return true;
}

u64 trace_writer_n_records(const struct trace_writer *w)
{
    return w->n_written + w->n_buf;
}

bool trace_writer_close(struct trace_writer *w, struct emu_err *err)
{
    u8 end[END_BYTES];
    u8 hbuf[HDR_MAX_BYTES];
    size_t hlen;

    if (!trace_writer_flush(w, err))
        goto out_abort;
    st32(end, END_TAG);
    st32(end + 4, 0);
    st64(end + 8, w->n_written);
    st64(end + 16, w->n_chunks);
    st64(end + 24, trace_hash64(end, 24));
    if (!wr_out(w, end, sizeof(end), err))
        goto out_abort;
    w->hdr.n_records = w->n_written;
    hlen = hdr_encode(&w->hdr, hbuf);
    if (fseek(w->af.fp, 0, SEEK_SET) != 0 || fwrite(hbuf, 1, hlen, w->af.fp) != hlen) {
        err_set_errno(err, errno, "cannot write '%s'", w->af.final_path);
        goto out_abort;
    }
    if (!afile_commit(&w->af, err)) {
        wr_free(w);
        return false;
    }
    wr_free(w);
    return true;

out_abort:
    trace_writer_abort(w);
    return false;
}

void trace_writer_abort(struct trace_writer *w)
{
    if (!w)
        return;
    afile_abort(&w->af);
    wr_free(w);
}

/* ---------------------------------------------------------------------------------------- */
/* Reader */

struct trace_reader {
    struct trace_rec batch[TRACE_BATCH_RECORDS];
    /* decode state of the current chunk */
    const u8 *tags;
    const u8 *cur[RAW_COLS];
    const u8 *end[RAW_COLS];
    u32 left; /* records of the current chunk not yet decoded */
    u32 prev_cpu;
    u32 prev_size;
    u32 prev_ic;
    u64 prev_off;
    u64 *prev_va; /* per CPU */
    /* file */
    FILE *fp;
    char *path;
    struct trace_header hdr;
    u64 data_off;   /* byte offset of the first chunk */
    u64 file_bytes; /* size at open */
    u64 pos;        /* byte offset of the next frame */
    u64 n_chunks;   /* chunks loaded */
    u64 n_decoded;  /* records in chunks loaded */
    bool is_at_end;
    bool is_failed;
    struct emu_err fail; /* re-reported after a failure */
    u8 *raw;
    size_t raw_cap;
    u8 *comp;
    size_t comp_cap;
    ZSTD_DCtx *zdctx;
};

static void rd_fail(struct trace_reader *r, struct emu_err *err, const char *fmt, ...)
    EMU_PRINTF(3, 4);

static void rd_fail(struct trace_reader *r, struct emu_err *err, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    err_set(&r->fail, "%s: %s", r->path, msg);
    r->is_failed = true;
    if (err)
        *err = r->fail;
}

/* Reads exactly @n bytes; returns how many were read before end of file. */
static size_t rd_bytes(struct trace_reader *r, void *buf, size_t n)
{
    size_t got = fread(buf, 1, n, r->fp);

    r->pos += got;
    return got;
}

static bool rd_grow(u8 **buf, size_t *cap, size_t need)
{
    u8 *p;

    if (need <= *cap)
        return true;
    p = realloc(*buf, need);
    if (!p)
        return false;
    *buf = p;
    *cap = need;
    return true;
}

static bool rd_header(struct trace_reader *r, struct emu_err *err)
{
    u8 buf[HDR_MAX_BYTES];
    size_t got = rd_bytes(r, buf, HDR_FIXED_BYTES);
    struct trace_header *h = &r->hdr;
    size_t desc_len;

    if (got == 0) {
        rd_fail(r, err, "empty file, not a terrace trace");
        return false;
    }
    if (memcmp(buf, trace_magic, got < 8 ? got : 8) != 0) {
        rd_fail(r, err, "not a terrace trace (bad magic)");
        return false;
    }
    if (got < 10) {
        rd_fail(r, err, "truncated trace header (%zu bytes)", got);
        return false;
    }
    h->version = ld16(buf + 8);
    if (h->version != TRACE_VERSION) {
        rd_fail(r, err, "unsupported trace version %u (this build reads version %d)", h->version,
                TRACE_VERSION);
        return false;
    }
    if (got < HDR_FIXED_BYTES) {
        rd_fail(r, err, "truncated trace header (%zu bytes)", got);
        return false;
    }
    desc_len = ld16(buf + 10);
    if (desc_len > TRACE_DESC_MAX) {
        rd_fail(r, err, "corrupt trace header (description length %zu)", desc_len);
        return false;
    }
    got = rd_bytes(r, buf + HDR_FIXED_BYTES, desc_len + 8);
    if (got < desc_len + 8) {
        rd_fail(r, err, "truncated trace header (%zu bytes)", HDR_FIXED_BYTES + got);
        return false;
    }
    if (ld64(buf + HDR_FIXED_BYTES + desc_len) != trace_hash64(buf, HDR_FIXED_BYTES + desc_len)) {
        rd_fail(r, err, "trace header checksum mismatch");
        return false;
    }
    h->flags = ld32(buf + 12);
    h->page_shift = buf[16];
    h->codec = buf[17];
    h->n_cpus = ld16(buf + 18);
    h->chunk_records = ld32(buf + 20);
    h->n_records = ld64(buf + 24);
    memcpy(h->desc, buf + HDR_FIXED_BYTES, desc_len);
    h->desc[desc_len] = '\0';
    if (h->flags & TRACE_FLAGS_MUST_KNOW) {
        rd_fail(r, err, "trace uses features this build does not know (flags 0x%x)", h->flags);
        return false;
    }
    if (h->codec >= TRACE_CODEC_COUNT || h->n_cpus == 0 || h->chunk_records == 0 ||
        h->chunk_records > TRACE_CHUNK_MAX || h->page_shift < 10 || h->page_shift > 40) {
        rd_fail(r, err, "corrupt trace header (codec %u, %u cpus, %u records per chunk)", h->codec,
                h->n_cpus, h->chunk_records);
        return false;
    }
    r->data_off = r->pos;
    return true;
}

struct trace_reader *trace_reader_open(const char *path, struct emu_err *err)
{
    struct trace_reader *r = calloc(1, sizeof(*r));
    struct stat st;

    if (!r) {
        err_set(err, "out of memory");
        return NULL;
    }
    r->path = strdup(path);
    if (!r->path) {
        err_set(err, "out of memory");
        goto out_free;
    }
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        err_set_errno(err, errno, "cannot open '%s'", path);
        goto out_free;
    }
    if (fstat(fileno(r->fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        err_set(err, "%s: not a regular file", path);
        goto out_free;
    }
    r->file_bytes = (u64)st.st_size;
    if (!rd_header(r, err))
        goto out_free;
    r->prev_va = calloc(r->hdr.n_cpus, sizeof(u64));
    if (!r->prev_va) {
        err_set(err, "out of memory");
        goto out_free;
    }
    if (r->hdr.codec == TRACE_CODEC_ZSTD) {
        r->zdctx = ZSTD_createDCtx();
        if (!r->zdctx) {
            err_set(err, "out of memory");
            goto out_free;
        }
    }
    return r;

out_free:
    trace_reader_close(r);
    return NULL;
}

void trace_reader_close(struct trace_reader *r)
{
    if (!r)
        return;
    if (r->fp)
        fclose(r->fp);
    if (r->zdctx)
        ZSTD_freeDCtx(r->zdctx);
    free(r->prev_va);
    free(r->raw);
    free(r->comp);
    free(r->path);
    free(r);
}

bool trace_reader_rewind(struct trace_reader *r, struct emu_err *err)
{
    if (fseek(r->fp, (long)r->data_off, SEEK_SET) != 0) {
        err_set_errno(err, errno, "%s: cannot seek", r->path);
        return false;
    }
    r->pos = r->data_off;
    r->left = 0;
    r->n_chunks = 0;
    r->n_decoded = 0;
    r->is_at_end = false;
    r->is_failed = false;
    err_clear(&r->fail);
    return true;
}

/* Reads and checks the end marker; it must be the last thing in the file. */
static bool rd_end(struct trace_reader *r, const u8 *tag, struct emu_err *err)
{
    u8 end[END_BYTES];
    u64 at = r->pos - 4, n_recs, n_chunks;

    memcpy(end, tag, 4);
    if (rd_bytes(r, end + 4, END_BYTES - 4) != END_BYTES - 4) {
        rd_fail(r, err, "truncated trace: end marker at byte %llu is cut short",
                (unsigned long long)at);
        return false;
    }
    if (ld64(end + 24) != trace_hash64(end, 24)) {
        rd_fail(r, err, "end marker checksum mismatch at byte %llu", (unsigned long long)at);
        return false;
    }
    n_recs = ld64(end + 8);
    n_chunks = ld64(end + 16);
    if (n_recs != r->n_decoded || n_chunks != r->n_chunks ||
        (r->hdr.n_records != TRACE_COUNT_UNKNOWN && r->hdr.n_records != n_recs)) {
        rd_fail(r, err,
                "record count mismatch: end marker says %llu records in %llu chunks, found %llu "
                "in %llu",
                (unsigned long long)n_recs, (unsigned long long)n_chunks,
                (unsigned long long)r->n_decoded, (unsigned long long)r->n_chunks);
        return false;
    }
    if (fgetc(r->fp) != EOF) {
        rd_fail(r, err, "unexpected bytes after the end marker at byte %llu",
                (unsigned long long)r->pos);
        return false;
    }
    r->is_at_end = true;
    return true;
}

/* Loads the next chunk into r->raw. Return: false at the end marker or on failure. */
static bool rd_chunk(struct trace_reader *r, struct emu_err *err)
{
    u8 frame[FRAME_BYTES];
    u64 at = r->pos, idx = r->n_chunks;
    size_t got = rd_bytes(r, frame, 4), comp_len, raw_len, sum;
    u32 n;
    u8 *src;

    if (got == 0) {
        rd_fail(r, err, "truncated trace: no end-of-trace marker after chunk %llu (byte %llu)",
                (unsigned long long)idx, (unsigned long long)at);
        return false;
    }
    if (got < 4) {
        rd_fail(r, err, "truncated trace: cut inside chunk %llu at byte %llu",
                (unsigned long long)idx, (unsigned long long)at);
        return false;
    }
    if (ld32(frame) == END_TAG)
        return rd_end(r, frame, err);
    if (ld32(frame) != CHUNK_TAG) {
        rd_fail(r, err, "corrupt trace: no chunk or end marker at byte %llu",
                (unsigned long long)at);
        return false;
    }
    if (rd_bytes(r, frame + 4, FRAME_BYTES - 4) != FRAME_BYTES - 4) {
        rd_fail(r, err, "truncated trace: cut inside chunk %llu at byte %llu",
                (unsigned long long)idx, (unsigned long long)at);
        return false;
    }
    n = ld32(frame + 4);
    comp_len = ld32(frame + 8);
    raw_len = ld32(frame + 12);
    if (n == 0 || n > r->hdr.chunk_records || raw_len < RAW_HDR_BYTES + (size_t)n ||
        raw_len > raw_max_bytes(n) || comp_len > codec_bound(r->hdr.codec, raw_len) ||
        (r->hdr.codec == TRACE_CODEC_NONE && comp_len != raw_len)) {
        rd_fail(r, err, "corrupt chunk %llu at byte %llu (%u records, %zu/%zu bytes)",
                (unsigned long long)idx, (unsigned long long)at, n, comp_len, raw_len);
        return false;
    }
    if (r->pos + comp_len > r->file_bytes) {
        rd_fail(r, err, "truncated trace: cut inside chunk %llu at byte %llu",
                (unsigned long long)idx, (unsigned long long)at);
        return false;
    }
    /* Room for the varint loads of a corrupt column running past its end (checked later). */
    if (!rd_grow(&r->raw, &r->raw_cap, raw_len + (size_t)VARINT_MAX * n + PAD_BYTES) ||
        !rd_grow(&r->comp, &r->comp_cap, comp_len + 1)) {
        rd_fail(r, err, "out of memory for chunk %llu", (unsigned long long)idx);
        return false;
    }
    src = r->hdr.codec == TRACE_CODEC_NONE ? r->raw : r->comp;
    if (rd_bytes(r, src, comp_len) != comp_len) {
        rd_fail(r, err, "truncated trace: cut inside chunk %llu at byte %llu",
                (unsigned long long)idx, (unsigned long long)at);
        return false;
    }
    if (ld64(frame + 16) != chunk_checksum(frame, src, comp_len)) {
        rd_fail(r, err, "chunk %llu at byte %llu: checksum mismatch", (unsigned long long)idx,
                (unsigned long long)at);
        return false;
    }
    if (r->hdr.codec == TRACE_CODEC_LZ4) {
        int out =
            LZ4_decompress_safe((const char *)r->comp, (char *)r->raw, (int)comp_len, (int)raw_len);
        if (out < 0 || (size_t)out != raw_len)
            goto bad_payload;
    } else if (r->hdr.codec == TRACE_CODEC_ZSTD) {
        size_t out = ZSTD_decompressDCtx(r->zdctx, r->raw, raw_len, r->comp, comp_len);
        if (ZSTD_isError(out) || out != raw_len)
            goto bad_payload;
    }
    /* Defined bytes for the 8-byte loads at a column's end; corrupt chunks may read further
     * into the slack, which is allocated but whose bytes are never trusted. */
    memset(r->raw + raw_len, 0, PAD_BYTES);
    sum = RAW_HDR_BYTES + n;
    r->tags = r->raw + RAW_HDR_BYTES;
    for (unsigned i = 0; i < RAW_COLS; i++) {
        size_t len = ld32(r->raw + 4 * i);

        if (len > raw_len - sum)
            goto bad_payload;
        r->cur[i] = r->raw + sum;
        sum += len;
        r->end[i] = r->raw + sum;
    }
    if (sum != raw_len)
        goto bad_payload;
    r->left = n;
    r->prev_cpu = 0;
    r->prev_size = 0;
    r->prev_ic = 0;
    r->prev_off = 0;
    memset(r->prev_va, 0, sizeof(u64) * r->hdr.n_cpus);
    r->n_chunks++;
    r->n_decoded += n;
    return true;

bad_payload:
    rd_fail(r, err, "chunk %llu at byte %llu: corrupt payload", (unsigned long long)idx,
            (unsigned long long)at);
    return false;
}

/*
 * The decode loop, specialised for one CPU (previous va kept in a register) and for many.
 * Return: non-zero if some record was malformed.
 */
static inline __attribute__((always_inline)) u32
rd_decode(struct trace_reader *r, struct trace_rec *out, u32 m, bool is_single)
{
    const u8 *tags = r->tags;
    const u8 *pva = r->cur[COL_VA], *ppa = r->cur[COL_PA], *psz = r->cur[COL_SIZE];
    const u8 *pcpu = r->cur[COL_CPU], *pic = r->cur[COL_ICOUNT];
    u64 *prev_va = r->prev_va;
    u64 va1 = prev_va[0], off = r->prev_off;
    u32 n_cpus = r->hdr.n_cpus, cpu = r->prev_cpu, size = r->prev_size, ic = r->prev_ic;
    u32 bad = 0;

    for (u32 i = 0; i < m; i++) {
        u32 t = tags[i], mode = (t >> TAG_CPU_SHIFT) & 3;
        u64 va, pa = 0;

        if (unlikely(mode != TAG_CPU_SAME)) {
            if (mode == TAG_CPU_NEXT) {
                cpu = cpu + 1 == n_cpus ? 0 : cpu + 1;
            } else {
                u64 c = pv_get(&pcpu);

                if (c >= n_cpus || mode != TAG_CPU_EXPLICIT) {
                    bad = 1;
                    c = 0;
                }
                cpu = (u32)c;
            }
        }
        if (is_single) {
            va1 += unzig(pv_get(&pva));
            va = va1;
        } else {
            va = prev_va[cpu] + unzig(pv_get(&pva));
            prev_va[cpu] = va;
        }
        if (t & TAG_SIZE) {
            size = *psz++;
            bad |= size == 0;
        }
        if (t & TAG_PA) {
            off += unzig(pv_get(&ppa));
            pa = va + off;
        }
        if (t & TAG_ICOUNT) {
            u64 v = pv_get(&pic);

            bad |= v > UINT32_MAX;
            ic = (u32)v;
        }
        bad |= t & TAG_RESERVED;
        out[i].va = va;
        out[i].pa = pa;
        out[i].icount_delta = ic;
        out[i].cpu = (u16)cpu;
        out[i].size = (u8)size;
        out[i].kind = (u8)(t & TAG_KIND_MASK);
    }
    if (is_single)
        prev_va[0] = va1;
    r->tags = tags + m;
    r->cur[COL_VA] = pva;
    r->cur[COL_PA] = ppa;
    r->cur[COL_SIZE] = psz;
    r->cur[COL_CPU] = pcpu;
    r->cur[COL_ICOUNT] = pic;
    r->prev_cpu = cpu;
    r->prev_size = size;
    r->prev_ic = ic;
    r->prev_off = off;
    return bad;
}

size_t trace_reader_next(struct trace_reader *r, const struct trace_rec **batch,
                         struct emu_err *err)
{
    u32 m, bad;

    if (unlikely(r->is_failed)) {
        if (err)
            *err = r->fail;
        return 0;
    }
    if (r->left == 0) {
        if (r->is_at_end || !rd_chunk(r, err))
            return 0;
    }
    m = r->left < TRACE_BATCH_RECORDS ? r->left : TRACE_BATCH_RECORDS;
    if (r->hdr.n_cpus == 1)
        bad = rd_decode(r, r->batch, m, true);
    else
        bad = rd_decode(r, r->batch, m, false);
    r->left -= m;
    if (unlikely(bad)) {
        rd_fail(r, err, "chunk %llu: malformed record", (unsigned long long)(r->n_chunks - 1));
        return 0;
    }
    if (r->left == 0) {
        for (unsigned i = 0; i < RAW_COLS; i++) {
            if (r->cur[i] != r->end[i]) {
                rd_fail(r, err, "chunk %llu: column %u length does not match its records",
                        (unsigned long long)(r->n_chunks - 1), i);
                return 0;
            }
        }
    }
    *batch = r->batch;
    return m;
}

const struct trace_header *trace_reader_header(const struct trace_reader *r)
{
    return &r->hdr;
}

u16 trace_reader_n_cpus(const struct trace_reader *r)
{
    return r->hdr.n_cpus;
}

u8 trace_reader_page_shift(const struct trace_reader *r)
{
    return r->hdr.page_shift;
}

u64 trace_reader_n_records(const struct trace_reader *r)
{
    return r->hdr.n_records;
}

u64 trace_reader_n_chunks(const struct trace_reader *r)
{
    return r->n_chunks;
}

u64 trace_reader_file_bytes(const struct trace_reader *r)
{
    return r->file_bytes;
}
