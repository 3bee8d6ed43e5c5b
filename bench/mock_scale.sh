#!/usr/bin/env bash
# Scale benchmark of the mock: for each engine and concurrency, start `llmbench mock` and hold
# that many streams with bench/mock_load_client in a separate process. Every run is bounded.
# Usage: [ENGINES="asio httplib"] [ITLS="100 10"] bench/mock_scale.sh BUILD_DIR [DURATION_S] [STREAMS...]
# The client prints its own CPU per event next to the mock's: if it nears the mock's, the
# figures measure the client.
set -euo pipefail
build="$1"; duration="${2:-20}"
shift $(( $# < 2 ? $# : 2 ))
if [ $# -gt 0 ]; then streams=("$@"); else streams=(1000 2000 5000); fi
ulimit -n "$(ulimit -Hn)"
for engine in ${ENGINES:-asio httplib}; do
  for itl in ${ITLS:-100 10}; do
    for n in "${streams[@]}"; do
      port=$((18000 + RANDOM % 1000))
      "$build/cli/llmbench" mock --port "$port" --engine "$engine" --threads $((n + 64)) --ttft 50ms --itl "${itl}ms" \
        --output-tokens 32 > /tmp/llmbench_mock_scale.out 2>/dev/null &
      pid=$!
      for _ in $(seq 50); do grep -q listening /tmp/llmbench_mock_scale.out 2>/dev/null && break; sleep 0.1; done
      echo "== engine $engine, streams $n, ttft 50ms, itl ${itl}ms, 32 tokens"
      timeout 90 "$build/bench/mock_load_client" --port "$port" --streams "$n" --ttft-ms 50 --itl-ms "$itl" \
        --tokens 32 --duration "$duration" --ramp 3 --pid "$pid" || echo "(client failed)"
      kill -INT "$pid"; wait "$pid" || true
    done
  done
done
