#!/bin/sh
# Cross-compiles the digits model for riscv64 Linux with no --mcpu/--mattr (the default must be
# clang's rv64gc/lp64d, or the distribution's toolchain refuses to link a soft-float object), links it
# with the riscv64 GCC, and runs it under qemu: it must match PyTorch exactly as natively.
# usage: cross_riscv64.sh MCC SOURCE_DIR WORK_DIR
set -eu
mcc=$1 src=$2 work=$3
if ! command -v riscv64-linux-gnu-gcc > /dev/null || ! command -v qemu-riscv64 > /dev/null; then
  echo "cross riscv64: skipped (needs gcc-riscv64-linux-gnu, libc6-dev-riscv64-cross, qemu-user)"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$mcc" "$src/examples/digits/digits.onnx" --target riscv64-linux-gnu -o digits.o
riscv64-linux-gnu-gcc -std=c99 -O2 -static -I. -I"$src/runtime/include" "$src/examples/digits/main.c" \
  "$src/runtime/src/mcc_rt.c" digits.o -lm -o digits
qemu-riscv64 ./digits "$src/examples/digits" | tee run.log
grep -q "all 359 samples match pytorch" run.log
echo "cross riscv64: ok"
