#!/bin/sh
# The main job on a fresh Debian 12: install, build mcc, compile the digits CNN with it, link the C
# example and run it on the held-out digits.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/configure.sh
ninja -C build -j2 mcc digits_app
./build/bin/digits examples/digits
