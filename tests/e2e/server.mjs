// A small static server for the built playground (dist/), as a host would
// serve it: compressed when the browser accepts it, with the right types.
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

/** Serves `root` on 127.0.0.1 at a free port; resolves to {url, close, sent}. */
export function serve(root) {
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
      const headers = { "content-type": TYPES[ext] || "application/octet-stream", "cache-control": "no-cache" };
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
