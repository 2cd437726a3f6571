"""A feedback loop: one workflow run several times, each iteration reading what the last one wrote
(its INPUT and OUTPUT ports share the unique_id "image").

    python examples/feedback_loop.py [out_dir]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from discomfort_client import Discomfort
from discomfort_client.models import RunEvent

from _common import run_main, workflow


async def feedback_loop(discomfort: Discomfort, out_dir: Path, iterations: int = 3) -> dict[str, object]:
    start = discomfort.Tools.solid_image(256, 256, (255, 128, 0))
    finished = 0

    def heard(event: RunEvent) -> None:
        nonlocal finished
        if event["type"] == "workflow-finished":
            finished += 1

    async with discomfort.Context(name="feedback loop") as context:
        out = await discomfort.run(
            [workflow("invert_and_halve.json")],
            inputs={"image": start},
            iterations=iterations,
            context=context,
            on_progress=heard,
        )
    image = out["image"]
    assert isinstance(image, np.ndarray)
    (file,) = discomfort.Tools.save_comfy_image_to_disk(image, out_dir / "looped.png")
    # Each iteration halved the last one's result: 256² → 128² → 64² → 32².
    return {
        "iterations": finished,
        "from": f"{start.shape[2]}×{start.shape[1]}",
        "to": f"{image.shape[2]}×{image.shape[1]}",
        "file": file,
    }


if __name__ == "__main__":
    run_main(feedback_loop)
