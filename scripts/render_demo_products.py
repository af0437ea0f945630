"""Render the demo product photos once, with Blender's Cycles on the CPU; commit what it writes.

    nice .venv/bin/python scripts/render_demo_products.py            # all six, 1024 px -> core/demo/photos
    .venv/bin/python scripts/render_demo_products.py --preview shoes  # 384 px, few samples, /tmp only

Needs `blender` (Debian: `apt-get install blender python3-numpy`) only here: `python -m core demo-data`
and the app copy the committed JPEGs and masks (core/demo/images.py). The five garments are flat-lays:
each is drawn at true scale (scripts/demo_products_catalogue.py on scripts/demo_products_cloth.py:
outline, layers, padding, seams, topstitching, hardware, a few long soft folds (pressed: no creases),
the fabric's slub or wales in colour and bump) and becomes a fabric shell with softly rolled edges lying on light
seamless paper (scripts/demo_products_mesh.py), shot from straight above and lit by a large soft key
from the upper left and the room's fill (scripts/demo_products_blender.py: matt cloth, a soft sheen,
little specular). The sneaker (scripts/demo_products_sneaker.py: sole with foxing
and tread, canvas upper creased at the flex point, a toe cap rounded in plan and profile, eyelets,
laces with a bow) stands on a paper sweep, shot side-on from low under a soft sun from the upper front
left. A second pass of the same camera renders only the product's coverage: the mask is exact,
anti-aliased like the photo.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from demo_products_catalogue import garments
from demo_products_cloth import RES
from demo_products_mesh import flat_lay
from demo_products_sneaker import SNEAKER_FRAME, sneaker, upper_texture
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "core" / "demo" / "photos"
CATEGORIES = ("tshirt", "dress", "jeans", "skirt", "jacket", "shoes")
SIDE = 1024
"""Side of the committed photos and masks."""
RENDER_SIDE, SAMPLES = 1280, 48
"""The photo is path-traced 1.25× larger with adaptive sampling and clamped indirect light (Debian's
Blender has no denoiser), lightly denoised and reduced to SIDE, which averages the remaining grain
away; the mask pass renders at SIDE directly."""
JPEG_QUALITY = 88
BUMP_METRES = 0.004
"""Height range of the garments' bump textures (mid-grey = 0)."""


def prepare(work: Path, category: str) -> None:
    """Write the product's meshes (and a garment's textures) and its scene for the Blender side."""
    if category == "shoes":
        (work / f"{category}.scene").write_text(f"side {SNEAKER_FRAME}")
        for name, (verts, faces, uv, weave, colour) in sneaker().items():
            np.savez(
                work / f"{category}--{name}.npz",
                verts=verts, faces=faces, uv=uv, weave=weave, colour=colour, uv_metres=0.28, bump_metres=0.0008,
            )  # fmt: skip
        colour, bump = upper_texture()
        stem = work / f"{category}--upper"
        cv2.imwrite(f"{stem}_colour.png", _u16(colour[::-1, :, ::-1]))
        cv2.imwrite(f"{stem}_bump.png", _u16(bump[::-1] * 0.5 + 0.5))
        cv2.imwrite(f"{stem}_metal.png", np.zeros(bump.shape, np.uint8))
        return
    garment = garments()[category]()
    cv = garment.canvas
    (work / f"{category}.scene").write_text(f"flat-lay {cv.frame} {garment.key[0]} {garment.key[1]}")
    verts, faces, uv = flat_lay(cv, garment.thickness_mm, garment.wrinkle_mm)
    stem = work / f"{category}--{category}"
    np.savez(
        stem.with_suffix(".npz"), verts=verts, faces=faces, uv=uv, weave=garment.weave,
        uv_metres=cv.frame, bump_metres=BUMP_METRES,
    )  # fmt: skip
    fine = cv.layers - cv2.GaussianBlur(cv.layers, (0, 0), cv.px(1.2)) + cv.fine
    cv2.imwrite(f"{stem}_colour.png", _u16(cv.colour[..., ::-1]))
    cv2.imwrite(f"{stem}_bump.png", _u16(fine / BUMP_METRES + 0.5))
    cv2.imwrite(f"{stem}_metal.png", (np.clip(cv.metal, 0, 1) * 255).astype(np.uint8))
    assert cv.colour.shape[0] == RES


def _u16(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, 0, 1) * 65535 + 0.5).astype(np.uint16)


def finish(work: Path, category: str, out: Path, side: int) -> tuple[Path, Path]:
    """The 16-bit render to an sRGB JPEG (lightly denoised, then reduced) and the coverage pass to an
    L mask."""
    raw = cv2.imread(str(work / f"{category}.png"), cv2.IMREAD_UNCHANGED)
    rgb8 = np.clip(raw[..., ::-1].astype(np.float32) / 257.0 + 0.5, 0, 255).astype(np.uint8)
    clean = cv2.fastNlMeansDenoisingColored(rgb8, None, 3, 3, 5, 13)
    clean = cv2.resize(clean, (side, side), interpolation=cv2.INTER_AREA)
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
    parser.add_argument("--preview", action="store_true", help="384 px, 16 samples, written to /tmp")
    parser.add_argument("--side", type=int, help="render side (default 1280, preview 384)")
    parser.add_argument("--samples", type=int, help="samples per pixel (default 48, preview 16)")
    args = parser.parse_args()
    categories = args.categories or list(CATEGORIES)
    side, samples = (384, 16) if args.preview else (RENDER_SIDE, SAMPLES)
    side, samples = args.side or side, args.samples or samples
    mask_side = min(side, SIDE) if args.preview else SIDE
    out = Path(tempfile.gettempdir()) / "demo_preview" if args.preview else OUT
    for category in categories:
        with tempfile.TemporaryDirectory() as tmp:
            work = out / "work" if args.preview else Path(tmp)
            work.mkdir(parents=True, exist_ok=True)
            for old in work.glob(f"{category}--*"):
                old.unlink()
            start = time.monotonic()
            prepare(work, category)
            prepared = time.monotonic()
            subprocess.run(
                ["nice", "-n", "19", "blender", "-b", "--factory-startup", "--python",
                 str(Path(__file__).with_name("demo_products_blender.py")), "--",
                 str(work), str(side), str(mask_side), str(samples), category],
                check=True,
                stdout=(work / f"{category}.log").open("w"),
            )  # fmt: skip
            paths = finish(work, category, out, mask_side)
            done = time.monotonic()
            print(*paths, f"prepare {prepared - start:.0f} s, render {done - prepared:.0f} s")


if __name__ == "__main__":
    main()
