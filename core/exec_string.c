/* SPDX-License-Identifier: MIT */
/*
 * String instructions MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS with REP/REPE/REPNE (Intel SDM
 * vol. 2 "REP/REPE/REPZ/REPNE/REPNZ" and each instruction's page; vol. 1 7.3.9, 19.5). A REP
 * instruction is one instruction however many iterations it runs; after a fault in iteration
 * k, RCX, RSI and RDI describe the k iterations done, so re-executing it continues. REP
 * MOVS/STOS over ordinary RAM go a page at a time when nothing can tell the difference.
 */
#include "core/exec.h"
#include "core/optable.h"
#include "core/system.h"

#include <string.h>

enum { R_AX = 0, R_CX = 1, R_DX = 2, R_SI = 6, R_DI = 7 };

/* ---- One iteration of each instruction: the registers advance after its accesses ---- */

static inline u64 str_off(const struct cpu *c, const struct insn *i, unsigned r)
{
    return c->gpr[r] & size_mask(i->asize);
}

static inline u64 str_step(const struct cpu *c, unsigned sz)
{
    return (c->rflags & RFLAGS_DF) ? 0 - (u64)(1u << sz) : (u64)(1u << sz);
}

/* RSI/RDI/RCX are updated at the address size: SI keeps the upper bits of RSI, ESI
 * zero-extends into RSI (64-bit mode with a 67 prefix). */
static inline void str_set(struct cpu *c, const struct insn *i, unsigned r, u64 v)
{
    reg_write(c, r, i->asize, v);
}

static inline bool movs_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 si = str_off(c, i, R_SI), di = str_off(c, i, R_DI), step = str_step(c, sz);

    cpu_write_sized(c, SEG_ES, di, sz, cpu_read_sized(c, i->seg, si, sz));
    str_set(c, i, R_SI, si + step);
    str_set(c, i, R_DI, di + step);
    return true;
}

static inline bool stos_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 di = str_off(c, i, R_DI);

    cpu_write_sized(c, SEG_ES, di, sz, reg_read(c, R_AX, sz));
    str_set(c, i, R_DI, di + str_step(c, sz));
    return true;
}

static inline bool lods_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 si = str_off(c, i, R_SI);

    reg_write(c, R_AX, sz, cpu_read_sized(c, i->seg, si, sz));
    str_set(c, i, R_SI, si + str_step(c, sz));
    return true;
}

/* CMPS compares [rSI] with ES:[rDI] (flags of [rSI] - [rDI]); returns ZF. */
static inline bool cmps_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 si = str_off(c, i, R_SI), di = str_off(c, i, R_DI), step = str_step(c, sz);
    u64 a = cpu_read_sized(c, i->seg, si, sz);
    u64 b = cpu_read_sized(c, SEG_ES, di, sz);

    flags_set(c, FLAGS_OP_SUB, sz, (a - b) & size_mask(sz), a, b);
    str_set(c, i, R_SI, si + step);
    str_set(c, i, R_DI, di + step);
    return a == b;
}

/* SCAS compares rAX with ES:[rDI]; returns ZF. */
static inline bool scas_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 di = str_off(c, i, R_DI);
    u64 a = reg_read(c, R_AX, sz);
    u64 b = cpu_read_sized(c, SEG_ES, di, sz);

    flags_set(c, FLAGS_OP_SUB, sz, (a - b) & size_mask(sz), a, b);
    str_set(c, i, R_DI, di + str_step(c, sz));
    return a == b;
}

/* REP loop: stop when the count (at the address size) reaches 0, and for CMPS/SCAS when
 * the comparison ends it (REPE: not equal; REPNE: equal). */
enum rep_kind { REP_PLAIN, REP_E, REP_NE };

/*
 * A REP instruction does at most this many elements per call, then leaves the block with RIP
 * still on it and RCX/RSI/RDI updated, as hardware may between iterations (SDM vol. 2 "REP"):
 * events and instruction budgets are then honoured even for counts up to 2^64 - 1. Each such
 * chunk counts as one retired instruction, so that budgets and virtual time advance.
 */
