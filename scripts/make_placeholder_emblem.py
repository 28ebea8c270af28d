#!/usr/bin/env python3
"""Writes the PLACEHOLDER emblem the demo and the tests put in the kop: a grey
shield with the words "CONTOH LAMBANG" (sample emblem) across it.

It is NOT the city's emblem (lambang daerah Kota Bekasi): that file must come
from the agency, which configures it as letter.emblem_file. The placeholder
only shows where the emblem goes and proves that it is drawn and embedded.

Usage: python3 scripts/make_placeholder_emblem.py OUT.png
Pure Python (zlib), no imaging library: the same bytes on every machine."""

import struct
import sys
import zlib

WIDTH, HEIGHT = 200, 240
SCALE = 3  # each font pixel is a 3x3 block

# 5x7 capitals, only those the two words need.
FONT = {
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "C": ["01111", "10000", "10000", "10000", "10000", "10000", "01111"],
    "G": ["01111", "10000", "10000", "10011", "10001", "10001", "01111"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "N": ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
}

TRANSPARENT = (0, 0, 0, 0)
FILL = (226, 226, 226, 255)
EDGE = (90, 90, 90, 255)
INK = (160, 20, 20, 255)


def inside_shield(x, y):
    """A shield: straight sides down to 60% of the height, then a point."""
    margin = 8
    left, right, top, bottom = margin, WIDTH - 1 - margin, margin, HEIGHT - 1 - margin
    if y < top or y > bottom or x < left or x > right:
        return False
    knee = top + (bottom - top) * 0.6
    if y <= knee:
        return True
    half = (right - left) / 2 * (bottom - y) / (bottom - knee)
    centre = (left + right) / 2
    return centre - half <= x <= centre + half


def draw():
    pixels = [[TRANSPARENT] * WIDTH for _ in range(HEIGHT)]
    for y in range(HEIGHT):
        for x in range(WIDTH):
            if inside_shield(x, y):
                edge = not all(inside_shield(x + dx, y + dy)
                               for dx in (-4, 0, 4) for dy in (-4, 0, 4))
                pixels[y][x] = EDGE if edge else FILL
    for row, word in ((75, "CONTOH"), (110, "LAMBANG")):
        width = len(word) * 6 * SCALE - SCALE
        x0 = (WIDTH - width) // 2
        for i, ch in enumerate(word):
            for gy, bits in enumerate(FONT[ch]):
                for gx, bit in enumerate(bits):
                    if bit == "1":
                        for sy in range(SCALE):
                            for sx in range(SCALE):
                                pixels[row + gy * SCALE + sy][x0 + (i * 6 + gx) * SCALE + sx] = INK
    return pixels


def png(pixels):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"".join(bytes(p) for p in row) for row in pixels)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_placeholder_emblem.py OUT.png")
    with open(sys.argv[1], "wb") as f:
        f.write(png(draw()))


if __name__ == "__main__":
    main()
