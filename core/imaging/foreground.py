"""Foreground colour estimation for a photo's soft edge: which colour F the product has at a pixel that
mixes it with the old background (C = αF + (1 − α)B).

Blur fusion (Forte & Pitié, "Approximate fast foreground colour estimation", ICIP 2021): local means of
F and B weighted by alpha, each pixel's F then corrected so that αF + (1 − α)B reproduces it; a wide
pass, then a narrow one seeded with the first's F and B. Only a few pixels are asked for (the mask's
rim), so the wide pass, whose means are smooth at its radius, runs at a quarter of the size and is
sampled where needed, and the narrow pass's per-pixel arithmetic runs only within its reach of the
pixels asked for. On the 60 shared photos composited over green its rim error matches pymatting's
multilevel estimate (29.0 vs 29.3, ΔRGB) at a fraction of the time, with no numba start-up.
"""

from __future__ import annotations

import cv2
import numpy as np

FUSION_RADII = (90, 6)
"""Box sizes (px at the size it runs at) of the wide and the narrow pass (the paper's)."""
WIDE_SCALE = 4
"""The wide pass runs at 1/WIDE_SCALE of the size (its box is 90 px: the means barely change)."""
_EPS = 1e-5


def estimate_foreground(rgb: np.ndarray, alpha: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """F (float32 0..1, N×3) at the N pixels where `targets` is set, in `np.nonzero` order, for
    `rgb` (uint8 H×W×3) under soft `alpha` (float32 0..1, H×W)."""
    h, w = alpha.shape
    if not targets.any():
        return np.zeros((0, 3), np.float32)
    wide, narrow = FUSION_RADII
    near = cv2.dilate(targets.astype(np.uint8), np.ones((2 * narrow + 1,) * 2, np.uint8))
    reach = np.flatnonzero(near)  # the pixels the narrow pass reads
    ys, xs = np.divmod(reach, w)
    mean_f, mean_b = _wide_means(rgb, alpha, wide)
    f1, b1 = _sample(mean_f, (h, w), ys, xs), _sample(mean_b, (h, w), ys, xs)
    flat_a = alpha.reshape(-1)
    a = flat_a[reach][:, None]
    f1 = np.clip(_correct(rgb[ys, xs].astype(np.float32) / 255.0, a, f1, b1), 0.0, 1.0)
    k = (narrow, narrow)
    # box means of F·α with α (4 channels) and of B·(1 − α) (3): OpenCV's 3/4-channel kernels
    fa, ba = np.zeros((h, w, 4), np.float32), np.zeros((h, w, 3), np.float32)
    fa.reshape(-1, 4)[reach, :3] = f1 * a
    fa[..., 3] = alpha
    ba.reshape(-1, 3)[reach] = b1 * (1.0 - a)
    spot = np.flatnonzero(targets)
    means = cv2.blur(fa, k).reshape(-1, 4)[spot]
    mean_a = means[:, 3:]
    f2 = means[:, :3] / (mean_a + _EPS)
    b2 = cv2.blur(ba, k).reshape(-1, 3)[spot] / (1.0 - mean_a + _EPS)
    ty, tx = np.divmod(spot, w)
    a = flat_a[spot][:, None]
    return np.clip(_correct(rgb[ty, tx].astype(np.float32) / 255.0, a, f2, b2), 0.0, 1.0)


def _wide_means(rgb: np.ndarray, alpha: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """The wide pass's alpha-weighted local means of F and B, at 1/WIDE_SCALE of the size."""
    h, w = alpha.shape
    size = (max(1, round(w / WIDE_SCALE)), max(1, round(h / WIDE_SCALE)))
    img = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    a = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    k = (max(1, round(radius / WIDE_SCALE)),) * 2
    blur_a = cv2.blur(a, k)[..., None]
    blur_fa = cv2.blur(img * a[..., None], k)
    mean_f = blur_fa / (blur_a + _EPS)
    mean_b = (cv2.blur(img, k) - blur_fa) / (1.0 - blur_a + _EPS)  # F = B = the image in this pass
    return mean_f, mean_b


def _sample(small: np.ndarray, size: tuple[int, int], ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """Bilinear values of a reduced-size map at full-size pixels (ys, xs): N×3."""
    h, w = size
    sh, sw = small.shape[:2]
    n = ys.size
    width = 4096  # remap's maps must be under 32767 on each side: lay the points out in rows
    rows = -(-n // width)
    mx = np.zeros(rows * width, np.float32)
    my = np.zeros(rows * width, np.float32)
    mx[:n] = (xs + 0.5) * (sw / w) - 0.5
    my[:n] = (ys + 0.5) * (sh / h) - 0.5
    out = cv2.remap(
        small,
        mx.reshape(rows, width),
        my.reshape(rows, width),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return out.reshape(-1, small.shape[2])[:n]


def _correct(image: np.ndarray, a: np.ndarray, mean_f: np.ndarray, mean_b: np.ndarray) -> np.ndarray:
    """F such that αF + (1 − α)B reproduces the pixel, starting from the local mean of F."""
    return mean_f + a * (image - a * mean_f - (1.0 - a) * mean_b)
