#!/usr/bin/env bash
# The threaded CPU worker (worker_threads.js + worker_threads_bg.wasm): the
# training worker without wgpu, its CPU backend on a pool of Web Workers
# sharing one memory (src/web/threads.rs). WebAssembly threads need a std
# built for atomics, which only nightly's build-std makes, so this is its own
# build in its own target folder. Trunk runs it after each build (Trunk.toml)
# and puts what it writes into dist/; without the pinned nightly it says so
# and the page runs the CPU backend on one thread.
#
#   bash scripts/build-threads.sh [OUT_DIR]   (default: trunk's staging dir, else dist)
set -euo pipefail
cd "$(dirname "$0")/.."

toolchain=nightly-2026-05-19
out=${1:-${TRUNK_STAGING_DIR:-dist}}
target_dir=${CNNP_THREADS_TARGET_DIR:-$HOME/.cache/cnn-playground/target-threads}

# The same check as scripts/setup.sh's: the toolchain with its std sources.
if ! rustup component list --toolchain "$toolchain" --installed 2>/dev/null | grep -q '^rust-src'; then
  echo "build-threads: $toolchain with rust-src is missing (scripts/setup.sh installs it);" \
    "the page's CPU backend stays on one thread" >&2
  exit 0
fi

# Every crate: the atomics instructions (and SIMD, as the other worker).
# The worker binary alone (after `--`): a shared memory imported from the
# page's side, so that the pool's threads share it, with wasm32's full 4 GiB
# as its maximum (a shared memory must declare one), and the thread-local
# storage symbols wasm-bindgen's thread support sets up for each thread.
RUSTFLAGS="-C target-feature=+atomics,+bulk-memory,+mutable-globals,+simd128" \
CARGO_TARGET_DIR="$target_dir" \
  cargo "+$toolchain" rustc -Z build-std=panic_abort,std \
    --target wasm32-unknown-unknown --profile wasm-release \
    --bin worker --no-default-features --features threads -- \
    -C link-arg=--shared-memory -C link-arg=--import-memory \
    -C link-arg=--max-memory=4294967296 \
    -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
    -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base

mkdir -p "$out"
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" --out-name worker_threads \
  "$target_dir/wasm32-unknown-unknown/wasm-release/worker.wasm"
echo "build-threads: wrote $out/worker_threads.js and worker_threads_bg.wasm"
