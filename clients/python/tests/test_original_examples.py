"""Every code example of the original Discomfort's docs page, run on a real bridge (see original_examples/README.md)."""

from __future__ import annotations

import ast
import asyncio
import inspect
import pickle
import runpy
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
import numpy as np
import pytest

from discomfort_client import Context, Discomfort, Reference

from processes import WORKFLOWS
from support import port

# Their twin workflows (tests/workflows) load with the stand-in's test-only model nodes.
pytestmark = pytest.mark.stand_in_only

EXAMPLES = Path(__file__).resolve().parent / "original_examples"
T = TypeVar("T")
Namespace = dict[str, object]


async def run_example(name: str, namespace: Namespace, replace: tuple[str, str] | None = None) -> Namespace:
    """Run an example's code as the body of the page's ``async def main()``: top-level ``await`` allowed."""
    source = (EXAMPLES / name).read_text()
    if replace is not None:
        source = source.replace(*replace)
    code = compile(source, str(EXAMPLES / name), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)  # noqa: S307 - the repository's own example files
    if inspect.iscoroutine(result):
        await result
    return namespace


def in_main(body: Callable[[Discomfort], Awaitable[T]]) -> T:
    """``discomfort = await Discomfort.create()`` as the page's main() does (the bridge from DISCOMFORT_BRIDGE_URL)."""

    async def main() -> T:
        discomfort = await Discomfort.create()
        try:
            return await body(discomfort)
        finally:
            await discomfort.shutdown()

    return asyncio.run(main())


