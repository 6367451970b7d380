// The backends: WebGPU's kernels compiled before Train, WebGPU under the
// README's Content-Security-Policy, `auto` on a software WebGPU, and the
// CPU backend's threads on an isolated page and on one that is not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DIST, PLAYWRIGHT_DEFAULT, servedPlayground } from "./playground.mjs";
import { serve } from "./server.mjs";

const site = servedPlayground();

test("on WebGPU the kernels compile while the page waits, before Train is pressed", async () => {
  const playground = await site.open("?arch=lenet&train=1024&test=256&batch=256&epochs=1&backend=webgpu");
  const { page } = playground;
  await playground.waitForBackend("WebGPU");
  await page.waitForSelector(".kernels-ready", { timeout: 120_000 });
  console.log(`before Train: ${await page.textContent(".kernels-ready")}`);
  await playground.train();
  await page.waitForSelector(".prepared", { timeout: 120_000 });
  // The figure for BENCHMARKS.md: Train to the end of the first step.
  console.log(`after Train: ${await page.textContent(".prepared")}`);
  await playground.waitForDone();
  assert.match(await playground.bookLine(), /examples\/sec on WebGPU$/);
  // A new batch size is new kernels: compiled again, without a click.
  await playground.setField("batch", "128");
  await page.waitForSelector(".kernels-ready", { state: "detached", timeout: 10_000 });
  await page.waitForSelector(".kernels-ready", { timeout: 120_000 });
  await playground.close();
});

test("the page trains on WebGPU under the Content-Security-Policy the README gives hosts", async () => {
  const refused = [];
  const listenForRefusals = (page) =>
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
  const playground = await site.open("?arch=lenet&train=512&test=256&batch=64&epochs=1&backend=webgpu", PLAYWRIGHT_DEFAULT, {
    prepare: listenForRefusals,
  });
  const policy = playground.response.headers()["content-security-policy"];
  console.log(`policy: ${policy}`);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'; /, "served with the policy (no 'unsafe-eval')");
  // WebGPU needs the worker's shims: loaded as scripts, not evaluated.
  await playground.waitForBackend("WebGPU");
  await playground.trainToTheEnd();
  assert.match(await playground.bookLine(), /examples\/sec on WebGPU$/);
  assert.deepEqual(refused, [], "nothing refused by the policy");
  await playground.close();
});

test("on a software WebGPU, auto picks the CPU backend and says why", async () => {
  const playground = await site.open("?arch=bn-lenet&train=512&test=256&batch=64&epochs=1");
  await playground.waitForBackend("CPU");
  assert.match(await playground.badge(), /^CPU, \d+ threads? — WebGPU here is a software renderer \(google swiftshader\)/);
  await playground.trainToTheEnd();
  const line = await playground.bookLine();
  console.log(`book line: ${line}`);
  assert.match(line, /examples\/sec on CPU$/);
  await playground.close();
});

test("on a cross-origin isolated page the CPU backend runs on a thread per core; elsewhere on one, and says why", async () => {
  const query = "?arch=lenet&train=1024&test=256&batch=128&epochs=1&backend=cpu";
  const playground = await site.open(query);
  const { page } = playground;
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, "the test server sends COOP and COEP");
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await playground.waitForBackend("CPU");
  const threads = Number(await playground.threads());
  console.log(`isolated: ${await playground.badge()} (${cores} cores)`);
  // A thread per core, up to 8 (a one-core machine gets the one).
  assert.equal(threads, Math.max(1, Math.min(cores, 8)), "a thread per core");
  assert.match(await playground.badge(), new RegExp(`^CPU, ${threads} threads? — chosen`));
  const poolWorkers = page.workers().filter((w) => w.url().endsWith("/worker_thread.js")).length;
  assert.equal(poolWorkers, threads > 1 ? threads : 0, "the pool's workers run");
  await playground.trainToTheEnd();
  const line = await playground.bookLine();
  console.log(`on ${threads} threads: ${line}`);
  assert.match(line, /^loss [\d.]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on CPU$/);
  // The confusion matrix of the test images: ten rows, its diagonal over its
  // total is the test accuracy the book's line gives.
  const confusion = page.locator("details.confusion");
  const [correct, total] = [Number(await confusion.getAttribute("data-correct")), Number(await confusion.getAttribute("data-total"))];
  console.log(`confusion: ${await page.textContent(".confusion-total")}`);
  assert.equal(total, 256, "every test image counted once");
  assert.equal(await page.locator("details.confusion tbody tr").count(), 10);
  assert.equal((correct / total).toFixed(3), Number(/test acc ([\d.]+)/.exec(line)[1]).toFixed(3));
  // Switching to auto here (software WebGPU) ends on the CPU: the threaded worker again.
  await playground.chooseBackend("auto");
  await page.waitForFunction(() => /^CPU, \d+ threads? — WebGPU here is a software renderer/.test(document.querySelector(".badge")?.textContent), null, { timeout: 60_000 });
  await playground.close();

  // A host without the isolation headers: one thread, and the page says why.
  const plain = await serve(DIST, { isolated: false });
  try {
    const single = await site.open(query, PLAYWRIGHT_DEFAULT, { origin: plain.url });
    await single.waitForBackend("CPU");
    assert.equal(await single.threads(), "1");
    assert.match(await single.page.textContent(".threads-note"), /^The CPU backend runs on one thread: the page is not cross-origin isolated/);
    await single.trainToTheEnd();
    assert.match(await single.bookLine(), /examples\/sec on CPU$/);
    await single.close();
  } finally {
    await plain.close();
  }
});
