/* SPDX-License-Identifier: MIT */
/* Tests for traces/trace: exact round trips, empty traces, truncation and corruption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "traces/trace.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/terrace-test-trace-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/t.trc", f->dir);
    *state = f;
    return 0;
}

static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *e;
    char p[400];

    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

static u64 test_rng(u64 *s)
{
    u64 z = (*s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/*
 * Records that exercise every encoding path: same/next/explicit CPU, sizes that repeat and
 * change, known and unknown pa, icount repeats, small and full 64-bit deltas.
 */
static struct trace_rec *make_records(size_t n, u16 n_cpus, u64 seed)
{
    struct trace_rec *v = calloc(n, sizeof(*v));
    u64 s = seed, va = 0x7f0000001000ull;
    u16 cpu = 0;

    for (size_t i = 0; v && i < n; i++) {
        u64 r = test_rng(&s);

        switch (r % 8) {
        case 0:
            va = test_rng(&s); /* any 64-bit value: 9-byte varints */
            break;
        case 1:
        case 2:
            va += 64;
            break;
        case 3:
            va -= (r >> 8) % 100000;
            break;
        default:
            va = 0x7f0000000000ull + ((r >> 16) % (1u << 30));
            break;
        }
        if (i % 97 == 0)
            va = i % 2 ? UINT64_MAX : 0;
        switch ((r >> 4) % 4) {
        case 0:
            cpu = (u16)(test_rng(&s) % n_cpus);
            break;
        case 1:
            cpu = (u16)((cpu + 1) % n_cpus);
            break;
        default:
            break;
        }
        v[i].va = va;
        v[i].cpu = cpu;
        v[i].kind = (u8)((r >> 8) % TRACE_KIND_COUNT);
        v[i].size = (r >> 12) % 5 ? 8 : (u8)(1 + (r >> 20) % 255);
        v[i].pa = (r >> 30) % 3 ? (va & 0xfff) | ((r >> 34) << 12) : 0;
        if ((r >> 40) % 7 == 0)
            v[i].pa = va & 0xfff ? va & 0xfff : 1;
        v[i].icount_delta = (r >> 44) % 4 ? 10 : (u32)(r >> 32);
        if (i % 101 == 0)
            v[i].icount_delta = UINT32_MAX;
    }
    return v;
}

static void write_trace(const char *path, const struct trace_rec *v, size_t n,
                        const struct trace_writer_opts *o)
{
    struct emu_err err = {0};
    struct trace_writer *w = trace_writer_open(path, o, &err);

    assert_non_null(w);
    for (size_t i = 0; i < n; i++)
        assert_true(trace_writer_add(w, &v[i], &err));
    assert_int_equal(trace_writer_n_records(w), n);
    assert_true(trace_writer_close(w, &err));
    assert_false(err.is_set);
}

/* Reads every record; returns the count, or -1 with @err set on a reader error. */
static long read_all(const char *path, struct trace_rec *out, size_t cap, struct emu_err *err)
{
    struct trace_reader *r = trace_reader_open(path, err);
    const struct trace_rec *b;
    size_t got, n = 0;

    if (!r)
        return -1;
    while ((got = trace_reader_next(r, &b, err)) > 0) {
        assert_true(got <= TRACE_BATCH_RECORDS);
        if (out) {
            assert_true(n + got <= cap);
            memcpy(out + n, b, got * sizeof(*b));
        }
        n += got;
    }
    trace_reader_close(r);
    return err->is_set ? -1 : (long)n;
}

static void assert_recs_equal(const struct trace_rec *a, const struct trace_rec *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(a[i].va, b[i].va);
        assert_int_equal(a[i].pa, b[i].pa);
        assert_int_equal(a[i].icount_delta, b[i].icount_delta);
        assert_int_equal(a[i].cpu, b[i].cpu);
        assert_int_equal(a[i].size, b[i].size);
        assert_int_equal(a[i].kind, b[i].kind);
    }
}

