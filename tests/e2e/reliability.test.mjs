// When things go wrong: a lost GPU device, a worker that panics, traps or
// hangs, a page that slept, a tab hidden behind another.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, PLAYWRIGHT_DEFAULT, servedPlayground } from "./playground.mjs";
import { launchBare } from "./cdp.mjs";

const site = servedPlayground();

test("a lost GPU device says so, keeps what was shown, and the CPU backend takes over", async () => {
  const playground = await site.open("?arch=lenet&train=512&test=256&batch=64&epochs=20&backend=webgpu");
  await playground.waitForBackend("WebGPU");
  await playground.train();
  await playground.waitForChartPoints(1, 300_000);
  const points = await playground.chartPoints();
  // What a driver reset does to a tab: the worker's device is lost.
  const workers = playground.page.workers();
  assert.equal(workers.length, 1, "one training worker");
  await workers[0].evaluate(() => globalThis.__cnnpDevices.forEach((device) => device.destroy()));
  const message = await playground.waitForFailure();
  console.log(`after the loss: ${message}`);
  assert.match(message, /the GPU device was lost/);
  await playground.waitForBackend("CPU");
  assert.equal(await playground.chosenBackend(), "cpu", "the form shows the backend now used");
  assert.ok((await playground.chartPoints()) >= points, "the chart keeps its points");
  assert.equal((await playground.shapes()).at(-1), "[1, 10]", "the table stays");
  await playground.setField("epochs", "1");
  await playground.trainToTheEnd();
  assert.match(await playground.bookLine(), /examples\/sec on CPU$/);
  await playground.close();
});

test("a worker that panics, traps or hangs is replaced: the page says so, keeps the chart, and trains again", async () => {
  const playground = await site.open("?arch=lenet&train=512&test=256&batch=64&epochs=50&backend=cpu");
  const { page } = playground;
  // The watchdog's patience, shortened for the test (two minutes otherwise).
  await page.evaluate(() => (window.__cnnpWatchdogMs = 4000));
  const failures = [
    ["panic", /^training stopped: the training worker crashed: panicked at .*failing on purpose, as the test asked/],
    ["trap", /^training stopped: the training worker crashed \(.*unreachable.*: a WebAssembly trap, as when it runs out of memory\)/],
    ["hang", /^training stopped: the training worker stopped answering for \d+ s/],
  ];
  for (const [how, expected] of failures) {
    await playground.waitForTrainable();
    await playground.train();
    await playground.waitForChartPoints(2, 120_000);
    const points = await playground.chartPoints();
    // The failure comes from inside the worker, between two steps.
    // (The training worker, not one of its CPU threads.)
    const worker = page.workers().filter((w) => /worker(_threads)?_loader\.js$/.test(w.url())).at(-1);
    await worker.evaluate((how) => setTimeout(() => self.onmessage({ data: JSON.stringify({ type: "fail_on_purpose", how }) })), how);
    const message = await playground.waitForFailure();
    console.log(`after a ${how}: ${message}`);
    assert.match(message, expected);
    assert.match(message, /press Train to try again$/);
    assert.ok((await playground.chartPoints()) >= points, "the chart keeps its points");
    assert.equal((await playground.shapes()).at(-1), "[1, 10]", "the table stays");
  }
  // The new worker trains to the end.
  await playground.setField("epochs", "1");
  await playground.waitForTrainable();
  await playground.trainToTheEnd();
  assert.match(await playground.bookLine(), /examples\/sec on CPU$/);
  await playground.close();
});

test("a page that slept (a frozen tab, a suspended machine) does not take its worker for hung", async () => {
  // The page's clocks (performance.now, timers) under the test's hand; the
  // worker's are its own.
  const playground = await site.open("?arch=lenet&train=4096&test=256&batch=64&epochs=2&backend=cpu", PLAYWRIGHT_DEFAULT, {
    prepare: (page) => page.clock.install(),
  });
  const { page } = playground;
  await playground.waitForTrainable();
  await playground.train();
  await playground.waitForBatches(60_000);
  // Ten minutes pass at once for the page, as after a freeze or a
  // suspend: its watchdog's next tick comes late, with the worker's last
  // word ten minutes old; the worker itself was asleep, not hung.
  const before = await playground.progress();
  await page.clock.fastForward("10:00");
  await page.waitForFunction((before) => document.querySelector(".progress-label")?.textContent !== before, before, { timeout: 30_000 });
  await page.waitForSelector(".phase.done, .phase.failed", { timeout: 300_000 });
  assert.equal(await page.locator(".phase.failed").count(), 0, await page.locator(".phase.failed").textContent().catch(() => ""));
  assert.match(await playground.bookLine(), /examples\/sec on CPU$/);
  await playground.close();
});

test("a hidden tab trains on, and the chart has every point when the tab returns", async () => {
  // Playwright keeps its pages visible; a bare Chromium hides a tab behind another.
  const chrome = await launchBare(`${site.url}/index.html?arch=lenet&train=8192&test=512&batch=128&epochs=3&backend=cpu`);
  const { tab } = chrome;
  const chartPoints = `Number(document.querySelector(".chart svg").dataset.points)`;
  try {
    await tab.waitFor(`document.querySelector('button[name="train"]:not([disabled])')`, 120_000);
    await tab.evaluate(`window.__visibility = []; document.addEventListener("visibilitychange", () => __visibility.push(document.visibilityState)); true`);
    await tab.evaluate(`document.querySelector('button[name="train"]').click(), true`);
    await tab.waitFor(`document.querySelectorAll(".epochs li").length >= 1`, 300_000);
    const other = await chrome.openTabInFront("about:blank");
    await tab.waitFor(`document.visibilityState === "hidden"`, 10_000);
    const pointsAtHide = await tab.evaluate(chartPoints);
    const epochsAtHide = await tab.evaluate(`document.querySelectorAll(".epochs li").length`);
    assert.ok(epochsAtHide < 3, "the run was still going when the tab was hidden");
    // Done while nobody looks.
    await tab.waitFor(`document.querySelector(".phase.done")`, 300_000);
    assert.equal(await tab.evaluate("document.visibilityState"), "hidden", "the tab stayed behind the other all run");
    const pointsAtDone = await tab.evaluate(chartPoints);
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
    assert.equal(await tab.evaluate(chartPoints), pointsAtDone);
    assert.equal(await tab.evaluate(`document.querySelectorAll(".chart svg path, .chart svg polyline").length > 0`), true);
    assert.match(await tab.evaluate(`document.querySelector(".book-line").textContent`), /examples\/sec on CPU$/);
    await writeFile(join(ARTIFACTS, "hidden-tab-returned.png"), await tab.screenshot());
  } finally {
    await chrome.close();
  }
});
