"""Writes threads.onnx: one model with every kind of operation mcc splits over workers (an elementwise
loop, dense, 1x1, depthwise and grouped convolution, max pooling, MatMul against weights, batched MatMul
of two activations), each large enough to be split, and small ones that stay serial (a reduction, a
Gemm), fixed seed. usage: threads_model.py OUT.onnx"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


def weight(name, *shape):
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.1).astype(np.float32), name)


inits = [
    weight("w_dense", 64, 16, 3, 3), weight("b_dense", 64),
    weight("w_dw", 64, 1, 3, 3), weight("b_dw", 64),
    weight("w_group", 64, 16, 3, 3),
    weight("w_1x1", 128, 64, 1, 1), weight("b_1x1", 128),
    weight("w_proj", 1024, 192),
    weight("w_fc", 128, 1000), weight("b_fc", 1000),
    numpy_helper.from_array(np.array([2, 128, 1024], dtype=np.int64), "shape"),
]
nodes = [
    helper.make_node("Sigmoid", ["x"], ["s0"]),
    helper.make_node("Mul", ["x", "s0"], ["x1"]),
    helper.make_node("Conv", ["x1", "w_dense", "b_dense"], ["c1"], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"]),
    helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Conv", ["p1", "w_dw", "b_dw"], ["c2"], group=64, strides=[2, 2], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c2"], ["r2"]),
    helper.make_node("Conv", ["r2", "w_group"], ["c3"], group=4, pads=[1, 1, 1, 1]),
    helper.make_node("Add", ["c3", "r2"], ["s3"]),
    helper.make_node("Conv", ["s3", "w_1x1", "b_1x1"], ["c4"]),
    helper.make_node("Reshape", ["c4", "shape"], ["flat"]),
    helper.make_node("MatMul", ["flat", "w_proj"], ["proj"]),
    helper.make_node("Transpose", ["proj"], ["projt"], perm=[0, 2, 1]),
    helper.make_node("MatMul", ["proj", "projt"], ["attn"]),
    helper.make_node("ReduceMean", ["attn"], ["pooled"], axes=[2], keepdims=0),
    helper.make_node("Gemm", ["pooled", "w_fc", "b_fc"], ["logits"]),
]
graph = helper.make_graph(
    nodes, "threads", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 16, 64, 64])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [2, 1000]),
     helper.make_tensor_value_info("attn", TensorProto.FLOAT, [2, 128, 128])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
