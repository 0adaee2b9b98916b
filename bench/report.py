"""The benchmark's table, summary and docs/performance.md, from the results record that bench.py builds
(the same record it writes as JSON)."""
import math
import shlex

PEERS = [("ort", "ORT"), ("openvino", "OpenVINO"), ("iree", "IREE")]
LABEL = dict([("mcc", "mcc")] + PEERS)
CLOCKS = {"wall": "elapsed time", "cpu": "CPU time of the process, less inflated than elapsed time by other "
          "work on the machine; the JSON has both"}


def _fmt(v, unit=""):
    """Three significant digits, no exponent."""
    if v is None:
        return "—"
    if v >= 100:
        s = "%.0f" % v
    elif v >= 10:
        s = "%.1f" % v
    elif v >= 1:
        s = "%.2f" % v
    elif v >= 0.01:
        s = "%.3f" % v
    else:
        s = "%.2g" % v
    return s + unit


def _ok(entry):
    return entry and not entry.get("error") and entry.get("median_ms") is not None


def summarise(doc):
    """Adds each model's ratios and GFLOP/s, and the geometric means, to `doc`."""
    ratios_best, ratios_ort = [], []
    for rec in doc["models"]:
        rt = rec["runtimes"]
        mcc = rt.get("mcc")
        peers = [rt[p]["median_ms"] for p, _ in PEERS if _ok(rt.get(p))]
        rec["best_peer_ms"] = min(peers) if peers else None
        rec["mcc_over_best"] = mcc["median_ms"] / min(peers) if _ok(mcc) and peers else None
        rec["mcc_over_ort"] = mcc["median_ms"] / rt["ort"]["median_ms"] if _ok(mcc) and _ok(rt.get("ort")) else None
        rec["mcc_gflops"] = rec["gflop"] / (mcc["median_ms"] / 1e3) if _ok(mcc) and rec["gflop"] else None
        if rec["mcc_over_best"]:
            ratios_best.append(rec["mcc_over_best"])
        if rec["mcc_over_ort"]:
            ratios_ort.append(rec["mcc_over_ort"])
    geo = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None  # noqa: E731
    doc["geomean"] = {"mcc_over_best": geo(ratios_best), "mcc_over_ort": geo(ratios_ort),
                      "models_best": len(ratios_best), "models_ort": len(ratios_ort)}


def _notes(doc):
    """{(runtime, reason): number} for every failed, deviating or mismatching cell, in table order."""
    notes = {}
    for rec in doc["models"]:
        for rt in ["mcc"] + [p for p, _ in PEERS]:
            for why in _reasons(rec["runtimes"].get(rt, {}), doc):
                if (rt, why) not in notes:
                    notes[(rt, why)] = len(notes) + 1
    return notes


def _reasons(entry, doc):
    if entry.get("error"):
        return [entry["error"]]
    out = [entry["note"]] if entry.get("note") else []
    err = entry.get("max_rel_err", 0.0)
    if err is None:
        out.append("outputs have other shapes than ONNX Runtime's")
    elif err > doc["settings"]["rtol"]:
        out.append("outputs differ from ONNX Runtime's (max |difference| / max |value| = %.2g)" % err)
    return out


def table(doc):
    notes = _notes(doc)
    peak = doc.get("fma_peak_gflops")
    head = ["model", "GFLOP", "mcc ms", "ORT ms", "OpenVINO ms", "IREE ms", "mcc/best peer", "mcc/ORT",
            "mcc GFLOP/s" + (" (% of peak)" if peak else ""), "runs mcc/ORT/OV/IREE"]
    rows = [head, ["---"] * len(head)]
    for rec in doc["models"]:
        cells = [rec["name"], _fmt(rec["gflop"])]
        runs = []
        for rt in ["mcc"] + [p for p, _ in PEERS]:
            entry = rec["runtimes"].get(rt, {})
            cell = _fmt(entry.get("median_ms")) if _ok(entry) else "—"
            for why in _reasons(entry, doc):
                cell += " [%d]" % notes[(rt, why)]
            cells.append(cell)
            runs.append(str(entry.get("runs", "—")) if _ok(entry) else "—")
        gf = rec["mcc_gflops"]
        cells += [_fmt(rec["mcc_over_best"]), _fmt(rec["mcc_over_ort"]),
                  _fmt(gf) + (" (%.1f%%)" % (100 * gf / peak) if gf and peak else "")]
        cells.append("/".join(runs))
        rows.append(cells)
    g = doc["geomean"]
    rows.append(["**geometric mean**", "", "", "", "", "", "**%s**" % _fmt(g["mcc_over_best"]),
                 "**%s**" % _fmt(g["mcc_over_ort"]), "", ""])
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    for (rt, why), n in sorted(notes.items(), key=lambda kv: kv[1]):
        models = [rec["name"] for rec in doc["models"] if why in _reasons(rec["runtimes"].get(rt, {}), doc)]
        lines.append("")
        lines.append("[%d] %s on %s: %s" % (n, LABEL[rt], ", ".join(models), why))
    return "\n".join(lines)