static void round_trip(struct fixture *f, enum trace_codec codec)
{
    const size_t n = 25013; /* 26 chunks of 1000 + a partial one; many batches */
    struct trace_rec *v = make_records(n, 5, 42 + codec), *back = calloc(n, sizeof(*back));
    struct trace_writer_opts o = {
        .codec = codec, .chunk_records = 1000, .n_cpus = 5, .page_shift = 21, .desc = "unit test"};
    struct emu_err err = {0};
    struct trace_reader *r;

    assert_non_null(v);
    assert_non_null(back);
    write_trace(f->path, v, n, &o);
    r = trace_reader_open(f->path, &err);
    assert_non_null(r);
    assert_int_equal(trace_reader_n_records(r), n);
    assert_int_equal(trace_reader_n_cpus(r), 5);
    assert_int_equal(trace_reader_page_shift(r), 21);
    assert_int_equal(trace_reader_header(r)->codec, codec);
    assert_int_equal(trace_reader_header(r)->chunk_records, 1000);
    assert_true(trace_reader_header(r)->flags & TRACE_FLAG_HAS_PA);
    assert_string_equal(trace_reader_header(r)->desc, "unit test");
    trace_reader_close(r);
    assert_int_equal(read_all(f->path, back, n, &err), (long)n);
    assert_recs_equal(v, back, n);
    free(v);
    free(back);
}

static void test_trace_round_trip_lz4(void **state)
{
    round_trip(*state, TRACE_CODEC_LZ4);
}

static void test_trace_round_trip_zstd(void **state)
{
    round_trip(*state, TRACE_CODEC_ZSTD);
}

static void test_trace_round_trip_none(void **state)
{
    round_trip(*state, TRACE_CODEC_NONE);
}

/* Batch add, rewind, and a batch boundary that is not a chunk boundary. */
static void test_trace_batch_add_and_rewind(void **state)
{
    struct fixture *f = *state;
    const size_t n = 5000;
    struct trace_rec *v = make_records(n, 1, 7), *back = calloc(n, sizeof(*back));
    struct trace_writer_opts o = {.codec = TRACE_CODEC_LZ4, .chunk_records = 1500};
    struct emu_err err = {0};
    struct trace_writer *w = trace_writer_open(f->path, &o, &err);
    struct trace_reader *r;
    const struct trace_rec *b;
    size_t got, k = 0;

    for (size_t i = 0; i < n; i++)
        v[i].cpu = 0;
    assert_non_null(w);
    assert_true(trace_writer_add_batch(w, v, 1234, &err));
    assert_true(trace_writer_add_batch(w, v + 1234, n - 1234, &err));
    assert_true(trace_writer_close(w, &err));
    r = trace_reader_open(f->path, &err);
    assert_non_null(r);
    for (int pass = 0; pass < 2; pass++) {
        k = 0;
        while ((got = trace_reader_next(r, &b, &err)) > 0) {
            memcpy(back + k, b, got * sizeof(*b));
            k += got;
        }
        assert_false(err.is_set);
        assert_int_equal(k, n);
        assert_int_equal(trace_reader_n_chunks(r), 4);
        assert_recs_equal(v, back, n);
        assert_true(trace_reader_rewind(r, &err));
    }
    trace_reader_close(r);
    free(v);
    free(back);
}

static void test_trace_empty(void **state)
{
    struct fixture *f = *state;
    struct emu_err err = {0};
    struct trace_writer *w = trace_writer_open(f->path, NULL, &err);
    struct trace_reader *r;
    const struct trace_rec *b;

    assert_non_null(w);
    assert_true(trace_writer_close(w, &err));
    r = trace_reader_open(f->path, &err);
    assert_non_null(r);
    assert_int_equal(trace_reader_n_records(r), 0);
    assert_int_equal(trace_reader_header(r)->codec, TRACE_CODEC_LZ4);
    assert_int_equal(trace_reader_next(r, &b, &err), 0);
    assert_false(err.is_set);
    assert_int_equal(trace_reader_next(r, &b, &err), 0);
    assert_false(err.is_set);
    trace_reader_close(r);
}

static u8 *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    u8 *buf;
    long n;

    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void spill(const char *path, const u8 *buf, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, len, fp), len);
    fclose(fp);
}

