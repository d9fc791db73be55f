#!/usr/bin/env bash
# The README's provider table is what `litellm providers --markdown` prints from the adapters'
# capability declarations. Usage: readme_providers_test.sh LITELLM SOURCE_DIR
set -euo pipefail
litellm="$1"; src="$2"
want=$("$litellm" providers --markdown)
have=$(sed -n '/<!-- providers:begin -->/,/<!-- providers:end -->/p' "$src/README.md" | sed '1d;$d')
if [[ "$want" != "$have" ]]; then
  echo "README.md's provider table differs from 'litellm providers --markdown':"
  diff <(echo "$have") <(echo "$want") || true
  echo "regenerate it: tests/cli/update-readme-providers.sh"
  exit 1
fi
echo "README provider table: $(grep -c '^| `' <<<"$want") providers, as the code declares them"
