/* SPDX-License-Identifier: MIT */
/* Helpers shared by the stats tests: a scratch directory and whole-file reads. */
#ifndef EMU_TESTS_STATS_TEST_UTIL_H
#define EMU_TESTS_STATS_TEST_UTIL_H

#include "base/types.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct scratch {
    char dir[64];
    char path[160]; /* last path made by scratch_path() */
};

static inline void scratch_init(struct scratch *sc)
{
    strcpy(sc->dir, "/tmp/terrace-stats-XXXXXX");
    assert_non_null(mkdtemp(sc->dir));
}

static inline const char *scratch_path(struct scratch *sc, const char *name)
{
    snprintf(sc->path, sizeof(sc->path), "%s/%s", sc->dir, name);
    return sc->path;
}

/* Number of entries in the scratch directory other than . and .. */
static inline int scratch_count(const struct scratch *sc)
{
    DIR *d = opendir(sc->dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

/* Removes every plain file in the directory (one level of subdirectories), then it. */
static inline void scratch_fini(struct scratch *sc)
{
    DIR *d = opendir(sc->dir);
    struct dirent *de;
    char p[400];

    assert_non_null(d);
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(p, sizeof(p), "%s/%s", sc->dir, de->d_name);
        if (unlink(p) != 0) {
            DIR *sub = opendir(p);
            struct dirent *se;
            char q[800];

            assert_non_null(sub);
            while ((se = readdir(sub))) {
                if (!strcmp(se->d_name, ".") || !strcmp(se->d_name, ".."))
                    continue;
                snprintf(q, sizeof(q), "%s/%s", p, se->d_name);
                unlink(q);
            }
            closedir(sub);
            rmdir(p);
        }
    }
    closedir(d);
    assert_int_equal(rmdir(sc->dir), 0);
}

/* The whole file as a NUL-terminated string (caller frees); NULL if it cannot be read. */
static inline char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

#endif
