#!/usr/bin/env python3
"""Our weights files against the book's own PyTorch nets (those of
scripts/bench_pytorch.py, d2l's code). Needs torch and safetensors
(`pip install torch safetensors numpy`); the tests read what it wrote.

    python3 scripts/pytorch_weights.py names      # every net's state_dict: names and shapes
    python3 scripts/pytorch_weights.py fixture    # LeNet and BN-LeNet files + their logits
    python3 scripts/pytorch_weights.py eval --arch lenet --weights F
        # loads OUR file F into the book's net with load_state_dict (strict),
        # prints the test accuracy on Fashion-MNIST's test set as JSON

`names` and `fixture` write under tests/fixtures/pytorch/, which
tests/weights.rs reads: the names our files use must be the book's, and our
forward pass on PyTorch's weights must give PyTorch's logits (within 1e-4).
"""

import argparse
import gzip
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from bench_pytorch import NETS  # noqa: E402  (the book's nets)

ROOT = os.path.join(os.path.dirname(__file__), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "pytorch")
DATA = os.path.join(ROOT, "assets", "fashion-mnist")
#: The test images whose logits the fixture keeps.
FIXTURE_IMAGES = 8


def test_set():
    """Fashion-MNIST's test images in [0, 1] as [N, 1, 28, 28], and labels."""
    with gzip.open(os.path.join(DATA, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.tensor(images, dtype=torch.float32) / 255.0, torch.tensor(labels, dtype=torch.int64)


def book_net(arch):
    make, _lr, _batch, side = NETS[arch]
    return make(), side


def names():
    out = {}
    for arch in NETS:
        net, side = book_net(arch)
        net.eval()(torch.zeros(1, 1, side, side))  # it runs at its book size
        out[arch] = {name: list(t.shape) for name, t in net.state_dict().items() if not name.endswith("num_batches_tracked")}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "state_dict_names.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print(f"wrote {OUT}/state_dict_names.json ({sum(len(v) for v in out.values())} tensors)")


def fixture():
    torch.manual_seed(0)
    images, _ = test_set()
    os.makedirs(OUT, exist_ok=True)
    logits = {}
    for arch in ("lenet", "bn-lenet"):
        net, _ = book_net(arch)
        for m in net.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.normal_(m.bias, std=0.1)  # non-zero biases, so they are checked too
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                nn.init.normal_(m.weight, 1.0, 0.2)
                nn.init.normal_(m.bias, 0.0, 0.2)
        # Running statistics that are not the defaults: a few batches in train mode.
        net.train()
        with torch.no_grad():
            for start in range(0, 1024, 256):
                net(images[start:start + 256])
        net.eval()
        with torch.no_grad():
            logits[arch] = net(images[:FIXTURE_IMAGES]).tolist()
        state = {k: v.contiguous() for k, v in net.state_dict().items()}
        save_file(state, os.path.join(OUT, f"{arch}.safetensors"))
    with open(os.path.join(OUT, "logits.json"), "w") as f:
        json.dump({"images": FIXTURE_IMAGES, "logits": logits}, f)
    print(f"wrote {OUT}/lenet.safetensors, bn-lenet.safetensors, logits.json")


def evaluate(arch, path):
    net, _ = book_net(arch)
    net.load_state_dict(load_file(path))  # strict: every name and shape must match
    net.eval()
    images, labels = test_set()
    with torch.no_grad():
        predicted = torch.cat([net(images[i:i + 1000]).argmax(1) for i in range(0, len(images), 1000)])
    print(json.dumps({"arch": arch, "test_acc": (predicted == labels).float().mean().item(), "images": len(labels)}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["names", "fixture", "eval"])
    parser.add_argument("--arch")
    parser.add_argument("--weights")
    args = parser.parse_args()
    if args.what == "names":
        names()
    elif args.what == "fixture":
        fixture()
    else:
        evaluate(args.arch, args.weights)


if __name__ == "__main__":
    main()
