/* SPDX-License-Identifier: MIT */
/*
 * The CPUID model (Intel SDM vol. 2 "CPUID"): a GenuineIntel family-6 part that reports what
 * the core implements and what Linux needs to boot without quirks (docs PLATFORM.md 2.2):
 * leaves 0, 1, 2, 4, 6, 7, 0xB (x2APIC topology), 0x15/0x16 (TSC and crystal), the hypervisor
 * leaf 0x40000000 and 0x80000000-0x80000008 (address sizes, brand string).
 */
#include "core/cpuid.h"

#include <stdlib.h>
#include <string.h>

#define CPUID_WORDS   6 /* leaf_index 0..5 */
#define CPUID_MAXPHYS 46
#define CPUID_SIG     0x00050654u /* family 6, model 0x55, stepping 4 */

struct cpuid_model {
    u32 feat[CPUID_WORDS][4]; /* [leaf_index][reg] */
    u32 n_cpus;
    u64 tsc_hz;
    u32 crystal_hz;
    u32 maxphyaddr;
    char brand[48];
};

struct cpuid_feature {
    const char *name;
    u32 feat;
    bool is_implemented; /* "+name" allowed */
};

static const struct cpuid_feature cpuid_features[] = {
    {"fpu", FEAT_FPU, true},
    {"de", FEAT_DE, true},
    {"pse", FEAT_PSE, true},
    {"tsc", FEAT_TSC, true},
    {"msr", FEAT_MSR, true},
    {"pae", FEAT_PAE, true},
    {"cx8", FEAT_CX8, true},
    {"apic", FEAT_APIC, true},
    {"sep", FEAT_SEP, true},
    {"mtrr", FEAT_MTRR, true},
    {"pge", FEAT_PGE, true},
    {"cmov", FEAT_CMOV, true},
    {"pat", FEAT_PAT, true},
    {"pse36", FEAT_PSE36, true},
    {"clflush", FEAT_CLFSH, true},
    {"mmx", FEAT_MMX, true},
    {"fxsr", FEAT_FXSR, true},
    {"sse", FEAT_SSE, true},
    {"sse2", FEAT_SSE2, true},
    {"sse3", FEAT_SSE3, true},
    {"pni", FEAT_SSE3, true},
    {"ssse3", FEAT_SSSE3, true},
    {"cx16", FEAT_CX16, true},
    {"sse4.1", FEAT_SSE41, true},
    {"sse4_1", FEAT_SSE41, true},
    {"sse4.2", FEAT_SSE42, true},
    {"sse4_2", FEAT_SSE42, true},
    {"movbe", FEAT_MOVBE, true},
    {"popcnt", FEAT_POPCNT, true},
    {"tsc-deadline", FEAT_TSC_DEADLINE, true},
    {"hypervisor", FEAT_HYPERVISOR, true},
    {"erms", FEAT_ERMS, true},
    {"smep", FEAT_SMEP, true},
    {"smap", FEAT_SMAP, true},
    {"lahf_lm", FEAT_LAHF64, true},
    {"lahf64", FEAT_LAHF64, true},
    {"syscall", FEAT_SYSCALL, true},
    {"nx", FEAT_NX, true},
    {"pdpe1gb", FEAT_PDPE1GB, true},
    {"rdtscp", FEAT_RDTSCP, true},
    {"lm", FEAT_LM, true},
    {"arat", FEAT_ARAT, true},
    {"invtsc", FEAT_INVTSC, true},
    /* Known but not implemented by the core: "+name" is refused. */
    {"pclmulqdq", FEAT_PCLMUL, false},
    {"xsave", FEAT_XSAVE, false},
    {"rdrand", FEAT_RDRAND, false},
    {"bmi1", FEAT_BMI1, false},
    {"bmi2", FEAT_BMI2, false},
    {"invpcid", FEAT_INVPCID, false},
    {"fsgsbase", FEAT_FSGSBASE, false},
    {"abm", FEAT_LZCNT, false},
    {"lzcnt", FEAT_LZCNT, false},
};

/* The base x86-64 set every model reports ("minimal"). */
static const u32 cpuid_base_features[] = {
    FEAT_FPU, FEAT_DE,   FEAT_PSE,    FEAT_TSC,        FEAT_MSR,     FEAT_PAE, FEAT_PSE36,
    FEAT_CX8, FEAT_APIC, FEAT_SEP,    FEAT_PGE,        FEAT_CMOV,    FEAT_PAT, FEAT_CLFSH,
    FEAT_MMX, FEAT_FXSR, FEAT_SSE,    FEAT_SSE2,       FEAT_SYSCALL, FEAT_NX,  FEAT_LAHF64,
    FEAT_LM,  FEAT_ARAT, FEAT_INVTSC, FEAT_HYPERVISOR,
};

