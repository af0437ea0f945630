"""The cut-out's outermost opaque ring, re-weighed by its colour. A cut-out model's mask, enlarged to
the photo, often calls the pixel where product and old background blend fully opaque; kept, it is a
one-pixel line of the old background round the product (a pale seam under a sneaker's sole that makes
it hover over a dark floor). Such a pixel's colour C lies between the product's colour F just inside
and the background's B just outside, so its coverage is the projection of C - B on F - B; the ring
gets that alpha, kept at least half (the outline stays the model's), and the edge decontamination
then gives it the product's colour."""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.pixels import where
from core.imaging.refine import bounds

MIN_CONTRAST = 30.0
"""Smallest distance (RGB, 0-255) between the product's and the background's colour for the
projection to be trusted (a cream sole on white paper is still 60 apart)."""
KEEP = 0.85
"""A ring pixel whose estimated coverage is at least this stays opaque."""
HALF = 128
"""Lowest alpha a ring pixel is given: the outline (alpha >= 128) is the model's, only its blend
changes."""


def unmix_rim(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """`alpha` with its outermost opaque pixels lowered to the coverage their colour shows."""
    box = bounds(alpha > 0, pad=12)
    if box is None:
        return alpha
    y0, y1, x0, x1 = box
    out = alpha.copy()
    out[y0:y1, x0:x1] = _unmix(np.ascontiguousarray(rgb[y0:y1, x0:x1]), alpha[y0:y1, x0:x1])
    return out


def _unmix(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    opaque = alpha == 255
    ring = opaque & ~cv2.erode(opaque.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    ys, xs = where(ring)
    if ys.size == 0:
        return alpha
    f, b, ok = _across(rgb, alpha, ys, xs)
    c = rgb[ys, xs].astype(np.float32)
    d = f - b
    norm = (d * d).sum(1)
    cover = ((c - b) * d).sum(1) / np.maximum(norm, 1.0)
    lower = ok & (norm >= MIN_CONTRAST**2) & (cover < KEEP)
    if not lower.any():
        return alpha
    out = alpha.copy()
    # kept at least half covered: the outline stays where the model put it (the decontamination
    # gives these pixels the product's colour, so what showed of the old background is gone)
    out[ys[lower], xs[lower]] = np.clip(cover[lower] * 255.0 + 0.5, HALF, 254).astype(np.uint8)
    return out


def _across(rgb: np.ndarray, alpha: np.ndarray, ys: np.ndarray, xs: np.ndarray):
    """For each ring pixel, the product's colour right behind it (two pixels inward across the edge: a
    sole's dark bottom bevel, not the cream above it) and the background's just beyond it (three
    pixels outward); `ok` where those pixels are opaque and clear."""
    h, w = alpha.shape
    soft = cv2.blur(alpha, (5, 5)).astype(np.int16)  # the edge's direction, from a box-blurred alpha
    gy = (soft[np.minimum(ys + 1, h - 1), xs] - soft[np.maximum(ys - 1, 0), xs]).astype(np.float32)
    gx = (soft[ys, np.minimum(xs + 1, w - 1)] - soft[ys, np.maximum(xs - 1, 0)]).astype(np.float32)
    n = np.maximum(np.hypot(gx, gy), 1e-6)
    gy, gx = gy / n, gx / n

    def at(step: float) -> tuple[np.ndarray, np.ndarray]:
        iy = np.clip(np.rint(ys + step * gy).astype(np.int32), 0, h - 1)
        ix = np.clip(np.rint(xs + step * gx).astype(np.int32), 0, w - 1)
        return iy, ix

    fi, bi = at(2.0), at(-3.0)
    ok = (alpha[fi] == 255) & (alpha[bi] == 0) & (n > 1e-3)
    return rgb[fi].astype(np.float32), rgb[bi].astype(np.float32), ok
