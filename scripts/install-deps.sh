#!/bin/sh
# Installs what mcc needs on Debian 12 (bookworm; LLVM/MLIR 22 come from bookworm-security).
#   install-deps.sh          build the compiler and the examples
#   install-deps.sh --test   also what the tests need: ONNX test data, the Python exporters and clang-format-22
#                            (scripts/check-format.sh) from Debian,
#                            and ONNX Runtime from PyPI (tools/requirements.txt) in a virtual environment
#                            at ${MCC_BUILD_DIR:-build}/venv, and the current ONNX backend suite from the
#                            pinned `onnx` wheel (tools/onnx-suite/fetch.sh) at ${MCC_BUILD_DIR:-build}/onnx-suite
set -eu
[ "$(id -u)" -eq 0 ] && SUDO= || SUDO=sudo
packages="cmake ninja-build clang-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools liblld-22-dev
  libonnx-dev libprotobuf-dev protobuf-compiler googletest gcc libc6-dev"
if [ "${1:-}" = "--test" ]; then
  packages="$packages libonnx-testdata python3 python3-onnx python3-numpy python3-torch python3-torchvision
    python3-sklearn python3-venv bc binutils clang-format-22 gcc-aarch64-linux-gnu libc6-dev-arm64-cross
    gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user libclang-rt-22-dev"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $packages > /dev/null
if [ "${1:-}" = "--test" ]; then
  # ONNX Runtime, the oracle, from PyPI. The environment sees Debian's packages (torch, onnx, numpy);
  # --no-deps: exactly the pinned versions, nothing resolved behind the requirements file's back.
  cd "$(dirname "$0")/.."
  venv="${MCC_BUILD_DIR:-build}/venv"
  [ -x "$venv/bin/python3" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/python3" -m pip install -q --disable-pip-version-check --no-deps -r tools/requirements.txt
  sh tools/onnx-suite/fetch.sh
fi
