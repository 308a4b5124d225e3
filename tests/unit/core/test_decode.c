/* SPDX-License-Identifier: MIT */
/*
 * The decoder against tables of encodings (Intel SDM vol. 2 ch. 2): lengths, registers, sizes,
 * addressing forms, segments, immediates and prefixes in 16-, 32- and 64-bit code; #UD for
 * undefined or invalid forms, #GP past 15 bytes, "need more bytes" for truncated input.
 * The opcodes used get test entries (with their SDM formats) over the families' table.
 */
#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/decode.h"
#include "core/optable.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Distinct handlers tell which table entry the decoder picked. */
#define HANDLER(name)                                                                              \
    static const struct insn *name(struct cpu *c, const struct insn *i)                            \
    {                                                                                              \
        (void)c;                                                                                   \
        return i + 1;                                                                              \
    }
HANDLER(h_mov)
HANDLER(h_alu)
HANDLER(h_grp)
HANDLER(h_jmp)
HANDLER(h_push)
HANDLER(h_movups)
HANDLER(h_movupd)
HANDLER(h_movss)
HANDLER(h_movsd)
HANDLER(h_popcnt)
HANDLER(h_bsf)
HANDLER(h_tzcnt)
HANDLER(h_x87m)
HANDLER(h_x87r)
HANDLER(h_lds)
HANDLER(h_inc)
HANDLER(h_sel_reg)
HANDLER(h_sel_mem)
HANDLER(h_misc)

static exec_fn *select_rm(const struct insn *i)
{
    return (i->prefixes & INSN_MEM) ? h_sel_mem : h_sel_reg;
}

#define E(n, f, fn) ((struct op_entry){n, (f), fn, NULL, 0, 0})

static struct optable *test_table(void)
{
    struct optable *t = optable_create();
    struct op_entry e;

    assert_non_null(t);
    optable_set(t, MAP_1B, 0x8b, &E("mov", OPF_MODRM, h_mov));
    optable_set(t, MAP_1B, 0x89, &E("mov", OPF_MODRM, h_mov));
    optable_set(t, MAP_1B, 0x88, &E("mov", OPF_MODRM | OPF_BYTE, h_mov));
    optable_set(t, MAP_1B, 0x01, &E("add", OPF_MODRM | OPF_LOCKABLE, h_alu));
    optable_set(t, MAP_1B, 0x8d, &E("lea", OPF_MODRM | OPF_MEM_ONLY, h_mov));
    for (unsigned r = 0; r < 8; r++) {
        optable_set(t, MAP_1B, (u8)(0xb8 + r), &E("mov", OPF_REG_IN_OP | OPF_IMMV, h_mov));
        optable_set(t, MAP_1B, (u8)(0xb0 + r),
                    &E("mov", OPF_REG_IN_OP | OPF_BYTE | OPF_UIMM8, h_mov));
        optable_set(t, MAP_1B, (u8)(0x40 + r), &E("inc", OPF_REG_IN_OP | OPF_NO64, h_inc));
    }
    optable_set(t, MAP_1B, 0xc7, &E("mov", OPF_MODRM | OPF_IMMZ, h_mov));
    for (unsigned d = 0; d < 8; d++) {
        optable_set_group(t, MAP_1B, 0x83, (u8)d,
                          &E("alu", OPF_MODRM | OPF_IMM8 | OPF_LOCKABLE, h_grp));
        optable_set_group(t, MAP_1B, 0x80, (u8)d,
                          &E("alu", OPF_MODRM | OPF_BYTE | OPF_UIMM8, h_grp));
    }
    optable_set_group(t, MAP_1B, 0xff, 6, &E("push", OPF_MODRM | OPF_DEF64, h_push));
    optable_set_group(t, MAP_1B, 0xff, 7, &(struct op_entry){0});
    optable_set(t, MAP_1B, 0xeb, &E("jmp", OPF_REL8 | OPF_FORCE64 | OPF_ENDS, h_jmp));
    optable_set(t, MAP_1B, 0xe9, &E("jmp", OPF_RELZ | OPF_FORCE64 | OPF_ENDS, h_jmp));
    optable_set(t, MAP_0F, 0x84, &E("jz", OPF_RELZ | OPF_FORCE64, h_jmp));
    optable_set(t, MAP_1B, 0x06, &E("push es", OPF_NO64, h_push));
    optable_set(t, MAP_1B, 0xc5, &E("lds", OPF_MODRM | OPF_NO64 | OPF_MEM_ONLY, h_lds));
    optable_set(t, MAP_1B, 0xa1, &E("mov", OPF_MOFFS, h_mov));
    optable_set(t, MAP_1B, 0xc8, &E("enter", OPF_ENTER | OPF_DEF64, h_misc));
    optable_set(t, MAP_1B, 0xea, &E("jmp far", OPF_FARPTR | OPF_NO64 | OPF_ENDS, h_jmp));
    optable_set(t, MAP_1B, 0x90, &E("nop", 0, h_misc));
    optable_set(t, MAP_0F, 0xb6, &E("movzx", OPF_MODRM, h_mov));
    optable_set(t, MAP_0F, 0x05, &E("syscall", OPF_ONLY64 | OPF_ENDS, h_misc));
    optable_set(t, MAP_1B, 0x85, &(struct op_entry){"test", OPF_MODRM, NULL, select_rm, 0, 0});
    /* SSE move with all four mandatory prefixes. */
    optable_set_prefixed(t, MAP_0F, 0x10, PFX_NONE, &E("movups", OPF_MODRM | OPF_SZ128, h_movups));
    optable_set_prefixed(t, MAP_0F, 0x10, PFX_66, &E("movupd", OPF_MODRM | OPF_SZ128, h_movupd));
    optable_set_prefixed(t, MAP_0F, 0x10, PFX_F3, &E("movss", OPF_MODRM | OPF_SZ128, h_movss));
    optable_set_prefixed(t, MAP_0F, 0x10, PFX_F2, &E("movsd", OPF_MODRM | OPF_SZ128, h_movsd));
    /* POPCNT (F3 only), BSF with TZCNT under F3 needing BMI1 (not in the model). */
    optable_set(t, MAP_0F, 0xb8, &(struct op_entry){0});
    e = (struct op_entry){"popcnt", OPF_MODRM, h_popcnt, NULL, 0, FEAT_POPCNT};
    optable_set_prefixed(t, MAP_0F, 0xb8, PFX_F3, &e);
    optable_set(t, MAP_0F, 0xbc, &E("bsf", OPF_MODRM, h_bsf));
    e = (struct op_entry){"tzcnt", OPF_MODRM, h_tzcnt, NULL, 0, FEAT_BMI1};
    optable_set_prefixed(t, MAP_0F, 0xbc, PFX_F3, &e);
    e = (struct op_entry){"rdrand", OPF_MODRM | OPF_REG_ONLY, h_misc, NULL, 0, FEAT_RDRAND};
    optable_set_group(t, MAP_0F, 0xc7, 6, &e);
    optable_set_x87(t, 0xdd, 0, &E("fld m64", OPF_MODRM, h_x87m));
    optable_set_x87(t, 0xd9, 0xc1, &E("fld st1", OPF_MODRM, h_x87r));
    optable_set_x87(t, 0xd9, 0xc2, &(struct op_entry){0});
    return t;
}

