/* SPDX-License-Identifier: MIT */
/* Tests for numa/topology: QEMU's -m/-smp/-numa/-object forms, defaults, checks, format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "numa/topology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse an argv-style NULL-terminated list ("-m", "2G", "-numa", "node,...") and finalize. */
static bool build_args(struct numa_topology *t, const char *const *args, bool finalize,
                       struct emu_err *err)
{
    topo_init(t);
    err_clear(err);
    for (; args[0]; args += 2) {
        bool ok;

        assert_non_null(args[1]);
        if (!strcmp(args[0], "-m"))
            ok = topo_parse_m(t, args[1], err);
        else if (!strcmp(args[0], "-smp"))
            ok = topo_parse_smp(t, args[1], err);
        else if (!strcmp(args[0], "-numa"))
            ok = topo_parse_numa(t, args[1], err);
        else if (!strcmp(args[0], "-object"))
            ok = topo_parse_object(t, args[1], err);
        else
            fail_msg("unknown option %s", args[0]);
        if (!ok)
            return false;
    }
    return !finalize || topo_finalize(t, err);
}

#define BUILD(t, err, ...) build_args((t), (const char *const[]){__VA_ARGS__, NULL}, true, (err))

/* Expect failure with a message containing @want. */
#define REFUSE(t, err, want, ...)                                                                  \
    do {                                                                                           \
        if (BUILD((t), (err), __VA_ARGS__))                                                        \
            fail_msg("accepted, wanted \"%s\"", (want));                                           \
        if (!strstr((err)->msg, (want)))                                                           \
            fail_msg("message \"%s\" lacks \"%s\"", (err)->msg, (want));                           \
    } while (0)

