/* SPDX-License-Identifier: MIT */
/*
 * diff_run: differential testing of the CPU core against the host CPU, form by form. For each
 * form of tests/diff/forms.tab it builds random concrete encodings and random initial states,
 * runs each case natively and in the emulator, and compares GPRs, RIP, the flags the form
 * defines, x87/SSE state, segment selectors (sreg forms), the data buffer and exceptions.
 * Prints a table "form | encodings | cases | result" and a reproducer for each mismatch.
 */
#include "tests/diff/diff.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SELECT 64

struct options {
    const char *forms_path;
    const char *cpu_model;
    const char *select[MAX_SELECT];
    unsigned n_select;
    u64 cases;
    u64 seed;
    unsigned per_enc;
    unsigned max_report;
    bool list;
    bool native_only;
    bool verbose;
};

struct form_result {
    u64 cases;
    u64 encodings;
    u64 mismatches;
    u64 faults; /* cases where both sides raised the same exception */
    u64 lax;    /* x87 cases with an unmasked exception, compared loosely */
    bool bad_template;
};

/* FNV-1a of the form name mixed with the seed: a form's cases do not depend on the others. */
static u64 form_seed(const char *name, u64 seed)
{
    u64 h = 0xcbf29ce484222325ull ^ seed;

    for (const char *p = name; *p; p++)
        h = (h ^ (u8)*p) * 0x100000001b3ull;
    return h ? h : 1;
}

static const char *const gpr_names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                          "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};

static void print_bytes(FILE *o, const u8 *b, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        fprintf(o, "%02x", b[k]);
}

static void print_flags(FILE *o, u64 f)
{
    static const struct {
        u64 bit;
        char c;
    } fl[] = {{DIFF_OF, 'O'}, {DIFF_DF, 'D'}, {DIFF_SF, 'S'}, {DIFF_ZF, 'Z'},
              {DIFF_AF, 'A'}, {DIFF_PF, 'P'}, {DIFF_CF, 'C'}};

    fprintf(o, "%#" PRIx64 " [", f);
    for (size_t k = 0; k < ARRAY_LEN(fl); k++)
        fputc((f & fl[k].bit) ? fl[k].c : '.', o);
    fputc(']', o);
}

static void print_ext(FILE *o, const u8 *p)
{
    u64 m;
    u16 se;

    memcpy(&m, p, 8);
    memcpy(&se, p + 8, 2);
    fprintf(o, "%04x:%016" PRIx64, se, m);
}

/* Whether two extended values are within a few units in the last place. */
static bool ext_close(const u8 *a, const u8 *b)
{
    u64 ma, mb;
    u16 sa, sb;

    memcpy(&ma, a, 8);
    memcpy(&mb, b, 8);
    memcpy(&sa, a + 8, 2);
    memcpy(&sb, b + 8, 2);
    if (sa != sb)
        return false;
    return (ma > mb ? ma - mb : mb - ma) <= 16;
}

/*
 * Whether an x87 instruction raised an unmasked exception (FSW.ES set by it). What such an
 * instruction leaves in C1, TOP, the stack and EFLAGS differs between vendors (the host may
 * not be an Intel part): then only the exception flags, FCW, GPRs, XMM and memory count.
 */
static bool x87_unmasked(const struct diff_form *f, const struct diff_state *in,
                         const struct diff_state *nat)
{
    u16 fcw, fsw_in, fsw_out;

    if (!(f->opts & DO_X87) || nat->vector >= 0)
        return false;
    memcpy(&fcw, in->fx + FX_FCW, 2);
    memcpy(&fsw_in, in->fx + FX_FSW, 2);
    memcpy(&fsw_out, nat->fx + FX_FSW, 2);
    return (fcw & 0x3f) != 0x3f && !(fsw_in & 0x80) && (fsw_out & 0x80);
}

