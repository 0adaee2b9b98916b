#!/bin/sh
# The deployment path a user takes: mcc writes digits.o + digits.h, plain `cc` links them with
# libmcc_rt and libm, and the program must reproduce PyTorch on every held-out digit.
# usage: digits_cc.sh MCC LIBMCC_RT SOURCE_DIR WORK_DIR
set -eu
mcc=$1 rt=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$mcc" "$src/examples/digits/digits.onnx" -o digits.o
cc -std=c99 -Wall -Wextra -Werror -I. -I"$src/runtime/include" "$src/examples/digits/main.c" digits.o "$rt" -lm -o digits
./digits "$src/examples/digits" | tee run.log
grep -q "accuracy: 357/359" run.log
grep -q "all 359 samples match pytorch" run.log
# The linked program needs nothing but libc and libm: no C++ runtime, no MLIR, no LLVM.
if ldd ./digits | grep -E 'libstdc\+\+|libMLIR|libLLVM'; then
  echo "FAIL: the example links a C++ or compiler library" >&2
  exit 1
fi
echo "e2e digits via cc: ok"
