// A long run in the page itself, as a student would make it: opens the
// built playground (dist/) in headless Chromium with a link's settings,
// presses Train, waits for the end, and prints one JSON line per epoch:
// examples/sec, the worker's wasm memory and, on WebGPU, the bytes Burn
// holds on the GPU after it. Usage:
//   node www/bench/longrun.mjs [--query "arch=lenet&epochs=3&backend=cpu"] [--isolated 1]
// The default is three full LeNet epochs (the book's settings) on the CPU;
// `--isolated 0` serves the page without COOP/COEP (one thread).
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "../../tests/e2e/server.mjs";
import { chromiumLaunchOptions } from "../../tests/e2e/chromium.mjs";
import { flags } from "./cli.mjs";

const here = new URL(".", import.meta.url).pathname;
const DIST = process.env.CNNP_DIST || join(resolve(here, "../.."), "dist");
const args = flags();
const query = args.query || "arch=lenet&epochs=3&backend=cpu";
const server = await serve(DIST, { isolated: args.isolated !== "0" });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/index.html?${query}`);
  await page.waitForSelector('button[name="train"]:not([disabled])', { timeout: 300_000 });
  const badge = await page.textContent(".badge");
  await page.click('button[name="train"]');
  await page.waitForSelector(".phase.done, .phase.failed", { timeout: 6 * 3600_000, polling: 5000 });
  if (await page.$(".phase.failed")) throw new Error(await page.textContent(".phase.failed"));
  await page.waitForTimeout(500);
  const epochs = await page.$$eval(".epochs li", (items) =>
    items.map((li, i) => ({
      epoch: i + 1,
      examples_per_s: Number(/([\d.]+) examples\/sec/.exec(li.textContent)[1]),
      test_acc: Number(/test acc ([\d.]+)/.exec(li.textContent)[1]),
      worker_memory_bytes: Number(li.dataset.workerMemory),
      device_memory_bytes: li.dataset.deviceMemory ? Number(li.dataset.deviceMemory) : null,
    })),
  );
  for (const epoch of epochs) console.log(JSON.stringify({ query, backend: badge, ...epoch }));
} finally {
  await browser.close();
  await server.close();
}
