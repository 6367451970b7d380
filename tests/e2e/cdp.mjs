// A bare Chrome DevTools Protocol driver, for the one thing Playwright
// cannot show: a tab in the background. Playwright makes every page it
// drives behave as a visible, active tab (microsoft/playwright#2286), so
// `document.visibilityState` stays "visible" under it whichever tab is in
// front, headless or headful, minimised or not (all tried here). This
// launches Debian's Chromium the same way (chromium.mjs) but talks to it
// over --remote-debugging-pipe, so a tab behind another is hidden as it is
// for a person.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumLaunchOptions } from "./chromium.mjs";

/**
 * Debian's Chromium, headless, on `profile`, opened at `url`, driven over
 * --remote-debugging-pipe: `send(method, params, sessionId)` answers a
 * command; each event (a message with a method) goes to every function in
 * `listeners`.
 */
export function pipeChromium(profile, url) {
  const { executablePath, args } = chromiumLaunchOptions();
  const chrome = spawn(
    executablePath,
    [...args, "--headless=new", "--remote-debugging-pipe", `--user-data-dir=${profile}`, url],
    // Chromium reads commands on fd 3 and writes answers on fd 4.
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const toChrome = chrome.stdio[3];
  const pending = new Map();
  const listeners = [];
  let nextId = 0;
  let buffered = "";
  chrome.stdio[4].on("data", (chunk) => {
    buffered += chunk.toString("utf8");
    let end;
    while ((end = buffered.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      const waiter = message.id !== undefined && pending.get(message.id);
      if (waiter) {
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
        else waiter.resolve(message.result);
      } else if (message.method) {
        for (const listener of listeners) listener(message);
      }
    }
  });
  const send = (method, params = {}, sessionId) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject, method });
      toChrome.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
    });
  return { chrome, send, listeners };
}

export async function launchBare(url) {
  const profile = mkdtempSync(join(tmpdir(), "cnnp-cdp-"));
  const { chrome, send } = pipeChromium(profile, url);

  // The tab the command line opened.
  const { targetInfos } = await send("Target.getTargets");
  const first = targetInfos.find((target) => target.type === "page");
  const { sessionId } = await send("Target.attachToTarget", { targetId: first.targetId, flatten: true });

  const tab = {
    targetId: first.targetId,
    /** The value of `expression` in the tab (awaited if a promise). */
    async evaluate(expression) {
      const { result, exceptionDetails } = await send(
        "Runtime.evaluate",
        { expression, returnByValue: true, awaitPromise: true },
        sessionId,
      );
      if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description}`);
      return result.value;
    },
    /** Polls `expression` until it is truthy; its value. */
    async waitFor(expression, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await tab.evaluate(expression).catch(() => undefined);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
    async screenshot() {
      const { data } = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true }, sessionId);
      return Buffer.from(data, "base64");
    },
  };

  return {
    tab,
    /** Opens another tab in the same window, in front: `tab` goes behind it. */
    async openTabInFront(otherUrl) {
      const { targetId } = await send("Target.createTarget", { url: otherUrl, newWindow: false });
      await send("Target.activateTarget", { targetId });
      return targetId;
    },
    async closeTab(targetId) {
      await send("Target.closeTarget", { targetId });
    },
    async bringToFront(targetId) {
      await send("Target.activateTarget", { targetId });
    },
    async close() {
      await send("Browser.close").catch(() => {});
      if (chrome.exitCode === null) await new Promise((resolve) => chrome.once("exit", resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
