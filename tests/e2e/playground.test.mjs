// End-to-end: the built playground (dist/, from `trunk build --release`),
// served on 127.0.0.1 and driven in Debian's headless Chromium with WebGPU
// on SwiftShader. SwiftShader is slow: tiny subsets and batches only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { chromiumLaunchOptions } from "./chromium.mjs";
import { launchBare } from "./cdp.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const DIST = process.env.CNNP_DIST || join(ROOT, "dist");
const ARTIFACTS = join(ROOT, "test-artifacts");

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await serve(DIST);
  browser = await chromium.launch(chromiumLaunchOptions());
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query = "", viewport = { width: 1366, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.log(`console: ${message.text()}`);
  });
  await page.goto(`${server.url}/index.html${query}`);
  return page;
}

/** Output shapes of the top-level rows of the table on `page`. */
async function shapes(page) {
  return page.$$eval("table.layers tbody tr.row.top td.shape", (cells) => cells.map((c) => c.textContent));
}

// At each net's training size (VGG at ratio 4), rows the book's printing
// loop shows, 1-based, and the final [1, 10].
const BOOK_ROWS = {
  lenet: { 6: "[1, 16, 5, 5]", 7: "[1, 400]" },
  alexnet: { 13: "[1, 256, 5, 5]", 14: "[1, 6400]" },
  vgg: { 5: "[1, 128, 7, 7]", 6: "[1, 6272]" },
  nin: { 8: "[1, 10, 5, 5]", 10: "[1, 10]" },
  googlenet: { 1: "[1, 64, 24, 24]", 2: "[1, 192, 12, 12]", 3: "[1, 480, 6, 6]", 4: "[1, 832, 3, 3]", 5: "[1, 1024]" },
  "bn-lenet": { 9: "[1, 256]" },
  resnet: { 5: "[1, 512, 3, 3]", 7: "[1, 512]" },
  densenet: { 2: "[1, 192, 24, 24]", 8: "[1, 248, 3, 3]" },
};

test("the table is visible soon after load", async () => {
  const page = await open();
  const start = Date.now();
  await page.waitForSelector("table.layers tbody tr.row.top", { timeout: 30_000 });
  const ms = Date.now() - start;
  const sizes = server.sent.filter((s) => s.path.endsWith(".wasm") || s.path.endsWith(".js"));
  console.log(`table visible ${ms} ms after navigation; sent: ${JSON.stringify(sizes)}`);
  assert.deepEqual((await shapes(page)).at(-1), "[1, 10]");
  await page.close();
});

test("every net's table shows the book's shapes", async () => {
  const page = await open();
  await page.waitForSelector("table.layers tbody tr.row.top");
  for (const [arch, rows] of Object.entries(BOOK_ROWS)) {
    await page.click(`button.net-card[data-arch="${arch}"]`);
    await page.waitForFunction(
      (arch) => document.querySelector("button.net-card.selected")?.dataset.arch === arch,
      arch,
    );
    const got = await shapes(page);
    assert.equal(got.at(-1), "[1, 10]", `${arch}: final shape`);
    for (const [row, shape] of Object.entries(rows)) {
      assert.equal(got[row - 1], shape, `${arch}: row ${row}`);
    }
  }
  // A block row expands into its inner layers.
  await page.click('button.net-card[data-arch="googlenet"]');
  await page.click("table.layers tbody tr.row.top:nth-child(3) button.expand");
  assert.equal(await page.locator("table.layers tr.row.inner").count(), 3);
  await page.close();
});

test("an impossible input size names the layer that breaks", async () => {
  const page = await open("?arch=alexnet");
  await page.waitForSelector("table.layers");
  await page.fill('input[name="resize"]', "28");
  const error = await page.textContent(".table-error");
  assert.match(error, /MaxPool2d/);
  assert.match(error, /below 1/);
  // And Train refuses, saying why.
  assert.equal(await page.isDisabled('button[name="train"]'), true);
  await page.fill('input[name="resize"]', "224");
  await page.waitForSelector("table.layers");
  await page.close();
});

test("LeNet trains on WebGPU: the chart moves, the book's line shows, Stop stops", async () => {
  // SwiftShader is a software renderer, which `auto` would leave for the
  // CPU backend: ask for WebGPU.
  const page = await open("?arch=lenet&train=512&test=256&batch=64&epochs=2&backend=webgpu");
  await page.waitForSelector('.badge[data-backend="WebGPU"]', { timeout: 60_000 });
  const badge = await page.textContent(".badge");
  console.log(`backend: ${badge}`);
  assert.match(badge, /^WebGPU — /);
  // Long tasks on the page's thread while training: the worker does the work.
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: "longtask",
    });
  });
  const started = Date.now();
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.preparing, .progress", { timeout: 60_000 });
  await page.waitForFunction(() => Number(document.querySelector(".chart svg").dataset.points) >= 2, null, {
    timeout: 300_000,
  });
  const preparing = await page.textContent(".prepared").catch(() => "");
  console.log(`first plot points ${Date.now() - started} ms after Train; ${preparing}`);
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  const line = await page.textContent(".book-line");
  console.log(`book line: ${line}`);
  assert.match(line, /^loss \d+\.\d{3}, train acc \d\.\d{3}, test acc \d\.\d{3}, \d+\.\d examples\/sec on WebGPU$/);
  assert.equal(await page.locator("details.epochs li").count(), 2);
  const longTasks = await page.evaluate(() => window.__longTasks);
  console.log(`page long tasks while training: ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms`);
  await page.screenshot({ path: join(ARTIFACTS, "playground.png"), fullPage: true });

  // Again, longer, and stopped in the middle: what was there stays.
  await page.fill('input[name="epochs"]', "20");
  await page.click('button[name="train"]');
  await page.waitForFunction(() => Number(document.querySelector(".chart svg").dataset.points) >= 1, null, {
    timeout: 300_000,
  });
  await page.click('button[name="stop"]');
  await page.waitForSelector(".phase.done", { timeout: 120_000 });
  assert.match(await page.textContent(".phase.done"), /stopped in epoch/);
  assert.ok(Number(await page.getAttribute(".chart svg", "data-points")) >= 1, "the chart keeps its points");
  assert.equal(await page.isDisabled('button[name="train"]'), false, "Train is offered again");
  await page.close();
});

test("before the worker is up, Train says why it waits, then works", async () => {
  const page = await browser.newPage();
  // The page's wasm draws the form before the worker's 13 MB wasm listens
  // (on a slow link, seconds before): here the worker's wasm comes 3 s late.
  await page.route("**/worker_bg.wasm", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue();
  });
  await page.goto(`${server.url}/index.html?arch=lenet&train=256&test=128&batch=64&epochs=1&backend=cpu`, {
    waitUntil: "commit",
  });
  await page.waitForSelector('button[name="train"]');
  assert.equal(await page.isDisabled('button[name="train"]'), true, "Train waits for the worker");
  assert.match(await page.textContent(".waiting"), /Waiting for the training worker/);
  await page.click('button[name="train"]');
  await page.waitForSelector(".waiting", { state: "detached" });
  await page.waitForSelector(".phase.done", { timeout: 180_000 });
  assert.match(await page.textContent(".book-line"), /examples\/sec on CPU$/);
  await page.close();
});

