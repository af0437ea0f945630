"""The contact shadow: where a standing product's base meets the floor, a tight, very dark crease
under every column that touches, an occlusion skirt on the floor just in front, the footprint band
behind the ground line as the camera sees it, and a soft pool of shade round the whole base."""

from __future__ import annotations

import cv2
import numpy as np

from core.imaging.staging.base import Base
from core.imaging.staging.camera import KeyLight, Stage

SKIRT = 0.06
"""How far (share of the product's height, at medium softness) the occlusion skirt in front of the
base reaches: at 0.04 blind raters saw a shoe on wood 'float a little'."""
SKIRT_SHARE = 0.8
"""The skirt's darkness at the base, as a share of the crease's (less for a softer light)."""
CUT_BAND = 0.18
"""A product cut by the frame's bottom stands just below it: the floor beside its lower part, up to
this share of its height above the edge, is shaded (without it a bench end 'floats over the floor')."""
CUT_DARK = 0.5
"""That shade's darkness at the frame's edge right beside the product (less for a softer light)."""


def contact_shadow(base: Base, stage: Stage, key: KeyLight, out: np.ndarray) -> None:
    """Darken the floor right under the base: its footprint as the camera sees it (a band behind the
    ground line, as deep as the camera's height over the floor makes it) and a thin, very dark crease
    under the lowest pixel of every column that touches the floor, following the base's contour."""
    ph = base.height
    cols, low, lift = base.cols, base.low, base.lift
    soft = key.softness
    top = int(low[base.has].min())
    for run in _runs(cols[base.standing], gap=max(3, int(0.06 * ph))):  # each foot, leg or base alone
        _footprint(out, run, cols[base.has], base.ground[base.has], top, base.bottom, stage, soft)
    _pool(out, base, stage, soft)
    # the crease: each standing column's lowest pixel gets a short, very dark fade below it; columns
    # just above the ground line (a sole's rounded edge) get a lighter one, so no light gap shows
    fade = np.exp(-np.maximum(lift, 0) / max(1.0, 0.03 * ph))
    strength = ((0.95 - 0.1 * soft) * np.where(base.standing, 1.0, fade) * base.has).astype(np.float32)
    strong = strength > 0.02
    if not strong.any():
        return
    cols, low, strength = cols[strong], low[strong], strength[strong]
    crease = max(1.5, ph * 0.013 * (1 + soft))
    # the occlusion skirt: the floor just in front of the base is shaded too, fading over a few
    # percent of the product's height (without it a sole's edge reads as hovering over the floor)
    skirt = max(2.0, ph * SKIRT * (0.7 + soft))
    _fade_from_base(out, cols, low, strength, ((1.0, crease), (SKIRT_SHARE - 0.1 * soft, skirt)))


def _fade_from_base(out: np.ndarray, cols: np.ndarray, low: np.ndarray, strength: np.ndarray, fades) -> None:
    """Darken the floor in front of the base's lowest pixels: for each (share, reach) in `fades`,
    `strength` x share at the contour falling off as exp(-d / reach) with the distance d from it. The
    distance is measured from the contour itself, not straight down each column, so a sloping or
    ragged base (a car in three-quarter view, grass at its wheels) gets a smooth band, not streaks."""
    h, w = out.shape
    length = int(max(r for _, r in fades) * 5) + 2
    x0, x1 = max(0, int(cols.min()) - length), min(w, int(cols.max()) + length + 1)
    y0, y1 = max(0, int(low.min()) + 1 - length), min(h, int(low.max()) + length + 2)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    xs = np.arange(x0, x1)
    edge = np.interp(xs, cols, low) + 1.0  # the floor row under each column
    seeds = np.ones((y1 - y0, x1 - x0), np.uint8)
    seeds[np.clip(np.rint(edge[cols - x0]).astype(np.int32) - y0, 0, y1 - y0 - 1), cols - x0] = 0
    dist = cv2.distanceTransform(seeds, cv2.DIST_L2, cv2.DIST_MASK_5)  # a soft fade: 5x5 is exact enough
    # only the floor in front of the outline is shaded (its level carried on past the ends, where the
    # strength dies away, entered over a crease's width so no line shows there); the tight crease
    # alone rounds the ends
    ahead = np.arange(y0, y1, dtype=np.float32)[:, None] - edge[None, :]
    under = ((xs >= cols[0]) & (xs <= cols[-1]))[None, :] & (ahead < -0.5)  # behind the outline
    front = np.clip(ahead / fades[0][1] + 1.0, 0.0, 1.0)
    front[under] = 0.0
    line, hits = np.zeros(x1 - x0, np.float32), np.zeros(x1 - x0, np.float32)
    line[cols - x0], hits[cols - x0] = strength, 1.0
    shade = np.zeros_like(dist)
    for i, (share, reach) in enumerate(fades):
        # the strength, smoothed along the base as widely as the fade reaches (a ragged base, a rounded
        # sole's lifted columns: no steps); it dies away past an end or into a gap between feet over
        # that width, since columns that do not touch count as half-weight zeros there
        sigma = max(2.0, 0.5 * reach)
        level = cv2.GaussianBlur(line[None, :], (0, 0), sigma)[0]
        level /= np.maximum(cv2.GaussianBlur(hits[None, :], (0, 0), sigma)[0], 0.5)
        fade = (share * level)[None, :] * np.exp(-dist / reach)
        if i == 0:
            fade[under] = 0.0
        else:
            fade *= front
        np.maximum(shade, fade, out=shade)
    np.maximum(out[y0:y1, x0:x1], shade, out=out[y0:y1, x0:x1])


