#!/usr/bin/env python3
"""Sparse and pruned builds against their dense builds: A/B latency ratios, alternated in one process.

Usage:
    /usr/bin/python3 bench/prune_ab.py --mcc build/bin/mcc --work DIR [--rounds 15] [--only NAME,...]

Each row compiles two shared objects with `mcc --emit=shared` (A: the dense build, B: the sparse or
pruned one) and calls them through ctypes in turns, A then B, `--rounds` times; a round times several
runs of each. The ratio is A's best round over B's best round, so load from other processes on a shared
machine hits both alike. Models (seeded, made here): a 784-512-512-10 MLP and the linear layers of a
BERT-base encoder layer (seq 128, hidden 768, FFN 3072), each with 90% of its weights zero in 1 x 16
blocks or scattered; torchvision ResNet-18 against its `--prune=channels:0.5` build.
"""
import argparse
import ctypes
import os
import re
import subprocess
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def mlp(path, sparsity, block, batch):
    rng = np.random.default_rng(1)
    sizes, nodes, inits, y = [784, 512, 512, 10], [], [], "x"
    for i in range(3):
        w = (rng.standard_normal((sizes[i], sizes[i + 1])) * 0.05).astype(np.float32)
        w = sparsify(rng, w, sparsity, block)
        inits += [numpy_helper.from_array(w, "w%d" % i),
                  numpy_helper.from_array(rng.standard_normal(sizes[i + 1]).astype(np.float32) * 0.1, "b%d" % i)]
        nodes.append(helper.make_node("Gemm", [y, "w%d" % i, "b%d" % i], ["g%d" % i], name="fc%d" % i))
        y = "g%d" % i
        if i < 2:
            nodes.append(helper.make_node("Relu", [y], ["r%d" % i]))
            y = "r%d" % i
    save(path, nodes, inits, [batch, 784], y)


def encoder_linear(path, sparsity, block):
    """Q, K, V, O projections and the FFN of one BERT-base layer on 128 tokens (no attention math:
    the rows are what the sparse kernels change)."""
    rng = np.random.default_rng(2)
    nodes, inits = [], []

    def linear(x, k, n, name, act=None):
        w = sparsify(rng, (rng.standard_normal((k, n)) * 0.03).astype(np.float32), sparsity, block)
        inits.extend([numpy_helper.from_array(w, name + ".w"),
                      numpy_helper.from_array(rng.standard_normal(n).astype(np.float32) * 0.1, name + ".b")])
        nodes.append(helper.make_node("MatMul", [x, name + ".w"], [name + ".mm"], name=name))
        nodes.append(helper.make_node("Add", [name + ".mm", name + ".b"], [name + ".out"]))
        if act:
            nodes.append(helper.make_node(act, [name + ".out"], [name + ".act"]))
            return name + ".act"
        return name + ".out"

    q, k, v = (linear("x", 768, 768, n) for n in ("q", "k", "v"))
    nodes.append(helper.make_node("Sum", [q, k, v], ["qkv"]))
    o = linear("qkv", 768, 768, "o")
    f = linear(o, 768, 3072, "ffn1", act="Relu")
    y = linear(f, 3072, 768, "ffn2")
    save(path, nodes, inits, [128, 768], y)


def sparsify(rng, w, sparsity, block):
    if sparsity <= 0:
        return w
    k, n = w.shape
    keep = rng.random((k, (n + block - 1) // block)) >= sparsity
    return (w * np.repeat(keep, block, axis=1)[:, :n]).astype(np.float32)


def save(path, nodes, inits, x_shape, y):
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                          [helper.make_tensor_value_info(y, TensorProto.FLOAT, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 7
    onnx.save(m, path)


def resnet18(path):
    import torch
    import torchvision
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=13, input_names=["x"],
                      output_names=["y"])


class Built:
    """One shared object: its run function, inputs, outputs and workspace, ready to call."""

    def __init__(self, mcc, work, model, name, flags):
        so = os.path.join(work, name + ".so")
        cmd = [mcc, model, "--emit=shared", "--name", name, "-o", so] + flags
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode:
            sys.exit("prune_ab: %s failed:\n%s" % (" ".join(cmd), p.stdout[-2000:]))
        header = open(so[:-3] + ".h").read()
        ws = int(re.search(r"#define \w+_WORKSPACE_SIZE (\d+)", header).group(1))
        m = onnx.load(model)
        init_names = {t.name for t in m.graph.initializer}
        inputs = [i for i in m.graph.input if i.name not in init_names]
        self.arrays = [np.random.default_rng(3).standard_normal(
            [d.dim_value for d in i.type.tensor_type.shape.dim]).astype(np.float32) for i in inputs]
        self.outs = [np.zeros(1 << 22, np.float32) for _ in m.graph.output]
        self.buf = np.zeros(ws + 64, np.uint8)
        self.ws = self.buf.ctypes.data + (-self.buf.ctypes.data) % 64
        In = ctypes.c_void_p * len(self.arrays)
        Out = ctypes.c_void_p * len(self.outs)
        self.inp = In(*[a.ctypes.data for a in self.arrays])
        self.out = Out(*[o.ctypes.data for o in self.outs])
        self.lib = ctypes.CDLL(so)
        self.fn = getattr(self.lib, name + "_run")
        self.fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]

    def run(self, n):
        start = time.perf_counter()
        for _ in range(n):
            if self.fn(ctypes.byref(self.inp), ctypes.byref(self.out), ctypes.c_void_p(self.ws)):
                sys.exit("prune_ab: run failed")
        return (time.perf_counter() - start) / n


def ab(a, b, rounds):
    a.run(2), b.run(2)
    # Runs per round: about 50 ms of A.
    n = max(1, int(0.05 / max(a.run(1), 1e-6)))
    ta, tb = [], []
    for _ in range(rounds):
        ta.append(a.run(n))
        tb.append(b.run(n))
    return min(ta), min(tb)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mcc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    w = lambda f: os.path.join(args.work, f)  # noqa: E731
    rows = [
        ("mlp_b1_block16_90", lambda p: mlp(p, 0.9, 16, 1), ["--no-sparse-kernels"], []),
        ("mlp_b1_scattered_90", lambda p: mlp(p, 0.9, 1, 1), ["--no-sparse-kernels"], []),
        ("mlp_b64_scattered_90", lambda p: mlp(p, 0.9, 1, 64), ["--no-sparse-kernels"], []),
        ("mlp_b1_dense", lambda p: mlp(p, 0.0, 1, 1), ["--no-sparse-kernels"], []),
        ("bert_linear_block16_90", lambda p: encoder_linear(p, 0.9, 16), ["--no-sparse-kernels"], []),
        ("bert_linear_scattered_90", lambda p: encoder_linear(p, 0.9, 1), ["--no-sparse-kernels"], []),
        ("resnet18_channels_0.5", resnet18, [], ["--prune=channels:0.5"]),
    ]
    only = set(filter(None, args.only.split(",")))
    print("%-26s %12s %12s %8s" % ("row", "A dense ms", "B ms", "A/B"))
    for name, make, flags_a, flags_b in rows:
        if only and name not in only:
            continue
        model = w(name + ".onnx")
        if not os.path.exists(model):
            make(model)
        a = Built(args.mcc, args.work, model, name.replace(".", "_") + "_a", flags_a)
        b = Built(args.mcc, args.work, model, name.replace(".", "_") + "_b", flags_b)
        ta, tb = ab(a, b, args.rounds)
        print("%-26s %12.4f %12.4f %8.2f" % (name, ta * 1e3, tb * 1e3, ta / tb))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
