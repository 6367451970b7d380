// Light and offline: a subset run fetches only its shards; the shards are
// the canonical files cut up; a second visit without a connection opens
// and trains on what this browser keeps, and says what it lacks; a new
// build is offered and taken whole; two playgrounds on one course page
// fetch the worker once; a shard that arrives wrong is fetched once more,
// then named, with Retry, and no run starts on part of its data.
//
// Each test has a server of its own (tests/e2e/server.mjs: one to stop,
// one to switch to a new build, one that damages a shard) and a browser
// context of its own, so each starts without a service worker or cache.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { chromiumLaunchOptions } from "./chromium.mjs";
import { DESKTOP, DIST, Playground } from "./playground.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const SHARDS = "assets/fashion-mnist/shards/";
/** A small LeNet run on the CPU backend (SwiftShader's WebGPU is slow). */
const SUBSET = "?arch=lenet&train=2000&test=500&batch=100&epochs=1";

let browser;
before(async () => {
  browser = await chromium.launch(chromiumLaunchOptions());
});
after(async () => {
  await browser?.close();
});

/** A fresh browser context (its own service workers, caches, HTTP cache). */
async function freshContext() {
  const context = await browser.newContext({ viewport: DESKTOP });
  context.on("page", (page) => {
    page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  });
  return context;
}

async function open(context, origin, query) {
  const page = await context.newPage();
  const response = await page.goto(`${origin}/index.html${query}`);
  return new Playground(page, origin, response);
}

/** Until the app's service worker controls the page. */
async function waitForServiceWorker(playground) {
  await playground.page.waitForFunction(() => navigator.serviceWorker?.controller, null, { timeout: 30_000 });
}

/** The requests the server answered for paths matching `pattern`. */
function requests(server, pattern) {
  return server.sent.filter((entry) => pattern.test(entry.path));
}

/** A copy of the build in a folder of its own (to change, or to serve). */
function copyOfBuild() {
  const dir = mkdtempSync(join(tmpdir(), "cnnp-build-"));
  cpSync(DIST, dir, { recursive: true });
  return dir;
}

