"""Edge colour decontamination: the cut-out's rim gets the product's own colour, not the old background's.

A photo's edge pixels mix product and background (C = αF + (1 − α)B). Keeping C leaves a halo of the
old background (red netting along an eagle's head, a dark pad under a jar) on every new background.
`core.imaging.foreground` estimates F for the edge band's pixels, at the working size, and only the
band's semi-transparent pixels are replaced, so the product's own (opaque) pixels are never touched.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.foreground import WIDE_SCALE, estimate_foreground
from core.imaging.masking import WORK_SIDE
from core.imaging.pixels import where
from core.imaging.refine import bounds

"""Longest side at which the foreground is estimated (the same working size as the mask)."""
BAND_PX = 4
"""Half-width (px at working size) of the band around the mask's edge whose colours are re-estimated."""
UNMIX_SIGMA = 1.5
"""The mask is crisp, but a photo's edge blends over a pixel or two: the estimate uses the mask softened
by this much (px at working size), so rim pixels the mask calls opaque can still be unmixed."""


def decontaminate(rgb: np.ndarray, alpha: np.ndarray, *, work_side: int = WORK_SIDE) -> np.ndarray:
    """`rgb` (uint8, H×W×3) with the edge band's colours replaced by the estimated product colour.

    Only the band's semi-transparent pixels change: fully opaque pixels are the product's own and are
    never repainted, and pixels farther than the band from the mask's edge keep their exact values.
    """
    h, w = alpha.shape
    scale = min(1.0, work_side / max(h, w))
    if scale < 1:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        work_rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        work_a = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
    else:
        work_rgb, work_a = rgb, alpha
    band = _band(work_a)
    box = bounds(band, pad=4 * BAND_PX)
    if box is None:
        return rgb
    y0, y1, x0, x1 = _whole(box, work_a.shape)
    soft = cv2.GaussianBlur(work_a[y0:y1, x0:x1].astype(np.float32) / 255.0, (0, 0), UNMIX_SIGMA)
    sub_band = band[y0:y1, x0:x1]
    out = rgb.copy()
    if scale == 1:
        targets = sub_band & (alpha[y0:y1, x0:x1] < 255)
        ys, xs = where(targets)
        out[y0 + ys, x0 + xs] = _to_uint8(estimate_foreground(work_rgb[y0:y1, x0:x1], soft, targets))
        return out
    fg8 = work_rgb[y0:y1, x0:x1].copy()  # the band's estimate in the box, resized to the photo below
    fg8[sub_band] = _to_uint8(estimate_foreground(fg8, soft, sub_band))
    # back to the photo's size: the box in photo pixels, the estimate and the band resized into it
    fy0, fy1 = int(y0 / scale), min(h, int(np.ceil(y1 / scale)))
    fx0, fx1 = int(x0 / scale), min(w, int(np.ceil(x1 / scale)))
    size = (fx1 - fx0, fy1 - fy0)
    big_band = cv2.resize(sub_band.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    big_fg = cv2.resize(fg8, size, interpolation=cv2.INTER_LINEAR)
    ys, xs = where((big_band > 0) & (alpha[fy0:fy1, fx0:fx1] < 255))
    out[fy0 + ys, fx0 + xs] = big_fg[ys, xs]
    return out


def _whole(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The box grown (within the image) to whole multiples of WIDE_SCALE: the foreground's wide pass
    shrinks it by that factor, and OpenCV's area resize is 2-3x slower for a fractional one."""
    out = list(box)
    for lo, hi, length in ((0, 1, shape[0]), (2, 3, shape[1])):
        want = out[hi] - out[lo] + (out[lo] - out[hi]) % WIDE_SCALE
        if want <= length:
            out[hi] = min(length, out[lo] + want)
            out[lo] = out[hi] - want
    return out[0], out[1], out[2], out[3]


def _to_uint8(colours: np.ndarray) -> np.ndarray:
    return (colours * 255.0 + 0.5).astype(np.uint8)


def _band(alpha: np.ndarray) -> np.ndarray:
    """Pixels within BAND_PX of the mask's edge, plus every semi-transparent pixel (worked out on the
    box around the mask, grown by the band: nothing outside it is near an edge)."""
    band = np.zeros(alpha.shape, bool)
    box = bounds(alpha > 0, BAND_PX + 1)
    if box is None:
        return band
    y0, y1, x0, x1 = box
    crop = alpha[y0:y1, x0:x1]
    solid = (crop >= 128).view(np.uint8)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * BAND_PX + 1, 2 * BAND_PX + 1))
    band[y0:y1, x0:x1] = (cv2.dilate(solid, k) != cv2.erode(solid, k)) | ((crop > 0) & (crop < 255))
    return band
