#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, build-fuzz/) and runs each for FUZZ_SECONDS
# (default 60) on its seed corpus in fuzz/corpus/<target>/. New inputs go to
# build-fuzz/corpus/<target>/ (the seeds stay untouched); crashes to build-fuzz/findings/.
# Usage: scripts/fuzz.sh [target...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(fuzz_multipart fuzz_http_api fuzz_websocket fuzz_options fuzz_tflite fuzz_video)

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDD_FUZZ=ON \
    -DDD_BUILD_TESTS=OFF -DDD_BUILD_BENCH=OFF -DDD_WERROR=OFF
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target "${TARGETS[@]}"

mkdir -p "$BUILD_DIR/findings"
status=0
for target in "${TARGETS[@]}"; do
  work="$BUILD_DIR/corpus/$target"
  mkdir -p "$work"
  log="$BUILD_DIR/findings/$target.log"
  echo "== $target for ${SECONDS_EACH}s (log: $log)"
  # -rss_limit_mb: the video decoder and the model loader may allocate legitimately large
  # buffers; 2 GB still flags a runaway. -timeout: an input slower than 10 s is a hang.
  if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$BUILD_DIR/fuzz/$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$BUILD_DIR/findings/$target-" "$work" "fuzz/corpus/$target" >"$log" 2>&1; then
    echo "!! $target found a problem: see $log and $BUILD_DIR/findings/"
    status=1
  fi
  grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::average_exec_per_sec|cov:" "$log" | tail -3
done
exit $status
