/* SPDX-License-Identifier: MIT */
/*
 * The oracle side of the differential harness: runs one instruction on the host CPU. A stub in
 * a fixed executable page loads the state (FXRSTOR64 for x87/SSE, POPFQ, the 16 GPRs), runs
 * the instruction, and every exit (fall-through or branch pad) stores the state back (PUSHFQ,
 * FXSAVE64). Faults come back as signals (SIGFPE, SIGILL, SIGSEGV, SIGBUS, SIGTRAP) whose
 * trap number is the exception vector (SDM vol. 3 ch. 6).
 */
#include "tests/diff/diff.h"

#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

/* The stub's data, at DIFF_STATE_VA (absolute disp32 addressing from the stub). */
struct native_area {
    u8 fx_in[512];
    u8 fx_out[512];
    u8 fx_host[512];
    u64 gpr_in[16];
    u64 gpr_out[16];
    u64 rflags_in;
    u64 rflags_out;
    u64 rip_out;
    u64 saved_rsp;
    u16 ds_out, es_out, zero_sel, pad;
};

#define AREA_OFF(field) ((u32)(DIFF_STATE_VA + __builtin_offsetof(struct native_area, field)))

#define STORE_OFF    0xc00u /* the common exit sequence */
#define SIGSTK_BYTES (64 * 1024)

struct diff_native {
    struct native_area *area;
    u8 *code;
    u8 *buf;
    void *sigstk;
    struct sigaction old[5];
    u32 fall_off; /* code offset of the fall-through pad */
};

/*
 * Where a signal raised by the stub goes. A signal handler has no other way to reach its
 * caller's state: this is the harness's only mutable static, set while the stub runs.
 */
static struct native_trap {
    sigjmp_buf jb;
    volatile int vector;
    volatile bool armed;
} native_trap;

static const int native_signals[5] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};

static void native_on_signal(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    u64 rip = (u64)uc->uc_mcontext.gregs[REG_RIP];

    (void)si;
    if (!native_trap.armed || rip < DIFF_CODE_VA || rip >= DIFF_CODE_VA + 0x1000) {
        /* Not the instruction under test: die with the default action. */
        signal(sig, SIG_DFL);
        return;
    }
    native_trap.vector = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
    native_trap.armed = false;
    siglongjmp(native_trap.jb, 1);
}

static u8 *emit(u8 *p, const u8 *b, unsigned n)
{
    memcpy(p, b, n);
    return p + n;
}

static u8 *emit32(u8 *p, u32 v)
{
    memcpy(p, &v, 4);
    return p + 4;
}

/* op [abs32] with an r64 in ModRM.reg: REX.W (+R), @opc, ModRM 00 reg 100, SIB 25, disp32. */
static u8 *emit_abs_r64(u8 *p, u8 opc, unsigned reg, u32 addr)
{
    *p++ = (u8)(0x48 | (reg >= 8 ? 4 : 0));
    *p++ = opc;
    *p++ = (u8)(((reg & 7) << 3) | 4);
    *p++ = 0x25;
    return emit32(p, addr);
}

/* An instruction with a ModRM digit/reg and [abs32]: prefix bytes, then ModRM and SIB. */
static u8 *emit_abs(u8 *p, const u8 *pre, unsigned n_pre, unsigned digit, u32 addr)
{
    p = emit(p, pre, n_pre);
    *p++ = (u8)((digit << 3) | 4);
    *p++ = 0x25;
    return emit32(p, addr);
}

static u8 *emit_jmp(u8 *p, u8 *code, u32 to_off)
{
    u32 from = (u32)(p - code) + 5;

    *p++ = 0xe9;
    return emit32(p, to_off - from);
}

/* A pad: record its own address as the RIP reached, then go to the store sequence. */
static void emit_pad(u8 *code, u32 off)
{
    u8 *p = code + off;

    *p++ = 0xc7;
    *p++ = 0x04;
    *p++ = 0x25;
    p = emit32(p, AREA_OFF(rip_out));
    p = emit32(p, (u32)(DIFF_CODE_VA + off));
    emit_jmp(p, code, STORE_OFF);
}

