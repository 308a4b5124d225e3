/* SPDX-License-Identifier: MIT */
/* Instruction family "muldiv": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_muldiv_register(struct optable *t)
{
    (void)t;
}
