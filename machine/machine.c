/* SPDX-License-Identifier: MIT */
/*
 * The test machine: creation and wiring, the port-I/O routing of the vCPUs, and the
 * scheduler: vCPUs take turns of a quantum of instructions on one host thread; virtual time
 * is the vCPUs' cycle counts at the configured clock; device timers fire between turns; when
 * every vCPU is halted time jumps to the next timer, and with no timer the machine stops
 * (the test machine has no interrupt controller that could wake a vCPU).
 */
#include "machine/machine.h"

#include "base/check.h"
#include "core/block.h"
#include "core/cpuid.h"
#include "core/optable.h"
#include "hw/debugport.h"
#include "hw/ioport.h"
#include "hw/uart.h"
#include "machine/boot.h"
#include "mm/memsys.h"
#include "mm/mmu.h"
#include "mm/physmem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PC_HOLE_BASE (3 * GiB) /* RAM avoids [3 GiB, 4 GiB): ROM and future MMIO live there */
#define PC_HOLE_SIZE (1 * GiB)

struct machine_timer {
    u64 when_ns;
    machine_timer_fn *fn;
    void *opaque;
};

struct machine {
    struct machine_config cfg;
    const struct numa_topology *topo;
    u32 n_cpus;
    struct physmem *pm;
    struct tier_state *tiers;
    struct memsys *ms; /* detailed mode only */
    struct optable *optable;
    struct cpuid_model *cpuid;
    struct block_cache *blocks;
    struct mmu **mmus;
    struct cpu **cpus;
    bool *is_waiting_sipi; /* APs wait for INIT/SIPI (no LAPIC yet: forever) */
    struct ioport_bus io;
    struct debugport_exit dbg_exit;
    struct debugport_con dbg_con;
    struct uart uart;
    struct boot_rom rom;
    struct boot_info boot;
    struct stats *stats;

    /* Scheduler state. */
    u32 cur_cpu;
    enum machine_stop stop;
    int stop_status;
    u64 now_cycles;    /* virtual time: the furthest any vCPU has run */
    u64 next_epoch_ns; /* detailed mode: next tier bandwidth epoch */
    u32 n_timers;
    struct machine_timer timers[MACHINE_MAX_TIMERS];
    u64 n_instructions; /* stats: retired by all vCPUs (updated when a run ends) */
    u64 n_turns;
    u64 n_idle_skips;
    u64 time_ns_stat;
};

void machine_config_default(struct machine_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->type = "test";
    cfg->cpu_model = "terrace";
    cfg->run_name = "terrace";
    cfg->quantum_insns = MACHINE_QUANTUM_INSNS;
    cfg->cpu_ghz = 3.0;
    cfg->tsc_ghz = 1.0;
    cfg->epoch_ns = 1000000;
    cfg->debug_exit_base = DEBUGPORT_EXIT_PORT;
    cfg->debug_exit_size = DEBUGPORT_EXIT_SIZE;
}

static u32 machine_port_in(void *opaque, u32 cpu, u16 port, unsigned size_bytes)
{
    struct machine *m = opaque;

    m->cur_cpu = cpu;
    return ioport_read(&m->io, port, size_bytes);
}

static void machine_port_out(void *opaque, u32 cpu, u16 port, u32 value, unsigned size_bytes)
{
    struct machine *m = opaque;

    m->cur_cpu = cpu;
    ioport_write(&m->io, port, value, size_bytes);
}

/* isa-debug-exit: stop after the OUT's block (OUT ends blocks, so right after it). */
static void machine_on_debug_exit(void *opaque, int status)
{
    struct machine *m = opaque;

    if (m->stop != MACHINE_STOP_NONE)
        return;
    m->stop = MACHINE_STOP_DEBUG_EXIT;
    m->stop_status = status & 0xff;
    cpu_post_event(m->cpus[m->cur_cpu], CPU_EV_EXIT);
}

