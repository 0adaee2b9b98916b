#!/bin/sh
# Builds the kernels for aarch64 (NEON) with clang, links neon_smoke.c with the aarch64 GCC and runs
# it under qemu. Skips (77) when the cross tools are missing.
# usage: neon_qemu.sh CLANG SOURCE_DIR WORK_DIR
set -eu
clang=$1 src=$2 work=$3
for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
  command -v $tool > /dev/null || { echo "no $tool: skipped"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work" && cd "$work"
for f in sgemm conv2d depthwise; do
  "$clang" --target=aarch64-linux-gnu -O2 -std=c99 -ffreestanding -fno-math-errno -ffp-contract=fast \
    -I"$src/kernels/include" -I"$src/runtime/include" -c "$src/kernels/$f.c" -o $f.o
done
aarch64-linux-gnu-gcc -std=c99 -O1 -static -I"$src/kernels/include" -I"$src/runtime/include" \
  "$src/test/unit/kernels/neon_smoke.c" \
  sgemm.o conv2d.o depthwise.o -lm -o smoke
qemu-aarch64 ./smoke
