/* SPDX-License-Identifier: MIT */
/* Helpers private to core/ (not part of its public face). */
#ifndef EMU_CORE_INTERNAL_H
#define EMU_CORE_INTERNAL_H

#include "base/types.h"
#include "core/optable.h"

/** optable_is_group() - whether @opcode's entries differ by ModRM.reg (or it is an x87
 *  escape): ModRM.reg is then an opcode digit, not a register. */
bool optable_is_group(const struct optable *t, enum op_map map, u8 opcode);

#endif
