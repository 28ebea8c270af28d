#!/usr/bin/env bash
# Configures and builds sertibot in build/ (and, with --sanitize, an
# ASan+UBSan build in build-asan/).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
if [ "${1:-}" = "--sanitize" ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSERTIBOT_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs"
fi
