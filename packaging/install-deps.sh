#!/usr/bin/env bash
# Installs, with apt-get, whatever the build and the tests need and the machine lacks.
# Idempotent: on a ready machine it checks and returns in well under a second.
# Usage: packaging/install-deps.sh [build|test|bench]   (each includes the ones before it)
#        packaging/install-deps.sh lint                 (build plus clang-format and clang-tidy 14)
set -euo pipefail
want="${1:-build}"

pkgs=(g++ cmake ninja-build pkg-config libboost-dev libcurl4-openssl-dev libcli11-dev
      nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev doctest-dev libssl-dev libcpp-httplib-dev
      libedit-dev zlib1g-dev libpq-dev libhiredis-dev libsimdjson-dev
      ca-certificates)
if [[ "$want" == test || "$want" == bench ]]; then
  pkgs+=(nodejs npm curl bash-completion zsh fish man-db groff-base bsdextrautils postgresql redis-server
        openssl nginx-light)
fi
if [[ "$want" == lint ]]; then
  pkgs+=(clang-format clang-tidy git)
fi
if [[ "$want" == bench ]]; then
  pkgs+=(wrk hyperfine libbenchmark-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
  # npm ships inside some nodejs builds; a working command is enough.
  [[ "$p" == npm || "$p" == nodejs ]] && command -v "${p/nodejs/node}" >/dev/null && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
