"""Context values in Python: what ``save`` takes, what ``load`` and ``run`` give back, and their wire form.

The bridge keeps images and masks as 8-bit PNG frames, latents as ComfyUI
``.latent`` files and references as recipes (an API sub-prompt and the output
that yields the value). Here they are:

* IMAGE: a float32 numpy array ``[B, H, W, C]`` in 0..1, as ComfyUI shapes it
  (C is 3, or 4 when the PNG has alpha);
* MASK: a float32 numpy array ``[B, H, W]`` (B is 1: the bridge keeps one frame);
* LATENT: :class:`LatentValue`, whose ``samples`` is ``[B, C, H, W]`` float32;
* a reference (pass-by ``ref``, e.g. a MODEL): :class:`Reference`;
* strings, numbers, booleans, lists and dicts: themselves.

With ``image_format="pil"`` images and masks come as lists of PIL images (one
per frame); with ``"torch"`` as torch tensors (torch is never required).
Floats become numbers through ComfyUI's own quantisation, ``clip(255·x)``
truncated, so a value on the 1/255 grid round-trips exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias, Union, cast, runtime_checkable

import numpy as np
import numpy.typing as npt

from .errors import BadValueError
from .json_types import Document, JsonValue
from .latent import decode_latent, encode_latent
from .png import decode_png, encode_png, png_size

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

ImageFormat = Literal["numpy", "pil", "torch"]
FloatArray: TypeAlias = npt.NDArray[np.float32]


@runtime_checkable
class TensorLike(Protocol):
    """What this client reads of a torch tensor (duck-typed: torch is optional)."""

    def detach(self) -> TensorLike: ...
    def cpu(self) -> TensorLike: ...
    def numpy(self) -> npt.NDArray[np.generic]: ...


def quantise(pixels: npt.NDArray[np.generic]) -> npt.NDArray[np.uint8]:
    """ComfyUI's float → byte conversion, ``np.clip(255 * x, 0, 255).astype(uint8)``; uint8 and bool pass as bytes."""
    if pixels.dtype == np.uint8:
        return cast("npt.NDArray[np.uint8]", pixels)
    if pixels.dtype == np.bool_:
        on: npt.NDArray[np.uint8] = pixels.astype(np.uint8) * np.uint8(255)
        return on
    if not np.issubdtype(pixels.dtype, np.floating):
        raise BadValueError(f"pixels must be floats in 0..1 or uint8, got {pixels.dtype}")
    scaled: npt.NDArray[np.float32] = np.nan_to_num(pixels.astype(np.float32) * np.float32(255), nan=0.0)
    clipped: npt.NDArray[np.float32] = np.clip(scaled, 0, 255)
    return clipped.astype(np.uint8)


def _unit_floats(pixels: npt.NDArray[np.generic]) -> FloatArray:
    scale = np.float32(65535 if pixels.dtype == np.uint16 else 255)
    floats: FloatArray = pixels.astype(np.float32) / scale
    return floats


