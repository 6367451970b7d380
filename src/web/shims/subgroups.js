// Lets Burn's matmul kernels (so convolutions and linear layers) compile on
// WebGPU in Chromium. Remove when cubecl asks wgpu for the `subgroups`
// feature itself (tracel-ai/cubecl pull request 1619).
//
// cubecl's WGSL compiler writes `enable subgroups;` into every kernel that
// reads the subgroup size, but wgpu's WebGPU backend never asks the device
// for the `subgroups` feature, so the browser rejects those shaders
// ("extension 'subgroups' is not allowed") and cubecl panics. Two wraps fix
// it, both only where the adapter really has subgroups (the playground
// checks that first and uses the CPU backend otherwise):
//  (a) requestDevice asks for "subgroups" along with whatever else it asks;
//  (b) createShaderModule turns off the subgroup uniformity diagnostic in
//      kernels that enable subgroups: Chromium's uniformity analysis
//      otherwise rejects cubecl's subgroup matmuls.
// With (a) alone, a rejected kernel left garbage (-0.0) losses: the
// WebGPU-vs-CPU parity tests are what shows the pair works.
(function () {
  "use strict";
  const scope = globalThis;
  if (typeof scope.GPUAdapter === "undefined" || scope.__cnnpSubgroupsShim) {
    return;
  }
  scope.__cnnpSubgroupsShim = true;

  const requestDevice = scope.GPUAdapter.prototype.requestDevice;
  scope.GPUAdapter.prototype.requestDevice = function (descriptor) {
    const wanted = Object.assign({}, descriptor || {});
    if (this.features && this.features.has("subgroups")) {
      const features = new Set(wanted.requiredFeatures || []);
      features.add("subgroups");
      wanted.requiredFeatures = Array.from(features);
    }
    return requestDevice.call(this, wanted);
  };

  const createShaderModule = scope.GPUDevice.prototype.createShaderModule;
  const enable = "enable subgroups;";
  const quiet = "diagnostic(off, subgroup_uniformity);";
  scope.GPUDevice.prototype.createShaderModule = function (descriptor) {
    const code = descriptor && descriptor.code;
    if (typeof code === "string" && code.includes(enable) && !code.includes(quiet)) {
      descriptor = Object.assign({}, descriptor, { code: code.replace(enable, enable + "\n" + quiet) });
    }
    return createShaderModule.call(this, descriptor);
  };
})();
