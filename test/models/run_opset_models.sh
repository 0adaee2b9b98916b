#!/bin/sh
# One small model per op form changed in ONNX opsets 18-21 (test/models/gen_opset_models.py), compiled by
# mcc and compared with ONNX Runtime 1.30 on the same inputs through mcc-run (rtol 1e-4, atol 1e-5).
# usage: run_opset_models.sh MCC_RUN SOURCE_DIR WORK_DIR [CASE_REGEX]
set -u
mccrun=$1 src=$2 work=$3 filter=${4:-.}
mkdir -p "$work"
if [ ! -d "$src/tools/ort/node_modules/onnxruntime-node" ]; then
  echo "FAIL: ONNX Runtime is not installed: run (cd tools/ort && npm ci --ignore-scripts)" >&2
  exit 1
fi
/usr/bin/python3 "$src/test/models/gen_opset_models.py" "$work" > "$work/gen.log" 2>&1 || { cat "$work/gen.log"; exit 1; }
pass=0 fail=0
while read -r name opset ninputs; do
  echo "$name" | grep -Eq "$filter" || continue
  inputs=""
  i=0
  while [ "$i" -lt "$ninputs" ]; do inputs="$inputs $work/$name.input_$i.npy"; i=$((i + 1)); done
  rm -rf "$work/$name.ref"
  # shellcheck disable=SC2086
  if ! err=$(node "$src/tools/ort/ort_run.js" "$work/$name.onnx" "$work/$name.ref" $inputs 2>&1 >/dev/null); then
    echo "FAIL $name (opset $opset): ONNX Runtime could not run it: $(echo "$err" | tail -1)"; fail=$((fail + 1)); continue
  fi
  # shellcheck disable=SC2086
  if out=$("$mccrun" "$work/$name.onnx" $inputs --reference "$work/$name.ref" --rtol 1e-4 --atol 1e-5 2>&1); then
    echo "PASS $name (opset $opset)"
    pass=$((pass + 1))
  else
    echo "FAIL $name (opset $opset):"; echo "$out" | tail -4 | sed 's/^/    /'; fail=$((fail + 1))
  fi
done < "$work/cases.txt"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
