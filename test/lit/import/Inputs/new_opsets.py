#!/usr/bin/env python3
"""Writes one small ONNX model of an opset 18-28 op form for the import tests.

    new_opsets.py NAME OUTPUT.onnx
"""
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

F = TensorProto.FLOAT


def vi(name, shape, dtype=F):
    return helper.make_tensor_value_info(name, dtype, shape)


def c(name, values, dtype=np.int64):
    return numpy_helper.from_array(np.array(values, dtype), name)


def model(nodes, inputs, outputs, opset, inits=()):
    if not isinstance(nodes, list):
        nodes = [nodes]
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="new_opsets")
    m.ir_version = 8
    return m


def node(op, ins, outs, **attrs):
    return helper.make_node(op, ins, outs, name="n", **attrs)


X234 = [vi("x", [2, 3, 4])]
Y = [vi("y", None)]

MODELS = {
    # opset 18: reductions take axes as an input
    "reduce_max_axes": lambda: model(node("ReduceMax", ["x", "axes"], ["y"], keepdims=0), X234, Y, 18,
                                     [c("axes", [-2])]),
    "reduce_mean_noop": lambda: model(node("ReduceMean", ["x", "axes"], ["y"], noop_with_empty_axes=1), X234,
                                      Y, 18, [c("axes", [])]),
    "reduce_l2_all": lambda: model(node("ReduceL2", ["x"], ["y"], keepdims=0), X234, Y, 18),
    "reduce_axes_input": lambda: model(node("ReduceMin", ["x", "axes"], ["y"]), X234 + [vi("axes", [1],
                                                                                       TensorProto.INT64)], Y, 18),
    # opset 18: Split num_outputs
    "split_uneven": lambda: model(node("Split", ["x"], ["a", "b"], axis=-1, num_outputs=2),
                                  [vi("x", [2, 5])], [vi("a", None), vi("b", None)], 18),
    "split_too_many": lambda: model(node("Split", ["x"], ["a", "b", "c", "d"], axis=1, num_outputs=4),
                                    [vi("x", [2, 5])], [vi("a", None)], 18),
    # opset 18: Pad axes; opset 19 wrap
    "pad_axes": lambda: model(node("Pad", ["x", "pads", "", "axes"], ["y"]), X234, Y, 18,
                              [c("pads", [1, 2]), c("axes", [-1])]),
    "pad_wrap": lambda: model(node("Pad", ["x", "pads"], ["y"], mode="wrap"), X234, Y, 19,
                              [c("pads", [0, 0, 5, 0, 0, 1])]),
    # opset 18/19: Resize
    "resize_axes": lambda: model(node("Resize", ["x", "", "scales"], ["y"], axes=[2], mode="linear"), X234, Y,
                                 18, [c("scales", [2.0], np.float32)]),
    "resize_antialias_down": lambda: model(node("Resize", ["x", "", "scales"], ["y"], antialias=1, mode="linear"),
                                           X234, Y, 18, [c("scales", [1, 1, 0.5], np.float32)]),
    "resize_symmetric": lambda: model(node("Resize", ["x", "", "scales"], ["y"],
                                           coordinate_transformation_mode="half_pixel_symmetric"),
                                      X234, Y, 19, [c("scales", [1, 1, 1.3], np.float32)]),
    "resize_keep_aspect_rounds_up": lambda: model(
        node("Resize", ["x", "", "", "sizes"], ["y"], axes=[1, 2], keep_aspect_ratio_policy="not_larger"),
        X234, Y, 18, [c("sizes", [5, 5])]),
    # opset 18: LpPool ceil_mode; opset 19: AveragePool dilations
    "lppool_ceil": lambda: model(node("LpPool", ["x"], ["y"], kernel_shape=[2], strides=[2], ceil_mode=1),
                                 [vi("x", [1, 1, 5])], Y, 18),
    "avgpool_dilations": lambda: model(node("AveragePool", ["x"], ["y"], kernel_shape=[2], dilations=[2]),
                                       [vi("x", [1, 1, 5])], Y, 19),
    "avgpool_dilations_ceil": lambda: model(node("AveragePool", ["x"], ["y"], kernel_shape=[2], dilations=[2],
                                                 strides=[3], ceil_mode=1),
                                       [vi("x", [1, 1, 5])], Y, 19),
    # opset 18/20: new ops expanded into older ones, and new ops mcc rejects
    "mish": lambda: model(node("Mish", ["x"], ["y"]), X234, Y, 18),
    "gelu_tanh": lambda: model(node("Gelu", ["x"], ["y"], approximate="tanh"), X234, Y, 20),
    "group_norm_18": lambda: model(node("GroupNormalization", ["x", "s", "b"], ["y"], num_groups=3),
                                   X234, Y, 18, [c("s", [1, 2, 3], np.float32), c("b", [0, 0, 1], np.float32)]),
    "group_norm_21_stash": lambda: model(
        node("GroupNormalization", ["x", "s", "b"], ["y"], num_groups=3, stash_type=11), X234, Y, 21,
        [c("s", [1, 2, 3], np.float32), c("b", [0, 0, 1], np.float32)]),
    "center_crop_pad": lambda: model(node("CenterCropPad", ["x", "shape"], ["y"], axes=[1, 2]), X234, Y, 18,
                                     [c("shape", [1, 7])]),
    "bitwise_and": lambda: model(node("BitwiseAnd", ["x", "x"], ["y"]), [vi("x", [2], TensorProto.INT32)],
                                 [vi("y", None, TensorProto.INT32)], 18),
    "col2im_mismatch": lambda: model(node("Col2Im", ["x", "s", "k"], ["y"]), X234, Y, 18,
                                     [c("s", [2, 2]), c("k", [2, 2])]),
    "deform_conv": lambda: model(node("DeformConv", ["x", "w", "o"], ["y"]), [vi("x", [1, 1, 3, 3]),
                                 vi("w", [1, 1, 1, 1]), vi("o", [1, 2, 3, 3])], Y, 19),
    # opset 19/21: Cast and quantization
    "cast_float8": lambda: model(node("Cast", ["x"], ["y"], to=17, saturate=1), X234, Y, 19),
    "quantize_block": lambda: model(node("QuantizeLinear", ["x", "s"], ["y"], block_size=2, axis=2), X234, Y, 21,
                                    [c("s", np.ones((2, 3, 2)), np.float32)]),
    "quantize_int4": lambda: model(node("QuantizeLinear", ["x", "s"], ["y"], output_dtype=22), X234, Y, 21,
                                   [c("s", 0.1, np.float32)]),
    "quantize_output_dtype": lambda: model(node("QuantizeLinear", ["x", "s"], ["y"], output_dtype=3), X234,
                                           [vi("y", None, TensorProto.INT8)],
                                           21, [c("s", 0.1, np.float32)]),
    # opset 20: DFT axis input, GridSample modes
    "dft_axis_input": lambda: model(node("DFT", ["x", "", "axis"], ["y"]), [vi("x", [2, 8, 1])], Y, 20,
                                    [c("axis", -2)]),
    "grid_sample_cubic": lambda: model(node("GridSample", ["x", "g"], ["y"], mode="cubic"),
                                       [vi("x", [1, 1, 4, 4]), vi("g", [1, 3, 3, 2])], Y, 20),
    "grid_sample_rank5": lambda: model(node("GridSample", ["x", "g"], ["y"]),
                                       [vi("x", [1, 1, 2, 4, 4]), vi("g", [1, 2, 3, 3, 3])], Y, 20),
    # opsets 22-28: new ops expanded, changed attributes
    "swish": lambda: model(node("Swish", ["x"], ["y"], alpha=2.0), X234, Y, 24),
    "rms_norm": lambda: model(node("RMSNormalization", ["x", "s"], ["y"], axis=1), X234, Y, 23,
                              [c("s", np.ones((3, 4)), np.float32)]),
    "attention_causal": lambda: model(node("Attention", ["q", "k", "v"], ["y"], is_causal=1),
                                      [vi("q", [1, 2, 3, 4]), vi("k", [1, 2, 3, 4]), vi("v", [1, 2, 3, 4])], Y, 23),
    "rotary_embedding": lambda: model(node("RotaryEmbedding", ["x", "cos", "sin"], ["y"]),
                                      [vi("x", [1, 2, 3, 4]), vi("cos", [1, 3, 2]), vi("sin", [1, 3, 2])], Y, 23),
    "dequantize_output_dtype": lambda: model(node("DequantizeLinear", ["x", "s"], ["y"], output_dtype=10),
                                             [vi("x", [4], TensorProto.UINT8)],
                                             [vi("y", None, TensorProto.FLOAT16)], 23,
                                             [c("s", 0.5, np.float32)]),
    "space_to_depth_crd": lambda: model(node("SpaceToDepth", ["x"], ["y"], blocksize=2, mode="CRD"),
                                        [vi("x", [1, 1, 4, 4])], Y, 28),
    "attention_nonpad_past": lambda: model(
        node("Attention", ["q", "k", "v", "", "pk", "pv", "len"], ["y"]),
        [vi("q", [1, 2, 3, 4]), vi("k", [1, 2, 3, 4]), vi("v", [1, 2, 3, 4]), vi("pk", [1, 2, 1, 4]),
         vi("pv", [1, 2, 1, 4]), vi("len", [1], TensorProto.INT64)], Y, 24),
    "cum_prod": lambda: model(node("CumProd", ["x", "axis"], ["y"]), X234, Y, 26, [c("axis", 0)]),
    "cast_int2": lambda: model(node("Cast", ["x"], ["y"], to=26), X234, Y, 25),
    # 22 is INT4, which this onnx (1.12) has no name for
    "int4_input": lambda: model(node("Identity", ["x"], ["y"]), [vi("x", [4], 22)], [vi("y", None, 22)], 21),
    # newer than mcc knows
    "opset_29": lambda: model(node("Relu", ["x"], ["y"]), X234, Y, 29),
}

if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    with open(out, "wb") as f:
        f.write(MODELS[name]().SerializeToString())
