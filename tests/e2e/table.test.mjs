// The net's table: soon after load, the book's shapes for every net, a size
// that does not fit, and the page on a phone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

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

/** Records, in the page, when the table's first row appears (ms after navigation start). */
function timeTheTable(page) {
  return page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector("table.layers tbody tr.row.top")) {
        window.__tableShownAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

// The page's own wasm (1 MB) draws the table; the worker's (15 MB) comes
// after. Measured here (2 cores shared with builds, load 2 to 6): the table
// shows 0.3 to 1.2 s after navigation starts. Past this bound is a
// regression (a table that waits for the worker, a blocking load), not
// noise. Timed in the page: the test's own clock also counts the test
// server, which brotli-compresses the worker's wasm once, synchronously, in
// this same process (4 s), and read from 1.4 to 7 s for the same page.
const TABLE_WITHIN_MS = 5_000;

test("the table is visible soon after load", async () => {
  const started = Date.now();
  const playground = await site.open("", DESKTOP, { prepare: timeTheTable });
  await playground.waitForTable({ timeout: 30_000 });
  const waited = Date.now() - started;
  const shownAt = Math.round(await playground.page.evaluate(() => window.__tableShownAt));
  const sizes = site.sent.filter((s) => s.path.endsWith(".wasm") || s.path.endsWith(".js"));
  console.log(`table visible ${shownAt} ms after navigation began (the test saw it at ${waited} ms); sent: ${JSON.stringify(sizes)}`);
  assert.ok(shownAt < TABLE_WITHIN_MS, `the table took ${shownAt} ms to show, over ${TABLE_WITHIN_MS} ms`);
  assert.deepEqual((await playground.shapes()).at(-1), "[1, 10]");
  await playground.close();
});

test("every net's table shows the book's shapes", async () => {
  const playground = await site.open();
  await playground.waitForTable();
  for (const [arch, rows] of Object.entries(BOOK_ROWS)) {
    await playground.pickNet(arch);
    await playground.waitForNet(arch);
    const got = await playground.shapes();
    assert.equal(got.at(-1), "[1, 10]", `${arch}: final shape`);
    for (const [row, shape] of Object.entries(rows)) {
      assert.equal(got[row - 1], shape, `${arch}: row ${row}`);
    }
  }
  // A block row expands into its inner layers.
  await playground.pickNet("googlenet");
  await playground.page.click("table.layers tbody tr.row.top:nth-child(3) button.expand");
  assert.equal(await playground.page.locator("table.layers tr.row.inner").count(), 3);
  await playground.close();
});

test("an impossible input size names the layer that breaks", async () => {
  const playground = await site.open("?arch=alexnet");
  await playground.page.waitForSelector("table.layers");
  await playground.setField("resize", "28");
  const error = await playground.tableError();
  assert.match(error, /MaxPool2d/);
  assert.match(error, /below 1/);
  // And Train refuses, saying why.
  assert.equal(await playground.trainDisabled(), true);
  await playground.setField("resize", "224");
  await playground.page.waitForSelector("table.layers");
  await playground.close();
});

test("the page fits a phone", async () => {
  const playground = await site.open("", { width: 390, height: 844 });
  await playground.waitForTable();
  const overflow = await playground.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await playground.screenshot("phone.png");
  await playground.close();
});
