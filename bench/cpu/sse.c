/* SPDX-License-Identifier: MIT */
/*
 * CPU benchmark kernel, SSE: double-precision DAXPY and a single-precision 96x96 matrix
 * multiply, compiled at -O2 with the vectorizer on (SSE2 packed MOVAPD/MULPD/ADDPD,
 * MULPS/ADDPS), a fixed number of times. The checksum is taken from the integer bits of the
 * results, so it is exact.
 */
#include "lib/metal.h"

const char metal_test_name[] = "bench-sse";

#define N_VEC  (64u << 10)
#define N_MAT  96
#define ROUNDS 600

static double xs[N_VEC] __attribute__((aligned(16)));
static double ys[N_VEC] __attribute__((aligned(16)));
static float ma[N_MAT][N_MAT] __attribute__((aligned(16)));
static float mb[N_MAT][N_MAT] __attribute__((aligned(16)));
static float mc[N_MAT][N_MAT] __attribute__((aligned(16)));

static void daxpy(double a, const double *x, double *y, u32 n)
{
    for (u32 i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

static void matmul(void)
{
    for (u32 i = 0; i < N_MAT; i++) {
        for (u32 j = 0; j < N_MAT; j++)
            mc[i][j] = 0;
        for (u32 k = 0; k < N_MAT; k++) {
            float a = ma[i][k];

            for (u32 j = 0; j < N_MAT; j++)
                mc[i][j] += a * mb[k][j];
        }
    }
}

void test_main(void)
{
    u64 sum = 0;

    for (u32 i = 0; i < N_VEC; i++) {
        xs[i] = (double)(i % 1000) * 0.001;
        ys[i] = (double)(i % 77);
    }
    for (u32 i = 0; i < N_MAT; i++)
        for (u32 j = 0; j < N_MAT; j++) {
            ma[i][j] = (float)((i * 7 + j) % 13) * 0.25f;
            mb[i][j] = (float)((i + j * 3) % 11) * 0.5f;
        }
    for (int r = 0; r < ROUNDS; r++) {
        daxpy(0.5 + r * 0.001, xs, ys, N_VEC);
        if (r % 4 == 0) {
            matmul();
            ma[r % N_MAT][(r * 5) % N_MAT] += 1.0f;
        }
    }
    for (u32 i = 0; i < N_VEC; i += 101) {
        u64 bits;

        __builtin_memcpy(&bits, &ys[i], sizeof(bits));
        sum = sum * 31 + bits;
    }
    for (u32 i = 0; i < N_MAT; i += 5) {
        u32 bits;

        __builtin_memcpy(&bits, &mc[i][(i * 3) % N_MAT], sizeof(bits));
        sum = sum * 31 + bits;
    }
    metal_printf("bench sse: checksum 0x%lx\n", sum);
    metal_check("bench sse ran", 1, "%s", "");
}
