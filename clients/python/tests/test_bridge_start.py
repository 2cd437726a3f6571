"""Discomfort.create(): a running bridge is used; when none answers, one is started (and stopped at shutdown)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from discomfort_client import BridgeUnreachableError, Discomfort, ProtocolError

from processes import Child, bridge_command, free_port
from support import CONCAT


def test_create_starts_a_bridge_when_none_answers_and_stops_it(
    comfy: Child, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{free_port()}"

    async def main() -> None:
        d = await Discomfort.create(url, comfy_url=comfy.url, bridge_command=bridge_command(), bridge_root=tmp_path)
        assert d.started_bridge and d.bridge_process is not None
        assert d.url == url
        assert await d.run([CONCAT], inputs={"text": "own"}) == {"out": "own!"}
        process = d.bridge_process.process
        await d.shutdown()
        assert process.poll() is not None

    with caplog.at_level("INFO", logger="discomfort_client"):
        asyncio.run(main())
    assert f"No Discomfort bridge answered at {url}: started one" in caplog.text


def test_create_uses_the_running_bridge_from_the_environment(bridge_url: str) -> None:
    async def main() -> None:
        d = await Discomfort.create()
        assert not d.started_bridge and d.url == bridge_url
        assert (await d.health())["service"] == "discomfort-bridge"
        await d.shutdown()

    asyncio.run(main())


def test_without_starting_one_an_absent_bridge_is_a_clear_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(BridgeUnreachableError, match="npx discomfort bridge") as caught:
        asyncio.run(Discomfort.create(url, start_bridge_if_missing=False))
    assert caught.value.code == "unreachable" and isinstance(caught.value, ConnectionError)


def test_something_else_answering_is_not_taken_for_a_bridge(comfy: Child) -> None:
    with pytest.raises(ProtocolError) as caught:
        asyncio.run(Discomfort.create(comfy.url))
    assert caught.value.status == 404


def test_a_bridge_command_that_fails_says_why(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(BridgeUnreachableError, match="exited") as caught:
        asyncio.run(Discomfort.create(url, bridge_command=["node", "-e", "process.exit(3)"], startup_timeout=20))
    assert caught.value.code == "bridge_start_failed"