test("before Train the page estimates the run's time; while training, the time left", async () => {
  // The book's ResNet-18 settings on the CPU: hours an epoch on this machine.
  const resnet = await open("?arch=resnet&backend=cpu");
  await resnet.waitForSelector(".estimate", { timeout: 120_000 });
  const estimate = await resnet.textContent(".estimate");
  console.log(`ResNet-18, book settings: ${estimate}`);
  assert.match(estimate, /^Estimated on CPU: about [\d.]+ (s|min|h) an epoch \(60000 training and 10000 test images\)/);
  assert.match(estimate, /long for a tab/);
  // ...so the page offers the quick setting, and one click takes it.
  assert.match(await resnet.textContent(".quick-offer"), /The quick setting trains ResNet-18 in minutes: \d+ training and \d+ test images at 32×32 px/);
  assert.equal(await resnet.getAttribute('button[name="book-setup"]', "aria-pressed"), "true");
  await resnet.click('button[name="use-quick"]');
  assert.equal(await resnet.getAttribute('button[name="quick-setup"]', "aria-pressed"), "true");
  assert.equal(await resnet.inputValue('input[name="resize"]'), "32");
  await resnet.waitForFunction(() => new URLSearchParams(location.search).get("setup") === "quick");
  // Its estimate comes from a new measurement, at the quick setting's size.
  await resnet.waitForFunction(
    () => {
      const training = /\((\d+) training/.exec(document.querySelector(".estimate")?.textContent ?? "");
      return training !== null && training[1] !== "60000";
    },
    null,
    { timeout: 120_000 },
  );
  console.log(`ResNet-18, quick setting: ${await resnet.textContent(".estimate")}`);
  assert.equal(await resnet.locator(".quick-offer").count(), 0, "no offer once the setting is quick");
  // The first progress of the quick setting shows within seconds of Train.
  const pressed = Date.now();
  await resnet.click('button[name="train"]');
  await resnet.waitForFunction(() => /batch [1-9]\d* of/.test(document.querySelector(".progress-label")?.textContent ?? ""), null, {
    timeout: 10_000,
  });
  console.log(`ResNet-18 quick setting: first progress ${Date.now() - pressed} ms after Train`);
  await resnet.click('button[name="stop"]');
  await resnet.waitForSelector(".phase.done", { timeout: 120_000 });
  // The book's settings stay one click away.
  await resnet.click('button[name="book-setup"]');
  assert.equal(await resnet.inputValue('input[name="resize"]'), "96");
  assert.equal(await resnet.inputValue('input[name="train"]'), "60000");
  await resnet.close();

  // LeNet on a subset: the estimate next to what the epoch took (printed
  // for BENCHMARKS.md, not asserted: speed is not a test).
  const page = await open("?arch=lenet&train=5120&test=1024&batch=256&epochs=1&backend=cpu");
  await page.waitForSelector(".estimate", { timeout: 120_000 });
  console.log(`LeNet, 5120 + 1024 images: ${await page.textContent(".estimate")}`);
  const started = Date.now();
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  console.log(`LeNet epoch took ${((Date.now() - started) / 1000).toFixed(1)} s from Train to done`);
  await page.close();
});

test("on WebGPU the kernels compile while the page waits, before Train is pressed", async () => {
  const page = await open("?arch=lenet&train=1024&test=256&batch=256&epochs=1&backend=webgpu");
  await page.waitForSelector('.badge[data-backend="WebGPU"]', { timeout: 60_000 });
  await page.waitForSelector(".kernels-ready", { timeout: 120_000 });
  console.log(`before Train: ${await page.textContent(".kernels-ready")}`);
  await page.click('button[name="train"]');
  await page.waitForSelector(".prepared", { timeout: 120_000 });
  // The figure for BENCHMARKS.md: Train to the end of the first step.
  console.log(`after Train: ${await page.textContent(".prepared")}`);
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.match(await page.textContent(".book-line"), /examples\/sec on WebGPU$/);
  // A new batch size is new kernels: compiled again, without a click.
  await page.fill('input[name="batch"]', "128");
  await page.waitForSelector(".kernels-ready", { state: "detached", timeout: 10_000 });
  await page.waitForSelector(".kernels-ready", { timeout: 120_000 });
  await page.close();
});

test("a lost GPU device says so, keeps what was shown, and the CPU backend takes over", async () => {
  const page = await open("?arch=lenet&train=512&test=256&batch=64&epochs=20&backend=webgpu");
  await page.waitForSelector('.badge[data-backend="WebGPU"]', { timeout: 60_000 });
  await page.click('button[name="train"]');
  await page.waitForFunction(() => Number(document.querySelector(".chart svg").dataset.points) >= 1, null, {
    timeout: 300_000,
  });
  const points = Number(await page.getAttribute(".chart svg", "data-points"));
  // What a driver reset does to a tab: the worker's device is lost.
  const workers = page.workers();
  assert.equal(workers.length, 1, "one training worker");
  await workers[0].evaluate(() => globalThis.__cnnpDevices.forEach((device) => device.destroy()));
  await page.waitForSelector(".phase.failed", { timeout: 60_000 });
  const message = await page.textContent(".phase.failed");
  console.log(`after the loss: ${message}`);
  assert.match(message, /the GPU device was lost/);
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  assert.equal(await page.inputValue('select[name="backend"]'), "cpu", "the form shows the backend now used");
  assert.ok(Number(await page.getAttribute(".chart svg", "data-points")) >= points, "the chart keeps its points");
  assert.equal((await shapes(page)).at(-1), "[1, 10]", "the table stays");
  await page.fill('input[name="epochs"]', "1");
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.match(await page.textContent(".book-line"), /examples\/sec on CPU$/);
  await page.close();
});

test("a batch too big for the tab's memory on the CPU is refused before training, with one that fits", async () => {
  // GoogLeNet at 224 px, batch 128: 4.7 GB of activations, past wasm32's
  // 4 GiB (the worker's wasm ran out of memory on it).
  const page = await open("?arch=googlenet&resize=224&batch=128&backend=cpu");
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  const problem = page.locator('p.form-problems[role="alert"]');
  await problem.waitFor({ timeout: 10_000 });
  const message = await problem.textContent();
  console.log(`refused: ${message}`);
  assert.match(message, /^batch 128 does not fit: a training step needs about [\d.]+ GiB of memory, more than the 4\.0 GiB a browser tab gives the CPU backend; a batch of at most (\d+) fits$/);
  assert.equal(await page.isDisabled('button[name="train"]'), true);
  const fits = /at most (\d+) fits/.exec(message)[1];
  await page.fill('input[name="batch"]', fits);
  await problem.waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(await page.isDisabled('button[name="train"]'), false, "a batch that fits can train");
  await page.close();
});

test("a worker that panics, traps or hangs is replaced: the page says so, keeps the chart, and trains again", async () => {
  const page = await open("?arch=lenet&train=512&test=256&batch=64&epochs=50&backend=cpu");
  // The watchdog's patience, shortened for the test (two minutes otherwise).
  await page.evaluate(() => (window.__cnnpWatchdogMs = 4000));
  const failures = [
    ["panic", /^training stopped: the training worker crashed: panicked at .*failing on purpose, as the test asked/],
    ["trap", /^training stopped: the training worker crashed \(.*unreachable.*: a WebAssembly trap, as when it runs out of memory\)/],
    ["hang", /^training stopped: the training worker stopped answering for \d+ s/],
  ];
  for (const [how, expected] of failures) {
    await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 120_000 });
    await page.click('button[name="train"]');
    await page.waitForFunction(() => Number(document.querySelector(".chart svg").dataset.points) >= 2, null, {
      timeout: 120_000,
    });
    const points = Number(await page.getAttribute(".chart svg", "data-points"));
    // The failure comes from inside the worker, between two steps.
    // (The training worker, not one of its CPU threads.)
    const worker = page.workers().filter((w) => /worker(_threads)?_loader\.js$/.test(w.url())).at(-1);
    await worker.evaluate((how) => setTimeout(() => self.onmessage({ data: JSON.stringify({ type: "fail_on_purpose", how }) })), how);
    await page.waitForSelector(".phase.failed", { timeout: 60_000 });
    const message = await page.textContent(".phase.failed");
    console.log(`after a ${how}: ${message}`);
    assert.match(message, expected);
    assert.match(message, /press Train to try again$/);
    assert.ok(Number(await page.getAttribute(".chart svg", "data-points")) >= points, "the chart keeps its points");
    assert.equal((await shapes(page)).at(-1), "[1, 10]", "the table stays");
  }
  // The new worker trains to the end.
  await page.fill('input[name="epochs"]', "1");
  await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 120_000 });
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.match(await page.textContent(".book-line"), /examples\/sec on CPU$/);
  await page.close();
});

