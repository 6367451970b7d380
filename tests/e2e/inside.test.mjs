// Inside the net: a row's feature maps and filters, the predictions for the
// test images, the confusion matrix's cells, one's own picture and drawing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

/** The probabilities shown for the chosen picture: ten, and their sum. */
async function probabilities(page) {
  const values = await page.$$eval(".chosen .probabilities li", (items) => items.map((li) => Number(li.dataset.p)));
  return { count: values.length, sum: values.reduce((a, b) => a + b, 0) };
}

/** Until the own-picture panel's problem matches `pattern`. */
async function waitForPictureProblem(page, pattern) {
  await page.waitForFunction((pattern) => new RegExp(pattern).test(document.querySelector(".own .inside-problem")?.textContent), pattern.source);
}

test("inside the net: a row's maps and filters, predictions, the confusion matrix's cells, one's own picture", async () => {
  const playground = await site.open("?arch=lenet&train=20000&test=256&batch=32&epochs=1&backend=cpu", { width: 1366, height: 1000 });
  const { page } = playground;
  await playground.waitForBackend("CPU");

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
  await playground.train();
  await playground.waitForChartPoints(1, 120_000);
  await playground.pause();
  await page.waitForFunction(() => /^When paused at epoch 1, step \d+ of 625: true class over predicted class \(256 images\)/.test(document.querySelector(".gallery-title")?.textContent), null, { timeout: 60_000 });
  await playground.stop();
  await playground.waitForDone(60_000);
  await page.waitForFunction(() => /^When stopped at epoch 1, step \d+ of 625/.test(document.querySelector(".gallery-title")?.textContent), null, { timeout: 60_000 });
  // The view asks the worker again once the run has ended: wait for it.
  await page.waitForFunction(() => /stopped before its first epoch ended/.test(document.querySelector(".chosen .weights")?.textContent), null, { timeout: 60_000 });

  // A whole (short) epoch.
  await playground.setField("train", "1024");
  await playground.setField("batch", "128");
  await playground.trainToTheEnd();
  // The matrix, and the book's true/predicted gallery of the same images.
  await page.waitForSelector("details.confusion");
  await page.waitForFunction(() => document.querySelectorAll(".gallery .thumb[data-index] canvas").length === 16, null, { timeout: 60_000 });
  assert.match(await page.textContent(".gallery-title"), /^After epoch 1: true class over predicted class \(256 images\)/);
  await page.waitForFunction(() => /trained 1 epoch/.test(document.querySelector(".chosen .weights")?.textContent), null, { timeout: 60_000 });
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
  await playground.screenshot("inside-predictions.png");

  // One's own picture: a dark shirt on white, inverted, ten probabilities.
  await page.setInputFiles('input[name="own-picture"]', join(FIXTURES, "shirt.png"));
  await page.waitForFunction(() => document.querySelector(".chosen-head strong")?.textContent === "shirt.png" && document.querySelector(".chosen .probabilities"));
  p = await probabilities(page);
  assert.equal(p.count, 10);
  assert.ok(Math.abs(p.sum - 1) < 1e-3, `probabilities sum to ${p.sum}`);
  assert.match(await page.textContent(".picture-note"), /inverted/);
  // The maps follow the picture.
  await page.waitForSelector(`${conv} .maps canvas`);
  await playground.screenshot("inside-own-picture.png");
  // A file that is not a picture, and a blank picture: a message; the shirt stays.
  await page.setInputFiles('input[name="own-picture"]', { name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
  await waitForPictureProblem(page, /notes\.png is not a picture/);
  // A 10000×10000 picture in a 12 kB file: refused from its header, before decoding.
  await page.setInputFiles('input[name="own-picture"]', join(FIXTURES, "huge.png"));
  await waitForPictureProblem(page, /huge\.png is 10000×10000: pictures up to 50 megapixels/);
  await page.setInputFiles('input[name="own-picture"]', join(FIXTURES, "blank.png"));
  await waitForPictureProblem(page, /blank\.png: the picture is empty/);
  assert.equal(await page.textContent(".chosen-head strong"), "shirt.png");

  // A stroke drawn with the pointer is classified.
  await page.locator("canvas.drawing").scrollIntoViewIfNeeded();
  const pad = await page.locator("canvas.drawing").boundingBox();
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
  await playground.screenshot("inside-feature-maps.png");
  await playground.screenshotOf("section.inside", "inside.png");
  await playground.close();
});
