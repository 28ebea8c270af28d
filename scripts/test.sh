#!/usr/bin/env bash
# README command two, and what CI runs: installs what is missing, builds the
# normal and the sanitizer (ASan + UBSan) variants, and runs the whole suite
# through ctest on both; then builds a Release (-O3, -Werror) variant, where
# GCC's optimiser finds warnings the others do not, and runs its unit tests;
# then runs every fuzzer (tests/fuzz/, clang, ASan + UBSan) for FUZZ_SECONDS
# (20) each. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh --sanitize

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# fontconfig's caches live as long as the process: see tests/lsan.supp.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp"

# The end-to-end tests spend most of their time waiting, as Telegram's pacing
# (1 message/s per chat) demands, not computing: four at a time on 2 cores.
echo "== sanitizer build (ASan + UBSan) =="
(cd build-asan && ctest --output-on-failure -j 4)
echo "== normal build =="
(cd build && ctest --output-on-failure -j 4)
echo "== release build (-O3), unit tests =="
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release -j "$(nproc 2>/dev/null || echo 2)"
(cd build-release && ctest --output-on-failure -j 2 -R '^unit\.')
echo "== fuzzers (libFuzzer, ASan + UBSan, ${FUZZ_SECONDS:-20} s each) =="
scripts/fuzz.sh
