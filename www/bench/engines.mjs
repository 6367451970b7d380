// What the benchmark runs, shared by the page in Chromium (bench.js) and the
// Node harness on Dawn (node.mjs): our training worker driven through its
// protocol, and the same nets in TF.js with tf.layers.

export const NETS = {
  // Keyed as our worker names the nets (`Arch`'s serde names), in the book's
  // order. LeNet and LeNet + BatchNorm at the book's settings (the page's
  // quick setting for them); ResNet-18 at the book's lr and side with batch
  // 16 (what the recorded benchmarks ran); the others at the page's quick
  // setting (`TrainConfig::quick`): optimizer, learning rate, input side, batch.
  lenet: { lr: 0.9, side: 28, batch: 256, optimizer: "sgd" },
  alexnet: { lr: 0.1, side: 67, batch: 32, optimizer: "sgd" },
  vgg: { lr: 0.05, side: 32, batch: 64, optimizer: "sgd" },
  nin: { lr: 0.001, side: 67, batch: 64, optimizer: "adam" },
  googlenet: { lr: 0.001, side: 32, batch: 64, optimizer: "adam" },
  "bn-lenet": { lr: 1.0, side: 28, batch: 256, optimizer: "sgd" },
  resnet: { lr: 0.05, side: 96, batch: 16, optimizer: "sgd" },
  densenet: { lr: 0.1, side: 32, batch: 64, optimizer: "sgd" },
};

/**
 * The nets an `--arch` flag names: `all` is LeNet and ResNet-18 (what the
 * recorded scripts mean by it), `eight` every net, else a comma list.
 */
export function archList(spec = "all") {
  const archs = spec === "all" ? ["lenet", "resnet"] : spec === "eight" ? Object.keys(NETS) : spec.split(",");
  const unknown = archs.filter((arch) => !NETS[arch]);
  if (unknown.length) throw new Error(`unknown arch ${unknown.join(",")}; accepted: all|eight|${Object.keys(NETS).join("|")}`);
  return archs;
}

/**
 * A benchmark's batch and timed steps for `arch` unless asked otherwise:
 * the net's batch; 10 steps, 3 for the nets the book trains at 224 px
 * (AlexNet, VGG, NiN: their steps are long on a software WebGPU).
 */
export function benchDefaults(arch) {
  return { batch: NETS[arch].batch, steps: ["alexnet", "vgg", "nin"].includes(arch) ? 3 : 10 };
}

/** Our worker's `TrainConfig` for `arch` at `batch`. */
export function oursConfig(arch, batch, gradNormsEvery = 0) {
  const net = NETS[arch];
  return {
    // Every other field of the net's config takes its default (the net as
    // the page trains it: VGG at ratio 4, ...); ResNet's stages spelled out
    // as the recorded benchmarks sent them (the default too).
    net: arch === "resnet" ? { arch: "resnet", stages: [[64, 2], [128, 2], [256, 2], [512, 2]] } : { arch },
    epochs: 1,
    lr: net.lr,
    batch_size: batch,
    resize: net.side,
    optimizer: net.optimizer,
    weight_decay: 0,
    seed: 0,
    train_limit: null,
    test_limit: null,
    // The gradient view: measured every N steps (0: off).
    grad_norms: gradNormsEvery > 0,
    grad_norms_every: Math.max(1, gradNormsEvery),
  };
}

/**
 * Runs one benchmark in our worker. `send(command)` posts a command;
 * `loadData(send)` makes the worker load Fashion-MNIST; the returned
 * `onReport` takes each report, and `done` resolves with the result (or
 * `{error}`). `mode`: "bench", "profile" or "trace".
 */
