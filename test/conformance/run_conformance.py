#!/usr/bin/python3
"""ONNX backend-suite conformance runner for mcc.

Runs every case of two editions of the ONNX backend test suite, each
<data>/{node,simple,pytorch-converted,pytorch-operator}/<case>/model.onnx with
test_data_set_*/{input_*.pb,output_*.pb}:
  debian     the suite Debian ships (libonnx-testdata: ONNX 1.12, opsets 1-17),
             in /usr/share/libonnx-testdata/data; ratchet ratchet.txt
  onnx-1.23  the suite of the pinned `onnx` wheel from PyPI (opsets up to 28),
             which `scripts/install-deps.sh --test` writes to build/onnx-suite/data
             (tools/onnx-suite/fetch.sh); ratchet ratchet-onnx-1.23.txt
Each case goes through `mcc-run`, which compiles the model exactly as `mcc`
does, runs it and compares with the expected outputs. Axes, sizes, pads and
shapes that newer suites feed as graph inputs must be known when mcc compiles:
when a compile error names such an input (or a shape stays unknown and the
case has small integer inputs), the data set is compiled again with that input
as a constant (`mcc --const NAME=input_<i>.pb`, up to 4 inputs); the counts
say how many passes needed it, and -v names the inputs.

    mcc-run <case>/model.onnx <input_0.pb> <input_1.pb> ... \\
            --reference <test_data_set_dir> --rtol 1e-3 --atol 1e-7

mcc-run exit codes: 0 match, 1 mismatch, 2 compile error (stderr names the node
and op; "unsupported" in it makes the category `unsupported`), 3 run error;
anything else (a signal, another code) is a `crash`, and running past --timeout
is a `timeout`. A case stops at its first failing data set.

Usage (run with /usr/bin/python3, which has python3-onnx; without onnx a
built-in protobuf reader is used):

    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run     # both suites
    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run --suite onnx-1.23
    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run --filter 'node/test_(relu|conv)'
    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run --update-ratchet \\
        --ops-md docs/ops.md --results-json /tmp/conformance.json
    test/conformance/run_conformance.py --list --ops-md docs/ops.md   # inventory only, runs nothing

Options:
    --mcc-run PATH       the mcc-run binary (required unless --list)
    --suite NAME         debian, onnx-1.23 or all (default all; debian alone when
                         --data or --ratchet is given)
    --data DIR           the debian suite's root (default /usr/share/libonnx-testdata/data;
                         `apt-get install -y libonnx-testdata` if missing)
    --onnx-data DIR      the onnx-1.23 suite's root (default $MCC_ONNX_SUITE_DATA, else
                         build/onnx-suite/data in the source tree)
    --jobs N             parallel mcc-run processes (default: os.cpu_count())
    --timeout S          seconds per case, all its data sets together (default 60)
    --filter REGEX       only cases whose name (e.g. node/test_relu) matches (re.search)
    --ratchet FILE       the debian suite's minimum passing count (default: ratchet.txt
                         next to this script)
    --onnx-ratchet FILE  the onnx-1.23 suite's (default: ratchet-onnx-1.23.txt next to it)
    --update-ratchet     write each suite's passed count to its ratchet file
    --ops-md PATH        write the op x status table (docs/ops.md), one column group per suite
    --results-json PATH  write per-case results as JSON
    --mcc-run-arg ARG    extra argument for mcc-run (repeatable), e.g. --mcc-run-arg=-O0
    --named-inputs       pass inputs as `--input NAME=FILE` instead of positionally
    --list               run nothing: list cases and their ops (with --ops-md: an inventory)
    -v, --verbose        also print a PASS line per passing case

Output: one line per failed or skipped case, sorted by case name; cases of the
onnx-1.23 suite are named with the suite first (onnx-1.23/node/test_foo):
    FAIL node/test_foo: <category>: <first relevant stderr line, <= 200 chars>
    SKIP node/test_adam: <reason>
categories: unsupported, compile-error, mismatch, random, run-error, crash, timeout.
`random`: a mismatch in a model with random ops (Bernoulli, RandomUniform(Like), RandomNormal(Like),
Multinomial, Dropout in training mode): the expected values come from numpy's generator and mcc has
its own, so such a case cannot pass; the runner then checks the output shapes, dtypes and 0/1-ness
instead and says so in the reason. These cases still count as failed.
Then tables of failures by category and by op (top 30), per suite, each suite's
counts and ratchet, the elapsed time, and as the very last line the sum over
the suites run:
    N passed, N failed, N skipped

Exit status: 1 when a suite's passed count < its ratchet (failures alone do not
fail the run), or when a suite asked for has no data; 2 for a usage error, else
0. With --filter the ratchets are not checked and cannot be updated, and a
suite without data is only reported. Only cases of the training domain (opset_import domain
'ai.onnx.preview.training') are skipped.

Self-test (no mcc needed): /usr/bin/python3 test/conformance/test_run_conformance.py
runs this script against fake_mcc_run.py on the real data folder.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_wire import ModelInfo, qualify, read_model_wire  # noqa: E402

DEFAULT_DATA = "/usr/share/libonnx-testdata/data"
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_ONNX_DATA = os.environ.get("MCC_ONNX_SUITE_DATA") or os.path.join(SOURCE_DIR, "build", "onnx-suite", "data")
# (name, title in reports, prefix of case ids)
SUITES = (("debian", "Debian libonnx-testdata (ONNX 1.12)", ""),
          ("onnx-1.23", "onnx 1.23.2 wheel (PyPI)", "onnx-1.23/"))
FOLDERS = ("node", "simple", "pytorch-converted", "pytorch-operator")
TRAINING_DOMAIN = "ai.onnx.preview.training"
CATEGORIES = ("unsupported", "compile-error", "mismatch", "random", "run-error", "crash", "timeout")
RANDOM_OPS = {"Bernoulli", "RandomUniform", "RandomUniformLike", "RandomNormal", "RandomNormalLike", "Multinomial"}
RTOL, ATOL = "1e-3", "1e-7"
MAX_MSG = 200


# --------------------------------------------------------------------------
# Reading models: op types and opsets only. python3-onnx when it is there, else
# onnx_wire (the same results on the whole suite).

def _read_model_onnx(path):
    import onnx  # noqa: imported lazily, see _read_model
    m = onnx.load(path, load_external_data=False)
    info = ModelInfo()
    for o in m.opset_import:
        info.opsets["" if o.domain == "ai.onnx" else o.domain] = o.version

    def walk(g):
        for n in g.node:
            info.ops.add(qualify(n.domain, n.op_type))
            for a in n.attribute:
                if a.HasField("g"):
                    walk(a.g)
                for sg in a.graphs:
                    walk(sg)
    walk(m.graph)
    inits = {t.name for t in m.graph.initializer}
    info.inputs = [i.name for i in m.graph.input if i.name not in inits]
    return info


_HAVE_ONNX = None


def _read_model(path):
    global _HAVE_ONNX
    if _HAVE_ONNX is None:
        try:
            import onnx  # noqa: F401
            _HAVE_ONNX = True
        except ImportError:
            _HAVE_ONNX = False
    try:
        return (_read_model_onnx if _HAVE_ONNX else read_model_wire)(path)
    except Exception as e:  # a broken model is reported, not fatal
        info = ModelInfo()
        info.error = "cannot read model: %s" % e
        return info


# --------------------------------------------------------------------------
# Cases.

def _num_suffix(name):
    m = re.search(r"(\d+)$", name)
    return int(m.group(1)) if m else -1


class Case:
    def __init__(self, data, folder, name, prefix=""):
        self.folder, self.name = folder, name
        self.id = prefix + folder + "/" + name
        self.dir = os.path.join(data, folder, name)
        self.model = os.path.join(self.dir, "model.onnx")
        self.datasets = sorted(
            (d for d in os.listdir(self.dir)
             if d.startswith("test_data_set_") and os.path.isdir(os.path.join(self.dir, d))),
            key=_num_suffix)
        self.info = None
        # results
        self.status = None      # pass / fail / skip
        self.category = None
        self.message = ""
        self.returncode = None
        self.failed_dataset = None
        self.pinned = []        # inputs compiled as constants (mcc --const)
        self.seconds = 0.0

    def dataset_inputs(self, ds):
        d = os.path.join(self.dir, ds)
        files = [f for f in os.listdir(d) if re.fullmatch(r"input_\d+\.pb", f)]
        return [os.path.join(d, f) for f in sorted(files, key=lambda f: _num_suffix(f[:-3]))]


def discover(data, regex, prefix=""):
    cases = []
    for folder in FOLDERS:
        root = os.path.join(data, folder)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            if not os.path.isfile(os.path.join(root, name, "model.onnx")):
                continue
            cid = prefix + folder + "/" + name
            if regex and not regex.search(cid):
                continue
            cases.append(Case(data, folder, name, prefix))
    cases.sort(key=lambda c: c.id)
    return cases


# --------------------------------------------------------------------------
# Running one case.

_PREFER = {
    "unsupported": r"unsupported",
    "compile-error": r"error",
    "mismatch": r"mismatch|max|error|differ",
    "run-error": r"error",
    "crash": r"LLVM ERROR|Assertion|error|Segmentation|terminate|abort|panic",
}


def relevant_line(category, stderr, stdout):
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    pat = _PREFER.get(category)
    if pat:
        for l in lines:
            if re.search(pat, l, re.I):
                return l
    if lines:
        return lines[0]
    lines = [l.strip() for l in stdout.splitlines() if l.strip()]
    return lines[-1] if lines else ""


def _truncate(s, n=MAX_MSG):
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 3] + "..."


def _signame(rc):
    try:
        return signal.Signals(-rc).name
    except (ValueError, AttributeError):
        return "signal %d" % -rc


def _draws_random_numbers(case):
    """True if the model has a random op or a Dropout whose training_mode is not a constant false."""
    if RANDOM_OPS & case.info.ops:
        return True
    if "Dropout" not in case.info.ops:
        return False
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        return False
    m = onnx.load(case.model, load_external_data=False)
    consts = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    for n in m.graph.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    for n in m.graph.node:
        if n.op_type == "Dropout" and len(n.input) > 2 and n.input[2]:
            t = consts.get(n.input[2])
            if t is None or bool(t.reshape(-1)[0]):
                return True
    return False


def _check_random_outputs(case, args, ds, cmd):
    """Reruns a random case writing its outputs and checks what can be checked against numpy's draws:
    the shapes and dtypes, and 0/1 values where the expected ones are 0/1. Returns the reason text."""
    import tempfile
    import numpy as np
    from onnx import TensorProto, numpy_helper
    head = "expected values come from numpy's generator, mcc draws its own"
    with tempfile.TemporaryDirectory() as tmp:
        run = [c for c in cmd if c != "--reference" and c != os.path.join(case.dir, ds)]
        p = subprocess.run(run + ["--output-dir", tmp], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=args.timeout)
        if p.returncode != 0:
            return "%s; rerun to check shapes failed (exit %d)" % (head, p.returncode)
        refs = sorted((f for f in os.listdir(os.path.join(case.dir, ds)) if re.fullmatch(r"output_\d+\.pb", f)),
                      key=lambda f: _num_suffix(f[:-3]))
        for i, f in enumerate(refs):
            t = TensorProto()
            with open(os.path.join(case.dir, ds, f), "rb") as fh:
                t.ParseFromString(fh.read())
            want = numpy_helper.to_array(t)
            path = os.path.join(tmp, "output_%d.npy" % i)
            if not os.path.exists(path):
                return "%s; output %d missing" % (head, i)
            got = np.load(path)
            if got.shape != want.shape or got.dtype != want.dtype:
                return "%s; output %d is %s%s, expected %s%s" % (head, i, got.dtype, list(got.shape),
                                                                 want.dtype, list(want.shape))
            if np.isin(want, (0, 1)).all() and not np.isin(got, (0, 1)).all():
                return "%s; output %d should hold only 0/1 values" % (head, i)
    return "%s; shapes, dtypes and 0/1 values checked: ok" % head


_PIN_HINT = re.compile(r"must be (a )?(constant|compile-time constant)|trip count")
_SHAPE_HINT = re.compile(r"has an unknown rank|has dynamic dimension 'unk__")
MAX_PINS = 4


def _small_int_input(path):
    """True if the TensorProto file holds a 0-d or 1-d INT64/INT32 tensor of at most 16 values."""
    try:
        from onnx import TensorProto
        t = TensorProto()
        with open(path, "rb") as fh:
            t.ParseFromString(fh.read())
    except Exception:
        return False
    return t.data_type in (TensorProto.INT64, TensorProto.INT32) and len(t.dims) <= 1 and \
        (not t.dims or t.dims[0] <= 16)


def _pinnable_input(case, err, pins, inputs):
    """The graph input a compile error asks to know at compile time, if it is one the case feeds and is
    not pinned yet; else None. Either the diagnostic names it ("axes (input 'axes') must be a constant
    ..."), or a shape is unknown after shape inference, which small integer inputs (axes, sizes, pads)
    then decide."""
    if len(case.info.inputs) != len(inputs) or len(pins) >= MAX_PINS:
        return None
    if _PIN_HINT.search(err):
        for name in re.findall(r"'([^']+)'", err):
            if name in case.info.inputs and name not in pins:
                return name
    if _SHAPE_HINT.search(err):
        for name, path in zip(case.info.inputs, inputs):
            if name not in pins and _small_int_input(path):
                return name
    return None


def _command(case, args, ds, inputs, pins):
    cmd = [args.mcc_run, case.model]
    if (args.named_inputs or pins) and len(case.info.inputs) == len(inputs):
        for n, p in zip(case.info.inputs, inputs):
            cmd.append(("--const=%s=%s" if n in pins else "--input=%s=%s") % (n, p))
    else:
        cmd += inputs
    cmd += ["--reference", os.path.join(case.dir, ds), "--rtol", RTOL, "--atol", ATOL]
    return cmd + args.mcc_run_arg


def run_case(case, args):
    """Runs every data set of the case. A compile error asking for an input's value at compile time (axes,
    sizes, shapes given as graph inputs) is retried with that input compiled as the data set's constant
    (mcc --const); such a pass is recorded in case.pinned."""
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    case.status = "pass"
    pins = []
    for ds in case.datasets:
        inputs = case.dataset_inputs(ds)
        while True:
            cmd = _command(case, args, ds, inputs, pins)
            remaining = deadline - time.monotonic()
            cat = msg = None
            rc = None
            if remaining <= 0:
                cat, msg = "timeout", "timed out after %gs (before %s)" % (args.timeout, ds)
                break
            try:
                p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
            except OSError as e:
                cat, msg = "crash", "cannot start mcc-run: %s" % e
                break
            try:
                out, err = p.communicate(timeout=remaining)
                rc = p.returncode
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.communicate()
                cat, msg = "timeout", "timed out after %gs (%s)" % (args.timeout, ds)
                break
            out = out.decode("utf-8", "replace")
            err = err.decode("utf-8", "replace")
            if rc == 2:
                name = _pinnable_input(case, err, pins, inputs)
                if name:
                    pins.append(name)
                    continue
            break
        if cat is None:
            if rc == 0:
                continue
            if rc == 1:
                cat = "mismatch"
                if _draws_random_numbers(case):
                    cat, msg = "random", _check_random_outputs(case, args, ds, cmd)
            elif rc == 2:
                cat = "unsupported" if re.search(r"unsupported", err, re.I) else "compile-error"
            elif rc == 3:
                cat = "run-error"
            else:
                cat = "crash"
            msg = msg or relevant_line(cat, err, out)
            if cat == "crash":
                what = _signame(rc) if rc < 0 else "exit code %d" % rc
                msg = what + (": " + msg if msg else "")
            elif not msg:
                msg = "exit code %d, no diagnostic" % rc
        if pins:
            msg = "(with --const %s) %s" % (",".join(pins), msg)
        case.status, case.category, case.message = "fail", cat, _truncate(msg)
        case.returncode, case.failed_dataset = rc, ds
        break
    case.pinned = pins
    case.seconds = time.monotonic() - t0
    return case


# --------------------------------------------------------------------------
# Reports.

def _table(headers, rows):
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return out


def _fmt_opsets(vs):
    return ", ".join(str(v) for v in sorted(vs))


def op_stats(cases):
    """op -> dict(total, passed, failed, skipped, opsets, reasons, cats)."""
    stats = {}
    for c in cases:
        for op in sorted(c.info.ops):
            s = stats.setdefault(op, {"total": 0, "passed": 0, "failed": 0, "skipped": 0,
                                      "opsets": set(), "reasons": [], "cats": {}})
            s["total"] += 1
            dom = op.rsplit(".", 1)[0] if "." in op else ""
            if dom in c.info.opsets:
                s["opsets"].add(c.info.opsets[dom])
            if c.status == "pass":
                s["passed"] += 1
            elif c.status == "skip":
                s["skipped"] += 1
            elif c.status == "fail":
                s["failed"] += 1
                s["cats"][c.category] = s["cats"].get(c.category, 0) + 1
                s["reasons"].append((op, c.category, c.message))
    return stats


def _short_reason(op, cat, msg):
    m = re.sub(r"\S*model\.onnx:\s*", "", msg)
    m = re.sub(r"^\s*error:\s*", "", m)
    m = re.sub(r"node '[^']*' ", "", m)
    m = re.sub(r"\(op '([^']*)'\):", r"\1:", m)
    m = re.sub(r"\d+\.\d+(e[-+]?\d+)?", "#", m)  # numbers in mismatch lines
    return _truncate("%s: %s" % (cat, m), 90)


def blamed_op(msg):
    """The op a diagnostic names, in mcc's style "node 'n1' (op 'Foo'): ...", or None."""
    m = re.search(r"\(op '([^']+)'\)", msg)
    return m.group(1) if m else None


