// One benchmark run, set up by the URL (see bench.html). Our engine runs in
// the playground's own training worker; TF.js runs the identical net here.
// What both run is in engines.mjs, shared with the Node harness (node.mjs).
import { benchDefaults, driveOurs, idxExamples, tfjsBatches, trainTfjs } from "./engines.mjs";

const params = new URLSearchParams(location.search);
const engine = params.get("engine") || "ours";
const backend = params.get("backend") || "webgpu";
const arch = params.get("arch") || "lenet";
// Any of the eight nets (engines.mjs's NETS: lenet, alexnet, vgg, nin,
// googlenet, bn-lenet, resnet, densenet).
const batch = Number(params.get("batch") || benchDefaults(arch).batch);
const steps = Number(params.get("steps") || benchDefaults(arch).steps);
const readback = Number(params.get("readback") || 1);
const gradNorms = Number(params.get("grad_norms") || 0);
// `mode=profile`: ours only, each layer of the net timed on its own;
// `mode=trace`: ours only, every kernel of the timed steps timed on the
// WebGPU queue (one dispatch per submission, so a little slower overall).
const mode = params.get("mode") || "bench";
// dist/www/bench/bench.html → dist/
const root = new URL("../../", location.href);
const out = document.getElementById("out");

function finish(result) {
  window.benchResult = result;
  out.textContent = JSON.stringify(result, null, 2);
}

function fail(error) {
  finish({ error: String(error && error.message ? error.message : error) });
}

// ---- ours: the playground's worker, `Command::Bench` ----

function runOurs() {
  const loader = backend === "cpu-threads" ? "worker_threads_loader.js" : "worker_loader.js";
  const worker = new Worker(new URL(loader, root));
  const send = (command) => worker.postMessage(JSON.stringify(command));
  const loadData = () => send({ type: "load_data", data_url: new URL("assets/fashion-mnist/", root).href });
  const { onReport, done } = driveOurs({ send, loadData, arch, batch, steps, readback, backend, mode, gradNorms });
  worker.onerror = (event) => fail(`worker error: ${event.message}`);
  // As `web::channel` frames a report: its JSON, or {json, buffers}.
  worker.onmessage = ({ data }) =>
    onReport(typeof data === "string" ? JSON.parse(data) : { ...JSON.parse(data.json), buffers: data.buffers });
  return done.then((result) => {
    worker.terminate();
    finish(result);
  });
}

// ---- TF.js: the same nets with tf.layers ----

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.appendChild(script);
  });
}

async function gunzip(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function runTfjs() {
  const base = new URL("tfjs/", location.href).href;
  await loadScript(base + "tf.min.js");
  const tf = window.tf;
  if (backend === "webgpu") await loadScript(base + "tf-backend-webgpu.min.js");
  if (backend === "wasm") {
    await loadScript(base + "tf-backend-wasm.min.js");
    tf.wasm.setWasmPaths(base);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} is not available`);
  await tf.ready();
  const files = new URL("assets/fashion-mnist/", root);
  const images = await gunzip(new URL("train-images-idx3-ubyte.gz", files));
  const labels = await gunzip(new URL("train-labels-idx1-ubyte.gz", files));
  const data = idxExamples(images, labels, batch * tfjsBatches(steps));
  finish(await trainTfjs(tf, { arch, batch, steps, readback, data, now: () => performance.now() }));
}

(engine === "ours" ? Promise.resolve().then(runOurs) : runTfjs()).catch(fail);
