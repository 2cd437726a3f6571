"""A reference passed between workflows and reused without being recomputed: base_image.json
OUTPUTs "base" by reference (a recipe, not pixels); zoom_base.json takes it as an INPUT, and
ComfyUI serves the recipe's nodes from its cache on every run after the first.

    python examples/reference_reuse.py [out_dir]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from discomfort_client import Discomfort
from discomfort_client.models import RunEvent

from _common import run_main, workflow


async def reference_reuse(
    discomfort: Discomfort, out_dir: Path, zooms: tuple[float, ...] = (0.5, 0.25, 0.125)
) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    async with discomfort.Context(name="reference reuse") as context:
        # Nothing runs here: the OUTPUT is kept as a recipe.
        await discomfort.run(
            [workflow("base_image.json")], inputs={"size": 128}, context=context, pass_by={"base": "ref"}
        )
        cached: list[int] = []

        def heard(event: RunEvent) -> None:
            if event["type"] == "workflow-finished":
                cached.append(int(event["cached"]))

        for zoom in zooms:
            out = await discomfort.run(
                [workflow("zoom_base.json")], inputs={"zoom": zoom}, context=context, on_progress=heard
            )
            image = out["zoomed"]
            assert isinstance(image, np.ndarray)
            discomfort.Tools.save_comfy_image_to_disk(image, out_dir / f"zoom_{zoom}.png")
            results.append({"zoom": zoom, "size": f"{image.shape[2]}×{image.shape[1]}", "cached_nodes": cached[-1]})
    return results


if __name__ == "__main__":
    run_main(reference_reuse)
