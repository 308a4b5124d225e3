/* SPDX-License-Identifier: MIT */
/*
 * Differential testing of the CPU core against the host CPU: shared types of the harness
 * (forms and their concrete encodings, the architectural state a case starts from and ends
 * with, the native runner and the emulator runner). User-mode semantics only (SDM vol. 1).
 */
#ifndef EMU_TESTS_DIFF_DIFF_H
#define EMU_TESTS_DIFF_DIFF_H

#include "base/types.h"

#include <stdio.h>

/* Fixed virtual layout, identical on both sides (below 2 GiB: absolute disp32 works). */
#define DIFF_STATE_VA 0x0d000000ull /* native only: state in/out of the stub */
#define DIFF_CODE_VA  0x0e000000ull /* one code page */
#define DIFF_BUF_VA   0x10000000ull /* data buffer; unmapped guard pages before and after */
#define DIFF_BUF_SIZE 0x4000u
#define DIFF_INSN_OFF 0x800u /* the instruction under test, in the code page */
#define DIFF_INSN_VA  (DIFF_CODE_VA + DIFF_INSN_OFF)
#define DIFF_STACK    (DIFF_BUF_VA + 0x2800) /* initial RSP (bytes either side are buffer) */

/* Landing pads (branch targets) in the code page, besides the fall-through at the end of the
 * instruction: two within rel8 reach, two beyond it. */
#define DIFF_N_PADS 4
static const u32 diff_pad_off[DIFF_N_PADS] = {0x840, 0x7c0, 0xb00, 0x500};

/* RFLAGS bits the harness drives and compares. */
#define DIFF_CF    0x0001ull
#define DIFF_PF    0x0004ull
#define DIFF_AF    0x0010ull
#define DIFF_ZF    0x0040ull
#define DIFF_SF    0x0080ull
#define DIFF_TF    0x0100ull
#define DIFF_IF    0x0200ull
#define DIFF_DF    0x0400ull
#define DIFF_OF    0x0800ull
#define DIFF_NT    0x4000ull
#define DIFF_AC    0x40000ull
#define DIFF_ID    0x200000ull
#define DIFF_ARITH (DIFF_CF | DIFF_PF | DIFF_AF | DIFF_ZF | DIFF_SF | DIFF_OF)

/* Operand kinds in a form name ("add r64, m64"). */
enum diff_kind {
    DK_NONE,
    DK_R8,
    DK_R16,
    DK_R32,
    DK_R64,
    DK_XMM,
    DK_ST,
    DK_MEM, /* mem_bytes gives the size (0: "m", unsized) */
    DK_IMM,
    DK_REL,
    DK_CL,
    DK_DX,
    DK_SREG,
};

/* How the defined flags of a form are found (SDM vol. 1 appendix A, vol. 2 per instruction). */
enum diff_flags_mode {
    DF_ALL,   /* every arithmetic flag is defined */
    DF_LOGIC, /* AF undefined (AND OR XOR TEST) */
    DF_MUL,   /* SF ZF AF PF undefined */
    DF_DIV,   /* all six undefined */
    DF_BS,    /* only ZF defined (BSF BSR) */
    DF_BT,    /* OF SF AF PF undefined (BT BTS BTR BTC) */
    DF_SHIFT, /* SHL SHR SAR: by count */
    DF_ROT,   /* ROL ROR RCL RCR: by count */
    DF_SHD,   /* SHLD SHRD: by count */
    DF_NONE,  /* no flag compared (TZCNT on a BSF model) */
};

/* Form options (table column 4). */
#define DO_STACK   0x00001u  /* uses the stack: fine as is (RSP points into the buffer) */
#define DO_BRANCH  0x00002u  /* RIP is a pad address after it; indirect targets are pads */
#define DO_RET     0x00004u  /* [RSP] holds a pad address */
#define DO_DIV     0x00008u  /* bias the dividend so that the quotient fits */
#define DO_STRING  0x00010u  /* RSI/RDI into the buffer, small RCX */
#define DO_CMPS    0x00020u  /* string compare: make the two strings mostly equal */
#define DO_BITOFF  0x00040u  /* BT* m, r: bit offset register kept near the operand */
#define DO_CMPXCHG 0x00080u  /* accumulator often equals the memory operand */
#define DO_NOADDR  0x00100u  /* address not accessed (LEA, NOP m): base/index values random */
#define DO_X87     0x00200u  /* an x87 instruction: FSW condition bits masked unless DO_FCC */
#define DO_FCC     0x00400u  /* x87 compare: C0 C2 C3 are defined */
#define DO_POPF    0x00800u  /* [RSP] is a flags image: TF/AC/NT cleared in it */
#define DO_FXRSTOR 0x01000u  /* the memory operand holds a valid FXSAVE image */
#define DO_FXSAVE  0x02000u  /* the image's FOP/FIP/FDP bytes are not compared */
#define DO_NONZERO 0x04000u  /* the source operand is never zero (TZCNT vs BSF) */
#define DO_LEAVE   0x08000u  /* RBP points into the stack area */
#define DO_LOOP    0x10000u  /* RCX is often 0 or 1 */
#define DO_ALIGN   0x20000u  /* the memory operand is usually aligned to its size */
#define DO_SREG    0x40000u  /* DS/ES are compared; source selectors biased to valid ones */
#define DO_ULP     0x80000u  /* x87 transcendental: ST results compared to a few ULP */
#define DO_CX16    0x100000u /* CMPXCHG16B: RDX:RAX often equals the memory operand */

