"""Where each route of the bridge's HTTP API is (shared/protocol/paths.ts), and how to fill its path.

tests/test_protocol_drift.py checks this table against the TypeScript one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, urlencode

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


@dataclass(frozen=True)
class Route:
    method: Method
    #: Under the bridge's address; ``:name`` is a parameter.
    path: str
    #: How it answers when it is not one JSON document.
    streams: Literal["events", "bytes", "websocket"] | None = None


ROUTES: dict[str, Route] = {
    "health": Route("GET", "/api/health"),
    "listContexts": Route("GET", "/api/contexts"),
    "createContext": Route("POST", "/api/contexts"),
    "context": Route("GET", "/api/contexts/:id"),
    "updateContext": Route("PATCH", "/api/contexts/:id"),
    "closeContext": Route("DELETE", "/api/contexts/:id"),
    "makeDurable": Route("POST", "/api/contexts/:id/durable"),
    "usage": Route("GET", "/api/contexts/:id/usage"),
    "receipts": Route("GET", "/api/contexts/:id/receipts"),
    "keys": Route("GET", "/api/contexts/:id/keys"),
    "storageInfo": Route("GET", "/api/contexts/:id/values/:key/storage"),
    "value": Route("GET", "/api/contexts/:id/values/:key"),
    "thumbnail": Route("GET", "/api/contexts/:id/values/:key/thumbnail", "bytes"),
    "saveValue": Route("PUT", "/api/contexts/:id/values/:key"),
    "deleteValue": Route("DELETE", "/api/contexts/:id/values/:key"),
    "listRuns": Route("GET", "/api/runs"),
    "submitRun": Route("POST", "/api/runs"),
    "run": Route("GET", "/api/runs/:id"),
    "rerun": Route("POST", "/api/runs/:id/rerun"),
    "cancelRun": Route("POST", "/api/runs/:id/cancel"),
    "runResult": Route("GET", "/api/runs/:id/result"),
    "runWorkflows": Route("GET", "/api/runs/:id/workflows"),
    "runEvents": Route("GET", "/api/runs/:id/events", "events"),
    "listSweeps": Route("GET", "/api/sweeps"),
    "submitSweep": Route("POST", "/api/sweeps"),
    "sweep": Route("GET", "/api/sweeps/:id"),
    "sweepItems": Route("GET", "/api/sweeps/:id/items"),
    "cancelSweep": Route("POST", "/api/sweeps/:id/cancel"),
    "sweepFile": Route("GET", "/api/sweeps/:id/items/:file", "bytes"),
    "sweepEvents": Route("GET", "/api/sweeps/:id/events", "events"),
    "listServers": Route("GET", "/api/servers"),
    "addServers": Route("POST", "/api/servers"),
    "removeServer": Route("DELETE", "/api/servers/:label"),
    "pauseServer": Route("POST", "/api/servers/:label/pause"),
    "resumeServer": Route("POST", "/api/servers/:label/resume"),
    "pausePool": Route("POST", "/api/servers/pause"),
    "resumePool": Route("POST", "/api/servers/resume"),
    "convert": Route("POST", "/api/convert"),
    "queue": Route("POST", "/api/queue"),
    "hub": Route("GET", "/api/ws", "websocket"),
}

_PARAM = re.compile(r":([A-Za-z]+)")


def path_of(name: str, params: dict[str, str] | None = None, query: dict[str, str | int] | None = None) -> str:
    """A route's path with its parameters filled in (each percent-encoded), and a query when given."""
    route = ROUTES[name]
    given = params or {}

    def fill(m: re.Match[str]) -> str:
        if m.group(1) not in given:
            raise KeyError(f"{route.method} {route.path}: no value for :{m.group(1)}")
        return quote(given[m.group(1)], safe="")

    filled = _PARAM.sub(fill, route.path)
    return f"{filled}?{urlencode(query)}" if query else filled
