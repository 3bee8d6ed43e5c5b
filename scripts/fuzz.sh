#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset "fuzz": clang, ASan + UBSan) and runs each one
# for FUZZ_SECONDS on its corpus, one after the other, one job each.
#
#   scripts/fuzz.sh [TARGET...]        e.g. scripts/fuzz.sh sse_parser provider
#   FUZZ_SECONDS=60 (per target)  FUZZ_JOBS=2 (build parallelism)  FUZZ_OUT=out/fuzz
#
# New inputs that reach new coverage go to out/fuzz/corpus/<target>/ (the committed seeds in
# tests/fuzz/corpus/ are read, never written). A crash, leak, timeout or broken invariant
# stops that target, keeps the input as out/fuzz/crashes/<target>/crash-* and makes this
# script exit 1 after running the remaining targets. Logs: out/fuzz/logs/<target>.log.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_JOBS="${FUZZ_JOBS:-2}"
FUZZ_OUT="${FUZZ_OUT:-out/fuzz}"
BUILD_DIR=build/fuzz
ALL_TARGETS=(sse_parser ndjson_parser chunk_decoder request_parser provider scenario_file report_json prometheus_text)

if ! [[ "$FUZZ_SECONDS" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: FUZZ_SECONDS must be a positive integer, got '$FUZZ_SECONDS'" >&2
  exit 2
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  if [[ ! -d "tests/fuzz/corpus/$t" ]]; then
    echo "fuzz.sh: unknown target '$t' (known: ${ALL_TARGETS[*]})" >&2
    exit 2
  fi
done

[[ -f "$BUILD_DIR/build.ninja" ]] || cmake --preset fuzz
cmake --build "$BUILD_DIR" -j "$FUZZ_JOBS" --target "${targets[@]/#/fuzz_}"

# Aborting on the first UBSan report turns it into a kept crash input, like an ASan report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

mkdir -p "$FUZZ_OUT"
FUZZ_OUT="$(cd "$FUZZ_OUT" && pwd)"
failed=()
summary=()
for t in "${targets[@]}"; do
  corpus="$FUZZ_OUT/corpus/$t"
  crashes="$FUZZ_OUT/crashes/$t"
  log="$FUZZ_OUT/logs/$t.log"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  echo "== fuzz_$t: ${FUZZ_SECONDS}s"
  status=0
  # -timeout: one input taking over 10 s is a finding (a hang), not patience.
  # -rss_limit_mb: memory that grows with garbage input is a finding too.
  # With -jobs, libFuzzer runs the job in a child process that logs to ./fuzz-<job>.log,
  # hence the cd into the log folder.
  (cd "$(dirname "$log")" &&
    "$ROOT/$BUILD_DIR/tests/fuzz/fuzz_$t" "$corpus" "$ROOT/tests/fuzz/corpus/$t" \
      -max_total_time="$FUZZ_SECONDS" -jobs=1 -workers=1 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$crashes/" -print_final_stats=1 >"$t.driver.log" 2>&1) || status=$?
  if [[ -f "$(dirname "$log")/fuzz-0.log" ]]; then
    mv "$(dirname "$log")/fuzz-0.log" "$log"
  else
    cp "$(dirname "$log")/$t.driver.log" "$log"
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  line=$(printf '%-16s %12s execs %8s/s  cov %6s  corpus %5s files' "$t" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "$(find "$corpus" -type f | wc -l)")
  if [[ $status -ne 0 ]]; then
    line+="  FAILED (exit $status): $(ls "$crashes" | tr '\n' ' ')"
    failed+=("$t")
    grep -E 'ERROR: |fuzz invariant broken|runtime error|SUMMARY' "$log" | head -5 || true
  fi
  summary+=("$line")
  echo "$line"
done

echo
echo "== summary (${FUZZ_SECONDS}s per target; logs in $FUZZ_OUT/logs)"
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: crashes in: ${failed[*]}; inputs kept in $FUZZ_OUT/crashes/<target>/" >&2
  exit 1
fi
