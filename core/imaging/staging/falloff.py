"""How light falls in a photographed scene, beyond the key light's shading: a soft pool of light on
the backdrop behind the product (a background light aimed there) fading to darker edges and top, a
broad sheen on the floor toward the light, and the lens's vignette. All smooth, so worked out on a
small grid and enlarged: a few milliseconds at any size."""

from __future__ import annotations

import math

import cv2
import numpy as np

from core.imaging.staging.camera import KeyLight, Stage

_GRID = 64
"""Columns of the grid the light maps are worked out on."""
POOL = 0.2
"""How much brighter the backdrop's pool is than its edges (share of the tone)."""
VIGNETTE = 0.12
"""How much darker the frame's corners are than its centre."""
SHEEN = {"marble": 0.1, "wood": 0.06, "terrazzo": 0.07, "concrete": 0.035, "studio": 0.03, "podium": 0.03}
"""Brightness of the floor's broad sheen toward the light, per style (matte ones have little)."""


def light_map(stage: Stage, key: KeyLight, style: str, size: tuple[int, int]) -> np.ndarray:
    """Multiplier (float32, `size` = (w, h), 3 channels) for the drawn scene: the backdrop's pool of
    light, the floor's sheen and the vignette; about 1 at the product's base."""
    rw, rh = size
    w, h = stage.size
    gw, gh = _GRID, max(2, round(_GRID * h / max(w, 1)))
    u = (np.arange(gw, dtype=np.float32) + 0.5) * (w / gw)
    v = (np.arange(gh, dtype=np.float32) + 0.5) * (h / gh)
    dx = -math.cos(math.radians(key.angle))  # the way the light travels across the picture
    wall = np.clip((stage.wall_row - v) / (0.08 * h) + 0.5, 0.0, 1.0)[:, None]
    # the pool: centred a little above the product and toward the light, wide and soft
    cx = stage.centre_x - 0.12 * w * dx
    cy = stage.horizon - 0.05 * h
    r2 = ((u[None, :] - cx) / (0.42 * w)) ** 2 + ((v[:, None] - cy) / (0.38 * h)) ** 2
    spread = 0.8 + 0.4 * key.softness
    pool = (1.0 - POOL) + POOL * np.exp(-r2 / spread)
    out = wall * pool + (1.0 - wall) * 1.0
    # the floor's sheen: a broad highlight far back, toward the side the light comes from
    gloss = SHEEN.get(style, 0.02) * (1.2 - 0.5 * key.softness)
    if gloss > 0:
        sx = stage.centre_x - 0.3 * w * dx
        depth = np.clip((v - stage.wall_row) / max(stage.base_row - stage.wall_row, 1.0), 0.0, 1.5)[:, None]
        band = np.exp(-(((u[None, :] - sx) / (0.35 * w)) ** 2)) * np.exp(-(((depth - 0.25) / 0.35) ** 2))
        out = out + (1.0 - wall) * gloss * band
    out = out * vignette_grid(gw, gh, VIGNETTE)
    small = np.ascontiguousarray(out.astype(np.float32))
    big = cv2.resize(small, (rw, rh), interpolation=cv2.INTER_LINEAR)
    return cv2.cvtColor(big, cv2.COLOR_GRAY2RGB)


def vignette(w: int, h: int, strength: float = VIGNETTE) -> np.ndarray:
    """A lens's gentle fall-off toward the corners (1 at the centre), as a 3-channel float map."""
    gh = max(2, round(_GRID * h / max(w, 1)))
    small = vignette_grid(_GRID, gh, strength)
    return cv2.cvtColor(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), cv2.COLOR_GRAY2RGB)


def vignette_grid(gw: int, gh: int, strength: float) -> np.ndarray:
    """The vignette on a `gw` x `gh` grid (float32)."""
    y, x = np.mgrid[0:gh, 0:gw].astype(np.float32)
    r2 = ((x + 0.5) / gw - 0.5) ** 2 + ((y + 0.5) / gh - 0.5) ** 2
    return (1.0 - strength * np.clip(r2 / 0.5, 0, 1) ** 1.3).astype(np.float32)
