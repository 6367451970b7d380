// How the playground loads on a slow link: opens pages in headless Chromium
// (Debian's, over the bare DevTools protocol) with every page, frame,
// worker and service worker throttled by `Network.emulateNetworkConditions`,
// and prints, per visit, the bytes the server sent (compressed, as a host
// serves them: tests/e2e/server.mjs, brotli) and the times from navigation
// to the table, to Train enabled and to the first training step, in each
// playground of the page.
//
//   node www/bench/load.mjs [--dist dist] [--link 10mbit|slow4g|both] [--scenario course|full|all] [--pace devtools|server]
//
// `--pace devtools` (the default) throttles each target on its own, as
// DevTools does: two workers downloading at once get the speed each, so a
// page of several playgrounds sees more than the link. `--pace server`
// sends every response through one shared pipe of the link's speed, after
// its round trip (the server's `link` option), as a real link would.
//
// Scenarios, each in a fresh browser profile:
// - course: www/embed.html (two playgrounds, autostart on 2,000 + 500
//   images), cold (empty profile), then warm (the same profile again),
//   then offline (the server stopped and the link offline);
// - full: index.html at LeNet's book settings (all 70,000 images), cold:
//   Train pressed as soon as it is enabled; then warm.
// One JSON line per visit on stdout after the human-readable one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serve } from "../../tests/e2e/server.mjs";
import { pipeChromium } from "../../tests/e2e/cdp.mjs";
import { flags } from "./cli.mjs";

const here = import.meta.dirname;
const args = flags();
const DIST = resolve(args.dist || join(here, "../../dist"));
const LINKS = {
  // Campus Wi-Fi, as the issue measured; and DevTools' "slow 4G".
  "10mbit": { latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 },
  slow4g: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 },
};
const links = args.link === "both" || !args.link ? Object.keys(LINKS) : [args.link];
const scenarios = !args.scenario || args.scenario === "all" ? ["course", "full"] : [args.scenario];
const pace = args.pace || "devtools";
/** A browser the size of a laptop's window: the course page's two
 *  playgrounds side by side, both in view (they load lazily). */
const VIEWPORT = { width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false };

/** What each playground shows now: its table, its Train button enabled,
 *  a training step done; the page's own, or each iframe's. Polled every
 *  50 ms (a page under a Content-Security-Policy runs no script of ours). */
const READ_STATE = `(() => {
  const frames = [...document.querySelectorAll("iframe")];
  const docs = frames.length ? frames.map((f) => { try { return f.contentDocument; } catch { return null; } }) : [document];
  return docs.map((doc) => {
    if (!doc) return {};
    const label = doc.querySelector(".progress-label")?.textContent || "";
    return {
      table: !!doc.querySelector("table.layers tbody tr.row.top"),
      trainable: !!doc.querySelector('button[name="train"]:not([disabled])'),
      firstStep: /batch [1-9]/.test(label) || !!doc.querySelector(".phase.done"),
      error: doc.querySelector(".status .error")?.textContent || undefined,
    };
  });
})()`;

