"""Placing the cut-out on the canvas: an enlarged product gets its detail back without halos or colour
change; a product placed at its own size is copied exactly."""

from __future__ import annotations

import numpy as np

from core.imaging import compose


def _product(size: int = 120, stripe: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A disc printed with fine stripes (a weave, a label's print) on black, and its mask."""
    yy, xx = np.mgrid[:size, :size]
    stripes = np.where((xx // stripe) % 2 == 0, 200, 80).astype(np.uint8)
    rgb = np.dstack([stripes, stripes, np.full_like(stripes, 120)])
    alpha = (((yy - size / 2) ** 2 + (xx - size / 2) ** 2) < (0.4 * size) ** 2).astype(np.uint8) * 255
    return rgb, alpha


def _placed(rgb: np.ndarray, alpha: np.ndarray, scale: float) -> compose.Layer:
    box = compose.product_box(alpha)
    side = round(rgb.shape[0] * scale) + 20
    return compose.place(rgb, alpha, compose.Placement(box, (side, side), scale, 10, 10))


def _contrast(layer: compose.Layer) -> float:
    """Std of the stripes inside the disc, well away from its rim."""
    inner = layer.alpha == 255
    inner[: layer.alpha.shape[0] // 3] = False
    inner[2 * layer.alpha.shape[0] // 3 :] = False
    return float(layer.rgb[..., 0][inner].std())


def test_an_enlarged_product_gets_back_the_contrast_interpolation_smooths_away():
    rgb, alpha = _product()
    enlarged = _placed(rgb, alpha, 3.0)
    original = float(rgb[..., 0][alpha == 255].std())
    assert _contrast(enlarged) > 0.93 * original, (_contrast(enlarged), original)  # the resample alone: 0.64
    coarser = _product(stripe=2)[0]
    assert _contrast(_placed(coarser, alpha, 3.0)) < 1.2 * original  # not oversharpened
    # the mean colour of the interior is kept (sharpening moves no colour)
    inner = enlarged.alpha == 255
    assert abs(float(enlarged.rgb[inner].mean()) - float(rgb[alpha == 255].mean())) < 3.0


def test_a_flat_product_and_the_rim_are_left_as_resampled():
    rgb, alpha = _product()
    rgb[:] = (150, 90, 40)
    layer = _placed(rgb, alpha, 3.0)
    inner = layer.alpha == 255
    assert np.abs(layer.rgb[inner].astype(int) - (150, 90, 40)).max() <= 1
    rim = (layer.alpha >= 64) & (layer.alpha < 255)  # the visible rim (uint8 premultiplied: +-3)
    assert np.abs(layer.rgb[rim].astype(int) - (150, 90, 40)).max() <= 3  # no halo on the rim


def test_a_product_placed_at_its_own_size_is_copied_exactly():
    rgb, alpha = _product()
    layer = _placed(rgb, alpha, 1.0)
    x0, y0, x1, y1 = compose.product_box(alpha)
    assert np.array_equal(layer.rgb[10 : 10 + y1 - y0, 10 : 10 + x1 - x0], rgb[y0:y1, x0:x1])


def _outline_ripple(alpha: np.ndarray, centre: float, radius: float) -> float:
    """Std (px) of the distance from `centre` at which each ray crosses half cover, less the mean."""
    radii = []
    for angle in np.linspace(0, 2 * np.pi, 720, endpoint=False):
        r = np.arange(0.6 * radius, 1.4 * radius, 0.25)
        ys = np.clip(np.rint(centre + r * np.sin(angle)).astype(int), 0, alpha.shape[0] - 1)
        xs = np.clip(np.rint(centre + r * np.cos(angle)).astype(int), 0, alpha.shape[1] - 1)
        radii.append(r[np.argmax(alpha[ys, xs] < 128)])
    return float(np.std(radii))


def test_an_enlarged_outline_is_a_smooth_curve_not_the_photos_pixel_steps():
    """A round product masked hard on the photo's pixel grid, enlarged 4x: the outline's steps are
    smoothed into a curve (the ripple of its radius falls), and its edge gets no softer."""
    yy, xx = np.mgrid[:60, :60]
    alpha = (((yy - 29.5) ** 2 + (xx - 29.5) ** 2) < 20.0**2).astype(np.uint8) * 255
    rgb = np.full((60, 60, 3), 120, np.uint8)
    box = compose.product_box(alpha)
    layer = compose.place(rgb, alpha, compose.Placement(box, (200, 200), 4.0, 20, 20))
    centre = 20 + (29.5 - box[0] + 0.5) * 4.0 - 0.5
    ripple = _outline_ripple(layer.alpha, centre, 80.0)
    assert ripple < 0.8, ripple  # the resample alone: 0.92 (the ray sampling itself adds about 0.5)
    soft = ((layer.alpha > 25) & (layer.alpha < 230)).sum() / (2 * np.pi * 80)
    assert soft < 2.2, soft  # px of soft edge across the outline (the resample alone: 3.2)


def test_an_enlarged_thin_part_keeps_most_of_its_cover():
    """A strap one photo pixel wide, enlarged 4x, is not rounded away by the outline's smoothing."""
    alpha = np.zeros((40, 40), np.uint8)
    alpha[5:35, 20] = 255
    alpha[20, 5:35] = 255
    rgb = np.full((40, 40, 3), 120, np.uint8)
    layer = compose.place(rgb, alpha, compose.Placement(compose.product_box(alpha), (200, 200), 4.0, 10, 10))
    assert layer.alpha.max(axis=1)[40:100].min() >= 170  # across the vertical strap, every row


def test_the_soft_rim_blends_with_the_shade_just_outside_it_not_the_bare_floor():
    """A floor shadow that stops at the outline (a contact skirt ends where the base begins): the rim's
    half-covered pixels mix the product with that shaded floor, not with the bright floor under the
    product, which left a pale thread round a dark plinth."""
    alpha = np.zeros((80, 80), np.uint8)
    alpha[20:60, 20:60] = 255
    alpha[20:60, 19] = 128  # the soft rim of the left side
    rgb = np.full((80, 80, 3), 40, np.uint8)
    layer = compose.place(rgb, alpha, compose.Placement(compose.product_box(alpha), (80, 80), 1.0, 19, 20))
    floor = np.full((80, 80, 3), 230, np.uint8)
    shadow = np.zeros((80, 80), np.float32)
    shadow[:, :19] = 0.8  # dark to the left of the product, none under it
    out = compose.composite(floor, layer, shadow=shadow, wrap=0.0)
    rim = out[20:60, 19].astype(int)
    shaded = round(230 * 0.2)
    assert abs(int(out[40, 10, 0]) - shaded) <= 1  # the floor beside the product is shaded
    assert rim.max() <= (40 + shaded) / 2 + 3, rim.max()  # without: (40 + 230) / 2 = 135
