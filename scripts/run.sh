#!/usr/bin/env bash
# Installs what is missing, builds a Release litellmd, and serves the bundled config (mock models,
# no provider keys needed) on http://127.0.0.1:4000. Extra arguments go to litellmd.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
# Same build directory and options as the test command, so the two never fight over the cache.
cmake -S . -B build -G Ninja >/dev/null
cmake --build build --target litellmd litellm
exec build/bin/litellmd --config config/example.yaml "$@"  # port 4000 unless --port says otherwise
