#!/usr/bin/python3
"""ONNX backend-suite conformance runner for mcc.

Runs every case of the ONNX backend test suite (package libonnx-testdata:
<data>/{node,simple,pytorch-converted,pytorch-operator}/<case>/model.onnx with
test_data_set_*/{input_*.pb,output_*.pb}) through `mcc-run`, which compiles the
model exactly as `mcc` does, runs it and compares with the expected outputs:

    mcc-run <case>/model.onnx <input_0.pb> <input_1.pb> ... \\
            --reference <test_data_set_dir> --rtol 1e-3 --atol 1e-7

mcc-run exit codes: 0 match, 1 mismatch, 2 compile error (stderr names the node
and op; "unsupported" in it makes the category `unsupported`), 3 run error;
anything else (a signal, another code) is a `crash`, and running past --timeout
is a `timeout`. A case stops at its first failing data set.

Usage (run with /usr/bin/python3, which has python3-onnx; without onnx a
built-in protobuf reader is used):

    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run
    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run --filter 'node/test_(relu|conv)'
    test/conformance/run_conformance.py --mcc-run build/bin/mcc-run --update-ratchet \\
        --ops-md docs/ops.md --results-json /tmp/conformance.json
    test/conformance/run_conformance.py --list --ops-md docs/ops.md   # inventory only, runs nothing

Options:
    --mcc-run PATH       the mcc-run binary (required unless --list)
    --data DIR           suite root (default /usr/share/libonnx-testdata/data;
                         `apt-get install -y libonnx-testdata` if missing)
    --jobs N             parallel mcc-run processes (default: os.cpu_count())
    --timeout S          seconds per case, all its data sets together (default 60)
    --filter REGEX       only cases whose name (e.g. node/test_relu) matches (re.search)
    --ratchet FILE       minimum passing count (default: ratchet.txt next to this script)
    --update-ratchet     write this run's passed count to the ratchet file
    --ops-md PATH        write the op x status table (docs/ops.md)
    --results-json PATH  write per-case results as JSON
    --mcc-run-arg ARG    extra argument for mcc-run (repeatable), e.g. --mcc-run-arg=-O0
    --named-inputs       pass inputs as `--input NAME=FILE` instead of positionally
    --list               run nothing: list cases and their ops (with --ops-md: an inventory)
    -v, --verbose        also print a PASS line per passing case

Output: one line per failed or skipped case, sorted by case name:
    FAIL node/test_foo: <category>: <first relevant stderr line, <= 200 chars>
    SKIP node/test_adam: <reason>
categories: unsupported, compile-error, mismatch, random, run-error, crash, timeout.
`random`: a mismatch in a model with random ops (Bernoulli, RandomUniform(Like), RandomNormal(Like),
Multinomial, Dropout in training mode): the expected values come from numpy's generator and mcc has
its own, so such a case cannot pass; the runner then checks the output shapes, dtypes and 0/1-ness
instead and says so in the reason. These cases still count as failed.
Then tables of failures by category and by op (top 30), the elapsed time, and
as the very last line:
    N passed, N failed, N skipped

Exit status: 1 when passed < the ratchet (failures alone do not fail the run),
2 for a usage error, else 0. With --filter the ratchet is not checked and
cannot be updated. Only cases of the training domain (opset_import domain
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
    def __init__(self, data, folder, name):
        self.folder, self.name = folder, name
        self.id = folder + "/" + name
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
        self.seconds = 0.0

    def dataset_inputs(self, ds):
        d = os.path.join(self.dir, ds)
        files = [f for f in os.listdir(d) if re.fullmatch(r"input_\d+\.pb", f)]
        return [os.path.join(d, f) for f in sorted(files, key=lambda f: _num_suffix(f[:-3]))]


def discover(data, regex):
    cases = []
    for folder in FOLDERS:
        root = os.path.join(data, folder)
        if not os.path.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            if not os.path.isfile(os.path.join(root, name, "model.onnx")):
                continue
            cid = folder + "/" + name
            if regex and not regex.search(cid):
                continue
            cases.append(Case(data, folder, name))
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


def run_case(case, args):
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    case.status = "pass"
    for ds in case.datasets:
        inputs = case.dataset_inputs(ds)
        cmd = [args.mcc_run, case.model]
        if args.named_inputs and len(case.info.inputs) == len(inputs):
            cmd += ["--input=%s=%s" % (n, p) for n, p in zip(case.info.inputs, inputs)]
        else:
            cmd += inputs
        cmd += ["--reference", os.path.join(case.dir, ds), "--rtol", RTOL, "--atol", ATOL]
        cmd += args.mcc_run_arg
        remaining = deadline - time.monotonic()
        cat = msg = None
        rc = None
        if remaining <= 0:
            cat, msg = "timeout", "timed out after %gs (before %s)" % (args.timeout, ds)
        else:
            try:
                p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
            except OSError as e:
                case.status, case.category = "fail", "crash"
                case.message, case.failed_dataset = _truncate("cannot start mcc-run: %s" % e), ds
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
            if cat is None:
                out = out.decode("utf-8", "replace")
                err = err.decode("utf-8", "replace")
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
        case.status, case.category, case.message = "fail", cat, _truncate(msg)
        case.returncode, case.failed_dataset = rc, ds
        break
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


def write_ops_md(path, cases, counts, listed_only, filtered):
    stats = op_stats(cases)
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    n_pass, n_fail, n_skip = counts
    lines = [
        "# ONNX ops in the conformance suite",
        "",
        "Generated by `test/conformance/run_conformance.py` on %s; never edit by hand, "
        "regenerate with `--ops-md docs/ops.md`." % today,
        "",
    ]
    if listed_only:
        lines.append("Inventory only (`--list`): no case was run. %d cases, %d skipped "
                     "(training domain), %d ops." % (len(cases), n_skip, len(stats)))
    else:
        lines.append("Totals: %d passed, %d failed, %d skipped of %d cases; %d ops: "
                     "%d supported, %d partial, %d unsupported." % (
                         n_pass, n_fail, n_skip, len(cases), len(stats),
                         *[sum(1 for s in stats.values() if _status(s) == k)
                           for k in ("supported", "partial", "unsupported")]))
    if filtered:
        lines.append("")
        lines.append("**Filtered run** (`--filter %s`): only part of the suite." % filtered)
    lines += [
        "",
        "A case counts for every op its model contains (control-flow bodies included); "
        "multi-op cases (pytorch-converted, simple) so count for several ops. "
        "Opsets: the default-domain opset (or the op's own domain's) of the models containing the op. "
        "Status: supported = all its cases pass, unsupported = none does, partial = some do. "
        "Reasons: the first distinct failure messages of cases containing the op that name it "
        "(or no op), then the other ops that the diagnostics of its other failing cases name.",
        "",
    ]
    rows = []
    for op in sorted(stats, key=lambda o: (o.count("."), o.lower())):
        s = stats[op]
        run = s["total"] - s["skipped"]
        status = "not run" if listed_only else _status(s)
        cell = ("-/%d" if listed_only else "%d/%%d" % s["passed"]) % run
        if s["skipped"]:
            cell += " (%d skipped)" % s["skipped"]
        rows.append((op, _fmt_opsets(s["opsets"]), cell, status,
                     "" if listed_only else reasons_for(op, s)))
    lines += _table(("op", "opsets seen", "cases passed/total", "status", "reasons"), rows)
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

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mcc-run")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--filter")
    ap.add_argument("--ratchet",
                    default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "ratchet.txt"))
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
    if not os.path.isdir(args.data):
        ap.error("--data %s: no such folder (apt-get install -y libonnx-testdata)" % args.data)
    if args.filter and args.update_ratchet:
        ap.error("--update-ratchet needs a full run (no --filter)")
    args.jobs = max(1, args.jobs)
    regex = re.compile(args.filter) if args.filter else None

    cases = discover(args.data, regex)
    if not cases:
        print("no cases found under %s%s" % (args.data, " matching " + args.filter if regex else ""))
    to_run = []
    for c in cases:
        c.info = _read_model(c.model)
        if TRAINING_DOMAIN in c.info.opsets:
            c.status, c.message = "skip", "training domain (%s) is out of scope" % TRAINING_DOMAIN
        elif c.info.error:
            c.status, c.category, c.message = "fail", "compile-error", _truncate(c.info.error)
        elif not c.datasets:
            c.status, c.message = "skip", "no test_data_set_* folder"
        else:
            to_run.append(c)

    if args.list:
        for c in cases:
            print("%s%s: %s" % ("SKIP " if c.status == "skip" else "", c.id, " ".join(sorted(c.info.ops))))
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            list(pool.map(lambda c: run_case(c, args), to_run))

    n_pass = sum(c.status == "pass" for c in cases)
    n_fail = sum(c.status == "fail" for c in cases)
    n_skip = sum(c.status == "skip" for c in cases)

    if not args.list:
        for c in cases:
            if c.status == "fail":
                print("FAIL %s: %s: %s" % (c.id, c.category, c.message))
            elif c.status == "skip":
                print("SKIP %s: %s" % (c.id, c.message))
            elif args.verbose:
                print("PASS %s (%.2fs)" % (c.id, c.seconds))

        print()
        print("Failures by category:")
        by_cat = {k: 0 for k in CATEGORIES}
        for c in cases:
            if c.status == "fail":
                by_cat[c.category] = by_cat.get(c.category, 0) + 1
        for line in _table(("category", "cases"), [(k, v) for k, v in by_cat.items() if v]):
            print(line)
        print()
        stats = op_stats(cases)
        failing = sorted((o for o in stats if stats[o]["failed"]),
                         key=lambda o: (-stats[o]["failed"], o))
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
        slow = sorted((c for c in to_run), key=lambda c: -c.seconds)[:5]
        if slow:
            print()
            print("Slowest cases: " + ", ".join("%s %.1fs" % (c.id, c.seconds) for c in slow))

    if args.results_json:
        res = {
            "mcc_run": args.mcc_run, "data": args.data, "filter": args.filter,
            "rtol": float(RTOL), "atol": float(ATOL), "timeout": args.timeout,
            "passed": n_pass, "failed": n_fail, "skipped": n_skip,
            "cases": [{
                "case": c.id, "status": c.status if not args.list else "listed",
                "category": c.category, "message": c.message,
                "returncode": c.returncode, "failed_dataset": c.failed_dataset,
                "seconds": round(c.seconds, 3), "ops": sorted(c.info.ops),
                "opsets": c.info.opsets,
            } for c in cases],
        }
        with open(args.results_json, "w") as fh:
            json.dump(res, fh, indent=1, sort_keys=True)

    if args.ops_md:
        write_ops_md(args.ops_md, cases, (n_pass, n_fail, n_skip), args.list, args.filter)
        print("wrote %s" % args.ops_md)

    rc = 0
    if not args.list:
        if args.filter:
            print("ratchet not checked: filtered run (--filter)")
        else:
            try:
                with open(args.ratchet) as fh:
                    ratchet = int(fh.read().split()[0])
            except (OSError, ValueError, IndexError):
                ratchet = 0
                print("ratchet: %s missing or unreadable, taken as 0" % args.ratchet)
            if args.update_ratchet:
                if n_pass < ratchet:
                    print("warning: lowering the ratchet from %d to %d" % (ratchet, n_pass))
                with open(args.ratchet, "w") as fh:
                    fh.write("%d\n" % n_pass)
                print("ratchet %s updated: %d -> %d" % (args.ratchet, ratchet, n_pass))
            elif n_pass < ratchet:
                print("RATCHET FAILED: %d passed < %d required by %s "
                      "(a case that passed before now fails; see FAIL lines)" % (n_pass, ratchet, args.ratchet))
                rc = 1
            else:
                print("ratchet ok: %d passed >= %d%s" % (
                    n_pass, ratchet, " (run with --update-ratchet to raise it)" if n_pass > ratchet else ""))
    print("elapsed %.1fs (%d cases run, jobs=%d, model reader: %s)" % (
        time.monotonic() - t0, 0 if args.list else len(to_run), args.jobs,
        "onnx" if _HAVE_ONNX else "built-in"))
    print("%d passed, %d failed, %d skipped" % (n_pass, n_fail, n_skip))
    sys.stdout.flush()
    return rc


if __name__ == "__main__":
    sys.exit(main())
