#!/bin/sh
# Every test on a fresh Debian 12: install, build, then ctest (lit, unit, e2e, models vs ONNX Runtime,
# the ONNX backend suite with its ratchet). Ends with ctest's summary line.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh --test
sh scripts/configure.sh
ninja -C build -j2
ctest --test-dir build -j2 --output-on-failure
