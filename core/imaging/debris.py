"""Pieces of the old surface under a product: a strip of dark table, its edge or the product's
reflection that the cut-out model took for part of the product.

They touch the product's base, span it sideways and look like the surface beside the product, not
like the product. So: colours of the product (its upper part) and of the surface (outside the mask,
level with the base) are summarised by k-means; rows at the bottom of the mask where most of the
masked pixels are near a surface colour, nearer it than the product and far from every product
colour, are the debris, and their surface-like pixels are dropped. A product cut by the photo's
bottom edge has no base in the photo and is left alone.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.colours import colour_centres, lab_at, lab_rows, nearest, sample

BASE_SHARE = 0.3
"""The bottom share of the product's height searched for debris (and the most that can be dropped)."""
MIN_DELTA_E = 12.0
"""A debris pixel differs from every product colour by at least this (CIE76 ΔE, 8-bit Lab scaled)."""
ROW_SHARE = 0.5
"""A row of the mask belongs to the debris strip when at least this share of it looks like surface."""
MIN_SPAN = 0.5
"""The strip is at least this wide relative to the product's widest row above it."""
SURFACE_DELTA_E = 25.0
"""...and lies within this of one of the surface's own colours beside the base."""
SHADOW_DARK = 0.6
"""A shadow pixel on the old backdrop is at most this bright relative to the backdrop..."""
SHADOW_TINT = 0.05
"""...with its chromaticity (r, g, b shares) within this of the backdrop's."""
SHADOW_DEPTH = 0.1
"""The shadow fringe is at most this share of the product's height thick."""
SHADOW_SPAN = 0.3
"""...and runs under at least this share of the product's width,"""
STRIP_SPAN = 0.05
STRIP_THICKNESS = 0.12
"""...or under at least STRIP_SPAN of it as one strip whose mean thickness is at most STRIP_THICKNESS
of its length."""
SKIP = 2
"""Rows at a column's very bottom the fringe may start above (where the shade meets the backdrop)."""
_K = 4


