#!/usr/bin/env python3
"""The app's copy for a visit without a connection: writes DIST/sw.js.

    python3 scripts/make_sw.py DIST

Lists every file of the built app in DIST (not the Fashion-MNIST data,
which the training worker keeps itself) with its SHA-256, size and group,
names the build by a hash of them all, and writes DIST/sw.js: those two
constants and then www/sw.js, the service worker itself. The build's id
also goes into DIST/index.html as <meta name="cnnp-build">, so a page says
which build it is. Run after everything else of the build (scripts/
post-build.sh); running it again on the same files changes nothing.
"""

import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "www", "sw.js")
META = re.compile(r'\s*<meta name="cnnp-build" content="[0-9a-f]*" />')

# Each file's group, by the first pattern its path matches: "page" is kept
# when the service worker installs, the others as the page uses them.
GROUPS = [
    (r"^assets/fashion-mnist/", None),  # the data: the worker's own cache
    (r"^sw\.js$", None),
    (r"^worker(_bg\.wasm|\.js)$", "webgpu-worker"),
    (r"^worker_threads(_bg\.wasm|\.js)$", "threads-worker"),
    (r"^assets/weights/", "weights"),
    (r".", "page"),
]


def group_of(path):
    for pattern, group in GROUPS:
        if re.search(pattern, path):
            return group
    return None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    dist = sys.argv[1]
    index = os.path.join(dist, "index.html")
    with open(index, encoding="utf-8") as f:
        html = META.sub("", f.read())
    files = {}
    for folder, _, names in os.walk(dist):
        for name in names:
            path = os.path.relpath(os.path.join(folder, name), dist).replace(os.sep, "/")
            group = group_of(path)
            if group is None:
                continue
            if path == "index.html":
                body = html.encode("utf-8")
            else:
                with open(os.path.join(dist, path), "rb") as f:
                    body = f.read()
            files[path] = {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body), "group": group}
    files = dict(sorted(files.items()))
    build = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    # The page says its build; its own hash is then of the page with it.
    html = html.replace("<head>", f'<head>\n    <meta name="cnnp-build" content="{build}" />', 1)
    with open(index, "w", encoding="utf-8") as f:
        f.write(html)
    body = html.encode("utf-8")
    files["index.html"] = {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body), "group": "page"}
    with open(TEMPLATE, encoding="utf-8") as f:
        template = f.read()
    with open(os.path.join(dist, "sw.js"), "w", encoding="utf-8") as f:
        f.write(f"const BUILD = {json.dumps(build)};\n")
        f.write(f"const FILES = {json.dumps(files, indent=1)};\n\n")
        f.write(template)
    sizes = {}
    for file in files.values():
        sizes[file["group"]] = sizes.get(file["group"], 0) + file["bytes"]
    summary = ", ".join(f"{group} {size / 1e6:.2f} MB" for group, size in sorted(sizes.items()))
    print(f"make_sw: build {build}, {len(files)} files ({summary})")


if __name__ == "__main__":
    main()
