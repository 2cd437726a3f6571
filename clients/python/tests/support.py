"""Helpers of the tests: running a body with a client, and the workflows they use."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx

from discomfort_client import Discomfort

T = TypeVar("T")


def with_client(url: str, body: Callable[[Discomfort], Awaitable[T]]) -> T:
    """Run ``body(discomfort)`` on a new event loop with a client of the bridge at ``url``, shut down after."""

    async def main() -> T:
        discomfort = await Discomfort.create(url, start_bridge_if_missing=False)
        try:
            return await body(discomfort)
        finally:
            await discomfort.shutdown()

    return asyncio.run(main())


def port(unique_id: str, input_data: tuple[str, int] | None = None) -> dict[str, object]:
    """A DiscomfortPort node: INPUT without ``input_data``, OUTPUT with it."""
    inputs: dict[str, object] = {"unique_id": unique_id}
    if input_data is not None:
        inputs["input_data"] = list(input_data)
    return {"class_type": "DiscomfortPort", "inputs": inputs}


#: INPUT "text" → text + "!" → OUTPUT "out".
CONCAT: dict[str, object] = {
    "name": "concat.json",
    "workflow": {
        "1": port("text"),
        "2": {"class_type": "StringConcatenate", "inputs": {"string_a": ["1", 0], "string_b": "!", "delimiter": ""}},
        "3": port("out", ("2", 0)),
    },
}

#: INPUT "image" → inverted → OUTPUT "inverted".
INVERT: dict[str, object] = {
    "name": "invert.json",
    "workflow": {
        "1": port("image"),
        "2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
        "3": port("inverted", ("2", 0)),
    },
}


def slow(steps: int, step_ms: int = 50) -> dict[str, object]:
    """A workflow that takes ``steps × step_ms`` on the stand-in (its test-only sleep node)."""
    return {
        "name": "slow.json",
        "workflow": {
            "1": {"class_type": "PrimitiveString", "inputs": {"value": "x"}},
            "2": {
                "class_type": "DiscomfortTestSleep",
                "inputs": {"value": ["1", 0], "steps": steps, "step_ms": step_ms},
            },
            "3": port("out", ("2", 0)),
        },
    }


def raw_value(url: str, context_id: str, key: str) -> bytes:
    """A value's bytes as the bridge serves them to any HTTP client (``?format=raw``), not through this client."""
    res = httpx.get(f"{url}/api/contexts/{context_id}/values/{key}", params={"format": "raw"}, timeout=10)
    res.raise_for_status()
    return res.content
