#!/usr/bin/env bash
# Virtual keys on the hot path, side by side with the master key, in one run:
#   wrk against litellmd (mock upstream: nginx answering the OpenAI chat JSON) alternately with the
#   master key and with a virtual key that has a budget, so each call is verified (cache),
#   admitted (budget reservation), priced and written as a spend row;
#   then how long the spend writer takes to have every one of those rows in the database.
# Usage: bench/keys.sh [BUILD_DIR]
#   env: DURATION=10s, CONNS=64, BACKEND=sqlite|postgres,
#        LIMITS=none|local|redis (the virtual key also has rpm and parallel limits, counted in the
#        process or in a Redis server the script starts, as replicas share them)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-10s}"
conns="${CONNS:-64}"
backend="${BACKEND:-sqlite}"
limits="${LIMITS:-none}"
"$root/packaging/install-deps.sh" bench
work="$(mktemp -d)"
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [[ "$backend" == postgres ]] && "$root/tests/support/postgres.sh" stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

source "$root/bench/mock_nginx.sh"
mock_port=$(free_port)
start_mock_nginx "$work" "$root" "$mock_port"

redis_lines=""
if [[ "$limits" == redis ]]; then
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    > "$work/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
  redis_lines=$'router_settings:\n  redis_url: redis://127.0.0.1:'"$redis_port"
fi
db_line=""
if [[ "$backend" == postgres ]]; then
  "$root/tests/support/postgres.sh" start "$work/pg" >/dev/null
  db_line="  database_url: $(cat "$work/pg/url")"
fi
write_bench_config "$work" "$mock_port" "$db_line
$redis_lines"
LITELLM_HOME="$work/home" "$build/bin/litellmd" --config "$work/config.yaml" --port 0 \
  > "$work/litellmd.out" 2> "$work/litellmd.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$work/litellmd.out" 2>/dev/null && break; sleep 0.05; done
gw_port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$work/litellmd.out")
url="http://127.0.0.1:$gw_port/v1/chat/completions"
key_body='{"max_budget": 1000000, "key_alias": "bench"}'
if [[ "$limits" != none ]]; then
  key_body='{"max_budget": 1000000, "key_alias": "bench", "rpm_limit": 1000000000, "max_parallel_requests": 100000}'
fi
vkey=$(curl -s -X POST "http://127.0.0.1:$gw_port/key/generate" -H 'Authorization: Bearer sk-bench-master' \
  -H 'Content-Type: application/json' -d "$key_body" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

rows() {  # spend rows in the database
  if [[ "$backend" == postgres ]]; then
    psql "$(cat "$work/pg/url")" -At -c "SELECT COUNT(*) FROM spend_logs"
  else
    python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM spend_logs").fetchone()[0])' "$work/home/litellm.db"
  fi
}
run() {  # key -> "rps requests p50 p99 non2xx"
  KEY="$1" wrk -t2 -c"$conns" -d"$duration" --timeout 5s -s "$root/bench/post_chat_key.lua" "$url" 2>&1 |
    awk '/Requests\/sec/{rps=$2} /^RESULT/{print rps, $0}'
}
KEY=sk-bench-master wrk -t1 -c4 -d2s -s "$root/bench/post_chat_key.lua" "$url" >/dev/null  # warm
sleep 1.5  # the warm-up's rows are written: count from here
baseline=$(rows)
rounds="1 2 3 4"
declare -A out
for round in $rounds; do
  # Alternate which goes first: the database's own background work (checkpoints, vacuum) and a
  # growing table then fall on both alike.
  if (( round % 2 )); then
    out[master,$round]=$(run sk-bench-master)
    out[virtual,$round]=$(run "$vkey")
  else
    out[virtual,$round]=$(run "$vkey")
    out[master,$round]=$(run sk-bench-master)
  fi
done
field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" <<<"$1"; }
# Every call writes a row, master key or not: all of them must land.
expected=$baseline
for round in $rounds; do
  expected=$((expected + $(field "${out[virtual,$round]}" requests) + $(field "${out[master,$round]}" requests)))
done
start=$(date +%s%N)
while (( $(rows) < expected )); do
  (( ($(date +%s%N) - start) / 1000000 > 30000 )) && break
  sleep 0.05
done
lag_ms=$(( ($(date +%s%N) - start) / 1000000 ))
have=$(rows)

echo "backend: $backend, limits: $limits, $conns connections, $duration per run"
echo
echo "| run | key | req/s | p50 µs | p99 µs | non-2xx |"
echo "|---|---|---|---|---|---|"
for round in $rounds; do
  for k in master virtual; do
    line="${out[$k,$round]}"
    echo "| $round | $k | $(awk '{print $1}' <<<"$line") | $(field "$line" p50_us) | $(field "$line" p99_us) | $(field "$line" non2xx) |"
  done
done
mean() {  # key kind -> mean req/s over the rounds
  for round in $rounds; do awk '{print $1}' <<<"${out[$1,$round]}"; done | awk '{s+=$1} END{print s/NR}'
}
m=$(mean master)
v=$(mean virtual)
echo
echo "| check | target | measured |"
echo "|---|---|---|"
echo "| virtual key req/s / master key req/s | ≥ 0.95 | $(awk -v a="$v" -v b="$m" 'BEGIN{printf "%.3f (%.0f vs %.0f)", a/b, a, b}') |"
echo "| spend rows written (wrk counts only calls answered inside its window) | ≥ $((expected - baseline)) | $((have - baseline)) |"
echo "| writer lag after the last request | ≤ ~1 s (flush interval) | ${lag_ms} ms |"
echo "| rows/s the writer kept up with | ≥ 2000 | $(awk -v a="$v" -v b="$m" 'BEGIN{printf "%.0f", (a > b ? a : b)}') (every request writes a row) |"
