#!/bin/bash
# SPDX-License-Identifier: MIT
# Fuzz the CPU core with libFuzzer (docs/fuzzing.md): build fuzz/ with clang and
# -fsanitize=fuzzer,address,undefined, fuzz for a given time, merge the inputs that add
# coverage into tests/fuzz-corpus/ (-merge=1), and list the crashes and hangs found.
#
#   scripts/fuzz.sh [--time SECONDS] [--target cpu|decode|both] [--jobs N] [--build DIR]
#                   [--minimize] [--no-merge]
#
#   --time      total fuzzing wall time (default 600); with "both", 3/4 go to cpu
#   --target    fuzz_cpu (whole CPU), fuzz_decode (decoder) or both (default)
#   --jobs      libFuzzer -fork jobs (default 1)
#   --build     build directory (default build-fuzz)
#   --minimize  rewrite the kept corpus as a minimal set instead of adding to it
#   --no-merge  leave tests/fuzz-corpus/ alone (the work corpus stays in the build dir)
#
# Known bugs can be silenced while looking for new ones: TERRACE_FUZZ_KNOWN=rip-limit,...
# (ids in docs/fuzzing.md). Crashes and hangs go to <build>/fuzz-work/<target>/artifacts/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
total=600
target=both
jobs=1
build=$root/build-fuzz
minimize=0
merge=1
while [ $# -gt 0 ]; do
    case $1 in
    --time) total=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --minimize) minimize=1; shift ;;
    --no-merge) merge=0; shift ;;
    -h | --help) sed -n '3,18p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
case $target in
cpu) targets="cpu"; times="$total" ;;
decode) targets="decode"; times="$total" ;;
both) targets="cpu decode"; times="$((total * 3 / 4)) $((total - total * 3 / 4))" ;;
*) echo "fuzz.sh: --target cpu|decode|both" >&2; exit 2 ;;
esac

command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (libFuzzer)" >&2; exit 2; }
CC=clang cmake -S "$root" -B "$build" -DTERRACE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >/dev/null
mkdir -p "$build"
cmake --build "$build" -j"$(nproc)" --target fuzz_cpu fuzz_decode >"$build/fuzz-build.log" 2>&1 ||
    { cat "$build/fuzz-build.log"; exit 1; }

set -- $times
for t in $targets; do
    secs=$1
    shift
    sub=$([ "$t" = cpu ] && echo run || echo decode)
    kept=$root/tests/fuzz-corpus/$sub
    work=$build/fuzz-work/$t
    bin=$build/fuzz/fuzz_$t
    mkdir -p "$work/corpus" "$work/artifacts" "$kept"
    cp -n "$kept"/* "$work/corpus/" 2>/dev/null || true
    echo "== fuzz_$t: ${secs}s, $jobs job(s), corpus $work/corpus"
    (cd "$work" && "$bin" -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -timeout=10 -rss_limit_mb=2048 -max_len=1024 -max_total_time="$secs" \
        -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/fuzz.log" 2>&1) || true
    grep -E '^#[0-9]+' "$work/fuzz.log" | tail -1 || true
    if [ $merge = 1 ]; then
        if [ $minimize = 1 ]; then
            fresh=$work/minimized
            rm -rf "$fresh"
            mkdir -p "$fresh"
            "$bin" -merge=1 -use_counters=0 "$fresh" "$kept" "$work/corpus" >"$work/merge.log" 2>&1
            find "$kept" -maxdepth 1 -type f -delete
            cp "$fresh"/* "$kept"/
        else
            "$bin" -merge=1 -use_counters=0 "$kept" "$work/corpus" >"$work/merge.log" 2>&1
        fi
        echo "   kept corpus: $(find "$kept" -maxdepth 1 -type f | wc -l) inputs in $kept"
    fi
    n=$(find "$work/artifacts" -type f | wc -l)
    echo "   artifacts: $n in $work/artifacts"
    for f in $(find "$work/artifacts" -type f | sort | head -50); do
        line=$(timeout 60 "$bin" "$f" 2>&1 | grep -m1 -E \
            'fuzz invariant|check failed|runtime error|AddressSanitizer|SUMMARY' || true)
        [ -z "$line" ] && line="(does not reproduce alone: timeout or flaky)"
        echo "   $(basename "$f"): $line"
    done
done
echo "Reproduce one: $build/fuzz/fuzz_cpu FILE (stack), or"
echo "  <any build>/tests/fuzz/fuzz_replay --cpu FILE   (TERRACE_FUZZ_TRACE=1 for a slice trace)"