test("a page that slept (a frozen tab, a suspended machine) does not take its worker for hung", async () => {
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  // The page's clocks (performance.now, timers) under the test's hand; the
  // worker's are its own.
  await page.clock.install();
  await page.goto(`${server.url}/index.html?arch=lenet&train=4096&test=256&batch=64&epochs=2&backend=cpu`);
  await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 120_000 });
  await page.click('button[name="train"]');
  const progress = () => page.textContent(".progress-label");
  await page.waitForFunction(() => /batch [1-9]\d* of/.test(document.querySelector(".progress-label")?.textContent ?? ""), null, { timeout: 60_000 });
  // Ten minutes pass at once for the page, as after a freeze or a
  // suspend: its watchdog's next tick comes late, with the worker's last
  // word ten minutes old; the worker itself was asleep, not hung.
  const before = await progress();
  await page.clock.fastForward("10:00");
  await page.waitForFunction((before) => document.querySelector(".progress-label")?.textContent !== before, before, { timeout: 30_000 });
  await page.waitForSelector(".phase.done, .phase.failed", { timeout: 300_000 });
  assert.equal(await page.locator(".phase.failed").count(), 0, await page.locator(".phase.failed").textContent().catch(() => ""));
  assert.match(await page.textContent(".book-line"), /examples\/sec on CPU$/);
  await page.close();
});

test("the page trains on WebGPU under the Content-Security-Policy the README gives hosts", async () => {
  const page = await browser.newPage();
  const refused = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  const response = await page.goto(`${server.url}/index.html?arch=lenet&train=512&test=256&batch=64&epochs=1&backend=webgpu`);
  const policy = response.headers()["content-security-policy"];
  console.log(`policy: ${policy}`);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'; /, "served with the policy (no 'unsafe-eval')");
  // WebGPU needs the worker's shims: loaded as scripts, not evaluated.
  await page.waitForSelector('.badge[data-backend="WebGPU"]', { timeout: 60_000 });
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.match(await page.textContent(".book-line"), /examples\/sec on WebGPU$/);
  assert.deepEqual(refused, [], "nothing refused by the policy");
  await page.close();
});

test("on a software WebGPU, auto picks the CPU backend and says why", async () => {
  const page = await open("?arch=bn-lenet&train=512&test=256&batch=64&epochs=1");
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  assert.match(await page.textContent(".badge"), /^CPU, \d+ threads? — WebGPU here is a software renderer \(google swiftshader\)/);
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  const line = await page.textContent(".book-line");
  console.log(`book line: ${line}`);
  assert.match(line, /examples\/sec on CPU$/);
  await page.close();
});

test("on a cross-origin isolated page the CPU backend runs on a thread per core; elsewhere on one, and says why", async () => {
  const query = "?arch=lenet&train=1024&test=256&batch=128&epochs=1&backend=cpu";
  const page = await open(query);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, "the test server sends COOP and COEP");
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  const threads = Number(await page.getAttribute(".badge", "data-threads"));
  console.log(`isolated: ${await page.textContent(".badge")} (${cores} cores)`);
  // A thread per core, up to 8 (a one-core machine gets the one).
  assert.equal(threads, Math.max(1, Math.min(cores, 8)), "a thread per core");
  assert.match(await page.textContent(".badge"), new RegExp(`^CPU, ${threads} threads? — chosen`));
  const poolWorkers = page.workers().filter((w) => w.url().endsWith("/worker_thread.js")).length;
  assert.equal(poolWorkers, threads > 1 ? threads : 0, "the pool's workers run");
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  const line = await page.textContent(".book-line");
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
  await page.selectOption('select[name="backend"]', "auto");
  await page.waitForFunction(() => /^CPU, \d+ threads? — WebGPU here is a software renderer/.test(document.querySelector(".badge")?.textContent), null, { timeout: 60_000 });
  await page.close();

  // A host without the isolation headers: one thread, and the page says why.
  const plain = await serve(DIST, { isolated: false });
  try {
    const single = await browser.newPage();
    await single.goto(`${plain.url}/index.html${query}`);
    await single.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
    assert.equal(await single.getAttribute(".badge", "data-threads"), "1");
    assert.match(await single.textContent(".threads-note"), /^The CPU backend runs on one thread: the page is not cross-origin isolated/);
    await single.click('button[name="train"]');
    await single.waitForSelector(".phase.done", { timeout: 300_000 });
    assert.match(await single.textContent(".book-line"), /examples\/sec on CPU$/);
    await single.close();
  } finally {
    await plain.close();
  }
});

test("the page fits a phone", async () => {
  const page = await open("", { width: 390, height: 844 });
  await page.waitForSelector("table.layers tbody tr.row.top");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await page.screenshot({ path: join(ARTIFACTS, "phone.png"), fullPage: true });
  await page.close();
});