/* Compare; print differences to @o when not NULL. Return: the number of differing fields. */
static unsigned compare(const struct diff_form *f, const struct diff_enc *e,
                        const struct diff_state *in, const struct diff_state *nat,
                        const struct diff_state *emu, FILE *o)
{
    unsigned n = 0;
    u64 fmask;
    u16 fsw_mask = 0xffff;
    u16 nfsw, efsw, nfcw, efcw;
    u32 nmx, emx;
    bool lax;

    if (nat->vector != emu->vector) {
        if (o)
            fprintf(o, "    exception: native %d, emulator %d (-1 = none)\n", nat->vector,
                    emu->vector);
        return 1;
    }
    if (nat->vector >= 0)
        return 0;
    lax = x87_unmasked(f, in, nat);
    for (unsigned k = 0; k < 16; k++)
        if (nat->gpr[k] != emu->gpr[k]) {
            n++;
            if (o)
                fprintf(o,
                        "    %-4s: native %016" PRIx64 " emulator %016" PRIx64 " (input %016" PRIx64
                        ")\n",
                        gpr_names[k], nat->gpr[k], emu->gpr[k], in->gpr[k]);
        }
    if (nat->rip != emu->rip) {
        n++;
        if (o)
            fprintf(o, "    rip : native %#" PRIx64 " emulator %#" PRIx64 "\n", nat->rip, emu->rip);
    }
    fmask = diff_flags_defined(f, e, in);
    if (lax)
        fmask &= ~DIFF_ARITH;
    if ((nat->rflags ^ emu->rflags) & fmask) {
        n++;
        if (o) {
            fprintf(o, "    rflags: native ");
            print_flags(o, nat->rflags & fmask);
            fprintf(o, " emulator ");
            print_flags(o, emu->rflags & fmask);
            fprintf(o, " (input ");
            print_flags(o, in->rflags);
            fprintf(o, ", compared %#" PRIx64 ")\n", fmask);
        }
    }
    if ((f->opts & DO_SREG) && (nat->ds != emu->ds || nat->es != emu->es)) {
        n++;
        if (o)
            fprintf(o, "    ds/es: native %#x/%#x emulator %#x/%#x\n", nat->ds, nat->es, emu->ds,
                    emu->es);
    }

    /* x87 */
    memcpy(&nfcw, nat->fx + FX_FCW, 2);
    memcpy(&efcw, emu->fx + FX_FCW, 2);
    memcpy(&nfsw, nat->fx + FX_FSW, 2);
    memcpy(&efsw, emu->fx + FX_FSW, 2);
    if ((f->opts & DO_X87) && !(f->opts & DO_FCC))
        fsw_mask &= (u16)~0x4500u; /* C0 C2 C3 undefined */
    if (f->opts & DO_ULP)
        fsw_mask &= (u16)~0x0220u; /* C1 and PE follow the rounding of the approximation */
    if (lax)
        fsw_mask &= 0x00df; /* exception flags but PE (rounding of a result not delivered) */
    if (nfcw != efcw || ((nfsw ^ efsw) & fsw_mask) ||
        (!lax && nat->fx[FX_FTW] != emu->fx[FX_FTW])) {
        n++;
        if (o)
            fprintf(o,
                    "    x87: native fcw %04x fsw %04x ftw %02x, emulator fcw %04x fsw %04x ftw "
                    "%02x (input fcw %04x fsw %04x ftw %02x)\n",
                    nfcw, nfsw, nat->fx[FX_FTW], efcw, efsw, emu->fx[FX_FTW],
                    *(const u16 *)(in->fx + FX_FCW), *(const u16 *)(in->fx + FX_FSW),
                    in->fx[FX_FTW]);
    }
    for (unsigned i = 0; i < 8; i++) {
        unsigned phys = (((nfsw >> 11) & 7) + i) & 7;
        const u8 *a = nat->fx + FX_ST + 16 * i, *b = emu->fx + FX_ST + 16 * i;

        if (lax || !((nat->fx[FX_FTW] >> phys) & 1) || !((emu->fx[FX_FTW] >> phys) & 1))
            continue;
        if (memcmp(a, b, 10) && !((f->opts & DO_ULP) && ext_close(a, b))) {
            n++;
            if (o) {
                fprintf(o, "    st(%u): native ", i);
                print_ext(o, a);
                fprintf(o, " emulator ");
                print_ext(o, b);
                fprintf(o, " (input st(%u) ", i);
                print_ext(o, in->fx + FX_ST + 16 * i);
                fprintf(o, ")\n");
            }
        }
    }
    memcpy(&nmx, nat->fx + FX_MXCSR, 4);
    memcpy(&emx, emu->fx + FX_MXCSR, 4);
    if (nmx != emx) {
        n++;
        if (o)
            fprintf(o, "    mxcsr: native %08x emulator %08x (input %08x)\n", nmx, emx,
                    *(const u32 *)(in->fx + FX_MXCSR));
    }
    for (unsigned i = 0; i < 16; i++) {
        const u8 *a = nat->fx + FX_XMM + 16 * i, *b = emu->fx + FX_XMM + 16 * i;

        if (memcmp(a, b, 16)) {
            n++;
            if (o) {
                fprintf(o, "    xmm%u: native ", i);
                print_bytes(o, a, 16);
                fprintf(o, " emulator ");
                print_bytes(o, b, 16);
                fprintf(o, " (input ");
                print_bytes(o, in->fx + FX_XMM + 16 * i, 16);
                fprintf(o, ")\n");
            }
        }
    }

    /* Memory. */
    for (u32 k = 0; k < DIFF_BUF_SIZE; k++) {
        if (nat->buf[k] == emu->buf[k])
            continue;
        if ((f->opts & DO_FXSAVE) && k >= in->mem_off && k < in->mem_off + 512) {
            u32 rel = k - in->mem_off;

            if ((rel >= FX_FOP && rel < FX_MXCSR) || (rel >= 28 && rel < 32))
                continue; /* FOP/FIP/FDP and MXCSR_MASK are the host's */
            if (rel >= FX_ST && rel < FX_XMM && (rel - FX_ST) % 16 >= 10)
                continue; /* reserved bytes beside ST(i) */
        }
        n++;
        if (o) {
            u32 end = k;

            while (end < DIFF_BUF_SIZE && nat->buf[end] != emu->buf[end] && end < k + 32)
                end++;
            fprintf(o, "    memory @%#" PRIx64 ": native ", (u64)(DIFF_BUF_VA + k));
            print_bytes(o, nat->buf + k, end - k);
            fprintf(o, " emulator ");
            print_bytes(o, emu->buf + k, end - k);
            fprintf(o, " (input ");
            print_bytes(o, in->buf + k, end - k);
            fprintf(o, ")\n");
        }
        break; /* the first difference is enough */
    }
    return n;
}

