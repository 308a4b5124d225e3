/* SPDX-License-Identifier: MIT */
/*
 * Forms of the differential harness: the table parser (tests/diff/forms.tab), concrete
 * encodings built from SDM-style templates with random registers and addressing modes (SDM
 * vol. 2 ch. 2: legacy prefixes, REX, ModRM, SIB, displacement, immediates), random initial
 * states biased toward edge values, and the flags each form defines (vol. 1 appendix A).
 */
#include "tests/diff/diff.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NO_REG 0xff

/* ------------------------------------------------------------------------------------------ */
/* Table parsing                                                                              */

static bool kind_parse(const char *w, u8 *kind, u16 *mem_bytes)
{
    static const struct {
        const char *name;
        u8 kind;
        u16 bytes;
    } kinds[] = {
        {"r8", DK_R8, 0},     {"r16", DK_R16, 0},   {"r32", DK_R32, 0}, {"r64", DK_R64, 0},
        {"xmm", DK_XMM, 0},   {"st", DK_ST, 0},     {"m", DK_MEM, 0},   {"m8", DK_MEM, 1},
        {"m16", DK_MEM, 2},   {"m32", DK_MEM, 4},   {"m64", DK_MEM, 8}, {"m80", DK_MEM, 10},
        {"m128", DK_MEM, 16}, {"imm", DK_IMM, 0},   {"rel", DK_REL, 0}, {"cl", DK_CL, 0},
        {"dx", DK_DX, 0},     {"sreg", DK_SREG, 0},
    };

    for (size_t k = 0; k < ARRAY_LEN(kinds); k++)
        if (!strcmp(w, kinds[k].name)) {
            *kind = kinds[k].kind;
            *mem_bytes = kinds[k].bytes;
            return true;
        }
    return false;
}

