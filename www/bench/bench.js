// One benchmark run, set up by the URL (see bench.html). Our engine runs in
// the playground's own training worker; TF.js runs the identical net here.
const params = new URLSearchParams(location.search);
const engine = params.get("engine") || "ours";
const backend = params.get("backend") || "webgpu";
const arch = params.get("arch") || "lenet";
const NETS = {
  // The book's settings: learning rate, input side.
  lenet: { lr: 0.9, side: 28, batch: 256 },
  resnet: { lr: 0.05, side: 96, batch: 16 },
};
const net = NETS[arch];
const batch = Number(params.get("batch") || net.batch);
const steps = Number(params.get("steps") || 10);
const readback = Number(params.get("readback") || 1);
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

function oursConfig() {
  const config = {
    net: arch === "lenet" ? { arch: "lenet" } : { arch: "resnet", stages: [[64, 2], [128, 2], [256, 2], [512, 2]] },
    epochs: 1,
    lr: net.lr,
    batch_size: batch,
    resize: net.side,
    optimizer: "sgd",
    weight_decay: 0,
    seed: 0,
    train_limit: null,
    test_limit: null,
  };
  return config;
}

function runOurs() {
  const worker = new Worker(new URL("worker_loader.js", root));
  let adapter = null;
  let trace = null;
  const send = (command) => worker.postMessage(JSON.stringify(command));
  worker.onerror = (event) => fail(`worker error: ${event.message}`);
  worker.onmessage = (event) => {
    const report = JSON.parse(event.data);
    switch (report.type) {
      case "ready":
        if (mode === "trace") send({ type: "trace" });
        send({ type: "choose_backend", choice: backend === "cpu" ? "cpu" : "webgpu" });
        break;
      case "trace":
        trace = JSON.parse(report.kernels);
        break;
      case "backend":
        adapter = report.backend;
        if (backend === "webgpu" && !adapter.WebGpu) {
          fail(`no WebGPU: ${JSON.stringify(adapter)}`);
          return;
        }
        send({ type: "load_data", data_url: new URL("assets/fashion-mnist/", root).href });
        break;
      case "data_ready":
        if (mode === "profile") send({ type: "profile", config: oursConfig(), reps: steps });
        else send({ type: "bench", config: oursConfig(), steps, readback_every: readback });
        break;
      case "profile":
        finish({
          engine: "ours",
          mode,
          backend: backend === "cpu" ? "cpu" : "webgpu",
          adapter: adapter.WebGpu ? adapter.WebGpu.name : "cpu",
          arch,
          batch,
          reps: steps,
          layers: report.layers,
        });
        worker.terminate();
        break;
      case "bench":
        finish({
          engine: "ours",
          backend: backend === "cpu" ? "cpu" : "webgpu",
          adapter: adapter.WebGpu ? adapter.WebGpu.name : "cpu",
          arch,
          batch,
          readback_every: readback,
          steps,
          warmup_s: report.report.warmup_s,
          examples_per_s: report.report.examples_per_s,
          final_loss: report.report.final_loss,
          host_ms_per_step: report.report.host_ms_per_step,
          ...(trace ? { mode, kernels: trace } : {}),
        });
        worker.terminate();
        break;
      case "data_failed":
      case "failed":
      case "panicked":
        fail(report.message);
        break;
    }
  };
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

/** The first `count` training images (scaled to [0, 1]) and labels. */
async function fashionMnist(count) {
  const base = new URL("assets/fashion-mnist/", root);
  const images = await gunzip(new URL("train-images-idx3-ubyte.gz", base));
  const labels = await gunzip(new URL("train-labels-idx1-ubyte.gz", base));
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images[16 + i] / 255;
  return { pixels, labels: Int32Array.from(labels.subarray(8, 8 + count)) };
}

const glorot = { kernelInitializer: "glorotUniform", biasInitializer: "zeros" };

function lenet(tf) {
  // d2l's LeNet: sigmoid convolutions, average pooling, three dense layers.
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: "same", activation: "sigmoid", ...glorot }));
  model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "sigmoid", ...glorot }));
  model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 120, activation: "sigmoid", ...glorot }));
  model.add(tf.layers.dense({ units: 84, activation: "sigmoid", ...glorot }));
  model.add(tf.layers.dense({ units: 10, ...glorot }));
  return model;
}

function resnet18(tf) {
  // d2l's ResNet-18: b1, four stages of two residual blocks, global pooling.
  const bn = () => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  const conv = (filters, kernelSize, strides = 1) =>
    tf.layers.conv2d({ filters, kernelSize, strides, padding: "same", ...glorot });
  const residual = (x, channels, use1x1, strides) => {
    let y = tf.layers.reLU().apply(bn().apply(conv(channels, 3, strides).apply(x)));
    y = bn().apply(conv(channels, 3).apply(y));
    const shortcut = use1x1 ? conv(channels, 1, strides).apply(x) : x;
    return tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut]));
  };
  const input = tf.input({ shape: [96, 96, 1] });
  let x = tf.layers.reLU().apply(bn().apply(conv(64, 7, 2).apply(input)));
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(x);
  [[64, 2], [128, 2], [256, 2], [512, 2]].forEach(([channels, blocks], stage) => {
    for (let i = 0; i < blocks; i++) {
      const first = i === 0 && stage > 0;
      x = residual(x, channels, first, first ? 2 : 1);
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const logits = tf.layers.dense({ units: 10, ...glorot }).apply(x);
  return tf.model({ inputs: input, outputs: logits });
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
  const batches = Math.min(steps + 1, 5);
  const data = await fashionMnist(batch * batches);
  const model = arch === "lenet" ? lenet(tf) : resnet18(tf);
  const optimizer = tf.train.sgd(net.lr);
  // Batches on the device before the clock starts, as ours.
  const xs = [];
  const ys = [];
  for (let b = 0; b < batches; b++) {
    const images = tf.tensor4d(data.pixels.subarray(b * batch * 784, (b + 1) * batch * 784), [batch, 28, 28, 1]);
    xs.push(net.side === 28 ? images : tf.image.resizeBilinear(images, [net.side, net.side]));
    ys.push(tf.oneHot(tf.tensor1d(data.labels.subarray(b * batch, (b + 1) * batch), "int32"), 10));
  }
  const step = (b) =>
    optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys[b], model.apply(xs[b], { training: true })), true);
  let start = performance.now();
  const first = step(0);
  await first.data();
  first.dispose();
  const warmup = (performance.now() - start) / 1000;
  start = performance.now();
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const value = step((i + 1) % batches);
    if ((i + 1) % readback === 0 || i + 1 === steps) loss = (await value.data())[0];
    value.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  finish({
    engine: "tfjs",
    backend: tf.getBackend(),
    adapter: tf.version.tfjs,
    arch,
    batch,
    readback_every: readback,
    steps,
    warmup_s: warmup,
    examples_per_s: (steps * batch) / seconds,
    final_loss: loss,
  });
}

(engine === "ours" ? Promise.resolve().then(runOurs) : runTfjs()).catch(fail);
