/* SPDX-License-Identifier: MIT */
/*
 * QEMU's -m, -smp, -numa and -object memory-backend-ram options parsed into a typed NUMA
 * topology, with QEMU's defaults and consistency checks (hw/core/numa.c, machine-smp.c
 * behaviour; differences are listed in docs/options.md) and the per-node tier parameters.
 */
#include "numa/topology.h"
#include "base/bits.h"
#include "base/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NUMA_RAM_ALIGN      8192ull      /* QEMU rounds -m up to 8 KiB */
#define NUMA_AUTO_MEM_ALIGN (8ull * MiB) /* QEMU's granule when it splits memory across nodes */
#define NUMA_PRESET_CPU     "ddr5-local"
#define NUMA_PRESET_NOCPU   "ddr5-remote"

static bool numa_cpu_test(const u64 *bm, u32 c)
{
    return (bm[c / 64] >> (c % 64)) & 1;
}

static void numa_cpu_set(u64 *bm, u32 c)
{
    bm[c / 64] |= 1ull << (c % 64);
}

static u32 numa_cpu_count(const u64 *bm)
{
    u32 n = 0;

    for (u32 w = 0; w < OPTS_CPU_WORDS; w++)
        n += (u32)__builtin_popcountll(bm[w]);
    return n;
}

static int numa_cpu_highest(const u64 *bm)
{
    for (int w = OPTS_CPU_WORDS - 1; w >= 0; w--)
        if (bm[w])
            return w * 64 + 63 - __builtin_clzll(bm[w]);
    return -1;
}

/* "2048 MiB" when whole MiB, else bytes: the unit of -m. */
static const char *numa_fmt_mib(u64 bytes, char *buf, size_t len)
{
    if (bytes % MiB == 0)
        snprintf(buf, len, "%llu MiB", (unsigned long long)(bytes / MiB));
    else
        snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
    return buf;
}

void topo_init(struct numa_topology *t)
{
    memset(t, 0, sizeof(*t));
    t->ram_bytes = 128 * MiB;
    t->maxmem_bytes = t->ram_bytes;
    t->n_cpus = 1;
    t->max_cpus = 1;
    t->sockets = t->dies = t->clusters = t->cores = t->threads = 1;
    for (u32 i = 0; i < NUMA_MAX_NODES; i++) {
        t->nodes[i].id = i;
        t->nodes[i].initiator = -1;
        t->nodes[i].memdev = -1;
    }
}

/* Split @arg, apply @descs and report errors prefixed with @what. */
static bool numa_apply(const char *arg, const char *implied, const char *what,
                       const struct opts_desc *descs, size_t n, void *dst, struct emu_err *err)
{
    struct opts_list l;
    bool ok;

    if (!opts_split(arg, implied, &l, err)) {
        err_prefix(err, "%s: ", what);
        return false;
    }
    ok = opts_apply(&l, descs, n, dst, what, err);
    opts_free(&l);
    return ok;
}

/* ---- -m ---------------------------------------------------------------------------------- */

struct numa_m_opts {
    u64 size_bytes, maxmem_bytes;
    u32 slots;
    bool has_size, has_maxmem, has_slots;
};

static const struct opts_desc numa_m_descs[] = {
    {"size", OPT_SIZE, offsetof(struct numa_m_opts, size_bytes), MiB, 0,
     offsetof(struct numa_m_opts, has_size)},
    {"slots", OPT_U32, offsetof(struct numa_m_opts, slots), 0, 0,
     offsetof(struct numa_m_opts, has_slots)},
    {"maxmem", OPT_SIZE, offsetof(struct numa_m_opts, maxmem_bytes), MiB, 0,
     offsetof(struct numa_m_opts, has_maxmem)},
};

bool topo_parse_m(struct numa_topology *t, const char *arg, struct emu_err *err)
{
    struct numa_m_opts o = {0};
    u64 size = t->ram_bytes;
    char a[32], b[32];

    if (!numa_apply(arg, "size", "-m", numa_m_descs, ARRAY_LEN(numa_m_descs), &o, err))
        return false;
    if (o.has_size) {
        if (o.size_bytes == 0) {
            err_set(err, "-m: size must be greater than 0");
            return false;
        }
        if (o.size_bytes > UINT64_MAX - NUMA_RAM_ALIGN) {
            err_set(err, "-m: size is too large");
            return false;
        }
        size = align_up(o.size_bytes, NUMA_RAM_ALIGN);
    }
    if (o.has_maxmem) {
        if (o.maxmem_bytes < size) {
            err_set(err, "-m: maxmem (%s) must be at least the initial size (%s)",
                    numa_fmt_mib(o.maxmem_bytes, a, sizeof(a)), numa_fmt_mib(size, b, sizeof(b)));
            return false;
        }
        if (o.slots && o.maxmem_bytes == size) {
            err_set(err, "-m: slots= was given but maxmem equals the initial size (%s)",
                    numa_fmt_mib(size, a, sizeof(a)));
            return false;
        }
    } else if (o.slots) {
        err_set(err, "-m: slots=%u needs maxmem=", o.slots);
        return false;
    }
    t->ram_bytes = size;
    t->ram_slots = o.slots;
    t->maxmem_bytes = o.has_maxmem ? o.maxmem_bytes : size;
    return true;
}

/* ---- -smp -------------------------------------------------------------------------------- */

struct numa_smp_opts {
    u32 cpus, sockets, dies, clusters, cores, threads, maxcpus;
    bool has_cpus, has_sockets, has_dies, has_clusters, has_cores, has_threads, has_maxcpus;
};

