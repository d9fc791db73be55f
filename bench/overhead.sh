#!/usr/bin/env bash
# Side-by-side overhead benchmark on this machine, one run:
#   (a) mock upstream: nginx answering the OpenAI chat JSON with `return 200`
#   (b) nginx as a keep-alive proxy_pass in front of (a): the yardstick of a proxy doing no JSON work
#       (as (a) and (b) share one worker, its hop to the mock never wakes another process)
#   (b') the same proxy_pass in a process of its own, which the hop to the mock has to wake as
#       litellmd's does: the yardstick with litellmd's topology
#   (c) litellmd (master key set) in front of (a)
# Prints a markdown table; bench/RESULTS.md holds the numbers of the last run that was recorded.
# Usage: bench/overhead.sh [BUILD_DIR]   (env: DURATION=10s; BASELINE=/path/to/another/litellmd
# adds rows (d) for that binary in the same run, for before/after comparisons; SPEND_LOGS_OFF=true
# sets general_settings.disable_spend_logs, to tell the spend writer's cost from the proxy's)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
duration="${DURATION:-10s}"
"$root/packaging/install-deps.sh" bench
work="$(mktemp -d)"
# The spend rows of a million bench calls belong in the run's own database, not the user's
# (start_litellmd gives each daemon its own LITELLM_HOME under $work).
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$work/nginx.pid" "$work/own/nginx.pid"; do
    [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

source "$root/bench/mock_nginx.sh"
mock_port=$(free_port); proxy_port=$(free_port); own_port=$(free_port)
start_mock_nginx "$work" "$root" "$mock_port" "  upstream mock { server 127.0.0.1:$mock_port; keepalive 256; }
  server {
    listen 127.0.0.1:$proxy_port;
    location / { proxy_pass http://mock; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"
mkdir -p "$work/own"
sed -e "s|^pid .*|pid $work/own/nginx.pid;|" -e "s|error_log $work/|error_log $work/own/|" \
  -e "/listen 127.0.0.1:$mock_port;/,/}/d" -e "s|listen 127.0.0.1:$proxy_port;|listen 127.0.0.1:$own_port;|" \
  "$work/nginx.conf" > "$work/own/nginx.conf"
nginx -c "$work/own/nginx.conf" -p "$work/own"

write_bench_config "$work" "$mock_port" "  disable_spend_logs: ${SPEND_LOGS_OFF:-false}"
start_litellmd() {  # binary name -> sets gw_port, litellmd_pid (each its own database)
  LITELLM_HOME="$work/home-$2" "$1" --config "$work/config.yaml" --port 0 ${NUM_WORKERS:+--num_workers $NUM_WORKERS} > "$work/litellmd.out" 2> "$work/litellmd.err" &
  pids+=($!)
  litellmd_pid=$!
  for _ in $(seq 100); do grep -q listening "$work/litellmd.out" 2>/dev/null && break; sleep 0.05; done
  gw_port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$work/litellmd.out")
}
if [[ -n "${BASELINE:-}" ]]; then
  start_litellmd "$BASELINE" baseline
  base_port=$gw_port
  base_pid=$litellmd_pid
fi
start_litellmd "$build/bin/litellmd" litellmd
rss_idle_kb=$(awk '/VmRSS/{print $2}' /proc/$litellmd_pid/status)

cpu_ticks() {  # pids... -> "utime stime" so far, in clock ticks
  local u=0 s=0 p
  for p in "$@"; do
    read -r pu ps < <(awk '{print $14, $15}' "/proc/$p/stat")
    u=$((u + pu)) s=$((s + ps))
  done
  echo "$u $s"
}
nginx_workers=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')
own_workers=$(pgrep -P "$(cat "$work/own/nginx.pid")" | tr '\n' ' ')
run() {  # name url connections threads pids-whose-CPU-to-count
  local before after out
  before=$(cpu_ticks $5)
  out=$(wrk -t"$4" -c"$3" -d"$duration" --timeout 5s -s "$root/bench/post_chat.lua" "$2" 2>&1)
  after=$(cpu_ticks $5)
  # CPU per request, and the part of it spent in the kernel (system calls, wake-ups, TCP).
  awk -v n="$1" -v c="$3" -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" \
    'BEGIN{split(before, b, " "); split(after, a, " "); usr=a[1]-b[1]; sys=a[2]-b[2]}
     /Requests\/sec/{rps=$2} /^RESULT/{line=$0; split($2, r, "="); req=r[2]}
     END{k = req ? 1e6 / hz / req : 0
         printf "%s %s %s %s cpu_us=%d sys_us=%d\n", n, c, rps, line, (usr + sys) * k, sys * k}' <<<"$out"
}
declare -A res
for spec in "mock $nginx_workers http://127.0.0.1:$mock_port/v1/chat/completions" \
            "nginx $nginx_workers http://127.0.0.1:$proxy_port/v1/chat/completions" \
            "nginx-own $own_workers http://127.0.0.1:$own_port/v1/chat/completions" \
            "litellmd $litellmd_pid http://127.0.0.1:$gw_port/v1/chat/completions" \
            ${BASELINE:+"baseline $base_pid http://127.0.0.1:$base_port/v1/chat/completions"}; do
  read -r name cpu_pids url <<<"$spec"
  for conns in 1 64 1000; do
    threads=2; [[ $conns == 1 ]] && threads=1
    line=$(run "$name" "$url" "$conns" "$threads" "$cpu_pids")
    res[$name,$conns]="$line"
  done
done
rss_busy_kb=$(awk '/VmRSS/{print $2}' /proc/$litellmd_pid/status)

field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" <<<"${res[$1]}"; }
rps() { awk '{print $3}' <<<"${res[$1]}"; }
# CPU per request of the proxy alone, and of that the kernel's: the daemon's own; for nginx,
# its worker (which also plays the mock) minus what the mock row measured.
cpu() {
  local c k
  c=$(field "$1" cpu_us) k=$(field "$1" sys_us)
  if [[ $1 == nginx,* ]]; then
    c=$((c - $(field "mock,${1#nginx,}" cpu_us))) k=$((k - $(field "mock,${1#nginx,}" sys_us)))
  fi
  local out="$c | $k"
  [[ $1 == mock,* ]] && out="$c (mock) | $k (mock)"
  echo "$out"
}
echo "| target | conns | req/s | p50 µs | p99 µs | proxy CPU µs/req | of it kernel | non-2xx | socket errors | timeouts |"
echo "|---|---|---|---|---|---|---|---|---|---|"
names=(mock nginx nginx-own litellmd); [[ -n "${BASELINE:-}" ]] && names+=(baseline)
for name in "${names[@]}"; do
  for conns in 1 64 1000; do
    k="$name,$conns"
    echo "| $name | $conns | $(rps "$k") | $(field "$k" p50_us) | $(field "$k" p99_us) | $(cpu "$k") | $(field "$k" non2xx) | $(field "$k" errors) | $(field "$k" timeouts) |"
  done
done
echo
add_lit=$(( $(field litellmd,1 p50_us) - $(field mock,1 p50_us) ))
add_ngx=$(( $(field nginx,1 p50_us) - $(field mock,1 p50_us) ))
add_own=$(( $(field nginx-own,1 p50_us) - $(field mock,1 p50_us) ))
ratio=$(awk -v a="$(rps litellmd,64)" -v b="$(rps nginx,64)" 'BEGIN{printf "%.2f", a/b}')
ratio_own=$(awk -v a="$(rps litellmd,64)" -v b="$(rps nginx-own,64)" 'BEGIN{printf "%.2f", a/b}')
p99r=$(awk -v a="$(field litellmd,1 p99_us)" -v b="$(field nginx,1 p99_us)" 'BEGIN{printf "%.2f", a/b}')
p99k=$(awk -v a="$(field litellmd,1000 p99_us)" -v b="$(field nginx,1000 p99_us)" 'BEGIN{printf "%.2f", a/b}')
echo "| check | target | measured |"
echo "|---|---|---|"
echo "| throughput at 64 conns, litellmd / nginx | ≥ 0.80 | $ratio (against nginx-own: $ratio_own) |"
echo "| added p50 latency at 1 conn (c − a) | ≤ 60 µs | ${add_lit} µs (nginx adds ${add_ngx} µs, nginx-own ${add_own} µs) |"
echo "| p99 at 1 conn, litellmd / nginx | ≤ 1.5 | $p99r |"
echo "| p99 at 1000 conns, litellmd / nginx | ≤ 2.0 | $p99k |"
echo "| errors + timeouts at 1000 conns | 0 | $(( $(field litellmd,1000 errors) + $(field litellmd,1000 timeouts) + $(field litellmd,1000 non2xx) )) |"
echo "| litellmd RSS idle / after load | idle < 20 MB | $((rss_idle_kb / 1024)) MB / $((rss_busy_kb / 1024)) MB |"
