// The playground as a person uses it, for the end-to-end tests (the page
// object of Leptos's own e2e examples: what a person does is a method, the
// selectors live here once). The built page (dist/, from `trunk build
// --release`, or $CNNP_DIST) is served on 127.0.0.1 and driven in Debian's
// headless Chromium with WebGPU on SwiftShader. SwiftShader is slow: tiny
// subsets and batches only.
import { after, before } from "node:test";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { chromiumLaunchOptions } from "./chromium.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
export const DIST = process.env.CNNP_DIST || join(ROOT, "dist");
/** Screenshots and downloads the tests keep. */
export const ARTIFACTS = join(ROOT, "test-artifacts");
/** Pictures and weights files the tests hand to the page. */
export const FIXTURES = join(import.meta.dirname, "fixtures");

/** A laptop's window: the viewport most tests use. */
export const DESKTOP = { width: 1366, height: 900 };
/** Playwright's own default viewport (what `browser.newPage()` gives). */
export const PLAYWRIGHT_DEFAULT = { width: 1280, height: 720 };
/** A phone held upright: touch, twice as many device pixels. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** A tablet held upright. */
export const TABLET = { viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** The smallest target a finger should have to hit, in CSS px (WCAG 2.5.8). */
export const TARGET_PX = 24;

/** A page's errors and console errors, in the test's log. */
function logErrors(page) {
  page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.log(`console: ${message.text()}`);
  });
}

/**
 * The server and the browser for one test file: started before its tests,
 * closed after them. Returns what opens pages on them.
 */
export function servedPlayground() {
  let server;
  let browser;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await serve(DIST);
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    /** The server's origin, `http://127.0.0.1:<port>`. */
    get url() {
      return server.url;
    },
    /** What the server sent: [{path, bytes, encoding}]. */
    get sent() {
      return server.sent;
    },
    /** A blank tab (its own browser context), for pages that embed the playground. */
    async newTab(viewport = DESKTOP) {
      // A viewport, or a device: PHONE, TABLET ({viewport, hasTouch, …}).
      // A context of its own, which axe needs (it opens a page beside).
      const context = await browser.newContext(viewport.viewport ? viewport : { viewport });
      const page = await context.newPage();
      logErrors(page);
      return page;
    },
    /**
     * Opens the playground at `query` (`?arch=lenet&…`) in a tab of its own.
     * `prepare(page)` runs before the navigation (routes, clocks, init
     * scripts); `waitUntil` is Playwright's; `origin` serves another server.
     */
    async open(query = "", viewport = DESKTOP, { prepare, waitUntil, origin } = {}) {
      const page = await this.newTab(viewport);
      if (prepare) await prepare(page);
      const response = await page.goto(`${origin ?? server.url}/index.html${query}`, waitUntil ? { waitUntil } : {});
      return new Playground(page, origin ?? server.url, response);
    },
  };
}

/** One tab showing the playground. `page` is Playwright's, for what only one test does. */
export class Playground {
  constructor(page, origin, response) {
    this.page = page;
    this.origin = origin;
    /** The response to the navigation (its headers). */
    this.response = response;
  }

  // Moving about.

  /** Goes to the playground at another `query`, in the same tab. */
  async goto(query) {
    await this.page.goto(`${this.origin}/index.html${query}`);
  }

  async reload() {
    await this.page.reload();
  }

  async close() {
    await this.page.context().close();
  }

  /** A full-page screenshot, in test-artifacts/. */
  async screenshot(name) {
    await this.page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
  }

  /** A screenshot of one part of the page, in test-artifacts/. */
  async screenshotOf(selector, name) {
    await this.page.locator(selector).screenshot({ path: join(ARTIFACTS, name) });
  }

  /** The value of the URL's `name` parameter (null when it has none). */
  async linkParameter(name) {
    return this.page.evaluate((name) => new URLSearchParams(location.search).get(name), name);
  }

  /** Until the URL's `name` parameter reads `value`. */
  async waitForLinkParameter(name, value) {
    await this.page.waitForFunction(([name, value]) => new URLSearchParams(location.search).get(name) === value, [name, value]);
  }

  // The net and its table.

  /** Until the layer table shows its first row. */
  async waitForTable(options) {
    await this.page.waitForSelector("table.layers tbody tr.row.top", options);
  }

