"""What a retoucher does to a product enlarged from a small photo: a smooth outline, the product's own
colour out to its rim, and the edge contrast interpolation smoothed away.

A 400 px photo placed on a 1200 px canvas is enlarged about three times, and everything the cut-out
model got wrong by a pixel grows with it: its outline wobbles by a photo pixel along a straight edge
(a plinth's side reads as torn paper), and the pixel where product and old background blend becomes a
pale or dark thread round the product. All three steps work on the placed (enlarged) product only.
"""

from __future__ import annotations

import cv2
import numpy as np

FROM_SCALE = 1.3
"""Enlargement from which the placed product is finished here (below it, the photo's own pixels are
sharp enough and its outline's steps too small to see)."""
OUTLINE_PX = 2.0
"""Photo pixels over which the outline is smoothed: a wobble of a pixel along a few pixels of edge goes
(a straight edge reads straight), while corners round off by about this much."""
THIN_PX = 1.5
"""Half-width (photo px) below which a part is thin (a strap, a chain, a shoelace): it keeps its
outline smoothed only by half a pixel, or the smoothing would erase it."""


def margin(scale: float) -> int:
    """Canvas pixels round the product that `finish` may reach into (its outline's smoothing)."""
    return int(np.ceil(3.0 * OUTLINE_PX * scale)) + 2


def finish(rgb: np.ndarray, alpha: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The enlarged product's colours and coverage (uint8, the same sizes) finished for `scale`."""
    if scale < FROM_SCALE:
        return rgb, alpha
    smooth = _smooth_outline(alpha, scale)
    rgb, coloured = _extend_colour(rgb, alpha, smooth, scale)
    smooth = cv2.copyTo(smooth, coloured, np.zeros_like(smooth))  # no pixel of unknown colour shows
    return _restore_detail(rgb, smooth, scale), smooth


def _smooth_outline(alpha: np.ndarray, scale: float) -> np.ndarray:
    """A mean-curvature smoothing: the coverage blurred over OUTLINE_PX photo pixels and steepened back
    round half cover, so a wobble shorter than a few photo pixels flattens while the edge stays as
    crisp as before. Thin parts keep a half-pixel smoothing (a one-pixel strap at 4x keeps its cover),
    and the outline moves at most a photo pixel past where the product reached (a dent fills, nothing
    the product did not touch appears)."""
    fine = _steepened(alpha, 0.5 * scale)
    broad = _steepened(alpha, OUTLINE_PX * scale)
    solid = cv2.compare(alpha, 127, cv2.CMP_GT)
    r = max(1, round(THIN_PX * scale))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    thick = cv2.morphologyEx(solid, cv2.MORPH_OPEN, disc)
    # a thin part is what the opening took away farther than its radius from what it kept (a step of
    # the outline the opening shaves off lies within that reach: it is outline, not a strap)
    thin = cv2.dilate(cv2.subtract(solid, cv2.dilate(thick, disc)), disc)
    out = cv2.copyTo(cv2.max(fine, broad), thin, broad)
    step = max(1, round(scale))
    reach = cv2.dilate(alpha, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * step + 1,) * 2))
    reach = cv2.copyTo(alpha, _holes(solid, step), reach)  # a handle's or a chain link's hole stays open
    return cv2.min(out, cv2.multiply(reach, 3))  # saturating uint8


def _steepened(alpha: np.ndarray, sigma: float) -> np.ndarray:
    k = max(1.0, 1.2 * sigma)
    return cv2.addWeighted(_blur(alpha, sigma), k, alpha, 0.0, 127.5 * (1.0 - k))