test("a link restores a setup, and the URL follows the settings without a reload", async () => {
  const page = await open("?arch=resnet&lr=0.05&epochs=5&batch=128&resize=64");
  await page.waitForSelector("table.layers tbody tr.row.top");
  assert.equal(await page.getAttribute("button.net-card.selected", "data-arch"), "resnet");
  assert.equal(await page.inputValue('input[name="epochs"]'), "5");
  assert.equal(await page.inputValue('input[name="batch"]'), "128");
  assert.equal(await page.inputValue('input[name="resize"]'), "64");
  assert.equal((await shapes(page))[4], "[1, 512, 2, 2]", "ResNet at 64");
  await page.evaluate(() => (window.__sameDocument = true));
  await page.fill('input[name="epochs"]', "7");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("epochs") === "7");
  await page.click('button.net-card[data-arch="densenet"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get("arch") === "densenet");
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "no reload");
  await page.close();
});

test("a malformed parameter shows a notice naming it, and the defaults stand", async () => {
  const page = await open("?arch=squeezenet&lr=abc&epochs=5&colour=blue");
  await page.waitForSelector("table.layers tbody tr.row.top");
  const notice = await page.textContent(".notice");
  assert.match(notice, /arch=squeezenet ignored/);
  assert.match(notice, /lr=abc ignored/);
  assert.match(notice, /unknown parameter 'colour'/);
  assert.equal(await page.getAttribute("button.net-card.selected", "data-arch"), "lenet");
  assert.equal(await page.inputValue('input[name="lr"]'), "0.9", "the book's LeNet learning rate");
  assert.equal(await page.inputValue('input[name="epochs"]'), "5", "good values still apply");
  await page.close();
});

test("a run's worker memory stays flat epoch to epoch, and twenty start/stop cycles leave no growth and nothing stuck", async () => {
  const page = await open("?arch=lenet&train=4096&test=512&batch=128&epochs=3&backend=cpu");
  await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 120_000 });
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  await page.waitForSelector(".epochs li:nth-child(3)[data-worker-memory]", { state: "attached", timeout: 10_000 });
  const perEpoch = await page.$$eval(".epochs li", (items) => items.map((li) => Number(li.dataset.workerMemory)));
  const speeds = await page.$$eval(".epochs li", (items) => items.map((li) => Number(/([\d.]+) examples\/sec/.exec(li.textContent)[1])));
  console.log(`worker memory after each epoch: ${perEpoch.join(", ")} bytes; examples/sec: ${speeds.join(", ")}`);
  assert.equal(perEpoch.length, 3);
  assert.ok(perEpoch[2] <= perEpoch[0] * 1.05, `memory grew from ${perEpoch[0]} to ${perEpoch[2]} bytes`);
  // Start and stop twenty times, switching nets between runs (the picker
  // is locked during one): each stop ends its run, and memory stops growing.
  const afterCycle = [];
  for (let cycle = 1; cycle <= 20; cycle++) {
    await page.click(`button.net-card[data-arch="${cycle % 2 ? "bn-lenet" : "lenet"}"]`);
    await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 60_000 });
    await page.click('button[name="train"]');
    await page.waitForFunction(() => /batch [1-9]\d* of/.test(document.querySelector(".progress-label")?.textContent ?? ""), null, {
      timeout: 60_000,
    });
    // Mid-run, what would change the net is visibly off.
    if (cycle === 1) {
      assert.equal(await page.isDisabled('button.net-card[data-arch="lenet"]'), true);
      assert.equal(await page.isDisabled('table.runs button[name="run-again"] >> nth=0'), true);
    }
    await page.click('button[name="stop"]');
    await page.waitForSelector(".phase.done", { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector(".status")?.dataset.workerMemory, null, { timeout: 10_000 });
    afterCycle.push(Number(await page.getAttribute(".status", "data-worker-memory")));
  }
  console.log(`worker memory after start/stop cycles 1, 5, 10, 20: ${[0, 4, 9, 19].map((i) => afterCycle[i]).join(", ")} bytes`);
  assert.ok(afterCycle[19] <= afterCycle[4] * 1.05, `memory grew from ${afterCycle[4]} to ${afterCycle[19]} bytes over cycles 5-20`);
  await page.close();
});

test("on WebGPU a run's worker memory and the bytes Burn holds on the GPU stay flat epoch to epoch", async () => {
  const page = await open("?arch=lenet&train=2048&test=256&batch=128&epochs=3&backend=webgpu");
  await page.waitForSelector('.badge[data-backend="WebGPU"]', { timeout: 60_000 });
  await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 120_000 });
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 600_000 });
  await page.waitForSelector(".epochs li:nth-child(3)[data-device-memory]", { state: "attached", timeout: 10_000 });
  const read = (key) => page.$$eval(".epochs li", (items, key) => items.map((li) => Number(li.dataset[key])), key);
  const wasm = await read("workerMemory");
  const gpu = await read("deviceMemory");
  console.log(`WebGPU, after each epoch: worker memory ${wasm.join(", ")} bytes; on the GPU ${gpu.join(", ")} bytes`);
  assert.equal(gpu.length, 3);
  assert.ok(gpu[0] > 0, "Burn holds the net on the GPU");
  assert.ok(gpu[2] <= gpu[0] * 1.05, `GPU bytes grew from ${gpu[0]} to ${gpu[2]}`);
  assert.ok(wasm[2] <= wasm[0] * 1.05, `worker memory grew from ${wasm[0]} to ${wasm[2]}`);
  await page.close();
});

