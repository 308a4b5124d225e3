/* SPDX-License-Identifier: MIT */
/* Instruction family "shift": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_shift_register(struct optable *t)
{
    (void)t;
}
