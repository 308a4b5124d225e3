/* SPDX-License-Identifier: MIT */
/*
 * The machine's NUMA topology as typed data, built from QEMU's option syntax:
 *   -m 2G | -m size=2048,slots=4,maxmem=8192       (bare numbers are MiB, as in QEMU)
 *   -smp 2 | -smp cpus=2,sockets=1,cores=2,threads=1
 *   -numa node[,mem=SIZE][,memdev=ID][,cpus=A[-B][:C]...][,nodeid=N][,initiator=N]
 *   -numa dist,src=N,dst=M,val=D
 *   -numa cpu,node-id=N,socket-id=S[,core-id=C][,thread-id=T]
 *   -numa hmat-lb,initiator=N,target=M,hierarchy=memory,data-type=access-latency|
 *         read-latency|write-latency|access-bandwidth|read-bandwidth|write-bandwidth,
 *         latency=NS|bandwidth=SIZE (per second)
 *   -object memory-backend-ram,id=ID,size=SIZE[,host-nodes=A[-B],policy=bind|preferred|...]
 *   -numa perf,node=N[,preset=NAME][,read_lat_ns=..][,write_lat_ns=..][,bw_gbps=..]
 *         [,svc_ns=..][,curve=FILE]                                           (terrace)
 * topo_finalize() fills QEMU's defaults and refuses inconsistent topologies with one line.
 * The parsers may be called in any order; cross-references (memdev ids, node ids in dist,
 * hmat-lb, cpu and perf) are resolved by topo_finalize(). Syntax: docs/options.md.
 */
#ifndef EMU_NUMA_TOPOLOGY_H
#define EMU_NUMA_TOPOLOGY_H

#include "base/err.h"
#include "base/opts.h"
#include "base/types.h"
#include "numa/tier.h"

#define NUMA_MAX_NODES   64
#define NUMA_MAX_CPUS    OPTS_MAX_CPUS
#define NUMA_MAX_HMAT    (2 * NUMA_MAX_NODES * NUMA_MAX_NODES)
#define NUMA_MAX_MEMDEVS NUMA_MAX_NODES
#define NUMA_DIST_LOCAL  10 /* ACPI SLIT: a node's distance to itself */
#define NUMA_DIST_REMOTE 20 /* QEMU's default between distinct nodes */
#define NUMA_ID_MAX      32

struct numa_memdev {
    char id[NUMA_ID_MAX];
    u64 size_bytes;
    u64 host_nodes[1]; /* bitmap of host NUMA nodes (0..63) to bind to; 0 = none */
    char policy[16];   /* "default", "bind", "preferred", "interleave" */
    bool is_used;      /* referenced by a node */
    /* QEMU's common memory-backend flags, recorded (prealloc/share/merge/dump/reserve). */
    bool prealloc, share, merge, dump, reserve;
    u32 prealloc_threads;
};

/* A -numa perf option, kept until topo_finalize() derives the node's tier parameters. */
struct numa_perf_opt {
    char preset[TIER_NAME_MAX];
    double rd_lat_ns, wr_lat_ns, bw_gbps, svc_ns;
    bool has_preset, has_rd, has_wr, has_bw, has_svc;
    u32 n_curve;
    struct tier_curve_point curve[TIER_CURVE_MAX];
};

/* A -numa cpu option: every possible CPU whose topology ids match goes to node_id; -1 = any. */
struct numa_cpu_opt {
    u32 node_id;
    i32 socket_id, die_id, core_id, thread_id;
};

struct numa_node {
    u32 id;
    u64 mem_bytes;
    u64 cpus[OPTS_CPU_WORDS]; /* bitmap of vCPU indexes */
    u32 n_cpus;
    i32 initiator;           /* node whose CPUs are closest (HMAT), -1 if none given */
    i32 memdev;              /* index into memdevs[], -1 if mem= was used */
    struct tier_params perf; /* timing model for this node's memory */
    bool has_perf;           /* given by -numa perf (else derived in topo_finalize) */
    /* As parsed (topo_finalize() resolves them): */
    bool is_present;               /* declared by -numa node */
    bool has_mem;                  /* mem= given */
    bool has_cpus;                 /* cpus= given */
    char memdev_id[NUMA_ID_MAX];   /* memdev= given (non-empty) */
    struct numa_perf_opt perf_opt; /* valid when has_perf */
};