test("a hidden tab trains on, and the chart has every point when the tab returns", async () => {
  // Playwright keeps its pages visible; a bare Chromium hides a tab behind another.
  const chrome = await launchBare(`${server.url}/index.html?arch=lenet&train=8192&test=512&batch=128&epochs=3&backend=cpu`);
  const { tab } = chrome;
  try {
    await tab.waitFor(`document.querySelector('button[name="train"]:not([disabled])')`, 120_000);
    await tab.evaluate(`window.__visibility = []; document.addEventListener("visibilitychange", () => __visibility.push(document.visibilityState)); true`);
    await tab.evaluate(`document.querySelector('button[name="train"]').click(), true`);
    await tab.waitFor(`document.querySelectorAll(".epochs li").length >= 1`, 300_000);
    const other = await chrome.openTabInFront("about:blank");
    await tab.waitFor(`document.visibilityState === "hidden"`, 10_000);
    const pointsAtHide = await tab.evaluate(`Number(document.querySelector(".chart svg").dataset.points)`);
    const epochsAtHide = await tab.evaluate(`document.querySelectorAll(".epochs li").length`);
    assert.ok(epochsAtHide < 3, "the run was still going when the tab was hidden");
    // Done while nobody looks.
    await tab.waitFor(`document.querySelector(".phase.done")`, 300_000);
    assert.equal(await tab.evaluate("document.visibilityState"), "hidden", "the tab stayed behind the other all run");
    const pointsAtDone = await tab.evaluate(`Number(document.querySelector(".chart svg").dataset.points)`);
    const speeds = await tab.evaluate(
      `[...document.querySelectorAll(".epochs li")].map((li) => Number(/([\\d.]+) examples\\/sec/.exec(li.textContent)[1]))`,
    );
    console.log(`hidden after epoch ${epochsAtHide} with ${pointsAtHide} points; done hidden with ${pointsAtDone}; examples/sec per epoch: ${speeds.join(", ")}`);
    assert.equal(speeds.length, 3);
    assert.ok(pointsAtDone > pointsAtHide, "points were added while hidden");
    for (const hiddenSpeed of speeds.slice(epochsAtHide)) {
      assert.ok(hiddenSpeed >= 0.5 * speeds[0], `a hidden epoch ran at ${hiddenSpeed} examples/sec, the visible one at ${speeds[0]}`);
    }
    await chrome.closeTab(other);
    await chrome.bringToFront(tab.targetId);
    await tab.waitFor(`document.visibilityState === "visible"`, 10_000);
    assert.deepEqual(await tab.evaluate("__visibility"), ["hidden", "visible"]);
    // The chart drawn on return holds every point the run made.
    assert.equal(await tab.evaluate(`Number(document.querySelector(".chart svg").dataset.points)`), pointsAtDone);
    assert.equal(await tab.evaluate(`document.querySelectorAll(".chart svg path, .chart svg polyline").length > 0`), true);
    assert.match(await tab.evaluate(`document.querySelector(".book-line").textContent`), /examples\/sec on CPU$/);
    await writeFile(join(ARTIFACTS, "hidden-tab-returned.png"), await tab.screenshot());
  } finally {
    await chrome.close();
  }
});

test("two playgrounds on one course page train at once, each with its own worker", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const frame = (arch) =>
    `<iframe class="cnnp" style="width:680px;height:900px" src="${server.url}/index.html?embed=1&hide=arch&arch=${arch}&train=2048&test=512&batch=128&epochs=2&backend=cpu"></iframe>`;
  await page.setContent(`<!doctype html><body style="display:flex">${frame("lenet")}${frame("bn-lenet")}</body>`);
  const frames = [0, 1].map((index) => page.frameLocator("iframe.cnnp").nth(index));
  for (const frame of frames) {
    await frame.locator('button[name="train"]:not([disabled])').waitFor({ timeout: 120_000 });
  }
  for (const frame of frames) await frame.locator('button[name="train"]').click();
  // Both make progress while the other runs (neither waits for the other).
  for (const frame of frames) {
    await frame.locator(".progress-label").filter({ hasText: /epoch 1 of 2: batch [1-9]/ }).waitFor({ timeout: 120_000 });
  }
  for (const frame of frames) {
    await frame.locator(".phase.done").waitFor({ timeout: 300_000 });
    const line = await frame.locator(".book-line").textContent();
    console.log(`two at once: ${line}`);
    assert.match(line, /^loss [\d.]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on CPU$/);
  }
  await page.close();
});