#define REP_CHUNK_ELEMS 65536u

static const struct insn *rep_yield(struct cpu *c, const struct insn *i)
{
    return exec_jump(c, insn_rip(c, i));
}

#define STR_HANDLERS(op)                                                                           \
    static const struct insn *exec_##op(struct cpu *c, const struct insn *i)                       \
    {                                                                                              \
        op##_once(c, i, i->opsize);                                                                \
        return i + 1;                                                                              \
    }                                                                                              \
    static inline EMU_UNUSED bool op##_rep(struct cpu *c, const struct insn *i, enum rep_kind k)   \
    {                                                                                              \
        u64 mask = size_mask(i->asize);                                                            \
                                                                                                   \
        for (u32 done = 0; c->gpr[R_CX] & mask; done++) {                                          \
            bool is_eq;                                                                            \
                                                                                                   \
            if (done == REP_CHUNK_ELEMS)                                                           \
                return false;                                                                      \
            is_eq = op##_once(c, i, i->opsize);                                                    \
            str_set(c, i, R_CX, (c->gpr[R_CX] & mask) - 1);                                        \
            if ((k == REP_E && !is_eq) || (k == REP_NE && is_eq))                                  \
                break;                                                                             \
        }                                                                                          \
        return true;                                                                               \
    }

STR_HANDLERS(movs)
STR_HANDLERS(stos)
STR_HANDLERS(lods)
STR_HANDLERS(cmps)
STR_HANDLERS(scas)

static const struct insn *exec_rep_lods(struct cpu *c, const struct insn *i)
{
    return lods_rep(c, i, REP_PLAIN) ? i + 1 : rep_yield(c, i);
}

static const struct insn *exec_repe_cmps(struct cpu *c, const struct insn *i)
{
    return cmps_rep(c, i, REP_E) ? i + 1 : rep_yield(c, i);
}

static const struct insn *exec_repne_cmps(struct cpu *c, const struct insn *i)
{
    return cmps_rep(c, i, REP_NE) ? i + 1 : rep_yield(c, i);
}

static const struct insn *exec_repe_scas(struct cpu *c, const struct insn *i)
{
    return scas_rep(c, i, REP_E) ? i + 1 : rep_yield(c, i);
}

static const struct insn *exec_repne_scas(struct cpu *c, const struct insn *i)
{
    return scas_rep(c, i, REP_NE) ? i + 1 : rep_yield(c, i);
}

/* ---- Fast REP STOS / REP MOVS: as many iterations as fit in one page of each side ---- */

/*
 * Whether the page-at-a-time path may run: fast mode (detailed mode charges every element
 * to the cache model, so it takes the element loop) and flat segments, so that a chunk's
 * linear range is its offset range and a limit fault cannot fall in the middle of a chunk.
 */
static inline bool str_bulk_ok(const struct cpu *c, unsigned seg_mask)
{
    return !c->ms && (c->seg_flat & seg_mask) == seg_mask;
}

/*
 * How many elements of 2^@sz bytes, at most @n, starting at offset @off and going up (or
 * down with @is_down), stay in @off's page; *@lo gets the lowest offset of that run. 0 when
 * the first element crosses the page end (the element loop handles it). The page bound also
 * keeps the run from wrapping at a 16- or 32-bit address size: 2^16 and 2^32 are page ends.
 */
static inline u64 str_run(u64 off, unsigned sz, u64 n, bool is_down, u64 *lo)
{
    u64 in_page = off & (PAGE_SIZE - 1);
    u64 m;

    if (in_page + (1u << sz) > PAGE_SIZE)
        return 0;
    m = is_down ? (in_page >> sz) + 1 : (PAGE_SIZE - in_page) >> sz;
    if (m > n)
        m = n;
    *lo = is_down ? off - ((m - 1) << sz) : off;
    return m;
}

