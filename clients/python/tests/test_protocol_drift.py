"""The Python models against the bridge's one protocol (shared/protocol, zod).

tools/dump_protocol.ts turns the zod schemas into JSON Schema; this test runs
it, fails when the committed protocol.json differs (regenerate it with the
command in the dump script), and fails when a Python model's fields, their
types, or whether they are required differ from the schemas.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
import typing
from pathlib import Path

import pytest

from discomfort_client import envelope, errors, models
from discomfort_client.routes import ROUTES

from processes import CLIENT_ROOT, REPO_ROOT, check_repo, node

if sys.version_info >= (3, 11):
    from typing import NotRequired, Required
else:  # pragma: no cover - Python 3.10
    from typing_extensions import NotRequired, Required

COMMITTED = CLIENT_ROOT / "protocol.json"
DUMP = "clients/python/tools/dump_protocol.ts"
Schema = dict[str, object]


@pytest.fixture(scope="module")
def dumped() -> Schema:
    check_repo()
    script = Path(__file__).resolve().parents[1] / "tools" / "dump_protocol.ts"
    out = subprocess.run(
        [node(), "--import", "tsx", str(script)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    doc: Schema = json.loads(out.stdout)
    return doc


def committed() -> Schema:
    doc: Schema = json.loads(COMMITTED.read_text())
    return doc


def test_committed_dump_is_what_the_typescript_schemas_give(dumped: Schema) -> None:
    assert dumped == committed(), (
        f"shared/protocol changed: regenerate with `node --import tsx {DUMP} > clients/python/protocol.json` "
        "(from the repository root), then update src/discomfort_client/models.py until this test passes"
    )


def test_routes_match_paths_ts() -> None:
    routes = typing.cast("dict[str, dict[str, str]]", committed()["routes"])
    assert set(ROUTES) == set(routes)
    for name, route in ROUTES.items():
        wire = routes[name]
        assert (route.method, route.path, route.streams) == (wire["method"], wire["path"], wire.get("streams")), name


def test_constants_match() -> None:
    doc = committed()
    assert doc["envelopeType"] == envelope.ENVELOPE_TYPE
    assert set(typing.cast("list[str]", doc["cancelledCodes"])) == errors.CANCELLED_CODES


# --- models against JSON Schema -----------------------------------------------------------------

_SCALARS: dict[str, object] = {"string": str, "number": float, "integer": int, "boolean": bool}


def _unwrap(hint: object) -> object:
    origin = typing.get_origin(hint)
    if origin in (NotRequired, Required):
        return _unwrap(typing.get_args(hint)[0])
    return hint


def _members(hint: object) -> list[object]:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return list(typing.get_args(hint))
    return [hint]


def _is_json_value(hint: object) -> bool:
    """Whether ``hint`` is JsonValue (as get_type_hints resolves it: a union of the scalars, a list and a dict)."""
    members = _members(hint)
    scalars = {m for m in members if isinstance(m, type) and typing.get_origin(m) is None}
    origins = {typing.get_origin(m) for m in members}
    return scalars == {str, int, float, bool, type(None)} and {list, dict} <= origins


def _is_typeddict(hint: object) -> bool:
    return isinstance(hint, type) and hasattr(hint, "__required_keys__") and issubclass(hint, dict)


def compare(schema: Schema, hint: object, where: str) -> list[str]:
    """Each way ``hint`` differs from ``schema``, as a sentence naming the field."""
    hint = _unwrap(hint)
    if not schema:  # unknown: any JSON value
        return [] if _is_json_value(hint) else [f"{where}: any JSON value on the wire, {hint} here"]
    if "anyOf" in schema:
        options = typing.cast("list[Schema]", schema["anyOf"])
        members = _members(hint)
        if len(members) != len(options):
            return [f"{where}: {len(options)} alternatives on the wire, {len(members)} here"]
        if all(_is_typeddict(m) for m in members):  # a union told apart by its "type" field
            by_tag = {typing.get_args(typing.get_type_hints(m)["type"])[0]: m for m in members}
            problems: list[str] = []
            for option in options:
                tag = typing.cast("dict[str, Schema]", option["properties"])["type"]["const"]
                if tag not in by_tag:
                    problems.append(f"{where}: no model for {tag!r}")
                else:
                    problems += compare(option, by_tag[tag], f"{where}<{tag}>")
            return problems
        wanted = sorted(repr(_SCALARS[str(o["type"])]) for o in options)
        return [] if sorted(repr(m) for m in members) == wanted else [f"{where}: {wanted} on the wire, {members} here"]
    if "const" in schema:
        return (
            [] if typing.get_args(hint) == (schema["const"],) else [f"{where}: const {schema['const']!r}, {hint} here"]
        )
    if "enum" in schema:
        wire, here = set(typing.cast("list[str]", schema["enum"])), set(typing.get_args(hint))
        return [] if wire == here else [f"{where}: {sorted(wire)} on the wire, {sorted(here)} here"]
    kind = schema.get("type")
    if kind in _SCALARS:
        return [] if hint is _SCALARS[str(kind)] else [f"{where}: {kind} on the wire, {hint} here"]
    if kind == "array":
        if typing.get_origin(hint) is not list:
            return [f"{where}: an array on the wire, {hint} here"]
        return compare(typing.cast(Schema, schema["items"]), typing.get_args(hint)[0], f"{where}[]")
    if kind == "object" and "properties" in schema:
        if not _is_typeddict(hint):
            return [f"{where}: an object with fields on the wire, {hint} here"]
        props = typing.cast("dict[str, Schema]", schema["properties"])
        required = set(typing.cast("list[str]", schema.get("required", [])))
        hints = typing.get_type_hints(hint, include_extras=True)
        problems = []
        if set(hints) != set(props):
            problems.append(f"{where}: fields {sorted(props)} on the wire, {sorted(hints)} here")
        keys: frozenset[str] = getattr(hint, "__required_keys__")  # noqa: B009 - hint is a TypedDict class
        here_required = set(keys)
        if here_required != required:
            problems.append(f"{where}: required {sorted(required)} on the wire, {sorted(here_required)} here")
        for name in set(props) & set(hints):
            problems += compare(props[name], hints[name], f"{where}.{name}")
        return problems
    if kind == "object":  # a record: string keys, one type of value
        if typing.get_origin(hint) is not dict or typing.get_args(hint)[0] is not str:
            return [f"{where}: a record on the wire, {hint} here"]
        return compare(
            typing.cast(Schema, schema.get("additionalProperties", {})), typing.get_args(hint)[1], f"{where}{{}}"
        )
    return [f"{where}: the test does not know the schema {schema}"]


@pytest.mark.parametrize("group", ["answers", "bodies"])
def test_models_have_the_wire_fields_types_and_required_keys(group: str) -> None:
    schemas = typing.cast("dict[str, Schema]", committed()[group])
    python = models.ANSWERS if group == "answers" else models.BODIES
    assert set(python) == set(schemas)
    problems = [p for name, schema in schemas.items() for p in compare(schema, python[name], name)]
    assert not problems, "\n".join(problems)


def test_the_comparison_notices_a_drift() -> None:
    """The checker itself: a field added on the wire, a type changed, a key made optional."""
    usage = typing.cast("dict[str, Schema]", committed()["answers"])["Usage"]
    props = dict(typing.cast("dict[str, Schema]", usage["properties"]))
    grown = {**usage, "properties": {**props, "gpu_gb": {"type": "number"}}}
    retyped = {**usage, "properties": {**props, "stored_keys_count": {"type": "string"}}}
    loosened = {**usage, "required": [k for k in props if k != "ram_usage_gb"]}
    assert compare(usage, models.Usage, "Usage") == []
    for drifted in (grown, retyped, loosened):
        assert compare(drifted, models.Usage, "Usage"), drifted
    assert sys.version_info >= (3, 10)
