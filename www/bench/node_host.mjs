// Our training worker's wasm (dist/worker_bg.wasm, as the page runs it) hosted
// in this Node process, for the scripts that drive it without a browser
// (node.mjs, quick.mjs). Its global scope is Node's: its messages to the page
// arrive at `postMessage`, the page's go to its `onmessage`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

/** Dawn's `navigator.gpu` (npm's `webgpu`) in this process, as a worker has it. */
export async function installWebGpu(dawnFlags = []) {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals);
  const navigator = { gpu: create(dawnFlags), userAgent: `Node.js ${process.version} (Dawn)` };
  Object.defineProperty(globalThis, "navigator", { value: navigator, configurable: true, writable: true });
  // wgpu finds `navigator.gpu` through the worker's global scope.
  globalThis.WorkerGlobalScope ??= class WorkerGlobalScope {};
  globalThis.self = globalThis;
}

// Fashion-MNIST's files by the slot `Command::UseFiles` carries each in
// (`web::fetch::FILE_SLOTS`).
const FILES = {
  test_labels_file: "t10k-labels-idx1-ubyte.gz",
  test_images_file: "t10k-images-idx3-ubyte.gz",
  train_labels_file: "train-labels-idx1-ubyte.gz",
  train_images_file: "train-images-idx3-ubyte.gz",
};

/**
 * Starts the worker from `dist`; `drive({send, loadData})` returns the
 * function that takes each report. `send(command)` posts a command,
 * `loadData()` hands the worker the four Fashion-MNIST files from `data`.
 */
export async function hostWorker({ dist, data, drive }) {
  const fileBuffer = (name) => {
    const bytes = readFileSync(join(data, name));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  };
  // As `web::channel` frames a message: its JSON, or {json, buffers} with
  // the bulk data in named slots.
  const send = (command, buffers = null) =>
    setTimeout(() => globalThis.onmessage({ data: buffers ? { json: JSON.stringify(command), buffers } : JSON.stringify(command) }));
  const loadData = () =>
    send({ type: "use_files" }, Object.fromEntries(Object.entries(FILES).map(([slot, name]) => [slot, fileBuffer(name)])));
  const onReport = drive({ send, loadData });
  globalThis.postMessage = (message) =>
    onReport(typeof message === "string" ? JSON.parse(message) : { ...JSON.parse(message.json), buffers: message.buffers });
  vm.runInThisContext(`${readFileSync(join(dist, "worker.js"), "utf8")}\n;globalThis.wasm_bindgen = wasm_bindgen;`);
  await globalThis.wasm_bindgen({ module_or_path: readFileSync(join(dist, "worker_bg.wasm")) });
}
