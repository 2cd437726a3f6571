"""A master context on the bridge: the data store that carries values between runs.

Each operation exists twice: ``save`` / ``asave``, ``load`` / ``aload``... The
plain names block (they are what the original Discomfort's examples call,
inside ``async def`` code as well); the a-prefixed ones are coroutines. The
context is made on the bridge when first used, and removed by ``close()``
(``shutdown()``), at the end of ``with`` or ``async with``.
"""

from __future__ import annotations

import json
import pickle
import secrets
from pathlib import Path
from types import TracebackType
from typing import cast

from .connection import Connection
from .errors import ContextClosedError, NotFoundError
from .json_types import Document, JsonValue
from .models import ContextDetail, ContextSummary, EntryMeta, KeyEntry, PassBy, StorageInfo, Usage
from .values import (
    ImageFormat,
    ImageValue,
    LatentValue,
    MaskValue,
    Reference,
    StoredValue,
    Value,
    as_python,
    from_wire,
    to_stored,
    wire_form,
)


def new_context_id() -> str:
    """A context id made here (48 random bits, as the bridge makes them), so creating it twice is harmless."""
    return f"ctx-{secrets.token_hex(6)}"


class Context:
    """A master context. Use it with ``with`` / ``async with``, or call ``close()`` when done."""

    def __init__(
        self,
        connection: Connection,
        *,
        id: str | None = None,
        name: str | None = None,
        durable: bool = False,
    ) -> None:
        self._conn = connection
        self.id = id or new_context_id()
        self.name = name
        self.durable = durable
        self._created = False
        self._closed = False

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("open" if self._created else "not yet created")
        return f"<Context {self.id} ({state}) at {self._conn.transport.url}>"

    @property
    def closed(self) -> bool:
        return self._closed

    # --- async ---------------------------------------------------------------------------------

    async def aopen(self) -> ContextSummary:
        """Create the context on the bridge (or find it, for an existing id)."""
        body: dict[str, Document] = {"id": self.id}
        if self.name is not None:
            body["name"] = self.name
        if self.durable:
            body["durable"] = True
        answer = await self._conn.transport.call("createContext", body=body)
        self._created = True
        return cast(ContextSummary, answer.doc)

    async def _id(self) -> str:
        if self._closed:
            raise ContextClosedError(
                f"Context {self.id} is closed (its values are gone); make a new one with discomfort.Context().",
                code="context_closed",
            )
        if not self._created:
            await self.aopen()
        return self.id

    async def asave(
        self,
        key: str,
        value: object,
        *,
        comfy_type: str | None = None,
        pass_by: PassBy | None = None,
    ) -> EntryMeta:
        """Store ``value`` under ``key`` (a DiscomfortPort's unique_id); returns its entry.

        A float is stored as a FLOAT even when whole (``1.0``); ``comfy_type``
        overrides the type (e.g. ``"MASK"`` for a 2-D array).
        """
        stored = to_stored(value, comfy_type, f'value "{key}"')
        body: dict[str, Document] = {"value": wire_form(stored)}
        given = comfy_type or ("FLOAT" if isinstance(value, float) else None)
        if given is not None:
            body["comfyType"] = given
        if pass_by is not None:
            body["passBy"] = pass_by
        params = {"id": await self._id(), "key": key}
        answer = await self._conn.transport.call("saveValue", params, body)
        return cast(EntryMeta, answer.doc)

    async def aload_value(self, key: str) -> StoredValue:
        """The stored value in its typed form (:class:`ImageValue`, :class:`LatentValue`...)."""
        answer = await self._conn.transport.call("value", {"id": await self._id(), "key": key})
        doc = answer.doc
        if not isinstance(doc, dict) or "value" not in doc:
            raise NotFoundError(f'The bridge sent no value for "{key}".', code="not_found")
        return from_wire(doc["value"], f'value "{key}"')

    async def aload(self, key: str, *, image_format: ImageFormat | None = None) -> Value:
        """The value of ``key``: images and masks as numpy arrays (or ``image_format``), the rest as Python values."""
        return as_python(await self.aload_value(key), image_format or self._conn.image_format)

    async def adetail(self) -> ContextDetail:
        answer = await self._conn.transport.call("context", {"id": await self._id()})
        return cast(ContextDetail, answer.doc)

    async def alist_keys(self) -> list[str]:
        return [e["key"] for e in (await self.adetail())["entries"]]

    async def aentries(self) -> list[KeyEntry]:
        """Each entry with where its value is now and a one-line summary."""
        answer = await self._conn.transport.call("keys", {"id": await self._id()})
        return cast("list[KeyEntry]", answer.doc)

    async def aget_usage(self) -> Usage:
        answer = await self._conn.transport.call("usage", {"id": await self._id()})
        return cast(Usage, answer.doc)

    async def aget_storage_info(self, key: str) -> StorageInfo:
        answer = await self._conn.transport.call("storageInfo", {"id": await self._id(), "key": key})
        return cast(StorageInfo, answer.doc)

    async def adelete(self, key: str) -> None:
        await self._conn.transport.call("deleteValue", {"id": await self._id(), "key": key})

    async def arename(self, name: str) -> ContextSummary:
        """Give the context a new name (the ComfyUI page's panel shows it)."""
        answer = await self._conn.transport.call("updateContext", {"id": await self._id()}, {"name": name})
        self.name = name
        return cast(ContextSummary, answer.doc)

    async def amake_durable(self) -> ContextSummary:
        """Keep the context from now on: its values go to disk and it outlives the bridge."""
        answer = await self._conn.transport.call("makeDurable", {"id": await self._id()})
        self.durable = True
        return cast(ContextSummary, answer.doc)

    async def aexport_data(self, key: str, path: str | Path, overwrite: bool = True) -> list[str]:
        """Write a value to a file here; returns the files written.

        ``.pkl`` / ``.pickle``: the Python value pickled, as the original
        exported (numpy for images, ``{"samples": ...}`` for latents, the
        recipe for a reference). Otherwise: PNG for images and masks (a batch
        as ``name.png``, ``name_1.png``...), ``.latent`` bytes for latents, a
        runnable API prompt for a reference, JSON for plain values.
        """
        return export_value(await self.aload_value(key), Path(path), overwrite)

    async def aclose(self) -> None:
        """Remove the context and everything in it from the bridge (again: nothing)."""
        if self._closed:
            return
        self._closed = True
        if not self._created:
            return
        try:
            await self._conn.transport.call("closeContext", {"id": self.id})
        except NotFoundError:
            pass

    ashutdown = aclose

    async def __aenter__(self) -> Context:
        await self._id()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # --- blocking ------------------------------------------------------------------------------

    def open(self) -> ContextSummary:
        return self._conn.blocking(self.aopen())

    def save(
        self, key: str, value: object, *, comfy_type: str | None = None, pass_by: PassBy | None = None
    ) -> EntryMeta:
        return self._conn.blocking(self.asave(key, value, comfy_type=comfy_type, pass_by=pass_by))

    def load(self, key: str, *, image_format: ImageFormat | None = None) -> Value:
        return self._conn.blocking(self.aload(key, image_format=image_format))

    def load_value(self, key: str) -> StoredValue:
        return self._conn.blocking(self.aload_value(key))

    def detail(self) -> ContextDetail:
        return self._conn.blocking(self.adetail())

    def list_keys(self) -> list[str]:
        return self._conn.blocking(self.alist_keys())

    def entries(self) -> list[KeyEntry]:
        return self._conn.blocking(self.aentries())

    def get_usage(self) -> Usage:
        return self._conn.blocking(self.aget_usage())

    def get_storage_info(self, key: str) -> StorageInfo:
        return self._conn.blocking(self.aget_storage_info(key))

    def delete(self, key: str) -> None:
        self._conn.blocking(self.adelete(key))

    def rename(self, name: str) -> ContextSummary:
        return self._conn.blocking(self.arename(name))

    def make_durable(self) -> ContextSummary:
        return self._conn.blocking(self.amake_durable())

    def export_data(self, key: str, path: str | Path, overwrite: bool = True) -> list[str]:
        return self._conn.blocking(self.aexport_data(key, path, overwrite))

    def close(self) -> None:
        self._conn.blocking(self.aclose())

    shutdown = close

    def __enter__(self) -> Context:
        self._conn.blocking(self._id())
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _write(path: Path, data: bytes, overwrite: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb" if overwrite else "xb") as f:
        f.write(data)


def _runnable_recipe(ref: Reference) -> dict[str, JsonValue]:
    """A reference's recipe as a prompt ComfyUI can run: the value's producer plus a PreviewAny."""
    return {
        **ref.prompt,
        "discomfort:output": {
            "class_type": "PreviewAny",
            "inputs": {"source": [ref.output[0], ref.output[1]]},
            "_meta": {"title": f"{ref.type} (from Discomfort)"},
        },
    }


def export_value(value: StoredValue, path: Path, overwrite: bool = True) -> list[str]:
    """Write a stored value at ``path`` (see :meth:`Context.aexport_data`)."""
    if path.suffix.lower() in (".pkl", ".pickle"):
        python: object
        if isinstance(value, LatentValue):
            python = value.to_comfy()
        elif isinstance(value, Reference):
            python = {"prompt": value.prompt, "output": list(value.output), "type": value.type}
        else:
            python = as_python(value, "numpy")
        _write(path, pickle.dumps(python, protocol=pickle.HIGHEST_PROTOCOL), overwrite)
        return [str(path)]
    if isinstance(value, ImageValue):
        stem = path.with_suffix("") if path.suffix else path
        suffix = path.suffix or ".png"
        paths = [Path(f"{stem}{suffix}" if i == 0 else f"{stem}_{i}{suffix}") for i in range(len(value.frames))]
        for p, frame in zip(paths, value.frames, strict=True):
            _write(p, frame, overwrite)
        return [str(p) for p in paths]
    if isinstance(value, MaskValue):
        _write(path, value.png, overwrite)
    elif isinstance(value, LatentValue):
        _write(path, value.data, overwrite)
    elif isinstance(value, Reference):
        _write(path, json.dumps(_runnable_recipe(value), indent=2).encode("utf-8"), overwrite)
    else:
        _write(path, json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8"), overwrite)
    return [str(path)]
