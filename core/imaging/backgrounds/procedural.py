"""Procedural backgrounds: deterministic by seed, any size, coloured from a palette.

Each style is a small function of (height, width, palette, rng, light) that returns a float32
RGB array in 0..1. Large canvases are rendered at most `_RENDER_SIDE` px long and resized,
which keeps memory flat for 24 MP outputs (backgrounds are soft by nature).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from core.imaging.errors import UnknownStyleError
from core.scene import DEFAULT_SCENE

DEFAULT_PALETTE: list[str] = list(DEFAULT_SCENE["colors"])
"""The default scene's colours: the palette when neither the options nor a scene give one."""
_RENDER_SIDE = 2048
_SMOOTH_SIDE = {"studio": 384, "gradient": 384, "white": 8, "bokeh": 512, "window-light": 512, "podium": 1024}
"""Styles without fine texture render small and are resized (same look, a fraction of the time)."""


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
    return tuple(int(v[i:i + 2], 16) / 255.0 for i in (0, 2, 4))  # type: ignore[return-value]


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


def _mix(c0: np.ndarray, c1: np.ndarray, t: np.ndarray) -> np.ndarray:
    t = t[..., None]
    return c0 * (1.0 - t) + c1 * t


def _noise(rng: np.random.Generator, h: int, w: int, cell: float) -> np.ndarray:
    """Smooth value noise in 0..1 with features about `cell` px across."""
    gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
    return cv2.resize(rng.random((gh, gw), dtype=np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def _fbm(rng: np.random.Generator, h: int, w: int, cell: float, octaves: int = 4) -> np.ndarray:
    total, amp, norm = np.zeros((h, w), np.float32), 1.0, 0.0
    for _ in range(octaves):
        total += amp * _noise(rng, h, w, max(cell, 1.5))
        norm += amp
        amp *= 0.5
        cell /= 2.0
    return total / norm


def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    return y / max(h - 1, 1), x / max(w - 1, 1)


def _vignette(img: np.ndarray, strength: float) -> np.ndarray:
    h, w = img.shape[:2]
    y, x = _grid(h, w)
    r = np.sqrt((x - 0.5) ** 2 + (y - 0.45) ** 2) / 0.75
    return img * (1.0 - strength * np.clip(r, 0, 1) ** 2)[..., None]


def _studio(h, w, p: Palette, rng, light: Light, box):
    y, x = _grid(h, w)
    top, floor = p.lighten(p.light, 0.35), p.light
    sweep = 1.0 / (1.0 + np.exp(-(y - 0.62) * 9.0))
    img = _mix(top, floor * 0.93, sweep)
    glow = np.exp(-(((x - 0.5 + 0.25 * light.dx) / 0.55) ** 2 + ((y - 0.35) / 0.6) ** 2))
    img = img * (0.9 + 0.1 * glow[..., None])
    return _vignette(img, 0.18)


def _white(h, w, p, rng, light, box):
    return np.ones((h, w, 3), np.float32)


def _gradient(h, w, p: Palette, rng, light: Light, box):
    y, x = _grid(h, w)
    a = math.radians(light.angle)
    t = (x - 0.5) * -math.cos(a) + (y - 0.5) * math.sin(a) + 0.5
    t = np.clip(t, 0, 1)
    return _mix(p.lighten(p.light, 0.25), p.mid, t * t * (3 - 2 * t))


def _marble(h, w, p: Palette, rng, light, box):
    y, x = _grid(h, w)
    turb = _fbm(rng, h, w, max(h, w) / 3, 5)
    veins = np.abs(np.sin((x * 3.0 + y * 5.0) * math.pi + turb * 9.0))
    veins = (1.0 - veins) ** 10
    fine = (1.0 - np.abs(np.sin((x * 7.0 - y * 4.0) * math.pi + _fbm(rng, h, w, max(h, w) / 5, 5) * 12.0))) ** 30
    base = _mix(p.lighten(p.light, 0.6), p.lighten(p.light, 0.3), _fbm(rng, h, w, max(h, w) / 4, 3))
    img = _mix(base, p.mid, np.clip(veins * 0.7 + fine * 0.3, 0, 1) * 0.8)
    return img


def _linen(h, w, p: Palette, rng, light, box):
    weft = cv2.resize(rng.random((h, 1), dtype=np.float32), (w, h), interpolation=cv2.INTER_NEAREST)
    warp = cv2.resize(rng.random((1, w), dtype=np.float32), (w, h), interpolation=cv2.INTER_NEAREST)
    slub = _noise(rng, h, w, max(h, w) / 60)
    thread = 0.5 * weft + 0.5 * warp
    t = 0.55 * thread + 0.25 * slub + 0.2 * _fbm(rng, h, w, max(h, w) / 4, 2)
    img = _mix(p.darken(p.light, 0.08), p.lighten(p.light, 0.15), t)
    return _vignette(img, 0.12)


def _concrete(h, w, p: Palette, rng, light, box):
    grey = np.full(3, float(p.mid.mean()), np.float32) * 0.6 + p.mid * 0.4
    t = _fbm(rng, h, w, max(h, w) / 3, 6)
    speck = (rng.random((h, w), dtype=np.float32) > 0.985).astype(np.float32) * 0.25
    img = _mix(p.darken(grey, 0.15), p.lighten(grey, 0.25), t) - speck[..., None] * 0.5
    return _vignette(img, 0.15)


def _terrazzo(h, w, p: Palette, rng, light, box):
    img = np.ones((h, w, 3), np.float32) * p.lighten(p.light, 0.5)
    n = int(h * w / 2500) + 20
    chips = [p.mid, p.dark, *p.colors, p.lighten(p.dark, 0.4)]
    side = max(h, w)
    for _ in range(n):
        cx, cy = rng.random() * w, rng.random() * h
        r = side * (0.004 + 0.014 * rng.random() ** 2)
        k = int(rng.integers(4, 8))
        ang = np.sort(rng.random(k) * 2 * math.pi)
        rad = r * (0.6 + 0.4 * rng.random(k))
        pts = np.stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)], 1).astype(np.int32)
        color = chips[int(rng.integers(len(chips)))]
        cv2.fillPoly(img, [pts], tuple(float(c) for c in color), lineType=cv2.LINE_AA)
    return img * (0.96 + 0.04 * _fbm(rng, h, w, side / 4, 2))[..., None]


