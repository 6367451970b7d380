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

// Fashion-MNIST as `web::fetch::FILES` orders it.
const FILES = ["t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz"];

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
  const send = (command, buffers = []) =>
    setTimeout(() => globalThis.onmessage({ data: buffers.length ? [JSON.stringify(command), ...buffers] : JSON.stringify(command) }));
  const loadData = () => send({ type: "use_files" }, FILES.map(fileBuffer));
  const onReport = drive({ send, loadData });
  // A report with bulk data is an array of its JSON and its buffers.
  globalThis.postMessage = (message) =>
    onReport(Array.isArray(message) ? { ...JSON.parse(message[0]), buffers: message.slice(1) } : JSON.parse(message));
  vm.runInThisContext(`${readFileSync(join(dist, "worker.js"), "utf8")}\n;globalThis.wasm_bindgen = wasm_bindgen;`);
  await globalThis.wasm_bindgen({ module_or_path: readFileSync(join(dist, "worker_bg.wasm")) });
}
