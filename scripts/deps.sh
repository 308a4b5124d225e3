#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what terrace needs to build, test and plot, from Debian's archive, when missing.
# qemu-system-x86 is a reference only: the bare-metal tests also run under it (metal-qemu)
# to show the tests themselves are right, and bench/ compares speed with it.
set -euo pipefail

pkgs=(build-essential cmake pkg-config libcmocka-dev libhwloc-dev libnuma-dev libjemalloc-dev
      libzstd-dev liblz4-dev gnuplot-nox valgrind qemu-system-x86 python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "terrace: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
