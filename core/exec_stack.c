/* SPDX-License-Identifier: MIT */
/* Instruction family "stack": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_stack_register(struct optable *t)
{
    (void)t;
}
