// Tells the page when the browser takes the GPU device away (a driver
// reset, an unplugged GPU, device.destroy()). Burn does not watch
// GPUDevice.lost: without this, a run on a lost device would end with
// whatever cubecl makes of the failed work, or wait for it for ever.
// Wraps requestDevice so that every device Burn opens reports its loss to
// the page as a `device_lost` report (the worker's own protocol, as JSON).
// The devices are kept in `__cnnpDevices`, which lets a test lose one.
(function () {
  "use strict";
  const scope = globalThis;
  if (typeof scope.GPUAdapter === "undefined" || scope.__cnnpDeviceLostWatch) {
    return;
  }
  scope.__cnnpDeviceLostWatch = true;
  scope.__cnnpDevices = [];

  const requestDevice = scope.GPUAdapter.prototype.requestDevice;
  scope.GPUAdapter.prototype.requestDevice = function (descriptor) {
    return requestDevice.call(this, descriptor).then((device) => {
      scope.__cnnpDevices.push(device);
      device.lost.then((info) => {
        const message = info.message || String(info.reason);
        scope.postMessage(JSON.stringify({ type: "device_lost", message }));
      });
      return device;
    });
  };
})();
