/* SPDX-License-Identifier: MIT */
/*
 * x86 instruction decoding (Intel SDM vol. 2 ch. 2 and appendix A): legacy prefixes, REX,
 * opcode maps, ModRM/SIB for 16- and 32/64-bit addressing (tables 2-1, 2-2, 2-3), immediates.
 *
 *   [legacy prefixes][REX][0F [38|3A]] opcode [ModRM [SIB] [disp]] [imm]
 *   ModRM = mod(7:6) reg(5:3) rm(2:0)     SIB = scale(7:6) index(5:3) base(2:0)
 *   REX   = 0100 W R X B: W 64-bit operand, R extends reg, X index, B rm/base/opcode reg
 */
#include "core/decode.h"

#include "core/cpu.h"
#include "core/cpuid.h"
#include "core/internal.h"

struct dstate {
    const u8 *bytes;
    unsigned avail;
    unsigned pos;
};

/* Status of a fetch that could not be done: over the length limit, or out of bytes. */
static enum decode_status fetch_fail(const struct dstate *d)
{
    return d->pos >= DECODE_MAX_LEN ? DECODE_GP : DECODE_MORE;
}

#define NEXT(d, v)                                                                                 \
    do {                                                                                           \
        if (unlikely((d)->pos >= (d)->avail || (d)->pos >= DECODE_MAX_LEN))                        \
            goto out_short;                                                                        \
        (v) = (d)->bytes[(d)->pos++];                                                              \
    } while (0)

/* Little-endian value of @n bytes (1, 2, 4, 8); false when the bytes run out. */
static bool take_le(struct dstate *d, unsigned n, u64 *v)
{
    u64 x = 0;

    if (d->pos + n > DECODE_MAX_LEN) {
        d->pos = DECODE_MAX_LEN; /* too long whatever follows: #GP */
        return false;
    }
    if (d->pos + n > d->avail) {
        d->pos = d->avail; /* < DECODE_MAX_LEN here: more bytes needed */
        return false;
    }
    for (unsigned k = 0; k < n; k++)
        x |= (u64)d->bytes[d->pos + k] << (8 * k);
    d->pos += n;
    *v = x;
    return true;
}

static i64 sext(u64 v, unsigned bytes)
{
    unsigned sh = 64 - 8 * bytes;

    return bytes >= 8 ? (i64)v : (i64)(v << sh) >> sh;
}

static bool feature_ok(const struct decode_env *env, const struct op_entry *e)
{
    return !e->cpuid_feature || !env->cpuid || cpuid_has(env->cpuid, e->cpuid_feature);
}

/* 16-bit ModRM forms (SDM vol. 2 table 2-1): base and index per rm. */
static const u8 modrm16_base[8] = {3, 3, 5, 5, REG_NONE, REG_NONE, 5, 3};  /* BX BX BP BP */
static const u8 modrm16_index[8] = {6, 7, 6, 7, 6, 7, REG_NONE, REG_NONE}; /* SI DI SI DI */

