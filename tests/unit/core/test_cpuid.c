/* SPDX-License-Identifier: MIT */
/* The CPUID model (core/cpuid.c): leaves Linux reads (docs PLATFORM.md 2.2), feature edits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "base/err.h"
#include "core/cpuid.h"

#include <string.h>

static void test_vendor_and_leaf1(void **state)
{
    struct emu_err err = {0};
    struct cpuid_model *m = cpuid_model_create("terrace", 4, &err);
    u32 r[4];
    char vendor[13] = {0};

    (void)state;
    assert_non_null(m);
    cpuid_query(m, 0, 0, 0, r);
    assert_int_equal(r[CPUID_EAX], 0x16);
    memcpy(vendor, &r[CPUID_EBX], 4);
    memcpy(vendor + 4, &r[CPUID_EDX], 4);
    memcpy(vendor + 8, &r[CPUID_ECX], 4);
    assert_string_equal(vendor, "GenuineIntel");
    cpuid_query(m, 2, 1, 0, r);
    assert_int_equal(r[CPUID_EAX], 0x00050654);
    assert_int_equal(r[CPUID_EBX], (2u << 24) | (4u << 16) | (8u << 8));
    /* FPU DE PSE TSC MSR PAE CX8 APIC SEP MTRR PGE CMOV PAT PSE36 CLFSH MMX FXSR SSE SSE2 HTT */
    assert_int_equal(r[CPUID_EDX], 0x178bbb7du);
    /* SSE3 SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT HYPERVISOR */
    assert_int_equal(r[CPUID_ECX], 0x80d82201u);
    cpuid_query(m, 0, 0x80000001, 0, r);
    assert_int_equal(r[CPUID_ECX], 1);
    assert_int_equal(r[CPUID_EDX], (1u << 11) | (1u << 20) | (1u << 26) | (1u << 27) | (1u << 29));
    cpuid_query(m, 0, 6, 0, r);
    assert_int_equal(r[CPUID_EAX], 4);
    cpuid_query(m, 0, 7, 0, r);
    assert_int_equal(r[CPUID_EBX], 1u << 9);
    cpuid_query(m, 0, 0x80000008, 0, r);
    assert_int_equal(r[CPUID_EAX], 0x302e);
    cpuid_query(m, 0, 0x80000007, 0, r);
    assert_int_equal(r[CPUID_EDX], 0x100);
    cpuid_query(m, 0, 4, 0, r);
    assert_int_equal(r[CPUID_EAX] | r[CPUID_EBX] | r[CPUID_ECX] | r[CPUID_EDX], 0);
    cpuid_model_destroy(m);
}

static void test_tsc_and_topology(void **state)
{
    struct emu_err err = {0};
    struct cpuid_model *m = cpuid_model_create(NULL, 3, &err);
    u32 r[4];

    (void)state;
    cpuid_query(m, 0, 0x15, 0, r);
    assert_int_equal(r[CPUID_EAX], 1);
    assert_int_equal(r[CPUID_EBX], 40);
    assert_int_equal(r[CPUID_ECX], 25000000);
    cpuid_set_tsc(m, 2400000000ull, 24000000);
    cpuid_query(m, 0, 0x15, 0, r);
    assert_int_equal(r[CPUID_EAX], 1);
    assert_int_equal(r[CPUID_EBX], 100);
    cpuid_query(m, 0, 0x16, 0, r);
    assert_int_equal(r[CPUID_EAX], 2400);
    assert_int_equal(r[CPUID_ECX], 24);
    cpuid_query(m, 2, 0xb, 1, r);
    assert_int_equal(r[CPUID_EAX], 2);
    assert_int_equal(r[CPUID_EBX], 3);
    assert_int_equal(r[CPUID_ECX], 0x201);
    assert_int_equal(r[CPUID_EDX], 2);
    cpuid_query(m, 2, 0xb, 2, r);
    assert_int_equal(r[CPUID_EBX], 0);
    assert_int_equal(r[CPUID_ECX], 2);
    cpuid_query(m, 0, 0x80000002, 0, r);
    assert_memory_equal(r, "terrace x86-64 v", 16);
    cpuid_model_destroy(m);
}

static void test_edits(void **state)
{
    struct emu_err err = {0};
    struct cpuid_model *m = cpuid_model_create("terrace,+smep,-movbe,-sse4.2", 1, &err);

    (void)state;
    assert_non_null(m);
    assert_true(cpuid_has(m, FEAT_SMEP));
    assert_false(cpuid_has(m, FEAT_MOVBE));
    assert_false(cpuid_has(m, FEAT_SSE42));
    assert_true(cpuid_has(m, FEAT_RDTSCP));
    cpuid_model_destroy(m);
    m = cpuid_model_create("minimal", 1, &err);
    assert_non_null(m);
    assert_false(cpuid_has(m, FEAT_SSE3));
    assert_true(cpuid_has(m, FEAT_LM));
    cpuid_model_destroy(m);
    assert_null(cpuid_model_create("terrace,+avx512", 1, &err));
    assert_null(cpuid_model_create("terrace,+xsave", 1, &err));
    assert_null(cpuid_model_create("pentium", 1, &err));
    assert_null(cpuid_model_create("terrace,sse", 1, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vendor_and_leaf1),
        cmocka_unit_test(test_tsc_and_topology),
        cmocka_unit_test(test_edits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
