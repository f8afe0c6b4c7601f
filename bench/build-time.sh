#!/usr/bin/env bash
# Clean-build timing: configure + full build of the C++ server (all targets: server, unit tests)
# in a fresh build directory, with ccache disabled, RelWithDebInfo, Ninja's default parallelism.
#
#   bash bench/build-time.sh
#
# Measures and prints; asserts nothing. Output also goes to bench/out/build-time.txt.
# Environment: BUILD_DIR (default /tmp/tiaodu-cleanbuild), BUILD_TYPE (default RelWithDebInfo).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-/tmp/tiaodu-cleanbuild}"
BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
OUT="$REPO/bench/out"
mkdir -p "$OUT"
export CCACHE_DISABLE=1

now() { date +%s.%N; }
{
  echo "Tiaodu clean build — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: nproc=$(nproc), CPU: $(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
  echo "compiler: $(c++ --version | head -1); cmake $(cmake --version | head -1 | awk '{print $3}'); ninja $(ninja --version)"
  echo "commit: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo n/a)$(git -C "$REPO" diff --quiet HEAD -- src CMakeLists.txt 2>/dev/null || echo ' (+ uncommitted changes in src/)')"
  echo "CCACHE_DISABLE=1; loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "+ rm -rf $BUILD_DIR"
  rm -rf "$BUILD_DIR"
  echo "+ cmake -S $REPO -B $BUILD_DIR -G Ninja -DCMAKE_BUILD_TYPE=$BUILD_TYPE"
  t0="$(now)"
  cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >"$OUT/build-configure.log" 2>&1
  t1="$(now)"
  echo "+ cmake --build $BUILD_DIR   ($(ninja -C "$BUILD_DIR" -t commands 2>/dev/null | grep -c -- ' -c ' || true) compile commands)"
  cmake --build "$BUILD_DIR" >"$OUT/build-build.log" 2>&1
  t2="$(now)"
  echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "configure: %7.1f s\n", b - a
    printf "build:     %7.1f s\n", c - b
    printf "total:     %7.1f s  (%.2f min; goal < 6 min)\n", c - a, (c - a) / 60 }'
} 2>&1 | tee "$OUT/build-time.txt"
