/* SPDX-License-Identifier: MIT */
/* Instruction family "branch": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_branch_register(struct optable *t)
{
    (void)t;
}
