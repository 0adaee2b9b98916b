#!/usr/bin/python3 -S
"""A stand-in for mcc-run, for testing run_conformance.py without a compiler.

Checks its arguments the way run_conformance.py must pass them
(model.onnx, input_*.pb positionally in order, --reference DIR with output_*.pb,
--rtol 1e-3 --atol 1e-7); a wrong call exits 64 (the runner reports a crash).
Then it acts on the case name (the folder holding model.onnx):
    name contains 'relu'     -> exit 0 (match)
    name contains 'sigmoid'  -> exit 1, a mismatch line
    name contains 'tanh'     -> exit 3, a run error
    name contains 'softmax'  -> killed by SIGSEGV (crash)
    name contains 'gemm'     -> exit 2, a compile error that is not "unsupported"
    name is 'test_abs'       -> sleeps for an hour (timeout)
    anything else            -> exit 2: the first op of the model other than Relu is unsupported
"""
import os
import re
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def bad(msg):
    sys.stderr.write("fake_mcc_run: bad arguments: %s\n" % msg)
    sys.exit(64)


def main(argv):
    if not argv or not argv[0].endswith(".onnx") or not os.path.isfile(argv[0]):
        bad("first argument must be an existing model.onnx: %r" % argv[:1])
    model, rest = argv[0], argv[1:]
    inputs, opts, i = [], {}, 0
    while i < len(rest):
        a = rest[i]
        if a.startswith("--input="):
            inputs.append(a.split("=", 2)[2])
        elif a.startswith("--"):
            if i + 1 >= len(rest):
                bad("option %s needs a value" % a)
            opts[a] = rest[i + 1]
            i += 1
        else:
            inputs.append(a)
        i += 1
    ref = opts.get("--reference")
    if not ref or not os.path.isdir(ref):
        bad("--reference DIR missing")
    if opts.get("--rtol") != "1e-3" or opts.get("--atol") != "1e-7":
        bad("expected --rtol 1e-3 --atol 1e-7, got %r %r" % (opts.get("--rtol"), opts.get("--atol")))
    want = sorted((f for f in os.listdir(ref) if re.fullmatch(r"input_\d+\.pb", f)),
                  key=lambda f: int(f[6:-3]))
    if [os.path.join(ref, f) for f in want] != inputs:
        bad("inputs %r, expected %r in order" % (inputs, want))
    if not os.path.isfile(os.path.join(ref, "output_0.pb")):
        bad("no output_0.pb in %s" % ref)

    name = os.path.basename(os.path.dirname(os.path.abspath(model)))
    if "relu" in name.lower():
        print("ok: 1 output matches")
        return 0
    if "sigmoid" in name.lower():
        sys.stderr.write("note: compiled %s\n" % model)
        sys.stderr.write("mismatch: output 0 'y': max abs error 1.250000e-02 at [0, 3] "
                         "(got 0.5125, expected 0.5), rtol 1e-3 atol 1e-7\n")
        return 1
    if "tanh" in name.lower():
        sys.stderr.write("error: run failed: MCC_ERR_SHAPE: dimension 0 of input 'x' is 0\n")
        return 3
    if "softmax" in name.lower():
        sys.stderr.write("Stack dump:\n0. Program arguments: mcc-run ...\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(5)
        return 99
    if "gemm" in name.lower():
        sys.stderr.write("%s: error: node 'n0' (op 'Gemm'): failed to legalize operation "
                         "'linalg.matmul' after bufferization\n" % model)
        return 2
    if name == "test_abs":
        time.sleep(3600)
        return 0
    from onnx_wire import read_model_wire
    info = read_model_wire(model)
    ops = sorted(o for o in info.ops if o != "Relu") or ["?"]
    sys.stderr.write("error: %s: node 'n1' (op '%s'): unsupported op\n" % (model, ops[0]))
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
