"""Models whose inputs must be known at compile time: bind.test freezes them with mcc --bind.

  python3 bind_models.py OUT_DIR   writes model.onnx (Z = ReduceSum(Reshape(X, shape), axes), shape and axes
                                   graph inputs), x.npy, axes.npy, axes_i32.npy and ref/output_0.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

out = sys.argv[1]
nodes = [helper.make_node("Reshape", ["X", "shape"], ["Y"]),
         helper.make_node("ReduceSum", ["Y", "axes"], ["Z"], keepdims=0)]
graph = helper.make_graph(
    nodes, "bind",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, [2, 3]),
     helper.make_tensor_value_info("shape", TensorProto.INT64, [2]),
     helper.make_tensor_value_info("axes", TensorProto.INT64, ["n"])],
    [helper.make_tensor_value_info("Z", TensorProto.FLOAT, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, os.path.join(out, "model.onnx"))
x = np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "axes.npy"), np.array([1], np.int64))
np.save(os.path.join(out, "axes_i32.npy"), np.array([1], np.int32))
os.makedirs(os.path.join(out, "ref"), exist_ok=True)
np.save(os.path.join(out, "ref", "output_0.npy"), x.reshape(3, 2).sum(axis=1))
