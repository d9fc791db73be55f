#!/usr/bin/env bash
# The shell completions offer every subcommand and flag that `litellm --help` lists, and load
# in bash, zsh and fish. Usage: completions_test.sh LITELLM LITELLMD SOURCE_DIR
set -uo pipefail
litellm="$1"; litellmd="$2"; src="$3"
surface=$("$src/tests/cli/cli-surface.sh" "$litellm")
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# bash: run the completion function as bash would and look at what it offers.
offer_bash() {  # words... (the last one is the word being completed)
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    _litellm; printf "%s\n" "${COMPREPLY[@]}"' _ "$src/completions/litellm.bash" "$@"
}
top=$(offer_bash litellm "")
while read -r kind a b c; do
  if [[ $kind == sub && -z $b ]]; then
    grep -qx "$a" <<<"$top" || bad "bash: subcommand '$a' not offered"
  elif [[ $kind == sub ]]; then
    grep -qx "$b" <<<"$(offer_bash litellm "$a" "")" || bad "bash: '$a $b' not offered"
  elif [[ $kind == flag && $a == - ]]; then
    grep -qx -- "$b" <<<"$(offer_bash litellm --)" || bad "bash: top-level flag '$b' not offered"
  elif [[ $kind == flag && -n $c ]]; then
    grep -qx -- "$c" <<<"$(offer_bash litellm "$a" "$b" --)" || bad "bash: '$a $b $c' not offered"
  elif [[ $kind == flag ]]; then
    grep -qx -- "$b" <<<"$(offer_bash litellm "$a" --)" || bad "bash: '$a $b' not offered"
  fi
done <<<"$surface"
daemon_offer=$(bash -c 'source "$1"; COMP_WORDS=(litellmd --); COMP_CWORD=1; _litellmd
  printf "%s\n" "${COMPREPLY[@]}"' _ "$src/completions/litellm.bash")
for f in $("$litellmd" --help | grep -oE -- '--[a-z][a-z_]*' | sort -u | grep -v -- --help); do
  grep -qx -- "$f" <<<"$daemon_offer" || bad "bash: litellmd flag '$f' not offered"
done

# zsh: the file parses, defines the completion, and names every subcommand and flag.
if command -v zsh >/dev/null; then
  zsh -n "$src/completions/_litellm" || bad "zsh: syntax error"
  zsh -fc "fpath=($src/completions \$fpath); autoload -Uz compinit; compinit -u -D; (( \$+_comps[litellm] ))" ||
    bad "zsh: compinit does not register litellm"
  while read -r kind a b c; do
    word=${c:-${b:-$a}}
    [[ $kind == flag ]] && word=${c:-$b}
    grep -q -- "${word}" "$src/completions/_litellm" || bad "zsh: '$word' missing"
  done <<<"$surface"
else
  echo "zsh not installed: skipped"
fi

# fish: ask fish itself what it completes.
if command -v fish >/dev/null; then
  fish -n "$src/completions/litellm.fish" || bad "fish: syntax error"
  offer_fish() { fish -c "source $src/completions/litellm.fish; complete -C '$1'" | cut -f1; }
  top_fish=$(offer_fish "litellm ")
  while read -r kind a b c; do
    if [[ $kind == sub && -z $b ]]; then
      grep -qx "$a" <<<"$top_fish" || bad "fish: subcommand '$a' not offered"
    elif [[ $kind == sub ]]; then
      grep -qx "$b" <<<"$(offer_fish "litellm $a ")" || bad "fish: '$a $b' not offered"
    elif [[ $kind == flag && $a == - ]]; then
      grep -qx -- "$b" <<<"$(offer_fish "litellm --")" || bad "fish: top-level '$b' not offered"
    elif [[ $kind == flag && -n $c ]]; then
      grep -qx -- "$c" <<<"$(offer_fish "litellm $a $b --")" || bad "fish: '$a $b $c' not offered"
    elif [[ $kind == flag ]]; then
      grep -qx -- "$b" <<<"$(offer_fish "litellm $a --")" || bad "fish: '$a $b' not offered"
    fi
  done <<<"$surface"
else
  echo "fish not installed: skipped"
fi

n=$(grep -c . <<<"$surface")
if (( fail )); then
  echo "completions: failures above ($n subcommands and flags checked)"
  exit 1
fi
echo "completions: bash, zsh and fish cover all $n subcommands and flags"
