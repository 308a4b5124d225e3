/* SPDX-License-Identifier: MIT */
/*
 * The test machine ("-M test"): RAM laid out from a NUMA topology, vCPUs with a per-vCPU MMU
 * model sharing one opcode table, block cache and CPUID model, a port-I/O bus with QEMU's
 * debug devices and a polled UART, a kernel or ROM loader, and a virtual-time round-robin
 * scheduler on one host thread. Fast mode executes functionally; detailed mode adds the
 * cache hierarchy and tier timing (mm/memsys.h) to the TLB and walk costs.
 */
#ifndef EMU_MACHINE_MACHINE_H
#define EMU_MACHINE_MACHINE_H

#include "base/err.h"
#include "base/types.h"
#include "core/cpu.h"
#include "hw/chardev.h"
#include "numa/topology.h"
#include "stats/stats.h"

/* Exit statuses besides isa-debug-exit's odd (value << 1) | 1 and 1 for usage errors. */
#define MACHINE_STATUS_HALTED       2 /* every vCPU halted with nothing pending */
#define MACHINE_STATUS_TRIPLE_FAULT 4 /* a vCPU shut down */
#define MACHINE_STATUS_ICOUNT       6 /* -icount-limit reached */

#define MACHINE_QUANTUM_INSNS 100000 /* default instructions per vCPU turn */
#define MACHINE_MAX_TIMERS    32

enum machine_stop {
    MACHINE_STOP_NONE,
    MACHINE_STOP_DEBUG_EXIT,   /* the guest wrote isa-debug-exit: status from the guest */
    MACHINE_STOP_ALL_HALTED,   /* every vCPU halted (or waits for SIPI), no event pending */
    MACHINE_STOP_TRIPLE_FAULT, /* a vCPU entered shutdown */
    MACHINE_STOP_ICOUNT_LIMIT, /* the instruction limit was reached */
};

struct machine_config {
    const char *type;                 /* "test" (others are refused) */
    const struct numa_topology *topo; /* finalized: RAM, vCPUs, nodes, tiers */
    const char *cpu_model;            /* CPUID model spec: "terrace[,+feat,-feat]" */
    const char *kernel_path;          /* multiboot / ELF image, or NULL */
    const char *append;               /* kernel command line, or NULL */
    const char *bios_path;            /* ROM image at the reset vector, or NULL */
    const char *run_name;             /* stats run name */
    bool is_detailed;                 /* caches and tier timing modelled */
    u64 icount_limit;                 /* stop after this many instructions; 0: never */
    u64 quantum_insns;                /* instructions per vCPU turn */
    double cpu_ghz;                   /* virtual clock of the vCPUs */
    double tsc_ghz;                   /* TSC frequency */
    u64 epoch_ns;                     /* detailed mode: tier bandwidth epoch */
    bool has_debug_exit;              /* isa-debug-exit at debug_exit_base */
    u16 debug_exit_base, debug_exit_size;
    bool has_debugcon; /* debug console at port 0xE9 */
    struct chardev debugcon;
    bool has_serial; /* 16550 at 0x3F8 */
    struct chardev serial;
};

struct machine_result {
    enum machine_stop reason;
    int status;       /* process exit status the front end should use */
    u64 instructions; /* retired by all vCPUs */
    u64 time_ns;      /* virtual time */
    char msg[256];    /* what happened, one line (empty for a debug exit) */
};

struct machine;

/** machine_config_default() - -M test, 1 CPU model "terrace", fast mode, no devices. */
void machine_config_default(struct machine_config *cfg);

/**
 * machine_create() - build the machine of @cfg and load its kernel or ROM.
 * Return: NULL and @err if the configuration is invalid or the image cannot be loaded.
 */
struct machine *machine_create(const struct machine_config *cfg, struct emu_err *err);
void machine_destroy(struct machine *m);

/** machine_run() - run until the guest exits, halts for good, shuts down or hits the limit. */
void machine_run(struct machine *m, struct machine_result *res);

/** machine_cpu() - vCPU @index (tests and tools inspect its state). */
struct cpu *machine_cpu(struct machine *m, u32 index);

/** machine_stats() - the stats registry (CPUs, MMUs, caches and tiers, blocks, machine). */
struct stats *machine_stats(struct machine *m);

/**
 * machine_write_stats() - end the stats epoch at the current virtual time and write
 * DIR/RUN.csv (tidy), DIR/RUN.epochs.csv (wide) and DIR/RUN.json, creating DIR if needed.
 * Return: false and @err.
 */
bool machine_write_stats(struct machine *m, const char *dir, struct emu_err *err);

/* A device timer on the virtual clock (fired between vCPU turns). */
typedef void machine_timer_fn(void *opaque, u64 now_ns);

/** machine_timer_add() - call @fn at virtual time @when_ns. Return: false if the queue is full. */
bool machine_timer_add(struct machine *m, u64 when_ns, machine_timer_fn *fn, void *opaque);

/** machine_now_ns() - the machine's virtual time. */
u64 machine_now_ns(const struct machine *m);

#endif
