#!/usr/bin/python3
"""Whole-model tests: generate models (gen_models.py), run them with ONNX Runtime 1.30 (the oracle:
tools/ort/ort_run.py, run by the python of the virtual environment that holds ONNX Runtime from PyPI,
$MCC_ORT_PYTHON, default build/venv/bin/python3) and with mcc through mcc-run on the same inputs, and compare (rtol 1e-3, atol 1e-4).

Usage:
    /usr/bin/python3 test/models/run_models.py --mcc-run BUILD/bin/mcc-run --work DIR
        [--family F]... [CASE or MODEL]...

Prints one line per case:
    PASS|FAIL|XFAIL|XPASS <model> opset <N>  max_abs_err <e>  compile+run <s>s
and ends with `N passed, N failed` (plus the expected failures). Exit status 0 when nothing failed
unexpectedly. A case listed in EXPECTED_FAILURES that fails is XFAIL (printed with its reason each run);
one that passes is XPASS (printed, not an error: remove it from the list).

Runtime-dimension cases (family `dims`; the generator returns several input sets and --dim lists): one
line per input set, `<model> <set>`, each run by mcc-run with the case's --dim arguments and compared with
ONNX Runtime; one for a size not compiled for (mcc-run must exit 3 saying "which the model was not
compiled for"); then the same sets through ONE shared object (`mcc --dim ... --emit=shared`, called with
ctypes via the generated header), `<set> (one object)`, and the size not compiled for through it
(model_workspace_size -1, model_run MCC_ERR_BAD_DIMENSION).
"""
import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_models  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# case (or model, for every opset) -> why mcc fails it today. Printed on every run.
# Shapes computed from Shape chains are left to libonnx 1.12's data propagation today, and mcc needs
# static shapes; constant folding of Shape chains in mcc's importer (work in progress) will fix these.
EXPECTED_FAILURES = {
    # None today. A model mcc cannot compile yet goes here with the reason, printed on every run.
}


def oracle():
    """The command that runs ONNX Runtime (tools/ort/ort_run.py under the virtual environment's python),
    or None after saying how to install it."""
    python = os.environ.get("MCC_ORT_PYTHON") or os.path.join(SRC, "build", "venv", "bin", "python3")
    probe = subprocess.run([python, "-c", "import onnxruntime"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT) \
        if os.path.exists(python) else None
    if probe is None or probe.returncode != 0:
        print("FAIL: ONNX Runtime is not installed for %s: run `sh scripts/install-deps.sh --test` (it creates the "
              "virtual environment build/venv from tools/requirements.txt)" % python)
        return None
    return [python, os.path.join(SRC, "tools", "ort", "ort_run.py")]


def expected_failure(case, model):
    return EXPECTED_FAILURES.get(case) or EXPECTED_FAILURES.get(model)


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return 124, "timed out after %ds" % timeout
    except OSError as e:  # the oracle's python or mcc-run missing
        return 127, "cannot run %s: %s" % (cmd[0], e)


def compare(ref_dir, out_dir):
    """(ok, max abs error, message) over every output_<i>.npy of ref_dir."""
    i, worst, msgs = 0, 0.0, []
    ok = True
    while os.path.exists(os.path.join(ref_dir, "output_%d.npy" % i)):
        ref = np.load(os.path.join(ref_dir, "output_%d.npy" % i))
        path = os.path.join(out_dir, "output_%d.npy" % i)
        if not os.path.exists(path):
            return False, float("nan"), "mcc wrote no output_%d.npy" % i
        got = np.load(path)
        if got.shape != ref.shape:
            return False, float("nan"), "output %d: shape %s, ONNX Runtime %s" % (i, got.shape, ref.shape)
        if ref.dtype.kind in "fc":
            r, g = ref.astype(np.float64), got.astype(np.float64)
            err = np.abs(g - r)
            bad = ~((err <= ATOL + RTOL * np.abs(r)) | (np.isnan(r) & np.isnan(g)))
            if err.size:
                worst = max(worst, float(np.nanmax(np.where(np.isnan(r) & np.isnan(g), 0.0, err))))
        else:
            bad = got != ref
            if bad.any():
                worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64)))))
        if bad.any():
            ok = False
            idx = np.unravel_index(int(np.argmax(bad)), bad.shape)
            msgs.append("output %d: %d of %d elements differ, first at %s: mcc %r, ONNX Runtime %r" %
                        (i, int(bad.sum()), bad.size, list(idx), got[idx], ref[idx]))
        i += 1
    if i == 0:
        return False, float("nan"), "ONNX Runtime wrote no outputs"
    return ok, worst, "; ".join(msgs)


