/* SPDX-License-Identifier: MIT */
/*
 * terrace-replay: replay a memory trace through the modelled TLBs, page walker, caches and
 * memory tiers of a machine described with QEMU's options; write stats as CSV and JSON.
 */
#include "base/err.h"
#include "base/opts.h"
#include "numa/topology.h"
#include "stats/stats.h"
#include "traces/replay.h"
#include "traces/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: terrace-replay -trace FILE -o DIR [options]\n"
    "  -trace FILE          trace to replay (terrace-trace writes them)\n"
    "  -o DIR               output folder: RUN.csv (tidy), RUN.epochs.csv (wide), RUN.json\n"
    "  -name RUN            run name (default: replay)\n"
    "  -m SIZE  -smp N  -numa ...  -object memory-backend-ram,...   machine, QEMU syntax\n"
    "                       (default -m 4G; -smp defaults to the trace's CPU count)\n"
    "  -placement P         first-touch (default), interleave, node=N\n"
    "  -page-size S         4k (default) or 2m\n"
    "  -paging L            4 (default) or 5 levels\n"
    "  -epoch T             virtual time per stats epoch: 1ms (default), 100us, 5000000 (ns)\n"
    "  -cpi X               cycles per instruction outside memory accesses (default 1.0)\n"
    "  -cpu-ghz X           CPU clock (default 3.0)\n"
    "  -caches on|off       model the cache hierarchy (default on)\n"
    "  -q                   no summary on stdout\n";

struct replay_args {
    const char *trace_path;
    const char *out_dir;
    const char *run_name;
    bool has_m, has_smp, is_quiet;
};

static bool parse_time_ns(const char *s, u64 *out, struct emu_err *err)
{
    char num[64];
    size_t n = strspn(s, "0123456789.");
    double v, mult = 1;

    if (n == 0 || n >= sizeof(num))
        goto bad;
    memcpy(num, s, n);
    num[n] = '\0';
    if (!opts_parse_double(num, &v, NULL))
        goto bad;
    if (!strcmp(s + n, "") || !strcmp(s + n, "ns"))
        mult = 1;
    else if (!strcmp(s + n, "us"))
        mult = 1e3;
    else if (!strcmp(s + n, "ms"))
        mult = 1e6;
    else if (!strcmp(s + n, "s"))
        mult = 1e9;
    else
        goto bad;
    if (v * mult < 1 || v * mult > 1e15)
        goto bad;
    *out = (u64)(v * mult + 0.5);
    return true;
bad:
    err_set(err, "-epoch: '%s' is not a time (like 1ms, 100us or 5000000)", s);
    return false;
}

static bool parse_args(int argc, char **argv, struct replay_args *a, struct numa_topology *t,
                       struct replay_config *cfg, struct emu_err *err)
{
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = true;

        if (!strcmp(opt, "-q")) {
            a->is_quiet = true;
            continue;
        }
        if (!strcmp(opt, "-h") || !strcmp(opt, "-help") || !strcmp(opt, "--help")) {
            fputs(usage_text, stdout);
            exit(0);
        }
        if (opt[0] != '-' || !val) {
            err_set(err, opt[0] == '-' ? "option %s needs a value" : "unexpected argument '%s'",
                    opt);
            return false;
        }
        i++;
        if (!strcmp(opt, "-trace")) {
            a->trace_path = val;
        } else if (!strcmp(opt, "-o")) {
            a->out_dir = val;
        } else if (!strcmp(opt, "-name")) {
            a->run_name = val;
        } else if (!strcmp(opt, "-m")) {
            ok = topo_parse_m(t, val, err);
            a->has_m = true;
        } else if (!strcmp(opt, "-smp")) {
            ok = topo_parse_smp(t, val, err);
            a->has_smp = true;
        } else if (!strcmp(opt, "-numa")) {
            ok = topo_parse_numa(t, val, err);
        } else if (!strcmp(opt, "-object")) {
            ok = topo_parse_object(t, val, err);
        } else if (!strcmp(opt, "-placement")) {
            ok = replay_placement_parse(val, cfg, err);
        } else if (!strcmp(opt, "-page-size")) {
            if (!strcmp(val, "4k") || !strcmp(val, "4K"))
                cfg->page_size = PAGE_4K;
            else if (!strcmp(val, "2m") || !strcmp(val, "2M"))
                cfg->page_size = PAGE_2M;
            else
                ok = (err_set(err, "-page-size: '%s' is not 4k or 2m", val), false);
        } else if (!strcmp(opt, "-paging")) {
            if (!strcmp(val, "4") || !strcmp(val, "5"))
                cfg->la57 = val[0] == '5';
            else
                ok = (err_set(err, "-paging: '%s' is not 4 or 5", val), false);
        } else if (!strcmp(opt, "-epoch")) {
            ok = parse_time_ns(val, &cfg->epoch_ns, err);
        } else if (!strcmp(opt, "-cpi")) {
            ok = opts_parse_double(val, &cfg->cpi, err) && cfg->cpi > 0;
            if (!ok && !err->is_set)
                err_set(err, "-cpi must be positive");
        } else if (!strcmp(opt, "-cpu-ghz")) {
            ok = opts_parse_double(val, &cfg->mem.cpu_ghz, err) && cfg->mem.cpu_ghz > 0;
            if (!ok && !err->is_set)
                err_set(err, "-cpu-ghz must be positive");
        } else if (!strcmp(opt, "-caches")) {
            if (!strcmp(val, "on") || !strcmp(val, "off"))
                cfg->mem.caches_off = !strcmp(val, "off");
            else
                ok = (err_set(err, "-caches: '%s' is not on or off", val), false);
        } else {
            err_set(err, "unknown option '%s' (see -help)", opt);
            return false;
        }
        if (!ok) {
            if (!err->is_set)
                err_set(err, "%s: bad value '%s'", opt, val);
            else if (strncmp(err->msg, opt, strlen(opt)) != 0)
                err_prefix(err, "%s: ", opt);
            return false;
        }
    }
    if (!a->trace_path || !a->out_dir) {
        err_set(err, "-trace and -o are required (see -help)");
        return false;
    }
    return true;
}

