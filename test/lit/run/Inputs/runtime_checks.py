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


CASES = [gather, gather_int32, gather_elements, gather_nd, scatter_elements, scatter_nd, onehot_depth, topk_k]


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
            args = [mcc_run, path] + files
            if refs is not None:
                for k, a in enumerate(refs):
                    np.save(os.path.join(rd, "ref", "output_%d.npy" % k), a)
                args += ["--reference", os.path.join(rd, "ref")]
            p = subprocess.run(args, capture_output=True, text=True)
            status = re.search(r"_run returned (\d+)", p.stderr)
            line = "%s/%s: exit %d" % (case.__name__, tag, p.returncode)
            if status:
                line += " status %s" % status.group(1)
            elif p.returncode != 0:
                line += ": " + p.stderr.strip().replace("\n", " | ")
            print(line)


if __name__ == "__main__":
    main()