@dataclass(frozen=True)
class ImageValue:
    """An IMAGE as the bridge keeps it: PNG frames (a batch), all one size."""

    frames: tuple[bytes, ...]
    width: int
    height: int

    @classmethod
    def from_pngs(cls, frames: Sequence[bytes]) -> ImageValue:
        if not frames:
            raise BadValueError("an IMAGE needs at least one PNG frame")
        sizes = {png_size(f) for f in frames}
        if len(sizes) != 1:
            raise BadValueError(f"a batch needs one size, got {sorted(sizes)}")
        ((width, height),) = sizes
        return cls(tuple(bytes(f) for f in frames), width, height)

    @classmethod
    def from_numpy(cls, array: npt.NDArray[np.generic]) -> ImageValue:
        """From ``[B, H, W, C]`` (or one ``[H, W, C]`` frame), floats in 0..1 or uint8; C is 1, 3 or 4."""
        if array.ndim == 3:
            array = array[None]
        if array.ndim != 4 or array.shape[0] == 0 or array.shape[3] not in (1, 3, 4):
            raise BadValueError(
                f"an IMAGE is [B, H, W, C] with C 1, 3 or 4 (ComfyUI's layout), got shape {list(array.shape)}"
            )
        pixels = quantise(array)
        if pixels.shape[3] == 1:
            pixels = np.repeat(pixels, 3, axis=3)
        return cls.from_pngs([encode_png(np.ascontiguousarray(frame)) for frame in pixels])

    @classmethod
    def from_pil(cls, images: PilImage | Sequence[PilImage]) -> ImageValue:
        batch = [images] if not isinstance(images, Sequence) else list(images)
        frames = []
        for img in batch:
            keep = img if img.mode in ("RGB", "RGBA") else img.convert("RGBA" if "A" in img.getbands() else "RGB")
            frames.append(encode_png(np.asarray(keep, dtype=np.uint8)))
        return cls.from_pngs(frames)

    def to_numpy(self) -> FloatArray:
        """``[B, H, W, C]`` float32 in 0..1: C 3 (RGB), or 4 when the frames carry alpha."""
        frames = [decode_png(f) for f in self.frames]
        channels = max(f.shape[2] for f in frames)
        out = []
        for frame in frames:
            f: npt.NDArray[np.generic] = frame
            if f.shape[2] in (1, 2):  # grey (+ alpha) as RGB (+ alpha), as ComfyUI's LoadImage converts
                grey = np.repeat(f[:, :, :1], 3, axis=2)
                f = np.concatenate([grey, f[:, :, 1:]], axis=2) if f.shape[2] == 2 else grey
            if f.shape[2] < channels:
                opaque = np.full(f.shape[:2] + (1,), 65535 if f.dtype == np.uint16 else 255, dtype=f.dtype)
                f = np.concatenate([f, opaque], axis=2)
            out.append(_unit_floats(f))
        return np.stack(out)

    def to_pil(self) -> list[PilImage]:
        from PIL import Image

        return [Image.fromarray(quantise(frame)) for frame in self.to_numpy()]


@dataclass(frozen=True)
class MaskValue:
    """A MASK as the bridge keeps it: one PNG whose red (or grey) channel is the mask."""

    png: bytes
    width: int
    height: int

    @classmethod
    def from_png(cls, png: bytes) -> MaskValue:
        width, height = png_size(png)
        return cls(bytes(png), width, height)

    @classmethod
    def from_numpy(cls, array: npt.NDArray[np.generic]) -> MaskValue:
        """From ``[1, H, W]`` or ``[H, W]``, floats in 0..1, uint8 or bool."""
        if array.ndim == 3:
            if array.shape[0] != 1:
                hint = " For an IMAGE, give [B, H, W, C] (one frame: array[None])." if array.shape[2] in (3, 4) else ""
                raise BadValueError(
                    f"a MASK is stored one frame at a time; got a batch of {array.shape[0]} "
                    f"(shape {list(array.shape)}).{hint}"
                )
            array = array[0]
        if array.ndim != 2:
            raise BadValueError(f"a MASK is [B, H, W] or [H, W], got shape {list(array.shape)}")
        return cls.from_png(encode_png(np.ascontiguousarray(quantise(array))))

    def to_numpy(self) -> FloatArray:
        """``[1, H, W]`` float32 in 0..1 (the red channel, as ComfyUI's LoadImageMask reads it)."""
        return _unit_floats(decode_png(self.png)[:, :, 0])[None]

    def to_pil(self) -> list[PilImage]:
        from PIL import Image

        return [Image.fromarray(quantise(self.to_numpy()[0]), mode="L")]


