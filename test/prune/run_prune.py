#!/usr/bin/env python3
"""Pruning end to end: --prune (magnitude, N:M, channels), the lossless sparse path, and bad input.

Usage:
    /usr/bin/python3 test/prune/run_prune.py --mcc BUILD/bin/mcc --mcc-run BUILD/bin/mcc-run --work DIR

Models are onnx.helper graphs with seeded random weights, made here. For each pruning the pruned model
is written with `mcc --emit=onnx`; ONNX Runtime ($MCC_ORT_PYTHON, default build/venv/bin/python3, running
tools/ort/ort_run.py) runs that model, and the object mcc compiles from the original model with the same
--prune must give the same outputs (mcc-run --reference). The emitted models are checked for what the
pruning promised: the share of zero weights, N of every M kept, the channels removed with the shapes
they feed (Conv -> BN -> Relu -> Conv, residual Add, Concat, depthwise chains, pooling into a Gemm).
The lossless path (channels that are exactly zero, mostly-zero weights in the sparse kernel) must
change no result: checked against ONNX Runtime on the original model, and against --no-sparse-kernels.
Prints PASS/FAIL per check; exit 1 when any fails.
"""
import argparse
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAILS = []


def check(ok, what, detail=""):
    print("%s %s%s" % ("PASS" if ok else "FAIL", what, "" if ok or not detail else "\n      " + detail))
    sys.stdout.flush()
    if not ok:
        FAILS.append(what)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                       timeout=600)
    return p.returncode, p.stdout


