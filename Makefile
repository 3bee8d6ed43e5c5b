# The README's two commands: `make demo` and `make test`. Everything else is a convenience.
# Each target installs missing Debian packages first (scripts/install-deps.sh is idempotent).
JOBS ?= $(shell nproc)
PRESET ?= release
BUILD_DIR = build/$(PRESET)
LLMBENCH = $(BUILD_DIR)/cli/llmbench
DEMO_OUT ?= out/demo

.PHONY: all deps build demo test test-asan test-tsan test-soak test-packages bench fuzz clean help

all: build

help:
	@echo "make demo       install what llmbench needs, build it alone, run scenarios/quickstart.toml against the embedded mock, write reports to $(DEMO_OUT)"
	@echo "make test       install, build and run the whole test suite"
	@echo "make test-asan  the test suite under AddressSanitizer + UBSan"
	@echo "make test-tsan  the test suite under ThreadSanitizer"
	@echo "make test-soak  mock + harness together for minutes with faults on (LLMBENCH_SOAK_SECONDS, default 180)"
	@echo "make test-packages  the .deb, cmake --install + examples/consumer, Kubernetes manifests and Dockerfile, offline (after make test)"
	@echo "make bench      Google Benchmark suite and scenario benchmarks (JSON under out/bench)"
	@echo "make fuzz       libFuzzer targets (clang, ASan+UBSan), FUZZ_SECONDS=60 each; crashes kept under out/fuzz"

deps:
	@scripts/install-deps.sh test

$(BUILD_DIR)/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset $(PRESET)

# Always (re)configure: the presets turn tests and benchmarks on explicitly, which also undoes
# the tests-off configuration a `make demo` may have left in the same build directory.
build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

# The demo needs only the llmbench binary: install-deps' build profile (no GoogleTest, Chromium,
# clang or Node.js) and the llmbench target alone. On a fresh tree it configures without tests and
# benchmarks (they would require GoogleTest); an already configured tree is kept as it is. Both
# share $(BUILD_DIR), so a later `make test` compiles only what the demo did not.
demo:
	@scripts/install-deps.sh build
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET) -DLLMBENCH_BUILD_TESTS=OFF -DLLMBENCH_BUILD_BENCH=OFF
	cmake --build --preset $(PRESET) -j $(JOBS) --target llmbench
	scripts/demo.sh $(LLMBENCH) $(DEMO_OUT)

test: build
	ctest --preset $(PRESET) -j $(JOBS)

test-asan:
	$(MAKE) test PRESET=asan

test-tsan:
	$(MAKE) test PRESET=tsan

# The soak test has its own ctest label, excluded from every other test preset.
test-soak:
	$(MAKE) build PRESET=release
	ctest --preset soak

# Reuses $(BUILD_DIR) (built by `make test`): cpack, cmake --install, the consumer, the manifests.
test-packages: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET)
	JOBS=$(JOBS) scripts/check-packages.sh $(BUILD_DIR)

bench:
	@scripts/install-deps.sh bench
	$(MAKE) build PRESET=release
	scripts/bench.sh $(BUILD_DIR) out/bench

FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf build out
