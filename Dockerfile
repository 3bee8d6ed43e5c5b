# syntax=docker/dockerfile:1
# llmbench as a container image (docs/install.md, deploy/kubernetes/):
#   docker build -t llmbench:0.1.0 .        (or: podman build -t llmbench:0.1.0 .)
# The builder compiles the release binary and packs it as the same .deb CI checks
# (scripts/check-packages.sh); the runtime stage installs that .deb, so apt brings exactly the
# shared libraries its Depends (computed by dpkg-shlibdeps) name, and nothing to build with.

FROM debian:12 AS builder
WORKDIR /src
# The build profile of install-deps: compiler, CMake, Ninja and the libraries llmbench links.
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh build && rm -rf /var/lib/apt/lists/*
COPY . .
# No tests or benchmarks (they need GoogleTest); only the binary, then its .deb.
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
          -DLLMBENCH_BUILD_TESTS=OFF -DLLMBENCH_BUILD_BENCH=OFF \
 && cmake --build build --target llmbench \
 && cd build && cpack -G DEB && cp packages/llmbench_*.deb /llmbench.deb

FROM debian:12-slim
COPY --from=builder /llmbench.deb /tmp/llmbench.deb
# ca-certificates: https targets are verified against the system store.
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/llmbench.deb ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/llmbench.deb \
 && groupadd --system --gid 10001 llmbench \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin llmbench
# The uid the Kubernetes manifests' runAsUser names (deploy/kubernetes/base/job.yaml).
USER 10001:10001
WORKDIR /tmp
# The mock's default port, for `llmbench mock --host 0.0.0.0`.
EXPOSE 8000
ENTRYPOINT ["llmbench"]
CMD ["--help"]
