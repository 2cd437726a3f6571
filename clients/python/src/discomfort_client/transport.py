"""HTTP to a bridge: one call per route, bytes in the binary envelope, errors as exceptions.

One ``httpx.AsyncClient`` (HTTP/1.1, keep-alive) per event loop: the
synchronous facade runs its calls on a loop of its own, and an httpx client
belongs to the loop it was first used on.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import cast

import httpx

from .envelope import ENVELOPE_TYPE, decode_envelope, encode_envelope, has_bytes
from .errors import BridgeUnreachableError, DiscomfortError, ProtocolError, error_from_answer
from .json_types import Document, JsonValue
from .routes import ROUTES, path_of
from .sse import SseMessage, SseParser

#: How long a plain call may take (connect, then each read and write).
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0, pool=30.0)
EVENT_STREAM = "text/event-stream"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    doc: Document


class Transport:
    """Requests to one bridge, by route name."""

    def __init__(self, url: str, token: str | None = None, timeout: httpx.Timeout = DEFAULT_TIMEOUT) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )

    def headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        auth = {"authorization": f"Bearer {self.token}"} if self.token else {}
        return {**auth, **(extra or {})}

    def client(self) -> httpx.AsyncClient:
        """This event loop's client (made on first use)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(timeout=self.timeout, headers=self.headers())
            self._clients[loop] = client
        return client

    async def aclose(self) -> None:
        """Close this event loop's client (the others are closed by their loops' owners)."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()

    def unreachable(self, error: Exception) -> BridgeUnreachableError:
        if isinstance(error, httpx.TimeoutException):
            return BridgeUnreachableError(
                f"The Discomfort bridge at {self.url} did not answer in time ({type(error).__name__}).",
                code="timeout",
            )
        return BridgeUnreachableError(
            f"The Discomfort bridge at {self.url} is not reachable ({error or type(error).__name__}). "
            "Start it with: npx discomfort bridge",
            code="unreachable",
        )

    @staticmethod
    def encode_body(body: Document) -> tuple[str, bytes]:
        """How a body travels: the binary envelope when it holds bytes, else JSON."""
        if has_bytes(body):
            return ENVELOPE_TYPE, b"".join(encode_envelope(body))
        return "application/json", json.dumps(body, allow_nan=False, ensure_ascii=False).encode("utf-8")

    @staticmethod
    def failure(status: int, text: str, what: str) -> DiscomfortError:
        """The exception for a failed answer: the bridge's code and message, or what came instead."""
        try:
            body = json.loads(text) if text else None
        except json.JSONDecodeError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and isinstance(error.get("type"), str) and isinstance(error.get("message"), str):
            details: dict[str, JsonValue] = {k: v for k, v in error.items() if k not in ("type", "message")}
            return error_from_answer(error["type"], error["message"], status, details)
        return ProtocolError(f"{what} answered {status}: {text[:200]!r}", code="http", status=status)

    async def call(
        self,
        route: str,
        params: dict[str, str] | None = None,
        body: Document | None = None,
        *,
        query: dict[str, str | int] | None = None,
        raw: tuple[str, bytes] | None = None,
        timeout: float | None = None,
    ) -> Answer:
        """One API call: its document (JSON, or the envelope decoded), or the bridge's error raised."""
        r = ROUTES[route]
        path = path_of(route, params, query)
        headers = {"accept": f"{ENVELOPE_TYPE}, application/json"}
        content: bytes | None = None
        if raw is not None:
            headers["content-type"], content = raw
        elif body is not None:
            headers["content-type"], content = self.encode_body(body)
        try:
            res = await self.client().request(
                r.method,
                f"{self.url}{path}",
                headers=self.headers(headers),
                content=content,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TransportError as e:
            raise self.unreachable(e) from e
        what = f"{r.method} {path}"
        if res.status_code >= 400:
            raise self.failure(res.status_code, res.text, what)
        if res.headers.get("content-type", "").startswith(ENVELOPE_TYPE):
            return Answer(res.status_code, res.headers, decode_envelope(res.content))
        if not res.content:
            return Answer(res.status_code, res.headers, None)
        try:
            doc: JsonValue = json.loads(res.content)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ProtocolError(
                f"{what} answered {res.status_code} with something that is not the bridge's JSON: {res.text[:120]!r}",
                code="not_a_bridge",
                status=res.status_code,
            ) from e
        return Answer(res.status_code, res.headers, cast(Document, doc))

    async def get_bytes(self, route: str, params: dict[str, str], query: dict[str, str | int] | None = None) -> bytes:
        """A route that answers raw bytes (a thumbnail, a sweep's output file)."""
        path = path_of(route, params, query)
        try:
            res = await self.client().get(f"{self.url}{path}", headers=self.headers())
        except httpx.TransportError as e:
            raise self.unreachable(e) from e
        if res.status_code >= 400:
            raise self.failure(res.status_code, res.text, f"GET {path}")
        return res.content

    @asynccontextmanager
    async def events(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: Document | None = None,
    ) -> AsyncIterator[tuple[httpx.Response, AsyncIterator[SseMessage]]]:
        """A request answered by Server-Sent Events: the response, and its messages as they come.

        Reads wait as long as the stream lasts (a run may be silent for long);
        the caller bounds the whole when it needs to.
        """
        sent: dict[str, str] = {"accept": EVENT_STREAM, **(headers or {})}
        content: bytes | None = None
        if body is not None:
            sent["content-type"], content = self.encode_body(body)
        request = self.client().build_request(
            method,
            f"{self.url}{path}",
            headers=self.headers(sent),
            content=content,
            timeout=httpx.Timeout(self.timeout.connect or 5.0, read=None, write=60.0, pool=30.0),
        )
        try:
            res = await self.client().send(request, stream=True)
        except httpx.TransportError as e:
            raise self.unreachable(e) from e
        try:
            if res.status_code >= 400:
                await res.aread()
                raise self.failure(res.status_code, res.text, f"{method} {path}")

            async def messages() -> AsyncIterator[SseMessage]:
                parser = SseParser()
                try:
                    async for chunk in res.aiter_bytes():
                        for message in parser.feed(chunk):
                            yield message
                except httpx.TransportError as e:
                    raise self.unreachable(e) from e

            yield res, messages()
        finally:
            await res.aclose()


def parse_event_data(message: SseMessage) -> JsonValue:
    try:
        data: JsonValue = json.loads(message.data)
    except json.JSONDecodeError as e:
        raise ProtocolError(f"an event {message.event!r} whose data is not JSON", code="bad_sse") from e
    return data
