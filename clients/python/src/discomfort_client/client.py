"""The async client: ``discomfort = await Discomfort.create()``, then contexts, runs, sweeps and the pool."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias, Union, cast

from . import context as _context

if sys.version_info >= (3, 11):
    from typing import TypedDict, Unpack
else:  # pragma: no cover - Python 3.10
    from typing_extensions import TypedDict, Unpack
from .bridge_process import BridgeProcess, start_bridge
from .connection import Connection
from .errors import (
    BadRequestError,
    BridgeError,
    BridgeUnreachableError,
    DiscomfortError,
    ProtocolError,
    run_failure,
)
from .json_types import Document, JsonValue
from .models import (
    ContextSummary,
    Health,
    NamedWorkflow,
    PassBy,
    RunEvent,
    RunFailure,
    RunView,
    RunWorkflows,
    ServerInfo,
    ServerSpec,
    SweepValue,
    SweepView,
)
from .routes import ROUTES, path_of
from .sweep import SweepHandle
from .tools import Tools
from .transport import Transport, parse_event_data
from .values import ImageFormat, StoredValue, Value, as_python, from_wire, to_stored, wire_form

log = logging.getLogger("discomfort_client")

DEFAULT_BRIDGE_PORT = 8189
DEFAULT_BRIDGE_URL = f"http://127.0.0.1:{DEFAULT_BRIDGE_PORT}"

#: A workflow to run: a file path, its content (UI or API format), or ``{"name": ..., "workflow": {...}}``.
WorkflowArg: TypeAlias = Union[str, Path, Mapping[str, object]]
ProgressCallback: TypeAlias = Callable[[RunEvent], None]


class RunOptions(TypedDict, total=False):
    """A run's options beyond the original's arguments, declared once: ``run``, ``run_values`` and the
    blocking facade take them as keywords. Each but ``on_progress`` is a field of the bridge's RunSpec."""

    #: Join the workflows into one ComfyUI prompt (INPUTs linked to earlier OUTPUTs of the same key).
    stitch: bool
    #: Keep an OUTPUT as its value or as a reference (its recipe), by key.
    pass_by: Mapping[str, PassBy]
    #: OUTPUT keys the caller will read: a run whose workflows lack one fails before anything runs.
    expect_outputs: Sequence[str]
    #: Queue as this ComfyUI client id, so that page shows the progress.
    client_id: str
    #: How often a workflow whose prompt ComfyUI lost (it restarted) is submitted again (bridge default 2).
    resubmit_lost: int
    #: Told each event of the run as it happens.
    on_progress: ProgressCallback


#: The RunSpec field of each option (``on_progress`` stays here).
_SPEC_FIELDS = {
    "stitch": "stitch",
    "pass_by": "passBy",
    "expect_outputs": "expectOutputs",
    "client_id": "clientId",
    "resubmit_lost": "resubmitLost",
}


def read_workflow(workflow: WorkflowArg, index: int) -> NamedWorkflow:
    """A workflow as a run sends it: its name and content (files are read here, never by the bridge)."""
    if isinstance(workflow, (str, Path)):
        path = Path(workflow)
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise BadRequestError(f'Cannot read workflow "{path}": {e.strerror or e}', code="unreadable_file") from e
        except json.JSONDecodeError as e:
            raise BadRequestError(f'Workflow "{path}" is not valid JSON: {e}', code="bad_workflow") from e
        if not isinstance(content, dict):
            raise BadRequestError(f'Workflow "{path}" is not a JSON object.', code="bad_workflow")
        return {"name": path.name, "workflow": content}
    if isinstance(workflow.get("name"), str) and isinstance(workflow.get("workflow"), Mapping):
        return cast(NamedWorkflow, dict(workflow))
    return {"name": f"workflow {index + 1}", "workflow": cast("dict[str, JsonValue]", dict(workflow))}


def _input_form(key: str, value: object) -> Document:
    return wire_form(to_stored(value, None, f'inputs["{key}"]'))