/* A small 3-chunk trace, returned as bytes; *hdr_len is the header's size. */
static u8 *small_trace(struct fixture *f, size_t *len, size_t *hdr_len, enum trace_codec codec)
{
    struct trace_rec *v = make_records(250, 3, 99);
    struct trace_writer_opts o = {.codec = codec, .chunk_records = 100, .n_cpus = 3, .desc = "abc"};

    write_trace(f->path, v, 250, &o);
    free(v);
    *hdr_len = 40 + 3 + 8;
    return slurp(f->path, len);
}

static void expect_error(const char *path, const char *needle)
{
    struct emu_err err = {0};
    long n = read_all(path, NULL, 0, &err);

    assert_int_equal(n, -1);
    assert_true(err.is_set);
    assert_null(strchr(err.msg, '\n'));
    if (needle && !strstr(err.msg, needle))
        fail_msg("error '%s' does not mention '%s'", err.msg, needle);
}

static void test_trace_truncated(void **state)
{
    struct fixture *f = *state;
    size_t len, hdr_len;
    u8 *buf = small_trace(f, &len, &hdr_len, TRACE_CODEC_LZ4);
    size_t cuts[] = {1,
                     5,
                     8,
                     9,
                     20,
                     39,
                     40,
                     hdr_len - 1,
                     hdr_len,
                     hdr_len + 3,
                     hdr_len + 10,
                     hdr_len + 24,
                     hdr_len + 40,
                     len / 2,
                     len - 33,
                     len - 32,
                     len - 20,
                     len - 1};

    for (size_t i = 0; i < ARRAY_LEN(cuts); i++) {
        spill(f->path, buf, cuts[i]);
        expect_error(f->path, cuts[i] < 8 ? NULL : "truncated");
    }
    /* Every other length too: an error each time, never a crash. */
    for (size_t cut = 0; cut < len; cut++) {
        spill(f->path, buf, cut);
        expect_error(f->path, NULL);
    }
    free(buf);
}

static void test_trace_corrupt_every_byte(void **state)
{
    struct fixture *f = *state;
    enum trace_codec codecs[] = {TRACE_CODEC_LZ4, TRACE_CODEC_ZSTD, TRACE_CODEC_NONE};

    for (size_t c = 0; c < ARRAY_LEN(codecs); c++) {
        size_t len, hdr_len;
        u8 *buf = small_trace(f, &len, &hdr_len, codecs[c]);

        for (size_t i = 0; i < len; i++) {
            u8 old = buf[i];

            buf[i] ^= (u8)(1u << (i % 8));
            spill(f->path, buf, len);
            expect_error(f->path, NULL);
            buf[i] = old;
        }
        /* Trailing garbage after the end marker. */
        buf[len] = 0;
        spill(f->path, buf, len + 1);
        expect_error(f->path, "after the end marker");
        free(buf);
    }
}

static void test_trace_header_errors(void **state)
{
    struct fixture *f = *state;
    size_t len, hdr_len;
    u8 *buf = small_trace(f, &len, &hdr_len, TRACE_CODEC_LZ4);
    const char *text = "I  0400d7d4,3\n L 04222cac,4\n";

    spill(f->path, (const u8 *)text, strlen(text));
    expect_error(f->path, "not a terrace trace");
    spill(f->path, buf, 0);
    expect_error(f->path, "empty file");
    buf[8] = 2; /* version */
    spill(f->path, buf, len);
    expect_error(f->path, "unsupported trace version 2");
    buf[8] = 1;
    buf[40] ^= 1; /* description */
    spill(f->path, buf, len);
    expect_error(f->path, "header checksum mismatch");
    buf[40] ^= 1;
    buf[hdr_len + 30] ^= 4; /* inside the first chunk's payload */
    spill(f->path, buf, len);
    expect_error(f->path, "chunk 0");
    expect_error(f->path, "checksum mismatch");
    free(buf);
}

