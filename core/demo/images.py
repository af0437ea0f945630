"""Deterministic demo product photos with exact ground-truth masks.

Each product is a silhouette with softened corners (the sneaker: smooth curves, a rubber sole and
toe cap, laces) and real openings (the gap between the jeans' legs, a dress's keyhole, a jacket's
hanger loop), shaded like a soft object under a studio key light
(rounded towards its edges, folds, a knit/denim/silk/leather/canvas texture) and composited onto a
studio sweep, an oak table or a linen cloth with the same alpha that is saved as its mask, so the
mask is exact by construction, holes included. Files are named by apparel category so the campaign
can pick products by predicted category.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SEED = 11
SIZE = (1024, 1024)
SS = 2  # supersampling for anti-aliased edges


def _shape(kind: str, w: int, h: int) -> list[list[tuple[float, float]]]:
    """Polygons (in unit coordinates) describing each product's silhouette."""
    if kind == "tshirt":
        return [
            [
                (0.30, 0.22),
                (0.42, 0.18),
                (0.46, 0.23),
                (0.54, 0.23),
                (0.58, 0.18),
                (0.70, 0.22),
                (0.84, 0.36),
                (0.75, 0.44),
                (0.69, 0.39),
                (0.69, 0.82),
                (0.31, 0.82),
                (0.31, 0.39),
                (0.25, 0.44),
                (0.16, 0.36),
            ]
        ]
    if kind == "dress":
        return [
            [
                (0.43, 0.14),
                (0.47, 0.14),
                (0.50, 0.19),
                (0.53, 0.14),
                (0.57, 0.14),
                (0.60, 0.30),
                (0.58, 0.42),
                (0.72, 0.86),
                (0.28, 0.86),
                (0.42, 0.42),
                (0.40, 0.30),
            ]
        ]
    if kind == "jeans":
        return [
            [
                (0.33, 0.14),
                (0.67, 0.14),
                (0.69, 0.26),
                (0.72, 0.88),
                (0.555, 0.88),
                (0.51, 0.42),
                (0.49, 0.42),
                (0.445, 0.88),
                (0.28, 0.88),
                (0.31, 0.26),
            ]
        ]
    if kind == "skirt":
        return [[(0.38, 0.28), (0.62, 0.28), (0.63, 0.34), (0.76, 0.72), (0.24, 0.72), (0.37, 0.34)]]
    if kind == "jacket":
        return [
            [
                (0.36, 0.16),
                (0.46, 0.14),
                (0.50, 0.24),
                (0.54, 0.14),
                (0.64, 0.16),
                (0.78, 0.30),
                (0.86, 0.74),
                (0.77, 0.76),
                (0.70, 0.44),
                (0.70, 0.84),
                (0.30, 0.84),
                (0.30, 0.44),
                (0.23, 0.76),
                (0.14, 0.74),
                (0.22, 0.30),
            ]
        ]
    if kind == "shoes":  # a canvas sneaker in profile, toe to the right: upper + rubber sole
        return [_closed_curve(_SNEAKER_UPPER), _closed_curve(_SNEAKER_SOLE)]
    raise ValueError(kind)


_SNEAKER_UPPER = [
    (0.165, 0.655),
    (0.158, 0.55),
    (0.175, 0.455),
    (0.215, 0.43),
    (0.29, 0.445),
    (0.37, 0.44),
    (0.43, 0.375),
    (0.475, 0.35),
    (0.52, 0.37),
    (0.58, 0.43),
    (0.67, 0.48),
    (0.76, 0.52),
    (0.83, 0.555),
    (0.862, 0.6),
    (0.85, 0.645),
    (0.7, 0.655),
    (0.5, 0.655),
    (0.3, 0.655),
]
_SNEAKER_SOLE = [
    (0.15, 0.645),
    (0.3, 0.646),
    (0.5, 0.645),
    (0.7, 0.64),
    (0.85, 0.632),
    (0.89, 0.66),
    (0.87, 0.703),
    (0.7, 0.712),
    (0.5, 0.714),
    (0.3, 0.714),
    (0.165, 0.711),
    (0.145, 0.68),
]


def _closed_curve(points: list[tuple[float, float]], steps: int = 24) -> list[tuple[float, float]]:
    """A smooth closed outline through `points` (Catmull-Rom), so shoes have no polygon corners."""
    out = []
    n = len(points)
    for i in range(n):
        p0, p1, p2, p3 = (np.array(points[(i + k) % n]) for k in (-1, 0, 1, 2))
        for t in np.linspace(0, 1, steps, endpoint=False):
            q = 0.5 * (
                (2 * p1)
                + (-p0 + p2) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3
            )
            out.append((float(q[0]), float(q[1])))
    return out


