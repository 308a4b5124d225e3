/* SPDX-License-Identifier: MIT */
/* Instruction family "mov": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_mov_register(struct optable *t)
{
    (void)t;
}
