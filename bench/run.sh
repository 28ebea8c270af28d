#!/usr/bin/env bash
# Builds sertibot and its benchmarks in Release mode into build-bench/ and runs
# them; they print their figures (no asserted times). About four minutes on 2
# cores: building the 100,000-case database, then bench_bot.py's runs of the
# real binary, which wait on Telegram's pacing as the bot does.
#
#   bash bench/run.sh
#   OPEN_CASES=20000 DUE=500 REPS=3 CLOSED_CASES=2000 BOT_CASES=1,100 CHATS=300 \
#     bash bench/run.sh                                                  # smaller
#
# The databases go to a fresh directory under $TMPDIR (or /tmp), removed
# afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSERTIBOT_BENCH=ON >/dev/null
if ! cmake --build build-bench -j "$jobs" --target sertibot bench_scheduler bench_db_size \
       >build-bench/bench-build.log 2>&1; then
  cat build-bench/bench-build.log
  exit 1
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')," \
     "$(awk '/MemTotal/ {printf "%.0f GB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "build: Release (-O3), $(cc --version | head -n1), SQLite $(pkg-config --modversion sqlite3)"
echo

build-bench/bench_scheduler "${OPEN_CASES:-100000}" "${DUE:-1000}" "${REPS:-5}"
echo
build-bench/bench_db_size "${CLOSED_CASES:-10000}"
echo
# The running bot against the fake Telegram: idle memory, pacing, a
# disposition with N open cases, 1,000 chats (about three minutes).
/usr/bin/python3 bench/bench_bot.py --bot build-bench/sertibot --cases "${BOT_CASES:-1,100,1000}" \
  --chats "${CHATS:-1000}"
