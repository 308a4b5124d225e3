/* SPDX-License-Identifier: MIT */
/*
 * Lazy flags (core/flags.c, core/flags.h): exact flags of each recorded operation at each
 * size (operands carry garbage above the operand width, which must be ignored), CF/OF-only
 * updates (FLAGS_OP_CO), materialisation, and agreement of every condition evaluator.
 * Flag definitions: Intel SDM vol. 1 3.4.3 and appendix B.
 */
#include "base/types.h"
#include "core/cpu.h"
#include "core/flags.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define CF RFLAGS_CF
#define PF RFLAGS_PF
#define AF RFLAGS_AF
#define ZF RFLAGS_ZF
#define SF RFLAGS_SF
#define OF RFLAGS_OF

static struct cpu *cpu_new(void)
{
    struct cpu *c = calloc(1, sizeof(*c));

    assert_non_null(c);
    c->rflags = RFLAGS_FIXED | RFLAGS_IF;
    return c;
}

struct flags_case {
    enum flags_op op;
    unsigned size;
    u64 res, src1, src2;
    u64 want;
};

/* High garbage (above the operand width) in every operand of the narrow cases. */
#define G8  0xdeadbeefcafe1200ull
#define G16 0xdeadbeef12340000ull
#define G32 0x5555555500000000ull

static const struct flags_case cases[] = {
    {FLAGS_OP_ADD, SZ8, G8 | 0x80, G8 | 0x7f, G8 | 0x01, OF | SF | AF},
    {FLAGS_OP_ADD, SZ32, G32 | 0, G32 | 0xffffffff, 1, CF | ZF | AF | PF},
    {FLAGS_OP_ADD, SZ64, 0x8000000000000000, 0x8000000000000000, 0, SF | PF},
    {FLAGS_OP_ADD, SZ64, 0, 0x8000000000000000, 0x8000000000000000, CF | OF | ZF | PF},
    {FLAGS_OP_ADC, SZ16, G16 | 0, G16 | 0xffff, 0, CF | ZF | AF | PF},  /* + CF 1 */
    {FLAGS_OP_ADC, SZ8, 0xff, 0xff, 0xff, CF | SF | AF | PF},           /* ff+ff+1 */
    {FLAGS_OP_ADC, SZ32, 0x80000000, 0x7fffffff, 0, OF | SF | AF | PF}, /* + CF 1 */
    {FLAGS_OP_SUB, SZ64, ~0ull, 0, 1, CF | SF | AF | PF},
    {FLAGS_OP_SUB, SZ8, G8 | 0x7f, G8 | 0x80, G8 | 0x01, OF | AF},
    {FLAGS_OP_SUB, SZ16, 0, 0x1234, 0x1234, ZF | PF},
    {FLAGS_OP_SBB, SZ8, 0x00, 0x80, 0x7f, OF | ZF | AF | PF},  /* - CF 1 */
    {FLAGS_OP_SBB, SZ32, 0xffffffff, 5, 5, CF | SF | AF | PF}, /* - CF 1 */
    {FLAGS_OP_LOGIC, SZ16, G16 | 0x8000, 0, 0, SF | PF},
    {FLAGS_OP_LOGIC, SZ8, G8 | 0x01, 0, 0, 0},
    {FLAGS_OP_LOGIC, SZ32, G32, 0, 0, ZF | PF},
    {FLAGS_OP_INC, SZ8, G8 | 0x80, G8 | 0x7f, 1, CF | OF | SF | AF},
    {FLAGS_OP_INC, SZ64, 0, ~0ull, 0, ZF | AF | PF},
    {FLAGS_OP_DEC, SZ32, G32 | 0xffffffff, G32, 0, SF | AF | PF},
    {FLAGS_OP_DEC, SZ16, 0x7fff, 0x8000, 1, CF | OF | AF | PF},
    {FLAGS_OP_NEG, SZ32, 0x80000000, 0x80000000, 0, CF | OF | SF | PF},
    {FLAGS_OP_NEG, SZ8, 0, 0, 0, ZF | PF},
    {FLAGS_OP_NEG, SZ16, 0xfff1, 0x000f, 0, CF | SF | AF},
    {FLAGS_OP_SHL, SZ8, G8 | 0x00, G8 | 0x81, 8, CF | OF | ZF | AF | PF},
    {FLAGS_OP_SHL, SZ8, 0x00, 0x81, 9, ZF | AF | PF},
    {FLAGS_OP_SHL, SZ32, 0x80000000, 0x40000000, 1, OF | SF | AF | PF},
    {FLAGS_OP_SHL, SZ64, 0x8000000000000000, 0xc000000000000000, 1, CF | SF | AF | PF},
    {FLAGS_OP_SHR, SZ16, G16 | 0x4000, G16 | 0x8001, 1, CF | OF | AF | PF},
    {FLAGS_OP_SHR, SZ8, 0x00, 0x80, 8, CF | ZF | AF | PF},
    {FLAGS_OP_SHR, SZ8, G8 | 0x00, G8 | 0x80, 9, ZF | AF | PF},
    {FLAGS_OP_SHR, SZ64, 1, 0x8000000000000000, 63, AF},
    {FLAGS_OP_SAR, SZ32, 0xffffffff, 0x80000000, 31, SF | AF | PF},
    {FLAGS_OP_SAR, SZ8, G8 | 0xff, G8 | 0x80, 31, CF | SF | AF | PF},
    {FLAGS_OP_SAR, SZ16, 0x0001, 0x0003, 1, CF | AF},
    {FLAGS_OP_CO, SZ32, 0, CF | OF | AF, 0, CF | OF | AF | ZF | PF},
    {FLAGS_OP_CO, SZ8, 0x80, 0, 0, SF},
};

