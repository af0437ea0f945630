"""The old backdrop's shade kept in a notch of the outline: where a sleeve meets a body (a jacket's
armpit), a handle meets a bag, a leg meets a plinth, the product shades the paper or wall it was shot
on, and the cut-out model, smoothing the outline at its 320 px, fills the narrow wedge of shade as
product. Reviewers see it as "grey leftovers under the arms".

Such shade is the backdrop's own colour darkened: the same chromaticity (r, g, b shares) as the plain
backdrop round the product, and darker. It sits within a short reach of the outline, in a notch (the
product fills most of a disc round it), and opens onto the outside. Only a plain backdrop (one
chromaticity all round) is read, since on a busy one its "colour" says nothing; and only a product
whose own colours are tinted away from the backdrop's, since a white dog on grey paving shades its own
fur the paving's grey.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.colours import sample
from core.imaging.refine import bounds

REACH = 0.05
"""How far into the product (share of its longest side) a notch's shade can reach."""
FILLED = 0.6
"""A notch: the product fills at least this share of a disc of radius REACH round the pixel."""
TINT = 0.015
"""Shade has the backdrop's chromaticity within this (largest difference of r, g, b shares)..."""
DARK = 0.92
"""...and is darker than this share of the backdrop's brightness."""
PLAIN = 0.012
"""The backdrop is plain when its band's chromaticity spread (median absolute deviation of the
shares, worst channel) is at most this."""
MOST = 0.3
"""A notch's shade is a sliver: at most this share of the product's area within REACH of its edge
goes (more says the 'shade' is the product's own grey)."""
NEUTRAL = 2.5
NEUTRAL_SHARE = 0.05
"""A product more than NEUTRAL_SHARE of whose inside is within NEUTRAL x TINT of the backdrop's tint is
left alone: its own shade and the backdrop's cannot be told apart."""
SIDE = 512
"""Longest side (px) of the product's box at which the shade is read."""


def drop_notch_shade(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """`alpha` without the backdrop's shade filled into notches of its outline (unchanged when there
    is none, or the backdrop is not plain)."""
    solid = (alpha >= 128).view(np.uint8)
    box = bounds(solid > 0, 0)
    if box is None:
        return alpha
    side = max(box[1] - box[0], box[3] - box[2])
    reach = max(3, round(REACH * side))
    h, w = alpha.shape
    y0, y1 = max(0, box[0] - 2 * reach), min(h, box[1] + 2 * reach)
    x0, x1 = max(0, box[2] - 2 * reach), min(w, box[3] + 2 * reach)
    on = np.ascontiguousarray(solid[y0:y1, x0:x1])
    q = min(1.0, SIDE / max(y1 - y0, x1 - x0))  # read on a small copy: a wedge is tens of pixels wide
    if q < 1:
        size = (max(8, round((x1 - x0) * q)), max(8, round((y1 - y0) * q)))
        small = cv2.resize(rgb[y0:y1, x0:x1], size, interpolation=cv2.INTER_LINEAR)
        small_on = (cv2.resize(on * np.uint8(255), size, interpolation=cv2.INTER_LINEAR) >= 128).view(
            np.uint8
        )
    else:
        small, small_on = np.ascontiguousarray(rgb[y0:y1, x0:x1]), on
    found = _shade(small, small_on, max(3, round(reach * q)))
    if found is None:
        return alpha
    if q < 1:
        found = cv2.resize(
            found.view(np.uint8) * np.uint8(255), on.shape[::-1], interpolation=cv2.INTER_LINEAR
        )
        found = found >= 64  # a little past the half: no grey rim of the shade stays at its edge
    drop = found & (on > 0)
    out = alpha.copy()
    out[y0:y1, x0:x1][drop] = 0
    return out


def _shade(crop: np.ndarray, on: np.ndarray, reach: int) -> np.ndarray | None:
    """The notch shade (boolean, `crop`'s size) of the product `on` (0/1) in `crop`, or None."""
    inside = cv2.distanceTransform(on, cv2.DIST_L2, 3)  # to the outline, from within
    band = (on == 0) & (cv2.distanceTransform(1 - on, cv2.DIST_L2, 3) <= reach)  # the backdrop round it
    edge = (on > 0) & (inside <= reach)  # the product within reach of its outline
    body = (on > 0) & ~edge
    ring = np.flatnonzero(band)
    if ring.size < 100 or np.count_nonzero(edge) < 50 or np.count_nonzero(body) < 50:
        return None
    ref, spread, bright = _backdrop(crop, ring[:: max(1, ring.size // 4000)])
    if spread > PLAIN:
        return None
    inner = sample(body)
    if (_tint(crop, inner, ref)[0] < NEUTRAL * TINT).mean() > NEUTRAL_SHARE:
        return None  # a product with the backdrop's tint (a white dog on grey paving) shades itself so
    filled = cv2.blur(on * np.uint8(255), (2 * reach + 1, 2 * reach + 1), borderType=cv2.BORDER_CONSTANT)
    candidates = np.flatnonzero(edge & (filled >= FILLED * 255))  # near the outline, in a notch
    if candidates.size == 0:
        return None
    tint, total = _tint(crop, candidates, ref)
    candidates = candidates[(tint < TINT) & (total < DARK * bright)]
    if candidates.size == 0:
        return None
    shade = np.zeros(on.shape, bool)
    shade.flat[candidates] = True
    shade = cv2.medianBlur(shade.view(np.uint8) * np.uint8(255), 5) > 127
    shade &= on > 0
    # only shade that opens onto the backdrop: a grey patch inside the product is its own
    n, labels = cv2.connectedComponents(shade.view(np.uint8), connectivity=8)
    if n < 2:
        return None
    outside = cv2.dilate((on == 0).view(np.uint8), np.ones((3, 3), np.uint8)) > 0
    touching = np.zeros(n, bool)
    touching[np.unique(labels[outside & shade])] = True
    touching[0] = False
    drop = touching[labels]
    if not drop.any() or np.count_nonzero(drop) > MOST * np.count_nonzero(edge):
        return None
    return drop


def _tint(crop: np.ndarray, flat: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the pixels `flat` picks: how far their chromaticity is from `ref` (worst share), and their
    brightness (r + g + b)."""
    shares, total = _shares(crop, flat)
    return np.abs(shares - ref).max(axis=1), total


def _backdrop(crop: np.ndarray, flat: np.ndarray) -> tuple[np.ndarray, float, float]:
    """The backdrop's chromaticity (r, g, b shares), their spread (worst channel's median absolute
    deviation) and its median brightness (r + g + b), from the pixels `flat` picks."""
    shares, total = _shares(crop, flat)
    ref = np.median(shares, axis=0)
    return ref, float(np.median(np.abs(shares - ref), axis=0).max()), float(np.median(total))


def _shares(crop: np.ndarray, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The r, g, b shares (chromaticity, the same under shade) and brightness of the pixels `flat` picks."""
    px = crop.reshape(-1, 3)[flat].astype(np.float32)
    total = px.sum(axis=1) + 1.0
    return px / total[:, None], total
