"""The demo sneaker (a low canvas plimsoll) as meshes in metres: x from heel to toe, y across, z up.

The upper is a surface over the footprint, one cross-section per step along the shoe (`_upper_point`):
open at the collar and at the lace throat (a tongue shows there), closed over the vamp. The rubber
sole is lofted from the footprint with rounded edges, a contrast foxing stripe and a corrugated tread
band at the ground; a rubber toe cap follows the upper. Laces are tubes through metal eyelets,
criss-crossed and tied in a bow. The upper's texture (stitching, eyelet facings) is painted in its uv.
"""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_cloth import srgb
from demo_products_mesh import grid_faces, tube

SNEAKER_FRAME = 0.385
"""Width of the photo (metres) at the shoe."""
L = 0.28
SOLE = 0.027
CANVAS, RUBBER, STRIPE, LACE = srgb(38, 50, 78), srgb(222, 214, 196), srgb(36, 44, 70), srgb(228, 224, 214)
TREAD = srgb(212, 203, 184)


def _smooth(x: np.ndarray, xs: list, ys: list, sigma: float = 0.012) -> np.ndarray:
    """A piecewise-linear profile with its kinks smoothed out (no facets on the shoe)."""
    fine = np.linspace(-0.16, 0.16, 641)
    k = np.exp(-0.5 * (np.arange(-60, 61) * 0.0005 / sigma) ** 2)
    f = np.convolve(np.pad(np.interp(fine, xs, ys), 60, mode="edge"), k / k.sum(), mode="valid")
    return np.interp(x, fine, f)


def half_width(x: np.ndarray) -> np.ndarray:
    """Footprint half-width (m) along the shoe."""
    xs = [-0.14, -0.13, -0.11, -0.07, -0.02, 0.03, 0.07, 0.10, 0.12, 0.14]
    ws = [0.0, 0.026, 0.033, 0.034, 0.033, 0.042, 0.046, 0.041, 0.032, 0.0]
    w = _smooth(x, xs, ws)
    return w * _round_ends(x)


def _round_ends(x: np.ndarray) -> np.ndarray:
    """1 along the shoe, falling like a quarter ellipse over the last 4.5 cm of the toe (a round U in
    plan, not a box) and the last 2 of the heel."""
    toe = np.clip((0.14 - x) / 0.045, 0, 1)
    heel = np.clip((x + 0.14) / 0.02, 0, 1)
    return np.sqrt(1 - (1 - toe) ** 2) * (0.3 + 0.7 * np.sqrt(1 - (1 - heel) ** 2))


def dome(x: np.ndarray) -> np.ndarray:
    """Height of the upper's ridge along the shoe (where it is closed over the foot)."""
    return _smooth(
        x,
        [-0.14, -0.10, -0.05, -0.03, 0.045, 0.09, 0.115, 0.13, 0.14],
        [0.080, 0.088, 0.094, 0.092, 0.068, 0.059, 0.054, 0.050, 0.047],
    )


def collar(x: np.ndarray) -> np.ndarray:
    """Height of the collar's top edge (the opening) from the heel to the throat."""
    return _smooth(x, [-0.14, -0.12, -0.09, -0.06, -0.035], [0.078, 0.075, 0.066, 0.072, 0.092], 0.008)


def spring(p: np.ndarray) -> np.ndarray:
    """Toe spring: the front of the shoe lifts off the floor."""
    p = p.copy()
    p[..., 2] += 0.011 * np.clip((p[..., 0] - 0.06) / 0.08, 0, 1) ** 2
    return p


def sole_outline(a: np.ndarray) -> tuple:
    """The sole's side wall in plan at angle a around it (0: the heel, pi: the toe): x, y."""
    x = -0.14 * np.cos(a) * 0.999
    w = half_width(x) + 0.0035
    return x, np.where(np.sin(a) >= 0, 1, -1) * w * np.abs(np.sin(a)) ** 0.25


