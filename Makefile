# Developer entry points. `make run` and `make test` install what is missing first.
BUILD_DIR ?= build
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build run test test-web test-asan test-tsan fuzz loadtest faults bench format format-check clean

all: build

setup:
	bash scripts/setup.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# `serve` on port 7860 (settings from the environment, see .env.example).
run: build
	$(BUILD_DIR)/src/app/dancedynamics --model-dir $(CURDIR)/models serve --port 7860

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The web app's unit and browser tests (headless Chromium); screenshots in $(BUILD_DIR)/web-artifacts.
test-web: build
	cd tests/web && node --test unit.test.mjs
	cd tests/web && DD_SERVER_BIN=$(abspath $(BUILD_DIR))/src/app/dancedynamics \
	  DD_WEB_ARTIFACTS=$(abspath $(BUILD_DIR))/web-artifacts node --test browser.test.mjs
	cd tests/web && DD_SERVER_BIN=$(abspath $(BUILD_DIR))/src/app/dancedynamics \
	  DD_WEB_ARTIFACTS=$(abspath $(BUILD_DIR))/web-artifacts node --test compare.test.mjs
	cd tests/web && DD_SERVER_BIN=$(abspath $(BUILD_DIR))/src/app/dancedynamics \
	  DD_WEB_ARTIFACTS=$(abspath $(BUILD_DIR))/web-artifacts node --test practice.test.mjs

$(ASAN_BUILD_DIR)/build.ninja:
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDD_SANITIZE=ON -DDD_BUILD_BENCH=OFF $(CMAKE_FLAGS)

test-asan: setup $(ASAN_BUILD_DIR)/build.ninja
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j $(JOBS)

$(TSAN_BUILD_DIR)/build.ninja:
	cmake -S . -B $(TSAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDD_SANITIZE_THREAD=ON -DDD_BUILD_BENCH=OFF $(CMAKE_FLAGS)

# ThreadSanitizer over the server, store and jobs tests (each folder's tests, with its fixtures;
# the pipeline tests still have reports on the PoseFrame vector under study);
# known reports from uninstrumented libraries are listed in tsan.supp.
TSAN_SUITES := $(foreach dir,server store jobs,$(if $(wildcard tests/$(dir)/CMakeLists.txt),$(dir)))
test-tsan: setup $(TSAN_BUILD_DIR)/build.ninja
	cmake --build $(TSAN_BUILD_DIR) -j $(JOBS) --target $(TSAN_SUITES:%=tests/%/all)
	@for suite in $(TSAN_SUITES); do \
	  TSAN_OPTIONS="second_deadlock_stack=1 suppressions=$(CURDIR)/tsan.supp" \
	    ctest --test-dir $(TSAN_BUILD_DIR)/tests/$$suite --output-on-failure -j $(JOBS) || exit 1; \
	done

# libFuzzer targets (needs clang and libclang-rt-14-dev; build-fuzz/), FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz: setup
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# Bounded load on 127.0.0.1 (needs the Debian package wrk; the WebSocket client is npm ws from tests/web): req/s, p50/p99, errors, RSS.
loadtest: build
	bash scripts/loadtest.sh $(BUILD_DIR)/src/app/dancedynamics

# kill -9, full disk (root: tmpfs), corrupt database and model files against the real server.
faults: build
	bash scripts/faults.sh $(BUILD_DIR)/src/app/dancedynamics

bench: build
	@for b in $$(find $(BUILD_DIR)/bench -type f -name '*_bench' -perm -u+x); do echo "== $$b"; $$b; done

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(TSAN_BUILD_DIR)