struct fixture {
    struct optable *t;
    struct cpuid_model *m;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct emu_err err = {0};

    assert_non_null(f);
    f->t = test_table();
    f->m = cpuid_model_create(NULL, 1, &err);
    assert_non_null(f->m);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    optable_destroy(f->t);
    cpuid_model_destroy(f->m);
    free(f);
    return 0;
}

#define ANY 0xee /* field not checked */
#define N   REG_NONE
#define RIP REG_RIP
/* An encoding that must fail with @st. */
#define BAD(w, cs, b, s)                                                                           \
    {                                                                                              \
        .what = (w), .code_size = (cs), .bytes = (b), .st = (s)                                    \
    }

struct dcase {
    const char *what;
    u8 code_size;
    const char *bytes; /* hex */
    enum decode_status st;
    u8 len, opsize, asize, reg, rm, base, index, scale, seg;
    i32 disp;
    u64 imm;
    u8 pfx_set, pfx_clear; /* INSN_* bits that must be set / clear */
    exec_fn *fn;
};

static unsigned hex_bytes(const char *s, u8 *out)
{
    unsigned n = 0;

    while (*s) {
        unsigned v;

        if (*s == ' ') {
            s++;
            continue;
        }
        assert_int_equal(sscanf(s, "%2x", &v), 1);
        out[n++] = (u8)v;
        s += 2;
    }
    return n;
}

#define RIP0 0x1000ull