def reasons_for(op, s, limit=3):
    """Distinct failure reasons of the cases containing op: those about this op
    (or naming none) first, then which other ops the remaining cases failed on."""
    seen, own, others = set(), [], {}
    bare = op.rsplit(".", 1)[-1]
    for _, cat, msg in s["reasons"]:
        b = blamed_op(msg)
        if b is not None and b != bare:
            others[b] = others.get(b, 0) + 1
            continue
        r = _short_reason(op, cat, msg)
        if r not in seen:
            seen.add(r)
            own.append(r)
    parts = own[:limit]
    if others:
        top = sorted(others.items(), key=lambda kv: (-kv[1], kv[0]))
        parts.append("blocked by other ops: " + ", ".join(
            "%s (%d)" % kv for kv in top[:4]) + (", ..." if len(top) > 4 else ""))
    return "; ".join(parts)


def write_ops_md(path, suites, listed_only, filtered):
    """suites: [(Suite, counts)], one column group each: opsets, cases passed/total, status, reasons."""
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    lines = [
        "# ONNX ops in the conformance suites",
        "",
        "Generated by `test/conformance/run_conformance.py` on %s; never edit by hand, "
        "regenerate with `--ops-md docs/ops.md`." % today,
        "",
    ]
    all_stats = []
    for suite in suites:
        stats = op_stats(suite.cases)
        all_stats.append(stats)
        n_pass, n_fail, n_skip = suite.counts()
        if not suite.have_data:
            lines.append("- %s: not run, no data at %s." % (suite.title, suite.data))
        elif listed_only:
            lines.append("- %s: inventory only (`--list`), no case was run. %d cases, %d skipped "
                         "(training domain), %d ops." % (suite.title, len(suite.cases), n_skip, len(stats)))
        else:
            lines.append("- %s: %d passed, %d failed, %d skipped of %d cases; %d ops: "
                         "%d supported, %d partial, %d unsupported." % (
                             suite.title, n_pass, n_fail, n_skip, len(suite.cases), len(stats),
                             *[sum(1 for st in stats.values() if _status(st) == k)
                               for k in ("supported", "partial", "unsupported")]))
    if filtered:
        lines.append("")
        lines.append("**Filtered run** (`--filter %s`): only part of the suites." % filtered)
    lines += [
        "",
        "One column group per suite. A case counts for every op its model contains (control-flow bodies "
        "included); multi-op cases (pytorch-converted, simple, the `_expanded` function bodies) so count for "
        "several ops. Opsets: the default-domain opset (or the op's own domain's) of the models containing "
        "the op. Status: supported = all its cases pass, unsupported = none does, partial = some do. "
        "Reasons: the first distinct failure messages of cases containing the op that name it "
        "(or no op), then the other ops that the diagnostics of its other failing cases name.",
        "",
    ]
    headers = ["op"]
    for suite in suites:
        t = suite.name
        headers += ["%s opsets" % t, "%s passed/total" % t, "%s status" % t, "%s reasons" % t]
    ops = set()
    for stats in all_stats:
        ops |= set(stats)
    rows = []
    for op in sorted(ops, key=lambda o: (o.count("."), o.lower())):
        row = [op]
        for stats in all_stats:
            s = stats.get(op)
            if s is None:
                row += ["", "", "", ""]
                continue
            run = s["total"] - s["skipped"]
            status = "not run" if listed_only else _status(s)
            cell = ("-/%d" if listed_only else "%d/%%d" % s["passed"]) % run
            if s["skipped"]:
                cell += " (%d skipped)" % s["skipped"]
            row += [_fmt_opsets(s["opsets"]), cell, status, "" if listed_only else reasons_for(op, s)]
        rows.append(row)
    lines += _table(headers, rows)
    lines.append("")
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(path, "w") as fh:
        fh.write("\n".join(lines))


