"""ComfyUI ``.latent`` files, the bridge's form of LATENT values: safetensors
holding ``latent_tensor`` ([B, C, H, W], float32) and an empty
``latent_format_version_0`` marker. Files without the marker are legacy and are
scaled by 1/0.18215 when read, as ComfyUI's LoadLatent does.
"""

from __future__ import annotations

import json
import struct

import numpy as np
import numpy.typing as npt

from .errors import DiscomfortError

_DTYPES: dict[str, str] = {"F32": "<f4", "F16": "<f2", "F64": "<f8"}
_LEGACY_SCALE = 1 / 0.18215
#: The largest safetensors header read (ComfyUI's own limit is 100 MB; a .latent's is tiny).
_MAX_HEADER = 16 * 1024 * 1024


class LatentError(DiscomfortError):
    """Bytes that are not a ComfyUI .latent file (code ``bad_latent``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_latent")


def encode_latent(samples: npt.NDArray[np.floating], metadata: dict[str, str] | None = None) -> bytes:
    """A ``.latent`` file of ``samples`` (stored as float32)."""
    data = np.ascontiguousarray(samples, dtype="<f4").tobytes()
    header: dict[str, object] = {
        "latent_tensor": {"dtype": "F32", "shape": list(samples.shape), "data_offsets": [0, len(data)]},
        "latent_format_version_0": {"dtype": "F32", "shape": [0], "data_offsets": [len(data), len(data)]},
    }
    if metadata:
        header["__metadata__"] = dict(metadata)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def decode_latent(data: bytes) -> npt.NDArray[np.float32]:
    """The ``latent_tensor`` of a ``.latent`` file as float32, legacy files scaled as ComfyUI does."""
    if len(data) < 8:
        raise LatentError("not a ComfyUI .latent file (too short)")
    (length,) = struct.unpack("<Q", data[:8])
    if length > _MAX_HEADER or 8 + length > len(data):
        raise LatentError("not a ComfyUI .latent file (bad safetensors header length)")
    try:
        header = json.loads(data[8 : 8 + length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LatentError(f"not a ComfyUI .latent file (header: {e})") from e
    entry = header.get("latent_tensor") if isinstance(header, dict) else None
    if not isinstance(entry, dict):
        raise LatentError('not a ComfyUI .latent file (no "latent_tensor" tensor)')
    dtype = _DTYPES.get(str(entry.get("dtype")))
    shape, offsets = entry.get("shape"), entry.get("data_offsets")
    if dtype is None:
        raise LatentError(f"latent_tensor has dtype {entry.get('dtype')}; F32, F16 and F64 are read")
    if not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)):
        raise LatentError("latent_tensor has no valid shape")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(n, int) for n in offsets)):
        raise LatentError("latent_tensor has no valid data_offsets")
    start, end = 8 + length + offsets[0], 8 + length + offsets[1]
    count = int(np.prod(shape, dtype=np.int64))
    if end > len(data) or end - start != count * np.dtype(dtype).itemsize:
        raise LatentError("latent_tensor's data does not match its shape")
    samples: npt.NDArray[np.float32] = np.frombuffer(data[start:end], dtype=dtype).astype(np.float32).reshape(shape)
    if "latent_format_version_0" in header:
        return samples
    scaled: npt.NDArray[np.float32] = (samples * np.float32(_LEGACY_SCALE)).astype(np.float32)
    return scaled
