#!/usr/bin/env python3
"""The speed benchmark's driver: mcc against ONNX Runtime, OpenVINO and IREE, alternating, on one machine.

Run through bench/run.sh, which installs the peers and builds mcc first. Usage (the python of
build/bench-venv, or of any environment where some peers are missing: they are then shown as "—"):
    bench.py --mcc BUILD/bin/mcc --rt-dir BUILD/runtime --work DIR --md FILE --json FILE
             [--models a,b] [--runs N] [--min-runs N] [--budget S] [--rounds R] [--threads T]
             [--peers ort,openvino,iree] [--note TEXT] [--command TEXT]

For each model: make it (bench/models.py under /usr/bin/python3, cached in DIR/models), count its GFLOP,
compile it with mcc and link the generated object into a C harness (bench/harness.py), load it in each
peer (bench/peers.py, one process each), then time them all in alternating rounds. Each runtime first
runs once (after its own warm-up) to estimate its latency, which sets its run count: as many as fit in
--budget seconds, at least --min-runs, at most --runs; these runs are spread over --rounds rounds, in
each of which every runtime takes its share in turn (the order rotating), so slow drifts in the machine's
load fall on all of them. Medians are reported. Outputs are checked against ONNX Runtime's.
"""
import argparse
import json
import os
import re
import selectors
import shlex
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import flops  # noqa: E402
import harness  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402

RUNTIMES = ["mcc", "ort", "openvino", "iree"]
RTOL = 1e-3  # outputs may differ by reassociation of float sums, not more


class Worker:
    """A runtime in its own process, speaking the line protocol of harness.py and peers.py."""

    def __init__(self, name, cmd, log_path):
        self.name, self.error, self.times, self.cpu, self.prepare_s, self.note = name, None, [], [], None, None
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     text=True, bufsize=1)

    def _line(self, timeout):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = sel.select(timeout)
        sel.close()
        if not ready:
            return None
        return self.proc.stdout.readline()

    def _fail(self, reason):
        self.error = reason
        self.close()

    def _stderr_tail(self):
        self.log.flush()
        lines = [l.strip() for l in open(self.log_path, errors="replace") if l.strip()]
        return lines[-1] if lines else "no message"

    def wait_ready(self, timeout):
        line = self._line(timeout)
        if line is None:
            self._fail("did not load the model in %d s" % timeout)
        elif line.startswith("ready"):
            parts = line.split(None, 2)
            self.prepare_s = float(parts[1]) if len(parts) > 1 else None
            self.note = parts[2].strip() if len(parts) > 2 else None
        elif line.startswith("error"):
            self._fail(line[len("error"):].strip())
        else:
            self.proc.wait(10)
            self._fail("exited with status %s: %s" % (self.proc.returncode, self._stderr_tail()))
        return self.error is None

    def run(self, n, timeout):
        """Runs n times; returns the wall-clock latencies (kept in self.times, the CPU times in self.cpu),
        or None once failed."""
        if self.error or n <= 0:
            return None if self.error else []
        self.proc.stdin.write("%d\n" % n)
        self.proc.stdin.flush()
        line = self._line(timeout)
        if line is None:
            self._fail("a run took more than %d s (stopped)" % (timeout / max(n, 1)))
            return None
        if not line.strip():
            self.proc.wait(10)
            self._fail("crashed while running (status %s): %s" % (self.proc.returncode, self._stderr_tail()))
            return None
        pairs = [[float(x) for x in t.split(",")] for t in line.split()]
        self.times += [w for w, _ in pairs]
        self.cpu += [c for _, c in pairs]
        return [w for w, _ in pairs]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("\n")
                self.proc.stdin.flush()
                self.proc.wait(30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def make_models(models_dir, names):
    """{name: [input .npy paths]} through bench/models.py under Debian's python (torch lives there)."""
    r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "models.py"), models_dir] + names,
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit("bench: making the models failed:\n" + r.stderr[-3000:])
    out = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        out[parts[0]] = parts[1:]
    return out


def model_list():
    r = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "models.py"), "--list"], capture_output=True,
                       text=True, check=True)
    return dict(line.split("\t", 1) for line in r.stdout.splitlines())


