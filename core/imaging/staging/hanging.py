"""Products that hang (a bell on its chain, a pendant lamp on its cord): cut by the photo's top edge
by a narrow chain or cord, and whole at the bottom, they do not stand on the floor. They throw no
contact shadow and no floor-standing cast shadow; the key light puts a soft copy of the silhouette on
the backdrop behind them, offset away from the light, and only a faint, diffuse pool on the floor far
below."""

from __future__ import annotations

import math

import cv2
import numpy as np

from core.imaging.staging.camera import KeyLight, Stage

CORD = 0.4
"""Widest share of the product's width a hanging product's cut top may have (a chain, a cord, a
hook): a tall vase cut by the frame stands on its table."""
PLUMB = 0.12
"""Largest horizontal distance (share of the product's width) between where it is cut at the top
and its centre of mass: a hanging product hangs plumb under its chain."""
_SIDE = 320
DROP = 0.35
"""How far below a hanging product the floor is, in product heights."""


def is_hanging(mask: np.ndarray) -> bool:
    """True when the product is cut by the photo's top edge only, narrowly (a chain, not a body),
    and hangs plumb from there: its centre of mass lies under the point it is cut at (an animal's ear
    or antler touching the top edge does not, and it stands on its legs)."""
    solid = mask >= 128
    h, w = solid.shape
    edge = max(3, 0.005 * w)
    if not solid.any() or solid[-1].sum() >= edge or max(solid[:, 0].sum(), solid[:, -1].sum()) >= edge:
        return False
    top = np.flatnonzero(solid[0])
    if top.size < edge:
        return False
    cols = np.flatnonzero(solid.any(axis=0))
    widest = int(cols[-1] - cols[0]) + 1
    _, xs = np.nonzero(solid[::2, ::2])
    plumb = abs(float(xs.mean()) * 2 - float(top.mean())) <= PLUMB * widest
    return int(top[-1] - top[0]) + 1 <= CORD * widest and plumb


def floor_box(box: tuple[float, float, float, float], height: int) -> tuple[float, float, float, float]:
    """The box the camera stands on the floor for a hanging product: its bottom moved down to the
    floor far below the product (never past the canvas)."""
    x0, y0, x1, y1 = box
    return x0, y0, x1, float(min(height * 0.97, y1 + DROP * (y1 - y0)))


def hanging_shadow(alpha: np.ndarray, stage: Stage, key: KeyLight) -> np.ndarray:
    """Darkening (0..1) a hanging product throws: its silhouette on the backdrop behind it, moved away
    from the light and down, soft; plus a faint diffuse pool on the floor below it."""
    h, w = alpha.shape
    q = min(1.0, _SIDE / max(h, w))
    sw, sh = max(8, round(w * q)), max(8, round(h * q))
    a = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    rows, cols = np.flatnonzero(a.max(axis=1) > 0.5), np.flatnonzero(a.max(axis=0) > 0.5)
    out = np.zeros((sh, sw), np.float32)
    if rows.size == 0:
        return np.zeros((h, w), np.float32)
    ph, pw = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    rad = math.radians(key.angle)
    off = 0.12 * ph  # the backdrop stands well behind the product
    dx, dy = -math.cos(rad) * off, max(math.sin(rad), 0.2) * off * 0.6
    moved = cv2.warpAffine(a, np.float32([[1, 0, dx], [0, 1, dy]]), (sw, sh))
    soft = 0.5 + key.softness
    wall = cv2.GaussianBlur(moved, (0, 0), 1.0 + 0.035 * ph * soft) * (0.36 - 0.1 * key.softness)
    on_wall = np.clip((stage.wall_row * q - np.arange(sh, dtype=np.float32)) / (0.04 * sh) + 0.5, 0, 1)
    out = np.maximum(out, wall * on_wall[:, None])
    # the floor far below: a wide, faint, diffuse pool under the product
    pool = np.zeros((sh, sw), np.float32)
    cx = (cols[0] + cols[-1]) / 2.0 + dx * 0.5
    floor = stage.base_row * q
    if floor < sh:
        cv2.ellipse(
            pool,
            (round(cx), round(floor)),
            (max(2, round(0.45 * pw)), max(1, round(0.06 * pw))),
            0,
            0,
            360,
            1.0,
            -1,
        )
        pool = cv2.GaussianBlur(pool, (0, 0), 2.0 + 0.08 * pw) * 0.14
        out = np.maximum(out, pool)
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)
