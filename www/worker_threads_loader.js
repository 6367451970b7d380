// The CPU backend's worker on a cross-origin isolated page: the threaded
// build (scripts/build-threads.sh) where it was built and shared memory is
// allowed, the single-threaded worker otherwise. Either says, with its
// backend, how many threads it runs on and why only one.
let threaded = false;
if (self.crossOriginIsolated) {
  try {
    importScripts("./worker_threads.js");
    threaded = true;
  } catch (e) {
    console.warn("the threaded worker is missing; one thread:", e);
  }
}
if (threaded) {
  wasm_bindgen({ module_or_path: "./worker_threads_bg.wasm" });
} else {
  importScripts("./worker.js");
  wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
}
