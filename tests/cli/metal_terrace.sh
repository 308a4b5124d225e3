#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace's front end: bad options and machines fail with one "terrace: ..." line and status
# 1; the stop statuses (guest exit, all CPUs halted, instruction limit); debugcon and serial
# sinks; -stats writes its three files; runs are deterministic; a NUMA topology is accepted.
# Usage: metal_terrace.sh <build-dir>
set -uo pipefail
B=${1:?usage: $0 <build-dir>}
T=$B/tools/terrace
K=$B/tests/metal
[ -x "$T" ] || { echo "FAIL: terrace not built"; exit 1; }
[ -f "$K/boot.elf" ] || { echo "FAIL: metal kernels not built"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
EXIT_DEV=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)

fail() { echo "FAIL: $*"; exit 1; }

expect_fail() { # expect_fail <pattern> <args...>
    local pat=$1
    shift
    "$T" "$@" >"$W/stdout" 2>"$W/stderr"
    local st=$?
    [ "$st" = 1 ] || fail "status $st, not 1: $*"
    [ "$(wc -l <"$W/stderr")" = 1 ] || { cat "$W/stderr"; fail "not one line: $*"; }
    grep -qE "^terrace: .*($pat)" "$W/stderr" || { cat "$W/stderr"; fail "message: $*"; }
}

expect_status() { # expect_status <status> <args...>
    local want=$1
    shift
    "$T" "$@" >"$W/stdout" 2>"$W/stderr" </dev/null
    local st=$?
    [ "$st" = "$want" ] || { cat "$W/stdout" "$W/stderr"; fail "status $st, not $want: $*"; }
}

expect_fail "unknown option" -bogus
expect_fail "not implemented yet" -M pc -kernel "$K/boot.elf"
expect_fail "no -kernel or -bios" -M test
expect_fail "needs a value" -M test -kernel
expect_fail "cannot open" -M test -kernel "$W/missing.elf"
expect_fail "neither a multiboot kernel nor an ELF" -M test -kernel "$0"
expect_fail "-m" -M test -m 12Q -kernel "$K/boot.elf"
expect_fail "-smp" -M test -smp zero -kernel "$K/boot.elf"
expect_fail "-mode" -M test -mode slow -kernel "$K/boot.elf"
expect_fail "-icount-limit" -M test -icount-limit -5 -kernel "$K/boot.elf"
expect_fail "unknown device" -M test -device e1000 -kernel "$K/boot.elf"
expect_fail "iosize" -M test -device isa-debug-exit,iosize=3 -kernel "$K/boot.elf"
expect_fail "-debugcon" -M test -debugcon tcp:1 -kernel "$K/boot.elf"
expect_fail "-cpu" -M test -cpu pentium -kernel "$K/boot.elf"
expect_fail "not implemented by the core" -M test -cpu terrace,+xsave -kernel "$K/boot.elf"
expect_fail "-accel" -M test -accel kvm -kernel "$K/boot.elf"
expect_fail "multiple of 64 KiB" -M test -bios "$0"
expect_fail "not both" -M test -bios "$K/realmode.rom" -kernel "$K/boot.elf"

# Guest exit status, with the debug console on stdout.
expect_status 33 -M test -kernel "$K/boot.elf" -append "metal-arg=42 second" "${EXIT_DEV[@]}" \
    -debugcon stdio -nographic -display none -no-reboot -accel tcg
grep -qx 'boot: 13 passed, 0 failed, 0 skipped' "$W/stdout" || fail "debugcon output"
grep -qx 'serial: hello from the metal boot test' "$W/stdout" || fail "-nographic serial"
expect_status 33 -M test -kernel "$K/boot.elf" -append "metal-arg=42 second" "${EXIT_DEV[@]}" \
    -debugcon stdio
grep -qx 'boot: 10 passed, 0 failed, 1 skipped' "$W/stdout" || fail "no UART without -serial"
# Without the exit device the kernel halts: status 2 and one line.
expect_status 2 -M test -kernel "$K/boot.elf" -append "metal-arg=42 second"
grep -q '^terrace: all CPUs halted' "$W/stderr" || fail "halt message: $(cat "$W/stderr")"
expect_status 4 -M test -kernel "$K/stop_triple.elf"
grep -q '^terrace: cpu0: triple fault' "$W/stderr" || fail "triple message: $(cat "$W/stderr")"
expect_status 6 -M test -kernel "$K/stop_spin.elf" -icount-limit 50000
grep -q '^terrace: instruction limit reached' "$W/stderr" || fail "limit message"

# Sinks: debugcon to a file, serial to a file (nothing written to it here), null.
expect_status 33 -M test -kernel "$K/boot.elf" -append "metal-arg=42 second" "${EXIT_DEV[@]}" \
    -debugcon "file:$W/con.txt" -serial "file:$W/ser.txt"
grep -qx 'PASS multiboot magic in EAX' "$W/con.txt" || fail "debugcon file"
grep -qx 'PASS UART scratch register' "$W/con.txt" || fail "UART checks"
grep -qx 'serial: hello from the metal boot test' "$W/ser.txt" || fail "serial file"
[ ! -s "$W/stdout" ] || fail "stdout not empty with file sinks"

# Stats: three files, instruction totals; the same run gives the same bytes.
for mode in fast detailed; do
    expect_status 33 -M test -kernel "$K/paging.elf" "${EXIT_DEV[@]}" -mode $mode \
        -stats "$W/st-$mode" -name run
    [ "$(ls "$W/st-$mode" | tr '\n' ' ')" = "run.csv run.epochs.csv run.json " ] ||
        fail "stats files: $(ls "$W/st-$mode")"
    grep -qE '^run,all,total,[0-9]+,machine.instructions,[1-9][0-9]*$' "$W/st-$mode/run.csv" ||
        fail "instruction total ($mode)"
    grep -qE '^run,all,total,[0-9]+,cpu0.dtlb.l1.misses,[1-9]' "$W/st-$mode/run.csv" ||
        fail "TLB stats ($mode)"
done
grep -qE '^run,all,total,[0-9]+,cpu0.l1d.misses,[1-9]' "$W/st-detailed/run.csv" ||
    fail "cache stats in detailed mode"
! grep -q 'cpu0.l1d' "$W/st-fast/run.csv" || fail "cache stats in fast mode"
expect_status 33 -M test -kernel "$K/paging.elf" "${EXIT_DEV[@]}" -mode detailed \
    -stats "$W/again" -name run
cmp -s "$W/st-detailed/run.csv" "$W/again/run.csv" || fail "detailed run not deterministic"

# A two-node topology with a CPU-less node; two vCPUs (the AP waits for a SIPI).
expect_status 33 -M test -kernel "$K/privilege.elf" "${EXIT_DEV[@]}" -m 256M -smp 2 \
    -numa node,mem=128M,cpus=0-1 -numa node,mem=128M -numa dist,src=0,dst=1,val=20 -detailed
echo "metal_terrace: ok"
