"""The bridge's wire documents as typed dictionaries, field for field.

Declared by hand from shared/protocol (zod), and checked against it:
tests/test_protocol_drift.py regenerates protocol.json from the TypeScript
schemas and fails when a field, its type, or whether it is required differs
here. The wire is camelCase; usage and storage info keep the original
Discomfort's snake_case names (``usage["ram_usage_gb"]``).
"""

# No `from __future__ import annotations` here: TypedDict reads NotRequired[...] at class creation
# (postponed annotations would make every key look required at run time).
import sys
from typing import Literal, Union

from .json_types import JsonValue

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover - Python 3.10: typing's TypedDict does not know NotRequired at run time
    from typing_extensions import NotRequired, TypedDict

PassBy = Literal["val", "ref"]
Tier = Literal["ram", "disk", "redis"]
ValueKind = Literal["string", "number", "boolean", "json", "image", "mask", "latent", "ref"]
RunStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
ItemStatus = Literal["pending", "running", "done", "failed"]
SweepStatus = Literal["running", "finished", "cancelled"]
#: A value a sweep gives an input.
SweepValue = Union[str, float, bool]

# --- contexts ---------------------------------------------------------------------------------


class HealthComfy(TypedDict):
    url: str
    reachable: bool
    version: NotRequired[str]
    error: NotRequired[str]


class Health(TypedDict):
    """``GET /api/health``."""

    ok: bool
    service: Literal["discomfort-bridge"]
    version: str
    comfy: HealthComfy
    contexts: float


class Usage(TypedDict):
    """``get_usage()``, with the original's field names."""

    ram_usage_gb: float
    ram_capacity_gb: float
    temp_disk_usage_mb: float
    stored_keys_count: float
    ram_usage_bytes: float
    ram_capacity_bytes: float
    disk_usage_bytes: float


class StorageInfo(TypedDict):
    """``get_storage_info(key)``, with the original's field names."""

    key: str
    storage_type: Tier
    size: float
    pass_by: PassBy
    comfy_type: str
    kind: ValueKind
    version: float
    hash: str
    producer: str
    updated_at: str
    path: NotRequired[str]


class EntryMeta(TypedDict):
    """One entry of a context, as its receipts record it."""

    key: str
    comfyType: str
    passBy: PassBy
    kind: ValueKind
    tier: Tier
    sizeBytes: float
    hash: str
    version: float
    producer: str
    updatedAt: str
    file: NotRequired[str]


class KeyEntry(EntryMeta):
    """``GET /api/contexts/:id/keys``: an entry, where its value is now, and a line about it."""

    storageType: Tier
    summary: NotRequired[str]


class CommittedRun(TypedDict):
    runId: str
    status: Literal["committed"]
    read: list[str]
    wrote: list[str]
    at: str


class ContextSummary(TypedDict):
    id: str
    name: NotRequired[str]
    durable: bool
    keys: float
    usage: Usage


class ContextDetail(ContextSummary):
    """``GET /api/contexts/:id``."""

    entries: list[EntryMeta]
    runs: list[CommittedRun]


class CreateContextBody(TypedDict):
    id: NotRequired[str]
    name: NotRequired[str]
    durable: NotRequired[bool]


class UpdateContextBody(TypedDict):
    """``PATCH /api/contexts/:id``: a new name."""

    name: str


class PutValueBody(TypedDict):
    value: JsonValue
    comfyType: NotRequired[str]
    passBy: NotRequired[PassBy]


# --- runs -------------------------------------------------------------------------------------


class FailureCause(TypedDict):
    """What went wrong underneath a run's failure: its class name and stable code."""

    name: str
    code: str


class RunFailure(TypedDict):
    """Why a run failed: the bridge's error class name, its stable code, its message, and what it wraps."""

    name: str
    code: str
    message: str
    cause: NotRequired[FailureCause]


class RunStartedEvent(TypedDict):
    type: Literal["run-started"]
    runId: str
    contextId: str
    workflows: list[str]
    iterations: float
    totalSteps: float


