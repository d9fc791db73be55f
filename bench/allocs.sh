#!/usr/bin/env bash
# Heap allocations per chat request, for one or more litellmd binaries side by side (heaptrack):
# each binary runs under heaptrack in front of an nginx mock, once idle (start, then SIGTERM)
# and once under `wrk -t1 -c4` for DURATION; allocations per request = (loaded - idle) / the
# requests wrk counted. Spend logs on, the master key, as bench/overhead.sh.
# Usage: bench/allocs.sh BINARY [BINARY...]   (env: DURATION=2s)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
duration="${DURATION:-2s}"
"$root/packaging/install-deps.sh" bench
command -v heaptrack >/dev/null || { echo "allocs: heaptrack is not installed" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$root/bench/mock_nginx.sh"
mock_port=$(free_port)
start_mock_nginx "$work" "$root" "$mock_port"
write_bench_config "$work" "$mock_port"

# binary label load(yes|no) -> prints "allocations requests"
measure() {
  local out="$work/$2-$3" requests=0
  mkdir -p "$out"
  LITELLM_HOME="$out/home" heaptrack -o "$out/heap" "$1" --config "$work/config.yaml" --port 0 \
    >"$out/stdout" 2>"$out/stderr" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 400); do grep -q listening "$out/stdout" 2>/dev/null && break; sleep 0.05; done
  local port
  port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$out/stdout")
  if [[ $3 == yes ]]; then
    requests=$(wrk -t1 -c4 -d"$duration" -s "$root/bench/post_chat.lua" \
      "http://127.0.0.1:$port/v1/chat/completions" | sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p')
  fi
  # heaptrack's own process is the parent; the daemon is its child.
  pkill -TERM -P "$pid" litellmd 2>/dev/null || pkill -TERM -f "$out/home" 2>/dev/null || true
  wait "$pid" || true
  local allocs
  allocs=$(heaptrack_print "$out"/heap.*zst 2>/dev/null | sed -n 's/^calls to allocation functions: \([0-9]*\).*/\1/p')
  echo "$allocs $requests"
}

printf '| binary | requests | allocations (loaded - idle) | allocations / request |\n|---|---|---|---|\n'
for bin in "$@"; do
  label=$(basename "$(dirname "$(dirname "$bin")")")-$(basename "$bin")
  read -r idle _ < <(measure "$bin" "$label" no)
  read -r loaded requests < <(measure "$bin" "$label" yes)
  per=$(python3 -c "print(f'{($loaded - $idle) / $requests:.1f}')")
  printf '| %s | %s | %s | %s |\n' "$bin" "$requests" "$((loaded - idle))" "$per"
done
