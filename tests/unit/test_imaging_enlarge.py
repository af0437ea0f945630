"""A product enlarged from a small photo: the cut-out model's one-pixel wobble along a straight edge
is smoothed away, holes stay open, dents fill, and the rim takes the product's own colour (no pale
thread of the old background)."""

from __future__ import annotations

import numpy as np

from core.imaging import compose

SCALE = 3.0


def _layer(rgb: np.ndarray, alpha: np.ndarray, scale: float = SCALE) -> compose.Layer:
    box = compose.product_box(alpha)
    w, h = box[2] - box[0], box[3] - box[1]
    canvas = (round(w * scale) + 80, round(h * scale) + 80)
    return compose.place(rgb, alpha, compose.Placement(box, canvas, scale, 40, 40))


def _block(wobble: bool) -> tuple[np.ndarray, np.ndarray]:
    """A dark block 60 x 30 photo px whose top edge, as a cut-out model masks it, wobbles by a pixel
    every few pixels (the straight side of a plinth at 400 px reads as torn paper)."""
    alpha = np.zeros((50, 80), np.uint8)
    alpha[15:45, 10:70] = 255
    if wobble:
        for x in range(10, 70, 6):
            alpha[14, x : x + 3] = 255
    rgb = np.full((50, 80, 3), 40, np.uint8)
    return rgb, alpha


def _top_edge_rows(alpha: np.ndarray) -> np.ndarray:
    """Per column over the block's middle, the row (sub-pixel) where cover crosses half, top down."""
    cols = np.arange(alpha.shape[1] // 2 - 60, alpha.shape[1] // 2 + 60)
    rows = []
    for x in cols:
        col = alpha[:, x].astype(float)
        y = int(np.argmax(col >= 128))
        below, above = col[y], col[y - 1]
        rows.append(y - (below - 128) / max(below - above, 1.0))
    return np.asarray(rows)


def test_a_wobbly_straight_edge_comes_out_straight():
    """The mask's one-pixel wobble along a straight edge, enlarged 3x, is smoothed to a tenth of a
    photo pixel (the half-pixel smoothing alone left 0.40 of the photo's 0.5)."""
    rgb, alpha = _block(wobble=True)
    assert np.std(alpha[10:20, 10:70].argmax(axis=0)) > 0.4  # the photo's mask does wobble
    rows = _top_edge_rows(_layer(rgb, alpha).alpha)
    wobble = float(np.std(rows)) / SCALE
    assert wobble < 0.1, wobble  # photo px


def test_a_straight_edge_and_a_corner_stay_where_the_mask_put_them():
    rgb, alpha = _block(wobble=False)
    layer = _layer(rgb, alpha)
    rows = _top_edge_rows(layer.alpha)
    assert abs(float(np.median(rows)) - 39.5) < 0.5  # the edge is not moved (the box starts at 40)
    # the block's corner rounds off, but only near it: 6 photo px along either
    # side the edge is as the straight edge far from the corner, and 1.3 px in it is opaque
    corner = layer.alpha[40:, 40:]
    straight = int(corner[45, 0])
    assert abs(int(corner[18, 0]) - straight) <= 0.1 * straight, (corner[18, 0], straight)
    assert abs(int(corner[0, 18]) - int(corner[0, 60])) <= 0.1 * int(corner[0, 60])
    assert corner[4, 4] == 255


def test_a_hole_through_the_product_stays_open_and_a_dent_in_its_outline_fills():
    """A ring's hole two photo pixels across (a chain link, a handle) is kept; a dent of the same size
    in the outline, the model's error, is smoothed away and painted in the product's colour."""
    yy, xx = np.mgrid[:60, :60]
    r2 = (yy - 30) ** 2 + (xx - 30) ** 2
    alpha = ((r2 < 20**2) & (r2 >= 2**2)).astype(np.uint8) * 255
    alpha[11:13, 29:31] = 0  # a dent at the top of the outline (the disc's top row is 11)
    rgb = np.full((60, 60, 3), (150, 60, 30), np.uint8)
    layer = _layer(rgb, alpha)
    box = compose.product_box(alpha)
    centre = 40 + round((30 - box[0] + 0.5) * SCALE) - 1
    assert layer.alpha[centre, centre] == 0  # the hole
    dent_y = 40 + round((12.5 - box[1]) * SCALE)  # the dent's lower row, in the canvas
    assert layer.alpha[dent_y, centre] == 255  # the dent filled
    assert np.abs(layer.rgb[dent_y, centre].astype(int) - (150, 60, 30)).max() <= 2


def test_the_enlarged_rim_takes_the_products_colour_not_the_old_backgrounds():
    """A dark product whose edge pixels still hold the pale paving it stood on (the blend a cut-out
    keeps even after decontamination): every visible rim pixel comes out the product's colour."""
    rgb, alpha = _block(wobble=True)
    alpha = alpha.copy()
    solid = alpha == 255
    ring = solid & ~(
        np.roll(solid, 1, 0) & np.roll(solid, -1, 0) & np.roll(solid, 1, 1) & np.roll(solid, -1, 1)
    )
    alpha[ring] = 150
    rgb[ring] = 190  # the old background's pale colour left in the blend
    layer = _layer(rgb, alpha)
    rim = (layer.alpha >= 32) & (layer.alpha < 255)
    assert rim.sum() > 300
    assert np.abs(layer.rgb[rim].astype(int) - 40).max() <= 8, layer.rgb[rim].max()


def test_a_product_at_its_own_size_is_not_retouched():
    rgb, alpha = _block(wobble=True)
    layer = _layer(rgb, alpha, scale=1.0)
    box = compose.product_box(alpha)
    x0, y0, x1, y1 = box
    assert np.array_equal(layer.alpha[40 : 40 + y1 - y0, 40 : 40 + x1 - x0], alpha[y0:y1, x0:x1])


def test_a_translucent_pane_inside_the_product_keeps_its_own_colour():
    """Only the rim is repainted: a small half-clear pane (tinted glass in a red frame) is not."""
    alpha = np.zeros((40, 40), np.uint8)
    alpha[8:32, 8:32] = 255
    alpha[18:22, 18:22] = 128
    rgb = np.full((40, 40, 3), (190, 40, 40), np.uint8)
    rgb[18:22, 18:22] = (40, 60, 200)
    layer = _layer(rgb, alpha)
    centre = 40 + round((20 - 8) * SCALE)
    assert np.abs(layer.rgb[centre, centre].astype(int) - (40, 60, 200)).max() <= 10, layer.rgb[
        centre, centre
    ]
