"""Background pockets: where the old background shows through the product (between a statue's legs,
inside a handbag's handle loop, between a chair's legs) a cut-out model's mask is filled, and the old
pavement stays in the cut-out. Such a pocket is coloured like the background just outside the product
and unlike the product, large, and hemmed in by the product on (nearly) every side.

So: the colours of the local background (a band outside the mask) and of the product (its interior)
are summarised as coarse Lab histograms; each interior pixel gets the share of the two that says
background. Regions that are strongly background-like, wide, large and enclosed are the pockets;
their pixels then leave the product's model and the test is repeated (GrabCut-style), since a filled
pocket first counts as product itself. Prints and textures of the product are kept: a pocket holds
the background's range of colours and is as busy as the background (a flat print of the pavement's
grey is one grey, and smooth). The network's soft mask cannot confirm a pocket: u2netp is as sure of
the gorilla's leg gap (0.999) as of the gorilla. The work is done on a small copy of the product's
box; the pocket's edge is then re-decided at full size (at half size for a pocket nearly as large
as the product) and given the outline's soft band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from core.imaging.refine import bounds

SIDE = 128
"""Longest side (px) of the product's box at which the colour models and regions are worked out."""
BAND = 0.1
"""Width of the background band outside the mask, as a share of the product's longest side."""
LIKELY = 0.65
"""Share of background in a pixel's colour (after a 5x5 mean) from which it can belong to a pocket."""
MIN_SHARE = 0.01
"""A pocket is at least this share of the product's area..."""
MIN_WIDTH = 0.04
"""...at least this share of the product's longest side wide (its widest inscribed disc)..."""
ENCLOSED = 0.9
"""...with at least this share of its border on the product (not its outline)..."""
MIN_OVERLAP = 0.8
"""...its colours spread like the background's (Bhattacharyya coefficient of the histograms)..."""
TEXTURE = 1.5
"""...and as busy as the background of those colours: its median gradient within this factor of the
band's (a flat print on a mottled pavement, or a product's own detailed part, is not a hole)."""
SPECK = 0.05
"""Islands of product colour inside a pocket smaller than this share of it go with it."""
ROUNDS = 2
"""Times the product's model is built: once with the whole mask, once without the pockets found."""
CANDIDATES = 8
"""The largest background-like regions examined per round (the speed budget holds on any photo)."""
EDGE_SHARE = 0.5
"""At full size, a pixel within reach of the pocket's enlarged edge is background from this share."""
EDGE_PIXELS = 60_000
"""Largest pocket box (px) whose edge is re-decided at full size; a larger one at a half or a third
(bounds the cost of a pocket the size of the product)."""
_BINS = (8, 16, 16)


@dataclass(frozen=True)
class _Scene:
    """The small copy's facts every round reads: colour bins, the mask, the background band."""

    index: np.ndarray  # each pixel's colour bin
    solid: np.ndarray  # the mask
    inner: np.ndarray  # the mask less its outermost pixels
    band: np.ndarray  # the background band round the mask
    background: np.ndarray  # the band's colour histogram
    area: int  # pixels of the mask
    side: float  # the product's longest side (px)


