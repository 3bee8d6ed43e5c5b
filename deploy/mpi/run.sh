#!/usr/bin/env bash
# One llmbench load test as N shards under MPI (Open MPI's mpirun; MPICH's mpiexec likewise):
# each rank is a shard that finds its index and the count itself (--shard auto reads
# OMPI_COMM_WORLD_RANK/SIZE or PMI_RANK/SIZE), all start at one instant, and their reports are
# merged into one and judged by `gate` (deploy/README.md, docs/distributed.md):
#   deploy/mpi/run.sh SCENARIO.toml OUT_DIR [mpirun options...]
#   deploy/mpi/run.sh scenarios/ci-gate.toml /shared/mpi -np 4 --hostfile hosts --map-by node
# OUT_DIR must be on a file system every host sees. (Each rank writes a file rather than stdout:
# mpirun forwards the ranks' stdout in chunks that may interleave mid-line.)
# Environment: LLMBENCH (the binary on every host, default llmbench on PATH), MPIRUN (default
# mpirun), LLMBENCH_LEAD_SECONDS (start instant this far ahead, default 10).
set -euo pipefail

scenario="${1:?usage: deploy/mpi/run.sh SCENARIO.toml OUT_DIR [mpirun options...]}"
out="${2:?usage: deploy/mpi/run.sh SCENARIO.toml OUT_DIR [mpirun options...]}"
shift 2
llmbench="${LLMBENCH:-llmbench}"
mpirun_options=("$@")
[ ${#mpirun_options[@]} -gt 0 ] || mpirun_options=(-np 4)
shards=""
for ((i = 0; i < ${#mpirun_options[@]}; i++)); do
  case "${mpirun_options[$i]}" in
    -np | -n | --np | -c) shards="${mpirun_options[$((i + 1))]}" ;;
  esac
done
[ -n "$shards" ] || { echo "run.sh: give the shard count as -np N" >&2; exit 2; }
mkdir -p "$out"

# One start instant for all ranks, computed once on the launching host; hosts' clocks must agree (NTP).
start_at="$(date -u -d "+${LLMBENCH_LEAD_SECONDS:-10} seconds" +%Y-%m-%dT%H:%M:%SZ)"
echo "llmbench: $shards shards of $scenario start at $start_at" >&2

# A rank that starts too late exits with code 4 and sends nothing; merge then names it.
status=0
# shellcheck disable=SC2016 # expanded by the rank's shell, where the rank variables are set
"${MPIRUN:-mpirun}" "${mpirun_options[@]}" bash -c '
  ulimit -n "$(ulimit -Hn)"
  exec "$0" run "$1" --shard auto --start-at "$2" --out "$3/shard-${OMPI_COMM_WORLD_RANK:-$PMI_RANK}.json" --quiet
' "$llmbench" "$scenario" "$start_at" "$out" || status=$?
[ "$status" -eq 0 ] || echo "run.sh: mpirun exited $status (a shard failed; exit code 4: started too late)" >&2

shard_files=()
for ((i = 0; i < shards; i++)); do shard_files+=("$out/shard-$i.json"); done
"$llmbench" merge --expect-shards "$shards" -o "$out/report.json" "${shard_files[@]}"
"$llmbench" gate "$out/report.json" --junit "$out/junit.xml"