static void test_flags_exact(void **state)
{
    struct cpu *c = cpu_new();

    (void)state;
    for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
        const struct flags_case *t = &cases[k];

        flags_set(c, t->op, t->size, t->res, t->src1, t->src2);
        if (flags_get(c) != t->want)
            fail_msg("case %zu: want %#llx got %#llx", k, (unsigned long long)t->want,
                     (unsigned long long)flags_get(c));
        assert_int_equal(flags_cf(c), (t->want & CF) != 0);
        assert_int_equal(flags_carry(c), (t->want & CF) != 0);
    }
    free(c);
}

/* flags_set_co() keeps ZF SF AF PF of what came before and replaces CF and OF. */
static void test_flags_co(void **state)
{
    struct cpu *c = cpu_new();

    (void)state;
    c->rflags |= ZF | AF | CF;
    c->lazy.op = FLAGS_OP_NONE;
    flags_set_co(c, OF);
    assert_int_equal(c->lazy.op, FLAGS_OP_NONE);
    assert_int_equal(flags_get(c), ZF | AF | OF);

    flags_set(c, FLAGS_OP_ADD, SZ8, 0x80, 0x7f, 0x01); /* OF SF AF */
    flags_set_co(c, CF);
    assert_int_equal(flags_get(c), CF | SF | AF);
    flags_set_co(c, CF | OF);
    assert_int_equal(flags_get(c), CF | OF | SF | AF);

    flags_set_logic(c, SZ32, 0);
    flags_set_co(c, CF);
    assert_int_equal(flags_get(c), CF | ZF | PF);

    flags_set(c, FLAGS_OP_SHL, SZ16, 0x0002, 0x0001, 1); /* shifts: AF = 1 */
    flags_set_co(c, 0);
    assert_int_equal(flags_get(c), AF);

    flags_set(c, FLAGS_OP_INC, SZ32, 0x10, 0x0f, 1);
    flags_set_co(c, 0);
    assert_int_equal(flags_get(c), AF);

    flags_set(c, FLAGS_OP_NEG, SZ8, 0xf1, 0x0f, 0x55);
    flags_set_co(c, OF);
    assert_int_equal(flags_get(c), OF | SF | AF);
    free(c);
}

/* Materialising folds the arithmetic flags into rflags and keeps the other bits. */
static void test_flags_materialize(void **state)
{
    struct cpu *c = cpu_new();

    (void)state;
    c->rflags = RFLAGS_FIXED | RFLAGS_IF | RFLAGS_DF | CF | ZF;
    flags_set(c, FLAGS_OP_SUB, SZ32, 0xffffffff, 0, 1);
    flags_materialize(c);
    assert_int_equal(c->lazy.op, FLAGS_OP_NONE);
    assert_int_equal(c->rflags, RFLAGS_FIXED | RFLAGS_IF | RFLAGS_DF | CF | SF | AF | PF);
    assert_int_equal(flags_get(c), CF | SF | AF | PF);
    assert_true(flags_carry(c));
    assert_true(cpu_cond(c, CC_B));
    free(c);
}

