"""``discomfort.Tools``: images and latents in and out of files, as the original's Tools did."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .errors import BadValueError
from .latent import encode_latent
from .values import FloatArray, ImageValue, LatentValue, MaskValue, TensorLike, is_pil_image, to_stored


class Tools:
    """Static helpers; reachable as ``discomfort.Tools`` on a client, as in the original."""

    @staticmethod
    def save_comfy_image_to_disk(image: object, output_path: str | Path) -> list[str]:
        """Write an IMAGE (``[B, H, W, C]`` array, tensor, PIL image or :class:`ImageValue`) or MASK as PNG.

        A batch writes ``name.png``, ``name_1.png``...; returns the files written.
        """
        value: object
        if isinstance(image, (ImageValue, MaskValue)):
            value = image
        elif isinstance(image, list) and image and all(is_pil_image(v) for v in image):
            value = ImageValue.from_pil(image)
        else:
            value = to_stored(image, None, "image")
        if not isinstance(value, (ImageValue, MaskValue)):
            raise BadValueError(f"save_comfy_image_to_disk needs an IMAGE or MASK, got a {type(image).__name__}")
        path = Path(output_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, MaskValue):
            path.write_bytes(value.png)
            return [str(path)]
        stem, suffix = (path.with_suffix(""), path.suffix) if path.suffix else (path, ".png")
        written = []
        for i, frame in enumerate(value.frames):
            target = Path(f"{stem}{suffix}" if i == 0 else f"{stem}_{i}{suffix}")
            target.write_bytes(frame)
            written.append(str(target))
        return written

    @staticmethod
    def open_image(*paths: str | Path) -> FloatArray:
        """An IMAGE ``[B, H, W, C]`` from PNG files (several files make a batch of one size)."""
        return ImageValue.from_pngs([Path(p).read_bytes() for p in paths]).to_numpy()

    @staticmethod
    def open_mask(path: str | Path) -> FloatArray:
        """A MASK ``[1, H, W]`` from a PNG (its red or grey channel)."""
        return MaskValue.from_png(Path(path).read_bytes()).to_numpy()

    @staticmethod
    def open_latent(path: str | Path) -> LatentValue:
        return LatentValue.from_file_bytes(Path(path).read_bytes())

    @staticmethod
    def save_latent(samples: npt.NDArray[np.floating] | TensorLike | LatentValue, path: str | Path) -> str:
        """Write a ComfyUI ``.latent`` file."""
        if isinstance(samples, LatentValue):
            data = samples.data
        elif isinstance(samples, TensorLike):
            data = LatentValue.from_samples(samples).data
        else:
            data = encode_latent(samples)
        Path(path).write_bytes(data)
        return str(path)

    @staticmethod
    def solid_image(width: int, height: int, rgb: Sequence[int]) -> FloatArray:
        """An IMAGE ``[1, H, W, 3]`` of one colour (0..255 components), handy for tests and examples."""
        pixel = np.asarray(rgb, dtype=np.float32) / np.float32(255)
        return np.broadcast_to(pixel, (1, height, width, 3)).astype(np.float32)
