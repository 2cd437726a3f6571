"""Python values to context values, without a bridge: shapes, dtypes, and refusals that say what to do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from discomfort_client import BadValueError, ImageValue, LatentValue, MaskValue
from discomfort_client.values import from_wire, quantise, to_stored, wire_form


def test_quantise_truncates_like_comfyui_and_clips() -> None:
    floats = np.array([-0.5, 0.0, 0.999, 1.0, 2.0, np.nan], dtype=np.float32)
    assert quantise(floats).tolist() == [0, 0, 254, 255, 255, 0]
    assert quantise(np.array([True, False])).tolist() == [255, 0]


def test_arrays_become_images_masks_and_latents_by_shape_or_type() -> None:
    assert isinstance(to_stored(np.zeros((2, 4, 5, 3), dtype=np.float32)), ImageValue)
    assert isinstance(to_stored(np.zeros((1, 4, 5), dtype=np.float32)), MaskValue)
    assert isinstance(to_stored(np.zeros((4, 5), dtype=np.float32)), MaskValue)
    latent = to_stored(np.zeros((1, 4, 2, 2), dtype=np.float32), "LATENT")
    assert isinstance(latent, LatentValue) and latent.shape == (1, 4, 2, 2)


def test_an_image_without_its_batch_axis_is_refused_with_the_fix() -> None:
    with pytest.raises(BadValueError, match=r"For an IMAGE, give \[B, H, W, C\]") as caught:
        to_stored(np.zeros((8, 8, 3), dtype=np.float32))
    assert caught.value.code == "bad_value" and isinstance(caught.value, ValueError)


def test_values_that_cannot_be_stored_say_why(tmp_path: Path) -> None:
    with pytest.raises(BadValueError, match="not a finite number"):
        to_stored(float("nan"))
    with pytest.raises(BadValueError, match="a set cannot be stored"):
        to_stored({1, 2})
    with pytest.raises(BadValueError, match="not parts of a list or dict"):
        to_stored({"image": np.zeros((1, 2, 2, 3), dtype=np.float32)}, "DICT")
    with pytest.raises(BadValueError, match="cannot read"):
        to_stored(tmp_path / "missing.png")
    with pytest.raises(BadValueError, match="pixels must be floats in 0..1 or uint8"):
        to_stored(np.zeros((1, 2, 2, 3), dtype=np.int64))


def test_wire_form_and_back_keep_typed_values() -> None:
    image = ImageValue.from_numpy(np.ones((1, 3, 2, 3), dtype=np.float32))
    assert from_wire(wire_form(image)) == image
    mask = MaskValue.from_numpy(np.ones((3, 2), dtype=np.float32))
    assert from_wire(wire_form(mask)) == mask
    assert from_wire({"kind": "number", "value": 3, "integer": False}) == 3.0
    assert isinstance(from_wire({"kind": "number", "value": 3, "integer": True}), int)
    with pytest.raises(BadValueError, match="unknown value kind"):
        from_wire({"kind": "hologram"})
