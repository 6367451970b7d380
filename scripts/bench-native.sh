#!/usr/bin/env bash
# The native benchmark: `cnnp bench` for every net on the given backends,
# one JSON line each, and PyTorch on the same nets and batches where it is
# installed (the GPU machine has it). Not a test: figures go to BENCHMARKS.md.
#
#   bash scripts/bench-native.sh [cpu,wgpu] [steps]
# Smaller batches than the book's where a net's step would take minutes on
# a CPU are set below; BATCH=N overrides them all.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cnn-playground/target}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
backends="${1:-cpu,wgpu}"
steps="${2:-10}"
cargo build --release --bin cnnp >&2
cnnp="$CARGO_TARGET_DIR/release/cnnp"

declare -A batch=([lenet]=256 [bn-lenet]=256 [alexnet]=32 [vgg]=32 [nin]=32 [googlenet]=32 [resnet]=32 [densenet]=32)
for arch in lenet bn-lenet alexnet vgg nin googlenet resnet densenet; do
  b="${BATCH:-${batch[$arch]}}"
  for backend in ${backends//,/ }; do
    "$cnnp" bench --arch "$arch" --backend "$backend" --batch "$b" --steps "$steps" --json
  done
  if python3 -c 'import torch' 2>/dev/null; then
    python3 scripts/bench_pytorch.py --arch "$arch" --batch "$b" --steps "$steps"
  fi
done
