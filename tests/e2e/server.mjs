// A small static server for the built playground (dist/), as a host would
// serve it: compressed when the browser accepts it, with the right types,
// the cache rules and the Content-Security-Policy the README gives hosts,
// so that the end-to-end tests run under that policy.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".gz": "application/octet-stream",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".wasm", ".json", ".txt"]);

/**
 * The Content-Security-Policy for a response: scripts and wasm from this
 * origin only (`'wasm-unsafe-eval'` lets WebAssembly compile; nothing
 * evaluates strings), plus, for an HTML page, the hash of each of its inline
 * scripts (trunk writes one into index.html). Styles allow inline style
 * attributes (the progress bar's width).
 */
export function contentSecurityPolicy(html = "") {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => ` 'sha256-${createHash("sha256").update(match[1]).digest("base64")}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${hashes.join("")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
  ].join("; ");
}

/**
 * trunk names the page's files by content hash (playground-<hash>.js): they
 * never change and can be kept for a year. Everything else, the worker's
 * files (worker.js, worker_bg.wasm, worker_loader.js, the threaded
 * worker's worker_threads*.js and worker_thread.js, shims/) and
 * index.html included, keeps its name across builds: revalidate each time,
 * or a returning visitor mixes an old worker with a new page.
 */
export function cacheControl(path) {
  return /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(path) ? "public, max-age=31536000, immutable" : "no-cache";
}

/**
 * Cross-origin isolation, which the CPU backend's threads need (shared
 * memory): the page opens no window of another origin, and embeds nothing
 * of another origin that does not agree to it.
 */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/**
 * Serves `root` on 127.0.0.1 at a free port; resolves to {url, close, sent}.
 * `csp: false` leaves the policy out: the benchmark page (www/bench) runs
 * TF.js, whose bundles evaluate strings, beside our worker. `isolated:
 * false` leaves out the isolation headers, as a host that does not send
 * them: the CPU backend then runs on one thread.
 */
export function serve(root, { csp = true, isolated = true } = {}) {
  const cache = new Map();
  const sent = []; // [{path, bytes, encoding}]
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
      if (path.endsWith("/")) path += "index.html";
      const file = join(root, path);
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error("not found");
      const ext = extname(file);
      let body = await readFile(file);
      const headers = {
        "content-type": TYPES[ext] || "application/octet-stream",
        "cache-control": cacheControl(path),
      };
      if (isolated) Object.assign(headers, ISOLATION_HEADERS);
      if (csp) headers["content-security-policy"] = contentSecurityPolicy(ext === ".html" ? body.toString("utf8") : "");
      const accepts = String(req.headers["accept-encoding"] || "");
      let encoding = "identity";
      if (COMPRESSIBLE.has(ext) && /\bbr\b/.test(accepts)) {
        const key = file + ":br";
        if (!cache.has(key)) cache.set(key, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
        body = cache.get(key);
        encoding = "br";
      } else if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(accepts)) {
        const key = file + ":gz";
        if (!cache.has(key)) cache.set(key, gzipSync(body, { level: 9 }));
        body = cache.get(key);
        encoding = "gzip";
      }
      if (encoding !== "identity") headers["content-encoding"] = encoding;
      headers["content-length"] = body.length;
      sent.push({ path, bytes: body.length, encoding });
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)), sent });
    });
  });
}
