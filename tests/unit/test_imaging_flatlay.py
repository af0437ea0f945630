"""The per-photo default scene: a photo taken top-down of an item lying flat reads as a flat-lay, a
side-on product never does. Measured on the 60 real side-on photos of the mask set, on our own
flat-lay renders fed back in, and on our tabletop and sweep renders fed back in."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from core.imaging import masking
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.io import load_image
from core.imaging.pipeline import enhance
from core.imaging.staging.choice import choose_scene
from core.imaging.staging.flatlay import looks_flat_lay

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "images"
GARMENTS = ("jacket", "dress", "tshirt", "jeans", "skirt")


def _paper(size=(480, 400), shadow: float = 0.0, wall: bool = False):
    """A light paper ground with a garment-like block; `shadow` rings it with a soft drop shadow;
    `wall` makes the upper half a darker wall (a floor meeting a wall)."""
    w, h = size
    rng = np.random.default_rng(0)
    grey = np.full((h, w), 215.0) + rng.normal(0, 2.0, (h, w))
    if wall:
        grey[: h // 2] -= 60
    mask = np.zeros((h, w), np.uint8)
    cv2.rectangle(mask, (160, 100), (320, 300), 255, -1)
    if shadow:
        ring = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), 6.0)
        grey *= 1.0 - shadow * ring
    rgb = np.repeat(grey[..., None], 3, 2)
    rgb[mask > 0] = (40, 90, 170)
    return np.clip(rgb, 0, 255).astype(np.uint8), mask


def test_a_soft_shadow_all_round_on_one_paper_reads_as_flat_lay():
    assert looks_flat_lay(*_paper(shadow=0.35))
    assert not looks_flat_lay(*_paper(shadow=0.35, wall=True))  # a floor meeting a wall is side-on


def test_a_hard_lights_drop_shadow_along_one_side_reads_as_flat_lay():
    rgb, mask = _paper()
    drop = np.zeros(mask.shape, np.float32)
    cv2.rectangle(drop, (168, 108), (328, 308), 1.0, -1)  # shifted right and down by 8 px
    paper = rgb.astype(np.float32) * (1 - 0.3 * cv2.GaussianBlur(drop, (0, 0), 3.0))[..., None]
    paper[mask > 0] = (40, 90, 170)
    assert looks_flat_lay(paper.astype(np.uint8), mask)
    # the same darkening only near the floor (a standing product's cast shadow) is side-on
    low = drop.copy()
    low[:250] = 0
    side_on = rgb.astype(np.float32) * (1 - 0.3 * cv2.GaussianBlur(low, (0, 0), 3.0))[..., None]
    side_on[mask > 0] = (40, 90, 170)
    assert not looks_flat_lay(side_on.astype(np.uint8), mask)


def test_a_shadow_only_under_the_base_is_a_standing_product():
    rgb, mask = _paper()
    under = np.zeros(mask.shape, np.float32)
    cv2.ellipse(under, (240, 302), (90, 10), 0, 0, 360, 1.0, -1)
    rgb = (rgb * (1 - 0.5 * cv2.GaussianBlur(under, (0, 0), 4))[..., None]).astype(np.uint8)
    rgb[mask > 0] = (40, 90, 170)
    assert not looks_flat_lay(rgb, mask)


def test_a_grey_card_without_shadow_is_not_called_flat_lay():
    rgb, mask = _paper()
    rgb[mask == 0] = 128
    assert not looks_flat_lay(rgb, mask)


def test_the_photo_decides_only_after_the_user_and_the_trend():
    assert choose_scene(None, None, "wood", lambda: True) == "flat-lay"
    assert choose_scene(None, None, "studio", lambda: False) == "sweep"
    assert choose_scene("sweep", None, "wood", lambda: True) == "sweep"
    assert choose_scene(None, {"environment": "on a table"}, "studio", lambda: True) == "tabletop"


def test_no_real_side_on_photo_is_called_flat_lay(shared_data):
    real = shared_data / "masks"
    photos = sorted((real / "images").glob("*.jpg"))
    assert len(photos) == 60
    called = [
        p.stem
        for p in photos
        if looks_flat_lay(
            np.asarray(Image.open(p).convert("RGB")), np.asarray(Image.open(real / "masks" / f"{p.stem}.png"))
        )
    ]
    assert called == []


def _fed_back(result) -> tuple[np.ndarray, np.ndarray]:
    """An output photo with the mask the masking stage finds on it (as a user's re-upload would)."""
    data, _ = result.encode()
    loaded = load_image(data)
    return np.asarray(loaded.rgb), masking.compute_mask(loaded).mask


@pytest.fixture(scope="module")
def garment_masks() -> dict[str, np.ndarray]:
    return {g: masking.compute_mask(load_image(DEMO / f"{g}.jpg")).mask for g in GARMENTS}


def test_our_flat_lay_renders_read_as_flat_lay(garment_masks):
    hits = 0
    for i, g in enumerate(GARMENTS):
        for style in ("studio", "wood"):
            opts = EnhanceOptions(style=style, scene="flat-lay", light_angle=30 + 30 * i)
            hits += looks_flat_lay(*_fed_back(enhance(DEMO / f"{g}.jpg", opts, mask=garment_masks[g])))
    assert hits >= 9  # of 10


def test_our_tabletop_and_sweep_renders_do_not(garment_masks):
    shoe = masking.compute_mask(load_image(DEMO / "shoes.jpg")).mask
    for name, mask in (("shoes", shoe), ("tshirt", garment_masks["tshirt"])):
        for style, scene in (("studio", "sweep"), ("marble", "tabletop"), ("linen", "tabletop")):
            out = enhance(DEMO / f"{name}.jpg", EnhanceOptions(style=style, scene=scene), mask=mask)
            assert not looks_flat_lay(*_fed_back(out)), (name, style)


def test_the_demo_garments_read_as_flat_lay_and_the_shoe_as_side_on(garment_masks):
    for g in GARMENTS:
        rgb = np.asarray(Image.open(DEMO / f"{g}.jpg").convert("RGB"))
        assert looks_flat_lay(rgb, garment_masks[g]), g
    shoe = masking.compute_mask(load_image(DEMO / "shoes.jpg")).mask
    assert not looks_flat_lay(np.asarray(Image.open(DEMO / "shoes.jpg").convert("RGB")), shoe)
