"""A sweep: every combination of inputs run by the bridge over its pool of ComfyUI servers,
recorded before it answers, its items followed as they finish.

    python examples/sweep_with_progress.py [out_dir]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from discomfort_client import Discomfort
from discomfort_client.models import SweepEvent

from _common import run_main, workflow


@dataclass
class SweepSummary:
    done: float
    failed: float
    #: Items heard of through the progress events.
    heard: int
    files: list[str]


async def sweep_with_progress(discomfort: Discomfort, out_dir: Path) -> SweepSummary:
    heard_of: set[int] = set()

    def heard(event: SweepEvent) -> None:
        if event["type"] == "item":  # an item started, or finished
            heard_of.add(int(event["item"]["index"]))

    sweep = await discomfort.sweep(
        [workflow("make_canvas.json")],
        vary={"width": [32, 64], "color": [0xFF0000, 0x0000FF]},
        base={"height": 16},
        label="canvases",
    )
    files = []
    async for item in sweep.aresults(on_progress=heard):
        index = int(item["index"])
        target = out_dir / f"canvas_{index}.png"
        target.write_bytes(await sweep.afile(item, "canvas"))
        files.append(str(target))
    view = await sweep.aview()
    return SweepSummary(view["done"], view["failed"], len(heard_of), sorted(files))


if __name__ == "__main__":
    run_main(sweep_with_progress)
