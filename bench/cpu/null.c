/* SPDX-License-Identifier: MIT */
/* Empty benchmark kernel: measures an emulator's start-up and exit cost. */
#include "lib/metal.h"

const char metal_test_name[] = "bench-null";

void test_main(void)
{
    metal_printf("bench null: checksum 0x0\n");
    metal_check("bench null ran", 1, "%s", "");
}
