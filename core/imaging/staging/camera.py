"""Scene geometry: a pinhole camera looking level at a floor plane that runs back to a wall (tabletop),
curves up into it (a seamless sweep) or is seen from straight above (flat-lay); the key light as a
direction. Units: the product stands at depth 1; image coordinates are canvas pixels."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from core.imaging.backgrounds.paint import Light

PODIUM_BACK = 0.4
"""How far behind the product's base the podium's centre is, in podium radii."""
FOCAL = 1.7
"""Focal length as a multiple of the canvas width (a short tele lens, as product shots use)."""
MAX_PODIUM = 0.28
"""Largest podium radius (world units): its top is then about as wide as the frame."""
RIM_MARGIN = 0.15
"""Margin (share of the podium's radius) the whole base keeps inside the top's rim: a product near the
edge looks about to fall off."""


@dataclass(frozen=True)
class KeyLight:
    """The key light as a direction in the scene, from `Light` (angle in the picture plane, softness)."""

    angle: float
    softness: float
    ambient: float

    @classmethod
    def from_light(cls, light: Light) -> KeyLight:
        return cls(float(light.angle), float(np.clip(light.softness, 0.0, 1.0)), 0.35 + 0.25 * light.softness)

    @property
    def elevation(self) -> float:
        """Radians above the floor: a light from above (90°) stands high, one from the side low."""
        return math.radians(22.0 + 43.0 * abs(math.sin(math.radians(self.angle))))

    @property
    def travel(self) -> np.ndarray:
        """Unit vector the light travels along (x right, y up, z away from the camera): down, away
        from the side it comes from, and a little away from the camera (a key set in front)."""
        a, e = math.radians(self.angle), self.elevation
        d = np.array([-math.cos(a) * math.cos(e), -math.sin(e), 0.35 * math.cos(e)], np.float64)
        return d / np.linalg.norm(d)


@dataclass(frozen=True)
class Stage:
    """One scene's geometry on a canvas of `size` (w, h).

    `base_row` is where the product's base meets the floor (depth 1); `horizon` the row of the camera's
    eye level; the backdrop stands at depth `wall_depth`; a sweep curves from the floor into it with
    radius `cove` (world units). A podium, when there is one, is a cylinder of `podium_radius` and
    `podium_height` whose top's centre is at depth 1 under the product's base."""

    kind: str
    size: tuple[int, int]
    horizon: float
    base_row: float
    centre_x: float
    wall_depth: float = 2.2
    cove: float = 0.0
    podium_radius: float = 0.0
    podium_height: float = 0.0
    look: float | None = None
    """How steeply the photo's camera looked down on round bases (radians), when its outline says."""

    @property
    def focal(self) -> float:
        return FOCAL * self.size[0]

    @property
    def eye_height(self) -> float:
        """Camera height above the floor (world units)."""
        return (self.base_row - self.horizon) / self.focal + self.podium_height

    def project(self, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points to canvas (u, v)."""
        z = np.maximum(z, 1e-6)
        return self.centre_x + self.focal * x / z, self.horizon + self.focal * (self.eye_height - y) / z

    def floor_depth(self, v: np.ndarray, level: float = 0.0) -> np.ndarray:
        """Depth of the floor (or a plane `level` above it) seen at canvas row `v` (inf above the horizon)."""
        below = np.maximum(np.asarray(v, np.float64) - self.horizon, 1e-6)
        return self.focal * (self.eye_height - level) / below

    @property
    def wall_row(self) -> float:
        """Row where the floor meets the backdrop (the bottom of the cove for a sweep)."""
        return float(self.horizon + self.focal * self.eye_height / (self.wall_depth - self.cove))

    def profile(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For each canvas row: the surface point's (height y, depth z) and its normal (ny, nz), walking
        the floor, the sweep's cove and the wall; rows are found by inverting the projection."""
        zc, r = self.wall_depth - self.cove, self.cove
        n = 2048
        s = np.linspace(0.0, 1.0, n)
        z_floor = np.linspace(0.05, zc, n)
        t = s * (math.pi / 2)
        z_cove, y_cove = zc + r * np.sin(t), r - r * np.cos(t)
        y_wall = r + s * 40.0 * max(self.eye_height, 0.05)
        y = np.concatenate([np.zeros(n), y_cove, y_wall])
        z = np.concatenate([z_floor, z_cove, np.full(n, zc + r)])
        ny = np.concatenate([np.ones(n), np.cos(t), np.zeros(n)])
        nz = np.concatenate([np.zeros(n), -np.sin(t), -np.ones(n)])
        _, v = self.project(np.zeros_like(z), y, z)
        order = np.argsort(v)
        v = v[order]
        rows = np.asarray(rows, np.float64)
        return (
            np.interp(rows, v, y[order]),
            np.interp(rows, v, z[order]),
            np.interp(rows, v, ny[order]),
            np.interp(rows, v, nz[order]),
        )

    def shadow_homography(self, box: tuple[float, float, float, float], light: KeyLight, level: float = 0.0):
        """3x3 map from the product's silhouette (a card standing at depth 1 on the plane `level`) to
        its shadow on that plane, cast along the key light; returns (matrix, points) for cv2."""
        x0, y0, x1, y1 = box
        src = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
        base = self.horizon + self.focal * (self.eye_height - level)
        wx = (src[:, 0] - self.centre_x) / self.focal
        wy = level + np.maximum(base - src[:, 1], 0.0) / self.focal
        d = light.travel
        k = (wy - level) / -d[1]
        qx, qz = wx + d[0] * k, 1.0 + d[2] * k
        u, v = self.project(qx, np.full(4, level), qz)
        return src.astype(np.float32), np.stack([u, v], 1).astype(np.float32)


def build_stage(
    kind: str,
    size: tuple[int, int],
    product_box: tuple[float, float, float, float],
    *,
    podium: bool = False,
    cut_bottom: bool = False,
    back: float | None = None,
    base_line: np.ndarray | None = None,
    look: float | None = None,
) -> Stage:
    """The camera that sees the placed product standing on its floor: eye level three quarters up the
    product (a product shot looks slightly down on it), backdrop about twice as far as the product.
    `back` is the highest row where the base still touches (a sole seen at an angle): a podium's top
    is made deep enough (a higher camera, then a wider podium) that the whole base is well inside it;
    `base_line` (canvas points (x, y) of the base's lowest pixels) is then checked against the top's
    rim and the podium widened (up to the frame) until every point is inside with a margin. `look` is
    how steeply (radians) the photo's camera looked down at the product: the scene's camera looks down
    at least as steeply (a plate shot from above lies on a floor seen from above)."""
    w, h = size
    x0, y0, x1, y1 = product_box
    ph = max(y1 - y0, 1.0)
    base = float(y1)
    # a low, wide product is shot from higher up: the camera never looks flatter than 0.4 canvas heights
    horizon = float(np.clip(base - max(0.78 * ph, 0.4 * h), 0.12 * h, base - 0.12 * h))
    if cut_bottom:
        horizon = float(min(horizon, 0.45 * h))
    elif look is not None:
        horizon = float(min(horizon, base - FOCAL * w * math.tan(look)))
    centre = (x0 + x1) / 2.0
    if podium:
        if base_line is not None and len(base_line):
            centre = float(base_line[:, 0].min() + base_line[:, 0].max()) / 2.0
        radius = max(0.62 * (x1 - x0), 0.2 * w) / (FOCAL * w)
        stage = _podium(kind, size, base, horizon, centre, radius, back)
        while base_line is not None and len(base_line) and stage.podium_radius < MAX_PODIUM:
            if _rim_margin(stage, base_line) >= RIM_MARGIN * stage.podium_radius:
                break
            stage = _podium(kind, size, base, horizon, centre, stage.podium_radius * 1.1, back)
        return replace(stage, look=look)
    if kind == "sweep":
        cove = 0.9 * _eye(horizon, base, w)
        return Stage("sweep", size, horizon, base, centre, wall_depth=2.6, cove=cove, look=look)
    return Stage(kind, size, horizon, base, centre, wall_depth=2.5, look=look)


def _podium(kind, size, base: float, horizon: float, centre: float, radius: float, back) -> Stage:
    """The stage with a podium of (at least) `radius` whose top holds a base `back` rows deep."""
    w, h = size
    f = FOCAL * w
    horizon, radius = _deep_enough(
        base, horizon, min(radius, MAX_PODIUM), base - (back if back is not None else base), h
    )
    bottom = 0.985 * h  # the podium's front foot stands just inside the frame
    # eye height e over the floor: bottom = horizon + f*e/(1-radius); the top at depth 1: base
    # the base's lowest pixel is the front of its footprint, so the podium's centre stands a little
    # behind it (depth 1 + 0.4 radius)
    e = (bottom - horizon) * (1.0 + PODIUM_BACK * radius - radius) / f
    top = max(e - (base - horizon) / f, 0.02)  # the base at depth 1 is on the top
    cove = 0.9 * e if kind == "sweep" else 0.0
    return Stage(kind, size, horizon, base, centre, 2.8, cove, radius, top)


def _rim_margin(stage: Stage, points: np.ndarray) -> float:
    """The smallest distance (world units) from the base's points, laid on the podium's top, to its
    rim; negative when a point overhangs."""
    z = stage.floor_depth(points[:, 1], stage.podium_height)
    x = (points[:, 0] - stage.centre_x) * z / stage.focal
    r = stage.podium_radius
    return float((r - np.hypot(x, z - (1.0 + PODIUM_BACK * r))).min())


def _deep_enough(base: float, horizon: float, radius: float, depth: float, h: int) -> tuple[float, float]:
    """Horizon and podium radius that put a base `depth` rows deep (front to back) inside the top's
    ellipse, with a margin behind it: the top's back rim is `d * k / (1 + k)` rows above the base
    (d = base - horizon, k = (1 + PODIUM_BACK) * radius), so raise the camera first, then widen."""
    need = depth + 0.06 * h
    k = (1.0 + PODIUM_BACK) * radius
    d = base - horizon
    if d * k / (1.0 + k) >= need:
        return horizon, radius
    d = min(max(d, need * (1.0 + k) / k), base - 0.12 * h)
    if d * k / (1.0 + k) < need and d > need:
        k = min(need / (d - need), (1.0 + PODIUM_BACK) * MAX_PODIUM)  # never wider than the frame
    return base - d, k / (1.0 + PODIUM_BACK)


def _eye(horizon: float, base: float, w: int) -> float:
    return (base - horizon) / (FOCAL * w)