static void native_build_fixed(struct diff_native *n)
{
    static const u8 save_callee[] = {0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57};
    static const u8 rest_callee[] = {0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b};
    static const u8 fx64[] = {0x48, 0x0f, 0xae};
    u8 *code = n->code;
    u8 *p = code;

    memset(code, 0xcc, 0x1000); /* INT3 everywhere else */
    /* Prologue at 0. */
    p = emit(p, save_callee, sizeof(save_callee));
    p = emit_abs_r64(p, 0x89, 4, AREA_OFF(saved_rsp));              /* mov [saved_rsp], rsp */
    p = emit_abs(p, fx64, 3, 0, AREA_OFF(fx_host));                 /* fxsave64 [fx_host] */
    p = emit_abs(p, fx64, 3, 1, AREA_OFF(fx_in));                   /* fxrstor64 [fx_in] */
    p = emit_abs(p, (const u8[]){0xff}, 1, 6, AREA_OFF(rflags_in)); /* push [rflags_in] */
    *p++ = 0x9d;                                                    /* popfq */
    for (unsigned r = 0; r < 16; r++)
        if (r != 4)
            p = emit_abs_r64(p, 0x8b, r, AREA_OFF(gpr_in) + 8 * r);
    p = emit_abs_r64(p, 0x8b, 4, AREA_OFF(gpr_in) + 8 * 4);
    emit_jmp(p, code, DIFF_INSN_OFF);

    for (unsigned k = 0; k < DIFF_N_PADS; k++)
        emit_pad(code, diff_pad_off[k]);

    /* Store sequence. */
    p = code + STORE_OFF;
    for (unsigned r = 0; r < 16; r++)
        p = emit_abs_r64(p, 0x89, r, AREA_OFF(gpr_out) + 8 * r);
    p = emit_abs_r64(p, 0x8b, 4, AREA_OFF(saved_rsp));               /* mov rsp, [saved_rsp] */
    *p++ = 0x9c;                                                     /* pushfq */
    p = emit_abs(p, (const u8[]){0x8f}, 1, 0, AREA_OFF(rflags_out)); /* pop [rflags_out] */
    p = emit_abs(p, (const u8[]){0x8c}, 1, 3, AREA_OFF(ds_out));     /* mov [ds_out], ds */
    p = emit_abs(p, (const u8[]){0x8c}, 1, 0, AREA_OFF(es_out));     /* mov [es_out], es */
    p = emit_abs(p, (const u8[]){0x8e}, 1, 3, AREA_OFF(zero_sel));   /* mov ds, [zero] */
    p = emit_abs(p, (const u8[]){0x8e}, 1, 0, AREA_OFF(zero_sel));   /* mov es, [zero] */
    p = emit_abs(p, fx64, 3, 0, AREA_OFF(fx_out));                   /* fxsave64 [fx_out] */
    p = emit_abs(p, fx64, 3, 1, AREA_OFF(fx_host));                  /* fxrstor64 [fx_host] */
    p = emit(p, (const u8[]){0x68, 0x02, 0x02, 0, 0, 0x9d}, 6);      /* push 0x202; popfq */
    p = emit(p, rest_callee, sizeof(rest_callee));
    *p = 0xc3; /* ret */
}

struct diff_native *diff_native_create(char *why, size_t why_len)
{
    struct diff_native *n = calloc(1, sizeof(*n));
    const int fix = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
    stack_t ss;
    struct sigaction sa;