static void report_case(const struct options *opt, const struct diff_form *f,
                        const struct diff_enc *e, const struct diff_state *in,
                        const struct diff_state *nat, const struct diff_state *emu, u64 case_no)
{
    FILE *o = stdout;

    fprintf(o, "MISMATCH %s | bytes ", f->name);
    print_bytes(o, e->bytes, e->len);
    fprintf(o,
            " | case %" PRIu64 " | repro: diff_run --form '%s' --seed %" PRIu64 " --cases %" PRIu64
            " --per-enc %u\n",
            case_no, f->name, opt->seed, case_no + 1, opt->per_enc);
    fprintf(o, "    input:");
    for (unsigned k = 0; k < 16; k++)
        fprintf(o, "%s %s=%016" PRIx64, k % 4 ? "" : "\n     ", gpr_names[k], in->gpr[k]);
    fprintf(o, "\n     rflags ");
    print_flags(o, in->rflags);
    if (e->has_mem)
        fprintf(o, "  mem @%#" PRIx64 " = ", (u64)(DIFF_BUF_VA + in->mem_off));
    if (e->has_mem)
        print_bytes(o, in->buf + in->mem_off,
                    e->mem_bytes ? (e->mem_bytes > 32 ? 32 : e->mem_bytes) : 8);
    fprintf(o, "  mxcsr %08x\n", *(const u32 *)(in->fx + FX_MXCSR));
    for (unsigned k = 0; k < f->n_ops; k++)
        if (f->kind[k] == DK_XMM && e->reg[k] >= 0) {
            fprintf(o, "     xmm%d = ", e->reg[k]);
            print_bytes(o, in->fx + FX_XMM + 16 * e->reg[k], 16);
            fprintf(o, " (bytes in memory order)\n");
        }
    if (f->opts & DO_X87) {
        fprintf(o, "     fcw %04x fsw %04x ftw %02x", *(const u16 *)(in->fx + FX_FCW),
                *(const u16 *)(in->fx + FX_FSW), in->fx[FX_FTW]);
        for (unsigned i = 0; i < 8; i++) {
            fprintf(o, "%s st%u=", i % 3 ? "" : "\n     ", i);
            print_ext(o, in->fx + FX_ST + 16 * i);
        }
        fprintf(o, "\n");
    }
    compare(f, e, in, nat, emu, o);
}