def _runs(xs: np.ndarray, gap: int) -> list[np.ndarray]:
    """Columns split where more than `gap` columns in a row do not stand on the floor."""
    if xs.size == 0:
        return []
    return np.split(xs, np.flatnonzero(np.diff(xs) > gap) + 1)


def _footprint(out, gx, line_x, line_y, top: int, base: int, stage: Stage, soft: float) -> None:
    """The floor darkened under one standing part: a band behind its ground line as deep as the
    camera's height over the floor makes the part's footprint look, softened (ambient occlusion)."""
    h, w = out.shape
    rx = max(2.0, (gx.max() - gx.min() + 1) / 2.0)
    ry = max(1.5, rx * float(np.clip(stage.eye_height - stage.podium_height, 0.08, 0.6)))
    pad = int(3 * ry) + 6
    ex0, ex1 = max(0, int(gx.min()) - pad), min(w, int(gx.max()) + pad)
    ey0, ey1 = max(0, int(top - 3 * ry)), min(h, base + pad)
    # drawn and blurred at a quarter size (it is soft), then enlarged onto the floor
    q = 0.25 if min(ey1 - ey0, ex1 - ex0) > 64 else 1.0
    small = np.zeros((max(2, round((ey1 - ey0) * q)), max(2, round((ex1 - ex0) * q))), np.float32)
    line = np.interp(gx, line_x, line_y)
    front = np.stack([gx - ex0, line + 0.2 * ry - ey0], 1)
    back = np.stack([gx - ex0, line - 1.2 * ry - ey0], 1)[::-1]
    cv2.fillPoly(small, [(np.concatenate([front, back]) * q).astype(np.int32)], 1.0, cv2.LINE_AA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.8, ry * (0.35 + 0.25 * soft) * q))
    patch = cv2.resize(small, (ex1 - ex0, ey1 - ey0), interpolation=cv2.INTER_LINEAR) * (0.72 - 0.12 * soft)
    np.maximum(out[ey0:ey1, ex0:ex1], patch, out=out[ey0:ey1, ex0:ex1])


def _pool(out: np.ndarray, base: Base, stage: Stage, soft: float) -> None:
    """The soft pool of shade a product leaves on the floor round its whole base (the sky of a
    softbox is blocked there): wider than the footprint, a broad ellipse as the camera sees it,
    darkest at the base's middle and fading out over a fifth of the base's width."""
    h, w = out.shape
    xs = base.cols[base.standing]
    if xs.size == 0 or stage.look is not None:  # round bases seen from above are ringed by `_drop`
        return
    rx = 0.5 * (xs.max() - xs.min() + 1) * 1.08
    ry = max(2.0, rx * float(np.clip(stage.eye_height - stage.podium_height, 0.08, 0.6)) * 0.9)
    cx, cy = 0.5 * (xs.min() + xs.max()), float(np.median(base.ground[base.standing])) - 0.35 * ry
    sigma = 0.12 * rx * (0.6 + soft)
    pad = int(3 * sigma) + 4
    x0, x1 = max(0, int(cx - rx) - pad), min(w, int(cx + rx) + pad)
    y0, y1 = max(0, int(cy - ry) - pad), min(h, int(cy + ry) + pad)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return
    q = min(1.0, 96.0 / max(x1 - x0, 1))
    small = np.zeros((max(2, round((y1 - y0) * q)), max(2, round((x1 - x0) * q))), np.float32)
    centre = (round((cx - x0) * q), round((cy - y0) * q))
    cv2.ellipse(
        small, centre, (max(1, round(rx * q)), max(1, round(ry * q))), 0, 0, 360, 1.0, -1, cv2.LINE_AA
    )
    small = cv2.GaussianBlur(small, (0, 0), max(0.8, sigma * q))
    patch = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR) * (0.46 - 0.1 * soft)
    np.maximum(out[y0:y1, x0:x1], patch, out=out[y0:y1, x0:x1])


def cut_base_shade(alpha: np.ndarray, key: KeyLight, out: np.ndarray, floor: np.ndarray) -> None:
    """Shade the floor beside the lower part of a product cut by the frame's bottom edge: its base and
    the floor it stands on are just out of the frame, so the shade it leaves there rises into the
    frame round it, darkest at the edge and against the product, reaching further on the side away
    from the light. `floor` (one value per row, 0..1) keeps it off the wall."""
    h, w = alpha.shape
    solid = alpha >= 128
    rows = np.flatnonzero(solid.any(axis=1))
    if rows.size == 0:
        return
    ph = h - int(rows[0])
    band = max(4, int(CUT_BAND * ph))
    y0 = h - band
    cols = np.flatnonzero(solid[y0:h].any(axis=0))  # the product's lower part
    x0, x1 = max(0, int(cols[0]) - band), min(w, int(cols[-1]) + band + 1)
    part = solid[y0:h, x0:x1]
    dist = cv2.distanceTransform((~part).view(np.uint8), cv2.DIST_L2, 3)
    # further out on the side away from the light (a light from the upper left shades the right)
    xs = np.arange(x0, x1, dtype=np.float32)[None, :]
    centre = 0.5 * (cols[0] + cols[-1])
    away = np.sign(xs - centre) == -np.sign(np.cos(np.radians(key.angle)))
    reach = 0.45 * band * np.where(away, 1.5, 0.8) * (0.7 + 0.6 * key.softness)
    rise = ((np.arange(y0, h, dtype=np.float32) - y0 + 1.0) / band)[:, None] ** 1.5
    shade = (CUT_DARK - 0.12 * key.softness) * rise * np.exp(-dist / reach) * floor[y0:h, None]
    shade[part] = 0.0
    np.maximum(out[y0:h, x0:x1], shade.astype(np.float32), out=out[y0:h, x0:x1])