    if (!n) {
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    n->area = mmap((void *)DIFF_STATE_VA, 0x1000, PROT_READ | PROT_WRITE, fix, -1, 0);
    n->code = mmap((void *)DIFF_CODE_VA, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC, fix, -1, 0);
    /* Guard page, buffer, guard page. */
    n->buf = mmap((void *)(DIFF_BUF_VA - 0x1000), DIFF_BUF_SIZE + 0x2000, PROT_NONE, fix, -1, 0);
    if (n->area != (void *)DIFF_STATE_VA || n->code != (void *)DIFF_CODE_VA ||
        n->buf != (void *)(DIFF_BUF_VA - 0x1000) ||
        mprotect((void *)DIFF_BUF_VA, DIFF_BUF_SIZE, PROT_READ | PROT_WRITE)) {
        snprintf(why, why_len, "cannot map the fixed pages at %#llx..%#llx",
                 (unsigned long long)DIFF_STATE_VA,
                 (unsigned long long)(DIFF_BUF_VA + DIFF_BUF_SIZE + 0x1000));
        free(n);
        return NULL;
    }
    n->buf = (u8 *)DIFF_BUF_VA;
    n->sigstk = malloc(SIGSTK_BYTES);
    if (!n->sigstk) {
        snprintf(why, why_len, "out of memory");
        free(n);
        return NULL;
    }
    ss.ss_sp = n->sigstk;
    ss.ss_size = SIGSTK_BYTES;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = native_on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (unsigned k = 0; k < 5; k++)
        sigaction(native_signals[k], &sa, &n->old[k]);
    native_build_fixed(n);
    return n;
}

void diff_native_destroy(struct diff_native *n)
{
    stack_t ss = {.ss_flags = SS_DISABLE};

    if (!n)
        return;
    for (unsigned k = 0; k < 5; k++)
        sigaction(native_signals[k], &n->old[k], NULL);
    sigaltstack(&ss, NULL);
    free(n->sigstk);
    munmap((void *)DIFF_STATE_VA, 0x1000);
    munmap((void *)DIFF_CODE_VA, 0x1000);
    munmap((void *)(DIFF_BUF_VA - 0x1000), DIFF_BUF_SIZE + 0x2000);
    free(n);
}

void diff_native_load(struct diff_native *n, const struct diff_enc *e)
{
    u8 *code = n->code;

    /* Clear the previous instruction and fall-through pad (they never reach pad 0x840). */
    memset(code + DIFF_INSN_OFF, 0xcc, 0x40);
    memcpy(code + DIFF_INSN_OFF, e->bytes, e->len);
    n->fall_off = DIFF_INSN_OFF + e->len;
    emit_pad(code, n->fall_off);
    __builtin___clear_cache((char *)code, (char *)code + 0x1000);
}

void diff_native_run(struct diff_native *n, const struct diff_state *in, struct diff_state *out)
{
    struct native_area *a = n->area;
    void (*stub)(void) = (void (*)(void))DIFF_CODE_VA;

    memcpy(a->fx_in, in->fx, 512);
    memcpy(a->gpr_in, in->gpr, sizeof(a->gpr_in));
    a->rflags_in = in->rflags;
    a->rip_out = 0;
    a->zero_sel = 0;
    memcpy(n->buf, in->buf, DIFF_BUF_SIZE);
    native_trap.vector = -1;
    if (sigsetjmp(native_trap.jb, 1) == 0) {
        native_trap.armed = true;
        stub();
        native_trap.armed = false;
        memcpy(out->gpr, a->gpr_out, sizeof(out->gpr));
        memcpy(out->fx, a->fx_out, 512);
        out->rflags = a->rflags_out;
        out->rip = a->rip_out;
        out->ds = a->ds_out;
        out->es = a->es_out;
        out->vector = -1;
    } else {
        /* The fault left DS/ES as loaded (only the sreg forms change them): reset them. */
        __asm__ volatile("mov %0, %%ds\n\tmov %0, %%es" : : "r"((u32)0));
        memcpy(out, in, __builtin_offsetof(struct diff_state, buf));
        out->vector = native_trap.vector;
    }
    memcpy(out->buf, n->buf, DIFF_BUF_SIZE);
}