static void test_trace_writer_no_partial_output(void **state)
{
    struct fixture *f = *state;
    struct emu_err err = {0};
    struct trace_writer_opts o = {.chunk_records = 10};
    struct trace_rec rec = {.va = 0x1000, .size = 8, .kind = TRACE_READ};
    struct trace_writer *w = trace_writer_open(f->path, &o, &err);
    char missing[200];

    /* Abort after several chunks: nothing left behind. */
    assert_non_null(w);
    for (int i = 0; i < 35; i++)
        assert_true(trace_writer_add(w, &rec, &err));
    trace_writer_abort(w);
    assert_int_equal(dir_entries(f->dir), 0);

    /* An invalid record fails the chunk and the close; again nothing left. */
    w = trace_writer_open(f->path, &o, &err);
    assert_non_null(w);
    rec.cpu = 1; /* only CPU 0 exists */
    assert_true(trace_writer_add(w, &rec, &err));
    assert_false(trace_writer_close(w, &err));
    assert_non_null(strstr(err.msg, "record 0 is invalid"));
    assert_int_equal(dir_entries(f->dir), 0);

    /* Size 0 is refused once its chunk is written. */
    err.is_set = false;
    w = trace_writer_open(f->path, &o, &err);
    assert_non_null(w);
    rec.cpu = 0;
    rec.size = 0;
    for (int i = 0; i < 10; i++)
        assert_true(trace_writer_add(w, &rec, &err));
    assert_false(trace_writer_add(w, &rec, &err));
    assert_true(err.is_set);
    trace_writer_abort(w);
    assert_int_equal(dir_entries(f->dir), 0);

    err.is_set = false;
    snprintf(missing, sizeof(missing), "%s/no/such/dir/t.trc", f->dir);
    assert_null(trace_writer_open(missing, NULL, &err));
    assert_non_null(strstr(err.msg, "cannot create"));

    err.is_set = false;
    o.codec = (enum trace_codec)9;
    assert_null(trace_writer_open(f->path, &o, &err));
    assert_true(err.is_set);
    assert_int_equal(dir_entries(f->dir), 0);
}

/* Many CPUs, each streaming its own region: per-CPU deltas keep records small. */
static void test_trace_per_cpu_deltas_compact(void **state)
{
    struct fixture *f = *state;
    const size_t n = 64000;
    struct trace_rec *v = calloc(n, sizeof(*v)), *back = calloc(n, sizeof(*back));
    struct trace_writer_opts o = {.codec = TRACE_CODEC_NONE, .n_cpus = 64};
    struct emu_err err = {0};
    size_t len;
    u8 *bytes;

    for (size_t i = 0; i < n; i++) {
        v[i].cpu = (u16)(i % 64);
        v[i].va = ((u64)v[i].cpu << 40) + (i / 64) * 8;
        v[i].size = 8;
        v[i].icount_delta = 3;
    }
    write_trace(f->path, v, n, &o);
    bytes = slurp(f->path, &len);
    /* Uncompressed: one tag byte and a one-byte va delta per record, plus the first per CPU. */
    assert_true(len < n * 2 + 64 * 9 + 200);
    assert_int_equal(read_all(f->path, back, n, &err), (long)n);
    assert_recs_equal(v, back, n);
    free(bytes);
    free(v);
    free(back);
}

static void test_trace_names_and_hash(void **state)
{
    enum trace_codec c;
    struct emu_err err = {0};
    u8 zeros[40] = {0};

    (void)state;
    assert_string_equal(trace_kind_name(TRACE_WALK), "walk");
    assert_string_equal(trace_codec_name(TRACE_CODEC_ZSTD), "zstd");
    assert_true(trace_codec_parse("lz4", &c, &err));
    assert_int_equal(c, TRACE_CODEC_LZ4);
    assert_false(trace_codec_parse("gzip", &c, &err));
    assert_non_null(strstr(err.msg, "gzip"));
    /* Lengths are part of the hash: zero-padding cannot collide. */
    for (size_t a = 0; a < sizeof(zeros); a++)
        for (size_t b = a + 1; b <= sizeof(zeros); b++)
            assert_true(trace_hash64(zeros, a) != trace_hash64(zeros, b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_trace_round_trip_lz4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_round_trip_zstd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_round_trip_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_batch_add_and_rewind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_corrupt_every_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_header_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_writer_no_partial_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_per_cpu_deltas_compact, setup, teardown),
        cmocka_unit_test(test_trace_names_and_hash),
    };

    return cmocka_run_group_tests_name("traces/trace", tests, NULL, NULL);
}