#define NUMA_SMP_DESC(k, f)                                                                        \
    {                                                                                              \
        k, OPT_U32, offsetof(struct numa_smp_opts, f), 0, 0,                                       \
            offsetof(struct numa_smp_opts, has_##f)                                                \
    }

static const struct opts_desc numa_smp_descs[] = {
    NUMA_SMP_DESC("cpus", cpus),       NUMA_SMP_DESC("sockets", sockets),
    NUMA_SMP_DESC("dies", dies),       NUMA_SMP_DESC("clusters", clusters),
    NUMA_SMP_DESC("cores", cores),     NUMA_SMP_DESC("threads", threads),
    NUMA_SMP_DESC("maxcpus", maxcpus),
};

bool topo_parse_smp(struct numa_topology *t, const char *arg, struct emu_err *err)
{
    struct numa_smp_opts o = {0};
    u32 cpus, sockets, dies, clusters, cores, threads, maxcpus;
    u64 total;

    if (!numa_apply(arg, "cpus", "-smp", numa_smp_descs, ARRAY_LEN(numa_smp_descs), &o, err))
        return false;
    for (size_t i = 0; i < ARRAY_LEN(numa_smp_descs); i++) {
        const struct opts_desc *d = &numa_smp_descs[i];
        bool given = *(const bool *)(const void *)((const char *)&o + d->set_off);
        u32 v = *(const u32 *)(const void *)((const char *)&o + d->offset);

        if (given && v == 0) {
            err_set(err, "-smp: %s must be greater than 0", d->key);
            return false;
        }
        /* Every count is at most maxcpus: refusing larger ones keeps the products in range. */
        if (given && v > NUMA_MAX_CPUS) {
            err_set(err, "-smp: %s=%u exceeds the maximum of %d CPUs", d->key, v, NUMA_MAX_CPUS);
            return false;
        }
    }
    /* QEMU (since 6.2): omitted values are 0; cores are preferred over sockets. */
    cpus = o.cpus;
    maxcpus = o.maxcpus;
    sockets = o.sockets;
    cores = o.cores;
    threads = o.threads;
    dies = o.dies ? o.dies : 1;
    clusters = o.clusters ? o.clusters : 1;
    if (cpus == 0 && maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        if (cores == 0) {
            sockets = sockets ? sockets : 1;
            threads = threads ? threads : 1;
            cores = (u32)(maxcpus / ((u64)sockets * dies * clusters * threads));
        } else if (sockets == 0) {
            threads = threads ? threads : 1;
            sockets = (u32)(maxcpus / ((u64)dies * clusters * cores * threads));
        }
        if (threads == 0)
            threads = (u32)(maxcpus / ((u64)sockets * dies * clusters * cores));
    }
    total = (u64)sockets * dies * clusters * cores * threads; /* each <= 256: fits */
    maxcpus = maxcpus ? maxcpus : (total > UINT32_MAX ? UINT32_MAX : (u32)total);
    cpus = cpus ? cpus : maxcpus;
    if (total != maxcpus) {
        err_set(err,
                "-smp: sockets (%u) * dies (%u) * clusters (%u) * cores (%u) * threads (%u) = "
                "%llu does not match maxcpus (%u)",
                sockets, dies, clusters, cores, threads, (unsigned long long)total, maxcpus);
        return false;
    }
    if (maxcpus < cpus) {
        err_set(err, "-smp: maxcpus (%u) must be at least cpus (%u)", maxcpus, cpus);
        return false;
    }
    t->n_cpus = cpus;
    t->max_cpus = maxcpus;
    t->sockets = sockets;
    t->dies = dies;
    t->clusters = clusters;
    t->cores = cores;
    t->threads = threads;
    return true;
}

/* ---- -numa node -------------------------------------------------------------------------- */

struct numa_node_opts {
    u32 nodeid, initiator;
    u64 mem_bytes;
    u64 cpus[OPTS_CPU_WORDS];
    char memdev[NUMA_ID_MAX];
    bool has_nodeid, has_initiator, has_mem, has_cpus, has_memdev;
};

static const struct opts_desc numa_node_descs[] = {
    {"nodeid", OPT_U32, offsetof(struct numa_node_opts, nodeid), 0, 0,
     offsetof(struct numa_node_opts, has_nodeid)},
    {"mem", OPT_SIZE, offsetof(struct numa_node_opts, mem_bytes), MiB, 0,
     offsetof(struct numa_node_opts, has_mem)},
    {"memdev", OPT_STR, offsetof(struct numa_node_opts, memdev), NUMA_ID_MAX, 0,
     offsetof(struct numa_node_opts, has_memdev)},
    {"cpus", OPT_CPUS, offsetof(struct numa_node_opts, cpus), 0, 0,
     offsetof(struct numa_node_opts, has_cpus)},
    {"initiator", OPT_U32, offsetof(struct numa_node_opts, initiator), 0, 0,
     offsetof(struct numa_node_opts, has_initiator)},
};

static bool numa_parse_node(struct numa_topology *t, struct opts_list *l, struct emu_err *err)
{
    struct numa_node_opts o = {0};
    struct numa_node *n;
    u32 id;

    if (!opts_apply(l, numa_node_descs, ARRAY_LEN(numa_node_descs), &o, "-numa node", err))
        return false;
    /* QEMU: without nodeid= the node takes the number of nodes declared so far. */
    id = o.has_nodeid ? o.nodeid : t->n_nodes;
    if (id >= NUMA_MAX_NODES) {
        err_set(err, "-numa node: nodeid %u is out of range (at most %d nodes)", id,
                NUMA_MAX_NODES);
        return false;
    }
    if (t->nodes[id].is_present) {
        err_set(err, "-numa node: duplicate nodeid %u", id);
        return false;
    }
    if (o.has_mem && o.has_memdev) {
        err_set(err, "-numa node: node %u: cannot give both mem= and memdev=", id);
        return false;
    }
    if (o.has_memdev && o.memdev[0] == '\0') {
        err_set(err, "-numa node: node %u: memdev= is empty", id);
        return false;
    }
    if (o.has_initiator && o.initiator >= NUMA_MAX_NODES) {
        err_set(err, "-numa node: initiator %u is out of range (at most %d nodes)", o.initiator,
                NUMA_MAX_NODES);
        return false;
    }
    n = &t->nodes[id];
    n->is_present = true;
    n->has_mem = o.has_mem;
    n->mem_bytes = o.mem_bytes;
    n->has_cpus = o.has_cpus;
    memcpy(n->cpus, o.cpus, sizeof(n->cpus));
    n->initiator = o.has_initiator ? (i32)o.initiator : -1;
    snprintf(n->memdev_id, sizeof(n->memdev_id), "%s", o.has_memdev ? o.memdev : "");
    t->n_nodes++;
    return true;
}

/* ---- -numa dist -------------------------------------------------------------------------- */

struct numa_dist_opts {
    u32 src, dst, val;
};

static const struct opts_desc numa_dist_descs[] = {
    {"src", OPT_U32, offsetof(struct numa_dist_opts, src), 0, OPT_REQUIRED, 0},
    {"dst", OPT_U32, offsetof(struct numa_dist_opts, dst), 0, OPT_REQUIRED, 0},
    {"val", OPT_U32, offsetof(struct numa_dist_opts, val), 0, OPT_REQUIRED, 0},
};

static bool numa_parse_dist(struct numa_topology *t, struct opts_list *l, struct emu_err *err)
{
    struct numa_dist_opts o = {0};

    if (!opts_apply(l, numa_dist_descs, ARRAY_LEN(numa_dist_descs), &o, "-numa dist", err))
        return false;
    if (o.src >= NUMA_MAX_NODES || o.dst >= NUMA_MAX_NODES) {
        err_set(err, "-numa dist: node %u is out of range (at most %d nodes)",
                o.src >= NUMA_MAX_NODES ? o.src : o.dst, NUMA_MAX_NODES);
        return false;
    }
    if (o.src == o.dst && o.val != NUMA_DIST_LOCAL) {
        err_set(err, "-numa dist: the local distance of node %u must be %d, not %u", o.src,
                NUMA_DIST_LOCAL, o.val);
        return false;
    }
    if (o.val < NUMA_DIST_LOCAL || o.val > 255) {
        err_set(err, "-numa dist: distance %u from node %u to node %u is outside 10..255", o.val,
                o.src, o.dst);
        return false;
    }
    t->dist[o.src][o.dst] = (u8)o.val;
    t->has_dist = true;
    return true;
}

/* ---- -numa cpu --------------------------------------------------------------------------- */

struct numa_cpuopt_opts {
    u32 node_id, socket_id, die_id, core_id, thread_id;
    bool has_node_id, has_socket_id, has_die_id, has_core_id, has_thread_id;
};

#define NUMA_CPU_DESC(k, f, fl)                                                                    \
    {                                                                                              \
        k, OPT_U32, offsetof(struct numa_cpuopt_opts, f), 0, fl,                                   \
            offsetof(struct numa_cpuopt_opts, has_##f)                                             \
    }

static const struct opts_desc numa_cpuopt_descs[] = {
    NUMA_CPU_DESC("node-id", node_id, OPT_REQUIRED),
    NUMA_CPU_DESC("socket-id", socket_id, 0),
    NUMA_CPU_DESC("die-id", die_id, 0),
    NUMA_CPU_DESC("core-id", core_id, 0),
    NUMA_CPU_DESC("thread-id", thread_id, 0),
};

static bool numa_parse_cpu(struct numa_topology *t, struct opts_list *l, struct emu_err *err)
{
    struct numa_cpuopt_opts o = {0};
    struct numa_cpu_opt *c;

    if (!opts_apply(l, numa_cpuopt_descs, ARRAY_LEN(numa_cpuopt_descs), &o, "-numa cpu", err))
        return false;
    if (o.node_id >= NUMA_MAX_NODES) {
        err_set(err, "-numa cpu: node-id %u is out of range (at most %d nodes)", o.node_id,
                NUMA_MAX_NODES);
        return false;
    }
    if (!o.has_socket_id && !o.has_die_id && !o.has_core_id && !o.has_thread_id) {
        err_set(err, "-numa cpu: give at least one of socket-id, die-id, core-id, thread-id");
        return false;
    }
    if (t->n_cpu_opts == NUMA_MAX_CPUS) {
        err_set(err, "-numa cpu: more than %d options", NUMA_MAX_CPUS);
        return false;
    }
    c = &t->cpu_opts[t->n_cpu_opts++];
    c->node_id = o.node_id;
    c->socket_id = o.has_socket_id ? (i32)o.socket_id : -1;
    c->die_id = o.has_die_id ? (i32)o.die_id : -1;
    c->core_id = o.has_core_id ? (i32)o.core_id : -1;
    c->thread_id = o.has_thread_id ? (i32)o.thread_id : -1;
    return true;
}

/* ---- -numa hmat-lb ----------------------------------------------------------------------- */

struct numa_hmat_opts {
    u32 initiator, target;
    char hierarchy[16];
    char data_type[24];
    u64 latency, bandwidth;
    bool has_latency, has_bandwidth;
};

static const struct opts_desc numa_hmat_descs[] = {
    {"initiator", OPT_U32, offsetof(struct numa_hmat_opts, initiator), 0, OPT_REQUIRED, 0},
    {"target", OPT_U32, offsetof(struct numa_hmat_opts, target), 0, OPT_REQUIRED, 0},
    {"hierarchy", OPT_STR, offsetof(struct numa_hmat_opts, hierarchy), 16, OPT_REQUIRED, 0},
    {"data-type", OPT_STR, offsetof(struct numa_hmat_opts, data_type), 24, OPT_REQUIRED, 0},
    {"latency", OPT_U64, offsetof(struct numa_hmat_opts, latency), 0, 0,
     offsetof(struct numa_hmat_opts, has_latency)},
    {"bandwidth", OPT_SIZE, offsetof(struct numa_hmat_opts, bandwidth), 1, 0,
     offsetof(struct numa_hmat_opts, has_bandwidth)},
};

static const char *const numa_hmat_type_names[] = {
    [NUMA_HMAT_ACCESS_LAT] = "access-latency", [NUMA_HMAT_READ_LAT] = "read-latency",
    [NUMA_HMAT_WRITE_LAT] = "write-latency",   [NUMA_HMAT_ACCESS_BW] = "access-bandwidth",
    [NUMA_HMAT_READ_BW] = "read-bandwidth",    [NUMA_HMAT_WRITE_BW] = "write-bandwidth",
};

static bool numa_hmat_is_lat(enum numa_hmat_type ty)
{
    return ty <= NUMA_HMAT_WRITE_LAT;
}

static bool numa_parse_hmat(struct numa_topology *t, struct opts_list *l, struct emu_err *err)
{
    struct numa_hmat_opts o = {0};
    struct numa_hmat_lb *h;
    int ty = -1;

    if (!opts_apply(l, numa_hmat_descs, ARRAY_LEN(numa_hmat_descs), &o, "-numa hmat-lb", err))
        return false;
    if (strcmp(o.hierarchy, "memory") != 0) {
        if (!strcmp(o.hierarchy, "first-level") || !strcmp(o.hierarchy, "second-level") ||
            !strcmp(o.hierarchy, "third-level"))
            err_set(err, "-numa hmat-lb: hierarchy=%s is not modelled (only hierarchy=memory)",
                    o.hierarchy);
        else
            err_set(err, "-numa hmat-lb: unknown hierarchy '%s'", o.hierarchy);
        return false;
    }
    for (size_t i = 0; i < ARRAY_LEN(numa_hmat_type_names); i++)
        if (!strcmp(o.data_type, numa_hmat_type_names[i]))
            ty = (int)i;
    if (ty < 0) {
        err_set(err, "-numa hmat-lb: unknown data-type '%s'", o.data_type);
        return false;
    }
    if (numa_hmat_is_lat(ty) ? !o.has_latency || o.has_bandwidth
                             : !o.has_bandwidth || o.has_latency) {
        err_set(err, "-numa hmat-lb: data-type=%s takes %s= only", o.data_type,
                numa_hmat_is_lat(ty) ? "latency" : "bandwidth");
        return false;
    }
    if ((numa_hmat_is_lat(ty) ? o.latency : o.bandwidth) == 0) {
        err_set(err, "-numa hmat-lb: %s must be greater than 0",
                numa_hmat_is_lat(ty) ? "latency" : "bandwidth");
        return false;
    }
    if (o.initiator >= NUMA_MAX_NODES || o.target >= NUMA_MAX_NODES) {
        err_set(err, "-numa hmat-lb: node %u is out of range (at most %d nodes)",
                o.initiator >= NUMA_MAX_NODES ? o.initiator : o.target, NUMA_MAX_NODES);
        return false;
    }
    for (u32 i = 0; i < t->n_hmat; i++) {
        h = &t->hmat[i];
        if (h->initiator == o.initiator && h->target == o.target && (int)h->type == ty) {
            err_set(err, "-numa hmat-lb: duplicate %s for initiator %u, target %u", o.data_type,
                    o.initiator, o.target);
            return false;
        }
    }
    if (t->n_hmat == NUMA_MAX_HMAT) {
        err_set(err, "-numa hmat-lb: more than %d entries", NUMA_MAX_HMAT);
        return false;
    }
    h = &t->hmat[t->n_hmat++];
    h->initiator = o.initiator;
    h->target = o.target;
    h->type = (enum numa_hmat_type)ty;
    h->value = numa_hmat_is_lat(ty) ? o.latency : o.bandwidth;
    return true;
}

/* ---- -numa perf (terrace) ---------------------------------------------------------------- */

struct numa_perf_opts {
    u32 node;
    char preset[TIER_NAME_MAX];
    char curve[256];
    double rd, wr, bw, svc;
    bool has_preset, has_curve, has_rd, has_wr, has_bw, has_svc;
};

static const struct opts_desc numa_perf_descs[] = {
    {"node", OPT_U32, offsetof(struct numa_perf_opts, node), 0, OPT_REQUIRED, 0},
    {"preset", OPT_STR, offsetof(struct numa_perf_opts, preset), TIER_NAME_MAX, 0,
     offsetof(struct numa_perf_opts, has_preset)},
    {"curve", OPT_STR, offsetof(struct numa_perf_opts, curve), 256, 0,
     offsetof(struct numa_perf_opts, has_curve)},
    {"read_lat_ns", OPT_DOUBLE, offsetof(struct numa_perf_opts, rd), 0, 0,
     offsetof(struct numa_perf_opts, has_rd)},
    {"write_lat_ns", OPT_DOUBLE, offsetof(struct numa_perf_opts, wr), 0, 0,
     offsetof(struct numa_perf_opts, has_wr)},
    {"bw_gbps", OPT_DOUBLE, offsetof(struct numa_perf_opts, bw), 0, 0,
     offsetof(struct numa_perf_opts, has_bw)},
    {"svc_ns", OPT_DOUBLE, offsetof(struct numa_perf_opts, svc), 0, 0,
     offsetof(struct numa_perf_opts, has_svc)},
};

static bool numa_parse_perf(struct numa_topology *t, struct opts_list *l, struct emu_err *err)
{
    struct numa_perf_opts o = {0};
    struct numa_perf_opt *p;
    struct tier_params probe;

    if (!opts_apply(l, numa_perf_descs, ARRAY_LEN(numa_perf_descs), &o, "-numa perf", err))
        return false;
    if (o.node >= NUMA_MAX_NODES) {
        err_set(err, "-numa perf: node %u is out of range (at most %d nodes)", o.node,
                NUMA_MAX_NODES);
        return false;
    }
    if (t->nodes[o.node].has_perf) {
        err_set(err, "-numa perf: node %u is given twice", o.node);
        return false;
    }
    if (o.has_preset && !tier_preset(o.preset, &probe)) {
        err_set(err, "-numa perf: preset: unknown preset '%s' (known: %s)", o.preset,
                tier_preset_names());
        return false;
    }
    if ((o.has_rd && !(o.rd > 0)) || (o.has_wr && !(o.wr > 0)) || (o.has_bw && !(o.bw > 0))) {
        err_set(err, "-numa perf: %s must be greater than 0",
                o.has_rd && !(o.rd > 0)   ? "read_lat_ns"
                : o.has_wr && !(o.wr > 0) ? "write_lat_ns"
                                          : "bw_gbps");
        return false;
    }
    if (o.has_svc && !(o.svc >= 0)) {
        err_set(err, "-numa perf: svc_ns must not be negative");
        return false;
    }
    p = &t->nodes[o.node].perf_opt;
    memset(p, 0, sizeof(*p));
    if (o.has_curve) {
        memset(&probe, 0, sizeof(probe));
        if (!tier_curve_load(o.curve, &probe, err)) {
            err_prefix(err, "-numa perf: curve: ");
            return false;
        }
        p->n_curve = probe.n_curve;
        memcpy(p->curve, probe.curve, sizeof(p->curve));
    }
    snprintf(p->preset, sizeof(p->preset), "%s", o.has_preset ? o.preset : "");
    p->has_preset = o.has_preset;
    p->rd_lat_ns = o.rd;
    p->wr_lat_ns = o.wr;
    p->bw_gbps = o.bw;
    p->svc_ns = o.svc;
    p->has_rd = o.has_rd;
    p->has_wr = o.has_wr;
    p->has_bw = o.has_bw;
    p->has_svc = o.has_svc;
    t->nodes[o.node].has_perf = true;
    return true;
}

bool topo_parse_numa(struct numa_topology *t, const char *arg, struct emu_err *err)
{
    struct opts_list l;
    const char *type;
    bool ok;

    if (t->is_final) {
        err_set(err, "-numa: the topology is already final");
        return false;
    }
    if (!opts_split(arg, "type", &l, err)) {
        err_prefix(err, "-numa: ");
        return false;
    }
    type = opts_get(&l, "type");
    if (!type) {
        err_set(err, "-numa: missing type (node, dist, cpu, hmat-lb or perf) in '%s'", arg);
        ok = false;
    } else if (!strcmp(type, "node")) {
        ok = numa_parse_node(t, &l, err);
    } else if (!strcmp(type, "dist")) {
        ok = numa_parse_dist(t, &l, err);
    } else if (!strcmp(type, "cpu")) {
        ok = numa_parse_cpu(t, &l, err);
    } else if (!strcmp(type, "hmat-lb")) {
        ok = numa_parse_hmat(t, &l, err);
    } else if (!strcmp(type, "perf")) {
        ok = numa_parse_perf(t, &l, err);
    } else if (!strcmp(type, "hmat-cache")) {
        err_set(err, "-numa: hmat-cache is not modelled (memory-side caches)");
        ok = false;
    } else {
        err_set(err, "-numa: unknown type '%s' (node, dist, cpu, hmat-lb or perf)", type);
        ok = false;
    }
    opts_free(&l);
    return ok;
}

/* ---- -object memory-backend-ram ---------------------------------------------------------- */

struct numa_obj_opts {
    char id[NUMA_ID_MAX];
    u64 size_bytes;
    char policy[16];
    u32 prealloc_threads;
    bool prealloc, share, merge, dump, reserve;
    bool has_policy;
};

static const struct opts_desc numa_obj_descs[] = {
    {"id", OPT_STR, offsetof(struct numa_obj_opts, id), NUMA_ID_MAX, OPT_REQUIRED, 0},
    {"size", OPT_SIZE, offsetof(struct numa_obj_opts, size_bytes), 1, OPT_REQUIRED, 0},
    {"policy", OPT_STR, offsetof(struct numa_obj_opts, policy), 16, 0,
     offsetof(struct numa_obj_opts, has_policy)},
    {"prealloc", OPT_BOOL, offsetof(struct numa_obj_opts, prealloc), 0, 0, 0},
    {"prealloc-threads", OPT_U32, offsetof(struct numa_obj_opts, prealloc_threads), 0, 0, 0},
    {"share", OPT_BOOL, offsetof(struct numa_obj_opts, share), 0, 0, 0},
    {"merge", OPT_BOOL, offsetof(struct numa_obj_opts, merge), 0, 0, 0},
    {"dump", OPT_BOOL, offsetof(struct numa_obj_opts, dump), 0, 0, 0},
    {"reserve", OPT_BOOL, offsetof(struct numa_obj_opts, reserve), 0, 0, 0},
};

static bool numa_obj_host_nodes(struct opts_list *l, u64 *host_nodes, struct emu_err *err)
{
    u64 bm[OPTS_CPU_WORDS] = {0};

    /* host-nodes= may repeat, as in QEMU ("host-nodes=0,host-nodes=2"). */
    for (u32 i = 0; i < l->n; i++) {
        if (strcmp(l->kv[i].key, "host-nodes") != 0)
            continue;
        l->kv[i].is_used = true;
        if (!opts_parse_cpus(l->kv[i].val, bm, NULL)) {
            err_set(err, "-object: host-nodes: '%s' is not a node list (like 0-1 or 0:2)",
                    l->kv[i].val);
            return false;
        }
    }
    if (bm[1] || bm[2] || bm[3]) {
        err_set(err, "-object: host-nodes: host node %d is out of range (0-63)",
                numa_cpu_highest(bm));
        return false;
    }
    *host_nodes = bm[0];
    return true;
}

bool topo_parse_object(struct numa_topology *t, const char *arg, struct emu_err *err)
{
    static const char *const policies[] = {"default", "preferred", "bind", "interleave"};
    struct numa_obj_opts o = {.merge = true, .dump = true, .reserve = true, .prealloc_threads = 1};
    struct numa_memdev *m;
    struct opts_list l;
    const char *type;
    u64 host_nodes = 0;
    bool ok, policy_ok = false;

    if (!opts_split(arg, "qom-type", &l, err)) {
        err_prefix(err, "-object: ");
        return false;
    }
    type = opts_get(&l, "qom-type");
    if (!type || strcmp(type, "memory-backend-ram") != 0) {
        err_set(err, "-object: type '%s' is not supported (only memory-backend-ram)",
                type ? type : "");
        opts_free(&l);
        return false;
    }
    ok = numa_obj_host_nodes(&l, &host_nodes, err) &&
         opts_apply(&l, numa_obj_descs, ARRAY_LEN(numa_obj_descs), &o, "-object", err);
    opts_free(&l);
    if (!ok)
        return false;
    if (!o.has_policy)
        strcpy(o.policy, "default");
    for (size_t i = 0; i < ARRAY_LEN(policies); i++)
        policy_ok |= !strcmp(o.policy, policies[i]);
    if (!policy_ok) {
        err_set(err, "-object: policy: unknown policy '%s' (default, preferred, bind, interleave)",
                o.policy);
        return false;
    }
    /* QEMU's host_memory_backend_memory_complete() rules. */
    if (host_nodes && !strcmp(o.policy, "default")) {
        err_set(err, "-object: %s: host-nodes= needs policy=preferred, bind or interleave", o.id);
        return false;
    }
    if (!host_nodes && strcmp(o.policy, "default") != 0) {
        err_set(err, "-object: %s: policy=%s needs host-nodes=", o.id, o.policy);
        return false;
    }
    if (o.size_bytes == 0) {
        err_set(err, "-object: %s: size must be greater than 0", o.id);
        return false;
    }
    for (u32 i = 0; i < t->n_memdevs; i++) {
        if (!strcmp(t->memdevs[i].id, o.id)) {
            err_set(err, "-object: duplicate id '%s'", o.id);
            return false;
        }
    }
    if (t->n_memdevs == NUMA_MAX_MEMDEVS) {
        err_set(err, "-object: more than %d memory backends", NUMA_MAX_MEMDEVS);
        return false;
    }
    m = &t->memdevs[t->n_memdevs++];
    memset(m, 0, sizeof(*m));
    snprintf(m->id, sizeof(m->id), "%s", o.id);
    m->size_bytes = o.size_bytes;
    m->host_nodes[0] = host_nodes;
    snprintf(m->policy, sizeof(m->policy), "%s", o.policy);
    m->prealloc = o.prealloc;
    m->prealloc_threads = o.prealloc_threads;
    m->share = o.share;
    m->merge = o.merge;
    m->dump = o.dump;
    m->reserve = o.reserve;
    return true;
}

/* ---- topo_finalize() --------------------------------------------------------------------- */

static bool numa_finalize_memory(struct numa_topology *t, struct emu_err *err)
{
    u32 n_memdev = 0, n_mem = 0;
    u64 total = 0;
    char a[32], b[32];

    for (u32 i = 0; i < t->n_nodes; i++) {
        n_memdev += t->nodes[i].memdev_id[0] != '\0';
        n_mem += t->nodes[i].has_mem;
    }
    if (n_memdev && n_memdev != t->n_nodes) {
        for (u32 i = 0; i < t->n_nodes; i++) {
            if (t->nodes[i].memdev_id[0] == '\0') {
                err_set(err,
                        "-numa node: memdev= must be given for all nodes or none (node %u "
                        "has none)",
                        i);
                return false;
            }
        }
    }
    if (n_memdev) {
        for (u32 i = 0; i < t->n_nodes; i++) {
            struct numa_node *n = &t->nodes[i];
            i32 found = -1;

            for (u32 m = 0; m < t->n_memdevs; m++)
                if (!strcmp(t->memdevs[m].id, n->memdev_id))
                    found = (i32)m;
            if (found < 0) {
                err_set(err, "-numa node: node %u: memdev '%s' is not a memory-backend-ram object",
                        i, n->memdev_id);
                return false;
            }
            if (t->memdevs[found].is_used) {
                err_set(err, "-numa node: node %u: memdev '%s' is already used by another node", i,
                        n->memdev_id);
                return false;
            }
            t->memdevs[found].is_used = true;
            n->memdev = found;
            n->mem_bytes = t->memdevs[found].size_bytes;
        }
    } else if (n_mem == 0) {
        /* QEMU's default split: equal parts in 8 MiB units, the rest on the last node. */
        u64 part = (t->ram_bytes / t->n_nodes) & ~(NUMA_AUTO_MEM_ALIGN - 1);

        for (u32 i = 0; i < t->n_nodes; i++)
            t->nodes[i].mem_bytes = i + 1 < t->n_nodes ? part : t->ram_bytes - part * i;
    }
    for (u32 i = 0; i < t->n_nodes; i++) {
        if (t->nodes[i].mem_bytes > UINT64_MAX - total) {
            err_set(err, "-numa node: node memory overflows");
            return false;
        }
        total += t->nodes[i].mem_bytes;
    }
    if (total != t->ram_bytes) {
        err_set(err, "node memory adds up to %s but -m is %s", numa_fmt_mib(total, a, sizeof(a)),
                numa_fmt_mib(t->ram_bytes, b, sizeof(b)));
        return false;
    }
    return true;
}

/* The topology ids of possible CPU @idx, in QEMU's x86 order (socket, die, cluster, core,
 * thread from most to least significant). */
static void numa_cpu_ids(const struct numa_topology *t, u32 idx, u32 *socket, u32 *die, u32 *core,
                         u32 *thread)
{
    *thread = idx % t->threads;
    *core = (idx / t->threads) % t->cores;
    *die = (idx / (t->threads * t->cores * t->clusters)) % t->dies;
    *socket = idx / (t->threads * t->cores * t->clusters * t->dies);
}

static bool numa_cpu_opt_matches(const struct numa_cpu_opt *c, u32 socket, u32 die, u32 core,
                                 u32 thread)
{
    return (c->socket_id < 0 || (u32)c->socket_id == socket) &&
           (c->die_id < 0 || (u32)c->die_id == die) &&
           (c->core_id < 0 || (u32)c->core_id == core) &&
           (c->thread_id < 0 || (u32)c->thread_id == thread);
}

static i32 numa_find_cpu_node(const struct numa_topology *t, u32 cpu, u32 skip)
{
    for (u32 i = 0; i < t->n_nodes; i++)
        if (i != skip && numa_cpu_test(t->nodes[i].cpus, cpu))
            return (i32)i;
    return -1;
}

static bool numa_finalize_cpus(struct numa_topology *t, struct emu_err *err)
{
    bool any_cpus = t->n_cpu_opts > 0;

    for (u32 i = 0; i < t->n_nodes; i++) {
        int hi = numa_cpu_highest(t->nodes[i].cpus);

        any_cpus |= t->nodes[i].has_cpus;
        if (hi >= 0 && (u32)hi >= t->max_cpus) {
            err_set(err, "-numa node: node %u: CPU index %d must be below maxcpus (%u)", i, hi,
                    t->max_cpus);
            return false;
        }
    }
    /* CPUs named by two nodes' cpus= are refused (QEMU: "already assigned"). */
    for (u32 c = 0; c < t->max_cpus; c++) {
        i32 a = numa_find_cpu_node(t, c, UINT32_MAX);
        i32 b = a < 0 ? -1 : numa_find_cpu_node(t, c, (u32)a);

        if (b >= 0) {
            err_set(err, "-numa node: CPU %u is in node %d and node %d", c, a, b);
            return false;
        }
    }
    for (u32 k = 0; k < t->n_cpu_opts; k++) {
        const struct numa_cpu_opt *o = &t->cpu_opts[k];
        u32 matched = 0;

        if (o->node_id >= t->n_nodes) {
            err_set(err, "-numa cpu: node-id %u does not exist", o->node_id);
            return false;
        }
        for (u32 c = 0; c < t->max_cpus; c++) {
            u32 socket, die, core, thread;
            i32 other;

            numa_cpu_ids(t, c, &socket, &die, &core, &thread);
            if (!numa_cpu_opt_matches(o, socket, die, core, thread))
                continue;
            other = numa_find_cpu_node(t, c, o->node_id);
            if (other >= 0) {
                err_set(err, "-numa cpu: CPU %u is in node %d and node %u", c, other, o->node_id);
                return false;
            }
            numa_cpu_set(t->nodes[o->node_id].cpus, c);
            matched++;
        }
        if (!matched) {
            err_set(err,
                    "-numa cpu: no CPU has socket-id=%d die-id=%d core-id=%d thread-id=%d "
                    "(-1: any)",
                    o->socket_id, o->die_id, o->core_id, o->thread_id);
            return false;
        }
    }
    for (u32 c = 0; c < t->max_cpus; c++) {
        if (numa_find_cpu_node(t, c, UINT32_MAX) >= 0)
            continue;
        if (any_cpus) {
            err_set(err, "-numa node: CPU %u is on no node", c);
            return false;
        }
        /* QEMU's x86 default when no node names CPUs: sockets round-robin over the nodes. */
        {
            u32 socket, die, core, thread;

            numa_cpu_ids(t, c, &socket, &die, &core, &thread);
            numa_cpu_set(t->nodes[socket % t->n_nodes].cpus, c);
        }
    }
    for (u32 i = 0; i < t->n_nodes; i++)
        t->nodes[i].n_cpus = numa_cpu_count(t->nodes[i].cpus);
    for (u32 i = 0; i < t->n_nodes; i++) {
        const struct numa_node *n = &t->nodes[i];

        if (n->initiator < 0)
            continue;
        if ((u32)n->initiator >= t->n_nodes) {
            err_set(err, "-numa node: node %u: initiator %d does not exist", i, n->initiator);
            return false;
        }
        if (t->nodes[n->initiator].n_cpus == 0) {
            err_set(err, "-numa node: node %u: initiator %d has no CPUs", i, n->initiator);
            return false;
        }
        if (n->n_cpus && (u32)n->initiator != i) {
            err_set(err, "-numa node: node %u has CPUs, so its initiator must be itself, not %d", i,
                    n->initiator);
            return false;
        }
    }
    return true;
}

static bool numa_finalize_dist(struct numa_topology *t, struct emu_err *err)
{
    for (u32 i = 0; i < NUMA_MAX_NODES; i++) {
        for (u32 j = 0; j < NUMA_MAX_NODES; j++) {
            if (t->dist[i][j] && (i >= t->n_nodes || j >= t->n_nodes)) {
                err_set(err, "-numa dist: node %u does not exist", i >= t->n_nodes ? i : j);
                return false;
            }
        }
    }
    /* A pair given in one direction only is symmetric; a pair never given gets 20. */
    for (u32 i = 0; i < t->n_nodes; i++) {
        for (u32 j = 0; j < t->n_nodes; j++) {
            if (i == j)
                t->dist[i][j] = NUMA_DIST_LOCAL;
            else if (!t->dist[i][j])
                t->dist[i][j] = t->dist[j][i] ? t->dist[j][i] : NUMA_DIST_REMOTE;
        }
    }
    return true;
}

static bool numa_finalize_hmat(struct numa_topology *t, struct emu_err *err)
{
    for (u32 i = 0; i < t->n_hmat; i++) {
        const struct numa_hmat_lb *h = &t->hmat[i];

        if (h->initiator >= t->n_nodes) {
            err_set(err, "-numa hmat-lb: initiator %u does not exist", h->initiator);
            return false;
        }
        if (t->nodes[h->initiator].n_cpus == 0) {
            err_set(err, "-numa hmat-lb: initiator %u has no CPUs", h->initiator);
            return false;
        }
        if (h->target >= t->n_nodes) {
            err_set(err, "-numa hmat-lb: target %u does not exist", h->target);
            return false;
        }
    }
    return true;
}

/* The initiator whose HMAT entries describe node @id: itself if it has CPUs, else its
 * initiator=, else the initiator with the lowest read or access latency to it; -1 if none. */
static i32 numa_local_initiator(const struct numa_topology *t, u32 id)
{
    i32 best = -1;
    u64 best_lat = UINT64_MAX;

    if (t->nodes[id].n_cpus)
        return (i32)id;
    if (t->nodes[id].initiator >= 0)
        return t->nodes[id].initiator;
    for (u32 i = 0; i < t->n_hmat; i++) {
        const struct numa_hmat_lb *h = &t->hmat[i];

        if (h->target == id && (h->type == NUMA_HMAT_READ_LAT || h->type == NUMA_HMAT_ACCESS_LAT) &&
            h->value < best_lat) {
            best_lat = h->value;
            best = (i32)h->initiator;
        }
    }
    return best;
}

/* Apply the node's HMAT entries from its local initiator over @p; Return: true if any did. */
static bool numa_apply_hmat(const struct numa_topology *t, u32 id, struct tier_params *p)
{
    i32 init = numa_local_initiator(t, id);
    double acc_lat = 0, rd_lat = 0, wr_lat = 0, acc_bw = 0, rd_bw = 0;

    if (init < 0)
        return false;
    for (u32 i = 0; i < t->n_hmat; i++) {
        const struct numa_hmat_lb *h = &t->hmat[i];
        double v = (double)h->value;

        if (h->target != id || h->initiator != (u32)init)
            continue;
        switch (h->type) {
        case NUMA_HMAT_ACCESS_LAT:
            acc_lat = v;
            break;
        case NUMA_HMAT_READ_LAT:
            rd_lat = v;
            break;
        case NUMA_HMAT_WRITE_LAT:
            wr_lat = v;
            break;
        case NUMA_HMAT_ACCESS_BW:
            acc_bw = v / 1e9;
            break;
        case NUMA_HMAT_READ_BW:
            rd_bw = v / 1e9;
            break;
        case NUMA_HMAT_WRITE_BW:
            break; /* one peak bandwidth is modelled: the read (or access) one */
        }
    }
    rd_lat = rd_lat ? rd_lat : acc_lat;
    wr_lat = wr_lat ? wr_lat : (acc_lat ? acc_lat : rd_lat);
    rd_bw = rd_bw ? rd_bw : acc_bw;
    if (!rd_lat && !wr_lat && !rd_bw)
        return false;
    if (rd_lat) {
        p->rd_lat_ns = rd_lat;
        p->svc_ns = rd_lat / 4.0;
    }
    if (wr_lat)
        p->wr_lat_ns = wr_lat;
    if (rd_bw)
        p->peak_bw_gbps = rd_bw;
    snprintf(p->name, sizeof(p->name), "hmat");
    return true;
}

static void numa_apply_perf(const struct numa_perf_opt *o, struct tier_params *p)
{
    bool is_custom = o->has_rd || o->has_wr || o->has_bw || o->has_svc || o->n_curve;

    if (o->has_preset)
        tier_preset(o->preset, p);
    if (o->n_curve) {
        p->n_curve = o->n_curve;
        memcpy(p->curve, o->curve, sizeof(p->curve));
        /* The lightest-load measurement stands for the idle latency unless given. */
        if (!o->has_rd)
            p->rd_lat_ns = o->curve[0].lat_ns;
        if (!o->has_wr)
            p->wr_lat_ns = p->rd_lat_ns;
    }
    if (o->has_rd)
        p->rd_lat_ns = o->rd_lat_ns;
    if (o->has_wr)
        p->wr_lat_ns = o->wr_lat_ns;
    if (o->has_bw)
        p->peak_bw_gbps = o->bw_gbps;
    if (o->has_svc)
        p->svc_ns = o->svc_ns;
    else if (o->has_rd || o->n_curve)
        p->svc_ns = p->rd_lat_ns / 4.0;
    if (is_custom)
        snprintf(p->name, sizeof(p->name), "custom");
}

static bool numa_finalize_perf(struct numa_topology *t, struct emu_err *err)
{
    for (u32 i = t->n_nodes; i < NUMA_MAX_NODES; i++) {
        if (t->nodes[i].has_perf) {
            err_set(err, "-numa perf: node %u does not exist", i);
            return false;
        }
    }
    for (u32 i = 0; i < t->n_nodes; i++) {
        struct numa_node *n = &t->nodes[i];
        struct tier_params p;

        memset(&p, 0, sizeof(p));
        tier_preset(n->n_cpus ? NUMA_PRESET_CPU : NUMA_PRESET_NOCPU, &p);
        numa_apply_hmat(t, i, &p);
        if (n->has_perf)
            numa_apply_perf(&n->perf_opt, &p);
        if (!tier_params_check(&p, err)) {
            err_prefix(err, "%snode %u timing: ", n->has_perf ? "-numa perf: " : "", i);
            return false;
        }
        n->perf = p;
    }
    return true;
}

bool topo_finalize(struct numa_topology *t, struct emu_err *err)
{
    if (t->is_final)
        return true;
    if (t->n_nodes == 0) {
        /* No -numa node: one node with all memory and all CPUs (QEMU has no SRAT then). */
        t->nodes[0].is_present = true;
        t->n_nodes = 1;
    }
    for (u32 i = 0; i < t->n_nodes; i++) {
        if (!t->nodes[i].is_present) {
            err_set(err, "-numa node: node ids must be dense from 0, but node %u is missing", i);
            return false;
        }
    }
    if (!numa_finalize_memory(t, err) || !numa_finalize_cpus(t, err) ||
        !numa_finalize_dist(t, err) || !numa_finalize_hmat(t, err) || !numa_finalize_perf(t, err))
        return false;
    t->is_final = true;
    return true;
}

u32 topo_node_of_cpu(const struct numa_topology *t, u32 cpu)
{
    i32 n;

    EMU_CHECK(t->is_final && cpu < t->max_cpus);
    n = numa_find_cpu_node(t, cpu, UINT32_MAX);
    EMU_CHECK(n >= 0);
    return (u32)n;
}

/* ---- topo_format() ----------------------------------------------------------------------- */

struct numa_buf {
    char *p;
    size_t len, pos;
};

static void numa_put(struct numa_buf *b, const char *fmt, ...) EMU_PRINTF(2, 3);

static void numa_put(struct numa_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (b->pos >= b->len)
        return;
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->pos, b->len - b->pos, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    b->pos = (size_t)n >= b->len - b->pos ? b->len - 1 : b->pos + (size_t)n;
}

/* A size that opts_parse_size() reads back exactly; @bare_mib: bare numbers are MiB. */
static void numa_put_size(struct numa_buf *b, u64 bytes, bool bare_mib)
{
    if (bytes && bytes % GiB == 0)
        numa_put(b, "%lluG", (unsigned long long)(bytes / GiB));
    else if (bytes && bytes % MiB == 0)
        numa_put(b, bare_mib ? "%llu" : "%lluM", (unsigned long long)(bytes / MiB));
    else if (bytes && bytes % KiB == 0)
        numa_put(b, "%lluK", (unsigned long long)(bytes / KiB));
    else
        numa_put(b, "%lluB", (unsigned long long)bytes);
}

/* ",key=a-b,key=c" for the set bits of @bm below @n_bits (QEMU repeats the key per range). */
static void numa_put_list(struct numa_buf *b, const char *key, const u64 *bm, u32 n_bits)
{
    for (u32 c = 0; c < n_bits; c++) {
        u32 e = c;

        if (!numa_cpu_test(bm, c))
            continue;
        while (e + 1 < n_bits && numa_cpu_test(bm, e + 1))
            e++;
        if (e > c)
            numa_put(b, ",%s=%u-%u", key, c, e);
        else
            numa_put(b, ",%s=%u", key, c);
        c = e;
    }
}

void topo_format(const struct numa_topology *t, char *buf, size_t len)
{
    struct numa_buf b = {buf, len, 0};

    if (!len)
        return;
    buf[0] = '\0';
    numa_put(&b, "-m size=");
    numa_put_size(&b, t->ram_bytes, true);
    if (t->maxmem_bytes != t->ram_bytes) {
        numa_put(&b, ",slots=%u,maxmem=", t->ram_slots);
        numa_put_size(&b, t->maxmem_bytes, true);
    }
    numa_put(&b, " -smp cpus=%u,sockets=%u,dies=%u,clusters=%u,cores=%u,threads=%u,maxcpus=%u",
             t->n_cpus, t->sockets, t->dies, t->clusters, t->cores, t->threads, t->max_cpus);
    for (u32 i = 0; i < t->n_memdevs; i++) {
        const struct numa_memdev *m = &t->memdevs[i];

        numa_put(&b, " -object memory-backend-ram,id=%s,size=", m->id);
        numa_put_size(&b, m->size_bytes, false);
        if (m->host_nodes[0]) {
            numa_put(&b, ",policy=%s", m->policy);
            numa_put_list(&b, "host-nodes", m->host_nodes, 64);
        }
        numa_put(&b, ",prealloc=%s,share=%s,merge=%s,dump=%s,reserve=%s,prealloc-threads=%u",
                 m->prealloc ? "on" : "off", m->share ? "on" : "off", m->merge ? "on" : "off",
                 m->dump ? "on" : "off", m->reserve ? "on" : "off", m->prealloc_threads);
    }
    for (u32 i = 0; i < t->n_nodes; i++) {
        const struct numa_node *n = &t->nodes[i];

        numa_put(&b, " -numa node,nodeid=%u", i);
        if (n->memdev >= 0) {
            numa_put(&b, ",memdev=%s", t->memdevs[n->memdev].id);
        } else {
            numa_put(&b, ",mem=");
            numa_put_size(&b, n->mem_bytes, true);
        }
        numa_put_list(&b, "cpus", n->cpus, NUMA_MAX_CPUS);
        if (n->initiator >= 0)
            numa_put(&b, ",initiator=%d", n->initiator);
    }
    if (t->has_dist) {
        for (u32 i = 0; i < t->n_nodes; i++)
            for (u32 j = 0; j < t->n_nodes; j++)
                if (i != j)
                    numa_put(&b, " -numa dist,src=%u,dst=%u,val=%u", i, j, t->dist[i][j]);
    }
    for (u32 i = 0; i < t->n_hmat; i++) {
        const struct numa_hmat_lb *h = &t->hmat[i];

        numa_put(&b, " -numa hmat-lb,initiator=%u,target=%u,hierarchy=memory,data-type=%s,",
                 h->initiator, h->target, numa_hmat_type_names[h->type]);
        if (numa_hmat_is_lat(h->type))
            numa_put(&b, "latency=%llu", (unsigned long long)h->value);
        else
            numa_put(&b, "bandwidth=%lluB", (unsigned long long)h->value);
    }
    for (u32 i = 0; i < t->n_nodes; i++) {
        const struct tier_params *p = &t->nodes[i].perf;

        numa_put(&b,
                 " -numa perf,node=%u,read_lat_ns=%.17g,write_lat_ns=%.17g,bw_gbps=%.17g,"
                 "svc_ns=%.17g",
                 i, p->rd_lat_ns, p->wr_lat_ns, p->peak_bw_gbps, p->svc_ns);
    }
}
