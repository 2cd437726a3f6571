"""The repository README's ``python`` blocks, run as written (each a script, from the repository's
root, with DISCOMFORT_BRIDGE_URL naming the test's bridge), as test/readme.test.ts runs its shell blocks."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from processes import REPO_ROOT

BLOCKS = re.findall(r"^```python\n(.*?)^```", (REPO_ROOT / "README.md").read_text(), flags=re.M | re.S)


def test_the_readme_has_python_blocks() -> None:
    assert BLOCKS, "README.md shows no ```python block"


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block {i + 1}" for i in range(len(BLOCKS))])
def test_readme_block_runs_as_written(code: str, bridge_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**os.environ, "DISCOMFORT_BRIDGE_URL": bridge_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # What a block prints as its result is what it says it prints (a "# ..." comment after a print).
    for expected in re.findall(r"print\(.*\)\s+#\s.*?(\(\d+(?:, \d+)*\))", code):
        assert expected in done.stdout, f"expected {expected} in:\n{done.stdout}"
