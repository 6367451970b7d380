#!/usr/bin/env python3
"""Which crates the bytes of a wasm binary belong to.

Reads the code section and the `name` section of a wasm file as rustc
links it, demangles function names roughly, and sums code bytes per crate.
The release profile strips the names, so build once with them kept:

    CARGO_PROFILE_WASM_RELEASE_STRIP=none cargo build --profile wasm-release \
        --target wasm32-unknown-unknown --bin worker
    python3 scripts/wasm_sizes.py $CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/worker.wasm
"""

import re
import sys
from collections import Counter


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def sections(data):
    assert data[:4] == b"\0asm", "not a wasm file"
    pos = 8
    while pos < len(data):
        kind = data[pos]
        size, start = leb(data, pos + 1)
        yield kind, data[start:start + size]
        pos = start + size


def imported_functions(payload):
    count, pos = leb(payload, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module, field
            length, pos = leb(payload, pos)
            pos += length
        kind = payload[pos]
        pos += 1
        if kind == 0:  # function: type index
            _, pos = leb(payload, pos)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb(payload, pos)
            _, pos = leb(payload, pos)
            if flags & 1:
                _, pos = leb(payload, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(payload, pos)
            _, pos = leb(payload, pos)
            if flags & 1:
                _, pos = leb(payload, pos)
        elif kind == 3:  # global: type, mutability
            pos += 2
        else:
            _, pos = leb(payload, pos)
    return functions


def crate_of(name):
    # Legacy mangling: _ZN4burn4flex...; v0: _RNv...; or already demangled.
    match = re.match(r"_ZN(\d+)([A-Za-z_][A-Za-z0-9_]*)", name)
    if match:
        return match.group(2)[: int(match.group(1))]
    match = re.match(r"^<?([a-z_][a-z0-9_]*)::", name)
    if match:
        return match.group(1)
    if "$" in name and "<" in name:
        inner = re.search(r"([a-z_][a-z0-9_]*)::", name)
        if inner:
            return inner.group(1)
    return "(other)"


def main(path):
    data = open(path, "rb").read()
    imports = 0
    bodies = []
    names = {}
    for kind, payload in sections(data):
        if kind == 2:
            imports = imported_functions(payload)
        elif kind == 10:
            count, pos = leb(payload, 0)
            for _ in range(count):
                size, start = leb(payload, pos)
                bodies.append(size + (start - pos))
                pos = start + size
        elif kind == 0:
            length, pos = leb(payload, 0)
            if payload[pos:pos + length] != b"name":
                continue
            pos += length
            while pos < len(payload):
                sub, pos = leb(payload, pos)
                size, pos = leb(payload, pos)
                end = pos + size
                if sub == 1:  # function names
                    count, p = leb(payload, pos)
                    for _ in range(count):
                        index, p = leb(payload, p)
                        length, p = leb(payload, p)
                        names[index] = payload[p:p + length].decode("utf-8", "replace")
                        p += length
                pos = end
    if not names:
        sys.exit("no name section: build without `strip = true` to attribute bytes to crates")
    per_crate = Counter()
    for i, size in enumerate(bodies):
        per_crate[crate_of(names.get(imports + i, ""))] += size
    total = sum(bodies)
    print(f"{path}: {len(data):,} bytes, code {total:,} bytes in {len(bodies):,} functions")
    for crate, size in per_crate.most_common(25):
        print(f"{size:>11,}  {100 * size / total:5.1f}%  {crate}")


if __name__ == "__main__":
    main(sys.argv[1])
