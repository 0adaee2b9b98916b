#!/bin/sh
# Installs mcc into a scratch prefix and builds examples/cmake against it with find_package(mcc):
# the path a user's CMake project takes.
# usage: cmake_consumer.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -eu
build=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -G Ninja -S "$src/examples/cmake" -B "$work/out" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/out" > "$work/build.log"
# classify exits non-zero unless the prediction equals the label.
"$work/out/classify" "$src/examples/digits"
echo "cmake consumer: ok"
