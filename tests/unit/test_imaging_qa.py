"""Whether a photo is in focus: measured where focus shows (the product's edges and detail), so a
plain product in focus is not called soft and a blurred one is."""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging import masking, qa
from core.imaging.io import load_image


def _plain_product() -> tuple[np.ndarray, np.ndarray]:
    """A smooth, one-colour garment-like shape with a crisp outline on light paper (a plain tee)."""
    rng = np.random.default_rng(1)
    img = np.clip(rng.normal(228, 2, (400, 400, 3)), 0, 255).astype(np.uint8)
    mask = np.zeros((400, 400), np.uint8)
    cv2.fillPoly(
        mask,
        [
            np.array(
                [[120, 80], [280, 80], [330, 160], [290, 180], [290, 330], [110, 330], [110, 180], [70, 160]],
                np.int32,
            )
        ],
        255,
    )
    shade = cv2.GaussianBlur(rng.normal(0, 1, (400, 400)).astype(np.float32), (0, 0), 25) * 60
    body = np.clip(np.array([70, 100, 140], np.float32) + shade[..., None], 0, 255).astype(np.uint8)
    img[mask > 0] = body[mask > 0]
    return img, mask


def test_a_plain_product_in_focus_is_sharp_and_the_same_blurred_is_soft():
    img, mask = _plain_product()
    assert qa.sharpness(img, mask) >= qa.SHARPNESS_MIN
    assert qa.sharpness(cv2.GaussianBlur(img, (0, 0), 2.0), mask) < qa.SHARPNESS_MIN


def _measure(path) -> tuple[float, float]:
    loaded = load_image(path)
    work = masking.working_copy(loaded.rgb, qa.QA_SIDE)
    mask = cv2.resize(masking.compute_mask(loaded).mask, (work.shape[1], work.shape[0]))
    return qa.sharpness(work, mask), qa.sharpness(cv2.GaussianBlur(work, (0, 0), 2.0), mask)


def test_the_demo_photos_are_in_focus_and_blurred_copies_are_not(demo_dir):
    for path in sorted((demo_dir / "images").glob("*.jpg")):
        sharp, blurred = _measure(path)
        assert sharp >= qa.SHARPNESS_MIN > blurred, path.name


def test_real_photos_in_focus_pass_and_blurred_copies_fail(shared_data):
    for path in sorted((shared_data / "masks" / "images").glob("*.jpg"))[:12]:
        sharp, blurred = _measure(path)
        assert sharp >= qa.SHARPNESS_MIN > blurred, path.name