def carve_pockets(rgb: np.ndarray, alpha: np.ndarray, *, feather: float = 1.0) -> np.ndarray:
    """`alpha` (uint8, the photo's size) with enclosed background pockets made transparent; their rim
    gets a soft band of `feather` px like the outline. Unchanged when there is none."""
    box = bounds(alpha >= 128, 0)
    if box is None:
        return alpha
    h, w = alpha.shape
    pad = int(BAND * max(box[1] - box[0], box[3] - box[2])) + 4
    y0, y1, x0, x1 = max(0, box[0] - pad), min(h, box[1] + pad), max(0, box[2] - pad), min(w, box[3] + pad)
    crop_rgb, crop_a = rgb[y0:y1, x0:x1], alpha[y0:y1, x0:x1]
    side = max(box[1] - box[0], box[3] - box[2])
    scale = min(1.0, SIDE / max(y1 - y0, x1 - x0))
    if scale < 1:
        size = (max(8, round((x1 - x0) * scale)), max(8, round((y1 - y0) * scale)))
        small_rgb = _shrink(crop_rgb, size)
        small_a = cv2.resize(crop_a, size, interpolation=cv2.INTER_LINEAR)
    else:
        small_rgb, small_a = np.ascontiguousarray(crop_rgb), crop_a
    found = _find(small_rgb, small_a >= 128, scale * side)
    if found is None:
        return alpha
    pocket, table = found
    # the pocket's own box (with room for its edge to move) in the photo, where its edge is re-decided
    sh, sw = pocket.shape
    fy, fx = (y1 - y0) / sh, (x1 - x0) / sw
    pocket_box = bounds(pocket, 2)
    if pocket_box is None:
        return alpha
    sy0, sy1, sx0, sx1 = pocket_box
    py0, py1, px0, px1 = round(sy0 * fy), round(sy1 * fy), round(sx0 * fx), round(sx1 * fx)
    sub = (slice(y0 + py0, y0 + py1), slice(x0 + px0, x0 + px1))
    step = max(1, math.ceil(math.sqrt((py1 - py0) * (px1 - px0) / EDGE_PIXELS)))
    size = ((px1 - px0) // step, (py1 - py0) // step)
    coarse = pocket[sy0:sy1, sx0:sx1].view(np.uint8) * np.uint8(255)
    coarse = cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR)
    box_rgb, box_a = rgb[sub], alpha[sub]
    if step > 1:  # bilinear: a halving averages 2x2 exactly
        box_rgb = cv2.resize(box_rgb, size, interpolation=cv2.INTER_LINEAR)
        box_a = cv2.resize(box_a, size, interpolation=cv2.INTER_LINEAR)
    carve = _edge(box_rgb, box_a >= 128, coarse, table, round(max(fy, fx) / step) + 1)
    if step > 1:
        carve = cv2.resize(carve.view(np.uint8) * np.uint8(255), (px1 - px0, py1 - py0)) >= 128
    out = alpha.copy()
    out[sub] = _soften(alpha[sub], carve, feather)
    return out


def _shrink(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`rgb` resized to `size`: a bilinear step to twice the size, then OpenCV's exact 2x2 area
    average (a fractional area resize of a 1024 px box costs 1.5 ms, this a sixth of it)."""
    w, h = size
    if 2 * w < rgb.shape[1] and 2 * h < rgb.shape[0]:
        rgb = cv2.resize(rgb, (2 * w, 2 * h), interpolation=cv2.INTER_LINEAR)
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


def _bin_index(rgb: np.ndarray) -> np.ndarray:
    """Each pixel's bin of a coarse 8-bit Lab histogram (L in 8 steps, a and b in 16)."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    l_, a, b = cv2.split(lab)
    return ((l_ >> 5).astype(np.int32) << 8) | ((a >> 4).astype(np.int32) << 4) | (b >> 4).astype(np.int32)


def _hist(index: np.ndarray, on: np.ndarray) -> np.ndarray:
    """The colour histogram of the pixels `on` selects, smoothed across neighbouring bins, summing to 1."""
    counts = np.bincount(index[on], minlength=int(np.prod(_BINS))).astype(np.float32).reshape(_BINS)
    for axis in range(3):  # a [1 3 1] / 5 kernel along each axis (the bins' edges are arbitrary)
        smooth = counts * np.float32(0.6)
        lo = [slice(None)] * 3
        hi = [slice(None)] * 3
        lo[axis], hi[axis] = slice(None, -1), slice(1, None)
        smooth[tuple(hi)] += np.float32(0.2) * counts[tuple(lo)]
        smooth[tuple(lo)] += np.float32(0.2) * counts[tuple(hi)]
        counts = smooth
    flat = counts.reshape(-1)
    return flat / max(float(flat.sum()), 1e-6)


def _find(rgb: np.ndarray, solid: np.ndarray, side: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The pockets of the (small) mask `solid` and the background-share table they were found with."""
    u8 = solid.view(np.uint8)
    area = cv2.countNonZero(u8)
    reach = max(2, round(BAND * side))
    band = (cv2.dilate(u8, np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0) & ~solid
    if area < 50 or np.count_nonzero(band) < 50:
        return None
    inner = cv2.erode(u8, np.ones((3, 3), np.uint8)) > 0
    index = _bin_index(rgb)
    scene = _Scene(index, solid, inner, band, _hist(index, band), area, side)
    pocket = np.zeros_like(solid)
    table = scene.background
    for _ in range(ROUNDS):
        table = scene.background / (scene.background + _hist(index, inner & ~pocket) + 1e-6)
        share = cv2.blur(table[index], (5, 5))
        found = _regions(scene, share, rgb)
        if np.array_equal(found, pocket):
            break
        pocket = found
    return (_with_specks(pocket), table) if pocket.any() else None


def _regions(scene: _Scene, share: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """The background-like regions of the mask's interior that pass every test of a pocket."""
    likely = (share >= LIKELY) & scene.inner
    # OpenCV's labelling without its statistics (those cost five times the labelling on a small copy)
    n, labels = cv2.connectedComponents(likely.view(np.uint8), connectivity=8)
    out = np.zeros_like(scene.solid)
    sizes = np.bincount(labels.reshape(-1), minlength=n)
    sizes[0] = 0
    large = np.argsort(-sizes)[:CANDIDATES]
    large = large[sizes[large] >= MIN_SHARE * scene.area]
    if large.size == 0:
        return out
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grad = cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    near = scene.band & (share >= LIKELY)  # the background of the colours a pocket has
    busy = max(float(np.median(grad[near])), 1.0) if near.any() else np.inf
    for i in large:
        ys, xs = np.nonzero(labels == i)
        box = (slice(max(0, ys.min() - 2), ys.max() + 3), slice(max(0, xs.min() - 2), xs.max() + 3))
        part = labels[box] == i
        rim = (cv2.dilate(part.view(np.uint8), np.ones((3, 3), np.uint8)) > 0) & ~part
        held = scene.inner[box][rim]  # what borders it: the product's interior, or its outline
        if held.size == 0 or held.mean() < ENCLOSED:
            continue
        width = 2.0 * float(cv2.distanceTransform(np.pad(part.view(np.uint8), 1), cv2.DIST_L2, 3).max())
        if width < MIN_WIDTH * scene.side:
            continue
        if float(np.sqrt(_hist(scene.index[box], part) * scene.background).sum()) < MIN_OVERLAP:
            continue
        if 1 / TEXTURE <= float(np.median(grad[box][part])) / busy <= TEXTURE:
            out[box] |= part
    return out


def _with_specks(pocket: np.ndarray) -> np.ndarray:
    """`pocket` with the small islands it encloses (shading on a far-side limb, grit) taken in."""
    n, labels = cv2.connectedComponents((~pocket).view(np.uint8), connectivity=4)
    if n <= 2:
        return pocket
    speck = np.bincount(labels.reshape(-1), minlength=n) < SPECK * np.count_nonzero(pocket)
    speck[0] = False  # label 0 is the pocket itself
    speck[np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])] = False  # open to the rest
    return pocket | speck[labels]


