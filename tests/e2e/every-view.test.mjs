// Every view of the playground, in English and in Chinese, as a reader
// walks through them: the page on load, inside the net, after a run (the
// chart, the gradient view, the confusion matrix), the gallery of
// predictions, the run history with a run, the editor, and the course page
// that embeds two playgrounds. At each one: axe-core finds nothing of
// serious or critical impact (the minor ones are logged), and the text is
// the reader's language: no English prose in Chinese (code, names, units
// and the book's training line excepted), no Chinese in English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, DESKTOP, servedPlayground } from "./playground.mjs";
import { CLASSES_ZH, writeShapes } from "./own-shapes.mjs";
import { axe, axeSummary, notInLanguage } from "./reader.mjs";

const site = servedPlayground();

/** A short run of LeNet on the CPU: a small subset, one epoch. */
const SHORT_RUN = "arch=lenet&train=512&test=256&batch=64&epochs=1&backend=cpu";

/** Opens every "show as a table" in sight. */
async function openTables(page) {
  for (const summary of await page.locator("details.as-table:not([open]) > summary").all()) {
    if (await summary.isVisible()) await summary.click();
  }
}

/**
 * Checks the page as it is now, called `view`: axe and the language. What
 * fails is kept in `failures` (all views are walked before the test fails,
 * so one run shows everything); the minor findings are logged.
 */
async function check(page, lang, view, failures) {
  const found = await axe(page);
  console.log(`${lang} · ${view}: axe: ${axeSummary(found)}`);
  for (const impact of ["minor", "moderate"]) {
    for (const v of found[impact]) console.log(`  ${impact} ${v.rule}: ${v.nodes.join(" | ")}`);
  }
  for (const impact of ["serious", "critical"]) {
    for (const v of found[impact]) failures.push(`${view}: axe ${impact} ${v.rule} ×${v.count}: ${v.nodes.join(" | ")}`);
  }
  const offences = await notInLanguage(page, lang);
  for (const o of offences) failures.push(`${view}: not ${lang}: ${o.where}: “${o.text}”${o.words ? ` (${o.words})` : ""}`);
  console.log(`${lang} · ${view}: ${offences.length} texts not in ${lang}`);
}

for (const lang of ["en", "zh"]) {
  test(`every view in ${lang}: axe finds nothing serious or critical, and every word is the reader's language`, async () => {
    const failures = [];
    const playground = await site.open(`?lang=${lang}&${SHORT_RUN}`, { width: DESKTOP.width, height: 1000 });
    const { page } = playground;
    await playground.waitForTable();
    await playground.waitForBackend("CPU");
    assert.equal(await playground.htmlLang(), lang === "zh" ? "zh-CN" : "en");
    await check(page, lang, "on load", failures);

    // Inside the net before training: a row's maps, the test images.
    await playground.openRow(1);
    await page.waitForSelector(".gallery .thumb[data-index] canvas", { timeout: 60_000 });
    await check(page, lang, "inside the net", failures);

    // A run, with the gradient view; its chart, strips and matrix as tables.
    await page.check('input[name="grad-norms"]');
    await playground.trainToTheEnd();
    await page.waitForSelector("details.confusion");
    await page.waitForSelector(".gradient-flow figure.strip");
    await openTables(page);
    await check(page, lang, "after a run", failures);

    // The gallery of predictions, mistakes only, then a cell of the matrix.
    await page.waitForFunction(() => document.querySelectorAll(".gallery .thumb[data-index] canvas").length === 16, null, { timeout: 60_000 });
    await page.check('input[name="mistakes-only"]');
    await page.click("details.confusion td.cell.wrong");
    await check(page, lang, "the predictions", failures);

    // The run history with the run, compared.
    await playground.waitForRuns(1);
    await page.check('table.runs input[name="compare"]');
    await page.waitForSelector("figure.compare");
    await openTables(page);
    await check(page, lang, "run history", failures);

    // The editor: a net with blocks, an exercise, a block opened.
    await playground.pickNet("vgg");
    await playground.waitForNet("vgg");
    await page.locator("button[data-preset]").first().click();
    await page.waitForSelector(".question");
    await page.locator("table.layers button.expand").first().click();
    await page.locator("details.as-json > summary").click();
    await check(page, lang, "the editor", failures);
    await playground.screenshot(`every-view-${lang}.png`);

    // Your own images: a zip read (its classes, split and hash), the
    // drawn classes with the camera on.
    // A Chinese reader's folders have Chinese names (their names are shown as they are).
    const names = lang === "zh" ? { name: "形状", classes: CLASSES_ZH } : {};
    const shapes = writeShapes(join(ARTIFACTS, `every-view-${lang}`), names);
    await page.click(".own-data summary");
    await page.setInputFiles('input[name="own-zip"]', shapes.zip);
    await page.waitForSelector(".own-summary", { timeout: 60_000 });
    await page.click('button[name="camera"]');
    await page.waitForFunction(() => document.querySelector(".camera video")?.videoWidth > 0, null, { timeout: 30_000 });
    await check(page, lang, "your own images", failures);
    await playground.close();

    // The course page, its two playgrounds in the reader's language.
    const course = await site.newTab({ width: 1400, height: 1000 });
    await course.goto(`${site.url}/www/embed.html?lang=${lang}`);
    for (const index of [0, 1]) {
      await course.frameLocator("iframe.cnnp").nth(index).locator("table.layers tbody tr.row.top").first().waitFor({ timeout: 60_000 });
    }
    await check(course, lang, "the embed page", failures);
    await course.close();

    assert.deepEqual(failures, [], `${failures.length} problems:\n${failures.join("\n")}`);
  });
}
