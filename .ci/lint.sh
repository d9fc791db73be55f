#!/usr/bin/env bash
# The layout and lint rules of CONVENTIONS.md: clang-format 14 over every tracked C++ file, then
# clang-tidy 14 (.clang-tidy; its WarningsAsErrors fail) over lib/ and apps/.
# tests/ is left to the compilers' warnings: clang 14 rejects the C++20 captures of structured
# bindings they use, which GCC 12 accepts.
#
# Usage: .ci/lint.sh [--since COMMIT] [BUILD_DIR]
#   BUILD_DIR   a configured tree for compile_commands.json (default build)
#   --since C   clang-tidy only the lib/ and apps/ sources that differ from commit C, and those
#               that include a header that differs (CI passes .ci/tidy-base: ~20 minutes for all
#               of them on 2 cores is most of CI's budget). Everything when C is not in the
#               history (a shallow clone) or when .clang-tidy or the top CMakeLists.txt (the
#               compile flags) changed.
#   no --since  clang-tidy over every source: what a person runs before a large change.
set -euo pipefail
cd "$(dirname "$0")/.."
since=""
if [[ "${1:-}" == --since ]]; then
  since="$2"
  shift 2
fi
build="${1:-build}"

packaging/install-deps.sh lint
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp')
clang-format-14 --dry-run -Werror "${sources[@]}"
echo "lint: clang-format clean (${#sources[@]} files)"

[[ -f "$build/compile_commands.json" ]] || cmake -S . -B "$build" -G Ninja >/dev/null
mapfile -t all_units < <(git ls-files 'lib/*.cpp' 'apps/*.cpp')
units=("${all_units[@]}")
if [[ -n "$since" ]]; then
  if ! git cat-file -e "$since^{commit}" 2>/dev/null; then
    echo "lint: $since is not in this clone's history: clang-tidy over everything"
  elif git diff --quiet "$since" -- .clang-tidy CMakeLists.txt; then
    mapfile -t changed < <(git diff --name-only --diff-filter=d "$since" -- lib apps)
    declare -A pick=()
    for f in "${changed[@]}"; do
      case "$f" in
        *.cpp) pick[$f]=1 ;;
        *.hpp)
          # Its includers, by any path ending in its name (a few more than needed is harmless).
          name=$(basename "$f")
          while IFS= read -r user; do
            pick[$user]=1
          done < <(git grep -l -E "#include \"([a-z0-9_/-]*/)?${name//./\\.}\"" -- \
            'lib/*.cpp' 'apps/*.cpp' || true)
          ;;
      esac
    done
    units=("${!pick[@]}")
    echo "lint: clang-tidy over the ${#units[@]} of ${#all_units[@]} sources changed since" \
      "$(git rev-parse --short "$since") (.ci/lint.sh with no --since lints them all)"
  else
    echo "lint: .clang-tidy or CMakeLists.txt changed since $since: clang-tidy over everything"
  fi
fi
if ((${#units[@]} == 0)); then
  echo "lint: clang-tidy: no lib/ or apps/ source changed"
  exit 0
fi
# clang prints "N warnings generated." per file even for the ones .clang-tidy suppresses.
if ! printf '%s\n' "${units[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy-14 -p "$build" --quiet 2>&1 |
  { grep -v -E '^[0-9]+ warnings? generated\.$' || true; }; then
  echo "lint: clang-tidy found errors (above)" >&2
  exit 1
fi
echo "lint: clang-tidy clean (${#units[@]} files)"
