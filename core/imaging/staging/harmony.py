"""Matching the scene to the product, never the reverse: the backdrop is as sharp (or as soft) as the
product and carries the same grain, and at most a gentle exposure / white-balance nudge moves the
product toward the scene's light, bounded so its mean colour stays within ΔE 3 of the photo."""

from __future__ import annotations

import cv2
import numpy as np

DELTA_E_MAX = 3.0
"""Largest colour change of the product allowed (CIE76 on the interior's mean Lab, D65)."""
_NUDGE_BUDGET = 1.5
"""ΔE the nudge aims at: half the allowance, so rounding never takes it past DELTA_E_MAX."""
_TILE = 256
IN_FOCUS = 600.0
"""`qa.sharpness` from which a photo counts as fully in focus (every in-focus photo measured ≥ 890)."""


def focus_sigma(upscale: float, sharpness: float) -> float:
    """Blur (canvas px) of the product as placed: an enlarged photo is soft by about half its
    enlargement, and a soft photo (`qa.sharpness` under IN_FOCUS) softer still."""
    soft = float(np.clip((IN_FOCUS - sharpness) / IN_FOCUS, 0.0, 1.0))
    return 0.35 + 0.5 * max(upscale - 1.0, 0.0) + 1.2 * soft * max(upscale, 1.0) ** 0.5


def grain_level(rgb: np.ndarray, mask: np.ndarray) -> float:
    """The photo's noise (robust std of the fine residual inside the product, in 0..255 grey levels),
    measured at full resolution on a window of at most 384 px round the product's centre."""
    ys, xs = np.nonzero(mask[::8, ::8] >= 250)
    if ys.size == 0:
        return 0.0
    cy, cx = int(np.median(ys)) * 8, int(np.median(xs)) * 8
    y0, x0 = max(0, cy - 192), max(0, cx - 192)
    rgb, mask = rgb[y0 : y0 + 384, x0 : x0 + 384], mask[y0 : y0 + 384, x0 : x0 + 384]
    grey = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    inner = cv2.erode((mask >= 250).astype(np.uint8), np.ones((7, 7), np.uint8)) > 0
    if inner.sum() < 200:  # too little solid product in the window to judge
        return 0.0
    resid = grey.astype(np.float32) - cv2.medianBlur(grey, 3).astype(np.float32)
    return float(np.clip(1.4826 * np.median(np.abs(resid[inner])), 0.0, 6.0))


