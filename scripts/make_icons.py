#!/usr/bin/env python3
"""The playground's app icons (web app manifest), drawn here: no downloads.

    python3 scripts/make_icons.py OUT_DIR

Writes icon-192.png and icon-512.png: three feature maps stacked, as a
convolution's output is drawn, light on the book's dark blue; the middle
80 % holds the drawing, so the icons are also "maskable" (a launcher may
cut them to a circle). PNG by hand: zlib and struct from the standard
library, one filtered scanline at a time.
"""

import os
import struct
import sys
import zlib

BACKGROUND = (31, 59, 111)
MAPS = [(120, 160, 215), (175, 200, 235), (245, 248, 252)]
GRID = (31, 59, 111)


def pixel(x, y):
    """The colour at (x, y) in the unit square."""
    colour = BACKGROUND
    # Three squares, each a little up and to the right of the one before.
    for i, fill in enumerate(MAPS):
        left, top, side = 0.22 + 0.08 * i, 0.38 - 0.08 * i, 0.40
        u, v = (x - left) / side, (y - top) / side
        if 0 <= u <= 1 and 0 <= v <= 1:
            colour = fill
            # The front map shows its 4x4 cells.
            if i == len(MAPS) - 1:
                fu, fv = (u * 4) % 1, (v * 4) % 1
                if min(fu, fv) < 0.07 or max(fu, fv) > 0.93:
                    colour = GRID
    return colour


def png(size):
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            row.extend(pixel((x + 0.5) / size, (y + 0.5) / size))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for size in (192, 512):
        with open(os.path.join(out, f"icon-{size}.png"), "wb") as f:
            f.write(png(size))
    print(f"make_icons: icon-192.png and icon-512.png in {out}")


if __name__ == "__main__":
    main()