class Builder:
    """A graph under construction: float initializers from a seeded generator, nodes in order."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, base):
        self.count += 1
        return "%s%d" % (base, self.count)

    def const(self, array, base="w"):
        n = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(array, dtype=np.float32), n))
        return n

    def node(self, op, inputs, name=None, **attrs):
        out = self.name(op.lower() + "_out")
        self.nodes.append(helper.make_node(op, inputs, [out], name=name or self.name(op.lower()), **attrs))
        return out

    def conv(self, x, cin, cout, k=3, group=1, name=None, zero_rows=(), bias=True):
        w = self.rng.standard_normal((cout, cin // group, k, k)).astype(np.float32) * 0.3
        b = self.rng.standard_normal(cout).astype(np.float32) * 0.1
        for r in zero_rows:
            w[r] = 0
            b[r] = 0
        bias_in = bias if isinstance(bias, str) else self.const(b, "b") if bias else None
        ins = [x, self.const(w)] + ([bias_in] if bias_in else [])
        return self.node("Conv", ins, name=name, kernel_shape=[k, k], pads=[k // 2] * 4, group=group)

    def bn(self, x, c, shift_free=()):
        scale = self.rng.uniform(0.5, 1.5, c)
        beta = self.rng.standard_normal(c) * 0.1
        mean = self.rng.standard_normal(c) * 0.1
        var = self.rng.uniform(0.5, 1.5, c)
        for r in shift_free:  # BN(0) = 0 on these channels
            beta[r], mean[r] = 0.0, 0.0
        return self.node("BatchNormalization", [x, self.const(scale, "s"), self.const(beta, "bb"),
                                                 self.const(mean, "m"), self.const(var, "v")], epsilon=1e-5)

    def model(self, path, x_shape, out, out_shape):
        g = helper.make_graph(self.nodes, os.path.basename(path).split(".")[0],
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, out_shape)], self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 7
        onnx.checker.check_model(m)
        onnx.save(m, path)
        return path


def conv_bn_relu_conv(path, zero=False):
    b = Builder(1)
    y = b.conv("x", 3, 16, name="conv1", zero_rows=(1, 4, 5, 9) if zero else ())
    y = b.bn(y, 16, shift_free=(1, 4, 9) if zero else ())  # channel 5 is shifted by its BN: not zero
    y = b.node("Relu", [y])
    y = b.conv(y, 16, 8, name="conv2")
    return b.model(path, [1, 3, 12, 12], y, [1, 8, 12, 12])


def residual(path):
    b = Builder(2)
    stem = b.node("Relu", [b.conv("x", 3, 16, name="stem")])
    # One bias shared through Identity nodes, as PyTorch exports equal constants: sliced per conv.
    shared = b.const(b.rng.standard_normal(16) * 0.1, "shared_bias")
    y = b.node("Relu", [b.bn(b.conv(stem, 16, 16, name="block_a", bias=b.node("Identity", [shared])), 16)])
    y = b.bn(b.conv(y, 16, 16, name="block_b", bias=b.node("Identity", [shared])), 16)
    y = b.node("Relu", [b.node("Add", [y, stem])])
    y = b.conv(y, 16, 8, name="head")
    return b.model(path, [1, 3, 10, 10], y, [1, 8, 10, 10])


def concat(path):
    b = Builder(3)
    left = b.node("Relu", [b.conv("x", 3, 12, name="left")])
    right = b.node("Relu", [b.conv("x", 3, 8, k=1, name="right")])
    y = b.node("Concat", [left, right], axis=1)
    y = b.node("Relu", [b.bn(y, 20)])
    y = b.conv(y, 20, 6, name="fuse")
    return b.model(path, [1, 3, 9, 9], y, [1, 6, 9, 9])


def depthwise(path):
    b = Builder(4)
    y = b.conv("x", 3, 16, k=1, name="expand")
    y = b.node("Clip", [b.bn(y, 16), b.const(np.float32(0), "lo"), b.const(np.float32(6), "hi")])
    y = b.node("Relu", [b.bn(b.conv(y, 16, 16, group=16, name="dw"), 16)])
    y = b.conv(y, 16, 8, k=1, name="project")
    return b.model(path, [1, 3, 11, 11], y, [1, 8, 11, 11])


def pooled_head(path):
    b = Builder(5)
    y = b.node("Relu", [b.conv("x", 3, 24, name="features")])
    y = b.node("Flatten", [b.node("GlobalAveragePool", [y])], axis=1)
    y = b.node("Gemm", [y, b.const(b.rng.standard_normal((10, 24)) * 0.3), b.const(b.rng.standard_normal(10), "b")],
               name="classifier", transB=1)
    return b.model(path, [2, 3, 8, 8], y, [2, 10])


def mlp(path, sparsity, block, rows=4):
    """784-256-256-10 on `rows` rows with `sparsity` of its weights zero (in 1 x `block` blocks along the
    outputs)."""
    b = Builder(6)
    y, sizes = "x", [784, 256, 256, 10]
    for i in range(3):
        w = b.rng.standard_normal((sizes[i], sizes[i + 1])).astype(np.float32) * 0.05
        keep = b.rng.random((sizes[i], (sizes[i + 1] + block - 1) // block)) >= sparsity
        w *= np.repeat(keep, block, axis=1)[:, :sizes[i + 1]]
        y = b.node("Gemm", [y, b.const(w), b.const(b.rng.standard_normal(sizes[i + 1]) * 0.1, "b")],
                   name="fc%d" % (i + 1))
        if i < 2:
            y = b.node("Relu", [y])
    return b.model(path, [rows, 784], y, [rows, 10])


def sparse_pointwise(path):
    """3x3 stem, then a 1x1 conv (64 -> 48) with 90% of its weights zero, scattered, and a residual."""
    b = Builder(8)
    y = b.node("Relu", [b.conv("x", 3, 64, name="stem")])
    w = b.rng.standard_normal((48, 64, 1, 1)).astype(np.float32) * 0.2
    w *= b.rng.random(w.shape) < 0.1
    y = b.node("Conv", [y, b.const(w), b.const(b.rng.standard_normal(48) * 0.1, "b")], name="pointwise",
               kernel_shape=[1, 1])
    y = b.node("Relu", [b.node("Add", [y, b.const(b.rng.standard_normal((1, 48, 14, 14)) * 0.1, "r")])])
    return b.model(path, [1, 3, 14, 14], y, [1, 48, 14, 14])


def no_weights(path):
    b = Builder(7)
    y = b.node("Relu", ["x"])
    return b.model(path, [1, 4], y, [1, 4])


def initializers(path):
    return {t.name: numpy_helper.to_array(t) for t in onnx.load(path).graph.initializer}


def weights_by_node(path):
    m = onnx.load(path)
    inits = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    return {n.name: inits[n.input[1]] for n in m.graph.node if n.op_type in ("Conv", "Gemm", "MatMul")}


def make_input(work, name, shape, seed):
    path = os.path.join(work, name + ".x.npy")
    np.save(path, np.random.default_rng(seed).standard_normal(shape).astype(np.float32))
    return path


def against_ort(args, label, model_for_ort, model_for_mcc, x, mcc_flags):
    """ONNX Runtime on `model_for_ort` vs the object mcc compiles from `model_for_mcc` with `mcc_flags`."""
    ref = os.path.join(args.work, label + ".ort")
    os.makedirs(ref, exist_ok=True)
    rc, out = run([args.ort_python, os.path.join(ROOT, "tools", "ort", "ort_run.py"), model_for_ort, ref, x])
    if rc != 0:
        check(False, label + ": ONNX Runtime runs the model", out[-400:])
        return
    rc, out = run([args.mcc_run, model_for_mcc] + mcc_flags + ["--input", "x=" + x, "--reference", ref,
                                                              "--rtol", "1e-3", "--atol", "1e-4"])
    check(rc == 0, label + ": mcc " + " ".join(mcc_flags) + " equals ONNX Runtime on the emitted model",
          out[-600:])


def emit(args, model, flags, out):
    rc, text = run([args.mcc, model] + flags + ["--emit=onnx", "-o", out])
    check(rc == 0 and os.path.exists(out), os.path.basename(out) + ": --emit=onnx " + " ".join(flags), text[-400:])
    if rc == 0:
        onnx.checker.check_model(onnx.load(out))
    return rc == 0


def channel_cases(args):
    cases = [("conv_bn_relu_conv", conv_bn_relu_conv, [1, 3, 12, 12],
              {"conv1": (8, None), "conv2": (8, 8)}),
             ("residual", residual, [1, 3, 10, 10], {"stem": (8, None), "block_a": (8, 8), "block_b": (8, 8),
                                                    "head": (8, 8)}),
             ("concat", concat, [1, 3, 9, 9], {"left": (6, None), "right": (4, None), "fuse": (6, 10)}),
             ("depthwise", depthwise, [1, 3, 11, 11], {"expand": (8, None), "dw": (8, 1), "project": (8, 8)}),
             ("pooled_head", pooled_head, [2, 3, 8, 8], {"features": (12, None), "classifier": (10, 12)})]
    for name, make, shape, want in cases:
        src = make(os.path.join(args.work, name + ".onnx"))
        pruned = os.path.join(args.work, name + ".pruned.onnx")
        flags = ["--prune=channels:0.5"]
        if not emit(args, src, flags, pruned):
            continue
        w = weights_by_node(pruned)
        dims = {k: (v.shape[0], v.shape[1] if v.ndim > 1 else None) for k, v in w.items()}
        for node, (out_ch, in_ch) in want.items():
            got = dims.get(node)
            # The last layer keeps its outputs (they are the graph's); pooled Gemm weights are [N, K].
            ok = got is not None and got[0] == out_ch and (in_ch is None or got[1] == in_ch)
            check(ok, "%s: %s keeps %s filters%s" % (name, node, out_ch,
                                                    "" if in_ch is None else " of %d inputs" % in_ch),
                  "got %s" % (got,))
        if name == "depthwise":
            groups = [a.i for n in onnx.load(pruned).graph.node if n.name == "dw" for a in n.attribute
                      if a.name == "group"]
            check(groups == [8], "depthwise: dw group follows its channels", "got %s" % groups)
        x = make_input(args.work, name, shape, 11)
        against_ort(args, name, pruned, src, x, flags)


def magnitude_cases(args):
    src = conv_bn_relu_conv(os.path.join(args.work, "mag.onnx"))
    x = make_input(args.work, "mag", [1, 3, 12, 12], 12)
    for flags, label in ((["--prune=magnitude:0.6"], "per layer"), (["--prune=magnitude:0.6:global"], "global"),
                         (["--prune=2:4"], "2:4"), (["--prune=magnitude:0.6", "--prune-exclude", "conv2"], "exclude")):
        out = os.path.join(args.work, "mag_%s.pruned.onnx" % label.replace(" ", "_").replace(":", "of"))
        if not emit(args, src, flags, out):
            continue
        before, after = weights_by_node(src), weights_by_node(out)
        if label == "per layer":
            for node in ("conv1", "conv2"):
                share = float(np.mean(after[node] == 0))
                check(abs(share - 0.6) < 0.01, "magnitude:0.6: %s is 60%% zero" % node, "got %.3f" % share)
                kept = np.abs(after[node][after[node] != 0]).min()
                dropped = np.abs(before[node][after[node] == 0]).max()
                check(kept >= dropped, "magnitude:0.6: %s zeroes the smallest weights" % node)
        elif label == "global":
            total = sum(v.size for v in after.values())
            share = sum(float(np.sum(v == 0)) for v in after.values()) / total
            check(abs(share - 0.6) < 0.01, "magnitude:0.6:global: 60% of all weights zero", "got %.3f" % share)
        elif label == "2:4":
            for node, w in after.items():
                groups = w.reshape(w.shape[0], -1)
                groups = groups[:, :groups.shape[1] // 4 * 4].reshape(w.shape[0], -1, 4)
                check(bool(np.all(np.sum(groups != 0, axis=2) <= 2)), "2:4: %s keeps at most 2 of every 4" % node)
        else:
            check(np.array_equal(after["conv2"], before["conv2"]) and float(np.mean(after["conv1"] == 0)) > 0.59,
                  "--prune-exclude conv2: conv2 untouched, conv1 pruned")
        against_ort(args, "mag_" + label.replace(" ", "_").replace(":", "of"), out, src, x, flags)


def lossless_cases(args):
    # Exactly-zero channels (zero filter, zero bias, BN(0) = 0) are removed without any flag; channel 5
    # is zero before its BN but shifted by it, so it stays.
    src = conv_bn_relu_conv(os.path.join(args.work, "zero.onnx"), zero=True)
    out = os.path.join(args.work, "zero.pruned.onnx")
    if emit(args, src, [], out):
        w = weights_by_node(out)
        check(w["conv1"].shape[0] == 13 and w["conv2"].shape[1] == 13,
              "lossless: the 3 zero channels removed, the BN-shifted one kept",
              "conv1 %s conv2 %s" % (w["conv1"].shape, w["conv2"].shape))
    x = make_input(args.work, "zero", [1, 3, 12, 12], 13)
    against_ort(args, "zero", src, src, x, [])
    rc, text = run([args.mcc, src, "-v", "-o", os.path.join(args.work, "zero.o")])
    check(rc == 0 and "mcc: prune: node 'conv1' (Conv): 16 -> 13 filters" in text, "lossless: -v reports it",
          text[-600:])

    # A 90%-sparse MLP in 1 x 16 blocks goes through the sparse kernel (-v says so) and gives ONNX
    # Runtime's results; so does the dense build of it.
    src = mlp(os.path.join(args.work, "mlp90.onnx"), 0.9, 16)
    x = make_input(args.work, "mlp90", [4, 784], 14)
    rc, text = run([args.mcc, src, "-v", "-o", os.path.join(args.work, "mlp90.o")])
    chosen = re.findall(r"node '(fc\d)'.*layout sparse 1x(\d+)", text)
    check(rc == 0 and [c[0] for c in chosen] == ["fc1", "fc2", "fc3"], "sparse MLP: -v reports its layers as sparse",
          text[-800:])
    against_ort(args, "mlp90", src, src, x, [])
    against_ort(args, "mlp90_dense", src, src, x, ["--no-sparse-kernels"])

    # Scattered zeros: the column layout once there are a vector's worth of rows (64 here).
    src = mlp(os.path.join(args.work, "mlp90s.onnx"), 0.9, 1, rows=64)
    x = make_input(args.work, "mlp90s", [64, 784], 15)
    rc, text = run([args.mcc, src, "-v", "-o", os.path.join(args.work, "mlp90s.o")])
    chosen = re.findall(r"node '(fc\d)'.*layout sparse 1x1,", text)
    check(rc == 0 and chosen == ["fc1", "fc2", "fc3"], "scattered MLP: -v reports the column layout", text[-800:])
    against_ort(args, "mlp90s", src, src, x, [])

    # A 1x1 convolution with 90% of its weights zero runs the sparse convolution.
    src = sparse_pointwise(os.path.join(args.work, "pointwise.onnx"))
    x = make_input(args.work, "pointwise", [1, 3, 14, 14], 16)
    rc, text = run([args.mcc, src, "-v", "-o", os.path.join(args.work, "pointwise.o")])
    check(rc == 0 and re.search(r"node 'pointwise' \(Conv\): conv 48x64 1x1: .*layout sparse 1x1", text) is not None,
          "sparse 1x1 conv: -v reports it", text[-800:])
    against_ort(args, "pointwise", src, src, x, [])


def bad_input(args):
    src = conv_bn_relu_conv(os.path.join(args.work, "bad.onnx"))
    rc, text = run([args.mcc, src, "--prune=magnitude:1.5", "-o", os.path.join(args.work, "bad.o")])
    check(rc != 0 and "--prune=magnitude:1.5: the sparsity S must be a number in [0, 1), got '1.5'" in text,
          "bad input: --prune=magnitude:1.5", text[-400:])
    rc, text = run([args.mcc, src, "--prune=3:2", "-o", os.path.join(args.work, "bad.o")])
    check(rc != 0 and "N:M needs 0 < N < M" in text, "bad input: --prune=3:2", text[-400:])
    rc, text = run([args.mcc, src, "--prune=magnitude:0.5", "--prune-exclude", "conv1,nosuch",
                    "-o", os.path.join(args.work, "bad.o")])
    check(rc != 0 and "--prune-exclude: the model has no node 'nosuch'" in text, "bad input: unknown node in "
          "--prune-exclude", text[-400:])
    nothing = no_weights(os.path.join(args.work, "nothing.onnx"))
    rc, text = run([args.mcc, nothing, "--prune=magnitude:0.5", "-o", os.path.join(args.work, "bad.o")])
    check(rc != 0 and "nothing to prune" in text and text.count("\n") == 1, "bad input: a model with nothing to "
          "prune", text[-400:])
    check(not os.path.exists(os.path.join(args.work, "bad.o")), "bad input: no object written")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcc", required=True)
    ap.add_argument("--mcc-run", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--ort-python", default=os.environ.get("MCC_ORT_PYTHON",
                                                           os.path.join(ROOT, "build", "venv", "bin", "python3")))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    channel_cases(args)
    magnitude_cases(args)
    lossless_cases(args)
    bad_input(args)
    print("%d failed" % len(FAILS))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
