#!/usr/bin/env bash
# Fails when a lib/ module includes a header of a module it may not depend on
# (shared/CONVENTIONS.md, "Dependency direction"). Arrows point down only.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A allowed=(
  [core]="core"
  [config]="config core"
  [openai]="openai core"
  [http]="http core"
  [providers]="providers openai core"
  [auth]="auth store redis core"
  [redis]="redis core"
  [cache]="cache redis openai core"  # the response cache, when it comes
  [spend]="spend store core"
  [store]="store core"
  [client]="client http core"  # http/framing only: the byte parsers, no Asio or curl
  [router]="router providers http config openai core observability"
  [server]="server router auth cache redis spend observability openai config http store providers core"
)
status=0
for module in "${!allowed[@]}"; do
  [[ -d lib/$module ]] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    dep=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    [[ "$dep" == litellm ]] && continue
    if [[ " ${allowed[$module]} " != *" $dep "* ]]; then
      echo "layering: $file includes $dep/ (lib/$module may use: ${allowed[$module]})"
      status=1
    fi
  done < <(grep -rn '#include "[a-z_]*/' "lib/$module" || true)
done
# Boost and curl stay inside lib/http: in its .cpp files, and in lib/http/detail/ headers that
# only lib/http's own files include (the parts one client's files share).
if grep -rln --include='*.hpp' -E '#include <(boost|curl)/' lib | grep -v '^lib/http/detail/'; then
  echo "layering: Boost/libcurl included from a header outside lib/http/detail/"; status=1
fi
if grep -rln '#include "http/detail/' lib apps tests | grep -v '^lib/http/'; then
  echo "layering: lib/http/detail/ included from outside lib/http"; status=1
fi
exit $status