def _sole_half(x: np.ndarray) -> np.ndarray:
    """Half-width of the sole's wall at x from the middle to the toe (narrower than the footprint
    towards the end); behind the middle, 1 m (the heel is left alone)."""
    sx, sy = sole_outline(np.linspace(np.pi / 2, np.pi, 2001))
    return np.interp(x, sx, sy, left=1.0, right=0.0)


NOSE = (0.14291, 0.012)
"""The toe's nose in profile: a quarter ellipse from x = 0.0855 down to its upright end at (x, z) =
NOSE, which lies inside the sole, so the toe cap leaves the sole's top leaning back (about 58 degrees)
LEDGE behind the sole's front, instead of standing flush on it as a vertical face."""
LEDGE = 0.0012
"""How far the toe cap's foot stays inside the sole's outline round the toe."""
TUCK = 2.0
"""How high up the section the toe box curves in over the sole (the tuck falls as (1 - sin beta)^TUCK)."""


def _tuck(x: np.ndarray) -> np.ndarray:
    """How much the toe box's section curves in at its bottom, so the toe cap (the upper 1.2 mm under
    it) meets the sole's top inside its outline (a ledge of 0.5 mm where the cap begins, LEDGE round
    the toe) instead of hanging over the sole's side and front: the sole is narrower than the
    footprint at the toe. Zero behind x = 0.06 (the cap's foot begins at 0.068): the canvas in view
    moves well under a millimetre."""
    x = np.asarray(x, float)
    out = 0.0012
    ledge = 0.0005 + (LEDGE - 0.0005) * np.clip((x - 0.085) / 0.03, 0, 1)
    limit = _sole_half(x) - ledge
    w = half_width(x) + 0.0003 + out
    z0 = SOLE - 0.006
    top = _nose_top(x) + out
    s = np.linspace(0, 0.98, 99).reshape((-1,) + (1,) * x.ndim)  # up the section from its bottom
    rounder = 0.55 + 0.3 * np.clip((x - 0.03) / 0.09, 0, 1)
    z = z0 + (top - z0) * s**rounder
    y = w * np.sqrt(1 - s**2) * (1 + 0.12 * s)
    need = (1 - limit / np.maximum(y, 1e-9)) / (1 - s) ** TUCK  # at the sole's top and below it
    need = np.where(z <= SOLE + 0.0003, need, 0.0)
    return np.clip(need.max(0), 0, 1)


def _nose_top(x: np.ndarray) -> np.ndarray:
    """Height of the upper's ridge with the toe's nose rounded down into the sole."""
    xn, zn = NOSE
    t = np.clip((xn - x) / (xn - 0.0855), 0, 1)
    return zn + (dome(x) - zn) * np.sqrt(1 - (1 - t) ** 2)


def _upper_point(x: np.ndarray, beta: np.ndarray, out: float = 0.0, creased: bool = False) -> np.ndarray:
    """The upper's surface at x and angle beta (0: the far side's bottom, pi: the near side's)."""
    w = half_width(x) + 0.0003 + out
    z0 = SOLE - 0.006
    top = _nose_top(x) + out  # the toe's nose: a quarter ellipse
    s = np.sin(beta)
    y = w * np.cos(beta) * (1 + 0.12 * s) * (1 - _tuck(x) * (1 - np.abs(s)) ** TUCK)
    rounder = 0.55 + 0.3 * np.clip((x - 0.03) / 0.09, 0, 1)  # the toe box rounder in section
    z = z0 + (top - z0) * np.abs(s) ** rounder
    if creased:  # soft canvas wrinkles across the vamp, where the shoe flexes
        flex = np.exp(-0.5 * ((x - 0.058) / 0.014) ** 2) * np.abs(s) ** 2
        ripple = np.sin(2 * np.pi * (x + 0.018 * np.cos(beta)) / 0.012) + 0.5 * np.sin(7.0 * beta)
        z = z + 0.0013 * flex * ripple * (0.6 + 0.4 * np.cos(3.0 * beta))
    return np.stack([x, y, z], -1)


