#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL server for tests and benchmarks.
#   throwaway_postgres.sh start STATE_DIR   prints the server's URL (also in STATE_DIR/url)
#   throwaway_postgres.sh stop STATE_DIR    stops it and removes its files
# The cluster lives in a fresh directory under /tmp, owned by an unprivileged user when run
# as root (initdb refuses root), and listens on a free loopback port. Exit 77: no PostgreSQL
# binaries on this machine (scripts/setup.sh installs them).
set -euo pipefail

command=${1:?usage: $0 start|stop STATE_DIR}
state_dir=${2:?usage: $0 start|stop STATE_DIR}
mkdir -p "$state_dir"
state_dir=$(cd "$state_dir" && pwd)

find_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

stop_server() {
  [ -f "$state_dir/cluster" ] || return 0
  local cluster bin_dir
  cluster=$(cat "$state_dir/cluster")
  bin_dir=$(cat "$state_dir/bin_dir")
  if [ -d "$cluster/data" ]; then
    cd "$cluster"
    as_owner "$bin_dir/pg_ctl" stop -D "$cluster/data" -m immediate -s >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  rm -f "$state_dir/cluster" "$state_dir/bin_dir" "$state_dir/url"
}

case "$command" in
  start)
    bin_dir=$(find_bin_dir) || { echo "throwaway_postgres: no initdb found (run scripts/setup.sh)" >&2; exit 77; }
    mkdir -p "$state_dir"
    stop_server
    cluster=$(mktemp -d /tmp/dd_pg.XXXXXX)
    chmod 755 "$cluster"
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$cluster"; fi
    echo "$cluster" >"$state_dir/cluster"
    # The unprivileged user may not be able to enter the caller's directory.
    cd "$cluster"
    echo "$bin_dir" >"$state_dir/bin_dir"
    as_owner "$bin_dir/initdb" -D "$cluster/data" -U dd -A trust -E UTF8 --locale=C --no-sync >"$cluster/initdb.log" 2>&1 ||
      { cat "$cluster/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
      # Durability settings off: the data is thrown away, speed matters.
      if as_owner "$bin_dir/pg_ctl" start -D "$cluster/data" -w -t 30 -s -l "$cluster/server.log" \
        -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null 2>&1; then
        url="postgresql://dd@127.0.0.1:$port/postgres"
        echo "$url" >"$state_dir/url"
        echo "$url"
        exit 0
      fi
      echo "throwaway_postgres: port $port failed (attempt $attempt)" >&2
    done
    cat "$cluster/server.log" >&2 || true
    exit 1
    ;;
  stop) stop_server ;;
  *) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
