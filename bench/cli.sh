#!/usr/bin/env bash
# How fast the CLI answers (target < 20 ms): `litellm --help` and `litellm status` against a
# running daemon, with hyperfine, beside curl asking the same daemon (the baseline).
# Usage: bench/cli.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
"$root/packaging/install-deps.sh" bench
work="$(mktemp -d)"
export LITELLM_HOME="$work/home"
trap '"$build/bin/litellm" stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$build/bin/litellm" start --config "$root/packaging/config.yaml" --port 0 >/dev/null
url=$("$build/bin/litellm" status --json | sed -n 's/.*"url": "\(.*\)".*/\1/p')
hyperfine -N --warmup 5 --runs 50 --export-markdown "$work/cli.md" \
  -n "litellm --help" "$build/bin/litellm --help" \
  -n "litellm status" "$build/bin/litellm status" \
  -n "curl readiness (baseline)" "curl -s $url/health/readiness" >/dev/null
cat "$work/cli.md"
