"""Sweeps (items as they finish, their files, re-attaching) and the pool of ComfyUI servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from discomfort_client import Discomfort, NotFoundError
from discomfort_client.models import SweepEvent, SweepItem
from discomfort_client.sync import Discomfort as SyncDiscomfort

from processes import Child, start_bridge, start_stand_in
from support import CONCAT, with_client


def test_sweep_yields_every_item_once_with_its_outputs(bridge_url: str) -> None:
    events: list[SweepEvent] = []

    async def body(d: Discomfort) -> list[SweepItem]:
        sweep = await d.sweep([CONCAT], vary={"text": ["a", "b", "c"]}, label="letters")
        items = [item async for item in sweep.aresults(on_progress=events.append)]
        view = await sweep.aview()
        assert (view["status"], view["total"], view["done"], view["label"]) == ("finished", 3, 3, "letters")
        assert await sweep.afile(items[0], "out") == f'"{items[0]["inputs"]["text"]}!"'.encode()
        again = [item async for item in d.attach_sweep(sweep.id)]
        assert sorted(int(i["index"]) for i in again) == [0, 1, 2]
        assert sweep.id in {s["id"] for s in await d.list_sweeps()}
        return items

    items = with_client(bridge_url, body)
    assert sorted(str(i["inputs"]["text"]) for i in items) == ["a", "b", "c"]
    for item in items:
        assert item["status"] == "done"
        (out,) = item.get("outputs", [])
        assert out["key"] == "out" and out.get("value") == f"{item['inputs']['text']}!"
    assert any(e["type"] == "sweep" for e in events)


def test_sweep_from_the_blocking_facade_and_a_missing_sweep(bridge_url: str) -> None:
    d = SyncDiscomfort.create(bridge_url)
    try:
        sweep = d.sweep([CONCAT], items=[{"text": "x"}, {"text": "y"}])
        assert sorted(str(item.get("outputs", [])[0].get("value")) for item in sweep) == ["x!", "y!"]
        with pytest.raises(NotFoundError) as caught:
            d.attach_sweep("no-such-sweep").view()
        assert caught.value.status == 404
    finally:
        d.shutdown()


@pytest.fixture
def second_comfy(logs: Path) -> Iterator[Child]:
    child = start_stand_in(logs)
    yield child
    child.stop()


@pytest.fixture
def own_bridge(comfy: Child, logs: Path, tmp_path: Path) -> Iterator[Child]:
    """A bridge of this test only (the pool changes here must not reach the session's bridge)."""
    child = start_bridge(tmp_path / "home", comfy.url, logs)
    yield child
    child.stop()


@pytest.mark.stand_in_only
def test_servers_are_listed_added_used_and_removed(own_bridge: Child, comfy: Child, second_comfy: Child) -> None:
    async def body(d: Discomfort) -> None:
        (first,) = await d.list_servers()
        assert first["url"] == comfy.url and first["up"]
        added = await d.add_servers({"url": second_comfy.url, "label": "second", "maxQueued": 2})
        assert [(s["label"], s["maxQueued"]) for s in added] == [("second", 2)]
        assert {s["label"] for s in await d.list_servers()} == {first["label"], "second"}
        sweep = await d.sweep([CONCAT], vary={"text": [str(i) for i in range(8)]})
        items = [i async for i in sweep]
        assert len(items) == 8 and {i.get("server") for i in items} <= {first["label"], "second"}
        assert sum(s["runs"] for s in await d.list_servers()) >= 8
        # Paused, the second gets no item of the next sweep; resumed, the whole pool takes work again.
        assert [s["paused"] for s in await d.pause("second") if s["label"] == "second"] == [True]
        paused_sweep = await d.sweep([CONCAT], vary={"text": [f"p{i}" for i in range(4)]})
        assert {i.get("server") async for i in paused_sweep} == {first["label"]}
        assert all(s["paused"] for s in await d.pause())
        assert not any(s["paused"] for s in await d.resume())
        assert [s["label"] for s in await d.remove_server("second")] == [first["label"]]

    with_client(own_bridge.url, body)