/* Added by "terrace" (the default). */
static const u32 cpuid_terrace_features[] = {
    FEAT_SSE3,   FEAT_SSSE3, FEAT_SSE41, FEAT_SSE42,   FEAT_CX16,   FEAT_MOVBE,
    FEAT_POPCNT, FEAT_MTRR,  FEAT_ERMS,  FEAT_PDPE1GB, FEAT_RDTSCP,
};

static void cpuid_feat_set(struct cpuid_model *m, u32 feat, bool on)
{
    u32 *w = &m->feat[(feat >> 8) % CPUID_WORDS][(feat >> 5) & 3];
    u32 bit = 1u << (feat & 31);

    *w = on ? *w | bit : *w & ~bit;
}

bool cpuid_has(const struct cpuid_model *m, u32 feat)
{
    return (m->feat[(feat >> 8) % CPUID_WORDS][(feat >> 5) & 3] >> (feat & 31)) & 1;
}

void cpuid_set_tsc(struct cpuid_model *m, u64 tsc_hz, u32 crystal_hz)
{
    m->tsc_hz = tsc_hz;
    m->crystal_hz = crystal_hz;
}

u32 cpuid_maxphyaddr(const struct cpuid_model *m)
{
    return m->maxphyaddr;
}

static const struct cpuid_feature *cpuid_feature_find(const char *name, size_t len)
{
    for (size_t k = 0; k < ARRAY_LEN(cpuid_features); k++)
        if (strlen(cpuid_features[k].name) == len && !strncmp(cpuid_features[k].name, name, len))
            return &cpuid_features[k];
    return NULL;
}

struct cpuid_model *cpuid_model_create(const char *spec, u32 n_cpus, struct emu_err *err)
{
    struct cpuid_model *m = calloc(1, sizeof(*m));
    const char *p = spec ? spec : "terrace";
    size_t len = strcspn(p, ",");
    bool is_minimal;

    if (!m) {
        err_set(err, "cpuid: out of memory");
        return NULL;
    }
    m->n_cpus = n_cpus ? n_cpus : 1;
    m->tsc_hz = 1000000000ull;
    m->crystal_hz = 25000000u;
    m->maxphyaddr = CPUID_MAXPHYS;
    memcpy(m->brand, "terrace x86-64 virtual CPU", sizeof("terrace x86-64 virtual CPU"));
    is_minimal = len == 7 && !strncmp(p, "minimal", 7);
    if (!is_minimal && !(len == 7 && !strncmp(p, "terrace", 7)) && len != 0) {
        err_set(err, "cpuid: unknown CPU model '%.*s' (known: terrace, minimal)", (int)len, p);
        free(m);
        return NULL;
    }
    for (size_t k = 0; k < ARRAY_LEN(cpuid_base_features); k++)
        cpuid_feat_set(m, cpuid_base_features[k], true);
    if (!is_minimal)
        for (size_t k = 0; k < ARRAY_LEN(cpuid_terrace_features); k++)
            cpuid_feat_set(m, cpuid_terrace_features[k], true);
    p += len;
    while (*p == ',') {
        const struct cpuid_feature *f;
        bool on;

        p++;
        len = strcspn(p, ",");
        if (len < 2 || (p[0] != '+' && p[0] != '-')) {
            err_set(err, "cpuid: feature edit '%.*s' must be +name or -name", (int)len, p);
            free(m);
            return NULL;
        }
        on = p[0] == '+';
        f = cpuid_feature_find(p + 1, len - 1);
        if (!f) {
            err_set(err, "cpuid: unknown feature '%.*s'", (int)(len - 1), p + 1);
            free(m);
            return NULL;
        }
        if (on && !f->is_implemented) {
            err_set(err, "cpuid: feature '%s' is not implemented by the core", f->name);
            free(m);
            return NULL;
        }
        cpuid_feat_set(m, f->feat, on);
        p += len;
    }
    return m;
}

void cpuid_model_destroy(struct cpuid_model *m)
{
    free(m);
}

static u32 cpuid_gcd(u64 a, u64 b)
{
    while (b) {
        u64 t = a % b;

        a = b;
        b = t;
    }
    return (u32)a;
}

