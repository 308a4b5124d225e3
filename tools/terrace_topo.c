/* SPDX-License-Identifier: MIT */
/*
 * terrace-topo: the host's topology through hwloc (packages, NUMA nodes, cores, PUs, distance
 * matrix) and the QEMU-style -smp/-m/-numa options that mirror it; --check parses options
 * with numa/ exactly as terrace will. Distances follow ACPI SLIT (ACPI 6.5 sec. 5.2.17).
 */
#include "base/err.h"
#include "base/types.h"
#include "numa/topology.h"

#include <hwloc.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "terrace-topo"

struct topo_node {
    u32 os_index;
    i32 package;                  /* logical index of its package, -1 if none */
    u64 mem_mib;                  /* local memory, rounded down to MiB */
    u64 vcpus[OPTS_CPU_WORDS];    /* vCPU indexes (host PU logical indexes) */
    u64 host_pus[OPTS_CPU_WORDS]; /* host PU OS indexes, for the summary */
    u32 n_pus, n_cores;
};

struct topo {
    u32 n_packages, n_cores, n_pus, n_nodes;
    struct topo_node nodes[NUMA_MAX_NODES];
    bool uniform;          /* same cores per package and PUs per core everywhere */
    u32 cores_per_package; /* valid when uniform */
    u32 threads_per_core;  /* valid when uniform */
    bool has_dist;         /* a SLIT-like matrix usable for -numa dist */
    u64 dist[NUMA_MAX_NODES][NUMA_MAX_NODES];
    char dist_desc[128]; /* where the matrix came from, or why none is used */
    bool has_raw_dist;   /* some matrix exists (shown even if unusable) */
};

/* A growable string for the options line. */
struct sbuf {
    char *s;
    size_t len, cap;
};

static void sbuf_printf(struct sbuf *b, const char *fmt, ...) EMU_PRINTF(2, 3);
static void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            fprintf(stderr, PROG ": out of memory\n");
            exit(1);
        }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static bool bit_test(const u64 *bm, u32 i)
{
    return (bm[i / 64] >> (i % 64)) & 1;
}

static void bit_set(u64 *bm, u32 i)
{
    bm[i / 64] |= 1ull << (i % 64);
}

/* Append the set bits of @bm as ranges ("0-3", "8"), each after @prefix, joined by @sep. */
static void sbuf_ranges(struct sbuf *b, const u64 *bm, const char *prefix, const char *sep)
{
    bool first = true;
    for (u32 i = 0; i < OPTS_MAX_CPUS; i++) {
        if (!bit_test(bm, i))
            continue;
        u32 j = i;
        while (j + 1 < OPTS_MAX_CPUS && bit_test(bm, j + 1))
            j++;
        sbuf_printf(b, "%s%s", first ? "" : sep, prefix);
        if (j == i)
            sbuf_printf(b, "%u", i);
        else
            sbuf_printf(b, "%u-%u", i, j);
        first = false;
        i = j;
    }
}

/* Read the distance matrix between NUMA nodes, keeping it only if it can be a SLIT. */
static void topo_read_distances(struct topo *t, hwloc_topology_t h, hwloc_obj_t *node_objs)
{
    unsigned nr = 1;
    struct hwloc_distances_s *d = NULL;
    snprintf(t->dist_desc, sizeof(t->dist_desc), "none");
    if (hwloc_distances_get_by_type(h, HWLOC_OBJ_NUMANODE, &nr, &d,
                                    HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) != 0 ||
        nr == 0) {
        return;
    }
    const char *name = hwloc_distances_get_name(h, d);
    bool usable = d->nbobjs == t->n_nodes;
    u64 m[NUMA_MAX_NODES][NUMA_MAX_NODES] = {{0}};
    for (unsigned i = 0; usable && i < d->nbobjs; i++) {
        for (unsigned j = 0; j < d->nbobjs; j++) {
            u32 a = d->objs[i]->logical_index, b = d->objs[j]->logical_index;
            if (a >= t->n_nodes || b >= t->n_nodes || node_objs[a] != d->objs[i]) {
                usable = false;
                break;
            }
            m[a][b] = d->values[i * d->nbobjs + j];
        }
    }
    t->has_raw_dist = usable;
    /* SLIT: 10 on the diagonal, 11..254 elsewhere (255 = unreachable, not expressible). */
    for (u32 a = 0; usable && a < t->n_nodes; a++)
        for (u32 b = 0; usable && b < t->n_nodes; b++)
            usable =
                a == b ? m[a][b] == NUMA_DIST_LOCAL : m[a][b] > NUMA_DIST_LOCAL && m[a][b] < 255;
    memcpy(t->dist, m, sizeof(m));
    t->has_dist = usable;
    snprintf(t->dist_desc, sizeof(t->dist_desc), "%s%s%s", name ? name : "unnamed",
             (d->kind & HWLOC_DISTANCES_KIND_FROM_OS) ? ", from the OS" : ", from the user",
             usable ? "" : "; not a SLIT matrix, not used");
    hwloc_distances_release(h, d);
}

