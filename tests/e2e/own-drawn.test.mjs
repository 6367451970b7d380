// Classes one draws: three classes named, five drawings of each made with
// the pointer, LeNet trained on them, and a new drawing classified by name
// inside the net.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPlayground } from "./playground.mjs";

const site = servedPlayground();

/** A stroke through `points` (pad pixels) on the pad `selector`. */
async function stroke(page, selector, points) {
  const pad = await page.locator(selector).boundingBox();
  const [[x0, y0], ...rest] = points;
  await page.mouse.move(pad.x + x0, pad.y + y0);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(pad.x + x, pad.y + y, { steps: 6 });
  await page.mouse.up();
}

// Each class's drawing `i`, shifted a little each time.
const DRAWINGS = {
  bar: (i) => [[[30, 70 + 8 * i], [140, 74 + 8 * i]]],
  pole: (i) => [[[70 + 8 * i, 25], [74 + 8 * i, 145]]],
  cross: (i) => [
    [[35 + 4 * i, 35], [135 - 4 * i, 135]],
    [[135 - 4 * i, 35], [35 + 4 * i, 135]],
  ],
};

test("drawn classes: three named, five drawings each, LeNet trains on them and names a new drawing's class", async () => {
  const p = await site.open("?arch=lenet&optimizer=adam&lr=0.01&batch=4&epochs=30&backend=cpu");
  const { page } = p;
  await p.waitForBackend("CPU");
  await page.click(".own-data summary");
  await page.click('button[name="add-class"]');
  const names = Object.keys(DRAWINGS);
  for (const [k, name] of names.entries()) await page.fill(`.drawn-class[data-class="${k}"] input[name="class-name"]`, name);
  const pad = ".draw-classes canvas.class-drawing";
  await page.locator(pad).scrollIntoViewIfNeeded();
  for (const [k, name] of names.entries()) {
    for (let i = 0; i < 5; i++) {
      for (const points of DRAWINGS[name](i)) await stroke(page, pad, points);
      await page.click(`.drawn-class[data-class="${k}"] button[name="add-drawing"]`);
    }
    assert.equal(await page.textContent(`.drawn-class[data-class="${k}"] .drawn-count`), "5");
  }
  await page.click('button[name="use-drawings"]');
  await page.waitForFunction(() => /15 images in 3 classes/.test(document.querySelector(".own-summary")?.textContent ?? ""), null, { timeout: 60_000 });
  console.log(await page.textContent(".own-summary"));
  assert.equal((await p.shapes()).at(-1), "[1, 3]");
  assert.equal(await page.textContent("table.layers tfoot td.shape"), "input [1, 1, 28, 28]");
  await p.trainToTheEnd();
  console.log(await p.bookLine());

  // A new bar, drawn inside the net: its class is named.
  await p.openRow(1);
  await page.locator(".own canvas.drawing").scrollIntoViewIfNeeded();
  await stroke(page, ".own canvas.drawing", [[35, 90], [135, 86]]);
  await page.waitForFunction(() => document.querySelector(".chosen-head strong")?.textContent === "your drawing" && document.querySelector(".chosen .probabilities"));
  const probabilities = await page.$$eval(".chosen .probabilities li", (items) => items.length);
  assert.equal(probabilities, 3);
  const predicted = await page.getAttribute(".chosen .probabilities", "data-predicted");
  console.log(`a new bar is classified as ${predicted}`);
  assert.equal(predicted, "bar");
  await p.screenshot("own-drawn.png");
  await p.close();
});
