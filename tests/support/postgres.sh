#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: `postgres.sh start DIR` creates one in DIR on a
# free port of 127.0.0.1 (run as the unprivileged `postgres` user when we are root, as initdb
# demands), waits for it and writes its URL to DIR/url; `postgres.sh stop DIR` stops it and
# removes DIR; `pause DIR` stops it keeping its data and `resume DIR` starts it again on the same
# port (a database outage, for the tests that need one). Nothing outside DIR is touched.
set -euo pipefail
cmd="$1"; dir=$(realpath -m "$2")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "postgres.sh: no PostgreSQL server (apt-get install postgresql)"; exit 1; }
as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

case "$cmd" in
  start)
    if [[ -f "$dir/url" ]] && "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      exit 0  # already up
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U litellm --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
    for attempt in 1 2 3 4 5; do
      port=$(( 20000 + RANDOM % 20000 ))
      if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
           -o "-p $port -c unix_socket_directories= -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
           start >/dev/null; then
        echo "postgresql://litellm@127.0.0.1:$port/postgres" >"$dir/url"
        echo "$port" >"$dir/port"
        echo "postgres.sh: PostgreSQL up on 127.0.0.1:$port ($dir)"
        exit 0
      fi
    done
    cat "$dir/server.log"; exit 1 ;;
  pause)
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null ;;
  resume)
    port=$(cat "$dir/port")
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -c unix_socket_directories= -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null ;;
  stop)
    [[ -d "$dir/data" ]] && "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" ;;
  *) echo "usage: postgres.sh start|stop|pause|resume DIR"; exit 2 ;;
esac
