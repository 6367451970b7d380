// Changing the net: VGG's blocks edited in the page (table, URL, reload,
// JSON, presets, embedded), and the gradient strips of edited and paired
// nets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPlayground } from "./playground.mjs";

const site = servedPlayground();

test("change the net: VGG's blocks edited in the page, the table and the URL follow, a reload restores them, the trained variant shows its gradient strip", async () => {
  const playground = await site.open("?arch=vgg&resize=32&train=128&test=64&batch=32&epochs=1&backend=cpu");
  const { page } = playground;
  await playground.waitForTable();
  assert.equal(await playground.rowCount(), 5 + 8, "VGG-11: five blocks, then the dense part");
  // Two blocks fewer, and two convolutions in the first.
  const blocks = '.edit-field[data-key="blocks"]';
  const cell = (row, column) => page.locator(`${blocks} tbody tr:nth-child(${row}) input.cell >> nth=${column}`);
  await page.click(`${blocks} tbody tr:nth-child(5) button.remove-row`);
  await page.click(`${blocks} tbody tr:nth-child(4) button.remove-row`);
  await cell(1, 0).fill("2");
  await page.waitForFunction(() => document.querySelectorAll("table.layers tbody tr.row.top").length === 3 + 8);
  assert.match(await playground.netTitle(), /^VGG-8/, "named by its depth: 5 convolutions + 3 dense layers");
  assert.equal((await playground.shapes())[2], "[1, 64, 4, 4]", "three halvings of 32, 256 ÷ 4 channels");
  await playground.waitForLinkParameter("edit", "blocks-2x64_1x128_2x256");
  // A bad cell names the field and the row; the table waits for a number.
  await cell(2, 1).fill("abc");
  assert.match(await page.textContent(`${blocks} .field-error`), /row 2: a whole number/);
  await cell(2, 1).fill("128");
  // The width ratio is an edit too, and travels as ratio=.
  await playground.setField("ratio", "16");
  await playground.waitForLinkParameter("ratio", "16");
  assert.equal((await playground.shapes())[2], "[1, 16, 4, 4]");
  const editedTable = await playground.shapes();
  // A reload restores the edits from the URL.
  await playground.reload();
  await playground.waitForTable();
  assert.deepEqual(await playground.shapes(), editedTable);
  assert.equal(await cell(1, 0).inputValue(), "2");
  assert.equal(await page.locator(`${blocks} tbody tr`).count(), 3);
  // The same description as JSON, for `cnnp --config`.
  await page.click(".as-json summary");
  const json = JSON.parse(await page.textContent("pre.net-json"));
  // With the channels and classes the data asks of it (Fashion-MNIST's).
  assert.deepEqual(json, { arch: "vgg", conv_arch: [[2, 64], [1, 128], [2, 256]], ratio: 16, in_channels: 1, classes: 10 });
  // The book's exercise, then back to the book's net.
  await playground.pickPreset("vgg-16");
  assert.match(await page.textContent(".question"), /VGG-16 has three convolutions/);
  assert.match(await playground.netTitle(), /^VGG-16/);
  await page.click("button.reset");
  assert.match(await playground.netTitle(), /^VGG-11/);
  assert.equal(await playground.linkParameter("edit"), null);
  await playground.goto("?arch=vgg&resize=32&train=128&test=64&batch=32&epochs=1&backend=cpu&ratio=16&edit=blocks-2x64_1x128_2x256");
  await playground.waitForBackend("CPU");
  // Trained with the gradient view on: a strip of its 5 + 3 weighted layers.
  await page.check('input[name="grad-norms"]');
  await playground.trainToTheEnd();
  await page.waitForSelector("canvas.gradient-strip");
  const caption = await page.textContent('figure.strip[data-which="this run"] figcaption');
  assert.match(caption, /VGG-8 \(this run, 8 layers, 4 steps measured\)/);
  const strip = await page.$eval("canvas.gradient-strip", (c) => ({ w: c.width, h: c.height }));
  assert.deepEqual(strip, { w: 4, h: 8 * 6 }, "a column per step, a band per layer");
  assert.match(await page.textContent(".first-norm"), /^1\.1 conv 1→4 k3: \d\.\d\de[-\d]+$/);
  assert.match(await page.textContent(".last-norm"), /^11 linear 4096→10: \d\.\d\de[-\d]+$/);
  // And a net that no longer fits names the layer, as the table does.
  await playground.pickNet("lenet");
  await page.fill('.edit-field[data-key="k"] input', "11");
  assert.match(await playground.tableError(), /row 6 › AvgPool2d \(k2, s2\): the height would drop below 1/);
  // Embedded with the edits and without the editor.
  await playground.goto("?embed=1&arch=vgg&hide=editor&edit=blocks-1x64_1x128");
  await playground.waitForTable();
  assert.equal(await page.locator(".editor").count(), 0);
  assert.equal(await playground.rowCount(), 2 + 8, "the edits apply without the editor");
  await playground.close();
});

test("gradient flow: the deep plain net and its residual twin side by side", async () => {
  const playground = await site.open("?arch=resnet&train=256&test=64&batch=64&epochs=1&backend=cpu");
  const { page } = playground;
  await playground.waitForBackend("CPU");
  const trainPreset = async (id) => {
    await playground.pickPreset(id);
    assert.equal(await page.isChecked('input[name="grad-norms"]'), true, "the pair turns the gradient view on");
    assert.equal(await playground.field("resize"), "28");
    await playground.trainToTheEnd();
  };
  await trainPreset("deep-plain");
  await trainPreset("deep-residual");
  await page.waitForSelector('figure.strip[data-which="the run before"]');
  const norm = async (which) => {
    const text = await page.textContent(`figure.strip[data-which="${which}"] .first-norm`);
    return Number(text.split(": ").pop());
  };
  const [residual, plain] = [await norm("this run"), await norm("the run before")];
  console.log(`first layer's gradient norm: plain ${plain}, residual ${residual}`);
  assert.ok(plain * 1000 < residual, `plain ${plain} ≪ residual ${residual}`);
  assert.match(await page.textContent('figure.strip[data-which="the run before"] figcaption'), /plain 34-layer net without batch norm \(narrow\)/);
  await playground.screenshotOf("section.gradient-flow", "gradients.png");
  // The same strips for the layers' outputs: the first layer's is the same
  // size in both nets; the plain net's last layers get nothing of it.
  await page.selectOption('select[name="gradient-values"]', "outputs");
  await page.waitForFunction((plain) => !document.querySelector('figure.strip[data-which="the run before"] .first-norm').textContent.endsWith(plain), String(plain));
  const output = async (which, named) =>
    Number((await page.textContent(`figure.strip[data-which="${which}"] .${named}`)).split(": ").pop());
  const [plainFirst, residualFirst] = [await output("the run before", "first-norm"), await output("this run", "first-norm")];
  console.log(`first layer's output rms: plain ${plainFirst}, residual ${residualFirst}`);
  assert.ok(plainFirst > 0.5 * residualFirst && plainFirst < 2 * residualFirst, "the same first layer");
  await playground.screenshotOf("section.gradient-flow", "gradients-outputs.png");
  await playground.close();
});