def _blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur; a wide one is worked out at half size (it is smooth: the same to a level)."""
    if sigma < 4.0 or min(img.shape[:2]) < 16:
        return cv2.GaussianBlur(img, (0, 0), sigma)
    h, w = img.shape[:2]
    half = cv2.resize(img, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    return cv2.resize(cv2.GaussianBlur(half, (0, 0), sigma / 2), (w, h), interpolation=cv2.INTER_LINEAR)


def _shrink(img: np.ndarray, step: int) -> np.ndarray:
    """An area average over `step` x `step` blocks (the size cropped to whole blocks: OpenCV's exact
    integer-factor path, several times faster than a fractional one)."""
    h, w = img.shape[:2]
    hs, ws = max(1, h // step), max(1, w // step)
    return cv2.resize(img[: hs * step, : ws * step], (ws, hs), interpolation=cv2.INTER_AREA)


def _holes(solid: np.ndarray, step: int) -> np.ndarray:
    """Background the product encloses (255), as opposed to the outside, which reaches the canvas's
    edge: a dent in the outline may fill, a hole may not. Found at about the photo's size (`step`
    canvas px a pixel)."""
    h, w = solid.shape
    small = _shrink(solid, step)
    count, labels = cv2.connectedComponents(cv2.compare(small, 128, cv2.CMP_LT), connectivity=4)
    border = np.unique(np.concatenate((labels[0], labels[-1], labels[:, 0], labels[:, -1])))
    inside = np.full(count, 255, np.uint8)
    inside[border] = 0
    inside[0] = 0  # label 0: the product itself
    grown = cv2.resize(inside[labels], None, fx=step, fy=step, interpolation=cv2.INTER_NEAREST)
    gh, gw = grown.shape
    return cv2.copyMakeBorder(grown, 0, h - gh, 0, w - gw, cv2.BORDER_REPLICATE)


def _extend_colour(
    rgb: np.ndarray, alpha: np.ndarray, smooth: np.ndarray, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """Every pixel the smoothed outline covers but the product's own opaque pixels do not takes the
    colour of the opaque product next to it. The photo's blend pixel, even decontaminated, keeps some of
    the old background (a pale thread along a dark plinth); the product's own colour a photo pixel in is
    what a retoucher's defringe paints there. Worked out at about the photo's size (the colour a pixel
    or two in is smooth). Also returns where the colour is known (the product reached the pixel, or
    opaque product is near)."""
    reached = cv2.compare(alpha, 0, cv2.CMP_GT)
    step = max(1, round(scale))
    # the rim only: within two photo pixels of the outside (a glass's own translucency is left alone)
    rim = cv2.dilate(cv2.compare(alpha, 0, cv2.CMP_EQ), np.ones((4 * step + 1,) * 2, np.uint8))
    edge = cv2.bitwise_and(cv2.compare(smooth, 0, cv2.CMP_GT), cv2.compare(alpha, 255, cv2.CMP_LT))
    edge = cv2.bitwise_and(edge, rim)
    ys, xs = np.nonzero(edge)
    if ys.size == 0:
        return rgb, reached
    inside = cv2.erode(cv2.compare(alpha, 255, cv2.CMP_EQ), np.ones((3, 3), np.uint8))  # a pixel in
    # shrunk in float: uint8 block averages of a colour and of its weight, divided, are off by a level
    weight = cv2.GaussianBlur(_shrink(inside.astype(np.float32), step), (0, 0), 1.0)
    colour = cv2.GaussianBlur(_shrink(cv2.copyTo(rgb, inside).astype(np.float32), step), (0, 0), 1.0)
    # read at each edge pixel's place in the small copy (block centres at (i + 0.5) * step)
    at_w, at_c = _sample((weight, colour), (xs + 0.5) / step - 0.5, (ys + 0.5) / step - 0.5)
    near = at_w > 0.02 * 255.0
    out = rgb.copy()
    out[ys[near], xs[near]] = np.clip(at_c[near] * 255.0 / at_w[near, None] + 0.5, 0, 255).astype(np.uint8)
    known = reached.copy()
    known[ys[near], xs[near]] = 255
    return out, known


def _sample(images: tuple[np.ndarray, ...], x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    """Each image read bilinearly at the points (x, y): a value (or a colour) per point."""
    n, width = x.size, 1024  # OpenCV's remap takes fewer than 32767 rows: the points in rows of 1024
    rows = -(-n // width)
    mx = np.zeros(rows * width, np.float32)
    my = np.zeros(rows * width, np.float32)
    mx[:n], my[:n] = x, y
    mx, my = mx.reshape(rows, width), my.reshape(rows, width)
    out = []
    for img in images:
        got = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        out.append(got.reshape(rows * width, *img.shape[2:])[:n])
    return out


def _restore_detail(rgb: np.ndarray, alpha: np.ndarray, scale: float) -> np.ndarray:
    """An enlarged photo is soft by about half its enlargement: an unsharp mask of that radius, its
    strength growing with the enlargement, restores edge contrast (what a retoucher does after
    upscaling). Only the opaque interior is sharpened, so the rim gets no halo; flat colour, and so the
    product's mean colour, is unchanged."""
    amount = min(0.8, 0.45 * (scale - 1.0))  # more brings out the photo's JPEG blocks
    blur = cv2.GaussianBlur(rgb, (0, 0), 0.45 * scale)
    sharp = cv2.addWeighted(rgb, 1.0 + amount, blur, -amount, 0.0)  # saturating uint8
    reach = 2 * int(np.ceil(0.9 * scale)) + 1  # beyond the blur's reach into the transparent outside
    inner = cv2.erode(cv2.compare(alpha, 255, cv2.CMP_EQ), np.ones((reach, reach), np.uint8))
    return cv2.copyTo(sharp, inner, rgb)
