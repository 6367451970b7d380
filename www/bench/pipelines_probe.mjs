// Times every compute pipeline and shader module Dawn creates in a Node
// process (Dawn compiles synchronously there, so the time is the
// compilation's): how the warm-up figures in BENCHMARKS.md were made.
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     node --import ./www/bench/pipelines_probe.mjs www/bench/node.mjs --child \
//     '{"engine":"ours","backend":"webgpu","arch":"lenet","batch":256,"steps":1,"readback":1}'
// Prints, on exit, the count and total time, then each pipeline's label
// and milliseconds, to stderr.
const { globals } = await import("webgpu");

const pipelines = [];
let shaderModuleMs = 0;
const createComputePipeline = globals.GPUDevice.prototype.createComputePipeline;
globals.GPUDevice.prototype.createComputePipeline = function (descriptor) {
  const start = performance.now();
  const pipeline = createComputePipeline.call(this, descriptor);
  pipelines.push([descriptor.label || "(no label)", performance.now() - start]);
  return pipeline;
};
const createShaderModule = globals.GPUDevice.prototype.createShaderModule;
globals.GPUDevice.prototype.createShaderModule = function (descriptor) {
  const start = performance.now();
  const module = createShaderModule.call(this, descriptor);
  shaderModuleMs += performance.now() - start;
  return module;
};

process.on("exit", () => {
  const total = pipelines.reduce((sum, [, ms]) => sum + ms, 0);
  console.error(JSON.stringify({ pipelines: pipelines.length, pipeline_ms: Math.round(total), shader_module_ms: Math.round(shaderModuleMs) }));
  for (const [label, ms] of pipelines) console.error(`${label} ${ms.toFixed(0)}`);
});
