"""Values through a real bridge: Python writes, the bridge stores, Python (and any HTTP client) reads back."""

from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from discomfort_client import Discomfort, ImageValue, LatentValue, MaskValue
from discomfort_client.png import encode_png

from support import raw_value, with_client


def on_255_grid(shape: tuple[int, ...], seed: int = 0) -> npt.NDArray[np.float32]:
    """Floats that 8-bit PNG keeps exactly (k/255)."""
    return (np.random.default_rng(seed).integers(0, 256, shape) / 255).astype(np.float32)


def test_image_batch_round_trips_with_comfyui_shape_and_dtype(bridge_url: str) -> None:
    image = on_255_grid((2, 12, 20, 3))

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            meta = await ctx.asave("image", image)
            assert (meta["kind"], meta["comfyType"]) == ("image", "IMAGE")
            back = await ctx.aload("image")
            assert isinstance(back, np.ndarray)
            assert back.shape == (2, 12, 20, 3) and back.dtype == np.float32
            assert np.array_equal(back, image)
            # The bridge holds the very PNG this client sent (raw bytes, no re-encoding on the way).
            stored = await ctx.aload_value("image")
            assert isinstance(stored, ImageValue) and len(stored.frames) == 2
            assert stored.frames[0] == encode_png((image[0] * 255).astype(np.uint8))
            # Any other HTTP client reads the same PNG, and Pillow sees the same pixels.
            first = raw_value(d.url, ctx.id, "image")
            assert first == stored.frames[0]
            assert np.array_equal(np.asarray(Image.open(io.BytesIO(first))), (image[0] * 255).astype(np.uint8))

    with_client(bridge_url, body)


def test_floats_off_the_grid_are_quantised_as_comfyui_does(bridge_url: str) -> None:
    image = np.full((1, 2, 2, 3), 0.999, dtype=np.float32)  # 254.745 → 254 (truncated, not rounded)

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            await ctx.asave("image", image)
            back = await ctx.aload("image")
            assert isinstance(back, np.ndarray)
            assert np.all(back == np.float32(254 / 255))

    with_client(bridge_url, body)


def test_mask_round_trips_as_b_h_w(bridge_url: str) -> None:
    mask = on_255_grid((1, 9, 7), seed=3)

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            meta = await ctx.asave("mask", mask)
            assert meta["comfyType"] == "MASK"
            back = await ctx.aload("mask")
            assert isinstance(back, np.ndarray) and back.shape == (1, 9, 7) and back.dtype == np.float32
            assert np.array_equal(back, mask)
            assert isinstance(await ctx.aload_value("mask"), MaskValue)

    with_client(bridge_url, body)


def test_latent_round_trips_losslessly_with_its_shape(bridge_url: str) -> None:
    samples = np.random.default_rng(5).standard_normal((1, 4, 6, 5)).astype(np.float32)

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            meta = await ctx.asave("latent", {"samples": samples})
            assert (meta["kind"], meta["comfyType"]) == ("latent", "LATENT")
            back = await ctx.aload("latent")
            assert isinstance(back, LatentValue)
            assert back.shape == (1, 4, 6, 5)
            assert np.array_equal(back.samples, samples)
            assert np.array_equal(back.to_comfy()["samples"], samples)

    with_client(bridge_url, body)


@pytest.mark.parametrize(
    ("value", "comfy_type"),
    [
        ("A beautiful landscape, 4k, masterpiece", "STRING"),
        (42069, "INT"),
        (7.5, "FLOAT"),
        (1.0, "FLOAT"),
        (True, "BOOLEAN"),
        ({"cfg": 7.5, "steps": [1, 2, 3], "name": None}, "DICT"),
        ([1, "two", 3.5], "LIST"),
    ],
)
def test_plain_values_come_back_as_the_same_python_values(bridge_url: str, value: object, comfy_type: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            meta = await ctx.asave("v", value)
            assert meta["comfyType"] == comfy_type
            back = await ctx.aload("v")
            assert back == value and type(back) is type(value)

    with_client(bridge_url, body)


def test_pil_format_and_pil_input(bridge_url: str) -> None:
    picture = Image.new("RGB", (10, 6), (255, 128, 0))

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            await ctx.asave("picture", picture)
            as_array = await ctx.aload("picture")
            assert isinstance(as_array, np.ndarray) and as_array.shape == (1, 6, 10, 3)
            frames = await ctx.aload("picture", image_format="pil")
            assert isinstance(frames, list) and len(frames) == 1 and isinstance(frames[0], Image.Image)
            assert frames[0].size == (10, 6) and frames[0].getpixel((0, 0)) == (255, 128, 0)

    with_client(bridge_url, body)


@pytest.mark.torch
def test_torch_format_when_torch_is_installed(bridge_url: str) -> None:
    import torch  # selected only where torch is installed (ci.sh with TORCH_SPEC)

    image = on_255_grid((1, 4, 4, 3))

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            await ctx.asave("t", torch.from_numpy(image))
            back = await ctx.aload("t", image_format="torch")
            assert isinstance(back, torch.Tensor) and tuple(back.shape) == (1, 4, 4, 3)

    with_client(bridge_url, body)


def test_png_file_bytes_are_stored_as_an_image(bridge_url: str) -> None:
    png = encode_png(np.full((3, 4, 3), 200, dtype=np.uint8))

    async def body(d: Discomfort) -> None:
        async with d.Context() as ctx:
            meta = await ctx.asave("from_bytes", png)
            assert meta["comfyType"] == "IMAGE"
            back = await ctx.aload("from_bytes")
            assert isinstance(back, np.ndarray) and np.all(back == np.float32(200 / 255))

    with_client(bridge_url, body)
