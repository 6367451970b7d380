// Memory: a batch too big for a tab refused before it runs; a run's worker
// memory (and on WebGPU the bytes on the GPU) flat epoch to epoch; twenty
// start/stop cycles that leave no growth.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPlayground } from "./playground.mjs";

const site = servedPlayground();

test("a batch too big for the tab's memory on the CPU is refused before training, with one that fits", async () => {
  // GoogLeNet at 224 px, batch 128: 4.7 GB of activations, past wasm32's
  // 4 GiB (the worker's wasm ran out of memory on it).
  const playground = await site.open("?arch=googlenet&resize=224&batch=128&backend=cpu");
  await playground.waitForBackend("CPU");
  const problem = playground.page.locator('p.form-problems[role="alert"]');
  await problem.waitFor({ timeout: 10_000 });
  const message = await problem.textContent();
  console.log(`refused: ${message}`);
  assert.match(message, /^batch 128 does not fit: a training step needs about [\d.]+ GiB of memory, more than the 4\.0 GiB a browser tab gives the CPU backend; a batch of at most (\d+) fits$/);
  assert.equal(await playground.trainDisabled(), true);
  const fits = /at most (\d+) fits/.exec(message)[1];
  await playground.setField("batch", fits);
  await problem.waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(await playground.trainDisabled(), false, "a batch that fits can train");
  await playground.close();
});

test("a run's worker memory stays flat epoch to epoch, and twenty start/stop cycles leave no growth and nothing stuck", async () => {
  const playground = await site.open("?arch=lenet&train=4096&test=512&batch=128&epochs=4&backend=cpu");
  const { page } = playground;
  await playground.waitForTrainable();
  await playground.trainToTheEnd();
  await page.waitForSelector(".epochs li:nth-child(4)[data-worker-memory]", { state: "attached", timeout: 10_000 });
  const perEpoch = await playground.perEpoch("workerMemory");
  const speeds = await playground.epochSpeeds();
  console.log(`worker memory after each epoch: ${perEpoch.join(", ")} bytes; examples/sec: ${speeds.join(", ")}`);
  assert.equal(perEpoch.length, 4);
  // Wasm memory only grows, a page (64 KiB) or more at a time, and the
  // allocator's high-water mark may step once when a look inside or the
  // gallery is answered mid-epoch (CI saw 29.0 MB, 31.4 MB, 31.4 MB). A
  // leak grows every epoch: at most one step, and a small one, passes.
  const steps = perEpoch.slice(1).filter((bytes, i) => bytes > perEpoch[i] * 1.01).length;
  assert.ok(steps <= 1, `memory grew in ${steps} of 3 epochs: ${perEpoch.join(", ")} bytes`);
  assert.ok(perEpoch[3] <= perEpoch[0] * 1.1, `memory grew from ${perEpoch[0]} to ${perEpoch[3]} bytes`);
  // Start and stop twenty times, switching nets between runs (the picker
  // is locked during one): each stop ends its run, and memory stops growing.
  const afterCycle = [];
  for (let cycle = 1; cycle <= 20; cycle++) {
    await playground.pickNet(cycle % 2 ? "bn-lenet" : "lenet");
    await playground.waitForTrainable(60_000);
    await playground.train();
    await playground.waitForBatches(60_000);
    // Mid-run, what would change the net is visibly off.
    if (cycle === 1) {
      assert.equal(await page.isDisabled('button.net-card[data-arch="lenet"]'), true);
      assert.equal(await page.isDisabled('table.runs button[name="run-again"] >> nth=0'), true);
    }
    await playground.stop();
    await playground.waitForDone(60_000);
    await page.waitForFunction(() => document.querySelector(".status")?.dataset.workerMemory, null, { timeout: 10_000 });
    afterCycle.push(Number(await page.getAttribute(".status", "data-worker-memory")));
  }
  console.log(`worker memory after start/stop cycles 1, 5, 10, 20: ${[0, 4, 9, 19].map((i) => afterCycle[i]).join(", ")} bytes`);
  assert.ok(afterCycle[19] <= afterCycle[4] * 1.05, `memory grew from ${afterCycle[4]} to ${afterCycle[19]} bytes over cycles 5-20`);
  await playground.close();
});

test("on WebGPU a run's worker memory and the bytes Burn holds on the GPU stay flat epoch to epoch", async () => {
  const playground = await site.open("?arch=lenet&train=2048&test=256&batch=128&epochs=3&backend=webgpu");
  await playground.waitForBackend("WebGPU");
  await playground.waitForTrainable();
  await playground.trainToTheEnd(600_000);
  await playground.page.waitForSelector(".epochs li:nth-child(3)[data-device-memory]", { state: "attached", timeout: 10_000 });
  const wasm = await playground.perEpoch("workerMemory");
  const gpu = await playground.perEpoch("deviceMemory");
  console.log(`WebGPU, after each epoch: worker memory ${wasm.join(", ")} bytes; on the GPU ${gpu.join(", ")} bytes`);
  assert.equal(gpu.length, 3);
  assert.ok(gpu[0] > 0, "Burn holds the net on the GPU");
  assert.ok(gpu[2] <= gpu[0] * 1.05, `GPU bytes grew from ${gpu[0]} to ${gpu[2]}`);
  assert.ok(wasm[2] <= wasm[0] * 1.05, `worker memory grew from ${wasm[0]} to ${wasm[2]}`);
  await playground.close();
});
