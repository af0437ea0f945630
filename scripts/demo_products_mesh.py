"""Meshes for the demo products (numpy only; the Blender side only loads arrays).

`flat_lay` turns a garment Canvas into a thin fabric shell lying on the paper: a height field over
the garment's outline whose edge rolls down to the paper (its outline vertices moved exactly onto the
outline), with stacked layers, padding (the Canvas's loft), low soft wrinkles, a few directed
folds. `tube` and `loft` build the sneaker's laces and body. Every mesh is (verts (n, 3) in metres,
faces (m, 3), uv (n, 2)).
"""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_cloth import RES, Canvas, noise

GRID = 1024
"""Height-field vertices across the photo square."""


def _signed_distance(mask: np.ndarray) -> np.ndarray:
    """Texels to the outline, positive inside."""
    m = (mask > 0.5).astype(np.uint8)
    inside = cv2.distanceTransform(m, cv2.DIST_L2, 5)
    outside = cv2.distanceTransform(1 - m, cv2.DIST_L2, 5)
    return inside - outside + np.where(m > 0, -0.5, 0.5)


def _folds(cv: Canvas, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    out = np.zeros_like(u)
    for a, b, width_mm, height_mm in cv.folds:
        a, b = np.asarray(a, float), np.asarray(b, float)
        d = b - a
        length = float(np.hypot(*d))
        t = ((u - a[0]) * d[0] + (v - a[1]) * d[1]) / length**2
        across = ((u - a[0]) * d[1] - (v - a[1]) * d[0]) / length
        along = np.sin(np.pi * np.clip(t, 0, 1)) ** 1.3  # ends fade out, no pinched dents
        out += height_mm / 1000 * along * np.exp(-0.5 * (across / cv.mm(width_mm)) ** 2)
    return out


def flat_lay(cv: Canvas, thickness_mm: float, wrinkle_mm: float) -> tuple[np.ndarray, ...]:
    """The garment's shell: heights in metres over the paper (z up), x right, y away from the viewer."""
    sdf_hi = _signed_distance(cv.mask)
    scale = GRID / RES
    sdf = cv2.resize(sdf_hi, (GRID, GRID), interpolation=cv2.INTER_LINEAR) * scale  # grid cells
    layers = cv2.resize(
        cv2.GaussianBlur(cv.layers, (0, 0), cv.px(1.2)), (GRID, GRID), interpolation=cv2.INTER_AREA
    )
    c = (np.arange(GRID) + 0.5) / GRID
    u, v = np.meshgrid(c, c)
    cell_mm = cv.frame * 1000 / GRID
    d_mm = np.maximum(sdf, 0) * cell_mm
    # the rolled edge: a soft quarter ellipse down to the paper (fabric, not cut card); a thin band
    # (a strap) rolls over its own thickness, so it stays flat rather than a tube
    k = 2 * int(8 / cell_mm) + 1
    near = cv2.dilate(layers, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    r = 1.6 * np.clip(near * 1000, 0.6, thickness_mm)
    roll = np.sqrt(np.clip(1 - (1 - np.clip(d_mm / r, 0, 1)) ** 2, 0, 1))
    inner = np.clip(d_mm / 25.0, 0, 1)  # wrinkles settle near the edge
    # only broad, gentle undulation: small-scale noise reads as blotchy, crumpled cloth
    w = noise((GRID, GRID), 5, cv.rng) * 0.75 + noise((GRID, GRID), 12, cv.rng) * 0.25
    lift = wrinkle_mm / 1000 * 0.5 * (w - np.median(w))
    h = layers * roll + np.maximum(lift, -0.8 * layers) * inner + _folds(cv, u, v) * inner
    loft = cv2.GaussianBlur(cv.loft, (0, 0), cv.px(3.0))
    h += cv2.resize(loft, (GRID, GRID), interpolation=cv2.INTER_AREA) * (sdf > 0)
    h = np.maximum(h, 0)
    keep = sdf > -1.5
    idx = -np.ones((GRID, GRID), np.int64)
    idx[keep] = np.arange(int(keep.sum()))
    gy, gx = np.gradient(sdf)
    gn = np.hypot(gx, gy) + 1e-9
    out = keep & (sdf < 0)
    uu, vv = u.copy(), v.copy()
    uu[out] -= (sdf * gx / gn)[out] / GRID
    vv[out] -= (sdf * gy / gn)[out] / GRID
    h[out] = 0.0
    verts = np.stack([(uu[keep] - 0.5) * cv.frame, (0.5 - vv[keep]) * cv.frame, h[keep]], 1)
    uv = np.stack([uu[keep], 1 - vv[keep]], 1)
    a, b = idx[:-1, :-1], idx[:-1, 1:]
    cc, dd = idx[1:, :-1], idx[1:, 1:]
    quad = (a >= 0) & (b >= 0) & (cc >= 0) & (dd >= 0)
    faces = np.concatenate(
        [np.stack([a[quad], cc[quad], b[quad]], 1), np.stack([b[quad], cc[quad], dd[quad]], 1)]
    )
    return verts.astype(np.float32), faces.astype(np.int32), uv.astype(np.float32)


def tube(path: np.ndarray, radius: float | np.ndarray, sides: int = 10, caps: bool = True) -> tuple:
    """A round tube along a 3-D polyline (laces); uv: (around, along in metres)."""
    p = np.asarray(path, float)
    n = len(p)
    rad = np.broadcast_to(np.asarray(radius, float), (n,))
    t = np.gradient(p, axis=0)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    ref = np.array([0.0, 0.0, 1.0])
    nrm = np.empty_like(p)
    first = np.cross(t[0], ref if abs(t[0] @ ref) < 0.9 else np.array([1.0, 0, 0]))
    nrm[0] = first / np.linalg.norm(first)
    for i in range(1, n):  # parallel transport: the tube does not twist
        x = nrm[i - 1] - (nrm[i - 1] @ t[i]) * t[i]
        nrm[i] = x / np.linalg.norm(x)
    bin_ = np.cross(t, nrm)
    a = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = np.cos(a)[None, :, None] * nrm[:, None] + np.sin(a)[None, :, None] * bin_[:, None]
    verts = (p[:, None] + rad[:, None, None] * ring).reshape(-1, 3)
    i, j = np.meshgrid(np.arange(n - 1), np.arange(sides), indexing="ij")
    v0, v1 = i * sides + j, i * sides + (j + 1) % sides
    faces = np.concatenate([np.stack([v0, v1, v1 + sides], -1), np.stack([v0, v1 + sides, v0 + sides], -1)])
    faces = faces.reshape(-1, 3)
    s = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(p, axis=0), axis=1))])
    uv = np.stack([np.tile(a / (2 * np.pi), n), np.repeat(s, sides)], 1)
    if caps:
        verts = np.vstack([verts, p[:1], p[-1:]])
        uv = np.vstack([uv, [[0, 0], [0, s[-1]]]])
        c0, c1 = len(verts) - 2, len(verts) - 1
        jj = np.arange(sides)
        last = (n - 1) * sides
        faces = np.vstack(
            [faces, np.stack([np.full(sides, c0), (jj + 1) % sides, jj], 1),
             np.stack([np.full(sides, c1), last + jj, last + (jj + 1) % sides], 1)]
        )  # fmt: skip
    return verts.astype(np.float32), faces.astype(np.int32), uv.astype(np.float32)


def grid_faces(rows: int, cols: int, wrap: bool) -> np.ndarray:
    """Quads (as triangles) of a rows × cols vertex grid, columns wrapping around if `wrap`."""
    i, j = np.meshgrid(np.arange(rows - 1), np.arange(cols if wrap else cols - 1), indexing="ij")
    a, b = i * cols + j, i * cols + (j + 1) % cols
    return np.concatenate([np.stack([a, b, b + cols], -1), np.stack([a, b + cols, a + cols], -1)]).reshape(
        -1, 3
    )
