// Runs the training benchmark page in headless Chromium several times per
// engine and backend, and prints one JSON line each with the median:
//   {"engine","backend","arch","batch","readback_every","examples_per_s","runs",...}
//
// Needs the built playground (`trunk build --release` → dist/) and
// `npm ci` here (TF.js, for this page only). Usage:
//   node www/bench/run.mjs [--runs 3] [--arch all|eight|NET[,NET...]] [--steps N] [--batch N]
//                          [--engines ours,tfjs] [--readback 1,10] [--backends webgpu,cpu,...]
//                          [--grad-norms 0,1,5]  (ours: the gradient view measured every N steps; 0 off)
//   node www/bench/run.mjs --profile 1 [--arch lenet] [--backends webgpu] [--steps N]
//       (ours only: each layer timed on its own, one JSON line per layer)
//   node www/bench/run.mjs --trace 1 [--arch lenet] [--steps N]
//       (ours on WebGPU: every kernel of the timed steps, one JSON line per kernel, ms per step)
//   node www/bench/run.mjs --visits 2 [--arch lenet] [--backends webgpu]
//       (ours: the same page visited N times by one browser profile, the browser closed and
//       started again between visits, as a reader coming back; one JSON line per visit with its
//       warm-up, to see what the browser's own caches keep across visits)
// `--arch`: `all` is lenet,resnet; `eight` every net (lenet, alexnet, vgg, nin,
// googlenet, bn-lenet, resnet, densenet); else a comma list. Each net's batch,
// learning rate, optimizer and input side are NETS' in engines.mjs.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve } from "../../tests/e2e/server.mjs";
import { chromiumLaunchOptions } from "../../tests/e2e/chromium.mjs";
import { archList, benchDefaults, summarize } from "./engines.mjs";
import { flags } from "./cli.mjs";

const here = dirname(new URL(import.meta.url).pathname);
const ROOT = resolve(here, "../..");
const DIST = process.env.CNNP_DIST || join(ROOT, "dist");
const require = createRequire(import.meta.url);

const args = flags();
const runs = Number(args.runs || 3);
const archs = archList(args.arch || "all");
const engines = (args.engines || "ours,tfjs").split(",");
const readbacks = (args.readback || "1,10").split(",").map(Number);
const gradNormsList = (args.grad_norms || args["grad-norms"] || "0").split(",").map(Number);
const BACKENDS = { ours: ["webgpu", "cpu", "cpu-threads"], tfjs: ["webgpu", "webgl", "wasm", "cpu"] };
const wanted = args.backends ? args.backends.split(",") : null;
// Batch and steps per net (NETS' batch; 10 steps, 3 for AlexNet, VGG and
// NiN, whose steps are long under SwiftShader, which runs WebGPU on the CPU).
const DEFAULTS = Object.fromEntries(archs.map((arch) => [arch, benchDefaults(arch)]));

// The page and TF.js's browser bundles go beside the build, not into it.
const out = join(DIST, "www/bench");
mkdirSync(join(out, "tfjs"), { recursive: true });
for (const file of ["bench.html", "bench.js", "engines.mjs"]) cpSync(join(here, file), join(out, file));
const tfjsFiles = {
  "@tensorflow/tfjs/dist/tf.min.js": "tf.min.js",
  "@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js": "tf-backend-webgpu.min.js",
  "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js": "tf-backend-wasm.min.js",
  "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm": "tfjs-backend-wasm.wasm",
  "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm": "tfjs-backend-wasm-simd.wasm",
  "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm": "tfjs-backend-wasm-threaded-simd.wasm",
};
for (const [from, to] of Object.entries(tfjsFiles)) cpSync(require.resolve(from), join(out, "tfjs", to));

const server = await serve(DIST, { csp: false });

/** `--visits N`: one profile, one origin, the browser restarted between visits. */
async function visits(count) {
  for (const arch of archs) {
    for (const backend of wanted || ["webgpu"]) {
      const profile = mkdtempSync(join(tmpdir(), "cnnp-visits-"));
      try {
        for (let visit = 1; visit <= count; visit++) {
          const context = await chromium.launchPersistentContext(profile, chromiumLaunchOptions());
          const page = await context.newPage();
          const batch = Number(args.batch || DEFAULTS[arch].batch);
          const steps = Number(args.steps || 3);
          const query = new URLSearchParams({ engine: "ours", backend, arch, batch, steps, readback: 1 });
          await page.goto(`${server.url}/www/bench/bench.html?${query}`);
          await page.waitForFunction(() => window.benchResult, null, { timeout: 40 * 60_000, polling: 1000 });
          const result = await page.evaluate(() => window.benchResult);
          await context.close();
          const { warmup_s, examples_per_s, error } = result;
          console.log(JSON.stringify({ arch, backend, batch, visit, warmup_s, examples_per_s, error }));
        }
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    }
  }
}
if (args.visits) {
  await visits(Number(args.visits));
  await server.close();
  process.exit(0);
}

const browser = await chromium.launch(chromiumLaunchOptions());

async function once(query) {
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/www/bench/bench.html?${query}`);
    await page.waitForFunction(() => window.benchResult, null, { timeout: 40 * 60_000, polling: 1000 });
    return await page.evaluate(() => window.benchResult);
  } finally {
    await page.close();
  }
}

try {
  if (args.profile) {
    for (const arch of archs) {
      const batch = Number(args.batch || DEFAULTS[arch].batch);
      const steps = Number(args.steps || 5);
      for (const backend of BACKENDS.ours.filter((b) => !wanted || wanted.includes(b))) {
        const result = await once(new URLSearchParams({ engine: "ours", mode: "profile", backend, arch, batch, steps }));
        if (result.error) console.log(JSON.stringify({ arch, backend, error: result.error }));
        for (const layer of result.layers || []) {
          console.log(JSON.stringify({ arch, backend, batch, adapter: result.adapter, ...layer }));
        }
      }
    }
  }
  if (args.trace) {
    for (const arch of archs) {
      const batch = Number(args.batch || DEFAULTS[arch].batch);
      const steps = Number(args.steps || DEFAULTS[arch].steps);
      const result = await once(new URLSearchParams({ engine: "ours", mode: "trace", backend: "webgpu", arch, batch, steps }));
      if (result.error) console.log(JSON.stringify({ arch, error: result.error }));
      console.log(JSON.stringify({ arch, batch, steps, examples_per_s: result.examples_per_s, adapter: result.adapter }));
      for (const kernel of result.kernels || []) {
        console.log(JSON.stringify({ arch, kernel: kernel.kernel, launches_per_step: kernel.launches / steps, ms_per_step: Number((kernel.ms / steps).toFixed(2)) }));
      }
    }
  }
  for (const arch of args.profile || args.trace ? [] : archs) {
    const batch = Number(args.batch || DEFAULTS[arch].batch);
    const steps = Number(args.steps || DEFAULTS[arch].steps);
    for (const engine of engines) {
      for (const backend of BACKENDS[engine].filter((b) => !wanted || wanted.includes(b))) {
        for (const readback of readbacks) for (const grad_norms of engine === "ours" ? gradNormsList : [0]) {
          const results = [];
          for (let run = 0; run < runs; run++) {
            const result = await once(new URLSearchParams({ engine, backend, arch, batch, steps, readback, grad_norms }));
            if (result.error) {
              results.push(result);
              break;
            }
            results.push(result);
          }
          console.log(JSON.stringify(summarize({ engine, backend, arch, batch, readback_every: readback, steps, ...(grad_norms ? { grad_norms_every: grad_norms } : {}) }, results)));
        }
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
