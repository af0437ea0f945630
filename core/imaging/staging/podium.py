"""The podium: a cylinder standing on the sweep, drawn with the scene's camera (its top ellipse is as
open as the camera's height above it makes it), shaded by the key light, grounded by its own shadow."""

from __future__ import annotations

import math

import cv2
import numpy as np

from core.imaging.backgrounds.paint import Palette
from core.imaging.staging.camera import PODIUM_BACK, KeyLight, Stage


def ellipse(stage: Stage, level: float, n: int = 96) -> np.ndarray:
    """Canvas points of the podium's circle at height `level` (its top or its foot)."""
    phi = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = stage.podium_radius
    u, v = stage.project(r * np.cos(phi), np.full(n, level), 1.0 + r * (PODIUM_BACK + np.sin(phi)))
    return np.stack([u, v], 1)


_SHIFT = 4
"""Fractional bits of the polygon vertices: drawn at a fraction of the canvas size and enlarged, a
podium whose vertices are rounded to whole pixels shows facets along its rims."""


def _fixed(points: np.ndarray) -> np.ndarray:
    """Float canvas points as OpenCV's fixed-point vertices (with `shift=_SHIFT`)."""
    return np.rint(np.asarray(points, np.float64) * (1 << _SHIFT)).astype(np.int32).reshape(-1, 2)


def draw_podium(img: np.ndarray, stage: Stage, key: KeyLight, p: Palette, s: float) -> np.ndarray:
    """Lay the cylinder (and its contact and cast shadow on the floor) over the rendered sweep `img`
    (float RGB at render scale `s`)."""
    h, w = img.shape[:2]
    top = ellipse(stage, stage.podium_height) * s
    foot = ellipse(stage, 0.0) * s
    d = -key.travel
    # its shadow on the floor: the podium's outline pushed away from the light, soft, plus a dark foot
    shadow = np.zeros((h, w), np.float32)
    k = stage.podium_height / max(d[1], 0.2)
    fx, fz = -d[0] * k, -d[2] * k
    r = stage.podium_radius
    phi = np.linspace(0, 2 * math.pi, 64, endpoint=False)
    su, sv = stage.project(r * np.cos(phi) + fx, np.zeros(64), 1.0 + r * (PODIUM_BACK + np.sin(phi)) + fz)
    cast = np.concatenate([foot, np.stack([su, sv], 1) * s])
    cv2.fillConvexPoly(shadow, _fixed(cv2.convexHull(cast.astype(np.float32))), 1.0, cv2.LINE_AA, _SHIFT)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 4.0 + 10.0 * key.softness) * (0.32 - 0.14 * key.softness)
    ring = np.zeros((h, w), np.float32)
    cv2.fillConvexPoly(ring, _fixed(cv2.convexHull(foot.astype(np.float32))), 1.0, cv2.LINE_AA, _SHIFT)
    ring = cv2.GaussianBlur(ring, (0, 0), 2.5) * 0.4
    img = img * (1.0 - np.maximum(shadow, ring))[..., None]
    # the body: columns shaded by the cylinder's normal facing the light
    body = np.zeros((h, w), np.uint8)
    hull = _fixed(cv2.convexHull(np.concatenate([top, foot]).astype(np.float32)))
    cv2.fillConvexPoly(body, hull, 255, cv2.LINE_AA, _SHIFT)
    colour = p.lighten(p.mid, 0.35)
    xs = (np.arange(w, dtype=np.float32) / s - stage.centre_x) * (1.0 + PODIUM_BACK * r) / (stage.focal * r)
    nx = np.clip(xs, -1, 1)
    nz = -np.sqrt(1 - nx**2)
    lam = np.maximum(0, nx * d[0] + nz * d[2])
    side = colour * (key.ambient + (1 - key.ambient) * (0.35 + 0.75 * lam))[None, :, None]
    rows = np.arange(h, dtype=np.float32)[:, None, None]
    ao = 1.0 - 0.12 * np.clip((rows - top[:, 1].max()) / max(1.0, foot[:, 1].max() - top[:, 1].max()), 0, 1)
    side = np.broadcast_to(side, img.shape) * ao
    a = (body.astype(np.float32) / 255.0)[..., None]
    img = img * (1 - a) + side * a
    lid = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(lid, _fixed(top), 255, cv2.LINE_AA, _SHIFT)
    lid_tone = colour * min(1.12, key.ambient + (1 - key.ambient) * (0.5 + 0.6 * d[1]))
    a = (lid.astype(np.float32) / 255.0)[..., None]
    img = img * (1 - a) + lid_tone * a
    rim = np.zeros((h, w), np.float32)
    cv2.polylines(rim, [_fixed(top)], True, 1.0, 1, cv2.LINE_AA, _SHIFT)
    return img + 0.05 * cv2.GaussianBlur(rim, (0, 0), 0.8)[..., None] * (rows > top[:, 1].mean())