def context_exists(url: str, context_id: str) -> bool:
    return httpx.get(f"{url}/api/contexts/{context_id}", timeout=10).status_code == 200


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The examples' working folder: the workflows they name by file name, and where they write."""
    for name in ("load_model.json", "main_workflow.json", "workflow.json"):
        shutil.copy(WORKFLOWS / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_input_mode_saves_what_input_ports_receive(bridge_url: str) -> None:
    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            await run_example("input_mode.py", {"context": context})
            assert await context.alist_keys() == ["my_prompt", "my_seed"]
            # The workflow side: INPUT ports with those unique_ids receive the values.
            joined = {
                "name": "receive.json",
                "workflow": {
                    "1": port("my_prompt"),
                    "2": port("my_seed"),
                    "3": {
                        "class_type": "EmptyImage",
                        "inputs": {"width": 4, "height": 4, "batch_size": 1, "color": ["2", 0]},
                    },
                    "4": port("seen_prompt", ("1", 0)),
                    "5": port("seen_image", ("3", 0)),
                },
            }
            out = await discomfort.run([joined], context=context)
            assert out["seen_prompt"] == "A beautiful landscape, 4k, masterpiece"
            seen = out["seen_image"]
            assert isinstance(seen, np.ndarray)
            assert np.array_equal(np.rint(seen[0, 0, 0] * 255), [0, 42069 >> 8 & 0xFF, 42069 & 0xFF])

    in_main(body)


def test_output_mode_extracts_the_image_and_writes_it(bridge_url: str, workdir: Path) -> None:
    producer = {
        "name": "produce.json",
        "workflow": {
            "1": {
                "class_type": "EmptyImage",
                "inputs": {"width": 24, "height": 16, "batch_size": 1, "color": 0xFF8000},
            },
            "2": port("final_image", ("1", 0)),
        },
    }

    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            await discomfort.run([producer], context=context)
            ns = await run_example("output_mode.py", {"context": context, "discomfort": discomfort})
            result = ns["result_image"]
            assert isinstance(result, np.ndarray) and result.shape == (1, 16, 24, 3)
            written = Discomfort.Tools.open_image(workdir / "output.png")
            assert np.array_equal(written, result)
            assert np.array_equal(np.rint(written[0, 0, 0] * 255), [255, 128, 0])

    in_main(body)


def test_automatic_cleanup_of_a_4k_image_and_small_data(bridge_url: str) -> None:
    height, width = 2160, 3840
    ramp = np.linspace(0, 1, width, dtype=np.float32)
    my_4k_image = np.broadcast_to(ramp[None, None, :, None], (1, height, width, 3)).copy()

    async def body(discomfort: Discomfort) -> None:
        ns = await run_example("automatic_cleanup.py", {"discomfort": discomfort, "my_4k_image": my_4k_image})
        context = ns["context"]
        assert isinstance(context, Context) and context.closed
        assert not context_exists(discomfort.url, context.id)

    in_main(body)


def test_pass_by_value_stores_actual_data(bridge_url: str) -> None:
    image_tensor = np.full((1, 8, 8, 3), 0.5, dtype=np.float32)

    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            await run_example("pass_by_value.py", {"context": context, "image_tensor": image_tensor})
            for key, kind in (("prompt", "string"), ("cfg_scale", "number"), ("image", "image")):
                info = await context.aget_storage_info(key)
                assert (info["pass_by"], info["kind"]) == ("val", kind)
            assert await context.aload("cfg_scale") == 7.5
            image = await context.aload("image")
            assert isinstance(image, np.ndarray)
            assert np.array_equal(image, np.full((1, 8, 8, 3), 127 / 255, dtype=np.float32))

    in_main(body)


def test_pass_by_reference_stores_the_workflow_that_makes_the_model(bridge_url: str) -> None:
    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            # A MODEL comes out of a workflow: the context keeps the recipe that makes it.
            await context.asave("model_name", "my_model.safetensors")
            await discomfort.run([WORKFLOWS / "load_model.json"], context=context)
            model_object = await context.aload("my_model")
            assert isinstance(model_object, Reference)
            ns = await run_example("pass_by_reference.py", {"context": context, "model_object": model_object})
            loaded = ns["loaded_model"]
            assert isinstance(loaded, Reference) and loaded == model_object and loaded.type == "MODEL"
            assert [n["class_type"] for n in loaded.prompt.values() if isinstance(n, dict)] == [
                "DiscomfortTestModelLoader"
            ]
            assert (await context.aget_storage_info("my_model"))["pass_by"] == "ref"

    in_main(body)


def contexts(url: str) -> set[str]:
    return {str(c["id"]) for c in httpx.get(f"{url}/api/contexts", timeout=10).json()}


def test_complete_workflow_runs_as_a_script(bridge_url: str, workdir: Path) -> None:
    before = contexts(bridge_url)
    runpy.run_path(str(EXAMPLES / "complete_workflow.py"), run_name="__main__")
    assert contexts(bridge_url) == before  # its context was removed at the end of `with`
    for i in range(5):
        image = Discomfort.Tools.open_image(workdir / f"output_{i}.png")
        assert image.shape == (1, 48, 64, 3)
        seed = 1000 + i  # the twin paints the seed as the image's colour, through the loaded model
        assert np.array_equal(np.rint(image[0, 0, 0] * 255), [seed >> 16 & 0xFF, seed >> 8 & 0xFF, seed & 0xFF])


def test_best_practices_do(bridge_url: str, workdir: Path) -> None:
    async def body(discomfort: Discomfort) -> None:
        ns = await run_example("best_practices_do_cleanup.py", {"discomfort": discomfort})
        closed = ns["context"]
        assert isinstance(closed, Context) and not context_exists(discomfort.url, closed.id)

        async with discomfort.Context() as context:
            await run_example(
                "best_practices_do_reuse.py",
                {"discomfort": discomfort, "context": context, "my_model": "my_model.safetensors"},
            )
            result = await context.aload("result")
            assert isinstance(result, np.ndarray)  # grey × strength 0.5
            assert np.allclose(result, np.floor(0.5 * 128) / 255, atol=1 / 255)
            runs = (await context.adetail())["runs"]
            assert len(runs) == 10

            prompt, bg_img = "A knight in silver armour", np.ones((1, 4, 4, 3), dtype=np.float32)
            await run_example("best_practices_do_names.py", {"context": context, "prompt": prompt, "bg_img": bg_img})
            assert await context.aload("main_character_prompt") == prompt
            assert (await context.aget_storage_info("background_image"))["comfy_type"] == "IMAGE"

    in_main(body)


def test_best_practices_avoid_runs_and_leaks_its_context(bridge_url: str, workdir: Path) -> None:
    async def body(discomfort: Discomfort) -> None:
        ns = await run_example(
            "best_practices_avoid.py", {"discomfort": discomfort, "something": [1, 2], "result": {"score": 0.9}}
        )
        context = ns["context"]
        assert isinstance(context, Context)
        assert await context.aload("model_name") == "model9.safetensors"
        assert await context.aload("output") == {"score": 0.9}
        # What the page warns about: without shutdown() the context stays on the bridge.
        assert context_exists(discomfort.url, context.id)
        await context.ashutdown()
        assert not context_exists(discomfort.url, context.id)

    in_main(body)


def test_memory_usage_prints_the_original_fields(bridge_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            await context.asave("a", "x")
            await context.asave("b", np.zeros((1, 2, 2, 3), dtype=np.float32))
            await run_example("memory_usage.py", {"context": context})

    in_main(body)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("RAM: 0.00 / ") and lines[0].endswith(" GB")
    assert lines[1] == "Disk: 0.0 MB" and lines[2] == "Items: 2"


def test_export_data_makes_a_pickle(bridge_url: str, tmp_path: Path) -> None:
    final = np.full((1, 3, 3, 3), 51 / 255, dtype=np.float32)

    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            await context.asave("final_result", final)
            await run_example("export_data.py", {"context": context}, replace=("/path/to/permanent/", f"{tmp_path}/"))

    in_main(body)
    with open(tmp_path / "file.pkl", "rb") as f:
        assert np.array_equal(pickle.load(f), final)


def test_list_keys_prints_them(bridge_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    async def body(discomfort: Discomfort) -> None:
        async with discomfort.Context() as context:
            await context.asave("prompt", "p")
            await context.asave("seed", 1)
            await run_example("list_keys.py", {"context": context})

    in_main(body)
    assert capsys.readouterr().out == "Stored data: ['prompt', 'seed']\n"


def test_multiple_contexts_are_separate_and_each_cleaned_up(bridge_url: str) -> None:
    async def body(discomfort: Discomfort) -> None:
        ns = await run_example("multiple_contexts.py", {"discomfort": discomfort})
        training, inference = ns["training_context"], ns["inference_context"]
        assert isinstance(training, Context) and isinstance(inference, Context)
        assert training.id != inference.id and training.closed and inference.closed
        assert not context_exists(discomfort.url, training.id)
        assert not context_exists(discomfort.url, inference.id)

    in_main(body)


def test_every_example_file_is_run_by_a_test() -> None:
    source = Path(__file__).read_text()
    for example in EXAMPLES.glob("*.py"):
        assert f'"{example.name}"' in source, f"{example.name} is not run by any test"