static bool selected(const struct options *opt, const char *name)
{
    if (!opt->n_select)
        return true;
    for (unsigned k = 0; k < opt->n_select; k++)
        if (!strcmp(opt->select[k], name))
            return true;
    return false;
}

static void usage(FILE *o)
{
    fprintf(o, "usage: diff_run [--forms FILE] [--cases N] [--form NAME]... [--seed S]\n"
               "                [--per-enc K] [--cpu MODEL] [--max-report N] [--native-only]\n"
               "                [--list] [--verbose]\n"
               "  --cases N      random cases per form (default 2000)\n"
               "  --form NAME    only this form (repeatable), e.g. --form 'add r64, m64'\n"
               "  --seed S       seed (default 1); a form's cases depend only on S and its name\n"
               "  --per-enc K    cases per concrete encoding (default 8)\n"
               "  --cpu MODEL    emulator CPUID model (default terrace)\n"
               "  --max-report N mismatching cases printed per form (default 3)\n"
               "  --native-only  run the host side only (checks the harness itself)\n"
               "  --list         print the forms of the table and exit\n");
}

static bool parse_options(int argc, char **argv, struct options *opt)
{
    static const struct option longs[] = {
        {"forms", required_argument, NULL, 'f'},
        {"cases", required_argument, NULL, 'n'},
        {"form", required_argument, NULL, 'F'},
        {"seed", required_argument, NULL, 's'},
        {"per-enc", required_argument, NULL, 'k'},
        {"cpu", required_argument, NULL, 'c'},
        {"max-report", required_argument, NULL, 'm'},
        {"native-only", no_argument, NULL, 'N'},
        {"list", no_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    opt->forms_path = DIFF_FORMS_PATH;
    opt->cpu_model = "terrace";
    opt->cases = 2000;
    opt->seed = 1;
    opt->per_enc = 8;
    opt->max_report = 3;
    while ((c = getopt_long(argc, argv, "f:n:F:s:k:c:m:Nlvh", longs, NULL)) != -1) {
        switch (c) {
        case 'f':
            opt->forms_path = optarg;
            break;
        case 'n':
            opt->cases = strtoull(optarg, NULL, 0);
            break;
        case 'F':
            if (opt->n_select == MAX_SELECT)
                return false;
            opt->select[opt->n_select++] = optarg;
            break;
        case 's':
            opt->seed = strtoull(optarg, NULL, 0);
            break;
        case 'k':
            opt->per_enc = (unsigned)strtoul(optarg, NULL, 0);
            if (!opt->per_enc)
                opt->per_enc = 1;
            break;
        case 'c':
            opt->cpu_model = optarg;
            break;
        case 'm':
            opt->max_report = (unsigned)strtoul(optarg, NULL, 0);
            break;
        case 'N':
            opt->native_only = true;
            break;
        case 'l':
            opt->list = true;
            break;
        case 'v':
            opt->verbose = true;
            break;
        default:
            usage(c == 'h' ? stdout : stderr);
            return false;
        }
    }
    return optind == argc;
}

int main(int argc, char **argv)
{
    struct options opt = {0};
    struct diff_form *forms = NULL;
    struct diff_native *nat = NULL;
    struct diff_emu *emu = NULL;
    struct diff_state *in, *out_n, *out_e;
    char why[256];
    int n_forms;
    unsigned n_pass = 0, n_fail = 0, n_run = 0;

    if (!parse_options(argc, argv, &opt))
        return 2;
    n_forms = diff_forms_load(opt.forms_path, &forms, why, sizeof(why));
    if (n_forms < 0) {
        fprintf(stderr, "diff_run: %s\n", why);
        return 2;
    }
    if (opt.list) {
        for (int k = 0; k < n_forms; k++)
            printf("%s\n", forms[k].name);
        free(forms);
        return 0;
    }
    for (unsigned k = 0; k < opt.n_select; k++) {
        int j;

        for (j = 0; j < n_forms && strcmp(forms[j].name, opt.select[k]); j++)
            ;
        if (j == n_forms) {
            fprintf(stderr, "diff_run: no form '%s' in %s\n", opt.select[k], opt.forms_path);
            free(forms);
            return 2;
        }
    }
    in = aligned_alloc(64, 3 * ((sizeof(*in) + 63) & ~(size_t)63));
    nat = diff_native_create(why, sizeof(why));
    if (nat && !opt.native_only)
        emu = diff_emu_create(opt.cpu_model, why, sizeof(why));
    if (!in || !nat || (!emu && !opt.native_only)) {
        fprintf(stderr, "diff_run: %s\n", why);
        diff_native_destroy(nat);
        free(in);
        free(forms);
        return 2;
    }
    out_n = (struct diff_state *)((u8 *)in + ((sizeof(*in) + 63) & ~(size_t)63));
    out_e = (struct diff_state *)((u8 *)out_n + ((sizeof(*in) + 63) & ~(size_t)63));

    printf("%-28s | %9s | %9s | %s\n", "form", "encodings", "cases", "result");
    for (int fi = 0; fi < n_forms; fi++) {
        const struct diff_form *f = &forms[fi];
        struct diff_rng rng = {form_seed(f->name, opt.seed)};
        struct form_result res = {0};
        struct diff_enc enc;
        unsigned reported = 0;

        if (!selected(&opt, f->name))
            continue;
        n_run++;
        for (u64 k = 0; k < opt.cases; k++) {
            if (k % opt.per_enc == 0) {
                if (!diff_enc_make(f, &rng, &enc)) {
                    res.bad_template = true;
                    break;
                }
                if (opt.verbose) {
                    printf("  encoding ");
                    print_bytes(stdout, enc.bytes, enc.len);
                    printf("\n");
                    fflush(stdout);
                }
                diff_native_load(nat, &enc);
                if (emu)
                    diff_emu_load(emu, &enc);
                res.encodings++;
            }
            diff_case_make(f, &enc, &rng, in, k % opt.per_enc == 0);
            diff_native_run(nat, in, out_n);
            res.cases++;
            if (!emu)
                continue;
            diff_emu_run(emu, in, out_e);
            if (compare(f, &enc, in, out_n, out_e, NULL)) {
                res.mismatches++;
                if (reported++ < opt.max_report)
                    report_case(&opt, f, &enc, in, out_n, out_e, k);
            } else if (out_n->vector >= 0) {
                res.faults++;
            } else if (x87_unmasked(f, in, out_n)) {
                res.lax++;
            }
        }
        if (res.bad_template) {
            printf("%-28s | %9" PRIu64 " | %9" PRIu64 " | BAD TEMPLATE\n", f->name, res.encodings,
                   res.cases);
            n_fail++;
        } else if (res.mismatches) {
            printf("%-28s | %9" PRIu64 " | %9" PRIu64 " | MISMATCH %" PRIu64 "/%" PRIu64 "\n",
                   f->name, res.encodings, res.cases, res.mismatches, res.cases);
            n_fail++;
        } else {
            printf("%-28s | %9" PRIu64 " | %9" PRIu64 " | %s", f->name, res.encodings, res.cases,
                   emu ? "ok" : "native ok");
            if (res.faults)
                printf(" (%" PRIu64 " faulting)", res.faults);
            if (res.lax)
                printf(" (%" PRIu64 " unmasked x87)", res.lax);
            printf("\n");
            n_pass++;
        }
        fflush(stdout);
    }
    printf("diff: %u passed, %u failed\n", n_pass, n_fail);
    diff_emu_destroy(emu);
    diff_native_destroy(nat);
    free(in);
    free(forms);
    return n_fail ? 1 : 0;
}
