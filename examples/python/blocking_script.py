"""The blocking facade, for a plain script or a notebook cell: no async, no await.

python examples/blocking_script.py [out_dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from discomfort_client.sync import Discomfort

from _common import workflow


def blocking_script(discomfort: Discomfort, out_dir: Path) -> dict[str, object]:
    with discomfort.Context(name="blocking script") as context:
        context.save("width", 48)
        context.save("height", 32)
        context.save("color", 0x336699)
        discomfort.run([workflow("make_canvas.json"), workflow("negate.json")], context=context)
        negative = context.load("negative")
        assert isinstance(negative, np.ndarray)
        files = discomfort.Tools.save_comfy_image_to_disk(negative, out_dir / "blocking_negative.png")
        keys = context.list_keys()
    return {"shape": list(negative.shape), "keys": keys, "files": files}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "discomfort-output")
    out.mkdir(parents=True, exist_ok=True)
    client = Discomfort.create()
    try:
        print(blocking_script(client, out))
    finally:
        client.shutdown()
