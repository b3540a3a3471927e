#!/usr/bin/env python3
"""Draws Layan's app icons (public/icon-*.png) from the same shapes as public/favicon.svg:
a rounded square in the brand colour with a white "L". Pure Python (zlib only), so any
machine can redraw them: python3 scripts/icons.py

  icon-192.png, icon-512.png  the rounded square ("any" purpose)
  icon-maskable-512.png       full-bleed square, the L inside the 80 % safe zone
"""
import struct
import zlib
from pathlib import Path

BRAND = (0x0B, 0x5D, 0x57)
WHITE = (0xFF, 0xFF, 0xFF)
# favicon.svg's L, on its 64-unit grid: M20 14h8v28h16v8H20z
L_SHAPE = [(20, 14, 28, 50), (20, 42, 44, 50)]  # (x0, y0, x1, y1) rectangles
SAMPLES = 4  # per axis: 16 samples a pixel smooth the edges


def inside_rounded(x, y, size, radius):
    """Whether (x, y), in 64 units, falls in the square with corners of `radius`."""
    if radius == 0:
        return 0 <= x <= size and 0 <= y <= size
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def colour_at(x, y, radius, scale):
    """The colour at (x, y) in 64 units, or None outside the shape; `scale` shrinks the L
    toward the middle (the maskable icon's safe zone)."""
    if not inside_rounded(x, y, 64, radius):
        return None
    lx, ly = 32 + (x - 32) / scale, 32 + (y - 32) / scale
    if any(x0 <= lx <= x1 and y0 <= ly <= y1 for x0, y0, x1, y1 in L_SHAPE):
        return WHITE
    return BRAND


def draw(pixels, radius, scale):
    rows = []
    for py in range(pixels):
        row = bytearray([0])  # filter: none
        for px in range(pixels):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * 64 / pixels
                    y = (py + (sy + 0.5) / SAMPLES) * 64 / pixels
                    c = colour_at(x, y, radius, scale)
                    if c:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = SAMPLES * SAMPLES
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // n))
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def png(pixels, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", pixels, pixels, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    public = Path(__file__).resolve().parent.parent / "public"
    for name, pixels, radius, scale in [
        ("icon-192.png", 192, 12, 1.0),
        ("icon-512.png", 512, 12, 1.0),
        ("icon-maskable-512.png", 512, 0, 0.72),
    ]:
        (public / name).write_bytes(png(pixels, draw(pixels, radius, scale)))
        print(f"public/{name}")


if __name__ == "__main__":
    main()