@dataclass(frozen=True)
class LatentValue:
    """A LATENT: the bytes of a ComfyUI ``.latent`` file, and its shape ``[B, C, H, W]``."""

    data: bytes
    shape: tuple[int, ...]

    @classmethod
    def from_samples(cls, samples: npt.NDArray[np.generic] | TensorLike) -> LatentValue:
        array = _as_numpy(samples) if isinstance(samples, TensorLike) else samples
        if not np.issubdtype(array.dtype, np.floating):
            raise BadValueError(f"latent samples must be floats, got {array.dtype}")
        return cls(encode_latent(cast("npt.NDArray[np.floating]", array)), tuple(int(n) for n in array.shape))

    @classmethod
    def from_file_bytes(cls, data: bytes) -> LatentValue:
        return cls(bytes(data), tuple(int(n) for n in decode_latent(data).shape))

    @property
    def samples(self) -> FloatArray:
        """The latent tensor, ``[B, C, H, W]`` float32."""
        return decode_latent(self.data)

    def to_comfy(self) -> dict[str, FloatArray]:
        """ComfyUI's own LATENT form, ``{"samples": ...}``."""
        return {"samples": self.samples}


@dataclass(frozen=True)
class Reference:
    """A pass-by-reference value (a MODEL, CLIP, VAE...): the recipe that recomputes it in ComfyUI."""

    prompt: dict[str, JsonValue]
    #: The node id in ``prompt`` and its output index that yield the value.
    output: tuple[str, int]
    #: The ComfyUI type it carries.
    type: str
    extra: Mapping[str, JsonValue] = field(default_factory=dict)


#: What ``load`` and ``run`` give back.
Value: TypeAlias = Union[JsonValue, FloatArray, LatentValue, Reference, "list[PilImage]", TensorLike]
#: A stored value in its typed form (``load_value``): plain values as themselves.
StoredValue: TypeAlias = Union[JsonValue, ImageValue, MaskValue, LatentValue, Reference]


def _as_numpy(tensor: TensorLike) -> npt.NDArray[np.generic]:
    return tensor.detach().cpu().numpy()


def is_pil_image(value: object) -> bool:
    """Whether ``value`` is a PIL image (checked without importing Pillow, which is optional)."""
    return any(c.__module__.startswith("PIL.") and c.__name__ == "Image" for c in type(value).__mro__)


# --- to the wire -------------------------------------------------------------------------------


def _array_value(array: npt.NDArray[np.generic], comfy_type: str | None) -> ImageValue | MaskValue | LatentValue:
    if comfy_type == "LATENT":
        return LatentValue.from_samples(array)
    if comfy_type == "MASK" or (comfy_type is None and array.ndim in (2, 3)):
        return MaskValue.from_numpy(array)
    if comfy_type in (None, "IMAGE"):
        return ImageValue.from_numpy(array)
    raise BadValueError(f"an array can be an IMAGE, MASK or LATENT, not a {comfy_type}")


