#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/, clang, ASan + UBSan) in
# build-fuzz/ and runs each for a while on its seed corpus, two at a time.
# Fails if any target finds a crash (a failed property, a sanitizer report, a
# leak, a hang); the input is kept in build-fuzz/crashes/<target>/ and shown.
# Prints, per target, the executions and the coverage libFuzzer reached.
#
#   scripts/fuzz.sh                     # each target 20 s (what CI runs)
#   scripts/fuzz.sh --seconds 120       # each target 2 minutes
#   scripts/fuzz.sh --long              # each target 10 minutes (bench/README.md)
#   scripts/fuzz.sh --long --merge      # ... and add what found new coverage
#                                       #     to the committed corpus (minimised)
#   scripts/fuzz.sh fuzz_tg_html        # some targets only
#
# New inputs go to a temporary directory: the committed corpus is only read,
# unless --merge is given (never in CI).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-20}
merge=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --long) seconds=${FUZZ_SECONDS:-600}; shift ;;
    --merge) merge=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    fuzz_*) targets+=("$1"); shift ;;
    *) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz_*.c; do
    targets+=("$(basename "$source" .c)")
  done
fi

if ! command -v clang >/dev/null; then
  echo "fuzz: clang is missing (scripts/deps.sh installs it)" >&2
  exit 1
fi
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSERTIBOT_FUZZ=ON >/dev/null
if ! cmake --build build-fuzz -j 2 --target "${targets[@]}" >build-fuzz/fuzz-build.log 2>&1; then
  cat build-fuzz/fuzz-build.log
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sertibot-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# One target: fuzz into a fresh directory, reading the committed corpus too.
run_target() {
  local target=$1
  local crashes=build-fuzz/crashes/$target
  mkdir -p "$work/$target" "$crashes"
  local dict=()
  [ -f "tests/fuzz/$target.dict" ] && dict=(-dict="tests/fuzz/$target.dict")
  local rc=0
  "build-fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" \
    "$work/$target" "tests/fuzz/corpus/$target" >"$work/$target.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$target.rc"
}

running=0
for target in "${targets[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge 2 ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
printf '%-16s %12s %8s %8s %8s %10s  %s\n' target executions cov ft corpus exec/s result
for target in "${targets[@]}"; do
  log="$work/$target.log"
  rc=$(cat "$work/$target.rc")
  # "#1234567 DONE   cov: 150 ft: 420 corp: 60/2Kb lim: 4096 exec/s: 6000 rss: 60Mb"
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n1 || true)
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -n1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")
  corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$done_line")
  rate=$(sed -nE 's/.* exec\/s: ([0-9]+).*/\1/p' <<<"$done_line")
  result=ok
  if [ "$rc" != 0 ]; then
    result="CRASH (exit $rc)"
    failed=1
  fi
  printf '%-16s %12s %8s %8s %8s %10s  %s\n' "$target" "${execs:--}" "${cov:--}" "${ft:--}" \
    "${corp:--}" "${rate:--}" "$result"
done

for target in "${targets[@]}"; do
  [ "$(cat "$work/$target.rc")" = 0 ] && continue
  echo
  echo "== $target: the report (last 60 lines)"
  tail -n 60 "$work/$target.log"
  for input in build-fuzz/crashes/"$target"/*; do
    [ -f "$input" ] || continue
    echo "-- input $input (C string):"
    od -An -c "$input" | head -n 20
  done
done

if [ "$merge" = 1 ] && [ "$failed" = 0 ]; then
  for target in "${targets[@]}"; do
    before=$(find "tests/fuzz/corpus/$target" -type f | wc -l)
    "build-fuzz/$target" -merge=1 -max_len=4096 "tests/fuzz/corpus/$target" "$work/$target" \
      >"$work/$target.merge.log" 2>&1
    after=$(find "tests/fuzz/corpus/$target" -type f | wc -l)
    echo "merge: $target: $before -> $after inputs in tests/fuzz/corpus/$target"
  done
fi
exit "$failed"
