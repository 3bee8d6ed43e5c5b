#!/usr/bin/env bash
# Side by side, in one run: the same workload through llmbench (sync, threaded, coroutine), wrk,
# a vLLM-style Python aiohttp client and the official openai Node.js client, against one mock at a
# time; then the same load against llmbench's mock (asio, httplib) and a FastAPI/uvicorn mock.
# Prints ratio tables (bench/peers/README.md explains them) and writes them, with every absolute
# figure, under $OUT. Loopback only; every run is bounded in requests and by RUN_TIMEOUT seconds.
#
# Usage: bench/peers/run_peers.sh        (parameters are environment variables, see below)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# --- Parameters -------------------------------------------------------------------------------
CONCURRENCY="${CONCURRENCY:-64}"              # closed-loop users, client tables
REQUESTS="${REQUESTS:-1000}"                  # streaming requests per client
TTFT="${TTFT:-50ms}"                          # mock latency profile (ms or s)
ITL="${ITL:-10ms}"
TOKENS="${TOKENS:-32}"                        # output tokens per response
INVOKE_CONCURRENCY="${INVOKE_CONCURRENCY:-$CONCURRENCY}"
INVOKE_REQUESTS="${INVOKE_REQUESTS:-5000}"    # non-streaming requests per client (fast mock)
WRK_DURATION="${WRK_DURATION:-3}"             # seconds; wrk is bounded by time, not by count
WRK_THREADS="${WRK_THREADS:-1}"
MOCK_CONCURRENCIES="${MOCK_CONCURRENCIES:-16 128 512}"
MOCK_REQUESTS_PER_USER="${MOCK_REQUESTS_PER_USER:-4}"
CLIENTS="${CLIENTS:-llmbench wrk aiohttp node}"
MOCKS="${MOCKS:-asio httplib fastapi}"
[ "$MOCKS" = none ] && MOCKS=""                 # none: skip the mock table
RUN_TIMEOUT="${RUN_TIMEOUT:-60}"              # seconds, hard cap of every single run
OUT="${OUT:-$root/out/peers}"
SKIP_INSTALL="${SKIP_INSTALL:-0}"             # 1: don't run install-deps.sh / npm ci
PY=/usr/bin/python3                           # Debian's Python: python3-aiohttp, -fastapi, -uvicorn

die() { echo "run_peers.sh: $*" >&2; exit 2; }
is_count() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }
for v in CONCURRENCY REQUESTS TOKENS INVOKE_CONCURRENCY INVOKE_REQUESTS WRK_DURATION WRK_THREADS \
         MOCK_REQUESTS_PER_USER RUN_TIMEOUT; do
  is_count "${!v}" || die "$v='${!v}': expected a positive integer"
done
for c in $MOCK_CONCURRENCIES; do is_count "$c" || die "MOCK_CONCURRENCIES: '$c' is not a positive integer"; done
(( RUN_TIMEOUT <= 60 )) || die "RUN_TIMEOUT=$RUN_TIMEOUT: every run is capped at 60 s"
(( WRK_DURATION < RUN_TIMEOUT )) || die "WRK_DURATION=$WRK_DURATION must be below RUN_TIMEOUT=$RUN_TIMEOUT"
# Durations as milliseconds, for the ideal-throughput column and the FastAPI mock.
to_ms() {
  local v="$1" name="$2"
  if [[ "$v" =~ ^([0-9]+(\.[0-9]+)?)ms$ ]]; then echo "${BASH_REMATCH[1]}"
  elif [[ "$v" =~ ^([0-9]+(\.[0-9]+)?)s$ ]]; then awk -v s="${BASH_REMATCH[1]}" 'BEGIN { print s * 1000 }'
  else die "$name='$v': expected a duration in ms or s, e.g. 50ms"; fi
}
ttft_ms="$(to_ms "$TTFT" TTFT)"
itl_ms="$(to_ms "$ITL" ITL)"
want() { [[ " $1 " == *" $2 "* ]]; }

# --- Dependencies -----------------------------------------------------------------------------
if [ "$SKIP_INSTALL" != 1 ]; then
  "$root/scripts/install-deps.sh" bench
  if [ ! -d "$here/node_modules/openai" ] && want "$CLIENTS" node; then
    (cd "$here" && npm ci --no-audit --no-fund)
  fi
