// The playground on a phone (360×740) and a tablet (768×1024), touch,
// twice the pixels, in both languages: pick a net with a tap, train LeNet
// on a subset with taps, open a row's maps. The page never scrolls
// sideways (the table scrolls in its own box, its layer column in view),
// every target is at least 24×24 CSS px, and Train is near.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, PHONE, TABLET, TARGET_PX, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

/** Fails, naming them, when targets are smaller than 24×24 CSS px. */
async function assertTargets(playground, where) {
  const small = await playground.smallTargets();
  assert.deepEqual(small, [], `${where}: targets under ${TARGET_PX}×${TARGET_PX} px: ${JSON.stringify(small)}`);
}

async function assertNoSidewaysScroll(playground, where) {
  assert.equal(await playground.sidewaysScroll(), 0, `${where}: the page scrolls sideways`);
}

for (const [device, size] of [["phone", PHONE], ["tablet", TABLET]]) {
  for (const lang of ["en", "zh"]) {
    test(`${device} in ${lang}: tap a net, train LeNet, open a row's maps`, async () => {
      const playground = await site.open(`?lang=${lang}&arch=alexnet&backend=cpu`, size);
      const { page } = playground;
      await playground.waitForTable();
      await playground.waitForBackend("CPU");
      await assertNoSidewaysScroll(playground, "on load");
      await assertTargets(playground, "on load");
      // The nets do not push the table down: it starts on the first screen.
      const tableTop = await page.evaluate(() => document.querySelector("table.layers").getBoundingClientRect().top + scrollY);
      assert.ok(tableTop < size.viewport.height, `the table starts at ${tableTop} px`);
      // The shape table scrolls in its own box, the layer column staying in view.
      const scroll = await page.evaluate(() => {
        const box = document.querySelector("table.layers").closest(".table-scroll");
        box.scrollLeft = box.scrollWidth;
        const name = document.querySelector('table.layers tr[data-row="1"] td.name').getBoundingClientRect();
        const shown = box.getBoundingClientRect();
        const scrolled = box.scrollLeft;
        box.scrollLeft = 0;
        return { scrolled, nameLeft: name.left, boxLeft: shown.left, nameRight: name.right, boxRight: shown.right };
      });
      if (scroll.scrolled > 0) {
        assert.ok(scroll.nameLeft >= scroll.boxLeft - 1 && scroll.nameRight <= scroll.boxRight + 1, `the layer column left the box: ${JSON.stringify(scroll)}`);
      }

      // Pick LeNet with a tap; a small subset (typed), one epoch; Train with a tap.
      await page.tap('button.net-card[data-arch="lenet"]');
      await playground.waitForNet("lenet");
      for (const [name, value] of [["batch", "64"], ["epochs", "1"], ["train", "512"], ["test", "256"]]) {
        await page.tap(`input[name="${name}"]`);
        await page.fill(`input[name="${name}"]`, value);
      }
      // Train is one tap on the skip link away (shown on a phone).
      if (device === "phone") {
        await page.tap("a.skip-link");
        await page.waitForFunction(() => location.hash === "#training");
      }
      await playground.waitForTrainable();
      await page.tap('button[name="train"]');
      await playground.waitForDone();
      await assertNoSidewaysScroll(playground, "after the run");

      // Row 1's maps, with a tap.
      await page.tap('table.layers tr[data-row="1"]');
      await playground.waitForRowOutputs(1);
      await page.waitForFunction(() => document.querySelectorAll(".gallery .thumb[data-index] canvas").length === 16, null, { timeout: 60_000 });
      await assertNoSidewaysScroll(playground, "with the maps open");
      await assertTargets(playground, "after the run, the maps open");

      // A stroke with a finger on the drawing pad is a picture.
      const pad = page.locator("canvas.drawing");
      await pad.scrollIntoViewIfNeeded();
      const box = await pad.boundingBox();
      const client = await page.context().newCDPSession(page);
      const at = (x, y) => [{ x: box.x + x, y: box.y + y }];
      await client.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(40, 30) });
      for (const [x, y] of [[60, 80], [84, 140], [110, 80], [130, 30]]) {
        await client.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(x, y) });
      }
      await client.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      await page.waitForFunction(() => document.querySelector(".chosen .probabilities") && /drawing|画/.test(document.querySelector(".chosen-head strong")?.textContent));

      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, `${device}-${lang}-screen.png`) });
      await playground.screenshot(`${device}-${lang}.png`);
      await playground.close();
    });
  }
}
