#!/usr/bin/env bash
# What users install, checked offline (issue 17, docs/install.md, deploy/README.md), in about a
# minute on a built tree:
#   1. the .deb (cpack): Depends from dpkg-shlibdeps, unpacked into a clean prefix with dpkg -x,
#      `llmbench --version` and a 20-request run from there
#   2. `cmake --install` into a clean prefix, examples/consumer built against it with
#      find_package(llmbench) and run (it embeds the mock and sends it a request)
#   3. the Kubernetes manifests rendered with `kubectl kustomize` and validated against the
#      Kubernetes schemas (deploy/validate-manifests.mjs); their scenarios run by the binary
#      against a mock started with the self-test Deployment's own args; a broken copy must fail
#   4. deploy/slurm/llmbench.sbatch and deploy/mpi/run.sh with stand-in srun/mpirun/llmbench, and
#      the Job's `sh -c` shard script with the stand-in llmbench (descriptor limit raised, args)
#   5. the Dockerfile, statically (deploy/validate-dockerfile.mjs): no container engine here
# Usage: scripts/check-packages.sh [BUILD_DIR]   (default build/release; `make test-packages`)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build/release}" && pwd)"
jobs="${JOBS:-$(nproc)}"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "== check-packages: $*"; }
die() { echo "check-packages: FAILED: $*" >&2; exit 1; }
start=$SECONDS

step "building the installed targets in $build"
cmake --build "$build" -j "$jobs" --target llmbench llmbench_common llmbench_mock llmbench_client

# --- 1. the .deb
step "cpack -G DEB"
(cd "$build" && cpack -G DEB -B "$work/deb" >/dev/null)
deb="$(ls "$work"/deb/llmbench_*.deb)"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "$(basename "$deb"): Depends: $depends"
for lib in libcurl4 libfmt9 libtomlplusplus3 libcpp-httplib0.11 libstdc++6; do
  [[ "$depends" == *"$lib "* ]] || die "the .deb's Depends lack $lib (dpkg-shlibdeps did not run?)"
done
dpkg-deb -c "$deb" | awk '{print $6}' | grep -qx './usr/share/doc/llmbench/README.md' || die "the .deb has no docs"
dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '^\./usr/' | grep . && die "the .deb installs outside /usr"
dpkg -x "$deb" "$work/deb-root"
installed="$work/deb-root/usr/bin/llmbench"
version="$("$installed" --version)"
expected="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
[[ "$version" == "llmbench $expected "* ]] || die "--version says '$version', expected llmbench $expected"
echo "$version"
step "a short run from the unpacked .deb"
"$installed" run --requests 20 --concurrency 4 --mock-ttft 5ms --mock-itl 1ms --out "$work/run" --quiet >/dev/null
# shellcheck disable=SC2016 # JavaScript template literal
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const c = r.scenarios[0].steps[0].counts;
  if (c.total !== 20 || c.ok !== 20) { console.error("run from the .deb:", JSON.stringify(c)); process.exit(1); }
  console.log(`run from the .deb: ${c.ok}/${c.total} requests ok`);' "$work/run/report.json"

# --- 2. cmake --install and a consumer of the CMake package
step "cmake --install + examples/consumer with find_package(llmbench)"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
grep -rq "$root" "$work/prefix/lib/cmake/llmbench/" && die "the installed CMake package names the source tree"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$root/examples/consumer" -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/consumer" -j "$jobs" >/dev/null
"$work/consumer/llmbench_consumer"

# --- 3. Kubernetes manifests
deploy="$root/deploy"
[ -d "$deploy/node_modules" ] || die "deploy/node_modules missing: run scripts/install-deps.sh test"
command -v kubectl >/dev/null || die "kubectl missing: run scripts/install-deps.sh test"
for dir in base overlays/self-test; do
  name="$(basename "$dir")"
  step "kubectl kustomize deploy/kubernetes/$dir"
  # kustomize v5 warns on stderr about the v2-compatible field names (kustomization.yaml says why).
  kubectl kustomize "$deploy/kubernetes/$dir" 2>"$work/$name.warnings" >"$work/$name.yaml" ||
    { cat "$work/$name.warnings" >&2; die "kubectl kustomize $dir"; }
  node "$deploy/validate-manifests.mjs" "$name" --extract "$work" <"$work/$name.yaml"
done
# The validator must catch what it is for: a retrying Job without the exit-code-4 rule.
sed -e 's/backoffLimit: 0/backoffLimit: 6/' -e 's/^\(\s*\)- 4$/\1- 5/' "$work/base.yaml" >"$work/broken.yaml"
if node "$deploy/validate-manifests.mjs" broken <"$work/broken.yaml" 2>"$work/broken.out"; then
  die "validate-manifests.mjs accepted a Job with backoffLimit 6 and no exit-code-4 rule"
