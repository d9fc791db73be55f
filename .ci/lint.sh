#!/usr/bin/env bash
# The layout and lint rules of CONVENTIONS.md, as CI runs them: clang-format 14 over every tracked
# C++ file, then clang-tidy 14 (.clang-tidy; its WarningsAsErrors fail) over lib/ and apps/.
# tests/ is left to the compilers' warnings: clang 14 rejects the C++20 captures of structured
# bindings they use, which GCC 12 accepts.
# Usage: .ci/lint.sh [BUILD_DIR]   (a configured tree for compile_commands.json; default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"

packaging/install-deps.sh lint
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
clang-format-14 --dry-run -Werror "${sources[@]}"
echo "lint: clang-format clean (${#sources[@]} files)"

[[ -f "$build/compile_commands.json" ]] || cmake -S . -B "$build" -G Ninja >/dev/null
mapfile -t units < <(git ls-files 'lib/*.cpp' 'apps/*.cpp')
# clang prints "N warnings generated." per file even for the ones .clang-tidy suppresses.
if ! printf '%s\n' "${units[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy-14 -p "$build" --quiet 2>&1 |
  { grep -v -E '^[0-9]+ warnings? generated\.$' || true; }; then
  echo "lint: clang-tidy found errors (above)" >&2
  exit 1
fi
echo "lint: clang-tidy clean (${#units[@]} files)"
