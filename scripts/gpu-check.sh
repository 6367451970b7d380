#!/usr/bin/env bash
# The real-GPU check (issue 10): our WebGPU kernels on a machine with an
# NVIDIA GPU and nothing else reachable, in two calls of the device tool,
# each well inside 8 minutes. Prepared here, run there:
#
#   bash scripts/gpu-check.sh pack      # here: builds and packs what travels
#   # there, call 1 (carry .gl and .gpu-check/native):
#   bash scripts/gpu-check.sh native    # cnnp bench --backend wgpu, all eight
#                                       # nets, next to PyTorch on the same GPU
#   # there, call 2 (carry .gl and .gpu-check/browser):
#   bash scripts/gpu-check.sh browser   # the browser benchmark on Dawn (Chrome's
#                                       # WebGPU) in Node: our worker's wasm and
#                                       # TF.js's WebGPU backend
#                                       # (ARCH=eight: all eight nets;
#                                       # READBACK=10: one readback setting)
#
# The two halves travel apart because the repository (Fashion-MNIST
# included) and Node with Dawn do not fit in one call's 64 MiB. Results are
# JSON lines on stdout and in $OUT/gpu-check-*.jsonl where $OUT is set.
# Here `native` runs on lavapipe and `browser` on Chromium's SwiftShader
# Vulkan driver (Dawn refuses lavapipe), which is how the script was tried.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cnn-playground/target}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
PACK=.gpu-check
STEPS="${STEPS:-10}"
# Every net at the book's batch and input size (d2l's train_ch6 settings).
NETS="${NETS:-lenet:256:28 bn-lenet:256:28 alexnet:128:224 vgg:128:224 nin:128:224 googlenet:128:96 resnet:256:96 densenet:256:96}"

say() { printf '==> %s\n' "$*" >&2; }

# The device machine has Python but maybe no xz: unpack with Python's lzma.
unxz_to() { python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; }

# Vulkan for wgpu and Dawn: the carried loader (the device README's .gl
# folder), and NVIDIA's driver where the loader does not find it itself.
vulkan() {
  if [ -d .gl ] && ! ldconfig -p 2>/dev/null | grep -q libvulkan.so.1; then
    for f in .gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  fi
  local icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$icd" ]; then
    export VK_DRIVER_FILES="$icd"
  fi
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true
  fi
}

record() {
  # Each JSON line to stdout and, on the device machine, to $OUT.
  if [ -n "${OUT:-}" ]; then tee -a "$OUT/gpu-check-$1.jsonl"; else cat; fi
}

pack() {
  say "cnnp (release, stripped, xz) → $PACK/native"
  cargo build --release --bin cnnp >&2
  mkdir -p "$PACK/native" "$PACK/browser/webgpu"
  strip -o "$PACK/native/cnnp" "$CARGO_TARGET_DIR/release/cnnp"
  xz -T0 -6 -f "$PACK/native/cnnp"
  say "the worker (dist/, trunk build --release), Node, Dawn and TF.js → $PACK/browser"
  [ -f dist/worker_bg.wasm ] || trunk build --release >&2
  cp dist/worker.js "$PACK/browser/"
  gzip -9 -c dist/worker_bg.wasm >"$PACK/browser/worker_bg.wasm.gz"
  (cd www/bench && npm ci --no-audit --no-fund --silent)
  local modules=www/bench/node_modules
  cp "$modules/webgpu/index.js" "$modules/webgpu/package.json" "$PACK/browser/webgpu/"
  # Stripped: with the repository, the browser half must stay under the
  # call's 64 MiB (stripping saves 2.7 MB of xz; both still load).
  strip -o /tmp/dawn.node "$modules/webgpu/dist/linux-x64/dawn.node"
  xz -T0 -9 -c /tmp/dawn.node >"$PACK/browser/dawn.node.xz"
  cp "$modules/@tensorflow/tfjs/dist/tf.min.js" "$modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js" "$PACK/browser/"
  strip -o /tmp/node.stripped "$(command -v node)"
  xz -T0 -9 -c /tmp/node.stripped >"$PACK/browser/node.xz"
  if [ ! -d .gl ]; then
    say "Vulkan and GL loaders (.deb) → .gl, as the device README says"
    local o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
    mkdir -p .gl /tmp/amd64/partial
    # shellcheck disable=SC2086
    apt-get $o update >&2
    # shellcheck disable=SC2086
    (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 >&2)
  fi
  du -sh "$PACK/native" "$PACK/browser" .gl >&2
  say "carry [.gl, $PACK/native] for 'native', [.gl, $PACK/browser] for 'browser'"
}