def print_line(status, model, opset, err, elapsed, detail):
    print("%-5s %-18s opset %-2d  max_abs_err %-9s  compile+run %.1fs%s" %
          (status, model, opset, "%.2e" % err if err == err else "-", elapsed,
           ("\n      " + detail) if detail and status != "PASS" else ""))
    sys.stdout.flush()


def run_one(args, ort, onnx_path, inputs, ref_dir, out_dir, mcc_args):
    """Run ONNX Runtime and mcc-run (with `mcc_args`) on `inputs`; (status, max abs error, s, detail)."""
    for d in (ref_dir, out_dir):
        for f in os.listdir(d) if os.path.isdir(d) else []:
            os.remove(os.path.join(d, f))
    rc, out = run(ort + [onnx_path, ref_dir] + inputs, 600)
    if rc != 0:
        return "FAIL", float("nan"), 0.0, "ONNX Runtime could not run it: " + out.strip()[-400:]
    start = time.time()
    rc, out = run([args.mcc_run, onnx_path] + mcc_args + inputs + ["--output-dir", out_dir], args.timeout)
    elapsed = time.time() - start
    if rc != 0:
        lines = [l for l in out.splitlines() if "error" in l.lower()] or out.splitlines()[-3:]
        return "FAIL", float("nan"), elapsed, "mcc-run exit %d: %s" % (rc, " | ".join(lines[:3]))
    ok, err, detail = compare(ref_dir, out_dir)
    return ("PASS" if ok else "FAIL"), err, elapsed, detail


BAD_DIMS_MESSAGE = "which the model was not compiled for"


def run_dims_case(args, ort, case, spec):
    """A runtime-dimension case (gen_models returns a dict): the same --dim list for every input set, each
    compared with ONNX Runtime; then a size not listed, which mcc-run must refuse with exit 3. Yields
    (label, status, max abs error, seconds, detail)."""
    onnx_path = os.path.join(args.work, case + ".onnx")
    dims = [a for d in spec["dims"] for a in ("--dim", d)]
    for label, inputs in spec["sets"]:
        base = os.path.join(args.work, "%s.%s" % (case, label))
        yield (label,) + run_one(args, ort, onnx_path, inputs, base + ".ort", base + ".mcc", dims)
    label, inputs = spec["bad"]
    start = time.time()
    rc, out = run([args.mcc_run, onnx_path] + dims + inputs, args.timeout)
    elapsed = time.time() - start
    if rc == 3 and BAD_DIMS_MESSAGE in out:
        yield label + " (not compiled for: exit 3)", "PASS", float("nan"), elapsed, ""
    else:
        yield (label + " (not compiled for)", "FAIL", float("nan"), elapsed,
               "mcc-run exit %d (expected 3 and '%s'): %s" % (rc, BAD_DIMS_MESSAGE, out.strip()[-400:]))
    for result in run_dims_object(args, case, spec):
        yield result


MCC_ERR_BAD_DIMENSION = 3  # runtime/include/mcc/mcc_rt.h


