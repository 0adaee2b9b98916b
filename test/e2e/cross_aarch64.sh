#!/bin/sh
# Cross-compiles the digits model for aarch64 Linux, links it (and libmcc_rt's C source) with the
# aarch64 GCC, and runs the program under qemu: it must match PyTorch exactly as natively.
# usage: cross_aarch64.sh MCC SOURCE_DIR WORK_DIR
set -eu
mcc=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$mcc" "$src/examples/digits/digits.onnx" --target aarch64-linux-gnu -o digits.o
aarch64-linux-gnu-gcc -std=c99 -O2 -static -I. -I"$src/runtime/include" "$src/examples/digits/main.c" \
  "$src/runtime/src/mcc_rt.c" digits.o -lm -o digits
qemu-aarch64 ./digits "$src/examples/digits" | tee run.log
grep -q "all 359 samples match pytorch" run.log
echo "cross aarch64: ok"
