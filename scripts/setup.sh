#!/usr/bin/env bash
# Installs everything DanceDynamics needs on Debian 12 and the MediaPipe pose models.
# Idempotent: packages already installed and models whose checksums match are left alone.
# Environment: DD_MODEL_DIR (default <repo>/models), DD_CACHE_DIR (default <repo>/.cache).
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model_dir=${DD_MODEL_DIR:-$repo_dir/models}
cache_dir=${DD_CACHE_DIR:-$repo_dir/.cache}

readonly mediapipe_package="@mediapipe/pose@0.5.1675469404"
# installed name | file in the npm package | SHA-256
readonly models=(
  "pose_detection.tflite|pose_solution_packed_assets.data|a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85"
  "pose_landmark_lite.tflite|pose_landmark_lite.tflite|f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"
  "pose_landmark_full.tflite|pose_landmark_full.tflite|e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
  "pose_landmark_heavy.tflite|pose_landmark_heavy.tflite|59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"
)

# Build tools, libraries (Debian -dev packages), test tools and test media (chromium: the web
# app's browser tests drive it headless; they never download a browser; postgresql: the
# store's tests start a throw-away server from its binaries).
readonly packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates make
  libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libflatbuffers-dev flatbuffers-compiler
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
  libopencv-imgproc-dev libopencv-imgcodecs-dev
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libssl-dev libfftw3-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libspdlog-dev libfmt-dev
  clang-format ffmpeg opencv-doc chromium postgresql
)

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local wanted=("${packages[@]}") missing=()
  # Debian's npm only when no npm is on the machine (a NodeSource nodejs brings its own).
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
  local package
  for package in "${wanted[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "all ${#wanted[@]} Debian packages present"
    return
  fi
  log "installing ${#missing[@]} Debian packages: ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

models_installed() {
  local entry name sum
  for entry in "${models[@]}"; do
    IFS='|' read -r name _ sum <<<"$entry"
    [ -f "$model_dir/$name" ] && [ "$(sha256_of "$model_dir/$name")" = "$sum" ] || return 1
  done
}

install_models() {
  if models_installed; then
    log "models present and verified in $model_dir"
    return
  fi
  local npm_dir="$cache_dir/npm" unpack_dir="$cache_dir/mediapipe-pose"
  mkdir -p "$npm_dir" "$model_dir"
  local tarball="$npm_dir/mediapipe-pose-0.5.1675469404.tgz"
  if [ ! -f "$tarball" ]; then
    log "fetching $mediapipe_package from the npm registry"
    (cd "$npm_dir" && npm pack --silent --cache "$npm_dir/cache" "$mediapipe_package" >/dev/null)
  fi
  rm -rf "$unpack_dir"
  mkdir -p "$unpack_dir"
  tar -xzf "$tarball" -C "$unpack_dir"
  local entry name source sum actual
  for entry in "${models[@]}"; do
    IFS='|' read -r name source sum <<<"$entry"
    actual=$(sha256_of "$unpack_dir/package/$source")
    if [ "$actual" != "$sum" ]; then
      log "ERROR: $source from $mediapipe_package has SHA-256 $actual, expected $sum"
      rm -f "$tarball"
      exit 1
    fi
    install -m 0644 "$unpack_dir/package/$source" "$model_dir/$name.tmp"
    mv -f "$model_dir/$name.tmp" "$model_dir/$name"
  done
  rm -rf "$unpack_dir"
  log "models installed and verified in $model_dir"
}

# The web tests' npm packages (playwright-core, axe-core), pinned by tests/web/package-lock.json.
install_web_test_packages() {
  local web_tests="$repo_dir/tests/web"
  local stamp="$web_tests/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ ! "$web_tests/package-lock.json" -nt "$stamp" ]; then
    log "web test npm packages present"
    return
  fi
  log "installing the web test npm packages (npm ci)"
  (cd "$web_tests" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund \
    --cache "$cache_dir/npm/cache" >/dev/null)
}

# Swagger UI for /api/docs, from the npm package pinned in web/package.json (lock file committed).
install_web_vendor() {
  local web_dir="$repo_dir/web" wanted installed
  wanted=$(node -p "require('$web_dir/package.json').dependencies['swagger-ui-dist']")
  installed=$(node -p "require('$web_dir/node_modules/swagger-ui-dist/package.json').version" 2>/dev/null || true)
  if [ "$installed" = "$wanted" ]; then
    log "swagger-ui-dist $installed present in web/node_modules"
    return
  fi
  log "installing swagger-ui-dist $wanted into web/node_modules"
  mkdir -p "$cache_dir/npm"
  (cd "$web_dir" && npm ci --no-audit --no-fund --silent --cache "$cache_dir/npm/cache")
}

install_packages
install_models
install_web_vendor
install_web_test_packages
