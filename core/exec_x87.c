/* SPDX-License-Identifier: MIT */
/* Instruction family "x87": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_x87_register(struct optable *t)
{
    (void)t;
}
