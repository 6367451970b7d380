// Links and embedding: a link restores a setup and follows the form, a
// malformed one says what it ignored; playgrounds embedded in a course page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

/** A course page's frame: one playground, embedded, training on the CPU. */
function embeddedFrame(arch) {
  return `<iframe class="cnnp" style="width:680px;height:900px" src="${site.url}/index.html?embed=1&hide=arch&arch=${arch}&train=2048&test=512&batch=128&epochs=2&backend=cpu"></iframe>`;
}

test("a link restores a setup, and the URL follows the settings without a reload", async () => {
  const playground = await site.open("?arch=resnet&lr=0.05&epochs=5&batch=128&resize=64");
  await playground.waitForTable();
  assert.equal(await playground.selectedNet(), "resnet");
  assert.equal(await playground.field("epochs"), "5");
  assert.equal(await playground.field("batch"), "128");
  assert.equal(await playground.field("resize"), "64");
  assert.equal((await playground.shapes())[4], "[1, 512, 2, 2]", "ResNet at 64");
  await playground.page.evaluate(() => (window.__sameDocument = true));
  await playground.setField("epochs", "7");
  await playground.waitForLinkParameter("epochs", "7");
  await playground.pickNet("densenet");
  await playground.waitForLinkParameter("arch", "densenet");
  assert.equal(await playground.page.evaluate(() => window.__sameDocument), true, "no reload");
  await playground.close();
});

test("a malformed parameter shows a notice naming it, and the defaults stand", async () => {
  const playground = await site.open("?arch=squeezenet&lr=abc&epochs=5&colour=blue");
  await playground.waitForTable();
  const notice = await playground.page.textContent(".notice");
  assert.match(notice, /arch=squeezenet ignored/);
  assert.match(notice, /lr=abc ignored/);
  assert.match(notice, /unknown parameter 'colour'/);
  assert.equal(await playground.selectedNet(), "lenet");
  assert.equal(await playground.field("lr"), "0.9", "the book's LeNet learning rate");
  assert.equal(await playground.field("epochs"), "5", "good values still apply");
  await playground.close();
});

test("two playgrounds on one course page train at once, each with its own worker", async () => {
  const page = await site.newTab({ width: 1400, height: 1000 });
  await page.setContent(`<!doctype html><body style="display:flex">${embeddedFrame("lenet")}${embeddedFrame("bn-lenet")}</body>`);
  const frames = [0, 1].map((index) => page.frameLocator("iframe.cnnp").nth(index));
  for (const frame of frames) {
    await frame.locator('button[name="train"]:not([disabled])').waitFor({ timeout: 120_000 });
  }
  for (const frame of frames) await frame.locator('button[name="train"]').click();
  // Both make progress while the other runs (neither waits for the other).
  for (const frame of frames) {
    await frame.locator(".progress-label").filter({ hasText: /epoch 1 of 2: batch [1-9]/ }).waitFor({ timeout: 120_000 });
  }
  for (const frame of frames) {
    await frame.locator(".phase.done").waitFor({ timeout: 300_000 });
    const line = await frame.locator(".book-line").textContent();
    console.log(`two at once: ${line}`);
    assert.match(line, /^loss [\d.]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on CPU$/);
  }
  await page.close();
});

test("the course page embeds two playgrounds, each with its net's table", async () => {
  const page = await site.newTab({ width: 1400, height: 1000 });
  await page.goto(`${site.url}/www/embed.html`);
  const frames = page.locator("iframe.cnnp");
  assert.equal(await frames.count(), 2);
  const titles = [];
  for (const index of [0, 1]) {
    const frame = page.frameLocator("iframe.cnnp").nth(index);
    await frame.locator("table.layers tbody tr.row.top").first().waitFor({ timeout: 30_000 });
    titles.push((await frame.locator("#net-title").textContent()).trim());
    assert.equal(await frame.locator("button.net-card").count(), 0, "hide=arch hides the picker");
    assert.equal(await frame.locator("header.site-header").count(), 0, "no site chrome");
    assert.match(await frame.locator("a.open-full").getAttribute("href"), /^\.\/\?arch=/);
    assert.equal(await frame.locator("table.layers tbody tr.row.top td.shape").last().textContent(), "[1, 10]");
  }
  assert.match(titles[0], /^LeNet/);
  assert.match(titles[1], /^LeNet \+ BatchNorm/);
  // Each playground told the page its height, and its frame took it.
  await page.waitForFunction(() => [...document.querySelectorAll("iframe.cnnp")].every((f) => f.style.height && f.style.height !== "900px"));
  await page.screenshot({ path: join(ARTIFACTS, "embed.png"), fullPage: true });
  await page.close();
});
