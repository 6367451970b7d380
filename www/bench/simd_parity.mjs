// The worker's CPU path built with WebAssembly SIMD (as shipped) against the
// same worker built without it, in Node: LeNet and ResNet-18 (the
// benchmark's settings) from the same seed and data. The builds differ only
// in `+simd128` (gemm's simd128 kernels and macerator in Burn's CPU backend
// against their scalar code), so their results may differ by rounding
// alone. Checked, 1e-5 relative: the first step's loss (the initialised
// net's forward pass). Printed beside it: the loss one update later, where
// the first step's rounding has gone through a gradient and an update.
//   node www/bench/simd_parity.mjs --simd dist --scalar DIR
// DIR: the worker built without SIMD, e.g.
//   CARGO_TARGET_DIR=~/.cache/cnn-playground/target-scalar RUSTFLAGS="" \
//     cargo build --profile wasm-release --target wasm32-unknown-unknown --bin worker
//   wasm-bindgen --target no-modules --no-typescript --out-name worker --out-dir DIR \
//     ~/.cache/cnn-playground/target-scalar/wasm32-unknown-unknown/wasm-release/worker.wasm
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { flags } from "./cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = flags();
const TOLERANCE = 1e-5;
const relative = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

function losses(dist, arch) {
  const run = spawnSync(
    process.execPath,
    [join(here, "node.mjs"), "--engines", "ours", "--backends", "cpu", "--arch", arch, "--steps", "1", "--dist", resolve(dist)],
    { encoding: "utf8", maxBuffer: 64 << 20 },
  );
  const line = (run.stdout || "").trim().split("\n").at(-1);
  const result = JSON.parse(line);
  if (result.error || result.final_losses?.[0] === undefined) throw new Error(`${dist}, ${arch}: ${line}`);
  return { first: result.warmup_losses[0], second: result.final_losses[0], examples_per_s: result.examples_per_s };
}

let failed = false;
for (const arch of ["lenet", "resnet"]) {
  const simd = losses(args.simd || "dist", arch);
  const scalar = losses(args.scalar, arch);
  const first = relative(simd.first, scalar.first);
  const ok = first <= TOLERANCE;
  failed ||= !ok;
  console.log(JSON.stringify({ arch, simd, scalar, relative_first: first, relative_second: relative(simd.second, scalar.second), ok }));
}
process.exit(failed ? 1 : 0);
