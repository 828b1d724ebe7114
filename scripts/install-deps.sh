#!/usr/bin/env bash
# Installs everything FinFusion Keys needs on Debian 12, and skips what is already there.
#
# Idempotent: a second run on a provisioned machine checks each package and installs
# nothing. Works on a minimal Debian 12 root that has only git and make, as root or
# through sudo. It installs the parts later stages use too (Emscripten, Chromium,
# PostgreSQL, clang for fuzzing), so a fresh clone never discovers a missing package
# half-way through `make test`.
set -euo pipefail

packages=(
  # C++ core
  build-essential g++ cmake ninja-build pkg-config git ca-certificates curl
  libsodium-dev nlohmann-json3-dev catch2 libbenchmark-dev
  libssl-dev  # the benchmarks' OpenSSL peer
  # command line, persistent stores
  libcli11-dev libsqlite3-dev libpq-dev postgresql
  # Java binding (JNI library, Maven build)
  openjdk-17-jdk-headless maven
  # Python binding
  python3 python3-venv python3-dev python3-pip
  # WebAssembly: Emscripten, and the tools that build libsodium from Debian's source package
  emscripten autoconf automake libtool dpkg-dev
  # fuzzing and sanitizers with clang
  clang libclang-rt-14-dev
  # browser tests
  chromium
)

# Node: keep a Node the machine already has (a newer one may come from elsewhere and
# conflict with Debian's npm); otherwise take Debian's nodejs and npm.
if ! command -v node >/dev/null 2>&1; then
  packages+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || {
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  }
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
