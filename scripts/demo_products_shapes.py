"""Demo products as geometry and cloth textures (numpy/OpenCV; the Blender side only loads arrays).

Each product is one or more "pillows": a garment's flat outline (unit coordinates of the photo, y
down) inflated front and back into a rounded body, with folds that hang under gravity; its colour and
bump textures carry the weave, hems with stitching, seams, pockets and trims. See
scripts/render_demo_products.py for how they are rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

TEX = 1024
"""Texture side (px); textures span the photo's unit square."""


@dataclass
class Part:
    """One inflated outline: `rings` (outer outline and holes, even-odd) in unit coordinates."""

    name: str
    rings: list[np.ndarray]
    thickness: float
    """Half-depth of the body at its middle (unit coordinates)."""
    rounding: float
    """Distance from the outline over which the body rounds up to full thickness."""
    back: float = 0.7
    folds: float = 0.0
    flare: float | None = None
    """Folds fan out from (0.5, flare) (skirts, dresses); None = straight vertical folds."""
    fold_from: float = 0.0
    material: str = "fabric"
    seed: int = 0
    taper: tuple[float, float] | None = None
    """(centre u, half length): the depth narrows towards both ends (a shoe's rounded toe and heel)."""
    colour: tuple[float, float, float] | None = None
    """Overrides the product's colour (a sneaker's rubber sole)."""
    details: list[str] | None = None
    """Overrides the product's details for this part."""


@dataclass
class Product:
    parts: list[Part]
    colour: tuple[float, float, float]
    weave: str
    view: str = "front"
    """"front" (hanging garment, seen straight on) or "three-quarter" (shoe on the floor)."""
    details: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------ outlines


def resample(ring: list[tuple[float, float]] | np.ndarray, step: float = 0.003) -> np.ndarray:
    """The closed polygon resampled at equal arc-length steps."""
    p = np.asarray(ring, float)
    q = np.vstack([p, p[:1]])
    seg = np.hypot(*np.diff(q, axis=0).T)
    s = np.concatenate([[0], np.cumsum(seg)])
    t = np.arange(0, s[-1], step)
    return np.stack([np.interp(t, s, q[:, 0]), np.interp(t, s, q[:, 1])], 1)


def smooth(ring: np.ndarray, radius: float, step: float = 0.003) -> np.ndarray:
    """Round a resampled outline's corners by a circular moving average of `radius`."""
    k = max(1, int(radius / step))
    w = np.exp(-0.5 * (np.arange(-2 * k, 2 * k + 1) / k) ** 2)
    w /= w.sum()
    pad = np.vstack([ring[-2 * k :], ring, ring[: 2 * k]])
    return np.stack([np.convolve(pad[:, i], w, mode="valid") for i in (0, 1)], 1)


def outline(points: list[tuple[float, float]], corner: float = 0.012) -> np.ndarray:
    return smooth(resample(points), corner)


def ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 90) -> np.ndarray:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([cx + rx * np.cos(a), cy + ry * np.sin(a)], 1)


def wavy_hem(ring: np.ndarray, below: float, amp: float, waves: float, seed: int) -> np.ndarray:
    """A hanging hem is never a straight line: ripple the outline's points lower than `below`."""
    out = ring.copy()
    phase = np.random.default_rng(seed).uniform(0, 2 * np.pi)
    low = np.clip((ring[:, 1] - below) / 0.03, 0, 1)
    out[:, 1] += low * amp * np.sin(ring[:, 0] * waves * 2 * np.pi + phase)
    return out


# ------------------------------------------------------------------------------------ fields


RES = 2048
"""Raster side (px over the unit square) on which outline fields are computed."""