def _header_struct(header, name):
    """[(kind, field, detail)] of `typedef struct {...} name;`: ("ptr", f, [dim names]), ("dim", f, None)
    or ("dims", f, rank)."""
    body = re.search(r"typedef struct \{\n([^{}]*?)\n\} %s;" % re.escape(name), header, re.S).group(1)
    fields = []
    for line in body.splitlines():
        m = re.match(r"\s*(?:const )?(\w+) \*(\w+); /\* \"[^\"]*\" \w+ \[([^\]]*)\]", line)
        if m:
            fields.append(("ptr", m.group(2), m.group(3).split(",") if m.group(3) else []))
            continue
        m = re.match(r"\s*int64_t (\w+)\[(\d+)\];", line)
        if m:
            fields.append(("dims", m.group(1), int(m.group(2))))
            continue
        m = re.match(r"\s*int64_t (\w+); /\* runtime dimension", line)
        if m:
            fields.append(("dim", m.group(1), None))
            continue
        raise ValueError("unexpected header line: " + line)
    return fields


def run_dims_object(args, case, spec):
    """One object for every size: `mcc --dim ... --emit=shared` once, then call <name>_run through ctypes
    at each input set (ONNX Runtime's outputs from run_dims_case as the reference) and at the size not
    compiled for (<name>_workspace_size -1, <name>_run nonzero). Yields like run_dims_case."""
    import ctypes
    mcc = os.path.join(os.path.dirname(os.path.abspath(args.mcc_run)), "mcc")
    so = os.path.join(args.work, case + ".so")
    start = time.time()
    rc, out = run([mcc, os.path.join(args.work, case + ".onnx"), "--emit=shared", "--name", "model", "-o", so] +
                  [a for d in spec["dims"] for a in ("--dim", d)], args.timeout)
    compile_s = time.time() - start
    if rc != 0:
        yield "one object", "FAIL", float("nan"), compile_s, "mcc exit %d: %s" % (rc, out.strip()[-400:])
        return
    header = open(os.path.splitext(so)[0] + ".h").read()
    lib = ctypes.CDLL(so)
    in_fields, out_fields = _header_struct(header, "model_inputs"), _header_struct(header, "model_outputs")

    def struct(fields):
        class S(ctypes.Structure):
            _fields_ = [(f, ctypes.c_void_p) if k == "ptr" else
                        (f, ctypes.c_int64 * d) if k == "dims" else (f, ctypes.c_int64)
                        for k, f, d in fields]
        return S
    In, Out = struct(in_fields), struct(out_fields)
    lib.model_run.argtypes = [ctypes.POINTER(In), ctypes.POINTER(Out), ctypes.c_void_p]
    lib.model_workspace_size.argtypes = [ctypes.POINTER(In)]
    lib.model_workspace_size.restype = ctypes.c_int64

    def call(inputs, ref_dir):
        arrays = [np.ascontiguousarray(np.load(p)) for p in inputs]
        s, dims, ptrs = In(), {}, [f for f in in_fields if f[0] == "ptr"]
        for (_, f, names), a in zip(ptrs, arrays):
            setattr(s, f, a.ctypes.data)
            dims.update((n, a.shape[i]) for i, n in enumerate(names) if not n.isdigit())
        for k, f, _ in in_fields:
            if k == "dim":
                setattr(s, f, dims[f])
        ws = lib.model_workspace_size(ctypes.byref(s))
        o, outs = Out(), []
        for i, (k, f, _) in enumerate(f for f in out_fields if f[0] == "ptr"):
            if ref_dir is None:  # the size not compiled for: buffers of the largest compiled size
                n = int(re.search(r"#define MODEL_OUTPUT_%s_SIZE (\d+)" % f.upper(), header).group(1))
                outs.append((f, np.zeros(n, np.float64), None))
            else:
                ref = np.load(os.path.join(ref_dir, "output_%d.npy" % i))
                outs.append((f, np.full(ref.size, np.nan, ref.dtype), ref.shape))
            setattr(o, f, outs[-1][1].ctypes.data)
        buf = np.zeros(max(ws, 0) + 64, np.uint8)
        wsp = buf.ctypes.data + (-buf.ctypes.data) % 64
        rc = lib.model_run(ctypes.byref(s), ctypes.byref(o), ctypes.c_void_p(wsp))
        return ws, rc, [(a, tuple(getattr(o, f + "_dims")) if hasattr(o, f + "_dims") else shape)
                        for f, a, shape in outs]

    for label, inputs in spec["sets"]:
        ref_dir = os.path.join(args.work, "%s.%s.ort" % (case, label))
        start = time.time()
        ws, rc, outs = call(inputs, ref_dir)
        elapsed = time.time() - start
        if ws <= 0 or rc != 0:
            yield label + " (one object)", "FAIL", float("nan"), elapsed, "workspace %d, run returned %d" % (ws, rc)
            continue
        out_dir = os.path.join(args.work, "%s.%s.obj" % (case, label))
        os.makedirs(out_dir, exist_ok=True)
        for i, (a, shape) in enumerate(outs):
            np.save(os.path.join(out_dir, "output_%d.npy" % i), a[:int(np.prod(shape))].reshape(shape))
        ok, err, detail = compare(ref_dir, out_dir)
        yield label + " (one object)", ("PASS" if ok else "FAIL"), err, elapsed, detail
    label, inputs = spec["bad"]
    ws, rc, _ = call(inputs, None)
    ok = ws == -1 and rc == MCC_ERR_BAD_DIMENSION
    yield (label + " (one object: BAD_DIMENSION)", "PASS" if ok else "FAIL", float("nan"), compile_s,
           "" if ok else "model_workspace_size returned %d, model_run %d (expected -1 and %d)" %
           (ws, rc, MCC_ERR_BAD_DIMENSION))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mcc-run", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--family", action="append", default=[])
    ap.add_argument("--timeout", type=int, default=900, help="seconds per mcc-run (default 900)")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()

    ort = oracle()
    if ort is None:
        return 1
    selected = gen_models.cases(args.family, args.names)
    if not selected:
        print("FAIL: no model matches %s %s" % (args.family, args.names))
        return 1
    os.makedirs(args.work, exist_ok=True)

    known = [(c, expected_failure(c, m)) for c, m, _, _ in selected if expected_failure(c, m)]
    if known:
        print("Expected failures (known mcc gaps, see EXPECTED_FAILURES in %s):" % os.path.basename(__file__))
        for case, why in known:
            print("    %s: %s" % (case, why))

    counts = {"PASS": 0, "FAIL": 0, "XFAIL": 0, "XPASS": 0}
    for case, model, opset, _ in selected:
        ref_dir = os.path.join(args.work, case + ".ort")
        out_dir = os.path.join(args.work, case + ".mcc")
        for d in (ref_dir, out_dir):
            for f in os.listdir(d) if os.path.isdir(d) else []:
                os.remove(os.path.join(d, f))
        detail, err, elapsed = "", float("nan"), 0.0
        try:
            with open(os.path.join(args.work, case + ".gen.log"), "w") as log:
                inputs = gen_models.generate(args.work, case, model, opset, log)
        except Exception as e:  # a generator problem is a test failure, not an mcc one
            status, detail = "FAIL", "generating the model failed: %s: %s" % (type(e).__name__, e)
            inputs = None
        if isinstance(inputs, dict):  # runtime dimensions: one line per input set, and the bad size
            for label, status, err, elapsed, detail in run_dims_case(args, ort, case, inputs):
                counts[status] += 1
                print_line(status, "%s %s" % (model, label), opset, err, elapsed, detail)
            continue
        if inputs is not None:
            onnx_path = os.path.join(args.work, case + ".onnx")
            status, err, elapsed, detail = run_one(args, ort, onnx_path, inputs, ref_dir, out_dir, [])
        why = expected_failure(case, model)
        if why:
            status = {"PASS": "XPASS", "FAIL": "XFAIL"}[status]
        counts[status] += 1
        print_line(status, model, opset, err, elapsed, detail)
        if status == "XPASS":
            print("      expected to fail (%s) but passed: remove it from EXPECTED_FAILURES" % why)
        sys.stdout.flush()
    print("%d passed, %d failed%s" % (
        counts["PASS"] + counts["XPASS"], counts["FAIL"],
        (", %d expected failures" % counts["XFAIL"]) if counts["XFAIL"] else ""))
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
