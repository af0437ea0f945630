"""Solid cut-outs: opaque inside (thin parts included), soft only at the rim; surface debris under
the base dropped; uploaded (possibly translucent) masks untouched."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

from core.imaging import masking, refine
from core.imaging.debris import drop_base_debris
from core.imaging.io import LoadedImage


class _FakeNet:
    """Stands in for the rembg session: returns a fixed 320 px soft prediction."""

    def __init__(self, pred: np.ndarray):
        self.inner_session = self
        self._pred = pred.astype(np.float32)

    def get_inputs(self):
        return [type("Input", (), {"name": "x"})()]

    def run(self, _outputs, _feeds):
        return [self._pred[None, None]]


def _stool(size: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """A saturated orange seat on two 4 px grey metal legs (little contrast with the card), on a grey
    card."""
    img = np.full((size, size, 3), 200, np.uint8)
    truth = np.zeros((size, size), np.uint8)
    truth[80:300, 120:280] = 255
    truth[300:370, 140:144] = 255
    truth[300:370, 256:260] = 255
    img[truth > 0] = (230, 110, 20)
    img[300:][truth[300:] > 0] = (185, 180, 175)
    return img, truth


def _unsure_prediction(truth: np.ndarray, sure: float) -> np.ndarray:
    """What a 320 px network says about thin legs: a blurred response that peaks at `sure`."""
    small = cv2.resize(truth.astype(np.float32) / 255, (320, 320), interpolation=cv2.INTER_AREA)
    soft = cv2.GaussianBlur(small, (0, 0), 1.5)
    legs = np.zeros_like(soft)
    legs[int(300 * 0.8) :] = 1
    return np.where(legs > 0, np.minimum(soft, sure), soft)


@pytest.mark.parametrize("sure", [0.5, 0.53])
def test_thin_parts_come_out_opaque_not_ghosts(sure):
    img, truth = _stool()
    pred = _unsure_prediction(truth, sure)
    # the old chain (no solidify) leaves the legs semi-transparent: the ghost this guards against
    soft, _ = masking.predict_soft(img, _FakeNet(pred))
    old = refine.feather(refine.sharpen_alpha(refine.guided_upsample(soft, img)), masking.EDGE_FEATHER)
    leg_core = np.zeros_like(truth, bool)
    leg_core[305:365, 141:143] = leg_core[305:365, 257:259] = True
    assert (old[leg_core] < 200).all()

    alpha, source, _ = masking.auto_mask(img, session=_FakeNet(pred))
    assert source == "u2netp"
    assert masking.mask_iou(alpha, truth) > 0.99
    solid = (alpha >= 128).astype(np.uint8)
    inside = cv2.distanceTransform(solid, cv2.DIST_L2, 3)
    interior = inside >= refine.SOLID_FROM_PX
    assert (alpha[leg_core] == 255).all()  # the legs are found and solid
    assert (alpha[interior] == 255).all()  # and every interior pixel of the seat is opaque
    # the soft band is a thin rim: every semi-transparent pixel lies within ~2 px of the contour
    # (GHOST_PX, reached through a 5 px disc: √5 at most, a little more in OpenCV's L2 estimate)
    outside = cv2.distanceTransform(1 - solid, cv2.DIST_L2, 3)
    partial = (alpha > 0) & (alpha < 255)
    assert partial.any() and (np.maximum(inside, outside)[partial] <= 2.5).all()


def test_solidify_keeps_the_contour_and_drops_far_haze():
    alpha = np.zeros((100, 100), np.uint8)
    alpha[20:80, 20:80] = 150  # a half-sure body
    alpha[20:80, 19] = 90  # its rim
    alpha[5:10, 90:95] = 60  # faint haze away from the product
    out = refine.solidify(alpha)
    assert ((out >= 128) == (alpha >= 128)).all()
    assert (out[25:75, 25:75] == 255).all()
    assert out[30, 19] == 90 and (out[5:10, 90:95] == 0).all()


def _jar_scene(reflection: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An orange jar on a dark table seen side-on: returns the photo, the jar's true mask and a
    network-style mask that also holds the table strip (or the reflection) under the jar's base."""
    h = w = 400
    img = np.full((h, w, 3), 215, np.uint8)  # the wall
    img[300:] = (70, 48, 34) if not reflection else (38, 38, 42)  # the table top, from the base down
    truth = np.zeros((h, w), np.uint8)
    cv2.ellipse(truth, (200, 140), (60, 20), 0, 0, 360, 255, -1)
    truth[140:300, 140:261] = 255
    jar = np.array([225, 120, 30], float)
    img[truth > 0] = jar.astype(np.uint8)
    predicted = truth.copy()
    if reflection:
        for y in range(300, 350):  # the jar mirrored in the glossy top, fading with depth
            k = 0.22 * (1 - (y - 300) / 50)
            img[y, 140:261] = (k * jar + (1 - k) * np.array([38, 38, 42])).astype(np.uint8)
        predicted[300:350, 140:261] = 255
    else:
        predicted[300:322, 132:270] = 255  # the table's front edge under the base
    rng = np.random.default_rng(0)
    img = np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8)
    return img, truth, predicted


def test_dark_table_strip_under_the_base_is_dropped():
    img, truth, predicted = _jar_scene(reflection=False)
    out = drop_base_debris(img, predicted)
    assert masking.mask_iou(predicted, truth) < 0.93
    assert masking.mask_iou(out, truth) > 0.99
    assert (out[302:] < 128).all()


def test_reflection_under_the_base_is_dropped():
    img, truth, predicted = _jar_scene(reflection=True)
    out = drop_base_debris(img, predicted)
    assert masking.mask_iou(predicted, truth) < 0.85
    assert masking.mask_iou(out, truth) > 0.99


