"""Procedural backgrounds: deterministic by seed, any size, coloured from a palette.

Each style is a small function of (height, width, palette, rng, light, product box) that returns a
float32 RGB array in 0..1. Surfaces are built from fractal value noise (multi-octave, domain-warped
where stone needs it) and coloured as natural materials tinted towards the trend palette with
restraint. Every style renders at its own modest size and is resized to the canvas, which keeps a
2000-px background under 100 ms and memory flat for 24 MP outputs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from PIL import Image

from core.imaging.backgrounds.paint import (
    Light,
    Palette,
    fbm,
    grid,
    light_falloff,
    mix,
    noise,
    tone,
)
from core.imaging.errors import UnknownStyleError

_RENDER_SIDE = {
    "studio": 384,
    "gradient": 384,
    "white": 8,
    "bokeh": 512,
    "window-light": 512,
    "podium": 640,
    "marble": 640,
    "concrete": 560,
    "linen": 720,
    "wood": 720,
    "terrazzo": 800,
}
"""Longest side each style is rendered at before resizing to the canvas: smooth styles render tiny,
textured ones as large as their finest detail needs (a 2000-px background stays under 100 ms)."""


def _studio(h, w, p: Palette, rng, light: Light, box):
    y, x = grid(h, w)
    top, floor = p.lighten(p.light, 0.35), p.light
    sweep = 1.0 / (1.0 + np.exp(-(y - 0.62) * 9.0))
    img = mix(top, floor * 0.93, sweep)
    return img * light_falloff(h, w, light, 0.16)


def _white(h, w, p, rng, light, box):
    return np.ones((h, w, 3), np.float32)


def _gradient(h, w, p: Palette, rng, light: Light, box):
    y, x = grid(h, w)
    a = math.radians(light.angle)
    t = np.clip((x - 0.5) * -math.cos(a) + (y - 0.5) * math.sin(a) + 0.5, 0, 1)
    return mix(p.lighten(p.light, 0.25), p.mid, t * t * (3 - 2 * t))


def _marble(h, w, p: Palette, rng, light, box):
    """Carrara-like: a warm white ground with cloudy depth; veins are level lines of a field that runs
    diagonally and is pushed around by fine-grained turbulence (Perlin's marble), so they wander and
    fray like stone: two or three strong veins with soft halos, and fainter fine ones between them."""
    side = max(h, w)
    y, x = grid(h, w)
    ang = rng.uniform(0.3, 0.8)
    along = x * (w / side) * math.cos(ang) + y * (h / side) * math.sin(ang)
    turb = fbm(rng, h, w, side / 2.2, 5, gain=0.6)
    field = along * 2.0 + 1.3 * turb
    s_major = np.sin(math.pi * field)
    # a real vein is not a drawn line: it swells and thins, fades into the stone and comes back
    width = 0.016 + 0.04 * noise(rng, h, w, side / 2.5)
    fade = np.clip((fbm(rng, h, w, side / 1.8, 3) - 0.3) * 2.2, 0.12, 1.0)
    major = (np.exp(-((s_major / width) ** 2)) + 0.22 * np.exp(-((s_major / 0.3) ** 2))) * fade
    fine = np.sin(math.pi * (along * 5.0 + 1.2 * turb + 0.8 * fbm(rng, h, w, side / 3, 4, gain=0.6)))
    minor = np.exp(-((fine / 0.03) ** 2)) * noise(rng, h, w, side / 3)
    clouds = fbm(rng, h, w, side / 2, 4, gain=0.55)
    ground = tone(p, np.array([0.95, 0.94, 0.925], np.float32), 0.12)
    img = mix(ground * 0.965, ground * 1.015, clouds)
    vein = tone(p, np.array([0.5, 0.5, 0.52], np.float32), 0.08) * 0.85 + p.dark * 0.15
    img = mix(img, vein, np.clip(0.32 * major + 0.1 * minor, 0, 0.4))  # quiet: the product leads
    return np.clip(img, 0, 1) * light_falloff(h, w, light, 0.08)


def _concrete(h, w, p: Palette, rng, light, box):
    """Polished concrete: low contrast at several scales (trowel clouds, mottling, fine sand), no specks."""
    side = max(h, w)
    grey = tone(p, np.full(3, 0.66, np.float32), 0.18)
    clouds = fbm(rng, h, w, side / 1.5, 3)
    mottle = fbm(rng, h, w, side / 12, 3)
    sand = noise(rng, h, w, 1.5)
    # the trowel clouds kept faint: strong ones read as blotches, a dirty floor behind the product
    t = 0.3 * clouds + 0.35 * mottle + 0.35 * sand
    img = grey[None, None, :] * (0.94 + 0.12 * t[..., None])
    return img * light_falloff(h, w, light, 0.12)


def _linen(h, w, p: Palette, rng, light, box):
    """Plain-woven linen: fine warp and weft threads, each of its own tone and of uneven thickness along
    its length (slubs), low over-under contrast, and a few soft folds."""
    period = 2.2
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    n_warp, n_weft = int(w / period) + 2, int(h / period) + 2
    warp_tone = cv2.resize(
        rng.random((max(2, h // 12), n_warp), dtype=np.float32), (w, h), interpolation=cv2.INTER_LINEAR
    )  # per thread, varying along it (a long even line across the cloth reads as a check)
    weft_tone = cv2.resize(
        rng.random((n_weft, max(2, w // 12)), dtype=np.float32), (w, h), interpolation=cv2.INTER_LINEAR
    )
    cx = np.abs(np.sin(x * (math.pi / period)))
    cy = np.abs(np.sin(y * (math.pi / period)))
    over = (np.floor(x / period) + np.floor(y / period)) % 2 > 0
    thread = np.where(over, cx * (0.7 + 0.3 * warp_tone), cy * (0.7 + 0.3 * weft_tone))
    slubs = (noise(rng, h, w, 3, aspect=6) > 0.85) * 0.02 + (
        noise(rng, h, w, 3, aspect=1 / 6) > 0.85
    ) * 0.02  # short and faint: long bright slubs read as stripes behind the product
    folds = fbm(rng, h, w, max(h, w) / 2, 3)
    base = tone(p, np.array([0.86, 0.82, 0.75], np.float32), 0.3)
    # the over-under barely shows at a product photo's scale (threads under a millimetre): a strong one
    # reads as a printed grid of crosses; what shows is each thread's own tone and the slubs
    t = 0.92 + 0.045 * thread + 0.025 * (warp_tone + weft_tone - 1.0) + slubs
    img = base[None, None, :] * t[..., None] * (0.95 + 0.07 * folds[..., None])
    return img * light_falloff(h, w, light, 0.12)


def _wood(h, w, p: Palette, rng, light, box):
    """Oiled oak planks: fine grain lines running along each plank, nudged by long, stretched noise,
    darker late-wood bands, pores, and thin seams between planks."""
    planks = 5
    y, x = grid(h, w)
    side = max(h, w)
    idx = np.minimum((y * planks).astype(np.int32), planks - 1)
    offsets = rng.random(planks).astype(np.float32)[idx]
    shade = (0.92 + 0.14 * rng.random(planks).astype(np.float32))[idx]
    drift = fbm(rng, h, w, side / 10, 4, aspect=10) - 0.5
    grain = (y * h / side) * 90.0 + offsets * 50 + 6.0 * drift
    lines = np.abs(np.sin(grain * math.pi)) ** 0.6
    bands = fbm(rng, h, w, side / 14, 3, aspect=8)
    pores = noise(rng, h, w, 1.5, aspect=12)
    t = 0.45 * (1 - lines) + 0.35 * bands + 0.2 * pores
    wood = tone(p, np.array([0.66, 0.5, 0.35], np.float32), 0.18)
    img = mix(wood * 1.1, wood * 0.8, t) * shade[..., None]
    seam = np.abs((y * planks) - np.round(y * planks)) * h / planks
    img = img * (1.0 - 0.4 * np.exp(-((seam / 1.0) ** 2)))[..., None]
    return img * light_falloff(h, w, light, 0.14)


def _terrazzo(h, w, p: Palette, rng, light, box):
    """Terrazzo: a pale cement ground with fine aggregate and scattered angular chips of several sizes,
    mostly stone greys and whites with a few muted palette colours."""
    side = max(h, w)
    ground = tone(p, np.array([0.91, 0.895, 0.87], np.float32), 0.12)
    img = ground[None, None, :] * (0.965 + 0.05 * fbm(rng, h, w, side / 6, 4))[..., None]
    img = np.ascontiguousarray(img, dtype=np.float32)
    stones = [
        np.array(c, np.float32)
        for c in ((0.62, 0.61, 0.6), (0.8, 0.79, 0.77), (0.97, 0.96, 0.95), (0.5, 0.49, 0.48))
    ]
    muted = [c * 0.55 + ground * 0.45 for c in (p.mid, p.dark, *p.colors)]
    n = int(h * w / (side * side) * 420)
    for _ in range(n):
        cx, cy = rng.random() * w, rng.random() * h
        r = side * (0.004 + 0.022 * rng.random() ** 2.5)
        k = int(rng.integers(5, 9))
        ang = np.sort(rng.random(k) * 2 * math.pi)
        rad = r * (0.6 + 0.4 * rng.random(k))
        pts = np.stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)], 1).astype(np.int32)
        pool = muted if rng.random() < 0.35 else stones
        color = pool[int(rng.integers(len(pool)))] * (0.95 + 0.08 * rng.random())
        cv2.fillPoly(img, [pts], tuple(float(c) for c in color), lineType=cv2.LINE_AA)
    return img * light_falloff(h, w, light, 0.1)


def _bokeh(h, w, p: Palette, rng, light, box):
    y, _ = grid(h, w)
    img = mix(p.darken(p.mid, 0.2), p.darken(p.dark, 0.35), y)
    dots = np.zeros((h, w, 3), np.float32)
    for _ in range(45):
        c = (int(rng.random() * w), int(rng.random() * h * 0.8))
        r = int(w * (0.02 + 0.07 * rng.random()))
        col = p.lighten(p.colors[int(rng.integers(len(p.colors)))], 0.2) * (0.12 + 0.25 * rng.random())
        layer = np.zeros_like(dots)
        cv2.circle(layer, c, max(r, 1), tuple(float(v) for v in col), -1, lineType=cv2.LINE_AA)
        dots = np.maximum(dots, layer) + layer * 0.1
    return np.clip(img + cv2.GaussianBlur(dots, (0, 0), max(1.0, w / 250)), 0, 1)


def _window_light(h, w, p: Palette, rng, light: Light, box):
    img = _studio(h, w, p, rng, light, box) * 0.88
    gobo = np.zeros((h, w), np.float32)
    x0 = int(w * (0.15 if light.dx > 0 else 0.35))
    pw, ph = int(w * 0.14), int(h * 0.22)
    for i in range(3):
        for j in range(2):
            x, yy = x0 + i * int(pw * 1.15), int(h * 0.08) + j * int(ph * 1.1)
            gobo[yy : yy + ph, x : x + pw] = 1.0
    shear = np.float32([[1, 0.45 * light.dx, -0.2 * w * light.dx], [0, 1, 0]])
    gobo = cv2.GaussianBlur(cv2.warpAffine(gobo, shear, (w, h)), (0, 0), 1.0 + 10.0 * light.softness)
    warm = np.array([1.0, 0.97, 0.9], np.float32)
    return np.clip(img * (1.0 + 0.22 * gobo[..., None] * warm), 0, 1)


def _podium(h, w, p: Palette, rng, light: Light, box):
    """A cylinder plinth whose top surface is where the product's base stands."""
    img = _studio(h, w, p, rng, light, box)
    bx0, by0, bx1, by1 = box if box is not None else (w * 0.3, h * 0.2, w * 0.7, h * 0.75)
    cx = (bx0 + bx1) / 2
    rx = max((bx1 - bx0) * 0.75, w * 0.18)
    ry = rx * 0.22
    top = by1 - ry * 0.35  # the base stands a little in front of the top's centre line
    color = p.mid
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (x - cx) / rx
    side_shade = np.clip(0.78 - 0.22 * u * light.dx - 0.12 * u * u, 0.45, 1.0)
    body = (np.abs(u) <= 1) & (y >= top)
    img = np.where(body[..., None], color * side_shade[..., None], img)
    lid_d = u**2 + ((y - top) / ry) ** 2
    lid_colour = p.lighten(color, 0.22) * np.clip(1.0 - 0.06 * u * light.dx, 0.9, 1.05)[..., None]
    img = np.where((lid_d <= 1)[..., None], lid_colour, img)
    rim = np.exp(-(((np.sqrt(lid_d) - 1.0) * ry / 1.5) ** 2)) * (y > top)
    return np.clip(img + 0.06 * rim[..., None], 0, 1)


_STYLES: dict[str, Callable] = {
    "studio": _studio,
    "white": _white,
    "gradient": _gradient,
    "marble": _marble,
    "linen": _linen,
    "concrete": _concrete,
    "terrazzo": _terrazzo,
    "wood": _wood,
    "bokeh": _bokeh,
    "window-light": _window_light,
    "podium": _podium,
}
STYLES: tuple[str, ...] = tuple(_STYLES)
GLOSSY_STYLES: frozenset[str] = frozenset({"studio", "white", "gradient", "marble", "podium", "window-light"})
"""Surfaces shiny enough to show a floor reflection (linen, concrete, wood, terrazzo and bokeh are not)."""


def check_style(style: str) -> str:
    if style not in _STYLES:
        raise UnknownStyleError(f"unknown style {style!r}; choose one of: {', '.join(STYLES)}")
    return style


def render_background(style: str, size: tuple[int, int], **options: Any) -> Image.Image:
    """An RGB background of `size` = (width, height), `options` as `render_array`'s; the same arguments
    give the same pixels."""
    return Image.fromarray(render_array(style, size, **options), "RGB")


def render_array(
    style: str,
    size: tuple[int, int],
    *,
    palette: list[str] | None = None,
    seed: int = 0,
    light: Light | None = None,
    product_box: tuple[float, float, float, float] | None = None,
    finish: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """`render_background`'s pixels as a uint8 (h, w, 3) array: the scene renderer draws on them, and
    a round trip through Pillow costs ~3 ms at 1024 px. `finish` (uint8 RGB in, out) is applied at the
    render size, before the enlargement to `size`: smooth per-pixel finishing (a lens fall-off, a
    grade) costs a fraction of what it would on the canvas."""
    fn = _STYLES[check_style(style)]
    w, h = size
    scale = min(1.0, _RENDER_SIDE[style] / max(w, h))
    rw, rh = max(8, round(w * scale)), max(8, round(h * scale))
    box = None if product_box is None else tuple(v * scale for v in product_box)
    rng = np.random.default_rng(seed)
    img = fn(rh, rw, Palette(palette), rng, light or Light(), box)
    out = (np.clip(img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    if finish is not None:
        out = finish(out)
    if (rw, rh) != (w, h):
        out = cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)
    return out


class ProceduralBackground:
    """The offline backend: the procedural styles above, drawn from the options and the scene."""

    name = "procedural"
    label = "procedural (offline)"
    signature = None  # everything it draws from is in the options and the scene
    ledger = None

    def render(self, job: Any) -> Image.Image:  # job: BackgroundJob (base.py imports this module)
        return render_background(
            job.style,
            job.size,
            palette=job.palette,
            seed=job.seed,
            light=job.light,
            product_box=job.product_box,
        )

    def __repr__(self) -> str:
        return "ProceduralBackground()"
