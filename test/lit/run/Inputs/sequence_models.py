"""Small models with sequence and optional values, with numpy references, for compile-and-run tests.

usage: sequence_models.py NAME DIR   writes DIR/model.onnx, DIR/input_<i>.{npy,pb}, DIR/ref/output_<i>.{npy,pb}

A list is written as an ONNX SequenceProto (.pb), an Opt(...) as an OptionalProto (.pb), an array as .npy.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F, I64 = TensorProto.FLOAT, TensorProto.INT64


class Opt:
    def __init__(self, value=None):
        self.value = value


def tensor(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def seq(name, dtype=F, shape=None):
    return helper.make_tensor_sequence_value_info(name, dtype, shape)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def arange(*shape, start=0.0):
    return (np.arange(int(np.prod(shape)), dtype=np.float32) * 0.5 + start).reshape(shape)


def seq_ops(d):
    # Construct, insert (negative position), erase, at (negative), length and both concat forms.
    nodes = [
        helper.make_node("SequenceConstruct", ["X", "Y"], ["s1"]),
        helper.make_node("SequenceInsert", ["s1", "Z", "m1"], ["s2"]),       # [X, Z, Y]
        helper.make_node("SequenceErase", ["s2", "zero"], ["s3"]),           # [Z, Y]
        helper.make_node("SequenceAt", ["s2", "m1"], ["at"]),               # s2[-1] = Y
        helper.make_node("SequenceLength", ["s2"], ["len"]),
        helper.make_node("ConcatFromSequence", ["s3"], ["cat"], axis=0),
        helper.make_node("SequenceConstruct", ["X", "X"], ["s4"]),
        helper.make_node("ConcatFromSequence", ["s4"], ["stacked"], axis=-1, new_axis=1),
    ]
    graph = helper.make_graph(nodes, "seq_ops", [tensor("X", [2, 3]), tensor("Y", [1, 3]), tensor("Z", [3, 3])],
                              [tensor("at", [1, 3]), tensor("len", [], I64), tensor("cat", [4, 3]),
                               tensor("stacked", [2, 3, 2])],
                              [ints("m1", -1), ints("zero", 0)])
    x, y, z = arange(2, 3), arange(1, 3, start=10), arange(3, 3, start=-4)
    return graph, 13, [x, y, z], [y, np.array(3, np.int64), np.concatenate([z, y]), np.stack([x, x], -1)]


def split_to_sequence(d):
    # Chunks of a scalar split (the last one shorter), a list split, and keepdims=0 without split.
    nodes = [
        helper.make_node("SplitToSequence", ["X", "two"], ["a"], axis=1),
        helper.make_node("SplitToSequence", ["X", "lens"], ["b"], axis=-1),
        helper.make_node("SplitToSequence", ["X"], ["c"], axis=0, keepdims=0),
        helper.make_node("SequenceLength", ["a"], ["a_len"]),
    ]
    graph = helper.make_graph(nodes, "split", [tensor("X", [2, 5])],
                              [seq("a"), seq("b"), seq("c"), tensor("a_len", [], I64)],
                              [ints("two", 2), ints("lens", [1, 4])])
    x = arange(2, 5)
    return graph, 13, [x], [[x[:, 0:2], x[:, 2:4], x[:, 4:5]], [x[:, :1], x[:, 1:]], [x[0], x[1]],
                            np.array(3, np.int64)]


def sequence_map(d):
    # A sequence input with elements of different shapes, a tensor input shared by every element.
    body = helper.make_graph(
        [helper.make_node("Add", ["e", "t"], ["sum"]), helper.make_node("Mul", ["sum", "sum"], ["sq"]),
         helper.make_node("Shape", ["e"], ["shape"])],
        "body", [tensor("e", ["N"]), tensor("t", [])], [tensor("sq", ["N"]), tensor("shape", [1], I64)])
    graph = helper.make_graph([helper.make_node("SequenceMap", ["x", "t"], ["y", "shapes"], body=body)], "map",
                              [seq("x", F, ["N"]), tensor("t", [])], [seq("y"), seq("shapes", I64)])
    xs, t = [arange(2), arange(3, start=1), arange(1, start=-2)], np.array(1.5, np.float32)
    return graph, 17, [xs, t], [[(e + t) ** 2 for e in xs], [np.array(e.shape, np.int64) for e in xs]]


def loop_sequence(d):
    # A loop that grows a sequence (unrolled at compile time), then concatenates it.
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Cast", ["i"], ["fi"], to=F),
         helper.make_node("Mul", ["x", "fi"], ["scaled"]),
         helper.make_node("SequenceInsert", ["s_in", "scaled"], ["s_out"]),
         helper.make_node("Identity", ["fi"], ["scan"])],
        "body", [tensor("i", [], I64), tensor("cond_in", [], TensorProto.BOOL), seq("s_in")],
        [tensor("cond_out", [], TensorProto.BOOL), seq("s_out"), tensor("scan", [])])
    nodes = [helper.make_node("SequenceEmpty", [], ["empty"], dtype=F),
             helper.make_node("Loop", ["M", "", "empty"], ["s", "scans"], body=body),
             helper.make_node("ConcatFromSequence", ["s"], ["cat"], axis=0)]
    graph = helper.make_graph(nodes, "loop_seq", [tensor("x", [2])],
                              [tensor("cat", [6]), tensor("scans", [3]), seq("s")], [ints("M", 3)])
    x = np.array([1.0, -2.0], np.float32)
    parts = [x * i for i in range(3)]
    return graph, 13, [x], [np.concatenate(parts), np.arange(3, dtype=np.float32), parts]


def optional_values(d):
    # An optional tensor input (present), a constant If choosing a branch, an optional output.
    then_g = helper.make_graph([helper.make_node("SequenceConstruct", ["v", "v"], ["ts"])], "then", [], [seq("ts")])
    else_g = helper.make_graph([helper.make_node("SequenceConstruct", ["v"], ["es"])], "else", [], [seq("es")])
    nodes = [helper.make_node("OptionalHasElement", ["o"], ["has"]),
             helper.make_node("OptionalGetElement", ["o"], ["v"]),
             helper.make_node("Constant", [], ["yes"], value=numpy_helper.from_array(np.array(True))),
             helper.make_node("If", ["yes"], ["picked"], then_branch=then_g, else_branch=else_g),
             helper.make_node("ConcatFromSequence", ["picked"], ["cat"], axis=0),
             helper.make_node("Optional", ["cat"], ["wrapped"])]
    opt_in = helper.make_value_info("o", helper.make_optional_type_proto(
        helper.make_tensor_type_proto(F, [3])))
    opt_out = helper.make_value_info("wrapped", helper.make_optional_type_proto(
        helper.make_tensor_type_proto(F, [6])))
    graph = helper.make_graph(nodes, "optional", [opt_in], [tensor("has", [], TensorProto.BOOL), opt_out])
    v = arange(3, start=2)
    return graph, 16, [Opt(v)], [np.array(True), Opt(np.concatenate([v, v]))]


def if_sequence(d):
    # An If whose branches yield sequences of the same length, on a run-time condition.
    then_g = helper.make_graph([helper.make_node("Relu", ["x"], ["r"]),
                                helper.make_node("SequenceConstruct", ["r", "x"], ["ts"])], "then", [], [seq("ts")])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["n"]),
                                helper.make_node("SequenceConstruct", ["x", "n"], ["es"])], "else", [], [seq("es")])
    graph = helper.make_graph([helper.make_node("If", ["c"], ["s"], then_branch=then_g, else_branch=else_g)],
                              "if_seq", [tensor("c", [], TensorProto.BOOL), tensor("x", [3])], [seq("s")])
    x = np.array([-1.0, 0.5, 2.0], np.float32)
    return graph, 13, [np.array(False), x], [[x, -x]]


def position_input(d):
    # Error: a position that only the run time knows.
    graph = helper.make_graph([helper.make_node("SequenceConstruct", ["x", "x"], ["s"], name="make"),
                               helper.make_node("SequenceAt", ["s", "p"], ["y"], name="at")], "pos",
                              [tensor("x", [2]), tensor("p", [], I64)], [tensor("y", [2])])
    return graph, 13, [], []


def if_lengths_differ(d):
    # Error: the branches yield sequences of different lengths on a run-time condition.
    then_g = helper.make_graph([helper.make_node("SequenceConstruct", ["x", "x"], ["ts"])], "then", [], [seq("ts")])
    else_g = helper.make_graph([helper.make_node("SequenceConstruct", ["x"], ["es"])], "else", [], [seq("es")])
    graph = helper.make_graph([helper.make_node("If", ["c"], ["s"], name="choose", then_branch=then_g,
                                                else_branch=else_g),
                               helper.make_node("ConcatFromSequence", ["s"], ["y"], axis=0)],
                              "if_len", [tensor("c", [], TensorProto.BOOL), tensor("x", [3])], [tensor("y", ["n"])])
    return graph, 13, [], []


MODELS = {f.__name__: f for f in [seq_ops, split_to_sequence, sequence_map, loop_sequence, optional_values,
                                  if_sequence, position_input, if_lengths_differ]}


def proto(value, name, inner=False):
    if inner and isinstance(value, np.ndarray):
        return numpy_helper.from_array(value, name)
    if isinstance(value, Opt):
        inner = None if value.value is None else proto(value.value, name, inner=True)
        kind = (onnx.OptionalProto.UNDEFINED if inner is None else
                onnx.OptionalProto.SEQUENCE if isinstance(value.value, list) else onnx.OptionalProto.TENSOR)
        return helper.make_optional(name, kind, inner)
    if isinstance(value, list):
        return helper.make_sequence(name, onnx.SequenceProto.TENSOR, [numpy_helper.from_array(v) for v in value])
    return None


def write(value, path):
    p = proto(value, os.path.basename(path))
    if p is None:
        np.save(path + ".npy", value)
    else:
        with open(path + ".pb", "wb") as f:
            f.write(p.SerializeToString())


if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    graph, opset, inputs, outputs = MODELS[name](out)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    for i, a in enumerate(inputs):
        write(a, os.path.join(out, "input_%d" % i))
    for i, a in enumerate(outputs):
        write(a, os.path.join(out, "ref", "output_%d" % i))
