// The playground with a keyboard only: Tab to LeNet's card, set a small
// subset, Train, wait for the epoch, open row 1's maps with Enter, move
// through the test images with the arrow keys, open a cell of the confusion
// matrix; no mouse or pointer event fires in the page, and the focus can
// leave every part of it (no trap).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

/** Records, in the page, every mouse, pointer and touch event (and clicks a pointer made). */
function recordPointers(page) {
  return page.addInitScript(() => {
    window.__pointerEvents = [];
    const types = ["mousedown", "mouseup", "mousemove", "mouseover", "pointerdown", "pointerup", "pointermove", "pointerover", "touchstart", "touchend", "wheel", "contextmenu"];
    for (const type of types) {
      window.addEventListener(type, (event) => event.isTrusted && window.__pointerEvents.push(type), { capture: true });
    }
    // A click from Enter or Space has no pointer (detail 0).
    window.addEventListener("click", (event) => event.isTrusted && event.detail > 0 && window.__pointerEvents.push("click"), { capture: true });
  });
}

/** Types `text` into the focused field, replacing what it holds. */
async function retype(page, text) {
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

test("a keyboard alone: pick LeNet, train, open row 1's maps, the test images, the confusion matrix", async () => {
  const playground = await site.open("?arch=alexnet&backend=cpu", DESKTOP, { prepare: recordPointers });
  const { page } = playground;
  await playground.waitForTable();
  await playground.waitForBackend("CPU");

  // The skip link is the first stop.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  // LeNet's card, then the form: a small subset, one epoch.
  await playground.tabTo('button.net-card[data-arch="lenet"]');
  await page.keyboard.press("Enter");
  await playground.waitForNet("lenet");
  for (const [name, value] of [["batch", "64"], ["epochs", "1"], ["train", "512"], ["test", "256"]]) {
    await playground.tabTo(`input[name="${name}"]`);
    await retype(page, value);
  }
  await playground.tabTo('button[name="train"]:not([disabled])');
  await page.keyboard.press("Enter");
  await playground.waitForDone();
  assert.equal(await playground.epochCount(), 1);
  // The epoch's result was said in the live region.
  assert.match(await page.textContent(".epoch-announcer"), /^Epoch 1 of 1 done: loss [\d.]+, train acc/);

  // Back up to row 1 of the table; Enter opens its maps.
  await playground.tabTo('table.layers tr[data-row="1"]', { back: true });
  await page.keyboard.press("Enter");
  await playground.waitForRowOutputs(1);
  assert.equal(await page.getAttribute('table.layers tr[data-row="1"]', "aria-current"), "true");

  // The test images: Tab lands on the one looked at; the arrows move it.
  await page.waitForFunction(() => document.querySelectorAll(".gallery .thumb[data-index] canvas").length === 16, null, { timeout: 60_000 });
  await playground.tabTo('.gallery [role="option"]');
  const first = Number(await page.evaluate(() => document.activeElement.dataset.index));
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowDown");
  const moved = await page.evaluate(() => ({ focused: document.activeElement.dataset.index, selected: document.querySelector('.gallery [aria-selected="true"]')?.dataset.index }));
  assert.equal(moved.selected, moved.focused, "the focus and the picture looked at move together");
  assert.notEqual(Number(moved.selected), first);
  await page.waitForFunction((index) => document.querySelector(".chosen-head strong")?.textContent.endsWith(` ${index}`), moved.selected);

  // A cell of the confusion matrix, with Enter: the gallery shows its images.
  await playground.tabTo("details.confusion td.cell.wrong button");
  const cell = await page.evaluate(() => document.activeElement.parentElement.dataset.cell);
  await page.keyboard.press("Enter");
  const [truth, predicted] = cell.split("-").map(Number);
  await page.waitForFunction(() => /classified as/.test(document.querySelector(".gallery-title")?.textContent));
  console.log(`keyboard: cell ${truth}→${predicted}: ${await page.textContent(".gallery-title")}`);

  // No trap: Tab goes on to the footer's last link, and past it.
  await playground.tabTo("footer.foot a");
  assert.deepEqual(await page.evaluate(() => window.__pointerEvents), [], "no mouse, pointer or touch event");
  await playground.close();
});
