#!/bin/sh
# Developer build into ${1:-build}: configures once (clang 22, Ninja, ccache when present), then builds
# with one machine-wide lock so parallel checkouts on a 2-core machine do not thrash each other.
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
shift 2>/dev/null || true
if [ ! -f "$dir/build.ninja" ]; then
  launcher=""
  command -v ccache > /dev/null && launcher="-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  # shellcheck disable=SC2086
  cmake -G Ninja -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-22 \
    -DCMAKE_CXX_COMPILER=clang++-22 $launcher > /dev/null
fi
exec flock /tmp/mcc-build.lock ninja -C "$dir" -j2 "$@"
