// Images of one's own, every way in: every net's quick setting on a zip,
// on IDX files and on classes from the camera (ResNet learning the
// shapes); a 26-class IDX set with its class names, whose weights file
// carries them and loads back; a zip dropped; a link that names its data
// and asks for it; the camera, and a camera refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS, servedPlayground } from "./playground.mjs";
import { CLASSES, LETTERS, png, writeLetters, writeShapes } from "./own-shapes.mjs";
import { HAN } from "./reader.mjs";

const site = servedPlayground();
const ROOT = join(ARTIFACTS, "own-sources");

async function waitForSummary(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector(".own-summary")?.textContent ?? ""), pattern.source, {
    timeout: 60_000,
  });
  return page.textContent(".own-summary");
}

const accuracy = (line) => Number(/test acc ([\d.]+)/.exec(line)[1]);

const NETS = ["lenet", "bn-lenet", "alexnet", "vgg", "nin", "googlenet", "resnet", "densenet"];

/** Each net's quick setting, one epoch on the data held: its table takes the data's channels and gives its classes, and the confusion matrix names them. */
async function everyNetTrains(p, source, { channels, classes }) {
  const { page } = p;
  for (const arch of NETS) {
    await p.pickNet(arch);
    await p.waitForNet(arch);
    // LeNet's and BN-LeNet's quick setting is the book's (no button).
    if (await page.locator('button[name="quick-setup"]').count()) await page.click('button[name="quick-setup"]');
    await p.setField("epochs", "1");
    const side = await p.field("resize");
    assert.equal((await p.shapes()).at(-1), `[1, ${classes.length}]`, `${arch} on ${source}: its classes out`);
    assert.equal(await page.textContent("table.layers tfoot td.shape"), `input [1, ${channels}, ${side}, ${side}]`, `${arch} on ${source}: its channels in`);
    await p.trainToTheEnd(240_000);
    const line = await p.bookLine();
    console.log(`${arch} quick, 1 epoch on ${source}: ${line}`);
    assert.match(line, /^loss \d+\.\d+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on CPU$/, `${arch} on ${source}`);
    const predicted = await page.$$eval(".confusion th.predicted", (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(predicted, classes, `${arch} on ${source}: the confusion matrix names the classes`);
  }
}

test("every net's quick setting trains on each source: a zip, IDX files, classes from the camera; ResNet learns the shapes", async () => {
  const shapes = writeShapes(ROOT);
  const letters = writeLetters(ROOT);
  const p = await site.open("?arch=lenet&backend=cpu");
  const { page } = p;
  await p.waitForBackend("CPU");
  await page.click(".own-data summary");

  await page.setInputFiles('input[name="own-zip"]', shapes.zip);
  await waitForSummary(page, /180 images in 3 classes/);
  await everyNetTrains(p, "the shapes zip", { channels: 3, classes: CLASSES });
  // ResNet, quick setting, a short run with a smaller batch: well above chance (1/3).
  await p.setField("batch", "16");
  await p.setField("epochs", "6");
  await p.trainToTheEnd(300_000);
  const line = await p.bookLine();
  console.log(`ResNet quick, batch 16, 6 epochs: ${line}`);
  assert.ok(accuracy(line) >= 0.7, `ResNet learns the shapes: ${line}`);

  await page.setInputFiles('input[name="own-folder"]', letters.folder);
  await waitForSummary(page, /416 images in 26 classes/);
  await everyNetTrains(p, "the letters' IDX files", { channels: 1, classes: LETTERS });

  await page.click('button[name="camera"]');
  await page.waitForFunction(() => document.querySelector(".camera video")?.videoWidth > 0, null, { timeout: 30_000 });
  for (const k of [0, 1]) {
    for (let i = 0; i < 5; i++) await page.click(`.drawn-class[data-class="${k}"] button[name="add-camera"]`);
  }
  await page.click('button[name="use-drawings"]');
  await waitForSummary(page, /10 images in 2 classes/);
  await everyNetTrains(p, "two classes from the camera", { channels: 1, classes: ["class 1", "class 2"] });
  await p.close();
});

test("a 26-class IDX set: LeNet learns it, the letters name its classes, and its weights file carries them", async () => {
  const letters = writeLetters(ROOT);
  // ReLU and max pooling: the sigmoid LeNet does not leave chance on 312
  // images of 26 classes in 10 epochs (cnnp: test acc 0.04; this, 1.00).
  const p = await site.open("?arch=lenet&edit=act-relu~pool-max&optimizer=adam&lr=0.01&batch=16&epochs=10&backend=cpu");
  const { page } = p;
  await p.waitForBackend("CPU");
  await page.click(".own-data summary");
  await page.setInputFiles('input[name="own-folder"]', letters.folder);
  const summary = await waitForSummary(page, /416 images in 26 classes/);
  console.log(summary);
  assert.match(summary, /letters: 1 × 28 × 28 \(grey\)/);
  assert.equal((await p.shapes()).at(-1), "[1, 26]");
  assert.equal(await page.textContent("table.layers tfoot td.shape"), "input [1, 1, 28, 28]");
  await p.trainToTheEnd();
  const line = await p.bookLine();
  console.log(line);
  assert.ok(accuracy(line) >= 0.5, `LeNet learns 26 classes (chance 0.04): ${line}`);
  const predicted = await page.$$eval(".confusion th.predicted", (cells) => cells.map((c) => c.textContent));
  assert.deepEqual(predicted, LETTERS);

  // The weights file names the classes (in its metadata, which PyTorch's
  // safetensors ignores), and loads back with the same accuracy.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[name="save-weights"]')]);
  const saved = join(ROOT, download.suggestedFilename());
  await download.saveAs(saved);
  const bytes = readFileSync(saved);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString("utf8"));
  const about = Object.values(header.__metadata__ ?? {}).join(" ");
  assert.match(about, /class_names/, "the file names its classes");
  for (const name of ["a", "m", "z"]) assert.ok(about.includes(`"${name}"`), `the file names class ${name}: ${about}`);
  await p.loadWeights(saved);
  await p.waitForWeightsNote(/^loaded /);
  const note = await p.weightsNote();
  console.log(note);
  assert.equal(accuracy(note), accuracy(line), "the same test accuracy");
  await p.close();
});

test("a zip dropped on the panel is read as one picked", async () => {
  const shapes = writeShapes(ROOT);
  const p = await site.open("?arch=lenet&backend=cpu");
  const { page } = p;
  await p.waitForBackend("CPU");
  await page.click(".own-data summary");
  const bytes = [...readFileSync(shapes.zip)];
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], "shapes.zip", { type: "application/zip" }));
    document.querySelector(".own-pick").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, bytes);
  await waitForSummary(page, /180 images in 3 classes; 1 file skipped/);
  await p.close();
});

