#!/usr/bin/env bash
# Scale benchmark of the mock: for each engine and concurrency, start the mock and hold that many
# streams with bench/mock_load_client in a separate process. Every run is bounded.
# Usage: [ENGINES="asio httplib fastapi"] [ITLS="100 10"] [FASTAPI_STREAMS="100 250 500 1000"]
#        [MOCK_CHRT=1] [CLIENT_CHRT=1] [EVENT_LOOPS=N] bench/mock_scale.sh BUILD_DIR [DURATION_S] [STREAMS...]
# The client prints its own CPU per event next to the mock's (if it nears the mock's, the figures
# measure the client), the mock's run-queue wait (time it was runnable but other processes had
# the cores), its RSS per open stream, and the load average; `uptime` is printed before each run.
# fastapi is bench/peers/fastapi_mock.py (FastAPI + uvicorn, Debian's python3), the hand-written
# kind of mock; it runs the FASTAPI_STREAMS counts because it stops keeping time far earlier.
# MOCK_CHRT=1 runs the mock under SCHED_FIFO (needs root or CAP_SYS_NICE): it shows how much of
# the timing error is waiting for a core on a shared machine rather than the engine's own cost;
# CLIENT_CHRT=1 does the same for the load client (the instrument), which stamps every time.
# EVENT_LOOPS=N runs the asio engine with N event-loop threads (config key event_loops).
set -euo pipefail
build="$1"; duration="${2:-20}"
shift $(( $# < 2 ? $# : 2 ))
if [ $# -gt 0 ]; then streams=("$@"); else streams=(1000 2000 5000); fi
here="$(cd "$(dirname "$0")" && pwd)"
ulimit -n "$(ulimit -Hn)"
out="$(mktemp /tmp/llmbench_mock_scale.XXXXXX)"
config="$(mktemp /tmp/llmbench_mock_scale.XXXXXX.toml)"
trap 'rm -f "$out" "$config"' EXIT
echo "event_loops = ${EVENT_LOOPS:-1}" > "$config"
prio=(); client_prio=()
[ "${MOCK_CHRT:-0}" = 1 ] && prio=(chrt -f 50)
[ "${CLIENT_CHRT:-0}" = 1 ] && client_prio=(chrt -f 40)
for engine in ${ENGINES:-asio httplib}; do
  counts=("${streams[@]}")
  # shellcheck disable=SC2206
  [ "$engine" = fastapi ] && counts=(${FASTAPI_STREAMS:-100 250 500 1000})
  for itl in ${ITLS:-100 10}; do
    for n in "${counts[@]}"; do
      port=$((18000 + RANDOM % 1000))
      : > "$out"
      case "$engine" in
        asio|httplib)
          "${prio[@]}" "$build/cli/llmbench" mock --config "$config" --port "$port" --engine "$engine" \
            --threads $((n + 64)) --ttft 50ms \
            --itl "${itl}ms" --output-tokens 32 > "$out" 2>/dev/null &
          ;;
        fastapi)
          "${prio[@]}" /usr/bin/python3 "$here/peers/fastapi_mock.py" --port "$port" --ttft 50ms --itl "${itl}ms" \
            --output-tokens 32 > "$out" 2>/dev/null &
          ;;
        *) echo "unknown engine $engine" >&2; exit 2 ;;
      esac
      pid=$!
      for _ in $(seq 100); do grep -q listening "$out" 2>/dev/null && break; sleep 0.1; done
      loops=""; [ "$engine" = asio ] && loops=" (${EVENT_LOOPS:-1} event loops)"
      echo "== engine $engine$loops${prio:+ (SCHED_FIFO)}${client_prio:+ (client SCHED_FIFO)}, streams $n, ttft 50ms, itl ${itl}ms, 32 tokens; $(uptime)"
      timeout 90 "${client_prio[@]}" "$build/bench/mock_load_client" --port "$port" --streams "$n" --ttft-ms 50 --itl-ms "$itl" \
        --tokens 32 --duration "$duration" --ramp 3 --pid "$pid" || echo "(client failed)"
      kill -INT "$pid"; wait "$pid" || true
    done
  done
done