static u32 cpuid_bits_for(u32 n)
{
    u32 bits = 0;

    while ((1u << bits) < n)
        bits++;
    return bits;
}

static void cpuid_str(u32 out[4], const char *s12, int order_ebx_edx_ecx)
{
    u32 w[3];

    memcpy(w, s12, 12);
    if (order_ebx_edx_ecx) {
        out[CPUID_EBX] = w[0];
        out[CPUID_EDX] = w[1];
        out[CPUID_ECX] = w[2];
    } else {
        out[CPUID_EBX] = w[0];
        out[CPUID_ECX] = w[1];
        out[CPUID_EDX] = w[2];
    }
}

void cpuid_query(const struct cpuid_model *m, u32 cpu, u32 leaf, u32 sub, u32 out[4])
{
    u32 core_bits = cpuid_bits_for(m->n_cpus);

    memset(out, 0, 4 * sizeof(u32));
    switch (leaf) {
    case 0:
        out[CPUID_EAX] = 0x16;
        cpuid_str(out, "GenuineIntel", 1);
        break;
    case 1:
        out[CPUID_EAX] = CPUID_SIG;
        /* [31:24] initial APIC ID, [23:16] addressable IDs, [15:8] CLFLUSH line / 8. */
        out[CPUID_EBX] = (cpu << 24) | (8u << 8);
        out[CPUID_ECX] = m->feat[1][CPUID_ECX];
        out[CPUID_EDX] = m->feat[1][CPUID_EDX];
        if (m->n_cpus > 1) {
            out[CPUID_EBX] |= ((1u << core_bits) & 0xff) << 16;
            out[CPUID_EDX] |= 1u << 28; /* HTT: the package has more than one logical CPU */
        }
        break;
    case 6:
        out[CPUID_EAX] = m->feat[4][CPUID_EAX];
        break;
    case 7:
        if (sub == 0) {
            out[CPUID_EBX] = m->feat[2][CPUID_EBX];
            out[CPUID_ECX] = m->feat[2][CPUID_ECX];
            out[CPUID_EDX] = m->feat[2][CPUID_EDX];
        }
        break;
    case 0xb:
        /* x2APIC topology: one thread per core, every vCPU a core of one package. */
        out[CPUID_EDX] = cpu;
        out[CPUID_ECX] = sub & 0xff;
        if (sub == 0) {
            out[CPUID_EAX] = 0;
            out[CPUID_EBX] = 1;
            out[CPUID_ECX] |= 1u << 8;
        } else if (sub == 1) {
            out[CPUID_EAX] = core_bits;
            out[CPUID_EBX] = m->n_cpus;
            out[CPUID_ECX] |= 2u << 8;
        }
        break;
    case 0x15: {
        u32 g = cpuid_gcd(m->tsc_hz, m->crystal_hz);

        if (m->crystal_hz && m->tsc_hz) {
            out[CPUID_EAX] = (u32)(m->crystal_hz / g); /* TSC = crystal * EBX / EAX */
            out[CPUID_EBX] = (u32)(m->tsc_hz / g);
            out[CPUID_ECX] = m->crystal_hz;
        }
        break;
    }
    case 0x16:
        out[CPUID_EAX] = (u32)(m->tsc_hz / 1000000);
        out[CPUID_EBX] = (u32)(m->tsc_hz / 1000000);
        out[CPUID_ECX] = m->crystal_hz / 1000000;
        break;
    case 0x40000000:
        if (cpuid_has(m, FEAT_HYPERVISOR)) {
            out[CPUID_EAX] = 0x40000000;
            cpuid_str(out, "TerraceTerra", 0);
        }
        break;
    case 0x80000000:
        out[CPUID_EAX] = 0x80000008;
        break;
    case 0x80000001:
        out[CPUID_ECX] = m->feat[3][CPUID_ECX];
        out[CPUID_EDX] = m->feat[3][CPUID_EDX];
        break;
    case 0x80000002:
    case 0x80000003:
    case 0x80000004:
        memcpy(out, m->brand + 16 * (leaf - 0x80000002), 16);
        break;
    case 0x80000007:
        out[CPUID_EDX] = m->feat[5][CPUID_EDX];
        break;
    case 0x80000008:
        out[CPUID_EAX] = m->maxphyaddr | (48u << 8);
        break;
    default:
        /* Leaves 2, 4, 0xA, 0xD... and anything above the maximum: zeros. Intel returns the
         * highest basic leaf for out-of-range basic leaves; zeros are what Linux expects of
         * the unused leaves listed in PLATFORM.md 2.2. */
        break;
    }
}
