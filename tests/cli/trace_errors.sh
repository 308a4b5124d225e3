#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-trace: bad options, bad values and bad input files fail with one line on stderr,
# a non-zero exit and no output file.
# Usage: trace_errors.sh <build-dir>
set -euo pipefail
B=${1:?usage: $0 <build-dir>}
T=$B/tools/terrace-trace
[ -x "$T" ] || { echo "FAIL: $T not built"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
OUT=$W/out.trc

fail() { echo "FAIL: $*"; exit 1; }

# expect_fail <pattern> <command...>: fails, one "terrace-trace: " line matching <pattern>,
# no $OUT and no temporary file.
expect_fail() {
    local pat=$1
    shift
    if "$@" >"$W/stdout" 2>"$W/stderr"; then fail "succeeded: $*"; fi
    [ "$(wc -l <"$W/stderr")" = 1 ] || { cat "$W/stderr"; fail "not one line: $*"; }
    grep -q "^terrace-trace: .*$pat" "$W/stderr" || { cat "$W/stderr"; fail "message: $*"; }
    [ ! -e "$OUT" ] || fail "output left behind: $*"
    ! ls "$W" | grep -q '\.tmp\.' || fail "temporary file left behind: $*"
}

expect_fail "unknown option '--bogus'" "$T" gen --kind uniform --bogus 1 -o "$OUT"
expect_fail "unknown command" "$T" frobnicate
expect_fail "needs a value" "$T" gen --kind uniform -o "$OUT" --records
expect_fail "given twice" "$T" gen --kind uniform --seed 1 --seed 2 -o "$OUT"
expect_fail "--records: '10X' is not a count" "$T" gen --kind uniform --records 10X -o "$OUT"
expect_fail "--footprint: .*unknown size suffix" "$T" gen --kind uniform --footprint 1Q -o "$OUT"
expect_fail "unknown generator kind 'nope'" "$T" gen --kind nope -o "$OUT"
expect_fail "read ratio" "$T" gen --kind uniform --read-ratio 2 -o "$OUT"
expect_fail "theta" "$T" gen --kind zipf --theta 1 -o "$OUT"
expect_fail "unknown codec 'gzip'" "$T" gen --kind uniform --codec gzip -o "$OUT"
expect_fail "-o OUT is required" "$T" gen --kind uniform
expect_fail "cannot create" "$T" gen --kind uniform --records 1K -o "$W/no/such/dir/x.trc"
expect_fail "takes no value" "$T" gen --kind zipf --no-scramble=1 -o "$OUT"

# Bad input files.
echo "this is not a trace, just some text" >"$W/text.trc"
expect_fail "not a terrace trace" "$T" info "$W/text.trc"
expect_fail "cannot open" "$T" info "$W/missing.trc"
"$T" gen --kind hotcold --records 300K --chunk-records 100K -o "$W/good.trc"
size=$(stat -c %s "$W/good.trc")
for cut in 4 30 $((size / 3)) $((size / 2)) $((size - 32)) $((size - 1)); do
    head -c $cut "$W/good.trc" >"$W/cut.trc"
    expect_fail "truncated" "$T" info "$W/cut.trc"
    expect_fail "truncated" "$T" cat "$W/cut.trc"
done
cp "$W/good.trc" "$W/bad.trc"
printf '\xff' | dd of="$W/bad.trc" bs=1 seek=$((size / 2)) conv=notrunc status=none
expect_fail "checksum mismatch" "$T" info "$W/bad.trc"
printf '\x07' | dd of="$W/bad.trc" bs=1 seek=8 conv=notrunc status=none
expect_fail "unsupported trace version 7" "$T" info "$W/bad.trc"

# Lackey import of a malformed file: the line number is named; nothing is written.
printf 'I  0400d7d4,3\n L 04222cac,4\nGARBAGE\n' >"$W/lk.txt"
expect_fail "lk.txt: line 3: not a lackey record" "$T" import-lackey "$W/lk.txt" -o "$OUT"
expect_fail "cannot open" "$T" import-lackey "$W/none.txt" -o "$OUT"
echo "ok"
