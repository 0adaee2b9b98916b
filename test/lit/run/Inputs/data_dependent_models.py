"""Models whose output shapes depend on the data, with numpy references, for compile-and-run tests.

usage: data_dependent_models.py NAME DIR   writes DIR/model.onnx, DIR/input_<i>.npy, DIR/ref/output_<i>.npy
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

F, I64, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


def vi(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def nonzero(d):
    # Row-major order of the coordinates; NaN and -0.0 follow numpy (non-zero and zero).
    x = np.array([[[0, 1.5, 0], [np.nan, 0, -0.0]], [[2, 0, 0], [0, 0, 3]]], np.float32)
    graph = helper.make_graph([helper.make_node("NonZero", ["x"], ["y"], name="nz")], "nonzero",
                              [vi("x", F, [2, 2, 3])], [vi("y", I64, [3, "n"])])
    return graph, [x], [np.array(np.nonzero(x), np.int64)]


def nonzero_none(d):
    x = np.zeros((3, 2), np.int32)
    graph = helper.make_graph([helper.make_node("NonZero", ["x"], ["y"], name="nz")], "nonzero_none",
                              [vi("x", TensorProto.INT32, [3, 2])], [vi("y", I64, [2, "n"])])
    return graph, [x], [np.zeros((2, 0), np.int64)]


def _unique_ref(x, axis, sorted_):
    y, idx, inv, cnt = np.unique(x, axis=axis, return_index=True, return_inverse=True, return_counts=True)
    if not sorted_:
        # first-occurrence order: unique entries by their first index
        order = np.argsort(idx, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        y = np.take(y, order, axis=0 if axis is None else axis)
        idx, cnt, inv = idx[order], cnt[order], rank[inv.reshape(-1)]
    return [y, idx.astype(np.int64), inv.reshape(-1).astype(np.int64), cnt.astype(np.int64)]


def unique_unsorted(d):
    x = np.array([[2, -1, 2], [7, -1, 0], [0, 5, 2]], np.int32)
    node = helper.make_node("Unique", ["x"], ["y", "indices", "inverse", "counts"], name="u", sorted=0)
    graph = helper.make_graph([node], "unique_unsorted", [vi("x", TensorProto.INT32, [3, 3])],
                              [vi("y", TensorProto.INT32, ["n"]), vi("indices", I64, ["n"]),
                               vi("inverse", I64, [9]), vi("counts", I64, ["n"])])
    return graph, [x], _unique_ref(x, None, False)


def unique_axis(d):
    # Slices along axis 1 compared whole, sorted lexicographically; only Y and counts requested.
    x = np.array([[[1, 0], [0, 1], [1, 0], [0, 0]], [[3, 3], [2, 2], [3, 3], [2, 9]]], np.float32)
    node = helper.make_node("Unique", ["x"], ["y", "", "", "counts"], name="u", axis=-2)
    graph = helper.make_graph([node], "unique_axis", [vi("x", F, [2, 4, 2])],
                              [vi("y", F, [2, "n", 2]), vi("counts", I64, ["n"])])
    ref = _unique_ref(x, 1, True)
    return graph, [x], [ref[0], ref[3]]


def _nms_ref(boxes, scores, max_out, iou_thr, score_thr):
    # Greedy per batch and class, as the ONNX spec: score descending (ties by index), IoU > threshold
    # with an already kept box suppresses; boxes are center-point [xc, yc, w, h].
    def corners(b):
        return b[1] - b[3] / 2, b[0] - b[2] / 2, b[1] + b[3] / 2, b[0] + b[2] / 2

    def iou(a, b):
        (ay0, ax0, ay1, ax1), (by0, bx0, by1, bx1) = corners(a), corners(b)
        inter = max(0.0, min(ay1, by1) - max(ay0, by0)) * max(0.0, min(ax1, bx1) - max(ax0, bx0))
        union = (ay1 - ay0) * (ax1 - ax0) + (by1 - by0) * (bx1 - bx0) - inter
        return inter / union if inter > 0 and union > 0 else 0.0

    rows = []
    for b in range(scores.shape[0]):
        for c in range(scores.shape[1]):
            order = sorted((i for i in range(scores.shape[2]) if scores[b, c, i] > score_thr),
                           key=lambda i: (-scores[b, c, i], i))
            kept = []
            for i in order:
                if len(kept) < max_out and all(iou(boxes[b, k], boxes[b, i]) <= iou_thr for k in kept):
                    kept.append(i)
            rows += [[b, c, i] for i in kept]
    return np.array(rows, np.int64).reshape(-1, 3)


def unique_nan(d):
    # NaN sorts after every number and all NaNs are one unique value (numpy's equal_nan).
    x = np.array([1, np.nan, 0, np.nan, 2, 1], np.float32)
    node = helper.make_node("Unique", ["x"], ["y", "indices", "inverse", "counts"], name="u")
    graph = helper.make_graph([node], "unique_nan", [vi("x", F, [6])],
                              [vi("y", F, ["n"]), vi("indices", I64, ["n"]), vi("inverse", I64, [6]),
                               vi("counts", I64, ["n"])])
    ref = [np.array([0, 1, 2, np.nan], np.float32), np.array([2, 0, 4, 1], np.int64),
           np.array([1, 3, 0, 3, 2, 1], np.int64), np.array([1, 2, 1, 2], np.int64)]
    return graph, [x], ref


def nms(d):
    # Two batches, two classes, center-point boxes; score_threshold drops one box, IoU > 0.4 suppresses.
    boxes = np.array([[[0.5, 0.5, 1.0, 1.0], [0.5, 0.6, 1.0, 1.0], [0.5, 0.4, 1.0, 1.0],
                       [0.5, 10.5, 1.0, 1.0], [0.5, 10.6, 1.0, 1.0], [0.5, 100.5, 1.0, 1.0]]] * 2, np.float32)
    scores = np.array([[[0.9, 0.75, 0.6, 0.95, 0.5, 0.3], [0.1, 0.2, 0.3, 0.2, 0.3, 0.05]],
                       [[0.3, 0.3, 0.3, 0.3, 0.3, 0.3], [0.9, 0.9, 0.1, 0.0, 0.0, 0.0]]], np.float32)
    node = helper.make_node("NonMaxSuppression", ["boxes", "scores", "max", "iou", "score"], ["selected"],
                            name="nms", center_point_box=1)
    graph = helper.make_graph([node], "nms",
                              [vi("boxes", F, [2, 6, 4]), vi("scores", F, [2, 2, 6]), vi("max", I64, [1]),
                               vi("iou", F, [1]), vi("score", F, [1])],
                              [vi("selected", I64, ["n", 3])])
    ref = _nms_ref(boxes, scores, 3, 0.4, 0.06)
    return graph, [boxes, scores, np.array([3], np.int64), np.array([0.4], np.float32),
                   np.array([0.06], np.float32)], [ref]


def nms_no_max(d):
    # max_output_boxes_per_class omitted: 0 boxes per class, an empty [0, 3] result.
    boxes = np.array([[[0, 0, 1, 1], [0, 2, 1, 3]]], np.float32)
    scores = np.array([[[0.9, 0.8]]], np.float32)
    node = helper.make_node("NonMaxSuppression", ["boxes", "scores"], ["selected"], name="nms")
    graph = helper.make_graph([node], "nms_no_max", [vi("boxes", F, [1, 2, 4]), vi("scores", F, [1, 1, 2])],
                              [vi("selected", I64, ["n", 3])])
    return graph, [boxes, scores], [np.zeros((0, 3), np.int64)]


def compress(d):
    # A run-time condition: shorter than the axis (the rest is dropped), kept rows in order.
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    cond = np.array([True, False, True], np.bool_)
    node = helper.make_node("Compress", ["x", "cond"], ["y"], name="c", axis=0)
    graph = helper.make_graph([node], "compress", [vi("x", F, [4, 3]), vi("cond", B, [3])],
                              [vi("y", F, [2, 3])])
    return graph, [x, cond], [x[[0, 2]]]


def topk_runtime_k(d):
    # K is a graph input: the declared [3, 3] is not trusted; the run reports [3, 2].
    x = np.array([[0, 1, 2, 3], [4, 5, 6, 7], [11, 10, 9, 8]], np.float32)
    node = helper.make_node("TopK", ["x", "k"], ["values", "indices"], name="topk", axis=1)
    graph = helper.make_graph([node], "topk_runtime_k", [vi("x", F, [3, 4]), vi("k", I64, [1])],
                              [vi("values", F, [3, 3]), vi("indices", I64, [3, 3])])
    order = np.argsort(-x, axis=1, kind="stable")[:, :2]
    return graph, [x, np.array([2], np.int64)], [np.take_along_axis(x, order, 1), order.astype(np.int64)]


def nonzero_feeds_transpose(d):
    graph = helper.make_graph([helper.make_node("NonZero", ["x"], ["nzout"], name="nz"),
                               helper.make_node("Transpose", ["nzout"], ["y"], name="tr")],
                              "nonzero_feeds_transpose", [vi("x", F, [4])], [vi("y", I64, ["a", "b"])])
    return graph, [np.ones(4, np.float32)], [np.zeros((4, 1), np.int64)]


def nonzero_dims_name(d):
    # An output already named like the shape field of another: the shape field moves aside.
    x = np.array([[0, 1], [1, 1]], np.uint8)
    graph = helper.make_graph([helper.make_node("NonZero", ["x"], ["y"], name="nz"),
                               helper.make_node("Identity", ["x"], ["y_dims"], name="id")],
                              "nonzero_dims_name", [vi("x", TensorProto.UINT8, [2, 2])],
                              [vi("y", I64, [2, "n"]), vi("y_dims", TensorProto.UINT8, [2, 2])])
    return graph, [x], [np.array(np.nonzero(x), np.int64), x]


MODELS = {f.__name__: f for f in [nonzero, nonzero_none, unique_unsorted, unique_axis, unique_nan, nms, nms_no_max, compress,
                                  topk_runtime_k, nonzero_feeds_transpose, nonzero_dims_name]}

if __name__ == "__main__":
    name, out = sys.argv[1], sys.argv[2]
    graph, inputs, outputs = MODELS[name](out)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    os.makedirs(os.path.join(out, "ref"), exist_ok=True)
    onnx.save(model, os.path.join(out, "model.onnx"))
    for i, a in enumerate(inputs):
        np.save(os.path.join(out, "input_%d.npy" % i), a)
    for i, a in enumerate(outputs):
        np.save(os.path.join(out, "ref", "output_%d.npy" % i), a)
