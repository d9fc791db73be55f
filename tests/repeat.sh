#!/usr/bin/env bash
# Runs the README's test suite N times in a row and reports every test that failed in any run,
# with how often: a test that fails now and then is a bug, in the code or in the test.
# Builds the tree first (as the README's command does), then runs ctest serially, as it does.
# Usage: tests/repeat.sh [N] [BUILD_DIR] [-- more ctest arguments, e.g. -R http_test]
# Logs: BUILD_DIR/repeat/run-K.log. Exit status 1 when any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
build="${2:-build}"
shift $(($# < 2 ? $# : 2))
[[ "${1:-}" == -- ]] && shift
extra=("$@")

cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" >/dev/null
logs="$build/repeat"
rm -rf "$logs"
mkdir -p "$logs"
declare -A failures=()
printf '%-5s %8s %8s %8s\n' run seconds passed failed
for ((k = 1; k <= runs; k++)); do
  log="$logs/run-$k.log"
  t0=$SECONDS
  ctest --test-dir "$build" --output-on-failure "${extra[@]}" >"$log" 2>&1 || true
  summary=$(grep -E '^[0-9]+% tests passed' "$log" || echo "? tests passed, ? tests failed out of ?")
  failed=$(sed -E 's/.* ([0-9?]+) tests? failed out of ([0-9?]+).*/\1/' <<<"$summary")
  total=$(sed -E 's/.* out of ([0-9?]+).*/\1/' <<<"$summary")
  passed=$([[ "$failed" =~ ^[0-9]+$ && "$total" =~ ^[0-9]+$ ]] && echo $((total - failed)) || echo "?")
  printf '%-5s %8d %8s %8s\n' "$k" $((SECONDS - t0)) "$passed" "$failed"
  # ctest lists them after "The following tests FAILED:" as "  <n> - <name> (Failed)".
  found=0
  while IFS= read -r name; do
    failures[$name]=$((${failures[$name]:-0} + 1))
    found=$((found + 1))
  done < <(sed -n '/The following tests FAILED:/,$p' "$log" |
    sed -n -E 's/^[[:space:]]+[0-9]+ - (.*) \((Failed|Timeout|SEGFAULT|Subprocess aborted|Not Run|[A-Za-z ]+)\)$/\1/p')
  if [[ "$failed" != 0 && $found -eq 0 ]]; then
    failures["(run $k: no summary; see $log)"]=1
  fi
done
if ((${#failures[@]} == 0)); then
  echo "repeat: $runs of $runs runs passed; no test failed in any"
  exit 0
fi
echo "repeat: tests that failed (runs failed of $runs):"
for name in "${!failures[@]}"; do
  printf '  %3d  %s\n' "${failures[$name]}" "$name"
done | sort -rn
exit 1
