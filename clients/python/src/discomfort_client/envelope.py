"""The bridge's binary envelope (``application/vnd.discomfort.envelope``, shared/protocol/envelope.ts).

Bytes travel raw, never as base64. Layout: ``b"DCE1"``, a big-endian uint32
length of the JSON header, the header ``{"doc": ..., "parts": [byte lengths]}``,
then the parts back to back. In ``doc`` each bytes value is ``{"$part": index}``.
"""

from __future__ import annotations

import json
import struct

from .errors import ProtocolError
from .json_types import Document, JsonValue

ENVELOPE_TYPE = "application/vnd.discomfort.envelope"
MAGIC = b"DCE1"
#: Deeper documents are refused rather than walked, as the bridge does.
MAX_DEPTH = 128


def _error(message: str) -> ProtocolError:
    return ProtocolError(f"Envelope: {message}.", code="bad_envelope")


def has_bytes(doc: Document, depth: int = 0) -> bool:
    """Whether a document holds any bytes (then it travels in the envelope, else as JSON)."""
    if depth > MAX_DEPTH:
        raise _error(f"the document nests deeper than {MAX_DEPTH} levels")
    if isinstance(doc, (bytes, bytearray, memoryview)):
        return True
    if isinstance(doc, list):
        return any(has_bytes(v, depth + 1) for v in doc)
    if isinstance(doc, dict):
        return any(has_bytes(v, depth + 1) for v in doc.values())
    return False


def encode_envelope(doc: Document) -> list[bytes]:
    """The envelope as chunks to send one after the other: the head, then each part as it is."""
    parts: list[bytes] = []

    def replace(value: Document, depth: int) -> JsonValue:
        if depth > MAX_DEPTH:
            raise _error(f"the document nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, (bytes, bytearray, memoryview)):
            parts.append(bytes(value))
            return {"$part": len(parts) - 1}
        if isinstance(value, list):
            return [replace(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {k: replace(v, depth + 1) for k, v in value.items()}
        return value

    header = json.dumps(
        {"doc": replace(doc, 0), "parts": [len(p) for p in parts]},
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")
    return [MAGIC + struct.pack(">I", len(header)) + header, *parts]


def decode_envelope(data: bytes) -> Document:
    """A received envelope as a document, its parts as bytes."""
    if len(data) < 8 or data[:4] != MAGIC:
        raise _error("not a Discomfort envelope (no DCE1 mark)")
    (header_length,) = struct.unpack(">I", data[4:8])
    if 8 + header_length > len(data):
        raise _error("the envelope is cut short (its header is incomplete)")
    try:
        header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _error(f"the envelope's header is not JSON ({e})") from e
    lengths = header.get("parts") if isinstance(header, dict) else None
    if not isinstance(lengths, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in lengths
    ):
        raise _error("the envelope header has no list of part lengths")
    parts: list[bytes] = []
    at = 8 + header_length
    view = memoryview(data)
    for n in lengths:
        if at + n > len(data):
            raise _error("the envelope is cut short (a part is incomplete)")
        parts.append(bytes(view[at : at + n]))
        at += n
    if at != len(data):
        raise _error("the envelope has bytes after its last part")

    def restore(value: JsonValue, depth: int) -> Document:
        if depth > MAX_DEPTH:
            raise _error(f"the document nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, list):
            return [restore(v, depth + 1) for v in value]
        if isinstance(value, dict):
            if list(value) == ["$part"]:
                index = value["$part"]
                if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(parts):
                    raise _error(f"the document refers to part {index!r}, which the envelope does not hold")
                return parts[index]
            return {k: restore(v, depth + 1) for k, v in value.items()}
        return value

    doc: JsonValue = header.get("doc")
    return restore(doc, 0)
