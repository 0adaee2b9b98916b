#!/bin/sh
# Runs the mcc fuzzer (test/fuzz/fuzz_compile.cpp: bytes through import, lowering and codegen, with
# ASan and UBSan) for SECONDS, seeded with the ONNX backend suite's models and the malformed corpus.
# Inputs that crash, hang or exhaust memory land in test/fuzz/regressions, which ctest replays
# (fuzz.regressions): commit each with its fix. Prints libFuzzer's final stats.
# usage: scripts/fuzz.sh SECONDS [BUILD_DIR (default build-asan)]
# FUZZ_NICE sets the fuzzer's niceness (default 19: a background job on a shared machine);
# FUZZ_KEEP_GOING=1 runs libFuzzer's fork mode with one job, which records a crash and carries on.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [BUILD_DIR]}
build=${2:-build-asan}
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
# The shared build lock only when there is something to build.
ninja -C "$build" -n mcc-fuzz | grep -q "no work to do" || flock /tmp/mcc-build.lock ninja -C "$build" -j2 mcc-fuzz
seeds=$build/fuzz-seeds corpus=$build/fuzz-corpus
mkdir -p "$seeds" "$corpus" test/fuzz/regressions
if [ ! -f "$seeds/.done" ]; then
  for m in /usr/share/libonnx-testdata/data/*/*/model.onnx; do
    [ -f "$m" ] && cp "$m" "$seeds/$(basename "$(dirname "$m")").onnx"
  done
  /usr/bin/python3 test/malformed/malformed_models.py "$build/malformed" > /dev/null
  for m in "$build"/malformed/*/model/model.onnx; do
    case "$m" in *chain_100k*) continue ;; esac # large; the chain is in the ctest corpus
    cp "$m" "$seeds/malformed_$(basename "$(dirname "$(dirname "$m")")").onnx"
  done
  touch "$seeds/.done"
fi
keep_going=""
[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && keep_going="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
# Diagnostics (stderr) are expected answers: closed; libFuzzer and sanitizer reports still print.
# shellcheck disable=SC2086
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
  nice -n "${FUZZ_NICE:-19}" "$build/bin/mcc-fuzz" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=6144 \
  -max_len=262144 -report_slow_units=60 -close_fd_mask=2 -print_final_stats=1 -artifact_prefix=test/fuzz/regressions/ $keep_going \
  "$corpus" "$seeds"
