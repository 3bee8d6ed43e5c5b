#!/usr/bin/env bash
# The instrument's own overhead, in one run: the table of issue 13 (docs/performance.md,
# "Overhead of the instrument") with current figures next to its goals and next to the peers.
#   - mock CPU per SSE event and TTFT error, measured by the independent referee client
#     (../shared/tools/referee/loadclient.cpp, libcurl multi; REFEREE_SRC to point elsewhere)
#     and by the project's own bench/mock_load_client;
#   - llmbench run's reported TTFT minus the mock's configured TTFT (embedded mock);
#   - llmbench's CPU per request next to an aiohttp client written like vLLM's benchmark, and its
#     invoke throughput next to wrk, both through bench/peers/run_peers.sh against one mock.
# Every run is bounded (DURATION seconds for the referee; counts elsewhere) and on 127.0.0.1.
# Usage: [DURATION=10] [SKIP_PEERS=1] [OUT=out/perf] bench/perf_table.sh [BUILD_DIR]
# The mock and the clients run under SCHED_FIFO when possible (root or CAP_SYS_NICE; CHRT=0 to
# turn off), so other work on a shared machine delays them less; the table says which.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${1:-$root/build/release}"
DURATION="${DURATION:-10}"
OUT="${OUT:-$root/out/perf}"
REFEREE_SRC="${REFEREE_SRC:-$root/../shared/tools/referee/loadclient.cpp}"
llmbench="$build/cli/llmbench"
load_client="$build/bench/mock_load_client"
[ -x "$llmbench" ] || { echo "perf_table.sh: $llmbench not built (cmake --build --preset release)" >&2; exit 2; }
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] && (( DURATION <= 60 )) || { echo "perf_table.sh: DURATION=$DURATION: 1..60 s" >&2; exit 2; }
mkdir -p "$OUT"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
ulimit -n "$(ulimit -Hn)"
rows="$OUT/rows.tsv"
: > "$rows"
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$rows"; }

fifo=(); client_fifo=()
if [ "${CHRT:-1}" = 1 ] && chrt -f 1 true 2>/dev/null; then fifo=(chrt -f 50); client_fifo=(chrt -f 40); fi