static bool topo_read(struct topo *t, hwloc_topology_t h, struct emu_err *err)
{
    memset(t, 0, sizeof(*t));
    int n_nodes = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
    int n_pus = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PU);
    int n_cores = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_CORE);
    int n_packages = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PACKAGE);
    if (n_nodes < 1 || n_pus < 1) {
        err_set(err, "hwloc reports %d NUMA nodes and %d PUs", n_nodes, n_pus);
        return false;
    }
    if (n_nodes > NUMA_MAX_NODES || n_pus > NUMA_MAX_CPUS) {
        err_set(err, "host has %d NUMA nodes and %d PUs; terrace supports at most %d and %d",
                n_nodes, n_pus, NUMA_MAX_NODES, NUMA_MAX_CPUS);
        return false;
    }
    t->n_nodes = (u32)n_nodes;
    t->n_pus = (u32)n_pus;
    t->n_cores = n_cores > 0 ? (u32)n_cores : (u32)n_pus;
    t->n_packages = n_packages > 0 ? (u32)n_packages : 1;

    hwloc_obj_t node_objs[NUMA_MAX_NODES];
    for (u32 i = 0; i < t->n_nodes; i++) {
        hwloc_obj_t o = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, i);
        node_objs[i] = o;
        struct topo_node *n = &t->nodes[i];
        n->os_index = o->os_index;
        n->mem_mib = o->attr->numanode.local_memory / MiB;
        hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_PACKAGE, o);
        n->package = pkg ? (i32)pkg->logical_index : -1;
    }

    /*
     * vCPU i is host PU i (logical order, so a package's PUs are contiguous). A PU belongs to
     * the first node whose cpuset holds it: where several nodes share CPUs (DRAM and HBM of
     * one package), the later ones become CPU-less nodes, as Linux shows them.
     */
    for (u32 p = 0; p < t->n_pus; p++) {
        hwloc_obj_t pu = hwloc_get_obj_by_type(h, HWLOC_OBJ_PU, p);
        u32 owner = 0;
        for (u32 i = 0; i < t->n_nodes; i++) {
            if (hwloc_bitmap_isset(node_objs[i]->cpuset, pu->os_index)) {
                owner = i;
                break;
            }
        }
        struct topo_node *n = &t->nodes[owner];
        bit_set(n->vcpus, p);
        if (pu->os_index < OPTS_MAX_CPUS)
            bit_set(n->host_pus, pu->os_index);
        n->n_pus++;
    }
    for (u32 c = 0; c < (u32)(n_cores > 0 ? n_cores : 0); c++) {
        hwloc_obj_t core = hwloc_get_obj_by_type(h, HWLOC_OBJ_CORE, c);
        hwloc_obj_t pu =
            hwloc_get_next_obj_inside_cpuset_by_type(h, core->cpuset, HWLOC_OBJ_PU, NULL);
        if (!pu)
            continue;
        for (u32 i = 0; i < t->n_nodes; i++)
            if (bit_test(t->nodes[i].vcpus, pu->logical_index))
                t->nodes[i].n_cores++;
    }

    /* -smp's sockets/cores/threads only when every package and core looks alike. */
    t->uniform = n_cores > 0 && t->n_cores % t->n_packages == 0 && t->n_pus % t->n_cores == 0;
    if (t->uniform) {
        t->cores_per_package = t->n_cores / t->n_packages;
        t->threads_per_core = t->n_pus / t->n_cores;
        for (u32 c = 0; c < t->n_cores && t->uniform; c++) {
            hwloc_obj_t core = hwloc_get_obj_by_type(h, HWLOC_OBJ_CORE, c);
            t->uniform = (u32)hwloc_get_nbobjs_inside_cpuset_by_type(
                             h, core->cpuset, HWLOC_OBJ_PU) == t->threads_per_core;
        }
        for (u32 p = 0; p < (u32)(n_packages > 0 ? n_packages : 0) && t->uniform; p++) {
            hwloc_obj_t pkg = hwloc_get_obj_by_type(h, HWLOC_OBJ_PACKAGE, p);
            t->uniform = (u32)hwloc_get_nbobjs_inside_cpuset_by_type(
                             h, pkg->cpuset, HWLOC_OBJ_CORE) == t->cores_per_package;
        }
    }

    u64 total_mib = 0;
    for (u32 i = 0; i < t->n_nodes; i++)
        total_mib += t->nodes[i].mem_mib;
    if (total_mib == 0) {
        err_set(err, "hwloc reports no memory size for the NUMA nodes");
        return false;
    }
    topo_read_distances(t, h, node_objs);
    return true;
}