export function driveOurs({ send, loadData, arch, batch, steps, readback, backend, mode, gradNorms = 0 }) {
  let adapter = null;
  let trace = null;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  // "cpu-threads": the CPU backend in the threaded worker (the page's
  // choice on a cross-origin isolated page); "cpu": the single-threaded one.
  const onCpu = backend.startsWith("cpu");
  const common = () => ({
    engine: "ours",
    backend,
    adapter: adapter && adapter.WebGpu ? adapter.WebGpu.name : "cpu",
    threads: adapter && adapter.Cpu ? adapter.Cpu.threads : undefined,
    arch,
    batch,
  });
  const onReport = (report) => {
    switch (report.type) {
      case "ready":
        if (mode === "trace") send({ type: "trace" });
        send({ type: "choose_backend", choice: onCpu ? "cpu" : "webgpu" });
        break;
      case "trace":
        trace = JSON.parse(report.kernels);
        break;
      case "backend":
        adapter = report.backend;
        if (backend === "webgpu" && !adapter.WebGpu) {
          finish({ error: `no WebGPU: ${JSON.stringify(adapter)}` });
          return;
        }
        if (backend === "cpu-threads" && !(adapter.Cpu && adapter.Cpu.threads > 1)) {
          finish({ error: `no threads: ${JSON.stringify(adapter)}` });
          return;
        }
        loadData(send);
        break;
      case "data_ready":
        if (mode === "profile") send({ type: "profile", config: oursConfig(arch, batch), reps: steps });
        else send({ type: "bench", config: oursConfig(arch, batch, gradNorms), steps, readback_every: readback });
        break;
      case "profile":
        finish({ ...common(), mode, reps: steps, layers: report.layers });
        break;
      case "bench":
        finish({
          ...common(),
          readback_every: readback,
          steps,
          warmup_s: report.report.warmup_s,
          examples_per_s: report.report.examples_per_s,
          warmup_loss: report.report.warmup_loss,
          final_loss: report.report.final_loss,
          host_ms_per_step: report.report.host_ms_per_step,
          ...(trace ? { mode, kernels: trace } : {}),
        });
        break;
      case "data_failed":
      case "failed":
      case "panicked":
      case "device_lost":
        finish({ error: report.message });
        break;
    }
  };
  return { onReport, done };
}

/**
 * The first `count` images (scaled to [0, 1]) and labels of the unzipped
 * IDX files `images` and `labels`.
 */
export function idxExamples(images, labels, count) {
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

// The other six, as d2l (PyTorch edition) builds them, at input side `side`.
// Padding: TF's "same" where it gives PyTorch's output size (stride 1 with
// padding (k-1)/2; k7 s2 p3 and max pooling k3 s2 p1, whose "same" output
// is PyTorch's ceil(n/2) too, as in `resnet18`); an explicit
// `zeroPadding2d` before a "valid" layer where it does not (AlexNet's k11 s4 p1).

const bn = (tf) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
const conv2d = (tf, filters, kernelSize, { strides = 1, padding = "valid", activation } = {}) =>
  tf.layers.conv2d({ filters, kernelSize, strides, padding, ...(activation ? { activation } : {}), ...glorot });
const dense = (tf, units, activation) => tf.layers.dense({ units, ...(activation ? { activation } : {}), ...glorot });

function bnLenet(tf, side) {
  // d2l §7.5, the concise version: batch norm between each layer and its sigmoid.
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [side, side, 1] }));
  const normed = (layer) => [layer, bn(tf), tf.layers.activation({ activation: "sigmoid" })].forEach((l) => model.add(l));
  normed(conv2d(tf, 6, 5));
  model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  normed(conv2d(tf, 16, 5));
  model.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten());
  normed(dense(tf, 120));
  normed(dense(tf, 84));
  model.add(dense(tf, 10));
  return model;
}

function alexnet(tf, side) {
  // d2l §7.1.
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [side, side, 1] }));
  model.add(tf.layers.zeroPadding2d({ padding: 1 }));
  model.add(conv2d(tf, 96, 11, { strides: 4, activation: "relu" }));
  model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }));
  model.add(conv2d(tf, 256, 5, { padding: "same", activation: "relu" }));
  model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }));
  for (const filters of [384, 384, 256]) model.add(conv2d(tf, filters, 3, { padding: "same", activation: "relu" }));
  model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }));
  return withClassifier(tf, model);
}

/** AlexNet's and VGG's head, as the book writes it for both: two dense
 * layers of 4096 with dropout 0.5, then the ten classes. */
