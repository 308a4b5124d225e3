/* SPDX-License-Identifier: MIT */
/*
 * CPU benchmark kernel, memory: a dependent pointer chase through a random cycle over 8 MiB
 * (Sattolo's shuffle: one cycle through every slot) and block copies of 4 MiB with
 * REP MOVSQ and REP STOSQ (what Linux's copy_page/clear_page use), a fixed number of times.
 */
#include "lib/metal.h"

const char metal_test_name[] = "bench-mem";

#define CHASE_SLOTS (1u << 20) /* 8 MiB of u64 */
#define COPY_BYTES  (4u << 20)
#define CHASE_STEPS (96u << 20)
#define COPIES      200

static u64 chase[CHASE_SLOTS];
static u64 src[COPY_BYTES / 8], dst[COPY_BYTES / 8];

static u64 rng(u64 *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

void test_main(void)
{
    u64 s = 88172645463325252ull, sum = 0, p = 0;

    for (u32 i = 0; i < CHASE_SLOTS; i++)
        chase[i] = i;
    for (u32 i = CHASE_SLOTS - 1; i > 0; i--) {
        u32 j = (u32)(rng(&s) % i);
        u64 t = chase[i];

        chase[i] = chase[j];
        chase[j] = t;
    }
    for (u32 k = 0; k < CHASE_STEPS; k++)
        p = chase[p];
    sum += p;
    for (u32 i = 0; i < COPY_BYTES / 8; i++)
        src[i] = rng(&s);
    for (int r = 0; r < COPIES; r++) {
        u64 n = COPY_BYTES / 8;
        u64 *d = dst, *sp = src;

        src[r] += (u64)r;
        __asm__ volatile("rep movsq" : "+D"(d), "+S"(sp), "+c"(n) : : "memory");
        sum += dst[(u32)rng(&s) % (COPY_BYTES / 8)];
        n = COPY_BYTES / 16;
        d = dst;
        __asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"((u64)r) : "memory");
    }
    metal_printf("bench mem: checksum 0x%lx\n", sum);
    metal_check("bench mem ran", 1, "%s", "");
}
