"""The photo's own key light: the side its shadow on a plain surface shows, read only where the surface
is plain, and used after the user's angle and a direction the trend scene names."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from core.imaging.enhance_options import EnhanceOptions
from core.imaging.io import load_image
from core.imaging.masking import compute_mask
from core.imaging.pipeline import enhance
from core.imaging.staging.photo_light import FROM_LEFT, FROM_RIGHT, key_light, light_side

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "images"


def _studio_shot(shadow_on: str | None, surface: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A red box standing on grey paper, its soft shadow falling to one side of its base."""
    h, w = 480, 640
    rgb = np.full((h, w, 3), 200, np.uint8) if surface is None else surface.copy()
    mask = np.zeros((h, w), np.uint8)
    cv2.rectangle(mask, (260, 150), (380, 400), 255, -1)
    if shadow_on:
        blob = np.zeros((h, w), np.float32)
        x = 380 if shadow_on == "right" else 160
        cv2.rectangle(blob, (x, 330), (x + 100, 405), 1.0, -1)
        blob = cv2.GaussianBlur(blob, (0, 0), 12) * 0.45
        rgb = (rgb * (1 - blob[..., None])).astype(np.uint8)
    rgb[mask > 0] = (190, 40, 40)
    return rgb, mask


@pytest.mark.parametrize(("shadow", "light"), [("right", FROM_LEFT), ("left", FROM_RIGHT)])
def test_the_shadow_on_plain_paper_tells_the_side_the_light_came_from(shadow, light):
    assert light_side(*_studio_shot(shadow)) == light


def test_nothing_is_read_without_a_shadow_or_off_a_busy_surface():
    assert light_side(*_studio_shot(None)) is None
    paving = np.random.default_rng(5).normal(150, 25, (480, 640, 1)).clip(0, 255).astype(np.uint8)
    paving = np.repeat(cv2.GaussianBlur(paving, (0, 0), 1.2)[..., None], 3, axis=2)
    assert light_side(*_studio_shot("right", paving)) is None  # the pattern could be taken for shadow


def test_the_demo_sneaker_shows_its_key_from_the_left_and_mirrored_from_the_right():
    """Rendered under a soft sun from the upper front left: its shadow falls right."""
    rgb = np.asarray(Image.open(DEMO / "shoes.jpg").convert("RGB"))
    alpha = compute_mask(load_image(DEMO / "shoes.jpg")).mask
    assert light_side(rgb, alpha) == FROM_LEFT
    assert light_side(rgb[:, ::-1].copy(), alpha[:, ::-1].copy()) == FROM_RIGHT


def test_the_user_then_the_trend_scene_then_the_photo_decide():
    rgb, mask = _studio_shot("left")  # the photo: lit from the right
    light, note = key_light(None, None, None, rgb, mask)
    assert light.angle == FROM_RIGHT and "upper right" in (note or "")
    light, note = key_light(150.0, 0.3, None, rgb, mask)
    assert (light.angle, light.softness, note) == (150.0, 0.3, None)
    light, note = key_light(None, None, {"lighting": "hard light from the left"}, rgb, mask)
    assert light.angle == 150.0 and light.softness == 0.25 and note is None
    light, note = key_light(None, None, {"lighting": "soft window light"}, *_studio_shot(None))
    assert light.angle == 135.0 and note is None  # nothing shown: the default


def test_enhance_lights_the_scene_from_the_photos_side_unless_told(tmp_path):
    photo = tmp_path / "lit_from_right.png"
    rgb, mask = _studio_shot("left")
    Image.fromarray(rgb).save(photo)
    mask_png = cv2.imencode(".png", mask)[1].tobytes()
    seen = enhance(photo, EnhanceOptions(style="studio", preset="web"), mask=mask_png)
    assert any("upper right" in n for n in seen.notes), seen.notes
    told = enhance(photo, EnhanceOptions(style="studio", preset="web", light_angle=150), mask=mask_png)
    assert not any("shadow in the photo" in n for n in told.notes)
    # the scene's shadow falls away from the photo's light: more of it left of the product than right
    layer = np.asarray(seen.layer)[..., 3] >= 128
    cols = np.flatnonzero(layer.any(axis=0))
    grey = np.asarray(seen.image.convert("L"), np.float32)
    told_grey = np.asarray(told.image.convert("L"), np.float32)
    left, right = slice(cols[0] - 120, cols[0] - 10), slice(cols[-1] + 10, cols[-1] + 120)
    rows = slice(700, 1000)
    assert grey[rows, left].mean() < grey[rows, right].mean()
    assert told_grey[rows, left].mean() > told_grey[rows, right].mean()