def to_stored(value: object, comfy_type: str | None = None, what: str = "value") -> StoredValue | bytes:
    """A Python value as a context value (or raw PNG / .latent bytes, which the bridge reads by their type)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadValueError(f"{what}: {value} is not a finite number")
        return value
    if isinstance(value, (ImageValue, MaskValue, LatentValue, Reference)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, Path):
        try:
            return value.read_bytes()
        except OSError as e:
            raise BadValueError(f"{what}: cannot read {str(value)!r} ({e.strerror or e})") from e
    if isinstance(value, np.generic):
        return to_stored(value.item(), comfy_type, what)
    if isinstance(value, np.ndarray):
        return _array_value(value, comfy_type)
    if isinstance(value, TensorLike):
        return _array_value(_as_numpy(value), comfy_type)
    if is_pil_image(value):
        pil = cast("PilImage", value)
        if comfy_type == "MASK":
            return MaskValue.from_numpy(np.asarray(pil.convert("L"), dtype=np.uint8))
        return ImageValue.from_pil(pil)
    if isinstance(value, Mapping):
        samples = value.get("samples")
        if comfy_type in (None, "LATENT") and isinstance(samples, (np.ndarray, TensorLike)):
            return LatentValue.from_samples(samples)
        return {str(k): _json(v, f"{what}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v, f"{what}[{i}]") for i, v in enumerate(value)]
    raise BadValueError(f"{what}: a {type(value).__name__} cannot be stored in a context")


def _json(value: object, what: str) -> JsonValue:
    stored = to_stored(value, None, what)
    if isinstance(stored, (bytes, ImageValue, MaskValue, LatentValue, Reference)):
        raise BadValueError(
            f"{what}: images, masks, latents and bytes can be values themselves, not parts of a list or dict"
        )
    return stored


def wire_form(stored: StoredValue | bytes) -> Document:
    """How a stored value travels in a request: bytes raw, typed values as ``{"kind": ...}``."""
    if isinstance(stored, ImageValue):
        return {"kind": "image", "frames": list(stored.frames), "width": stored.width, "height": stored.height}
    if isinstance(stored, MaskValue):
        return {"kind": "mask", "png": stored.png, "width": stored.width, "height": stored.height}
    if isinstance(stored, LatentValue):
        return {"kind": "latent", "bytes": stored.data, "shape": list(stored.shape)}
    if isinstance(stored, Reference):
        recipe: dict[str, Document] = {
            **cast("Mapping[str, Document]", stored.extra),
            "prompt": cast("dict[str, Document]", stored.prompt),
            "output": [stored.output[0], stored.output[1]],
            "type": stored.type,
        }
        return {"kind": "ref", "recipe": recipe}
    return cast("Document", stored)


# --- from the wire -----------------------------------------------------------------------------


def _field(doc: Mapping[str, Document], name: str, kinds: tuple[type, ...], what: str) -> Document:
    value = doc.get(name)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise BadValueError(f"{what}: a {doc.get('kind')!r} value without a valid {name!r}")
    return value


def _int(doc: Mapping[str, Document], name: str, what: str) -> int:
    return int(cast(int, _field(doc, name, (int,), what)))


def _bytes(doc: Mapping[str, Document], name: str, what: str) -> bytes:
    return cast(bytes, _field(doc, name, (bytes,), what))


def from_wire(doc: Document, what: str = "value") -> StoredValue:
    """A context value as the bridge sends it (``{"kind": ..., ...}``) in its typed form."""
    if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
        raise BadValueError(f"{what}: not a context value (no kind)")
    kind = doc["kind"]
    if kind in ("string", "boolean", "json"):
        return cast("JsonValue", doc.get("value"))
    if kind == "number":
        number = cast(float, _field(doc, "value", (int, float), what))
        return int(number) if doc.get("integer") is True else float(number)
    if kind == "image":
        frames = cast("list[Document]", _field(doc, "frames", (list,), what))
        if not all(isinstance(f, bytes) for f in frames):
            raise BadValueError(f"{what}: an image value whose frames are not bytes")
        return ImageValue(tuple(cast("list[bytes]", frames)), _int(doc, "width", what), _int(doc, "height", what))
    if kind == "mask":
        return MaskValue(_bytes(doc, "png", what), _int(doc, "width", what), _int(doc, "height", what))
    if kind == "latent":
        shape = cast("list[int]", _field(doc, "shape", (list,), what))
        return LatentValue(_bytes(doc, "bytes", what), tuple(int(n) for n in shape))
    if kind == "ref":
        recipe = cast("dict[str, JsonValue]", _field(doc, "recipe", (dict,), what))
        output = recipe.get("output")
        prompt = recipe.get("prompt")
        if not (isinstance(output, list) and len(output) == 2 and isinstance(prompt, dict)):
            raise BadValueError(f"{what}: a reference without a valid recipe")
        extra = {k: v for k, v in recipe.items() if k not in ("prompt", "output", "type")}
        return Reference(prompt, (str(output[0]), int(cast(int, output[1]))), str(recipe.get("type")), extra)
    raise BadValueError(f"{what}: unknown value kind {kind!r}")


def as_python(stored: StoredValue, image_format: ImageFormat = "numpy") -> Value:
    """A stored value as ``load`` gives it: images and masks in ``image_format``, the rest as they are."""
    if not isinstance(stored, (ImageValue, MaskValue)):
        plain: JsonValue | LatentValue | Reference = stored
        return plain
    if image_format == "pil":
        return stored.to_pil()
    array = stored.to_numpy()
    if image_format == "torch":
        try:
            import torch
        except ImportError as e:
            raise BadValueError("image_format='torch' needs torch installed (this client does not install it)") from e
        tensor: TensorLike = torch.from_numpy(array)
        return tensor
    return array
