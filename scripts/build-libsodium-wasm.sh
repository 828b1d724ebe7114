#!/usr/bin/env bash
# Builds libsodium for WebAssembly from Debian's source package, once, into a cache outside
# the clone (3-4 minutes on 2 cores); later runs find it and return at once.
#
#   scripts/build-libsodium-wasm.sh          prints the install prefix (include/, lib/)
#
# Cache: $FINFUSION_CACHE (default ~/.cache/finfusion)/libsodium-wasm-<version>.
# Recipe and pitfalls: DESIGN.md ("libsodium for WASM"). Never committed.
set -euo pipefail

cache_root=${FINFUSION_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/finfusion}
version=1.0.18
prefix="$cache_root/libsodium-wasm-$version"
if [[ -f "$prefix/.complete" ]]; then
  echo "$prefix"
  exit 0
fi

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}  # Emscripten's optimizer imports Debian's acorn

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get source --download-only libsodium >/dev/null 2>&1; then
  # A fresh Debian 12 has no source entries: add one for bookworm, then fetch. It must name
  # the same Signed-By as the machine's own entry for that archive, or apt refuses both.
  signed_by=$(grep -hs -A4 'deb.debian.org/debian$' /etc/apt/sources.list.d/*.sources |
                sed -n 's/^Signed-By: *//p' | head -n1 || true)
  {
    echo "Types: deb-src"
    echo "URIs: http://deb.debian.org/debian"
    echo "Suites: bookworm"
    echo "Components: main"
    if [[ -n "$signed_by" ]]; then echo "Signed-By: $signed_by"; fi
  } | "${sudo[@]}" tee /etc/apt/sources.list.d/finfusion-deb-src.sources >/dev/null
  "${sudo[@]}" apt-get update -q >&2
  apt-get source --download-only libsodium >&2
fi
tar xzf libsodium_${version}.orig.tar.gz
cd libsodium-${version}*/ 2>/dev/null || cd libsodium-${version}
rm -rf "$prefix"
{
  ./autogen.sh -s
  emconfigure ./configure --host=wasm32-unknown-emscripten --prefix="$prefix" \
    --disable-shared --enable-static --without-pthreads --disable-ssp --disable-asm --disable-pie
  emmake make -j"$(nproc)"
  emmake make install
} >&2
touch "$prefix/.complete"  # only a finished install counts; a broken one is rebuilt
echo "$prefix"
