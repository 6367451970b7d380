// Images of one's own in the page: a zip picked, LeNet trained on it (the
// table, the confusion matrix and the gallery with the data's classes, the
// first epoch's loss as cnnp's on the same folder); a zip of one class
// refused with the data kept; the folder picked gives the same data; back
// to Fashion-MNIST; "Run again" of each run brings its data back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, servedPlayground } from "./playground.mjs";
import { CLASSES, writeShapes } from "./own-shapes.mjs";

const site = servedPlayground();
const TARGET = process.env.CARGO_TARGET_DIR || join(homedir(), ".cache/cnn-playground/target");
const CNNP = join(TARGET, "release", "cnnp");
const SETTINGS = ["--optimizer", "adam", "--lr", "0.003", "--batch", "16", "--backend", "cpu"];

/** cnnp's data line and first epoch on the same folder, the same settings. */
function nativeFirstEpoch(folder) {
  assert.ok(existsSync(CNNP), `${CNNP} is built first (scripts/test.sh builds it before the e2e tests)`);
  const out = execFileSync(CNNP, ["train", "--arch", "lenet", "--data", folder, ...SETTINGS, "--epochs", "1", "--json"], { encoding: "utf8" });
  const [data, epoch] = out.trim().split("\n").map((line) => JSON.parse(line));
  return { data, epoch };
}

const summary = (p) => p.page.textContent(".own-summary");

async function waitForSummary(p, pattern) {
  await p.page.waitForFunction((source) => new RegExp(source).test(document.querySelector(".own-summary")?.textContent ?? ""), pattern.source, {
    timeout: 60_000,
  });
}

test("own images: a zip trains LeNet as cnnp does on the folder, a bad zip keeps them, the folder is the same data, back to Fashion-MNIST, each run again on its data", async () => {
  const shapes = writeShapes(join(ARTIFACTS, "own-data"));
  const native = nativeFirstEpoch(shapes.folder);

  const p = await site.open("?arch=lenet&optimizer=adam&lr=0.003&batch=16&epochs=8&backend=cpu");
  await p.waitForBackend("CPU");
  await p.page.click(".own-data summary");
  await p.page.setInputFiles('input[name="own-zip"]', shapes.zip);
  await waitForSummary(p, /180 images in 3 classes; 1 file skipped/);
  const line = await summary(p);
  console.log(line);
  assert.match(line, /shapes: 3 × 32 × 32 \(colour\), split 80\/20 per class, drawn with seed 0/);
  assert.match(line, new RegExp(`content hash ${native.data.hash}$`), "the page's data is cnnp's");
  const counts = await p.page.$$eval(".own-classes tbody tr", (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent).join(" ")));
  assert.deepEqual(counts, CLASSES.map((name) => `${name} 48 12`));
  // Every net takes the data's channels and classes.
  const shapesOut = await p.shapes();
  assert.equal(shapesOut.at(-1), "[1, 3]", "three classes out");
  assert.equal(await p.page.textContent("table.layers tfoot td.shape"), "input [1, 3, 28, 28]");

  await p.trainToTheEnd();
  const book = await p.bookLine();
  console.log(book);
  const testAcc = Number(/test acc ([\d.]+)/.exec(book)[1]);
  assert.ok(testAcc >= 0.8, `LeNet learns the shapes: test acc ${testAcc} (chance 0.33)`);
  const [firstLoss] = await p.perEpoch("loss");
  assert.ok(Math.abs(firstLoss - native.epoch.loss) < 1e-4, `first epoch's loss ${firstLoss} in the page, ${native.epoch.loss} in cnnp`);
  const predicted = await p.page.$$eval(".confusion th.predicted", (cells) => cells.map((c) => c.textContent));
  assert.deepEqual(predicted, CLASSES);
  await p.screenshot("own-data.png");

  // A zip of one class: said, and the shapes stay (data, net, run).
  await p.page.setInputFiles('input[name="own-zip"]', shapes.oneClass);
  await p.page.waitForSelector(".own-problem", { timeout: 60_000 });
  const problem = await p.page.textContent(".own-problem");
  console.log(problem);
  assert.match(problem, /green-square/);
  assert.match(await summary(p), new RegExp(native.data.hash));
  assert.equal((await p.shapes()).at(-1), "[1, 3]");
  assert.equal(await p.bookLine(), book, "the run's results stay");

  // The folder picked: the same images, the same hash.
  await p.page.setInputFiles('input[name="own-folder"]', shapes.folder);
  await p.page
    .waitForFunction(() => !document.querySelector(".own-problem"), null, { timeout: 60_000 })
    .catch(async (e) => assert.fail(`${e.message}: the page says ${await p.page.textContent(".own-problem")}`));
  await waitForSummary(p, new RegExp(native.data.hash));
  assert.match(await summary(p), /180 images in 3 classes; 1 file skipped/);
  // The same images read again: the panel's "Reading…" ends too.
  await p.page.waitForFunction(() => document.querySelector(".own-reading")?.textContent === "");

  // In Chinese, the same summary.
  await p.switchLanguage("zh");
  assert.match(await summary(p), /^3 个类别，共 180 张图像；跳过 1 个文件：shapes\/blue-triangle\/notes\.txt。shapes：3 × 32 × 32（彩色）/);
  await p.switchLanguage("en");

  // Back to Fashion-MNIST: ten classes of grey images again, at once.
  await p.setField("train", "256");
  await p.setField("test", "64");
  await p.setField("epochs", "1");
  await p.page.click('button[name="use-fashion"]');
  await p.page.waitForFunction(() => !document.querySelector(".own-summary"));
  assert.equal((await p.shapes()).at(-1), "[1, 10]");
  assert.equal(await p.page.textContent("table.layers tfoot td.shape"), "input [1, 1, 28, 28]");
  await p.trainToTheEnd();
  const fashion = await p.page.$$eval(".confusion th.predicted", (cells) => cells.map((c) => c.textContent));
  assert.equal(fashion[0], "t-shirt");

  // "Run again" of the run on the shapes: its settings, and its images asked for.
  await p.waitForRuns(2);
  const again = (nth) => p.page.click(`table.runs tbody tr:nth-child(${nth}) button[name="run-again"]`);
  await again(2);
  await p.page.waitForSelector(".own-asked");
  assert.match(await p.page.textContent(".own-asked"), /^The run to run again trained on images of one's own: “shapes”, 3 classes \(blue-triangle, green-square, red-circle\), in colour\./);
  assert.equal((await p.shapes()).at(-1), "[1, 3]");
  assert.equal(await p.field("epochs"), "8");
  // Run again of the Fashion-MNIST run meanwhile: the request goes.
  await again(1);
  await p.page.waitForFunction(() => !document.querySelector(".own-asked"));
  assert.equal((await p.shapes()).at(-1), "[1, 10]");
  await again(2);
  await p.page.waitForSelector(".own-asked");
  await p.page.setInputFiles('input[name="own-zip"]', shapes.zip);
  await waitForSummary(p, new RegExp(native.data.hash));
  await p.page.waitForFunction(() => !document.querySelector(".own-asked"));
  // "Run again" of the run on Fashion-MNIST: back to it at once.
  await again(1);
  await p.page.waitForFunction(() => !document.querySelector(".own-summary"));
  assert.equal((await p.shapes()).at(-1), "[1, 10]");
  await p.close();
});
