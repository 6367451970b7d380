// Trains each net's quick setting (or the book's) for real in our worker's
// wasm on its CPU backend, hosted in Node (the same V8 as Chromium), and
// prints one JSON line per net: time to the first progress, each epoch's
// seconds, speed, accuracies and the worker's wasm memory after it, and the
// worker's own estimate made beforehand (`Prepare`). The figures behind the
// README's table of quick settings, and the long-run check (BENCHMARKS.md:
// `--arch lenet --setting book --epochs 3`):
//   node www/bench/quick.mjs [--arch lenet,resnet|all] [--setting quick|book]
//        [--epochs N] [--set '{"train_limit":512}'] [--cnnp PATH] [--dist DIR] [--data DIR]
//        [--inspect 1]
// --inspect 1 looks inside the net throughout the run, as fast as the
// worker answers (the page asks five times an epoch): row 1's output for
// test image 0, the next asked as soon as one is answered; the line then
// says how many were answered, to weigh their cost against a run without.
// The settings come from the Rust code (`cnnp train --print-config`), so
// this script cannot drift from what the page's buttons pick.
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hostWorker } from "./node_host.mjs";
import { flags } from "./cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = flags();
const DIST = resolve(args.dist || join(here, "../../dist"));
const DATA = resolve(args.data || join(here, "../../assets/fashion-mnist"));
const CNNP = args.cnnp || join(process.env.CARGO_TARGET_DIR || join(process.env.HOME, ".cache/cnn-playground/target"), "release/cnnp");
const ARCHS = ["lenet", "alexnet", "vgg", "nin", "googlenet", "bn-lenet", "resnet", "densenet"];
const now = () => performance.now();

/** Runs `config` once in this process; resolves with what was measured. */
async function trainOnce(config) {
  const result = { config, epochs: [], inspections: 0 };
  const inspect = { type: "look_inside", net: config.net, resize: config.resize, picture: { kind: "test", index: 0 }, layer: [0] };
  let started = null;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  await hostWorker({
    dist: DIST,
    data: DATA,
    drive: ({ send, loadData }) => (report) => {
      switch (report.type) {
        case "ready":
          send({ type: "choose_backend", choice: "cpu" });
          break;
        case "backend":
          loadData();
          break;
        case "data_ready":
          send({ type: "prepare", config });
          break;
        case "prepared":
          result.seconds_per_example = report.calibration.seconds_per_example;
          started = now();
          send({ type: "train", config });
          if (args.inspect) send(inspect);
          break;
        case "inside":
          result.inspections += 1;
          if (result.total_s === undefined) send(inspect);
          break;
        case "inside_failed":
          finish({ ...result, error: report.message });
          break;
        case "training": {
          const event = report.event;
          if (event.event === "batch" && result.first_progress_s === undefined) {
            result.first_progress_s = (now() - started) / 1000;
          }
          if (event.event === "started") {
            result.train_examples = event.train_examples;
            result.test_examples = event.test_examples;
          }
          if (event.event === "epoch") {
            const r = event.report;
            result.epochs.push({ epoch: r.epoch, seconds: r.seconds, loss: r.loss, train_acc: r.train_acc, test_acc: r.test_acc, examples_per_s: r.examples_per_s });
          }
          break;
        }
        case "memory":
          // The worker's wasm memory after each epoch, and at the end.
          if (report.epoch !== null) {
            const epoch = result.epochs.find((e) => e.epoch === report.epoch);
            if (epoch) epoch.wasm_bytes = report.wasm_bytes;
          } else {
            result.wasm_bytes_at_end = report.wasm_bytes;
          }
          break;
        case "finished":
          result.total_s = (now() - started) / 1000;
          result.message = report.message;
          // The memory report the worker posts right after comes first.
          setTimeout(() => finish(result));
          break;
        case "data_failed":
        case "failed":
        case "panicked":
          finish({ ...result, error: report.message });
          break;
      }
    },
  });
  const measured = await done;
  // What the page would have said before Train: the calibration's epoch.
  if (measured.seconds_per_example && measured.train_examples) {
    measured.estimated_epoch_s = measured.seconds_per_example * (measured.train_examples + measured.test_examples / 3);
  }
  return measured;
}

if (args.child) {
  let result;
  try {
    result = await trainOnce(JSON.parse(args.child));
  } catch (error) {
    result = { error: String(error && error.message ? error.message : error).slice(0, 2000) };
  }
  console.log(`\n${JSON.stringify(result)}`);
  process.exit(0);
}

function configFor(arch) {
  const setting = args.setting || "quick";
  const out = spawnSync(CNNP, ["train", "--arch", arch, ...(setting === "quick" ? ["--quick"] : []), "--print-config"], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${CNNP}: ${out.stderr || out.error}`);
  const config = JSON.parse(out.stdout);
  if (args.epochs) config.epochs = Number(args.epochs);
  return { ...config, ...(args.set ? JSON.parse(args.set) : {}) };
}

const archs = !args.arch || args.arch === "all" ? ARCHS : args.arch.split(",");
for (const arch of archs) {
  const config = configFor(arch);
  // A fresh process per net: a fresh wasm memory, as a new page would have.
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", JSON.stringify(config), ...(args.inspect ? ["--inspect", args.inspect] : [])], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: Number(process.env.CNNP_QUICK_TIMEOUT_S || 3600) * 1000,
  });
  const lines = (child.stdout || "").trim().split("\n");
  let result;
  try {
    result = JSON.parse(lines[lines.length - 1]);
  } catch {
    result = { error: `exit ${child.status}: ${(child.stderr || "").trim().split("\n").slice(-5).join(" | ")}` };
  }
  console.log(JSON.stringify({ arch, setting: args.setting || "quick", host: `node ${process.version}`, ...result }));
}
