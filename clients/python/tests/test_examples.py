"""The Python examples (examples/python) run on the ComfyUI stand-in,
as test/examples.test.ts runs the TypeScript ones."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from processes import CLIENT_ROOT
from support import with_client

sys.path.insert(0, str(CLIENT_ROOT.parent.parent / "examples" / "python"))

from blocking_script import blocking_script  # noqa: E402
from conditional_branch import conditional_branch  # noqa: E402
from feedback_loop import feedback_loop  # noqa: E402
from parameter_sweep import parameter_sweep  # noqa: E402
from partial_workflows import partial_workflows  # noqa: E402
from reference_reuse import reference_reuse  # noqa: E402
from sweep_with_progress import sweep_with_progress  # noqa: E402

from discomfort_client import Discomfort  # noqa: E402
from discomfort_client.sync import Discomfort as SyncDiscomfort  # noqa: E402


def test_parameter_sweep(bridge_url: str, tmp_path: Path) -> None:
    results = with_client(bridge_url, lambda d: parameter_sweep(d, tmp_path))
    assert [r["size"] for r in results] == ["16×16", "32×32", "64×64", "128×128"]
    assert all(Path(str(r["file"])).is_file() for r in results)


def test_feedback_loop(bridge_url: str, tmp_path: Path) -> None:
    result = with_client(bridge_url, lambda d: feedback_loop(d, tmp_path))
    assert {k: result[k] for k in ("iterations", "from", "to")} == {"iterations": 3, "from": "256×256", "to": "32×32"}


def test_partial_workflows_sequential_and_stitched_agree(bridge_url: str, tmp_path: Path) -> None:
    result = with_client(bridge_url, lambda d: partial_workflows(d, tmp_path))
    # 8-bit PNG truncates like ComfyUI's savers: inverting 0x80 gives 126, one step below 127.
    assert result["sequential"] == [255 - 0x20, 255 - 0x40, 255 - 0x80 - 1]
    assert result["stitched"] == result["sequential"]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (256, {"branch": "thumbnail.json", "caption": "Hello, big canvas", "size": "64×32"}),
        (64, {"branch": "negate.json", "caption": "Hello, small canvas", "size": "64×128"}),
    ],
)
def test_conditional_branch(bridge_url: str, tmp_path: Path, width: int, expected: dict[str, str]) -> None:
    assert with_client(bridge_url, lambda d: conditional_branch(d, tmp_path, width)) == expected


def test_reference_reuse_is_served_from_cache_after_the_first_run(bridge_url: str, tmp_path: Path) -> None:
    results = with_client(bridge_url, lambda d: reference_reuse(d, tmp_path))
    assert [r["size"] for r in results] == ["256×256", "128×128", "64×64"]
    assert results[0]["cached_nodes"] == 0
    # EmptyImage, ImageScaleBy and ImageInvert of the recipe are reused.
    assert all(int(str(r["cached_nodes"])) >= 3 for r in results[1:])


def test_sweep_with_progress(bridge_url: str, tmp_path: Path) -> None:
    result = with_client(bridge_url, lambda d: sweep_with_progress(d, tmp_path))
    assert (result.done, result.failed, result.heard) == (4, 0, 4)
    sizes = sorted(Discomfort.Tools.open_image(f).shape[1:3] for f in result.files)
    assert sizes == [(16, 32), (16, 32), (16, 64), (16, 64)]


def test_blocking_script(bridge_url: str, tmp_path: Path) -> None:
    client = SyncDiscomfort.create(bridge_url)
    try:
        result = blocking_script(client, tmp_path)
    finally:
        client.shutdown()
    assert result["shape"] == [1, 32, 48, 3]
    assert result["keys"] == ["width", "height", "color", "canvas", "negative"]
    negative = Discomfort.Tools.open_image(tmp_path / "blocking_negative.png")
    # ComfyUI inverts floats, then its savers truncate: 1 - 153/255 is 101.99..., stored as 101.
    assert np.array_equal(np.rint(negative[0, 0, 0] * 255), [255 - 0x33, 255 - 0x66, 255 - 0x99 - 1])
