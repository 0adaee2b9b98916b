#!/bin/sh
# A model over 2 GB (a 2.2 GB embedding table saved as ONNX external data) compiles with
# --weights=external: the object stays small, the weights go to big.weights, and a C program that maps
# them with mcc_weights_map() gets numpy's answer. Needs ~12 GB of free disk and memory; skipped
# (exit 77) on a machine without them.
# usage: big_model.sh MCC LIBMCC_RT SOURCE_DIR WORK_DIR
set -eu
mcc=$1 rt=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work"
free_disk_kb=$(df -Pk . | awk 'NR==2 {print $4}')
free_mem_kb=$(awk '/MemAvailable/ {print $2}' /proc/meminfo)
if [ "$free_disk_kb" -lt 12000000 ] || [ "$free_mem_kb" -lt 12000000 ]; then
  echo "SKIP: needs 12 GB of free disk and memory (have $((free_disk_kb / 1000000)) GB disk, $((free_mem_kb / 1000000)) GB memory)"
  exit 77
fi
trap 'rm -f "$work/table.bin" "$work/big.weights"' EXIT
/usr/bin/python3 "$src/test/e2e/big_model.py" "$work"
echo "model: $(du -b model.onnx | cut -f1) bytes + external data $(du -b table.bin | cut -f1) bytes"
"$mcc" model.onnx --name=big --weights=external -v -o big.o
rm -f table.bin
echo "object: $(du -b big.o | cut -f1) bytes, weights: $(du -b big.weights | cut -f1) bytes"
cc -std=c11 -Wall -Werror -I. -I"$src/runtime/include" "$src/test/e2e/big_model.c" big.o "$rt" -lm -o big
./big big.weights > y.txt
/usr/bin/python3 -c "
import sys, numpy as np
y = np.loadtxt('y.txt', dtype=np.float32).reshape(4, 8)
ref = np.load('ref/output_0.npy')
err = float(np.abs(y - ref).max())
print('max abs error %.3g over %d values' % (err, y.size))
sys.exit(0 if np.allclose(y, ref, rtol=1e-4, atol=1e-5) else 1)"
echo "e2e big model (>2 GB, --weights=external): ok"