def one_line(rec):
    parts = []
    for rt in ["mcc"] + [p for p, _ in PEERS]:
        e = rec["runtimes"].get(rt, {})
        parts.append("%s %s" % (LABEL[rt], _fmt(e["median_ms"], " ms") if _ok(e) else "— (%s)" % e.get("error")))
    return ", ".join(parts)


def markdown(doc, json_name):
    m, v, la = doc["machine"], doc["versions"], doc["load_average"]
    peak = doc.get("fma_peak_gflops")
    s = doc["settings"]
    ver = lambda x: x or "not installed"  # noqa: E731
    command = doc["command"]
    if doc.get("note"):  # the note is printed below: keep the command line readable
        command = command.replace(shlex.quote(doc["note"]), "'…'")
    out = [
        "# Performance",
        "",
        "<!-- Generated by `%s`; do not edit by hand: run it again. -->" % command,
        "",
        "Generated by `%s` on %s (finished %s). The same results, machine-readable: [%s](%s)."
        % (command, doc["generated"], doc["finished"], json_name, json_name),
        "",
        "Latency of one inference in ms (%s), batch 1, %d thread%s, median over alternating rounds (lower "
        "is better). **mcc/best peer** is mcc's time over the fastest peer's: below 1, mcc is faster."
        % (CLOCKS[doc.get("clock", "wall")], doc["threads"], "" if doc["threads"] == 1 else "s"),
        "",
        table(doc),
        "",
        "## Machine and versions",
        "",
        "| | |",
        "| --- | --- |",
        "| CPU | %s, %d cores, %s |" % (m["cpu"], m["cores"], m["isa"]),
        "| single-core FMA peak (bench/peak) | %s |" % (
            "%.1f GFLOP/s" % peak if peak else "— (%s)" % doc.get("fma_peak_missing")),
        "| load average (1 min) at start / end | %.2f / %.2f |" % (la["start"], la["end"]),
        "| mcc | %s |" % v["mcc"],
        "| ONNX Runtime | %s |" % ver(v.get("ort")),
        "| OpenVINO | %s |" % ver(v.get("openvino")),
        "| IREE | %s |" % ver(v.get("iree")),
        "| Python (peers) | %s |" % v["python"],
    ]
    if doc.get("note"):
        out += ["", "Note: " + doc["note"]]
    out += [
        "",
        "## How it is measured",
        "",
        "- **mcc**: `mcc model.onnx -o model.o`, the object linked with `libmcc_rt.a` into a C program generated "
        "for its header (bench/harness.py); `clock_gettime` (CLOCK_MONOTONIC and CLOCK_PROCESS_CPUTIME_ID) "
        "around each `<name>_run` call, workspace 64-byte "
        "aligned, one warm-up run first. The code a user ships, not a separate build. "
        "mcc's generated code runs on one thread whatever the thread count.",
        "- **ONNX Runtime**: CPU execution provider, `intra_op_num_threads` = threads, sequential execution, "
        "all graph optimisations; `session.run` from Python.",
        "- **OpenVINO**: CPU plugin, `INFERENCE_NUM_THREADS` = threads, `PERFORMANCE_HINT=LATENCY`, "
        "`INFERENCE_PRECISION_HINT=f32` (this CPU has AVX512-BF16, where OpenVINO would otherwise compute in "
        "bfloat16); `InferRequest.infer` from Python.",
        "- **IREE**: `iree-import-onnx`, then `iree-compile %s` (the host CPU, and the CPU settings IREE's "
        "maintainers advise: without them IREE runs NCHW convolutions as direct loops, over 10x slower); run "
        "by the Python runtime, `local-sync` for one thread (`local-task` with that many workers otherwise), "
        "inputs already on the device." % " ".join(s["iree_flags"]),
        "- The peers are timed around their Python call (`time.perf_counter`, `time.process_time`), which "
        "adds a few microseconds per run: it shows only on the smallest models (MLP, LSTM).",
        "- Every runtime gets the same inputs (fixed seeds; in-range token ids for the BERT models). Each "
        "first runs once after its warm-up to estimate its latency, which sets its run count: as many as "
        "fit in %g s, at least %d, at most %d (column *runs*). The runs are spread over up to %d rounds; in "
        "each round every runtime takes its share in turn, the order rotating, so drifts in the machine's "
        "load fall on all of them." % (s["budget_s"], s["min_runs"], s["runs"], s["rounds"]),
        "- GFLOP: 2 x the multiply-accumulates of Conv, MatMul, Gemm and LSTM nodes, from the ONNX graph "
        "(bench/flops.py). mcc GFLOP/s is that over mcc's median.",
        "- Outputs of mcc, OpenVINO and IREE are checked against ONNX Runtime's: a cell with a note "
        "differs by more than %g of the largest output value." % s["rtol"],
        "",
        "## Models",
        "",
        "Made by bench/models.py (PyTorch export at opset 17, or onnx.helper), random weights with fixed "
        "seeds, the torchvision ones with the test suite's builders (test/models/gen_models.py).",
        "",
    ]
    for rec in doc["models"]:
        compile_s = rec.get("mcc_compile_s")
        out.append("- **%s**: %s%s" % (rec["name"], rec["description"],
                                       "; mcc compiles it in %.1f s (elapsed)" % compile_s if compile_s else ""))
    out.append("")
    return "\n".join(out)
