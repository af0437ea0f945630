"""Colour and noise primitives for the procedural styles: the key light, palettes sorted into
light / mid / dark roles, material tones, fractal value noise and the soft light pool."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from core.scene import DEFAULT_SCENE

DEFAULT_PALETTE: list[str] = list(DEFAULT_SCENE["colors"])
"""The default scene's colours: the palette when neither the options nor a scene give one."""


@dataclass(frozen=True)
class Light:
    """Where the key light comes from (degrees counter-clockwise from the right: 90 = above,
    135 = upper left) and how soft it is (0 = hard sun, 1 = overcast)."""

    angle: float = 135.0
    softness: float = 0.6

    @property
    def dx(self) -> float:
        """Horizontal direction the light travels (shadows fall this way)."""
        return -math.cos(math.radians(self.angle))


def hex_to_rgb(value: str) -> tuple[float, float, float]:
    v = value.strip().lstrip("#")
    if len(v) == 3:
        v = "".join(c * 2 for c in v)
    if len(v) != 6 or any(c not in "0123456789abcdefABCDEF" for c in v):
        raise ValueError(f"{value!r} is not a #rrggbb colour")
    return tuple(int(v[i : i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


class Palette:
    """A palette sorted into light / mid / dark roles."""

    def __init__(self, colors: list[str] | None):
        rgbs = [np.array(hex_to_rgb(c), dtype=np.float32) for c in (colors or DEFAULT_PALETTE)]
        rgbs.sort(key=lambda c: float(c @ np.array([0.299, 0.587, 0.114])), reverse=True)
        self.colors = rgbs
        self.light = rgbs[0]
        self.dark = rgbs[-1]
        self.mid = rgbs[len(rgbs) // 2]

    def lighten(self, c: np.ndarray, t: float) -> np.ndarray:
        return c + (1.0 - c) * t

    def darken(self, c: np.ndarray, t: float) -> np.ndarray:
        return c * (1.0 - t)


def mix(c0: np.ndarray, c1: np.ndarray, t: np.ndarray) -> np.ndarray:
    """c0 blended into c1 by the map t (H×W): H×W×3. Two colours are blended one channel at a time
    (numpy broadcasting a map over a colour's three channels runs a 3-element inner loop, ~10x slower)."""
    if np.ndim(c0) == 1 and np.ndim(c1) == 1:
        s = 1.0 - t
        return cv2.merge([c0[i] * s + c1[i] * t for i in range(3)])
    t = t[..., None]
    return c0 * (1.0 - t) + c1 * t


def tint(colour: np.ndarray, m: np.ndarray, dtype: type | None = None) -> np.ndarray:
    """A colour times a map (H×W): H×W×3, one channel at a time (see `mix`), each channel cast to
    `dtype` if given before they are interleaved (OpenCV interleaves float32 several times faster)."""
    planes = [colour[i] * m for i in range(3)]
    return cv2.merge(planes if dtype is None else [c.astype(dtype) for c in planes])


def spread(m: np.ndarray) -> np.ndarray:
    """An H×W map as H×W×3, to multiply an image with (same-shape arrays: numpy's fast loops)."""
    return cv2.merge((m, m, m))


def tone(p: Palette, base: np.ndarray, amount: float) -> np.ndarray:
    """A natural material colour `base` tinted towards the palette by `amount` (restraint: 0.1-0.3)."""
    return base * (1.0 - amount) + p.light * amount


def noise(rng: np.random.Generator, h: int, w: int, cell: float, aspect: float = 1.0) -> np.ndarray:
    """Smooth value noise in 0..1 with features about `cell` px across (`aspect` > 1 stretches them along x)."""
    gh, gw = max(2, int(h / cell) + 3), max(2, int(w / (cell * aspect)) + 3)
    return cv2.resize(rng.random((gh, gw), dtype=np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def fbm(
    rng: np.random.Generator,
    h: int,
    w: int,
    cell: float,
    octaves: int = 4,
    gain: float = 0.5,
    aspect: float = 1.0,
) -> np.ndarray:
    """Fractal noise: octaves of value noise, each half the size and `gain` times the strength; ~0..1."""
    total, amp, norm = np.zeros((h, w), np.float32), 1.0, 0.0
    for _ in range(octaves):
        total += amp * noise(rng, h, w, max(cell, 1.5), aspect)
        norm += amp
        amp *= gain
        cell /= 2.0
    return total / norm


def grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return y / max(h - 1, 1), x / max(w - 1, 1)


def light_falloff(h: int, w: int, light: Light, strength: float) -> np.ndarray:
    """A broad, soft pool of light from the key light's side (1 in the pool, less away from it)."""
    y, x = grid(h, w)
    cx, cy = 0.5 - 0.35 * light.dx, 0.2
    r2 = ((x - cx) / 1.1) ** 2 + ((y - cy) / 1.2) ** 2
    return spread(1.0 - strength * np.clip(r2, 0, 1.5) / 1.5)