function withClassifier(tf, model) {
  model.add(tf.layers.flatten());
  for (let i = 0; i < 2; i++) {
    model.add(dense(tf, 4096, "relu"));
    model.add(tf.layers.dropout({ rate: 0.5 }));
  }
  model.add(dense(tf, 10));
  return model;
}

function vgg(tf, side, ratio = 4) {
  // d2l §7.2: VGG-11 with every convolution's width divided by `ratio`
  // (4: what the book trains and our default config); the dense layers keep 4096.
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [side, side, 1] }));
  for (const [numConvs, channels] of [[1, 64], [1, 128], [2, 256], [2, 512], [2, 512]]) {
    for (let i = 0; i < numConvs; i++) model.add(conv2d(tf, channels / ratio, 3, { padding: "same", activation: "relu" }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  }
  return withClassifier(tf, model);
}

function nin(tf, side) {
  // d2l §7.3: nin_block(out, k, s, p) = conv and two 1×1 convs, each with ReLU.
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [side, side, 1] }));
  const ninBlock = (channels, kernelSize, strides, padding) => {
    model.add(conv2d(tf, channels, kernelSize, { strides, padding, activation: "relu" }));
    model.add(conv2d(tf, channels, 1, { activation: "relu" }));
    model.add(conv2d(tf, channels, 1, { activation: "relu" }));
  };
  ninBlock(96, 11, 4, "valid");
  model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }));
  ninBlock(256, 5, 1, "same");
  model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }));
  ninBlock(384, 3, 1, "same");
  model.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  ninBlock(10, 3, 1, "same");
  model.add(tf.layers.globalAveragePooling2d({}));
  return model;
}

function googlenet(tf, side) {
  // d2l §7.4: b1, b2, three stages of Inception blocks, global pooling.
  const relu = { activation: "relu" };
  const maxPool = (strides) => tf.layers.maxPooling2d({ poolSize: 3, strides, padding: "same" });
  const inception = (x, c1, [c2a, c2b], [c3a, c3b], c4) => {
    const p1 = conv2d(tf, c1, 1, relu).apply(x);
    const p2 = conv2d(tf, c2b, 3, { padding: "same", ...relu }).apply(conv2d(tf, c2a, 1, relu).apply(x));
    const p3 = conv2d(tf, c3b, 5, { padding: "same", ...relu }).apply(conv2d(tf, c3a, 1, relu).apply(x));
    const p4 = conv2d(tf, c4, 1, relu).apply(maxPool(1).apply(x));
    return tf.layers.concatenate({ axis: -1 }).apply([p1, p2, p3, p4]);
  };
  const input = tf.input({ shape: [side, side, 1] });
  let x = conv2d(tf, 64, 7, { strides: 2, padding: "same", ...relu }).apply(input);
  x = maxPool(2).apply(x);
  x = conv2d(tf, 64, 1, relu).apply(x);
  x = conv2d(tf, 192, 3, { padding: "same", ...relu }).apply(x);
  x = maxPool(2).apply(x);
  x = inception(x, 64, [96, 128], [16, 32], 32);
  x = inception(x, 128, [128, 192], [32, 96], 64);
  x = maxPool(2).apply(x);
  x = inception(x, 192, [96, 208], [16, 48], 64);
  x = inception(x, 160, [112, 224], [24, 64], 64);
  x = inception(x, 128, [128, 256], [24, 64], 64);
  x = inception(x, 112, [144, 288], [32, 64], 64);
  x = inception(x, 256, [160, 320], [32, 128], 128);
  x = maxPool(2).apply(x);
  x = inception(x, 256, [160, 320], [32, 128], 128);
  x = inception(x, 384, [192, 384], [48, 128], 128);
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  return tf.model({ inputs: input, outputs: dense(tf, 10).apply(x) });
}

