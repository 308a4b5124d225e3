/* SPDX-License-Identifier: MIT */
/*
 * Fuzz harnesses of the CPU core, shared by the libFuzzer targets (fuzz/) and the corpus
 * replay test (tests/fuzz/): a whole small machine running fuzzed code in every mode, and the
 * decoder alone. Input format and invariants: docs/fuzzing.md.
 */
#ifndef EMU_FUZZ_HARNESS_H
#define EMU_FUZZ_HARNESS_H

#include "base/types.h"

#include <stddef.h>

/* Header of a whole-CPU input (mode, options, registers, RFLAGS); code follows it. */
#define FUZZ_HDR_BYTES 14

struct fuzz_ctx;

/** fuzz_ctx_create() - what stays read-only between inputs (opcode table, CPUID models).
 *  Return: NULL if memory runs out. */
struct fuzz_ctx *fuzz_ctx_create(void);
void fuzz_ctx_destroy(struct fuzz_ctx *x);

/**
 * fuzz_cpu_one() - run one input on a fresh small machine, twice (once normally, once in
 * small slices with the block cache flushed between them) and check the invariants. A broken
 * invariant prints what broke on stderr and aborts (the fuzzer's crash).
 * Return: 0 (libFuzzer's convention).
 */
int fuzz_cpu_one(struct fuzz_ctx *x, const u8 *data, size_t size);

/**
 * fuzz_decode_one() - decode every offset of @data as 16-, 32- and 64-bit code, with every
 * feature and with the default CPUID model, and check what the decoder returns.
 * Return: 0.
 */
int fuzz_decode_one(struct fuzz_ctx *x, const u8 *data, size_t size);

#endif
