"""Colour distances for mask decisions (is this patch product, backdrop or its shadow?): CIE Lab,
a few k-means colour centres of a region, and each pixel's distance (ΔE76) to the nearest centre.

Lab is computed only for the pixels a decision reads (`lab_at`), never for the whole photo: the
conversion is per pixel, so a region's sample costs what the sample costs."""

from __future__ import annotations

import cv2
import numpy as np

_SAMPLE = 5_000
"""Pixels k-means summarises a region by: 20 000 gave the same masks on the demo and 60 shared photos
(bit for bit) at four times the cost."""
_ATTEMPTS = 5
"""k-means restarts (the best kept): with 2, whether a sneaker's navy split into a near-black cluster of
its own, and so whether its floor shadow was dropped, hung on the random start."""


_CODES = np.arange(256, dtype=np.float32)
_LAB_TABLE = cv2.merge((_CODES * (100.0 / 255.0), _CODES - 128.0, _CODES - 128.0)).reshape(256, 1, 3)
"""OpenCV's 8-bit Lab codes -> L 0..100 and a/b centred on 0 (float32), one table lookup."""


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB -> float32 Lab (L 0..100, a/b centred on 0), so distances are ΔE76."""
    return _scaled(cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB))


def _scaled(lab8: np.ndarray) -> np.ndarray:
    """8-bit Lab codes (…×3 uint8) as float32 Lab: a table lookup (numpy's per-channel arithmetic on
    N×3 rows runs 3-element inner loops)."""
    return cv2.LUT(lab8.reshape(-1, 1, 3), _LAB_TABLE).reshape(lab8.shape)


def lab_at(rgb: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """(N, 3) Lab of the pixels of `rgb` (H×W×3 uint8) at flat indices `flat`."""
    if flat.size == 0:
        return np.zeros((0, 3), np.float32)
    return to_lab(np.take(rgb.reshape(-1, 3), flat, axis=0)[:, None])[:, 0]


def lab_rows(rgb: np.ndarray, flat: np.ndarray) -> np.ndarray:
    """`lab_at` for many pixels of a few rows (a product's base): the rows they span are converted
    whole (OpenCV's uint8 Lab, the same per pixel) and the pixels read from them, instead of gathering
    the colours first."""
    if flat.size == 0:
        return np.zeros((0, 3), np.float32)
    w = rgb.shape[1]
    r0, r1 = int(flat[0]) // w, int(flat[-1]) // w + 1
    lab8 = cv2.cvtColor(np.ascontiguousarray(rgb[r0:r1]), cv2.COLOR_RGB2LAB).reshape(-1, 3)
    return _scaled(np.take(lab8, flat - r0 * w, axis=0))  # np.take: numpy's fastest row gather


def sample(on: np.ndarray, limit: int = _SAMPLE) -> np.ndarray:
    """Flat indices of at most `limit` pixels where `on` is set (deterministic: a fixed seed), enough
    for `colour_centres` to summarise the region."""
    # per-row counts: OpenCV's row sum is SIMD, its row max is not (2 ms on a 1024 px mask)
    rows = np.flatnonzero(cv2.reduce(on.view(np.uint8), 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)[:, 0])
    if rows.size == 0:
        return np.zeros(0, np.intp)
    # only the rows that hold the region are scanned (a region is often a band of the photo)
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    flat = np.flatnonzero(on[r0:r1]) + r0 * on.shape[1]
    if flat.size > limit:
        flat = flat[np.random.default_rng(0).choice(flat.size, limit, replace=False)]
    return flat


def colour_centres(samples: np.ndarray, k: int) -> np.ndarray:
    """Up to `k` representative colours of an (N, 3) Lab sample (deterministic: fixed seeds)."""
    if len(samples) > _SAMPLE:
        samples = samples[np.random.default_rng(0).choice(len(samples), _SAMPLE, replace=False)]
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(0)
    _, _, centres = cv2.kmeans(
        samples.astype(np.float32), min(k, len(samples)), None, criteria, _ATTEMPTS, cv2.KMEANS_PP_CENTERS
    )
    return centres


def nearest(samples: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """ΔE76 from each (N, 3) Lab sample to its nearest centre."""
    channels = np.ascontiguousarray(samples.T)  # one centre at a time: no (N, k, 3) temporary
    best = np.full(len(samples), np.inf, np.float32)
    for c in np.asarray(centres, np.float32):
        d = (channels[0] - c[0]) ** 2
        d += (channels[1] - c[1]) ** 2
        d += (channels[2] - c[2]) ** 2
        np.minimum(best, d, out=best)
    return np.sqrt(best)
