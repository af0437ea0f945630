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

from core.imaging.pixels import as_pixels, thrice

FUSION_RADII = (90, 6)
"""Box sizes (px at the size it runs at) of the wide and the narrow pass (the paper's)."""
WIDE_SCALE = 4
"""The wide pass runs at 1/WIDE_SCALE of the size (its box is 90 px: the means barely change)."""
_EPS = 1e-5


def estimate_foreground(rgb: np.ndarray, alpha: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """F (float32 0..1, N×3) at the N pixels where `targets` is set, in `np.nonzero` order, for
    `rgb` (uint8 H×W×3) under soft `alpha` (float32 0..1, H×W)."""
    h, w = alpha.shape
    spot = np.flatnonzero(targets)
    if spot.size == 0:
        return np.zeros((0, 3), np.float32)
    wide, narrow = FUSION_RADII
    mean_f, mean_b = _wide_means(rgb, alpha, wide)
    pixels = as_pixels(rgb)
    soft = alpha.reshape(-1)  # read by flat index (np.take: several times numpy's 2-D fancy index)
    # the narrow pass on the tiles that hold targets, each with the box's reach around it, stacked
    # into one tall image: a target's box mean reads only its own tile. The first pass's F and B are
    # needed only where some target's box reads (a third of the tiles' pixels); elsewhere zero.
    ty, tx = np.divmod(spot, w)
    tiles, at = _tiles(ty, tx, (h, w))
    per_row = -(-w // TILE)
    rows, cols = _padded(tiles // per_row, h), _padded(tiles % per_row, w)
    size = rows.shape[1]
    ly, lx = at * size + ty % TILE + _BEFORE, tx % TILE + _BEFORE
    reach = np.zeros((tiles.size * size, size), np.uint8)
    reach[ly, lx] = 1
    reach = cv2.dilate(reach, _REACH, anchor=(_BEFORE - 1, _BEFORE - 1))
    at_px = np.flatnonzero(reach.view(bool))  # 0/1: a boolean, numpy's fast path
    sr, sc = np.divmod(at_px, size)  # the stacked image's row is `rows`' flat index (tile, its row)
    ys, xs = np.take(rows, sr), np.take(cols, sr - sr % size + sc)
    px = ys * w + xs
    a1 = np.take(soft, px).reshape(-1, 1)
    a = thrice(a1)  # α per channel: numpy broadcasting an N×1 over N×3 is 10x slower
    f1, b1 = _sample((mean_f, mean_b), (h, w), ys, xs)
    f1 = np.clip(_correct(_unit(pixels, ys, xs), a, f1, b1), 0.0, 1.0)
    # box means of F·α with α and of B·(1 − α) (4 channels each: OpenCV's 4-channel kernels); the
    # values are scattered as whole pixels (viewed as one 16-byte item: a quarter of the time)
    k = (narrow, narrow)
    at_t = ly * size + lx
    means = _box_means(cv2.merge(((f1 * a).reshape(-1, 1, 3), a1)), at_px, reach.shape, k, at_t)
    mean_a = thrice(means[:, 3])
    f2 = np.ascontiguousarray(means[:, :3]) / (mean_a + _EPS)
    back = _box_means(cv2.merge(((b1 * (1.0 - a)).reshape(-1, 1, 3), a1)), at_px, reach.shape, k, at_t)
    b2 = np.ascontiguousarray(back[:, :3]) / (1.0 - mean_a + _EPS)
    a = thrice(np.take(soft, spot))
    return np.clip(_correct(_unit(pixels, ty, tx), a, f2, b2), 0.0, 1.0)


def _box_means(
    values: np.ndarray, at: np.ndarray, shape: tuple[int, int], k: tuple[int, int], read: np.ndarray
) -> np.ndarray:
    """Box means (kernel `k`) of an image of `shape` that is zero but for the 4-channel float32
    `values` at flat indices `at`, read at flat indices `read`: N×4."""
    img = np.zeros((*shape, 4), np.float32)
    img.reshape(-1).view(np.complex128)[at] = values.reshape(-1, 4).view(np.complex128)[:, 0]
    return np.take(cv2.blur(img, k).reshape(-1, 4), read, axis=0)


def _unit(pixels: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """The colours of `pixels` (see `pixels.as_pixels`) at (ys, xs), as N×3 float32 0..1."""
    return pixels[ys, xs].view(np.uint8).reshape(-1, 3).astype(np.float32) / 255.0


TILE = 16
"""Side (px) of the squares the narrow pass runs on: the rim is a tenth of the product's box."""
_BEFORE = FUSION_RADII[1] // 2
"""An even box reads this many pixels before its pixel (OpenCV's anchor) and one fewer after it."""
_REACH = np.ones((FUSION_RADII[1], FUSION_RADII[1]), np.uint8)
"""Dilating the targets by the narrow box (anchored one short of its centre) marks every pixel it reads."""


def _tiles(ys: np.ndarray, xs: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The TILE-px tiles holding the pixels (ys, xs), in order, and which of them each pixel is in."""
    per_row = -(-size[1] // TILE)
    ids = (ys // TILE) * per_row + xs // TILE
    used = np.zeros(-(-size[0] // TILE) * per_row, np.intp)
    used[ids] = 1
    tiles = np.flatnonzero(used)
    order = np.cumsum(used) - 1
    return tiles, order[ids]


def _padded(starts: np.ndarray, length: int) -> np.ndarray:
    """Rows (or columns) of each tile with the narrow box's reach before and after it, beyond the
    region's edge reflected as OpenCV reflects its border (reflect-101), so values match a whole-
    region blur."""
    idx = starts[:, None] * TILE + np.arange(-_BEFORE, TILE + FUSION_RADII[1] - _BEFORE - 1)[None, :]
    if length == 1:
        return np.zeros_like(idx)
    period = 2 * (length - 1)
    idx = np.abs(idx) % period
    return np.where(idx >= length, period - idx, idx)


def _wide_means(rgb: np.ndarray, alpha: np.ndarray, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """The wide pass's alpha-weighted local means of F and B, at 1/WIDE_SCALE of the size."""
    h, w = alpha.shape
    size = (max(1, round(w / WIDE_SCALE)), max(1, round(h / WIDE_SCALE)))
    img = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    a = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    k = (max(1, round(radius / WIDE_SCALE)),) * 2
    a = cv2.merge((a, a, a))  # α per channel (numpy broadcasting H×W×1 over H×W×3 is 10x slower)
    blur_a = cv2.blur(a, k)
    blur_fa = cv2.blur(img * a, k)
    mean_f = blur_fa / (blur_a + _EPS)
    mean_b = (cv2.blur(img, k) - blur_fa) / (1.0 - blur_a + _EPS)  # F = B = the image in this pass
    return mean_f, mean_b


def _sample(
    smalls: tuple[np.ndarray, ...], size: tuple[int, int], ys: np.ndarray, xs: np.ndarray
) -> list[np.ndarray]:
    """Bilinear values of reduced-size maps (all of one size) at the full-size pixels (ys, xs): N×3
    each (one set of maps serves them all)."""
    h, w = size
    sh, sw = smalls[0].shape[:2]
    n = ys.size
    width = 4096  # remap's maps must be under 32767 on each side: lay the points out in rows
    rows = -(-n // width)
    mx = np.zeros(rows * width, np.float32)
    my = np.zeros(rows * width, np.float32)
    mx[:n] = (xs + 0.5) * (sw / w) - 0.5
    my[:n] = (ys + 0.5) * (sh / h) - 0.5
    mx, my = mx.reshape(rows, width), my.reshape(rows, width)
    return [
        cv2.remap(small, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).reshape(-1, 3)[:n]
        for small in smalls
    ]


def _correct(image: np.ndarray, a: np.ndarray, mean_f: np.ndarray, mean_b: np.ndarray) -> np.ndarray:
    """F such that αF + (1 − α)B reproduces the pixel, starting from the local mean of F."""
    return mean_f + a * (image - a * mean_f - (1.0 - a) * mean_b)