native() {
  vulkan
  local cnnp=/tmp/cnnp
  if [ -f "$PACK/native/cnnp.xz" ]; then
    unxz_to "$PACK/native/cnnp.xz" "$cnnp"
    chmod +x "$cnnp"
  else
    cargo build --release --bin cnnp >&2
    cnnp="$CARGO_TARGET_DIR/release/cnnp"
  fi
  local torch=no
  python3 -c 'import torch' 2>/dev/null && torch=yes
  for net in $NETS; do
    IFS=: read -r arch batch side <<<"$net"
    local convs=ours
    # Burn's own convolutions beside ours where a step of them fits the time.
    case "$arch" in lenet | resnet) convs="ours burn" ;; esac
    for conv in $convs; do
      timeout 150 "$cnnp" bench --arch "$arch" --backend wgpu --conv "$conv" --batch "$batch" --resize "$side" \
        --steps "$STEPS" --data assets/fashion-mnist --json | record native ||
        echo "{\"engine\":\"cnnp\",\"arch\":\"$arch\",\"conv\":\"$conv\",\"error\":\"exit $?\"}" | record native
    done
    if [ "$torch" = yes ]; then
      timeout 120 python3 scripts/bench_pytorch.py --arch "$arch" --batch "$batch" --resize "$side" --steps "$STEPS" | record native ||
        echo "{\"engine\":\"pytorch\",\"arch\":\"$arch\",\"error\":\"exit $?\"}" | record native
    fi
  done
}

browser() {
  vulkan
  local dir=/tmp/gpu-check-browser node=node
  mkdir -p "$dir/node_modules/webgpu/dist/linux-x64" "$dir/dist"
  if [ -f "$PACK/browser/node.xz" ]; then
    unxz_to "$PACK/browser/node.xz" "$dir/node"
    chmod +x "$dir/node"
    node="$dir/node"
    unxz_to "$PACK/browser/dawn.node.xz" "$dir/node_modules/webgpu/dist/linux-x64/dawn.node"
    cp "$PACK/browser/webgpu/"* "$dir/node_modules/webgpu/"
    cp "$PACK/browser/worker.js" "$PACK/browser/tf.min.js" "$PACK/browser/tf-backend-webgpu.min.js" "$dir/dist/"
    gzip -dc "$PACK/browser/worker_bg.wasm.gz" >"$dir/dist/worker_bg.wasm"
    # node.mjs finds `webgpu` through the node_modules beside it.
    cp www/bench/*.mjs "$dir/"
  else
    (cd www/bench && npm ci --no-audit --no-fund --silent)
    cp -r www/bench/node_modules/webgpu "$dir/node_modules/"
    cp www/bench/*.mjs "$dir/"
    cp dist/worker.js dist/worker_bg.wasm www/bench/node_modules/@tensorflow/tfjs/dist/tf.min.js \
      www/bench/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js "$dir/dist/"
  fi
  "$node" --version >&2
  "$node" "$dir/node.mjs" --arch "${ARCH:-all}" --engines ours,tfjs --backends webgpu --steps "$STEPS" \
    --readback "${READBACK:-1,10}" --dist "$dir/dist" --tfjs "$dir/dist" --data assets/fashion-mnist | record browser
}

case "${1:-}" in
  pack) pack ;;
  native) native ;;
  browser) browser ;;
  *)
    echo "usage: bash scripts/gpu-check.sh pack|native|browser" >&2
    exit 2
    ;;
esac