enum decode_status decode_insn(const struct decode_env *env, const u8 *bytes, unsigned avail,
                               u64 rip, struct insn *out, u32 *opf)
{
    const bool is64 = env->code_size == SZ64;
    struct dstate ds = {bytes, avail, 0};
    struct dstate *d = &ds;
    const struct op_entry *e;
    u8 b, op, modrm = 0, rex = 0, rep = 0, seg_ovr = 0xff;
    bool o16 = false, a16 = false, lock = false, has_modrm;
    enum op_map map = MAP_1B;
    enum op_prefix p;
    u32 flags;
    u64 v;

    *out = (struct insn){0};
    out->base = REG_NONE;
    out->index = REG_NONE;

    /* Legacy prefixes in any order; a REX counts only right before the opcode (2.2.1). */
    for (;;) {
        NEXT(d, b);
        switch (b) {
        case 0x26:
        case 0x2e:
        case 0x36:
        case 0x3e:
            if (!is64) /* ignored in 64-bit mode (SDM vol. 1 3.3.7.1) */
                seg_ovr = (b >> 3) & 3;
            rex = 0;
            continue;
        case 0x64:
        case 0x65:
            seg_ovr = b == 0x64 ? SEG_FS : SEG_GS;
            rex = 0;
            continue;
        case 0x66:
            o16 = true;
            rex = 0;
            continue;
        case 0x67:
            a16 = true;
            rex = 0;
            continue;
        case 0xf0:
            lock = true;
            rex = 0;
            continue;
        case 0xf2:
        case 0xf3:
            rep = b;
            rex = 0;
            continue;
        default:
            break;
        }
        if (is64 && (b & 0xf0) == 0x40) {
            rex = b;
            continue;
        }
        break;
    }

    op = b;
    if (op == 0x0f) {
        NEXT(d, op);
        map = MAP_0F;
        if (op == 0x38 || op == 0x3a) {
            map = op == 0x38 ? MAP_0F38 : MAP_0F3A;
            NEXT(d, op);
        }
    } else if (op == 0xc4 || op == 0xc5) {
        /* VEX: always in 64-bit mode, elsewhere when the next byte has mod == 3 (LES/LDS
         * otherwise). No AVX is advertised: #UD. */
        if (is64)
            goto out_ud;
        if (d->pos >= d->avail)
            goto out_short;
        if (d->bytes[d->pos] >= 0xc0)
            goto out_ud;
    }

    if (rep == 0xf3)
        p = PFX_F3;
    else if (rep == 0xf2)
        p = PFX_F2;
    else
        p = o16 ? PFX_66 : PFX_NONE;

    has_modrm = optable_needs_modrm(env->optable, map, op, p);
    if (has_modrm)
        NEXT(d, modrm);
    e = optable_lookup(env->optable, map, op, p, modrm);
    if ((p == PFX_F3 || p == PFX_F2) && (!e || !feature_ok(env, e))) {
        /* F3/F2 in front of an ordinary opcode are REP prefixes: F3 0F BC is BSF on a CPU
         * without TZCNT. */
        const struct op_entry *plain = optable_lookup(env->optable, map, op, PFX_NONE, modrm);

        if (plain && !(plain->flags & OPF_PREFIXED))
            e = plain;
    }
    if (!e)
        goto out_ud;
    flags = e->flags;
    if (!feature_ok(env, e))
        goto out_ud;

    const bool pfx_entry = flags & OPF_PREFIXED;
    const bool ate_66 = pfx_entry && p == PFX_66;
    const bool ate_rep = pfx_entry && (p == PFX_F3 || p == PFX_F2);
    const bool osize = o16 && !ate_66;

    /* Operand size (SDM vol. 1 3.6.1, table 3-4). */
    if (flags & OPF_BYTE)
        out->opsize = SZ8;
    else if (flags & OPF_SZ128)
        out->opsize = SZ128;
    else if (is64) {
        if ((flags & OPF_FORCE64) || (rex & 8))
            out->opsize = SZ64;
        else if (osize)
            out->opsize = SZ16;
        else
            out->opsize = (flags & OPF_DEF64) ? SZ64 : SZ32;
    } else {
        bool is16 = env->code_size == SZ16;

        out->opsize = (is16 != osize) ? SZ16 : SZ32;
    }
    if (is64)
        out->asize = a16 ? SZ32 : SZ64;
    else if (env->code_size == SZ32)
        out->asize = a16 ? SZ16 : SZ32;
    else
        out->asize = a16 ? SZ32 : SZ16;

    /* Validity (SDM vol. 2 2.5 and the opcode tables' i64/o64 notes). */
    if ((flags & OPF_NO64) && is64)
        goto out_ud;
    if ((flags & OPF_ONLY64) && !is64)
        goto out_ud;
    const bool is_mem = has_modrm && modrm < 0xc0;
    if (has_modrm) {
        if ((flags & OPF_REG_ONLY) && is_mem)
            goto out_ud;
        if ((flags & OPF_MEM_ONLY) && !is_mem)
            goto out_ud;
    }
    if (lock && (!(flags & OPF_LOCKABLE) || !is_mem))
        goto out_ud;

    out->seg = seg_ovr != 0xff ? seg_ovr : SEG_DS;
    out->prefixes =
        (rep == 0xf3 && !ate_rep ? INSN_REP : 0) | (rep == 0xf2 && !ate_rep ? INSN_REPNE : 0) |
        (lock ? INSN_LOCK : 0) | (rex ? INSN_REX : 0) | (is_mem ? INSN_MEM : 0) |
        (seg_ovr != 0xff ? INSN_SEGOVR : 0) | (osize ? INSN_OSIZE : 0) | (rex & 8 ? INSN_REXW : 0);
    const bool byte_regs = !rex; /* without REX, byte registers 4-7 are AH CH DH BH */

    if (has_modrm) {
        const unsigned mod = modrm >> 6, rm = modrm & 7;
        const bool is_group = optable_is_group(env->optable, map, op);

        out->imm2 = modrm;
        out->reg = (u8)(((modrm >> 3) & 7) | ((rex & 4) << 1));
        if (!is_group && out->opsize == SZ8 && byte_regs && out->reg >= 4)
            out->reg = (u8)(REG_AH + out->reg - 4);
        if (mod == 3) {
            /* r/m is a byte register for byte operations and MOVZX/MOVSX/CRC32 Eb. */
            bool rm8 = out->opsize == SZ8 || (map == MAP_0F && (op == 0xb6 || op == 0xbe)) ||
                       (map == MAP_0F38 && op == 0xf0 && p == PFX_F2 && ate_rep);

            out->rm = (u8)(rm | ((rex & 1) << 3));
            if (rm8 && byte_regs && out->rm >= 4)
                out->rm = (u8)(REG_AH + out->rm - 4);
        } else if (out->asize == SZ16) {
            out->base = modrm16_base[rm];
            out->index = modrm16_index[rm];
            if (mod == 0 && rm == 6) {
                out->base = REG_NONE;
                if (!take_le(d, 2, &v))
                    goto out_short;
                out->disp = (i32)sext(v, 2);
            } else if (mod == 1) {
                if (!take_le(d, 1, &v))
                    goto out_short;
                out->disp = (i32)sext(v, 1);
            } else if (mod == 2) {
                if (!take_le(d, 2, &v))
                    goto out_short;
                out->disp = (i32)sext(v, 2);
            }
            if (out->base == 5 && seg_ovr == 0xff)
                out->seg = SEG_SS;
        } else {
            bool disp32 = mod == 2;
            unsigned base_lo = rm;

            if (rm == 4) {
                u8 sib;

                NEXT(d, sib);
                out->scale = sib >> 6;
                out->index = (u8)(((sib >> 3) & 7) | ((rex & 2) << 2));
                if (out->index == 4)
                    out->index = REG_NONE; /* no index (REX.X + 100 is R12) */
                base_lo = sib & 7;
                if (base_lo == 5 && mod == 0) {
                    out->base = REG_NONE;
                    disp32 = true;
                } else {
                    out->base = (u8)(base_lo | ((rex & 1) << 3));
                }
            } else if (rm == 5 && mod == 0) {
                out->base = is64 ? REG_RIP : REG_NONE;
                disp32 = true;
            } else {
                out->base = (u8)(rm | ((rex & 1) << 3));
            }
            if (mod == 1) {
                if (!take_le(d, 1, &v))
                    goto out_short;
                out->disp = (i32)sext(v, 1);
            } else if (disp32) {
                if (!take_le(d, 4, &v))
                    goto out_short;
                out->disp = (i32)(u32)v;
            }
            /* ESP/EBP as base: SS (R12/R13 keep DS). */
            if ((out->base == 4 || out->base == 5) && seg_ovr == 0xff)
                out->seg = SEG_SS;
        }
    } else if (flags & OPF_REG_IN_OP) {
        out->reg = (u8)((op & 7) | ((rex & 1) << 3));
        if (out->opsize == SZ8 && byte_regs && out->reg >= 4)
            out->reg = (u8)(REG_AH + out->reg - 4);
    }

    /* Immediates. */
    if (flags & OPF_ENTER) {
        if (!take_le(d, 2, &v))
            goto out_short;
        out->imm = v;
        if (!take_le(d, 1, &v))
            goto out_short;
        out->imm2 = (u8)v;
    } else if (flags & OPF_MOFFS) {
        if (!take_le(d, 2u << (out->asize - SZ16), &v))
            goto out_short;
        out->imm = v;
        out->disp = (i32)(u32)v;
    } else if (flags & OPF_FARPTR) {
        if (!take_le(d, out->opsize == SZ16 ? 2 : 4, &v))
            goto out_short;
        out->imm = v;
        if (!take_le(d, 2, &v))
            goto out_short;
        out->disp = (i32)v;
    } else if (flags & OPF_IMM8) {
        if (!take_le(d, 1, &v))
            goto out_short;
        out->simm = sext(v, 1);
    } else if (flags & OPF_UIMM8) {
        if (!take_le(d, 1, &v))
            goto out_short;
        out->imm = v;
    } else if (flags & OPF_IMM16) {
        if (!take_le(d, 2, &v))
            goto out_short;
        out->imm = v;
    } else if (flags & OPF_IMMZ) {
        unsigned n = out->opsize == SZ16 ? 2 : 4;

        if (!take_le(d, n, &v))
            goto out_short;
        out->simm = sext(v, n);
    } else if (flags & OPF_IMMV) {
        if (!take_le(d, 1u << out->opsize, &v))
            goto out_short;
        out->imm = v;
    } else if (flags & (OPF_REL8 | OPF_RELZ)) {
        unsigned n = (flags & OPF_REL8) ? 1 : out->opsize == SZ16 ? 2 : 4;
        u64 target;

        if (!take_le(d, n, &v))
            goto out_short;
        target = rip + d->pos + (u64)sext(v, n);
        if (out->opsize == SZ16)
            target &= 0xffff;
        else if (!is64)
            target &= 0xffffffffu;
        out->imm = target;
    }

    out->len = (u8)d->pos;
    out->aux = e->aux;
    out->opcode = op;
    out->map = (u8)map;
    out->fn = e->select ? e->select(out) : e->fn;
    if (!out->fn)
        goto out_ud;
    if (opf)
        *opf = flags;
    return DECODE_OK;

out_ud:
    out->len = (u8)d->pos;
    out->fn = NULL;
    return DECODE_UD;
out_short:
    out->len = (u8)d->pos;
    out->fn = NULL;
    return fetch_fail(d);
}
