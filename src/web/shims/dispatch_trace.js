// The benchmark page's kernel profile (`www/bench/bench.html?mode=trace`):
// on WebGPU in a browser there is no kernel profiler, so this asks the GPU
// for timestamps around every dispatch (Chromium's
// `chromium-experimental-timestamp-query-inside-passes`, there with
// --enable-unsafe-webgpu). Installed in the training worker before Burn
// opens its device: requestDevice then also asks for the two timestamp
// features, and each dispatch is bracketed by two timestamp writes, named
// by its pipeline's label (cubecl's kernel entry point).
// `await self.cnnpTraceReport()` sums the times per kernel over the
// dispatches made since the last report, as JSON.
(function () {
  "use strict";
  const scope = globalThis;
  if (typeof scope.GPUAdapter === "undefined" || scope.cnnpTraceReport) {
    return;
  }
  const FEATURES = ["timestamp-query", "chromium-experimental-timestamp-query-inside-passes"];
  const PER_SET = 4096; // WebGPU's most timestamps in one query set
  const MAX_SETS = 8; // two timestamps per dispatch: 16384 dispatches
  let device = null;
  let sets = [];
  let names = [];
  let current = null;

  const requestDevice = scope.GPUAdapter.prototype.requestDevice;
  scope.GPUAdapter.prototype.requestDevice = async function (descriptor) {
    const wanted = FEATURES.filter((f) => this.features.has(f));
    const requiredFeatures = [...new Set([...(descriptor?.requiredFeatures || []), ...wanted])];
    const opened = await requestDevice.call(this, { ...(descriptor || {}), requiredFeatures });
    if (wanted.length === FEATURES.length) {
      device = opened;
    }
    return opened;
  };
  const setPipeline = scope.GPUComputePassEncoder.prototype.setPipeline;
  scope.GPUComputePassEncoder.prototype.setPipeline = function (pipeline) {
    current = pipeline.label || "unlabelled";
    return setPipeline.call(this, pipeline);
  };
  const dispatch = scope.GPUComputePassEncoder.prototype.dispatchWorkgroups;
  scope.GPUComputePassEncoder.prototype.dispatchWorkgroups = function (...counts) {
    const index = names.length * 2;
    const set = Math.floor(index / PER_SET);
    if (!device || set >= MAX_SETS) {
      return dispatch.apply(this, counts);
    }
    while (sets.length <= set) sets.push(device.createQuerySet({ type: "timestamp", count: PER_SET }));
    names.push(current);
    this.writeTimestamp(sets[set], index % PER_SET);
    const result = dispatch.apply(this, counts);
    this.writeTimestamp(sets[set], (index % PER_SET) + 1);
    return result;
  };

  scope.cnnpTraceReport = async () => {
    const count = names.length * 2;
    const taken = names;
    names = [];
    if (!device || count === 0) return "[]";
    const resolved = device.createBuffer({ size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const readable = device.createBuffer({ size: count * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = device.createCommandEncoder();
    for (let start = 0; start < count; start += PER_SET) {
      encoder.resolveQuerySet(sets[start / PER_SET], 0, Math.min(PER_SET, count - start), resolved, start * 8);
    }
    encoder.copyBufferToBuffer(resolved, 0, readable, 0, count * 8);
    device.queue.submit([encoder.finish()]);
    await readable.mapAsync(GPUMapMode.READ);
    const stamps = new BigUint64Array(readable.getMappedRange().slice(0));
    readable.unmap();
    resolved.destroy();
    readable.destroy();
    const kernels = {};
    taken.forEach((label, i) => {
      const ms = Number(stamps[2 * i + 1] - stamps[2 * i]) / 1e6;
      // Hash suffixes tell variants apart; the rest names the kernel.
      const name = label.replace(/_[0-9a-f]{8}$/, "");
      const entry = (kernels[name] ||= { kernel: name, launches: 0, ms: 0 });
      entry.launches += 1;
      entry.ms += ms;
    });
    // The time from the first dispatch's start to the last one's end: what
    // the kernels do not fill of it went to everything else (the worker
    // feeding the queue, the browser passing it on, the readback).
    const span = Number(stamps[count - 1] - stamps[0]) / 1e6;
    const rows = Object.values(kernels).sort((a, b) => b.ms - a.ms);
    rows.push({ kernel: "(between dispatches)", launches: 0, ms: span - rows.reduce((sum, k) => sum + k.ms, 0) });
    return JSON.stringify(rows);
  };
})();
