"""PNG and .latent codecs: this client's own decoder agrees with Pillow on real files, and round trips."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from discomfort_client.latent import LatentError, decode_latent, encode_latent
from discomfort_client.png import PngError, decode_png, encode_png, png_size

from processes import EXAMPLE_WORKFLOWS

EXAMPLE_IMAGE = EXAMPLE_WORKFLOWS.parent / "images" / "red_64x48.png"


def noisy(height: int, width: int, channels: int, seed: int = 1) -> npt.NDArray[np.uint8]:
    rng = np.random.default_rng(seed)
    smooth = np.linspace(0, 255, width * height * channels).reshape(height, width, channels)
    return np.clip(smooth + rng.integers(-9, 9, smooth.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_encoded_png_decodes_to_the_same_pixels(channels: int) -> None:
    pixels = noisy(13, 17, channels)
    png = encode_png(pixels)
    assert png_size(png) == (17, 13)
    assert np.array_equal(decode_png(png, use_pillow=False), pixels)
    with Image.open(io.BytesIO(png)) as img:
        assert np.array_equal(np.asarray(img).reshape(13, 17, channels), pixels)


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA", "P"])
def test_own_decoder_reads_what_pillow_writes_with_every_filter(mode: str) -> None:
    """Pillow's optimised PNGs choose Sub, Up, Average and Paeth rows: the own decoder must undo each."""
    channels = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "P": 3}[mode]
    source = Image.fromarray(noisy(40, 33, channels).squeeze())
    image = source.quantize(64) if mode == "P" else source
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    expected = np.asarray(image.convert("RGB") if mode == "P" else image)
    assert np.array_equal(decode_png(buffer.getvalue(), use_pillow=False).squeeze(), expected)


def test_own_decoder_reads_the_repository_png_as_pillow_does() -> None:
    data = EXAMPLE_IMAGE.read_bytes()
    assert np.array_equal(decode_png(data, use_pillow=False), decode_png(data, use_pillow=True))


def test_sixteen_bit_png_keeps_its_depth() -> None:
    pixels = (np.arange(6 * 5, dtype=np.uint16) * 2000).reshape(6, 5)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    decoded = decode_png(buffer.getvalue(), use_pillow=False)
    assert decoded.dtype == np.uint16
    assert np.array_equal(decoded[:, :, 0], pixels)


def test_not_a_png_is_refused() -> None:
    with pytest.raises(PngError, match="not a PNG"):
        decode_png(b"GIF89a" + b"\x00" * 40)


def test_latent_round_trip_keeps_shape_and_values() -> None:
    samples = np.random.default_rng(2).standard_normal((1, 4, 8, 6)).astype(np.float32)
    data = encode_latent(samples)
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0
    header = json.loads(data[8 : 8 + length])
    assert header["latent_tensor"] == {"dtype": "F32", "shape": [1, 4, 8, 6], "data_offsets": [0, samples.nbytes]}
    assert "latent_format_version_0" in header
    assert np.array_equal(decode_latent(data), samples)


def test_legacy_latent_is_scaled_as_comfyui_loads_it() -> None:
    samples = np.ones((1, 4, 2, 2), dtype=np.float32)
    body = json.dumps({"latent_tensor": {"dtype": "F32", "shape": [1, 4, 2, 2], "data_offsets": [0, 64]}}).encode()
    legacy = struct.pack("<Q", len(body)) + body + samples.tobytes()
    assert np.allclose(decode_latent(legacy), 1 / 0.18215)


def test_a_file_that_is_not_a_latent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LatentError, match="latent_tensor"):
        body = b'{"other": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'
        decode_latent(struct.pack("<Q", len(body)) + body + b"\x00" * 4)
