#!/usr/bin/env bash
# Installs the Debian 12 packages llmbench needs. Idempotent: installs only what is missing.
# Usage: scripts/install-deps.sh [build|test|bench|all]   (default: test)
set -euo pipefail

profile="${1:-test}"

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-all-dev libcurl4-openssl-dev libcpp-httplib-dev
  libfmt-dev libcli11-dev libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev
)
# Compatibility tests drive the mock with the official OpenAI SDK and LangChain (npm)
# and render HTML reports in headless Chromium.
test_pkgs=(chromium clang libclang-rt-14-dev)
bench_pkgs=(wrk python3-aiohttp python3-fastapi python3-uvicorn linux-perf valgrind)

pkgs=("${build_pkgs[@]}")
case "$profile" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  all) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "install-deps.sh: unknown profile '$profile' (expected build|test|bench|all)" >&2; exit 2 ;;
esac

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
