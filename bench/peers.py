#!/usr/bin/env python3
"""One speed peer (ONNX Runtime, OpenVINO or IREE) serving the bench driver, one model per process.

Usage (the python of the bench's virtual environment):
    peers.py PEER MODEL.onnx WORK_DIR THREADS IN_0.npy [IN_1.npy ...]

It loads and compiles the model for the CPU, runs it once (the warm-up) and writes WORK_DIR/output_<i>.npy,
then prints `ready <prepare seconds> [note]` (a note says how the peer had to deviate from its usual
settings); for each line `N` on stdin it runs the model N times and prints the N
`wall,cpu` latency pairs in ms (time.perf_counter, time.process_time) on one line, as the mcc harness does
(bench/harness.py), until an empty line or EOF. If the
peer cannot be imported, cannot compile or cannot run the model it prints `error <one-line reason>` and
exits 0 (the driver shows the peer as "—" with that reason). Each peer's own setup is said in its function.
"""
import hashlib
import os
import subprocess
import sys
import time

import numpy as np


def _one_line(e):
    text = " ".join(str(e).split())
    return (text[:300] + "...") if len(text) > 300 else text


def ort(model, work, threads, inputs):
    """ONNX Runtime, CPU execution provider: intra-op threads = T, sequential, all graph optimisations."""
    import onnxruntime
    so = onnxruntime.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.log_severity_level = 3
    session = onnxruntime.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    feeds = {i.name: x for i, x in zip(session.get_inputs(), inputs)}
    run = lambda: session.run(None, feeds)  # noqa: E731
    return run, run, None


