"""The synchronous facade, for scripts and notebooks: the same client, every call blocking.

    from discomfort_client.sync import Discomfort

    discomfort = Discomfort.create()
    with discomfort.Context() as context:
        context.save("seed", 42)
        out = discomfort.run(["workflow.json"], context=context)
    discomfort.shutdown()

Its calls run on an event loop of its own, on a thread, so they work in a
notebook (whose loop is already running) as in a plain script.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

from . import context as _context

if sys.version_info >= (3, 11):
    from typing import Unpack
else:  # pragma: no cover - Python 3.10
    from typing_extensions import Unpack
from .client import Discomfort as AsyncDiscomfort
from .client import RunOptions, WorkflowArg
from .models import (
    ContextSummary,
    Health,
    RunEvent,
    RunView,
    RunWorkflows,
    ServerInfo,
    ServerSpec,
    SweepValue,
    SweepView,
)
from .portal import Portal
from .sweep import SweepHandle
from .tools import Tools
from .values import ImageFormat, StoredValue, Value

__all__ = ["Discomfort"]


class Discomfort:
    """A blocking client of one bridge. Make it with ``Discomfort.create()``."""

    Tools = Tools

    def __init__(self, inner: AsyncDiscomfort, portal: Portal) -> None:
        self._inner = inner
        self._portal = portal

    def __repr__(self) -> str:
        return repr(self._inner).replace("<Discomfort", "<Discomfort (sync)", 1)

    @classmethod
    def create(
        cls,
        bridge_url: str | None = None,
        *,
        token: str | None = None,
        start_bridge_if_missing: bool = True,
        comfy_url: str | None = None,
        bridge_command: Sequence[str] | None = None,
        bridge_root: str | Path | None = None,
        bridge_args: Sequence[str] = (),
        image_format: ImageFormat = "numpy",
        startup_timeout: float = 60.0,
    ) -> Discomfort:
        """See :meth:`discomfort_client.Discomfort.create`."""
        portal = Portal()
        inner = portal.call(
            AsyncDiscomfort.create(
                bridge_url,
                token=token,
                start_bridge_if_missing=start_bridge_if_missing,
                comfy_url=comfy_url,
                bridge_command=bridge_command,
                bridge_root=bridge_root,
                bridge_args=bridge_args,
                image_format=image_format,
                startup_timeout=startup_timeout,
            )
        )
        inner._conn.portal = portal  # noqa: SLF001 - one loop for every blocking call of this client
        return cls(inner, portal)

    @property
    def url(self) -> str:
        return self._inner.url

    @property
    def started_bridge(self) -> bool:
        return self._inner.started_bridge

    @property
    def asynchronous(self) -> AsyncDiscomfort:
        """The async client underneath (its coroutines run on this facade's loop only)."""
        return self._inner

    def health(self) -> Health:
        return self._portal.call(self._inner.health())

    def Context(self, id: str | None = None, *, name: str | None = None, durable: bool = False) -> _context.Context:  # noqa: N802
        return self._inner.Context(id, name=name, durable=durable)

    def list_contexts(self) -> list[ContextSummary]:
        return self._portal.call(self._inner.list_contexts())

    def run(
        self,
        workflows: Sequence[WorkflowArg],
        inputs: Mapping[str, object] | None = None,
        iterations: int | None = None,
        use_ram: bool | None = None,
        context: _context.Context | str | None = None,
        *,
        image_format: ImageFormat | None = None,
        **options: Unpack[RunOptions],
    ) -> dict[str, Value]:
        """See :meth:`discomfort_client.Discomfort.run`; Ctrl-C cancels the run on the bridge."""
        return self._portal.call(
            self._inner.run(workflows, inputs, iterations, use_ram, context, image_format=image_format, **options)
        )

    def run_values(
        self,
        workflows: Sequence[WorkflowArg],
        inputs: Mapping[str, object] | None = None,
        iterations: int | None = None,
        use_ram: bool | None = None,
        context: _context.Context | str | None = None,
        **options: Unpack[RunOptions],
    ) -> dict[str, StoredValue]:
        return self._portal.call(self._inner.run_values(workflows, inputs, iterations, use_ram, context, **options))

    def list_runs(self, limit: int | None = None, before: str | None = None) -> list[RunView]:
        return self._portal.call(self._inner.list_runs(limit, before))

    def get_run(self, run_id: str, *, events: bool = False) -> RunView:
        return self._portal.call(self._inner.get_run(run_id, events=events))

    def run_workflows(self, run_id: str) -> RunWorkflows:
        return self._portal.call(self._inner.run_workflows(run_id))

    def cancel_run(self, run_id: str) -> RunView:
        return self._portal.call(self._inner.cancel_run(run_id))

    def rerun(self, run_id: str, *, client_id: str | None = None) -> RunView:
        return self._portal.call(self._inner.rerun(run_id, client_id=client_id))

    def run_events(self, run_id: str) -> Iterator[RunEvent]:
        """Every event of a run so far, then live ones, until it ends (blocking between them)."""
        events = self._inner.run_events(run_id)

        async def following() -> RunEvent | None:
            try:
                return await events.__anext__()
            except StopAsyncIteration:
                return None

        while (event := self._portal.call(following())) is not None:
            yield event

    def sweep(
        self,
        workflows: Sequence[WorkflowArg],
        *,
        vary: Mapping[str, Sequence[SweepValue]] | None = None,
        items: Sequence[Mapping[str, SweepValue]] | None = None,
        base: Mapping[str, SweepValue] | None = None,
        context: _context.Context | str | None = None,
        concurrency: int | None = None,
        attempts: int | None = None,
        commit_to_context: bool | None = None,
        label: str | None = None,
    ) -> SweepHandle:
        """See :meth:`discomfort_client.Discomfort.sweep`; iterate the handle with ``for``."""
        return self._portal.call(
            self._inner.sweep(
                workflows,
                vary=vary,
                items=items,
                base=base,
                context=context,
                concurrency=concurrency,
                attempts=attempts,
                commit_to_context=commit_to_context,
                label=label,
            )
        )

    def attach_sweep(self, sweep_id: str) -> SweepHandle:
        return self._inner.attach_sweep(sweep_id)

    def list_sweeps(self) -> list[SweepView]:
        return self._portal.call(self._inner.list_sweeps())

    def list_servers(self) -> list[ServerInfo]:
        return self._portal.call(self._inner.list_servers())

    def add_servers(self, *servers: ServerSpec | str) -> list[ServerInfo]:
        return self._portal.call(self._inner.add_servers(*servers))

    def remove_server(self, label: str) -> list[ServerInfo]:
        return self._portal.call(self._inner.remove_server(label))

    def pause(self, server: str | None = None) -> list[ServerInfo]:
        """Give a server (or every server) no new prompts until resumed."""
        return self._portal.call(self._inner.pause(server))

    def resume(self, server: str | None = None) -> list[ServerInfo]:
        return self._portal.call(self._inner.resume(server))

    def shutdown(self) -> None:
        """Close the connections and the facade's loop; stop the bridge when this client started it."""
        transport = self._inner._conn.transport  # noqa: SLF001
        self._portal.close(transport.aclose())
        if self._inner.bridge_process is not None:
            self._inner.bridge_process.stop()

    def __enter__(self) -> Discomfort:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.shutdown()
