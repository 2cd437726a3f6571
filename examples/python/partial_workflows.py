"""Partial workflows: make_canvas.json then negate.json, run one after the other through the context,
and stitched into one ComfyUI prompt; both give the same pixels.

    python examples/partial_workflows.py [out_dir]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from discomfort_client import Discomfort

from _common import run_main, workflow


def first_pixel(image: object) -> list[int]:
    assert isinstance(image, np.ndarray)
    return [int(round(v * 255)) for v in image[0, 0, 0, :3]]


async def partial_workflows(discomfort: Discomfort, out_dir: Path) -> dict[str, list[int]]:
    inputs = {"width": 96, "height": 64, "color": 0x204080}
    flow = [workflow("make_canvas.json"), workflow("negate.json")]
    async with discomfort.Context(name="partial workflows") as context:
        sequential = await discomfort.run(flow, inputs=inputs, context=context)
        discomfort.Tools.save_comfy_image_to_disk(sequential["negative"], out_dir / "negative.png")
    # Stitched: one prompt, the INPUT "canvas" linked to the OUTPUT "canvas" before it.
    stitched = await discomfort.run(flow, inputs=inputs, stitch=True)
    return {"sequential": first_pixel(sequential["negative"]), "stitched": first_pixel(stitched["negative"])}


if __name__ == "__main__":
    run_main(partial_workflows)
