#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-plot on two small hand-made runs (2 nodes, 2 CPUs, 3 epochs): every per-run plot and
# the comparison are written as valid PNG and SVG, plots whose stats are absent are skipped
# with a note, and no temporary files remain.
set -euo pipefail
build=${1:?usage: plot_basic.sh BUILD_DIR}
plot=$build/tools/terrace-plot
[[ -x $plot ]] || { echo "FAIL: $plot not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"
fail() { echo "FAIL: $*"; exit 1; }

# Run "base": node 0 serves 75 % of accesses throughout. Run "tpp": 50 %, 75 %, 90 %.
csv() { # run, node0 reads per epoch (3 values); node 1 gets 100 - that
    local run=$1; shift
    echo "run,region,epoch,time_ns,stat,value"
    local e=0 t r0
    for r0 in "$@"; do
        t=$(( (e + 1) * 1000000 ))
        cat <<ROWS
$run,roi-1,$e,$t,node0.reads,$r0
$run,roi-1,$e,$t,node0.writes,0
$run,roi-1,$e,$t,node1.reads,$((100 - r0))
$run,roi-1,$e,$t,node1.writes,0
$run,roi-1,$e,$t,node0.loaded_lat_ns,90
$run,roi-1,$e,$t,node1.loaded_lat_ns,190
$run,roi-1,$e,$t,node0.offered_gbps,$((r0 / 10))
$run,roi-1,$e,$t,node1.offered_gbps,$(( (100 - r0) / 10 ))
$run,roi-1,$e,$t,node0.lat_ns_sum,$((r0 * 90))
$run,roi-1,$e,$t,node1.lat_ns_sum,$(( (100 - r0) * 190 ))
$run,roi-1,$e,$t,cpu0.dtlb.l1.hits,900
$run,roi-1,$e,$t,cpu0.dtlb.l1.misses,100
$run,roi-1,$e,$t,cpu1.dtlb.l1.hits,950
$run,roi-1,$e,$t,cpu1.dtlb.l1.misses,50
$run,roi-1,$e,$t,cpu0.stlb.hits,60
$run,roi-1,$e,$t,cpu0.stlb.misses,40
$run,roi-1,$e,$t,cpu0.walk.count,40
$run,roi-1,$e,$t,cpu0.walk.cycles,$((40 * (50 + 10 * e)))
$run,roi-1,$e,$t,replay.time_ns,1000000
$run,roi-1,$e,$t,llc.misses,100
ROWS
        e=$((e + 1))
    done
    echo "$run,roi-1,total,$t,replay.time_ns,3000000"
}
csv base 75 75 75 >"$work/base.csv"
# The second run quotes some fields, as a spreadsheet would.
csv tpp 50 75 90 | sed 's/^tpp,roi-1,/"tpp","roi-1",/' >"$work/tpp.csv"

out=$work/out/plots
"$plot" -o "$out" --title "basic 'test'" "$work/base.csv" "$work/tpp.csv" >"$work/stdout" \
    2>"$work/stderr" || { cat "$work/stderr"; fail "terrace-plot exited $?"; }

is_png() { [[ $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]]; }
for stem in base.node_share base.tlb_miss base.walk_cycles base.loaded_lat \
            tpp.node_share tpp.tlb_miss tpp.walk_cycles tpp.loaded_lat compare; do
    [[ -s $out/$stem.png ]] || fail "$stem.png missing"
    is_png "$out/$stem.png" || fail "$stem.png is not a PNG"
    [[ -s $out/$stem.svg ]] || fail "$stem.svg missing"
    grep -q '<svg' "$out/$stem.svg" || fail "$stem.svg is not an SVG"
    grep -qx "$out/$stem.png" "$work/stdout" || fail "$stem.png not listed on stdout"
done
[[ $(ls -A "$out" | wc -l) -eq 18 ]] || fail "unexpected files in $out: $(ls -A "$out")"
grep -q "basic 'test'" "$out/compare.svg" || fail "title missing from compare.svg"
grep -q "node 1" "$out/tpp.node_share.svg" || fail "legend missing from node_share.svg"
[[ ! -s $work/stderr ]] || { cat "$work/stderr"; fail "unexpected messages on stderr"; }
[[ -z $(ls -A "$TMPDIR") ]] || fail "temporary files left in TMPDIR: $(ls -A "$TMPDIR")"

# One format only; a run without TLB or walk stats: those plots are skipped with a note.
grep -v -e dtlb -e stlb -e walk "$work/base.csv" >"$work/notlb.csv"
out2=$work/out2
"$plot" -o "$out2" --format svg "$work/notlb.csv" >/dev/null 2>"$work/stderr2" ||
    fail "svg-only run failed"
[[ -s $out2/base.node_share.svg && -s $out2/base.loaded_lat.svg ]] || fail "svg-only outputs"
[[ ! -e $out2/base.tlb_miss.svg && ! -e $out2/base.walk_cycles.svg ]] || fail "plots not skipped"
[[ -z $(ls "$out2" | grep -v '\.svg$' || true) ]] || fail "non-SVG output with --format svg"
grep -q "skipping the TLB miss-rate plot" "$work/stderr2" || fail "no note for the TLB plot"
grep -q "skipping the walk-cycles plot" "$work/stderr2" || fail "no note for the walk plot"

# Nothing plottable at all is an error.
printf 'run,region,epoch,time_ns,stat,value\nx,r,0,1,llc.misses,3\n' >"$work/none.csv"
if "$plot" -o "$work/out3" "$work/none.csv" 2>/dev/null; then fail "empty plot set accepted"; fi
[[ ! -e $work/out3 ]] || fail "output folder left behind"
[[ -z $(ls -A "$TMPDIR") ]] || fail "temporary files left in TMPDIR"
echo "PASS"
