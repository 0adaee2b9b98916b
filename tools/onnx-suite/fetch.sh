#!/bin/sh
# Writes the ONNX backend suite of the pinned `onnx` wheel (tools/onnx-suite/requirements.txt) to
# ${MCC_BUILD_DIR:-build}/onnx-suite/data/{node,simple,pytorch-converted,pytorch-operator}, the layout of
# Debian's libonnx-testdata, for test/conformance/run_conformance.py (suite onnx-1.23).
# The wheel ships the data of the simple and pytorch folders; node cases ship as the Python that defines
# them, which gen_node_data.py writes out. PyPI only: about 30 MB of wheels (onnx, numpy, ml_dtypes, protobuf), 30 s, 70 MB of data.
set -eu
cd "$(dirname "$0")/../.."
root="${MCC_BUILD_DIR:-build}/onnx-suite"
venv="$root/venv"
stamp="$root/data/.requirements"
if [ -f "$stamp" ] && cmp -s "$stamp" tools/onnx-suite/requirements.txt &&
  cmp -s "$root/data/.generator" tools/onnx-suite/gen_node_data.py; then
  exit 0
fi
[ -x "$venv/bin/python3" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/python3" -m pip install -q --disable-pip-version-check --no-deps -r tools/onnx-suite/requirements.txt
rm -rf "$root/data"
mkdir -p "$root/data"
pkg=$("$venv/bin/python3" -c 'import os, onnx.backend.test as t; print(os.path.dirname(t.__file__))')
for folder in simple pytorch-converted pytorch-operator; do
  cp -r "$pkg/data/$folder" "$root/data/"
done
"$venv/bin/python3" tools/onnx-suite/gen_node_data.py "$root/data/node" 2> /dev/null
cp tools/onnx-suite/requirements.txt "$stamp"
cp tools/onnx-suite/gen_node_data.py "$root/data/.generator"