test("a link names the images of one's own it was made with, asks for them, and knows them by their hash", async () => {
  const shapes = writeShapes(ROOT);
  const letters = writeLetters(ROOT);
  // The page on the shapes puts them in its link, by name only.
  const first = await site.open("?arch=lenet&backend=cpu");
  await first.waitForBackend("CPU");
  await first.page.click(".own-data summary");
  await first.page.setInputFiles('input[name="own-zip"]', shapes.zip);
  const summary = await waitForSummary(first.page, /180 images in 3 classes/);
  const hash = /content hash ([0-9a-f]{16})/.exec(summary)[1];
  await first.waitForLinkParameter("hash", hash);
  assert.equal(await first.linkParameter("data"), "shapes");
  assert.equal(await first.linkParameter("classes"), CLASSES.join(","));
  assert.equal(await first.linkParameter("channels"), "3");
  const link = first.page.url();
  await first.close();

  // Opened elsewhere: the net has the data's classes and channels, and the
  // panel asks for the images.
  const p = await site.open(new URL(link).search);
  const { page } = p;
  await p.waitForBackend("CPU");
  const asked = await page.textContent(".own-asked");
  console.log(asked);
  assert.match(asked, /^This link was made with images of one's own: “shapes”, 3 classes \(blue-triangle, green-square, red-circle\), in colour\. A link never carries images/);
  assert.equal(await page.getAttribute("details.own-data", "open"), "", "the panel is open");
  await p.screenshotOf("details.own-data", "own-asked.png");
  assert.equal((await p.shapes()).at(-1), "[1, 3]");
  assert.equal(await page.textContent("table.layers tfoot td.shape"), "input [1, 3, 28, 28]");
  // Train before the images are here: said plainly, nothing starts.
  await p.train();
  const failure = await p.waitForFailure();
  console.log(failure);
  assert.match(failure, /3 channel\(s\) and has 3 classes, but the data has 1 channel\(s\) and 10 classes/);
  // In Chinese too.
  await p.switchLanguage("zh");
  assert.match(await page.textContent(".own-asked"), /^这个链接是用自己的图像制作的：“shapes”，3 个类别/);
  await p.switchLanguage("en");

  // The same images: known by their hash, and the request goes.
  await page.setInputFiles('input[name="own-zip"]', shapes.zip);
  await waitForSummary(page, new RegExp(hash));
  await page.waitForFunction(() => !document.querySelector(".own-asked"));
  // Other images: said to differ, and used.
  await page.setInputFiles('input[name="own-folder"]', letters.folder);
  await waitForSummary(page, /416 images in 26 classes/);
  assert.match(await page.textContent(".own-asked"), new RegExp(`^These are not the images the link was made with: their content hash is [0-9a-f]{16}, the link's ${hash}\\.`));
  await p.waitForLinkParameter("data", "letters");
  // Back to Fashion-MNIST: the link no longer names data.
  await page.click('button[name="use-fashion"]');
  await page.waitForFunction(() => !document.querySelector(".own-asked") && !document.querySelector(".own-summary"));
  assert.equal((await p.shapes()).at(-1), "[1, 10]");
  assert.equal(await p.linkParameter("data"), null);
  await p.close();
});

test("the camera gives a drawn class its pictures; a camera refused is said, in either language", async () => {
  // Chromium's fake camera (a moving test pattern), allowed without asking.
  const p = await site.open("?arch=lenet&backend=cpu");
  const { page } = p;
  await p.waitForBackend("CPU");
  await page.click(".own-data summary");
  await page.click('button[name="camera"]');
  await page.waitForFunction(() => document.querySelector(".camera video")?.videoWidth > 0 && !document.querySelector(".camera video").hidden, null, { timeout: 30_000 });
  assert.equal(await page.getAttribute('button[name="camera"]', "aria-pressed"), "true");
  for (const k of [0, 1]) {
    for (let i = 0; i < 3; i++) {
      await page.click(`.drawn-class[data-class="${k}"] button[name="add-camera"]`);
      await page.waitForTimeout(150);
    }
    assert.equal(await page.textContent(`.drawn-class[data-class="${k}"] .drawn-count`), "3");
  }
  await p.screenshotOf(".draw-classes", "own-camera.png");
  await page.click('button[name="use-drawings"]');
  await waitForSummary(page, /6 images in 2 classes/);
  // Off: the tracks end.
  await page.click('button[name="camera"]');
  await page.waitForFunction(() => document.querySelector(".camera video").hidden && !document.querySelector(".camera video").srcObject);
  assert.equal(await page.locator('button[name="add-camera"]').first().isVisible(), false);
  await p.close();

  // A browser that says no.
  const refused = await site.open("?arch=lenet&backend=cpu&lang=zh", undefined, {
    prepare: (page) =>
      page.addInitScript(() => {
        navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
      }),
  });
  await refused.page.click(".own-data summary");
  await refused.page.click('button[name="camera"]');
  await refused.page.waitForSelector(".drawn-problem");
  const said = await refused.page.textContent(".drawn-problem");
  console.log(said);
  assert.match(said, /^摄像头未获允许/);
  await refused.switchLanguage("en");
  assert.match(await refused.page.textContent(".drawn-problem"), /^the camera was not allowed/);
  assert.equal(await refused.page.getAttribute('button[name="camera"]', "aria-pressed"), "false");
  await refused.close();
});

test("bad images of one's own are each said, in the reader's language, and the data and run held stay", async () => {
  const shapes = writeShapes(ROOT);
  const letters = writeLetters(join(ROOT, "bad"));
  const bad = join(ROOT, "bad");
  // A zip cut short; a text file named .zip.
  const zipBytes = readFileSync(shapes.zip);
  writeFileSync(join(bad, "truncated.zip"), zipBytes.subarray(0, zipBytes.length >> 1));
  writeFileSync(join(bad, "not-a.zip"), "these are notes, not a zip");
  // IDX files whose counts disagree: fewer training labels than images.
  const counts = join(bad, "counts");
  mkdirSync(counts, { recursive: true });
  for (const name of readdirSync(letters.folder)) copyFileSync(join(letters.folder, name), join(counts, name));
  const labels = readFileSync(join(letters.folder, "emnist-letters-train-labels-idx1-ubyte"));
  const fewer = Buffer.from(labels.subarray(0, labels.length - 10));
  fewer.writeUInt32BE(labels.readUInt32BE(4) - 10, 4);
  writeFileSync(join(counts, "emnist-letters-train-labels-idx1-ubyte"), fewer);
  // A class list that names 25 of the 26 letters.
  const unnamed = join(bad, "unnamed");
  mkdirSync(unnamed, { recursive: true });
  for (const name of readdirSync(letters.folder)) copyFileSync(join(letters.folder, name), join(unnamed, name));
  writeFileSync(join(unnamed, "classes.txt"), LETTERS.slice(0, 25).join("\n") + "\n");
  // 101 classes: one more than the page trains.
  const many = join(bad, "many");
  rmSync(many, { recursive: true, force: true });
  const tiny = png(2, 2, Buffer.alloc(12, 200));
  for (let c = 0; c < 101; c++) {
    mkdirSync(join(many, `c${c}`), { recursive: true });
    for (const i of [0, 1]) writeFileSync(join(many, `c${c}`, `${i}.png`), tiny);
  }

  const p = await site.open("?arch=lenet&train=100&epochs=1&batch=16&backend=cpu&lang=zh");
  const { page } = p;
  await p.waitForBackend("CPU");
  await page.click(".own-data summary");
  await page.setInputFiles('input[name="own-zip"]', shapes.zip);
  const held = await waitForSummary(page, /180 张图像/);
  await p.trainToTheEnd();
  const line = await p.bookLine();
  const cases = [
    ["own-zip", join(bad, "truncated.zip"), /不是可读的 zip 文件/],
    ["own-folder", counts, /标签|label/],
    ["own-zip", join(bad, "not-a.zip"), /不是可读的 zip 文件/],
    ["own-folder", unnamed, /25/],
    ["own-folder", many, /101 个类别；最多支持 100 个/],
  ];
  let before = "";
  for (const [input, path, said] of cases) {
    await page.setInputFiles(`input[name="${input}"]`, path);
    // Each problem is another's: its line changes.
    await page.waitForFunction((before) => (document.querySelector(".own-problem")?.textContent ?? before) !== before, before, { timeout: 60_000 });
    const problem = await page.textContent(".own-problem");
    before = problem;
    console.log(`${path.split("/").pop()}: ${problem}`);
    assert.match(problem, HAN, `said in Chinese: ${problem}`);
    assert.match(problem, said, path);
    assert.equal(await page.textContent(".own-summary"), held, "the shapes stay");
    assert.equal((await p.shapes()).at(-1), "[1, 3]");
    assert.equal(await p.bookLine(), line, "the run stays");
  }
  await p.close();
});