class WorkflowStartedEvent(TypedDict):
    type: Literal["workflow-started"]
    runId: str
    workflow: str
    iteration: float
    step: float
    index: float
    totalSteps: float
    nodes: float
    server: NotRequired[str]


class NodeEvent(TypedDict):
    type: Literal["node"]
    runId: str
    workflow: str
    iteration: float
    step: float
    node: str
    title: str
    done: float
    total: float


class ProgressEvent(TypedDict):
    type: Literal["progress"]
    runId: str
    workflow: str
    iteration: float
    step: float
    node: str
    title: str
    value: float
    max: float


class ComfyOutputs(TypedDict):
    """What ComfyUI's own output nodes wrote (node id → its ``ui``), on which server, for which prompt."""

    server: str
    promptId: str
    outputs: dict[str, dict[str, JsonValue]]


class WorkflowFinishedEvent(TypedDict):
    type: Literal["workflow-finished"]
    runId: str
    workflow: str
    iteration: float
    step: float
    index: float
    totalSteps: float
    executed: float
    cached: float
    wrote: list[str]
    comfy: NotRequired["ComfyOutputs"]


class WorkflowResubmittedEvent(TypedDict):
    """ComfyUI lost the workflow's prompt (it restarted): submitted again, nothing committed twice."""

    type: Literal["workflow-resubmitted"]
    runId: str
    workflow: str
    iteration: float
    step: float
    index: float
    attempt: float
    reason: str


class RunFinishedEvent(TypedDict):
    type: Literal["run-finished"]
    runId: str
    outputs: list[str]


class RunFailedEvent(TypedDict):
    type: Literal["run-failed"]
    runId: str
    error: RunFailure


RunEvent = Union[
    RunStartedEvent,
    WorkflowStartedEvent,
    NodeEvent,
    ProgressEvent,
    WorkflowFinishedEvent,
    WorkflowResubmittedEvent,
    RunFinishedEvent,
    RunFailedEvent,
]


class RunProgress(TypedDict):
    step: float
    totalSteps: float
    workflow: NotRequired[str]
    iteration: NotRequired[float]


class RunView(TypedDict):
    """A run as ``/api/runs`` shows it."""

    id: str
    status: RunStatus
    source: Literal["script", "page"]
    contextId: str
    workflows: list[str]
    iterations: float
    createdAt: str
    finishedAt: NotRequired[str]
    error: NotRequired[RunFailure]
    outputs: NotRequired[list[str]]
    progress: RunProgress
    events: NotRequired[list[RunEvent]]
    rerunnable: NotRequired[bool]
    resubmitted: NotRequired[float]


class NamedWorkflow(TypedDict):
    """A workflow sent over HTTP: its name and its content (UI or API format); never a path."""

    name: str
    workflow: dict[str, JsonValue]


class RunSpec(TypedDict):
    """What a run is asked to do (``POST /api/runs``)."""

    workflows: list[NamedWorkflow]
    context: NotRequired[str]
    inputs: NotRequired[dict[str, JsonValue]]
    iterations: NotRequired[int]
    stitch: NotRequired[bool]
    passBy: NotRequired[dict[str, PassBy]]
    expectOutputs: NotRequired[list[str]]
    clientId: NotRequired[str]
    resubmitLost: NotRequired[int]


class RerunBody(TypedDict):
    clientId: NotRequired[str]


class RunWorkflow(TypedDict):
    name: str
    format: Literal["ui", "api"]
    workflow: dict[str, JsonValue]


class RunWorkflows(TypedDict):
    """``GET /api/runs/:id/workflows``: a run's workflows as they were given."""

    runId: str
    workflows: list[RunWorkflow]


class RunListQuery(TypedDict):
    limit: NotRequired[int]
    before: NotRequired[str]


# --- sweeps -----------------------------------------------------------------------------------