def _status(s):
    run = s["total"] - s["skipped"]
    if run == 0:
        return "skipped"
    if s["passed"] == run:
        return "supported"
    if s["passed"] == 0:
        return "unsupported"
    return "partial"


# --------------------------------------------------------------------------

class Suite:
    def __init__(self, name, title, prefix, data, ratchet):
        self.name, self.title, self.prefix, self.data, self.ratchet = name, title, prefix, data, ratchet
        self.have_data = os.path.isdir(data)
        self.cases = []

    def counts(self):
        return tuple(sum(c.status == k for c in self.cases) for k in ("pass", "fail", "skip"))


def print_failure_tables(cases):
    print("Failures by category:")
    by_cat = {k: 0 for k in CATEGORIES}
    for c in cases:
        if c.status == "fail":
            by_cat[c.category] = by_cat.get(c.category, 0) + 1
    for line in _table(("category", "cases"), [(k, v) for k, v in by_cat.items() if v]):
        print(line)
    print()
    stats = op_stats(cases)
    failing = sorted((o for o in stats if stats[o]["failed"]), key=lambda o: (-stats[o]["failed"], o))
    print("Failures by op (top 30 of %d ops with failing cases; a case counts for every op it contains):"
          % len(failing))
    rows = []
    for o in failing[:30]:
        s = stats[o]
        top = max(s["cats"].items(), key=lambda kv: (kv[1], kv[0]))[0]
        named = sum(1 for _, _, m in s["reasons"] if blamed_op(m) == o.rsplit(".", 1)[-1])
        rows.append((o, s["failed"], s["total"] - s["skipped"], named, top))
    for line in _table(("op", "failing cases", "cases", "failures naming it", "main category"), rows):
        print(line)


