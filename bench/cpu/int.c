/* SPDX-License-Identifier: MIT */
/*
 * CPU benchmark kernel, integer: table-driven CRC-32 over a 256 KiB buffer, a 64-bit
 * multiply-xorshift hash, and a quicksort of 128 Ki 32-bit keys, repeated a fixed number of
 * times. Prints a checksum (the same under every emulator) and exits through isa-debug-exit.
 */
#include "lib/metal.h"

const char metal_test_name[] = "bench-int";

#define BUF_BYTES (256u << 10)
#define N_KEYS    (128u << 10)
#define ROUNDS    60

static u8 buf[BUF_BYTES];
static u32 keys[N_KEYS];
static u32 crc_table[256];

static void crc_init(void)
{
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;

        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static u32 crc32(const u8 *p, u32 n)
{
    u32 c = ~0u;

    for (u32 i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return ~c;
}

static u64 mix(u64 x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static void quicksort(u32 *a, long lo, long hi)
{
    while (lo < hi) {
        u32 pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;

        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                u32 t = a[i];

                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

void test_main(void)
{
    u64 sum = 0, seed = 12345;

    crc_init();
    for (u32 i = 0; i < BUF_BYTES; i++)
        buf[i] = (u8)mix(i);
    for (int r = 0; r < ROUNDS; r++) {
        buf[r] ^= (u8)r;
        sum += crc32(buf, BUF_BYTES);
        for (u32 i = 0; i < N_KEYS; i++)
            keys[i] = (u32)mix(seed + i);
        seed += N_KEYS;
        quicksort(keys, 0, N_KEYS - 1);
        for (u32 i = 1; i < N_KEYS; i += 997)
            sum = mix(sum + keys[i] + (keys[i - 1] <= keys[i]));
    }
    metal_printf("bench int: checksum 0x%lx\n", sum);
    metal_check("bench int ran", 1, "%s", "");
}
