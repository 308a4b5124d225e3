#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# terrace developer entry point.
#   ./run.sh demo   install deps, build, run the demo (CSV + plots in demo-out/)
#   ./run.sh test   install deps, build, run every test, then the unit tests under ASan+UBSan
#   ./run.sh build  install deps and build (Release) into build/
set -euo pipefail
cd "$(dirname "$0")"
jobs=$(nproc)

build() { # build <dir> [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
demo)
  scripts/deps.sh
  build build
  scripts/demo.sh build demo-out
  ;;
test)
  scripts/deps.sh
  build build
  (cd build && ctest --output-on-failure -j "$jobs")
  build build-asan -DTERRACE_SANITIZE=ON -DTERRACE_JEMALLOC=OFF
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j "$jobs" -L unit)
  ;;
build)
  scripts/deps.sh
  build build
  ;;
*)
  echo "usage: ./run.sh demo|test|build" >&2
  exit 2
  ;;
esac
