"""Demo product photos with exact ground-truth masks.

The photos are renders made to read as product photography, not drawings: five garments photographed
as flat-lays (a men's M t-shirt, a linen sundress on two flat shoulder straps, five-pocket jeans, an
A-line skirt, a zip jacket: each modelled at true scale as a thin fabric shell lying on light seamless
paper, with its seams, hems, topstitching, pockets, rivets, zipper, rib bands and a few long soft
folds, pressed as for a catalogue shoot, its fabric's slub, wales or twill and a matt cloth sheen, shot
from straight above; the jacket lightly padded with set-in sleeves, the sundress on flat edge-stitched
straps, the jeans in an even mid wash with a curved coin pocket) and a canvas sneaker standing on a paper sweep, shot side-on
from low (rubber sole with foxing stripe and tread, a toe cap rounded in plan and profile, canvas
creased at the flex point, eyelets, laces tied in a bow). `scripts/render_demo_products.py` path-traced them once with
Blender's Cycles on the CPU and rendered each product's coverage through the same camera as its mask.
The JPEGs and masks are committed in `core/demo/photos/`, so writing the demo only copies them:
deterministic and no renderer needed. Files are named by apparel category so the campaign can pick
products by predicted category."""

from __future__ import annotations

import shutil
from pathlib import Path

PHOTOS = Path(__file__).with_name("photos")
CATEGORIES = ("tshirt", "dress", "jeans", "skirt", "jacket", "shoes")
VERSION = 11
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
