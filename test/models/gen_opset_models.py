#!/usr/bin/python3
"""Generate one small model per op form that changed in ONNX opsets 18 to 24, deterministically.

Usage: /usr/bin/python3 test/models/gen_opset_models.py OUT_DIR

onnx 1.12's helper writes these models even though its checker only knows opsets up to 17, so they are not
checked here: ONNX Runtime 1.30 from PyPI (tools/ort/ort_run.py) is the oracle. For each case NAME it writes
NAME.onnx and NAME.input_<i>.npy (seeded random inputs), and lists the case names in OUT_DIR/cases.txt.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper

CASES = []


def case(opset):
    def wrap(fn):
        CASES.append((fn.__name__, opset, fn))
        return fn
    return wrap


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def vi(name, dtype, shape):
    return h.make_tensor_value_info(name, dtype, shape)


def graph(nodes, inputs, outputs, inits=()):
    """inputs: list of (name, numpy array); outputs: list of (name, onnx dtype[, shape])."""
    return (h.make_graph(nodes, "g", [vi(n, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[a.dtype], a.shape)
                                      for n, a in inputs],
                         [vi(o[0], o[1], o[2] if len(o) > 2 else None) for o in outputs], list(inits)),
            [a for _, a in inputs])


def randn(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


# --- opset 18 --------------------------------------------------------------------------------------------------
def reduce_case(op, axes, keepdims=1, noop=None, positive=False):
    def build(rng):
        x = randn(rng, 2, 3, 4)
        if positive:
            x = np.abs(x) + 0.1
        inputs = ["x"] + (["axes"] if axes is not None else [])
        attrs = {"keepdims": keepdims}
        if noop is not None:
            attrs["noop_with_empty_axes"] = noop
        inits = [const("axes", np.array(axes, np.int64))] if axes is not None else []
        return graph([h.make_node(op, inputs, ["y"], **attrs)], [("x", x)], [("y", T.FLOAT)], inits)
    return build


for _name, _op, _axes, _kw in [
        ("reduce_max_axes", "ReduceMax", [1], {"keepdims": 0}),
        ("reduce_min_neg_axes", "ReduceMin", [-1, 0], {}),
        ("reduce_mean_noop_empty", "ReduceMean", [], {"noop": 1}),
        ("reduce_mean_all", "ReduceMean", None, {"keepdims": 0}),
        ("reduce_prod_axes", "ReduceProd", [2], {}),
        ("reduce_l1_axes", "ReduceL1", [0, 2], {}),
        ("reduce_l2_all_noop0", "ReduceL2", [], {"noop": 0}),
        ("reduce_logsum_axes", "ReduceLogSum", [1], {"positive": True}),
        ("reduce_logsumexp_axes", "ReduceLogSumExp", [-2], {"keepdims": 0}),
        ("reduce_sumsquare_axes", "ReduceSumSquare", [1, 2], {})]:
    CASES.append((_name, 18, reduce_case(_op, _axes, **_kw)))


@case(18)
def reduce_max_axes_constant_node(rng):
    x = randn(rng, 3, 5)
    nodes = [h.make_node("Constant", [], ["axes"], value=const("v", np.array([1], np.int64))),
             h.make_node("ReduceMax", ["x", "axes"], ["y"])]
    return graph(nodes, [("x", x)], [("y", T.FLOAT)])


@case(18)
def split_num_outputs_even(rng):
    x = randn(rng, 2, 6)
    return graph([h.make_node("Split", ["x"], ["a", "b", "c"], axis=1, num_outputs=3)], [("x", x)],
                 [("a", T.FLOAT), ("b", T.FLOAT), ("c", T.FLOAT)])


@case(18)
def split_num_outputs_uneven(rng):
    x = randn(rng, 7, 2)
    return graph([h.make_node("Split", ["x"], ["a", "b", "c"], axis=0, num_outputs=3)], [("x", x)],
                 [("a", T.FLOAT), ("b", T.FLOAT), ("c", T.FLOAT)])


@case(18)
def pad_axes_reflect(rng):
    x = randn(rng, 2, 5, 6)
    inits = [const("pads", np.array([1, 2, 2, 0], np.int64)), const("axes", np.array([1, -1], np.int64))]
    return graph([h.make_node("Pad", ["x", "pads", "", "axes"], ["y"], mode="reflect")], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(18)
def pad_axes_constant_value(rng):
    x = randn(rng, 3, 4)
    inits = [const("pads", np.array([2, 1], np.int64)), const("cv", np.array(1.5, np.float32)),
             const("axes", np.array([0], np.int64))]
    return graph([h.make_node("Pad", ["x", "pads", "cv", "axes"], ["y"])], [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def resize_axes_scales_linear(rng):
    x = randn(rng, 1, 2, 4, 5)
    inits = [const("scales", np.array([2.0, 1.5], np.float32))]
    return graph([h.make_node("Resize", ["x", "", "scales"], ["y"], mode="linear", axes=[2, 3])], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(18)
def resize_axes_sizes_nearest(rng):
    x = randn(rng, 1, 2, 4, 5)
    inits = [const("sizes", np.array([7, 3], np.int64))]
    return graph([h.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="nearest", axes=[-1, 2])],
                 [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def resize_keep_aspect_not_larger(rng):
    x = randn(rng, 1, 1, 4, 6)
    inits = [const("sizes", np.array([8, 8], np.int64))]
    return graph([h.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="linear", axes=[2, 3],
                              keep_aspect_ratio_policy="not_larger")], [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def resize_keep_aspect_not_smaller(rng):
    x = randn(rng, 1, 1, 4, 6)
    inits = [const("sizes", np.array([1, 1, 8, 6], np.int64))]
    return graph([h.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="nearest",
                              keep_aspect_ratio_policy="not_smaller")], [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def resize_antialias_upscale(rng):
    x = randn(rng, 1, 1, 3, 4)
    inits = [const("scales", np.array([1, 1, 2, 2.5], np.float32))]
    return graph([h.make_node("Resize", ["x", "", "scales"], ["y"], mode="linear", antialias=1)], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(18)
def scatter_elements_max(rng):
    x = randn(rng, 3, 4)
    upd = randn(rng, 2, 4)
    inits = [const("idx", np.array([[0, 2, 1, 0], [0, 1, 1, 2]], np.int64))]
    return graph([h.make_node("ScatterElements", ["x", "idx", "u"], ["y"], axis=0, reduction="max")],
                 [("x", x), ("u", upd)], [("y", T.FLOAT)], inits)


@case(18)
def scatter_nd_min(rng):
    x = randn(rng, 4, 3)
    upd = randn(rng, 3, 3)
    inits = [const("idx", np.array([[1], [3], [1]], np.int64))]
    return graph([h.make_node("ScatterND", ["x", "idx", "u"], ["y"], reduction="min")], [("x", x), ("u", upd)],
                 [("y", T.FLOAT)], inits)


@case(18)
def lppool_ceil_mode(rng):
    x = randn(rng, 1, 2, 7, 6)
    return graph([h.make_node("LpPool", ["x"], ["y"], kernel_shape=[3, 2], strides=[2, 2], p=2, ceil_mode=1)],
                 [("x", x)], [("y", T.FLOAT)])


@case(18)
def lppool_dilations(rng):
    x = randn(rng, 1, 2, 8, 7)
    return graph([h.make_node("LpPool", ["x"], ["y"], kernel_shape=[2, 3], dilations=[3, 2], strides=[2, 1],
                              pads=[1, 0, 0, 1], p=3)], [("x", x)], [("y", T.FLOAT)])


@case(18)
def lppool_dilations_ceil_p2(rng):
    x = randn(rng, 1, 3, 10)
    return graph([h.make_node("LpPool", ["x"], ["y"], kernel_shape=[3], dilations=[2], strides=[3], ceil_mode=1)],
                 [("x", x)], [("y", T.FLOAT)])


@case(18)
def mish(rng):
    x = randn(rng, 3, 5) * 4
    return graph([h.make_node("Mish", ["x"], ["y"])], [("x", x)], [("y", T.FLOAT)])


@case(18)
def group_normalization_18(rng):
    x = randn(rng, 2, 6, 3, 2)
    inits = [const("scale", randn(rng, 3)), const("bias", randn(rng, 3))]
    return graph([h.make_node("GroupNormalization", ["x", "scale", "bias"], ["y"], num_groups=3, epsilon=1e-3)],
                 [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def center_crop_pad(rng):
    x = randn(rng, 5, 4, 3)
    inits = [const("shape", np.array([2, 7], np.int64))]
    return graph([h.make_node("CenterCropPad", ["x", "shape"], ["y"], axes=[0, 1])], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(18)
def center_crop_pad_all_axes(rng):
    x = randn(rng, 6, 3)
    inits = [const("shape", np.array([3, 6], np.int64))]
    return graph([h.make_node("CenterCropPad", ["x", "shape"], ["y"])], [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def bitwise_int32(rng):
    a = rng.integers(-2**31, 2**31 - 1, (3, 4), dtype=np.int32)
    b = rng.integers(-2**31, 2**31 - 1, (4,), dtype=np.int32)
    nodes = [h.make_node("BitwiseAnd", ["a", "b"], ["and"]), h.make_node("BitwiseOr", ["a", "b"], ["or"]),
             h.make_node("BitwiseXor", ["a", "b"], ["xor"]), h.make_node("BitwiseNot", ["a"], ["not"])]
    return graph(nodes, [("a", a), ("b", b)], [("and", T.INT32), ("or", T.INT32), ("xor", T.INT32),
                                               ("not", T.INT32)])


@case(18)
def bitwise_uint8(rng):
    a = rng.integers(0, 255, (2, 1, 3), dtype=np.uint8)
    b = rng.integers(0, 255, (4, 1), dtype=np.uint8)
    nodes = [h.make_node("BitwiseXor", ["a", "b"], ["x"]), h.make_node("BitwiseNot", ["x"], ["y"])]
    return graph(nodes, [("a", a), ("b", b)], [("y", T.UINT8)])


@case(18)
def col2im(rng):
    x = randn(rng, 2, 3 * 4, 16)  # C=3, block 2x2, blocks over a 5x5 image (stride 1, no pads): 4x4 = 16
    inits = [const("image", np.array([5, 5], np.int64)), const("block", np.array([2, 2], np.int64))]
    return graph([h.make_node("Col2Im", ["x", "image", "block"], ["y"])], [("x", x)], [("y", T.FLOAT)], inits)


@case(18)
def col2im_strided_padded_dilated(rng):
    # image 6x7, block 2x3, dilation (2,1), stride (2,2), pads (1,0,1,2):
    # rows (6+2-2-1)//2+1 = 3, cols (7+2-2-1)//2+1 = 4 -> 12 blocks
    x = randn(rng, 1, 2 * 6, 12)
    inits = [const("image", np.array([6, 7], np.int64)), const("block", np.array([2, 3], np.int64))]
    return graph([h.make_node("Col2Im", ["x", "image", "block"], ["y"], dilations=[2, 1], strides=[2, 2],
                              pads=[1, 0, 1, 2])], [("x", x)], [("y", T.FLOAT)], inits)


# --- opset 19 --------------------------------------------------------------------------------------------------
@case(19)
def cast_saturate(rng):
    x = randn(rng, 4, 3) * 100
    return graph([h.make_node("Cast", ["x"], ["y"], to=T.INT32, saturate=1)], [("x", x)], [("y", T.INT32)])


@case(19)
def average_pool_unit_dilations(rng):
    x = randn(rng, 1, 2, 6, 6)
    return graph([h.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], dilations=[1, 1],
                              pads=[1, 1, 1, 1], count_include_pad=0)], [("x", x)], [("y", T.FLOAT)])


@case(19)
def average_pool_dilations(rng):
    x = randn(rng, 1, 3, 7, 8)
    return graph([h.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 2], dilations=[2, 3],
                              strides=[1, 2], pads=[1, 0, 2, 1])], [("x", x)], [("y", T.FLOAT)])


@case(19)
def average_pool_dilations_count_pad(rng):
    x = randn(rng, 2, 2, 9)
    return graph([h.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3], dilations=[2], pads=[2, 1],
                              count_include_pad=1)], [("x", x)], [("y", T.FLOAT)])


@case(19)
def resize_opset19_cubic(rng):
    x = randn(rng, 1, 1, 4, 4)
    inits = [const("sizes", np.array([6, 5], np.int64))]
    return graph([h.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="cubic", axes=[2, 3])],
                 [("x", x)], [("y", T.FLOAT)], inits)


@case(19)
def reshape_identity_size_shape(rng):
    x = randn(rng, 2, 3, 4)
    inits = [const("shape", np.array([6, -1], np.int64))]
    nodes = [h.make_node("Reshape", ["x", "shape"], ["r"]), h.make_node("Identity", ["r"], ["y"]),
             h.make_node("Shape", ["r"], ["s"]), h.make_node("Size", ["x"], ["n"])]
    return graph(nodes, [("x", x)], [("y", T.FLOAT), ("s", T.INT64), ("n", T.INT64)], inits)


# --- opset 20 --------------------------------------------------------------------------------------------------
@case(20)
def gelu_none(rng):
    x = randn(rng, 3, 7) * 3
    return graph([h.make_node("Gelu", ["x"], ["y"])], [("x", x)], [("y", T.FLOAT)])


@case(20)
def gelu_tanh(rng):
    x = randn(rng, 3, 7) * 3
    return graph([h.make_node("Gelu", ["x"], ["y"], approximate="tanh")], [("x", x)], [("y", T.FLOAT)])


@case(20)
def reduce_max_opset20(rng):
    x = randn(rng, 4, 5)
    inits = [const("axes", np.array([0], np.int64))]
    return graph([h.make_node("ReduceMax", ["x", "axes"], ["y"], keepdims=0)], [("x", x)], [("y", T.FLOAT)],
                 inits)


@case(20)
def isinf_isnan_constant_of_shape(rng):
    x = randn(rng, 2, 4)
    x[0, 1] = np.inf
    x[1, 2] = -np.inf
    x[1, 3] = np.nan
    inits = [const("shape", np.array([2, 4], np.int64))]
    nodes = [h.make_node("IsInf", ["x"], ["inf"], detect_negative=0),
             h.make_node("IsNaN", ["x"], ["nan"]),
             h.make_node("ConstantOfShape", ["shape"], ["c"], value=const("v", np.array([3], np.int32)))]
    return graph(nodes, [("x", x)], [("inf", T.BOOL), ("nan", T.BOOL), ("c", T.INT32)], inits)


@case(19)
def pad_wrap(rng):
    x = randn(rng, 3, 4, 5)
    inits = [const("pads", np.array([1, 0, 3, 2, 0, 1], np.int64))]
    return graph([h.make_node("Pad", ["x", "pads"], ["y"], mode="wrap")], [("x", x)], [("y", T.FLOAT)], inits)


@case(19)
def pad_wrap_axes(rng):
    x = randn(rng, 2, 3)
    inits = [const("pads", np.array([2, 3], np.int64)), const("axes", np.array([-1], np.int64))]
    return graph([h.make_node("Pad", ["x", "pads", "", "axes"], ["y"], mode="wrap")], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(19)
def resize_half_pixel_symmetric_sizes(rng):
    x = randn(rng, 1, 1, 4, 5)
    inits = [const("sizes", np.array([1, 1, 7, 3], np.int64))]
    return graph([h.make_node("Resize", ["x", "", "", "sizes"], ["y"], mode="linear",
                              coordinate_transformation_mode="half_pixel_symmetric")], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(19)
def resize_half_pixel_symmetric_scales(rng):
    x = randn(rng, 1, 1, 4, 6)
    inits = [const("scales", np.array([2.0, 0.5], np.float32))]
    return graph([h.make_node("Resize", ["x", "", "scales"], ["y"], mode="cubic", axes=[2, 3],
                              coordinate_transformation_mode="half_pixel_symmetric")], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(20)
def affine_grid_2d(rng):
    theta = randn(rng, 2, 2, 3)
    inits = [const("size", np.array([2, 3, 4, 5], np.int64))]
    return graph([h.make_node("AffineGrid", ["theta", "size"], ["g"])], [("theta", theta)], [("g", T.FLOAT)],
                 inits)


@case(20)
def affine_grid_2d_align_corners(rng):
    theta = randn(rng, 1, 2, 3)
    inits = [const("size", np.array([1, 1, 3, 2], np.int64))]
    return graph([h.make_node("AffineGrid", ["theta", "size"], ["g"], align_corners=1)], [("theta", theta)],
                 [("g", T.FLOAT)], inits)


@case(20)
def affine_grid_3d(rng):
    theta = randn(rng, 1, 3, 4)
    inits = [const("size", np.array([1, 2, 2, 3, 4], np.int64))]
    return graph([h.make_node("AffineGrid", ["theta", "size"], ["g"], align_corners=1)], [("theta", theta)],
                 [("g", T.FLOAT)], inits)


@case(20)
def reduce_max_bool(rng):
    x = rng.integers(0, 2, (3, 4)).astype(bool)
    inits = [const("axes", np.array([1], np.int64))]
    nodes = [h.make_node("ReduceMax", ["x", "axes"], ["mx"], keepdims=0),
             h.make_node("ReduceMin", ["x", "axes"], ["mn"], keepdims=0)]
    return graph(nodes, [("x", x)], [("mx", T.BOOL), ("mn", T.BOOL)], inits)


# --- opset 21 --------------------------------------------------------------------------------------------------
@case(21)
def group_normalization_21(rng):
    x = randn(rng, 2, 4, 5)
    inits = [const("scale", randn(rng, 4)), const("bias", randn(rng, 4))]
    return graph([h.make_node("GroupNormalization", ["x", "scale", "bias"], ["y"], num_groups=2)], [("x", x)],
                 [("y", T.FLOAT)], inits)


@case(21)
def quantize_output_dtype_int8(rng):
    x = randn(rng, 3, 4) * 2
    inits = [const("scale", np.array(0.02, np.float32))]
    nodes = [h.make_node("QuantizeLinear", ["x", "scale"], ["q"], output_dtype=T.INT8),
             h.make_node("DequantizeLinear", ["q", "scale"], ["y"])]
    return graph(nodes, [("x", x)], [("q", T.INT8), ("y", T.FLOAT)], inits)


@case(21)
def quantize_per_axis_zero_point(rng):
    x = randn(rng, 2, 3)
    inits = [const("scale", np.array([0.01, 0.02, 0.05], np.float32)),
             const("zp", np.array([0, 10, 200], np.uint8))]
    nodes = [h.make_node("QuantizeLinear", ["x", "scale", "zp"], ["q"], axis=1),
             h.make_node("DequantizeLinear", ["q", "scale", "zp"], ["y"], axis=1)]
    return graph(nodes, [("x", x)], [("q", T.UINT8), ("y", T.FLOAT)], inits)


@case(21)
def shape_ops_opset21(rng):
    x = randn(rng, 2, 1, 3, 4)
    inits = [const("ax", np.array([1], np.int64)), const("ax0", np.array([0], np.int64)),
             const("pads", np.array([0, 1, 0, 1], np.int64))]
    nodes = [h.make_node("Squeeze", ["x", "ax"], ["s"]), h.make_node("Transpose", ["s"], ["t"], perm=[2, 0, 1]),
             h.make_node("Flatten", ["t"], ["f"], axis=1), h.make_node("Unsqueeze", ["f", "ax0"], ["u"]),
             h.make_node("Pad", ["f", "pads"], ["p"], mode="edge"),
             h.make_node("Cast", ["p"], ["c"], to=T.DOUBLE)]
    return graph(nodes, [("x", x)], [("u", T.FLOAT), ("c", T.DOUBLE)], inits)


@case(21)
def if_loop_opset21(rng):
    x = randn(rng, 3)
    then_g = h.make_graph([h.make_node("Neg", ["x"], ["t"])], "then", [], [vi("t", T.FLOAT, [3])])
    else_g = h.make_graph([h.make_node("Abs", ["x"], ["e"])], "else", [], [vi("e", T.FLOAT, [3])])
    body = h.make_graph([h.make_node("Identity", ["c_in"], ["c_out"]),
                         h.make_node("Add", ["acc_in", "x"], ["acc_out"])], "body",
                        [vi("i", T.INT64, []), vi("c_in", T.BOOL, []), vi("acc_in", T.FLOAT, [3])],
                        [vi("c_out", T.BOOL, []), vi("acc_out", T.FLOAT, [3])])
    inits = [const("cond", np.array(True)), const("trips", np.array(3, np.int64))]
    nodes = [h.make_node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g),
             h.make_node("Loop", ["trips", "cond", "y"], ["z"], body=body)]
    # libonnx leaves a Loop result whose carried value comes from an If untyped: the model declares it.
    return graph(nodes, [("x", x)], [("z", T.FLOAT, [3])], inits)


@case(18)
def reduce_inside_if_branch(rng):
    x = randn(rng, 3, 4)
    then_g = h.make_graph([h.make_node("Constant", [], ["ax"], value=const("v", np.array([1], np.int64))),
                           h.make_node("ReduceMax", ["x", "ax"], ["t"], keepdims=0)], "then", [],
                          [vi("t", T.FLOAT, [3])])
    else_g = h.make_graph([h.make_node("ReduceL1", ["x", "ax1"], ["e"], keepdims=0)], "else", [],
                          [vi("e", T.FLOAT, [3])])
    inits = [const("cond", np.array(False)), const("ax1", np.array([-1], np.int64))]
    return graph([h.make_node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g)], [("x", x)],
                 [("y", T.FLOAT, [3])], inits)


# --- opsets 23-24: the transformer ops of today's exporters -----------------------------------------------------
def linear(rng, name, x, n_in, n_out, nodes, inits):
    inits.append(const(name + "_w", randn(rng, n_in, n_out) / np.sqrt(n_in)))
    nodes.append(h.make_node("MatMul", [x, name + "_w"], [name]))
    return name


@case(23)
def llama_block_gqa_rope(rng):
    # A decoder block as PyTorch 2's exporter writes it at opset 23: RMSNorm, Q/K/V projections, rotary
    # embedding on 4-D heads, grouped-query causal Attention with a KV cache, output projection, residual.
    b, s, past, hq, hkv, d = 1, 4, 3, 4, 2, 8
    x = randn(rng, b, s, hq * d)
    pk, pv = randn(rng, b, hkv, past, d), randn(rng, b, hkv, past, d)
    pos = np.arange(past, past + s, dtype=np.int64).reshape(1, s)
    theta = np.outer(np.arange(16), 1.0 / 10000 ** (np.arange(0, d, 2) / d)).astype(np.float32)
    nodes, inits = [], [const("norm_w", 1 + 0.1 * randn(rng, hq * d)), const("cos", np.cos(theta)),
                        const("sin", np.sin(theta))]
    nodes.append(h.make_node("RMSNormalization", ["x", "norm_w"], ["xn"], epsilon=1e-6))
    for name, heads in (("q", hq), ("k", hkv), ("v", hkv)):
        linear(rng, name + "2d", "xn", hq * d, heads * d, nodes, inits)
        inits.append(const(name + "_shape", np.array([b, s, heads, d], np.int64)))
        nodes.append(h.make_node("Reshape", [name + "2d", name + "_shape"], [name + "4"]))
        nodes.append(h.make_node("Transpose", [name + "4"], [name + "h"], perm=[0, 2, 1, 3]))
    nodes.append(h.make_node("RotaryEmbedding", ["qh", "cos", "sin", "pos"], ["qr"]))
    nodes.append(h.make_node("RotaryEmbedding", ["kh", "cos", "sin", "pos"], ["kr"]))
    nodes.append(h.make_node("Attention", ["qr", "kr", "vh", "", "past_k", "past_v"], ["att", "present_k", "present_v"],
                             is_causal=1))
    nodes.append(h.make_node("Transpose", ["att"], ["att_t"], perm=[0, 2, 1, 3]))
    inits.append(const("o_shape", np.array([b, s, hq * d], np.int64)))
    nodes.append(h.make_node("Reshape", ["att_t", "o_shape"], ["att3"]))
    linear(rng, "o", "att3", hq * d, hq * d, nodes, inits)
    nodes.append(h.make_node("Add", ["x", "o"], ["y"]))
    return graph(nodes, [("x", x), ("past_k", pk), ("past_v", pv), ("pos", pos)],
                 [("y", T.FLOAT), ("present_k", T.FLOAT), ("present_v", T.FLOAT)], inits)


@case(23)
def bert_encoder_attention_3d(rng):
    # A BERT-style encoder layer with opset-23 Attention on 3-D inputs (heads from q_num_heads), a padding
    # mask as a bool input, LayerNormalization and a GELU feed-forward.
    b, s, heads, d = 2, 5, 4, 6
    hidden = heads * d
    x = randn(rng, b, s, hidden)
    mask = np.ones((b, 1, s, s), bool)
    mask[1, ..., 3:] = False
    nodes, inits = [], [const("ln_w", 1 + 0.1 * randn(rng, hidden)), const("ln_b", 0.1 * randn(rng, hidden)),
                        const("ln2_w", 1 + 0.1 * randn(rng, hidden)), const("ln2_b", 0.1 * randn(rng, hidden))]
    for name in ("q", "k", "v"):
        linear(rng, name, "x", hidden, hidden, nodes, inits)
    nodes.append(h.make_node("Attention", ["q", "k", "v", "mask"], ["att"], q_num_heads=heads, kv_num_heads=heads))
    linear(rng, "o", "att", hidden, hidden, nodes, inits)
    nodes.append(h.make_node("Add", ["x", "o"], ["r1"]))
    nodes.append(h.make_node("LayerNormalization", ["r1", "ln_w", "ln_b"], ["n1"], axis=-1))
    linear(rng, "ff1", "n1", hidden, 2 * hidden, nodes, inits)
    nodes.append(h.make_node("Gelu", ["ff1"], ["g"]))
    linear(rng, "ff2", "g", 2 * hidden, hidden, nodes, inits)
    nodes.append(h.make_node("Add", ["n1", "ff2"], ["r2"]))
    nodes.append(h.make_node("LayerNormalization", ["r2", "ln2_w", "ln2_b"], ["y"], axis=-1))
    return graph(nodes, [("x", x), ("mask", mask)], [("y", T.FLOAT)], inits)


@case(24)
def swiglu_mlp_swish(rng):
    # The gated MLP of Llama-style models with opset-24 Swish: down(swish(gate(x)) * up(x)).
    x = randn(rng, 3, 16)
    nodes, inits = [], []
    linear(rng, "gate", "x", 16, 32, nodes, inits)
    linear(rng, "up", "x", 16, 32, nodes, inits)
    nodes.append(h.make_node("Swish", ["gate"], ["act"], alpha=1.0))
    nodes.append(h.make_node("Mul", ["act", "up"], ["gated"]))
    linear(rng, "y", "gated", 32, 16, nodes, inits)
    return graph(nodes, [("x", x)], [("y", T.FLOAT)], inits)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    names = []
    for seed, (name, opset, build) in enumerate(CASES):
        rng = np.random.default_rng(1000 + seed)
        g, inputs = build(rng)
        model = h.make_model(g, opset_imports=[h.make_opsetid("", opset)], producer_name="gen_opset_models")
        model.ir_version = {18: 8, 19: 9, 20: 9, 21: 10, 23: 11, 24: 11}[opset]
        onnx.save(model, os.path.join(out_dir, name + ".onnx"))
        for i, a in enumerate(inputs):
            np.save(os.path.join(out_dir, "%s.input_%d.npy" % (name, i)), a)
        names.append("%s %d %d" % (name, opset, len(inputs)))
    with open(os.path.join(out_dir, "cases.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    print("%d models in %s" % (len(names), out_dir))


if __name__ == "__main__":
    main()