def _wood(h, w, p: Palette, rng, light, box):
    y, x = _grid(h, w)
    planks = 5
    plank = np.floor(y * planks)
    offset = rng.random(planks + 1).astype(np.float32)[plank.astype(int)]
    grain_noise = cv2.resize(rng.random((max(2, h // 3), 8), dtype=np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    rings = np.sin((y * planks * 14.0 + grain_noise * 3.0 + offset * 20 + x * 0.6) * math.pi) * 0.5 + 0.5
    base = _mix(p.mid, p.darken(p.mid, 0.25), rings ** 3)
    seams = (np.abs((y * planks) - np.round(y * planks)) < 0.006 * planks).astype(np.float32)
    img = base * (1.0 - 0.35 * seams)[..., None]
    return img * (0.92 + 0.08 * _fbm(rng, h, w, max(h, w) / 2, 3))[..., None]


def _bokeh(h, w, p: Palette, rng, light, box):
    y, _ = _grid(h, w)
    img = _mix(p.darken(p.mid, 0.2), p.darken(p.dark, 0.35), y)
    scale = 512 / max(h, w)
    sh, sw = max(8, int(h * scale)), max(8, int(w * scale))
    dots = np.zeros((sh, sw, 3), np.float32)
    for _ in range(45):
        c = (int(rng.random() * sw), int(rng.random() * sh * 0.8))
        r = int(sw * (0.02 + 0.07 * rng.random()))
        col = p.lighten(p.colors[int(rng.integers(len(p.colors)))], 0.2) * (0.12 + 0.25 * rng.random())
        layer = np.zeros_like(dots)
        cv2.circle(layer, c, max(r, 1), tuple(float(v) for v in col), -1, lineType=cv2.LINE_AA)
        dots = np.maximum(dots, layer) + layer * 0.1
    dots = cv2.GaussianBlur(dots, (0, 0), max(1.0, sw / 250))
    return np.clip(img + cv2.resize(dots, (w, h), interpolation=cv2.INTER_LINEAR), 0, 1)


def _window_light(h, w, p: Palette, rng, light: Light, box):
    img = _studio(h, w, p, rng, light, box) * 0.88
    scale = 512 / max(h, w)
    sh, sw = max(8, int(h * scale)), max(8, int(w * scale))
    gobo = np.zeros((sh, sw), np.float32)
    cols, rows = 3, 2
    x0 = int(sw * (0.15 if light.dx > 0 else 0.35))
    pw, ph = int(sw * 0.14), int(sh * 0.22)
    for i in range(cols):
        for j in range(rows):
            x, yy = x0 + i * int(pw * 1.15), int(sh * 0.08) + j * int(ph * 1.1)
            gobo[yy:yy + ph, x:x + pw] = 1.0
    shear = np.float32([[1, 0.45 * light.dx, -0.2 * sw * light.dx], [0, 1, 0]])
    gobo = cv2.warpAffine(gobo, shear, (sw, sh))
    gobo = cv2.GaussianBlur(gobo, (0, 0), 1.0 + 10.0 * light.softness)
    gobo = cv2.resize(gobo, (w, h), interpolation=cv2.INTER_LINEAR)
    warm = np.array([1.0, 0.97, 0.9], np.float32)
    return np.clip(img * (1.0 + 0.22 * gobo[..., None] * warm), 0, 1)


def _podium(h, w, p: Palette, rng, light: Light, box):
    img = _studio(h, w, p, rng, light, box)
    if box is None:
        bx0, by0, bx1, by1 = w * 0.3, h * 0.2, w * 0.7, h * 0.75
    else:
        bx0, by0, bx1, by1 = box
    cx = (bx0 + bx1) / 2
    rx = max((bx1 - bx0) * 0.75, w * 0.18)
    top = by1 - rx * 0.12
    ry = rx * 0.22
    color = p.mid
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (x - cx) / rx
    shade = np.clip(0.75 + 0.25 * (-u * light.dx) - 0.1 * u * u, 0.45, 1.0)
    body = (np.abs(u) <= 1) & (y >= top) & (y <= h + ry)
    img = np.where(body[..., None], color * shade[..., None], img)
    lid = ((x - cx) / rx) ** 2 + ((y - top) / ry) ** 2 <= 1
    img = np.where(lid[..., None], p.lighten(color, 0.2), img)
    return img


_STYLES: dict[str, Callable] = {
    "studio": _studio, "white": _white, "gradient": _gradient, "marble": _marble, "linen": _linen,
    "concrete": _concrete, "terrazzo": _terrazzo, "wood": _wood, "bokeh": _bokeh,
    "window-light": _window_light, "podium": _podium,
}
STYLES: tuple[str, ...] = tuple(_STYLES)


def check_style(style: str) -> str:
    if style not in _STYLES:
        raise UnknownStyleError(f"unknown style {style!r}; choose one of: {', '.join(STYLES)}")
    return style


def render_background(style: str, size: tuple[int, int], *, palette: list[str] | None = None,
                      seed: int = 0, light: Light | None = None,
                      product_box: tuple[float, float, float, float] | None = None) -> Image.Image:
    """An RGB background of `size` = (width, height); the same arguments give the same pixels."""
    fn = _STYLES[check_style(style)]
    w, h = size
    scale = min(1.0, _SMOOTH_SIDE.get(style, _RENDER_SIDE) / max(w, h))
    rw, rh = max(8, round(w * scale)), max(8, round(h * scale))
    box = None if product_box is None else tuple(v * scale for v in product_box)
    rng = np.random.default_rng(seed)
    img = fn(rh, rw, Palette(palette), rng, light or Light(), box)
    out = (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    if (rw, rh) != (w, h):
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_CUBIC)
    return Image.fromarray(out, "RGB")


class ProceduralBackground:
    """The offline backend: the procedural styles above, drawn from the options and the scene."""

    name = "procedural"
    label = "procedural (offline)"
    signature = None  # everything it draws from is in the options and the scene
    ledger = None

    def render(self, job: Any) -> Image.Image:  # job: BackgroundJob (base.py imports this module)
        return render_background(job.style, job.size, palette=job.palette, seed=job.seed, light=job.light,
                                 product_box=job.product_box)

    def __repr__(self) -> str:
        return "ProceduralBackground()"
