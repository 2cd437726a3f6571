"""The binary envelope, byte for byte as shared/protocol/envelope.ts lays it out."""

from __future__ import annotations

import json
import struct

import pytest

from discomfort_client.envelope import ENVELOPE_TYPE, decode_envelope, encode_envelope, has_bytes
from discomfort_client.errors import ProtocolError
from discomfort_client.json_types import Document


def test_layout_is_magic_big_endian_length_header_then_raw_parts() -> None:
    doc: Document = {"value": {"kind": "mask", "png": b"\x00\x01\x02", "width": 1}, "frames": [b"ab", b""]}
    chunks = encode_envelope(doc)
    data = b"".join(chunks)
    assert data[:4] == b"DCE1"
    (length,) = struct.unpack(">I", data[4:8])
    header = json.loads(data[8 : 8 + length])
    assert header == {
        "doc": {"value": {"kind": "mask", "png": {"$part": 0}, "width": 1}, "frames": [{"$part": 1}, {"$part": 2}]},
        "parts": [3, 2, 0],
    }
    assert data[8 + length :] == b"\x00\x01\x02ab"
    assert chunks[1:] == [b"\x00\x01\x02", b"ab", b""]
    assert ENVELOPE_TYPE == "application/vnd.discomfort.envelope"


def test_round_trip_gives_the_bytes_back() -> None:
    doc: Document = {"a": [1, "two", None, True, {"b": b"\xff" * 1000}], "c": b"raw"}
    assert decode_envelope(b"".join(encode_envelope(doc))) == doc


def test_has_bytes_finds_nested_bytes() -> None:
    assert has_bytes({"x": [{"y": b"1"}]})
    assert not has_bytes({"x": [{"y": "1"}], "z": 2.5})


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"XXXX\x00\x00\x00\x02{}", "no DCE1 mark"),
        (b"DCE1\x00\x00\x00\xff{}", "header is incomplete"),
        (b"DCE1\x00\x00\x00\x02{}", "no list of part lengths"),
        (b'DCE1\x00\x00\x00\x15{"doc":1,"parts":[4]}ab', "a part is incomplete"),
        (b'DCE1\x00\x00\x00\x15{"doc":1,"parts":[1]}ab', "bytes after its last part"),
        (b'DCE1\x00\x00\x00\x1f{"doc":{"$part":3},"parts":[0]}', "refers to part 3"),
    ],
)
def test_a_broken_envelope_is_refused_with_a_reason(data: bytes, says: str) -> None:
    with pytest.raises(ProtocolError, match=says) as caught:
        decode_envelope(data)
    assert caught.value.code == "bad_envelope"