test("the shards joined are the canonical files, byte for byte", () => {
  const manifest = JSON.parse(readFileSync(join(DIST, SHARDS, "manifest.json"), "utf8"));
  for (const [split, images, labels] of [
    ["train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
    ["test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
  ]) {
    const pixels = [];
    const classes = [];
    for (const shard of manifest[split].shards) {
      const body = gunzipSync(readFileSync(join(DIST, SHARDS, shard.file)));
      classes.push(body.subarray(0, shard.images));
      pixels.push(body.subarray(shard.images));
    }
    const canonicalImages = gunzipSync(readFileSync(join(DIST, "assets/fashion-mnist", images)));
    const canonicalLabels = gunzipSync(readFileSync(join(DIST, "assets/fashion-mnist", labels)));
    assert.ok(canonicalImages.subarray(16).equals(Buffer.concat(pixels)), `${split} images`);
    assert.ok(canonicalLabels.subarray(8).equals(Buffer.concat(classes)), `${split} labels`);
    assert.equal(manifest[split].count, canonicalLabels.readUInt32BE(4));
  }
});

test("a run on 2,000 + 500 images fetches only its three shards", async () => {
  const server = await serve(DIST);
  const context = await freshContext();
  try {
    const playground = await open(context, server.url, SUBSET);
    await playground.waitForTrainable();
    await playground.trainToTheEnd(180_000);
    const shards = requests(server, /^\/assets\/fashion-mnist\/shards\/.*\.gz$/).map((entry) => entry.path.split("/").pop());
    console.log(`shards fetched: ${shards.join(", ")}`);
    assert.deepEqual(shards.map((name) => name.slice(0, 9)).sort(), ["test-000-", "train-000", "train-001"]);
    assert.equal(requests(server, /idx\d-ubyte\.gz$/).length, 0, "no canonical file");
    const bytes = requests(server, /fashion-mnist/).reduce((sum, entry) => sum + entry.bytes, 0);
    console.log(`data over the wire: ${(bytes / 1e6).toFixed(2)} MB`);
    assert.ok(bytes < 1.4e6, `${bytes} bytes`);
    // The whole set: a progress bar while it comes, the run once it is all in.
    await playground.page.evaluate(() => {
      window.__labels = [];
      new MutationObserver(() => {
        const label = document.querySelector(".progress-label")?.textContent;
        if (label && label !== window.__labels.at(-1)) window.__labels.push(label);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await playground.setField("train", "60000");
    await playground.setField("test", "10000");
    await playground.train();
    await playground.waitForBatches(180_000);
    await playground.stop();
    const labels = await playground.page.evaluate(() => window.__labels);
    const downloads = labels.filter((label) => label.startsWith("downloading Fashion-MNIST"));
    console.log(`full set: ${downloads.length} progress labels, last "${downloads.at(-1)}"`);
    assert.ok(downloads.length >= 2, labels.join(" | "));
    // What the full set adds to the three shards already here.
    const manifest = JSON.parse(readFileSync(join(DIST, SHARDS, "manifest.json"), "utf8"));
    const shardBytes = (split, skip) => manifest[split].shards.slice(skip).reduce((sum, shard) => sum + shard.bytes, 0);
    const rest = ((shardBytes("train", 2) + shardBytes("test", 1)) / 2 ** 20).toFixed(1);
    assert.ok(downloads.at(-1).endsWith(`of ${rest} MiB`), `${downloads.at(-1)}, ${rest} MiB to fetch`);
    const all = requests(server, /shards\/.*\.gz$/).length;
    assert.equal(all, 70, "every shard once: the three of the first run not again");
  } finally {
    await context.close();
    await server.close();
  }
});

test("offline: a second visit opens, trains on the images kept, and says what is not here", async () => {
  const server = await serve(DIST);
  const context = await freshContext();
  try {
    const first = await open(context, server.url, SUBSET);
    await waitForServiceWorker(first);
    await first.waitForTrainable();
    await first.trainToTheEnd(180_000);
    await first.page.close();
    // The connection and the server gone.
    await server.close();
    await context.setOffline(true);
    const playground = await open(context, server.url, SUBSET);
    await playground.waitForTable({ timeout: 30_000 });
    const note = await playground.page.textContent(".offline-note", { timeout: 30_000 });
    console.log(`offline note: ${note}`);
    assert.equal(note, "offline: 2,000 training and 1,000 test images are here; the full set needs a connection");
    await playground.waitForTrainable();
    await playground.trainToTheEnd(180_000);
    assert.match(await playground.bookLine(), /^loss [\d.]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on CPU$/);
    // A run on more than is here: said, with Retry, and not started.
    await playground.setField("train", "6000");
    await playground.train();
    const error = playground.page.locator(".status .error");
    await error.waitFor({ timeout: 60_000 });
    assert.match(
      await error.textContent(),
      /offline: 2,000 training images are here; a run on 6,000 training and 500 test images needs a connection/,
    );
    assert.equal(await playground.page.locator('.status button[name="retry"]').count(), 1);
    assert.equal(await playground.epochCount(), 1, "the last run's epoch, no new run");
    assert.equal(await playground.page.locator(".phase.preparing, .phase.failed").count(), 0);
    await playground.screenshot("offline.png");
  } finally {
    await context.close();
  }
});

test("a new build: the page offers it and reloads into it whole", async () => {
  const buildA = copyOfBuild();
  const buildB = copyOfBuild();
  const server = await serve(buildA);
  const context = await freshContext();
  try {
    const playground = await open(context, server.url, SUBSET);
    await waitForServiceWorker(playground);
    await playground.waitForTrainable();
    const build = () => playground.page.getAttribute('meta[name="cnnp-build"]', "content");
    const idA = await build();
    // Build B: another worker (its loaders mark it), listed anew.
    for (const loader of ["worker_loader.js", "worker_threads_loader.js"]) {
      const path = join(buildB, loader);
      writeFileSync(path, `self.__cnnpBuild = "B";\n${readFileSync(path, "utf8")}`);
    }
    execFileSync("python3", [join(ROOT, "scripts/make_sw.py"), buildB]);
    const idB = readFileSync(join(buildB, "index.html"), "utf8").match(/name="cnnp-build" content="([0-9a-f]+)"/)[1];
    assert.notEqual(idA, idB);
    server.serveFrom(buildB);
    // The next visit opens build A from this browser, finds B, offers it.
    await playground.reload();
    await playground.waitForTable();
    assert.equal(await build(), idA, "the page in use stays whole until the reader says");
    const notice = playground.page.locator(".app-update");
    await notice.waitFor({ timeout: 60_000 });
    assert.match(await notice.textContent(), /A new version of the playground is ready/);
    await Promise.all([playground.page.waitForEvent("load", { timeout: 60_000 }), notice.locator('button[name="reload"]').click()]);
    await playground.waitForTrainable();
    assert.equal(await build(), idB, "the page is build B");
    const caches = await playground.page.evaluate(() => caches.keys());
    assert.deepEqual(caches.filter((name) => name.startsWith("cnnp-app-")), [`cnnp-app-${idB}`], "build A's copy is gone");
    const workers = playground.page.workers();
    const marks = await Promise.all(workers.map((worker) => worker.evaluate(() => self.__cnnpBuild).catch(() => null)));
    console.log(`build ${idA} -> ${idB}; workers' marks: ${marks.join(", ")}`);
    assert.ok(marks.includes("B"), "the training worker is build B's");
    assert.ok(!marks.some((mark) => mark !== "B" && mark !== undefined && mark !== null));
    await playground.trainToTheEnd(180_000);
  } finally {
    await context.close();
    await server.close();
    rmSync(buildA, { recursive: true, force: true });
    rmSync(buildB, { recursive: true, force: true });
  }
});

test("two playgrounds on one course page fetch the worker's wasm once, and both train", async () => {
  const server = await serve(DIST);
  const context = await freshContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/www/embed.html`);
    const frames = [0, 1].map((index) => page.frameLocator("iframe.cnnp").nth(index));
    for (const frame of frames) {
      await frame.locator(".progress-label").filter({ hasText: /batch [1-9]/ }).waitFor({ timeout: 180_000 });
    }
    const wasm = requests(server, /^\/worker(_threads)?_bg\.wasm$/);
    console.log(`worker wasm requests: ${wasm.map((entry) => `${entry.path} ${entry.status} ${entry.bytes}`).join("; ")}`);
    assert.equal(wasm.length, 1, "one request for the worker's wasm");
    const shards = requests(server, /shards\/.*\.gz$/).map((entry) => entry.path.split("/").pop());
    assert.equal(new Set(shards).size, shards.length, `each shard once: ${shards.join(", ")}`);
  } finally {
    await context.close();
    await server.close();
  }
});

/** Flips a byte in the middle of `body`. */
function damaged(body) {
  const copy = Buffer.from(body);
  copy[copy.length >> 1] ^= 0xff;
  return copy;
}

test("a shard that arrives wrong is fetched once more, then named with Retry, and no run starts", async () => {
  let damage = "always";
  const server = await serve(DIST, {
    tamper: (path, body, nth) => {
      if (!/shards\/train-001-/.test(path)) return body;
      if (damage === "always") return damaged(body);
      // Cut short on its first request from a new visitor (the 4th here).
      if (damage === "cut once" && nth === 4) return body.subarray(0, body.length >> 1);
      return body;
    },
  });
  const shard = () => requests(server, /shards\/train-001-/).length;
  let context = await freshContext();
  try {
    const playground = await open(context, server.url, SUBSET);
    await playground.waitForTrainable();
    await playground.train();
    const error = playground.page.locator(".status .error");
    await error.waitFor({ timeout: 60_000 });
    const said = await error.textContent();
    console.log(`damaged shard: ${said}`);
    assert.match(said, /train-001-[0-9a-f]{16}\.gz: its checksum does not match the build's, and again when fetched once more/);
    assert.equal(shard(), 2, "fetched once more, not again");
    assert.equal(await playground.page.locator(".progress, .phase.preparing").count(), 0, "no run started");
    assert.equal(await playground.epochCount(), 0);
    // Mended on the server: Retry brings it (the HTTP cache's damaged copy
    // is passed over once more), and the run goes.
    damage = "none";
    await playground.page.click('.status button[name="retry"]');
    await playground.page.waitForSelector(".status .error", { state: "detached", timeout: 60_000 });
    await playground.page.waitForFunction(() => /2,?000 training/.test(document.querySelector(".phase")?.textContent ?? ""), null, {
      timeout: 60_000,
    });
    assert.equal(shard(), 3);
    await playground.trainToTheEnd(180_000);
    await context.close();

    // A shard cut short on its way to a new visitor: fetched once more, and
    // the run goes without a word.
    damage = "cut once";
    context = await freshContext();
    const again = await open(context, server.url, SUBSET);
    await again.waitForTrainable();
    await again.trainToTheEnd(180_000);
    assert.equal(shard(), 5, "the cut one fetched once more");
    assert.equal(await again.page.locator(".status .error").count(), 0);
  } finally {
    await context.close();
    await server.close();
  }
});