fi
if ! grep -q 'backoffLimit must be 0' "$work/broken.out" || ! grep -q 'exit code 4' "$work/broken.out"; then
  cat "$work/broken.out" >&2
  die "validate-manifests.mjs missed a broken field"
fi

# The scenarios in the ConfigMaps are read by the binary itself; the self-test's runs for real
# (20 requests) against a mock started with the mock Deployment's args, on loopback.
step "the manifests' scenarios, read and run by llmbench"
mapfile -t mock_args <"$work/self-test-mock.args"
for i in "${!mock_args[@]}"; do
  case "${mock_args[$i]}" in
    --host) mock_args[i+1]=127.0.0.1 ;;
    --port) mock_args[i+1]=0 ;;
  esac
done
"$installed" "${mock_args[@]}" >"$work/mock.log" 2>&1 &
mock_pid=$!
port=""
for _ in $(seq 100); do
  port="$(grep -o '127\.0\.0\.1:[0-9]*' "$work/mock.log" | head -1 | cut -d: -f2 || true)"
  [ -n "$port" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.log" >&2; die "the self-test mock args do not start the mock"; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/mock.log" >&2; die "the mock printed no port"; }
"$installed" run "$work/self-test-scenario.toml" --set target.url="http://127.0.0.1:$port" \
  --set scenario.requests=20 --set scenario.rate=200 --out "$work/self-test-run" --quiet >/dev/null
kill "$mock_pid"; wait "$mock_pid" 2>/dev/null || true; mock_pid=""
echo "self-test scenario: 20 requests against the mock as the Deployment runs it"
# The base scenario targets the user's server: only read (a url nobody listens on fails the run,
# but a file the binary cannot read exits 2 first).
set +e
"$installed" run "$work/base-scenario.toml" --set target.url=http://127.0.0.1:9 --set scenario.requests=1 \
  --set scenario.duration=1s --set defaults.warmup=0 --out "$work/base-run" --quiet >/dev/null 2>"$work/base-run.err"
status=$?
set -e
[ "$status" -ne 2 ] || { cat "$work/base-run.err" >&2; die "llmbench cannot read the base scenario"; }
echo "base scenario: read by llmbench (exit $status against a closed port)"

step "shellcheck of the launchers"
shellcheck "$deploy/slurm/llmbench.sbatch" "$deploy/mpi/run.sh" "$root/scripts/check-packages.sh"