static bool machine_check_config(const struct machine_config *cfg, struct emu_err *err)
{
    if (!cfg->type || strcmp(cfg->type, "test") != 0) {
        err_set(err, "machine '%s' is not implemented yet (only -M test is)",
                cfg->type ? cfg->type : "(none)");
        return false;
    }
    if (!cfg->topo || !cfg->topo->is_final) {
        err_set(err, "the machine needs a finalized topology");
        return false;
    }
    if (!cfg->kernel_path && !cfg->bios_path) {
        err_set(err, "-M test needs -kernel FILE or -bios FILE");
        return false;
    }
    if (cfg->kernel_path && cfg->bios_path) {
        err_set(err, "-M test takes -kernel or -bios, not both (there is no firmware to hand "
                     "the kernel to)");
        return false;
    }
    if (!(cfg->cpu_ghz > 0) || !(cfg->tsc_ghz > 0) || cfg->quantum_insns == 0 ||
        cfg->epoch_ns == 0) {
        err_set(err, "CPU and TSC frequencies, quantum and epoch must be positive");
        return false;
    }
    return true;
}

static bool machine_make_cpus(struct machine *m, struct emu_err *err)
{
    struct mmu_config mcfg;
    struct mem_port port;

    mmu_config_default(&mcfg);
    mcfg.maxphyaddr = cpuid_maxphyaddr(m->cpuid);
    if (m->ms)
        port = memsys_port(m->ms);
    m->mmus = calloc(m->n_cpus, sizeof(*m->mmus));
    m->cpus = calloc(m->n_cpus, sizeof(*m->cpus));
    m->is_waiting_sipi = calloc(m->n_cpus, sizeof(*m->is_waiting_sipi));
    if (!m->mmus || !m->cpus || !m->is_waiting_sipi) {
        err_set(err, "out of memory");
        return false;
    }
    for (u32 i = 0; i < m->n_cpus; i++) {
        struct cpu_config cc = {
            .index = i,
            .pm = m->pm,
            .ms = m->ms,
            .optable = m->optable,
            .cpuid = m->cpuid,
            .bus = {.opaque = m, .port_in = machine_port_in, .port_out = machine_port_out},
            .tsc_ghz = m->cfg.tsc_ghz,
            .cpu_ghz = m->cfg.cpu_ghz,
            .blocks = m->blocks,
        };

        m->mmus[i] = mmu_create(&mcfg, m->pm, m->ms ? &port : NULL, i, err);
        if (!m->mmus[i])
            return false;
        cc.mmu = m->mmus[i];
        m->cpus[i] = cpu_create(&cc, err);
        if (!m->cpus[i])
            return false;
        m->is_waiting_sipi[i] = i != 0; /* the BSP runs; APs wait for a SIPI */
    }
    return true;
}

static bool machine_make_devices(struct machine *m, struct emu_err *err)
{
    const struct machine_config *cfg = &m->cfg;

    ioport_bus_init(&m->io);
    if (cfg->has_debug_exit &&
        !debugport_exit_init(&m->dbg_exit, &m->io, cfg->debug_exit_base, cfg->debug_exit_size,
                             machine_on_debug_exit, m, err))
        return false;
    if (cfg->has_debugcon &&
        !debugport_con_init(&m->dbg_con, &m->io, DEBUGPORT_CON_PORT, cfg->debugcon, err))
        return false;
    if (cfg->has_serial && !uart_init(&m->uart, &m->io, UART_COM1_PORT, cfg->serial, err))
        return false;
    return true;
}

static void machine_register_stats(struct machine *m)
{
    struct stats_group *root = stats_root(m->stats);
    struct stats_group *g = stats_group_new(root, "machine");

    stats_counter(g, "instructions", &m->n_instructions, "count",
                  "instructions retired by all vCPUs");
    stats_counter(g, "time_ns", &m->time_ns_stat, "ns", "virtual time");
    stats_counter(g, "turns", &m->n_turns, "count", "vCPU scheduling turns");
    stats_counter(g, "idle_skips", &m->n_idle_skips, "count",
                  "virtual-time jumps while every vCPU was halted");
    stats_counter(g, "io_unclaimed", &m->io.n_unclaimed, "count",
                  "port accesses no device claimed");
    for (u32 i = 0; i < m->n_cpus; i++) {
        struct stats_group *cg = stats_group_new(root, "cpu%u", i);

        cpu_register_stats(m->cpus[i], cg);
        mmu_register_stats(m->mmus[i], cg);
    }
    block_cache_register_stats(m->blocks, stats_group_new(root, "blocks"));
    physmem_register_stats(m->pm, stats_group_new(root, "physmem"));
    if (m->ms)
        memsys_register_stats(m->ms, root);
}

