"""Builds models whose index and size inputs are checked when the model runs, runs each with mcc-run
on valid and invalid inputs, and prints one line per run: the case, mcc-run's exit code and, for a
failed run, the status it reported. Valid runs are compared with numpy references (exit 0 = match).

usage: runtime_checks.py MCC_RUN WORKDIR
       runtime_checks.py --gather-neg MODEL.onnx   (the model of runtime_checks_app.c)
"""
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

F32, I64, I32 = TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT32


def info(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def model(node, inputs, outputs, opset=13):
    graph = helper.make_graph([node], node.op_type.lower(), inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def gather():
    m = model(helper.make_node("Gather", ["x", "i"], ["y"], name="gather_rows", axis=0),
              [info("x", F32, [4, 3]), info("i", I64, [2])], [info("y", F32, [2, 3])])
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    runs = []
    for tag, i in [("negative_ok", [-1, 2]), ("last_and_first", [3, -4])]:
        i = np.array(i, np.int64)
        runs.append((tag, [x, i], [x[i]]))
    runs += [("too_big", [x, np.array([1, 1000000], np.int64)], None),
             ("too_negative", [x, np.array([-5, 0], np.int64)], None),
             ("int64_max", [x, np.array([0, 2**63 - 1], np.int64)], None),
             ("int64_min", [x, np.array([-2**63, 0], np.int64)], None)]
    return m, runs


def gather_int32():
    m = model(helper.make_node("Gather", ["x", "i"], ["y"], name="gather_cols", axis=1),
              [info("x", F32, [2, 3]), info("i", I32, [2, 2])], [info("y", F32, [2, 2, 2])])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    ok = np.array([[0, -1], [2, -3]], np.int32)
    return m, [("ok", [x, ok], [np.take(x, ok, axis=1)]),
               ("too_big", [x, np.array([[0, 3], [0, 0]], np.int32)], None)]


def gather_elements():
    m = model(helper.make_node("GatherElements", ["x", "i"], ["y"], name="ge", axis=1),
              [info("x", F32, [2, 3]), info("i", I64, [2, 2])], [info("y", F32, [2, 2])])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    ok = np.array([[0, 2], [-1, -3]], np.int64)
    return m, [("ok", [x, ok], [np.take_along_axis(x, ok % 3, axis=1)]),
               ("too_big", [x, np.array([[0, 3], [0, 0]], np.int64)], None)]


def gather_nd():
    m = model(helper.make_node("GatherND", ["x", "i"], ["y"], name="gnd"),
              [info("x", F32, [3, 2]), info("i", I64, [2, 2])], [info("y", F32, [2])])
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    ok = np.array([[2, 1], [-3, -1]], np.int64)
    # Each position of an index tuple has its own bound: 2 is fine first (3 rows), not second (2 cols).
    return m, [("ok", [x, ok], [x[ok[:, 0], ok[:, 1]]]),
               ("second_too_big", [x, np.array([[0, 2], [0, 0]], np.int64)], None),
               ("first_too_negative", [x, np.array([[0, 0], [-4, 0]], np.int64)], None)]


def scatter_elements():
    m = model(helper.make_node("ScatterElements", ["x", "i", "u"], ["y"], name="se", axis=0),
              [info("x", F32, [3, 3]), info("i", I64, [1, 3]), info("u", F32, [1, 3])], [info("y", F32, [3, 3])])
    x = np.zeros((3, 3), np.float32)
    u = np.array([[1, 2, 3]], np.float32)
    ref = x.copy()
    ref[1, 0], ref[0, 1], ref[2, 2] = 1, 2, 3
    return m, [("ok", [x, np.array([[1, -3, 2]], np.int64), u], [ref]),
               ("too_big", [x, np.array([[3, 0, 0]], np.int64), u], None)]


def scatter_nd():
    m = model(helper.make_node("ScatterND", ["x", "i", "u"], ["y"], name="snd"),
              [info("x", F32, [4]), info("i", I64, [2, 1]), info("u", F32, [2])], [info("y", F32, [4])])
    x = np.zeros(4, np.float32)
    u = np.array([5, 6], np.float32)
    return m, [("ok", [x, np.array([[1], [-1]], np.int64), u], [np.array([0, 5, 0, 6], np.float32)]),
               ("too_big", [x, np.array([[4], [0]], np.int64), u], None),
               ("too_negative", [x, np.array([[-5], [0]], np.int64), u], None)]


def onehot_depth():
    m = model(helper.make_node("OneHot", ["i", "depth", "values"], ["y"], name="oh"),
              [info("i", I64, [3]), info("depth", I64, []), info("values", F32, [2])], [info("y", F32, [3, 5])],
              opset=11)
    i = np.array([0, 4, 7], np.int64)  # 7 is outside [-5, 5): a row of off_value, as ONNX says
    values = np.array([0, 1], np.float32)
    ref = np.zeros((3, 5), np.float32)
    ref[0, 0] = ref[1, 4] = 1
    return m, [("ok", [i, np.array(5, np.int64), values], [ref]),
               ("other_depth", [i, np.array(6, np.int64), values], None)]


def topk_k():
    m = model(helper.make_node("TopK", ["x", "k"], ["v", "i"], name="topk"),
              [info("x", F32, [6]), info("k", I64, [1])], [info("v", F32, ["K"]), info("i", I64, ["K"])])
    x = np.array([3, 1, 4, 1, 5, 9], np.float32)
    return m, [("ok", [x, np.array([2], np.int64)], [np.array([9, 5], np.float32), np.array([5, 4], np.int64)]),
               ("k_too_big", [x, np.array([7], np.int64)], None),
               ("k_negative", [x, np.array([-1], np.int64)], None)]


def chain(node, inputs, y, opset):
    """The checked node writes output y; a Neg after it writes z: a failed check must write neither."""
    graph = helper.make_graph([node, helper.make_node("Neg", [y.name], ["z"], name="after")], node.op_type.lower(),
                              inputs, [y, info("z", y.type.tensor_type.elem_type,
                                               [d.dim_value for d in y.type.tensor_type.shape.dim])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def nll_loss():
    # ignore_index 5 lies outside [0, 3): such a class is skipped, any other outside is an error.
    m = chain(helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["y"], name="nll", reduction="none",
                               ignore_index=5),
              [info("x", F32, [3, 3]), info("t", I64, [3])], info("y", F32, [3]), 13)
    x = np.arange(9, dtype=np.float32).reshape(3, 3) - 4
    y = np.array([-x[0, 2], 0, -x[2, 0]], np.float32)
    return m, [("ok", [x, np.array([2, 5, 0], np.int64)], [y, -y]),
               ("too_big", [x, np.array([0, 3, 0], np.int64)], None),
               ("negative", [x, np.array([0, -1, 0], np.int64)], None)]


def softmax_ce_loss():
    m = chain(helper.make_node("SoftmaxCrossEntropyLoss", ["x", "t"], ["y"], name="sce", ignore_index=-100),
              [info("x", F32, [2, 3]), info("t", I32, [2])], info("y", F32, []), 13)
    x = np.array([[1, 2, 3], [0, 0, 0]], np.float32)
    logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    y = np.array(-logp[0, 1], np.float32)  # the mean over the one class not ignored
    return m, [("ok", [x, np.array([1, -100], np.int32)], [y, -y]),
               ("too_big", [x, np.array([1, 3], np.int32)], None),
               ("negative", [x, np.array([-1, 0], np.int32)], None)]


def roi_align():
    # Batch entry b of X is the constant b + 1: every sample of a roi inside the image is that value.
    m = chain(helper.make_node("RoiAlign", ["x", "rois", "b"], ["y"], name="roi", output_height=1, output_width=1,
                               sampling_ratio=2),
              [info("x", F32, [2, 1, 4, 4]), info("rois", F32, [2, 4]), info("b", I64, [2])],
              info("y", F32, [2, 1, 1, 1]), 16)
    x = np.stack([np.full((1, 4, 4), 1, np.float32), np.full((1, 4, 4), 2, np.float32)])
    rois = np.array([[1, 1, 3, 3], [0.5, 0.5, 2.5, 3]], np.float32)
    y = np.array([2, 1], np.float32).reshape(2, 1, 1, 1)
    return m, [("ok", [x, rois, np.array([1, 0], np.int64)], [y, -y]),
               ("too_big", [x, rois, np.array([0, 2], np.int64)], None),
               ("negative", [x, rois, np.array([-1, 0], np.int64)], None)]


def rnn_lens():
    # One hidden unit: h_t = tanh(0.5 x_t + 0.25 h_{t-1}); Y_h is h at each entry's last step.
    w, r = np.full((1, 1, 1), 0.5, np.float32), np.full((1, 1, 1), 0.25, np.float32)
    m = chain(helper.make_node("RNN", ["x", "w", "r", "", "lens"], ["", "y"], name="rnn", hidden_size=1),
              [info("x", F32, [3, 2, 1]), info("w", F32, [1, 1, 1]), info("r", F32, [1, 1, 1]),
               info("lens", I32, [2])], info("y", F32, [1, 2, 1]), 14)
    x = np.array([1, -1, 2, 0.5, -3, 4], np.float32).reshape(3, 2, 1)
    lens = np.array([3, 1], np.int32)
    y = np.zeros((1, 2, 1), np.float32)
    for b in range(2):
        h = 0.0
        for t in range(lens[b]):
            h = np.tanh(0.5 * x[t, b, 0] + 0.25 * h)
        y[0, b, 0] = h
    return m, [("ok", [x, w, r, lens], [y, -y]),
               ("too_long", [x, w, r, np.array([4, 1], np.int32)], None),
               ("negative", [x, w, r, np.array([2, -1], np.int32)], None)]


def reverse_sequence():
    m = chain(helper.make_node("ReverseSequence", ["x", "lens"], ["y"], name="rev", time_axis=0, batch_axis=1),
              [info("x", F32, [4, 2]), info("lens", I64, [2])], info("y", F32, [4, 2]), 10)
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    y = x.copy()
    y[:4, 0] = x[3::-1, 0]
    y[:1, 1] = x[0::-1, 1]
    return m, [("ok", [x, np.array([4, 1], np.int64)], [y, -y]),
               ("too_long", [x, np.array([5, 1], np.int64)], None),
               ("negative", [x, np.array([4, -1], np.int64)], None)]


def slice_runtime():
    # Starts, ends and steps given at run time; the result is compiled as 3 elements.
    m = chain(helper.make_node("Slice", ["x", "s", "e", "a", "st"], ["y"], name="slice"),
              [info("x", F32, [8]), info("s", I64, [1]), info("e", I64, [1]), info("a", I64, [1]),
               info("st", I64, [1])], info("y", F32, [3]), 13)
    x = np.arange(8, dtype=np.float32)
    a = np.array([0], np.int64)

    def run(tag, s, e, st, ok=True):
        inputs = [x, np.array([s], np.int64), np.array([e], np.int64), a, np.array([st], np.int64)]
        return (tag, inputs, [x[s:e:st], -x[s:e:st]] if ok else None)
    return m, [run("forward", 1, 7, 2), run("backward", -1, -8, -3), run("clamped", -100, 3, 1),
               run("int64_extremes", 2**63 - 1, -2**63, -3),
               run("too_long", 0, 8, 2, False), run("too_short", 6, 100, 1, False), run("backward_too_short", -1, -7, -3, False),
               run("zero_step", 0, 3, 0, False)]


def slice_runtime_axis():
    m = chain(helper.make_node("Slice", ["x", "s", "e", "a"], ["y"], name="slice"),
              [info("x", F32, [2, 4]), info("s", I64, [1]), info("e", I64, [1]), info("a", I64, [1])],
              info("y", F32, [2, 2]), 13)
    x = np.arange(8, dtype=np.float32).reshape(2, 4)

    def run(tag, s, e, axis, ref):
        inputs = [x, np.array([s], np.int64), np.array([e], np.int64), np.array([axis], np.int64)]
        return (tag, inputs, None if ref is None else [ref, -ref])
    return m, [run("last_axis", 1, 3, -1, x[:, 1:3]), run("axis_out_of_range", 1, 3, 2, None),
               run("other_axis", 0, 2, 0, None)]


def slice_runtime_end():
    # Starts, axes and steps constant, only the end given at run time.
    m = chain(helper.make_node("Slice", ["x", "s", "e", "a", "st"], ["y"], name="slice"),
              [info("x", F32, [8]), info("e", I64, [1])], info("y", F32, [3]), 13)
    m.graph.initializer.extend([helper.make_tensor(k, I64, [1], [v]) for k, v in [("s", 1), ("a", 0), ("st", 2)]])
    x = np.arange(8, dtype=np.float32)
    return m, [("ok", [x, np.array([6], np.int64)], [x[1:6:2], -x[1:6:2]]),
               ("too_long", [x, np.array([8], np.int64)], None)]


CASES = [gather, gather_int32, gather_elements, gather_nd, scatter_elements, scatter_nd, onehot_depth, topk_k,
         nll_loss, softmax_ce_loss, roi_align, rnn_lens, reverse_sequence, slice_runtime, slice_runtime_axis,
         slice_runtime_end]


def gather_neg(path):
    # y = Gather(x, i); z = Neg(y): with a bad index neither output may be written.
    graph = helper.make_graph(
        [helper.make_node("Gather", ["x", "i"], ["y"], name="pick", axis=0),
         helper.make_node("Neg", ["y"], ["z"], name="negate")], "gather_neg",
        [info("x", F32, [4, 3]), info("i", I64, [2])], [info("y", F32, [2, 3]), info("z", F32, [2, 3])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)


def main():
    if sys.argv[1] == "--gather-neg":
        return gather_neg(sys.argv[2])
    mcc_run, work = sys.argv[1], sys.argv[2]
    for case in CASES:
        m, runs = case()
        d = os.path.join(work, case.__name__)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "model.onnx")
        onnx.save(m, path)
        for tag, inputs, refs in runs:
            rd = os.path.join(d, tag)
            os.makedirs(os.path.join(rd, "ref"), exist_ok=True)
            files = []
            for k, a in enumerate(inputs):
                files.append(os.path.join(rd, "input_%d.npy" % k))
                np.save(files[-1], a)
            args = [mcc_run, path, "--poison-outputs"] + files
            if refs is not None:
                for k, a in enumerate(refs):
                    np.save(os.path.join(rd, "ref", "output_%d.npy" % k), a)
                args += ["--reference", os.path.join(rd, "ref")]
            p = subprocess.run(args, capture_output=True, text=True)
            status = re.search(r"_run returned (\d+)", p.stderr)
            line = "%s/%s: exit %d" % (case.__name__, tag, p.returncode)
            written = re.search(r"outputs written: ([^)]*)\)", p.stderr)
            if status:
                line += " status %s" % status.group(1)
                if written:
                    line += " written: " + written.group(1)
            elif p.returncode != 0:
                line += ": " + p.stderr.strip().replace("\n", " | ")
            print(line)


if __name__ == "__main__":
    main()
