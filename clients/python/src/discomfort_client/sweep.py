"""A sweep seen from a client: submitted (or attached by id), followed as its items finish.

Following is resumable: a dropped stream is picked up again, and items already
seen are not yielded twice.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from typing import cast

from .connection import Connection
from .errors import BridgeError, BridgeUnreachableError, NotFoundError
from .models import SweepEvent, SweepItem, SweepView
from .routes import ROUTES, path_of
from .transport import parse_event_data

#: How many times following a sweep reconnects after its stream dropped.
MAX_RECONNECTS = 30


class SweepHandle:
    def __init__(self, connection: Connection, sweep_id: str) -> None:
        self._conn = connection
        self.id = sweep_id

    def __repr__(self) -> str:
        return f"<SweepHandle {self.id}>"

    async def aview(self) -> SweepView:
        """Where it stands: done, failed, running, of total."""
        return cast(SweepView, (await self._conn.transport.call("sweep", {"id": self.id})).doc)

    async def aitems(self) -> list[SweepItem]:
        return cast("list[SweepItem]", (await self._conn.transport.call("sweepItems", {"id": self.id})).doc)

    async def acancel(self) -> SweepView:
        return cast(SweepView, (await self._conn.transport.call("cancelSweep", {"id": self.id})).doc)

    async def afile(self, item: SweepItem, key: str) -> bytes:
        """The bytes of one output of an item (a PNG, a .latent, or a plain value's JSON)."""
        out = next((o for o in item.get("outputs", []) if o["key"] == key), None)
        if out is None:
            raise NotFoundError(f'Item {item["index"]} of sweep {self.id} has no output "{key}".', code="not_found")
        if "value" in out:  # a small plain value came with the item: its file is its JSON
            return json.dumps(out["value"]).encode("utf-8")
        name = out["file"].removeprefix("items/")
        return await self._conn.transport.get_bytes("sweepFile", {"id": self.id, "file": name})

    async def aresults(
        self, on_progress: Callable[[SweepEvent], None] | None = None
    ) -> AsyncGenerator[SweepItem, None]:
        """Finished items (done or failed) as they finish, each once, until the sweep ends.

        ``on_progress`` hears every event (items starting, the sweep's state).
        """
        seen: set[int] = set()
        for attempt in range(MAX_RECONNECTS + 1):
            ended = False
            query: dict[str, str | int] | None = None if on_progress else {"finished": 1}
            path = path_of("sweepEvents", {"id": self.id}, query)
            try:
                async with self._conn.transport.events(ROUTES["sweepEvents"].method, path) as (_res, messages):
                    async for message in messages:
                        event = cast(SweepEvent, parse_event_data(message))
                        if on_progress is not None:
                            on_progress(event)
                        if event["type"] == "sweep":
                            ended = event["sweep"]["status"] != "running"
                            continue
                        item = event["item"]
                        index = int(item["index"])
                        if item["status"] in ("done", "failed") and index not in seen:
                            seen.add(index)
                            yield item
            except BridgeError as e:
                if 400 <= e.status < 500:
                    raise
                if attempt >= MAX_RECONNECTS:
                    raise
            except BridgeUnreachableError:
                if attempt >= MAX_RECONNECTS:
                    raise
            if ended:
                return
            await asyncio.sleep(min(2.0, 0.1 * 2**attempt))
        raise BridgeUnreachableError(f"Lost sweep {self.id}'s events {MAX_RECONNECTS} times.", code="unreachable")

    def __aiter__(self) -> AsyncIterator[SweepItem]:
        return self.aresults()

    # --- blocking ------------------------------------------------------------------------------

    def view(self) -> SweepView:
        return self._conn.blocking(self.aview())

    def items(self) -> list[SweepItem]:
        return self._conn.blocking(self.aitems())

    def cancel(self) -> SweepView:
        return self._conn.blocking(self.acancel())

    def file(self, item: SweepItem, key: str) -> bytes:
        return self._conn.blocking(self.afile(item, key))

    def results(self, on_progress: Callable[[SweepEvent], None] | None = None) -> Iterator[SweepItem]:
        """The finished items, blocking between them (see :meth:`aresults`)."""
        iterator = self.aresults(on_progress)

        async def following() -> SweepItem | None:
            try:
                return await iterator.__anext__()
            except StopAsyncIteration:
                return None

        try:
            while (item := self._conn.blocking(following())) is not None:
                yield item
        finally:
            self._conn.blocking(iterator.aclose())

    def __iter__(self) -> Iterator[SweepItem]:
        return self.results()
