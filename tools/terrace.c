/* SPDX-License-Identifier: MIT */
/*
 * terrace: the system emulator's front end, with QEMU's option syntax. Parses argv into a
 * machine configuration, runs the machine, and exits with the guest's isa-debug-exit status
 * (or a status of its own: 2 all CPUs halted, 4 triple fault, 6 instruction limit, 1 errors).
 */
#include "base/err.h"
#include "base/opts.h"
#include "hw/chardev.h"
#include "machine/machine.h"
#include "numa/topology.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: terrace -M test (-kernel FILE | -bios FILE) [options]\n"
    "  -M, -machine NAME     machine type; only 'test' exists (a PC is not implemented yet)\n"
    "  -kernel FILE          multiboot v1 kernel, or an ELF32/ELF64 image\n"
    "  -append STR           kernel command line (multiboot)\n"
    "  -bios FILE            ROM image mapped below 4 GiB; the CPU starts at F000:FFF0\n"
    "  -m SIZE  -smp N  -numa ...  -object memory-backend-ram,...   (QEMU syntax)\n"
    "  -cpu NAME[,+feat,-feat]  CPU model: terrace (default) or minimal\n"
    "  -device isa-debug-exit[,iobase=PORT][,iosize=N]   guest-controlled exit status\n"
    "  -debugcon stdio|file:PATH|null   debug console on port 0xE9\n"
    "  -serial stdio|file:PATH|null|none   16550 UART on 0x3F8 (output only)\n"
    "  -nographic            no display; the serial port goes to stdio unless -serial is set\n"
    "  -display none         accepted (terrace has no display)\n"
    "  -no-reboot            accepted (the test machine always stops on a triple fault)\n"
    "  -accel tcg            accepted and ignored\n"
    "  -mode fast|detailed   fast: functional; detailed: caches, TLB and tier timing\n"
    "  -detailed             same as -mode detailed\n"
    "  -icount-limit N       stop after N instructions (exit status 6)\n"
    "  -stats DIR            write stats (RUN.csv, RUN.epochs.csv, RUN.json) on exit\n"
    "  -name RUN             run name in the stats (default: terrace)\n"
    "exit status: isa-debug-exit's (value << 1) | 1; 2 all CPUs halted; 4 triple fault;\n"
    "6 instruction limit; 1 bad options or images.\n";

/* Where a chardev's bytes go. */
struct sink {
    FILE *fp;
    bool is_owned;
};

struct args {
    struct machine_config cfg;
    struct numa_topology *topo;
    const char *stats_dir;
    const char *debugcon_spec;
    const char *serial_spec;
    bool is_nographic;
    struct sink debugcon, serial;
};

static void sink_write(void *opaque, const u8 *buf, size_t len)
{
    struct sink *s = opaque;

    fwrite(buf, 1, len, s->fp);
    if (memchr(buf, '\n', len))
        fflush(s->fp);
}

/* "stdio", "file:PATH", "null" (and for -serial "none"). Return: false and @err. */
static bool open_sink(const char *opt, const char *spec, struct sink *s, bool *has,
                      struct chardev *cd, struct emu_err *err)
{
    *has = true;
    if (!strcmp(spec, "stdio")) {
        s->fp = stdout;
    } else if (!strncmp(spec, "file:", 5) && spec[5]) {
        s->fp = fopen(spec + 5, "w");
        if (!s->fp) {
            err_set_errno(err, errno, "%s: cannot open '%s'", opt, spec + 5);
            return false;
        }
        s->is_owned = true;
    } else if (!strcmp(spec, "null")) {
        s->fp = NULL;
    } else if (!strcmp(spec, "none") && !strcmp(opt, "-serial")) {
        *has = false;
        s->fp = NULL;
    } else {
        err_set(err, "%s: '%s' is not stdio, file:PATH or null", opt, spec);
        return false;
    }
    cd->write = s->fp ? sink_write : NULL;
    cd->opaque = s;
    return true;
}

static bool parse_port(const char *what, const char *s, u64 max, u64 *out, struct emu_err *err)
{
    if (!opts_parse_u64(s, out, NULL) || *out > max) {
        err_set(err, "-device isa-debug-exit: %s '%s' is not a number up to 0x%llx", what, s,
                (unsigned long long)max);
        return false;
    }
    return true;
}

