#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CPU benchmark: bare-metal kernels (bench/cpu/*.c, -O2, multiboot) run under terrace in fast
# and detailed mode and under QEMU TCG; prints instructions (terrace's count), wall time and
# MIPS for each, and terrace/QEMU. QEMU's MIPS use terrace's instruction count over QEMU's
# wall time minus QEMU's start-up (measured with an empty kernel).
# Usage: bench/bench_cpu.sh [build-dir] [kernel...]   (default: build; int mem sse prog)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
B=${1:-$ROOT/build}
shift || true
KERNELS=("$@")
[ ${#KERNELS[@]} -gt 0 ] || KERNELS=(int mem sse prog)
T=$B/tools/terrace
TARGET_FAST=200
TARGET_DETAILED=40

[ -x "$T" ] || { echo "bench_cpu: $T not built (cmake --build $B --target terrace)"; exit 1; }
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
    echo "bench_cpu: installing qemu-system-x86 from Debian's archive"
    if [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends qemu-system-x86) >/dev/null 2>&1
    fi
    command -v qemu-system-x86_64 >/dev/null 2>&1 ||
        echo "bench_cpu: qemu-system-x86_64 unavailable: QEMU columns skipped"
fi
HAVE_QEMU=0
command -v qemu-system-x86_64 >/dev/null 2>&1 && HAVE_QEMU=1

OUT=$B/bench-cpu
mkdir -p "$OUT"
M=$ROOT/tests/metal
CC=${CC:-gcc}
CFLAGS=(-m64 -O2 -ffreestanding -nostdlib -fno-pic -fno-pie -mno-red-zone -fno-stack-protector
        -fno-asynchronous-unwind-tables -fcf-protection=none -fno-tree-loop-distribute-patterns
        -Wall -Wextra -Wno-unused-parameter -I"$M")
LDFLAGS=(-static -no-pie -Wl,-T,"$M/lib/metal.ld" -Wl,--build-id=none -Wl,-z,max-page-size=4096
         -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)

build() { # build <name>: $OUT/<name>.elf
    local n=$1
    "$CC" "${CFLAGS[@]}" -mgeneral-regs-only -c "$M/lib/metal.c" -o "$OUT/$n.metal.o" &&
    "$CC" "${CFLAGS[@]}" -c "$M/lib/boot.S" -o "$OUT/$n.boot.o" &&
    "$CC" "${CFLAGS[@]}" -msse2 -ftree-vectorize -c "$HERE/cpu/$n.c" -o "$OUT/$n.o" &&
    "$CC" "${CFLAGS[@]}" "${LDFLAGS[@]}" "$OUT/$n.boot.o" "$OUT/$n.metal.o" "$OUT/$n.o" \
        -o "$OUT/$n.elf64" &&
    objcopy -O elf32-i386 "$OUT/$n.elf64" "$OUT/$n.elf"
}

COMMON=(-device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none -no-reboot -m 256M)
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

run_terrace() { # run_terrace <name> <mode>: sets INSNS WALL SUM
    local n=$1 mode=$2 t0 t1
    rm -rf "$OUT/st-$n-$mode"
    t0=$(now)
    "$T" -M test -kernel "$OUT/$n.elf" "${COMMON[@]}" -debugcon "file:$OUT/$n.$mode.out" \
        -mode "$mode" -stats "$OUT/st-$n-$mode" -name run </dev/null
    local st=$?
    t1=$(now)
    [ "$st" = 33 ] || { echo "bench_cpu: $n ($mode) exited $st"; cat "$OUT/$n.$mode.out"; exit 1; }
    WALL=$(calc "$t1 - $t0")
    INSNS=$(grep -E '^run,all,total,[0-9]+,machine.instructions,' "$OUT/st-$n-$mode/run.csv" |
            cut -d, -f6)
    SUM=$(grep -o 'checksum 0x[0-9a-f]*' "$OUT/$n.$mode.out")
}

run_qemu() { # run_qemu <name>: sets WALL SUM
    local n=$1 t0 t1
    t0=$(now)
    qemu-system-x86_64 -M pc -accel tcg -cpu max -kernel "$OUT/$n.elf" "${COMMON[@]}" \
        -debugcon "file:$OUT/$n.qemu.out" </dev/null
    local st=$?
    t1=$(now)
    [ "$st" = 33 ] || { echo "bench_cpu: $n (QEMU) exited $st"; exit 1; }
    WALL=$(calc "$t1 - $t0")
    SUM=$(grep -o 'checksum 0x[0-9a-f]*' "$OUT/$n.qemu.out")
}

mips() { calc "$1 / $2 / 1000000"; }

for n in null "${KERNELS[@]}"; do
    build "$n" || { echo "bench_cpu: cannot build $n"; exit 1; }
done
QEMU_START=0
if [ $HAVE_QEMU = 1 ]; then
    QEMU_START=1000
    for k in 1 2 3; do # the fastest of three start-ups
        run_qemu null
        QEMU_START=$(calc "$WALL < $QEMU_START ? $WALL : $QEMU_START")
    done
fi

printf '%-6s %-9s %14s %9s %9s %8s %12s\n' kernel mode instructions wall_s MIPS target vs_QEMU
rc=0
for n in "${KERNELS[@]}"; do
    declare -A mips_of=()
    run_terrace "$n" fast
    insns=$INSNS sum_fast=$SUM
    mips_of[fast]=$(mips "$insns" "$WALL")
    wall_fast=$WALL
    run_terrace "$n" detailed
    [ "$INSNS" = "$insns" ] || echo "bench_cpu: $n: instruction counts differ ($insns, $INSNS)"
    [ "$SUM" = "$sum_fast" ] || { echo "bench_cpu: $n: checksum differs between modes"; rc=1; }
    mips_of[detailed]=$(mips "$insns" "$WALL")
    wall_detailed=$WALL
    qmips=""
    if [ $HAVE_QEMU = 1 ]; then
        run_qemu "$n"
        [ "$SUM" = "$sum_fast" ] || { echo "bench_cpu: $n: checksum differs from QEMU's" \
                                      "($sum_fast vs $SUM)"; rc=1; }
        qwall=$(calc "($WALL - $QEMU_START) < 0.001 ? 0.001 : ($WALL - $QEMU_START)")
        qmips=$(mips "$insns" "$qwall")
    fi
    for mode in fast detailed; do
        wall=$([ $mode = fast ] && echo "$wall_fast" || echo "$wall_detailed")
        target=$([ $mode = fast ] && echo $TARGET_FAST || echo $TARGET_DETAILED)
        ratio=-
        [ -n "$qmips" ] && ratio=$(printf '%.3f' "$(calc "${mips_of[$mode]} / $qmips")")
        printf '%-6s %-9s %14s %9.3f %9.1f %8s %12s\n' "$n" "$mode" "$insns" "$wall" \
            "${mips_of[$mode]}" "$target" "$ratio"
    done
    if [ -n "$qmips" ]; then
        printf '%-6s %-9s %14s %9.3f %9.1f %8s %12s\n' "$n" qemu-tcg "$insns" "$qwall" "$qmips" \
            - 1.000
    fi
done
[ $HAVE_QEMU = 1 ] && printf 'QEMU start-up (empty kernel, subtracted): %.3f s\n' "$QEMU_START"
exit $rc
