// What every reader gets, checked on whatever a page shows: the text in the
// reader's language (no English prose in Chinese, no Chinese in English),
// and axe-core's accessibility rules (WCAG 2.1 AA and best practice).
import { AxeBuilder } from "@axe-core/playwright";

/**
 * Words that are not English prose in a Chinese page: code as the book's
 * code writes it (layer classes, functions, config names), names of nets,
 * tools, data and people's products, units. Anything with a digit
 * (`Conv2d`, `b1`, `f32`, `1e-3`), in capitals (`SGD`, `CPU`, `MNIST`), in
 * CamelCase (`LeNet`, `ReLU`, `WebGPU`, `PyTorch`) or with an underscore
 * (`nin_block`) counts as code too (`isCode`).
 */
const NOT_PROSE = new Set([
  // The book's code: layers and functions as it writes them.
  "Sequential", "Linear", "Flatten", "Dropout", "Sigmoid", "sigmoid", "relu", "Inception", "Residual", "softmax", "eps", "momentum",
  // Names: the data, the tools, the optimizers, licences, hosts.
  "Fashion", "Zalando", "Burn", "Leptos", "Rust", "Adam", "safetensors", "cnnp", "config",
  // The export: PyTorch's launcher, the notebook format and the files' extensions.
  "Jupyter", "torchrun", "py", "ipynb",
  // Images of one's own: torchvision's ImageFolder layout, the zip format.
  "torchvision", "zip",
  // Formulas the explanation writes as the book does (ReLU as max(x, 0)).
  "max",
  // A graphics adapter's own name, as the browser gives it.
  "Chromium", "Google", "google", "SwiftShader", "swiftshader", "Vulkan", "llvmpipe", "lavapipe", "Mesa", "Subzero", "Device",
  // Units.
  "px", "ms", "min", "KiB", "MiB", "GiB", "KB", "MB", "GB", "MACs",
]);

function isCode(word) {
  return (
    NOT_PROSE.has(word) ||
    word.length === 1 ||
    /\d/.test(word) ||
    /_/.test(word) ||
    /^[A-Z]+s?$/.test(word) ||
    /^[A-Z][a-z]*[A-Z]/.test(word)
  );
}

/** Text that is the same in both languages: the book's training line, URLs, file names. */
function withoutCode(text) {
  return text
    .replace(/(epoch \d+: )?loss [\d.]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ examples\/sec on [^\n,;（）()]+/g, " ")
    .replace(/\bhttps?:\/\/\S+/g, " ")
    .replace(/[\w./-]+\.(gz|png|jpe?g|json|csv|safetensors|js|wasm|html|txt)\b/g, " ")
    // Folder names as a path writes them (root/, train/, test/).
    .replace(/\b\w+\//g, " ")
    .replace(/--[a-z-]+/g, " ");
}

/** The English words of `text` that are not code, units or names. */
export function englishProse(text) {
  const words = withoutCode(text).match(/[A-Za-z][A-Za-z0-9_]*/g) ?? [];
  return words.filter((word) => !isCode(word));
}

/** Han characters and CJK punctuation. */
export const HAN = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/**
 * Everything a frame shows or says as text: visible text nodes, the
 * options of visible selects, and the names and tooltips of visible
 * elements (aria-label, title, alt, placeholder), each with its element
 * and the language it is marked with (`lang` of its nearest ancestor).
 */
function frameTexts() {
  const texts = [];
  const visible = (element) => element.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
  const describe = (element) => {
    const classes = [...element.classList].slice(0, 2).join(".");
    return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}${classes ? `.${classes}` : ""}`;
  };
  const add = (element, text, where) => {
    if (text && /\S/.test(text)) texts.push({ text: text.trim(), where, lang: element.closest("[lang]")?.getAttribute("lang") ?? "" });
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, noscript, option")) continue;
    // Code is code in either language: the net as JSON, a link's parameters.
    if (parent.closest("code, pre, kbd, samp")) continue;
    if (!visible(parent)) continue;
    add(parent, node.textContent, describe(parent));
  }
  for (const element of document.body.querySelectorAll("*")) {
    if (!visible(element)) continue;
    for (const attribute of ["aria-label", "title", "alt", "placeholder"]) {
      add(element, element.getAttribute(attribute), `${describe(element)}[${attribute}]`);
    }
    if (element.matches("select")) {
      for (const option of element.options) add(option, option.textContent, `${describe(element)} option`);
    }
  }
  return texts;
}

/**
 * What the page (and each of its frames) shows that is not in `lang`
 * (`en`, `zh`): English prose in Chinese, Han characters in English. Text
 * marked as the other language (`lang="en"` on the switch's "English") is
 * its own language's.
 */
export async function notInLanguage(page, lang) {
  const offences = [];
  for (const frame of page.frames()) {
    const texts = await frame.evaluate(frameTexts);
    for (const { text, where, lang: marked } of texts) {
      if (lang === "zh") {
        if (marked.startsWith("en")) continue;
        const words = englishProse(text);
        if (words.length > 0) offences.push({ where, text, words: words.join(" ") });
      } else {
        if (marked.startsWith("zh")) continue;
        if (HAN.test(text)) offences.push({ where, text });
      }
    }
  }
  // Each text once.
  return [...new Map(offences.map((o) => [`${o.where} ${o.text}`, o])).values()];
}

/** Impacts axe gives, the worst last. */
const IMPACTS = ["minor", "moderate", "serious", "critical"];

/**
 * axe-core on the page and its frames: the violations by impact, each rule
 * with how many elements break it and the first few of them.
 */
export async function axe(page) {
  const results = await new AxeBuilder({ page }).analyze();
  const found = Object.fromEntries(IMPACTS.map((impact) => [impact, []]));
  for (const violation of results.violations) {
    found[violation.impact ?? "minor"].push({
      rule: violation.id,
      count: violation.nodes.length,
      nodes: violation.nodes.slice(0, 3).map((node) => `${node.target.join(" ")}: ${node.failureSummary?.split("\n")[1]?.trim() ?? ""}`),
    });
  }
  return found;
}

/** `2 serious (color-contrast ×2), 1 minor (…)`. */
export function axeSummary(found) {
  const parts = IMPACTS.filter((impact) => found[impact].length > 0).map(
    (impact) => `${found[impact].reduce((n, v) => n + v.count, 0)} ${impact} (${found[impact].map((v) => `${v.rule} ×${v.count}`).join(", ")})`,
  );
  return parts.length === 0 ? "no violations" : parts.join("; ");
}
