#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-replay: a good run writes exactly its three stats files; bad options, impossible
# topologies and bad traces fail with one line on stderr, a non-zero exit and no output.
# Usage: replay_cli.sh <build-dir>
set -euo pipefail
B=${1:?usage: $0 <build-dir>}
R=$B/tools/terrace-replay
T=$B/tools/terrace-trace
[ -x "$R" ] && [ -x "$T" ] || { echo "FAIL: tools not built"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
OUT=$W/out

fail() { echo "FAIL: $*"; exit 1; }

expect_fail() { # expect_fail <pattern> <args...>
    local pat=$1
    shift
    if "$R" "$@" >"$W/stdout" 2>"$W/stderr"; then fail "succeeded: $*"; fi
    [ "$(wc -l <"$W/stderr")" = 1 ] || { cat "$W/stderr"; fail "not one line: $*"; }
    grep -qE "^terrace-replay: .*($pat)" "$W/stderr" || { cat "$W/stderr"; fail "message: $*"; }
    [ ! -e "$OUT" ] || fail "output left behind: $*"
}

"$T" gen --kind hotcold --records 200K --footprint 64M -o "$W/hc.trc" >/dev/null
"$T" gen --kind uniform --records 10K --footprint 16M --cpus 2 -o "$W/two.trc" >/dev/null
machine=(-m 256M -smp 1 -numa node,mem=128M,cpus=0 -numa node,mem=128M
         -numa perf,node=1,preset=cxl)

# A good run: three files, the tidy CSV has the expected header and totals.
"$R" -trace "$W/hc.trc" -o "$OUT" -name ok "${machine[@]}" -epoch 100us >"$W/stdout"
[ "$(ls "$OUT" | sort | tr '\n' ' ')" = "ok.csv ok.epochs.csv ok.json " ] || fail "files: $(ls "$OUT")"
head -1 "$OUT/ok.csv" | grep -qx 'run,region,epoch,time_ns,stat,value' || fail "tidy header"
grep -q '^ok,all,total,[0-9]*,replay.records,200000$' "$OUT/ok.csv" || fail "record total"
grep -q '"run"' "$OUT/ok.json" || fail "json"
grep -q 'ok: 200000 records' "$W/stdout" || fail "summary: $(cat "$W/stdout")"
# Same command, same bytes: runs are deterministic.
"$R" -trace "$W/hc.trc" -o "$W/again" -name ok "${machine[@]}" -epoch 100us -q
cmp -s "$OUT/ok.csv" "$W/again/ok.csv" || fail "not deterministic"
cmp -s "$OUT/ok.json" "$W/again/ok.json" || fail "json not deterministic"
rm -rf "$OUT" "$W/again"

# Options.
expect_fail "unknown option '-bogus'" -trace "$W/hc.trc" -o "$OUT" -bogus 1
expect_fail "-trace and -o are required" -o "$OUT"
expect_fail "needs a value" -trace "$W/hc.trc" -o "$OUT" -m
expect_fail "unknown placement 'nearest'" -trace "$W/hc.trc" -o "$OUT" -placement nearest
expect_fail "-epoch: '1 parsec' is not a time" -trace "$W/hc.trc" -o "$OUT" -epoch "1 parsec"
expect_fail "-page-size" -trace "$W/hc.trc" -o "$OUT" -page-size 3k
expect_fail "-cpi" -trace "$W/hc.trc" -o "$OUT" -cpi -1
expect_fail "-numa" -trace "$W/hc.trc" -o "$OUT" -numa node,mem=1X
expect_fail "unknown preset" -trace "$W/hc.trc" -o "$OUT" -m 256M -numa node,mem=256M,cpus=0 \
    -numa perf,node=0,preset=hbm9
expect_fail "-name" -trace "$W/hc.trc" -o "$OUT" -name a/b

# Impossible topologies.
expect_fail "CPU 1 is on no node|CPU 1" -trace "$W/hc.trc" -o "$OUT" -m 256M -smp 2 \
    -numa node,mem=128M,cpus=0 -numa node,mem=128M
expect_fail "MiB" -trace "$W/hc.trc" -o "$OUT" -m 256M -numa node,mem=128M,cpus=0 \
    -numa node,mem=64M
expect_fail "distance" -trace "$W/hc.trc" -o "$OUT" "${machine[@]}" -numa dist,src=0,dst=1,val=5

# Bad traces and traces that do not fit the machine.
echo "not a trace" >"$W/text.trc"
expect_fail "not a terrace trace" -trace "$W/text.trc" -o "$OUT" "${machine[@]}"
expect_fail "cannot open" -trace "$W/missing.trc" -o "$OUT" "${machine[@]}"
size=$(stat -c %s "$W/hc.trc")
head -c $((size / 2)) "$W/hc.trc" >"$W/cut.trc"
expect_fail "truncated" -trace "$W/cut.trc" -o "$OUT" "${machine[@]}"
expect_fail "2 CPUs but the machine has 1" -trace "$W/two.trc" -o "$OUT" "${machine[@]}"
expect_fail "more memory than the guest has" -trace "$W/hc.trc" -o "$OUT" -m 32M

# Output folder problems.
expect_fail "cannot create folder" -trace "$W/hc.trc" -o "$W/no/such/out" "${machine[@]}"
[ ! -e "$W/no" ] || fail "left a folder"
touch "$W/file"
OUT=$W/file/x expect_fail "cannot create folder|not a folder" -trace "$W/hc.trc" -o "$W/file" \
    "${machine[@]}"
echo "PASS"
