#!/usr/bin/env python3
"""Runs an ONNX model with ONNX Runtime (CPU execution provider) and writes its outputs as .npy: the
oracle of mcc's whole-model tests (compare with `mcc-run MODEL --reference OUT_DIR`).

ONNX Runtime comes from PyPI, pinned in tools/requirements.txt, in the virtual environment that
`scripts/install-deps.sh --test` creates in the build folder; run this file with that environment's
python (build/venv/bin/python3).

Usage:
    ort_run.py [--threads N] [--bench N] MODEL.onnx OUT_DIR [IN_0.npy IN_1.npy ...]

Inputs are bound to the graph inputs in graph order (initializers excluded, as ONNX Runtime reports
them). Writes OUT_DIR/output_<i>.npy for each graph output i (graph order) and prints one line per
output. --threads sets the intra-op thread count (default 1); --bench N runs N more times and prints
`latency_ms median=<m> min=<m> runs=<N>`. Exit status: 0 ok, 1 usage or input error, 2 ONNX Runtime
error.
"""
import argparse
import os
import sys
import time

import numpy as np


def fail(msg, code=1):
    sys.stderr.write("ort_run.py: %s\n" % msg)
    sys.exit(code)


def main():
    ap = argparse.ArgumentParser(usage=__doc__.split("Usage:\n")[1].split("\n\n")[0].strip())
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--bench", type=int, default=0)
    ap.add_argument("model")
    ap.add_argument("out_dir")
    ap.add_argument("inputs", nargs="*")
    args = ap.parse_args()
    if args.threads < 1 or args.bench < 0:
        fail("--threads must be >= 1 and --bench >= 0")
    try:
        import onnxruntime as ort
    except ImportError as e:
        fail("cannot import onnxruntime (%s): run this with the python of the virtual environment that "
             "scripts/install-deps.sh --test creates (build/venv/bin/python3)" % e)
    if not os.path.isfile(args.model):
        fail("%s: no such file" % args.model)

    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.log_severity_level = 3
    try:
        session = ort.InferenceSession(args.model, so, providers=["CPUExecutionProvider"])
    except Exception as e:  # ONNX Runtime raises its own exception types
        fail("%s: ONNX Runtime could not load the model: %s" % (args.model, e), 2)

    names = [i.name for i in session.get_inputs()]
    if len(args.inputs) != len(names):
        fail("%s: the graph has %d input(s) [%s], got %d file(s)" %
             (args.model, len(names), ", ".join(names), len(args.inputs)))
    feeds = {}
    for name, path in zip(names, args.inputs):
        try:
            feeds[name] = np.ascontiguousarray(np.load(path, allow_pickle=False))
        except (OSError, ValueError) as e:
            fail("%s: cannot read as .npy (%s)" % (path, e))

    try:
        results = session.run(None, feeds)
    except Exception as e:
        fail("%s: ONNX Runtime run failed: %s" % (args.model, e), 2)
    os.makedirs(args.out_dir, exist_ok=True)
    for i, (out, value) in enumerate(zip(session.get_outputs(), results)):
        path = os.path.join(args.out_dir, "output_%d.npy" % i)
        value = np.asarray(value)
        np.save(path, value)
        print("output %d %s %s[%s] -> %s" % (i, out.name, value.dtype, ",".join(map(str, value.shape)), path))

    if args.bench:
        times = []
        for _ in range(args.bench):
            t0 = time.perf_counter()
            session.run(None, feeds)
            times.append((time.perf_counter() - t0) * 1e3)
        print("latency_ms median=%.4f min=%.4f runs=%d" % (float(np.median(times)), min(times), args.bench))


if __name__ == "__main__":
    main()
