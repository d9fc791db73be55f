#!/usr/bin/env bash
# Prints the CLI's surface as `litellm --help` tells it, one line each:
#   sub <path>            a subcommand, e.g. "sub config validate"
#   flag <path> <--flag>  a long flag of that subcommand ("flag - --config" for the top level)
# Completions and man pages are tested against this, so neither can drift from the binary.
set -euo pipefail
bin="$1"
walk() {
  local path="$1"; shift
  local help
  help=$("$bin" "$@" --help)
  { grep -oE '(^|,| )--[a-z][a-z0-9_-]*' || true; } <<<"$(sed -n '/^Options:/,/^Subcommands:/p' <<<"$help")" |
    sed 's/^[, ]//' | { grep -v '^--help$' || true; } | sort -u |
    while read -r f; do echo "flag ${path:--} $f"; done
  local subs
  subs=$(sed -n '/^Subcommands:/,$p' <<<"$help" | awk 'NR>1 && /^  [a-z]/ {print $1}')
  for s in $subs; do
    echo "sub ${path:+$path }$s"
    walk "${path:+$path }$s" "$@" "$s"
  done
}
walk ""
