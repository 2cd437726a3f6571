"""Starting a bridge when none answers: the ``discomfort`` command (or ``npx discomfort``) as a child process.

Its log goes to a file (named in errors and on the handle); it is stopped by
``Discomfort.shutdown()``, SIGTERM first, then killed if it does not stop.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import BridgeUnreachableError

_LISTENING = re.compile(r"listening on (https?://\S+)")


def default_bridge_command() -> list[str] | None:
    """How to start a bridge here: ``DISCOMFORT_BRIDGE_COMMAND``, else ``discomfort bridge``,
    else ``npx discomfort bridge``."""
    configured = os.environ.get("DISCOMFORT_BRIDGE_COMMAND")
    if configured:
        return shlex.split(configured)
    if shutil.which("discomfort"):
        return ["discomfort", "bridge"]
    if shutil.which("npx"):
        return ["npx", "discomfort", "bridge"]
    return None


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class BridgeProcess:
    """A bridge this client started."""

    process: subprocess.Popen[bytes]
    url: str
    command: list[str]
    log_path: Path

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (the bridge closes cleanly), then SIGKILL past ``timeout``."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_bridge(
    url: str,
    *,
    command: Sequence[str] | None = None,
    comfy_url: str | None = None,
    root: str | Path | None = None,
    token: str | None = None,
    extra_args: Sequence[str] = (),
    timeout: float = 60.0,
) -> BridgeProcess:
    """Start ``discomfort bridge`` listening at ``url`` (another free port when that one is taken)."""
    base = list(command) if command else default_bridge_command()
    if not base:
        raise BridgeUnreachableError(
            f"No Discomfort bridge answers at {url}, and none can be started here: neither `discomfort` nor `npx` "
            "is on PATH. Install Node.js 22+ and run `npx discomfort bridge`, or pass bridge_url=.",
            code="unreachable",
        )
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 8189
    if not _port_free(host, port):
        port = _free_port(host)
    args = [*base, "--port", str(port), "--host", host]
    if comfy_url:
        args += ["--comfy", comfy_url]
    if root is not None:
        args += ["--root", str(root)]
    if token:
        args += ["--token", token]
    args += list(extra_args)
    log_path = Path(tempfile.mkstemp(prefix="discomfort-bridge-", suffix=".log")[1])
    with open(log_path, "wb") as log:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    bridge = BridgeProcess(process, f"{parts.scheme or 'http'}://{host}:{port}", args, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _LISTENING.search(log_path.read_text(errors="replace"))
        if found:
            bridge.url = found.group(1).rstrip("/")
            return bridge
        if process.poll() is not None:
            raise BridgeUnreachableError(
                f"`{shlex.join(args)}` exited ({process.returncode}) before listening:\n{bridge.log_tail()}",
                code="bridge_start_failed",
            )
        time.sleep(0.05)
    bridge.stop()
    raise BridgeUnreachableError(
        f"`{shlex.join(args)}` did not say it listens within {timeout:.0f} s (log: {log_path}):\n{bridge.log_tail()}",
        code="bridge_start_failed",
    )
