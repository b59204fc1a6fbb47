#!/usr/bin/env bash
# Bounded load test of `dancedynamics serve` on 127.0.0.1 only: wrk (Debian package `wrk`)
# on /health, /api/sessions, a static file and a 1 MB Range download, then WebSocket
# ping/pong round trips (npm `ws` from tests/web). Prints requests/s, p50/p99 latency, errors and the
# server's RSS before/after. Settings: LOAD_SECONDS (10 per wrk run), LOAD_CONNECTIONS (50),
# WS_CONNECTIONS (200), WS_PINGS (50).
# Usage: scripts/loadtest.sh [path/to/dancedynamics]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/src/app/dancedynamics}
SECONDS_EACH=${LOAD_SECONDS:-10}
CONNECTIONS=${LOAD_CONNECTIONS:-50}
WS_CONNECTIONS=${WS_CONNECTIONS:-200}
WS_PINGS=${WS_PINGS:-50}
command -v wrk >/dev/null || { echo "loadtest: wrk is missing (apt-get install wrk)"; exit 1; }
WORK=$(mktemp -d /tmp/dd_load.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
URL=http://127.0.0.1:$PORT
"$BIN" --log-level warn serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" --workers 0 \
  >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "$URL/health" >/dev/null && break; sleep 0.1; done
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }

ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=25:duration=4 -c:v libx264 -b:v 2M \
  -pix_fmt yuv420p "$WORK/clip.mp4"
ID=$(curl -sf -F "file=@$WORK/clip.mp4" "$URL/api/upload" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session_id"])')
RSS_BEFORE=$(rss_kb)

printf '%-34s %10s %9s %9s %8s\n' "test" "req/s" "p50" "p99" "errors"
run_wrk() {  # run_wrk NAME PATH [wrk args...]
  local name=$1 path=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" "$URL$path")
  local rps p50 p99 errors non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-34s %10s %9s %9s %8s\n' "$name" "$rps" "$p50" "$p99" "$(( ${errors:-0} + ${non2xx:-0} ))"
}
run_wrk "GET /health" /health
run_wrk "GET /api/sessions" /api/sessions
run_wrk "GET /index.html" /index.html
run_wrk "GET /api/video (Range, 1 MB)" "/api/video/$ID" -H "Range: bytes=0-1048575"
ws=$(node scripts/ws_load.mjs "ws://127.0.0.1:$PORT/ws/$ID" \
  "$WS_CONNECTIONS" "$WS_PINGS")
python3 - "$ws" "$WS_CONNECTIONS" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
name = f"WebSocket ping/pong x{sys.argv[2]} sockets"
print(f"{name:<34} {r['messages'] / r['seconds']:10.0f} {r['p50_ms']:7.2f}ms {r['p99_ms']:7.2f}ms {r['errors']:8d}")
PY
RSS_AFTER=$(rss_kb)
echo "server RSS: ${RSS_BEFORE} kB before, ${RSS_AFTER} kB after ($(nproc) cores, ${SECONDS_EACH} s per wrk run, ${CONNECTIONS} connections)"
grep -q "ERROR\|CRITICAL" "$WORK/server.log" && { echo "server logged errors:"; grep "ERROR\|CRITICAL" "$WORK/server.log" | head; exit 1; }
exit 0
