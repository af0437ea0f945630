"""Where a product touches its floor: the lower envelope of its opaque alpha (not its box's bottom).
A base seen at an angle (a shoe's sole in three-quarter view, a car's wheels) touches along a sloping
line; a raised handle or hem hanging above that line does not touch. The camera puts the podium's top
under the whole line and the shadows darken the floor along it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STEEP = 0.35
"""A ground line steeper than this (rows per column) is an overhang's edge, not a base on the floor."""
NEAR_FLOOR = 0.1
"""A column whose lowest pixel is within this share of the product's height of its ground line is part
of the base a podium's top must hold (a sole's rounded toe); higher ones (a heel's back edge, which the
lower envelope also reaches) are not."""


@dataclass(frozen=True)
class Base:
    """Per column of the product's box: its lowest opaque row (`low`), the ground line it stands on
    (`ground`), and whether that column touches the floor (`standing`)."""

    cols: np.ndarray
    low: np.ndarray
    ground: np.ndarray
    has: np.ndarray
    standing: np.ndarray
    height: int

    @property
    def bottom(self) -> int:
        """The lowest opaque row (the front of the footprint)."""
        return int(self.low[self.has].max())

    @property
    def back(self) -> int:
        """The highest row that still touches the floor (the back of the footprint)."""
        return int(self.low[self.standing].min()) if self.standing.any() else self.bottom

    @property
    def line(self) -> np.ndarray:
        """Canvas points (x, y) of the lowest pixels of the columns at or near the floor."""
        on = self.standing
        floor = (
            np.polyval(np.polyfit(self.cols[on], self.ground[on], 1), self.cols)
            if on.sum() >= 2
            else self.ground
        )  # the floor line under the standing columns, carried on under the ends
        near = self.has & (floor - self.low <= NEAR_FLOOR * self.height)
        return np.stack([self.cols[near], self.low[near]], 1).astype(np.float64)

    @property
    def lift(self) -> np.ndarray:
        """How far above its ground line each column's lowest pixel is (product height where empty)."""
        return np.where(self.has, self.ground - self.low, float(self.height))


def find_base(alpha: np.ndarray) -> Base | None:
    """The base of an opaque (alpha >= 128) product on a canvas, or None for an empty one."""
    solid = alpha >= 128
    rows = np.flatnonzero(solid.any(axis=1))
    if rows.size == 0:
        return None
    c = np.flatnonzero(solid.any(axis=0))
    x0, x1 = int(c[0]), int(c[-1]) + 1
    ph = max(int(rows[-1]) + 1 - int(rows[0]), 8)
    cols = np.arange(x0, x1)
    has = solid[:, x0:x1].any(axis=0)
    low = alpha.shape[0] - 1 - np.argmax(solid[::-1, x0:x1], axis=0)
    ground = ground_line(cols[has], low[has], cols)
    lift = np.where(has, ground - low, float(ph))
    slope = np.abs(np.gradient(ground)) if ground.size > 1 else np.zeros_like(ground)
    standing = has & (lift <= 0.03 * ph) & (slope <= STEEP)
    if not standing.any():
        standing = has & (low == low[has].max())
    return Base(cols, low, ground.astype(np.float32), has, standing, ph)


def ground_line(xs: np.ndarray, lows: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The row, at columns `at`, of the line the product stands on: the lower convex envelope (largest
    rows) of its columns' lowest pixels `lows` at `xs`."""
    hull: list[tuple[int, int]] = []
    for x, y in zip(xs.tolist(), lows.tolist(), strict=True):  # monotone chain, keeping the bottom side
        while len(hull) >= 2:
            (xa, ya), (xb, yb) = hull[-2], hull[-1]
            if (xb - xa) * (y - ya) - (yb - ya) * (x - xa) >= 0:
                hull.pop()
            else:
                break
        hull.append((x, y))
    hx, hy = np.array(hull, np.float32).T
    return np.interp(at, hx, hy)