mock_pid=""
stop_mock() { [ -n "$mock_pid" ] && { kill -INT "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; }; mock_pid=""; }
trap stop_mock EXIT
# start_mock STREAMS ITL_MS: the asio engine with one event loop (its default), TTFT 50 ms, 32 tokens.
start_mock() {
  local log="$OUT/mock.out"
  port=$((20000 + RANDOM % 2000))
  printf 'event_loops = 1\n' > "$OUT/mock.toml"
  "${fifo[@]}" "$llmbench" mock --config "$OUT/mock.toml" --port "$port" --threads $(($1 + 64)) --ttft 50ms \
    --itl "$2ms" --output-tokens 32 --max-waiting 100000 > "$log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do grep -q listening "$log" && return 0; sleep 0.1; done
  echo "perf_table.sh: the mock did not start (see $log)" >&2; exit 1
}

# --- the referee (independent client) --------------------------------------------------------------
referee=""
if [ -f "$REFEREE_SRC" ]; then
  referee="$OUT/loadclient"
  [ "$referee" -nt "$REFEREE_SRC" ] || g++ -O2 -std=c++17 -o "$referee" "$REFEREE_SRC" -lcurl
fi
# referee_run STREAMS ITL_MS -> sets ref_us_per_event, ref_ttft_p99
referee_run() {
  start_mock "$1" "$2"
  local line
  line="$("${client_fifo[@]}" "$referee" --url "http://127.0.0.1:$port" --conc "$1" --duration "$DURATION" --ramp-ms 2000 \
    --think-ms 20 --warmup-s 4 --ttft 50 --itl "$2" --chunks 34 --epoll --server-pid "$mock_pid" | grep '^RESULT' || true)"
  stop_mock
  echo "referee $1 streams, ITL $2 ms: $line" >> "$OUT/referee.log"
  read -r ref_us_per_event ref_ttft_p99 < <(python3 - "$line" <<'PY'
import sys
kv = dict(x.split("=", 1) for x in sys.argv[1].split() if "=" in x)
try:
    eps, cpu = float(kv["win_eps"]), float(kv["srv_cpu_pct"])
    errors = int(kv["errors"])
    note = "" if errors == 0 else f" ({errors} errors)"
    print(f"{cpu / 100 / eps * 1e6:.1f} µs{note}", f"{float(kv['ttft_ss_p99']):.1f} ms{note}")
except (KeyError, ValueError, ZeroDivisionError):
    print("failed failed")
PY
)
}

if [ -n "$referee" ]; then
  echo "== referee: 2,500 streams at 100 ms ITL" >&2
  referee_run 2500 100
  row "mock CPU per SSE event, 2,500 streams at 100 ms ITL (referee)" "$ref_us_per_event" "≤ 7 µs"
  echo "== referee: 100 streams at 5 ms ITL" >&2
  referee_run 100 5
  row "mock CPU per SSE event, 100 streams at 5 ms ITL (referee)" "$ref_us_per_event" "≤ 7 µs"
  echo "== referee: 5,000 streams at 100 ms ITL" >&2
  referee_run 5000 100
  row "mock, 5,000 streams, TTFT 50 ms, ITL 100 ms: TTFT error p99, steady state (referee)" "$ref_ttft_p99" "≤ 2 ms"
else
  row "mock rows measured by the referee" "n/a: $REFEREE_SRC not found (REFEREE_SRC=...)" ""
fi

# --- the project's own load client --------------------------------------------------------------------
if [ -x "$load_client" ]; then
  echo "== bench/mock_load_client: 5,000 streams at 100 ms ITL" >&2
  start_mock 5000 100
  "${client_fifo[@]}" "$load_client" --port "$port" --streams 5000 --ttft-ms 50 --itl-ms 100 --tokens 32 \
    --duration "$DURATION" --ramp 3 --pid "$mock_pid" > "$OUT/mock_load_client.out" 2>&1 || true
  stop_mock
  p99="$(sed -n 's/^ttft error ms: p50 [0-9.]* p99 \([0-9.]*\).*/\1/p' "$OUT/mock_load_client.out")"
  row "same, TTFT error p99 by bench/mock_load_client" "${p99:-failed} ms" "≤ 2 ms"
fi

# --- llmbench run against its embedded mock ------------------------------------------------------------
# ttft_overhead ARGS... -> the report's TTFT p99 minus the configured 50 ms
ttft_overhead() {
  local dir="$OUT/run-$1"
  shift
  rm -rf "$dir"
  "${client_fifo[@]}" "$llmbench" run --mode coroutine --op stream --concurrency 100 --requests 2000 --mock-ttft 50ms \
    --mock-itl 5ms --mock-output-tokens 32 --out "$dir" --format json -q "$@" > /dev/null 2>&1 || true
  python3 - "$dir/report.json" <<'PY'
import json, sys
try:
    step = json.load(open(sys.argv[1]))["scenarios"][0]["steps"][0]
    print(f"{step['efficiency']['ttft_overhead_p99_ms']:.1f} ms")
except Exception:
    print("failed")
PY
}
echo "== llmbench run, embedded mock" >&2
one="$(ttft_overhead threads1 --threads 1)"
default="$(ttft_overhead default)"
row "\`llmbench run --mode coroutine --op stream --concurrency 100 --requests 2000 --mock-ttft 50ms --mock-itl 5ms --mock-output-tokens 32\`: TTFT p99 minus 50 ms" "$one (\`--threads 1\`), $default (default threads)" "≤ 1 ms"

# --- peers -------------------------------------------------------------------------------------------
if [ "${SKIP_PEERS:-0}" != 1 ]; then
  echo "== peers: bench/peers/run_peers.sh (llmbench coroutine vs aiohttp, invoke vs wrk)" >&2
  LLMBENCH="$llmbench" OUT="$OUT/peers" CLIENTS="llmbench aiohttp wrk" MOCKS=none CONCURRENCY=200 REQUESTS=2000 \
    TOKENS=16 INVOKE_CONCURRENCY=64 "$here/peers/run_peers.sh" > "$OUT/peers.log" 2>&1 || true
  python3 - "$OUT/peers/records.jsonl" >> "$rows" <<'PY'
import json, sys
try:
    recs = [json.loads(l) for l in open(sys.argv[1])]
except OSError:
    recs = []
def find(table, client, mode=""):
    for r in recs:
        if r.get("table") == table and r.get("client") == client and r.get("mode", "") == mode:
            return r
startup = {(r["client"], r.get("mode", ""), r["op"]): r for r in recs if r.get("table") == "startup"}
def cpu_per_req(r):
    s = startup.get((r["client"], r.get("mode", ""), r["op"]))
    cpu = r["cpu_s"] - (s["cpu_s"] if s and s.get("rc") == 0 else 0)
    return max(cpu, 0) / r["ok"] if r.get("ok") else None
ours, theirs = find("clients-stream", "llmbench", "coroutine"), find("clients-stream", "aiohttp")
if ours and theirs and cpu_per_req(ours) and cpu_per_req(theirs):
    a, b = cpu_per_req(ours), cpu_per_req(theirs)
    print(f"llmbench coroutine stream, C=200, 16 tokens, external mock: CPU per request; aiohttp (vLLM bench style) in the same run\t"
          f"{a * 1e6:.0f} µs; aiohttp uses {b / a:.1f}× more\taiohttp ≥ 5× more")
else:
    print("CPU per request vs aiohttp\tfailed (see peers.log)\taiohttp ≥ 5× more")
ours, wrk = find("clients-invoke", "llmbench", "coroutine"), find("clients-invoke", "wrk")
if ours and wrk and ours.get("duration_s") and wrk.get("duration_s"):
    r = (ours["ok"] / ours["duration_s"]) / (wrk["ok"] / wrk["duration_s"])
    print(f"invoke against a zero-latency mock, C=64: req/s vs wrk\t{r:.2f}×\t≥ 0.9×")
else:
    print("invoke req/s vs wrk\tfailed (see peers.log)\t≥ 0.9×")
PY
fi

{
  echo "Command: DURATION=$DURATION bench/perf_table.sh $build   ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average before: $load_before"
  echo "Scheduling: ${fifo[*]:-normal}${fifo:+ (mock), ${client_fifo[*]} (clients)}"
  echo
  echo "| what | measured | goal |"
  echo "|---|---|---|"
  while IFS=$'\t' read -r what measured goal; do echo "| $what | $measured | $goal |"; done < "$rows"
} > "$OUT/perf_table.md"
cat "$OUT/perf_table.md"