static int setup(void **state)
{
    *state = malloc(sizeof(struct numa_topology));
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static bool cpu_in(const struct numa_node *n, u32 c)
{
    return (n->cpus[c / 64] >> (c % 64)) & 1;
}

static void test_topology_default_single_node(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    topo_init(t);
    err_clear(&err);
    assert_true(topo_finalize(t, &err));
    assert_int_equal(t->n_nodes, 1);
    assert_int_equal(t->ram_bytes, 128 * MiB);
    assert_int_equal(t->nodes[0].mem_bytes, 128 * MiB);
    assert_int_equal(t->nodes[0].n_cpus, 1);
    assert_true(cpu_in(&t->nodes[0], 0));
    assert_int_equal(t->dist[0][0], 10);
    assert_false(t->has_dist);
    assert_string_equal(t->nodes[0].perf.name, "ddr5-local");
    assert_false(err.is_set);

    /* -m and -smp without -numa: still one node holding everything. */
    assert_true(BUILD(t, &err, "-m", "2G", "-smp", "4"));
    assert_int_equal(t->n_nodes, 1);
    assert_int_equal(t->nodes[0].mem_bytes, 2 * GiB);
    assert_int_equal(t->nodes[0].n_cpus, 4);
    assert_int_equal(topo_node_of_cpu(t, 3), 0);
}

static void test_topology_m_forms(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    assert_true(BUILD(t, &err, "-m", "2G"));
    assert_int_equal(t->ram_bytes, 2 * GiB);
    assert_int_equal(t->maxmem_bytes, 2 * GiB);
    assert_true(BUILD(t, &err, "-m", "2048")); /* bare numbers are MiB */
    assert_int_equal(t->ram_bytes, 2048 * MiB);
    assert_true(BUILD(t, &err, "-m", "512M"));
    assert_int_equal(t->ram_bytes, 512 * MiB);
    assert_true(BUILD(t, &err, "-m", "size=2048,slots=4,maxmem=8192"));
    assert_int_equal(t->ram_bytes, 2 * GiB);
    assert_int_equal(t->ram_slots, 4);
    assert_int_equal(t->maxmem_bytes, 8 * GiB);
    assert_true(BUILD(t, &err, "-m", "size=1G,maxmem=1G")); /* no slots: equal is fine */
    assert_true(BUILD(t, &err, "-m", "1000K"));             /* QEMU rounds up to 8 KiB */
    assert_int_equal(t->ram_bytes, 1000 * KiB);
    assert_true(BUILD(t, &err, "-m", "1001K"));
    assert_int_equal(t->ram_bytes, 1008 * KiB);

    REFUSE(t, &err, "-m: size: '1X' has an unknown size suffix", "-m", "1X");
    REFUSE(t, &err, "-m: size must be greater than 0", "-m", "0");
    REFUSE(t, &err, "-m: maxmem (1024 MiB) must be at least the initial size (2048 MiB)", "-m",
           "size=2G,maxmem=1G");
    REFUSE(t, &err, "maxmem equals the initial size", "-m", "size=1G,slots=2,maxmem=1G");
    REFUSE(t, &err, "-m: slots=2 needs maxmem=", "-m", "size=1G,slots=2");
    REFUSE(t, &err, "-m: unknown parameter 'bogus'", "-m", "size=1G,bogus=1");
    REFUSE(t, &err, "-m: parameter 'size' given twice", "-m", "size=1G,size=2G");
}

static void test_topology_smp_forms(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    assert_true(BUILD(t, &err, "-smp", "2"));
    assert_int_equal(t->n_cpus, 2);
    assert_int_equal(t->max_cpus, 2);
    assert_int_equal(t->sockets, 1);
    assert_int_equal(t->cores, 2); /* QEMU >= 6.2 prefers cores */
    assert_int_equal(t->threads, 1);

    assert_true(BUILD(t, &err, "-smp", "cpus=8,sockets=2,cores=2,threads=2"));
    assert_int_equal(t->n_cpus, 8);
    assert_int_equal(t->sockets, 2);
    assert_int_equal(t->cores, 2);
    assert_int_equal(t->threads, 2);

    assert_true(BUILD(t, &err, "-smp", "4,sockets=2")); /* cores computed */
    assert_int_equal(t->cores, 2);
    assert_true(BUILD(t, &err, "-smp", "8,cores=2,threads=2")); /* sockets computed */
    assert_int_equal(t->sockets, 2);
    assert_true(BUILD(t, &err, "-smp", "sockets=2,cores=3")); /* cpus = the product */
    assert_int_equal(t->n_cpus, 6);
    assert_int_equal(t->max_cpus, 6);
    assert_true(BUILD(t, &err, "-smp", "4,maxcpus=8,sockets=2,cores=2,threads=2"));
    assert_int_equal(t->n_cpus, 4);
    assert_int_equal(t->max_cpus, 8);
    assert_true(BUILD(t, &err, "-smp", "cpus=8,sockets=2,dies=2,cores=2"));
    assert_int_equal(t->dies, 2);

    REFUSE(t, &err, "= 6 does not match maxcpus (8)", "-smp", "cpus=8,sockets=2,cores=3");
    REFUSE(t, &err, "-smp: maxcpus (4) must be at least cpus (8)", "-smp", "cpus=8,maxcpus=4");
    REFUSE(t, &err, "-smp: cores must be greater than 0", "-smp", "cpus=2,cores=0");
    REFUSE(t, &err, "-smp: cpus=300 exceeds the maximum of 256", "-smp", "300");
    REFUSE(t, &err, "-smp: unknown parameter 'books'", "-smp", "4,books=2");
    REFUSE(t, &err, "-smp: cpus: 'two' is not a non-negative integer", "-smp", "two");
}

static void test_topology_nodes_mem_cpus_dist(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    assert_true(BUILD(t, &err, "-m", "4G", "-smp", "4", "-numa", "node,mem=1G,cpus=0-1,nodeid=0",
                      "-numa", "node,mem=2G,cpus=2,cpus=3,nodeid=1", "-numa", "node,mem=1024",
                      "-numa", "dist,src=0,dst=1,val=21", "-numa", "dist,src=2,dst=0,val=30"));
    assert_int_equal(t->n_nodes, 3);
    assert_int_equal(t->nodes[0].mem_bytes, GiB);
    assert_int_equal(t->nodes[1].mem_bytes, 2 * GiB);
    assert_int_equal(t->nodes[2].mem_bytes, GiB); /* nodeid defaults to the count so far */
    assert_int_equal(t->nodes[0].cpus[0], 0x3);
    assert_int_equal(t->nodes[1].cpus[0], 0xc);
    assert_int_equal(t->nodes[2].n_cpus, 0); /* memory-only node */
    assert_int_equal(t->nodes[0].memdev, -1);
    assert_true(t->has_dist);
    assert_int_equal(t->dist[0][1], 21);
    assert_int_equal(t->dist[1][0], 21); /* one direction given: symmetric */
    assert_int_equal(t->dist[0][2], 30);
    assert_int_equal(t->dist[2][0], 30);
    assert_int_equal(t->dist[1][2], 20); /* never given: QEMU's default remote distance */
    assert_int_equal(t->dist[2][2], 10);
    assert_int_equal(topo_node_of_cpu(t, 1), 0);
    assert_int_equal(topo_node_of_cpu(t, 3), 1);
    assert_string_equal(t->nodes[0].perf.name, "ddr5-local");
    assert_string_equal(t->nodes[2].perf.name, "ddr5-remote");

    /* Both directions given differently: kept asymmetric. */
    assert_true(BUILD(t, &err, "-numa", "node", "-numa", "node", "-numa", "dist,src=0,dst=1,val=20",
                      "-numa", "dist,src=1,dst=0,val=40", "-numa", "dist,src=1,dst=1,val=10"));
    assert_int_equal(t->dist[0][1], 20);
    assert_int_equal(t->dist[1][0], 40);
}

static void test_topology_auto_memory_and_cpus(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    /* No mem= anywhere: QEMU splits in 8 MiB units, the rest to the last node. */
    assert_true(BUILD(t, &err, "-m", "1000M", "-smp", "4,sockets=2", "-numa", "node", "-numa",
                      "node", "-numa", "node"));
    assert_int_equal(t->nodes[0].mem_bytes, 328 * MiB);
    assert_int_equal(t->nodes[1].mem_bytes, 328 * MiB);
    assert_int_equal(t->nodes[2].mem_bytes, 344 * MiB);
    /* No cpus= anywhere: sockets round-robin over the nodes (QEMU's x86 default). */
    assert_int_equal(t->nodes[0].cpus[0], 0x3);
    assert_int_equal(t->nodes[1].cpus[0], 0xc);
    assert_int_equal(t->nodes[2].n_cpus, 0);
}

static void test_topology_memdev(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    /* QEMU's documentation form. */
    assert_true(BUILD(
        t, &err, "-m", "2G", "-smp", "4", "-object", "memory-backend-ram,size=1G,id=m0", "-object",
        "memory-backend-ram,size=1G,id=m1,host-nodes=0-1,host-nodes=3,policy=bind,"
        "prealloc=on,share=on,merge=off,prealloc-threads=4",
        "-numa", "node,memdev=m0,cpus=0-1,nodeid=0", "-numa", "node,memdev=m1,cpus=2-3,nodeid=1"));
    assert_int_equal(t->n_memdevs, 2);
    assert_string_equal(t->memdevs[1].id, "m1");
    assert_int_equal(t->memdevs[1].size_bytes, GiB);
    assert_int_equal(t->memdevs[1].host_nodes[0], 0xb);
    assert_string_equal(t->memdevs[1].policy, "bind");
    assert_true(t->memdevs[1].prealloc);
    assert_true(t->memdevs[1].share);
    assert_false(t->memdevs[1].merge);
    assert_true(t->memdevs[1].dump);
    assert_int_equal(t->memdevs[1].prealloc_threads, 4);
    assert_string_equal(t->memdevs[0].policy, "default");
    assert_false(t->memdevs[0].prealloc);
    assert_true(t->memdevs[0].merge);
    assert_int_equal(t->nodes[0].memdev, 0);
    assert_int_equal(t->nodes[1].memdev, 1);
    assert_int_equal(t->nodes[1].mem_bytes, GiB);
    assert_true(t->memdevs[0].is_used && t->memdevs[1].is_used);

    /* Order does not matter: the backend may come after the node naming it. */
    assert_true(BUILD(t, &err, "-numa", "node,memdev=ram", "-object",
                      "memory-backend-ram,id=ram,size=128M"));

    /* memory-backend sizes are bytes without a suffix (QOM size), unlike -m. */
    assert_true(BUILD(t, &err, "-m", "1M", "-object", "memory-backend-ram,id=m,size=1048576",
                      "-numa", "node,memdev=m"));
}

static void test_topology_numa_cpu(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    assert_true(BUILD(t, &err, "-smp", "8,sockets=2,cores=2,threads=2", "-numa", "node,nodeid=0",
                      "-numa", "node,nodeid=1", "-numa", "cpu,node-id=1,socket-id=1", "-numa",
                      "cpu,node-id=0,socket-id=0,core-id=0", "-numa",
                      "cpu,node-id=0,socket-id=0,core-id=1,thread-id=0", "-numa",
                      "cpu,node-id=0,socket-id=0,core-id=1,thread-id=1"));
    assert_int_equal(t->n_cpu_opts, 4);
    assert_int_equal(t->cpu_opts[1].core_id, 0);
    assert_int_equal(t->cpu_opts[1].thread_id, -1);
    assert_int_equal(t->nodes[0].cpus[0], 0x0f);
    assert_int_equal(t->nodes[1].cpus[0], 0xf0);

    REFUSE(t, &err, "-numa cpu: no CPU has socket-id=2", "-smp", "4,sockets=2", "-numa", "node",
           "-numa", "cpu,node-id=0,socket-id=2");
    REFUSE(t, &err, "-numa cpu: node-id 1 does not exist", "-smp", "2", "-numa", "node", "-numa",
           "cpu,node-id=1,socket-id=0");
    REFUSE(t, &err, "-numa cpu: CPU 0 is in node 0 and node 1", "-smp", "2", "-numa", "node,cpus=0",
           "-numa", "node", "-numa", "cpu,node-id=1,core-id=0");
    REFUSE(t, &err, "-numa cpu: parameter 'node-id' is required", "-numa", "cpu,socket-id=0");
    REFUSE(t, &err, "give at least one of socket-id", "-numa", "cpu,node-id=0");
}

static void test_topology_hmat(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    assert_true(BUILD(t, &err, "-m", "2G", "-smp", "2", "-numa", "node,mem=1G,cpus=0-1", "-numa",
                      "node,mem=1G,initiator=0", "-numa",
                      "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-latency,"
                      "latency=90",
                      "-numa",
                      "hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=read-latency,"
                      "latency=300",
                      "-numa",
                      "hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=write-latency,"
                      "latency=350",
                      "-numa",
                      "hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=access-bandwidth,"
                      "bandwidth=20G"));
    assert_int_equal(t->n_hmat, 4);
    assert_int_equal(t->hmat[1].type, NUMA_HMAT_READ_LAT);
    assert_int_equal(t->hmat[1].value, 300);
    assert_int_equal(t->hmat[3].type, NUMA_HMAT_ACCESS_BW);
    assert_int_equal(t->hmat[3].value, 20 * GiB); /* bytes per second */
    assert_int_equal(t->nodes[1].initiator, 0);
    /* Node 0: access latency from HMAT, the rest from the ddr5-local preset. */
    assert_string_equal(t->nodes[0].perf.name, "hmat");
    assert_true(t->nodes[0].perf.rd_lat_ns == 90.0 && t->nodes[0].perf.wr_lat_ns == 90.0);
    assert_true(t->nodes[0].perf.peak_bw_gbps == 245.0);
    /* Node 1 (CPU-less): read/write latency and bandwidth from initiator 0's entries. */
    assert_true(t->nodes[1].perf.rd_lat_ns == 300.0);
    assert_true(t->nodes[1].perf.wr_lat_ns == 350.0);
    assert_true(fabs(t->nodes[1].perf.peak_bw_gbps - 21.47483648) < 1e-9);
    assert_true(t->nodes[1].perf.svc_ns == 75.0);

    REFUSE(t, &err, "-numa hmat-lb: initiator 1 has no CPUs", "-smp", "1", "-numa", "node,cpus=0",
           "-numa", "node", "-numa",
           "hmat-lb,initiator=1,target=0,hierarchy=memory,data-type=read-latency,latency=5");
    REFUSE(t, &err, "-numa hmat-lb: target 2 does not exist", "-numa", "node", "-numa",
           "hmat-lb,initiator=0,target=2,hierarchy=memory,data-type=read-latency,latency=5");
    REFUSE(t, &err, "hierarchy=first-level is not modelled", "-numa",
           "hmat-lb,initiator=0,target=0,hierarchy=first-level,data-type=read-latency,latency=5");
    REFUSE(t, &err, "-numa hmat-lb: unknown data-type 'speed'", "-numa",
           "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=speed,latency=5");
    REFUSE(t, &err, "data-type=read-bandwidth takes bandwidth= only", "-numa",
           "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=read-bandwidth,latency=5");
    REFUSE(t, &err, "duplicate read-latency for initiator 0, target 0", "-numa",
           "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=read-latency,latency=5",
           "-numa",
           "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=read-latency,latency=6");
    REFUSE(t, &err, "-numa hmat-lb: parameter 'hierarchy' is required", "-numa",
           "hmat-lb,initiator=0,target=0,data-type=read-latency,latency=5");
}

static void test_topology_perf(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;
    char path[] = "/tmp/terrace-curve-XXXXXX";
    int fd;
    const char *curve = "5 120\n50 160\n100 300\n";
    char arg[128];

    assert_true(BUILD(t, &err, "-m", "2G", "-numa", "node,mem=1G,cpus=0", "-numa", "node,mem=1G",
                      "-numa", "perf,node=1,preset=cxl", "-numa",
                      "perf,node=0,read_lat_ns=90,bw_gbps=50.5"));
    assert_string_equal(t->nodes[1].perf.name, "cxl");
    assert_true(t->nodes[1].has_perf);
    assert_true(t->nodes[1].perf.rd_lat_ns == 250.0);
    assert_string_equal(t->nodes[0].perf.name, "custom");
    assert_true(t->nodes[0].perf.rd_lat_ns == 90.0);
    assert_true(t->nodes[0].perf.wr_lat_ns == 110.0); /* from the ddr5-local default */
    assert_true(t->nodes[0].perf.peak_bw_gbps == 50.5);
    assert_true(t->nodes[0].perf.svc_ns == 22.5); /* read_lat_ns / 4 */

    /* -numa perf wins over HMAT. */
    assert_true(BUILD(t, &err, "-numa", "node", "-numa",
                      "hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=read-latency,"
                      "latency=70",
                      "-numa", "perf,node=0,read_lat_ns=80,svc_ns=0"));
    assert_true(t->nodes[0].perf.rd_lat_ns == 80.0);
    assert_true(t->nodes[0].perf.svc_ns == 0.0);

    /* A measured curve: its lightest-load point stands for the idle latency. */
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, curve, strlen(curve)), (ssize_t)strlen(curve));
    close(fd);
    snprintf(arg, sizeof(arg), "perf,node=0,curve=%s,bw_gbps=120", path);
    assert_true(BUILD(t, &err, "-numa", "node", "-numa", arg));
    assert_int_equal(t->nodes[0].perf.n_curve, 3);
    assert_true(t->nodes[0].perf.rd_lat_ns == 120.0);
    assert_true(t->nodes[0].perf.wr_lat_ns == 120.0);
    assert_true(tier_loaded_lat_ns(&t->nodes[0].perf, 75.0, false) == 230.0);
    snprintf(arg, sizeof(arg), "perf,node=0,curve=%s,read_lat_ns=130", path);
    REFUSE(t, &err, "-numa perf: node 0 timing: curve point 1: latency 120 ns is below", "-numa",
           "node", "-numa", arg);
    unlink(path);

    REFUSE(t, &err,
           "-numa perf: preset: unknown preset 'hbm' (known: ddr5-local, ddr5-remote, cxl)",
           "-numa", "perf,node=0,preset=hbm");
    REFUSE(t, &err, "-numa perf: node 1 does not exist", "-numa", "node", "-numa",
           "perf,node=1,preset=cxl");
    REFUSE(t, &err, "-numa perf: node 0 is given twice", "-numa", "perf,node=0,preset=cxl", "-numa",
           "perf,node=0,preset=cxl");
    REFUSE(t, &err, "-numa perf: bw_gbps must be greater than 0", "-numa", "perf,node=0,bw_gbps=0");
    REFUSE(t, &err, "-numa perf: read_lat_ns: 'fast' is not a number", "-numa",
           "perf,node=0,read_lat_ns=fast");
    REFUSE(t, &err, "-numa perf: curve: cannot open '/nonexistent'", "-numa",
           "perf,node=0,curve=/nonexistent");
}

