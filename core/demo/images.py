"""Deterministic demo product photos with exact ground-truth masks.

Each product is drawn as a shaded, textured silhouette and composited onto a varied scene
(wall and floor, wood, fabric, a blurred outdoor look) with the same alpha that is saved as its
mask, so the mask is exact by construction. Files are named by apparel category so the campaign
can pick products by predicted category.
"""

from __future__ import annotations

from pathlib import Path

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
        return [[(0.33, 0.14), (0.67, 0.14), (0.69, 0.26), (0.72, 0.88), (0.56, 0.88), (0.50, 0.38),
                 (0.44, 0.88), (0.28, 0.88), (0.31, 0.26)]]
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
    "tshirt": ("tshirt", (232, 196, 92), "knit", "wall"),
    "dress": ("dress", (150, 40, 60), "silk", "wood"),
    "jeans": ("jeans", (52, 82, 140), "denim", "fabric"),
    "skirt": ("skirt", (120, 140, 100), "knit", "outdoor"),
    "jacket": ("jacket", (110, 78, 52), "leather", "wall"),
    "shoes": ("shoes", (235, 235, 230), "canvas", "wood"),
}


def _background(kind: str, rng: np.random.Generator) -> np.ndarray:
    w, h = SIZE
    y = np.linspace(0, 1, h)[:, None]
    x = np.linspace(0, 1, w)[None, :]
    if kind == "wall":
        base = np.array([205, 200, 190]) * (0.85 + 0.15 * (1 - y))[..., None]
        floor = (y > 0.78)[..., None]
        base = np.where(floor, np.array([150, 135, 120]) * (0.9 + 0.1 * x)[..., None], base)
    elif kind == "wood":
        grain = np.sin(x * 60 + np.sin(y * 8) * 3 + rng.uniform(0, 6)) * 0.5 + 0.5
        base = np.stack([120 + 50 * grain, 80 + 35 * grain, 50 + 20 * grain], -1) * np.ones((h, 1, 1))
    elif kind == "fabric":
        weave = (np.sin(x * 400) * np.sin(y * 400)) * 0.5 + 0.5
        base = np.stack([170 + 30 * weave, 160 + 25 * weave, 150 + 20 * weave], -1)
    else:  # outdoor: soft blobs
        base = np.stack([90 + 60 * y, 140 + 40 * (1 - y), 170 - 60 * y], -1) * np.ones((1, w, 1))
        for _ in range(25):
            cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.05, 0.2)
            blob = np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (r * r)))
            base = base + blob[..., None] * rng.uniform(-40, 40, size=3)
    noise = rng.normal(0, 4, size=(h, w, 1))
    return np.clip(base + noise, 0, 255)


def _foreground(colour: tuple[int, int, int], texture: str, rng: np.random.Generator) -> np.ndarray:
    w, h = SIZE
    y = np.linspace(0, 1, h)[:, None, None]
    x = np.linspace(0, 1, w)[None, :, None]
    shade = 0.75 + 0.35 * (1 - y) * (1 - 0.4 * np.abs(x - 0.45))
    tex = {
        "knit": np.sin(np.arange(h)[:, None] * 0.9)[..., None] * 6,
        "silk": np.sin(x * 20 + y * 9) * 12,
        "denim": rng.normal(0, 10, size=(h, w, 1)),
        "leather": rng.normal(0, 5, size=(h, w, 1)),
        "canvas": rng.normal(0, 3, size=(h, w, 1)),
    }[texture]
    return np.clip(np.array(colour)[None, None, :] * shade + tex, 0, 255)


def render_product(category: str, seed: int = SEED) -> tuple[Image.Image, Image.Image]:
    """The photo (RGB) and its exact mask (L, 0..255) for one demo product."""
    shape, colour, texture, bg_kind = PRODUCTS[category]
    rng = np.random.default_rng(seed + sorted(PRODUCTS).index(category))
    w, h = SIZE
    big = Image.new("L", (w * SS, h * SS), 0)
    draw = ImageDraw.Draw(big)
    for poly in _shape(shape, w, h):
        draw.polygon([(px * w * SS, py * h * SS) for px, py in poly], fill=255)
    alpha = big.resize(SIZE, Image.Resampling.BOX)
    a = np.asarray(alpha, dtype=np.float32)[..., None] / 255.0
    bg = _background(bg_kind, rng)
    # a soft contact shadow under the product, on the background only
    shadow = np.asarray(alpha.filter(ImageFilter.GaussianBlur(18)), dtype=np.float32)[..., None] / 255
    shadow = np.roll(shadow, (14, 10), axis=(0, 1))
    bg = bg * (1 - 0.35 * shadow)
    fg = _foreground(colour, texture, rng)
    photo = fg * a + bg * (1 - a)
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
