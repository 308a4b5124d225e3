/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: fuzzed code runs on a small machine in every x86 mode (fuzz/harness.c,
 * docs/fuzzing.md).
 */
#include "fuzz/harness.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    /* libFuzzer's interface has no context argument: the read-only tables live here. */
    static struct fuzz_ctx *x;

    if (!x)
        x = fuzz_ctx_create();
    if (!x)
        abort();
    return fuzz_cpu_one(x, data, size);
}