struct machine *machine_create(const struct machine_config *cfg, struct emu_err *err)
{
    struct physmem_layout layout = {.hole_base = PC_HOLE_BASE, .hole_size_bytes = PC_HOLE_SIZE};
    struct machine *m;

    if (!machine_check_config(cfg, err))
        return NULL;
    m = calloc(1, sizeof(*m));
    if (!m) {
        err_set(err, "out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    m->topo = cfg->topo;
    m->n_cpus = cfg->topo->n_cpus;
    m->pm = physmem_create(m->topo, &layout, err);
    if (!m->pm)
        goto out_fail;
    if (cfg->is_detailed) {
        struct memsys_config mscfg;

        m->tiers = calloc(m->topo->n_nodes, sizeof(*m->tiers));
        if (!m->tiers) {
            err_set(err, "out of memory");
            goto out_fail;
        }
        for (u32 n = 0; n < m->topo->n_nodes; n++)
            tier_init(&m->tiers[n], &m->topo->nodes[n].perf);
        memsys_config_default(&mscfg, m->n_cpus);
        mscfg.cpu_ghz = cfg->cpu_ghz;
        m->ms = memsys_create(&mscfg, m->pm, m->tiers, m->topo->n_nodes, err);
        if (!m->ms)
            goto out_fail;
    }
    m->optable = optable_create();
    if (!m->optable) {
        err_set(err, "out of memory");
        goto out_fail;
    }
    m->cpuid = cpuid_model_create(cfg->cpu_model, m->n_cpus, err);
    if (!m->cpuid) {
        err_prefix(err, "-cpu: ");
        goto out_fail;
    }
    cpuid_set_tsc(m->cpuid, (u64)(cfg->tsc_ghz * 1e9 + 0.5), 25000000u);
    m->blocks = block_cache_create(m->pm, 0, err);
    if (!m->blocks)
        goto out_fail;
    if (!machine_make_cpus(m, err) || !machine_make_devices(m, err))
        goto out_fail;
    if (cfg->bios_path && !boot_rom_load(m->pm, cfg->bios_path, &m->rom, err))
        goto out_fail;
    if (cfg->kernel_path &&
        !boot_kernel(m->pm, m->cpus[0], cfg->kernel_path, cfg->append, &m->boot, err)) {
        err_prefix(err, "-kernel: ");
        goto out_fail;
    }
    m->stats = stats_create(cfg->run_name ? cfg->run_name : "terrace");
    if (!m->stats) {
        err_set(err, "out of memory");
        goto out_fail;
    }
    machine_register_stats(m);
    m->next_epoch_ns = cfg->epoch_ns;
    return m;

out_fail:
    machine_destroy(m);
    return NULL;
}

void machine_destroy(struct machine *m)
{
    if (!m)
        return;
    if (m->stats)
        stats_destroy(m->stats);
    for (u32 i = 0; m->cpus && i < m->n_cpus; i++)
        cpu_destroy(m->cpus[i]);
    if (m->blocks)
        block_cache_destroy(m->blocks);
    for (u32 i = 0; m->mmus && i < m->n_cpus; i++)
        if (m->mmus[i])
            mmu_destroy(m->mmus[i]);
    if (m->ms)
        memsys_destroy(m->ms);
    if (m->optable)
        optable_destroy(m->optable);
    if (m->cpuid)
        cpuid_model_destroy(m->cpuid);
    if (m->pm)
        physmem_destroy(m->pm);
    boot_rom_free(&m->rom);
    free(m->tiers);
    free(m->cpus);
    free(m->mmus);
    free(m->is_waiting_sipi);
    free(m);
}

struct cpu *machine_cpu(struct machine *m, u32 index)
{
    return index < m->n_cpus ? m->cpus[index] : NULL;
}

struct stats *machine_stats(struct machine *m)
{
    return m->stats;
}

static u64 machine_cycles_to_ns(const struct machine *m, u64 cycles)
{
    return (u64)((double)cycles / m->cfg.cpu_ghz);
}

u64 machine_now_ns(const struct machine *m)
{
    return machine_cycles_to_ns(m, m->now_cycles);
}

bool machine_timer_add(struct machine *m, u64 when_ns, machine_timer_fn *fn, void *opaque)
{
    u32 k;

    if (m->n_timers == MACHINE_MAX_TIMERS)
        return false;
    /* Kept sorted by time; equal times fire in the order they were added. */
    for (k = m->n_timers; k > 0 && m->timers[k - 1].when_ns > when_ns; k--)
        m->timers[k] = m->timers[k - 1];
    m->timers[k] = (struct machine_timer){when_ns, fn, opaque};
    m->n_timers++;
    return true;
}

static void machine_fire_timers(struct machine *m)
{
    u64 now = machine_now_ns(m);

    while (m->n_timers && m->timers[0].when_ns <= now && m->stop == MACHINE_STOP_NONE) {
        struct machine_timer t = m->timers[0];

        m->n_timers--;
        memmove(&m->timers[0], &m->timers[1], m->n_timers * sizeof(m->timers[0]));
        t.fn(t.opaque, now);
    }
}

/* Detailed mode: every node's tier takes the bandwidth offered in each finished epoch. */
static void machine_epochs(struct machine *m)
{
    u64 now = machine_now_ns(m);

    if (!m->ms || now < m->next_epoch_ns)
        return;
    memsys_epoch_end(m->ms, (double)(now - (m->next_epoch_ns - m->cfg.epoch_ns)));
    m->next_epoch_ns = now + m->cfg.epoch_ns;
}

static u64 machine_icount(const struct machine *m)
{
    u64 n = 0;

    for (u32 i = 0; i < m->n_cpus; i++)
        n += m->cpus[i]->icount;
    return n;
}

static bool machine_cpu_is_idle(const struct machine *m, u32 i)
{
    const struct cpu *c = m->cpus[i];

    return m->is_waiting_sipi[i] || (c->is_halted && !(c->events & ~(u32)CPU_EV_IRQ));
}

static void machine_triple_fault(struct machine *m, u32 i)
{
    m->stop = MACHINE_STOP_TRIPLE_FAULT;
    m->stop_status = MACHINE_STATUS_TRIPLE_FAULT;
    m->cur_cpu = i;
}

/* One round: every runnable vCPU gets a turn. */
static void machine_round(struct machine *m)
{
    for (u32 i = 0; i < m->n_cpus && m->stop == MACHINE_STOP_NONE; i++) {
        struct cpu *c = m->cpus[i];
        u64 budget = m->cfg.quantum_insns;
        enum cpu_exit ex;

        if (machine_cpu_is_idle(m, i))
            continue;
        if (m->cfg.icount_limit) {
            u64 done = machine_icount(m);

            if (done >= m->cfg.icount_limit) {
                m->stop = MACHINE_STOP_ICOUNT_LIMIT;
                m->stop_status = MACHINE_STATUS_ICOUNT;
                return;
            }
            if (budget > m->cfg.icount_limit - done)
                budget = m->cfg.icount_limit - done;
        }
        /* A vCPU that idled catches up with the machine's time. */
        if (c->cycles < m->now_cycles && c->is_halted)
            c->cycles = m->now_cycles;
        m->cur_cpu = i;
        m->n_turns++;
        ex = cpu_run(c, budget);
        if (c->cycles > m->now_cycles)
            m->now_cycles = c->cycles;
        switch (ex) {
        case CPU_EXIT_TRIPLE_FAULT:
            machine_triple_fault(m, i);
            return;
        case CPU_EXIT_REQUEST:
            /* INIT/SIPI need a local APIC to be sent; none exists yet: drop them. */
            c->events &= ~(u32)(CPU_EV_INIT | CPU_EV_SIPI);
            break;
        default:
            break;
        }
    }
}

static void machine_describe_stop(struct machine *m, struct machine_result *res)
{
    const struct cpu *c = m->cpus[m->cur_cpu];

    switch (m->stop) {
    case MACHINE_STOP_TRIPLE_FAULT:
        snprintf(res->msg, sizeof(res->msg),
                 "cpu%u: triple fault (shutdown) at %04x:%llx, last exception vector %u",
                 m->cur_cpu, c->seg[SEG_CS].sel, (unsigned long long)c->rip, c->exc_vector);
        break;
    case MACHINE_STOP_ALL_HALTED:
        c = m->cpus[0];
        snprintf(res->msg, sizeof(res->msg),
                 "all CPUs halted (cpu0 at %04x:%llx, IF=%u) and nothing can wake them",
                 c->seg[SEG_CS].sel, (unsigned long long)c->rip, (unsigned)((c->rflags >> 9) & 1));
        break;
    case MACHINE_STOP_ICOUNT_LIMIT:
        snprintf(res->msg, sizeof(res->msg), "instruction limit reached (%llu instructions)",
                 (unsigned long long)res->instructions);
        break;
    default:
        res->msg[0] = '\0';
        break;
    }
}

void machine_run(struct machine *m, struct machine_result *res)
{
    while (m->stop == MACHINE_STOP_NONE) {
        bool all_idle = true;

        machine_round(m);
        machine_epochs(m);
        machine_fire_timers(m);
        if (m->stop != MACHINE_STOP_NONE)
            break;
        for (u32 i = 0; i < m->n_cpus; i++)
            all_idle &= machine_cpu_is_idle(m, i);
        if (!all_idle)
            continue;
        if (m->n_timers == 0) {
            m->stop = MACHINE_STOP_ALL_HALTED;
            m->stop_status = MACHINE_STATUS_HALTED;
            break;
        }
        /* Idle: jump to the next timer. */
        m->n_idle_skips++;
        {
            u64 when = m->timers[0].when_ns;
            u64 cyc = (u64)((double)when * m->cfg.cpu_ghz + 0.999);

            if (cyc > m->now_cycles)
                m->now_cycles = cyc;
        }
        machine_fire_timers(m);
    }
    m->n_instructions = machine_icount(m);
    m->time_ns_stat = machine_now_ns(m);
    memset(res, 0, sizeof(*res));
    res->reason = m->stop;
    res->status = m->stop_status;
    res->instructions = m->n_instructions;
    res->time_ns = m->time_ns_stat;
    machine_describe_stop(m, res);
}

static bool machine_write_one(struct stats *s, const char *path, unsigned which,
                              struct emu_err *err)
{
    if (which == 0)
        return stats_write_tidy_csv(s, path, err);
    if (which == 1)
        return stats_write_wide_csv(s, path, err);
    return stats_write_json(s, path, err);
}

bool machine_write_stats(struct machine *m, const char *dir, struct emu_err *err)
{
    static const char *const suffixes[] = {".csv", ".epochs.csv", ".json"};
    const char *run = m->cfg.run_name ? m->cfg.run_name : "terrace";
    struct stat st;

    m->n_instructions = machine_icount(m);
    m->time_ns_stat = machine_now_ns(m);
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0) {
            err_set_errno(err, errno, "-stats: cannot create folder '%s'", dir);
            return false;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        err_set(err, "-stats: '%s' is not a folder", dir);
        return false;
    }
    stats_epoch_end(m->stats, m->time_ns_stat);
    for (unsigned k = 0; k < ARRAY_LEN(suffixes); k++) {
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s%s", dir, run, suffixes[k]);
        if (!machine_write_one(m->stats, path, k, err))
            return false;
    }
    return true;
}
