#!/bin/sh
# One small model per op form changed in ONNX opsets 18-24 (test/models/gen_opset_models.py), compiled by
# mcc and compared with ONNX Runtime 1.30 on the same inputs through mcc-run (rtol 1e-4, atol 1e-5).
# usage: run_opset_models.sh MCC_RUN SOURCE_DIR WORK_DIR [CASE_REGEX]
set -u
mccrun=$1 src=$2 work=$3 filter=${4:-.}
mkdir -p "$work"
# ONNX Runtime from PyPI, in the virtual environment that scripts/install-deps.sh --test creates.
ort_python=${MCC_ORT_PYTHON:-$src/build/venv/bin/python3}
if ! "$ort_python" -c "import onnxruntime" > /dev/null 2>&1; then
  echo "FAIL: ONNX Runtime is not installed for $ort_python: run sh scripts/install-deps.sh --test" >&2
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
  if ! err=$("$ort_python" "$src/tools/ort/ort_run.py" "$work/$name.onnx" "$work/$name.ref" $inputs 2>&1 >/dev/null); then
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
