#!/usr/bin/env python3
"""Writes one small ONNX model whose shapes are computed by the graph, for the import-time folding tests.

    shape_folding.py NAME OUTPUT.onnx
"""
import sys

from onnx import TensorProto, helper

F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def vi(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, dtype, dims, values):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(name, dtype, dims, values))


def model(nodes, inputs, outputs, opset=13):
    m = helper.make_model(helper.make_graph(nodes, "g", inputs, outputs),
                          opset_imports=[helper.make_opsetid("", opset)], producer_name="shape_folding")
    m.ir_version = 7
    return m


def flatten_batch():
    # Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): "keep the batch dim, flatten the rest".
    return model([
        helper.make_node("Shape", ["x"], ["s"]),
        const("zero", I64, [], [0]),
        helper.make_node("Gather", ["s", "zero"], ["batch"]),
        const("axes", I64, [1], [0]),
        helper.make_node("Unsqueeze", ["batch", "axes"], ["batch1"]),
        const("rest", I64, [1], [-1]),
        helper.make_node("Concat", ["batch1", "rest"], ["target"], axis=0),
        helper.make_node("Reshape", ["x", "target"], ["y"]),
    ], [vi("x", [2, 3, 4])], [vi("y", None)])


def loop_scan():
    # Loop with a constant trip count whose condition stays true: its scan output has 3 rows.
    body = helper.make_graph([
        helper.make_node("Identity", ["c"], ["c_out"]),
        helper.make_node("Add", ["y_in", "i"], ["y_out"]),
        helper.make_node("Identity", ["y_out"], ["row"]),
    ], "body", [vi("i", [], I64), vi("c", [], B), vi("y_in", [2], I64)],
        [vi("c_out", [], B), vi("y_out", [2], I64), vi("row", None, I64)])
    return model([
        const("M", I64, [], [3]),
        const("cond", B, [], [True]),
        helper.make_node("Loop", ["M", "cond", "y"], ["y_final", "scan"], body=body),
    ], [vi("y", [2], I64)], [vi("y_final", None, I64), vi("scan", None, I64)])


MODELS = {"flatten_batch": flatten_batch, "loop_scan": loop_scan}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODELS:
        sys.exit("usage: shape_folding.py {%s} OUTPUT.onnx" % "|".join(MODELS))
    with open(sys.argv[2], "wb") as f:
        f.write(MODELS[sys.argv[1]]().SerializeToString())