def start_mcc(args, model, inputs, work):
    """Compile with mcc, link the harness, start it; returns (Worker or None, error, compile seconds,
    output specs)."""
    d = os.path.join(work, "mcc")
    try:
        exe, ins, outs, compile_s = harness.build(args.mcc, args.rt_dir, model, d, args.cc)
    except RuntimeError as e:
        return None, str(e), None, None
    arrays = [np.load(p) for p in inputs]
    bins = []
    for i, ((field, _, dtype, shape), x) in enumerate(zip(ins, arrays)):
        if x.dtype != np.dtype(harness.DTYPES[dtype][0]) or list(x.shape) != shape:
            return None, "input %s: the header says %s%s, the data is %s%s" % (
                field, dtype, shape, x.dtype, list(x.shape)), compile_s, None
        bins.append(os.path.join(d, "input_%d.bin" % i))
        np.ascontiguousarray(x).astype(x.dtype.newbyteorder("<")).tofile(bins[-1])
    threads = ["--threads", str(args.threads)] if args.threads > 1 else []  # libmcc_rt's default pool
    return Worker("mcc", [exe] + threads + bins + [d], os.path.join(d, "harness.log")), None, compile_s, outs


def start_peer(args, peer, model, inputs, work):
    d = os.path.join(work, peer)
    os.makedirs(d, exist_ok=True)
    return Worker(peer, [sys.executable, os.path.join(HERE, "peers.py"), peer, model, d, str(args.threads)]
                  + inputs, os.path.join(d, "peer.log"))


def outputs_of(worker, work, mcc_outs):
    d = os.path.join(work, worker.name)
    if worker.name == "mcc":
        return [np.fromfile(os.path.join(d, "output_%d.bin" % i), dtype=harness.DTYPES[dt][0]).reshape(shape)
                for i, (_, _, dt, shape) in enumerate(mcc_outs)]
    n = len([p for p in os.listdir(d) if re.match(r"output_\d+\.npy$", p)])
    return [np.load(os.path.join(d, "output_%d.npy" % i)) for i in range(n)]


def compare(got, ref):
    """Largest |difference| relative to the largest |reference| value, over all outputs (None: shapes
    differ)."""
    if len(got) != len(ref):
        return None
    worst = 0.0
    for g, r in zip(got, ref):
        if g.shape != r.shape:
            return None
        r64, g64 = r.astype(np.float64), g.astype(np.float64)
        scale = max(float(np.max(np.abs(r64))) if r64.size else 0.0, 1e-6)
        worst = max(worst, float(np.max(np.abs(g64 - r64))) / scale if r64.size else 0.0)
    return worst


def time_model(args, name, model, inputs, work):
    """Times one model on every runtime; returns its result record."""
    rec = {"name": name, "gflop": flops.gflop(model), "runtimes": {}}
    workers = []
    mcc, err, compile_s, mcc_outs = start_mcc(args, model, inputs, work)
    rec["mcc_compile_s"] = compile_s
    if mcc is None:
        rec["runtimes"]["mcc"] = {"error": err}
    else:
        workers.append(mcc)
    for peer in args.peers:
        workers.append(start_peer(args, peer, model, inputs, work))
    live = [w for w in workers if w.wait_ready(args.prepare_timeout)]

    # Round 0: one run each (plus a few more when runs are short) to estimate the latency.
    plan = {}
    for w in live:
        first = w.run(1, args.run_timeout)
        if first is None:
            continue
        if first[0] < 50:
            w.run(min(20, int(200 / max(first[0], 1e-3))), args.run_timeout)
        est = statistics.median(w.times) / 1e3 if w.times else 1.0
        plan[w.name] = max(args.min_runs, min(args.runs, int(args.budget / max(est, 1e-9))))
    remaining = {w.name: max(0, plan.get(w.name, 0) - len(w.times)) for w in live}
    rounds = min(args.rounds, max(list(remaining.values()) + [0]))
    for r in range(rounds):
        order = live[r % len(live):] + live[:r % len(live)]  # rotate who goes first
        for w in order:
            left = remaining[w.name]
            n = left * (r + 1) // rounds - left * r // rounds
            if n and not w.error:
                est = statistics.median(w.times) / 1e3
                w.run(n, max(args.run_timeout, 10 * n * est))
                time.sleep(0.05)  # let another runtime's spinning worker threads go idle
    for w in workers:
        w.close()

    ref = outputs_of(next(w for w in workers if w.name == "ort"), work, mcc_outs) \
        if any(w.name == "ort" and not w.error for w in workers) else None
    for w in workers:
        entry = {"error": w.error, "prepare_s": w.prepare_s, "note": w.note}
        if not w.error:
            chosen = w.cpu if args.clock == "cpu" else w.times
            entry.update(median_ms=statistics.median(chosen), min_ms=min(chosen), runs=len(w.times),
                         wall_median_ms=statistics.median(w.times), cpu_median_ms=statistics.median(w.cpu))
            if ref is not None and w.name != "ort":
                entry["max_rel_err"] = compare(outputs_of(w, work, mcc_outs), ref)
        rec["runtimes"][w.name] = entry
    for peer in RUNTIMES[1:]:
        rec["runtimes"].setdefault(peer, {"error": "not run (--peers)"})
    return rec


