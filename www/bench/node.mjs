// The training benchmark without a browser: Chrome's own WebGPU (Dawn, npm's
// `webgpu` package) gives Node a `navigator.gpu`, on which this runs our
// training worker's wasm (dist/worker_bg.wasm, as the page runs it) and
// TF.js's WebGPU backend. For machines a browser cannot reach, e.g. a GPU
// server (scripts/gpu-check.sh). Prints one JSON line per engine and
// backend, as run.mjs does (`--arch` as there: `all` is lenet,resnet,
// `eight` every net; steps default to 10, 3 for AlexNet, VGG and NiN):
//   node www/bench/node.mjs [--arch all|eight|NET[,NET...]] [--engines ours,tfjs]
//        [--backends webgpu,cpu] [--steps N] [--batch N] [--readback 1,10] [--runs 1]
//        [--dist DIR] [--data DIR] [--tfjs DIR] [--dawn flag,flag]
// Each measurement runs in a child process of its own (a fresh device and
// fresh globals). `--dawn` passes Dawn's flags (e.g. backend=vulkan);
// VK_ICD_FILENAMES picks the Vulkan driver as usual. TF.js comes from its
// browser bundles (tf.min.js, tf-backend-webgpu.min.js in `--tfjs`, by
// default those of `npm ci` here), loaded as the page loads them.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import vm from "node:vm";
import { archList, benchDefaults, driveOurs, idxExamples, summarize, tfjsBatches, trainTfjs } from "./engines.mjs";
import { hostWorker, installWebGpu } from "./node_host.mjs";
import { flags } from "./cli.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = flags();
const DIST = resolve(args.dist || process.env.CNNP_DIST || join(here, "../../dist"));
const DATA = resolve(args.data || process.env.CNNP_DATA || join(here, "../../assets/fashion-mnist"));
const require = createRequire(import.meta.url);
const TFJS = args.tfjs ? resolve(args.tfjs) : null;
const tfjsBundle = (name, npmPath) => (TFJS ? join(TFJS, name) : require.resolve(npmPath));
const dawnFlags = args.dawn ? args.dawn.split(",") : [];
const now = () => performance.now();

async function runOurs({ arch, batch, steps, readback, backend }) {
  if (backend === "webgpu") await installWebGpu(dawnFlags);
  let driven;
  await hostWorker({
    dist: DIST,
    data: DATA,
    drive: ({ send, loadData }) => {
      driven = driveOurs({ send, loadData, arch, batch, steps, readback, backend, mode: "bench" });
      return driven.onReport;
    },
  });
  return driven.done;
}

async function runTfjs({ arch, batch, steps, readback, backend }) {
  // The UMD bundles, with no module system in sight, fill `globalThis.tf`;
  // TF.js's Node platform asks for `require("util")`.
  globalThis.require ??= require;
  const load = (name, npmPath) => vm.runInThisContext(readFileSync(tfjsBundle(name, npmPath), "utf8"));
  load("tf.min.js", "@tensorflow/tfjs/dist/tf.min.js");
  if (backend === "webgpu") {
    await installWebGpu(dawnFlags);
    load("tf-backend-webgpu.min.js", "@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js");
  }
  const tf = globalThis.tf;
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} is not available`);
  await tf.ready();
  const images = gunzipSync(readFileSync(join(DATA, "train-images-idx3-ubyte.gz")));
  const labels = gunzipSync(readFileSync(join(DATA, "train-labels-idx1-ubyte.gz")));
  const data = idxExamples(images, labels, batch * tfjsBatches(steps));
  const result = await trainTfjs(tf, { arch, batch, steps, readback, data, now });
  return result;
}

if (args.child) {
  // One measurement; its result is the last line this process prints.
  const job = JSON.parse(args.child);
  let result;
  try {
    result = await (job.engine === "ours" ? runOurs(job) : runTfjs(job));
  } catch (error) {
    result = { error: String(error && error.message ? error.message : error).slice(0, 2000) };
  }
  console.log(`\n${JSON.stringify(result)}`);
  process.exit(0);
}

function once(job) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", JSON.stringify(job), ...process.argv.slice(2)], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: Number(process.env.CNNP_NODE_BENCH_TIMEOUT_S || 1200) * 1000,
  });
  const lines = (child.stdout || "").trim().split("\n");
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    const why = child.error ? String(child.error) : `exit ${child.status}`;
    return { error: `${why}: ${(child.stderr || "").trim().split("\n").slice(-5).join(" | ")}` };
  }
}

const runs = Number(args.runs || 1);
const archs = archList(args.arch || "all");
const engines = (args.engines || "ours,tfjs").split(",");
const backends = (args.backends || "webgpu").split(",");
const readbacks = (args.readback || "1").split(",").map(Number);
for (const arch of archs) {
  const batch = Number(args.batch || benchDefaults(arch).batch);
  const steps = Number(args.steps || benchDefaults(arch).steps);
  for (const engine of engines) {
    for (const backend of backends) {
      for (const readback of readbacks) {
        const results = [];
        for (let run = 0; run < runs; run++) {
          const result = once({ engine, backend, arch, batch, steps, readback });
          results.push(result);
          if (result.error) break;
        }
        console.log(
          JSON.stringify(summarize({ host: "node-dawn", engine, backend, arch, batch, readback_every: readback, steps }, results)),
        );
      }
    }
  }
}
