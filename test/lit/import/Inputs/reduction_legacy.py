#!/usr/bin/env python3
"""Writes one small ONNX model of a legacy reduction/normalisation opset form for the import tests.

    reduction_legacy.py NAME OUTPUT.onnx
"""
import sys

from onnx import TensorProto, helper

F = TensorProto.FLOAT


def model(node, inputs, outputs, opset):
    graph = helper.make_graph([node], "g", inputs, outputs)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="reduction_legacy")
    m.ir_version = 3 if opset < 7 else 7
    return m


def vi(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


MODELS = {
    # axes as an attribute (before opset 18; 13 for ReduceSum)
    "reduce_mean_axes_attr": lambda: model(helper.make_node("ReduceMean", ["x"], ["y"], axes=[0, -1]),
                                           [vi("x", [2, 3, 4])], [vi("y", [1, 3, 1])], 11),
    # no axes at all: every dim
    "reduce_sum_no_axes": lambda: model(helper.make_node("ReduceSum", ["x"], ["y"], keepdims=0),
                                        [vi("x", [2, 3])], [vi("y", [])], 11),
    # TopK-1: k is an attribute (Indices is left out of the graph outputs: one output is enough here)
    "topk_k_attr": lambda: model(helper.make_node("TopK", ["x"], ["v", "i"], k=2),
                                 [vi("x", [3, 5])], [vi("v", [3, 2])], 1),
    # LogSoftmax-11 coerces to 2-D at axis
    "log_softmax_coerced": lambda: model(helper.make_node("LogSoftmax", ["x"], ["y"], axis=1),
                                         [vi("x", [2, 3, 4])], [vi("y", [2, 3, 4])], 11),
    # GlobalLpPool-1 takes p as a float
    "global_lp_pool_float_p": lambda: model(helper.make_node("GlobalLpPool", ["x"], ["y"], p=3.0),
                                            [vi("x", [1, 2, 3, 3])], [vi("y", [1, 2, 1, 1])], 1),
    "global_lp_pool_fractional_p": lambda: model(helper.make_node("GlobalLpPool", ["x"], ["y"], p=1.5),
                                                 [vi("x", [1, 2, 3, 3])], [vi("y", [1, 2, 1, 1])], 1),
}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODELS:
        sys.exit("usage: reduction_legacy.py {%s} OUTPUT.onnx" % ",".join(sorted(MODELS)))
    with open(sys.argv[2], "wb") as f:
        f.write(MODELS[sys.argv[1]]().SerializeToString())