/** Chromium over --remote-debugging-pipe, every target throttled as it starts. */
async function launch(profile, conditions) {
  const { chrome, send, listeners } = pipeChromium(profile, "about:blank");
  const network =
    pace === "server"
      ? { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 }
      : { offline: false, ...conditions };
  const sessions = new Set();
  // Every target (page, frame, worker, service worker) is held at its
  // start, throttled, told to attach its own children the same way, and let go.
  listeners.push(async (message) => {
    if (message.method !== "Target.attachedToTarget") return;
    const { sessionId, targetInfo } = message.params;
    sessions.add(sessionId);
    // A target that does not answer one of these (some worker kinds) must
    // still be let go: each gets two seconds.
    const soon = (promise) => Promise.race([promise.catch(() => {}), new Promise((done) => setTimeout(done, 2000))]);
    await soon(send("Network.enable", {}, sessionId));
    await soon(send("Network.emulateNetworkConditions", network, sessionId));
    await soon(send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId));
    await soon(send("Runtime.runIfWaitingForDebugger", {}, sessionId));
    if (process.env.CNNP_DEBUG) console.log(`attached ${targetInfo.type} ${targetInfo.url}`);
  });
  await send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
  const { targetInfos } = await send("Target.getTargets");
  const blank = targetInfos.find((target) => target.type === "page");
  const { sessionId: pageSession } = await send("Target.attachToTarget", { targetId: blank.targetId, flatten: true });
  for (const method of ["Network.enable", "Page.enable", "Runtime.enable"]) await send(method, {}, pageSession);
  await send("Network.emulateNetworkConditions", network, pageSession);
  await send("Emulation.setDeviceMetricsOverride", VIEWPORT, pageSession);
  await send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, pageSession);
  // The HTTP cache stays as the profile left it (warm visits use it).
  await send("Network.setCacheDisabled", { cacheDisabled: false }, pageSession);

  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await send(
      "Runtime.evaluate",
      { expression, returnByValue: true, awaitPromise: true },
      pageSession,
    );
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description}`);
    return result.value;
  };
  return {
    navigate: (url) => send("Page.navigate", { url }, pageSession),
    evaluate,
    async offline() {
      network.offline = true;
      for (const sessionId of [pageSession, ...sessions]) {
        await send("Network.emulateNetworkConditions", network, sessionId).catch(() => {});
      }
    },
    async close() {
      await send("Browser.close").catch(() => {});
      if (chrome.exitCode === null) await new Promise((resolve) => chrome.once("exit", resolve));
    },
  };
}

/** Opens `url` and notes when each playground first shows its table, its
 *  Train enabled, its first step (ms since 1970); presses Train once with
 *  `press`. Until every playground has stepped (or failed), or the time is up. */
async function visit(browser, url, { press, timeoutMs }) {
  await browser.navigate(url);
  const deadline = Date.now() + timeoutMs;
  const marks = [];
  let pressed = false;
  for (;;) {
    const states = await browser.evaluate(READ_STATE).catch(() => []);
    const now = Date.now();
    states.forEach((state, i) => {
      const mark = (marks[i] ||= {});
      for (const key of ["table", "trainable", "firstStep"]) if (state[key] && !mark[key]) mark[key] = now;
      if (state.error && !mark.error) mark.error = state.error;
    });
    if (press && !pressed && marks[0]?.trainable) {
      pressed = await browser.evaluate(`(document.querySelector('button[name="train"]:not([disabled])')?.click(), true)`);
    }
    if (marks.length && marks.every((m) => m.firstStep || m.error)) return marks;
    if (now > deadline) return marks;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function seconds(mark, started) {
  return mark ? +((mark - started) / 1000).toFixed(2) : null;
}

async function scenario(name, linkName) {
  const conditions = LINKS[linkName];
  const profile = mkdtempSync(join(tmpdir(), "cnnp-load-"));
  const link = { bytesPerSecond: conditions.downloadThroughput, latencyMs: conditions.latency };
  const server = await serve(DIST, pace === "server" ? { link } : {});
  const path = name === "course" ? "/www/embed.html" : "/index.html?arch=lenet";
  const visits = name === "course" ? ["cold", "warm", "offline"] : ["cold", "warm"];
  const results = [];
  let browser = await launch(profile, conditions);
  try {
    for (const kind of visits) {
      if (kind !== "cold") {
        // A second visit: the same profile, a new browser.
        await browser.close();
        browser = await launch(profile, conditions);
      }
      if (kind === "offline") {
        await server.close();
        await browser.offline();
      }
      const before = server.sent.length;
      const started = Date.now();
      const marks = await visit(browser, `${server.url}${path}`, {
        press: name === "full",
        timeoutMs: name === "full" ? 600_000 : 180_000,
      });
      if (process.env.CNNP_DEBUG) console.log(JSON.stringify(marks), started);
      const sent = server.sent.slice(before);
      const bytes = sent.reduce((sum, entry) => sum + entry.bytes, 0);
      const full = sent.filter((entry) => entry.status === 200);
      const twice = [...new Set(full.map((e) => e.path))].filter((p) => full.filter((e) => e.path === p).length > 1);
      const result = {
        page: name,
        link: linkName,
        pace,
        visit: kind,
        mb: +(bytes / 1e6).toFixed(2),
        requests: sent.length,
        not_modified: sent.filter((e) => e.status === 304).length,
        fetched_twice: twice,
        playgrounds: marks.map((m) => ({
          table_s: seconds(m.table, started),
          train_enabled_s: seconds(m.trainable, started),
          first_step_s: seconds(m.firstStep, started),
          ...(m.error ? { error: m.error } : {}),
        })),
      };
      const times = result.playgrounds
        .map((p, i) => `#${i + 1} table ${p.table_s} s, Train ${p.train_enabled_s} s, first step ${p.first_step_s} s${p.error ? ` (${p.error})` : ""}`)
        .join("; ");
      console.log(
        `${name} ${linkName} (${pace}) ${kind}: ${result.mb} MB in ${result.requests} requests (${result.not_modified} not modified)` +
          `${twice.length ? `, fetched twice: ${twice.join(" ")}` : ""}; ${times}`,
      );
      console.log(JSON.stringify(result));
      results.push(result);
    }
  } finally {
    await browser.close();
    await server.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  return results;
}

for (const linkName of links) {
  for (const name of scenarios) await scenario(name, linkName);
}
