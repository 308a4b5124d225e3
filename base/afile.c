/* SPDX-License-Identifier: MIT */
/* Atomic output files: temporary file plus rename. */
#include "base/afile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool afile_open(struct afile *af, const char *path, struct emu_err *err)
{
    size_t n = strlen(path);
    int fd;

    memset(af, 0, sizeof(*af));
    af->final_path = strdup(path);
    af->tmp_path = malloc(n + sizeof(".tmp.XXXXXX"));
    if (!af->final_path || !af->tmp_path) {
        err_set(err, "out of memory opening '%s'", path);
        goto out_free;
    }
    memcpy(af->tmp_path, path, n);
    memcpy(af->tmp_path + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
    fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        err_set_errno(err, errno, "cannot create '%s'", path);
        goto out_free;
    }
    /* mkstemp creates 0600; give the file the permissions a plain fopen would. */
    {
        mode_t mask = umask(0);

        umask(mask);
        if (fchmod(fd, 0666 & ~mask) != 0) {
            err_set_errno(err, errno, "cannot set permissions of '%s'", path);
            close(fd);
            unlink(af->tmp_path);
            goto out_free;
        }
    }
    af->fp = fdopen(fd, "w");
    if (!af->fp) {
        err_set_errno(err, errno, "cannot open '%s'", path);
        close(fd);
        unlink(af->tmp_path);
        goto out_free;
    }
    return true;

out_free:
    free(af->final_path);
    free(af->tmp_path);
    memset(af, 0, sizeof(*af));
    return false;
}

bool afile_commit(struct afile *af, struct emu_err *err)
{
    bool ok = true;

    if (!af->fp) {
        err_set(err, "output file was not open");
        return false;
    }
    if (ferror(af->fp) || fflush(af->fp) != 0) {
        err_set_errno(err, errno, "cannot write '%s'", af->final_path);
        ok = false;
    }
    if (fclose(af->fp) != 0 && ok) {
        err_set_errno(err, errno, "cannot write '%s'", af->final_path);
        ok = false;
    }
    af->fp = NULL;
    if (ok && rename(af->tmp_path, af->final_path) != 0) {
        err_set_errno(err, errno, "cannot rename output to '%s'", af->final_path);
        ok = false;
    }
    if (!ok)
        unlink(af->tmp_path);
    free(af->final_path);
    free(af->tmp_path);
    af->final_path = af->tmp_path = NULL;
    return ok;
}

void afile_abort(struct afile *af)
{
    if (af->fp) {
        fclose(af->fp);
        af->fp = NULL;
    }
    if (af->tmp_path)
        unlink(af->tmp_path);
    free(af->final_path);
    free(af->tmp_path);
    af->final_path = af->tmp_path = NULL;
}
