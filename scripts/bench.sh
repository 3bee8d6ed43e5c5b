#!/usr/bin/env bash
# Runs the Google Benchmark suite (bench/) and writes one Google Benchmark JSON file per binary.
#
#   scripts/bench.sh BUILD_DIR OUT_DIR [EXTRA_BENCHMARK_FLAGS...]
#   e.g. scripts/bench.sh build/release out/bench
#        scripts/bench.sh build/release out/bench --benchmark_filter=Sse
#
# `make bench` installs the bench packages, builds the release preset and calls this.
# Hot-path binaries run 3 repetitions and keep only the aggregates (mean, median, stddev, cv);
# the scenario benchmarks are closed-loop runs against a forked mock (about a minute) and run
# once. Console output goes to the terminal; OUT_DIR/<binary>.json is Google Benchmark's JSON
# (compare two runs with its tools/compare.py). Exits 1 when any binary fails or is missing.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR OUT_DIR [EXTRA_BENCHMARK_FLAGS...]" >&2
  exit 2
fi
build_dir="$(realpath -m "$1")"
out_dir="$(realpath -m "$2")"
shift 2

cd "$(dirname "$0")/.."
hot_paths=(hot_paths_bench metrics_bench session_bench)
scenarios=(scenario_bench)

missing=0
for name in "${hot_paths[@]}" "${scenarios[@]}"; do
  if [ ! -x "$build_dir/bench/$name" ]; then
    echo "bench.sh: $build_dir/bench/$name is missing (build target 'benchmarks' first)" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1

mkdir -p "$out_dir"
# Recorded in every JSON file's "context" so figures are never separated from their source.
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null || true)" ]; then
  commit="$commit-dirty"
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)"
context="--benchmark_context=llmbench_commit=$commit,llmbench_build_type=${build_type:-unknown}"
if [ -n "$build_type" ] && [ "$build_type" != Release ]; then
  echo "bench.sh: warning: $build_dir is a $build_type build; figures are not comparable" >&2
fi

failed=()
run() {
  local name="$1"
  shift
  echo "=== $name"
  if ! "$build_dir/bench/$name" "--benchmark_out=$out_dir/$name.json" --benchmark_out_format=json \
      "$context" "$@"; then
    failed+=("$name")
  fi
}

for name in "${hot_paths[@]}"; do
  run "$name" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true "$@"
done
for name in "${scenarios[@]}"; do
  run "$name" "$@"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "bench.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "bench.sh: JSON written to $out_dir/"
