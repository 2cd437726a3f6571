"""Runs: outputs come back as Python values, iterations loop, progress is heard, failures are exceptions."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from discomfort_client import (
    BadRequestError,
    ComfyError,
    Discomfort,
    ImageValue,
    Reference,
    RunCancelledError,
    RunFailedError,
)
from discomfort_client.models import RunEvent

from processes import EXAMPLE_WORKFLOWS, WORKFLOWS
from support import CONCAT, INVERT, port, slow, with_client


def test_run_returns_the_output_ports_values(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        assert await d.run([CONCAT], inputs={"text": "hello"}) == {"out": "hello!"}

    with_client(bridge_url, body)


def test_iterations_feed_each_output_back_into_the_input_of_the_same_key(bridge_url: str) -> None:
    grow = {
        "name": "grow.json",
        "workflow": {
            "1": port("n"),
            "2": {
                "class_type": "StringConcatenate",
                "inputs": {"string_a": ["1", 0], "string_b": "a", "delimiter": ""},
            },
            "3": port("n", ("2", 0)),
        },
    }

    async def body(d: Discomfort) -> None:
        async with d.Context() as context:
            out = await d.run([grow], inputs={"n": ""}, iterations=4, context=context)
            assert out == {"n": "aaaa"}
            assert await context.aload("n") == "aaaa"

    with_client(bridge_url, body)


def test_an_image_goes_in_as_an_array_and_comes_out_as_one(bridge_url: str) -> None:
    image = np.zeros((1, 6, 5, 3), dtype=np.float32)
    image[..., 0] = 1.0

    async def body(d: Discomfort) -> None:
        out = await d.run([INVERT], inputs={"image": image})
        inverted = out["inverted"]
        assert isinstance(inverted, np.ndarray) and inverted.shape == (1, 6, 5, 3)
        assert np.array_equal(inverted[0, 0, 0], [0.0, 1.0, 1.0])
        typed = await d.run_values([INVERT], inputs={"image": image})
        assert isinstance(typed["inverted"], ImageValue) and typed["inverted"].width == 5

    with_client(bridge_url, body)


def test_repository_workflow_files_run_by_path(bridge_url: str) -> None:
    """examples/workflows/make_canvas.json, as the TypeScript examples use it."""

    async def body(d: Discomfort) -> None:
        out = await d.run(
            [EXAMPLE_WORKFLOWS / "make_canvas.json"], inputs={"width": 32, "height": 16, "color": 0x00FF00}
        )
        canvas = out["canvas"]
        assert isinstance(canvas, np.ndarray) and canvas.shape == (1, 16, 32, 3)
        assert np.array_equal(canvas[0, 0, 0], [0.0, 1.0, 0.0])

    with_client(bridge_url, body)


def test_progress_events_are_heard_in_order(bridge_url: str) -> None:
    events: list[RunEvent] = []

    async def body(d: Discomfort) -> None:
        await d.run([CONCAT], inputs={"text": "x"}, on_progress=events.append)

    with_client(bridge_url, body)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "run-started" and kinds[-1] == "run-finished"
    assert "workflow-finished" in kinds


@pytest.mark.stand_in_only
def test_a_reference_output_is_a_recipe_that_later_runs_reuse(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context() as context:
            await context.asave("model_name", "my_model.safetensors")
            await d.run([WORKFLOWS / "load_model.json"], context=context)
            model = await context.aload("my_model")
            assert isinstance(model, Reference) and model.type == "MODEL"
            info = await context.aget_storage_info("my_model")
            assert info["pass_by"] == "ref"

    with_client(bridge_url, body)


@pytest.mark.stand_in_only
def test_a_failing_node_raises_run_failed_with_the_bridge_code(bridge_url: str) -> None:
    broken = {
        "name": "broken.json",
        "workflow": {
            "1": {"class_type": "EmptyImage", "inputs": {"width": 4, "height": 4, "batch_size": 1, "color": 0}},
            "2": {
                "class_type": "DiscomfortTestModelApply",
                "inputs": {"model": ["1", 0], "image": ["1", 0], "strength": 1},
            },
            "3": port("out", ("2", 0)),
        },
    }

    async def body(d: Discomfort) -> None:
        with pytest.raises(RunFailedError) as caught:
            await d.run([broken])
        # The bridge's RunFailure carries the wrapping RunError's code; ComfyUI's words are in the message.
        assert (caught.value.code, caught.value.name) == ("run_failed", "RunError")
        assert "mismatch input_type(MODEL)" in caught.value.message and caught.value.run_id
        assert (await d.get_run(caught.value.run_id))["status"] == "failed"

    with_client(bridge_url, body)


def test_an_unknown_node_type_is_named(bridge_url: str) -> None:
    unknown = {
        "name": "u.json",
        "workflow": {"1": {"class_type": "NoSuchNode", "inputs": {}}, "2": port("o", ("1", 0))},
    }

    async def body(d: Discomfort) -> None:
        with pytest.raises(RunFailedError) as caught:
            await d.run([unknown])
        # As above: the run's failure carries RunError's code; the missing type is named in the message.
        assert caught.value.code == "run_failed"
        assert "NoSuchNode" in caught.value.message

    with_client(bridge_url, body)


def test_a_missing_workflow_file_is_a_clear_error(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        with pytest.raises(BadRequestError, match="no_such.json") as caught:
            await d.run(["no_such.json"])
        assert caught.value.code == "unreadable_file"
        with pytest.raises(BadRequestError, match="list of workflows"):
            await d.run("workflow.json")

    with_client(bridge_url, body)


@pytest.mark.stand_in_only
def test_cancelling_the_task_cancels_the_run_on_the_bridge(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        started = asyncio.Event()
        run_ids: list[str] = []

        def heard(e: RunEvent) -> None:
            run_ids.append(e["runId"])
            if e["type"] == "workflow-started":
                started.set()

        task = asyncio.create_task(d.run([slow(200)], on_progress=heard))
        await asyncio.wait_for(started.wait(), 30)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(100):
            if (await d.get_run(run_ids[0]))["status"] == "cancelled":
                break
            await asyncio.sleep(0.1)
        assert (await d.get_run(run_ids[0]))["status"] == "cancelled"

    with_client(bridge_url, body)


@pytest.mark.stand_in_only
def test_cancel_run_by_id_fails_the_run_with_a_cancellation(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        run_ids: list[str] = []
        task = asyncio.create_task(d.run([slow(200)], on_progress=lambda e: run_ids.append(e["runId"])))
        while not run_ids:
            await asyncio.sleep(0.02)
        await d.cancel_run(run_ids[0])
        with pytest.raises(RunCancelledError) as caught:
            await task
        assert caught.value.code in ("run_cancelled", "comfy_cancelled")

    with_client(bridge_url, body)


def test_history_lists_runs_and_a_run_can_be_run_again(bridge_url: str) -> None:
    async def body(d: Discomfort) -> None:
        async with d.Context() as context:
            await d.run([CONCAT], inputs={"text": "again"}, context=context)
            history = await d.list_runs(limit=5)
            last = history[-1]
            assert last["status"] == "succeeded" and last["workflows"] == ["concat.json"]
            given = await d.run_workflows(last["id"])
            assert [(w["name"], w["format"]) for w in given["workflows"]] == [("concat.json", "api")]
            assert given["workflows"][0]["workflow"] == CONCAT["workflow"]
            view = await d.get_run(last["id"], events=True)
            assert [e["type"] for e in view.get("events", [])][-1] == "run-finished"
            await context.asave("text", "twice")
            rerun = await d.rerun(last["id"])
            async for _event in d.run_events(rerun["id"]):
                pass
            assert (await d.get_run(rerun["id"]))["status"] == "succeeded"
            assert await context.aload("out") == "twice!"

    with_client(bridge_url, body)


def test_comfy_errors_are_their_own_class() -> None:
    from discomfort_client.errors import error_from_answer

    assert isinstance(error_from_answer("comfy_unreachable", "down", 502), ComfyError)