def test_a_product_without_debris_is_left_alone():
    img, truth, _ = _jar_scene(reflection=False)
    assert (drop_base_debris(img, truth) == truth).all()
    stool, legs = _stool()
    assert (drop_base_debris(stool, legs) == legs).all()  # thin legs are the product's own


def test_uploaded_soft_masks_keep_their_translucency():
    img, truth = _stool(120)
    soft = (truth * 0.6).astype(np.uint8)  # a glass product's honest alpha, 0.6 everywhere
    soft[40:50, 50:60] = 200
    loaded = LoadedImage(rgb=Image.fromarray(img))
    result = masking.compute_mask(loaded, mask=soft)
    assert (result.mask == soft).all()


def test_a_missed_part_of_the_product_is_filled_but_a_real_opening_stays_open():
    """The network often misses a patch inside a product (a sole's side, a label) and leaves a large
    enclosed hole: it is product-coloured, so it is filled; a bag handle's opening shows the grey card
    and stays open, however large."""
    img = np.full((400, 400, 3), 200, np.uint8)
    img[60:340, 60:340] = (40, 70, 160)  # a blue product
    img[180:300, 180:300] = 200  # a real opening: the card shows through
    img[80:140, 80:200] = (170, 120, 60)  # a tan patch on the product the network misses
    alpha = np.zeros((400, 400), np.uint8)
    alpha[60:340, 60:340] = 255
    alpha[180:300, 180:300] = 0
    alpha[80:140, 80:200] = 0  # 7,200 px: far above the pinhole limit (320 px)
    out = refine.fill_holes(alpha, img)
    assert (out[80:140, 80:200] == 255).all()
    assert (out[185:295, 185:295] == 0).all()
    # without the photo only pinholes are filled: both large holes stay
    plain = refine.fill_holes(alpha)
    assert (plain[80:140, 80:200] == 0).all() and (plain[185:295, 185:295] == 0).all()


def _shadowed_shoe(dark_product: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A tan product on light grey paper, its own speckled floor shadow (the paper darkened) under a
    sloping base, and a predicted mask that took that shadow in: (photo, truth, prediction)."""
    rng = np.random.default_rng(5)
    img = np.clip(rng.normal(219, 4, (320, 400, 3)), 0, 255).astype(np.uint8)
    truth = np.zeros((320, 400), np.uint8)
    sole = np.array([[80, 90], [330, 90], [330, 230], [80, 200]], np.int32)
    cv2.fillConvexPoly(truth, sole, 255)
    shadow = np.zeros_like(truth)
    cv2.fillConvexPoly(shadow, sole + [0, 10], 255)
    shadow[truth > 0] = 0
    speckle = np.clip(rng.normal(68, 14, (320, 400, 1)), 0, 255) * np.array([1.0, 0.97, 0.94])
    img[shadow > 0] = speckle.astype(np.uint8)[shadow > 0]
    img[truth > 0] = (60, 58, 56) if dark_product else (205, 150, 90)
    return img, truth, np.maximum(truth, shadow)


def test_the_photos_own_floor_shadow_under_the_base_is_dropped():
    img, truth, predicted = _shadowed_shoe(dark_product=False)
    out = drop_base_debris(img, predicted) >= 128
    shadow = (predicted > 0) & (truth == 0)
    assert out[shadow].mean() < 0.1  # the darkened paper under the sole is gone
    assert out[truth > 0].mean() > 0.995  # the sole itself stays


def test_a_dark_product_keeps_its_dark_base():
    img, truth, _ = _shadowed_shoe(dark_product=True)
    assert (drop_base_debris(img, truth) == truth).all()  # dark like a shadow, but it is the product


def _toe_shade(patches: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A tan product on light paper whose prediction took in the paper's contact shade under part of
    its base only: one flat strip under the toe (`patches=1`) or two dark spots as wide together
    (`patches=2`).
    Returns (photo, truth, prediction); the prediction's last two rows are the shade's lighter rim."""
    rng = np.random.default_rng(7)
    img = np.clip(rng.normal(219, 4, (320, 400, 3)), 0, 255).astype(np.uint8)
    truth = np.zeros((320, 400), np.uint8)
    truth[90:220, 40:360] = 255
    img[truth > 0] = (205, 150, 90)
    shade = np.zeros_like(truth)
    spans = [(260, 350)] if patches == 1 else [(70, 115), (260, 305)]
    for x0, x1 in spans:
        shade[220:229, x0:x1] = 255
        img[220:227, x0:x1] = (70, 68, 64)
        img[227:229, x0:x1] = (170, 166, 160)  # its soft rim, where it fades into the paper
    predicted = np.maximum(truth, shade)
    return img, truth, predicted


def test_a_contact_shade_strip_under_the_toe_alone_is_dropped():
    """The demo sneaker's cut-out kept the paper's dark contact shade under its toe (a strip under a
    fifth of the base, many times wider than thick): it is the floor, not the product."""
    img, truth, predicted = _toe_shade(patches=1)
    out = drop_base_debris(img, predicted) >= 128
    assert out[(predicted > 0) & (truth == 0)].mean() < 0.1
    assert out[truth > 0].mean() > 0.995


def test_dark_spots_here_and_there_under_the_base_stay():
    """Two dark spots under a base are not a shadow strip (a capybara's feet, a pair of sandals
    in ECSSD): the rule leaves them to the network."""
    img, _, predicted = _toe_shade(patches=2)
    assert (drop_base_debris(img, predicted) == predicted).all()