  /** Output shapes of the top-level rows of the table. */
  async shapes() {
    return this.page.$$eval("table.layers tbody tr.row.top td.shape", (cells) => cells.map((c) => c.textContent));
  }

  /** How many top-level rows the table has. */
  async rowCount() {
    return this.page.locator("table.layers tbody tr.row.top").count();
  }

  /** What the table says instead of shapes, when the net does not fit. */
  async tableError() {
    return this.page.textContent(".table-error");
  }

  /** Clicks the net's card in the picker (`lenet`, `bn-lenet`, …). */
  async pickNet(arch) {
    await this.page.click(`button.net-card[data-arch="${arch}"]`);
  }

  /** Until the picker shows `arch` selected. */
  async waitForNet(arch) {
    await this.page.waitForFunction((arch) => document.querySelector("button.net-card.selected")?.dataset.arch === arch, arch);
  }

  /** The net the picker shows selected. */
  async selectedNet() {
    return this.page.getAttribute("button.net-card.selected", "data-arch");
  }

  async netTitle() {
    return this.page.textContent("#net-title");
  }

  /** Clicks a row of the table (`1`, `3.2`) and waits for what it outputs. */
  async openRow(row, timeout = 120_000) {
    await this.page.click(`table.layers tr[data-row="${row}"]`);
    await this.waitForRowOutputs(row, timeout);
  }

  /** Until the view of row `row` shows its maps (or bars). */
  async waitForRowOutputs(row, timeout = 120_000) {
    await this.page.waitForSelector(`.layer-view[data-row="${row}"] canvas.bitmap`, { timeout });
  }

  /** Clicks a preset of the editor's (a book's exercise, a pair of nets). */
  async pickPreset(id) {
    await this.page.click(`button[data-preset="${id}"]`);
  }

  // The training form.

  /** The value of the form's input named `name` (`epochs`, `batch`, `resize`, …). */
  async field(name) {
    return this.page.inputValue(`input[name="${name}"]`);
  }

  /** Types `value` into the form's input named `name`. */
  async setField(name, value) {
    await this.page.fill(`input[name="${name}"]`, value);
  }

  /** The backend the form asks for (`auto`, `webgpu`, `cpu`). */
  async chosenBackend() {
    return this.page.inputValue('select[name="backend"]');
  }

  async chooseBackend(backend) {
    await this.page.selectOption('select[name="backend"]', backend);
  }

  /** Until the worker runs on `backend` (`WebGPU`, `CPU`). */
  async waitForBackend(backend, timeout = 60_000) {
    await this.page.waitForSelector(`.badge[data-backend="${backend}"]`, { timeout });
  }

  /** The backend's badge: which one, and why. */
  async badge() {
    return this.page.textContent(".badge");
  }

  /** The CPU backend's threads, as the badge gives them. */
  async threads() {
    return this.page.getAttribute(".badge", "data-threads");
  }

  // Training.

  async trainDisabled() {
    return this.page.isDisabled('button[name="train"]');
  }

  /** Until Train can be pressed. */
  async waitForTrainable(timeout = 120_000) {
    await this.page.waitForSelector('button[name="train"]:not([disabled])', { timeout });
  }

  async train() {
    await this.page.click('button[name="train"]');
  }

  async pause() {
    await this.page.click('button[name="pause"]');
  }

  async stop() {
    await this.page.click('button[name="stop"]');
  }

  /** Until the progress bar counts batches of a running epoch. */
  async waitForBatches(timeout) {
    await this.page.waitForFunction(() => /batch [1-9]\d* of/.test(document.querySelector(".progress-label")?.textContent ?? ""), null, {
      timeout,
    });
  }

  async progress() {
    return this.page.textContent(".progress-label");
  }

  /** Until the chart has at least `points` points. */
  async waitForChartPoints(points, timeout) {
    await this.page.waitForFunction((points) => Number(document.querySelector(".chart svg")?.dataset.points) >= points, points, {
      timeout,
    });
  }

  async chartPoints() {
    return Number(await this.page.getAttribute(".chart svg", "data-points"));
  }

  /** Until the run has ended (done or stopped); its status line. */
  async waitForDone(timeout = 300_000) {
    await this.page.waitForSelector(".phase.done", { timeout });
    return this.page.textContent(".phase.done");
  }

