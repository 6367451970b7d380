#!/usr/bin/env bash
# Builds the playground for the browser and serves it at http://127.0.0.1:8080
# (trunk serve: rebuilds when a file changes). Installs what it lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cnn-playground/target}"
printf '\033[1m==> serving the playground at http://127.0.0.1:8080 (Ctrl-C stops)\033[0m\n' >&2
exec trunk serve --release "$@"