/*
 * Host pointer to the run [@lo, @lo + @bytes) whose first element (the one the element loop
 * would access first) is at @first. A failed translation must report that element's
 * address (CR2), so going down it is translated first; the whole run is then translated
 * (a hit) so that stores into decoded code invalidate all of it.
 */
static inline u8 *bulk_ptr(struct cpu *c, u64 first, u64 lo, u64 bytes, unsigned sz,
                           enum access_type kind)
{
    if (first != lo && !cpu_host_ptr(c, first, 1u << sz, kind))
        return NULL;
    return cpu_host_ptr(c, lo, (unsigned)bytes, kind);
}

static void fill_elems(u8 *p, unsigned sz, u64 m, u64 v)
{
    u64 bytes = m << sz;

    if (sz == SZ8 || v == (u8)v * (0x0101010101010101ull & size_mask(sz))) {
        memset(p, (int)(v & 0xff), bytes);
        return;
    }
    switch (sz) {
    case SZ16: {
        u16 w = (u16)v;

        for (u64 k = 0; k < bytes; k += 2)
            memcpy(p + k, &w, 2);
        break;
    }
    case SZ32: {
        u32 d = (u32)v;

        for (u64 k = 0; k < bytes; k += 4)
            memcpy(p + k, &d, 4);
        break;
    }
    default:
        for (u64 k = 0; k < bytes; k += 8)
            memcpy(p + k, &v, 8);
        break;
    }
}

/* One page-sized chunk of REP STOS. Return: the iterations done (0: use the element loop). */
static u64 stos_bulk(struct cpu *c, const struct insn *i, unsigned sz, u64 n)
{
    bool is_down = c->rflags & RFLAGS_DF;
    u64 di = str_off(c, i, R_DI), lo, m;
    u8 *p;

    m = str_run(di, sz, n, is_down, &lo);
    if (!m)
        return 0;
    p = bulk_ptr(c, di, lo, m << sz, sz, ACCESS_WRITE);
    if (!p)
        return 0;
    fill_elems(p, sz, m, reg_read(c, R_AX, sz));
    str_set(c, i, R_DI, di + m * str_step(c, sz));
    return m;
}

/*
 * Copy @m elements the way the element loop would. memmove gives the same bytes unless the
 * destination overlaps source bytes not yet read: ahead of the source going up, behind it
 * going down. Then each element is read whole and written in order (a short distance
 * replicates a pattern, as on hardware).
 */
static void copy_elems(u8 *dst, const u8 *src, unsigned sz, u64 m, bool is_down)
{
    u64 bytes = m << sz, esz = 1u << sz;
    u64 t;

    if (!is_down && dst > src && dst < src + bytes) {
        for (u64 k = 0; k < bytes; k += esz) {
            memcpy(&t, src + k, esz);
            memcpy(dst + k, &t, esz);
        }
    } else if (is_down && dst < src && dst + bytes > src) {
        for (u64 k = bytes; k > 0; k -= esz) {
            memcpy(&t, src + k - esz, esz);
            memcpy(dst + k - esz, &t, esz);
        }
    } else {
        memmove(dst, src, bytes);
    }
}

/* One chunk of REP MOVS within one page of the source and one of the destination. */
static u64 movs_bulk(struct cpu *c, const struct insn *i, unsigned sz, u64 n)
{
    bool is_down = c->rflags & RFLAGS_DF;
    u64 si = str_off(c, i, R_SI), di = str_off(c, i, R_DI);
    u64 si_lo, di_lo, m, step;
    u8 *ps, *pd;

    m = str_run(si, sz, n, is_down, &si_lo);
    if (!m)
        return 0;
    m = str_run(di, sz, m, is_down, &di_lo);
    if (!m)
        return 0;
    if (is_down)
        si_lo = si - ((m - 1) << sz); /* the destination may have shortened the run */
    ps = bulk_ptr(c, si, si_lo, m << sz, sz, ACCESS_READ);
    if (!ps)
        return 0;
    pd = bulk_ptr(c, di, di_lo, m << sz, sz, ACCESS_WRITE);
    if (!pd)
        return 0;
    copy_elems(pd, ps, sz, m, is_down);
    step = m * str_step(c, sz);
    str_set(c, i, R_SI, si + step);
    str_set(c, i, R_DI, di + step);
    return m;
}

