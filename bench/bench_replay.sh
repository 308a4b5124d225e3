#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Replay throughput and memory: ~100-million-record traces replayed with TLBs, page-walk caches,
# caches and tiers all modelled, on one core. Workloads: a real program (GNU sort of 60,000
# random lines, traced by Valgrind lackey and imported; ~103 M records, cached in
# BUILD_DIR/bench-cache after the first run, which takes a few minutes) and synthetic traces
# over 2 GiB (zipf, hot/cold, stream, GUPS). Prints records per second per workload, the
# decode-only rate of the same file (the floor set by reading the trace), the caches-off rate,
# and the host memory held per GiB of simulated guest memory; compares with the 50 M/s target.
#   bench/bench_replay.sh [BUILD_DIR] [RECORDS]     (RECORDS: synthetic trace length, 100M)
set -euo pipefail
build=${1:-build}
records=${2:-100M}
bin=$build/tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

machine=(-m 8G -smp 1 -numa node,nodeid=0,mem=4G,cpus=0 -numa node,nodeid=1,mem=4G
         -numa perf,node=0,preset=ddr5-local -numa perf,node=1,preset=cxl -epoch 1ms)
target=50

rate() { sed -n 's/.* \([0-9.]*\) M records\/s.*/\1/p'; }
rss() { sed -n 's/.*host peak RSS \([0-9.]*\) MiB.*/\1/p'; }

printf '%-10s %10s %12s %12s %12s %14s\n' workload records "decode M/s" "full M/s" \
  "no-cache M/s" "MiB/GiB guest"
real_trace() { # the sort trace, made once
  local cache=$build/bench-cache
  if [ ! -f "$cache/sort.trc" ]; then
    command -v valgrind >/dev/null || { echo "valgrind missing: run scripts/deps.sh" >&2; return 1; }
    mkdir -p "$cache"
    awk 'BEGIN { srand(1); for (i = 0; i < 60000; i++) { s = "";
           for (j = 0; j < 4; j++) s = s sprintf("%08x", int(rand() * 4294967296)); print s } }' \
      >"$tmp/words.txt"
    valgrind --tool=lackey --trace-mem=yes --log-file="$tmp/lackey.txt" \
      sort "$tmp/words.txt" >/dev/null
    "$bin"/terrace-trace import-lackey "$tmp/lackey.txt" -o "$cache/sort.trc" >/dev/null
    rm -f "$tmp/lackey.txt"
  fi
  cp "$cache/sort.trc" "$1"
}

for kind in sort zipf hotcold stream gups; do
  trace=$tmp/$kind.trc
  if [ "$kind" = sort ]; then
    real_trace "$trace"
  else
    "$bin"/terrace-trace gen --kind "$kind" --records "$records" --footprint 2G --seed 7 \
      -o "$trace" >/dev/null
  fi
  n=$("$bin"/terrace-trace info "$trace" | sed -n 's/^records: *//p')
  dec=$("$bin"/terrace-trace bench "$trace" --passes 1 | sed -n 's/.* \([0-9.]*\) M records\/s.*/\1/p' | head -1)
  full_out=$(taskset -c 0 "$bin"/terrace-replay -trace "$trace" -o "$tmp/out" -name "$kind" \
    "${machine[@]}")
  nocache=$(taskset -c 0 "$bin"/terrace-replay -trace "$trace" -o "$tmp/out" -name "$kind-nc" \
    "${machine[@]}" -caches off | rate)
  full=$(echo "$full_out" | rate)
  mib=$(echo "$full_out" | rss)
  per_gib=$(awk -v m="$mib" 'BEGIN { printf "%.1f", m / 8 }')
  printf '%-10s %10s %12s %12s %12s %14s\n' "$kind" "$n" "${dec:-?}" "$full" "$nocache" \
    "$per_gib"
  rm -f "$trace"
done
echo "target: >= $target M records/s with every model on (one core); guest memory: 8 GiB"