/* Operand kinds from the name: the words after the mnemonic, comma separated. */
static bool form_parse_name(struct diff_form *f)
{
    char tmp[48];
    char *save = NULL;
    bool in_ops = false;

    snprintf(tmp, sizeof(tmp), "%s", f->name);
    f->n_ops = 0;
    for (char *w = strtok_r(tmp, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        size_t len = strlen(w);
        u8 kind;
        u16 bytes;

        if (len && w[len - 1] == ',')
            w[len - 1] = 0;
        if (kind_parse(w, &kind, &bytes)) {
            if (f->n_ops == DIFF_MAX_OPS)
                return false;
            f->kind[f->n_ops] = kind;
            f->mem_bytes[f->n_ops] = bytes;
            f->n_ops++;
            in_ops = true;
        } else if (in_ops) {
            return false;
        }
    }
    return true;
}

static char *trim(char *s)
{
    char *e;

    while (isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = 0;
    return s;
}

static const struct {
    const char *name;
    u8 mode;
} flag_modes[] = {
    {"ALL", DF_ALL}, {"LOGIC", DF_LOGIC}, {"MUL", DF_MUL}, {"DIV", DF_DIV}, {"BS", DF_BS},
    {"BT", DF_BT},   {"SHIFT", DF_SHIFT}, {"ROT", DF_ROT}, {"SHD", DF_SHD}, {"NONE", DF_NONE},
};

static const struct {
    const char *name;
    u32 bit;
} opt_names[] = {
    {"stack", DO_STACK},     {"branch", DO_BRANCH},   {"ret", DO_RET},
    {"div", DO_DIV},         {"string", DO_STRING},   {"cmps", DO_CMPS},
    {"bitoff", DO_BITOFF},   {"cmpxchg", DO_CMPXCHG}, {"noaddr", DO_NOADDR},
    {"x87", DO_X87},         {"fcc", DO_FCC},         {"popf", DO_POPF},
    {"fxrstor", DO_FXRSTOR}, {"fxsave", DO_FXSAVE},   {"nonzero", DO_NONZERO},
    {"leave", DO_LEAVE},     {"loop", DO_LOOP},       {"align", DO_ALIGN},
    {"sreg", DO_SREG},       {"ulp", DO_ULP},         {"cx16", DO_CX16},
};

/* One line: "name ; FLAGS ; tmpl | tmpl ; opts". Lines with FLAGS = METAL are not loaded. */
static int form_parse_line(char *line, struct diff_form *f, char *why, size_t why_len)
{
    char *col[4] = {0};
    unsigned n = 0;
    char *save = NULL;

    for (char *p = line; n < 4;) {
        char *semi = strchr(p, ';');

        col[n++] = p;
        if (!semi)
            break;
        *semi = 0;
        p = semi + 1;
    }
    if (n < 3) {
        snprintf(why, why_len, "expected 'name ; flags ; templates [; options]'");
        return -1;
    }
    for (unsigned k = 0; k < n; k++)
        col[k] = trim(col[k]);
    if (!strcmp(col[1], "METAL"))
        return 0;
    memset(f, 0, sizeof(*f));
    snprintf(f->name, sizeof(f->name), "%s", col[0]);
    if (!form_parse_name(f)) {
        snprintf(why, why_len, "bad operands in '%s'", col[0]);
        return -1;
    }
    f->flags_mode = 0xff;
    for (size_t k = 0; k < ARRAY_LEN(flag_modes); k++)
        if (!strcmp(col[1], flag_modes[k].name))
            f->flags_mode = flag_modes[k].mode;
    if (f->flags_mode == 0xff) {
        snprintf(why, why_len, "unknown flags mode '%s'", col[1]);
        return -1;
    }
    for (char *t = strtok_r(col[2], "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        if (f->n_tmpl == DIFF_MAX_TMPL) {
            snprintf(why, why_len, "too many templates");
            return -1;
        }
        snprintf(f->tmpl[f->n_tmpl++], sizeof(f->tmpl[0]), "%s", trim(t));
    }
    if (n == 4)
        for (char *o = strtok_r(col[3], " ", &save); o; o = strtok_r(NULL, " ", &save)) {
            size_t k;

            for (k = 0; k < ARRAY_LEN(opt_names); k++)
                if (!strcmp(o, opt_names[k].name)) {
                    f->opts |= opt_names[k].bit;
                    break;
                }
            if (k == ARRAY_LEN(opt_names)) {
                snprintf(why, why_len, "unknown option '%s'", o);
                return -1;
            }
        }
    return 1;
}

int diff_forms_load(const char *path, struct diff_form **out, char *why, size_t why_len)
{
    FILE *fp = fopen(path, "r");
    struct diff_form *forms = NULL;
    int n = 0, cap = 0, lineno = 0;
    char line[512];

    if (!fp) {
        snprintf(why, why_len, "cannot open %s", path);
        return -1;
    }
    while (fgets(line, sizeof(line), fp)) {
        char *s = trim(line);
        char msg[128];
        int rc;

        lineno++;
        if (!*s || *s == '#')
            continue;
        if (n == cap) {
            struct diff_form *grown;

            cap = cap ? 2 * cap : 256;
            grown = realloc(forms, (size_t)cap * sizeof(*forms));
            if (!grown) {
                snprintf(why, why_len, "out of memory");
                n = -1;
                break;
            }
            forms = grown;
        }
        rc = form_parse_line(s, &forms[n], msg, sizeof(msg));
        if (rc < 0) {
            snprintf(why, why_len, "%s:%d: %s", path, lineno, msg);
            n = -1;
            break;
        }
        n += rc;
    }
    fclose(fp);
    if (n < 0) {
        free(forms);
        return -1;
    }
    *out = forms;
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Biased values                                                                              */

static u64 biased_u64(struct diff_rng *r)
{
    static const u64 edges[] = {
        0,
        1,
        2,
        3,
        0x7f,
        0x80,
        0xff,
        0x100,
        0x7fff,
        0x8000,
        0xffff,
        0x10000,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000ull,
        0x7fffffffffffffffull,
        0x8000000000000000ull,
        0xffffffffffffffffull,
        0xfffffffffffffffeull,
        0x8000000000000001ull,
        0x5555555555555555ull,
        0xaaaaaaaaaaaaaaaaull,
    };
    u64 v;

    switch (diff_below(r, 8)) {
    case 0:
    case 1:
        return diff_rand(r);
    case 2:
        v = 1ull << diff_below(r, 64);
        return diff_below(r, 2) ? v : v - 1;
    case 3:
        v = 1ull << diff_below(r, 64);
        return diff_below(r, 2) ? -v : ~v;
    case 4:
        return diff_below(r, 33); /* small: shift counts, loop counts */
    default:
        v = edges[diff_below(r, ARRAY_LEN(edges))];
        if (diff_below(r, 3) == 0) { /* random bits above a narrow edge */
            unsigned w = 8u << diff_below(r, 3);

            v = (v & ((1ull << w) - 1)) | (diff_rand(r) << w);
        }
        return v;
    }
}

static double biased_double(struct diff_rng *r)
{
    static const double specials[] = {
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        3.0,
        1e300,
        -1e300,
        1e-300,
        1e-310,
        -1e-310,
        2147483647.0,
        2147483648.0,
        -2147483648.0,
        -2147483649.0,
        9223372036854775807.0,
        9223372036854775808.0,
        -9223372036854775808.0,
        4294967295.0,
        4294967296.0,
        1.0 / 3.0,
        0.1,
        65535.5,
        1e10,
        -7.0,
    };
    u64 bits;
    double d;

    switch (diff_below(r, 6)) {
    case 0:
        bits = diff_rand(r);
        break;
    case 1: { /* inf, NaN, quiet or signalling, denormal */
        static const u64 odd[] = {0x7ff0000000000000ull, 0xfff0000000000000ull,
                                  0x7ff8000000000000ull, 0xfff8000000000001ull,
                                  0x7ff0000000000001ull, 0x7ff4000000000000ull,
                                  0x0000000000000001ull, 0x800fffffffffffffull,
                                  0x0010000000000000ull, 0x7fefffffffffffffull};
        bits = odd[diff_below(r, ARRAY_LEN(odd))];
        break;
    }
    case 2:
    case 3:
        d = specials[diff_below(r, ARRAY_LEN(specials))];
        memcpy(&bits, &d, 8);
        break;
    default: /* a normal number of moderate size */
        bits =
            (diff_rand(r) & 0x800fffffffffffffull) | ((u64)(1023 - 40 + diff_below(r, 80)) << 52);
        break;
    }
    memcpy(&d, &bits, 8);
    return d;
}

static u32 biased_float_bits(struct diff_rng *r)
{
    static const u32 odd[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000,
                              0xff800000, 0x7fc00000, 0x7f800001, 0xffc00001, 0x00000001,
                              0x807fffff, 0x00800000, 0x7f7fffff, 0x4f000000, 0xcf000000,
                              0x5f000000, 0x3f000000, 0x40200000, 0x4effffff};

    switch (diff_below(r, 4)) {
    case 0:
        return (u32)diff_rand(r);
    case 1:
        return odd[diff_below(r, ARRAY_LEN(odd))];
    default:
        return ((u32)diff_rand(r) & 0x807fffffu) | ((127 - 20 + diff_below(r, 40)) << 23);
    }
}

/* An 80-bit extended value (SDM vol. 1 4.2.2, 8.2.2): normal, special or unsupported. */
static void biased_ext(struct diff_rng *r, u8 out[10])
{
    u64 mant;
    u16 se;

    switch (diff_below(r, 8)) {
    case 0: { /* exactly a double */
        long double x = (long double)biased_double(r);

        memcpy(out, &x, 10);
        return;
    }
    case 1: { /* specials: zero, inf, NaNs, denormals, pseudo-denormal, unnormal */
        static const struct {
            u64 m;
            u16 se;
        } odd[] = {
            {0, 0},
            {0, 0x8000},
            {0x8000000000000000ull, 0x7fff},
            {0x8000000000000000ull, 0xffff},
            {0xc000000000000000ull, 0x7fff},
            {0xc000000000000001ull, 0xffff},
            {0x8000000000000001ull, 0x7fff}, /* SNaN */
            {0x0000000000000001ull, 0x0000}, /* denormal */
            {0x8000000000000000ull, 0x0000}, /* pseudo-denormal */
            {0x4000000000000000ull, 0x3fff}, /* unnormal: unsupported */
            {0xffffffffffffffffull, 0x7ffe}, /* max */
            {0x8000000000000000ull, 0x0001}, /* min normal */
            {0x0000000000000000ull, 0x7fff}, /* pseudo-infinity: unsupported */
        };
        unsigned k = diff_below(r, ARRAY_LEN(odd));

        mant = odd[k].m;
        se = odd[k].se;
        break;
    }
    case 2: /* integers and halves, for FRNDINT / FIST */
        mant = 0x8000000000000000ull | (diff_rand(r) >> 1 & ~((1ull << 50) - 1));
        se = (u16)(0x3fff + diff_below(r, 66)) | (diff_below(r, 2) ? 0x8000 : 0);
        break;
    default:
        mant = diff_rand(r) | 0x8000000000000000ull;
        se = (u16)(0x3fff - 70 + diff_below(r, 140)) | (diff_below(r, 2) ? 0x8000 : 0);
        break;
    }
    memcpy(out, &mant, 8);
    memcpy(out + 8, &se, 2);
}

static void fill_words(struct diff_rng *r, u8 *p, size_t n)
{
    for (size_t k = 0; k + 8 <= n; k += 8) {
        u64 v;

        switch (diff_below(r, 6)) {
        case 0:
            v = biased_u64(r);
            break;
        case 1: {
            double d = biased_double(r);

            memcpy(&v, &d, 8);
            break;
        }
        case 2:
            v = biased_float_bits(r) | (u64)biased_float_bits(r) << 32;
            break;
        case 3:
            v = diff_below(r, 256) * 0x0101010101010101ull;
            break;
        default:
            v = diff_rand(r);
            break;
        }
        memcpy(p + k, &v, 8);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Encodings                                                                                  */

static bool is_gpr_kind(u8 k)
{
    return k == DK_R8 || k == DK_R16 || k == DK_R32 || k == DK_R64;
}

static unsigned kind_bytes(u8 kind, u16 mem_bytes)
{
    switch (kind) {
    case DK_R8:
        return 1;
    case DK_R16:
    case DK_SREG:
        return 2;
    case DK_R32:
        return 4;
    case DK_R64:
        return 8;
    case DK_XMM:
        return 16;
    case DK_MEM:
        return mem_bytes;
    default:
        return 0;
    }
}

static bool is_legacy_prefix(u8 b)
{
    return b == 0x66 || b == 0x67 || b == 0xf2 || b == 0xf3 || b == 0xf0 || b == 0x2e ||
           b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
}

/* Registers the case generator writes for this form: never a base or index register. */
static u32 reserved_regs(const struct diff_form *f)
{
    u32 m = 1u << 4; /* RSP only as a base, handled apart */

    for (unsigned k = 0; k < f->n_ops; k++)
        if (f->kind[k] == DK_CL)
            m |= 1u << 1;
    if (f->opts & DO_DIV)
        m |= (1u << 0) | (1u << 2);
    if (f->opts & DO_CMPXCHG)
        m |= 1u << 0;
    if (f->opts & DO_CX16)
        m |= 0xfu;
    return m;
}

static i32 biased_disp32(struct diff_rng *r)
{
    switch (diff_below(r, 4)) {
    case 0:
        return (i32)diff_rand(r);
    case 1:
        return (i32)diff_below(r, 256) - 128;
    case 2:
        return diff_below(r, 2) ? INT32_MAX : INT32_MIN;
    default:
        return (i32)diff_below(r, 0x20000) - 0x10000;
    }
}

static u64 biased_imm(struct diff_rng *r, unsigned bytes, unsigned op_bits)
{
    u64 v;

    switch (diff_below(r, 3)) {
    case 0:
        v = diff_below(r, op_bits + 2); /* counts, small constants */
        break;
    case 1:
        v = biased_u64(r);
        break;
    default:
        v = diff_rand(r);
        break;
    }
    return bytes == 8 ? v : v & ((1ull << (8 * bytes)) - 1);
}

/* Pick a buffer offset for a memory operand of @bytes. */
static u32 pick_mem_off(const struct diff_form *f, struct diff_rng *r, unsigned bytes)
{
    unsigned span = bytes < 8 ? 8 : bytes;
    unsigned align = bytes >= 2 && bytes <= 16 && !(bytes & (bytes - 1)) ? bytes : 1;
    u32 off;

    if (bytes == 0)
        span = 16;
    if ((f->opts & (DO_FXRSTOR | DO_FXSAVE)) || bytes > 16)
        align = 16, span = 512;
    if (f->opts & DO_BITOFF)
        return 0x1800 + (diff_below(r, 0x100) & ~7u);
    if (diff_below(r, 6) == 0) {
        /* Straddle a page boundary inside the buffer. */
        off = 0x1000 * (1 + diff_below(r, 3)) - 1 - diff_below(r, span);
    } else {
        off = 0x40 + diff_below(r, DIFF_BUF_SIZE - 0x80 - span);
    }
    if (((f->opts & DO_ALIGN) && diff_below(r, 16) != 0) ||
        (!(f->opts & DO_ALIGN) && align > 1 && diff_below(r, 2) == 0) || span == 512)
        off &= ~(align - 1);
    if (off + span > DIFF_BUF_SIZE - 0x40)
        off = DIFF_BUF_SIZE - 0x40 - span;
    return off;
}

struct enc_ctx {
    const struct diff_form *f;
    struct diff_rng *r;
    struct diff_enc *e;
    u8 pre[8], n_pre;
    u8 op[4], n_op;
    int plus_r; /* index into op[] of a +r opcode byte, -1 */
    int plus_i;
    int modrm; /* -1: none; 0..7: digit; 8: /r (op0 reg, op1 rm); 9: /m (op0 rm, op1 reg) */
    u8 imm_sz[2], n_imm;
    int imm_fixed[2]; /* -1: random; else the byte given (=XX) */
    u8 rel_sz;
    bool moffs;
    bool rex_w;
};

static bool tmpl_parse(struct enc_ctx *x, const char *t)
{
    char buf[48];
    char *save = NULL;
    bool in_opcode = false;

    snprintf(buf, sizeof(buf), "%s", t);
    x->plus_r = x->plus_i = -1;
    x->modrm = -1;
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (isxdigit((unsigned char)w[0]) && isxdigit((unsigned char)w[1]) && !w[2]) {
            u8 b = (u8)strtoul(w, NULL, 16);

            if (!in_opcode && is_legacy_prefix(b) && x->n_pre < sizeof(x->pre)) {
                x->pre[x->n_pre++] = b;
            } else {
                if (x->n_op == sizeof(x->op))
                    return false;
                x->op[x->n_op++] = b;
                in_opcode = true;
            }
        } else if (!strcmp(w, "W")) {
            x->rex_w = true;
        } else if (!strcmp(w, "/r")) {
            x->modrm = 8;
        } else if (!strcmp(w, "/m")) {
            x->modrm = 9;
        } else if (w[0] == '/' && w[1] >= '0' && w[1] <= '7' && !w[2]) {
            x->modrm = w[1] - '0';
        } else if (!strcmp(w, "+r") && x->n_op) {
            x->plus_r = x->n_op - 1;
        } else if (!strcmp(w, "+i") && x->n_op) {
            x->plus_i = x->n_op - 1;
        } else if (!strcmp(w, "ib") || !strcmp(w, "iw") || !strcmp(w, "id") || !strcmp(w, "io")) {
            if (x->n_imm == 2)
                return false;
            x->imm_fixed[x->n_imm] = -1;
            x->imm_sz[x->n_imm++] = w[1] == 'b' ? 1 : w[1] == 'w' ? 2 : w[1] == 'd' ? 4 : 8;
        } else if (w[0] == '=' && isxdigit((unsigned char)w[1]) && isxdigit((unsigned char)w[2]) &&
                   !w[3]) {
            if (x->n_imm == 2)
                return false;
            x->imm_fixed[x->n_imm] = (int)strtoul(w + 1, NULL, 16);
            x->imm_sz[x->n_imm++] = 1;
        } else if (!strcmp(w, "rel8") || !strcmp(w, "rel32")) {
            x->rel_sz = w[3] == '8' ? 1 : 4;
        } else if (!strcmp(w, "mo")) {
            x->moffs = true;
        } else {
            return false;
        }
    }
    return x->n_op > 0;
}

/* A register number for an operand of @kind (0-15; 16-19 = AH..BH, decided later). */
static u8 pick_reg(struct enc_ctx *x, unsigned opi)
{
    u8 kind = x->f->kind[opi];

    if (kind == DK_SREG) {
        /* Destination: ES, SS or DS (FS/GS would move the host's TLS base). */
        static const u8 dst[] = {0, 2, 3, 3};

        return opi == 0 ? dst[diff_below(x->r, ARRAY_LEN(dst))] : (u8)diff_below(x->r, 6);
    }
    return (u8)diff_below(x->r, 16);
}

static u8 *put32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
    return p + 4;
}

bool diff_enc_make(const struct diff_form *f, struct diff_rng *r, struct diff_enc *e)
{
    struct enc_ctx x = {.f = f, .r = r, .e = e};
    int reg_op = -1, rm_op = -1;
    u8 regnum[DIFF_MAX_OPS];
    u8 rex = 0, modrm = 0, sib = 0;
    bool need_sib = false, hi_byte = false, force_rex = false;
    int mod = 3, disp_sz = 0;
    u8 *p;
    u8 *disp_at = NULL;
    const u32 reserved = reserved_regs(f);

    memset(e, 0, sizeof(*e));
    e->tmpl_index = (u8)diff_below(r, f->n_tmpl);
    if (!tmpl_parse(&x, f->tmpl[e->tmpl_index]))
        return false;
    for (unsigned k = 0; k < DIFF_MAX_OPS; k++)
        e->reg[k] = -1;
    e->base = e->index = NO_REG;

    /* Which operand sits in which field. */
    if (x.modrm == 8) {
        reg_op = 0;
        rm_op = 1;
    } else if (x.modrm == 9) {
        rm_op = 0;
        reg_op = 1;
    } else if (x.modrm >= 0) {
        for (unsigned k = 0; k < f->n_ops; k++)
            if (is_gpr_kind(f->kind[k]) || f->kind[k] == DK_XMM || f->kind[k] == DK_MEM) {
                rm_op = (int)k;
                break;
            }
    }
    if (reg_op >= f->n_ops || rm_op >= f->n_ops)
        return false;

    for (unsigned k = 0; k < f->n_ops; k++) {
        regnum[k] = NO_REG;
        if (f->kind[k] == DK_MEM)
            continue;
        if ((int)k == reg_op || ((int)k == rm_op) || ((int)k == 0 && x.plus_r >= 0))
            regnum[k] = pick_reg(&x, k);
        else if (is_gpr_kind(f->kind[k]) || f->kind[k] == DK_XMM)
            regnum[k] = 0; /* implicit accumulator / XMM0 */
        else if (f->kind[k] == DK_CL)
            regnum[k] = 1;
        else if (f->kind[k] == DK_DX)
            regnum[k] = 2;
    }
    /* Byte registers 4-7: AH..BH without REX, SPL..DIL with one. */
    for (unsigned k = 0; k < f->n_ops; k++)
        if (f->kind[k] == DK_R8 && regnum[k] >= 4 && regnum[k] < 8 &&
            ((int)k == reg_op || (int)k == rm_op || (x.plus_r >= 0 && k == 0))) {
            if (diff_below(r, 2))
                hi_byte = true, regnum[k] |= 0x80; /* mark: AH..BH */
            else
                force_rex = true;
        }

    /* Memory operand. */
    if (rm_op >= 0 && f->kind[rm_op] == DK_MEM) {
        unsigned modes = 7;
        unsigned m = diff_below(r, modes);

        e->has_mem = true;
        e->mem_bytes = f->mem_bytes[rm_op];
        e->mem_off = pick_mem_off(f, r, e->mem_bytes ? e->mem_bytes : 16);
        e->scale = (u8)diff_below(r, 4);
        for (;;) {
            e->base = (u8)diff_below(r, 16);
            if (!((reserved >> e->base) & 1) ||
                (e->base == 4 && e->mem_bytes <= 16 &&
                 !(f->opts & (DO_NOADDR | DO_BITOFF | DO_ALIGN | DO_FXSAVE | DO_FXRSTOR))))
                break;
        }
        for (;;) {
            e->index = (u8)diff_below(r, 16);
            if (e->index != 4 && e->index != e->base && !((reserved >> e->index) & 1))
                break;
        }
        if (f->opts & DO_BITOFF) /* the bit-offset register never addresses */
            for (unsigned k = 0; k < f->n_ops; k++)
                while (regnum[k] != NO_REG && ((regnum[k] & 15) == e->base ||
                                               (regnum[k] & 15) == e->index || regnum[k] == 4))
                    regnum[k] = (u8)diff_below(r, 16);
        switch (m) {
        case 0: /* [base] */
            e->index = NO_REG;
            mod = (e->base & 7) == 5 ? 1 : 0;
            disp_sz = mod ? 1 : 0;
            break;
        case 1: /* [base + disp8] */
            e->index = NO_REG;
            mod = 1, disp_sz = 1;
            break;
        case 2: /* [base + disp32] */
            e->index = NO_REG;
            mod = 2, disp_sz = 4;
            break;
        case 3: /* [base + index * s + disp8] */
            mod = 1, disp_sz = 1;
            break;
        case 4: /* [base + index * s + disp32] or [base + index * s] */
            if (diff_below(r, 2) || (e->base & 7) == 5)
                mod = 2, disp_sz = 4;
            else
                mod = 0, disp_sz = 0;
            break;
        case 5: /* [rip + disp32] */
            e->base = e->index = NO_REG;
            e->rip_rel = true;
            mod = 0, disp_sz = 4;
            break;
        default: /* [index * s + disp32] or [disp32] */
            e->base = NO_REG;
            if (diff_below(r, 3) == 0)
                e->index = NO_REG;
            mod = 0, disp_sz = 4;
            break;
        }
        if (e->base == 4 && disp_sz == 4)
            e->disp = (i32)diff_below(r, 0x400) - 0x200;
        else if (disp_sz == 1)
            e->disp = (i8)diff_below(r, 256);
        else if (disp_sz == 4)
            e->disp = e->base != NO_REG ? biased_disp32(r) : (i32)(diff_below(r, 0x100) * 16);
        if (e->base == NO_REG && e->index == NO_REG && !e->rip_rel)
            e->disp = (i32)(DIFF_BUF_VA + e->mem_off);
        need_sib = e->index != NO_REG || (e->base != NO_REG && (e->base & 7) == 4) ||
                   (e->base == NO_REG && !e->rip_rel);
        if (e->base != NO_REG && e->base >= 8)
            rex |= 1;
        if (e->index != NO_REG && e->index >= 8)
            rex |= 2;
    }

    /* REX. */
    if (x.rex_w)
        rex |= 8;
    if (reg_op >= 0 && regnum[reg_op] != NO_REG && (regnum[reg_op] & 0x8f) >= 8 &&
        !(regnum[reg_op] & 0x80))
        rex |= 4;
    if (rm_op >= 0 && regnum[rm_op] != NO_REG && !(regnum[rm_op] & 0x80) && regnum[rm_op] >= 8)
        rex |= 1;
    if (x.plus_r >= 0 && !(regnum[0] & 0x80) && regnum[0] >= 8)
        rex |= 1;
    if (f->kind[0] == DK_SREG || (f->n_ops > 1 && f->kind[1] == DK_SREG)) {
        /* Segment registers have no REX extension. */
        if (reg_op >= 0 && f->kind[reg_op] == DK_SREG)
            rex &= (u8)~4;
    }
    if ((rex || force_rex) && hi_byte) {
        /* AH..BH cannot be encoded with REX: they become SPL..DIL. */
        for (unsigned k = 0; k < f->n_ops; k++)
            regnum[k] = regnum[k] == NO_REG ? NO_REG : (u8)(regnum[k] & 0x7f);
        hi_byte = false;
        force_rex = true;
    }
    if (!rex && !hi_byte && !force_rex && diff_below(r, 8) == 0)
        force_rex = true; /* an empty REX now and then */

    /* Bytes. */
    p = e->bytes;
    if (e->has_mem && diff_below(r, 8) == 0) {
        static const u8 segs[] = {0x2e, 0x36, 0x3e, 0x26};

        *p++ = segs[diff_below(r, 4)];
    }
    memcpy(p, x.pre, x.n_pre);
    p += x.n_pre;
    for (unsigned k = 0; k < x.n_pre; k++)
        if (x.pre[k] == 0x67)
            e->addr32 = true;
    if (rex || force_rex)
        *p++ = (u8)(0x40 | rex);
    for (unsigned k = 0; k < x.n_op; k++) {
        u8 b = x.op[k];

        if ((int)k == x.plus_r)
            b = (u8)(b + (regnum[0] & 7));
        if ((int)k == x.plus_i)
            b = (u8)(b + diff_below(r, 8));
        *p++ = b;
    }
    if (x.modrm >= 0) {
        unsigned regf = x.modrm < 8 ? (unsigned)x.modrm : (regnum[reg_op] & 7);

        if (x.modrm >= 8 && f->kind[reg_op] == DK_MEM)
            return false;
        if (e->has_mem) {
            unsigned rmf = need_sib ? 4 : e->rip_rel ? 5 : (e->base & 7);

            modrm = (u8)((mod << 6) | (regf << 3) | rmf);
            *p++ = modrm;
            if (need_sib) {
                unsigned idx = e->index == NO_REG ? 4 : (e->index & 7);
                unsigned bas = e->base == NO_REG ? 5 : (e->base & 7);

                sib = (u8)((e->scale << 6) | (idx << 3) | bas);
                *p++ = sib;
            }
            disp_at = p;
            if (disp_sz == 1)
                *p++ = (u8)e->disp;
            else if (disp_sz == 4)
                p = put32(p, (u32)e->disp);
        } else {
            *p++ = (u8)(0xc0 | (regf << 3) | (regnum[rm_op] & 7));
        }
    }
    if (x.moffs) {
        u64 a;

        e->has_mem = true;
        for (unsigned k = 0; k < f->n_ops; k++)
            if (f->kind[k] == DK_MEM)
                e->mem_bytes = f->mem_bytes[k];
        e->mem_off = pick_mem_off(f, r, 8);
        a = DIFF_BUF_VA + e->mem_off;
        memcpy(p, &a, 8);
        p += 8;
    }
    for (unsigned k = 0; k < x.n_imm; k++) {
        unsigned bits = 8 * kind_bytes(f->kind[0], f->mem_bytes[0]);
        u64 v = x.imm_fixed[k] >= 0 ? (u64)x.imm_fixed[k]
                                    : biased_imm(r, x.imm_sz[k], bits ? bits : 32);

        memcpy(p, &v, x.imm_sz[k]);
        p += x.imm_sz[k];
        e->imm = v;
        e->has_imm = true;
    }
    if (x.rel_sz) {
        /* Branch to a pad (rel8: the two near ones). */
        unsigned k = diff_below(r, x.rel_sz == 1 ? 2 : DIFF_N_PADS);
        u32 next = DIFF_INSN_OFF + (u32)(p - e->bytes) + x.rel_sz;
        i32 d = (i32)diff_pad_off[k] - (i32)next;

        e->target_pad = diff_pad_off[k];
        if (x.rel_sz == 1)
            *p++ = (u8)(i8)d;
        else
            p = put32(p, (u32)d);
    }
    e->len = (u8)(p - e->bytes);
    if (e->rip_rel && disp_at) {
        e->disp = (i32)(DIFF_BUF_VA + e->mem_off - (DIFF_INSN_VA + e->len));
        put32(disp_at, (u32)e->disp);
    }
    for (unsigned k = 0; k < f->n_ops; k++) {
        if (regnum[k] == NO_REG)
            continue;
        e->reg[k] = (i8)((regnum[k] & 0x80) ? 16 + (regnum[k] & 3) : regnum[k]);
    }
    e->opsize = (u8)kind_bytes(f->kind[0], f->mem_bytes[0]);
    if (!e->opsize && f->n_ops > 1)
        e->opsize = (u8)kind_bytes(f->kind[1], f->mem_bytes[1]);
    return e->len <= 15;
}

/* ------------------------------------------------------------------------------------------ */
/* Cases                                                                                      */

static u64 get_reg(const struct diff_state *s, int reg, unsigned bytes)
{
    u64 v = reg >= 16 ? s->gpr[reg - 16] >> 8 : s->gpr[reg];

    return bytes >= 8 ? v : v & ((1ull << (8 * bytes)) - 1);
}

static void set_reg(struct diff_state *s, int reg, unsigned bytes, u64 v)
{
    u64 *g = reg >= 16 ? &s->gpr[reg - 16] : &s->gpr[reg];
    unsigned sh = reg >= 16 ? 8 : 0;
    u64 mask = bytes >= 8 ? ~0ull : ((1ull << (8 * bytes)) - 1);

    *g = (*g & ~(mask << sh)) | ((v & mask) << sh);
}

static u64 get_mem(const struct diff_state *s, u32 off, unsigned bytes)
{
    u64 v = 0;

    memcpy(&v, s->buf + off, bytes > 8 ? 8 : bytes);
    return v;
}

static void set_mem(struct diff_state *s, u32 off, unsigned bytes, u64 v)
{
    memcpy(s->buf + off, &v, bytes > 8 ? 8 : bytes);
}

/* Value of operand @k (GPR or memory), @bytes wide. */
static u64 get_op(const struct diff_form *f, const struct diff_enc *e, const struct diff_state *s,
                  unsigned k, unsigned bytes)
{
    if (f->kind[k] == DK_MEM)
        return get_mem(s, e->mem_off, bytes);
    return e->reg[k] >= 0 ? get_reg(s, e->reg[k], bytes) : 0;
}

static void set_op(const struct diff_form *f, const struct diff_enc *e, struct diff_state *s,
                   unsigned k, unsigned bytes, u64 v)
{
    if (f->kind[k] == DK_MEM)
        set_mem(s, e->mem_off, bytes, v);
    else if (e->reg[k] >= 0)
        set_reg(s, e->reg[k], bytes, v);
}

static void make_fx(struct diff_rng *r, u8 *fx, bool x87_rich)
{
    u16 fcw = 0x037f, fsw;
    u8 ftw = 0;
    unsigned top = diff_below(r, 8);
    u32 mxcsr = 0x1f80;

    memset(fx, 0, 512);
    if (x87_rich && diff_below(r, 2)) {
        static const u16 pc[] = {0x000, 0x200, 0x300, 0x300};

        fcw = (u16)(0x007f | pc[diff_below(r, 4)] | (diff_below(r, 4) << 10) | 0x40);
    }
    if (diff_below(r, 16) == 0)
        fcw &= (u16) ~(1u << diff_below(r, 6)); /* one exception unmasked */
    fsw = (u16)(top << 11);
    fsw |= (u16)(diff_rand(r) & 0x4700); /* C0-C3 */
    if (diff_below(r, 4) == 0)
        fsw |= (u16)(diff_rand(r) & 0x3f);
    if (fsw & ~fcw & 0x3f)
        fsw |= 0x8080; /* ES and B follow the pending unmasked exception */
    for (unsigned i = 0; i < 8; i++) {
        unsigned chance = i < 4 ? 15 : i < 6 ? 10 : 6; /* of 16 */
        unsigned phys = (top + i) & 7;

        if (diff_below(r, 16) < chance) {
            ftw |= (u8)(1u << phys);
            biased_ext(r, fx + FX_ST + 16 * i);
        }
    }
    if (diff_below(r, 4) == 0)
        mxcsr |= (u32)diff_below(r, 4) << 13;
    if (diff_below(r, 8) == 0)
        mxcsr |= (u32)(diff_rand(r) & 0x3f);
    if (diff_below(r, 16) == 0)
        mxcsr |= 0x40; /* DAZ */
    if (diff_below(r, 16) == 0)
        mxcsr |= 0x8000; /* FTZ */
    if (diff_below(r, 32) == 0)
        mxcsr &= ~(0x80u << diff_below(r, 6)); /* one SIMD exception unmasked */
    memcpy(fx + FX_FCW, &fcw, 2);
    memcpy(fx + FX_FSW, &fsw, 2);
    fx[FX_FTW] = ftw;
    memcpy(fx + FX_MXCSR, &mxcsr, 4);
    for (unsigned i = 0; i < 16; i++) {
        u8 *x = fx + FX_XMM + 16 * i;

        switch (diff_below(r, 4)) {
        case 0:
            for (unsigned k = 0; k < 2; k++) {
                double d = biased_double(r);

                memcpy(x + 8 * k, &d, 8);
            }
            break;
        case 1:
            for (unsigned k = 0; k < 4; k++) {
                u32 b = biased_float_bits(r);

                memcpy(x + 4 * k, &b, 4);
            }
            break;
        default:
            fill_words(r, x, 16);
            break;
        }
    }
}

static u64 pad_va(struct diff_rng *r)
{
    return DIFF_CODE_VA + diff_pad_off[diff_below(r, DIFF_N_PADS)];
}

/* Point the memory operand's base/index registers at the buffer for this case. */
static void fix_address(const struct diff_form *f, const struct diff_enc *e, struct diff_rng *r,
                        struct diff_state *s, u32 *mem_off)
{
    u64 target, idx = 0;

    if (!e->has_mem || e->rip_rel || (e->base == NO_REG && e->index == NO_REG) ||
        (f->opts & DO_NOADDR))
        return;
    if (e->base == 4) {
        idx = diff_below(r, 16);
        if (e->index != NO_REG)
            s->gpr[e->index] = idx;
        target = s->gpr[4] + (u64)(i64)e->disp + (e->index != NO_REG ? idx << e->scale : 0);
        *mem_off = (u32)(target - DIFF_BUF_VA);
        return;
    }
    target = DIFF_BUF_VA + pick_mem_off(f, r, e->mem_bytes ? e->mem_bytes : 16);
    if (e->base == NO_REG) {
        idx = (target - (u64)(i64)e->disp) >> e->scale;
        s->gpr[e->index] = idx;
        target = (u64)(i64)e->disp + (idx << e->scale);
    } else {
        if (e->index != NO_REG) {
            idx = diff_below(r, 64);
            if (diff_below(r, 4) == 0)
                idx = (u64) - (i64)diff_below(r, 16);
            s->gpr[e->index] = idx;
        }
        s->gpr[e->base] = target - (u64)(i64)e->disp - (e->index != NO_REG ? idx << e->scale : 0);
        if (e->addr32)
            s->gpr[e->base] = (s->gpr[e->base] & 0xffffffffull) | (diff_rand(r) << 32);
    }
    *mem_off = (u32)(target - DIFF_BUF_VA);
}

/* Fresh values in the buffer bytes around @va (clamped to the buffer). */
static void refill(struct diff_rng *r, struct diff_state *s, u64 va, u32 before, u32 after)
{
    u64 lo = va - before, hi = va + after;

    if (lo < DIFF_BUF_VA || lo > DIFF_BUF_VA + DIFF_BUF_SIZE)
        lo = DIFF_BUF_VA;
    if (hi > DIFF_BUF_VA + DIFF_BUF_SIZE || hi < DIFF_BUF_VA)
        hi = DIFF_BUF_VA + DIFF_BUF_SIZE;
    lo &= ~7ull;
    if (hi > lo)
        fill_words(r, s->buf + (lo - DIFF_BUF_VA), hi - lo);
}

void diff_case_make(const struct diff_form *f, const struct diff_enc *e, struct diff_rng *r,
                    struct diff_state *s, bool fresh)
{
    struct diff_enc ce = *e; /* mem_off may move for this case */
    unsigned bytes = ce.opsize ? ce.opsize : 8;
    int op_src = f->n_ops > 1 ? 1 : 0;

    memset(s, 0, __builtin_offsetof(struct diff_state, buf));
    if (fresh)
        fill_words(r, s->buf, DIFF_BUF_SIZE);
    for (unsigned k = 0; k < 16; k++)
        s->gpr[k] = biased_u64(r);
    s->gpr[4] = DIFF_STACK + 8 * (u64)(i64)((i32)diff_below(r, 33) - 16);
    if (diff_below(r, 16) == 0)
        s->gpr[4] += diff_below(r, 8);
    s->rflags = 0x202 | (diff_rand(r) & DIFF_ARITH);
    if (diff_below(r, (f->opts & DO_STRING) ? 2 : 4) == 0)
        s->rflags |= DIFF_DF;
    s->rip = DIFF_INSN_VA;
    s->vector = -1;
    make_fx(r, s->fx, (f->opts & DO_X87) != 0);

    fix_address(f, e, r, s, &ce.mem_off);
    s->mem_off = ce.mem_off;
    if (!fresh) {
        /* Between fresh buffers, new values where this case reads. */
        refill(r, s, s->gpr[4], 0x100, 0x100);
        if (ce.has_mem)
            refill(r, s, DIFF_BUF_VA + ce.mem_off, 0x40, 0x240);
    }

    for (unsigned k = 0; k < f->n_ops; k++)
        if (f->kind[k] == DK_CL && diff_below(r, 4))
            s->gpr[1] = (s->gpr[1] & ~0xffull) | diff_below(r, 8 * bytes + 2);
    if (f->opts & DO_STRING) {
        s->gpr[6] = DIFF_BUF_VA + 0x1400 + diff_below(r, 0x800);
        s->gpr[7] = diff_below(r, 4) == 0 ? s->gpr[6] + diff_below(r, 64) - 32
                                          : DIFF_BUF_VA + 0x3200 + diff_below(r, 0x800);
        s->gpr[1] = diff_below(r, 3) == 0 ? diff_below(r, 4) : diff_below(r, 65);
        if (!fresh) {
            refill(r, s, s->gpr[6], 0x240, 0x240);
            refill(r, s, s->gpr[7], 0x240, 0x240);
        }
        if (f->opts & DO_CMPS) {
            memmove(s->buf + (s->gpr[7] - DIFF_BUF_VA) - 0x240,
                    s->buf + (s->gpr[6] - DIFF_BUF_VA) - 0x240, 0x480);
            if (diff_below(r, 4))
                s->buf[s->gpr[7] - DIFF_BUF_VA + diff_below(r, 0x200) - 0x100] ^=
                    (u8)(1 + diff_below(r, 255));
        }
    }
    if (f->opts & DO_LOOP) {
        static const u64 counts[] = {0, 1, 2, 0x100000000ull, 0x100000001ull};

        if (diff_below(r, 2))
            s->gpr[1] = counts[diff_below(r, ARRAY_LEN(counts))];
    }
    if (f->opts & DO_LEAVE)
        s->gpr[5] = s->gpr[4] + 8 * diff_below(r, 32);
    if (f->opts & DO_RET) {
        u64 t = pad_va(r);

        memcpy(s->buf + (s->gpr[4] - DIFF_BUF_VA), &t, 8);
    }
    if (f->opts & DO_POPF) {
        u64 img = 0x202 | (diff_rand(r) & (DIFF_ARITH | DIFF_DF));

        if (diff_below(r, 4) == 0)
            img |= DIFF_ID;
        memcpy(s->buf + (s->gpr[4] - DIFF_BUF_VA), &img, 8);
    }
    if ((f->opts & DO_BRANCH) && !ce.target_pad && f->n_ops > 0 && f->kind[0] != DK_REL) {
        u64 t = pad_va(r);

        if (f->kind[0] == DK_MEM)
            set_mem(s, ce.mem_off, 8, t);
        else if (ce.reg[0] >= 0)
            s->gpr[ce.reg[0]] = t;
    }
    if (f->opts & DO_DIV) {
        /* Dividend high half below the divisor most of the time (SDM DIV: #DE otherwise). */
        u64 d = get_op(f, &ce, s, 0, bytes);
        int hi = bytes == 1 ? 16 : 2; /* AH or rDX */
        bool is_idiv = f->name[0] == 'i';

        if (diff_below(r, 4)) {
            if (is_idiv) {
                u64 lo = bytes == 1 ? get_reg(s, 0, 1) : get_reg(s, 0, bytes);
                u64 sign = (lo >> (8 * bytes - 1)) & 1;

                set_reg(s, hi, bytes, sign ? ~0ull : 0);
            } else if (d) {
                set_reg(s, hi, bytes, get_reg(s, hi, bytes) % d);
            }
        }
    }
    if ((f->opts & DO_BITOFF) && ce.has_mem && op_src > 0 && ce.reg[op_src] >= 0) {
        i64 bit = (i64)diff_below(r, 0x4000) - 0x2000;

        set_reg(s, ce.reg[op_src], bytes, (u64)bit);
    }
    if ((f->opts & DO_CMPXCHG) && diff_below(r, 2))
        set_reg(s, 0, bytes, get_op(f, &ce, s, 0, bytes));
    if ((f->opts & DO_CX16) && diff_below(r, 2)) {
        s->gpr[0] = get_mem(s, ce.mem_off, 8);
        s->gpr[2] = get_mem(s, ce.mem_off + 8, 8);
    }
    if ((f->opts & DO_NONZERO) && get_op(f, &ce, s, (unsigned)op_src, bytes) == 0)
        set_op(f, &ce, s, (unsigned)op_src, bytes, 1ull << diff_below(r, 8 * bytes));
    if (f->opts & DO_SREG) {
        static const u16 sels[] = {0, 0x2b, 0x23, 0x33, 0x18, 0x3, 0x4, 0x2b, 0x2b, 0};
        u16 v = diff_below(r, 8) ? sels[diff_below(r, ARRAY_LEN(sels))] : (u16)diff_rand(r);

        if (f->kind[0] == DK_SREG && f->n_ops > 1)
            set_op(f, &ce, s, 1, 2, v);
    }
    if (f->opts & DO_FXRSTOR) {
        u8 img[512];

        make_fx(r, img, true);
        memcpy(s->buf + ce.mem_off, img, 464);
    }
    if ((f->opts & DO_X87) && ce.has_mem && diff_below(r, 2)) {
        if (ce.mem_bytes == 10) {
            biased_ext(r, s->buf + ce.mem_off);
        } else if (ce.mem_bytes == 8) {
            double d = biased_double(r);

            memcpy(s->buf + ce.mem_off, &d, 8);
        } else if (ce.mem_bytes == 4) {
            u32 b = biased_float_bits(r);

            memcpy(s->buf + ce.mem_off, &b, 4);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Defined flags                                                                              */

u64 diff_flags_defined(const struct diff_form *f, const struct diff_enc *e,
                       const struct diff_state *in)
{
    u64 m = DIFF_ARITH | DIFF_DF;
    unsigned bytes = e->opsize ? e->opsize : 8;
    unsigned bits = 8 * bytes;
    unsigned cnt = 1;

    if (f->opts & DO_POPF)
        m |= DIFF_ID | DIFF_NT;
    for (unsigned k = 0; k < f->n_ops; k++)
        if (f->kind[k] == DK_CL)
            cnt = (unsigned)(in->gpr[1] & 0xff);
    if (e->has_imm)
        cnt = (unsigned)(e->imm & 0xff);
    cnt &= bits == 64 ? 63 : 31;
    switch (f->flags_mode) {
    case DF_LOGIC:
        return m & ~DIFF_AF;
    case DF_MUL:
        return m & ~(DIFF_SF | DIFF_ZF | DIFF_AF | DIFF_PF);
    case DF_DIV:
        return m & ~DIFF_ARITH;
    case DF_BS:
        return m & ~(DIFF_ARITH & ~DIFF_ZF);
    case DF_BT:
        return m & ~(DIFF_OF | DIFF_SF | DIFF_AF | DIFF_PF);
    case DF_SHIFT:
    case DF_SHD:
        if (cnt == 0)
            return m;
        m &= ~DIFF_AF;
        if (cnt != 1)
            m &= ~DIFF_OF;
        if (cnt >= bits)
            m &= ~(DIFF_CF | DIFF_OF);
        if (f->flags_mode == DF_SHD && cnt > bits)
            m &= ~DIFF_ARITH;
        return m;
    case DF_ROT:
        if (cnt != 1)
            m &= ~DIFF_OF;
        return m;
    case DF_NONE:
        return DIFF_DF;
    default:
        return m;
    }
}
