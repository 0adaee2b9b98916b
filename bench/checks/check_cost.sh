#!/bin/sh
# What the run-time checks of index and size inputs cost: each model is compiled with them and
# without (mcc's hidden --no-runtime-checks, for this measurement only), linked with run_model.c and
# run twice on zero inputs under callgrind; prints the instructions of <name>_run (both runs) and
# the ratio checked / unchecked. Instruction counts, not time: stable on a shared machine.
# usage: bench/checks/check_cost.sh MCC MODEL.onnx...   (WORK=dir for the objects, default /tmp;
#        MCC_FLAGS=more mcc options, default --mcpu=x86-64-v3: valgrind does not run AVX-512)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
mcc=$1
shift
work=${WORK:-/tmp/mcc-check-cost}
mkdir -p "$work"
printf "%-20s %15s %15s %9s\n" model checked unchecked ratio
for model in "$@"; do
  name=$(basename "$model" .onnx | tr -c 'A-Za-z0-9_\n' _)
  for variant in checked unchecked; do
    flag=""
    [ "$variant" = unchecked ] && flag=--no-runtime-checks
    # shellcheck disable=SC2086
    "$mcc" "$model" --name="$name" ${MCC_FLAGS:---mcpu=x86-64-v3} $flag -o "$work/$name.$variant.o"
    cc -O2 -I"$root/runtime/include" -DMODEL="$name" "$here/run_model.c" "$root/runtime/src/mcc_rt.c" \
      "$work/$name.$variant.o" -lm -lpthread -o "$work/$name.$variant"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no --toggle-collect="${name}_run" \
      "$work/$name.$variant" 2 2>&1 | sed -n 's/.*Collected : *//p' > "$work/$name.$variant.ir"
  done
  checked=$(cat "$work/$name.checked.ir") unchecked=$(cat "$work/$name.unchecked.ir")
  printf "%-20s %15s %15s %9s\n" "$name" "$checked" "$unchecked" \
    "$(awk -v a="$checked" -v b="$unchecked" 'BEGIN { printf "%.5f", a / b }')"
done
