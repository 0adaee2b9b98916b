#!/bin/sh
# The speed benchmark: mcc against ONNX Runtime, OpenVINO and IREE on this machine, in one command.
#   sh bench/run.sh [--models a,b] [--runs N] [--threads T] [other bench.py options]
# It installs the peers (bench/requirements.txt) into build/bench-venv, builds mcc into build, makes the
# models (cached in build/bench/models), times them (bench/bench.py) and writes docs/performance.md and
# docs/performance.json. About 25 minutes with every model while mcc is slow (most of it mcc's runs and
# IREE's compiles; both are cached or shrink as mcc gets faster).
# Environment: MCC_BUILD_DIR (default build); BENCH_PYTHON (the python of a ready environment: nothing is
# installed, and peers missing from it are shown as "—"; the tests use theirs); BENCH_WORK (default $MCC_BUILD_DIR/bench); BENCH_MD and
# BENCH_JSON (default docs/performance.md, docs/performance.json); BENCH_NO_BUILD=1 to use the mcc in
# the build folder as it is.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${MCC_BUILD_DIR:-build}
work=${BENCH_WORK:-$build/bench}
md=${BENCH_MD:-docs/performance.md}
json=${BENCH_JSON:-docs/performance.json}

python=${BENCH_PYTHON:-}
if [ -z "$python" ]; then
  venv=$build/bench-venv
  python=$venv/bin/python3
  # Reinstall only when the pins changed; --no-deps: exactly the pinned versions. --system-site-packages:
  # Debian's numpy 1.24.2 (and torch, for nothing here) stay in use.
  stamp=$venv/.requirements
  if ! cmp -s bench/requirements.txt "$stamp" 2> /dev/null; then
    echo "bench: installing the peers into $venv (bench/requirements.txt)"
    [ -x "$venv/bin/python3" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
    "$venv/bin/python3" -m pip install -q --disable-pip-version-check --no-deps -r bench/requirements.txt
    cp bench/requirements.txt "$stamp"
  fi
fi

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "bench: building mcc in $build"
  sh scripts/dev-build.sh "$build" mcc mcc_rt > "$build/bench-build.log" 2>&1 ||
    { tail -20 "$build/bench-build.log"; exit 1; }
fi

exec "$python" bench/bench.py --mcc "$build/bin/mcc" --rt-dir "$build/runtime" --work "$work" \
  --md "$md" --json "$json" --command "sh bench/run.sh" "$@"
