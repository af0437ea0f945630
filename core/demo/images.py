"""Demo product photos with exact ground-truth masks.

The photos are renders, not drawings: each product was modelled (a garment inflated on an invisible
form with hanging folds, weave, hems, stitching, pockets; a canvas sneaker with rubber sole and
laces) and path-traced once with Blender's Cycles on the CPU in a small studio (paper sweep, large
soft key light) by `scripts/render_demo_products.py`, which also renders the product's coverage
through the same camera as its mask. The JPEGs and masks are committed in `core/demo/photos/`, so
writing the demo only copies them: deterministic and no renderer needed. Files are named by apparel
category so the campaign can pick products by predicted category.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PHOTOS = Path(__file__).with_name("photos")
CATEGORIES = ("tshirt", "dress", "jeans", "skirt", "jacket", "shoes")
VERSION = 2
"""Bumped when the committed photos change, so an existing demo folder gets the new ones."""


def write_images(out_dir: Path) -> list[Path]:
    """Copy images/<category>.jpg and masks/<category>.png into `out_dir`; returns the image paths."""
    (out_dir / "images").mkdir(parents=True, exist_ok=True)
    (out_dir / "masks").mkdir(parents=True, exist_ok=True)
    paths = []
    for category in CATEGORIES:
        path = out_dir / "images" / f"{category}.jpg"
        shutil.copyfile(PHOTOS / f"{category}.jpg", path)
        shutil.copyfile(PHOTOS / f"{category}.png", out_dir / "masks" / f"{category}.png")
        paths.append(path)
    return paths
