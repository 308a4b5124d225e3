/* SPDX-License-Identifier: MIT */
/* Instruction family "bit": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_bit_register(struct optable *t)
{
    (void)t;
}
