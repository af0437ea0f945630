"""Demo product parts as closed meshes: an outline inflated front and back (a Poisson membrane, so a
garment looks filled out on an invisible form), with soft folds that hang under gravity."""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_shapes import Part, ring_field, sample


def fold_field(u: np.ndarray, v: np.ndarray, part: Part) -> np.ndarray:
    """Soft vertical folds (a few random sines), growing towards the hem, fanning out for a flare."""
    rng = np.random.default_rng(part.seed)
    phase = u if part.flare is None else np.arctan2(u - 0.5, v - part.flare) / 3.0
    out = np.zeros_like(u)
    for freq in (5.0, 9.0, 15.0, 23.0):
        out += rng.uniform(0.5, 1.0) / freq**0.6 * np.sin(phase * freq * 2 * np.pi + rng.uniform(0, 6.3))
    grow = np.clip((v - part.fold_from) / 0.35, 0.15, 1.0)
    return part.folds * grow * out


def membrane(rings: list[np.ndarray], side: int = 512) -> np.ndarray:
    """An inflated membrane over the outline (Poisson: a soap film pushed out evenly), 0 on the outline,
    1 at its highest: round like a filled garment, with no creases along the outline's skeleton."""
    fill = np.zeros((side, side), np.uint8)
    fixed = [np.round(r * side * 16).astype(np.int32) for r in rings]
    cv2.fillPoly(fill, fixed[:1], 1, cv2.LINE_8, 4)
    if len(fixed) > 1:
        cv2.fillPoly(fill, fixed[1:], 0, cv2.LINE_8, 4)
    kernel = np.array([[0, 0.25, 0], [0.25, 0, 0.25], [0, 0.25, 0]], np.float32)
    h = np.zeros((32, 32), np.float32)
    for n in (32, 64, 128, 256, side):
        inside = cv2.resize(fill, (n, n), interpolation=cv2.INTER_AREA).astype(np.float32)
        h = cv2.resize(h, (n, n), interpolation=cv2.INTER_LINEAR) * inside
        for _ in range(150):
            h = (cv2.filter2D(h, -1, kernel, borderType=cv2.BORDER_CONSTANT) + 0.25 / n**2) * inside
    return h / max(float(h.max()), 1e-9)


def heights(
    u: np.ndarray, v: np.ndarray, dist: np.ndarray, film: np.ndarray, part: Part
) -> tuple[np.ndarray, np.ndarray]:
    """Front and back depth of a part (0 on the outline): the membrane's height, rounded at the rim
    (the square root gives the outline a vertical tangent), folds added in front."""
    body = part.thickness * np.sqrt(np.clip(film, 0, 1))
    rim = np.clip(dist / part.rounding, 0, 1)
    body = np.maximum(body, part.thickness * 0.35 * np.sqrt(1 - (1 - rim) ** 2))
    if part.taper is not None:
        centre, half = part.taper
        body = body * np.sqrt(np.clip(1 - np.abs((u - centre) / half) ** 4, 0, 1))
    ease = np.clip(dist / 0.025, 0, 1) ** 2
    folds = fold_field(u, v, part) * ease
    return body + folds, part.back * body


GRID = 0.0025
"""Mesh spacing in unit coordinates (2.5 px of a 1024 px photo)."""


def _bilinear(raster: np.ndarray, uv: np.ndarray) -> np.ndarray:
    """`raster` (over the unit square) at `uv`, interpolated: nearest-pixel lookups beat against the
    mesh grid into a visible checker of facets."""
    n = raster.shape[0]
    xy = np.clip(uv * n - 0.5, 0, n - 1.001)
    i = xy.astype(int)
    t = xy - i
    r = raster
    top = r[i[:, 1], i[:, 0]] * (1 - t[:, 0]) + r[i[:, 1], i[:, 0] + 1] * t[:, 0]
    low = r[i[:, 1] + 1, i[:, 0]] * (1 - t[:, 0]) + r[i[:, 1] + 1, i[:, 0] + 1] * t[:, 0]
    return top * (1 - t[:, 1]) + low * t[:, 1]


def pillow_mesh(part: Part) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A closed pillow: front and back height fields over a grid, joined on the outline.

    Returns vertices (u, v, depth; depth < 0 towards the camera), triangles and per-vertex uv."""
    pts = np.vstack(part.rings)
    lo, hi = pts.min(0) - 2 * GRID, pts.max(0) + 2 * GRID
    nu, nv = int((hi[0] - lo[0]) / GRID) + 1, int((hi[1] - lo[1]) / GRID) + 1
    gu, gv = np.meshgrid(lo[0] + GRID * np.arange(nu), lo[1] + GRID * np.arange(nv), indexing="xy")
    grid = np.stack([gu.ravel(), gv.ravel()], 1)
    f = sample(ring_field(part.rings), grid)
    inside = f["inside"].reshape(nv, nu)
    cell = inside[:-1, :-1] | inside[1:, :-1] | inside[:-1, 1:] | inside[1:, 1:]
    used = np.zeros((nv, nu), bool)
    for dy in (0, 1):
        for dx in (0, 1):
            used[dy : nv - 1 + dy, dx : nu - 1 + dx] |= cell
    used = used.ravel()
    uv = np.where(f["inside"][:, None], grid, f["closest"])  # outside corners snap onto the outline
    dist = np.where(f["inside"], f["dist"], 0.0)
    film = membrane(part.rings)
    front, back = heights(uv[:, 0], uv[:, 1], dist, _bilinear(film, uv), part)
    rim = used & ~f["inside"]
    core = used & f["inside"]
    ids = np.cumsum(used) - 1
    back_ids = np.where(rim, ids, int(used.sum()) + np.cumsum(core) - 1)
    verts = np.vstack(
        [
            np.stack([uv[used, 0], uv[used, 1], -front[used]], 1),
            np.stack([uv[core, 0], uv[core, 1], back[core]], 1),
        ]
    )
    cy, cx = np.nonzero(cell)
    a, b = cy * nu + cx, cy * nu + cx + 1
    c, d = (cy + 1) * nu + cx + 1, (cy + 1) * nu + cx
    quads = np.concatenate([np.stack([a, d, c], 1), np.stack([a, c, b], 1)])
    faces = np.concatenate([ids[quads], back_ids[quads][:, ::-1]])
    ok = (faces[:, 0] != faces[:, 1]) & (faces[:, 1] != faces[:, 2]) & (faces[:, 0] != faces[:, 2])
    return verts, faces[ok], np.vstack([uv[used], uv[core]])
