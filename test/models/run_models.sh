#!/bin/sh
# Whole models from PyTorch (random weights, fixed seed), compiled by mcc and compared with ONNX
# Runtime 1.30 on the same inputs through mcc-run (rtol 1e-3, atol 1e-4).
# usage: run_models.sh MCC_RUN SOURCE_DIR WORK_DIR
set -u
mccrun=$1 src=$2 work=$3
mkdir -p "$work"
if [ ! -d "$src/tools/ort/node_modules/onnxruntime-node" ]; then
  echo "FAIL: ONNX Runtime is not installed: run (cd tools/ort && npm ci --ignore-scripts)" >&2
  exit 1
fi
/usr/bin/python3 "$src/test/models/gen_models.py" "$work" > "$work/gen.log" 2>&1 || { cat "$work/gen.log"; exit 1; }
pass=0 fail=0
for model in mlp squeezenet1_1 lstm gru; do
  rm -rf "$work/$model.ref"
  if ! node "$src/tools/ort/ort_run.js" "$work/$model.onnx" "$work/$model.ref" "$work/$model.input_0.npy" > /dev/null; then
    echo "FAIL $model: ONNX Runtime could not run it"; fail=$((fail + 1)); continue
  fi
  start=$(date +%s.%N)
  if out=$("$mccrun" "$work/$model.onnx" "$work/$model.input_0.npy" --reference "$work/$model.ref" --rtol 1e-3 --atol 1e-4 2>&1); then
    end=$(date +%s.%N)
    echo "PASS $model: $(echo "$out" | grep "^output" | head -1) [compile+run $(echo "$end - $start" | bc)s]"
    pass=$((pass + 1))
  else
    echo "FAIL $model:"; echo "$out" | tail -5; fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
