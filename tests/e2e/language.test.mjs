// The reader's language: a course page in Chinese passes `lang=zh` to the
// playgrounds it embeds; the header's switch changes the language while a
// run goes on, and the run does not notice (its chart keeps its points);
// the URL keeps the language, so a reload does too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPlayground } from "./playground.mjs";
import { HAN } from "./reader.mjs";

const site = servedPlayground();

test("a course page in Chinese embeds playgrounds in Chinese", async () => {
  const page = await site.newTab({ width: 1400, height: 1000 });
  await page.goto(`${site.url}/www/embed.html?lang=zh`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  const sources = await page.$$eval("iframe.cnnp", (frames) => frames.map((f) => f.src));
  assert.equal(sources.length, 2);
  for (const source of sources) assert.equal(new URL(source).searchParams.get("lang"), "zh", source);
  for (const index of [0, 1]) {
    const frame = page.frameLocator("iframe.cnnp").nth(index);
    await frame.locator("table.layers tbody tr.row.top").first().waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator("html").getAttribute("lang"), "zh-CN");
    assert.equal((await frame.locator('button[name="train"]').textContent()).trim(), "训练");
    assert.match(await frame.locator("#net-title").textContent(), HAN);
    // Its "open full playground" link keeps the language.
    assert.equal(new URL(await frame.locator("a.open-full").getAttribute("href"), site.url).searchParams.get("lang"), "zh");
  }
  await page.close();
});

test("the switch changes the language mid-run without losing the run; a reload keeps it", async () => {
  const playground = await site.open("?lang=en&arch=lenet&train=1024&test=256&batch=64&epochs=2&backend=cpu");
  const { page } = playground;
  await playground.waitForTable();
  assert.equal((await page.textContent('button[name="train"]')).trim(), "Train");
  await playground.train();
  await playground.waitForChartPoints(2, 120_000);
  const before = await playground.chartPoints();

  await playground.switchLanguage("zh");
  assert.equal(await playground.linkParameter("lang"), "zh", "the URL says the language");
  assert.equal((await page.textContent('button[name="pause"]')).trim(), "暂停");
  assert.match(await playground.progress(), HAN, "the progress in Chinese");
  // The run went on: its points are all there, and more come.
  assert.ok((await playground.chartPoints()) >= before, "the chart kept its points");
  await playground.waitForDone();
  assert.equal(await playground.epochCount(), 2, "both epochs ran");
  assert.ok((await playground.chartPoints()) > before);
  assert.match(await playground.bookLine(), /^loss [\d.]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on CPU$/);
  assert.match(await page.textContent(".epoch-announcer"), /^第 2 轮（共 2 轮）完成：loss /);

  await playground.reload();
  await playground.waitForTable();
  assert.equal(await playground.htmlLang(), "zh-CN");
  assert.equal((await page.textContent('button[name="train"]')).trim(), "训练");
  assert.equal(await playground.linkParameter("lang"), "zh");
  // And back.
  await playground.switchLanguage("en");
  assert.equal((await page.textContent('button[name="train"]')).trim(), "Train");
  assert.equal(await playground.linkParameter("lang"), "en");
  await playground.close();
});
