/* SPDX-License-Identifier: MIT */
/* Instruction family "sse": being written (issue 3); registers nothing yet. */
#include "core/optable.h"

void exec_sse_register(struct optable *t)
{
    (void)t;
}
