// The playground's service worker: the app's copy in this browser, so that
// a second visit opens and trains without a connection. `scripts/make_sw.py`
// writes dist/sw.js from this file, after the build, with the build's id
// and its files (each with its SHA-256) above it:
//
//   const BUILD = "<16 hex digits>";
//   const FILES = { "index.html": { sha256, bytes, group }, … };
//
// so a new build is a new service worker. What it keeps:
// - group "page" (the page, its wasm, styles, the loaders, the pool
//   thread's script, the WebGPU shims, the manifest and icons): when it
//   installs;
// - "webgpu-worker", "threads-worker" (each training worker's wasm and
//   glue), "weights" (the pretrained weights files): as the page fetches
//   them, and the worker the page started when it says so ("keep"), so a
//   visit fetches only the worker it runs, once;
// - not the data: the training worker keeps the Fashion-MNIST shards it
//   fetched in a cache of its own (src/web/shards.rs), which outlives builds.
//
// One build at a time, whole: every file is served from this build's cache
// (`cnnp-app-<BUILD>`) or fetched and checked against this build's SHA-256
// before it is served or kept, so the page, its worker and what they load
// are never of two builds. A newer build installs beside this one and
// waits; the page says so and, when the reader asks, it takes over
// ("skip-waiting"), drops the older build's cache, and the page reloads.

const PREFIX = "cnnp-app-";
const CACHE = PREFIX + BUILD;
const SCOPE = new URL(self.registration.scope);
const href = (path) => new URL(path, SCOPE).href;
const BY_URL = new Map(Object.entries(FILES).map(([path, file]) => [href(path), { path, ...file }]));
/** Fetches under way, so that two pages asking at once share one. */
const fetching = new Map();

async function sha256(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A response as kept: the bytes as decoded, with the server's headers
 *  (type, isolation, policy) but not those of the encoding. */
function keptResponse(body, headers) {
  const kept = new Headers(headers);
  for (const name of ["content-encoding", "content-length", "transfer-encoding"]) kept.delete(name);
  return new Response(body, { status: 200, headers: kept });
}

/** Fetches `url` (one of this build's files), checks it, keeps it in
 *  `cache`; resolves to its body and headers, or to an error response.
 *  The browser's HTTP cache first (the page has just loaded most of these
 *  files: taking them from there is what fetches each byte once a visit);
 *  where its copy is not this build's, the server's. */
async function fetchAndKeep(cache, url, file) {
  for (const mode of ["default", "no-cache"]) {
    const response = await fetch(url, { cache: mode });
    if (!response.ok) return { error: response };
    const body = await response.arrayBuffer();
    if ((await sha256(body)) === file.sha256) {
      await cache.put(url, keptResponse(body, response.headers));
      return { body, headers: response.headers };
    }
  }
  // The server has another build: this one cannot be completed from it.
  // Serve nothing of it (the page says the worker could not start); the
  // update check finds the newer build, and the page offers it.
  self.registration.update().catch(() => {});
  return {
    error: new Response(`${file.path} is of another build of the playground than ${BUILD}: reload`, {
      status: 503,
      headers: { "content-type": "text/plain; charset=utf-8" },
    }),
  };
}

/** One of this build's files: from its cache, else fetched once however
 *  many ask at the same time. */
async function serve(url, file) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(url);
  if (hit) return hit;
  if (!fetching.has(url)) {
    fetching.set(
      url,
      fetchAndKeep(cache, url, file).finally(() => fetching.delete(url)),
    );
  }
  const fetched = await fetching.get(url);
  return fetched.error ? fetched.error.clone() : keptResponse(fetched.body, fetched.headers);
}

/** Keeps every file of `group` not kept yet. */
async function keepGroup(group) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    [...BY_URL].filter(([, file]) => file.group === group).map(async ([url, file]) => {
      if (!(await cache.match(url))) await serve(url, file);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const page = [...BY_URL].filter(([, file]) => file.group === "page");
      const kept = await Promise.all(page.map(([url, file]) => fetchAndKeep(cache, url, file)));
      const failed = kept.find((result) => result.error);
      if (failed) throw new Error(`the playground's files could not be kept: ${failed.error.status}`);
      // The first build here takes the page at once; a later one waits for
      // the reader (the page says an update is ready).
      if (!self.registration.active) await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "skip-waiting") self.skipWaiting();
  if (message.type === "keep" && typeof message.group === "string") event.waitUntil(keepGroup(message.group));
  if (message.type === "build") event.source?.postMessage({ type: "build", build: BUILD });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin) return;
  // A page's address carries its settings (?arch=…): the file is the same.
  let key = url.origin + url.pathname;
  if (key.endsWith("/")) key += "index.html";
  const file = BY_URL.get(key);
  // Not this build's (the data, anything else): the network, as without us.
  if (!file) return;
  event.respondWith(serve(key, file));
});
