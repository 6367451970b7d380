// temp: time pipeline creation in the first step
const { globals } = await import("webgpu");
const orig = globals.GPUDevice.prototype.createComputePipeline;
let total = 0, n = 0; const names = [];
globals.GPUDevice.prototype.createComputePipeline = function (d) {
  const t = performance.now(); const r = orig.call(this, d); const dt = performance.now() - t;
  total += dt; n++; names.push([d.label || '?', dt.toFixed(0)]);
  return r;
};
const origSm = globals.GPUDevice.prototype.createShaderModule;
let smTotal = 0;
globals.GPUDevice.prototype.createShaderModule = function (d) { const t = performance.now(); const r = origSm.call(this, d); smTotal += performance.now() - t; return r; };
process.on('exit', () => { console.error(JSON.stringify({pipelines: n, pipeline_ms: Math.round(total), shader_module_ms: Math.round(smTotal)})); for (const x of names) console.error(x.join(' ')); });
