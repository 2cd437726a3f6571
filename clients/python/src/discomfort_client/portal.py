"""An event loop on a thread of its own, so synchronous code can call the async client.

Used by the synchronous facade (``discomfort_client.sync``) and by a context's
synchronous methods (``context.save(...)`` inside ``async def main()``, as the
original Discomfort's examples write it). It works whether or not the calling
thread runs an event loop (a script, a notebook, an async program).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import TypeVar

T = TypeVar("T")


class Portal:
    def __init__(self, name: str = "discomfort-client") -> None:
        self._name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _started(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                thread = threading.Thread(target=serve, name=self._name, daemon=True)
                thread.start()
                ready.wait()
                self._loop, self._thread = loop, thread
            return self._loop

    @property
    def running(self) -> bool:
        return self._loop is not None

    def call(self, coro: Coroutine[object, object, T]) -> T:
        """Run ``coro`` on the portal's loop and wait for its result (its exception is raised here)."""
        loop = self._started()
        if threading.current_thread() is self._thread:
            coro.close()
            raise RuntimeError(
                "A synchronous Discomfort call was made from inside the client's own event loop "
                "(an on_progress callback, say); use the async method (a-prefixed) there."
            )
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result()
        except BaseException:
            future.cancel()
            raise

    def close(self, last: Coroutine[object, object, None] | None = None) -> None:
        """Run ``last`` (cleanup on the portal's loop), then stop the loop and its thread."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            if last is not None:
                last.close()
            return
        if last is not None and thread is not threading.current_thread():
            asyncio.run_coroutine_threadsafe(last, loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        if not thread.is_alive():
            loop.close()