def ring_field(rings: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Rasters (RES×RES) of one outline (first ring; the others are holes): inside, distance to the
    outline (unit coordinates), the closest outline point, the arc-length there (stitch dashes) and
    the unit direction from the outline into the pixel."""
    fill = np.zeros((RES, RES), np.uint8)
    fixed = [np.round(r * RES * 16).astype(np.int32) for r in rings]
    cv2.fillPoly(fill, fixed[:1], 255, cv2.LINE_8, 4)
    if len(fixed) > 1:
        cv2.fillPoly(fill, fixed[1:], 0, cv2.LINE_8, 4)
    seg = np.zeros((RES, RES), np.int32)
    starts = []
    offset = 0
    for ring in fixed:
        length = np.hypot(*np.diff(np.vstack([ring, ring[:1]]), axis=0).T) / 16 / RES
        starts.append(np.concatenate([[0], np.cumsum(length)[:-1]]))
        for i in range(len(ring)):
            a, b = ring[i], ring[(i + 1) % len(ring)]
            cv2.line(seg, (int(a[0]), int(a[1])), (int(b[0]), int(b[1])), offset + i + 1, 1, cv2.LINE_8, 4)
        offset += len(ring)
    start = np.concatenate(starts)
    first = np.vstack(fixed).astype(float) / 16 / RES
    dist, labels = cv2.distanceTransformWithLabels(
        (seg == 0).astype(np.uint8), cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    zy, zx = np.nonzero(seg)
    lut = np.zeros((labels.max() + 1, 3))
    lut[labels[zy, zx]] = np.stack([zx, zy, seg[zy, zx] - 1], 1)
    near = lut[labels]
    cx, cy = (near[..., 0] + 0.5) / RES, (near[..., 1] + 0.5) / RES
    idx = near[..., 2].astype(int)
    arc = start[idx] + np.hypot(cx - first[idx, 0], cy - first[idx, 1])
    c = (np.arange(RES) + 0.5) / RES
    inside = fill > 0
    d = np.maximum(dist / RES, 1e-9)
    into = np.stack([(c[None, :] - cx) / d, (c[:, None] - cy) / d], -1)
    into[~inside] *= -1
    return {"inside": inside, "dist": dist / RES, "closest": np.stack([cx, cy], -1), "arc": arc, "into": into}


def sample(field: dict[str, np.ndarray], points: np.ndarray) -> dict[str, np.ndarray]:
    """The field's values at unit-coordinate `points` (nearest raster pixel)."""
    ij = np.clip((points * RES).astype(int), 0, RES - 1)
    return {k: v[ij[:, 1], ij[:, 0]] for k, v in field.items()}


# ------------------------------------------------------------------------------------ textures


def _grid() -> np.ndarray:
    c = (np.arange(TEX) + 0.5) / TEX
    v, u = np.meshgrid(c, c, indexing="ij")
    return np.stack([u.ravel(), v.ravel()], 1)


def _tex_field(rings: list[np.ndarray]) -> dict[str, np.ndarray]:
    f = ring_field(rings)
    step = RES // TEX
    return {k: v[::step, ::step].reshape(TEX * TEX, *v.shape[2:]) for k, v in f.items()}


def stitches(
    f: dict[str, np.ndarray], offset: float, period: float = 0.011, width: float = 0.0016
) -> np.ndarray:
    """Dashed thread `offset` inside an outline (0..1 coverage per texel)."""
    line = np.clip(1 - np.abs(f["dist"] - offset) / width, 0, 1)
    dash = np.clip(np.cos(f["arc"] / period * 2 * np.pi) * 2.5 + 0.8, 0, 1)
    return line * dash * f["inside"]


def polyline_field(points: list[tuple[float, float]]) -> dict[str, np.ndarray]:
    """The field of an open polyline (a seam or pocket line): closed on itself, so distance works."""
    pts = np.asarray(points, float)
    p = resample(np.vstack([pts, pts[::-1][1:-1]]), 0.002)
    f = _tex_field([p])
    f["inside"] = np.ones(len(f["dist"]), bool)
    return f


def textures(product: Product, part: Part) -> tuple[np.ndarray, np.ndarray]:
    """Colour (TEX×TEX×3, linear 0..1) and bump height (TEX×TEX) of one part."""
    g = _grid()
    u, v = g[:, 0], g[:, 1]
    f = _tex_field(part.rings)
    rng = np.random.default_rng(part.seed + 7)
    colour = np.array(part.colour or product.colour)
    base = colour[None, :] * np.ones((len(u), 1))
    bump = np.zeros(len(u))
    # fibre-level irregularity: slubs in the yarn, a faint mottling of the dye
    mottle = _noise(rng, 48) * 0.03 + _noise(rng, 160) * 0.02
    base *= 1 + mottle[:, None]
    thread = colour * 1.25 + 0.04
    for name in product.details if part.details is None else part.details:
        for field_, offset, colour, raised in _detail(name, f, u, v, part):
            s = stitches(field_, offset) if offset is not None else field_
            tint = thread if colour is None else np.array(colour)
            base = base * (1 - s[:, None]) + tint[None, :] * s[:, None]
            bump += raised * s
    return base.reshape(TEX, TEX, 3), bump.reshape(TEX, TEX)


def _noise(rng: np.random.Generator, cells: int) -> np.ndarray:
    """Smooth value noise on the texture grid (bilinear over `cells`² random values)."""
    grid = rng.normal(0, 1, (cells + 1, cells + 1))
    c = np.linspace(0, cells, TEX, endpoint=False)
    i = c.astype(int)
    t = c - i
    t = t * t * (3 - 2 * t)
    rows = grid[i] * (1 - t)[:, None] + grid[i + 1] * t[:, None]
    out = rows[:, i] * (1 - t)[None, :] + rows[:, i + 1] * t[None, :]
    return out.ravel()


def _band(u: np.ndarray, v: np.ndarray, x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
    return ((u > x0) & (u < x1) & (v > y0) & (v < y1)).astype(float)


def _detail(name: str, f: dict, u: np.ndarray, v: np.ndarray, part: Part) -> list[tuple]:
    """(coverage field, stitch offset or None, colour or None = thread, bump) for a named detail."""
    down = f["into"][:, 1] < -0.55  # the outline faces down here: a hem
    up = f["into"][:, 1] > 0.55  # faces up: a neckline or waistband
    if name == "hem":
        g = dict(f, inside=f["inside"] & down)
        return [(g, 0.012, None, 1.0), (g, 0.017, None, 1.0)]
    if name == "neck":
        up &= np.abs(u - 0.5) < 0.09
        g = dict(f, inside=f["inside"] & up)
        rib = np.clip((0.02 - f["dist"]) / 0.002, 0, 1) * f["inside"] * up
        ribs = rib * (0.5 + 0.5 * np.sin(f["arc"] * 900))
        return [(ribs, None, None, 0.6), (g, 0.022, None, 1.0)]
    if name == "topstitch":
        return [(f, 0.009, None, 1.0), (f, 0.014, None, 1.0)]
    if name == "jeans":
        waist = polyline_field([(0.31, 0.205), (0.69, 0.205)])
        fly = polyline_field([(0.535, 0.21), (0.535, 0.33), (0.51, 0.36)])
        lp = polyline_field([(0.345, 0.21), (0.36, 0.26), (0.405, 0.285), (0.43, 0.21)])
        rp = polyline_field([(0.655, 0.21), (0.64, 0.26), (0.595, 0.285), (0.57, 0.21)])
        loops = sum(_band(u, v, x - 0.006, x + 0.006, 0.14, 0.215) for x in (0.34, 0.45, 0.55, 0.66))
        rivets = sum(
            np.clip(1 - np.hypot(u - x, v - y) / 0.005, 0, 1) ** 0.3
            for x, y in ((0.43, 0.215), (0.57, 0.215))
        )
        brown = (0.55, 0.33, 0.12)
        return [
            (waist, 0.0, (0.62, 0.42, 0.12), 1.0),
            (fly, 0.0, (0.62, 0.42, 0.12), 1.0),
            (fly, 0.006, (0.62, 0.42, 0.12), 1.0),
            (lp, 0.0, (0.62, 0.42, 0.12), 1.0),
            (rp, 0.0, (0.62, 0.42, 0.12), 1.0),
            (loops * f["inside"], None, None, 2.0),
            (rivets * f["inside"], None, brown, 2.0),
        ]
    if name == "waist":
        seam = polyline_field([(0.3, 0.42), (0.7, 0.42)])
        return [(seam, 0.0, None, -1.5), (seam, 0.004, None, 1.0)]
    if name == "waistband":
        top = f["inside"] & (v < 0.33)
        band = dict(f, inside=top & up)
        line = polyline_field([(0.3, 0.335), (0.7, 0.335)])
        return [(band, 0.006, None, 1.0), (line, 0.0, None, -1.5)]
    if name == "zip":
        teeth = _band(u, v, 0.494, 0.506, 0.25, 0.9) * (0.6 + 0.4 * (np.sin(v * 1400) > 0))
        pull = _band(u, v, 0.49, 0.51, 0.255, 0.29)
        welts = sum(_band(u, v, x0, x0 + 0.09, 0.64, 0.648) for x0 in (0.34, 0.57))
        collar = polyline_field([(0.46, 0.15), (0.44, 0.23), (0.5, 0.3), (0.56, 0.23), (0.54, 0.15)])
        return [
            (teeth * f["inside"], None, (0.1, 0.1, 0.11), 1.5),
            (pull * f["inside"], None, (0.3, 0.3, 0.32), 3.0),
            (welts * f["inside"], None, (0.05, 0.035, 0.03), -2.0),
            (collar, 0.0, (0.07, 0.05, 0.04), -2.0),
            (collar, 0.006, None, 1.0),
        ]
    if name == "sole":
        stripe = np.clip(1 - np.abs(v - 0.676) / 0.0045, 0, 1)
        return [(stripe * f["inside"], None, (0.04, 0.07, 0.16), 0.5), (f, 0.006, None, 0.8)]
    if name == "sneaker":
        g = dict(f, inside=f["inside"] & down)
        top, bottom = np.array((0.49, 0.385)), np.array((0.655, 0.487))
        eyelets, laces = np.zeros(len(u)), np.zeros(len(u))
        for t in np.linspace(0, 1, 5):
            c = top + (bottom - top) * t
            eyelets += np.clip(1 - np.hypot(u - c[0], v - c[1]) / 0.007, 0, 1) ** 0.4
            along = np.abs((u - c[0]) * 0.84 - (v - c[1]) * 0.54)
            laces += np.clip(1 - along / 0.006, 0, 1) * (np.hypot(u - c[0], v - c[1]) < 0.03)
        tab = _band(u, v, 0.15, 0.175, 0.455, 0.53)
        collar = (f["into"][:, 1] > 0.3) & (u > 0.185) & (u < 0.42) & (v < 0.47)
        lining = np.clip((0.02 - f["dist"]) / 0.003, 0, 1) * f["inside"] * collar
        toe = np.clip((np.hypot((u - 0.8) / 0.09, (v - 0.62) / 0.07) - 1) / -0.05, 0, 1) * f["inside"]
        return [
            (lining, None, (0.03, 0.03, 0.035), -2.0),
            (toe, None, (0.44, 0.18, 0.055), 0.5),  # gum toe cap, like the sole
            (g, 0.01, (0.9, 0.88, 0.82), 1.0),
            (eyelets * f["inside"], None, (0.75, 0.76, 0.78), 2.0),
            (np.clip(laces, 0, 1) * f["inside"], None, (0.92, 0.91, 0.88), 3.0),
            (tab * f["inside"], None, (0.85, 0.83, 0.78), 1.0),
        ]
    raise ValueError(name)
