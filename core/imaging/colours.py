"""Colour distances for mask decisions (is this patch product, backdrop or its shadow?): CIE Lab,
a few k-means colour centres of a region, and each pixel's distance (ΔE76) to the nearest centre."""

from __future__ import annotations

import cv2
import numpy as np

_SAMPLE = 20_000


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB -> float32 Lab (L 0..100, a/b centred on 0), so distances are ΔE76."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 0] *= 100.0 / 255.0
    lab[..., 1:] -= 128.0
    return lab


def colour_centres(samples: np.ndarray, k: int) -> np.ndarray:
    """Up to `k` representative colours of an (N, 3) Lab sample (deterministic: fixed seeds)."""
    if len(samples) > _SAMPLE:
        samples = samples[np.random.default_rng(0).choice(len(samples), _SAMPLE, replace=False)]
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(0)
    _, _, centres = cv2.kmeans(
        samples.astype(np.float32), min(k, len(samples)), None, criteria, 2, cv2.KMEANS_PP_CENTERS
    )
    return centres


def nearest(samples: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """ΔE76 from each (N, 3) Lab sample to its nearest centre."""
    return np.sqrt(((samples[:, None, :] - centres[None]) ** 2).sum(-1)).min(1)