static u64 rng_next(u64 *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

static bool cond_of_flags(u64 f, unsigned cc)
{
    bool of = f & OF, cf = f & CF, zf = f & ZF, sf = f & SF, pf = f & PF;
    bool r[8] = {of, cf, zf, cf || zf, sf, pf, sf != of, zf || sf != of};

    return r[cc >> 1] ^ (cc & 1);
}

/*
 * Every evaluator agrees with the flags: flags_cond (inline), cpu_cond, flags_carry, for
 * random lazy states of every operation. The operands are made consistent with the operation
 * (res = src1 op src2) where the flag formulas assume it.
 */
static void test_flags_conditions_agree(void **state)
{
    struct cpu *c = cpu_new();
    u64 seed = 12345;

    (void)state;
    for (unsigned it = 0; it < 200000; it++) {
        enum flags_op op = (enum flags_op)(1 + rng_next(&seed) % (FLAGS_OP_COUNT - 1));
        unsigned size = (unsigned)(rng_next(&seed) % 4);
        unsigned bits = 8u << size;
        u64 a = rng_next(&seed), b = rng_next(&seed), r;

        if (rng_next(&seed) & 1)
            a &= 0x1ff;
        if (rng_next(&seed) & 1)
            b = (rng_next(&seed) & 3) - 1;
        switch (op) {
        case FLAGS_OP_ADD:
            r = a + b;
            break;
        case FLAGS_OP_ADC:
            r = a + b + (b & 1);
            break;
        case FLAGS_OP_SUB:
            r = a - b;
            break;
        case FLAGS_OP_SBB:
            r = a - b - (a & 1);
            break;
        case FLAGS_OP_INC:
            b &= 1;
            r = a + 1;
            break;
        case FLAGS_OP_DEC:
            b &= 1;
            r = a - 1;
            break;
        case FLAGS_OP_NEG:
            r = 0 - a;
            break;
        case FLAGS_OP_SHL:
        case FLAGS_OP_SHR:
        case FLAGS_OP_SAR:
            b = 1 + b % (bits == 64 ? 63 : 31);
            r = op == FLAGS_OP_SHL ? a << b : a >> (b % bits);
            break;
        case FLAGS_OP_CO:
            r = a;
            b = 0;
            a &= CF | OF | AF;
            break;
        default:
            r = a & b;
            break;
        }
        flags_set(c, op, size, r, a, b);
        u64 f = flags_get(c);

        assert_int_equal(flags_carry(c), (f & CF) != 0);
        for (unsigned cc = 0; cc < 16; cc++) {
            bool want = cond_of_flags(f, cc);

            if (flags_cond(c, (enum cond_code)cc) != want ||
                cpu_cond(c, (enum cond_code)cc) != want)
                fail_msg("op %d size %u cc %u: res %#llx src1 %#llx src2 %#llx", op, size, cc,
                         (unsigned long long)r, (unsigned long long)a, (unsigned long long)b);
        }
    }
    free(c);
}

/* The SUB fast path is exactly the unsigned/signed compare of the operands at the size. */
static void test_flags_cmp_fast_path(void **state)
{
    struct cpu *c = cpu_new();

    (void)state;
    flags_set(c, FLAGS_OP_SUB, SZ8, 0x7f - 0x80, G8 | 0x7f, G8 | 0x80); /* 127 vs -128 */
    assert_true(flags_cond(c, CC_B));
    assert_true(flags_cond(c, CC_G));
    assert_false(flags_cond(c, CC_L));
    assert_true(flags_cond(c, CC_O));
    assert_true(flags_cond(c, CC_S));
    assert_false(flags_cond(c, CC_E));
    flags_set(c, FLAGS_OP_SUB, SZ32, 0, G32 | 5, 5);
    assert_true(flags_cond(c, CC_E));
    assert_true(flags_cond(c, CC_BE));
    assert_true(flags_cond(c, CC_GE));
    assert_false(flags_cond(c, CC_A));
    assert_true(flags_cond(c, CC_P));
    flags_set_logic(c, SZ64, 0x8000000000000000);
    assert_true(flags_cond(c, CC_S));
    assert_true(flags_cond(c, CC_L));
    assert_true(flags_cond(c, CC_LE));
    assert_true(flags_cond(c, CC_A));
    assert_false(flags_cond(c, CC_B));
    assert_false(flags_cond(c, CC_O));
    assert_true(flags_cond(c, CC_P));
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_exact),         cmocka_unit_test(test_flags_co),
        cmocka_unit_test(test_flags_materialize),   cmocka_unit_test(test_flags_conditions_agree),
        cmocka_unit_test(test_flags_cmp_fast_path),
    };

    return cmocka_run_group_tests_name("core/flags", tests, NULL, NULL);
}
