#!/usr/bin/env bash
# Installs the Debian 12 packages llmbench needs. Idempotent: installs only what is missing.
# Usage: scripts/install-deps.sh [build|test|bench|all]   (default: test)
#   build  only what compiling and running the llmbench binary needs (`make demo`): compiler, CMake,
#          Ninja and the libraries of cmake/LlmbenchDependencies.cmake (Boost is used header-only)
#   test   build + everything the test suite, fuzzers and benchmarks need (`make test`)
#   bench  test + the peer load generators and profilers (`make bench`);  all: the same as bench
set -euo pipefail

profile="${1:-test}"

build_pkgs=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libcurl4-openssl-dev libcpp-httplib-dev
  libfmt-dev libcli11-dev libtomlplusplus-dev
  libpcre2-dev libicu-dev libsentencepiece-dev
)
# GoogleTest/Benchmark for tests/ and bench/ (only configured with LLMBENCH_BUILD_TESTS/BENCH),
# ccache for rebuilds, the whole Boost for anything beyond headers. Compatibility tests drive
# the mock with the official OpenAI SDK and LangChain (npm) and render HTML reports in headless
# Chromium; clang builds the fuzzers; faketime shifts a shard's wall clock and openmpi-bin's mpirun
# launches shards in tests/cli/cli_shard_test.cc (docs/distributed.md); shellcheck checks the
# Slurm/MPI launchers (make test-packages); the tokenizer tests train a model with sentencepiece's
# spm_train.
test_pkgs=(
  ccache libboost1.81-all-dev libgtest-dev libgmock-dev libbenchmark-dev
  chromium clang libclang-rt-14-dev
  faketime openmpi-bin
  shellcheck
  sentencepiece
)
bench_pkgs=(wrk python3-aiohttp python3-fastapi python3-uvicorn linux-perf valgrind)

pkgs=("${build_pkgs[@]}")
case "$profile" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "install-deps.sh: unknown profile '$profile' (expected build|test|bench|all)" >&2; exit 2 ;;
esac

# tests/compat drives the mock with the official OpenAI and Anthropic SDKs, LangChain.js and the Ollama client,
# pinned by tests/compat/package-lock.json. Run at exit so it comes after any apt install of
# nodejs/npm below, on both exit paths, and only when everything before it succeeded.
# deploy/ holds the offline validators of the Kubernetes manifests and the Dockerfile
# (kubernetes-models, dockerfile-utils), pinned by deploy/package-lock.json (`make test-packages`).
repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
compat_dir="$repo_dir/tests/compat"
install_compat_node_modules() {
  local status=$?
  # Also when the lock file changed since the last install (a package was added): npm records
  # what it installed in node_modules/.package-lock.json.
  local dir
  for dir in "$compat_dir" "$repo_dir/deploy"; do
    if [ "$status" -eq 0 ] && [ "$profile" != build ] && [ -f "$dir/package-lock.json" ] &&
       { [ ! -d "$dir/node_modules" ] ||
         [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; }; then
      echo "install-deps: npm ci in ${dir#"$repo_dir"/}"
      npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error || status=$?
    fi
  done
  exit "$status"
}
trap install_compat_node_modules EXIT

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js may come from another packaging (nodesource bundles npm and conflicts with
# Debian's npm), so ask for the commands rather than the package names.
if [ "$profile" != build ]; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  # `kubectl kustomize` renders deploy/kubernetes (scripts/check-packages.sh); any kubectl since
  # 1.14 will do, so one already installed (e.g. from a cloud SDK) is kept; else Debian's 1.20.
  command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