def drop_base_debris(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """`alpha` without the surface strip or reflection stuck to the product's base (unchanged when
    there is none)."""
    solid = (alpha >= 128).view(np.uint8)
    rows = np.flatnonzero(_row_counts(solid))
    if rows.size < 20:
        return alpha
    top, bottom = int(rows[0]), int(rows[-1])
    if bottom >= alpha.shape[0] - 2:  # cut by the photo's frame: its base is not in the photo
        return alpha
    height = bottom - top + 1
    base_top = bottom - int(BASE_SHARE * height)
    # the product's body above its base and the surface level with the base, each worked out on its
    # own rows (with the kernel's reach round them)
    body = np.zeros_like(solid)
    body[top:base_top] = _rows(cv2.erode, solid, top, base_top, 2, np.ones((5, 5), np.uint8))
    surface = np.zeros(solid.shape, bool)
    s0, s1 = base_top - int(0.1 * height), min(alpha.shape[0], bottom + int(0.15 * height))
    surface[s0:s1] = _rows(cv2.dilate, solid, s0, s1, 4, np.ones((9, 9), np.uint8)) == 0
    if cv2.countNonZero(body) < 50 or np.count_nonzero(surface) < 50:
        return alpha
    fg = colour_centres(lab_at(rgb, sample(body)), _K)
    beside = sample(surface)
    bg = colour_centres(lab_at(rgb, beside), _K)
    backdrop = np.median(rgb.reshape(-1, 3)[beside], axis=0)  # the surface's colour, from its sample
    alpha = _drop_shadow_fringe(rgb, alpha, fg, backdrop, height)
    solid = alpha >= 128
    flat = np.flatnonzero(solid[base_top:]) + base_top * alpha.shape[1]  # the base's pixels
    lab = lab_rows(rgb, flat)
    d_bg = nearest(lab, bg)
    near = np.flatnonzero(d_bg < SURFACE_DELTA_E)  # the product colours matter only near the surface's
    d_fg = nearest(lab[near], fg)
    like_surface = np.zeros_like(solid)
    like_surface.flat[flat[near]] = (d_bg[near] < 0.6 * d_fg) & (d_fg > MIN_DELTA_E)
    surface_rows, solid_rows = _row_counts(like_surface), _row_counts(solid)
    strip_top = bottom + 1
    for y in range(bottom, base_top - 1, -1):
        if surface_rows[y] < ROW_SHARE * solid_rows[y]:
            break
        strip_top = y
    if strip_top > bottom:
        return alpha
    # a table edge or a reflection spans the base; a narrow tip (a tail, a toe) is the product's own
    if solid_rows[strip_top:].max() < MIN_SPAN * solid_rows[:strip_top].max():
        return alpha
    out = alpha.copy()
    drop = like_surface.copy()
    drop[:strip_top] = False
    out[drop] = 0
    # the strip's rows keep only what joins the product above them
    below = np.zeros_like(solid)
    below[strip_top:] = True
    keep = _connected_to_body(out >= 128, ~below)
    out[below & ~keep] = 0
    return out


def _drop_shadow_fringe(rgb, alpha, fg, backdrop: np.ndarray, height: int) -> np.ndarray:
    """`alpha` without the photo's own floor shadow under the base: a run of pixels, from each
    column's lowest masked pixel upward (at most SHADOW_DEPTH of the height), that are the backdrop's
    colour darkened (same chromaticity, much darker) and unlike every product colour."""
    solid = alpha >= 128
    # each column's lowest product row: the largest row index where it is set (in the product's box)
    rows = np.flatnonzero(_row_counts(solid))
    if rows.size == 0:
        return alpha
    y0, y1 = int(rows[0]), int(rows[-1]) + 1
    flipped = solid[y0:y1][::-1]
    cols = np.flatnonzero(flipped.any(axis=0))
    lows = (y1 - 1 - np.argmax(flipped[:, cols], axis=0)).astype(np.intp)
    depth = max(2, int(SHADOW_DEPTH * height))
    top, bottom = max(0, int(lows.min()) - depth), int(lows.max()) + 1  # only the band under the base
    # ...and only the product's columns, with the median filter's reach beside them
    left, right = max(0, int(cols[0]) - 2), min(alpha.shape[1], int(cols[-1]) + 3)
    under = np.ascontiguousarray(rgb[top:bottom, left:right])
    r, g, b = (c.astype(np.float32) for c in cv2.split(under))
    total = r + g + b + 1.0
    ref = backdrop.astype(np.float32)
    share = ref / (ref.sum() + 1.0)
    tint = np.maximum(
        np.maximum(np.abs(r / total - share[0]), np.abs(g / total - share[1])), np.abs(b / total - share[2])
    )
    band = (total < SHADOW_DARK * (ref.sum() + 1.0)) & (tint < SHADOW_TINT)
    candidates = np.flatnonzero(band)  # only dark, backdrop-tinted pixels need the colour test
    band.flat[candidates[nearest(lab_at(under, candidates), fg) <= MIN_DELTA_E]] = False
    shade = cv2.medianBlur(band.astype(np.uint8) * 255, 5) > 127  # speckle reads as one
    # per column, the run of shade from its lowest masked pixel upward (rows of the band); it may
    # start up to SKIP rows above that pixel (the soft rim where the shadow blends into the backdrop)
    steps = np.arange(depth + 1 + SKIP)[:, None]
    rows = lows[None, :] - steps
    on = shade[np.clip(rows - top, 0, None), np.broadcast_to(cols - left, rows.shape)] & (rows >= 0)
    start = np.argmax(on[: SKIP + 1], axis=0)
    run = on | (steps < start[None, :])
    n = np.where(run.all(0), (rows >= 0).sum(0), np.argmin(run, axis=0))
    # a column that is shadow all the way up is the product's own dark part
    cut = on[: SKIP + 1].any(0) & (n > start) & (n - start < depth)
    drop = (steps < n[None, :]) & cut[None, :]
    out = alpha.copy()
    out[rows[drop], np.broadcast_to(cols, rows.shape)[drop]] = 0
    # hair-thin slivers left between dropped columns go too (only beside what was dropped)
    y0, y1 = max(0, top - 1), min(alpha.shape[0], bottom + 1)
    was, now = alpha[y0:y1] >= 128, out[y0:y1] >= 128
    dropped = was & ~now
    beside = cv2.dilate(dropped.astype(np.uint8), np.ones((3, 9), np.uint8)).astype(bool)
    opened = cv2.morphologyEx(now.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, 5), np.uint8))
    out[y0:y1][beside & now & (opened == 0)] = 0
    # a floor shadow runs along the base, or lies under part of it as a flat strip (a toe's contact
    # shade: many times wider than thick); a dark spot at one place is the product's own
    lost = was & (out[y0:y1] < 128)
    at = np.flatnonzero(lost.any(axis=0))
    gone = at.size
    one = gone > 0 and at[-1] - at[0] < 1.5 * gone  # one strip, not patches here and there
    flat = one and gone >= STRIP_SPAN * cols.size and lost.sum() <= STRIP_THICKNESS * gone**2
    wide = gone >= SHADOW_SPAN * cols.size or flat
    kept = cv2.countNonZero(cv2.compare(out, 128, cv2.CMP_GE))
    return out if wide and kept > 0.85 * cv2.countNonZero(solid.view(np.uint8)) else alpha


def _rows(op, on: np.ndarray, y0: int, y1: int, reach: int, kernel: np.ndarray) -> np.ndarray:
    """Rows y0:y1 of the morphology `op` of `on`, computed on those rows and `reach` more each side."""
    a, b = max(0, y0 - reach), min(on.shape[0], y1 + reach)
    return op(on[a:b], kernel)[y0 - a : y1 - a]


def _row_counts(on: np.ndarray) -> np.ndarray:
    """Set pixels per row of a 0/1 or boolean array (OpenCV's reduce; numpy's bool sums are slow)."""
    return cv2.reduce(on.view(np.uint8), 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S)[:, 0]


def _connected_to_body(solid: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Pixels of `solid` in components that reach into `upper` (the product above the strip)."""
    n, labels = cv2.connectedComponents(solid.astype(np.uint8), connectivity=8)
    hit = np.zeros(n, bool)
    hit[np.unique(labels[solid & upper])] = True
    hit[0] = False
    return hit[labels]
