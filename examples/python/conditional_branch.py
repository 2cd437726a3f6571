"""A conditional branch chosen in Python: make a canvas, then negate it or make a thumbnail of it
depending on its size; caption it either way.

    python examples/conditional_branch.py [out_dir]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from discomfort_client import Discomfort

from _common import run_main, workflow


async def conditional_branch(discomfort: Discomfort, out_dir: Path, width: int = 256) -> dict[str, str]:
    async with discomfort.Context(name="conditional branch") as context:
        await discomfort.run(
            [workflow("make_canvas.json")], inputs={"width": width, "height": 128, "color": 0x00FF00}, context=context
        )
        big = width > 128
        branch = "thumbnail.json" if big else "negate.json"
        out = await discomfort.run([workflow(branch)], context=context)
        image = out["thumbnail" if big else "negative"]
        assert isinstance(image, np.ndarray)
        discomfort.Tools.save_comfy_image_to_disk(image, out_dir / ("thumbnail.png" if big else "negative.png"))
        captioned = await discomfort.run(
            [workflow("caption.json")], inputs={"name": "big canvas" if big else "small canvas"}, context=context
        )
    return {"branch": branch, "caption": str(captioned["caption"]), "size": f"{image.shape[2]}×{image.shape[1]}"}


if __name__ == "__main__":
    run_main(conditional_branch)
