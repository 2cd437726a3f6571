"""Exceptions: every error the bridge answers becomes one of these, carrying its stable ``code``.

The bridge answers a refused request with ``{"error": {"type": CODE, "message": ...}}``
and an HTTP status; a failed run carries ``{"name", "code", "message"}``. The
class is chosen by the code, so ``except NotFoundError`` and ``err.code ==
"not_found"`` both work; the message is the bridge's own, which says what to do.
"""

from __future__ import annotations

from collections.abc import Mapping

from .json_types import JsonValue

#: The codes of the failures that mean someone cancelled the run (shared/protocol/cancelled.ts).
CANCELLED_CODES = frozenset({"run_cancelled", "comfy_cancelled"})


class DiscomfortError(Exception):
    """The root of this client's errors.

    ``code`` is stable and machine-readable (the bridge's ``error.type``);
    ``status`` is the HTTP status (0 when no answer came); ``name`` is the
    bridge's error class name when it gave one; ``details`` holds any other
    fields of the error answer.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "error",
        status: int = 0,
        name: str | None = None,
        details: Mapping[str, JsonValue] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.name = name or type(self).__name__
        self.details: dict[str, JsonValue] = dict(details or {})

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class BridgeUnreachableError(DiscomfortError, ConnectionError):
    """No bridge answered (code ``unreachable``), or it stopped answering (``timeout``)."""


class ProtocolError(DiscomfortError):
    """What came back is not the bridge's protocol (codes ``not_a_bridge``, ``bad_envelope``, ``bad_sse``)."""


class BadValueError(DiscomfortError, ValueError):
    """A Python value that cannot be stored in a context, or a stored value of an unknown form (``bad_value``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_value")


class BridgeError(DiscomfortError):
    """The bridge refused a request; ``code`` says why."""


class NotFoundError(BridgeError, LookupError):
    """No such context, key, run, sweep or server (``not_found``, ``sweep_not_found``)."""


class BadRequestError(BridgeError, ValueError):
    """The request or a value in it was refused (``bad_request``, ``bad_key``, ``bad_value``, ...)."""


class ContextClosedError(BridgeError):
    """The context was closed or removed (``context_closed``, ``context_gone``)."""


class StorageFullError(BridgeError):
    """The context's storage is full (``storage_full``)."""


class ComfyError(BridgeError):
    """ComfyUI refused or failed the work (``comfy_*``, ``unknown_node_types``)."""


class RunFailedError(BridgeError):
    """A run failed; ``run_id`` names it and ``name`` is the bridge's error class."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        run_id: str,
        status: int = 422,
        name: str | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status, name=name)
        self.run_id = run_id


class RunCancelledError(RunFailedError):
    """A run ended because it was cancelled (``run_cancelled``, ``comfy_cancelled``)."""


_BY_CODE: dict[str, type[BridgeError]] = {
    "not_found": NotFoundError,
    "sweep_not_found": NotFoundError,
    "bad_request": BadRequestError,
    "bad_key": BadRequestError,
    "bad_value": BadRequestError,
    "bad_png": BadRequestError,
    "bad_latent": BadRequestError,
    "bad_envelope": BadRequestError,
    "bad_workflow": BadRequestError,
    "bad_sweep": BadRequestError,
    "port_error": BadRequestError,
    "context_closed": ContextClosedError,
    "context_gone": ContextClosedError,
    "storage_full": StorageFullError,
    "unknown_node_types": ComfyError,
}


def error_from_answer(
    code: str,
    message: str,
    status: int,
    details: Mapping[str, JsonValue] | None = None,
) -> BridgeError:
    """The exception for an error answer of the bridge, chosen by its code."""
    cls = _BY_CODE.get(code)
    if cls is None:
        cls = ComfyError if code.startswith("comfy_") else BridgeError
    return cls(message, code=code, status=status, details=details)


def run_failure(run_id: str, name: str, code: str, message: str) -> RunFailedError:
    """The exception for a run's failure (``RunFailure`` on the wire)."""
    cls = RunCancelledError if code in CANCELLED_CODES else RunFailedError
    return cls(message, code=code, run_id=run_id, status=409 if cls is RunCancelledError else 422, name=name)
