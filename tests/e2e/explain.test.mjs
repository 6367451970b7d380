// "How this row computes": a click on a cell of a map shows the window,
// kernel and products behind its value, and the sum the arithmetic gives
// equals the value the map shows; typed positions, training mode and the
// reader's language too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, servedPlayground } from "./playground.mjs";
import { axe, axeSummary, notInLanguage } from "./reader.mjs";

const site = servedPlayground();

/** Until the explanation of (channel, row, column) is shown; its two values. */
async function explained(page, [channel, y, x]) {
  await page.waitForFunction(
    ([c, y, x]) => {
      const form = (name) => document.querySelector(`.explain input[name="${name}"]`)?.value;
      return document.querySelector(".explain-value[data-computed]") && form("explain-channel") == c && form("explain-row") == y && form("explain-column") == x;
    },
    [channel, y, x],
    { timeout: 60_000 },
  );
  const value = page.locator(".explain-value");
  return { shown: await value.getAttribute("data-shown"), computed: await value.getAttribute("data-computed") };
}

/** The cells of the grid whose caption holds `what`. */
async function gridCells(page, what) {
  return page.locator(".explain-grid", { has: page.locator("caption", { hasText: what }) }).first().locator("td").allTextContents();
}

test("a cell of conv1's map explained: window, kernel, products, and the sum equals the map's value", async () => {
  const playground = await site.open("?arch=lenet&backend=cpu", { width: 1366, height: 1000 });
  const { page } = playground;
  await playground.waitForBackend("CPU");
  await playground.openRow(1);

  // A click on the first map, in the cell of row 14, column 13.
  const map = page.locator('.layer-view[data-row="1"] figure.map[data-channel="0"] canvas');
  // Inside its border: a click's position is from the padding box.
  const cell = (await map.evaluate((canvas) => canvas.clientWidth)) / 28;
  await map.click({ position: { x: 13.5 * cell, y: 14.5 * cell } });
  const { shown, computed } = await explained(page, [0, 14, 13]);
  assert.equal(computed, shown, "the arithmetic gives the map's value");
  assert.equal(await page.locator(".map-marker").count(), 1, "the clicked cell is marked");
  assert.equal((await gridCells(page, "input window")).length, 25);
  assert.equal((await gridCells(page, "kernel")).length, 25);
  assert.equal((await gridCells(page, "products")).length, 25);
  const lines = await page.locator(".explain-lines li").allTextContents();
  assert.match(lines.join("\n"), /cross-correlation, kernel 5×5, stride 1, padding 2/);
  assert.match(lines.join("\n"), /⌊\(28 \+ 2×2 − 5\) \/ 1⌋ \+ 1 = 28/);
  assert.match(lines.at(-1), new RegExp(`^sum -?[\\d.]+ \\+ bias -?[\\d.]+ = ${computed.replace(".", "\\.")}$`));
  await playground.screenshotOf(".layer-view", "explain-conv.png");

  // By keyboard: the top-left corner of channel 5, where the padding is.
  await page.fill('.explain input[name="explain-channel"]', "5");
  await page.fill('.explain input[name="explain-row"]', "0");
  await page.fill('.explain input[name="explain-column"]', "0");
  await page.press('.explain input[name="explain-column"]', "Enter");
  const corner = await explained(page, [5, 0, 0]);
  assert.equal(corner.computed, corner.shown);
  const window = await gridCells(page, "input window");
  assert.equal(window.filter((text) => text === "·").length, 16, "2 rows and 2 columns of padding");

  // A dense layer: the ten largest products named.
  await playground.openRow(8);
  await page.fill('.explain input[name="explain-channel"]', "42");
  await page.click('.explain button[name="explain-go"]');
  await page.waitForFunction(() => /fully connected: output 42/.test(document.querySelector(".explain-lines")?.textContent));
  const dense = await page.locator(".explain-value").getAttribute("data-computed");
  assert.equal(dense, await page.locator(".explain-value").getAttribute("data-shown"));
  const found = await axe(page);
  assert.deepEqual([...found.serious, ...found.critical], [], axeSummary(found));
  await playground.close();
});

test("batch norm explained in training and evaluation mode, in Chinese", async () => {
  const playground = await site.open("?lang=zh&arch=bn-lenet&backend=cpu", { width: 1366, height: 1000 });
  const { page } = playground;
  await playground.waitForBackend("CPU");
  await playground.openRow(2);
  await page.fill('.explain input[name="explain-channel"]', "1");
  await page.fill('.explain input[name="explain-row"]', "3");
  await page.fill('.explain input[name="explain-column"]', "4");
  await page.click('.explain button[name="explain-go"]');
  const evaluation = await explained(page, [1, 3, 4]);
  assert.equal(evaluation.computed, evaluation.shown);
  assert.match(await page.textContent(".explain"), /这一行是如何计算的/);
  assert.match(await page.textContent(".explain-lines"), /批量规范化，通道 1/);
  assert.match(await page.textContent(".explain-lines"), /预测模式：移动平均的 μ、σ² = 0\.0000、1\.0000/);

  // Training mode: this picture's own statistics give another value.
  await page.check('.explain input[name="explain-mode"][value="train"]');
  await page.waitForFunction(() => /训练模式（本图片自身的统计量/.test(document.querySelector(".explain")?.textContent));
  const training = await explained(page, [1, 3, 4]);
  assert.notEqual(training.computed, evaluation.computed, "the batch's statistics are not the running ones");
  const offences = await notInLanguage(page, "zh");
  assert.deepEqual(offences, [], JSON.stringify(offences));
  const found = await axe(page);
  assert.deepEqual([...found.serious, ...found.critical], [], axeSummary(found));
  await playground.screenshotOf(".layer-view", "explain-bn-zh.png");
  await playground.close();
});

