// One thread of the CPU backend's pool (src/web/threads.rs): the threaded
// worker's own wasm, instantiated on the training worker's module and shared
// memory, running rayon's thread loop until the training worker ends.
self.__cnnpPoolThread = true;
importScripts("./worker_threads.js");
self.onmessage = async (event) => {
  const [module, memory] = event.data;
  self.onmessage = null;
  await wasm_bindgen({ module_or_path: module, memory });
  // Tells the training worker this thread runs: it waits for all of them
  // before it builds rayon's pool, which blocks until every thread takes
  // its place (a worker cannot start while its parent blocks).
  self.postMessage("ready");
  wasm_bindgen.run_pool_thread();
};
