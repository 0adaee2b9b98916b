#!/usr/bin/env python3
"""Writes one small ONNX model for mcc's lit tests.

    make_model.py NAME OUTPUT.onnx

Every model is built with onnx.helper at test time, so the tests carry no binary files. Side files
(external data) are written next to OUTPUT, or one folder up where a test needs a file outside the
model's folder. Run with no arguments to list the models.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def vi(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def const(name, shape, start=0.0, dtype=np.float32):
    n = int(np.prod(shape)) if shape else 1
    return numpy_helper.from_array((np.arange(n, dtype=np.float64) * 0.5 + start).astype(dtype).reshape(shape),
                                   name)


def model(nodes, inputs, outputs, opset=13, initializers=(), ir_version=None, extra_opsets=(), name="g"):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets, producer_name="make_model", producer_version="1.0")
    m.model_version = 7
    # Old opsets need an IR version from their time; newer ones take the current one.
    m.ir_version = ir_version if ir_version is not None else (3 if opset < 7 else 7)
    return m


# --- models -------------------------------------------------------------------------------------

def conv_relu(out):
    return model([helper.make_node("Conv", ["X", "W", "B"], ["c"], name="conv0", pads=[1, 1, 1, 1]),
                  helper.make_node("Relu", ["c"], ["Y"], name="relu0")],
                 [vi("X", [1, 3, 8, 8])], [vi("Y", [1, 4, 8, 8])],
                 initializers=[const("W", [4, 3, 3, 3]), const("B", [4])])


def gemm(out):
    return model([helper.make_node("Gemm", ["A", "B", "C"], ["Y"], name="fc", alpha=0.5, transB=1)],
                 [vi("A", [2, 4])], [vi("Y", [2, 3])],
                 initializers=[const("B", [3, 4]), const("C", [3])])


def matmul_batched(out):
    return model([helper.make_node("MatMul", ["A", "B"], ["Y"], name="mm")],
                 [vi("A", [2, 1, 4, 8]), vi("B", [3, 8, 5])], [vi("Y", None)])


def legacy_reshape_v1(out):
    return model([helper.make_node("Reshape", ["X"], ["Y"], name="r", shape=[3, 2])],
                 [vi("X", [2, 3])], [vi("Y", None)], opset=1)


def clip_v6(out):
    return model([helper.make_node("Clip", ["X"], ["Y"], name="clip", min=0.0, max=6.0)],
                 [vi("X", [4])], [vi("Y", [4])], opset=6)


def clip_v6_min_only(out):
    return model([helper.make_node("Clip", ["X"], ["Y"], name="clip", min=-1.0)],
                 [vi("X", [4])], [vi("Y", [4])], opset=6)


def softmax_v11(out):
    return model([helper.make_node("Softmax", ["X"], ["Y"], name="sm", axis=1)],
                 [vi("X", [2, 3, 4])], [vi("Y", [2, 3, 4])], opset=11)


def softmax_v11_last_axis(out):
    return model([helper.make_node("Softmax", ["X"], ["Y"], name="sm", axis=2)],
                 [vi("X", [2, 3, 4])], [vi("Y", [2, 3, 4])], opset=11)


def add_v6_broadcast_axis(out):
    return model([helper.make_node("Add", ["A", "B"], ["Y"], name="add", broadcast=1, axis=1)],
                 [vi("A", [2, 3, 4, 5]), vi("B", [3, 4])], [vi("Y", [2, 3, 4, 5])], opset=6)


def dropout_v7(out):
    return model([helper.make_node("Dropout", ["X"], ["Y"], name="drop", ratio=0.25)],
                 [vi("X", [4])], [vi("Y", [4])], opset=7)


def dropout_v12_training(out):
    training = numpy_helper.from_array(np.array(True), "training")
    return model([helper.make_node("Dropout", ["X", "", "training"], ["Y"], name="drop")],
                 [vi("X", [4])], [vi("Y", [4])], opset=12, initializers=[training])


def tfidf_conflicting_weights(out):
    # Two n-grams counted in one column with different TF-IDF weights: which weight applies is not
    # defined, so the lowering rejects it.
    return model([helper.make_node("TfIdfVectorizer", ["X"], ["Y"], name="tfidf", mode="TFIDF",
                                   min_gram_length=1, max_gram_length=1, max_skip_count=0,
                                   ngram_counts=[0], ngram_indexes=[0, 0], pool_int64s=[1, 2],
                                   weights=[1.0, 2.0])],
                 [vi("X", [6], TensorProto.INT64)], [vi("Y", [1])], opset=9)


def batchnorm_v7(out):
    return model([helper.make_node("BatchNormalization", ["X", "s", "b", "m", "v"], ["Y"], name="bn",
                                   epsilon=1e-3, spatial=1)],
                 [vi("X", [1, 2, 3, 3])], [vi("Y", [1, 2, 3, 3])], opset=7,
                 initializers=[const("s", [2], 1), const("b", [2]), const("m", [2]), const("v", [2], 1)])


def batchnorm_v7_spatial0(out):
    m = batchnorm_v7(out)
    for a in m.graph.node[0].attribute:
        if a.name == "spatial":
            a.i = 0
    return m


def concat_v1(out):
    return model([helper.make_node("Concat", ["A", "B"], ["Y"], name="cat")],
                 [vi("A", [2, 3]), vi("B", [2, 5])], [vi("Y", [2, 8])], opset=1)


def initializer_as_input(out):
    # An initializer also listed as a graph input (IR < 4 style): a constant, not an argument.
    return model([helper.make_node("Add", ["X", "W"], ["Y"], name="add")],
                 [vi("X", [2, 2]), vi("W", [2, 2])], [vi("Y", [2, 2])], initializers=[const("W", [2, 2])])


def constant_value_float(out):
    return model([helper.make_node("Constant", [], ["k"], name="k", value_float=2.5),
                  helper.make_node("Mul", ["X", "k"], ["Y"], name="mul")],
                 [vi("X", [3])], [vi("Y", [3])])


def constant_value_ints(out):
    return model([helper.make_node("Constant", [], ["shape"], name="shape", value_ints=[3, 2]),
                  helper.make_node("Reshape", ["X", "shape"], ["Y"], name="reshape")],
                 [vi("X", [2, 3])], [vi("Y", [3, 2])])


def constant_value_tensor(out):
    return model([helper.make_node("Constant", [], ["k"], name="k", value=const("kv", [3], 1)),
                  helper.make_node("Sub", ["X", "k"], ["Y"], name="sub")],
                 [vi("X", [3])], [vi("Y", [3])])


def _external(out, location, write_to=None, data=None, offset=0, length=None):
    w = const("W", [2, 2])
    raw = w.raw_data if data is None else data
    if write_to is not None:
        with open(write_to, "wb") as f:
            f.write(b"\0" * offset + raw)
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entries = [("location", location), ("offset", str(offset))]
    entries.append(("length", str(len(raw) if length is None else length)))
    for k, v in entries:
        e = w.external_data.add()
        e.key, e.value = k, v
    return model([helper.make_node("Add", ["X", "W"], ["Y"], name="add")],
                 [vi("X", [2, 2])], [vi("Y", [2, 2])], initializers=[w])


def _side(out, name):
    return os.path.join(os.path.dirname(os.path.abspath(out)), name)


def external_data(out):
    return _external(out, "weights.bin", write_to=_side(out, "weights.bin"), offset=16)


def external_data_escape(out):
    return _external(out, "../outside.bin", write_to=_side(out, "../outside.bin"))


def external_data_absolute(out):
    path = _side(out, "abs.bin")
    return _external(out, path, write_to=path)


def external_data_symlink(out):
    target = _side(out, "../outside.bin")
    m = _external(out, "link.bin", write_to=target)
    link = _side(out, "link.bin")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(target, link)
    return m


def external_data_missing(out):
    return _external(out, "missing.bin")


def external_data_short(out):
    return _external(out, "short.bin", write_to=_side(out, "short.bin"), length=64)


def symbolic_batch(out):
    return model([helper.make_node("Relu", ["X"], ["Y"], name="relu")],
                 [vi("X", ["N", 3, 4, 4])], [vi("Y", ["N", 3, 4, 4])])


def unknown_op(out):
    return model([helper.make_node("FooBar", ["X"], ["Y"], name="mystery")],
                 [vi("X", [4])], [vi("Y", [4])])


def unsupported_op(out):
    # Known to ONNX, not to mcc's dialect.
    return model([helper.make_node("MaxRoiPool", ["X", "rois"], ["Y"], name="roi", pooled_shape=[2, 2])],
                 [vi("X", [1, 1, 4, 4]), vi("rois", [1, 5])], [vi("Y", [1, 1, 2, 2])], opset=15)


def custom_domain(out):
    return model([helper.make_node("MyOp", ["X"], ["Y"], name="custom", domain="com.example")],
                 [vi("X", [4])], [vi("Y", [4])], extra_opsets=[("com.example", 1)])


def missing_input(out):
    return model([helper.make_node("Add", ["X", "nowhere"], ["Y"], name="add")],
                 [vi("X", [4])], [vi("Y", [4])])


def unnamed_node(out):
    return model([helper.make_node("Relu", ["X"], ["r"]),
                  helper.make_node("FooBar", ["r"], ["Y"])],
                 [vi("X", [4])], [vi("Y", [4])])


def odd_names(out):
    # Names that are not C identifiers, and two that collide once made identifiers.
    return model([helper.make_node("Add", ["input.1", "2x"], ["s"], name="add"),
                  helper.make_node("Mul", ["s", "a.b"], ["out:0"], name="mul"),
                  helper.make_node("Relu", ["s"], ["a_b"], name="relu")],
                 [vi("input.1", [1, 4]), vi("2x", [1, 4]), vi("a.b", [4])],
                 [vi("out:0", [1, 4]), vi("a_b", [1, 4])])


def int64_io(out):
    return model([helper.make_node("Add", ["X", "X"], ["Y"], name="add")],
                 [vi("X", [3], TensorProto.INT64)], [vi("Y", [3], TensorProto.INT64)])


def uint8_add(out):
    return model([helper.make_node("Add", ["X", "X"], ["Y"], name="add")],
                 [vi("X", [3], TensorProto.UINT8)], [vi("Y", [3], TensorProto.UINT8)])


def mlp(out):
    # Enough intermediates for the memory planner to have something to plan.
    return model([helper.make_node("Gemm", ["X", "W1", "B1"], ["h1"], name="fc1", transB=1),
                  helper.make_node("Relu", ["h1"], ["a1"], name="relu1"),
                  helper.make_node("Gemm", ["a1", "W2", "B2"], ["h2"], name="fc2", transB=1),
                  helper.make_node("Softmax", ["h2"], ["Y"], name="softmax")],
                 [vi("X", [1, 16])], [vi("Y", [1, 4])],
                 initializers=[const("W1", [32, 16]), const("B1", [32]), const("W2", [4, 32]), const("B2", [4])])


def conv_channel_mismatch(out):
    return model([helper.make_node("Conv", ["X", "W"], ["Y"], name="conv0")],
                 [vi("X", [1, 3, 8, 8])], [vi("Y", [1, 4, 6, 6])], initializers=[const("W", [4, 2, 3, 3])])


def add_not_broadcastable(out):
    return model([helper.make_node("Add", ["A", "B"], ["Y"], name="add0")],
                 [vi("A", [2, 3]), vi("B", [4])], [vi("Y", [2, 3])])


def dangling_output(out):
    # The declared output Z is produced by no node.
    return model([helper.make_node("Relu", ["X"], ["Y"], name="relu")],
                 [vi("X", [4])], [vi("Z", [4])])


def bad_raw_data(out):
    w = const("W", [2, 2])
    w.raw_data = w.raw_data[:8]
    return model([helper.make_node("Add", ["X", "W"], ["Y"], name="add")],
                 [vi("X", [2, 2])], [vi("Y", [2, 2])], initializers=[w])


def string_input(out):
    return model([helper.make_node("Identity", ["X"], ["Y"], name="id")],
                 [vi("X", [2], TensorProto.STRING)], [vi("Y", [2], TensorProto.STRING)])


def no_default_opset(out):
    m = model([helper.make_node("Relu", ["X"], ["Y"], name="relu")], [vi("X", [4])], [vi("Y", [4])])
    del m.opset_import[:]
    m.opset_import.extend([helper.make_opsetid("com.example", 1)])
    return m


def keyword_names(out):
    # ONNX names that are C keywords.
    return model([helper.make_node("Add", ["int", "if"], ["return"], name="add")],
                 [vi("int", [4]), vi("if", [4])], [vi("return", [4])])


def case_collision(out):
    # Distinct C identifiers that collide once upper-cased for the size macros.
    return model([helper.make_node("Add", ["x", "X"], ["y"], name="add")],
                 [vi("x", [2, 3]), vi("X", [3])], [vi("y", [2, 3])])


def two_inputs(out):
    # The header test's model: input names that are not C identifiers.
    return model([helper.make_node("Add", ["input.1", "2x"], ["out:0"], name="add")],
                 [vi("input.1", [1, 4]), vi("2x", [1, 4])], [vi("out:0", [1, 4])])


def qlinear_conv(out):
    u8 = TensorProto.UINT8
    inits = [numpy_helper.from_array(np.float32(0.5), "s"), numpy_helper.from_array(np.uint8(3), "z"),
             numpy_helper.from_array((np.arange(4 * 3 * 3 * 3) % 7 - 3).astype(np.int8).reshape(4, 3, 3, 3), "W"),
             numpy_helper.from_array(np.int8(0), "wz")]
    return model([helper.make_node("QLinearConv", ["X", "s", "z", "W", "s", "wz", "s", "z"], ["Y"], name="qconv",
                                   pads=[1, 1, 1, 1])],
                 [vi("X", [1, 3, 8, 8], u8)], [vi("Y", [1, 4, 8, 8], u8)], initializers=inits)


def colliding_fields(out):
    # Two inputs that make the same C identifier.
    return model([helper.make_node("Add", ["a.b", "a_b"], ["y"], name="add")],
                 [vi("a.b", [2, 3]), vi("a_b", [3])], [vi("y", [2, 3])])


MODELS = {f.__name__: f for f in [
    conv_relu, gemm, matmul_batched, legacy_reshape_v1, clip_v6, clip_v6_min_only, softmax_v11,
    softmax_v11_last_axis, add_v6_broadcast_axis, dropout_v7, dropout_v12_training, tfidf_conflicting_weights, batchnorm_v7,
    batchnorm_v7_spatial0, concat_v1, initializer_as_input, constant_value_float, constant_value_ints,
    constant_value_tensor, external_data, external_data_escape, external_data_absolute,
    external_data_symlink, external_data_missing, external_data_short, symbolic_batch, unknown_op,
    unsupported_op, custom_domain, missing_input, unnamed_node, odd_names, int64_io, uint8_add, mlp, conv_channel_mismatch, add_not_broadcastable,
    dangling_output, bad_raw_data, string_input, no_default_opset, keyword_names, case_collision,
    two_inputs, colliding_fields, qlinear_conv]}


def main(argv):
    if len(argv) != 3 or argv[1] not in MODELS:
        sys.stderr.write("usage: make_model.py NAME OUTPUT.onnx\nmodels: %s\n" % " ".join(sorted(MODELS)))
        return 2
    name, out = argv[1], argv[2]
    m = MODELS[name](out)
    with open(out, "wb") as f:
        f.write(m.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
