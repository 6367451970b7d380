#!/usr/bin/env python3
"""`cnnp export` against cnnp itself: the exported PyTorch code is the same
net. Run with the venv's python (scripts/setup.sh makes it; torch only):

    ~/.cache/cnn-playground/venv/bin/python scripts/check_export.py [--cnnp PATH]

For every net at its book size and every preset (the book's exercises):
  - the script's shape printout (--shapes) equals `cnnp shapes` row for row;
  - its state_dict's names and shapes equal our weights file's (made by
    `cnnp train --save`), which loads into it strictly;
  - our weights give our logits (`cnnp eval --logits 8`) within 1e-4.
For every net at its book size:
  - one epoch on a small subset under `torchrun --nproc_per_node 2` (gloo,
    CPU) and in one process give the same loss within 1e-4 with the same
    global batch (and weights within 1e-2: float rounding); the file it saves loads in `cnnp eval`, with
    the test accuracy the script printed and PyTorch's logits;
  - the notebook's code cells run top to bottom (exported with the subset
    as the form's values).
Exits non-zero on the first difference, naming it.
"""

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DATA = os.path.join(ROOT, "assets", "fashion-mnist")
ARCHS = ["lenet", "alexnet", "vgg", "nin", "googlenet", "bn-lenet", "resnet", "densenet"]
#: Test images whose logits are compared.
IMAGES = 8
#: Losses and logits agree this closely; logits relative to their largest
#: when it is past 1: a deep net's logits after one step reach thousands
#: (ResNet-34's, 3.6e3), where float32 itself is good to ~2e-4 (PyTorch's
#: own float32 and float64 forward passes differ by 3.5e-4 there).
TOLERANCE = 1e-4
#: The trained weights of one process and two agree this closely: the
#: second step of a net with batch norm amplifies float rounding (ResNet's
#: weights differ by 2e-3 between one process on one thread and on two).
WEIGHTS_TOLERANCE = 1e-2
#: The training run held between one process and two: two global batches;
#: tested on 64 images, so the accuracy cnnp eval must match is not a
#: trivial 0 (an untrained net's 8 images are often all wrong). Batches
#: shared unevenly (7, 7, 2) agreed for the nets without batch norm, not
#: for LeNet + BatchNorm (weights 0.19 apart): not yet understood.
RUN = ["--epochs", "1", "--batch", "8", "--train-limit", "16", "--test-limit", "64"]
#: The notebook's run: one step.
NOTEBOOK_RUN = ["--epochs", "1", "--batch", "8", "--train-limit", "8", "--test-limit", "8"]