static bool parse_device(struct machine_config *cfg, const char *val, struct emu_err *err)
{
    struct opts_list l;
    const char *driver, *v;
    u64 base = cfg->debug_exit_base, size = cfg->debug_exit_size;
    bool ok = false;

    if (!opts_split(val, "driver", &l, err))
        return false;
    driver = opts_get(&l, "driver");
    if (!driver || strcmp(driver, "isa-debug-exit") != 0) {
        err_set(err, "-device: unknown device '%s' (terrace has: isa-debug-exit)",
                driver ? driver : "");
        goto out;
    }
    if ((v = opts_get(&l, "iobase")) && !parse_port("iobase", v, 0xffff, &base, err))
        goto out;
    if ((v = opts_get(&l, "iosize")) && !parse_port("iosize", v, 4, &size, err))
        goto out;
    if (!opts_check_unused(&l, "-device isa-debug-exit", err))
        goto out;
    cfg->has_debug_exit = true;
    cfg->debug_exit_base = (u16)base;
    cfg->debug_exit_size = (u16)size;
    ok = true;
out:
    opts_free(&l);
    return ok;
}

static bool parse_machine(struct machine_config *cfg, const char *val, struct emu_err *err)
{
    size_t len = strcspn(val, ",");
    char type[64];

    if (len == 0 || len >= sizeof(type)) {
        err_set(err, "-M: '%s' is not a machine type", val);
        return false;
    }
    memcpy(type, val, len);
    type[len] = '\0';
    if (strcmp(type, "test") != 0) {
        err_set(err, "-M %s: machine '%s' is not implemented yet (only -M test is)", type, type);
        return false;
    }
    if (val[len]) {
        err_set(err, "-M: options '%s' are not supported", val + len + 1);
        return false;
    }
    cfg->type = "test";
    return true;
}

