#!/bin/sh
# Compile time must stay linear in graph size: a straight chain of 20,000 Relu nodes compiles within
# ctest's timeout (120 s; about 10 s to compile on the 2-core reference machine, where it once took
# over 120 s), and the code runs: Relu of Relu is Relu.
# usage: long_chain.sh MCC_RUN PYTHON WORK_DIR
set -eu
mcc_run=$1 python=$2 work=$3
rm -rf "$work" && mkdir -p "$work/ref" && cd "$work"
"$python" - << 'PY'
import numpy as np, onnx
from onnx import helper, TensorProto
n = 20000
nodes = [helper.make_node("Relu", ["x" if i == 0 else "t%d" % (i - 1)], ["y" if i == n - 1 else "t%d" % i])
         for i in range(n)]
graph = helper.make_graph(nodes, "chain", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 16])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 16])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), "chain.onnx")
x = np.linspace(-2, 2, 64, dtype=np.float32).reshape(4, 16)
np.save("x.npy", x)
np.save("ref/output_0.npy", np.maximum(x, 0))
PY
"$mcc_run" chain.onnx x.npy --reference ref -v
echo "long chain: ok"