  /** Until the run has failed; what the page says. */
  async waitForFailure(timeout = 60_000) {
    await this.page.waitForSelector(".phase.failed", { timeout });
    return this.page.textContent(".phase.failed");
  }

  /** Trains a run to its end. */
  async trainToTheEnd(timeout = 300_000) {
    await this.train();
    await this.waitForDone(timeout);
  }

  /** The book's line after a run: loss, accuracies, examples/sec on the backend. */
  async bookLine() {
    return this.page.textContent(".book-line");
  }

  /** How many epochs the run's list shows. */
  async epochCount() {
    return this.page.locator("details.epochs li").count();
  }

  /** A figure the run's list keeps for each epoch (`workerMemory`, `deviceMemory`). */
  async perEpoch(key) {
    return this.page.$$eval(".epochs li", (items, key) => items.map((li) => Number(li.dataset[key])), key);
  }

  /** Examples a second in each epoch. */
  async epochSpeeds() {
    return this.page.$$eval(".epochs li", (items) => items.map((li) => Number(/([\d.]+) examples\/sec/.exec(li.textContent)[1])));
  }

  // Weights.

  async loadWeights(file) {
    await this.page.setInputFiles('input[name="load-weights"]', file);
  }

  /** Until the weights note matches `pattern`. */
  async waitForWeightsNote(pattern, timeout = 120_000) {
    await this.page.waitForFunction((pattern) => new RegExp(pattern).test(document.querySelector(".weights-note")?.textContent), pattern.source, {
      timeout,
    });
  }

  async weightsNote() {
    return this.page.textContent(".weights-note");
  }

  // The reader's language.

  /** The page's language, as `<html lang>` says it (`en`, `zh-CN`). */
  async htmlLang() {
    return this.page.evaluate(() => document.documentElement.lang);
  }

  /** Presses the header's switch for `lang` (`en`, `zh`). */
  async switchLanguage(lang) {
    await this.page.click(`button[name="lang-${lang}"]`);
    await this.page.waitForFunction((tag) => document.documentElement.lang === tag, lang === "zh" ? "zh-CN" : "en");
  }

  // Keyboards and fingers.

  /**
   * Presses Tab (Shift+Tab when `back`) until the focus is on `selector`;
   * fails after `most` presses.
   */
  async tabTo(selector, { back = false, most = 300 } = {}) {
    for (let i = 0; i < most; i++) {
      if (await this.page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, selector)) return i;
      await this.page.keyboard.press(back ? "Shift+Tab" : "Tab");
    }
    throw new Error(`${most} presses of ${back ? "Shift+Tab" : "Tab"} did not reach ${selector}`);
  }

  /** How far the page scrolls sideways (0 when it does not). */
  async sidewaysScroll() {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  /**
   * The page's visible targets (buttons, links, fields, rows that open)
   * smaller than `px`×`px` CSS px: [{what, width, height}]. A checkbox or a
   * file input counts with its label (what a finger hits); a link inside a
   * sentence is WCAG 2.5.8's "inline" exception.
   */
  async smallTargets(px = TARGET_PX) {
    return this.page.evaluate((px) => {
      const selector = 'a[href], button, input, select, textarea, summary, [tabindex="0"], [role="option"]';
      const small = [];
      for (const element of document.querySelectorAll(selector)) {
        if (element.closest("details:not([open]) > :not(summary)")) continue;
        if (!element.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true })) continue;
        const target = element.matches('input[type="checkbox"], input[type="file"], input[type="radio"]') ? (element.closest("label") ?? element) : element;
        const box = target.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        const inline = element.matches("a") && /\S/.test(element.parentElement.textContent.replace(element.textContent, ""));
        if (inline && getComputedStyle(element).display === "inline") continue;
        if (box.width + 0.5 < px || box.height + 0.5 < px) {
          const name = element.getAttribute("name") ?? element.getAttribute("aria-label") ?? element.textContent.trim().slice(0, 40);
          small.push({ what: `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} ${name}`, width: Math.round(box.width), height: Math.round(box.height) });
        }
      }
      return small;
    }, px);
  }

  // Run history.

  /** Until the history lists `runs` runs. */
  async waitForRuns(runs, timeout) {
    await this.page.waitForFunction((runs) => document.querySelectorAll("table.runs tbody tr").length === runs, runs, timeout ? { timeout } : {});
  }

  async runCount() {
    return this.page.locator("table.runs tbody tr").count();
  }
}
