"""What the Studio shows besides the result: the cut-out over a checkerboard, style thumbnails, and a
fingerprint of everything that changes a result (so an unchanged rerun reuses it)."""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

from core.imaging import export
from core.imaging.backgrounds.paint import Light
from core.imaging.backgrounds.procedural import STYLES
from core.imaging.staging.camera import build_stage
from core.imaging.staging.choice import default_scene_for
from core.imaging.staging.render import render_stage


def checker_preview(rgb: np.ndarray, mask: np.ndarray, side: int) -> Image.Image:
    """The cut-out over a checkerboard, scaled to at most `side` px wide (display and brush canvas)."""
    h, w = mask.shape
    scale = min(1.0, side / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    fg = Image.fromarray(np.dstack([rgb, mask]), "RGBA").resize(size, Image.Resampling.BILINEAR)
    yy, xx = np.mgrid[0 : size[1], 0 : size[0]]
    board = np.where(((yy // 12 + xx // 12) % 2)[..., None] == 0, 235, 200).astype(np.uint8).repeat(3, 2)
    return Image.alpha_composite(Image.fromarray(board, "RGB").convert("RGBA"), fg).convert("RGB")


def style_thumbnails(
    palette: list[str], light: Light, size: tuple[int, int] = (200, 150)
) -> dict[str, bytes]:
    """A small PNG of every procedural style in its own scene (a product-sized gap where the product
    stands), for the style picker."""
    w, h = size
    box = (0.38 * w, 0.25 * h, 0.62 * w, 0.86 * h)
    thumbs = {}
    for style in STYLES:
        stage = build_stage(default_scene_for(style), size, box, podium=style == "podium")
        img = render_stage(style, stage, palette=palette, seed=0, light=light)
        thumbs[style] = export.encode(Image.fromarray(img, "RGB"), "png")[0]
    return thumbs


def signature(*parts: object) -> str:
    """A fingerprint of photo bytes, masks and options: equal inputs give an equal result."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()
