#!/usr/bin/env bash
# Fault injection against the real `dancedynamics serve` (docs/security.md): kill -9 during
# an upload and during an analysis, then restart; a full disk during an upload and during the
# overlay encode (a small tmpfs as DATA_DIR; needs root, skipped otherwise); a corrupt SQLite
# file; missing and corrupted model files. Prints PASS/FAIL per check; exit status 1 when any
# check fails.
# Usage: scripts/faults.sh [path/to/dancedynamics]   (127.0.0.1 only; takes ~1 minute)
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/src/app/dancedynamics}
MODELS=${DD_MODEL_DIR:-$PWD/models}
WORK=$(mktemp -d /tmp/dd_faults.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
URL=http://127.0.0.1:$PORT
failures=0
SERVER_PID=

check() {  # check "description" command...
  if "${@:2}"; then echo "PASS  $1"; else echo "FAIL  $1"; failures=$((failures + 1)); fi
}

start_server() {  # start_server DATA_DIR [MODEL_DIR]
  "$BIN" --model-dir "${2:-$MODELS}" --log-level warn serve --host 127.0.0.1 --port "$PORT" --data-dir "$1" \
    --workers 1 --max-video-duration 600 >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf "$URL/health" >/dev/null && return 0; sleep 0.1; done
  echo "server did not start:"; cat "$WORK/server.log"; return 1
}

kill9() { kill -9 "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=; }

cleanup() {
  [ -n "$SERVER_PID" ] && kill9
  for dir in "$WORK/full" "$WORK/full2"; do mountpoint -q "$dir" 2>/dev/null && umount "$dir"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Media: a 6 s clip (analysis takes a few seconds) and a 4 MB file for slow uploads.
ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=25:duration=6 -c:v libx264 -pix_fmt yuv420p \
  "$WORK/clip.mp4"
ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=640x480:rate=25:duration=10 -c:v libx264 -b:v 3M \
  -pix_fmt yuv420p "$WORK/big.mp4"

echo "== kill -9 during an upload"
DATA=$WORK/data
start_server "$DATA" || exit 1
done_id=$(curl -sf -F "file=@$WORK/clip.mp4" "$URL/api/upload" | json_field "['session_id']")
curl -sf -X POST -H 'Content-Type: application/json' -d '{"model":"lite","write_video":false}' \
  "$URL/api/analyze/$done_id" >/dev/null
for _ in $(seq 600); do
  [ "$(curl -sf "$URL/api/results/$done_id" | json_field "['status']")" = completed ] && break; sleep 0.1
done
check "a first session completes before the faults" \
  test "$(curl -sf "$URL/api/results/$done_id" | json_field "['status']")" = completed
results_before=$(curl -sf "$URL/api/export/$done_id/results.json" | sha256sum)
curl -s --limit-rate 200k -F "file=@$WORK/big.mp4" "$URL/api/upload" >/dev/null 2>&1 &
CURL_PID=$!
sleep 1.5
check "the upload is streaming into a session directory" test "$(ls "$DATA/sessions" | wc -l)" -eq 2
kill9; wait "$CURL_PID" 2>/dev/null
start_server "$DATA" || exit 1
check "after restart no orphan upload directory is left" test "$(ls "$DATA/sessions" | wc -l)" -eq 1
check "after restart the store lists only the finished session" \
  test "$(curl -sf "$URL/api/sessions" | json_field "['count']")" -eq 1

echo "== kill -9 during an analysis"
run_id=$(curl -sf -F "file=@$WORK/clip.mp4" "$URL/api/upload" | json_field "['session_id']")
curl -sf -X POST -H 'Content-Type: application/json' -d '{"model":"heavy"}' "$URL/api/analyze/$run_id" >/dev/null
for _ in $(seq 100); do
  [ "$(curl -sf "$URL/api/results/$run_id" | json_field "['status']")" = processing ] && break; sleep 0.1
done
sleep 1
check "the analysis is running when the server is killed" \
  test "$(curl -sf "$URL/api/results/$run_id" | json_field "['status']")" = processing
kill9
start_server "$DATA" || exit 1
reply=$(curl -sf "$URL/api/results/$run_id")
check "the interrupted job is failed with a reason" \
  test "$(echo "$reply" | json_field "['status']")|$(echo "$reply" | json_field "['error']")" = \
  "failed|interrupted by server restart"
check "the finished session's results are intact" \
  test "$(curl -sf "$URL/api/export/$done_id/results.json" | sha256sum)" = "$results_before"
check "the interrupted session can be analysed again" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{"model":"lite","write_video":false}' \
         -H 'Content-Type: application/json' "$URL/api/analyze/$run_id")" = 202
sqlite3 "$DATA/dancedynamics.db" 'PRAGMA integrity_check;' >"$WORK/integrity" 2>&1
check "SQLite integrity_check is ok after two kills" test "$(cat "$WORK/integrity")" = ok
kill9

echo "== disk full during an upload"
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=3m tmpfs "$WORK/full" 2>/dev/null; then
  start_server "$WORK/full" || exit 1
  code=$(curl -s -o "$WORK/full_reply" -w '%{http_code}' -F "file=@$WORK/big.mp4" "$URL/api/upload")
  check "an upload larger than the free space is 507 ($(cat "$WORK/full_reply"))" test "$code" = 507
  check "nothing half-written is left in sessions/" test "$(ls "$WORK/full/sessions" | wc -l)" -eq 0
  check "the server still answers after the full disk" curl -sf "$URL/health" -o /dev/null
  code=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$WORK/clip.mp4" "$URL/api/upload")
  check "a small upload still succeeds afterwards" test "$code" = 200
  kill9
  umount "$WORK/full"
else
  echo "SKIP  disk full (mounting a tmpfs needs root)"
fi

echo "== disk full during the overlay encode"
# After the upload, a filler file leaves 100 kB free: the outputs (the overlay video alone is
# larger) cannot all be written.
ffmpeg -nostdin -loglevel error -y -f lavfi -i testsrc2=size=640x480:rate=25:duration=20 -c:v libx264 -b:v 100k \
  -pix_fmt yuv420p "$WORK/small_bitrate.mp4"
mkdir -p "$WORK/full2"
if mount -t tmpfs -o size=4m tmpfs "$WORK/full2" 2>/dev/null; then
  start_server "$WORK/full2" || exit 1
  id=$(curl -sf -F "file=@$WORK/small_bitrate.mp4" "$URL/api/upload" | json_field "['session_id']")
  free_bytes=$(df --output=avail -B1 "$WORK/full2" | tail -1)
  head -c $((free_bytes - 100000)) /dev/zero >"$WORK/full2/filler" 2>/dev/null
  curl -sf -X POST -H 'Content-Type: application/json' -d '{"model":"lite"}' "$URL/api/analyze/$id" >/dev/null
  freed=no
  for _ in $(seq 1200); do
    status=$(curl -sf "$URL/api/results/$id" | json_field "['status']")
    [ "$status" = failed ] || [ "$status" = completed ] && break
    # The database shares the full disk: the job's end is recorded once space is freed.
    if [ $freed = no ] && grep -q "cannot record the end of job $id" "$WORK/server.log"; then
      rm -f "$WORK/full2/filler"; freed=yes
    fi
    sleep 0.1
  done
  echo "      (space had to be freed before the failure could be recorded: $freed)"
  reply=$(curl -sf "$URL/api/results/$id")
  check "the job whose outputs filled the disk failed: $(echo "$reply" | json_field ".get('error')")" \
    test "$(echo "$reply" | json_field "['status']")" = failed
  check "no output of the failed job is left in its directory: $(ls "$WORK/full2/sessions/$id" | tr '\n' ' ')" \
    test "$(ls "$WORK/full2/sessions/$id" | grep -cv '^input\.')" -eq 0
  check "its overlay video is not served" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/download/$id")" != 200
  check "the server still answers after the full disk" curl -sf "$URL/health" -o /dev/null
  kill9
  umount "$WORK/full2"
else
  echo "SKIP  disk full during encode (mounting a tmpfs needs root)"
fi

echo "== corrupt SQLite file at start"
mkdir -p "$WORK/corrupt"
head -c 65536 /dev/urandom >"$WORK/corrupt/dancedynamics.db"
"$BIN" --model-dir "$MODELS" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/corrupt" >"$WORK/corrupt.log" 2>&1
code=$?
check "a corrupt database stops the server with a failure exit code ($code), not a signal" \
  test "$code" -ne 0 -a "$code" -lt 128
check "and a message naming the file: $(head -c 160 "$WORK/corrupt.log" | tr '\n' ' ')" \
  grep -q "dancedynamics.db" "$WORK/corrupt.log"

echo "== missing and corrupted model files"
mkdir -p "$WORK/models"
"$BIN" --model-dir "$WORK/models" models >"$WORK/models.log" 2>&1
code=$?
check "'models' with no model files fails ($code) naming the missing file" \
  sh -c "test $code -ne 0 -a $code -lt 128 && grep -q 'pose_detection.tflite' '$WORK/models.log'"
cp "$MODELS"/*.tflite "$WORK/models/"
printf 'CORRUPTED' | dd of="$WORK/models/pose_landmark_lite.tflite" bs=1 seek=100000 conv=notrunc status=none
"$BIN" --model-dir "$WORK/models" models >"$WORK/models.log" 2>&1
code=$?
check "'models' with a corrupted file fails ($code) with a SHA-256 message" \
  sh -c "test $code -ne 0 -a $code -lt 128 && grep -q 'SHA-256' '$WORK/models.log'"
start_server "$WORK/data2" "$WORK/models" || exit 1
id=$(curl -sf -F "file=@$WORK/clip.mp4" "$URL/api/upload" | json_field "['session_id']")
curl -sf -X POST -H 'Content-Type: application/json' -d '{"model":"lite"}' "$URL/api/analyze/$id" >/dev/null
for _ in $(seq 100); do
  [ "$(curl -sf "$URL/api/results/$id" | json_field "['status']")" = failed ] && break; sleep 0.1
done
error=$(curl -sf "$URL/api/results/$id" | json_field "['error']")
check "an analysis with the corrupted model fails with: $error" sh -c "echo '$error' | grep -q 'SHA-256'"
kill9

echo "== $failures check(s) failed"
[ "$failures" -eq 0 ]
