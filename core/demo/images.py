"""Deterministic demo product photos with exact ground-truth masks.

Each product is a silhouette with softened corners and real openings (the gap between the jeans'
legs, a dress's keyhole, a jacket's hanger loop), shaded like a soft object under a studio key light
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
        return [[(0.30, 0.22), (0.42, 0.18), (0.46, 0.23), (0.54, 0.23), (0.58, 0.18), (0.70, 0.22),
                 (0.84, 0.36), (0.75, 0.44), (0.69, 0.39), (0.69, 0.82), (0.31, 0.82), (0.31, 0.39),
                 (0.25, 0.44), (0.16, 0.36)]]
    if kind == "dress":
        return [[(0.43, 0.14), (0.47, 0.14), (0.50, 0.19), (0.53, 0.14), (0.57, 0.14), (0.60, 0.30),
                 (0.58, 0.42), (0.72, 0.86), (0.28, 0.86), (0.42, 0.42), (0.40, 0.30)]]
    if kind == "jeans":
        return [[(0.33, 0.14), (0.67, 0.14), (0.69, 0.26), (0.72, 0.88), (0.555, 0.88), (0.51, 0.42),
                 (0.49, 0.42), (0.445, 0.88), (0.28, 0.88), (0.31, 0.26)]]
    if kind == "skirt":
        return [[(0.38, 0.28), (0.62, 0.28), (0.63, 0.34), (0.76, 0.72), (0.24, 0.72), (0.37, 0.34)]]
    if kind == "jacket":
        return [[(0.36, 0.16), (0.46, 0.14), (0.50, 0.24), (0.54, 0.14), (0.64, 0.16), (0.78, 0.30),
                 (0.86, 0.74), (0.77, 0.76), (0.70, 0.44), (0.70, 0.84), (0.30, 0.84), (0.30, 0.44),
                 (0.23, 0.76), (0.14, 0.74), (0.22, 0.30)]]
    if kind == "shoes":  # a sneaker in profile: upper + sole
        return [[(0.18, 0.62), (0.22, 0.46), (0.34, 0.44), (0.44, 0.36), (0.52, 0.36), (0.58, 0.46),
                 (0.74, 0.52), (0.84, 0.58), (0.86, 0.66), (0.18, 0.66)],
                [(0.16, 0.66), (0.88, 0.66), (0.87, 0.72), (0.17, 0.72)]]
    raise ValueError(kind)


PRODUCTS = {
    # category: (shape, base colour, texture, background)
    "tshirt": ("tshirt", (232, 196, 92), "knit", "sweep"),
    "dress": ("dress", (150, 40, 60), "silk", "wood"),
    "jeans": ("jeans", (52, 82, 140), "denim", "sweep"),
    "skirt": ("skirt", (120, 140, 100), "knit", "fabric"),
    "jacket": ("jacket", (110, 78, 52), "leather", "sweep"),
    "shoes": ("shoes", (226, 226, 220), "canvas", "wood"),
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


def _relief(alpha: np.ndarray, rng: np.random.Generator) -> np.ndarray:
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
    for _ in range(7):
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
        draw.ellipse([(cx - rx) * w * SS, (cy - ry) * h * SS, (cx + rx) * w * SS, (cy + ry) * h * SS], fill=255)
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
    shade = _relief(np.asarray(alpha), rng)[..., None]
    grain = rng.normal(0, 4.0, size=(h, w))  # fibres and sensor grain: a real photo is never smooth
    fg = np.array(colour, np.float64)[None, None, :] * shade + (_texture(texture, rng) + grain)[..., None]
    photo = np.clip(fg, 0, 255) * a + bg * (1 - a)
    return Image.fromarray(photo.round().astype(np.uint8), "RGB"), alpha


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
