"""Which side the photo's own key light comes from, read from the shadow the product throws on a plain
surface. A product keeps the shading it was photographed in: lit from the right, it cannot stand in a
scene whose shadow falls to the right as well (a reviewer sees the mismatch at once). On a plain
backdrop (a studio sweep, a table, paper) the product's shadow is the darker side of the surface round
its lower part; on a busy background (grass, paving, a street) the surface's own pattern would be
mistaken for shadow, so nothing is read and the scene's default light stands."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from core.imaging.backgrounds.paint import Light
from core.imaging.scene import direction_in_scene, light_from_scene

SIDE = 256
"""Longest side (px) of the copy the surface is read on."""
PLAIN = 3.0
"""Largest median deviation of the surface's lightness (OpenCV L*, 0-255) for it to count as plain:
studio paper and seamless sweeps read 0-3, the tidiest real scene in the shared photos 4."""
SMOOTH = 1.5
"""Largest median |Laplacian| of the surface (its grain): paper 0-0.1, paving and grass 1-11."""
MIN_SHADE = 0.04
"""The shadowed side is at least this much darker than the surface (share of its lightness)..."""
MIN_LEAN = 0.03
"""...and at least this much darker than the other side."""
FROM_LEFT, FROM_RIGHT = 135.0, 45.0
"""The key light's angle (degrees counter-clockwise from the right) for either side."""


def light_side(rgb: np.ndarray, alpha: np.ndarray) -> float | None:
    """The key light's angle as the photo shows it (FROM_LEFT or FROM_RIGHT), or None when its surface
    is not plain or the product throws no clear shadow to one side."""
    h, w = alpha.shape
    q = min(1.0, SIDE / max(h, w))
    size = (max(8, round(w * q)), max(8, round(h * q)))
    light = cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[..., 0], size, interpolation=cv2.INTER_AREA)
    light = light.astype(np.float32)
    solid = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA) >= 128
    rows, cols = np.flatnonzero(solid.any(axis=1)), np.flatnonzero(solid.any(axis=0))
    if rows.size == 0:
        return None
    extent = max(rows[-1] + 1 - rows[0], cols[-1] + 1 - cols[0])
    away = cv2.distanceTransform((~solid).view(np.uint8), cv2.DIST_L2, 5)
    near = (away >= 1.5) & (away <= 0.08 * extent)
    surface = (away > 0.12 * extent) & (away <= 0.3 * extent)
    if surface.sum() < 50:
        return None
    level = float(np.median(light[surface]))
    grain = np.abs(cv2.Laplacian(cv2.GaussianBlur(light, (0, 0), 1.0), cv2.CV_32F))
    if (
        level <= 0
        or float(np.median(np.abs(light[surface] - level))) > PLAIN
        or float(np.median(grain[surface])) > SMOOTH
    ):
        return None
    shade = np.clip(1.0 - light / level, 0.0, 1.0)
    yy, xx = np.mgrid[: size[1], : size[0]]
    low = near & (yy >= rows[0] + 0.4 * (rows[-1] + 1 - rows[0]))  # the floor round its lower part
    middle = (cols[0] + cols[-1] + 1) / 2
    left, right = low & (xx < middle), low & (xx >= middle)
    if left.sum() < 20 or right.sum() < 20:
        return None
    on_left, on_right = float(shade[left].mean()), float(shade[right].mean())
    if max(on_left, on_right) < MIN_SHADE or abs(on_right - on_left) < MIN_LEAN:
        return None
    return FROM_LEFT if on_right > on_left else FROM_RIGHT


def key_light(
    angle: float | None,
    softness: float | None,
    scene: dict[str, Any] | None,
    rgb: np.ndarray,
    alpha: np.ndarray,
) -> tuple[Light, str | None]:
    """The scene's key light and, when the photo chose its side, a note saying so. The angle is the
    user's, else the one the trend scene's lighting words name, else the side the photo's own shadow
    shows (the product keeps the shading it was shot in), else the default; the softness is the user's
    or the scene's."""
    from_scene = light_from_scene(scene)
    note = None
    if angle is None and direction_in_scene(scene) is None:
        angle = light_side(rgb, alpha)
        if angle is not None:
            side = "right" if angle < 90 else "left"
            note = f"light from the upper {side}, as the product's shadow in the photo shows (set the light to change it)"
    return Light(
        angle=from_scene.angle if angle is None else angle,
        softness=from_scene.softness if softness is None else softness,
    ), note
