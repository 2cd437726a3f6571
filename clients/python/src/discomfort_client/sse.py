"""A Server-Sent Events parser fed with bytes as they arrive (no I/O of its own).

It follows the format's rules: CRLF or LF line ends, comments, multi-line data,
and no dispatch of an event cut off before its blank line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True)
class SseMessage:
    event: str
    data: str


class SseParser:
    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._pending = ""
        self._event = "message"
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[SseMessage]:
        """The messages completed by this chunk."""
        text = self._pending + self._decoder.decode(chunk)
        lines = text.split("\n")
        self._pending = lines.pop()
        out: list[SseMessage] = []
        for raw in lines:
            message = self._line(raw[:-1] if raw.endswith("\r") else raw)
            if message is not None:
                out.append(message)
        return out

    def _line(self, line: str) -> SseMessage | None:
        if line == "":
            message = SseMessage(self._event, "\n".join(self._data)) if self._data else None
            self._event, self._data = "message", []
            return message
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        return None