def _beta_edge(x: np.ndarray) -> np.ndarray:
    """Angle from either bottom to the edge of the opening (pi/2: closed)."""
    w = half_width(x) + 0.0015
    z0 = SOLE - 0.006
    frac = np.clip((collar(x) - z0) / (dome(x) - z0), 0, 1) ** (1 / 0.55)
    collar_b = np.arcsin(np.clip(frac, 0, 1))
    gap = 0.013 * np.clip((0.045 - x) / 0.08, 0, 1) ** 0.7
    throat_b = np.arccos(np.clip(gap / np.maximum(w, 1e-6), 0, 1))
    return np.where(x < -0.035, np.minimum(collar_b, throat_b), throat_b)


def upper(nx: int = 220, nb: int = 120) -> tuple:
    """The canvas upper: rows along the shoe, columns around it; the opening's faces left out."""
    x = -0.1395 + 0.279 * (1 - np.cos(np.linspace(0, np.pi, nx))) / 2
    j = np.linspace(0, 1, nb)
    be = _beta_edge(x)[:, None]
    beta = np.where(j < 0.5, j * 2 * be, np.pi - (1 - j) * 2 * be)
    p = spring(_upper_point(np.repeat(x[:, None], nb, 1), beta, creased=True))
    faces = grid_faces(nx, nb, wrap=False)
    col, row = faces % nb, faces // nb
    mid = nb // 2 - 1
    in_gap = np.isin(col, [mid, mid + 1]).all(1)
    open_row = np.isin(row, np.nonzero(be[:, 0] < np.pi / 2 - 1e-3)[0]).any(1)
    faces = faces[~(in_gap & open_row)]
    jj, xx = np.meshgrid(j, x)
    uv = np.stack([jj.ravel(), ((xx + 0.14) / L).ravel()], 1)
    return p.reshape(-1, 3), faces, uv


def sole(n: int = 240) -> dict:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x, y = sole_outline(a)
    w = half_width(x) + 0.0035

    def loft(levels: list, inset: list, wobble: float = 0.0) -> tuple:
        rings = []
        for z, d in zip(levels, inset, strict=True):
            k = 1 - d / np.maximum(w, 0.005)
            r = 1 + wobble * np.sin(np.cumsum(np.hypot(np.gradient(x), np.gradient(y))) / 0.005 * 2 * np.pi)
            rings.append(np.stack([x * (1 - d / 0.14) * r, y * k * r, np.full(n, z)], 1))
        pts = spring(np.concatenate(rings))
        return pts, grid_faces(len(levels), n, wrap=True), np.zeros((len(pts), 2))

    t = np.linspace(0, np.pi / 2, 6)
    r = 0.0015
    body_z = [0.0065, 0.015] + list(SOLE - r + r * np.sin(t))
    body_in = [0.0, 0.0] + list(r - r * np.cos(t))
    parts = {"sole": (*_cap(loft(body_z, body_in), n), "rubber", RUBBER)}
    parts["stripe"] = (*loft([0.0155, 0.0178], [-0.0004, -0.0004]), "rubber", STRIPE)
    tz = [0.0, 0.001, 0.0068]
    parts["tread"] = (*loft(tz, [0.0012, 0.0, 0.0002], wobble=0.0025), "rubber", TREAD)
    return parts


def _cap(mesh: tuple, n: int) -> tuple:
    """Close a loft's last ring with a fan (the sole's top, under the foot)."""
    pts, faces, uv = mesh
    top = pts[-n:]
    centre = top.mean(0)
    k = len(pts)
    i = np.arange(n)
    fan = np.stack([k - n + i, k - n + (i + 1) % n, np.full(n, k)], 1)
    return np.vstack([pts, centre]), np.vstack([faces, fan]), np.vstack([uv, [[0, 0]]])


