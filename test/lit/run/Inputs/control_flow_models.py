"""Small If/Loop models with numpy references, for compile-and-run tests.

usage: control_flow_models.py NAME DIR   writes DIR/model.onnx, DIR/input_<i>.npy, DIR/ref/output_<i>.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def scalar(name, dtype):
    return helper.make_tensor_value_info(name, dtype, [])


def loop_for(d):
    # for i in range(4): x = x * 2 + i; scan out y_i = x  (constant trip count, condition stays true)
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Add", ["x_in", "x_in"], ["twice"]),
         helper.make_node("Add", ["twice", "one"], ["x_out"]),
         helper.make_node("Identity", ["x_out"], ["y"])],
        "body",
        [scalar("i", TensorProto.INT64), scalar("cond_in", TensorProto.BOOL),
         helper.make_tensor_value_info("x_in", TensorProto.FLOAT, [3])],
        [scalar("cond_out", TensorProto.BOOL), helper.make_tensor_value_info("x_out", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])],
        [numpy_helper.from_array(np.array([1.0, 1.0, 1.0], np.float32), "one")])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["M", "", "x"], ["x_final", "ys"], body=body)],
        "loop_for", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("x_final", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("ys", TensorProto.FLOAT, [4, 3])],
        [numpy_helper.from_array(np.array(4, np.int64), "M")])
    x = np.array([0.5, -1.0, 2.0], np.float32)
    ys, v = [], x.copy()
    for _ in range(4):
        v = v * 2 + 1
        ys.append(v.copy())
    return graph, [x], [v, np.stack(ys)]


def loop_while(d):
    # while i < M and cond: x = x + x; the condition is a run-time input, carried unchanged.
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Add", ["x_in", "x_in"], ["x_out"])],
        "body",
        [scalar("i", TensorProto.INT64), scalar("cond_in", TensorProto.BOOL),
         helper.make_tensor_value_info("x_in", TensorProto.FLOAT, [2])],
        [scalar("cond_out", TensorProto.BOOL), helper.make_tensor_value_info("x_out", TensorProto.FLOAT, [2])])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["M", "cond", "x"], ["x_final"], body=body)],
        "loop_while",
        [scalar("M", TensorProto.INT64), scalar("cond", TensorProto.BOOL),
         helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("x_final", TensorProto.FLOAT, [2])])
    m, cond, x = np.array(5, np.int64), np.array(True), np.array([1.5, -3.0], np.float32)
    return graph, [m, cond, x], [x * 32]


def if_outer_capture(d):
    # The branches read a value from the enclosing graph.
    then_g = helper.make_graph([helper.make_node("Relu", ["x"], ["t"])], "then", [],
                               [helper.make_tensor_value_info("t", TensorProto.FLOAT, [4])])
    else_g = helper.make_graph([helper.make_node("Add", ["x", "x"], ["e"])], "else", [],
                               [helper.make_tensor_value_info("e", TensorProto.FLOAT, [4])])
    graph = helper.make_graph(
        [helper.make_node("If", ["c"], ["y"], then_branch=then_g, else_branch=else_g)], "if_outer",
        [scalar("c", TensorProto.BOOL), helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])])
    x = np.array([-1.0, 2.0, -3.0, 4.0], np.float32)
    return graph, [np.array(False), x], [x + x]


def loop_while_exit(d):
    # while i < 10 and max(x) < 20: x = x * 2 + i; the body computes its own exit condition and never
    # reads the incoming one (x = [1.5, -3]: 3, 7, 16, 35 -> exits after 4 iterations).
    body = helper.make_graph(
        [helper.make_node("Cast", ["i"], ["i_f"], to=TensorProto.FLOAT),
         helper.make_node("Add", ["x_in", "x_in"], ["x2"]),
         helper.make_node("Add", ["x2", "i_f"], ["x_out"]),
         helper.make_node("ReduceMax", ["x_out"], ["mx"], keepdims=0),
         helper.make_node("Less", ["mx", "limit"], ["cond_out"])],
        "body",
        [scalar("i", TensorProto.INT64), scalar("cond_in", TensorProto.BOOL),
         helper.make_tensor_value_info("x_in", TensorProto.FLOAT, [2])],
        [scalar("cond_out", TensorProto.BOOL), helper.make_tensor_value_info("x_out", TensorProto.FLOAT, [2])])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["M", "", "x"], ["x_final"], body=body)],
        "loop_while_exit",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("x_final", TensorProto.FLOAT, [2])],
        [numpy_helper.from_array(np.array(10, np.int64), "M"),
         numpy_helper.from_array(np.array(20.0, np.float32), "limit")])
    x = np.array([1.5, -3.0], np.float32)
    ref = x.copy()
    for i in range(10):
        ref = ref * 2 + i
        if ref.max() >= 20:
            break
    return graph, [x], [ref]


MODELS = {f.__name__: f for f in [loop_for, loop_while, loop_while_exit, if_outer_capture]}

if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    graph, inputs, outputs = MODELS[name](out)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    for i, a in enumerate(inputs):
        np.save(os.path.join(out, "input_%d.npy" % i), a)
    for i, a in enumerate(outputs):
        np.save(os.path.join(out, "ref", "output_%d.npy" % i), a)
