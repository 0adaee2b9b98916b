"""BatchNormalization in training mode with a numpy reference from the ONNX spec: batch mean and
population variance over all axes but 1, running = input * momentum + batch * (1 - momentum).

usage: batchnorm_models.py NAME DIR   writes DIR/model.onnx, DIR/input_<i>.npy, DIR/ref/output_<i>.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper


def main(argv):
    name, d = argv[1], argv[2]
    opset = {"bn15_training": 15}[name]
    rng = np.random.RandomState(3)
    x = rng.standard_normal((3, 4, 2, 5)).astype(np.float32) * 3 + 1
    s, b, m = (rng.standard_normal(4).astype(np.float32) for _ in range(3))
    v = rng.uniform(0.5, 2, 4).astype(np.float32)
    eps, momentum = 1e-3, 0.8
    attrs = dict(epsilon=eps, momentum=momentum, training_mode=1)
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    c = (1, 4, 1, 1)
    y = (x - mean.reshape(c)) / np.sqrt(var.reshape(c) + eps) * s.reshape(c) + b.reshape(c)
    outs = [y, m * momentum + mean * (1 - momentum), v * momentum + var * (1 - momentum)]
    vi = helper.make_tensor_value_info
    graph = helper.make_graph(
        [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "rm", "rv"], **attrs)], name,
        [vi("x", TensorProto.FLOAT, list(x.shape))] + [vi(n, TensorProto.FLOAT, [4]) for n in "sbmv"],
        [vi("y", TensorProto.FLOAT, list(x.shape)), vi("rm", TensorProto.FLOAT, [4]), vi("rv", TensorProto.FLOAT, [4])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(d, "ref"), exist_ok=True)
    onnx.save(model, os.path.join(d, "model.onnx"))
    for i, a in enumerate([x, s, b, m, v]):
        np.save(os.path.join(d, "input_%d.npy" % i), a)
    for i, a in enumerate(outs):
        np.save(os.path.join(d, "ref", "output_%d.npy" % i), a.astype(np.float32))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
