"""The backdrop's shade in a notch of the outline, with known truth: a saturated product with an arm
gap on plain paper, the paper at the gap's top shaded grey and filled into the mask (as u2netp does
under a jacket's arms); then the real demo jacket against its exact render mask."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from core.imaging import masking
from core.imaging.io import load_image
from core.imaging.notches import drop_notch_shade

PAPER = (226, 222, 218)
OLIVE = (96, 102, 68)


def _jacket(product=OLIVE, paper=PAPER, busy: bool = False):
    """(photo, mask filled into the notch, the wedge of shade, the true product): a body with an arm
    hanging beside it, a tall narrow gap between them whose top is shaded paper."""
    h = w = 600
    rgb = np.empty((h, w, 3), np.uint8)
    rgb[:] = paper
    if busy:  # a patterned backdrop (tiles of two colours): its "colour" says nothing
        yy, xx = np.mgrid[:h, :w]
        rgb[((yy // 30 + xx // 30) % 2) == 1] = (150, 170, 205)
    truth = np.zeros((h, w), np.uint8)
    cv2.rectangle(truth, (220, 100), (420, 520), 255, -1)  # the body
    cv2.fillPoly(truth, [np.array([(220, 100), (120, 140), (90, 520), (150, 520), (200, 220)])], 255)  # arm
    gap = np.zeros((h, w), np.uint8)
    cv2.fillPoly(gap, [np.array([(200, 220), (150, 520), (220, 520), (220, 220)])], 255)
    wedge = np.zeros((h, w), np.uint8)
    cv2.fillPoly(wedge, [np.array([(200, 220), (193, 255), (220, 255), (220, 220)])], 255)
    rgb[truth > 0] = product
    shade = np.array(paper, np.float32) * 0.6  # the paper darkened, its tint kept
    rgb[wedge > 0] = shade.astype(np.uint8)
    alpha = np.maximum(truth, wedge)
    return rgb, alpha, wedge > 0, truth > 0


def test_the_shade_at_the_top_of_an_arm_gap_goes_and_the_product_stays() -> None:
    rgb, alpha, wedge, truth = _jacket()
    out = drop_notch_shade(rgb, alpha)
    assert (out[wedge] < 128).mean() > 0.8
    assert (out[truth] >= 128).mean() > 0.995


@pytest.mark.parametrize(
    "case",
    [
        {"product": (238, 236, 233)},  # a white product: its own shade is the paper's grey
        {"busy": True},  # a patterned backdrop
        {"product": (150, 148, 146)},  # a grey product: its shade and the paper's look alike
    ],
)
def test_it_is_left_alone_where_shade_cannot_be_told_from_product(case: dict) -> None:
    rgb, alpha, _, _ = _jacket(**case)
    assert drop_notch_shade(rgb, alpha) is alpha


def test_a_grey_part_of_a_product_on_its_outline_outside_a_notch_stays() -> None:
    """A grey patch on a straight stretch of outline (a label, a buckle) is no notch."""
    rgb, alpha, _, truth = _jacket()
    patch = np.zeros_like(alpha, bool)
    patch[300:360, 400:421] = True  # on the body's straight right side
    rgb[patch] = (120, 118, 116)
    out = drop_notch_shade(rgb, alpha)
    assert (out[patch] >= 128).all()


def test_the_demo_jackets_armpits_lose_their_shade(demo_dir) -> None:
    """The demo jacket (a render on paper with its exact mask): the mask's wrong pixels under the
    arms, where u2netp filled the paper's shade, are more than halved, and nothing else is lost."""
    loaded = load_image(demo_dir / "images" / "jacket.jpg")
    truth = np.asarray(Image.open(demo_dir / "masks" / "jacket.png").convert("L"))
    work = masking.working_copy(loaded.array)
    alpha, _, _ = masking.auto_mask(work)
    truth = cv2.resize(truth, alpha.shape[::-1], interpolation=cv2.INTER_NEAREST) >= 128
    before = _without_notch_rule(work)
    extra = lambda a: int(((a >= 128) & ~truth).sum())  # noqa: E731
    missing = lambda a: int(((a < 128) & truth).sum())  # noqa: E731
    assert extra(alpha) < 0.75 * extra(before)
    assert missing(alpha) <= missing(before) + 50
    assert masking.mask_iou(alpha, truth.astype(np.uint8) * 255) > masking.mask_iou(
        before, truth.astype(np.uint8) * 255
    )


def _without_notch_rule(work: np.ndarray) -> np.ndarray:
    original = masking.drop_notch_shade
    masking.drop_notch_shade = lambda rgb, alpha: alpha
    try:
        return masking.auto_mask(work)[0]
    finally:
        masking.drop_notch_shade = original
