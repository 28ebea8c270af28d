#!/usr/bin/env python3
"""An independent PNG reader for test_png_chart, on Python's standard library
alone (zlib and struct, no PIL).

    png_check.py FILE [QUERY...]

It checks the file the way a strict decoder would: the signature; every
chunk's CRC; IHDR first and valid, PLTE before IDAT (required for palette
images), IDAT chunks consecutive, IEND last, empty and at the very end; the
zlib header; each deflate block of the stream when it is stored (BTYPE 00,
LEN and NLEN complements); the whole stream decompressed by zlib (which checks
the Adler-32) and nothing after it; one filter byte (0..4) per scanline and
exactly height scanlines; palette indices inside the palette.

Then it prints
    size W H
    blocks N STORED        (deflate blocks in the stream, and how many stored)
and one line per QUERY:
    px:X,Y                       -> px X Y RRGGBB
    count:X0,Y0,X1,Y1,RRGGBB     -> count X0 Y0 X1 Y1 RRGGBB N
(pixels of that colour in columns [X0, X1) and rows [Y0, Y1)).

Any problem: a message on stderr and exit status 1.
Handles colour types 2 (RGB) and 3 (palette), bit depth 8, or 1/2/4/8 for
palette, no interlace, all five filter types.
"""
import struct
import sys
import zlib


