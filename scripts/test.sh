#!/usr/bin/env bash
# Runs every test. Installs what it lacks first (scripts/setup.sh, and the
# PyTorch venv: scripts/venv.sh).
#   1. native: tables, model, data, training on the CPU backend, and wgpu vs
#      CPU parity on Vulkan (lavapipe where there is no GPU); then the
#      PyTorch export against cnnp (scripts/check_export.py, in the venv
#      scripts/venv.sh makes);
#   2. the browser build (trunk, the size-optimised wasm-release profile);
#   3. wasm-bindgen tests (wasm-pack test) in headless Chromium: WebGPU vs CPU parity,
#      training on WebGPU and on the CPU fallback, the table component;
#   4. end to end: the built page served on 127.0.0.1, driven in headless
#      Chromium (playwright-core); screenshots go to test-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cnn-playground/target}"
# Mesa's Vulkan driver looks for a runtime dir; without one it only warns.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The PyTorch venv (a large download on a bare machine) is made while the
# native tests build; check_export.py waits for it.
venv_log=$(mktemp)
bash scripts/venv.sh >"$venv_log" 2>&1 &
venv_job=$!
# A failing step ends the script; the download must not go on without it.
trap 'pkill -P "$venv_job" 2>/dev/null; kill "$venv_job" 2>/dev/null || true' EXIT

say "native tests (release build, shared with 'cargo run --release')"
cargo test --release
say "the CPU layers split over threads, as the threaded browser worker splits them"
cargo test --release --features threads --test cpu_layers --test cpu_sigmoid
cargo test --release -p cnnp-cpu-loops --features threads

say "the PyTorch export against cnnp (scripts/check_export.py; ~4 minutes on 2 cores)"
cargo build --release --bin cnnp
wait "$venv_job" || { cat "$venv_log" >&2; echo "test.sh: the PyTorch venv could not be made" >&2; exit 1; }
trap - EXIT
"${CNNP_VENV:-$HOME/.cache/cnn-playground/venv}/bin/python" scripts/check_export.py

say "the browser build (trunk build --release)"
trunk build --release

say "browser tests: wasm-pack test in headless Chromium with WebGPU (SwiftShader)"
# Offline: Debian's chromedriver, and the wasm-bindgen-test-runner that
# setup.sh installed (--mode no-install). The same profile as the trunk
# build, so the two share their artifacts; webdriver.json holds Chromium's
# flags.
WASM_BINDGEN_TEST_TIMEOUT=900 wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver \
  --mode no-install -- --profile wasm-release --test web

say "end-to-end tests in headless Chromium"
(cd tests/e2e && npm ci --no-audit --no-fund --silent && npm test)
