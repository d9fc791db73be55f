#!/usr/bin/env bash
# Runs the official npm clients against a real litellmd. Usage: run.sh LITELLMD SHARED_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export LITELLMD="$1" LITELLM_SHARED_DIR="$2"
cd "$here"
if [[ ! -d node_modules/openai || ! -d node_modules/@anthropic-ai/sdk ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test --test-reporter=spec ./*.test.mjs
