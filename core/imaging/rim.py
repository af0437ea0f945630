"""The cut-out's outermost opaque ring, re-weighed by its colour. A cut-out model's mask, enlarged to
the photo, often calls the pixel where product and old background blend fully opaque; kept, it is a
one-pixel line of the old background round the product (a pale seam under a sneaker's sole that makes
it hover over a dark floor). Such a pixel's colour C lies between the product's colour F just inside
and the background's B just outside, so its coverage is the projection of C - B on F - B; the ring
gets that alpha (never more than it had), and the edge decontamination then gives it the product's
colour."""

from __future__ import annotations

import cv2
import numpy as np

SIDE = 256
"""Longest side at which the colours either side of the edge are estimated (they change slowly)."""
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
    opaque = alpha == 255
    ring = opaque & ~cv2.erode(opaque.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    ys, xs = np.nonzero(ring)
    if ys.size == 0:
        return alpha
    h, w = alpha.shape
    q = min(1.0, SIDE / max(h, w))
    size = (max(8, round(w * q)), max(8, round(h * q)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    a = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    inside = cv2.erode((a == 255).astype(np.uint8), np.ones((3, 3), np.uint8))
    outside = cv2.erode((a == 0).astype(np.uint8), np.ones((3, 3), np.uint8))
    fg, bg = _spread(small, inside), _spread(small, outside)
    sy = np.clip((ys * q).astype(np.int32), 0, size[1] - 1)
    sx = np.clip((xs * q).astype(np.int32), 0, size[0] - 1)
    f, b = _inside(rgb, alpha, ys, xs, fg[sy, sx]), bg[sy, sx]
    c = rgb[ys, xs].astype(np.float32)
    d = f - b
    norm = (d * d).sum(1)
    cover = ((c - b) * d).sum(1) / np.maximum(norm, 1.0)
    lower = (norm >= MIN_CONTRAST**2) & np.isfinite(f).all(1) & np.isfinite(b).all(1) & (cover < KEEP)
    if not lower.any():
        return alpha
    out = alpha.copy()
    # kept at least half covered: the outline stays where the model put it (the decontamination
    # gives these pixels the product's colour, so what showed of the old background is gone)
    out[ys[lower], xs[lower]] = np.clip(cover[lower] * 255.0 + 0.5, HALF, 254).astype(np.uint8)
    return out


def _inside(rgb: np.ndarray, alpha: np.ndarray, ys: np.ndarray, xs: np.ndarray, far: np.ndarray):
    """The product's colour right behind each ring pixel: two pixels inward, across the edge (a sole's
    dark bottom bevel, not the cream above it), where that pixel is opaque; else `far`."""
    h, w = alpha.shape
    pad = 2
    y0, y1 = max(0, int(ys.min()) - pad), min(h, int(ys.max()) + pad + 1)
    x0, x1 = max(0, int(xs.min()) - pad), min(w, int(xs.max()) + pad + 1)
    soft = cv2.GaussianBlur(alpha[y0:y1, x0:x1].astype(np.float32), (0, 0), 1.0)
    gy = cv2.Sobel(soft, cv2.CV_32F, 0, 1, ksize=3)[ys - y0, xs - x0]
    gx = cv2.Sobel(soft, cv2.CV_32F, 1, 0, ksize=3)[ys - y0, xs - x0]
    n = np.maximum(np.hypot(gx, gy), 1e-6)
    iy = np.clip(np.rint(ys + 2 * gy / n).astype(np.int32), 0, h - 1)
    ix = np.clip(np.rint(xs + 2 * gx / n).astype(np.int32), 0, w - 1)
    ok = (alpha[iy, ix] == 255)[:, None]
    return np.where(ok, rgb[iy, ix].astype(np.float32), far)


def _spread(img: np.ndarray, where: np.ndarray, sigma: float = 2.0) -> np.ndarray:
    """The colours of `img` on `where`, spread to the pixels nearby (a normalised blur); NaN where
    nothing of `where` is near."""
    wgt = cv2.GaussianBlur(where.astype(np.float32), (0, 0), sigma)
    acc = cv2.GaussianBlur(img * where[..., None], (0, 0), sigma)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(wgt[..., None] > 1e-3, acc / wgt[..., None], np.nan).astype(np.float32)