test("the course page embeds two playgrounds, each with its net's table", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${server.url}/www/embed.html`);
  const frames = page.locator("iframe.cnnp");
  assert.equal(await frames.count(), 2);
  const titles = [];
  for (const index of [0, 1]) {
    const frame = page.frameLocator("iframe.cnnp").nth(index);
    await frame.locator("table.layers tbody tr.row.top").first().waitFor({ timeout: 30_000 });
    titles.push((await frame.locator("#net-title").textContent()).trim());
    assert.equal(await frame.locator("button.net-card").count(), 0, "hide=arch hides the picker");
    assert.equal(await frame.locator("header.site-header").count(), 0, "no site chrome");
    assert.match(await frame.locator("a.open-full").getAttribute("href"), /^\.\/\?arch=/);
    assert.equal(await frame.locator("table.layers tbody tr.row.top td.shape").last().textContent(), "[1, 10]");
  }
  assert.match(titles[0], /^LeNet/);
  assert.match(titles[1], /^LeNet \+ BatchNorm/);
  // Each playground told the page its height, and its frame took it.
  await page.waitForFunction(() => [...document.querySelectorAll("iframe.cnnp")].every((f) => f.style.height && f.style.height !== "900px"));
  await page.screenshot({ path: join(ARTIFACTS, "embed.png"), fullPage: true });
  await page.close();
});

/** The probabilities shown for the chosen picture: ten, and their sum. */
async function probabilities(page) {
  const values = await page.$$eval(".chosen .probabilities li", (items) => items.map((li) => Number(li.dataset.p)));
  return { count: values.length, sum: values.reduce((a, b) => a + b, 0) };
}

test("inside the net: a row's maps and filters, predictions, the confusion matrix's cells, one's own picture", async () => {
  const page = await open("?arch=lenet&train=20000&test=256&batch=32&epochs=1&backend=cpu", { width: 1366, height: 1000 });
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  const fixtures = join(import.meta.dirname, "fixtures");

  // Before training: the first convolution's six 28×28 maps and its six
  // 5×5 filters, from random weights.
  await page.click('table.layers tr[data-row="1"]');
  const conv = '.layer-view[data-row="1"][data-shape="[1, 6, 28, 28]"]';
  await page.waitForSelector(`${conv} .maps canvas`, { timeout: 120_000 });
  assert.equal(await page.locator(`${conv} .maps canvas[data-width="28"][data-height="28"]`).count(), 6);
  assert.equal(await page.locator(`${conv} .filters canvas[data-width="5"]`).count(), 6);
  assert.match(await page.textContent(".chosen .weights"), /untrained/);
  let p = await probabilities(page);
  assert.equal(p.count, 10);
  assert.ok(Math.abs(p.sum - 1) < 1e-3, `probabilities sum to ${p.sum}`);
  // The test images, to pick from, before any prediction.
  await page.waitForSelector(".gallery .thumb[data-index] canvas");

  // Paused within an epoch, then stopped: the gallery shows what the
  // weights of that moment predict.
  await page.click('button[name="train"]');
  await page.waitForFunction(() => Number(document.querySelector(".chart svg")?.dataset.points) >= 1, null, { timeout: 120_000 });
  await page.click('button[name="pause"]');
  await page.waitForFunction(() => /^When paused at epoch 1, step \d+ of 625: true class over predicted class \(256 images\)/.test(document.querySelector(".gallery-title")?.textContent), null, { timeout: 60_000 });
  await page.click('button[name="stop"]');
  await page.waitForSelector(".phase.done", { timeout: 60_000 });
  await page.waitForFunction(() => /^When stopped at epoch 1, step \d+ of 625/.test(document.querySelector(".gallery-title")?.textContent), null, { timeout: 60_000 });
  assert.match(await page.textContent(".chosen .weights"), /stopped before its first epoch ended/);

  // A whole (short) epoch.
  await page.fill('input[name="train"]', "1024");
  await page.fill('input[name="batch"]', "128");
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  // The matrix, and the book's true/predicted gallery of the same images.
  await page.waitForSelector("details.confusion");
  await page.waitForFunction(() => document.querySelectorAll(".gallery .thumb[data-index] canvas").length === 16, null, { timeout: 60_000 });
  assert.match(await page.textContent(".gallery-title"), /^After epoch 1: true class over predicted class \(256 images\)/);
  assert.match(await page.textContent(".chosen .weights"), /trained 1 epoch/);
  await page.check('input[name="mistakes-only"]');
  await page.waitForFunction(() => [...document.querySelectorAll(".gallery .thumb")].every((t) => t.classList.contains("wrong")));
  const mistakes = Number(/\((\d+) images, mistakes only\)/.exec(await page.textContent(".gallery-title"))[1]);
  const total = Number(await page.getAttribute("details.confusion", "data-total"));
  const correct = Number(await page.getAttribute("details.confusion", "data-correct"));
  assert.equal(mistakes, total - correct, "the mistakes are the matrix's off-diagonal");
  // A cell of the matrix: its images.
  const cell = await page.$$eval("details.confusion td.cell", (cells) => {
    const best = cells.filter((c) => Number(c.textContent) > 0).sort((a, b) => Number(b.textContent) - Number(a.textContent))[0];
    return { id: best.dataset.cell, count: Number(best.textContent) };
  });
  await page.click(`details.confusion td[data-cell="${cell.id}"]`);
  await page.waitForFunction((n) => document.querySelector(".gallery-title").textContent.includes(` ${n} `), cell.count);
  await page.waitForFunction((n) => document.querySelectorAll(".gallery .thumb[data-index] canvas").length === n, Math.min(16, cell.count));
  await page.screenshot({ path: join(ARTIFACTS, "inside-predictions.png"), fullPage: true });

  // One's own picture: a dark shirt on white, inverted, ten probabilities.
  await page.setInputFiles('input[name="own-picture"]', join(fixtures, "shirt.png"));
  await page.waitForFunction(() => document.querySelector(".chosen-head strong")?.textContent === "shirt.png" && document.querySelector(".chosen .probabilities"));
  p = await probabilities(page);
  assert.equal(p.count, 10);
  assert.ok(Math.abs(p.sum - 1) < 1e-3, `probabilities sum to ${p.sum}`);
  assert.match(await page.textContent(".picture-note"), /inverted/);
  // The maps follow the picture.
  await page.waitForSelector(`${conv} .maps canvas`);
  await page.screenshot({ path: join(ARTIFACTS, "inside-own-picture.png"), fullPage: true });
  // A file that is not a picture, and a blank picture: a message; the shirt stays.
  await page.setInputFiles('input[name="own-picture"]', { name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
  await page.waitForFunction(() => /notes\.png is not a picture/.test(document.querySelector(".own .inside-problem")?.textContent));
  // A 10000×10000 picture in a 12 kB file: refused from its header, before decoding.
  await page.setInputFiles('input[name="own-picture"]', join(fixtures, "huge.png"));
  await page.waitForFunction(() => /huge\.png is 10000×10000: pictures up to 50 megapixels/.test(document.querySelector(".own .inside-problem")?.textContent));
  await page.setInputFiles('input[name="own-picture"]', join(fixtures, "blank.png"));
  await page.waitForFunction(() => /blank\.png: the picture is empty/.test(document.querySelector(".own .inside-problem")?.textContent));
  assert.equal(await page.textContent(".chosen-head strong"), "shirt.png");

  // A stroke drawn with the pointer is classified.
  await page.locator("canvas.drawing").scrollIntoViewIfNeeded(); const pad = await page.locator("canvas.drawing").boundingBox();
  await page.mouse.move(pad.x + 40, pad.y + 30);
  await page.mouse.down();
  for (const [x, y] of [[60, 80], [84, 140], [110, 80], [130, 30]]) await page.mouse.move(pad.x + x, pad.y + y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector(".chosen-head strong")?.textContent === "your drawing" && document.querySelector(".chosen .probabilities"));
  p = await probabilities(page);
  assert.equal(p.count, 10);
  assert.ok(Math.abs(p.sum - 1) < 1e-3, `probabilities sum to ${p.sum}`);
  console.log(`drawing classified as ${await page.getAttribute(".chosen .probabilities", "data-predicted")}`);

  // A flat row shows bars; the last row the logits.
  await page.click('table.layers tr[data-row="12"]');
  await page.waitForSelector('.layer-view[data-row="12"][data-shape="[1, 10]"] canvas.bitmap[data-width="10"]');
  assert.match(await page.textContent(".layer-view .range"), /the logits/);
  await page.click('table.layers tr[data-row="1"]');
  await page.waitForSelector(`${conv} .maps canvas`);
  await page.screenshot({ path: join(ARTIFACTS, "inside-feature-maps.png"), fullPage: true });
  await page.locator("section.inside").screenshot({ path: join(ARTIFACTS, "inside.png") });
  await page.close();
});

test("weights: saved in the page, loaded back with the same test accuracy, trained on; the book's trained LeNet; a missing ?weights= file", async () => {
  const query = "?arch=bn-lenet&train=2048&test=500&batch=128&epochs=1&backend=cpu";
  const page = await open(query);
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  const trained = /test acc ([\d.]+)/.exec(await page.textContent(".book-line"))[1];
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[name="save-weights"]')]);
  assert.equal(download.suggestedFilename(), "bn-lenet-28px.safetensors");
  const saved = join(ARTIFACTS, "bn-lenet-28px.safetensors");
  await download.saveAs(saved);
  await page.close();

  // A new page: the file loads, and gives the test accuracy the run ended with.
  const again = await open(query);
  await again.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  await again.setInputFiles('input[name="load-weights"]', saved);
  await again.waitForFunction(() => /^loaded bn-lenet-28px\.safetensors/.test(document.querySelector(".weights-note")?.textContent), null, { timeout: 120_000 });
  const note = await again.textContent(".weights-note");
  console.log(note);
  assert.match(note, /\(LeNet \+ BatchNorm \(d2l §7\.5\), 28×28, trained 1 epoch\)/);
  assert.equal(/test acc ([\d.]+) on 500 test images/.exec(note)[1], trained, "the same test accuracy");
  // Train on from them.
  await again.check('input[name="from-weights"]');
  await again.click('button[name="train"]');
  await again.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.match(await again.textContent(".book-line"), /examples\/sec on CPU$/);
  // A file of another net: the page shows the file's net, and says so.
  await again.click('button.net-card[data-arch="lenet"]');
  await again.setInputFiles('input[name="load-weights"]', saved);
  await again.waitForFunction(() => /; the page now shows the file's net, LeNet \+ BatchNorm at 28×28 \(it showed LeNet at 28×28\)$/.test(document.querySelector(".weights-note")?.textContent), null, { timeout: 120_000 });
  assert.equal(await again.getAttribute("button.net-card.selected", "data-arch"), "bn-lenet");
  assert.equal((await shapes(again))[8], "[1, 256]", "BN-LeNet's table");
  // An edited net's file (cnnp train --arch lenet --edit act-relu~pool-max
  // --save): the editor shows its edits, and training goes on from it.
  await again.click('button.net-card[data-arch="lenet"]');
  await again.setInputFiles('input[name="load-weights"]', join(import.meta.dirname, "fixtures", "lenet-relu-max.safetensors"));
  await again.waitForFunction(() => /^loaded lenet-relu-max\.safetensors \(LeNet \(edited\) \(d2l §6\.6\), 28×28, trained 1 epoch\): test acc [\d.]+ on 10000 test images; the page now shows the file's net, LeNet \(edited\) at 28×28 \(it showed LeNet at 28×28\)$/.test(document.querySelector(".weights-note")?.textContent), null, { timeout: 120_000 });
  console.log(await again.textContent(".weights-note"));
  assert.equal(await again.inputValue('select[name="act"]'), "relu");
  assert.equal(await again.inputValue('select[name="pool"]'), "max");
  assert.match(again.url(), /edit=act-relu~pool-max/);
  assert.equal(await again.textContent(".net-changes"), "Changed from the book's: activation sigmoid → relu; pooling avg → max");
  await again.fill('input[name="train"]', "512");
  await again.fill('input[name="test"]', "256");
  await again.fill('input[name="epochs"]', "1");
  await again.check('input[name="from-weights"]');
  await again.click('button[name="train"]');
  await again.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.match(await again.textContent(".book-line"), /examples\/sec on CPU$/);
  // The book's trained LeNet, shipped with the page.
  await again.click('button[name="book-weights"]');
  await again.waitForFunction(() => /^loaded lenet\.safetensors \(LeNet \(d2l §6\.6\), 28×28, trained 10 epochs\): test acc 0\.[6-9]/.test(document.querySelector(".weights-note")?.textContent), null, { timeout: 120_000 });
  console.log(await again.textContent(".weights-note"));
  await again.screenshot({ path: join(ARTIFACTS, "weights.png"), fullPage: true });
  await again.close();

  // ?weights= naming a file that is not there: a message; the page works on.
  const missing = await open("?arch=lenet&weights=assets/weights/missing.safetensors&backend=cpu");
  await missing.waitForFunction(() => /missing\.safetensors: not found \(HTTP 404\)/.test(document.querySelector(".weights-problem")?.textContent), null, { timeout: 60_000 });
  await missing.waitForSelector('button[name="train"]:not([disabled])', { timeout: 60_000 });
  await missing.close();
});

test("run history: runs kept over a reload, compared on one chart, renamed, exported, run again, deleted; without storage the page trains on", async () => {
  const page = await open("?arch=bn-lenet&train=512&test=128&batch=64&epochs=2&backend=cpu");
  const trainOnce = async () => {
    await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
    await page.click('button[name="train"]');
    await page.waitForSelector(".phase.done", { timeout: 300_000 });
  };
  await trainOnce();
  // The same site, another net: the same browser storage.
  await page.goto(`${server.url}/index.html?arch=lenet&train=512&test=128&batch=64&epochs=2&backend=cpu`);
  await trainOnce();
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("table.runs tbody tr").length === 2, null, { timeout: 30_000 });
  const names = await page.$$eval("table.runs input.run-name", (inputs) => inputs.map((i) => i.value));
  assert.deepEqual(names, ["LeNet #1", "LeNet + BatchNorm #1"], "newest first");
  // Both ticked: one chart, two legend entries.
  for (const box of await page.$$('table.runs input[name="compare"]')) await box.check();
  await page.waitForSelector('figure.compare[data-runs="2"]');
  assert.equal(await page.locator("figure.compare .legend-entry").count(), 2);
  assert.equal(await page.locator("figure.compare svg path").count(), 4, "test accuracy and loss for each");
  await page.locator("section.history").screenshot({ path: join(ARTIFACTS, "history.png") });
  // Renamed, and still so after a reload.
  await page.fill("table.runs tbody tr:first-child input.run-name", "sigmoid LeNet");
  await page.press("table.runs tbody tr:first-child input.run-name", "Enter");
  await page.locator("table.runs tbody tr:first-child input.run-name").blur();
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForFunction(() => document.querySelector("table.runs tbody tr:first-child input.run-name")?.value === "sigmoid LeNet", null, { timeout: 30_000 });
  // Exported as CSV: a line per epoch.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click('button[name="export-csv"]')]);
  const lines = (await readFile(await csv.path(), "utf8")).trim().split("\n");
  assert.equal(lines.length, 1 + 4, "a header and two epochs for each run");
  assert.match(lines[1], /"(sigmoid LeNet|LeNet \+ BatchNorm #1)",(lenet|bn-lenet),28,64,/);
  // Run again fills the form; delete takes the run away for good.
  await page.click('table.runs tbody tr:last-child button[name="run-again"]');
  await page.waitForFunction(() => document.querySelector("button.net-card.selected")?.dataset.arch === "bn-lenet");
  assert.equal(await page.inputValue('input[name="train"]'), "512");
  await page.click('table.runs tbody tr:last-child button[name="delete-run"]');
  await page.waitForFunction(() => document.querySelectorAll("table.runs tbody tr").length === 1);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("table.runs tbody tr").length === 1, null, { timeout: 30_000 });
  // A reload mid-run: the run is listed as cut off, not as still running.
  await page.fill('input[name="epochs"]', "50");
  await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 60_000 });
  await page.click('button[name="train"]');
  await page.waitForFunction(() => /batch [1-9]\d* of/.test(document.querySelector(".progress-label")?.textContent ?? ""), null, { timeout: 60_000 });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll("table.runs tbody tr").length === 2, null, { timeout: 30_000 });
  assert.equal(await page.textContent("table.runs tbody tr:first-child td:nth-child(8)"), "interrupted: its page was closed or reloaded");
  // That sentence wraps: the row's buttons stay in view, no scrolling.
  const [tableWidth, shownWidth] = await page.$eval("section.history .table-scroll", (el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(tableWidth <= shownWidth, `the runs table is ${tableWidth} px wide in ${shownWidth}`);
  await page.close();

  // No IndexedDB (as in some private modes): a message, and training works.
  const bare = await browser.newPage();
  await bare.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
  await bare.goto(`${server.url}/index.html?arch=lenet&train=256&test=64&batch=64&epochs=1&backend=cpu`);
  await bare.waitForSelector(".history-problem", { timeout: 30_000 });
  assert.match(await bare.textContent(".history-problem"), /Run history is not kept in this browser \(this browser gives the page no IndexedDB\); the page works on without it\./);
  await bare.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  await bare.click('button[name="train"]');
  await bare.waitForSelector(".phase.done", { timeout: 300_000 });
  assert.equal(await bare.locator("table.runs tbody tr").count(), 1, "this page's runs are listed, not kept");
  await bare.close();
});

test("change the net: VGG's blocks edited in the page, the table and the URL follow, a reload restores them, the trained variant shows its gradient strip", async () => {
  const page = await open("?arch=vgg&resize=32&train=128&test=64&batch=32&epochs=1&backend=cpu");
  await page.waitForSelector("table.layers tbody tr.row.top");
  const topRows = () => page.locator("table.layers tbody tr.row.top").count();
  assert.equal(await topRows(), 5 + 8, "VGG-11: five blocks, then the dense part");
  // Two blocks fewer, and two convolutions in the first.
  const cell = (row, column) => page.locator(`.edit-field[data-key="blocks"] tbody tr:nth-child(${row}) input.cell >> nth=${column}`);
  await page.click('.edit-field[data-key="blocks"] tbody tr:nth-child(5) button.remove-row');
  await page.click('.edit-field[data-key="blocks"] tbody tr:nth-child(4) button.remove-row');
  await cell(1, 0).fill("2");
  await page.waitForFunction(() => document.querySelectorAll("table.layers tbody tr.row.top").length === 3 + 8);
  assert.match(await page.textContent("#net-title"), /^VGG-8/, "named by its depth: 5 convolutions + 3 dense layers");
  assert.equal((await shapes(page))[2], "[1, 64, 4, 4]", "three halvings of 32, 256 ÷ 4 channels");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("edit") === "blocks-2x64_1x128_2x256");
  // A bad cell names the field and the row; the table waits for a number.
  await cell(2, 1).fill("abc");
  assert.match(await page.textContent('.edit-field[data-key="blocks"] .field-error'), /row 2: a whole number/);
  await cell(2, 1).fill("128");
  // The width ratio is an edit too, and travels as ratio=.
  await page.fill('input[name="ratio"]', "16");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("ratio") === "16");
  assert.equal((await shapes(page))[2], "[1, 16, 4, 4]");
  const editedTable = await shapes(page);
  // A reload restores the edits from the URL.
  await page.reload();
  await page.waitForSelector("table.layers tbody tr.row.top");
  assert.deepEqual(await shapes(page), editedTable);
  assert.equal(await cell(1, 0).inputValue(), "2");
  assert.equal(await page.locator('.edit-field[data-key="blocks"] tbody tr').count(), 3);
  // The same description as JSON, for `cnnp --config`.
  await page.click(".as-json summary");
  const json = JSON.parse(await page.textContent("pre.net-json"));
  assert.deepEqual(json, { arch: "vgg", conv_arch: [[2, 64], [1, 128], [2, 256]], ratio: 16 });
  // The book's exercise, then back to the book's net.
  await page.click('button[data-preset="vgg-16"]');
  assert.match(await page.textContent(".question"), /VGG-16 has three convolutions/);
  assert.match(await page.textContent("#net-title"), /^VGG-16/);
  await page.click("button.reset");
  assert.match(await page.textContent("#net-title"), /^VGG-11/);
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("edit")), null);
  await page.goto(`${server.url}/index.html?arch=vgg&resize=32&train=128&test=64&batch=32&epochs=1&backend=cpu&ratio=16&edit=blocks-2x64_1x128_2x256`);
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  // Trained with the gradient view on: a strip of its 5 + 3 weighted layers.
  await page.check('input[name="grad-norms"]');
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done", { timeout: 300_000 });
  await page.waitForSelector("canvas.gradient-strip");
  const caption = await page.textContent('figure.strip[data-which="this run"] figcaption');
  assert.match(caption, /VGG-8 \(this run, 8 layers, 4 steps measured\)/);
  const strip = await page.$eval("canvas.gradient-strip", (c) => ({ w: c.width, h: c.height }));
  assert.deepEqual(strip, { w: 4, h: 8 * 6 }, "a column per step, a band per layer");
  assert.match(await page.textContent(".first-norm"), /^1\.1 conv 1→4 k3: \d\.\d\de[-\d]+$/);
  assert.match(await page.textContent(".last-norm"), /^11 linear 4096→10: \d\.\d\de[-\d]+$/);
  // And a net that no longer fits names the layer, as the table does.
  await page.click('button.net-card[data-arch="lenet"]');
  await page.fill('.edit-field[data-key="k"] input', "11");
  assert.match(await page.textContent(".table-error"), /row 6 › AvgPool2d \(k2, s2\): the height would drop below 1/);
  // Embedded with the edits and without the editor.
  await page.goto(`${server.url}/index.html?embed=1&arch=vgg&hide=editor&edit=blocks-1x64_1x128`);
  await page.waitForSelector("table.layers tbody tr.row.top");
  assert.equal(await page.locator(".editor").count(), 0);
  assert.equal(await topRows(), 2 + 8, "the edits apply without the editor");
  await page.close();
});

test("gradient flow: the deep plain net and its residual twin side by side", async () => {
  const page = await open("?arch=resnet&train=256&test=64&batch=64&epochs=1&backend=cpu");
  await page.waitForSelector('.badge[data-backend="CPU"]', { timeout: 60_000 });
  const trainPreset = async (id) => {
    await page.click(`button[data-preset="${id}"]`);
    assert.equal(await page.isChecked('input[name="grad-norms"]'), true, "the pair turns the gradient view on");
    assert.equal(await page.inputValue('input[name="resize"]'), "28");
    await page.click('button[name="train"]');
    await page.waitForSelector(".phase.done", { timeout: 300_000 });
  };
  await trainPreset("deep-plain");
  await trainPreset("deep-residual");
  await page.waitForSelector('figure.strip[data-which="the run before"]');
  const norm = async (which) => {
    const text = await page.textContent(`figure.strip[data-which="${which}"] .first-norm`);
    return Number(text.split(": ").pop());
  };
  const [residual, plain] = [await norm("this run"), await norm("the run before")];
  console.log(`first layer's gradient norm: plain ${plain}, residual ${residual}`);
  assert.ok(plain * 1000 < residual, `plain ${plain} ≪ residual ${residual}`);
  assert.match(await page.textContent('figure.strip[data-which="the run before"] figcaption'), /plain 34-layer net without batch norm \(narrow\)/);
  await page.locator("section.gradient-flow").screenshot({ path: join(ARTIFACTS, "gradients.png") });
  // The same strips for the layers' outputs: the first layer's is the same
  // size in both nets; the plain net's last layers get nothing of it.
  await page.selectOption('select[name="gradient-values"]', "outputs");
  await page.waitForFunction((plain) => !document.querySelector('figure.strip[data-which="the run before"] .first-norm').textContent.endsWith(plain), String(plain));
  const output = async (which, named) =>
    Number((await page.textContent(`figure.strip[data-which="${which}"] .${named}`)).split(": ").pop());
  const [plainFirst, residualFirst] = [await output("the run before", "first-norm"), await output("this run", "first-norm")];
  console.log(`first layer's output rms: plain ${plainFirst}, residual ${residualFirst}`);
  assert.ok(plainFirst > 0.5 * residualFirst && plainFirst < 2 * residualFirst, "the same first layer");
  await page.locator("section.gradient-flow").screenshot({ path: join(ARTIFACTS, "gradients-outputs.png") });
  await page.close();
});
