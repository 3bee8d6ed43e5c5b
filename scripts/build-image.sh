#!/usr/bin/env bash
# Builds the Dockerfile's image without a container registry or a container engine daemon, with
# Debian's podman, and checks it (docs/install.md). Not part of CI (minutes of work, see below).
#   1. `debootstrap --variant=minbase bookworm` → imported as debian:12 and debian:12-slim (the
#      registry images cannot be pulled here; a minbase root stands in for both; about 2 minutes)
#   2. `podman build --isolation chroot` (no OCI runtime: cgroups here are hybrid, which crun
#      refuses; default_ulimits emptied because the sandbox's hard limits are below podman's)
#   3. a derived build runs, as the image's user: `id -u` (not 0), `llmbench --version`, 20 requests
#      against the embedded mock, no compiler or -dev package; the User and Entrypoint are inspected
# Usage: scripts/build-image.sh [--deb FILE] [TAG]   (default TAG localhost/llmbench:VERSION). Root.
#   without --deb  the whole Dockerfile: the builder compiles llmbench in the container, which on a
#                  busy 2-core machine takes longer than a CI run can spare
#   --deb FILE     the runtime stage of the Dockerfile as it is, fed the .deb that `cpack -G DEB`
#                  made on this host (the builder stage's own last step) instead of the builder's
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deb=""
if [ "${1:-}" = --deb ]; then
  deb="$(realpath "${2:?--deb needs the .deb}")"
  shift 2
fi
version="$(sed -n 's/^project(llmbench VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
tag="${1:-localhost/llmbench:$version}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

missing=()
for p in podman buildah debootstrap; do command -v "$p" >/dev/null || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
printf '[containers]\ndefault_ulimits = []\n' >"$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"

if ! podman image exists docker.io/library/debian:12; then
  echo "== build-image: debootstrap bookworm (stands in for debian:12 and debian:12-slim)"
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  tar -C "$work/rootfs" -c . | podman import - docker.io/library/debian:12 >/dev/null
  rm -rf "$work/rootfs"
fi
podman image exists docker.io/library/debian:12-slim || podman tag docker.io/library/debian:12 docker.io/library/debian:12-slim

context="$root"
dockerfile="$root/Dockerfile"
if [ -n "$deb" ]; then
  context="$work/context"
  dockerfile="$context/Dockerfile"
  mkdir -p "$context"
  cp "$deb" "$context/llmbench.deb"
  { printf 'FROM docker.io/library/debian:12 AS builder\nCOPY llmbench.deb /llmbench.deb\n\n'
    sed -n '/^FROM debian:12-slim/,$p' "$root/Dockerfile"; } >"$dockerfile"
fi
echo "== build-image: podman build -t $tag${deb:+ (runtime stage, $(basename "$deb"))}"
start=$SECONDS
podman build --isolation chroot --network host --pull=never -f "$dockerfile" -t "$tag" "$context"
echo "== build-image: built in $((SECONDS - start)) s"

echo "== build-image: checking $tag"
[ "$(podman inspect "$tag" --format '{{json .Config.Entrypoint}}')" = '["llmbench"]' ] || { echo "Entrypoint is not llmbench" >&2; exit 1; }
user="$(podman inspect "$tag" --format '{{.Config.User}}')"
case "${user%%:*}" in "" | 0 | root) echo "the image runs as root ($user)" >&2; exit 1 ;; esac
mkdir -p "$work/verify"
cat >"$work/verify/Dockerfile" <<VERIFY
FROM $tag
RUN test "\$(id -u)" != 0 && id && llmbench --version \\
 && llmbench run --requests 20 --concurrency 4 --mock-ttft 5ms --mock-itl 1ms --out /tmp/run --quiet \\
 && test -s /tmp/run/report.json \\
 && ! dpkg -l | grep -qE '^ii +(g\+\+|gcc|cmake|ninja-build|[a-z0-9.+-]+-dev)(:[a-z0-9]+)? '
VERIFY
podman build --isolation chroot --network host --pull=never --no-cache -t "$tag-verify" "$work/verify"
podman rmi "$tag-verify" >/dev/null
echo "== build-image: $tag ok (User $user, $(podman image inspect "$tag" --format '{{.Size}}') bytes)"
