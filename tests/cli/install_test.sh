#!/usr/bin/env bash
# `cmake --install` lays out a working gateway: the binaries, the bundled config (which validates
# and serves a chat), man pages man(1) finds, completions where bash, zsh and fish look, and a
# systemd unit that starts the installed daemon on the installed config.
# Usage: install_test.sh BUILD_DIR
set -uo pipefail
build="$1"
tmp=$(mktemp -d)
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
prefix="$tmp/usr"
if ! cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log"
  exit 1
fi
for f in bin/litellm bin/litellmd etc/litellm/config.yaml share/litellm/config.yaml \
  share/man/man1/litellm.1 \
  share/man/man5/litellm-config.5 share/man/man8/litellmd.8 \
  share/bash-completion/completions/litellm share/zsh/vendor-completions/_litellm \
  share/fish/vendor_completions.d/litellm.fish lib/systemd/system/litellmd.service; do
  [[ -s "$prefix/$f" ]] || bad "$f not installed"
done
(( fail )) && exit 1

MANPATH="$prefix/share/man" man -w litellmd >/dev/null 2>&1 || bad "man -w litellmd finds no page"
unit="$prefix/lib/systemd/system/litellmd.service"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ "$exec_start" == "$prefix/bin/litellmd --config $prefix/etc/litellm/config.yaml" ]] ||
  bad "ExecStart does not run the installed daemon on the installed config: $exec_start"
grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "$unit" || bad "no ExecReload sending SIGHUP"
# systemd's own reading of the unit: directives, paths, and the man pages its Documentation= names.
if command -v systemd-analyze >/dev/null; then
  MANPATH="$prefix/share/man" systemd-analyze verify "$unit" >"$tmp/verify.log" 2>&1 ||
    { cat "$tmp/verify.log"; bad "systemd-analyze verify finds fault with the unit"; }
else
  echo "install_test: no systemd-analyze here, the unit is checked by its ExecStart only"
fi
"$prefix/bin/litellm" config validate "$prefix/etc/litellm/config.yaml" >"$tmp/validate.log" 2>&1 ||
  { cat "$tmp/validate.log"; bad "the installed config does not validate"; }

# The unit's command line, on a free port instead of 4000, with state in a temporary home.
read -r -a argv <<<"$exec_start"
LITELLM_HOME="$tmp/home" "${argv[@]}" --port 0 >"$tmp/daemon.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^litellmd: listening on //p' "$tmp/daemon.log")
  [[ -n "$url" ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if [[ -z "$url" ]]; then
  cat "$tmp/daemon.log"
  bad "the installed daemon did not start"
else
  answer=$(curl -sS "$url/v1/chat/completions" -H 'Authorization: Bearer sk-1234' \
    -H 'Content-Type: application/json' \
    -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}')
  grep -q '"object":"chat.completion"' <<<"$answer" || bad "no chat answer: $answer"
fi
# Installing again (an upgrade) keeps a config the user changed.
echo "# edited" >>"$prefix/etc/litellm/config.yaml"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 || bad "a second install failed"
grep -q '^# edited$' "$prefix/etc/litellm/config.yaml" || bad "a second install overwrote the config"
# A package build: --prefix /usr staged under DESTDIR; the config goes to /etc, the unit names
# the paths the package will have, not the staging ones.
stage="$tmp/stage"
DESTDIR="$stage" cmake --install "$build" --prefix /usr >"$tmp/install.log" 2>&1 || bad "DESTDIR install failed"
[[ -s "$stage/etc/litellm/config.yaml" ]] || bad "DESTDIR install: no etc/litellm/config.yaml"
[[ "$(sed -n 's/^ExecStart=//p' "$stage/usr/lib/systemd/system/litellmd.service")" == \
  "/usr/bin/litellmd --config /etc/litellm/config.yaml" ]] || bad "DESTDIR install: ExecStart names staging paths"
(( fail )) && exit 1
echo "install: binaries, config, man pages, completions and a unit that serves a chat"