#define DIFF_MAX_OPS  3
#define DIFF_MAX_TMPL 6

struct diff_form {
    char name[48];
    u8 n_ops;
    u8 kind[DIFF_MAX_OPS];
    u16 mem_bytes[DIFF_MAX_OPS];
    u8 flags_mode; /* enum diff_flags_mode */
    u32 opts;      /* DO_* */
    u8 n_tmpl;
    char tmpl[DIFF_MAX_TMPL][48]; /* encoding templates ("W 03 /r") */
};

/* A concrete encoding of a form, with what the case generator must know about it. */
struct diff_enc {
    u8 bytes[16];
    u8 len;
    u8 tmpl_index;
    i8 reg[DIFF_MAX_OPS]; /* register number per operand (0-15, 16-19 = AH..BH), or -1 */
    bool has_mem;
    bool rip_rel;
    bool addr32;    /* 67 prefix */
    u8 base, index; /* 0-15, or 0xff for none */
    u8 scale;       /* log2 */
    i32 disp;
    u32 mem_off;   /* buffer offset the memory operand points at */
    u16 mem_bytes; /* its size (0: unsized) */
    u8 opsize;     /* operand size in bytes of the main operation (1, 2, 4, 8; 16 for SSE) */
    u64 imm;       /* last immediate (shift counts) */
    bool has_imm;
    u32 target_pad; /* code offset of the branch target chosen, 0 if none */
};

/* Architectural state a case starts from and ends with. */
struct diff_state {
    u64 gpr[16];
    u64 rip;
    u64 rflags;
    u16 ds, es;
    u32 mem_off;                             /* buffer offset of the memory operand in this case */
    u8 fx[512] __attribute__((aligned(16))); /* FXSAVE image: x87, MXCSR, XMM0-15 */
    u8 buf[DIFF_BUF_SIZE] __attribute__((aligned(16)));
    int vector; /* -1: completed; else the exception vector raised */
};

/* FXSAVE image offsets (SDM vol. 1 10.5.1, table 10-2). */
#define FX_FCW   0
#define FX_FSW   2
#define FX_FTW   4
#define FX_FOP   6
#define FX_FIP   8
#define FX_FDP   16
#define FX_MXCSR 24
#define FX_ST    32  /* ST(i) at 32 + 16 i: 10 bytes each */
#define FX_XMM   160 /* XMMi at 160 + 16 i */

/* Small xorshift generator; every random choice comes from one seeded stream. */
struct diff_rng {
    u64 s;
};

static inline u64 diff_rand(struct diff_rng *r)
{
    u64 x = r->s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    r->s = x;
    return x * 0x2545f4914f6cdd1dull;
}

static inline u32 diff_below(struct diff_rng *r, u32 n)
{
    return n ? (u32)((diff_rand(r) >> 32) % n) : 0;
}

/* diff_forms.c */
/** diff_forms_load() - parse the form table at @path. Return: count, or -1 (message in @why). */
int diff_forms_load(const char *path, struct diff_form **out, char *why, size_t why_len);
/** diff_enc_make() - a random concrete encoding of @f. Return: false if the template is bad. */
bool diff_enc_make(const struct diff_form *f, struct diff_rng *r, struct diff_enc *e);
/** diff_case_make() - a random initial state for @e (biased values, fix-ups for @f).
 *  @fresh: refill the whole buffer; else only where this case reads (faster). */
void diff_case_make(const struct diff_form *f, const struct diff_enc *e, struct diff_rng *r,
                    struct diff_state *s, bool fresh);
/** diff_flags_defined() - the RFLAGS bits to compare for this case. */
u64 diff_flags_defined(const struct diff_form *f, const struct diff_enc *e,
                       const struct diff_state *in);

/* diff_native.c */
struct diff_native;
struct diff_native *diff_native_create(char *why, size_t why_len);
void diff_native_destroy(struct diff_native *n);
/** diff_native_load() - put @e in the stub (once per encoding). */
void diff_native_load(struct diff_native *n, const struct diff_enc *e);
/** diff_native_run() - run the loaded instruction from @in; @out gets the result. */
void diff_native_run(struct diff_native *n, const struct diff_state *in, struct diff_state *out);

/* diff_emu.c */
struct diff_emu;
struct diff_emu *diff_emu_create(const char *cpu_model, char *why, size_t why_len);
void diff_emu_destroy(struct diff_emu *m);
void diff_emu_load(struct diff_emu *m, const struct diff_enc *e);
void diff_emu_run(struct diff_emu *m, const struct diff_state *in, struct diff_state *out);

#endif