test("an exercise compared: the book's net and the variant trained in turn, both in the overlay, and the answer with both numbers", async () => {
  const playground = await site.open("?arch=lenet&train=1024&test=256&batch=128&epochs=1&backend=cpu", { width: 1366, height: 1000 });
  const { page } = playground;
  await playground.waitForBackend("CPU");
  await playground.pickPreset("lenet-relu-max");
  await page.click('button[name="compare-exercise"]');
  await page.waitForSelector(".compare-status", { timeout: 30_000 });
  await page.waitForSelector(".compare-answer", { timeout: 240_000 });
  const answer = await page.textContent(".compare-answer");
  const found = /test accuracy (\d\.\d{3}) vs (\d\.\d{3}) for the book's net after 1 epoch at the same learning rate ([\d.]+): (the variant is better by|the book's net is better by|no difference|both are still near chance)/.exec(answer);
  assert.ok(found, answer);
  // The two runs, ticked in the history's overlay, ended with those accuracies.
  await page.waitForSelector('figure.compare[data-runs="2"]');
  const table = await page.locator("table.runs").textContent();
  for (const acc of [found[1], found[2]]) assert.ok(table.includes(acc.slice(0, 4)), `${acc} in ${table}`);
  await playground.screenshotOf(".editor", "exercise-compare.png");
  await playground.close();
});

test("the book's first experiments print what the book prints", async () => {
  const playground = await site.open("?lang=zh&arch=lenet&backend=cpu", { width: 1366, height: 1000 });
  const { page } = playground;
  await page.click("details.lab > summary");
  /** The numbers of the last table of an experiment, row by row. */
  const last = (experiment) =>
    page.$$eval(`section[data-experiment="${experiment}"] table.lab-matrix`, (tables) =>
      [...tables.at(-1).querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.textContent))),
    );
  assert.deepEqual(await last("corr2d"), [[19, 25], [37, 43]]);
  assert.deepEqual(await last("corr2d-multi-in"), [[56, 72], [104, 120]]);
  const pools = await page.$$eval('section[data-experiment="pool2d"] table.lab-matrix', (tables) =>
    tables.slice(1).map((t) => [...t.querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.textContent)))),
  );
  assert.deepEqual(pools, [[[4, 5], [7, 8]], [[2, 3], [5, 6]]]);
  // Learning the kernel [1, -1] from the edges: the loss falls, by keyboard.
  await page.focus('button[name="lab-learn"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector("ul.lab-losses li");
  const losses = (await page.locator("ul.lab-losses li").allTextContents()).map((line) => Number(/([\d.]+)$/.exec(line)[1]));
  assert.equal(losses.length, 5);
  assert.ok(losses.every((loss, i) => i === 0 || loss < losses[i - 1]), `${losses}`);
  assert.match(await page.locator("ul.lab-losses li").first().textContent(), /^第 2 轮，损失/);
  const offences = await notInLanguage(page, "zh");
  assert.deepEqual(offences, [], JSON.stringify(offences));
  const found = await axe(page);
  assert.deepEqual([...found.serious, ...found.critical], [], axeSummary(found));
  await playground.screenshotOf("details.lab", "lab-zh.png");
  await playground.close();
});

test("on a phone: a tap on a map's cell explains it, in Chinese, nothing scrolls sideways", async () => {
  const playground = await site.open("?lang=zh&arch=lenet&backend=cpu", PHONE);
  const { page } = playground;
  await playground.waitForBackend("CPU");
  await page.tap('table.layers tr[data-row="3"]');
  await playground.waitForRowOutputs(3);
  const map = page.locator('.layer-view[data-row="3"] figure.map[data-channel="2"] canvas');
  await map.scrollIntoViewIfNeeded();
  const cell = (await map.evaluate((canvas) => canvas.clientWidth)) / 14;
  await map.tap({ position: { x: 6.5 * cell, y: 3.5 * cell } });
  const { shown, computed } = await explained(page, [2, 3, 6]);
  assert.equal(computed, shown);
  assert.match(await page.textContent(".explain-lines"), /平均汇聚层/);
  assert.equal(await playground.sidewaysScroll(), 0, "the page scrolls sideways");
  assert.deepEqual(await playground.smallTargets(), []);
  await playground.screenshotOf(".layer-view", "explain-phone-zh.png");
  await playground.close();
});

test("a residual block: f(x), x and their sum drawn for the value's channel, and the gradient's two paths", async () => {
  const playground = await site.open("?arch=resnet&backend=cpu", { width: 1366, height: 1000 });
  const { page } = playground;
  await playground.waitForBackend("CPU");
  await page.click('table.layers tr[data-row="2"] button.expand');
  await playground.openRow("2.1");
  await page.fill('.explain input[name="explain-channel"]', "3");
  await page.fill('.explain input[name="explain-row"]', "10");
  await page.fill('.explain input[name="explain-column"]', "12");
  await page.click('.explain button[name="explain-go"]');
  const { shown, computed } = await explained(page, [3, 10, 12]);
  assert.equal(computed, shown);
  assert.equal(await page.locator(".residual-maps figure canvas[data-width='24']").count(), 3);
  const lines = await page.locator(".explain-lines").textContent();
  assert.match(lines, /residual block: f\(x\) = -?[\d.]+, x = -?[\d.]+; f\(x\) \+ x = -?[\d.]+; ReLU → /);
  assert.match(lines, /is the sum of two paths, through f and through the shortcut; their norms: [\d.]+ and [\d.]+, the sum.s [\d.]+/);
  await playground.screenshotOf(".layer-view", "explain-residual.png");
  await playground.close();
});