PRODUCTS = {
    # category: (shape, base colour, texture, background)
    "tshirt": ("tshirt", (232, 196, 92), "knit", "sweep"),
    "dress": ("dress", (150, 40, 60), "silk", "wood"),
    "jeans": ("jeans", (52, 82, 140), "denim", "sweep"),
    "skirt": ("skirt", (120, 140, 100), "knit", "fabric"),
    "jacket": ("jacket", (110, 78, 52), "leather", "sweep"),
    "shoes": ("shoes", (46, 66, 104), "canvas", "wood"),
}
_HOLES = {
    # openings that must stay background in the mask (unit coordinates): a keyhole, a hanger loop
    "dress": [("ellipse", (0.50, 0.25, 0.03, 0.048))],
    "jacket": [("ellipse", (0.50, 0.085, 0.03, 0.03))],
}
_LOOPS = {"jacket": (0.50, 0.085, 0.045, 0.045)}
"""A hanger loop above the collar (its hole is cut out of it)."""


def _grid() -> tuple[np.ndarray, np.ndarray]:
    w, h = SIZE
    return np.linspace(0, 1, h)[:, None], np.linspace(0, 1, w)[None, :]


def _background(kind: str, rng: np.random.Generator) -> np.ndarray:
    """A studio sweep, an oak table top or a linen cloth, lit softly from the upper left."""
    w, h = SIZE
    y, x = _grid()
    if kind == "sweep":
        tone = rng.uniform(0.86, 0.95) * np.array([236, 232, 226])
        sweep = 1 / (1 + np.exp(-(y - 0.7) * 10))
        base = tone * (1.0 - 0.1 * sweep)[..., None] * np.ones((1, w, 1))
    elif kind == "wood":
        grain = np.sin((y * 140 + 2.5 * np.sin(x * 3 + y * 9) + rng.uniform(0, 6)) * np.pi) * 0.5 + 0.5
        base = np.stack([150 + 30 * grain, 108 + 22 * grain, 74 + 14 * grain], -1) * np.ones((1, w, 1))
    else:  # fabric
        weave = (np.sin(x * 900) * np.sin(y * 900)) * 0.5 + 0.5
        base = np.stack([196 + 14 * weave, 188 + 12 * weave, 176 + 10 * weave], -1)
    light = 1.0 - 0.18 * np.clip(((x - 0.25) ** 2 + (y - 0.1) ** 2) / 1.2, 0, 1)
    noise = rng.normal(0, 2.0, size=(h, w, 1))
    return np.clip(base * light[..., None] + noise, 0, 255)


def _relief(alpha: np.ndarray, rng: np.random.Generator, n_folds: int = 7) -> np.ndarray:
    """Shading of a soft object under a studio key light (upper left): rounded towards the silhouette
    (distance to the edge), folds running down the garment, and a gentle top-to-bottom falloff."""
    h, w = alpha.shape
    y, x = _grid()
    inside = (alpha > 127).astype(np.uint8)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    round_ = 1.0 - np.exp(-dist / 22.0)  # 0 at the rim, 1 inside: the form turns away at its edges
    gy, gx = np.gradient(cv2.GaussianBlur(dist, (0, 0), 6))
    key = np.clip(0.5 + 0.04 * (-gx - gy), 0.3, 0.7)  # faces towards the upper left are lit
    folds = np.zeros((h, w))
    for _ in range(n_folds):
        cx, width, depth = rng.uniform(0.25, 0.75), rng.uniform(0.01, 0.04), rng.uniform(0.04, 0.1)
        sway = 0.02 * np.sin(y * rng.uniform(4, 9) + rng.uniform(0, 6))
        folds -= depth * np.exp(-(((x - cx - sway) / width) ** 2)) * np.clip((y - 0.3) * 2, 0, 1)
    return (0.62 + 0.3 * round_ + 0.5 * (key - 0.5)) * (1 + folds) * (1.04 - 0.12 * y)


def _texture(texture: str, rng: np.random.Generator) -> np.ndarray:
    w, h = SIZE
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if texture == "knit":  # vertical ribs of small V stitches
        return 7 * np.sin(xx * 1.6) * np.sin(yy * 0.8 + np.abs(np.sin(xx * 0.8)) * 2)
    if texture == "denim":  # diagonal twill and a little fading
        return 9 * np.sin((xx + yy) * 1.3) + rng.normal(0, 5, (h, w))
    if texture == "silk":  # smooth, with a broad sheen
        return 26 * np.exp(-(((xx - yy * 0.3 - 420) / 60) ** 2))
    if texture == "leather":
        return cv2.GaussianBlur(rng.normal(0, 9, (h, w)).astype(np.float32), (0, 0), 1.2)
    return 4 * np.sin(xx * 2.0) * np.sin(yy * 2.0) + rng.normal(0, 2, (h, w))  # canvas


