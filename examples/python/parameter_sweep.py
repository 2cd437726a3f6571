"""A parameter swept in a loop: the same workflow at several scales, each result written as PNG.

python examples/parameter_sweep.py [out_dir]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from discomfort_client import Discomfort

from _common import run_main, workflow


async def parameter_sweep(
    discomfort: Discomfort, out_dir: Path, scales: tuple[float, ...] = (0.25, 0.5, 1, 2)
) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    async with discomfort.Context(name="parameter sweep") as context:
        for scale in scales:
            out = await discomfort.run([workflow("scale_square.json")], inputs={"scale": scale}, context=context)
            image = out["image"]
            assert isinstance(image, np.ndarray)  # IMAGE: [B, H, W, C] float32
            (file,) = discomfort.Tools.save_comfy_image_to_disk(image, out_dir / f"square_x{scale}.png")
            results.append({"scale": scale, "size": f"{image.shape[2]}×{image.shape[1]}", "file": file})
    return results


if __name__ == "__main__":
    run_main(parameter_sweep)