function densenet(tf, side) {
  // d2l §7.7: b1 as ResNet's, four dense blocks of four conv blocks (growth
  // 32) with transitions halving the channels between them.
  const reLU = (x) => tf.layers.reLU().apply(x);
  const convBlock = (x, channels) => conv2d(tf, channels, 3, { padding: "same" }).apply(reLU(bn(tf).apply(x)));
  const transition = (x, channels) =>
    tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }).apply(conv2d(tf, channels, 1).apply(reLU(bn(tf).apply(x))));
  const input = tf.input({ shape: [side, side, 1] });
  let x = reLU(bn(tf).apply(conv2d(tf, 64, 7, { strides: 2, padding: "same" }).apply(input)));
  x = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(x);
  let channels = 64;
  const growth = 32;
  const blocks = [4, 4, 4, 4];
  blocks.forEach((numConvs, i) => {
    for (let j = 0; j < numConvs; j++) x = tf.layers.concatenate({ axis: -1 }).apply([x, convBlock(x, growth)]);
    channels += numConvs * growth;
    if (i !== blocks.length - 1) {
      channels = Math.floor(channels / 2);
      x = transition(x, channels);
    }
  });
  x = tf.layers.globalAveragePooling2d({}).apply(reLU(bn(tf).apply(x)));
  return tf.model({ inputs: input, outputs: dense(tf, 10).apply(x) });
}

/** The TF.js model of `arch` for `side`×`side`×1 input. */
export function tfjsModel(tf, arch, side = NETS[arch].side) {
  const build = {
    lenet: () => lenet(tf),
    alexnet: () => alexnet(tf, side),
    vgg: () => vgg(tf, side),
    nin: () => nin(tf, side),
    googlenet: () => googlenet(tf, side),
    "bn-lenet": () => bnLenet(tf, side),
    resnet: () => resnet18(tf),
    densenet: () => densenet(tf, side),
  }[arch];
  if (!build) throw new Error(`no TF.js model for ${arch}`);
  if ((arch === "lenet" && side !== 28) || (arch === "resnet" && side !== 96)) throw new Error(`${arch} is built for side ${NETS[arch].side}`);
  return build();
}

/** How many distinct batches TF.js cycles through (`examples(count)` loads them). */
export const tfjsBatches = (steps) => Math.min(steps + 1, 5);

/**
 * Trains `arch` in TF.js (`tf`, its backend already set) for one warm-up
 * step and `steps` timed ones on `data` (from `idxExamples`), reading the
 * loss back every `readback` steps.
 */
export async function trainTfjs(tf, { arch, batch, steps, readback, data, now }) {
  const net = NETS[arch];
  const batches = tfjsBatches(steps);
  const model = tfjsModel(tf, arch);
  // Adam as ours (PyTorch's defaults: epsilon 1e-8, not TF.js's 1e-7).
  const optimizer = net.optimizer === "adam" ? tf.train.adam(net.lr, 0.9, 0.999, 1e-8) : tf.train.sgd(net.lr);
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
  let start = now();
  const first = step(0);
  await first.data();
  first.dispose();
  const warmup = (now() - start) / 1000;
  start = now();
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const value = step((i + 1) % batches);
    if ((i + 1) % readback === 0 || i + 1 === steps) loss = (await value.data())[0];
    value.dispose();
  }
  const seconds = (now() - start) / 1000;
  return {
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
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * One JSON line's worth for repeated runs of one setting (`results`, the
 * last maybe `{error}`): medians of the figures, each run's examples/sec.
 */
export function summarize(setting, results) {
  const ok = results.filter((r) => !r.error);
  const mid = (key, digits) => (ok.length && ok[0][key] !== undefined ? Number(median(ok.map((r) => r[key])).toFixed(digits)) : undefined);
  return {
    ...setting,
    examples_per_s: mid("examples_per_s", 2) ?? null,
    runs: ok.map((r) => Number(r.examples_per_s.toFixed(2))),
    // Each run's loss at its first and last step, unrounded (simd_parity.mjs).
    warmup_losses: ok.map((r) => r.warmup_loss),
    final_losses: ok.map((r) => r.final_loss),
    warmup_s: mid("warmup_s", 2) ?? null,
    host_ms_per_step: mid("host_ms_per_step", 1),
    adapter: ok[0]?.adapter,
    threads: ok[0]?.threads,
    error: results.find((r) => r.error)?.error,
  };
}
