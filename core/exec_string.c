/* SPDX-License-Identifier: MIT */
/* Instruction family "string": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_string_register(struct optable *t)
{
    (void)t;
}
