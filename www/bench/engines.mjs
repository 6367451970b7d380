// What the benchmark runs, shared by the page in Chromium (bench.js) and the
// Node harness on Dawn (node.mjs): our training worker driven through its
// protocol, and the same nets in TF.js with tf.layers.

export const NETS = {
  // The book's settings: learning rate, input side.
  lenet: { lr: 0.9, side: 28, batch: 256 },
  resnet: { lr: 0.05, side: 96, batch: 16 },
};

/** Our worker's `TrainConfig` for `arch` at `batch`. */
export function oursConfig(arch, batch, gradNormsEvery = 0) {
  const net = NETS[arch];
  return {
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
