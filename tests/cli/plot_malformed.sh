#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace-plot refuses malformed CSV with exactly one line "terrace-plot: FILE:LINE: ..." and
# exit status 1, and creates no output (not even the output folder); likewise without gnuplot.
set -euo pipefail
build=${1:?usage: plot_malformed.sh BUILD_DIR}
plot=$build/tools/terrace-plot
[[ -x $plot ]] || { echo "FAIL: $plot not built"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"
fail() { echo "FAIL: $*"; exit 1; }

good=$work/good.csv
printf 'run,region,epoch,time_ns,stat,value\na,r,0,10,node0.reads,5\na,r,0,10,node1.reads,5\n' \
    >"$good"
hdr='run,region,epoch,time_ns,stat,value'
n=0
# expect LINE TEXT: the CSV in TEXT must be refused at LINE.
expect() {
    local line=$1 text=$2 csv=$work/bad$n.csv out=$work/out$n
    n=$((n + 1))
    printf '%b' "$text" >"$csv"
    mkdir -p "$out/existing"
    local rc=0
    "$plot" -o "$out/new/dir" "$good" "$csv" >"$work/stdout" 2>"$work/stderr" || rc=$?
    [[ $rc -eq 1 ]] || fail "$csv: exit status $rc, want 1"
    [[ $(wc -l <"$work/stderr") -eq 1 ]] || fail "$csv: not one line: $(cat "$work/stderr")"
    grep -q "^terrace-plot: $csv:$line: " "$work/stderr" ||
        fail "$csv: want line $line, got: $(cat "$work/stderr")"
    [[ ! -s $work/stdout ]] || fail "$csv: output on stdout"
    [[ ! -e $out/new ]] || fail "$csv: output folder created"
    [[ -z $(ls -A "$out/existing") ]] || fail "$csv: files written"
}
expect 2 "$hdr\na,r,0,10,node0.reads\n"                     # too few fields
expect 3 "$hdr\na,r,0,10,node0.reads,1\na,r,0,10,x,1,2\n"   # too many fields
expect 1 "run,region,epoch,stat,value\n"                     # wrong header
expect 1 ""                                                  # empty file
expect 1 "a,r,0,10,node0.reads,1\n"                          # no header
expect 2 "$hdr\na,r,first,10,node0.reads,1\n"                # bad epoch
expect 2 "$hdr\na,r,0,soon,node0.reads,1\n"                  # bad time
expect 2 "$hdr\na,r,0,,node0.reads,1\n"                      # epoch row without time
expect 4 "$hdr\na,r,0,10,node0.reads,1\n\na,r,1,20,node0.reads,1x\n" # bad value (blank line ok)
expect 2 "$hdr\na,r,0,10,node0.reads,\n"                     # empty value
expect 2 "$hdr\n\"a,r,0,10,node0.reads,1\n"                  # unterminated quote
expect 2 "$hdr\n\"a\"b,r,0,10,node0.reads,1\n"               # text after a quote
expect 2 "$hdr\na,r,0,10,,1\n"                               # empty stat
expect 2 "$hdr\na,r,0,10,node99.reads,1\n"                   # node index too large

# The input is checked before anything is written, so an existing folder stays untouched.
mkdir -p "$work/keep"
echo keep >"$work/keep/old.txt"
printf '%b' "$hdr\na,r,0\n" >"$work/short.csv"
if "$plot" -o "$work/keep" "$work/short.csv" 2>/dev/null; then fail "short row accepted"; fi
[[ $(ls -A "$work/keep") == old.txt ]] || fail "existing folder changed"

# Missing gnuplot: a clear error and no output.
rc=0
GNUPLOT=$work/no/such/gnuplot "$plot" -o "$work/ng" "$good" 2>"$work/stderr" || rc=$?
[[ $rc -eq 1 ]] || fail "missing GNUPLOT: exit status $rc"
grep -q "not an executable" "$work/stderr" || fail "missing GNUPLOT message: $(cat "$work/stderr")"
rc=0
PATH=$work/empty "$plot" -o "$work/ng" "$good" 2>"$work/stderr" || rc=$?
[[ $rc -eq 1 ]] || fail "gnuplot not in PATH: exit status $rc"
grep -q "gnuplot not found in PATH" "$work/stderr" || fail "PATH message: $(cat "$work/stderr")"
[[ ! -e $work/ng ]] || fail "output folder created without gnuplot"

# gnuplot failing half-way leaves nothing behind either.
printf '#!/bin/sh\nexit 3\n' >"$work/badgnuplot"
chmod +x "$work/badgnuplot"
rc=0
GNUPLOT=$work/badgnuplot "$plot" -o "$work/gf/out" "$good" 2>"$work/stderr" || rc=$?
[[ $rc -eq 1 ]] || fail "failing gnuplot: exit status $rc"
[[ ! -e $work/gf ]] || fail "output left after gnuplot failed"
[[ -z $(ls -A "$TMPDIR") ]] || fail "temporary files left in TMPDIR: $(ls -A "$TMPDIR")"

# Usage errors.
if "$plot" "$good" 2>/dev/null; then fail "missing -o accepted"; fi
if "$plot" -o "$work/x" --format gif "$good" 2>/dev/null; then fail "--format gif accepted"; fi
echo "PASS"
