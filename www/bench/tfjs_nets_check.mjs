// Checks that each TF.js net of the benchmark (engines.mjs) is the net our
// worker trains: for each arch at its NETS side, builds the TF.js model with
// plain @tensorflow/tfjs (CPU backend) and compares it with our shape table
// (`cnnp shapes --config <oursConfig(arch).net> --resize <side> --json`):
//   - trainable parameters equal our table's total (TF.js's countParams()
//     also counts batch norm's moving mean and variance, 2 per channel,
//     which ours keeps outside the parameters; both figures are printed);
//   - the output is [batch, 10] (built, and run once at batch 2);
//   - the same layers with the same output shapes and parameters: every
//     convolution, dense, batch norm, pooling and dropout layer, as a
//     multiset of (kind, output shape NHWC, params) (activations, flatten,
//     zero padding, concatenate and add are not compared).
// Usage (from the repository root):
//   node www/bench/tfjs_nets_check.mjs [--arch eight|all|lenet,vgg,...]
//        [--cnnp PATH] [--train BATCH] [--steps N]
// `--cnnp` (or CNNP_BIN): the cnnp binary; by default the release build in
// the scripts' target folder (`cargo build --release --bin cnnp`).
// `--train B`: also runs trainTfjs (one warm-up step and `--steps`, default
// 1, timed ones) on Fashion-MNIST at batch B and prints the losses.
// Exits 1 on any mismatch or failed training step.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import { NETS, archList, idxExamples, oursConfig, tfjsBatches, tfjsModel, trainTfjs } from "./engines.mjs";
import { flags } from "./cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = flags();
const CNNP =
  args.cnnp ||
  process.env.CNNP_BIN ||
  join(process.env.CARGO_TARGET_DIR || join(homedir(), ".cache/cnn-playground/target"), "release/cnnp");
const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs");
await tf.setBackend("cpu");
await tf.ready();

const SKIP_OURS = new Set(["ReLU", "Sigmoid", "Flatten"]);
const TF_KINDS = {
  Conv2D: "Conv2d",
  Dense: "Linear",
  MaxPooling2D: "MaxPool2d",
  AveragePooling2D: "AvgPool2d",
  GlobalAveragePooling2D: "AdaptiveAvgPool2d",
  Dropout: "Dropout",
};

// Our table's leaves as "kind [shape NHWC, no batch] params".
function oursLeaves(layers, out = []) {
  for (const layer of layers) {
    if (layer.children.length) oursLeaves(layer.children, out);
    else if (!SKIP_OURS.has(layer.name)) {
      let shape = layer.output.slice(1);
      if (shape.length === 3) shape = layer.name === "AdaptiveAvgPool2d" ? [shape[0]] : [shape[1], shape[2], shape[0]];
      out.push(`${layer.name} [${shape}] ${layer.params}`);
    }
  }
  return out;
}

function tfLeaves(model) {
  const out = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const shape = layer.outputShape.slice(1);
    const kind = cls === "BatchNormalization" ? (shape.length === 3 ? "BatchNorm2d" : "BatchNorm1d") : TF_KINDS[cls];
    if (!kind) continue;
    const params = layer.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
    out.push(`${kind} [${shape}] ${params}`);
  }
  return out;
}

// Multiset difference: what `a` has more of than `b`.
function minus(a, b) {
  const count = new Map();
  for (const x of b) count.set(x, (count.get(x) || 0) + 1);
  return a.filter((x) => (count.get(x) ? (count.set(x, count.get(x) - 1), false) : true));
}

const dir = mkdtempSync(join(tmpdir(), "tfjs-nets-"));
let failed = false;
const trainBatch = args.train ? Number(args.train) : 0;
let data = null;
if (trainBatch) {
  const DATA = join(here, "../../assets/fashion-mnist");
  const images = gunzipSync(readFileSync(join(DATA, "train-images-idx3-ubyte.gz")));
  const labels = gunzipSync(readFileSync(join(DATA, "train-labels-idx1-ubyte.gz")));
  data = idxExamples(images, labels, trainBatch * tfjsBatches(Number(args.steps || 1)));
}

for (const arch of archList(args.arch || "eight")) {
  const { side } = NETS[arch];
  const configFile = join(dir, `${arch}.json`);
  writeFileSync(configFile, JSON.stringify(oursConfig(arch, NETS[arch].batch).net));
  const table = JSON.parse(execFileSync(CNNP, ["shapes", "--arch", arch, "--resize", String(side), "--config", configFile, "--json"], { encoding: "utf8" }));
  const model = tfjsModel(tf, arch, side);
  const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
  const all = model.countParams();
  const outShape = tf.tidy(() => model.predict(tf.zeros([2, side, side, 1])).shape);
  const ours = oursLeaves(table.layers);
  const theirs = tfLeaves(model);
  const onlyOurs = minus(ours, theirs);
  const onlyTfjs = minus(theirs, ours);
  const ok = trainable === table.total_params && `${outShape}` === "2,10" && `${model.outputs[0].shape}` === ",10" && !onlyOurs.length && !onlyTfjs.length;
  failed ||= !ok;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${arch.padEnd(9)} side ${String(side).padStart(3)}  ours ${table.total_params}  tfjs trainable ${trainable}` +
      `  (countParams ${all}, +${all - trainable} bn running stats)  output [${outShape}]  layers ${ours.length} = ${theirs.length}`,
  );
  for (const x of onlyOurs) console.log(`       only ours: ${x}`);
  for (const x of onlyTfjs) console.log(`       only tfjs: ${x}`);
  model.dispose();
  if (trainBatch) {
    try {
      const steps = Number(args.steps || 1);
      const start = performance.now();
      const result = await trainTfjs(tf, { arch, batch: trainBatch, steps, readback: 1, data, now: () => performance.now() });
      const fine = Number.isFinite(result.final_loss);
      failed ||= !fine;
      console.log(
        `     train ${arch}: ${NETS[arch].optimizer} lr ${NETS[arch].lr}, batch ${trainBatch}, 1 warm-up + ${steps} step(s): ` +
          `final loss ${result.final_loss.toFixed(4)} (${((performance.now() - start) / 1000).toFixed(1)} s)${fine ? "" : "  FAIL"}`,
      );
    } catch (error) {
      failed = true;
      console.log(`     train ${arch}: FAIL ${error.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
