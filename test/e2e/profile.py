"""mcc --profile / mcc-run --profile end to end: the per-node trace is real JSON with one event per
compiled node and run, the MatMul's FLOPs are 2*M*N*K, the node shares add up to ~100% of the run,
and an object compiled with `mcc --profile` and linked by `cc` with libmcc_rt writes the same trace.

usage: profile.py MCC MCC_RUN LIBMCC_RT SOURCE_DIR WORK_DIR"""
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

M, K, N = 64, 256, 128


def make_model(path):
    rng = np.random.default_rng(7)
    w = numpy_helper.from_array(rng.standard_normal((K, N)).astype(np.float32) * 0.05, "w")
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["mm"], name="matmul"),
        helper.make_node("Relu", ["mm"], ["act"], name="relu"),
        helper.make_node("Softmax", ["act"], ["sm"], name="softmax", axis=-1),
        helper.make_node("Mul", ["sm", "y"], ["out"], name="scale"),
    ]
    graph = helper.make_graph(
        nodes, "prof",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K]),
         helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [M, N])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)
    np.save("x.npy", rng.standard_normal((M, K)).astype(np.float32))
    np.save("y.npy", rng.standard_normal((M, N)).astype(np.float32))


def check_trace(path, runs, label):
    with open(path) as f:
        trace = json.load(f)  # must parse as JSON
    events = trace["traceEvents"]
    run_events = [e for e in events if e["cat"] == "run"]
    node_events = [e for e in events if e["cat"] == "node"]
    assert len(run_events) == runs, (label, len(run_events))
    assert all(e["ph"] == "X" and e["dur"] >= 0 for e in events), label
    per_run = len(node_events) // runs
    assert per_run * runs == len(node_events) and per_run >= 2, (label, len(node_events))
    # One event per compiled node and run, in node order; every ONNX node is in one of them.
    assert [e["args"]["node_index"] for e in node_events] == list(range(per_run)) * runs, label
    names = "+".join(e["name"] for e in node_events[:per_run])
    for n in ("matmul", "relu", "softmax", "scale"):
        assert n in names.split("+"), (label, n, names)
    # The MatMul ran as one kernel with its Relu fused: its FLOPs are exactly 2*M*N*K.
    mm = [e for e in node_events[:per_run] if "MatMul" in e["args"]["op_name"].split("+")]
    assert len(mm) == 1, (label, mm)
    assert mm[0]["args"]["flops"] == 2 * M * N * K, (label, mm[0]["args"])
    assert mm[0]["args"]["shapes"].startswith(f"{M}x{K}xf32"), (label, mm[0]["args"]["shapes"])
    # Nodes lie inside their run, and cover nearly all of it.
    for r, run in enumerate(run_events):
        mine = node_events[r * per_run:(r + 1) * per_run]
        assert all(run["ts"] - 1e-3 <= e["ts"] and e["ts"] + e["dur"] <= run["ts"] + run["dur"] + 1e-3 for e in mine)
        covered = sum(e["dur"] for e in mine) / run["dur"]
        assert 0.8 <= covered <= 1.0 + 1e-6, (label, r, covered)
    return per_run


def check_summary(text, nodes, label):
    m = re.search(r"profile: (\d+) nodes, ([0-9.]+) ms per run \(mean of (\d+)\), ([0-9.]+)% of it inside nodes", text)
    assert m, (label, text)
    assert int(m.group(1)) == nodes, (label, m.group(0))
    rows = re.findall(r"^\s*(\d+)\s+([0-9.]+)\s+([0-9.]+)%\s+([0-9.]+)\s+(\S+)\s+(\S+)$", text, re.M)
    ranked = [r for r in rows if int(r[0]) <= nodes][:nodes]
    assert len(ranked) == nodes, (label, rows)
    shares = sum(float(r[2]) for r in ranked)
    assert abs(shares - float(m.group(4))) < 0.05 * nodes + 0.1, (label, shares, m.group(4))
    assert 80.0 <= shares <= 100.01, (label, shares)
    times = [float(r[1]) for r in ranked]
    assert times == sorted(times, reverse=True), (label, times)
    mm = [r for r in ranked if "MatMul" in r[4].split("+")]
    assert len(mm) == 1 and float(mm[0][3]) > 0, (label, mm)


def main():
    mcc, mcc_run, rt, src, work = sys.argv[1:6]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.chdir(work)
    make_model("prof.onnx")

    # mcc-run --profile: compile instrumented, run, trace, summary.
    runs = 3
    out = subprocess.run([mcc_run, "prof.onnx", "x.npy", "y.npy", "--profile", "trace.json", "--bench", str(runs),
                          "--profile-top", "100"], check=True, capture_output=True, text=True).stdout
    print(out)
    nodes = check_trace("trace.json", runs, "mcc-run")
    check_summary(out, nodes, "mcc-run")

    # Profiling does not change the results.
    subprocess.run([mcc_run, "prof.onnx", "x.npy", "y.npy", "--output-dir", "plain"], check=True)
    subprocess.run([mcc_run, "prof.onnx", "x.npy", "y.npy", "--output-dir", "profiled", "--profile", "t2.json"],
                   check=True, capture_output=True)
    assert np.array_equal(np.load("plain/output_0.npy"), np.load("profiled/output_0.npy"))

    # mcc --profile: the header says where the records are; a C program linked with libmcc_rt writes
    # the trace. An object compiled without it has no clock calls at all.
    subprocess.run([mcc, "prof.onnx", "-o", "plain.o"], check=True)
    nm = subprocess.run(["nm", "plain.o"], check=True, capture_output=True, text=True).stdout
    assert "mcc_profile_now_ns" not in nm and "prof_profile" not in nm, nm
    subprocess.run([mcc, "prof.onnx", "--profile", "-o", "prof.o"], check=True)
    header = open("prof.h").read()
    count = int(re.search(r"#define PROF_PROFILE_NODES (\d+)", header).group(1))
    assert count == nodes, (count, nodes)
    assert "const mcc_profile_info *prof_profile(void);" in header
    subprocess.run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-I.", "-I" + os.path.join(src, "runtime/include"),
                    os.path.join(src, "test/e2e/profile_main.c"), "prof.o", rt, "-lm", "-o", "prof"], check=True)
    out = subprocess.run(["./prof", "c_trace.json"], check=True, capture_output=True, text=True).stdout
    print(out)
    check_trace("c_trace.json", 2, "cc")
    check_summary(out, nodes, "cc")
    print("e2e profile: ok")


if __name__ == "__main__":
    main()
