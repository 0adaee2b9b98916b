#!/bin/sh
# Threads end to end: threads_model.py's model (every kind of split operation) compiled by mcc, linked
# by plain `cc` into threads_app.c, must give the bytes of the single-thread run on 1, 2, 3 and 8
# workers of the default pool, on an OpenMP pool (gcc's libgomp, test only), and in the stress run of
# several application threads with own and shared pools. The program links nothing but libc, libm,
# libpthread and libmcc_rt. With MODE=tsan the app and the runtime are built with ThreadSanitizer
# (the model object is not instrumented: TSan checks the pool and the application's side).
# usage: threads.sh MCC LIBMCC_RT PYTHON SOURCE_DIR WORK_DIR [plain|tsan] [SANITIZE_FLAGS]
set -eu
mcc=$1 rt=$2 python=$3 src=$4 work=$5 mode=${6:-plain} sanitize=${7:-}
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$python" "$src/test/e2e/threads_model.py" threads.onnx
"$mcc" threads.onnx -o threads.o
inc="-I. -I$src/runtime/include"
if [ "$mode" = tsan ]; then
  # shellcheck disable=SC2086
  cc -std=c99 -O1 -g -fsanitize=thread $inc "$src/test/e2e/threads_app.c" "$src/runtime/src/mcc_rt.c" \
    "$src/runtime/src/mcc_pool.c" threads.o -lpthread -lm -o threads_tsan
  TSAN_OPTIONS="halt_on_error=1 exitcode=66" ./threads_tsan 5
  echo "e2e threads under ThreadSanitizer: ok"
  exit 0
fi
flags=""
[ -n "$sanitize" ] && flags="-fsanitize=$sanitize"
# shellcheck disable=SC2086
cc -std=c99 -Wall -Wextra -Werror $flags $inc "$src/test/e2e/threads_app.c" threads.o "$rt" -lpthread -lm -o threads_app
./threads_app 20 | tee run.log
grep -q "default pool, 8 workers: identical" run.log
grep -q "jobs handed to the pool per run: 8" run.log
grep -q "stress: 4 application threads x 20 runs: identical" run.log
if [ -z "$sanitize" ]; then
  libs=$(ldd ./threads_app | awk '{print $1}' | grep -v -E '^(linux-vdso|/lib64/ld-linux|/lib/ld-linux)' |
    grep -v -E '^lib(c|m|pthread)\.so' || true)
  if [ -n "$libs" ]; then
    echo "FAIL: the program links more than libc, libm and libpthread: $libs" >&2
    exit 1
  fi
fi
# Another pool behind the same interface: OpenMP, from gcc's libgomp (this test only).
if command -v gcc > /dev/null && [ -z "$sanitize" ]; then
  # shellcheck disable=SC2086
  gcc -std=c99 -fopenmp -DWITH_OPENMP -Wall -Wextra -Werror $inc "$src/test/e2e/threads_app.c" threads.o "$rt" \
    -lpthread -lm -o threads_omp
  ./threads_omp 2 | tee omp.log
  grep -q "OpenMP pool, 3 workers: identical" omp.log
fi
echo "e2e threads: ok"