fi
want "$CLIENTS" node && { [ -d "$here/node_modules/openai" ] || die "bench/peers/node_modules missing: run npm ci in bench/peers"; }

# A Release, non-sanitizer llmbench that has the `run` command: $LLMBENCH, else build/release, else
# another Release build directory, else build build/release.
usable_llmbench() {
  local bin="$1" cache
  cache="$(dirname "$(dirname "$bin")")/CMakeCache.txt"
  [ -x "$bin" ] || return 1
  # Not `"$bin" run --help | grep -q`: grep stops at the first match, the help then dies of
  # SIGPIPE, and pipefail fails the check.
  grep -q -- '--mode' <<<"$("$bin" run --help 2>/dev/null)" || return 1
  grep -q -- '--engine' <<<"$("$bin" mock --help 2>/dev/null)" || return 1
  [ -f "$cache" ] || return 0
  grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$cache" && ! grep -q '^LLMBENCH_SANITIZE:STRING=.\+' "$cache"
}
if [ -n "${LLMBENCH:-}" ]; then
  usable_llmbench "$LLMBENCH" || die "LLMBENCH=$LLMBENCH: not an executable Release llmbench with a 'run' command"
else
  for candidate in "$root/build/release/cli/llmbench" "$root"/build/*/cli/llmbench; do
    if usable_llmbench "$candidate"; then LLMBENCH="$candidate"; break; fi
  done
  if [ -z "${LLMBENCH:-}" ]; then
    echo "run_peers.sh: no Release llmbench found; building build/release (target llmbench)" >&2
    [ -f "$root/build/release/build.ninja" ] || (cd "$root" && cmake --preset release)
    cmake --build "$root/build/release" --target llmbench -j "${JOBS:-2}"
    LLMBENCH="$root/build/release/cli/llmbench"
  fi
fi

# --- Mock lifecycle ---------------------------------------------------------------------------
mkdir -p "$OUT"
records="$OUT/records.jsonl"
rm -f "$records" "$OUT/tables.md"
rm -rf "$OUT/runs"
mkdir -p "$OUT/runs"
work="$(mktemp -d)"
mock_pid=""
drain_pid=""
measure_pid=""

stop_mock() {
  if [ -n "$mock_pid" ]; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  if [ -n "$drain_pid" ]; then wait "$drain_pid" 2>/dev/null || true; fi
  mock_pid=""
  drain_pid=""
}
cleanup() {
  if [ -n "$measure_pid" ]; then
    kill "$measure_pid" 2>/dev/null || true
    wait "$measure_pid" 2>/dev/null || true
  fi
  stop_mock
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_mock NAME: starts one mock with the streaming latency profile (or FAST=1: no latency),
# sets mock_pid and mock_url from its first stdout line.
start_mock() {
  local name="$1" ttft="$TTFT" itl="$ITL" fifo="$work/mock.fifo" line=""
  if [ "${FAST:-0}" = 1 ]; then ttft=0ms; itl=0ms; fi
  rm -f "$fifo"
  mkfifo "$fifo"
  case "$name" in
    asio|httplib)
      local extra=()
      [ "$name" = httplib ] && extra=(--threads "$HTTPLIB_THREADS")
      "$LLMBENCH" mock --engine "$name" --host 127.0.0.1 --port 0 --ttft "$ttft" --itl "$itl" \
        --output-tokens "$TOKENS" --max-waiting 100000 "${extra[@]}" >"$fifo" 2>"$OUT/runs/mock-$name.err" &
      ;;
    fastapi)
      "$PY" "$here/fastapi_mock.py" --port 0 --ttft "$ttft" --itl "$itl" --output-tokens "$TOKENS" \
        >"$fifo" 2>"$OUT/runs/mock-$name.err" &
      ;;
    *) die "unknown mock '$name'" ;;
  esac
  mock_pid=$!
  exec {mock_fd}<"$fifo"
  read -r -t 20 -u "$mock_fd" line || true
  # Keep draining its stdout so the mock never blocks on a full pipe.
  cat <&"$mock_fd" >>"$OUT/runs/mock-$name.out" &
  drain_pid=$!
  exec {mock_fd}<&-
  mock_url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' <<<"$line" || true)"
  [ -n "$mock_url" ] || die "mock $name did not announce its address (first line: '$line'; see $OUT/runs/mock-$name.err)"
  echo "mock $name: $mock_url" >&2
}

# measure TABLE LABEL KIND CLIENT MODE OP CONCURRENCY REQUESTS MOCK [--mock-pid PID] -- CMD...
measure() {
  local table="$1" label="$2" kind="$3" client="$4" mode="$5" op="$6" conc="$7" reqs="$8" mock="$9"
  shift 9
  local extra=()
  while [ "$1" != "--" ]; do extra+=("$1"); shift; done
  shift
  local dir="$OUT/runs/$table/$label"
  # In the background and waited for, so a signal's trap runs at once (and stops it) instead of
  # after the run; measure.py stops its client on SIGTERM.
  "$PY" "$here/measure.py" --record "$records" --kind "$kind" --out-dir "$dir" --timeout "$RUN_TIMEOUT" \
    --field "table=$table" --field "label=$label" --field "client=$client" --field "mode=$mode" \
    --field "op=$op" --field "concurrency=$conc" --field "requests_asked=$reqs" --field "mock=$mock" \
    --field "cfg_ttft_ms=${CFG_TTFT_MS}" --field "cfg_itl_ms=${CFG_ITL_MS}" --field "cfg_tokens=$TOKENS" \
    "${extra[@]}" -- "$@" &
  measure_pid=$!
  wait "$measure_pid"
  measure_pid=""
}

# llmbench_cmd MODE OP CONC REQS DIR [FLAGS...]: sets the array `cmd` to one ad-hoc llmbench run.
llmbench_cmd() {
  local mode="$1" op="$2" conc="$3" reqs="$4" dir="$5"
  shift 5
  cmd=("$LLMBENCH" run --mode "$mode" --op "$op" --concurrency "$conc" --requests "$reqs"
       --duration "$((RUN_TIMEOUT - 5))s" --target "$mock_url" --model mock-model --out "$dir" -q "$@")
}

# run_client TABLE CLIENT MODE OP CONC REQS: a one-request start-up run, then the measured run.
run_client() {
  local table="$1" client="$2" mode="$3" op="$4" conc="$5" reqs="$6" label kind
  label="$client${mode:+-$mode}-$op"
  local startup=(true)
  local main=()
  case "$client" in
    llmbench)
      kind=llmbench
      if [ "$mode" = sync ]; then
        # Sync mode is one request at a time by design: run it at C=1, for as many requests as one
        # user of the other runs makes (at least 20 streaming, 500 non-streaming).
        local floor=20
        [ "$op" = invoke ] && floor=500
        reqs=$(( reqs / conc > floor ? reqs / conc : floor ))
        conc=1
      fi
      llmbench_cmd "$mode" "$op" 1 1 "$OUT/runs/startup/$label"
      startup=("${cmd[@]}")
      llmbench_cmd "$mode" "$op" "$conc" "$reqs" "$OUT/runs/$table/$label"
      main=("${cmd[@]}")
      ;;
    aiohttp)
      kind=summary
      startup=("$PY" "$here/aiohttp_client.py" --target "$mock_url" --op "$op" --concurrency 1 --requests 1)
      main=("$PY" "$here/aiohttp_client.py" --target "$mock_url" --op "$op" --concurrency "$conc" --requests "$reqs")
      ;;
    openai-node)
      kind=summary
      startup=(node "$here/openai_node_client.mjs" --target "$mock_url" --op "$op" --concurrency 1 --requests 1)
      main=(node "$here/openai_node_client.mjs" --target "$mock_url" --op "$op" --concurrency "$conc" --requests "$reqs")
      ;;
    wrk)
      kind=summary
      main=(wrk -t "$WRK_THREADS" -c "$conc" -d "${WRK_DURATION}s" -s "$here/wrk_chat.lua" "$mock_url")
      ;;
  esac
  if [ "${startup[0]}" != true ]; then
    measure startup "$label" "$kind" "$client" "$mode" "$op" 1 1 "$MOCK_NAME" -- "${startup[@]}"
  fi
  measure "$table" "$label" "$kind" "$client" "$mode" "$op" "$conc" "$reqs" "$MOCK_NAME" -- "${main[@]}"
}

max_mock_c=0
for c in $MOCK_CONCURRENCIES; do (( c > max_mock_c )) && max_mock_c=$c; done
HTTPLIB_THREADS="${HTTPLIB_THREADS:-$(( (max_mock_c > CONCURRENCY ? max_mock_c : CONCURRENCY) + 16 ))}"

echo "llmbench: $LLMBENCH" >&2
echo "writing to $OUT" >&2

# --- 1. Clients, streaming, against one asio mock ------------------------------------------------
if want "$CLIENTS" llmbench || want "$CLIENTS" aiohttp || want "$CLIENTS" node; then
  echo "== clients, streaming (C=$CONCURRENCY, $REQUESTS requests)" >&2
  MOCK_NAME=asio CFG_TTFT_MS="$ttft_ms" CFG_ITL_MS="$itl_ms"
  export MOCK_NAME CFG_TTFT_MS CFG_ITL_MS
  start_mock asio
  if want "$CLIENTS" llmbench; then
    for mode in coroutine threaded sync; do run_client clients-stream llmbench "$mode" stream "$CONCURRENCY" "$REQUESTS"; done
  fi
  want "$CLIENTS" aiohttp && run_client clients-stream aiohttp "" stream "$CONCURRENCY" "$REQUESTS"
  want "$CLIENTS" node && run_client clients-stream openai-node "" stream "$CONCURRENCY" "$REQUESTS"
  stop_mock
fi

# --- 2. Clients, non-streaming invoke, against a fast asio mock (no latency) --------------------------
echo "== clients, invoke (C=$INVOKE_CONCURRENCY, $INVOKE_REQUESTS requests; wrk ${WRK_DURATION}s)" >&2
MOCK_NAME=asio-fast CFG_TTFT_MS=0 CFG_ITL_MS=0
FAST=1 start_mock asio
if want "$CLIENTS" llmbench; then
  for mode in coroutine threaded sync; do run_client clients-invoke llmbench "$mode" invoke "$INVOKE_CONCURRENCY" "$INVOKE_REQUESTS"; done
fi
want "$CLIENTS" wrk && run_client clients-invoke wrk "" invoke "$INVOKE_CONCURRENCY" 0
want "$CLIENTS" aiohttp && run_client clients-invoke aiohttp "" invoke "$INVOKE_CONCURRENCY" "$INVOKE_REQUESTS"
want "$CLIENTS" node && run_client clients-invoke openai-node "" invoke "$INVOKE_CONCURRENCY" "$INVOKE_REQUESTS"
stop_mock

# --- 3. Mocks: the same llmbench coroutine stream load against each mock --------------------------
echo "== mocks: $MOCKS at concurrency $MOCK_CONCURRENCIES" >&2
CFG_TTFT_MS="$ttft_ms" CFG_ITL_MS="$itl_ms"
# Users start spread over one ideal request latency, so the table measures streaming, not a connect burst.
ramp_ms="$(awk -v t="$ttft_ms" -v i="$itl_ms" -v n="$TOKENS" 'BEGIN { printf "%d", t + (n - 1) * i }')"
for mock in $MOCKS; do
  MOCK_NAME="$mock"
  start_mock "$mock"
  for c in $MOCK_CONCURRENCIES; do
    reqs=$(( c * MOCK_REQUESTS_PER_USER ))
    llmbench_cmd coroutine stream "$c" "$reqs" "$OUT/runs/mocks/$mock-c$c" --set "scenario.ramp_up=\"${ramp_ms}ms\""
    measure mocks "$mock-c$c" llmbench llmbench coroutine stream "$c" "$reqs" "$mock" --mock-pid "$mock_pid" -- "${cmd[@]}"
  done
  stop_mock
done

# --- Tables ----------------------------------------------------------------------------------------
{
  echo "Command: CONCURRENCY=$CONCURRENCY REQUESTS=$REQUESTS TTFT=$TTFT ITL=$ITL TOKENS=$TOKENS" \
       "INVOKE_REQUESTS=$INVOKE_REQUESTS WRK_DURATION=$WRK_DURATION MOCK_CONCURRENCIES='$MOCK_CONCURRENCIES'" \
       "bench/peers/run_peers.sh"
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); llmbench: $LLMBENCH"
  echo
  "$PY" "$here/tables.py" "$records"
} >"$OUT/tables.md"
cat "$OUT/tables.md"
echo "Absolute figures: $records; per-run output: $OUT/runs" >&2