static void run_case(const struct fixture *f, const struct dcase *k)
{
    const struct decode_env env = {f->t, f->m, k->code_size};
    u8 buf[32];
    unsigned n = hex_bytes(k->bytes, buf);
    struct insn i;
    enum decode_status st;

    st = decode_insn(&env, buf, n, RIP0, &i, NULL);
    if (st != k->st)
        fail_msg("%s: status %d, expected %d", k->what, st, k->st);
    if (st != DECODE_OK)
        return;
#define CHECK(field)                                                                               \
    do {                                                                                           \
        if (k->field != ANY && i.field != k->field)                                                \
            fail_msg("%s: " #field " %d, expected %d", k->what, (int)i.field, (int)k->field);      \
    } while (0)
    CHECK(len);
    CHECK(opsize);
    CHECK(asize);
    CHECK(reg);
    CHECK(rm);
    CHECK(base);
    CHECK(index);
    CHECK(scale);
    CHECK(seg);
#undef CHECK
    if (i.disp != k->disp)
        fail_msg("%s: disp %d, expected %d", k->what, i.disp, k->disp);
    if (i.imm != k->imm)
        fail_msg("%s: imm %#llx, expected %#llx", k->what, (unsigned long long)i.imm,
                 (unsigned long long)k->imm);
    if ((i.prefixes & k->pfx_set) != k->pfx_set || (i.prefixes & k->pfx_clear))
        fail_msg("%s: prefixes %#x", k->what, i.prefixes);
    if (k->fn && i.fn != k->fn)
        fail_msg("%s: wrong handler", k->what);
    if (i.len != n)
        fail_msg("%s: consumed %u of %u bytes", k->what, i.len, n);
}

/* clang-format off */
static const struct dcase cases64[] = {
    {"mov rax,[rsp+8]", SZ64, "48 8b 44 24 08", DECODE_OK, 5, SZ64, SZ64, 0, ANY, 4, N, 0, SEG_SS, 8, 0, INSN_MEM | INSN_REX | INSN_REXW, 0, h_mov},
    {"mov eax,[rip+0x10]", SZ64, "8b 05 10 00 00 00", DECODE_OK, 6, SZ32, SZ64, 0, ANY, RIP, N, 0, SEG_DS, 0x10, 0, INSN_MEM, INSN_REX, h_mov},
    {"mov r8,[rbx+rcx*4+d32]", SZ64, "4c 8b 84 8b 78 56 34 12", DECODE_OK, 8, SZ64, SZ64, 8, ANY, 3, 1, 2, SEG_DS, 0x12345678, 0, INSN_MEM, 0, h_mov},
    {"mov eax,[r12*1+d32] (REX.X, no base)", SZ64, "42 8b 04 25 00 10 00 00", DECODE_OK, 8, SZ32, SZ64, 0, ANY, N, 12, 0, SEG_DS, 0x1000, 0, INSN_MEM, 0, h_mov},
    {"mov eax,[r12] (DS)", SZ64, "41 8b 04 24", DECODE_OK, 4, SZ32, SZ64, 0, ANY, 12, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"mov eax,[r13+0] (DS)", SZ64, "41 8b 45 00", DECODE_OK, 4, SZ32, SZ64, 0, ANY, 13, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"mov eax,[rbp-8] (SS)", SZ64, "8b 45 f8", DECODE_OK, 3, SZ32, SZ64, 0, ANY, 5, N, 0, SEG_SS, -8, 0, INSN_MEM, 0, h_mov},
    {"mov r15d,[rsp+r9*8-0x80]", SZ64, "46 8b 7c cc 80", DECODE_OK, 5, SZ32, SZ64, 15, ANY, 4, 9, 3, SEG_SS, -128, 0, INSN_MEM, 0, h_mov},
    {"mov ax,cx", SZ64, "66 8b c1", DECODE_OK, 3, SZ16, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_OSIZE, INSN_MEM, h_mov},
    {"REX.W wins over 66", SZ64, "66 48 8b c1", DECODE_OK, 4, SZ64, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_OSIZE | INSN_REXW, 0, h_mov},
    {"REX before 66 is ignored", SZ64, "48 66 8b c1", DECODE_OK, 4, SZ16, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_OSIZE, INSN_REX | INSN_REXW, h_mov},
    {"two REX: the last counts", SZ64, "48 41 8b c1", DECODE_OK, 4, SZ32, SZ64, 0, 9, N, N, 0, SEG_DS, 0, 0, INSN_REX, INSN_REXW, h_mov},
    {"redundant prefixes", SZ64, "66 66 66 8b c1", DECODE_OK, 5, SZ16, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_OSIZE, 0, h_mov},
    {"67: 32-bit addressing", SZ64, "67 8b 00", DECODE_OK, 3, SZ32, SZ32, 0, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"67: EIP-relative", SZ64, "67 8b 05 00 01 00 00", DECODE_OK, 7, SZ32, SZ32, 0, ANY, RIP, N, 0, SEG_DS, 0x100, 0, INSN_MEM, 0, h_mov},
    {"FS override", SZ64, "64 8b 00", DECODE_OK, 3, SZ32, SZ64, 0, ANY, 0, N, 0, SEG_FS, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"CS override ignored in 64-bit mode", SZ64, "2e 8b 00", DECODE_OK, 3, SZ32, SZ64, 0, ANY, 0, N, 0, SEG_DS, 0, 0, 0, INSN_SEGOVR, h_mov},
    {"ES override ignored, SS default kept", SZ64, "26 8b 45 00", DECODE_OK, 4, SZ32, SZ64, 0, ANY, 5, N, 0, SEG_SS, 0, 0, 0, INSN_SEGOVR, h_mov},
    {"last segment override wins", SZ64, "64 65 8b 00", DECODE_OK, 4, SZ32, SZ64, 0, ANY, 0, N, 0, SEG_GS, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"GS override on rbp base", SZ64, "65 8b 45 00", DECODE_OK, 4, SZ32, SZ64, 0, ANY, 5, N, 0, SEG_GS, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"mov al,ah", SZ64, "88 e0", DECODE_OK, 2, SZ8, SZ64, REG_AH, 0, N, N, 0, SEG_DS, 0, 0, 0, INSN_REX, h_mov},
    {"mov al,spl (REX)", SZ64, "40 88 e0", DECODE_OK, 3, SZ8, SZ64, 4, 0, N, N, 0, SEG_DS, 0, 0, INSN_REX, 0, h_mov},
    {"mov bh,dh", SZ64, "88 f7", DECODE_OK, 2, SZ8, SZ64, REG_AH + 2, REG_AH + 3, N, N, 0, SEG_DS, 0, 0, 0, 0, h_mov},
    {"movzx eax,ah", SZ64, "0f b6 c4", DECODE_OK, 3, SZ32, SZ64, 0, REG_AH, N, N, 0, SEG_DS, 0, 0, 0, 0, h_mov},
    {"movzx esp,ah: reg is not a byte register", SZ64, "0f b6 e4", DECODE_OK, 3, SZ32, SZ64, 4, REG_AH, N, N, 0, SEG_DS, 0, 0, 0, 0, h_mov},
    {"mov ah,imm8", SZ64, "b4 7f", DECODE_OK, 2, SZ8, SZ64, REG_AH, ANY, N, N, 0, SEG_DS, 0, 0x7f, 0, 0, h_mov},
    {"mov r12b,imm8", SZ64, "41 b4 ff", DECODE_OK, 3, SZ8, SZ64, 12, ANY, N, N, 0, SEG_DS, 0, 0xff, 0, 0, h_mov},
    {"mov rax,imm64", SZ64, "48 b8 88 77 66 55 44 33 22 11", DECODE_OK, 10, SZ64, SZ64, 0, ANY, N, N, 0, SEG_DS, 0, 0x1122334455667788ull, 0, 0, h_mov},
    {"mov r9d,imm32", SZ64, "41 b9 ff ff ff ff", DECODE_OK, 6, SZ32, SZ64, 9, ANY, N, N, 0, SEG_DS, 0, 0xffffffffull, 0, 0, h_mov},
    {"mov ax,imm16", SZ64, "66 b8 34 12", DECODE_OK, 4, SZ16, SZ64, 0, ANY, N, N, 0, SEG_DS, 0, 0x1234, 0, 0, h_mov},
    {"mov rax,-1 (iz sign-extended)", SZ64, "48 c7 c0 ff ff ff ff", DECODE_OK, 7, SZ64, SZ64, 0, 0, N, N, 0, SEG_DS, 0, ~0ull, 0, 0, h_mov},
    {"mov qword [rip+4],imm32", SZ64, "48 c7 05 04 00 00 00 00 00 00 80", DECODE_OK, 11, SZ64, SZ64, 0, ANY, RIP, N, 0, SEG_DS, 4, 0xffffffff80000000ull, INSN_MEM, 0, h_mov},
    {"add eax,-1 (group 83 /0)", SZ64, "83 c0 ff", DECODE_OK, 3, SZ32, SZ64, 0, 0, N, N, 0, SEG_DS, 0, ~0ull, 0, 0, h_grp},
    {"sub ah,1: digit stays, rm is AH", SZ64, "80 ec 01", DECODE_OK, 3, SZ8, SZ64, 5, REG_AH, N, N, 0, SEG_DS, 0, 1, 0, 0, h_grp},
    {"cmp byte [rsi],imm8 /7", SZ64, "80 3e 80", DECODE_OK, 3, SZ8, SZ64, 7, ANY, 6, N, 0, SEG_DS, 0, 0x80, INSN_MEM, 0, h_grp},
    {"jmp $", SZ64, "eb fe", DECODE_OK, 2, SZ64, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, RIP0, 0, 0, h_jmp},
    {"jmp rel32 backwards", SZ64, "e9 fb ef ff ff", DECODE_OK, 5, SZ64, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, 0x0, 0, 0, h_jmp},
    {"66 jmp rel32: 66 ignored (Intel)", SZ64, "66 e9 00 01 00 00", DECODE_OK, 6, SZ64, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, RIP0 + 6 + 0x100, 0, 0, h_jmp},
    {"jz rel32", SZ64, "0f 84 00 00 00 80", DECODE_OK, 6, SZ64, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, RIP0 + 6 - 0x80000000ull, 0, 0, h_jmp},
    {"push qword [rax]", SZ64, "ff 30", DECODE_OK, 2, SZ64, SZ64, 6, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_push},
    {"push word [rax]", SZ64, "66 ff 30", DECODE_OK, 3, SZ16, SZ64, 6, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_push},
    {"mov rax,[moffs64]", SZ64, "48 a1 88 77 66 55 44 33 22 11", DECODE_OK, 10, SZ64, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0x55667788, 0x1122334455667788ull, 0, INSN_MEM, h_mov},
    {"mov eax,[moffs32] (67)", SZ64, "67 a1 78 56 34 12", DECODE_OK, 6, SZ32, SZ32, ANY, ANY, N, N, 0, SEG_DS, 0x12345678, 0x12345678, 0, 0, h_mov},
    {"enter 16,2", SZ64, "c8 10 00 02", DECODE_OK, 4, SZ64, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, 16, 0, 0, h_misc},
    {"lock add [rax],eax", SZ64, "f0 01 00", DECODE_OK, 3, SZ32, SZ64, 0, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_LOCK | INSN_MEM, 0, h_alu},
    {"selector: reg form", SZ64, "85 c0", DECODE_OK, 2, SZ32, SZ64, 0, 0, N, N, 0, SEG_DS, 0, 0, 0, 0, h_sel_reg},
    {"selector: mem form", SZ64, "85 00", DECODE_OK, 2, SZ32, SZ64, 0, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_sel_mem},
    {"syscall (64-bit only)", SZ64, "0f 05", DECODE_OK, 2, SZ32, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, 0, 0, 0, h_misc},
    /* Mandatory prefixes. */
    {"movups", SZ64, "0f 10 c1", DECODE_OK, 3, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, 0, h_movups},
    {"movupd: 66 consumed", SZ64, "66 0f 10 c1", DECODE_OK, 4, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, INSN_OSIZE, h_movupd},
    {"movss: F3 consumed", SZ64, "f3 0f 10 c1", DECODE_OK, 4, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, INSN_REP, h_movss},
    {"F3 wins over 66", SZ64, "66 f3 0f 10 c1", DECODE_OK, 5, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, INSN_REP, h_movss},
    {"F3 wins over a later 66", SZ64, "f3 66 0f 10 c1", DECODE_OK, 5, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, INSN_REP, h_movss},
    {"last of F2/F3 wins (F3)", SZ64, "f2 f3 0f 10 c1", DECODE_OK, 5, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, 0, h_movss},
    {"last of F2/F3 wins (F2)", SZ64, "f3 f2 0f 10 c1", DECODE_OK, 5, SZ128, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, 0, h_movsd},
    {"movsd with REX.R and memory", SZ64, "f2 44 0f 10 48 08", DECODE_OK, 6, SZ128, SZ64, 9, ANY, 0, N, 0, SEG_DS, 8, 0, INSN_MEM, 0, h_movsd},
    {"popcnt", SZ64, "f3 0f b8 c1", DECODE_OK, 4, SZ32, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, INSN_REP, h_popcnt},
    {"popcnt r16: 66 is operand size", SZ64, "66 f3 0f b8 c1", DECODE_OK, 5, SZ16, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_OSIZE, 0, h_popcnt},
    {"popcnt r64", SZ64, "f3 48 0f b8 c1", DECODE_OK, 5, SZ64, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, 0, h_popcnt},
    {"rep bsf = bsf without BMI1", SZ64, "f3 0f bc c1", DECODE_OK, 4, SZ32, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_REP, 0, h_bsf},
    {"bsf", SZ64, "0f bc c1", DECODE_OK, 3, SZ32, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, 0, h_bsf},
    {"bsf r16", SZ64, "66 0f bc c1", DECODE_OK, 4, SZ16, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, INSN_OSIZE, 0, h_bsf},
    /* x87 */
    {"fld qword [rax]", SZ64, "dd 00", DECODE_OK, 2, SZ32, SZ64, 0, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_x87m},
    {"fld st(1)", SZ64, "d9 c1", DECODE_OK, 2, SZ32, SZ64, 0, 1, N, N, 0, SEG_DS, 0, 0, 0, 0, h_x87r},
    /* 15-byte limit and truncation. */
    {"14 prefixes + nop = 15 bytes", SZ64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", DECODE_OK, 15, SZ16, SZ64, ANY, ANY, N, N, 0, SEG_DS, 0, 0, 0, 0, h_misc},
    BAD("15 prefixes + nop", SZ64, "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", DECODE_GP),
    BAD("16 bytes of mov", SZ64, "66 66 66 66 66 67 48 c7 84 88 00 00 00 00 00 00 00 00", DECODE_GP),
    BAD("truncated ModRM", SZ64, "48 8b", DECODE_MORE),
    BAD("truncated disp32", SZ64, "48 8b 84 8b 78 56", DECODE_MORE),
    BAD("truncated imm64", SZ64, "48 b8 88 77 66", DECODE_MORE),
    BAD("truncated prefixes", SZ64, "66 2e", DECODE_MORE),
    /* #UD */
    BAD("0F 04 undefined", SZ64, "0f 04", DECODE_UD),
    BAD("undefined group digit (FF /7)", SZ64, "ff 38", DECODE_UD),
    BAD("push es in 64-bit mode", SZ64, "06", DECODE_UD),
    BAD("VEX C5 in 64-bit mode", SZ64, "c5 f8 77", DECODE_UD),
    BAD("VEX C4 in 64-bit mode", SZ64, "c4 e2 79 00 c1", DECODE_UD),
    BAD("lock on a register form", SZ64, "f0 01 c0", DECODE_UD),
    BAD("lock on a non-lockable opcode", SZ64, "f0 8b 00", DECODE_UD),
    BAD("lea with a register operand", SZ64, "8d c0", DECODE_UD),
    BAD("popcnt without F3 (JMPE)", SZ64, "0f b8 c1", DECODE_UD),
    BAD("66 popcnt (no F3)", SZ64, "66 0f b8 c1", DECODE_UD),
    BAD("rdrand not in the CPUID model", SZ64, "0f c7 f0", DECODE_UD),
    BAD("undefined x87 register form", SZ64, "d9 c2", DECODE_UD),
    BAD("far jmp ptr in 64-bit mode", SZ64, "ea 00 00 00 00 08 00", DECODE_UD),
};

static const struct dcase cases32[] = {
    {"mov eax,[d32] (no RIP-relative)", SZ32, "8b 05 78 56 34 12", DECODE_OK, 6, SZ32, SZ32, 0, ANY, N, N, 0, SEG_DS, 0x12345678, 0, INSN_MEM, 0, h_mov},
    {"40 is inc eax", SZ32, "40", DECODE_OK, 1, SZ32, SZ32, 0, ANY, N, N, 0, SEG_DS, 0, 0, 0, INSN_REX, h_inc},
    {"41 is inc ecx, not REX.B", SZ32, "41", DECODE_OK, 1, SZ32, SZ32, 1, ANY, N, N, 0, SEG_DS, 0, 0, 0, 0, h_inc},
    {"mov ax,[ebp+4]", SZ32, "66 8b 45 04", DECODE_OK, 4, SZ16, SZ32, 0, ANY, 5, N, 0, SEG_SS, 4, 0, INSN_MEM, 0, h_mov},
    {"67: 16-bit addressing", SZ32, "67 8b 00", DECODE_OK, 3, SZ32, SZ16, 0, ANY, 3, 6, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"CS override counts", SZ32, "2e 8b 00", DECODE_OK, 3, SZ32, SZ32, 0, ANY, 0, N, 0, SEG_CS, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"SS override on [eax]", SZ32, "36 8b 00", DECODE_OK, 3, SZ32, SZ32, 0, ANY, 0, N, 0, SEG_SS, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"DS override on [ebp]", SZ32, "3e 8b 45 00", DECODE_OK, 4, SZ32, SZ32, 0, ANY, 5, N, 0, SEG_DS, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"mov eax,[esp]", SZ32, "8b 04 24", DECODE_OK, 3, SZ32, SZ32, 0, ANY, 4, N, 0, SEG_SS, 0, 0, INSN_MEM, 0, h_mov},
    {"jmp rel32 wraps at 4G", SZ32, "e9 00 00 00 ff", DECODE_OK, 5, SZ32, SZ32, ANY, ANY, N, N, 0, SEG_DS, 0, (RIP0 + 5 + 0xff000000ull) & 0xffffffff, 0, 0, h_jmp},
    {"66 jmp rel16: target truncated to 16 bits", SZ32, "66 e9 00 f0", DECODE_OK, 4, SZ16, SZ32, ANY, ANY, N, N, 0, SEG_DS, 0, (RIP0 + 4 - 0x1000) & 0xffff, 0, 0, h_jmp},
    {"push dword [eax]", SZ32, "ff 30", DECODE_OK, 2, SZ32, SZ32, 6, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_push},
    {"push es", SZ32, "06", DECODE_OK, 1, SZ32, SZ32, ANY, ANY, N, N, 0, SEG_DS, 0, 0, 0, 0, h_push},
    {"lds eax,[eax] (C5 with mod != 3)", SZ32, "c5 00", DECODE_OK, 2, SZ32, SZ32, 0, ANY, 0, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_lds},
    BAD("VEX C5 (mod == 3)", SZ32, "c5 f8 77", DECODE_UD),
    {"jmp far ptr16:32", SZ32, "ea 78 56 34 12 08 00", DECODE_OK, 7, SZ32, SZ32, ANY, ANY, N, N, 0, SEG_DS, 8, 0x12345678, 0, 0, h_jmp},
    {"mov al,[moffs32]", SZ32, "a1 78 56 34 12", DECODE_OK, 5, SZ32, SZ32, ANY, ANY, N, N, 0, SEG_DS, 0x12345678, 0x12345678, 0, 0, h_mov},
    BAD("syscall outside 64-bit mode", SZ32, "0f 05", DECODE_UD),
};

static const struct dcase cases16[] = {
    {"mov ax,[bx+si]", SZ16, "8b 00", DECODE_OK, 2, SZ16, SZ16, 0, ANY, 3, 6, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"mov ax,[bp+di+0x10]", SZ16, "8b 43 10", DECODE_OK, 3, SZ16, SZ16, 0, ANY, 5, 7, 0, SEG_SS, 0x10, 0, INSN_MEM, 0, h_mov},
    {"mov ax,[bp-2]", SZ16, "8b 46 fe", DECODE_OK, 3, SZ16, SZ16, 0, ANY, 5, N, 0, SEG_SS, -2, 0, INSN_MEM, 0, h_mov},
    {"mov ax,[0x1234]", SZ16, "8b 06 34 12", DECODE_OK, 4, SZ16, SZ16, 0, ANY, N, N, 0, SEG_DS, 0x1234, 0, INSN_MEM, 0, h_mov},
    {"mov ax,[bp+0x8000] (disp16 sign-extended)", SZ16, "8b 86 00 80", DECODE_OK, 4, SZ16, SZ16, 0, ANY, 5, N, 0, SEG_SS, -0x8000, 0, INSN_MEM, 0, h_mov},
    {"mov cx,[si]", SZ16, "8b 0c", DECODE_OK, 2, SZ16, SZ16, 1, ANY, N, 6, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"mov bx,[di]", SZ16, "8b 1d", DECODE_OK, 2, SZ16, SZ16, 3, ANY, N, 7, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"mov ax,[bx]", SZ16, "8b 07", DECODE_OK, 2, SZ16, SZ16, 0, ANY, 3, N, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"ES override on [bp]", SZ16, "26 8b 46 00", DECODE_OK, 4, SZ16, SZ16, 0, ANY, 5, N, 0, SEG_ES, 0, 0, INSN_SEGOVR, 0, h_mov},
    {"66: 32-bit operand", SZ16, "66 8b 00", DECODE_OK, 3, SZ32, SZ16, 0, ANY, 3, 6, 0, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"67: 32-bit addressing with SIB", SZ16, "67 8b 04 4b", DECODE_OK, 4, SZ16, SZ32, 0, ANY, 3, 1, 1, SEG_DS, 0, 0, INSN_MEM, 0, h_mov},
    {"mov ax,imm16", SZ16, "b8 34 12", DECODE_OK, 3, SZ16, SZ16, 0, ANY, N, N, 0, SEG_DS, 0, 0x1234, 0, 0, h_mov},
    {"66 mov eax,imm32", SZ16, "66 b8 78 56 34 12", DECODE_OK, 6, SZ32, SZ16, 0, ANY, N, N, 0, SEG_DS, 0, 0x12345678, 0, 0, h_mov},
    {"jmp rel16 wraps at 64K", SZ16, "e9 00 f0", DECODE_OK, 3, SZ16, SZ16, ANY, ANY, N, N, 0, SEG_DS, 0, (RIP0 + 3 - 0x1000) & 0xffff, 0, 0, h_jmp},
    {"jmp short wraps at 64K", SZ16, "eb 80", DECODE_OK, 2, SZ16, SZ16, ANY, ANY, N, N, 0, SEG_DS, 0, (RIP0 + 2 - 0x80) & 0xffff, 0, 0, h_jmp},
    {"jmp far ptr16:16", SZ16, "ea 00 7c 00 00", DECODE_OK, 5, SZ16, SZ16, ANY, ANY, N, N, 0, SEG_DS, 0, 0x7c00, 0, 0, h_jmp},
    {"mov ax,[moffs16]", SZ16, "a1 34 12", DECODE_OK, 3, SZ16, SZ16, ANY, ANY, N, N, 0, SEG_DS, 0x1234, 0x1234, 0, 0, h_mov},
};
/* clang-format on */

static void test_decode_64(void **state)
{
    for (size_t k = 0; k < ARRAY_LEN(cases64); k++)
        run_case(*state, &cases64[k]);
}

static void test_decode_32(void **state)
{
    for (size_t k = 0; k < ARRAY_LEN(cases32); k++)
        run_case(*state, &cases32[k]);
}

static void test_decode_16(void **state)
{
    for (size_t k = 0; k < ARRAY_LEN(cases16); k++)
        run_case(*state, &cases16[k]);
}

/* ENTER's second immediate and the ModRM byte land in imm2; the table's aux is copied. */
static void test_decode_imm2_aux(void **state)
{
    struct fixture *f = *state;
    const struct decode_env env = {f->t, f->m, SZ64};
    static const u8 enter[] = {0xc8, 0x10, 0x00, 0x02};
    static const u8 grp[] = {0x83, 0x7d, 0xf8, 0x05}; /* cmp dword [rbp-8], 5 */
    struct insn i;
    u32 opf = 0;

    assert_int_equal(decode_insn(&env, enter, sizeof(enter), 0, &i, &opf), DECODE_OK);
    assert_int_equal(i.imm2, 2);
    assert_int_equal(i.imm, 16);
    assert_int_equal(decode_insn(&env, grp, sizeof(grp), 0, &i, &opf), DECODE_OK);
    assert_int_equal(i.imm2, 0x7d);
    assert_int_equal(i.reg, 7);
    assert_int_equal(i.opcode, 0x83);
    assert_int_equal(i.map, MAP_1B);
    assert_int_equal(opf & OPF_IMM8, OPF_IMM8);
    static const u8 jmp[] = {0xeb, 0x00};
    assert_int_equal(decode_insn(&env, jmp, sizeof(jmp), 0, &i, &opf), DECODE_OK);
    assert_true(opf & OPF_ENDS);
}

/* A 15-byte buffer never reports DECODE_MORE: it is #GP once 15 bytes do not suffice. */
static void test_decode_more_vs_gp(void **state)
{
    struct fixture *f = *state;
    const struct decode_env env = {f->t, f->m, SZ64};
    u8 buf[15];
    struct insn i;

    memset(buf, 0x66, sizeof(buf));
    for (unsigned n = 1; n < 15; n++)
        assert_int_equal(decode_insn(&env, buf, n, 0, &i, NULL), DECODE_MORE);
    assert_int_equal(decode_insn(&env, buf, 15, 0, &i, NULL), DECODE_GP);
}

/* Without a CPUID model every feature counts as present (decoder unit tests, tools). */
static void test_decode_no_model(void **state)
{
    struct fixture *f = *state;
    const struct decode_env env = {f->t, NULL, SZ64};
    static const u8 rdrand[] = {0x0f, 0xc7, 0xf0};
    static const u8 tzcnt[] = {0xf3, 0x0f, 0xbc, 0xc1};
    struct insn i;

    assert_int_equal(decode_insn(&env, rdrand, sizeof(rdrand), 0, &i, NULL), DECODE_OK);
    assert_int_equal(decode_insn(&env, tzcnt, sizeof(tzcnt), 0, &i, NULL), DECODE_OK);
    assert_ptr_equal(i.fn, h_tzcnt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_64),         cmocka_unit_test(test_decode_32),
        cmocka_unit_test(test_decode_16),         cmocka_unit_test(test_decode_imm2_aux),
        cmocka_unit_test(test_decode_more_vs_gp), cmocka_unit_test(test_decode_no_model),
    };

    return cmocka_run_group_tests_name("core/decode", tests, setup, teardown);
}
