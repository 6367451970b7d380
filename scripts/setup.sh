#!/usr/bin/env bash
# Installs what building and testing the playground needs, and nothing that is
# already there: Debian packages, the wasm target, cargo tools at the versions
# the build pins. Safe to run again; says what it does.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages: Vulkan on the CPU (lavapipe) so wgpu runs natively without
# a GPU; Chromium and its driver for the browser tests, and a Chinese font
# (WenQuanYi Micro Hei, small) so the page's Chinese shows in their
# screenshots as a reader's browser shows it; Python with venv for the
# PyTorch export check.
want_debs=(mesa-vulkan-drivers libvulkan1 chromium chromium-driver fonts-wqy-microhei python3 python3-venv)
command -v node >/dev/null && command -v npm >/dev/null || want_debs+=(nodejs npm)
missing=()
for deb in "${want_debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The threaded CPU worker (scripts/build-threads.sh) needs std built for
# WebAssembly threads: nightly's build-std, at this pinned nightly.
threads_toolchain=$(awk -F= '/^toolchain=/ { print $2; exit }' scripts/build-threads.sh)
if ! rustup component list --toolchain "$threads_toolchain" --installed 2>/dev/null | grep -q '^rust-src'; then
  say "installing Rust $threads_toolchain with rust-src (for the threaded CPU worker)"
  rustup toolchain install "$threads_toolchain" --profile minimal --component rust-src
fi

# Cargo tools, at the versions the build pins; skipped when already there.
cargo_tool() { # name version binary [cargo install flags]
  local name=$1 version=$2 binary=$3; shift 3
  if ! "$binary" --version 2>/dev/null | grep -q " $version"; then
    say "installing $name $version (cargo install; a few minutes, once)"
    cargo install "$name" --version "$version" "$@"
  fi
}
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly. Not
# --locked: the registry here lacks one of its pinned dependencies.
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
cargo_tool wasm-bindgen-cli "$wasm_bindgen_version" wasm-bindgen
cargo_tool trunk 0.21.14 trunk --locked
# Runs the browser tests (tests/web.rs) as `wasm-pack test --headless --chrome`.
cargo_tool wasm-pack 0.15.1 wasm-pack --locked

# The PyTorch venv that scripts/check_export.py runs in (5.4 GB) is not
# made here, so play.sh stays light: scripts/venv.sh makes it, and test.sh
# runs that beside the native build.