class Bad(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Bad(what)


def read_chunks(data):
    need(data[:8] == b"\x89PNG\r\n\x1a\n", "bad signature")
    pos, chunks = 8, []
    while pos < len(data):
        need(pos + 12 <= len(data), "truncated chunk at %d" % pos)
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        need(length < 2**31, "chunk length too big")
        ctype = data[pos + 4:pos + 8]
        need(pos + 12 + length <= len(data), "chunk %r runs past the end" % ctype)
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        need(zlib.crc32(ctype + body) & 0xFFFFFFFF == crc, "bad CRC in %r" % ctype)
        chunks.append((ctype, body))
        pos += 12 + length
        if ctype == b"IEND":
            break
    need(pos == len(data), "bytes after IEND (or no IEND)")
    return chunks


def walk_deflate(stream):
    """Counts the blocks of a deflate stream, checking the stored ones by
    hand. Stops at the first compressed block (zlib checks the rest)."""
    blocks = stored = 0
    pos = 0
    while True:
        need(pos < len(stream), "deflate stream ends without a final block")
        header = stream[pos]
        final, btype = header & 1, (header >> 1) & 3
        blocks += 1
        if btype != 0:
            return blocks, stored, False
        stored += 1
        need(header >> 3 == 0, "stored block header has stray bits")
        need(pos + 5 <= len(stream), "stored block header truncated")
        length, nlength = struct.unpack("<HH", stream[pos + 1:pos + 5])
        need(length ^ nlength == 0xFFFF, "stored block LEN/NLEN mismatch")
        pos += 5 + length
        need(pos <= len(stream), "stored block runs past the end")
        if final:
            return blocks, stored, True


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(data):
    chunks = read_chunks(data)
    types = [c[0] for c in chunks]
    need(types[0] == b"IHDR", "IHDR is not first")
    need(types[-1] == b"IEND" and not chunks[-1][1], "IEND is not last or not empty")
    need(types.count(b"IHDR") == 1 and types.count(b"IEND") == 1, "IHDR/IEND repeated")
    ihdr = chunks[0][1]
    need(len(ihdr) == 13, "IHDR length")
    w, h, depth, ctype, comp, filt, interlace = struct.unpack(">IIBBBBB", ihdr)
    need(0 < w < 2**31 and 0 < h < 2**31, "bad size")
    need(comp == 0 and filt == 0, "bad compression/filter method")
    need(interlace == 0, "interlace not handled here")
    if ctype == 2:
        need(depth == 8, "RGB bit depth other than 8 not handled here")
        channels = 3
    elif ctype == 3:
        need(depth in (1, 2, 4, 8), "bad palette bit depth")
        channels = 1
    else:
        raise Bad("colour type %d not handled here" % ctype)

    idat_at = [i for i, t in enumerate(types) if t == b"IDAT"]
    need(idat_at, "no IDAT")
    need(idat_at == list(range(idat_at[0], idat_at[-1] + 1)), "IDAT chunks not consecutive")
    palette = None
    if b"PLTE" in types:
        need(types.count(b"PLTE") == 1, "PLTE repeated")
        p = types.index(b"PLTE")
        need(p < idat_at[0], "PLTE after IDAT")
        plte = chunks[p][1]
        need(len(plte) % 3 == 0 and 0 < len(plte) // 3 <= 2**depth, "bad PLTE length")
        palette = [plte[i:i + 3] for i in range(0, len(plte), 3)]
    need(ctype != 3 or palette, "palette image without PLTE")

    z = b"".join(chunks[i][1] for i in idat_at)
    need(len(z) >= 6, "zlib stream too short")
    cmf, flg = z[0], z[1]
    need(cmf & 15 == 8 and cmf >> 4 <= 7, "zlib: not deflate with a window <= 32K")
    need((cmf * 256 + flg) % 31 == 0, "zlib: bad FCHECK")
    need(not flg & 0x20, "zlib: preset dictionary")
    blocks, stored, all_stored = walk_deflate(z[2:])
    d = zlib.decompressobj()
    raw = d.decompress(z)  # checks the Adler-32 too
    need(d.eof, "zlib stream incomplete")
    need(not d.unused_data, "bytes after the zlib stream")
    if all_stored:
        # Stored blocks carry the bytes verbatim: the walk must agree.
        need(2 + 5 * blocks + len(raw) + 4 == len(z), "stored blocks do not add up")

    bpp = max(1, channels * depth // 8)
    stride = (w * channels * depth + 7) // 8
    need(len(raw) == h * (stride + 1), "image data is %d bytes, %d rows of %d expected"
         % (len(raw), h, stride + 1))
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        need(f <= 4, "row %d has filter byte %d" % (y, f))
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride if f else 0):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        rows.append(bytes(line))
        prev = line

    def pixel(x, y):
        line = rows[y]
        if ctype == 2:
            return bytes(line[3 * x:3 * x + 3])
        bit = x * depth
        index = (line[bit // 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
        need(index < len(palette), "palette index %d out of range at %d,%d" % (index, x, y))
        return palette[index]

    # A palette image must be in range everywhere, not only where asked: check
    # each distinct byte of whole pixels, then the pixels of a row's last,
    # partly used byte (its padding bits mean nothing).
    if ctype == 3:
        whole = w * depth // 8
        seen = set()
        for line in rows:
            seen.update(line[:whole])
        mask = (1 << depth) - 1
        for v in seen:
            for shift in range(0, 8, depth):
                need((v >> shift) & mask < len(palette), "palette index out of range")
        for y in range(h):
            for x in range(whole * 8 // depth, w):
                pixel(x, y)
    return w, h, blocks, stored, pixel


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            data = f.read()
        w, h, blocks, stored, pixel = decode(data)
        out = ["size %d %d" % (w, h), "blocks %d %d" % (blocks, stored)]
        for q in argv[2:]:
            kind, _, args = q.partition(":")
            parts = args.split(",")
            if kind == "px" and len(parts) == 2:
                x, y = int(parts[0]), int(parts[1])
                need(0 <= x < w and 0 <= y < h, "pixel %d,%d outside the image" % (x, y))
                out.append("px %d %d %s" % (x, y, pixel(x, y).hex()))
            elif kind == "count" and len(parts) == 5:
                x0, y0, x1, y1 = (int(v) for v in parts[:4])
                need(0 <= x0 <= x1 <= w and 0 <= y0 <= y1 <= h, "rectangle outside the image")
                want = bytes.fromhex(parts[4])
                n = sum(1 for y in range(y0, y1) for x in range(x0, x1) if pixel(x, y) == want)
                out.append("count %d %d %d %d %s %d" % (x0, y0, x1, y1, parts[4].lower(), n))
            else:
                raise Bad("bad query %r" % q)
        print("\n".join(out))
        return 0
    except (Bad, zlib.error, OSError, ValueError) as e:
        print("png_check: %s: %s" % (argv[1], e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
