"""Fixtures: one stand-in ComfyUI and one bridge for the session (each test makes its own contexts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from processes import Child, check_repo, start_bridge, start_stand_in


@pytest.fixture(scope="session")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="session")
def comfy(logs: Path) -> Iterator[Child]:
    check_repo()
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
