"""The Python client's side of `npm run bench`'s Python section: the same 100-iteration loop and the
same 1024² image runs as the TypeScript client and ComfyUI's API used directly, against the bridge
at argv[1]; the PNG files to send in argv[2] (one per run). Prints its timings as one JSON line."""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from discomfort_client import Discomfort

LOOP = {
    "1": {"class_type": "DiscomfortPort", "inputs": {"unique_id": "n"}},
    "2": {"class_type": "StringConcatenate", "inputs": {"string_a": ["1", 0], "string_b": "a", "delimiter": ""}},
    "3": {"class_type": "DiscomfortPort", "inputs": {"unique_id": "n", "input_data": ["2", 0]}},
}
INVERT = {
    "1": {"class_type": "DiscomfortPort", "inputs": {"unique_id": "picture"}},
    "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
    "3": {"class_type": "DiscomfortPort", "inputs": {"unique_id": "inverted", "input_data": ["2", 0]}},
}


async def main(url: str, images: list[Path], iterations: int) -> dict[str, float]:
    d = await Discomfort.create(url, start_bridge_if_missing=False)
    try:
        async with d.Context() as context:
            start = time.perf_counter()
            out = await d.run(
                [{"name": "loop.json", "workflow": LOOP}],
                inputs={"n": f"python {time.time()}:"},
                iterations=iterations,
                context=context,
            )
            loop_ms = (time.perf_counter() - start) * 1000
            if len(str(out["n"]).split(":")[1]) != iterations:
                raise SystemExit("the loop's result is wrong")
        samples: list[float] = []
        for i, path in enumerate(images):
            png = path.read_bytes()  # as a script has its picture: a file's bytes; the result comes back as numpy
            start = time.perf_counter()
            result = await d.run([{"name": "invert.json", "workflow": INVERT}], inputs={"picture": png})
            if i > 0:  # the first is the warm-up
                samples.append((time.perf_counter() - start) * 1000)
            if getattr(result["inverted"], "shape", None) is None:
                raise SystemExit("no image came back")
        return {"loop_ms": loop_ms, "image_ms": statistics.median(samples)}
    finally:
        await d.shutdown()


if __name__ == "__main__":
    folder = Path(sys.argv[2])
    print(json.dumps(asyncio.run(main(sys.argv[1], sorted(folder.glob("*.png")), int(sys.argv[3])))))
