#!/usr/bin/env bash
# Runs every test: native (CPU backend, and wgpu on Vulkan — lavapipe where
# there is no GPU), then checks the wasm build. Installs what it lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cnn-playground/target}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

say "native tests (release build; shared with 'cargo run --release')"
cargo test --release

say "wasm32 build of the core"
cargo build --release --lib --target wasm32-unknown-unknown
