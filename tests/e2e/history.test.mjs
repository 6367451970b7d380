// Run history: runs kept in the browser over a reload, compared, renamed,
// exported, run again, deleted; a run cut off by a reload; no storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { PLAYWRIGHT_DEFAULT, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

test("run history: runs kept over a reload, compared on one chart, renamed, exported, run again, deleted; without storage the page trains on", async () => {
  const playground = await site.open("?arch=bn-lenet&train=512&test=128&batch=64&epochs=2&backend=cpu");
  const { page } = playground;
  const trainOnce = async () => {
    await playground.waitForBackend("CPU");
    await playground.trainToTheEnd();
  };
  await trainOnce();
  // The same site, another net: the same browser storage.
  await playground.goto("?arch=lenet&train=512&test=128&batch=64&epochs=2&backend=cpu");
  await trainOnce();
  await playground.reload();
  await playground.waitForRuns(2, 30_000);
  const names = await page.$$eval("table.runs input.run-name", (inputs) => inputs.map((i) => i.value));
  assert.deepEqual(names, ["LeNet #1", "LeNet + BatchNorm #1"], "newest first");
  // Both ticked: one chart, two legend entries.
  for (const box of await page.$$('table.runs input[name="compare"]')) await box.check();
  await page.waitForSelector('figure.compare[data-runs="2"]');
  assert.equal(await page.locator("figure.compare .legend-entry").count(), 2);
  assert.equal(await page.locator("figure.compare svg path").count(), 4, "test accuracy and loss for each");
  await playground.screenshotOf("section.history", "history.png");
  // Renamed, and still so after a reload.
  await page.fill("table.runs tbody tr:first-child input.run-name", "sigmoid LeNet");
  await page.press("table.runs tbody tr:first-child input.run-name", "Enter");
  await page.locator("table.runs tbody tr:first-child input.run-name").blur();
  await page.waitForTimeout(300);
  await playground.reload();
  await page.waitForFunction(() => document.querySelector("table.runs tbody tr:first-child input.run-name")?.value === "sigmoid LeNet", null, { timeout: 30_000 });
  // Exported as CSV: a line per epoch.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click('button[name="export-csv"]')]);
  const lines = (await readFile(await csv.path(), "utf8")).trim().split("\n");
  assert.equal(lines.length, 1 + 4, "a header and two epochs for each run");
  assert.match(lines[1], /"(sigmoid LeNet|LeNet \+ BatchNorm #1)",(lenet|bn-lenet),28,64,/);
  // Run again fills the form; delete takes the run away for good.
  await page.click('table.runs tbody tr:last-child button[name="run-again"]');
  await playground.waitForNet("bn-lenet");
  assert.equal(await playground.field("train"), "512");
  await page.click('table.runs tbody tr:last-child button[name="delete-run"]');
  await playground.waitForRuns(1);
  await playground.reload();
  await playground.waitForRuns(1, 30_000);
  // A reload mid-run: the run is listed as cut off, not as still running.
  await playground.setField("epochs", "50");
  await playground.waitForTrainable(60_000);
  await playground.train();
  await playground.waitForBatches(60_000);
  await playground.reload();
  await playground.waitForRuns(2, 30_000);
  assert.equal(await page.textContent("table.runs tbody tr:first-child td:nth-child(8)"), "interrupted: its page was closed or reloaded");
  // That sentence wraps: the row's buttons stay in view, no scrolling.
  const [tableWidth, shownWidth] = await page.$eval("section.history .table-scroll", (el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(tableWidth <= shownWidth, `the runs table is ${tableWidth} px wide in ${shownWidth}`);
  await playground.close();

  // No IndexedDB (as in some private modes): a message, and training works.
  const withoutStorage = (page) => page.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
  const bare = await site.open("?arch=lenet&train=256&test=64&batch=64&epochs=1&backend=cpu", PLAYWRIGHT_DEFAULT, { prepare: withoutStorage });
  await bare.page.waitForSelector(".history-problem", { timeout: 30_000 });
  assert.match(await bare.page.textContent(".history-problem"), /Run history is not kept in this browser \(this browser gives the page no IndexedDB\); the page works on without it\./);
  await bare.waitForBackend("CPU");
  await bare.trainToTheEnd();
  assert.equal(await bare.runCount(), 1, "this page's runs are listed, not kept");
  await bare.close();
});
