/* SPDX-License-Identifier: MIT */
/*
 * Atomic output files: everything is written to a temporary file in the destination's folder,
 * which is renamed over the destination only on commit. A failed or aborted run leaves no
 * partial output behind.
 */
#ifndef EMU_BASE_AFILE_H
#define EMU_BASE_AFILE_H

#include "base/err.h"
#include "base/types.h"

#include <stdio.h>

struct afile {
    FILE *fp;         /* write here between open and commit/abort */
    char *final_path; /* destination */
    char *tmp_path;   /* "<dest>.tmp.XXXXXX" in the same folder */
};

/** afile_open() - create the temporary file. Return: false (and @err) on failure. */
bool afile_open(struct afile *af, const char *path, struct emu_err *err);

/**
 * afile_commit() - flush, close and rename over the destination. On any failure the temporary
 * file is removed. Return: false (and @err) on failure.
 */
bool afile_commit(struct afile *af, struct emu_err *err);

/** afile_abort() - close and remove the temporary file; safe after a failed open or commit. */
void afile_abort(struct afile *af);

#endif
