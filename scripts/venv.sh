#!/usr/bin/env bash
# A Python venv with PyTorch (CPU is enough) for scripts/check_export.py, which
# holds `cnnp export`'s PyTorch code against cnnp. Cached beside the Rust
# target folder: made once (torch from PyPI with its CUDA libraries: about
# 5.4 GB, a few minutes), then only checked. CNNP_VENV moves it.
set -euo pipefail
venv="${CNNP_VENV:-$HOME/.cache/cnn-playground/venv}"
if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  printf '\033[1m==> %s\033[0m\n' "creating the PyTorch venv at $venv (pip install torch; about 5.4 GB, once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet torch
fi
