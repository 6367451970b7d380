#!/usr/bin/env python3
"""Sums cubecl's kernel profile (CUBECL_DEBUG_OPTION=profile) per training step.

    CUBECL_DEBUG_LOG=/tmp/cubecl.log CUBECL_DEBUG_OPTION=profile \
        cnnp bench --arch lenet --backend wgpu --batch 256 --steps 5
    python3 scripts/profile_summary.py /tmp/cubecl.log [--steps 5] [--marker NAME]

A step starts at every `--every`-th launch of the marker kernel (the first
convolution's forward pass: two forward convolutions per LeNet step). The
first step (kernel compilation) is left out; the table is the mean of the
last `--steps` steps, per kernel name, slowest first.
"""
import argparse
import collections
import re

parser = argparse.ArgumentParser()
parser.add_argument("log")
parser.add_argument("--steps", type=int, default=5)
parser.add_argument("--marker", default="Conv2dForwardKernel")
parser.add_argument("--every", type=int, default=2, help="marker launches per step")
args = parser.parse_args()

line_re = re.compile(r"^\|\s*([\d.]+)(ns|µs|ms|s)\s*\|\s*(.*?)\s*$")
scale = {"ns": 1e-6, "µs": 1e-3, "ms": 1.0, "s": 1000.0}
launches = []
for line in open(args.log, encoding="utf-8", errors="replace"):
    m = line_re.match(line.strip())
    if m:
        name = re.sub(r"_[0-9a-f]{8}\b", "", m.group(3))
        launches.append((name, float(m.group(1)) * scale[m.group(2)]))

starts = [i for i, (name, _) in enumerate(launches) if name.startswith(args.marker)][:: args.every]
starts.append(len(launches))
steps = [launches[a:b] for a, b in zip(starts, starts[1:])][-args.steps:]
totals = collections.defaultdict(float)
counts = collections.defaultdict(int)
for step in steps:
    for name, ms in step:
        totals[name] += ms
        counts[name] += 1
n = len(steps)
step_ms = sum(totals.values()) / n
print(f"{n} steps, {step_ms:.1f} ms of kernels per step, {sum(counts.values()) / n:.0f} launches per step")
for name, ms in sorted(totals.items(), key=lambda kv: -kv[1]):
    print(f"{ms / n:9.2f} ms  {100 * ms / n / step_ms:5.1f} %  ×{counts[name] / n:<5.1f} {name}")
