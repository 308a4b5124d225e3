/* SPDX-License-Identifier: MIT */
/* Instruction family "misc": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_misc_register(struct optable *t)
{
    (void)t;
}
