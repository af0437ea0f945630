"""Was the photo taken from straight above an item lying flat (a flat-lay), or side-on? Read from the
photo and its mask, no model: an item lying on a surface is ringed all round by its own soft shadow
(the fabric is lifted a little off the ground), the band above it included, and the surface around it
is the same all round (no floor meeting a wall across the rows). A product standing side-on has its
shadow under its base only, and above it the backdrop (a wall, the sky, a room) — never its shadow."""

from __future__ import annotations

import cv2
import numpy as np

_SIDE = 360
"""Longest side the photo is judged at (the signs are broad; finer adds only noise)."""
_SECTORS = ("top", "bottom", "left", "right")
RING_DARK = 0.012
"""How much darker (share of the surface's lightness) the band round the item must be on every side
to count as the item's own shadow ringing it."""
LONG_DARK = 0.04
"""How dark a hard light's drop shadow must be along the whole of a side (share of the lightness)."""
BARE = 0.02
"""On a plain ground with no shadow at all, the band round the item differs by less than this."""
SURFACE_CHANGE = 0.15
"""Largest difference (share of lightness) of the surface above and below the item: beyond it the
photo shows a floor meeting a wall (or a sweep's falloff), not one flat surface."""
SURFACE_TEXTURE = 0.07
"""Largest spread (robust std over mean) of the surface's lightness within each side: a cluttered
scene (grass, a room, a street) is no flat-lay ground."""
BARE_TEXTURE = 0.03
"""A shadowless ground must be plainer still (seamless paper, not a floor or a wall)..."""
BARE_LIGHT = (170.0, 250.0)
"""...and light, as the paper garments are laid on is (a grey card is a product shot's, pure white a
cut-out's), in grey levels."""
BARE_UNDER = 0.01
"""...and no darker under the item than above it: a product standing on a seamless sweep throws even
its softest shadow below its base only."""


def looks_flat_lay(rgb: np.ndarray, mask: np.ndarray) -> bool:
    """True when the photo reads as an item lying flat seen from above: one plain surface all round
    it, as light above as below it (no floor meeting a wall), and either its own soft shadow ringing
    the whole outline (the side above included, where a standing product shows its backdrop) or —
    a garment shot straight-on on a plain ground — no shadow anywhere (a standing product casts one
    under its base)."""
    ring = _ring(rgb, mask)
    if ring is None:
        return False
    sides = {k: ring[k] for k in _SECTORS}
    dark = [d for d, _, _ in sides.values()]
    far = [f for _, f, _ in sides.values()]
    texture = max(t for _, _, t in sides.values())
    top, bottom = sides["top"][1], sides["bottom"][1]
    level = abs(top - bottom) / max(top, bottom, 1.0) <= SURFACE_CHANGE
    ringed = (min(dark) >= RING_DARK or _along_a_side(ring)) and texture <= SURFACE_TEXTURE
    bare = (
        max(map(abs, dark)) < BARE
        and texture <= BARE_TEXTURE
        and BARE_LIGHT[0] <= min(far)
        and max(far) < BARE_LIGHT[1]
        and sides["bottom"][0] - sides["top"][0] < BARE_UNDER
    )
    return level and (ringed or bare)


def _along_a_side(ring: dict[str, tuple[float, float, float]]) -> bool:
    """A hard light's drop shadow: the item's shadow runs the whole length of its left or right side
    (its upper half as dark as its lower) and along its top or bottom — a standing product's cast
    shadow darkens a side only near the floor, and never its top."""
    ends = max(ring["top"][0], ring["bottom"][0]) >= RING_DARK
    return ends and any(
        min(ring.get(f"{s}_up", (0.0,))[0], ring.get(f"{s}_low", (0.0,))[0]) >= LONG_DARK
        for s in ("left", "right")
    )


def _ring(rgb: np.ndarray, mask: np.ndarray) -> dict[str, tuple[float, float, float]] | None:
    """Per side of the outline (by its outward normal; left and right also by upper and lower half):
    how much darker the band just outside the item is than the surface a little further out, that
    surface's lightness, and its texture; None
    when the item fills the frame, touches two of its sides or leaves too little surface to read."""
    h, w = mask.shape[:2]
    q = min(1.0, _SIDE / max(h, w))
    size = (max(8, round(w * q)), max(8, round(h * q)))
    solid = cv2.resize(mask, size, interpolation=cv2.INTER_AREA) >= 128
    grey = cv2.cvtColor(
        cv2.resize(np.ascontiguousarray(rgb), size, interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY
    )
    area = int(solid.sum())
    if area < 200 or area > 0.7 * solid.size:
        return None
    edges = (solid[0].any(), solid[-1].any(), solid[:, 0].any(), solid[:, -1].any())
    if sum(edges) >= 2:
        return None
    # distance from the item: the band 1..r out is its shadow's place, r2..r3 the open surface
    dist = cv2.distanceTransform((~solid).astype(np.uint8), cv2.DIST_L2, 5)
    scale = float(np.sqrt(area))
    near = (dist > 1.5) & (dist <= max(3.0, 0.05 * scale))
    far = (dist > max(6.0, 0.14 * scale)) & (dist <= max(10.0, 0.26 * scale))
    gy, gx = np.gradient(cv2.GaussianBlur(dist, (0, 0), 1.5))
    norm = np.maximum(np.hypot(gx, gy), 1e-6)
    gx, gy = gx / norm, gy / norm
    sector = {"top": gy < -0.7, "bottom": gy > 0.7, "left": gx < -0.7, "right": gx > 0.7}
    rows = np.flatnonzero(solid.any(axis=1))
    upper = (np.arange(solid.shape[0]) < (rows[0] + rows[-1]) / 2.0)[:, None]
    for side in ("left", "right"):  # each side's upper and lower half (a shadow along a whole side)
        sector[f"{side}_up"] = sector[side] & upper
        sector[f"{side}_low"] = sector[side] & ~upper
    lum = grey.astype(np.float32)
    out: dict[str, tuple[float, float, float]] = {}
    for name, where in sector.items():
        n, f = lum[near & where], lum[far & where]
        if n.size < 12 or f.size < 12:
            if name in _SECTORS:
                return None
            continue
        fm = float(np.median(f))
        spread = 1.4826 * float(np.median(np.abs(f - fm))) / max(fm, 1.0)
        out[name] = (1.0 - float(np.median(n)) / max(fm, 1.0), fm, spread)
    return out
