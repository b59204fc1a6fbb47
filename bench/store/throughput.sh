#!/usr/bin/env bash
# Jobs per minute of the scale-out deployment with 1, 2 and 3 workers on this machine:
# a throw-away PostgreSQL, one API node (WORKERS=0) and N `dancedynamics worker` processes
# (one job each, DD_THREADS inference threads), JOBS generated clips uploaded and analysed
# (lite model, no overlay video). Also runs the claim-latency benchmark with 10,000 jobs.
# Usage: bench/store/throughput.sh [build_dir=build]   Env: JOBS (12), FRAMES (20), DD_THREADS (1)
set -euo pipefail

repo_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=$(cd "${1:-$repo_dir/build}" && pwd)
binary=$build_dir/src/app/dancedynamics
jobs=${JOBS:-12}
frames=${FRAMES:-20}
threads=${DD_THREADS:-1}
work=$(mktemp -d /tmp/dd_bench_store.XXXXXX)
pids=()

stop_nodes() {
  local pid
  for pid in "${pids[@]}"; do
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}

cleanup() {
  stop_nodes
  bash "$repo_dir/tests/store/throwaway_postgres.sh" stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$(bash "$repo_dir/tests/store/throwaway_postgres.sh" start "$work/pg")
echo "== enqueue/claim latency, 10000 queued jobs"
psql -q "$url" -c "CREATE DATABASE latency"
"$build_dir/bench/store/bench_store_claim" "${url%/*}/latency" 10000 2000 2>/dev/null

ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=128x96:rate=10 -frames:v "$frames" -pix_fmt yuv420p \
  "$work/clip.mp4"

run() {
  local workers=$1 db="w$1" port id started elapsed done_count
  psql -q "$url" -c "CREATE DATABASE $db"
  local env=(DATABASE_URL="${url%/*}/$db" DATA_DIR="$work/data$workers" DD_THREADS="$threads" DD_LOG_LEVEL=warn)
  env "${env[@]}" WORKERS=0 API_HOST=127.0.0.1 API_PORT=0 "$binary" serve >"$work/api$workers.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/api$workers.log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  for i in $(seq "$workers"); do
    env "${env[@]}" WORKERS=1 WORKER_ID="w$i" "$binary" worker >"$work/worker$workers-$i.log" 2>&1 &
    pids+=($!)
  done
  local ids=()
  for _ in $(seq "$jobs"); do
    id=$(curl -sf -F "file=@$work/clip.mp4" "http://127.0.0.1:$port/api/upload" | sed 's/.*"session_id":"\([0-9a-f]*\)".*/\1/')
    ids+=("$id")
  done
  sleep 1.5  # workers up and polling
  started=$(date +%s.%N)
  for id in "${ids[@]}"; do
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"model":"lite","write_video":false}' \
      "http://127.0.0.1:$port/api/analyze/$id" >/dev/null
  done
  while true; do
    done_count=$(psql -qtA "${url%/*}/$db" -c "SELECT count(*) FROM sessions WHERE status = 'completed'")
    [ "$done_count" -ge "$jobs" ] && break
    sleep 0.1
  done
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  printf '%d worker(s): %d jobs in %.1f s = %.1f jobs/min  (load average %s)\n' "$workers" "$jobs" "$elapsed" \
    "$(awk -v n="$jobs" -v t="$elapsed" 'BEGIN { print n * 60 / t }')" "$(cut -d' ' -f1 /proc/loadavg)"
  stop_nodes
}

echo "== throughput: $jobs clips of $frames frames (128x96), lite model, $threads inference thread(s) per worker, $(nproc) cores"
for workers in 1 2 3; do run "$workers"; done