def _edge(rgb: np.ndarray, solid: np.ndarray, coarse: np.ndarray, table: np.ndarray, grow: int) -> np.ndarray:
    """The pocket in its box: the enlarged small-copy pocket `coarse`, its edge re-decided pixel by
    pixel from the colour models within `grow` px (only what joins its sure core)."""
    k = np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)
    zone = cv2.dilate(coarse, k) >= 128
    core = cv2.erode(coarse, k) >= 128
    share = cv2.blur(table[_bin_index(rgb)], (3, 3))
    carve = (core | (zone & (share >= EDGE_SHARE))) & solid
    n, labels = cv2.connectedComponents(carve.view(np.uint8), connectivity=4)
    # the parts holding the core meet it on its own rim (a far smaller set of pixels to read)
    rim = core & (cv2.erode(core.view(np.uint8), np.ones((3, 3), np.uint8)) == 0)
    held = np.bincount(labels[rim], minlength=n) > 0
    held[0] = False
    if n <= 256:  # OpenCV's table lookup paints them (numpy's gather over the box is 4x slower)
        table8 = np.zeros(256, np.uint8)
        table8[:n][held] = 255
        return cv2.LUT(labels.astype(np.uint8), table8) > 0
    return held[labels]


def _soften(alpha: np.ndarray, carve: np.ndarray, feather: float) -> np.ndarray:
    """`alpha` cleared on `carve`, whose rim gets a soft band of `feather` px like the outline's."""
    clear = (~carve).view(np.uint8) * np.uint8(255)  # 0 in the pocket, 255 elsewhere
    soft = cv2.GaussianBlur(clear, (0, 0), feather) if feather > 0 else clear
    # in the pocket, the blur's tail is its rim's soft band (a faint haze beyond it is dropped)
    soft = cv2.max(cv2.threshold(soft, 7, 255, cv2.THRESH_TOZERO)[1], clear)
    return cv2.min(alpha, soft)
