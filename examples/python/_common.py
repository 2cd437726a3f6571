"""Shared bits of the examples: where their workflows are, and running one from the command line."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from discomfort_client import Discomfort

T = TypeVar("T")


def _workflows() -> Path:
    """The repository's examples/workflows (DISCOMFORT_WORKFLOWS overrides), found from wherever this folder lives."""
    configured = os.environ.get("DISCOMFORT_WORKFLOWS")
    if configured:
        return Path(configured)
    for folder in Path(__file__).resolve().parents:
        for candidate in (folder / "workflows", folder / "examples" / "workflows"):
            if (candidate / "make_canvas.json").is_file():
                return candidate
    raise FileNotFoundError("examples/workflows not found; set DISCOMFORT_WORKFLOWS to its folder")


WORKFLOWS = _workflows()


def workflow(name: str) -> Path:
    return WORKFLOWS / name


def run_main(example: Callable[[Discomfort, Path], Awaitable[T]]) -> T:
    """``python examples/<name>.py [out_dir]``: connect (or start a bridge), run the example, print its result."""
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "discomfort-output")
    out_dir.mkdir(parents=True, exist_ok=True)

    async def main() -> T:
        discomfort = await Discomfort.create()
        try:
            result = await example(discomfort, out_dir)
            print(result)
            return result
        finally:
            await discomfort.shutdown()

    return asyncio.run(main())
