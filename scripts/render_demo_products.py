"""Render the demo product photos once, with Blender's Cycles on the CPU; commit what it writes.

    nice .venv/bin/python scripts/render_demo_products.py            # all six, 1024 px -> core/demo/photos
    .venv/bin/python scripts/render_demo_products.py --preview shoes  # 384 px, few samples, /tmp only

Needs `blender` (Debian: `apt-get install blender python3-numpy`) only here: `python -m core demo-data`
and the app copy the committed JPEGs and masks (core/demo/images.py). Each product is built in numpy
(scripts/demo_products_mesh.py: an inflated garment outline with hanging folds;
scripts/demo_products_shapes.py: its weave, hems, stitching, seams, pockets), rendered in a small
studio (a paper sweep, a large soft key light, fill and top light; scripts/demo_products_blender.py),
with a second pass of the same camera that renders only the product's coverage: the mask is exact,
anti-aliased like the photo.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import cv2
import numpy as np
from demo_products_catalogue import products
from demo_products_mesh import pillow_mesh
from demo_products_shapes import textures
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "core" / "demo" / "photos"
SIDE = 1024
"""Side of the committed photos and masks."""
RENDER_SIDE, SAMPLES = 768, 12
"""The photo is path-traced smaller with few samples (the CPU is shared; Debian's Blender has no
denoiser), denoised and resized to SIDE; the mask pass renders at SIDE directly."""
JPEG_QUALITY = 88


def prepare(work: Path, categories: list[str]) -> None:
    """Write each part's mesh, uv and textures for the Blender side."""
    catalogue = products()
    for category in categories:
        product = catalogue[category]
        if product.view == "three-quarter":
            (work / f"{category}.three-quarter").touch()
        for part in product.parts:
            verts, faces, uv = pillow_mesh(part)
            colour, bump = textures(product, part)
            weave = "rubber" if part.material == "rubber" else product.weave
            stem = work / f"{category}--{part.name}"
            np.savez(
                stem.with_suffix(".npz"), verts=verts.astype(np.float32), faces=faces, uv=uv, weave=weave
            )
            # textures as 16-bit PNGs: linear colour, and the bump height around mid-grey
            cv2.imwrite(f"{stem}_colour.png", _u16(colour[..., ::-1]))
            cv2.imwrite(f"{stem}_bump.png", _u16(bump * 0.5 + 0.5))


def _u16(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, 0, 1) * 65535 + 0.5).astype(np.uint16)


def finish(work: Path, category: str, out: Path, side: int) -> tuple[Path, Path]:
    """The 16-bit render to an sRGB JPEG (a whisper of denoising: the render has no denoiser) and
    the coverage pass to an L mask."""
    raw = cv2.imread(str(work / f"{category}.png"), cv2.IMREAD_UNCHANGED)
    rgb8 = np.clip(raw[..., ::-1].astype(np.float32) / 257.0 + 0.5, 0, 255).astype(np.uint8)
    clean = cv2.fastNlMeansDenoisingColored(rgb8, None, 4, 3, 5, 15)
    clean = cv2.resize(clean, (side, side), interpolation=cv2.INTER_LANCZOS4)
    mask = coverage(cv2.imread(str(work / f"{category}_mask.png"), cv2.IMREAD_GRAYSCALE))
    out.mkdir(parents=True, exist_ok=True)
    photo_path, mask_path = out / f"{category}.jpg", out / f"{category}.png"
    Image.fromarray(clean).save(photo_path, quality=JPEG_QUALITY, optimize=True, progressive=True)
    Image.fromarray(mask, "L").save(mask_path, optimize=True)
    return photo_path, mask_path


def coverage(pass8: np.ndarray) -> np.ndarray:
    """The coverage pass (sRGB-encoded grey: the product's emission level where it covers a pixel
    wholly) as a linear 0..255 mask: partial pixels keep their exact share, dither noise snaps away."""
    c = pass8.astype(np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    level = float(np.median(lin[lin > 0.5 * lin.max()]))
    share = np.clip(lin / level, 0, 1)
    share[share > 0.985] = 1.0
    share[share < 0.01] = 0.0
    return (share * 255 + 0.5).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("categories", nargs="*", help="default: every demo product")
    parser.add_argument("--preview", action="store_true", help="384 px, 8 samples, written to /tmp")
    args = parser.parse_args()
    categories = args.categories or list(products())
    side, samples = (384, 8) if args.preview else (RENDER_SIDE, SAMPLES)
    mask_side = 384 if args.preview else SIDE
    out = Path(tempfile.gettempdir()) / "demo_preview" if args.preview else OUT
    with tempfile.TemporaryDirectory() as tmp:
        work = out / "work" if args.preview else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        prepare(work, categories)
        subprocess.run(
            ["nice", "-n", "19", "blender", "-b", "--factory-startup", "--python",
             str(Path(__file__).with_name("demo_products_blender.py")), "--",
             str(work), str(side), str(mask_side), str(samples), *categories],
            check=True,
            stdout=(work / "blender.log").open("w"),
        )  # fmt: skip
        for category in categories:
            print(*finish(work, category, out, mask_side))


if __name__ == "__main__":
    main()
