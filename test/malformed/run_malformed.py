"""Runs mcc on every case of the malformed-model corpus (malformed_models.py) and checks the contract:
exit 1, exactly one line on stderr, `mcc: error: model.onnx: ...` containing the case's expected text,
nothing written, within the time limit. Prints one line per case; exits 1 if any case fails.

usage: run_malformed.py MCC WORK
"""
import os
import subprocess
import sys

TIMEOUT_S = 120


def main():
    mcc, work = sys.argv[1], sys.argv[2]
    failures = 0
    with open(os.path.join(work, "expected.txt")) as f:
        cases = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
    for name, expect in cases:
        d = os.path.join(work, name)
        out_dir = os.path.join(d, "out")
        os.makedirs(out_dir, exist_ok=True)
        for stale in os.listdir(out_dir):
            os.remove(os.path.join(out_dir, stale))
        # A stale object from an earlier compile must not survive a failed one.
        with open(os.path.join(out_dir, "model.o"), "w") as f:
            f.write("stale")
        problem = None
        try:
            p = subprocess.run([mcc, os.path.join(d, "model", "model.onnx"), "-o", os.path.join(out_dir, "model.o")],
                               capture_output=True, text=True, timeout=TIMEOUT_S)
            lines = p.stderr.splitlines()
            if p.returncode != 1:
                problem = "exit %d (expected 1): %s" % (p.returncode, p.stderr.strip()[-400:])
            elif len(lines) != 1:
                problem = "%d lines on stderr (expected 1): %s" % (len(lines), p.stderr.strip()[-400:])
            elif not lines[0].startswith("mcc: error: model.onnx: ") or expect not in lines[0]:
                problem = "diagnostic lacks %r: %s" % (expect, lines[0])
            elif os.listdir(out_dir):
                problem = "left files behind: %s" % sorted(os.listdir(out_dir))
        except subprocess.TimeoutExpired:
            problem = "no answer within %d s" % TIMEOUT_S
        if problem:
            failures += 1
            print("FAIL %s: %s" % (name, problem))
        else:
            print("ok %s: %s" % (name, lines[0]))
    print("%d cases, %d failed" % (len(cases), failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