static const struct insn *exec_rep_stos(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 mask = size_mask(i->asize);
    bool is_bulk = str_bulk_ok(c, 1u << SEG_ES);
    u64 n;

    for (u64 done = 0; (n = c->gpr[R_CX] & mask) != 0; done++) {
        u64 m;

        if (done == REP_CHUNK_ELEMS)
            return rep_yield(c, i);
        m = is_bulk ? stos_bulk(c, i, sz, n) : 0;

        if (!m) {
            stos_once(c, i, sz);
            m = 1;
        }
        str_set(c, i, R_CX, n - m);
    }
    return i + 1;
}

static const struct insn *exec_rep_movs(struct cpu *c, const struct insn *i)
{
    unsigned sz = i->opsize;
    u64 mask = size_mask(i->asize);
    bool is_bulk = str_bulk_ok(c, (1u << SEG_ES) | (1u << i->seg));
    u64 n;

    for (u64 done = 0; (n = c->gpr[R_CX] & mask) != 0; done++) {
        u64 m;

        if (done == REP_CHUNK_ELEMS)
            return rep_yield(c, i);
        m = is_bulk ? movs_bulk(c, i, sz, n) : 0;

        if (!m) {
            movs_once(c, i, sz);
            m = 1;
        }
        str_set(c, i, R_CX, n - m);
    }
    return i + 1;
}

/* ---- INS / OUTS (6C-6F): port DX, the I/O permission check of core/exec_system.c ---- */

/* The element size: 8, 16 or 32 bits (REX.W does not make a 64-bit port access). */
static inline unsigned io_size(const struct insn *i)
{
    return i->opsize > SZ32 ? SZ32 : i->opsize;
}

static void io_check(struct cpu *c, unsigned sz)
{
    if (!sys_io_allowed(c, (u16)c->gpr[R_DX], 1u << sz))
        cpu_raise_gp0(c);
}

/* INS: the destination is translated for writing before the port is read, so that a page
 * fault does not lose the data of a port read with side effects (when the element is in one
 * RAM page; page-crossing and MMIO destinations are written after the read). */
static inline bool ins_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 di = str_off(c, i, R_DI);
    u8 *p = cpu_rmw_ptr(c, SEG_ES, di, 1u << sz);
    u32 v = 0xffffffffu;

    if (c->bus.port_in)
        v = c->bus.port_in(c->bus.opaque, c->index, (u16)c->gpr[R_DX], 1u << sz);
    if (p)
        memcpy(p, &v, 1u << sz);
    else
        cpu_write_sized(c, SEG_ES, di, sz, v);
    str_set(c, i, R_DI, di + str_step(c, sz));
    return true;
}

static inline bool outs_once(struct cpu *c, const struct insn *i, unsigned sz)
{
    u64 si = str_off(c, i, R_SI);
    u32 v = (u32)cpu_read_sized(c, i->seg, si, sz);

    if (c->bus.port_out)
        c->bus.port_out(c->bus.opaque, c->index, (u16)c->gpr[R_DX], v, 1u << sz);
    str_set(c, i, R_SI, si + str_step(c, sz));
    return true;
}

static const struct insn *exec_ins(struct cpu *c, const struct insn *i)
{
    io_check(c, io_size(i));
    ins_once(c, i, io_size(i));
    return i + 1;
}

static const struct insn *exec_rep_ins(struct cpu *c, const struct insn *i)
{
    u64 mask = size_mask(i->asize);

    io_check(c, io_size(i));
    for (u32 done = 0; c->gpr[R_CX] & mask; done++) {
        if (done == REP_CHUNK_ELEMS)
            return rep_yield(c, i);
        ins_once(c, i, io_size(i));
        str_set(c, i, R_CX, (c->gpr[R_CX] & mask) - 1);
    }
    return i + 1;
}

