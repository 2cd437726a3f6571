"""Fixtures: one stand-in ComfyUI and one bridge for the session (each test makes its own contexts)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from processes import Child, check_repo, start_bridge, start_stand_in


@pytest.fixture(scope="session")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


#: A running ComfyUI to test on instead of the stand-in (test:comfyui sets it to the real one).
GIVEN_COMFYUI = os.environ.get("DISCOMFORT_TEST_COMFYUI_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a given (real) ComfyUI, tests that need the stand-in's test-only nodes are left out, saying so."""
    if not GIVEN_COMFYUI:
        return
    kept = [i for i in items if i.get_closest_marker("stand_in_only") is None]
    left = [i for i in items if i.get_closest_marker("stand_in_only") is not None]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def comfy(logs: Path) -> Iterator[Child]:
    check_repo()
    if GIVEN_COMFYUI:
        yield Child(None, GIVEN_COMFYUI.rstrip("/"), logs / "given-comfyui.log")
        return
    child = start_stand_in(logs)
    yield child
    child.stop()


@pytest.fixture(scope="session")
def bridge(comfy: Child, logs: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Child]:
    child = start_bridge(tmp_path_factory.mktemp("bridge-home"), comfy.url, logs)
    yield child
    child.stop()


@pytest.fixture
def bridge_url(bridge: Child, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session's bridge, also as DISCOMFORT_BRIDGE_URL (what `Discomfort.create()` with no argument uses)."""
    monkeypatch.setenv("DISCOMFORT_BRIDGE_URL", bridge.url)
    return bridge.url