/* All three files or none: a failure removes what was written and a folder made here. */
static bool write_outputs(struct stats *s, const char *dir, const char *run, struct emu_err *err)
{
    static const char *const suffixes[] = {".csv", ".epochs.csv", ".json"};
    char paths[3][4096];
    bool made_dir = false;
    struct stat st;
    unsigned done = 0;

    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0) {
            err_set_errno(err, errno, "cannot create folder '%s'", dir);
            return false;
        }
        made_dir = true;
    } else if (!S_ISDIR(st.st_mode)) {
        err_set(err, "'%s' is not a folder", dir);
        return false;
    }
    for (; done < 3; done++) {
        bool ok;

        snprintf(paths[done], sizeof(paths[done]), "%s/%s%s", dir, run, suffixes[done]);
        if (done == 0)
            ok = stats_write_tidy_csv(s, paths[done], err);
        else if (done == 1)
            ok = stats_write_wide_csv(s, paths[done], err);
        else
            ok = stats_write_json(s, paths[done], err);
        if (!ok)
            break;
    }
    if (done == 3)
        return true;
    while (done-- > 0)
        unlink(paths[done]);
    if (made_dir)
        rmdir(dir);
    return false;
}

static void print_summary(struct replay *r, const char *run, double wall_s)
{
    struct stats *s = replay_stats(r);
    u64 recs = 0, time_ns = 0, faults = 0;

    stats_lookup_u64(s, "replay.records", &recs);
    stats_lookup_u64(s, "replay.time_ns", &time_ns);
    stats_lookup_u64(s, "replay.page_faults", &faults);
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    printf("%s: %llu records, %.3f ms virtual, %llu pages placed, %.1f M records/s, "
           "host peak RSS %.1f MiB\n",
           run, (unsigned long long)recs, (double)time_ns / 1e6, (unsigned long long)faults,
           wall_s > 0 ? (double)recs / wall_s / 1e6 : 0.0, (double)ru.ru_maxrss / 1024.0);
}

int main(int argc, char **argv)
{
    struct emu_err err = {0};
    struct replay_args a = {.run_name = "replay"};
    struct numa_topology topo;
    struct replay_config cfg;
    struct trace_reader *tr = NULL;
    struct replay *r = NULL;
    struct timespec t0, t1;
    int rc = 1;

    topo_init(&topo);
    /* Options that do not depend on the topology first; the defaults need it finalized. */
    replay_config_default(&cfg, &topo);
    cfg.run_name = NULL;
    if (!parse_args(argc, argv, &a, &topo, &cfg, &err))
        goto out;
    if (strchr(a.run_name, '/') || !a.run_name[0]) {
        err_set(&err, "-name: '%s' is not a file name", a.run_name);
        goto out;
    }
    cfg.run_name = a.run_name;
    tr = trace_reader_open(a.trace_path, &err);
    if (!tr)
        goto out;
    if (!a.has_m && !topo_parse_m(&topo, "4G", &err))
        goto out;
    if (!a.has_smp) {
        char smp[16];

        snprintf(smp, sizeof(smp), "%u", trace_reader_n_cpus(tr));
        if (!topo_parse_smp(&topo, smp, &err))
            goto out;
    }
    if (!topo_finalize(&topo, &err))
        goto out;
    {
        /* Re-derive model defaults for the final CPU count, keeping what options changed. */
        struct replay_config def;

        replay_config_default(&def, &topo);
        cfg.topo = &topo;
        cfg.mem.n_cpus = topo.n_cpus;
        cfg.mem.llc = def.mem.llc;
    }
    r = replay_create(&cfg, &err);
    if (!r)
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!replay_run(r, tr, &err))
        goto out;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!write_outputs(replay_stats(r), a.out_dir, a.run_name, &err))
        goto out;
    if (!a.is_quiet)
        print_summary(r, a.run_name,
                      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "terrace-replay: %s\n", err.is_set ? err.msg : "failed");
    replay_destroy(r);
    trace_reader_close(tr);
    return rc;
}