def check_ratchet(suite, args):
    """Prints the suite's ratchet line (updating the file if asked); False when the ratchet fails."""
    n_pass = suite.counts()[0]
    try:
        with open(suite.ratchet) as fh:
            ratchet = int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        ratchet = 0
        print("%s: ratchet %s missing or unreadable, taken as 0" % (suite.name, suite.ratchet))
    if args.update_ratchet:
        if n_pass < ratchet:
            print("warning: lowering the ratchet from %d to %d" % (ratchet, n_pass))
        with open(suite.ratchet, "w") as fh:
            fh.write("%d\n" % n_pass)
        print("ratchet %s updated: %d -> %d" % (suite.ratchet, ratchet, n_pass))
    elif n_pass < ratchet:
        print("RATCHET FAILED: %d passed < %d required by %s "
              "(a case that passed before now fails; see FAIL lines)" % (n_pass, ratchet, suite.ratchet))
        return False
    else:
        print("ratchet ok: %d passed >= %d%s" % (
            n_pass, ratchet, " (run with --update-ratchet to raise it)" if n_pass > ratchet else ""))
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--mcc-run")
    ap.add_argument("--suite", choices=[n for n, _, _ in SUITES] + ["all"])
    ap.add_argument("--data")
    ap.add_argument("--onnx-data", default=DEFAULT_ONNX_DATA)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--filter")
    ap.add_argument("--ratchet")
    ap.add_argument("--onnx-ratchet", default=os.path.join(here, "ratchet-onnx-1.23.txt"))
    ap.add_argument("--update-ratchet", action="store_true")
    ap.add_argument("--ops-md")
    ap.add_argument("--results-json")
    ap.add_argument("--mcc-run-arg", action="append", default=[])
    ap.add_argument("--named-inputs", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.monotonic()
    if not args.list:
        if not args.mcc_run:
            ap.error("--mcc-run PATH is required (or --list)")
        if not (os.path.isfile(args.mcc_run) and os.access(args.mcc_run, os.X_OK)):
            ap.error("--mcc-run %s: not an executable file" % args.mcc_run)
        args.mcc_run = os.path.abspath(args.mcc_run)
    # --data/--ratchet alone keep their old meaning: the Debian suite only.
    which = args.suite or ("debian" if args.data or args.ratchet else "all")
    data = {"debian": args.data or DEFAULT_DATA, "onnx-1.23": args.onnx_data}
    ratchets = {"debian": args.ratchet or os.path.join(here, "ratchet.txt"), "onnx-1.23": args.onnx_ratchet}
    suites = [Suite(n, t, p, data[n], ratchets[n]) for n, t, p in SUITES if which in ("all", n)]
    if which in ("all", "debian") and not suites[0].have_data:
        ap.error("--data %s: no such folder (apt-get install -y libonnx-testdata)" % suites[0].data)
    if args.filter and args.update_ratchet:
        ap.error("--update-ratchet needs a full run (no --filter)")
    args.jobs = max(1, args.jobs)
    regex = re.compile(args.filter) if args.filter else None

    to_run = []
    for suite in suites:
        if not suite.have_data:
            print("suite %s: no data at %s (scripts/install-deps.sh --test writes it)" % (suite.name, suite.data))
            continue
        suite.cases = discover(suite.data, regex, suite.prefix)
        for c in suite.cases:
            c.info = _read_model(c.model)
            if TRAINING_DOMAIN in c.info.opsets:
                c.status, c.message = "skip", "training domain (%s) is out of scope" % TRAINING_DOMAIN
            elif c.info.error:
                c.status, c.category, c.message = "fail", "compile-error", _truncate(c.info.error)
            elif not c.datasets:
                c.status, c.message = "skip", "no test_data_set_* folder"
            else:
                to_run.append(c)
    cases = [c for suite in suites for c in suite.cases]
    if not cases:
        print("no cases found%s" % (" matching " + args.filter if regex else ""))

    if args.list:
        for c in cases:
            print("%s%s: %s" % ("SKIP " if c.status == "skip" else "", c.id, " ".join(sorted(c.info.ops))))
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(lambda c: run_case(c, args), to_run))

    if not args.list:
        for c in sorted(cases, key=lambda c: c.id):
            if c.status == "fail":
                print("FAIL %s: %s: %s" % (c.id, c.category, c.message))
            elif c.status == "skip":
                print("SKIP %s: %s" % (c.id, c.message))
            elif args.verbose:
                print("PASS %s (%.2fs%s)" % (c.id, c.seconds,
                                             ", --const " + ",".join(c.pinned) if c.pinned else ""))
        for suite in suites:
            if suite.cases:
                print()
                print("== %s (%s)" % (suite.name, suite.title))
                print_failure_tables(suite.cases)
        slow = sorted((c for c in to_run), key=lambda c: -c.seconds)[:5]
        if slow:
            print()
            print("Slowest cases: " + ", ".join("%s %.1fs" % (c.id, c.seconds) for c in slow))

    n_pass, n_fail, n_skip = (sum(s.counts()[i] for s in suites) for i in range(3))
    if args.results_json:
        res = {
            "mcc_run": args.mcc_run, "data": suites[0].data, "filter": args.filter,
            "rtol": float(RTOL), "atol": float(ATOL), "timeout": args.timeout,
            "passed": n_pass, "failed": n_fail, "skipped": n_skip,
            "suites": {s.name: dict(zip(("passed", "failed", "skipped"), s.counts()), data=s.data,
                                    ran=s.have_data) for s in suites},
            "cases": [{
                "case": c.id, "status": c.status if not args.list else "listed",
                "category": c.category, "message": c.message,
                "returncode": c.returncode, "failed_dataset": c.failed_dataset,
                "seconds": round(c.seconds, 3), "ops": sorted(c.info.ops), "pinned": c.pinned,
                "opsets": c.info.opsets,
            } for c in cases],
        }
        with open(args.results_json, "w") as fh:
            json.dump(res, fh, indent=1, sort_keys=True)

    if args.ops_md:
        write_ops_md(args.ops_md, suites, args.list, args.filter)
        print("wrote %s" % args.ops_md)

    rc = 0
    print()
    for suite in suites:
        if not args.list and suite.have_data:
            pinned = sum(1 for c in suite.cases if c.status == "pass" and c.pinned)
            print("suite %s: %d passed, %d failed, %d skipped%s" % (
                (suite.name,) + suite.counts() +
                ((" (%d passed with inputs compiled as constants, mcc --const: their axes, sizes or "
                  "shapes must be known at compile time)" % pinned) if pinned else "",)))
        if args.list:
            continue
        if args.filter:
            print("ratchet not checked: filtered run (--filter)")
        elif not suite.have_data:
            print("suite %s: FAILED, no data at %s" % (suite.name, suite.data))
            rc = 1
        elif not check_ratchet(suite, args):
            rc = 1
    print("elapsed %.1fs (%d cases run, jobs=%d, model reader: %s)" % (
        time.monotonic() - t0, 0 if args.list else len(to_run), args.jobs,
        "onnx" if _HAVE_ONNX else "built-in"))
    print("%d passed, %d failed, %d skipped" % (n_pass, n_fail, n_skip))
    sys.stdout.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())