/* The QEMU options that describe @t (one line, no trailing newline). */
static void topo_options(const struct topo *t, struct sbuf *b)
{
    u64 total_mib = 0;
    for (u32 i = 0; i < t->n_nodes; i++)
        total_mib += t->nodes[i].mem_mib;
    sbuf_printf(b, "-smp %u", t->n_pus);
    if (t->uniform)
        sbuf_printf(b, ",sockets=%u,cores=%u,threads=%u", t->n_packages, t->cores_per_package,
                    t->threads_per_core);
    sbuf_printf(b, " -m %lluM", (unsigned long long)total_mib);
    for (u32 i = 0; i < t->n_nodes; i++) {
        const struct topo_node *n = &t->nodes[i];
        sbuf_printf(b, " -numa node,nodeid=%u", i);
        if (n->n_pus) {
            sbuf_printf(b, ",");
            sbuf_ranges(b, n->vcpus, "cpus=", ",");
        }
        sbuf_printf(b, ",mem=%lluM", (unsigned long long)n->mem_mib);
    }
    if (!t->has_dist)
        return;
    for (u32 a = 0; a < t->n_nodes; a++) {
        for (u32 c = 0; c < t->n_nodes; c++) {
            /* QEMU mirrors a one-way distance; give both ways only when they differ. */
            bool symmetric = t->dist[a][c] == t->dist[c][a];
            if (a == c || (symmetric && c < a))
                continue;
            sbuf_printf(b, " -numa dist,src=%u,dst=%u,val=%llu", a, c,
                        (unsigned long long)t->dist[a][c]);
        }
    }
}

static void topo_print_summary(const struct topo *t, FILE *fp)
{
    unsigned v = hwloc_get_api_version();
    fprintf(fp, "host topology (hwloc %u.%u.%u): %u package%s, %u NUMA node%s, %u cores, %u PUs\n",
            v >> 16, (v >> 8) & 0xff, v & 0xff, t->n_packages, t->n_packages == 1 ? "" : "s",
            t->n_nodes, t->n_nodes == 1 ? "" : "s", t->n_cores, t->n_pus);
    for (u32 i = 0; i < t->n_nodes; i++) {
        const struct topo_node *n = &t->nodes[i];
        struct sbuf b = {0};
        fprintf(fp, "  node %u (host node %u): %llu MiB", i, n->os_index,
                (unsigned long long)n->mem_mib);
        if (n->package >= 0)
            fprintf(fp, ", package %d", n->package);
        if (n->n_pus) {
            sbuf_ranges(&b, n->vcpus, "", ",");
            fprintf(fp, ", %u core%s, %u PU%s (vCPUs %s; host PUs ", n->n_cores,
                    n->n_cores == 1 ? "" : "s", n->n_pus, n->n_pus == 1 ? "" : "s", b.s);
            b.len = 0;
            sbuf_ranges(&b, n->host_pus, "", ",");
            fprintf(fp, "%s)\n", b.s);
        } else {
            fprintf(fp, ", no CPUs (memory only)\n");
        }
        free(b.s);
    }
    if (!t->has_raw_dist) {
        fprintf(fp, "  distances: %s\n",
                t->n_nodes > 1 ? "none known; QEMU's default (10 local, 20 remote) applies"
                               : "none (one node)");
        return;
    }
    fprintf(fp, "  distances (%s):\n      ", t->dist_desc);
    for (u32 c = 0; c < t->n_nodes; c++)
        fprintf(fp, " %5u", c);
    fputc('\n', fp);
    for (u32 a = 0; a < t->n_nodes; a++) {
        fprintf(fp, "  %3u ", a);
        for (u32 c = 0; c < t->n_nodes; c++)
            fprintf(fp, " %5llu", (unsigned long long)t->dist[a][c]);
        fputc('\n', fp);
    }
}

/*
 * Parse QEMU-style options (-smp, -m, -numa, -object, each followed by its value; tokens may
 * also come as one whitespace-separated string) with numa/ and finalize the topology.
 */
