"""Xvfb's framebuffer file (`Xvfb -fbdir DIR` keeps the screen as an XWD image in
DIR/Xvfb_screen0) to a PNG, for scripts/bench_startup.py's STARTUP_SCREENSHOTS and the
WebDriver tests' screenshots (tests/e2e/harness.mjs; `python3 xwd_png.py XWD PNG`).

Hand-written because the benchmark machine has no image tools and the format is
small: the XWD header (X11 XWDFileHeader, 25 big-endian CARD32 fields, then the
window name), the colormap entries (12 bytes each), then rows of pixels; Xvfb's
24-bit screens store 32 bits per pixel. Only that layout is read: any other
raises ValueError saying what was found.
"""

import struct
import zlib

_HEADER_FIELDS = 25
_COLORMAP_ENTRY = 12


def xwd_to_png(xwd_path, png_path):
    with open(xwd_path, "rb") as f:
        data = f.read()
    if len(data) < _HEADER_FIELDS * 4:
        raise ValueError(f"{xwd_path}: {len(data)} bytes is shorter than an XWD header")
    h = struct.unpack(">25I", data[: _HEADER_FIELDS * 4])
    header_size, width, height = h[0], h[4], h[5]
    byte_order, bits_per_pixel, bytes_per_line = h[7], h[11], h[12]
    red_mask, ncolors = h[14], h[19]
    if bits_per_pixel != 32 or red_mask != 0xFF0000:
        raise ValueError(f"{xwd_path}: {bits_per_pixel} bits per pixel, red mask {red_mask:#x}; "
                         "only 32-bit xRGB screens are read (Xvfb -screen 0 WxHx24)")
    start = header_size + ncolors * _COLORMAP_ENTRY
    if len(data) < start + bytes_per_line * height:
        raise ValueError(f"{xwd_path}: truncated ({len(data)} bytes for {width}x{height})")
    # Byte offsets of red, green and blue within a pixel (LSBFirst = 0: B G R x).
    r, g, b = (2, 1, 0) if byte_order == 0 else (1, 2, 3)
    raw = bytearray()
    for y in range(height):
        row = data[start + y * bytes_per_line: start + y * bytes_per_line + width * 4]
        rgb = bytearray(width * 3)
        rgb[0::3], rgb[1::3], rgb[2::3] = row[r::4], row[g::4], row[b::4]
        raw += b"\x00" + rgb

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 6))
    png += chunk(b"IEND", b"")
    with open(png_path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3:
        sys.exit("usage: xwd_png.py XWD_FILE PNG_FILE")
    try:
        xwd_to_png(sys.argv[1], sys.argv[2])
    except (OSError, ValueError) as error:
        sys.exit(f"xwd_png.py: {error}")