# --- 4. the Slurm and MPI launchers, with stand-ins for srun, mpirun and llmbench that record
# what each task would run (no Slurm cluster here; `mpirun -np N` of real shards is the sharding
# tests' part): N tasks, each `run --shard auto` with one common --start-at ahead of now and its
# own shard-I.json, then merge --expect-shards N of exactly those files, then gate.
step "deploy/slurm/llmbench.sbatch and deploy/mpi/run.sh (stand-in launchers)"
fake="$work/fake"
mkdir -p "$fake"
cat >"$fake/llmbench" <<'FAKE'
#!/usr/bin/env bash
echo "rank=${SLURM_PROCID:-${OMPI_COMM_WORLD_RANK:-}} $* nofile=$(ulimit -n)" >>"$FAKE_LOG"
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in --out | -o) j=$((i + 1)); if [ "${!j}" != - ] && [ -d "$(dirname "${!j}")" ]; then echo '{}' >"${!j}"; fi ;; esac
done
FAKE
cat >"$fake/srun" <<'FAKE'
#!/usr/bin/env bash
n="${1#--ntasks=}"; shift 2
for ((r = 0; r < n; r++)); do SLURM_PROCID=$r "$@" & done
wait
FAKE
cat >"$fake/mpirun" <<'FAKE'
#!/usr/bin/env bash
n="$2"; shift 2
for ((r = 0; r < n; r++)); do OMPI_COMM_WORLD_RANK=$r OMPI_COMM_WORLD_SIZE=$n "$@" & done
wait
FAKE
chmod +x "$fake"/*
# shellcheck disable=SC2016 # JavaScript
check_launcher() {  # NAME SHARDS LOG OUT_DIR
  node -e '
    const [name, n, log, out] = process.argv.slice(1);
    const lines = require("fs").readFileSync(log, "utf8").trim().split("\n");
    const runs = lines.filter((l) => / run /.test(l)), fail = (m) => { console.error(`${name}: ${m}\n${lines.join("\n")}`); process.exit(1); };
    if (runs.length !== +n) fail(`${runs.length} shards ran, expected ${n}`);
    const starts = new Set(runs.map((l) => / --start-at (\S+)/.exec(l)?.[1]));
    if (starts.size !== 1 || !(Date.parse([...starts][0]) > Date.now() - 60e3)) fail(`start instants ${[...starts]}`);
    const outs = runs.map((l) => { const [, rank, file] = /^rank=(\d+) .* --shard auto .*--out (\S+)/.exec(l) ?? fail(`no --shard auto/--out: ${l}`); if (file !== `${out}/shard-${rank}.json`) fail(`rank ${rank} writes ${file}`); return file; });
    if (new Set(outs).size !== +n) fail("shards share an output file");
    if (!runs.every((l) => l.endsWith(` nofile=${process.env.HARD}`))) fail(`a shard kept a descriptor limit below the hard limit ${process.env.HARD}`);
    const merge = lines.find((l) => / merge /.test(l)) ?? fail("no merge");
    if (!merge.includes(`--expect-shards ${n}`) || !outs.every((f) => merge.includes(f))) fail(`merge: ${merge}`);
    if (!lines.at(-1).includes(` gate ${out}/report.json`)) fail("no gate on the merged report");
    console.log(`${name}: ${n} shards, one start instant ${[...starts][0]}, merged and gated`);' "$@"
}
# From a soft descriptor limit of 1024, which each task must raise to the hard limit.
hard="$(ulimit -Hn)"
export HARD="$hard"
(ulimit -Sn 1024; PATH="$fake:$PATH" FAKE_LOG="$work/slurm.log" SLURM_NTASKS=3 SLURM_JOB_ID=1 \
  bash "$deploy/slurm/llmbench.sbatch" scenario.toml "$work/slurm" >/dev/null)
check_launcher slurm 3 "$work/slurm.log" "$work/slurm"
(ulimit -Sn 1024; PATH="$fake:$PATH" FAKE_LOG="$work/mpi.log" "$deploy/mpi/run.sh" scenario.toml "$work/mpi" -np 4 2>/dev/null)
check_launcher mpi 4 "$work/mpi.log" "$work/mpi"

# The Job's shard script as the pod's sh runs it (Kubernetes' $$ already undone by the extraction),
# from a soft descriptor limit of 1024: it must raise it to the hard limit, then run the shard.
step "the Job's shard command (sh -c) with a stand-in llmbench"
for name in base self-test; do
  (ulimit -Sn 1024; cd "$work"; PATH="$fake:$PATH" FAKE_LOG="$work/$name-shard.log" LLMBENCH_START_AT=2030-01-02T03:04:05Z \
    JOB_COMPLETION_INDEX=2 sh "$work/$name-shard.sh")
done
expect_shard() {  # LOG LINE
  [ "$(cat "$1")" = "$2" ] || die "the Job's shard ran '$(cat "$1")', expected '$2'"
}
shard_args="run /etc/llmbench/scenario.toml --shard auto --start-at 2030-01-02T03:04:05Z"
expect_shard "$work/base-shard.log" "rank= $shard_args --out /shared/shard-2.json --quiet nofile=$hard"
expect_shard "$work/self-test-shard.log" "rank= $shard_args --out - --quiet nofile=$hard"
echo "Job shard command: raises the descriptor limit 1024 -> $hard, runs shard 2's llmbench run"

# --- 5. the Dockerfile
step "Dockerfile (static)"
node "$deploy/validate-dockerfile.mjs" "$root"
# ... and it must refuse an image that runs as root or carries the compiler.
bad="$work/bad-image"
mkdir -p "$bad/scripts" "$bad/deploy/kubernetes/base"
cp "$root/.dockerignore" "$bad/"
cp "$root/scripts/install-deps.sh" "$bad/scripts/"
cp "$root/deploy/kubernetes/base/job.yaml" "$bad/deploy/kubernetes/base/"
sed -e 's/^USER .*/USER root/' -e 's|/tmp/llmbench.deb ca-certificates|/tmp/llmbench.deb ca-certificates g++|' \
  "$root/Dockerfile" >"$bad/Dockerfile"
if node "$deploy/validate-dockerfile.mjs" "$bad" 2>"$work/bad-image.out"; then
  die "validate-dockerfile.mjs accepted USER root and g++ in the runtime stage"
fi
if ! grep -q 'non-root USER' "$work/bad-image.out" || ! grep -q 'installs build tools' "$work/bad-image.out"; then
  cat "$work/bad-image.out" >&2
  die "validate-dockerfile.mjs missed a broken instruction"
fi

echo "check-packages: all passed in $((SECONDS - start)) s"