static bool parse_args(int argc, char **argv, struct args *a, struct emu_err *err)
{
    struct machine_config *cfg = &a->cfg;

    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;

        if (opt[0] == '-' && opt[1] == '-' && opt[2])
            opt++; /* QEMU accepts --option too */
        if (!strcmp(opt, "-h") || !strcmp(opt, "-help")) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if (!strcmp(opt, "-nographic")) {
            a->is_nographic = true;
            continue;
        }
        if (!strcmp(opt, "-no-reboot")) {
            continue;
        }
        if (!strcmp(opt, "-detailed")) {
            cfg->is_detailed = true;
            continue;
        }
        if (opt[0] != '-') {
            err_set(err, "unexpected argument '%s' (see -help)", opt);
            return false;
        }
        if (strcmp(opt, "-M") && strcmp(opt, "-machine") && strcmp(opt, "-kernel") &&
            strcmp(opt, "-append") && strcmp(opt, "-bios") && strcmp(opt, "-m") &&
            strcmp(opt, "-smp") && strcmp(opt, "-numa") && strcmp(opt, "-object") &&
            strcmp(opt, "-cpu") && strcmp(opt, "-device") && strcmp(opt, "-debugcon") &&
            strcmp(opt, "-serial") && strcmp(opt, "-display") && strcmp(opt, "-accel") &&
            strcmp(opt, "-mode") && strcmp(opt, "-icount-limit") && strcmp(opt, "-stats") &&
            strcmp(opt, "-name")) {
            err_set(err, "unknown option '%s' (see -help)", argv[i]);
            return false;
        }
        if (!val) {
            err_set(err, "option %s needs a value", opt);
            return false;
        }
        i++;
        if (!strcmp(opt, "-M") || !strcmp(opt, "-machine")) {
            ok = parse_machine(cfg, val, err);
        } else if (!strcmp(opt, "-kernel")) {
            cfg->kernel_path = val;
        } else if (!strcmp(opt, "-append")) {
            cfg->append = val;
        } else if (!strcmp(opt, "-bios")) {
            cfg->bios_path = val;
        } else if (!strcmp(opt, "-m")) {
            ok = topo_parse_m(a->topo, val, err);
        } else if (!strcmp(opt, "-smp")) {
            ok = topo_parse_smp(a->topo, val, err);
        } else if (!strcmp(opt, "-numa")) {
            ok = topo_parse_numa(a->topo, val, err);
        } else if (!strcmp(opt, "-object")) {
            ok = topo_parse_object(a->topo, val, err);
        } else if (!strcmp(opt, "-cpu")) {
            cfg->cpu_model = val;
        } else if (!strcmp(opt, "-device")) {
            ok = parse_device(cfg, val, err);
        } else if (!strcmp(opt, "-debugcon")) {
            a->debugcon_spec = val;
        } else if (!strcmp(opt, "-serial")) {
            a->serial_spec = val;
        } else if (!strcmp(opt, "-display")) {
            if (strcmp(val, "none") != 0)
                ok = (err_set(err, "-display %s: terrace has no display (use -display none)", val),
                      false);
        } else if (!strcmp(opt, "-accel")) {
            if (strcmp(val, "tcg") != 0 && strncmp(val, "tcg,", 4) != 0)
                ok = (err_set(err, "-accel %s: only tcg is accepted (and ignored)", val), false);
        } else if (!strcmp(opt, "-mode")) {
            if (!strcmp(val, "fast") || !strcmp(val, "detailed"))
                cfg->is_detailed = !strcmp(val, "detailed");
            else
                ok = (err_set(err, "-mode: '%s' is not fast or detailed", val), false);
        } else if (!strcmp(opt, "-icount-limit")) {
            ok = opts_parse_u64(val, &cfg->icount_limit, NULL) && cfg->icount_limit > 0;
            if (!ok)
                err_set(err, "-icount-limit: '%s' is not a positive number", val);
        } else if (!strcmp(opt, "-stats")) {
            a->stats_dir = val;
        } else if (!strcmp(opt, "-name")) {
            if (!val[0] || strchr(val, '/'))
                ok = (err_set(err, "-name: '%s' is not a file name", val), false);
            cfg->run_name = val;
        }
        if (!ok) {
            if (!err->is_set)
                err_set(err, "%s: bad value '%s'", opt, val);
            else if (strncmp(err->msg, opt, strlen(opt)) != 0)
                err_prefix(err, "%s: ", opt);
            return false;
        }
    }
    if (!cfg->kernel_path && !cfg->bios_path) {
        err_set(err, "no -kernel or -bios given (see -help)");
        return false;
    }
    if (a->debugcon_spec && !open_sink("-debugcon", a->debugcon_spec, &a->debugcon,
                                       &cfg->has_debugcon, &cfg->debugcon, err))
        return false;
    if (!a->serial_spec && a->is_nographic)
        a->serial_spec = "stdio";
    if (a->serial_spec &&
        !open_sink("-serial", a->serial_spec, &a->serial, &cfg->has_serial, &cfg->serial, err))
        return false;
    return true;
}

static void close_sink(struct sink *s)
{
    if (s->fp)
        fflush(s->fp);
    if (s->is_owned)
        fclose(s->fp);
    s->fp = NULL;
}

int main(int argc, char **argv)
{
    struct emu_err err = {0};
    struct args a;
    struct machine *m = NULL;
    struct machine_result res;
    int rc = 1;

    memset(&a, 0, sizeof(a));
    machine_config_default(&a.cfg);
    a.topo = malloc(sizeof(*a.topo));
    if (!a.topo) {
        fputs("terrace: out of memory\n", stderr);
        return 1;
    }
    topo_init(a.topo);
    if (!parse_args(argc, argv, &a, &err) || !topo_finalize(a.topo, &err))
        goto out;
    a.cfg.topo = a.topo;
    m = machine_create(&a.cfg, &err);
    if (!m)
        goto out;
    machine_run(m, &res);
    fflush(stdout);
    if (res.msg[0])
        fprintf(stderr, "terrace: %s\n", res.msg);
    rc = res.status;
    if (a.stats_dir && !machine_write_stats(m, a.stats_dir, &err)) {
        rc = 1;
        goto out;
    }
out:
    if (err.is_set)
        fprintf(stderr, "terrace: %s\n", err.msg);
    machine_destroy(m);
    close_sink(&a.debugcon);
    close_sink(&a.serial);
    free(a.topo);
    return rc;
}
