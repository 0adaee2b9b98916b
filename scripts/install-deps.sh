#!/bin/sh
# Installs what mcc needs on Debian 12 (bookworm; LLVM/MLIR 22 come from bookworm-security).
#   install-deps.sh          build the compiler and the examples
#   install-deps.sh --test   also what the tests need (ONNX test data, Python exporters, ONNX Runtime)
set -eu
[ "$(id -u)" -eq 0 ] && SUDO= || SUDO=sudo
packages="cmake ninja-build clang-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools liblld-22-dev
  libonnx-dev libprotobuf-dev protobuf-compiler googletest gcc libc6-dev"
if [ "${1:-}" = "--test" ]; then
  packages="$packages libonnx-testdata python3 python3-onnx python3-numpy python3-torch python3-torchvision
    python3-sklearn bc binutils gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $packages > /dev/null
if [ "${1:-}" = "--test" ]; then
  # ONNX Runtime, the oracle: its CPU library ships inside the npm package; the install script would
  # try to download extras, so it is skipped.
  (cd "$(dirname "$0")/../tools/ort" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