def toe_cap(na: int = 40, nb: int = 100) -> tuple:
    beta = np.linspace(0.02, np.pi - 0.02, nb)
    h = np.sin(beta) ** 0.8  # the cap's edge: an arc bowing towards the heel, as a moulded cap's
    start = 0.10 - 0.045 * (1 - np.sqrt(1 - (1 - h) ** 2))
    a = np.linspace(0, 1, na)[:, None]
    x = start[None, :] + a * (0.1393 - start[None, :])
    p = spring(_upper_point(x, np.repeat(beta[None, :], na, 0), out=0.0012))
    return p.reshape(-1, 3), grid_faces(na, nb, wrap=False), np.zeros((na * nb, 2))


EYELETS = np.linspace(-0.030, 0.036, 6)


def _eyelet_points(side: int, lift: float = 0.0) -> np.ndarray:
    """Eyelet centres on the near (+1 => -y) or far side of the throat, just off the surface."""
    be = _beta_edge(EYELETS)
    d = 0.0075 / (half_width(EYELETS) + 0.0015)
    beta = np.pi - be + d if side > 0 else be - d
    return spring(_upper_point(EYELETS, beta, out=0.0008 + lift))


def hardware() -> dict:
    """Metal eyelets on both sides of the throat, the criss-crossed laces and the bow."""
    rings = []
    for side in (1, -1):
        be = _beta_edge(EYELETS)
        d = 0.0075 / (half_width(EYELETS) + 0.0015)
        beta = np.pi - be + d if side > 0 else be - d
        c = spring(_upper_point(EYELETS, beta, out=0.0008))
        across = spring(_upper_point(EYELETS, beta + 0.02, out=0.0008)) - c
        across /= np.linalg.norm(across, axis=1, keepdims=True)
        a = np.linspace(0, 2 * np.pi, 17)[:, None]
        for k in range(len(EYELETS)):
            ring = c[k] + 0.0032 * (np.cos(a) * [1.0, 0, 0] + np.sin(a) * across[k])
            rings.append(tube(ring, 0.0011, 8, caps=False))
    parts = {"eyelets": (*_merge(rings), "metal", srgb(186, 184, 176))}
    near, far = _eyelet_points(1, 0.002), _eyelet_points(-1, 0.002)
    strands = []
    for i in range(len(EYELETS) - 1):
        for a, b in ((near[i], far[i + 1]), (far[i], near[i + 1])):
            mid = (a + b) / 2 + np.array([0, 0, 0.004 + 0.001 * i])
            t = np.linspace(0, 1, 16)[:, None]
            strands.append(tube((1 - t) ** 2 * a + 2 * t * (1 - t) * mid + t**2 * b, 0.0022, 10))
    strands += _bow(near[0], far[0])
    parts["laces"] = (*_merge(strands), "lace", LACE)
    return parts


def _on_upper(x: np.ndarray, drop: np.ndarray, side: int, out: float) -> np.ndarray:
    """Points lying on the upper, `drop` radians down the near (+1) or far (-1) side from the throat."""
    be = _beta_edge(x)
    beta = np.pi - be + drop if side > 0 else be - drop
    return spring(_upper_point(x, beta, out=out))


def _bow(near: np.ndarray, far: np.ndarray) -> list:
    """The bow on the top eyelets: two loops lying over the sides, two loose ends with aglets."""
    knot = (near + far) / 2 + np.array([-0.003, 0, 0.006])
    r = 0.0022
    out = [tube(np.linspace(near, knot, 8), r, 10), tube(np.linspace(far, knot, 8), r, 10)]
    t = np.linspace(0, 1, 48)
    for side, x0, length, depth in ((1, -0.026, 0.045, 0.75), (-1, -0.03, 0.04, 0.6)):
        # a loop from the knot over one side and back: along the shoe and down its flank
        ang = 2 * np.pi * t
        x = x0 + length * 0.5 * (1 - np.cos(ang)) * (0.35 + 0.65 * t) * (1 if side > 0 else -0.6)
        drop = 0.1 + depth * np.sin(np.pi * t) ** 0.8 + 0.05 * np.sin(ang)
        loop = _on_upper(x, drop, side, 0.0035 + 0.004 * np.sin(np.pi * t))
        loop[0], loop[-1] = knot, knot + np.array([0.002, 0, 0])
        out.append(tube(loop, r, 10))
        # a loose end hanging down the same side
        s = np.linspace(0, 1, 30)
        end = _on_upper(x0 - 0.012 * s * side + 0.006, 0.1 + (0.9 if side > 0 else 0.5) * s, side, 0.003)
        end[0] = knot
        out.append(tube(end, r, 10))
        out.append(tube(end[-4:] + (end[-1] - end[-4]) * 0.6, 0.0026, 10))  # the aglet
    return out