class SweepSpec(TypedDict):
    """What a sweep is asked to do (``POST /api/sweeps``): ``vary`` or ``items``, not both."""

    workflows: list[NamedWorkflow]
    context: NotRequired[str]
    base: NotRequired[dict[str, SweepValue]]
    vary: NotRequired[dict[str, list[SweepValue]]]
    items: NotRequired[list[dict[str, SweepValue]]]
    concurrency: NotRequired[int]
    attempts: NotRequired[int]
    commitToContext: NotRequired[bool]
    label: NotRequired[str]


class ItemOutput(TypedDict):
    """An output of a sweep item: its key, kind, file (under the sweep's folder) and size."""

    key: str
    kind: str
    file: str
    bytes: float
    value: NotRequired[JsonValue]


class ItemAttemptFailure(TypedDict):
    server: str
    error: RunFailure


class SweepItem(TypedDict):
    sweepId: str
    index: float
    status: ItemStatus
    inputs: dict[str, SweepValue]
    attempts: float
    server: NotRequired[str]
    reason: NotRequired[str]
    outputs: NotRequired[list[ItemOutput]]
    error: NotRequired[RunFailure]
    failures: NotRequired[list[ItemAttemptFailure]]
    startedAt: NotRequired[str]
    finishedAt: NotRequired[str]


class SweepView(TypedDict):
    id: str
    label: NotRequired[str]
    status: SweepStatus
    contextId: str
    workflows: list[str]
    total: float
    done: float
    failed: float
    running: float
    createdAt: str
    finishedAt: NotRequired[str]
    folder: str


class SweepItemEvent(TypedDict):
    type: Literal["item"]
    item: SweepItem


class SweepViewEvent(TypedDict):
    type: Literal["sweep"]
    sweep: SweepView


SweepEvent = Union[SweepItemEvent, SweepViewEvent]

# --- the pool ---------------------------------------------------------------------------------


class ServerSpec(TypedDict):
    """A ComfyUI server to add to the bridge's pool."""

    url: str
    label: NotRequired[str]
    weight: NotRequired[float]
    maxQueued: NotRequired[int]


class PoolFile(TypedDict):
    servers: list[ServerSpec]


class ServerInfo(TypedDict):
    url: str
    label: str
    weight: float
    maxQueued: float
    up: bool
    paused: bool
    inflight: float
    runs: float
    failures: float
    holds: list[str]
    lastError: NotRequired[str]


# --- errors -----------------------------------------------------------------------------------


class ErrorBody(TypedDict):
    type: str
    message: str


class ErrorAnswer(TypedDict):
    """How the bridge refuses a request: ``{"error": {"type": CODE, "message": ...}}`` (plus extra fields)."""

    error: ErrorBody


#: Each wire document's model, by its name in protocol.json.
ANSWERS: dict[str, object] = {
    "Health": Health,
    "ContextSummary": ContextSummary,
    "ContextDetail": ContextDetail,
    "CommittedRun": CommittedRun,
    "EntryMeta": EntryMeta,
    "KeyEntry": KeyEntry,
    "Usage": Usage,
    "StorageInfo": StorageInfo,
    "RunFailure": RunFailure,
    "RunWorkflows": RunWorkflows,
    "RunProgress": RunProgress,
    "RunView": RunView,
    "RunEvent": RunEvent,
    "SweepView": SweepView,
    "SweepItem": SweepItem,
    "ItemOutput": ItemOutput,
    "SweepEvent": SweepEvent,
    "ServerInfo": ServerInfo,
    "ErrorAnswer": ErrorAnswer,
}
BODIES: dict[str, object] = {
    "CreateContextBody": CreateContextBody,
    "UpdateContextBody": UpdateContextBody,
    "PutValueBody": PutValueBody,
    "NamedWorkflow": NamedWorkflow,
    "RunSpec": RunSpec,
    "RerunBody": RerunBody,
    "RunListQuery": RunListQuery,
    "SweepSpec": SweepSpec,
    "ServerSpec": ServerSpec,
    "PoolFile": PoolFile,
}