def render_product(category: str, seed: int = SEED) -> tuple[Image.Image, Image.Image]:
    """The photo (RGB) and its exact mask (L, 0..255) for one demo product."""
    shape, colour, texture, bg_kind = PRODUCTS[category]
    rng = np.random.default_rng(seed + sorted(PRODUCTS).index(category))
    w, h = SIZE
    big = Image.new("L", (w * SS, h * SS), 0)
    draw = ImageDraw.Draw(big)
    for poly in _shape(shape, w, h):
        draw.polygon([(px * w * SS, py * h * SS) for px, py in poly], fill=255)
    if category in _LOOPS:
        cx, cy, rx, ry = _LOOPS[category]
        draw.ellipse(
            [(cx - rx) * w * SS, (cy - ry) * h * SS, (cx + rx) * w * SS, (cy + ry) * h * SS], fill=255
        )
    for _kind, (cx, cy, rx, ry) in _HOLES.get(category, []):
        draw.ellipse([(cx - rx) * w * SS, (cy - ry) * h * SS, (cx + rx) * w * SS, (cy + ry) * h * SS], fill=0)
    # soften the polygon's corners a little (cloth has no razor corners), then anti-alias
    big = big.filter(ImageFilter.GaussianBlur(3 * SS)).point(lambda v: 255 if v >= 128 else 0)
    alpha = big.resize(SIZE, Image.Resampling.BOX)
    a = np.asarray(alpha, dtype=np.float32)[..., None] / 255.0
    bg = _background(bg_kind, rng)
    # a soft contact shadow from the studio light, on the background only
    shadow = np.asarray(alpha.filter(ImageFilter.GaussianBlur(16)), dtype=np.float32)[..., None] / 255
    bg = bg * (1 - 0.3 * np.roll(shadow, (10, 12), axis=(0, 1)))
    shade = _relief(np.asarray(alpha), rng, n_folds=0 if category == "shoes" else 7)[..., None]
    grain = rng.normal(0, 4.0, size=(h, w))  # fibres and sensor grain: a real photo is never smooth
    fg = np.array(colour, np.float64)[None, None, :] * shade + (_texture(texture, rng) + grain)[..., None]
    if category == "shoes":
        fg = _sneaker_details(fg, np.asarray(alpha), grain)
    photo = np.clip(fg, 0, 255) * a + bg * (1 - a)
    return Image.fromarray(photo.round().astype(np.uint8), "RGB"), alpha


def _sneaker_details(fg: np.ndarray, alpha: np.ndarray, grain: np.ndarray) -> np.ndarray:
    """Paint the parts a shopper looks for: an off-white rubber sole and toe cap with a navy stripe,
    eyelets and white laces across the instep, a heel tab. Only inside the mask, so it stays exact."""
    w, h = SIZE
    scale = np.array([w * SS, h * SS])
    layer = Image.new("L", (w * SS, h * SS), 0)
    draw = ImageDraw.Draw(layer)
    draw.polygon([tuple(np.array(p) * scale) for p in _closed_curve(_SNEAKER_SOLE)], fill=255)
    draw.ellipse([tuple(np.array((0.78, 0.595)) * scale), tuple(np.array((0.92, 0.7)) * scale)], fill=255)
    sole = np.asarray(layer.resize(SIZE, Image.Resampling.BOX), np.float32)[..., None] / 255
    y, _x = _grid()
    rubber = np.array([238.0, 234, 224]) * (1.02 - 0.1 * np.clip((y - 0.62) / 0.1, 0, 1))[..., None]
    rubber = rubber * np.ones((1, w, 1)) + grain[..., None] * 0.5
    stripe = (np.abs(y - 0.676) < 0.0045).astype(np.float32)[..., None] * np.ones((1, w, 1))
    rubber = rubber * (1 - stripe) + np.array([40.0, 58, 96]) * stripe
    out = fg * (1 - sole) + rubber * sole
    marks = Image.new("L", (w * SS, h * SS), 0)
    draw = ImageDraw.Draw(marks)
    # the lace line runs down the instep; each lace crosses it like a ladder rung between two eyelets
    top, bottom = np.array((0.49, 0.385)), np.array((0.655, 0.487))
    along = (bottom - top) / np.linalg.norm(bottom - top)
    across = np.array((along[1], -along[0])) * 0.022
    r = 0.0055 * w * SS
    for t in np.linspace(0, 1, 5):
        c = top + (bottom - top) * t
        p, q = (c + across) * scale, (c - across) * scale
        draw.line([tuple(p), tuple(q)], fill=255, width=int(1.7 * r))
        for e in (p, q):
            draw.ellipse([e[0] - r, e[1] - r, e[0] + r, e[1] + r], fill=255)
    draw.rounded_rectangle(
        [tuple(np.array((0.15, 0.455)) * scale), tuple(np.array((0.172, 0.53)) * scale)],
        radius=int(0.008 * w * SS),
        fill=255,
    )
    lace = np.asarray(marks.resize(SIZE, Image.Resampling.BOX), np.float32)[..., None] / 255
    lace = lace * (np.asarray(alpha, np.float32)[..., None] / 255)
    return out * (1 - lace) + np.array([244.0, 242, 236]) * lace


def write_images(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write images/<category>.jpg and masks/<category>.png; returns the image paths."""
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    (out_dir / "masks").mkdir(parents=True, exist_ok=True)
    paths = []
    for category in PRODUCTS:
        photo, mask = render_product(category, seed)
        path = out_dir / "images" / f"{category}.jpg"
        photo.save(path, quality=92)
        mask.save(out_dir / "masks" / f"{category}.png")
        paths.append(path)
    return paths
