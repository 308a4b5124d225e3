#!/bin/bash
# SPDX-License-Identifier: MIT
# Run one bare-metal test image under terrace or QEMU and compare the exit status.
# usage: run_metal.sh EXPECTED_STATUS EMULATOR kernel|bios IMAGE [extra emulator args...]
#   EMULATOR: path to terrace, or "qemu" (qemu-system-x86_64; exit 77 = skipped if absent)
set -u
expected=$1 emu=$2 kind=$3 image=$4
shift 4
common=(-device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon stdio -display none
        -no-reboot -m 128M)
if [ "$emu" = qemu ]; then
    if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
        echo "qemu-system-x86_64 is not installed: skipped"
        exit 77
    fi
    cmd=(qemu-system-x86_64 -M pc -accel tcg -cpu max "${common[@]}")
else
    cmd=("$emu" -M test "${common[@]}")
fi
if [ "$kind" = bios ]; then
    cmd+=(-bios "$image")
else
    cmd+=(-kernel "$image")
fi
cmd+=("$@")
timeout 120 "${cmd[@]}" </dev/null
status=$?
if [ "$status" -ne "$expected" ]; then
    echo "run_metal: $(basename "$image") under $(basename "${cmd[0]}"): expected exit status" \
         "$expected, got $status"
    exit 1
fi
exit 0