class Check:
    def __init__(self, cnnp, work):
        self.cnnp, self.work = cnnp, work
        self.torchrun = os.path.join(os.path.dirname(sys.executable), "torchrun")
        self.test_images = None

    def run(self, *args, env=None):
        """A command's standard output; its failure ends the check."""
        result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=self.work)
        if result.returncode != 0:
            fail(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return result.stdout

    def cnnp_json(self, *args):
        return json.loads(self.run(self.cnnp, *args))

    def export(self, arch, preset, out, format="py", extra=()):
        out = os.path.join(self.work, out)
        self.run(self.cnnp, "export", "--arch", arch, *preset, "--format", format, "--out", out, *extra)
        return out

    def load_module(self, path, name):
        """The exported script as a module: its net built, main() not run."""
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def images(self, module):
        if self.test_images is None:
            self.test_images = module.read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte.gz"))[:IMAGES]
        return self.test_images

    def net_case(self, arch, preset_id):
        """Shapes, names and logits of one net (a preset's or the book's)."""
        preset = ["--preset", preset_id] if preset_id else []
        label = f"{arch}{' --preset ' + preset_id if preset_id else ''}"
        slug = f"{arch}-{preset_id or 'book'}".replace("-", "_")
        config = self.cnnp_json("train", "--arch", arch, *preset, "--print-config")
        side = config["resize"]
        module = self.load_module(self.export(arch, preset, f"{slug}.py"), slug)
        expect(module.PLAYGROUND_NET == config["net"], f"{label}: the script's PLAYGROUND_NET is not cnnp's net")
        expect(module.RESIZE == side, f"{label}: RESIZE {module.RESIZE}, cnnp trains at {side}")

        # The book's shape printout against cnnp's table.
        net_file = os.path.join(self.work, f"{slug}.json")
        with open(net_file, "w") as f:
            json.dump(config["net"], f)
        table = self.cnnp_json("shapes", "--arch", arch, "--config", net_file, "--resize", str(side), "--json")
        ours = [(row["name"], row["output"]) for row in table["layers"]]
        theirs = shape_printout(module)
        expect(theirs == ours, f"{label}: shape printout differs from cnnp shapes:\n  "
               + "\n  ".join(f"{a!s:45} {b}" for a, b in zip(theirs + [None] * len(ours), ours + [None] * len(theirs))))

        # Our weights file: the same names and shapes, loaded strictly.
        weights = os.path.join(self.work, f"{slug}.safetensors")
        self.run(self.cnnp, "train", "--arch", arch, *preset, "--epochs", "1", "--batch", "8", "--train-limit", "8",
                 "--test-limit", "8", "--backend", "cpu", "--save", weights)
        file_shapes = {module.torch_name(name): list(t.shape) for name, t in module.load_file(weights).items()}
        net_shapes = {name: list(t.shape) for name, t in module.net.state_dict().items()
                      if not name.endswith("num_batches_tracked")}
        expect(file_shapes == net_shapes, f"{label}: state_dict and weights file differ: "
               f"only in the net {sorted(set(net_shapes) - set(file_shapes))}, "
               f"only in the file {sorted(set(file_shapes) - set(net_shapes))}, "
               f"shapes {[n for n in net_shapes if n in file_shapes and net_shapes[n] != file_shapes[n]]}")
        module.load_weights(module.net, weights)

        # Our logits against PyTorch's on the same weights.
        gap = self.logit_gap(module, arch, weights, side)
        expect(gap <= TOLERANCE, f"{label}: logits differ by {gap:.2e} (> {TOLERANCE})")
        print(f"ok  {label:32} {len(ours):2} rows, {len(net_shapes):3} tensors, logits within {gap:.1e}", flush=True)

    def logit_gap(self, module, arch, weights, side):
        """The largest difference between cnnp's logits for `weights` and
        the exported net's on the same images (relative past 1)."""
        ours = torch.tensor(self.cnnp_json("eval", "--arch", arch, "--weights", weights, "--backend", "cpu",
                                           "--logits", str(IMAGES))["logits"])
        module.net.eval()
        with torch.no_grad():
            theirs = module.net(module.resize(self.images(module), side))
        return (ours - theirs).abs().max().item() / max(1.0, theirs.abs().max().item())

    def training_case(self, arch):
        """One epoch in one process (the script's main(), as plain `python
        script.py` runs it: in this process, which has torch loaded) and
        under torchrun with two processes; the saved file back in cnnp."""
        slug = arch.replace("-", "_")
        script = self.export(arch, [], f"{slug}_run.py")
        args = ["--data", DATA, "--device", "cpu", "--json", *RUN]
        one_file, two_file = (os.path.join(self.work, f"{arch}-{n}.safetensors") for n in ("one", "two"))
        module = self.load_module(script, f"{slug}_one")
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()):
            module.main([*args, "--save", one_file])
        one = last_json(output.getvalue())
        # One thread each: two processes share this machine's cores.
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        two = last_json(self.run(self.torchrun, "--nproc_per_node", "2", "--master_port", "29531",
                                 script, *args, "--save", two_file, env=env))
        expect(two["device"] == "2 processes (cpu)", f"{arch}: torchrun ran as {two['device']}")
        gap = abs(one["loss"] - two["loss"])
        expect(gap <= TOLERANCE, f"{arch}: loss {one['loss']} in one process, {two['loss']} in two")
        one_weights, two_weights = module.load_file(one_file), module.load_file(two_file)
        apart = max((one_weights[name] - two_weights[name]).abs().max().item() for name in one_weights)
        expect(apart <= WEIGHTS_TOLERANCE, f"{arch}: one process's and two's weights differ by {apart:.2e}")
        evaluation = self.cnnp_json("eval", "--arch", arch, "--weights", two_file, "--backend", "cpu",
                                    "--test-limit", RUN[RUN.index("--test-limit") + 1], "--json")
        expect(abs(evaluation["test_acc"] - two["test_acc"]) < 1e-9,
               f"{arch}: the file has test acc {evaluation['test_acc']} in cnnp eval, {two['test_acc']} in PyTorch")
        module.load_weights(module.net, two_file)
        logits = self.logit_gap(module, arch, two_file, module.RESIZE)
        expect(logits <= TOLERANCE, f"{arch}: PyTorch-trained logits differ by {logits:.2e} in cnnp")
        print(f"ok  {arch:32} loss {one['loss']:.6f} (1 process) vs {two['loss']:.6f} (2), weights within "
              f"{apart:.0e}, test acc {two['test_acc']:.4f} in cnnp eval too", flush=True)

    def notebook_case(self, arch):
        """The notebook's code cells, top to bottom, in one namespace."""
        extra = ["--data", DATA, *NOTEBOOK_RUN]
        path = self.export(arch, [], f"{arch}.ipynb", format="ipynb", extra=extra)
        with open(path) as f:
            cells = [cell for cell in json.load(f)["cells"] if cell["cell_type"] == "code"]
        namespace = {"__name__": "notebook"}
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()):
            for cell in cells:
                exec(compile("".join(cell["source"]), f"{os.path.basename(path)} cell", "exec"), namespace)
        lines = output.getvalue().splitlines()
        expect(any(line.startswith("epoch 1: loss ") for line in lines), f"{arch}: the notebook printed no epoch line")
        print(f"ok  {arch + '.ipynb':32} {len(cells)} code cells; {lines[-1]}", flush=True)


