"""What a client's parts share: the bridge's transport, the portal for synchronous calls, and defaults."""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TypeVar

from .portal import Portal
from .transport import Transport
from .values import ImageFormat

T = TypeVar("T")


@dataclass
class Connection:
    transport: Transport
    #: How images and masks come back unless a call says otherwise.
    image_format: ImageFormat = "numpy"
    portal: Portal = field(default_factory=Portal)

    def blocking(self, coro: Coroutine[object, object, T]) -> T:
        """Run an async call to completion from synchronous code."""
        return self.portal.call(coro)

    def close_portal(self) -> None:
        self.portal.close(self.transport.aclose())