/* OUTS leaves the block afterwards: the device may have posted an event (as OUT does). */
static const struct insn *exec_outs(struct cpu *c, const struct insn *i)
{
    io_check(c, io_size(i));
    outs_once(c, i, io_size(i));
    return exec_end_block(c, i);
}

static const struct insn *exec_rep_outs(struct cpu *c, const struct insn *i)
{
    u64 mask = size_mask(i->asize);

    io_check(c, io_size(i));
    for (u32 done = 0; c->gpr[R_CX] & mask; done++) {
        if (done == REP_CHUNK_ELEMS)
            return rep_yield(c, i);
        outs_once(c, i, io_size(i));
        str_set(c, i, R_CX, (c->gpr[R_CX] & mask) - 1);
    }
    return exec_end_block(c, i);
}

/* ---- Selectors: F3 and F2 both mean REP for MOVS/STOS/LODS; REPE/REPNE for CMPS/SCAS ---- */

static bool has_rep(const struct insn *i)
{
    return i->prefixes & (INSN_REP | INSN_REPNE);
}

static exec_fn *select_movs(const struct insn *i)
{
    return has_rep(i) ? exec_rep_movs : exec_movs;
}

static exec_fn *select_stos(const struct insn *i)
{
    return has_rep(i) ? exec_rep_stos : exec_stos;
}

static exec_fn *select_lods(const struct insn *i)
{
    return has_rep(i) ? exec_rep_lods : exec_lods;
}

static exec_fn *select_ins(const struct insn *i)
{
    return has_rep(i) ? exec_rep_ins : exec_ins;
}

static exec_fn *select_outs(const struct insn *i)
{
    return has_rep(i) ? exec_rep_outs : exec_outs;
}

static exec_fn *select_cmps(const struct insn *i)
{
    if (!has_rep(i))
        return exec_cmps;
    return (i->prefixes & INSN_REPNE) ? exec_repne_cmps : exec_repe_cmps;
}

static exec_fn *select_scas(const struct insn *i)
{
    if (!has_rep(i))
        return exec_scas;
    return (i->prefixes & INSN_REPNE) ? exec_repne_scas : exec_repe_scas;
}

/* ---- Registration ---- */

void exec_string_register(struct optable *t)
{
    static const struct op_entry entries[][2] = {
        {{"movsb", OPF_BYTE, NULL, select_movs, 0, 0}, {"movs", 0, NULL, select_movs, 0, 0}},
        {{"cmpsb", OPF_BYTE, NULL, select_cmps, 0, 0}, {"cmps", 0, NULL, select_cmps, 0, 0}},
        {{"stosb", OPF_BYTE, NULL, select_stos, 0, 0}, {"stos", 0, NULL, select_stos, 0, 0}},
        {{"lodsb", OPF_BYTE, NULL, select_lods, 0, 0}, {"lods", 0, NULL, select_lods, 0, 0}},
        {{"scasb", OPF_BYTE, NULL, select_scas, 0, 0}, {"scas", 0, NULL, select_scas, 0, 0}},
        {{"insb", OPF_BYTE, NULL, select_ins, 0, 0}, {"ins", 0, NULL, select_ins, 0, 0}},
        {{"outsb", OPF_BYTE, NULL, select_outs, 0, 0}, {"outs", 0, NULL, select_outs, 0, 0}},
    };
    static const u8 opcodes[] = {0xa4, 0xa6, 0xaa, 0xac, 0xae, 0x6c, 0x6e};

    for (unsigned k = 0; k < ARRAY_LEN(opcodes); k++) {
        optable_set(t, MAP_1B, opcodes[k], &entries[k][0]);
        optable_set(t, MAP_1B, (u8)(opcodes[k] + 1), &entries[k][1]);
    }
}
