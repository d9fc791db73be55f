#!/usr/bin/env bash
# The man pages render with man(1) and mention every subcommand and flag the binaries' --help
# lists, so they cannot drift apart. Usage: man_test.sh LITELLM LITELLMD SOURCE_DIR
set -uo pipefail
litellm="$1"; litellmd="$2"; src="$3"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
render() { MANWIDTH=120 man -l "$1" 2>/dev/null | col -b; }
for page in litellm.1 litellmd.8 litellm-config.5; do
  out=$(render "$src/man/$page")
  [[ $(wc -l <<<"$out") -gt 20 ]] || bad "$page does not render"
done
page=$(render "$src/man/litellm.1")
n=0
while read -r kind rest; do
  word=${rest##* }
  n=$((n + 1))
  grep -qF -- "$word" <<<"$page" || bad "litellm(1) does not mention '$rest'"
done < <("$src/tests/cli/cli-surface.sh" "$litellm")
dpage=$(render "$src/man/litellmd.8")
for f in $("$litellmd" --help | grep -oE -- '--[a-z][a-z_]*' | sort -u | grep -v -- --help); do
  n=$((n + 1))
  grep -qF -- "$f" <<<"$dpage" || bad "litellmd(8) does not mention '$f'"
done
if (( fail )); then
  exit 1
fi
echo "man pages: render, and cover all $n subcommands and flags"
