"""PNG frames to and from numpy arrays, with numpy and zlib only.

The bridge keeps IMAGE and MASK values as 8-bit PNG frames, as ComfyUI's savers
write them. Encoding writes unfiltered rows (fast, lossless); decoding reads
every PNG the bridge or ComfyUI writes: bit depth 8 or 16, grey, grey + alpha,
RGB, RGBA and palette, all five row filters. Interlaced files and bit depths
below 8 are read with Pillow when it is installed (they are refused otherwise).
"""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import numpy as np
import numpy.typing as npt

from .errors import DiscomfortError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
_COLOR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}


class PngError(DiscomfortError):
    """Bytes that are not a PNG this client can read (code ``bad_png``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(pixels: npt.NDArray[np.uint8], level: int = 4) -> bytes:
    """A PNG of an ``[H, W]`` or ``[H, W, C]`` uint8 array (C: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA)."""
    if pixels.dtype != np.uint8:
        raise PngError(f"encode_png takes uint8 pixels, got {pixels.dtype}")
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if pixels.ndim != 3 or pixels.shape[2] not in _COLOR_TYPE:
        raise PngError(f"encode_png takes [H, W] or [H, W, C] with C in 1..4, got shape {list(pixels.shape)}")
    height, width, channels = pixels.shape
    if height == 0 or width == 0:
        raise PngError(f"a PNG needs at least one pixel, got {width}×{height}")
    rows = np.zeros((height, 1 + width * channels), dtype=np.uint8)  # filter byte 0 (None) on each row
    rows[:, 1:] = pixels.reshape(height, width * channels)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPE[channels], 0, 0, 0)
    return b"".join(
        [SIGNATURE, _chunk(b"IHDR", ihdr), _chunk(b"IDAT", zlib.compress(rows.tobytes(), level)), _chunk(b"IEND", b"")]
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, without decoding."""
    if len(data) < 33 or data[:8] != SIGNATURE or data[12:16] != b"IHDR":
        raise PngError("not a PNG (no PNG signature and IHDR chunk)")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _paeth_row(line: bytearray, prev: bytes, bpp: int) -> None:
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        line[i] = (line[i] + pred) & 0xFF


def _average_row(line: bytearray, prev: bytes, bpp: int) -> None:
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        line[i] = (line[i] + ((a + prev[i]) >> 1)) & 0xFF


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> npt.NDArray[np.uint8]:
    if len(raw) < height * (stride + 1):
        raise PngError("the PNG's image data is cut short")
    rows = np.frombuffer(raw, dtype=np.uint8, count=height * (stride + 1)).reshape(height, stride + 1)
    filters = rows[:, 0]
    if int(filters.max(initial=0)) > 4:
        raise PngError("the PNG uses an unknown row filter")
    out = np.empty((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        line = rows[y, 1:]
        kind = int(filters[y])
        if kind == 0:
            out[y] = line
        elif kind == 1:  # Sub: a running sum per byte of the pixel, modulo 256
            out[y] = np.cumsum(line.reshape(-1, bpp), axis=0, dtype=np.uint8).reshape(-1)
        elif kind == 2:  # Up
            out[y] = line + prev
        else:
            decoded = bytearray(line.tobytes())
            (_average_row if kind == 3 else _paeth_row)(decoded, prev.tobytes(), bpp)
            out[y] = np.frombuffer(bytes(decoded), dtype=np.uint8)
        prev = out[y]
    return out


def pillow_available() -> bool:
    """Whether Pillow can be imported (it is optional)."""
    try:
        import PIL.Image  # noqa: F401
    except ImportError:
        return False
    return True


def _decode_with_pillow(data: bytes) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint16]:
    from PIL import Image

    try:
        with Image.open(BytesIO(data)) as opened:
            opened.load()
            if opened.mode in ("I;16", "I;16B", "I"):
                return np.asarray(opened, dtype=np.uint16)[:, :, None]
            img: Image.Image = opened
            if img.mode not in ("L", "LA", "RGB", "RGBA"):
                has_alpha = "A" in img.getbands() or "transparency" in img.info
                img = img.convert("RGBA" if has_alpha else ("L" if img.mode == "1" else "RGB"))
            pixels = np.asarray(img, dtype=np.uint8)
    except OSError as e:
        raise PngError(f"not a readable PNG ({e})") from e
    return pixels[:, :, None] if pixels.ndim == 2 else pixels


def decode_png(data: bytes, *, use_pillow: bool | None = None) -> npt.NDArray[np.uint8] | npt.NDArray[np.uint16]:
    """The pixels of a PNG as ``[H, W, C]`` (C: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA); uint16 for 16-bit files.

    With Pillow installed (``use_pillow`` None or True) it decodes, being
    faster on large images; without it this module's own decoder does.
    """
    width, height = png_size(data)
    bit_depth, color_type, _compression, _filter, interlace = data[24:29]
    if color_type not in _CHANNELS:
        raise PngError(f"not a valid PNG (colour type {color_type})")
    if use_pillow is not False and pillow_available():
        return _decode_with_pillow(data)
    if interlace or bit_depth not in (8, 16) or (color_type == 3 and bit_depth != 8):
        raise PngError(
            f"an interlaced or {bit_depth}-bit PNG is read only with Pillow: pip install 'discomfort-client[pillow]'"
        )
    idat: list[bytes] = []
    palette: bytes | None = None
    at = 8
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        if len(body) != length:
            raise PngError(f"the PNG's {kind.decode('latin-1')} chunk is cut short")
        if kind == b"IDAT":
            idat.append(body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IEND":
            break
        at += 12 + length
    if not idat:
        raise PngError("the PNG has no image data")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise PngError(f"the PNG's image data does not inflate ({e})") from e
    channels = _CHANNELS[color_type]
    sample = bit_depth // 8
    bpp = channels * sample
    flat = _unfilter(raw, height, width * bpp, bpp)
    if bit_depth == 16:
        return flat.view(">u2").astype(np.uint16).reshape(height, width, channels)
    pixels = flat.reshape(height, width, channels)
    if color_type == 3:
        if palette is None or len(palette) % 3:
            raise PngError("a palette PNG without a valid PLTE chunk")
        table = np.frombuffer(palette, dtype=np.uint8).reshape(-1, 3)
        if int(pixels.max()) >= len(table):
            raise PngError("the PNG refers to a palette entry it does not have")
        return table[pixels[:, :, 0]]
    return pixels
