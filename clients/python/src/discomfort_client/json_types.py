"""The types of JSON documents, and of documents that also carry bytes (the envelope's)."""

from __future__ import annotations

from typing import TypeAlias, Union

JsonScalar: TypeAlias = Union[str, int, float, bool, None]
JsonValue: TypeAlias = Union[JsonScalar, "list[JsonValue]", "dict[str, JsonValue]"]
JsonObject: TypeAlias = "dict[str, JsonValue]"

#: A JSON document whose leaves may also be bytes: what travels in the binary envelope.
Document: TypeAlias = Union[JsonScalar, bytes, "list[Document]", "dict[str, Document]"]