class Discomfort:
    """A client of one bridge. Make it with ``await Discomfort.create()``."""

    #: The original's ``discomfort.Tools`` (``save_comfy_image_to_disk``...).
    Tools = Tools

    def __init__(self, connection: Connection, bridge: BridgeProcess | None = None) -> None:
        self._conn = connection
        #: The bridge process this client started, when none answered (``None``: it uses a running one).
        self.bridge_process = bridge

    def __repr__(self) -> str:
        how = "started" if self.bridge_process else "connected"
        return f"<Discomfort {how} {self.url}>"

    @property
    def url(self) -> str:
        return self._conn.transport.url

    @property
    def started_bridge(self) -> bool:
        """Whether this client started the bridge it uses (then ``shutdown()`` stops it)."""
        return self.bridge_process is not None

    @classmethod
    async def create(
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
        """Connect to the bridge at ``bridge_url`` (default ``DISCOMFORT_BRIDGE_URL``, else
        http://127.0.0.1:8189), or start one when none answers there.

        A bridge is started with ``bridge_command`` (default: ``DISCOMFORT_BRIDGE_COMMAND``,
        else ``discomfort bridge``, else ``npx discomfort bridge``), on ComfyUI at
        ``comfy_url`` (default: the bridge's, ``DISCOMFORT_COMFY_URL`` or
        http://127.0.0.1:8188). The log line and ``started_bridge`` say which happened.
        """
        url = (bridge_url or os.environ.get("DISCOMFORT_BRIDGE_URL") or DEFAULT_BRIDGE_URL).rstrip("/")
        token = token or os.environ.get("DISCOMFORT_TOKEN") or None
        transport = Transport(url, token)
        try:
            health = await cls._health(transport)
            log.info("Using the Discomfort bridge at %s (version %s).", url, health["version"])
            return cls(Connection(transport, image_format))
        except BridgeUnreachableError:
            await transport.aclose()
            if not start_bridge_if_missing:
                raise
        bridge = await asyncio.to_thread(
            start_bridge,
            url,
            command=bridge_command,
            comfy_url=comfy_url or os.environ.get("DISCOMFORT_COMFY_URL"),
            root=bridge_root,
            token=token,
            extra_args=bridge_args,
            timeout=startup_timeout,
        )
        log.info(
            "No Discomfort bridge answered at %s: started one at %s with `%s` (pid %d; log %s).",
            url,
            bridge.url,
            " ".join(bridge.command),
            bridge.process.pid,
            bridge.log_path,
        )
        client = cls(Connection(Transport(bridge.url, token), image_format), bridge)
        try:
            await cls._health(client._conn.transport)
        except BaseException:
            bridge.stop()
            raise
        return client

    @staticmethod
    async def _health(transport: Transport) -> Health:
        answer = await transport.call("health", timeout=3.0)
        health = answer.doc
        if not isinstance(health, dict) or health.get("service") != "discomfort-bridge":
            raise ProtocolError(f"{transport.url} answers, but it is not a Discomfort bridge.", code="not_a_bridge")
        return cast(Health, health)

    async def health(self) -> Health:
        return await self._health(self._conn.transport)

    # --- contexts ------------------------------------------------------------------------------

    def Context(self, id: str | None = None, *, name: str | None = None, durable: bool = False) -> _context.Context:  # noqa: N802
        """A new master context (or an existing one by id); use it with ``with`` or ``async with``."""
        return _context.Context(self._conn, id=id, name=name, durable=durable)

    async def list_contexts(self) -> list[ContextSummary]:
        return cast("list[ContextSummary]", (await self._conn.transport.call("listContexts")).doc)

    # --- runs ----------------------------------------------------------------------------------

    def _run_spec(
        self,
        workflows: Sequence[WorkflowArg],
        inputs: Mapping[str, object] | None,
        iterations: int | None,
        context: _context.Context | str | None,
        options: RunOptions,
    ) -> dict[str, Document]:
        if isinstance(workflows, (str, Path)) or not workflows:
            raise BadRequestError("run() takes a list of workflows, e.g. run(['workflow.json']).", code="bad_request")
        spec: dict[str, Document] = {
            "workflows": [cast("dict[str, Document]", read_workflow(w, i)) for i, w in enumerate(workflows)]
        }
        if context is not None:
            spec["context"] = context if isinstance(context, str) else context.id
        if inputs:
            spec["inputs"] = {k: _input_form(k, v) for k, v in inputs.items()}
        if iterations is not None:
            spec["iterations"] = iterations
        for name, field in _SPEC_FIELDS.items():
            value = cast("Mapping[str, object]", options).get(name)
            if value is None:
                continue
            if isinstance(value, Mapping):
                spec[field] = cast(Document, dict(value))
            elif isinstance(value, (list, tuple)):
                spec[field] = cast(Document, list(value))
            else:
                spec[field] = cast(Document, value)
        return spec

    async def run(
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
        """Run the workflows in order, the whole list ``iterations`` times, in ``context``
        (a new one, removed afterwards, when absent). Returns each OUTPUT port's value.

        ``inputs`` are saved into the context before the first workflow runs.
        ``resubmit_lost``: how often a workflow whose prompt ComfyUI lost (it
        restarted) is submitted again (the bridge's default is 2; 0 fails the run).
        ``use_ram`` is the original's argument, accepted for its scripts: the
        bridge decides where values live (RAM up to its capacity, then disk).
        Cancelling the task (``asyncio`` cancellation, Ctrl-C in the facade)
        cancels the run on the bridge.
        """
        values = await self.run_values(workflows, inputs, iterations, use_ram, context, **options)
        fmt = image_format or self._conn.image_format
        return {k: as_python(v, fmt) for k, v in values.items()}

    async def run_values(
        self,
        workflows: Sequence[WorkflowArg],
        inputs: Mapping[str, object] | None = None,
        iterations: int | None = None,
        use_ram: bool | None = None,
        context: _context.Context | str | None = None,
        **options: Unpack[RunOptions],
    ) -> dict[str, StoredValue]:
        """Like :meth:`run`, each output in its typed form (:class:`ImageValue`, :class:`LatentValue`...)."""
        del use_ram  # see run()
        if isinstance(context, _context.Context):
            await context._id()  # noqa: SLF001 - made on the bridge before the run names it
        spec = self._run_spec(workflows, inputs, iterations, context, options)
        outputs = await self._submit_and_follow(spec, options.get("on_progress"))
        return {k: from_wire(v, f'output "{k}"') for k, v in outputs.items()}

    async def _submit_and_follow(
        self, spec: dict[str, Document], on_progress: ProgressCallback | None
    ) -> dict[str, Document]:
        """Submit a run and follow it in one request: its events, then its outputs."""
        transport = self._conn.transport
        route = ROUTES["submitRun"]
        headers = {} if on_progress else {"x-discomfort-events": "end"}
        run_id = ""
        outputs: dict[str, Document] | None = None
        failure: RunFailure | None = None
        succeeded = False
        try:
            async with transport.events(route.method, route.path, headers=headers, body=spec) as (res, messages):
                run_id = res.headers.get("x-discomfort-run", "")
                try:
                    async for message in messages:
                        data = parse_event_data(message)
                        if message.event == "result":
                            succeeded = True
                            values = data.get("values") if isinstance(data, dict) else None
                            if isinstance(values, dict):
                                outputs = cast("dict[str, Document]", values)
                            continue
                        event = cast(RunEvent, data)
                        if event["type"] == "run-failed":
                            failure = event["error"]
                        if on_progress is not None:
                            on_progress(event)
                except BridgeUnreachableError:
                    pass  # the stream dropped (the bridge restarted?): the run's record says how it ended
        except asyncio.CancelledError:
            if run_id:
                await asyncio.shield(self._cancel_quietly(run_id))
            raise
        if not succeeded and failure is None and run_id:
            view = await self._final_view(run_id)
            if view["status"] == "succeeded":
                succeeded = True
            else:
                failure = view.get("error") or {
                    "name": "RunError",
                    "code": f"run_{view['status']}",
                    "message": f"Run {run_id} {view['status']}.",
                }
        if failure is not None:
            raise run_failure(run_id, failure["name"], failure["code"], failure["message"])
        if not succeeded:
            raise ProtocolError("The bridge ended the run's stream without a result.", code="no_result")
        if outputs is None:  # outputs holding bytes come in one more request, raw
            answer = await transport.call("runResult", {"id": run_id})
            doc = answer.doc
            if not isinstance(doc, dict) or not isinstance(doc.get("outputs"), dict):
                raise ProtocolError(f"Run {run_id}'s result has no outputs.", code="no_result")
            outputs = cast("dict[str, Document]", doc["outputs"])
        return outputs

    async def _cancel_quietly(self, run_id: str) -> None:
        try:
            await self._conn.transport.call("cancelRun", {"id": run_id}, timeout=10.0)
        except DiscomfortError:
            pass

    async def _final_view(self, run_id: str, patience: float = 60.0) -> RunView:
        """The run's record once it is final, asked again while the bridge does not answer."""
        deadline = asyncio.get_running_loop().time() + patience
        attempt = 0
        while True:
            try:
                view = await self.get_run(run_id)
                if view["status"] not in ("queued", "running"):
                    return view
            except BridgeError as e:
                if 400 <= e.status < 500:
                    raise
            except BridgeUnreachableError:
                if asyncio.get_running_loop().time() > deadline:
                    raise
            if asyncio.get_running_loop().time() > deadline:
                raise BridgeUnreachableError(f"Run {run_id} has not ended within {patience:.0f} s.", code="timeout")
            await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
            attempt += 1

    async def list_runs(self, limit: int | None = None, before: str | None = None) -> list[RunView]:
        """The bridge's run history, oldest first (``before``: a run's createdAt, to page back)."""
        query: dict[str, str | int] = {}
        if limit is not None:
            query["limit"] = limit
        if before is not None:
            query["before"] = before
        return cast("list[RunView]", (await self._conn.transport.call("listRuns", query=query or None)).doc)

    async def get_run(self, run_id: str, *, events: bool = False) -> RunView:
        answer = await self._conn.transport.call("run", {"id": run_id}, query={"events": 1} if events else None)
        return cast(RunView, answer.doc)

    async def run_workflows(self, run_id: str) -> RunWorkflows:
        """A run's workflows as they were given (a page's UI graph, a script's as sent)."""
        return cast(RunWorkflows, (await self._conn.transport.call("runWorkflows", {"id": run_id})).doc)

    async def cancel_run(self, run_id: str) -> RunView:
        """Ask the bridge to cancel a run (a run already ended answers ``409``, raised as :class:`BridgeError`)."""
        return cast(RunView, (await self._conn.transport.call("cancelRun", {"id": run_id})).doc)

    async def rerun(self, run_id: str, *, client_id: str | None = None) -> RunView:
        """The same workflows again, in the same context, with its values as they are now."""
        body: dict[str, Document] = {"clientId": client_id} if client_id else {}
        return cast(RunView, (await self._conn.transport.call("rerun", {"id": run_id}, body)).doc)

    async def run_events(self, run_id: str) -> AsyncIterator[RunEvent]:
        """Every event of a run so far, then live ones, until it ends."""
        path = path_of("runEvents", {"id": run_id})
        async with self._conn.transport.events("GET", path) as (_res, messages):
            async for message in messages:
                yield cast(RunEvent, parse_event_data(message))

    # --- sweeps --------------------------------------------------------------------------------

    async def sweep(
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
        """Many runs of the same workflows with different inputs over the bridge's pool,
        recorded by the bridge before it answers: ``vary`` (every combination) or
        ``items`` (input sets). Iterate the handle (``async for``) for items as they finish.
        """
        if isinstance(context, _context.Context):
            await context._id()  # noqa: SLF001
        spec: dict[str, Document] = {
            "workflows": [cast("dict[str, Document]", read_workflow(w, i)) for i, w in enumerate(workflows)]
        }
        if vary is not None:
            spec["vary"] = {k: list(v) for k, v in vary.items()}
        if items is not None:
            spec["items"] = [dict(i) for i in items]
        if base is not None:
            spec["base"] = dict(base)
        if context is not None:
            spec["context"] = context if isinstance(context, str) else context.id
        if concurrency is not None:
            spec["concurrency"] = concurrency
        if attempts is not None:
            spec["attempts"] = attempts
        if commit_to_context is not None:
            spec["commitToContext"] = commit_to_context
        if label is not None:
            spec["label"] = label
        view = cast(SweepView, (await self._conn.transport.call("submitSweep", body=spec)).doc)
        return SweepHandle(self._conn, view["id"])

    def attach_sweep(self, sweep_id: str) -> SweepHandle:
        """A sweep submitted earlier, by id (after this process or the bridge restarted)."""
        return SweepHandle(self._conn, sweep_id)

    async def list_sweeps(self) -> list[SweepView]:
        return cast("list[SweepView]", (await self._conn.transport.call("listSweeps")).doc)

    # --- the pool ------------------------------------------------------------------------------

    async def list_servers(self) -> list[ServerInfo]:
        """The ComfyUI servers behind the bridge."""
        return cast("list[ServerInfo]", (await self._conn.transport.call("listServers")).doc)

    async def add_servers(self, *servers: ServerSpec | str) -> list[ServerInfo]:
        """Add ComfyUI servers to the pool (an address, or ``{"url", "label", "weight", "maxQueued"}``)."""
        specs: list[Document] = [
            {"url": s} if isinstance(s, str) else cast("dict[str, Document]", dict(s)) for s in servers
        ]
        body: Document = specs[0] if len(specs) == 1 else {"servers": specs}
        return cast("list[ServerInfo]", (await self._conn.transport.call("addServers", body=body)).doc)

    async def remove_server(self, label: str) -> list[ServerInfo]:
        return cast("list[ServerInfo]", (await self._conn.transport.call("removeServer", {"label": label})).doc)

    async def pause(self, server: str | None = None) -> list[ServerInfo]:
        """Give a server (by label), or without one every server, no new prompts; what runs there goes on."""
        route, params = ("pauseServer", {"label": server}) if server is not None else ("pausePool", {})
        return cast("list[ServerInfo]", (await self._conn.transport.call(route, params, body={})).doc)

    async def resume(self, server: str | None = None) -> list[ServerInfo]:
        """Resume a paused server, or every server."""
        route, params = ("resumeServer", {"label": server}) if server is not None else ("resumePool", {})
        return cast("list[ServerInfo]", (await self._conn.transport.call(route, params, body={})).doc)

    # --- the end -------------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Close this client's connections, and stop the bridge when this client started it."""
        await self._conn.transport.aclose()
        await asyncio.to_thread(self._conn.close_portal)
        if self.bridge_process is not None:
            await asyncio.to_thread(self.bridge_process.stop)

    async def __aenter__(self) -> Discomfort:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.shutdown()
