/* SPDX-License-Identifier: MIT */
/* Instruction family "alu": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_alu_register(struct optable *t)
{
    (void)t;
}
