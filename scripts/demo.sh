#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The demo: a hot/cold workload replayed on a two-tier machine (local DDR5 + a CXL memory
# expander) under three page placements, with CSV/JSON stats and comparison plots.
#   scripts/demo.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=${1:?build dir}
out=${2:?output dir}
bin=$build/tools

mkdir -p "$out"
trace=$out/hotcold.trc

# 1.5 GiB footprint, 10% of it hot and taking 90% of the accesses; the hot set moves twice.
"$bin"/terrace-trace gen --kind hotcold --records 12M --footprint 1536M --hot-fraction 0.1 \
  --hot-prob 0.9 --move-every 4M --read-ratio 0.7 --icount 20 --seed 42 -o "$trace"

# Node 0: 1 GiB of local DDR5 with the CPU; node 1: 2 GiB CXL expander, CPU-less, farther.
machine=(-m 3G -smp 1 -numa node,nodeid=0,mem=1G,cpus=0 -numa node,nodeid=1,mem=2G
         -numa dist,src=0,dst=1,val=26 -numa perf,node=0,preset=ddr5-local
         -numa perf,node=1,preset=cxl -epoch 2ms)

for placement in first-touch interleave node=1; do
  name=${placement/=/}
  "$bin"/terrace-replay -trace "$trace" -o "$out" -name "$name" "${machine[@]}" \
    -placement "$placement"
done

"$bin"/terrace-plot -o "$out/plots" --title "hot/cold on DDR5 + CXL" \
  "$out/first-touch.csv" "$out/interleave.csv" "$out/node1.csv"
rm -f "$trace"
echo "demo: stats in $out/*.csv and *.json, plots in $out/plots/"
