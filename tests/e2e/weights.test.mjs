// Weights: saved from the page, loaded back (the same net's, another net's,
// an edited net's), trained on; the book's trained LeNet; a missing file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, FIXTURES, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

test("weights: saved in the page, loaded back with the same test accuracy, trained on; the book's trained LeNet; a missing ?weights= file", async () => {
  const query = "?arch=bn-lenet&train=2048&test=500&batch=128&epochs=1&backend=cpu";
  const first = await site.open(query);
  await first.waitForBackend("CPU");
  await first.trainToTheEnd();
  const trained = /test acc ([\d.]+)/.exec(await first.bookLine())[1];
  const [download] = await Promise.all([first.page.waitForEvent("download"), first.page.click('button[name="save-weights"]')]);
  assert.equal(download.suggestedFilename(), "bn-lenet-28px.safetensors");
  const saved = join(ARTIFACTS, "bn-lenet-28px.safetensors");
  await download.saveAs(saved);
  await first.close();

  // A new page: the file loads, and gives the test accuracy the run ended with.
  const again = await site.open(query);
  await again.waitForBackend("CPU");
  await again.loadWeights(saved);
  await again.waitForWeightsNote(/^loaded bn-lenet-28px\.safetensors/);
  const note = await again.weightsNote();
  console.log(note);
  assert.match(note, /\(LeNet \+ BatchNorm \(d2l §7\.5\), 28×28, trained 1 epoch\)/);
  assert.equal(/test acc ([\d.]+) on 500 test images/.exec(note)[1], trained, "the same test accuracy");
  // Train on from them.
  await again.page.check('input[name="from-weights"]');
  await again.trainToTheEnd();
  assert.match(await again.bookLine(), /examples\/sec on CPU$/);
  // A file of another net: the page shows the file's net, and says so.
  await again.pickNet("lenet");
  await again.loadWeights(saved);
  await again.waitForWeightsNote(/; the page now shows the file's net, LeNet \+ BatchNorm at 28×28 \(it showed LeNet at 28×28\)$/);
  assert.equal(await again.selectedNet(), "bn-lenet");
  assert.equal((await again.shapes())[8], "[1, 256]", "BN-LeNet's table");
  // An edited net's file (cnnp train --arch lenet --edit act-relu~pool-max
  // --save): the editor shows its edits, and training goes on from it.
  await again.pickNet("lenet");
  await again.loadWeights(join(FIXTURES, "lenet-relu-max.safetensors"));
  await again.waitForWeightsNote(
    /^loaded lenet-relu-max\.safetensors \(LeNet \(edited\) \(d2l §6\.6\), 28×28, trained 1 epoch\): test acc [\d.]+ on 10000 test images; the page now shows the file's net, LeNet \(edited\) at 28×28 \(it showed LeNet at 28×28\)$/,
  );
  console.log(await again.weightsNote());
  assert.equal(await again.page.inputValue('select[name="act"]'), "relu");
  assert.equal(await again.page.inputValue('select[name="pool"]'), "max");
  assert.match(again.page.url(), /edit=act-relu~pool-max/);
  assert.equal(await again.page.textContent(".net-changes"), "Changed from the book's: activation sigmoid → relu; pooling avg → max");
  await again.setField("train", "512");
  await again.setField("test", "256");
  await again.setField("epochs", "1");
  await again.page.check('input[name="from-weights"]');
  await again.trainToTheEnd();
  assert.match(await again.bookLine(), /examples\/sec on CPU$/);
  // The book's trained LeNet, shipped with the page.
  await again.page.click('button[name="book-weights"]');
  await again.waitForWeightsNote(/^loaded lenet\.safetensors \(LeNet \(d2l §6\.6\), 28×28, trained 10 epochs\): test acc 0\.[6-9]/);
  console.log(await again.weightsNote());
  await again.screenshot("weights.png");
  await again.close();

  // ?weights= naming a file that is not there: a message; the page works on.
  const missing = await site.open("?arch=lenet&weights=assets/weights/missing.safetensors&backend=cpu");
  await missing.page.waitForFunction(() => /missing\.safetensors: not found \(HTTP 404\)/.test(document.querySelector(".weights-problem")?.textContent), null, { timeout: 60_000 });
  await missing.waitForTrainable(60_000);
  await missing.close();
});
