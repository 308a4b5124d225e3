/* SPDX-License-Identifier: MIT */
/*
 * The opcode table (maps 1-byte, 0F, 0F38, 0F3A of Intel SDM vol. 2 appendix A): per opcode a
 * row of cells indexed by mandatory prefix and ModRM.reg digit, or 72 cells for the x87
 * escapes D8-DF (8 memory digits + 64 register ModRM forms, SDM vol. 2 A.5).
 */
#include "core/optable.h"

#include "base/check.h"
#include "core/internal.h"

#include <stdlib.h>
#include <string.h>

#define SHAPE_GROUP    0x1u /* cells differ by ModRM.reg */
#define SHAPE_PREFIXED 0x2u /* cells differ by mandatory prefix */
#define SHAPE_X87      0x4u /* 8 memory digits + 64 register forms */

#define CELLS_NORMAL (PFX_COUNT * 8)
#define CELLS_X87    (8 + 64)

struct op_slot {
    u8 shape;
    struct op_entry *cells; /* NULL until something is registered */
};

struct optable {
    struct op_slot slots[MAP_COUNT][256];
};

static bool slot_is_x87(enum op_map map, u8 opcode)
{
    return map == MAP_1B && opcode >= 0xd8 && opcode <= 0xdf;
}

static struct op_entry *slot_cells(struct op_slot *s, bool is_x87)
{
    if (!s->cells) {
        s->cells = calloc(is_x87 ? CELLS_X87 : CELLS_NORMAL, sizeof(*s->cells));
        EMU_CHECK(s->cells);
    }
    return s->cells;
}

static bool entry_defined(const struct op_entry *e)
{
    return e->fn || e->select;
}

struct optable *optable_create(void)
{
    struct optable *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    for (unsigned op = 0xd8; op <= 0xdf; op++)
        t->slots[MAP_1B][op].shape = SHAPE_X87;
    exec_alu_register(t);
    exec_shift_register(t);
    exec_muldiv_register(t);
    exec_bit_register(t);
    exec_mov_register(t);
    exec_branch_register(t);
    exec_stack_register(t);
    exec_string_register(t);
    exec_misc_register(t);
    exec_system_register(t);
    exec_x87_register(t);
    exec_sse_register(t);
    exec_bcd_register(t);
    exec_ssse3_register(t);
    exec_sse4_register(t);
    return t;
}

void optable_destroy(struct optable *t)
{
    if (!t)
        return;
    for (unsigned m = 0; m < MAP_COUNT; m++)
        for (unsigned op = 0; op < 256; op++)
            free(t->slots[m][op].cells);
    free(t);
}

void optable_set(struct optable *t, enum op_map map, u8 opcode, const struct op_entry *e)
{
    struct op_slot *s = &t->slots[map][opcode];

    if (slot_is_x87(map, opcode)) {
        struct op_entry *c = slot_cells(s, true);

        for (unsigned k = 0; k < CELLS_X87; k++)
            c[k] = *e;
        return;
    }
    struct op_entry *c = slot_cells(s, false);

    for (unsigned k = 0; k < CELLS_NORMAL; k++)
        c[k] = *e;
}

void optable_set_group(struct optable *t, enum op_map map, u8 opcode, u8 digit,
                       const struct op_entry *e)
{
    struct op_slot *s = &t->slots[map][opcode];
    struct op_entry *c;

    EMU_CHECK(digit < 8 && !slot_is_x87(map, opcode));
    c = slot_cells(s, false);
    s->shape |= SHAPE_GROUP;
    for (unsigned p = 0; p < PFX_COUNT; p++)
        c[p * 8 + digit] = *e;
}

void optable_set_prefixed(struct optable *t, enum op_map map, u8 opcode, enum op_prefix p,
                          const struct op_entry *e)
{
    struct op_slot *s = &t->slots[map][opcode];
    struct op_entry *c;

    EMU_CHECK(p < PFX_COUNT && !slot_is_x87(map, opcode));
    c = slot_cells(s, false);
    s->shape |= SHAPE_PREFIXED;
    for (unsigned d = 0; d < 8; d++) {
        c[p * 8 + d] = *e;
        c[p * 8 + d].flags |= OPF_PREFIXED; /* the decoder consumes the prefix */
    }
}

void optable_set_prefixed_group(struct optable *t, enum op_map map, u8 opcode, enum op_prefix p,
                                u8 digit, const struct op_entry *e)
{
    struct op_slot *s = &t->slots[map][opcode];
    struct op_entry *c;

    EMU_CHECK(p < PFX_COUNT && digit < 8 && !slot_is_x87(map, opcode));
    c = slot_cells(s, false);
    s->shape |= SHAPE_PREFIXED | SHAPE_GROUP;
    c[p * 8 + digit] = *e;
    c[p * 8 + digit].flags |= OPF_PREFIXED;
}

void optable_set_x87(struct optable *t, u8 opcode, u8 modrm, const struct op_entry *e)
{
    struct op_slot *s;
    struct op_entry *c;
    unsigned k;

    EMU_CHECK(slot_is_x87(MAP_1B, opcode));
    s = &t->slots[MAP_1B][opcode];
    c = slot_cells(s, true);
    if (modrm >= 0xc0)
        k = 8 + (modrm & 0x3fu);
    else
        k = modrm < 8 ? modrm : (modrm >> 3) & 7u; /* a digit, or a memory-form ModRM byte */
    c[k] = *e;
    c[k].flags |= OPF_MODRM;
}

const struct op_entry *optable_lookup(const struct optable *t, enum op_map map, u8 opcode,
                                      enum op_prefix p, u8 modrm)
{
    const struct op_slot *s = &t->slots[map][opcode];
    const struct op_entry *e;

    if (!s->cells)
        return NULL;
    if (s->shape & SHAPE_X87) {
        e = &s->cells[modrm >= 0xc0 ? 8 + (modrm & 0x3fu) : (modrm >> 3) & 7u];
    } else {
        unsigned row = (s->shape & SHAPE_PREFIXED) ? (unsigned)p : 0;
        unsigned digit = (s->shape & SHAPE_GROUP) ? (modrm >> 3) & 7u : 0;

        e = &s->cells[row * 8 + digit];
    }
    return entry_defined(e) ? e : NULL;
}

bool optable_needs_modrm(const struct optable *t, enum op_map map, u8 opcode, enum op_prefix p)
{
    const struct op_slot *s = &t->slots[map][opcode];
    unsigned rows[2] = {0, 0};

    if (!s->cells)
        return false;
    if (s->shape & (SHAPE_X87 | SHAPE_GROUP))
        return true;
    if (s->shape & SHAPE_PREFIXED)
        rows[1] = (unsigned)p; /* the prefix's row, and the plain row the decoder falls back to */
    for (unsigned r = 0; r < 2; r++) {
        const struct op_entry *e = &s->cells[rows[r] * 8];

        if (entry_defined(e) && (e->flags & OPF_MODRM))
            return true;
    }
    return false;
}

bool optable_is_group(const struct optable *t, enum op_map map, u8 opcode)
{
    return (t->slots[map][opcode].shape & (SHAPE_GROUP | SHAPE_X87)) != 0;
}
