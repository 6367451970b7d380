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
  ".webmanifest": "application/manifest+json",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".wasm", ".json", ".txt", ".webmanifest"]);

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
 * trunk names the page's files by content hash (playground-<hash>.js), and
 * the build names the data's shards so (train-000-<hash>.gz): they never
 * change and can be kept for a year. Everything else, the worker's files
 * (worker.js, worker_bg.wasm, worker_loader.js, the threaded worker's
 * worker_threads*.js and worker_thread.js, shims/), sw.js, the shards'
 * manifest.json and index.html included, keeps its name across builds:
 * revalidate each time (an ETag makes that a 304), or a returning visitor
 * mixes an old worker with a new page.
 */
export function cacheControl(path) {
  return /-[0-9a-f]{16}(_bg)?\.(js|wasm|css|gz)$/.test(path) ? "public, max-age=31536000, immutable" : "no-cache";
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
 * Serves `root` on 127.0.0.1 at a free port; resolves to {url, close, sent,
 * serveFrom}. `csp: false` leaves the policy out: the benchmark page
 * (www/bench) runs TF.js, whose bundles evaluate strings, beside our
 * worker. `isolated: false` leaves out the isolation headers, as a host
 * that does not send them: the CPU backend then runs on one thread.
 * `tamper(path, body, nth)` may change a file's bytes as they go out (the
 * nth request of that path, from 1): a shard damaged or cut short on the
 * way. Each response has an ETag; a request that names it gets a 304.
 * `serveFrom(dir)` serves another folder from then on (a new build).
 * `link: {bytesPerSecond, latencyMs}` sends every response through one
 * shared pipe of that speed, each after that round trip (the benchmark's
 * slow link, www/bench/load.mjs).
 */
export function serve(root, { csp = true, isolated = true, tamper, link } = {}) {
  const cache = new Map();
  const pipe = link && slowLink(link);
  const sent = []; // [{path, bytes, encoding, status}]
  const asked = new Map(); // path -> requests so far
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      let path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
      if (path.endsWith("/")) path += "index.html";
      const file = join(root, path);
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error("not found");
      const ext = extname(file);
      let body = await readFile(file);
      const nth = (asked.get(path) || 0) + 1;
      asked.set(path, nth);
      if (tamper) body = Buffer.from(tamper(path, body, nth));
      const etag = `"${createHash("sha1").update(body).digest("hex")}"`;
      const headers = {
        "content-type": TYPES[ext] || "application/octet-stream",
        "cache-control": cacheControl(path),
        etag,
      };
      if (isolated) Object.assign(headers, ISOLATION_HEADERS);
      if (csp) headers["content-security-policy"] = contentSecurityPolicy(ext === ".html" ? body.toString("utf8") : "");
      if (req.headers["if-none-match"] === etag) {
        sent.push({ path, bytes: 0, encoding: "identity", status: 304 });
        if (pipe) return await pipe(res, 304, headers, Buffer.alloc(0));
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const accepts = String(req.headers["accept-encoding"] || "");
      let encoding = "identity";
      if (COMPRESSIBLE.has(ext) && /\bbr\b/.test(accepts)) {
        const key = `${file}:${etag}:br`;
        if (!cache.has(key)) cache.set(key, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
        body = cache.get(key);
        encoding = "br";
      } else if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(accepts)) {
        const key = `${file}:${etag}:gz`;
        if (!cache.has(key)) cache.set(key, gzipSync(body, { level: 9 }));
        body = cache.get(key);
        encoding = "gzip";
      }
      if (encoding !== "identity") headers["content-encoding"] = encoding;
      headers["content-length"] = body.length;
      sent.push({ path, bytes: body.length, encoding, status: 200 });
      if (pipe) return await pipe(res, 200, headers, body);
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
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => {
          server.close(r);
          server.closeAllConnections();
        }),
        sent,
        serveFrom: (dir) => {
          root = dir;
        },
      });
    });
  });
}

/**
 * One link shared by every response: each waits a round trip, then its body
 * goes out in 16 KiB pieces, the pieces of all responses taking turns at
 * `bytesPerSecond` in all.
 */
function slowLink({ bytesPerSecond, latencyMs }) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let free = 0; // when the pipe is free next (ms, performance.now())
  const slot = async (bytes) => {
    const now = performance.now();
    const start = Math.max(now, free);
    free = start + (bytes / bytesPerSecond) * 1000;
    await sleep(free - now);
  };
  return async (res, status, headers, body) => {
    await sleep(latencyMs);
    res.writeHead(status, headers);
    for (let at = 0; at < body.length; at += 16384) {
      const piece = body.subarray(at, at + 16384);
      await slot(piece.length);
      if (!res.write(piece)) await new Promise((resolve) => res.once("drain", resolve));
    }
    res.end();
  };
}
