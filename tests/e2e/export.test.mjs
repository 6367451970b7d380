// The door out: the form's net and run as the book's PyTorch code, a
// script or a notebook, downloaded from the page (scripts/check_export.py
// proves the code is cnnp's net; here, that the page hands over the net the
// form shows, with the form's settings).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, servedPlayground } from "./playground.mjs";

const site = servedPlayground();

/** Clicks `button` and reads the file it downloads: [name, text]. */
async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(`button[name="${button}"]`)]);
  const path = join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(path);
  return [download.suggestedFilename(), await readFile(path, "utf8")];
}

test("export: the edited LeNet as a PyTorch script and a notebook, with the form's settings", async () => {
  const playground = await site.open("?lang=zh&arch=lenet&edit=act-relu~pool-max&lr=0.5&epochs=3&batch=64&backend=cpu");
  const { page } = playground;
  await playground.waitForTable();
  assert.equal((await page.textContent('button[name="export-py"]')).trim(), "脚本 (.py)");

  const [name, script] = await downloaded(page, "export-py");
  assert.equal(name, "lenet.py");
  for (const line of ["EPOCHS = 3", "BATCH_SIZE = 64", "LR = 0.5", "net = nn.Sequential(", 'if __name__ == "__main__":']) {
    assert.ok(script.split("\n").some((l) => l.startsWith(line)), `the script has ${line}`);
  }
  // The edit, as values: ReLU and max pooling, no sigmoid left.
  assert.match(script, /nn\.Conv2d\(1, 6, kernel_size=5, padding=2\), nn\.ReLU\(\)/);
  assert.match(script, /nn\.MaxPool2d\(kernel_size=2, stride=2\)/);
  assert.doesNotMatch(script, /nn\.Sigmoid\(\)|AvgPool2d/);

  const [notebookName, notebookText] = await downloaded(page, "export-ipynb");
  assert.equal(notebookName, "lenet.ipynb");
  const notebook = JSON.parse(notebookText);
  assert.equal(notebook.nbformat, 4);
  const code = notebook.cells.filter((c) => c.cell_type === "code").map((c) => [].concat(c.source).join("")).join("\n");
  assert.match(code, /net = nn\.Sequential\(/);
  assert.match(code, /nn\.MaxPool2d\(kernel_size=2, stride=2\)/);
  assert.equal(await page.locator(".weights-problem").count(), 0, "no problem said");
  await playground.close();
});