def shape_printout(module):
    """The book's printout, as (layer, output shape) pairs."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        module.print_shapes(module.net)
    rows = []
    for line in output.getvalue().splitlines():
        match = re.fullmatch(r"(\w+) output shape:\t torch\.Size\(\[([\d, ]*)\]\)", line)
        expect(match, f"not a line of the book's printout: {line!r}")
        rows.append((match[1], [int(d) for d in match[2].split(",")]))
    return rows


def last_json(text):
    return json.loads(text.strip().splitlines()[-1])


def expect(condition, message):
    if not condition:
        fail(message)


def fail(message):
    print(f"FAIL {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.expanduser("~"), ".cache/cnn-playground/target"))
    parser.add_argument("--cnnp", default=os.path.join(target, "release", "cnnp"),
                        help="the cnnp binary (default: %(default)s)")
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="check-export-") as work:
        sys.path.insert(0, work)
        check = Check(os.path.abspath(args.cnnp), work)
        cases = [(arch, None) for arch in ARCHS]
        for arch in ARCHS:
            cases += [(arch, preset) for preset in check.run(check.cnnp, "config", "--arch", arch, "--presets").split()]
        seconds = []
        for part in ([lambda a=arch, p=preset: check.net_case(a, p) for arch, preset in cases],
                     [lambda a=arch: check.training_case(a) for arch in ARCHS],
                     [lambda a=arch: check.notebook_case(a) for arch in ARCHS]):
            part_start = time.perf_counter()
            for case in part:
                case()
            seconds.append(f"{time.perf_counter() - part_start:.0f}")
    print(f"check_export: {len(cases)} nets and presets, {len(ARCHS)} training runs and notebooks: "
          f"all the same ({time.perf_counter() - start:.0f} s: {' + '.join(seconds)})")


if __name__ == "__main__":
    main()