static void test_topology_refusals(void **state)
{
    struct numa_topology *t = *state;
    struct emu_err err;

    REFUSE(t, &err, "-numa node: unknown parameter 'bogus'", "-numa", "node,bogus=1");
    REFUSE(t, &err, "-numa: unknown type 'nod'", "-numa", "nod,mem=1G");
    REFUSE(t, &err, "-numa: missing type", "-numa", "mem=1G");
    REFUSE(t, &err, "-numa node: mem: '1X' has an unknown size suffix", "-numa", "node,mem=1X");
    REFUSE(t, &err, "node memory adds up to 1536 MiB but -m is 2048 MiB", "-m", "2G", "-numa",
           "node,mem=1G", "-numa", "node,mem=512M");
    REFUSE(t, &err, "-numa node: CPU 3 is on no node", "-smp", "4", "-numa", "node,cpus=0-1",
           "-numa", "node,cpus=2");
    REFUSE(t, &err, "-numa node: CPU 1 is in node 0 and node 1", "-smp", "2", "-numa",
           "node,cpus=0-1", "-numa", "node,cpus=1");
    REFUSE(t, &err, "-numa node: node 0: CPU index 4 must be below maxcpus (4)", "-smp", "4",
           "-numa", "node,cpus=0-4");
    REFUSE(t, &err, "-numa dist: distance 5 from node 0 to node 1 is outside 10..255", "-numa",
           "dist,src=0,dst=1,val=5");
    REFUSE(t, &err, "-numa dist: the local distance of node 1 must be 10, not 12", "-numa",
           "dist,src=1,dst=1,val=12");
    REFUSE(t, &err, "-numa dist: node 2 does not exist", "-numa", "node", "-numa", "node", "-numa",
           "dist,src=0,dst=2,val=20");
    REFUSE(t, &err, "-numa dist: parameter 'val' is required", "-numa", "dist,src=0,dst=1");
    REFUSE(t, &err, "-numa node: duplicate nodeid 0", "-numa", "node,nodeid=0", "-numa",
           "node,nodeid=0");
    REFUSE(t, &err, "-numa node: nodeid 64 is out of range", "-numa", "node,nodeid=64");
    REFUSE(t, &err, "node ids must be dense from 0, but node 1 is missing", "-numa",
           "node,nodeid=0", "-numa", "node,nodeid=2");
    REFUSE(t, &err, "-numa node: node 0: cannot give both mem= and memdev=", "-numa",
           "node,mem=1G,memdev=m0");
    REFUSE(t, &err, "memdev= must be given for all nodes or none (node 1 has none)", "-m", "2G",
           "-object", "memory-backend-ram,id=m0,size=1G", "-numa", "node,memdev=m0", "-numa",
           "node,mem=1G");
    REFUSE(t, &err, "node 0: memdev 'm9' is not a memory-backend-ram object", "-numa",
           "node,memdev=m9");
    REFUSE(t, &err, "node 1: memdev 'm0' is already used by another node", "-m", "2G", "-object",
           "memory-backend-ram,id=m0,size=1G", "-numa", "node,memdev=m0", "-numa",
           "node,memdev=m0");
    REFUSE(t, &err, "node 2: initiator 0 has no CPUs", "-smp", "1", "-numa", "node", "-numa",
           "node,cpus=0", "-numa", "node,initiator=0");
    REFUSE(t, &err, "node 0 has CPUs, so its initiator must be itself, not 1", "-smp", "2", "-numa",
           "node,cpus=0,initiator=1", "-numa", "node,cpus=1");
    REFUSE(t, &err, "-object: type 'memory-backend-file' is not supported", "-object",
           "memory-backend-file,id=m0,size=1G,mem-path=/dev/shm");
    REFUSE(t, &err, "-object: parameter 'id' is required", "-object", "memory-backend-ram,size=1G");
    REFUSE(t, &err, "-object: m0: policy=bind needs host-nodes=", "-object",
           "memory-backend-ram,id=m0,size=1G,policy=bind");
    REFUSE(t, &err, "-object: m0: host-nodes= needs policy=", "-object",
           "memory-backend-ram,id=m0,size=1G,host-nodes=0");
    REFUSE(t, &err, "-object: host-nodes: host node 64 is out of range", "-object",
           "memory-backend-ram,id=m0,size=1G,host-nodes=64,policy=bind");
    REFUSE(t, &err, "-object: duplicate id 'm0'", "-object", "memory-backend-ram,id=m0,size=1G",
           "-object", "memory-backend-ram,id=m0,size=1G");
    REFUSE(t, &err, "-object: policy: unknown policy 'spread'", "-object",
           "memory-backend-ram,id=m0,size=1G,policy=spread,host-nodes=0");
    REFUSE(t, &err, "-object: unknown parameter 'mem-path'", "-object",
           "memory-backend-ram,id=m0,size=1G,mem-path=/x");
}

