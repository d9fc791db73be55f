#!/usr/bin/env bash
# Rewrites the README's provider table from `litellm providers --markdown`.
# Usage: tests/cli/update-readme-providers.sh [LITELLM_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
litellm="${1:-build/bin/litellm}"
table=$("$litellm" providers --markdown)
awk -v table="$table" '
  /<!-- providers:begin -->/ { print; print table; skip = 1; next }
  /<!-- providers:end -->/ { skip = 0 }
  !skip { print }
' README.md > README.md.tmp
mv README.md.tmp README.md
