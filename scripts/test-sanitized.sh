#!/bin/sh
# The unit, lit, e2e and conformance tests with mcc, libmcc_rt and the tests built with AddressSanitizer
# and UndefinedBehaviorSanitizer (in build-asan; the same build holds the fuzzer, scripts/fuzz.sh).
# Any sanitizer report fails the test that hit it. Run after scripts/install-deps.sh --test.
# usage: scripts/test-sanitized.sh [BUILD_DIR (default build-asan)]
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-asan}
if [ ! -f "$build/build.ninja" ]; then
  # -O1 and line tables only: quicker to build than -O2 -g, and sanitizer reports still name lines.
  launcher=""
  command -v ccache > /dev/null && launcher="-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  # shellcheck disable=SC2086
  cmake -G Ninja -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-22 \
    -DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DMCC_SANITIZE=address,undefined -DMCC_FUZZ=ON \
    $launcher > /dev/null
fi
flock /tmp/mcc-build.lock ninja -C "$build" -j2
# MLIR and LLVM keep some registries alive until exit on purpose: leaks are not checked.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$build" -L "unit|lit|e2e" -j2 --output-on-failure
/usr/bin/python3 test/conformance/run_conformance.py --mcc-run "$build/bin/mcc-run" --jobs 2
