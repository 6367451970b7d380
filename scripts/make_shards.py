#!/usr/bin/env python3
"""Fashion-MNIST by the slice: shards made from the four canonical files.

    python3 scripts/make_shards.py SRC_DIR OUT_DIR [--per-shard N]

SRC_DIR holds the canonical files (assets/fashion-mnist/); OUT_DIR gets one
gzip file per PER_SHARD examples of each split and `manifest.json`, which
names each shard with its image count, size and SHA-256. A shard of n
examples is gzip(labels[n] ++ pixels[n * 784]): the records of the
canonical files, headers left out, in their order, so that the first k
shards are the first k * PER_SHARD examples and a subset run fetches only
those (src/data/shards.rs reads them; tests/shards.rs joins them and
compares with the canonical files byte for byte).

The build makes them (scripts/post-build.sh, run by trunk): they are not
committed a second time. The result is cached by the canonical files' hash
(~/.cache/cnn-playground/shards, or $CNNP_SHARDS_CACHE), so a rebuild
copies rather than recompresses. Names carry the first 16 hex digits of
the shard's SHA-256, so a host may serve them as immutable.
"""

import argparse
import gzip
import hashlib
import json
import os
import shutil
import struct
import sys

SIDE = 28
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# Bump when the layout changes: it is part of the cache key.
LAYOUT = 1


def records(src, images_name, labels_name):
    """The canonical files' labels and pixels, their headers checked."""
    with open(os.path.join(src, images_name), "rb") as f:
        images = gzip.decompress(f.read())
    with open(os.path.join(src, labels_name), "rb") as f:
        labels = gzip.decompress(f.read())
    magic, count, rows, cols = struct.unpack(">IIII", images[:16])
    if magic != 2051 or (rows, cols) != (SIDE, SIDE) or len(images) != 16 + count * SIDE * SIDE:
        sys.exit(f"make_shards: {images_name} is not a Fashion-MNIST images file")
    magic, label_count = struct.unpack(">II", labels[:8])
    if magic != 2049 or label_count != count or len(labels) != 8 + count:
        sys.exit(f"make_shards: {labels_name} does not match {images_name}")
    return labels[8:], images[16:], count


def make(src, out, per_shard):
    os.makedirs(out, exist_ok=True)
    manifest = {"layout": LAYOUT, "per_shard": per_shard}
    for split, (images_name, labels_name) in FILES.items():
        labels, pixels, count = records(src, images_name, labels_name)
        shards = []
        for index, start in enumerate(range(0, count, per_shard)):
            n = min(per_shard, count - start)
            body = labels[start : start + n] + pixels[start * SIDE * SIDE : (start + n) * SIDE * SIDE]
            # mtime 0 and no file name: the same bytes on every build.
            gz = gzip.compress(body, compresslevel=9, mtime=0)
            digest = hashlib.sha256(gz).hexdigest()
            name = f"{split}-{index:03}-{digest[:16]}.gz"
            with open(os.path.join(out, name), "wb") as f:
                f.write(gz)
            shards.append({"file": name, "images": n, "bytes": len(gz), "sha256": digest})
        manifest[split] = {"count": count, "shards": shards}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return manifest


def source_key(src, per_shard):
    h = hashlib.sha256(f"layout {LAYOUT} per_shard {per_shard}\n".encode())
    for names in FILES.values():
        for name in names:
            with open(os.path.join(src, name), "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()[:16]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src")
    parser.add_argument("out")
    parser.add_argument("--per-shard", type=int, default=1000)
    parser.add_argument("--no-cache", action="store_true", help="make them afresh, straight into OUT")
    args = parser.parse_args()
    if args.no_cache:
        make(args.src, args.out, args.per_shard)
        return
    cache_root = os.environ.get("CNNP_SHARDS_CACHE", os.path.expanduser("~/.cache/cnn-playground/shards"))
    cached = os.path.join(cache_root, source_key(args.src, args.per_shard))
    manifest = os.path.join(cached, "manifest.json")
    if not os.path.exists(manifest):
        # Made aside under a name of this process's own, then renamed into
        # place in one step: two builds (or two tests) filling an empty
        # cache at once must not write into, or delete, each other's.
        partial = f"{cached}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        make(args.src, partial, args.per_shard)
        if os.path.isdir(cached) and not os.path.exists(manifest):
            shutil.rmtree(cached, ignore_errors=True)  # left half-made by an older script
        try:
            os.rename(partial, cached)
        except OSError:
            # Another process got there first: its shards are the same bytes.
            shutil.rmtree(partial, ignore_errors=True)
            if not os.path.exists(manifest):
                raise
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(cached):
        shutil.copyfile(os.path.join(cached, name), os.path.join(args.out, name))
    print(f"make_shards: {len(os.listdir(cached)) - 1} shards in {args.out}")


if __name__ == "__main__":
    main()
