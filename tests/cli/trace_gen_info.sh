#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-trace: gen -> info/cat round trips for every generator and codec; determinism.
# Usage: trace_gen_info.sh <build-dir>
set -euo pipefail
B=${1:?usage: $0 <build-dir>}
T=$B/tools/terrace-trace
[ -x "$T" ] || { echo "FAIL: $T not built"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
field() { sed -n "s/^$1: *//p" "$2"; }

for kind in uniform zipf hotcold chase stream gups; do
    for codec in lz4 zstd none; do
        f=$W/$kind.$codec.trc
        "$T" gen --kind $kind --records 100K --footprint 16M --cpus 2 --icount 5 \
            --codec $codec --chunk-records 30000 --seed 3 -o "$f"
        "$T" info "$f" >"$W/info.txt"
        [ "$(field records "$W/info.txt")" = 100000 ] || fail "$kind/$codec: record count"
        [ "$(field codec "$W/info.txt")" = $codec ] || fail "$kind/$codec: codec"
        [ "$(field cpus "$W/info.txt")" = 2 ] || fail "$kind/$codec: cpus"
        [ "$(field chunks "$W/info.txt")" = 4 ] || fail "$kind/$codec: chunks"
        [ "$(field instructions "$W/info.txt")" = 500000 ] || fail "$kind/$codec: instructions"
        [ "$(field verified "$W/info.txt")" = ok ] || fail "$kind/$codec: not verified"
    done
    # Every codec decodes to the same records.
    cmp -s <("$T" cat "$W/$kind.lz4.trc") <("$T" cat "$W/$kind.zstd.trc") ||
        fail "$kind: lz4 and zstd differ"
    cmp -s <("$T" cat "$W/$kind.lz4.trc") <("$T" cat "$W/$kind.none.trc") ||
        fail "$kind: lz4 and none differ"
done

# Footprints with known answers: a 1 MiB uniform footprint is fully touched (256 pages);
# a stream of 4096 64-byte steps covers exactly 64 pages.
"$T" gen --kind uniform --records 1M --footprint 1M -o "$W/u.trc"
"$T" info "$W/u.trc" >"$W/info.txt"
grep -q '^footprint: *256 pages (1048576 bytes)$' "$W/info.txt" || fail "uniform footprint"
"$T" gen --kind stream --records 4096 --footprint 1G --stride 64 --read-ratio 1 -o "$W/s.trc"
"$T" info "$W/s.trc" >"$W/info.txt"
grep -q '^footprint: *64 pages' "$W/info.txt" || fail "stream footprint"
grep -q '^  read *4096$' "$W/info.txt" || fail "stream reads"
"$T" cat "$W/s.trc" --limit 3 >"$W/cat.txt"
[ "$(wc -l <"$W/cat.txt")" = 4 ] || fail "cat --limit"
sed -n 3p "$W/cat.txt" | grep -q '^1 0 read 0x10000000040 0x0 8 10$' || fail "cat line"

# Same seed, same bytes; GUPS pairs reads and writes.
"$T" gen --kind hotcold --records 200K --move-every 50K --desc same -o "$W/a.trc"
"$T" gen --kind hotcold --records 200K --move-every 50K --desc same -o "$W/b.trc"
cmp -s "$W/a.trc" "$W/b.trc" || fail "same seed, different files"
"$T" gen --kind gups --records 10K -o "$W/g.trc"
"$T" info "$W/g.trc" >"$W/info.txt"
grep -q '^  read *5000$' "$W/info.txt" && grep -q '^  write *5000$' "$W/info.txt" ||
    fail "gups read/write counts"

# Empty trace.
"$T" gen --kind uniform --records 0 -o "$W/e.trc"
"$T" info "$W/e.trc" >"$W/info.txt"
[ "$(field records "$W/info.txt")" = 0 ] || fail "empty trace"

# No temporary files left behind.
! ls "$W" | grep -q '\.tmp\.' || fail "temporary file left"
echo "ok"
