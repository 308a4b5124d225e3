/* SPDX-License-Identifier: MIT */
/* Instruction family "system": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_system_register(struct optable *t)
{
    (void)t;
}
