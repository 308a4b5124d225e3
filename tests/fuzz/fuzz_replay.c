/* SPDX-License-Identifier: MIT */
/*
 * Corpus replay of the CPU-core fuzz harnesses (fuzz/harness.c, docs/fuzzing.md), built in
 * every build and run by CTest: every file of <corpus>/run goes through fuzz_cpu_one(), every
 * file of <corpus>/decode through fuzz_decode_one(); <corpus>/pending (known, unfixed crashes)
 * is skipped. A broken invariant aborts, naming the file first.
 *   fuzz_replay <corpus-dir>
 *   fuzz_replay --cpu FILE... | --decode FILE...   (one reproducer at a time)
 */
#include "fuzz/harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX_BYTES (1u << 20)

/* Read @path into a buffer of exactly its size (ASan then sees any read past it). */
static u8 *replay_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    u8 *buf = malloc(REPLAY_MAX_BYTES), *exact;
    size_t n;

    if (!f || !buf) {
        fprintf(stderr, "fuzz_replay: cannot read %s\n", path);
        exit(2);
    }
    n = fread(buf, 1, REPLAY_MAX_BYTES, f);
    fclose(f);
    exact = malloc(n ? n : 1);
    if (!exact)
        exit(2);
    memcpy(exact, buf, n);
    free(buf);
    *size = n;
    return exact;
}

static void replay_file(struct fuzz_ctx *x, const char *path, bool is_cpu)
{
    size_t size;
    u8 *data = replay_read(path, &size);

    fprintf(stderr, "%s\r", path); /* names the input if it aborts */
    if (is_cpu)
        fuzz_cpu_one(x, data, size);
    else
        fuzz_decode_one(x, data, size);
    free(data);
}

static int replay_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of @dir (sorted). Return: how many. */
static unsigned replay_dir(struct fuzz_ctx *x, const char *dir, bool is_cpu)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;

    if (!d) {
        fprintf(stderr, "fuzz_replay: no directory %s\n", dir);
        exit(2);
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            names = realloc(names, cap * sizeof(*names));
            if (!names)
                exit(2);
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n])
            exit(2);
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), replay_name_cmp);
    for (size_t k = 0; k < n; k++) {
        replay_file(x, names[k], is_cpu);
        free(names[k]);
    }
    free(names);
    return (unsigned)n;
}

int main(int argc, char **argv)
{
    struct fuzz_ctx *x = fuzz_ctx_create();

    if (!x || argc < 2) {
        fprintf(stderr, "usage: fuzz_replay <corpus-dir> | --cpu FILE... | --decode FILE...\n");
        return 2;
    }
    if (!strcmp(argv[1], "--cpu") || !strcmp(argv[1], "--decode")) {
        for (int k = 2; k < argc; k++)
            replay_file(x, argv[k], argv[1][2] == 'c');
        fprintf(stderr, "\n%d inputs replayed\n", argc - 2);
    } else {
        char *sub = malloc(strlen(argv[1]) + 16);
        unsigned n_cpu, n_dec;

        if (!sub)
            return 2;
        sprintf(sub, "%s/run", argv[1]);
        n_cpu = replay_dir(x, sub, true);
        sprintf(sub, "%s/decode", argv[1]);
        n_dec = replay_dir(x, sub, false);
        free(sub);
        fprintf(stderr, "\n%u cpu and %u decoder inputs replayed\n", n_cpu, n_dec);
    }
    fuzz_ctx_destroy(x);
    return 0;
}
