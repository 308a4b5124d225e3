#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-trace import-lackey on real Valgrind lackey output of /bin/true (skipped without
# valgrind): record and instruction counts must match what lackey reported.
# Usage: trace_lackey.sh <build-dir>
set -euo pipefail
B=${1:?usage: $0 <build-dir>}
T=$B/tools/terrace-trace
[ -x "$T" ] || { echo "FAIL: $T not built"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
field() { sed -n "s/^$1: *//p" "$2"; }

if ! command -v valgrind >/dev/null; then
    echo "skip: valgrind is not installed"
    exit 0
fi
valgrind --tool=lackey --trace-mem=yes --log-file="$W/lk.txt" /bin/true

# Expected counts straight from the text: I lines; data lines split into 64-byte records,
# M lines counting twice (load + store).
read -r insns data < <(awk -F, '
    /^I /        { i++ }
    /^ [LS] /    { d += int(($2 + 63) / 64) }
    /^ M /       { d += 2 * int(($2 + 63) / 64) }
    END          { print i, d }' "$W/lk.txt")
guest=$(sed -n 's/.*guest instrs: *//p' "$W/lk.txt" | tr -d ,)
[ "$insns" -gt 1000 ] || fail "too few instructions in lackey output ($insns)"
[ -z "$guest" ] || [ "$guest" = "$insns" ] || fail "lackey says $guest instructions, saw $insns"

"$T" import-lackey "$W/lk.txt" -o "$W/lk.trc" >"$W/import.txt"
grep -q "^imported $insns instructions" "$W/import.txt" || fail "import summary"
"$T" info "$W/lk.trc" >"$W/info.txt"
[ "$(field records "$W/info.txt")" = "$data" ] || fail "records: want $data"
[ "$(field verified "$W/info.txt")" = ok ] || fail "not verified"

"$T" import-lackey "$W/lk.txt" --fetches --codec zstd -o "$W/lkf.trc" >/dev/null
"$T" info "$W/lkf.trc" >"$W/info.txt"
[ "$(field records "$W/info.txt")" = $((data + insns)) ] || fail "records with fetches"
grep -q "^  fetch *$insns$" "$W/info.txt" || fail "fetch count"
[ "$(field instructions "$W/info.txt")" = "$insns" ] || fail "icount deltas must sum to $insns"
echo "ok ($insns instructions, $data data records)"
