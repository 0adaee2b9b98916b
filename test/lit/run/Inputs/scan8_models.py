"""Scan-8 (batched) models with numpy references, for compile-and-run and error tests.

usage: scan8_models.py NAME DIR   writes DIR/model.onnx, DIR/input_<i>.npy, DIR/ref/output_<i>.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def vi(name, shape):
    return helper.make_tensor_value_info(name, F, shape)


def scan8(lens):
    # Per batch element: s = s * 0.5 + a[rev t] - b[t]; scan output y_t = s. `a` runs in reverse.
    body = helper.make_graph(
        [helper.make_node("Mul", ["s_in", "half"], ["h"]), helper.make_node("Add", ["h", "a"], ["ha"]),
         helper.make_node("Sub", ["ha", "b"], ["s_out"]), helper.make_node("Identity", ["s_out"], ["y"])],
        "body", [vi("s_in", [3]), vi("a", [3]), vi("b", [3])], [vi("s_out", [3]), vi("y", [3])],
        [numpy_helper.from_array(np.array([0.5, 0.5, 0.5], np.float32), "half")])
    inits, first = [], ""
    if lens is not None:
        inits.append(numpy_helper.from_array(np.array(lens, np.int32), "lens"))
        first = "lens"
    graph = helper.make_graph(
        [helper.make_node("Scan", [first, "s0", "a", "b"], ["s", "ys"], body=body, num_scan_inputs=2,
                          directions=[1, 0])],
        "scan8", [vi("s0", [2, 3]), vi("a", [2, 4, 3]), vi("b", [2, 4, 3])], [vi("s", [2, 3]), vi("ys", [2, 4, 3])],
        inits)
    rng = np.random.RandomState(0)
    s0, a, b = (rng.standard_normal(shape).astype(np.float32) for shape in ((2, 3), (2, 4, 3), (2, 4, 3)))
    s, ys = s0.copy(), np.zeros((2, 4, 3), np.float32)
    for t in range(4):
        s = s * np.float32(0.5) + a[:, 3 - t] - b[:, t]
        ys[:, t] = s
    return graph, [s0, a, b], [s, ys]


MODELS = {"scan8": lambda: scan8(None), "scan8_full_lens": lambda: scan8([4, 4]),
          "scan8_short_lens": lambda: scan8([4, 2])}

if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    graph, inputs, outputs = MODELS[name]()
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 8)])
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    for i, a in enumerate(inputs):
        np.save(os.path.join(out, "input_%d.npy" % i), a)
    for i, a in enumerate(outputs):
        np.save(os.path.join(out, "ref", "output_%d.npy" % i), a)
