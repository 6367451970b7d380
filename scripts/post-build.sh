#!/usr/bin/env bash
# What trunk runs after each build (Trunk.toml), in order, into its staging
# folder (or OUT_DIR): the threaded CPU worker; the Fashion-MNIST shards;
# the app icons; last, the service worker, which lists every file the
# steps before wrote.
#
#   bash scripts/post-build.sh [OUT_DIR]   (default: trunk's staging dir, else dist)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${TRUNK_STAGING_DIR:-dist}}

bash scripts/build-threads.sh "$out"
python3 scripts/make_shards.py assets/fashion-mnist "$out/assets/fashion-mnist/shards"
python3 scripts/make_icons.py "$out/icons"
python3 scripts/make_sw.py "$out"
