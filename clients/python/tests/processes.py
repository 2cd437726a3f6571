"""Real processes for the tests: the ComfyUI stand-in and bridges, started as the TypeScript tests start them
(test/helpers/processes.ts), each waited for until it says it listens, and stopped at the end."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: The repository this client lives in (clients/python/tests → the root); DISCOMFORT_REPO_ROOT overrides.
REPO_ROOT = Path(os.environ.get("DISCOMFORT_REPO_ROOT") or Path(__file__).resolve().parents[3])
CLIENT_ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = Path(__file__).resolve().parent / "workflows"
EXAMPLE_WORKFLOWS = REPO_ROOT / "examples" / "workflows"
STARTUP_TIMEOUT = 60.0


def node() -> str:
    found = os.environ.get("DISCOMFORT_NODE") or shutil.which("node")
    if not found:
        raise RuntimeError("The tests start real bridges: they need Node.js 22+ on PATH (or DISCOMFORT_NODE).")
    return found


def check_repo() -> None:
    """The bridge must be built (npm ci && npm run build) before the tests run."""
    missing = [p for p in ("node_modules", "dist/bridge", "bin/discomfort.js") if not (REPO_ROOT / p).exists()]
    if missing:
        raise RuntimeError(
            f"{REPO_ROOT} has no {', '.join(missing)}: run `npm ci && npm run build` there before the Python tests."
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Child:
    #: None: a server this suite did not start (the real ComfyUI named by DISCOMFORT_TEST_COMFYUI_URL).
    process: subprocess.Popen[bytes] | None
    url: str
    log: Path

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


def spawn(args: Sequence[str], url: str, log: Path, ready: str, timeout: float = STARTUP_TIMEOUT) -> Child:
    """Start a process (its output to ``log``) and wait until it prints ``ready``."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            list(args), cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
    child = Child(process, url, log)
    deadline = time.monotonic() + timeout
    pattern = re.compile(ready)
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if pattern.search(text):
            return child
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(args)} exited ({process.returncode}) before it was ready:\n{text[-2000:]}")
        time.sleep(0.05)
    child.kill()
    raise RuntimeError(
        f"{' '.join(args)} was not ready within {timeout:.0f} s:\n{log.read_text(errors='replace')[-2000:]}"
    )


def start_stand_in(log_dir: Path, prompt_delay_ms: int = 0) -> Child:
    """A stand-in ComfyUI as its own process: `node --import tsx test/comfyStandIn/main.ts`."""
    port = free_port()
    args = [node(), "--import", "tsx", "test/comfyStandIn/main.ts", "--port", str(port)]
    args += ["--prompt-delay-ms", str(prompt_delay_ms)]
    return spawn(args, f"http://127.0.0.1:{port}", log_dir / f"comfy-{port}.log", "listening")


def bridge_command() -> list[str]:
    """`discomfort bridge` of this checkout."""
    return [node(), str(REPO_ROOT / "bin" / "discomfort.js"), "bridge"]


def start_bridge(home: Path, comfy_url: str, log_dir: Path, more: Sequence[str] = ()) -> Child:
    """`discomfort bridge --port P --root HOME --comfy URL`, waited for until it says it listens."""
    port = free_port()
    args = [*bridge_command(), "--port", str(port), "--root", str(home), "--comfy", comfy_url, *more]
    return spawn(args, f"http://127.0.0.1:{port}", log_dir / f"bridge-{port}.log", r"listening on")