enum numa_hmat_type {
    NUMA_HMAT_ACCESS_LAT,
    NUMA_HMAT_READ_LAT,
    NUMA_HMAT_WRITE_LAT,
    NUMA_HMAT_ACCESS_BW,
    NUMA_HMAT_READ_BW,
    NUMA_HMAT_WRITE_BW,
};

struct numa_hmat_lb {
    u32 initiator, target;
    enum numa_hmat_type type;
    u64 value; /* latency in ns, or bandwidth in bytes per second */
};

struct numa_topology {
    u64 ram_bytes;    /* -m size */
    u32 ram_slots;    /* -m slots= (hotplug slots; recorded, no hotplug yet) */
    u64 maxmem_bytes; /* -m maxmem= */
    u32 n_cpus;       /* -smp cpus */
    u32 sockets, cores, threads;
    u32 dies, clusters; /* -smp dies=, clusters= (CPU index order: socket, die, cluster, ...) */
    u32 max_cpus;       /* -smp maxcpus= (possible CPUs; node cpus= may name up to this) */
    u32 n_nodes;
    struct numa_node nodes[NUMA_MAX_NODES];  /* indexed by node id after topo_finalize() */
    u8 dist[NUMA_MAX_NODES][NUMA_MAX_NODES]; /* 0 = not given (before topo_finalize) */
    bool has_dist;                           /* some -numa dist given (QEMU then builds SLIT) */
    u32 n_hmat;
    struct numa_hmat_lb hmat[NUMA_MAX_HMAT];
    u32 n_memdevs;
    struct numa_memdev memdevs[NUMA_MAX_MEMDEVS];
    u32 n_cpu_opts;
    struct numa_cpu_opt cpu_opts[NUMA_MAX_CPUS];
    bool is_final;
};

/**
 * topo_init() - empty topology: -m 128M, one CPU, no -numa options yet. The struct
 * is large (HMAT table); allocate it on the heap.
 */
void topo_init(struct numa_topology *t);

/** topo_parse_m() - the argument of -m. */
bool topo_parse_m(struct numa_topology *t, const char *arg, struct emu_err *err);

/** topo_parse_smp() - the argument of -smp. */
bool topo_parse_smp(struct numa_topology *t, const char *arg, struct emu_err *err);

/** topo_parse_numa() - the argument of one -numa option (node, dist, cpu, hmat-lb, perf). */
bool topo_parse_numa(struct numa_topology *t, const char *arg, struct emu_err *err);

/** topo_parse_object() - the argument of -object (memory-backend-ram only). */
bool topo_parse_object(struct numa_topology *t, const char *arg, struct emu_err *err);

/**
 * topo_finalize() - apply defaults and check consistency:
 * no -numa node: one node with all memory and CPUs; node memory must add up to -m; every CPU
 * in exactly one node; distances symmetric-or-given, 10 on the diagonal, > 10 elsewhere;
 * HMAT initiators must have CPUs; node ids dense from 0; each node gets tier parameters
 * (from -numa perf, else from HMAT latency/bandwidth, else the local-DRAM preset for nodes
 * with CPUs and the remote-socket preset for CPU-less nodes).
 */
bool topo_finalize(struct numa_topology *t, struct emu_err *err);

/** topo_node_of_cpu() - the node holding vCPU @cpu (after topo_finalize). */
u32 topo_node_of_cpu(const struct numa_topology *t, u32 cpu);

/**
 * topo_format() - write the finalized topology back as options, one line of space-separated
 * "-opt value" pairs that the parsers accept again (for logs and terrace-topo). Every node's
 * timing is written as an explicit -numa perf; a curve file cannot be written back, so only
 * the idle latencies, peak bandwidth and svc_ns appear. Truncates to fit @len.
 */
void topo_format(const struct numa_topology *t, char *buf, size_t len);

#endif