def openvino(model, work, threads, inputs):
    """OpenVINO, CPU plugin: T inference threads, latency hint, f32 precision (the CPU has AVX512-BF16,
    where OpenVINO would otherwise run in bfloat16 and not compute what the other runtimes compute)."""
    import openvino as ov
    core = ov.Core()
    compiled = core.compile_model(core.read_model(model), "CPU", {
        "INFERENCE_NUM_THREADS": threads, "PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()

    def run():
        results = request.infer(inputs, share_inputs=True)
        return [results[o] for o in compiled.outputs]
    return run, run, None


# The host CPU, plus what IREE's maintainers advise for CPU inference: its defaults run NCHW convolutions
# as direct loops (SqueezeNet 13x slower here); im2col turns them into matmuls, which data tiling and the
# mmt4d microkernels make fast (--iree-opt-level=O3 adds nothing measurable here and puts some dispatches,
# LayerNorm's among them, over IREE's stack allocation limit). Tried in order: the first set that compiles
# is used, and the note says so.
IREE_BASE = ["--iree-hal-target-device=local", "--iree-hal-local-target-device-backends=llvm-cpu",
             "--iree-llvmcpu-target-cpu=host"]
IREE_TUNED = ["--iree-opt-data-tiling", "--iree-llvmcpu-enable-ukernels=all"]
IREE_CONFIGS = [("", IREE_BASE + IREE_TUNED + ["--iree-global-opt-use-im2col-for-convs"]),
                ("without im2col", IREE_BASE + IREE_TUNED),
                ("with IREE's default flags", IREE_BASE)]


def _iree_vmfb(model, work):
    """Import and compile for the host CPU, cached in WORK_DIR by the model's hash, IREE's version and the
    flags. Returns (vmfb, note): note says when the first flag set failed and which one compiled."""
    import importlib.metadata
    bindir = os.path.dirname(sys.executable)
    with open(model, "rb") as f:
        model_hash = hashlib.sha256(f.read()).hexdigest()
    version = importlib.metadata.version("iree-base-compiler")
    keys = [hashlib.sha256((model_hash + version + " ".join(flags)).encode()).hexdigest()[:16]
            for _, flags in IREE_CONFIGS]
    for old in os.listdir(work):  # compiled for an older model, IREE or flags
        if old.startswith("model-") and old.split(".")[0][len("model-"):] not in keys:
            os.remove(os.path.join(work, old))
    mlir = os.path.join(work, "model.mlir")
    first_error = None
    for (what, flags), key in zip(IREE_CONFIGS, keys):
        vmfb, failed = (os.path.join(work, "model-%s.%s" % (key, ext)) for ext in ("vmfb", "failed"))
        if os.path.exists(failed):
            first_error = first_error or open(failed).read()
            continue
        if not os.path.exists(vmfb):
            if not os.path.exists(mlir):
                _iree_step([os.path.join(bindir, "iree-import-onnx"), model, "-o", mlir])
            try:
                _iree_step([os.path.join(bindir, "iree-compile"), mlir] + flags + ["-o", vmfb + ".tmp"])
            except RuntimeError as e:
                first_error = first_error or str(e)
                with open(failed, "w") as f:
                    f.write(str(e))
                continue
            os.rename(vmfb + ".tmp", vmfb)
        if os.path.exists(mlir):
            os.remove(mlir)  # the imported MLIR holds every weight again: do not keep it
        return vmfb, ("compiled %s: with the flags before it, %s" % (what, first_error) if what else None)
    raise RuntimeError(first_error)


def _iree_step(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        lines = [l for l in r.stderr.splitlines() if "error" in l.lower()] or r.stderr.splitlines() or ["?"]
        raise RuntimeError("%s failed: %s" % (os.path.basename(cmd[0]), lines[0].strip()))


def iree(model, work, threads, inputs):
    """IREE, llvm-cpu for the host CPU: local-sync (the calling thread) for one thread, else local-task
    with one task worker per thread."""
    import iree.runtime as rt
    vmfb, note = _iree_vmfb(model, work)
    if threads > 1:
        rt.flags.parse_flags("--task_topology_max_group_count=%d" % threads)
    config = rt.Config("local-sync" if threads == 1 else "local-task")
    ctx = rt.SystemContext(config=config)
    module = rt.VmModule.mmap(config.vm_instance, vmfb)
    ctx.add_vm_module(module)
    entries = [f for f in module.function_names if not f.startswith("__") and not f.endswith("$async")]
    if len(entries) != 1:
        raise RuntimeError("expected one entry function in the module, found %s" % entries)
    fn = ctx.modules[module.name][entries[0]]
    args = [rt.asdevicearray(config.device, x) for x in inputs]

    def run():
        out = fn(*args)
        return [o.to_host() for o in (out if isinstance(out, (tuple, list)) else [out])]
    timed = lambda: fn(*args)  # noqa: E731  results stay on the (host) device: no copy in the timing
    return run, timed, note


PEERS = {"ort": ort, "openvino": openvino, "iree": iree}


def main(argv):
    if len(argv) < 6 or argv[1] not in PEERS:
        sys.stderr.write(__doc__)
        return 1
    peer, model, work, threads, paths = argv[1], argv[2], argv[3], int(argv[4]), argv[5:]
    os.makedirs(work, exist_ok=True)
    inputs = [np.ascontiguousarray(np.load(p, allow_pickle=False)) for p in paths]
    t0 = time.perf_counter()
    try:
        first, timed, note = PEERS[peer](model, work, threads, inputs)
        outputs = first()
    except ImportError as e:
        print("error not installed in this environment (%s)" % _one_line(e), flush=True)
        return 0
    except Exception as e:  # each peer raises its own exception types
        print("error %s" % _one_line(e), flush=True)
        return 0
    for i, value in enumerate(outputs):
        np.save(os.path.join(work, "output_%d.npy" % i), np.asarray(value))
    print("ready %.3f %s" % (time.perf_counter() - t0, " ".join((note or "").split())), flush=True)
    for line in sys.stdin:
        n = int(line) if line.strip() else 0
        if n <= 0:
            break
        times = []
        for _ in range(n):
            c, t = time.process_time(), time.perf_counter()
            timed()
            t, c = time.perf_counter() - t, time.process_time() - c
            times.append("%.6f,%.6f" % (t * 1e3, c * 1e3))
        print(" ".join(times), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