def _merge(meshes: list) -> tuple:
    verts, faces, uvs, k = [], [], [], 0
    for v, f, uv in meshes:
        verts.append(v)
        faces.append(f + k)
        uvs.append(uv)
        k += len(v)
    return np.vstack(verts), np.vstack(faces), np.vstack(uvs)


def upper_texture(size: tuple = (1024, 2048)) -> tuple:
    """Colour and bump maps in the upper's uv (image rows: along the shoe from the heel; columns:
    around it): double stitching along the collar and throat edges and above the toe cap."""
    h, w = size
    colour = np.empty((h, w, 3), np.float32)
    colour[:] = CANVAS
    bump = np.zeros((h, w), np.float32)
    thread = srgb(200, 196, 186)

    def stitches(u: np.ndarray, v: np.ndarray) -> None:
        img = np.zeros((h, w), np.uint8)
        q = np.round(np.stack([u * w, v * h], 1) * 16).astype(np.int32)
        for i in range(0, len(q) - 1, 2):
            cv2.line(img, tuple(q[i]), tuple(q[i + 1]), 255, 2, cv2.LINE_AA, 4)
        m = img.astype(np.float32) / 255
        colour[:] = colour * (1 - 0.85 * m[..., None]) + thread * 0.85 * m[..., None]
        bump[:] += 0.5 * cv2.GaussianBlur(m, (0, 0), 1.0)

    v = np.arange(0.004, 0.655, 0.011)
    for col in (0.445, 0.47, 0.53, 0.555):
        stitches(np.full(len(v), col), v)
    for x in (0.087, 0.093):
        u = np.arange(0.02, 0.98, 0.006)
        stitches(u, np.full(len(u), (x + 0.14) / L))
    for d in (0.0, 0.006):  # the vamp's seam, curving back from the throat down to the sole
        u = np.arange(0.5, 0.985, 0.006)
        x = 0.047 + d - 0.07 * ((u - 0.5) * 2) ** 1.3
        for side in (u, 1 - u):
            stitches(side, (x + 0.14) / L)
    return colour, bump


def sneaker() -> dict:
    """Part name -> (verts, faces, uv, weave, colour); the upper's maps come from `upper_texture`."""
    parts = {"upper": (*upper(), "canvas", CANVAS), "toecap": (*toe_cap(), "rubber", RUBBER)}
    parts.update(sole())
    parts.update(hardware())
    parts["tongue"] = (*tongue(), "canvas", CANVAS)
    return parts


def tongue(nx: int = 60, ny: int = 24) -> tuple:
    """The tongue under the laces, curling up out of the collar at its top."""
    x = np.linspace(-0.062, 0.05, nx)[:, None]
    y = np.linspace(-0.021, 0.021, ny)[None, :]
    top = np.interp(x, [-0.062, -0.04, 0.05], [0.104, 0.094, 0.064]) - 0.003
    z = top - 9.0 * y**2
    p = spring(np.stack(np.broadcast_arrays(x, y, z), -1))
    uv = np.stack(np.broadcast_arrays((x + 0.14) / L + 0 * y, 0.5 + y * 2), -1)
    return p.reshape(-1, 3), grid_faces(nx, ny, wrap=False)[:, ::-1], uv.reshape(-1, 2)