def fma_peak(args):
    """(GFLOP/s, None) from bench/peak/peak.c, or (None, reason)."""
    src = args.peak_src or os.path.join(HERE, "peak", "peak.c")
    if not os.path.exists(src):
        return None, "bench/peak/peak.c is not in this checkout yet"
    exe = os.path.join(args.work, "peak")
    r = subprocess.run([args.cc, "-O2", "-march=native", "-ffp-contract=fast", src, "-o", exe, "-lm"],
                       capture_output=True, text=True)
    if r.returncode:
        return None, "bench/peak/peak.c did not compile: %s" % harness._last_line(r.stderr)
    try:
        r = subprocess.run([exe], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "bench/peak/peak did not finish in 120 s"
    m = re.search(r"([0-9]+(?:\.[0-9]+)?)\s*GFLOP/?s", r.stdout, re.I) or \
        re.search(r"([0-9]+(?:\.[0-9]+)?)\s*$", r.stdout.strip())
    if r.returncode or not m:
        return None, "bench/peak/peak printed no GFLOP/s figure (status %d)" % r.returncode
    return float(m.group(1)), None


def machine():
    info = {"cores": os.cpu_count()}
    fields = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if ":" in line:
                k, v = [s.strip() for s in line.split(":", 1)]
                fields.setdefault(k, v)
    info["cpu"] = "%s (family %s, model %s)" % (fields.get("model name", "?"), fields.get("cpu family", "?"),
                                                fields.get("model", "?"))
    flags = fields.get("flags", "").split()
    info["isa"] = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    if "avx512_bf16" in flags:
        info["isa"] += " (with BF16)"
    return info


def versions(args):
    import importlib.metadata as md
    v = {}
    for peer, dist in (("ort", "onnxruntime"), ("openvino", "openvino"), ("iree", "iree-base-runtime")):
        try:
            v[peer] = md.version(dist)
            if peer == "iree":
                v[peer] += " (compiler %s)" % md.version("iree-base-compiler")
        except md.PackageNotFoundError:
            v[peer] = None
    root = os.path.join(HERE, "..")
    r = subprocess.run(["git", "-C", root, "describe", "--always", "--dirty", "--tags"], capture_output=True,
                       text=True)
    b = subprocess.run(["git", "-C", root, "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True)
    m = subprocess.run([args.mcc, "--version"], capture_output=True, text=True)
    first = (m.stdout + m.stderr).strip().splitlines()
    v["mcc"] = "%s; git %s %s" % (first[0] if first else "?", b.stdout.strip() or "?", r.stdout.strip() or "?")
    v["python"] = sys.version.split()[0]
    return v


def write_markdown(doc, md, json_path):
    text = report.markdown(doc, os.path.relpath(json_path, os.path.dirname(os.path.abspath(md))))
    with open(md, "w") as f:
        f.write(text)


def main(argv):
    ap = argparse.ArgumentParser(description="mcc vs ONNX Runtime, OpenVINO, IREE")
    ap.add_argument("--mcc")
    ap.add_argument("--rt-dir", help="folder of libmcc_rt.a")
    ap.add_argument("--work")
    ap.add_argument("--md", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--render", action="store_true",
                    help="only write --md again from the results in --json (after a change to report.py)")
    ap.add_argument("--models", default="")
    ap.add_argument("--peers", default="ort,openvino,iree")
    ap.add_argument("--runs", type=int, default=1000, help="at most this many timed runs per runtime and model")
    ap.add_argument("--min-runs", type=int, default=3)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds of timed runs per runtime and model")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="what the table shows: elapsed time, or the process's CPU time (steadier on a busy "
                         "machine; with one thread only)")
    ap.add_argument("--prepare-timeout", type=int, default=1800)
    ap.add_argument("--run-timeout", type=int, default=600)
    ap.add_argument("--cc", default="clang-22")
    ap.add_argument("--peak-src", default="", help="the FMA peak program (default bench/peak/peak.c)")
    ap.add_argument("--note", default="")
    ap.add_argument("--command", default="sh bench/run.sh")
    args = ap.parse_args(argv[1:])
    if args.render:
        with open(args.json) as f:
            doc = json.load(f)
        write_markdown(doc, args.md, args.json)
        print(report.table(doc))
        return 0
    if not (args.mcc and args.rt_dir and args.work):
        ap.error("--mcc, --rt-dir and --work are needed to run the benchmark")
    if "--command" in argv:  # run.sh passes the user's options after its own: show them quoted
        args.command += "".join(" " + shlex.quote(a) for a in argv[argv.index("--command") + 2:])
    args.peers = [p for p in args.peers.split(",") if p]
    bad = [p for p in args.peers if p not in RUNTIMES[1:]]
    if bad or args.threads < 1 or args.runs < args.min_runs or args.min_runs < 1:
        ap.error("peers are %s; --threads >= 1; 1 <= --min-runs <= --runs" % ",".join(RUNTIMES[1:]))
    if args.clock == "cpu" and args.threads > 1:
        ap.error("--clock cpu adds up the time of every thread: use it with --threads 1")
    known = model_list()
    names = [m for m in args.models.split(",") if m] or list(known)
    unknown = [m for m in names if m not in known]
    if unknown:
        ap.error("unknown model(s) %s; known: %s" % (",".join(unknown), ",".join(known)))
    os.makedirs(args.work, exist_ok=True)

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    vers = versions(args)  # before the runs: the checkout may change while they go on
    peak, peak_why = fma_peak(args)
    print("bench: FMA peak %s" % ("%.1f GFLOP/s" % peak if peak else "— (%s)" % peak_why), flush=True)
    print("bench: making models %s" % ",".join(names), flush=True)
    inputs = make_models(os.path.join(args.work, "models"), names)
    results = []
    for name in names:
        t0 = time.time()
        print("bench: %s ..." % name, flush=True)
        rec = time_model(args, name, os.path.join(args.work, "models", name + ".onnx"), inputs[name],
                         os.path.join(args.work, name))
        rec["description"] = known[name]
        results.append(rec)
        print("bench: %s done in %.0f s: %s" % (name, time.time() - t0, report.one_line(rec)), flush=True)
    doc = {"generated": started, "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "command": args.command, "note": args.note, "threads": args.threads, "clock": args.clock,
           "machine": machine(), "load_average": {"start": load_before[0], "end": os.getloadavg()[0]},
           "fma_peak_gflops": peak, "fma_peak_missing": peak_why, "versions": vers,
           "settings": {"runs": args.runs, "min_runs": args.min_runs, "budget_s": args.budget,
                        "rounds": args.rounds, "rtol": RTOL, "iree_flags": peers.IREE_CONFIGS[0][1]},
           "models": results}
    report.summarise(doc)
    for path in (args.md, args.json):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    write_markdown(doc, args.md, args.json)
    print(report.table(doc))
    print("bench: wrote %s and %s" % (args.md, args.json))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
