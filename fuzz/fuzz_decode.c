/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the decoder alone, every offset of the input as 16-, 32- and 64-bit code
 * (fuzz/harness.c, docs/fuzzing.md).
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
    return fuzz_decode_one(x, data, size);
}
