"""Contexts as the original's docs use them: with / async with, cleaned up at the end, and their operations."""

from __future__ import annotations

import asyncio
import json
import pickle
from pathlib import Path

import httpx
import numpy as np
import pytest

from discomfort_client import BadRequestError, ContextClosedError, Discomfort
from discomfort_client.sync import Discomfort as SyncDiscomfort

from support import with_client


async def exists(d: Discomfort, context_id: str) -> bool:
    return context_id in {c["id"] for c in await d.list_contexts()}


def test_with_block_deletes_the_context_on_the_bridge(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        with d.Context() as context:
            context.save("small_data", {"cfg": 7.5})
            assert await exists(d, context.id)
        assert context.closed
        assert not await exists(d, context.id)
        gone = httpx.get(f"{d.url}/api/contexts/{context.id}", timeout=10)
        assert gone.status_code == 404 and gone.json()["error"]["type"] == "not_found"

    with_client(bridge_url, body)


def test_async_with_deletes_it_too_even_after_an_error(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        with pytest.raises(RuntimeError, match="boom"):
            async with d.Context() as context:
                await context.asave("x", 1)
                raise RuntimeError("boom")
        assert not await exists(d, context.id)

    with_client(bridge_url, body)


def test_a_closed_context_cannot_be_used_and_closing_twice_is_harmless(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        context = d.Context()
        context.save("x", 1)
        context.shutdown()
        context.shutdown()
        with pytest.raises(ContextClosedError) as caught:
            context.save("x", 2)
        assert caught.value.code == "context_closed"

    with_client(bridge_url, body)


def test_keys_usage_storage_info_and_delete(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context(name="ops") as context:
            context.save("prompt", "Beautiful landscape")
            context.save("image", np.zeros((1, 8, 8, 3), dtype=np.float32))
            assert context.list_keys() == ["prompt", "image"]
            usage = context.get_usage()
            assert usage["stored_keys_count"] == 2
            assert usage["ram_usage_gb"] > 0 and usage["ram_capacity_gb"] > usage["ram_usage_gb"]
            info = context.get_storage_info("image")
            assert (info["key"], info["storage_type"], info["pass_by"], info["comfy_type"]) == (
                "image",
                "ram",
                "val",
                "IMAGE",
            )
            assert info["size"] > 0
            entries = await context.aentries()
            assert [e["storageType"] for e in entries] == ["ram", "ram"]
            context.delete("prompt")
            assert context.list_keys() == ["image"]

    with_client(bridge_url, body)


def test_export_data_writes_png_pickle_json_and_latent(bridge_url: str, tmp_path: Path) -> None:
    image = (np.arange(2 * 4 * 4 * 3).reshape(2, 4, 4, 3) % 256 / 255).astype(np.float32)
    samples = np.ones((1, 4, 2, 2), dtype=np.float32)

    async def body(d: Discomfort) -> None:
        async with d.Context() as context:
            context.save("final_result", image)
            context.save("settings", {"cfg": 7.5})
            context.save("latent", {"samples": samples})
            assert context.export_data("final_result", tmp_path / "out.png") == [
                str(tmp_path / "out.png"),
                str(tmp_path / "out_1.png"),
            ]
            assert d.Tools.open_image(tmp_path / "out.png", tmp_path / "out_1.png").tolist() == image.tolist()
            context.export_data("final_result", tmp_path / "deep" / "result.pkl")
            with open(tmp_path / "deep" / "result.pkl", "rb") as f:
                assert np.array_equal(pickle.load(f), image)
            context.export_data("settings", tmp_path / "settings.json")
            assert json.loads((tmp_path / "settings.json").read_text()) == {"cfg": 7.5}
            context.export_data("latent", tmp_path / "x.latent")
            assert np.array_equal(d.Tools.open_latent(tmp_path / "x.latent").samples, samples)
            with pytest.raises(FileExistsError):
                context.export_data("settings", tmp_path / "settings.json", overwrite=False)

    with_client(bridge_url, body)


def test_an_existing_context_is_attached_by_id_and_durable_ones_say_so(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context(durable=True) as first:
            await first.asave("kept", "yes")
            summary = await d.Context(first.id).aopen()
            assert summary["durable"] is True and summary["keys"] == 1
            assert await d.Context(first.id).aload("kept") == "yes"

    with_client(bridge_url, body)


def test_a_context_is_renamed_on_the_bridge(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context(name="draft") as context:
            summary = await context.arename("portraits, take 2")
            assert summary["name"] == "portraits, take 2"
            listed = {c["id"]: c.get("name") for c in await d.list_contexts()}
            assert listed[context.id] == "portraits, take 2"
            with pytest.raises(BadRequestError) as caught:
                await context.arename("   ")
            assert caught.value.status == 400 and "at least one character" in caught.value.message

    with_client(bridge_url, body)


def test_a_bad_key_is_refused_with_its_code(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context() as context:
            with pytest.raises(BadRequestError) as caught:
                await context.asave("a/b", 1)
            assert caught.value.code == "bad_key" and caught.value.status == 400
            assert '"/"' in caught.value.message

    with_client(bridge_url, body)


def test_sync_methods_work_from_another_thread_while_a_loop_runs(bridge_url: str) -> None:
    """A notebook's situation: a loop is running in this thread, and a blocking client is used anyway."""

    async def notebook_cell() -> str:
        d = SyncDiscomfort.create(bridge_url)
        try:
            with d.Context() as context:
                context.save("cell", "ran")
                return str(context.load("cell"))
        finally:
            d.shutdown()

    assert asyncio.run(notebook_cell()) == "ran"