/* Split topo_format()'s output back into options and parse it again. */
static bool reparse(struct numa_topology *t, const char *line, struct emu_err *err)
{
    char *copy = strdup(line), *save = NULL;
    const char *args[256];
    u32 n = 0;

    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        assert_true(n < ARRAY_LEN(args) - 1);
        args[n++] = tok;
    }
    args[n] = NULL;
    assert_int_equal(n % 2, 0);
    {
        bool ok = build_args(t, args, true, err);

        free(copy);
        return ok;
    }
}

static void test_topology_format_roundtrip(void **state)
{
    struct numa_topology *t = *state;
    struct numa_topology *u = malloc(sizeof(*u));
    struct emu_err err;
    char line[4096];

    assert_true(BUILD(
        t, &err, "-m", "size=3G,slots=2,maxmem=8G", "-smp",
        "6,maxcpus=8,sockets=2,cores=2,threads=2", "-object", "memory-backend-ram,id=a,size=1G",
        "-object", "memory-backend-ram,id=b,size=1536M,host-nodes=1,host-nodes=3-4,policy=bind",
        "-object", "memory-backend-ram,id=c,size=512M", "-numa", "node,memdev=a,cpus=0-2,cpus=4",
        "-numa", "node,memdev=b,cpus=3,cpus=5-7", "-numa", "node,memdev=c,initiator=1", "-numa",
        "dist,src=0,dst=2,val=31", "-numa",
        "hmat-lb,initiator=1,target=2,hierarchy=memory,data-type=read-bandwidth,"
        "bandwidth=10G",
        "-numa", "perf,node=2,preset=cxl,write_lat_ns=333.25"));
    topo_format(t, line, sizeof(line));
    assert_non_null(strstr(line, "-numa node,nodeid=0,memdev=a,cpus=0-2,cpus=4"));
    assert_non_null(strstr(line, "host-nodes=1,host-nodes=3-4"));
    assert_true(reparse(u, line, &err));
    assert_int_equal(u->ram_bytes, t->ram_bytes);
    assert_int_equal(u->ram_slots, 2);
    assert_int_equal(u->maxmem_bytes, 8 * GiB);
    assert_int_equal(u->n_cpus, 6);
    assert_int_equal(u->max_cpus, 8);
    assert_int_equal(u->threads, 2);
    assert_int_equal(u->n_nodes, 3);
    assert_int_equal(u->n_memdevs, 3);
    assert_int_equal(u->memdevs[1].host_nodes[0], 0x1a);
    assert_string_equal(u->memdevs[1].policy, "bind");
    assert_int_equal(u->n_hmat, 1);
    assert_int_equal(u->hmat[0].value, 10 * GiB);
    for (u32 i = 0; i < 3; i++) {
        assert_memory_equal(u->nodes[i].cpus, t->nodes[i].cpus, sizeof(t->nodes[i].cpus));
        assert_int_equal(u->nodes[i].mem_bytes, t->nodes[i].mem_bytes);
        assert_int_equal(u->nodes[i].initiator, t->nodes[i].initiator);
        assert_true(u->nodes[i].perf.rd_lat_ns == t->nodes[i].perf.rd_lat_ns);
        assert_true(u->nodes[i].perf.wr_lat_ns == t->nodes[i].perf.wr_lat_ns);
        assert_true(u->nodes[i].perf.peak_bw_gbps == t->nodes[i].perf.peak_bw_gbps);
        assert_true(u->nodes[i].perf.svc_ns == t->nodes[i].perf.svc_ns);
        for (u32 j = 0; j < 3; j++)
            assert_int_equal(u->dist[i][j], t->dist[i][j]);
    }
    assert_true(t->nodes[2].perf.wr_lat_ns == 333.25);

    /* A tiny buffer is truncated, never overrun. */
    topo_format(t, line, 8);
    assert_int_equal(strlen(line), 7);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topology_default_single_node),
        cmocka_unit_test(test_topology_m_forms),
        cmocka_unit_test(test_topology_smp_forms),
        cmocka_unit_test(test_topology_nodes_mem_cpus_dist),
        cmocka_unit_test(test_topology_auto_memory_and_cpus),
        cmocka_unit_test(test_topology_memdev),
        cmocka_unit_test(test_topology_numa_cpu),
        cmocka_unit_test(test_topology_hmat),
        cmocka_unit_test(test_topology_perf),
        cmocka_unit_test(test_topology_refusals),
        cmocka_unit_test(test_topology_format_roundtrip),
    };

    return cmocka_run_group_tests_name("numa/topology", tests, setup, teardown);
}
