"""How far the photo's camera looked down on the product, read from its silhouette: a round base
(a plate, a bowl, a jar, a pot) seen from above is an ellipse whose depth over width is the sine of
the angle the camera looked down at it. The scene's camera then looks down as steeply, so a plate shot
from above lies on a floor seen from above instead of floating in front of a wall."""

from __future__ import annotations

import math

import cv2
import numpy as np

FIT = 0.035
"""Largest RMS distance (share of the half-width) of a base's outline from its fitted ellipse."""
MIN_SHARE = 0.25
"""A piece of the product narrower than this share of the whole is not read (a knob, a stray leaf)."""
MIN_TILT = 0.12
"""A flatter ellipse (depth over width) says nothing: a sole's rounded toe looks like one."""
MAX_LOOK = math.radians(55.0)
"""Steepest look-down the scene follows; steeper than this, the photo is a flat-lay."""


def look_down(alpha: np.ndarray) -> float | None:
    """The angle (radians) the photo's camera looked down at the product, when the product's pieces
    stand on round bases that show it; None when the outline does not say (a shoe, a car, a statue)."""
    solid = (alpha >= 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    if n < 2:
        return None
    lefts, widths = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_WIDTH]
    total = float((lefts + widths).max() - lefts.min())
    angles, weights = [], []
    for i in np.flatnonzero(widths >= MIN_SHARE * total) + 1:
        x, y, w, h = (int(v) for v in stats[i, :4])
        tilt = _ellipse_tilt(labels[y : y + h, x : x + w] == i)
        if tilt is None:
            return None  # one main piece that is not round says the reading is not to be trusted
        angles.append(math.asin(min(tilt, 1.0)))
        weights.append(w)
    if not angles:
        return None
    angle = float(np.average(angles, weights=weights))
    return min(angle, MAX_LOOK) if angle >= math.asin(MIN_TILT) else None


def _ellipse_tilt(piece: np.ndarray) -> float | None:
    """Depth over width of the ellipse the piece's lower outline follows, or None when it is not one:
    per column the lowest pixel is fitted as `centre + depth * sqrt(1 - t^2)` (t from -1 at the left
    side to 1 at the right)."""
    h, w = piece.shape
    if w < 24 or h < 8:
        return None
    has = piece.any(axis=0)
    if has.mean() < 0.98:
        return None
    low = (h - 1 - np.argmax(piece[::-1], axis=0)).astype(np.float64)
    a = w / 2.0
    t = (np.arange(w) + 0.5 - a) / a
    s = np.sqrt(np.clip(1.0 - t * t, 0.0, 1.0))
    design = np.stack([np.ones(w), s], 1)
    (centre, depth), *_ = np.linalg.lstsq(design, low, rcond=None)
    resid = low - design @ np.array([centre, depth])
    if depth <= 0 or math.sqrt(float(np.mean(resid**2))) > FIT * a:
        return None
    return float(depth / a)
