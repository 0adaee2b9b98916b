#!/bin/sh
# Configures the build in ./build with clang 22 and Ninja.
set -eu
cd "$(dirname "$0")/.."
cmake -G Ninja -S . -B "${MCC_BUILD_DIR:-build}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 > build.configure.log \
  || { cat build.configure.log; exit 1; }