def add_grain(img: np.ndarray, level: float, seed: int) -> np.ndarray:
    """The photo's grain on the backdrop: a tiled noise field added with saturating uint8 kernels
    (cheap at any size)."""
    if level < 0.4:
        return img
    rng = np.random.default_rng(seed + 7)
    tile = np.clip(np.rint(rng.normal(0.0, level, (_TILE, _TILE))), -127, 127).astype(np.int16)
    h, w = img.shape[:2]
    field = np.tile(tile, (h // _TILE + 1, w // _TILE + 1))[:h, :w]
    up = cv2.cvtColor(np.clip(field, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    down = cv2.cvtColor(np.clip(-field, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2RGB)
    return cv2.subtract(cv2.add(img, up), down)


_LINEAR = np.where(
    np.arange(256) / 255.0 <= 0.04045,
    np.arange(256) / 255.0 / 12.92,
    ((np.arange(256) / 255.0 + 0.055) / 1.055) ** 2.4,
)
"""sRGB code value to linear light."""
_LINEAR_LUT = np.repeat(_LINEAR.astype(np.float32)[:, None], 3, axis=1).reshape(256, 1, 3)
_RGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_D65 = np.array([0.95047, 1.0, 1.08883])


def mean_lab(rgb: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Mean CIE Lab (D65) of the pixels `where` is true: the mean is taken in linear light first."""
    if not where.any():
        return np.zeros(3)
    linear = cv2.LUT(np.ascontiguousarray(rgb), _LINEAR_LUT)
    lin = np.array(cv2.mean(linear, mask=where.astype(np.uint8))[:3])
    xyz = _RGB_TO_XYZ @ lin / _D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(rgb_a: np.ndarray, rgb_b: np.ndarray, where: np.ndarray) -> float:
    """CIE76 distance between the mean Lab of two images over the same pixels."""
    return float(np.linalg.norm(mean_lab(rgb_a, where) - mean_lab(rgb_b, where)))


def interior(alpha: np.ndarray) -> np.ndarray:
    """The product away from its edge (where its colour is judged)."""
    k = max(3, int(min(alpha.shape) * 0.01) | 1)
    inner = cv2.erode((alpha >= 250).astype(np.uint8), np.ones((k, k), np.uint8)) > 0
    return inner if inner.sum() >= 50 else alpha >= 250


GRADE_CONTRAST = 0.06
"""Strength of the grade's S-curve (share of the tone range)."""
GRADE_WARMTH = 0.015
"""How much warmer (red up, blue down) the grade makes the highlights."""


def _grade_curve() -> np.ndarray:
    """The house grade as a (256, 3) table: a gentle S-curve (a little contrast) and a
    touch of warmth in the highlights, as a photographer's finishing would give the whole frame."""
    x = np.arange(256, dtype=np.float64) / 255.0
    s = x - GRADE_CONTRAST * np.sin(2.0 * np.pi * x) / (2.0 * np.pi)
    warm = np.array([1.0 + GRADE_WARMTH, 1.0, 1.0 - GRADE_WARMTH])
    out = s[:, None] * (1.0 + (warm[None, :] - 1.0) * x[:, None])
    return np.clip(out * 255.0 + 0.5, 0, 255)


_GRADE = _grade_curve()
_GRADE_LUT = _GRADE.astype(np.uint8).reshape(256, 1, 3)


def grade(img: np.ndarray) -> np.ndarray:
    """The scene with the house grade applied in full (uint8 RGB); the product gets the same grade
    only as far as its colour allows (see `nudge`)."""
    return cv2.LUT(np.ascontiguousarray(img), _GRADE_LUT)


def nudge(rgb: np.ndarray, alpha: np.ndarray, scene_mean: np.ndarray) -> np.ndarray:
    """The product with the scene's grade and a gentle per-channel gain toward the scene's light colour
    (`scene_mean`, RGB 0..255 of the backdrop around it), shrunk until its interior's mean colour moved
    by at most _NUDGE_BUDGET ΔE; the product's pixels are otherwise untouched."""
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return rgb
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    step = max(1, (rows[-1] - rows[0]) // 256)  # the mean colour is judged on a sample of the pixels
    where = interior(alpha[box][::step, ::step])
    if not where.any():
        return rgb
    crop = np.ascontiguousarray(rgb[box])
    sample = np.ascontiguousarray(crop[::step, ::step])
    tint = scene_mean.astype(np.float64) / max(float(scene_mean.mean()), 1.0)
    target = np.clip(tint, 0.94, 1.06)
    before = mean_lab(sample, where)
    for amount in (0.5, 0.3, 0.15, 0.07):
        gains = 1.0 + amount * (target - 1.0)
        curve = np.arange(256)[:, None] + 2.0 * amount * (
            _GRADE - np.arange(256)[:, None]
        )  # the grade, shared
        lut = np.clip(curve * gains[None, :] + 0.5, 0, 255).astype(np.uint8).reshape(256, 1, 3)
        if np.linalg.norm(mean_lab(cv2.LUT(sample, lut), where) - before) <= _NUDGE_BUDGET:
            out = rgb.copy()
            out[box] = cv2.LUT(crop, lut)
            return out
    return rgb


def surroundings(img: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Mean colour (RGB) of the scene around the product's box: the light it stands in."""
    h, w = img.shape[:2]
    x0, y0, x1, y1 = box
    pad = max(x1 - x0, y1 - y0) // 3
    region = np.ascontiguousarray(
        img[max(0, y0 - pad) : min(h, y1 + pad) : 8, max(0, x0 - pad) : min(w, x1 + pad) : 8]
    )
    return np.array(cv2.mean(region)[:3]) if region.size else np.full(3, 128.0)
