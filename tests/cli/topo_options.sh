#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-topo: the host summary ends with options that numa/ parses and finalizes
# (--check); node memory matches Linux's per-node MemTotal rounded down to MiB; a 3-node XML
# topology (one node memory-only, SLIT distances) and a synthetic 2-package one give exactly
# the expected options; bad options are refused with one line.
set -euo pipefail
build=${1:?usage: topo_options.sh BUILD_DIR}
topo=$build/tools/terrace-topo
[[ -x $topo ]] || { echo "FAIL: $topo not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# This host.
"$topo" >"$work/full" || fail "terrace-topo exited $?"
"$topo" --options >"$work/opts" || fail "terrace-topo --options exited $?"
[[ $(wc -l <"$work/opts") -eq 1 ]] || fail "--options printed more than one line"
[[ $(tail -n 1 "$work/full") == "$(cat "$work/opts")" ]] || fail "last line differs from --options"
head -n 1 "$work/full" | grep -q '^host topology (hwloc ' || fail "no summary: $(head -n 1 "$work/full")"
opts=$(cat "$work/opts")
[[ $opts =~ ^-smp\ [0-9]+ ]] || fail "options do not start with -smp: $opts"
[[ $opts == *" -numa node,nodeid=0,"* ]] || fail "no node 0: $opts"
"$topo" --check "$opts" >"$work/check" || fail "numa/ refuses the host's options: $opts"
# -m is the sum of the nodes' mem=, all in MiB.
m=$(grep -o -- '-m [0-9]*M' <<<"$opts" | grep -o '[0-9]*')
sum=0
for v in $(grep -o 'mem=[0-9]*M' <<<"$opts" | grep -o '[0-9]*'); do sum=$((sum + v)); done
[[ $m -eq $sum ]] || fail "-m ${m}M but the nodes add up to ${sum}M"
# Each node's memory is Linux's MemTotal for that node, rounded down to MiB.
n_nodes=$(grep -o -- '-numa node,' <<<"$opts" | wc -l)
n_sys=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
if [[ $n_nodes -eq $n_sys && $n_sys -ge 1 ]]; then
    i=0
    for f in $(ls -d /sys/devices/system/node/node[0-9]* | sort -V); do
        kb=$(awk '/MemTotal/ {print $4}' "$f/meminfo")
        want=$((kb / 1024))
        [[ $opts == *"nodeid=$i,"*"mem=${want}M"* ]] || fail "node $i: want mem=${want}M in $opts"
        i=$((i + 1))
    done
fi
# One vCPU per host PU that hwloc may use.
n_pus=$(sed -n 's/^-smp \([0-9]*\).*/\1/p' <<<"$opts")
[[ $n_pus -ge 1 && $n_pus -le $(getconf _NPROCESSORS_ONLN) ]] || fail "-smp $n_pus"

# A two-socket host with a CPU-less (CXL-like) third node and a SLIT.
cat >"$work/three.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE topology SYSTEM "hwloc2.dtd">
<topology version="2.0">
  <object type="Machine" os_index="0" cpuset="0x0000000f" complete_cpuset="0x0000000f" nodeset="0x00000007" complete_nodeset="0x00000007">
    <object type="NUMANode" os_index="2" cpuset="0x0000000f" complete_cpuset="0x0000000f" nodeset="0x00000004" complete_nodeset="0x00000004" local_memory="4294967296"/>
    <object type="Package" os_index="0" cpuset="0x00000003" complete_cpuset="0x00000003" nodeset="0x00000001" complete_nodeset="0x00000001">
      <object type="NUMANode" os_index="0" cpuset="0x00000003" complete_cpuset="0x00000003" nodeset="0x00000001" complete_nodeset="0x00000001" local_memory="2148533224"/>
      <object type="Core" os_index="0" cpuset="0x00000003" complete_cpuset="0x00000003" nodeset="0x00000001" complete_nodeset="0x00000001">
        <object type="PU" os_index="0" cpuset="0x00000001" complete_cpuset="0x00000001" nodeset="0x00000001" complete_nodeset="0x00000001"/>
        <object type="PU" os_index="1" cpuset="0x00000002" complete_cpuset="0x00000002" nodeset="0x00000001" complete_nodeset="0x00000001"/>
      </object>
    </object>
    <object type="Package" os_index="1" cpuset="0x0000000c" complete_cpuset="0x0000000c" nodeset="0x00000002" complete_nodeset="0x00000002">
      <object type="NUMANode" os_index="1" cpuset="0x0000000c" complete_cpuset="0x0000000c" nodeset="0x00000002" complete_nodeset="0x00000002" local_memory="2147483648"/>
      <object type="Core" os_index="1" cpuset="0x0000000c" complete_cpuset="0x0000000c" nodeset="0x00000002" complete_nodeset="0x00000002">
        <object type="PU" os_index="2" cpuset="0x00000004" complete_cpuset="0x00000004" nodeset="0x00000002" complete_nodeset="0x00000002"/>
        <object type="PU" os_index="3" cpuset="0x00000008" complete_cpuset="0x00000008" nodeset="0x00000002" complete_nodeset="0x00000002"/>
      </object>
    </object>
  </object>
  <distances2 type="NUMANode" nbobjs="3" kind="5" name="NUMALatency" indexing="os">
    <indexes length="6">0 1 2 </indexes>
    <u64values length="27">10 21 40 21 10 42 40 42 10 </u64values>
  </distances2>
</topology>
XML
# Node 0 has 2049 MiB and 1000 bytes: mem=2049M.
want="-smp 4,sockets=2,cores=1,threads=2 -m 8193M"
want+=" -numa node,nodeid=0,cpus=0-1,mem=2049M -numa node,nodeid=1,cpus=2-3,mem=2048M"
want+=" -numa node,nodeid=2,mem=4096M"
want+=" -numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=40 -numa dist,src=1,dst=2,val=42"
got=$("$topo" --options --xml "$work/three.xml") || fail "--xml exited $?"
[[ $got == "$want" ]] || fail "3-node options:"$'\n'" got  $got"$'\n'" want $want"
"$topo" --check "$got" >/dev/null || fail "numa/ refuses the 3-node options"
"$topo" --xml "$work/three.xml" >"$work/three"
grep -q 'node 2 (host node 2): 4096 MiB, no CPUs (memory only)' "$work/three" ||
    fail "memory-only node not in the summary"
grep -Eq '^ +2 +40 +42 +10$' "$work/three" || fail "distance matrix not in the summary"

# Memory rounds down to MiB: 1 GB (10^9 bytes) per node is 953 MiB.
got=$("$topo" --options --synthetic 'pack:2 [numa(memory=1000000000)] core:2 pu:1')
want="-smp 4,sockets=2,cores=2,threads=1 -m 1906M"
want+=" -numa node,nodeid=0,cpus=0-1,mem=953M -numa node,nodeid=1,cpus=2-3,mem=953M"
[[ $got == "$want" ]] || fail "synthetic options:"$'\n'" got  $got"$'\n'" want $want"
"$topo" --check "$got" >/dev/null || fail "numa/ refuses the synthetic options"

# --check refuses inconsistent options with one line.
rc=0
"$topo" --check -m 1G -numa node,mem=512M 2>"$work/err" >/dev/null || rc=$?
[[ $rc -eq 1 && $(wc -l <"$work/err") -eq 1 ]] || fail "--check: rc $rc, $(cat "$work/err")"
grep -q '^terrace-topo: ' "$work/err" || fail "--check message: $(cat "$work/err")"
rc=0
"$topo" --check -vga std 2>"$work/err" >/dev/null || rc=$?
[[ $rc -eq 1 ]] || fail "--check accepted -vga"
rc=0
"$topo" --synthetic 'not a topology' 2>/dev/null >/dev/null || rc=$?
[[ $rc -eq 1 ]] || fail "bad synthetic description accepted"
echo "PASS"