static bool check_options(int argc, char **argv, struct numa_topology *nt, struct emu_err *err)
{
    char *tokens[4 * NUMA_MAX_NODES * NUMA_MAX_NODES + 64];
    u32 n_tokens = 0;
    char *copies[256];
    u32 n_copies = 0;
    bool ok = true;
    for (int i = 0; i < argc && ok; i++) {
        if (n_copies == ARRAY_LEN(copies)) {
            err_set(err, "too many arguments");
            ok = false;
            break;
        }
        char *s = strdup(argv[i]), *save = NULL;
        if (!s) {
            err_set(err, "out of memory");
            ok = false;
            break;
        }
        copies[n_copies++] = s;
        for (char *tok = strtok_r(s, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
            if (n_tokens == ARRAY_LEN(tokens)) {
                err_set(err, "too many options");
                ok = false;
                break;
            }
            tokens[n_tokens++] = tok;
        }
    }
    topo_init(nt);
    for (u32 i = 0; ok && i < n_tokens; i += 2) {
        const char *opt = tokens[i];
        if (i + 1 >= n_tokens) {
            err_set(err, "%s: missing its value", opt);
            ok = false;
            break;
        }
        const char *val = tokens[i + 1];
        if (!strcmp(opt, "-smp"))
            ok = topo_parse_smp(nt, val, err);
        else if (!strcmp(opt, "-m"))
            ok = topo_parse_m(nt, val, err);
        else if (!strcmp(opt, "-numa"))
            ok = topo_parse_numa(nt, val, err);
        else if (!strcmp(opt, "-object"))
            ok = topo_parse_object(nt, val, err);
        else {
            err_set(err, "%s: not a topology option (-smp, -m, -numa, -object)", opt);
            ok = false;
        }
    }
    ok = ok && topo_finalize(nt, err);
    for (u32 i = 0; i < n_copies; i++)
        free(copies[i]);
    return ok;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: " PROG " [--options] [--xml FILE | --synthetic DESC]\n"
            "       " PROG " --check OPTION...\n"
            "Prints the host topology as hwloc sees it, then on the last line the terrace/QEMU\n"
            "options (-smp, -m, -numa node, -numa dist) that mirror it.\n"
            "  --options          print only the options line\n"
            "  --xml FILE         read the topology from an hwloc XML export instead\n"
            "  --synthetic DESC   use an hwloc synthetic topology, e.g.\n"
            "                     'pack:2 [numa(memory=1GB)] core:2 pu:1'\n"
            "  --check OPTION...  parse -smp/-m/-numa/-object options as terrace does and print\n"
            "                     the resulting topology, or the error\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"options", no_argument, NULL, 'O'},
        {"xml", required_argument, NULL, 'x'},
        {"synthetic", required_argument, NULL, 'S'},
        {"check", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool only_options = false, check = false;
    const char *xml = NULL, *synthetic = NULL;
    struct emu_err err = {0};
    int opt;
    /* "+": stop at the first non-option, so --check's arguments (-numa ...) pass through. */
    while (!check && (opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'O':
            only_options = true;
            break;
        case 'x':
            xml = optarg;
            break;
        case 'S':
            synthetic = optarg;
            break;
        case 'c':
            check = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 1;
        }
    }

    struct numa_topology *nt = calloc(1, sizeof(*nt));
    if (!nt) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    if (check) {
        if (!check_options(argc - optind, argv + optind, nt, &err))
            err_exit(PROG, &err);
        size_t len = 1 << 16;
        char *buf = malloc(len);
        if (!buf) {
            fprintf(stderr, PROG ": out of memory\n");
            return 1;
        }
        topo_format(nt, buf, len);
        printf("%s\n", buf);
        free(buf);
        free(nt);
        return 0;
    }
    if (optind < argc) {
        fprintf(stderr, PROG ": unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 1;
    }
    if (xml && synthetic) {
        fprintf(stderr, PROG ": --xml and --synthetic exclude each other\n");
        return 1;
    }

    hwloc_topology_t h;
    if (hwloc_topology_init(&h) != 0) {
        fprintf(stderr, PROG ": hwloc_topology_init: %s\n", strerror(errno));
        return 1;
    }
    if (xml && hwloc_topology_set_xml(h, xml) != 0) {
        fprintf(stderr, PROG ": %s: cannot read as hwloc XML: %s\n", xml, strerror(errno));
        hwloc_topology_destroy(h);
        return 1;
    }
    if (synthetic && hwloc_topology_set_synthetic(h, synthetic) != 0) {
        fprintf(stderr, PROG ": invalid hwloc synthetic description '%s'\n", synthetic);
        hwloc_topology_destroy(h);
        return 1;
    }
    if (hwloc_topology_load(h) != 0) {
        fprintf(stderr, PROG ": hwloc_topology_load: %s\n", strerror(errno));
        hwloc_topology_destroy(h);
        return 1;
    }
    struct topo *t = calloc(1, sizeof(*t));
    if (!t) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    bool ok = topo_read(t, h, &err);
    hwloc_topology_destroy(h);
    if (!ok)
        err_exit(PROG, &err);

    struct sbuf line = {0};
    topo_options(t, &line);
    if (!only_options)
        topo_print_summary(t, stdout);
    free(t);

    /* Print only options that terrace itself accepts. */
    char *args[] = {line.s};
    if (!check_options(1, args, nt, &err)) {
        fflush(stdout);
        err_prefix(&err, "the options for this host do not parse (%s): ", line.s);
        free(line.s);
        err_exit(PROG, &err);
    }
    printf("%s\n", line.s);
    free(line.s);
    free(nt);
    return 0;
}
