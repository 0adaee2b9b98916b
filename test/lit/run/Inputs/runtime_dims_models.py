#!/usr/bin/env python3
"""A model with two symbolic dimensions (N, S) and an output whose first dimension is N*S, with inputs
and numpy reference outputs for several sizes.

usage: runtime_dims_models.py OUT_DIR N:S [N:S ...]
writes OUT_DIR/model.onnx and, per size, OUT_DIR/N_S/{input_0.npy, ref/output_<i>.npy}."""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def build():
    rng = np.random.default_rng(7)
    w1 = rng.standard_normal((8, 16)).astype(np.float32) * 0.5
    w2 = rng.standard_normal((16, 4)).astype(np.float32) * 0.5
    nodes = [
        helper.make_node("MatMul", ["X", "W1"], ["H0"]),
        helper.make_node("Relu", ["H0"], ["H"]),
        helper.make_node("ReduceMean", ["H"], ["P"], axes=[1], keepdims=0),
        helper.make_node("MatMul", ["P", "W2"], ["L"]),
        helper.make_node("Softmax", ["L"], ["Y"], axis=-1),
        # Z = H reshaped to [N*S, 16]: its first dimension is neither N nor S.
        helper.make_node("Reshape", ["H", "zshape"], ["Z"]),
    ]
    inits = [numpy_helper.from_array(w1, "W1"), numpy_helper.from_array(w2, "W2"),
             numpy_helper.from_array(np.array([-1, 16], np.int64), "zshape")]
    graph = helper.make_graph(
        nodes, "runtime_dims",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", "S", 8])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 4]),
         helper.make_tensor_value_info("Z", TensorProto.FLOAT, ["NS", 16])], initializer=inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="runtime_dims")
    m.ir_version = 7
    return m, w1, w2


def reference(x, w1, w2):
    h = np.maximum(x @ w1, 0)
    logits = h.mean(axis=1) @ w2
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return [e / e.sum(axis=-1, keepdims=True), h.reshape(-1, 16)]


def main(argv):
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    m, w1, w2 = build()
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(m.SerializeToString())
    for size in argv[2:]:
        n, s = (int(v) for v in size.split(":"))
        d = os.path.join(out, "%d_%d" % (n, s))
        os.makedirs(os.path.join(d, "ref"), exist_ok=True)
        x = np.random.default_rng(n * 1000 + s).standard_normal((n, s, 8)).astype(np.float32)
        np.save(os.path.join(d, "input_0.npy"), x)
        for i, r in enumerate(reference(x, w1, w2)):
            np.save(os.path.join(d, "ref", "output_%d.npy" % i), r.astype(np.float32))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
