"""What the Studio shows besides the result: the cut-out over a checkerboard, style thumbnails, and a
fingerprint of everything that changes a result (so an unchanged rerun reuses it)."""

from __future__ import annotations

import hashlib

import numpy as np
from PIL import Image

from core.imaging import export
from core.imaging.backgrounds.paint import Light
from core.imaging.backgrounds.procedural import STYLES, render_background


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
    """A small PNG of every procedural style with a product-sized box, for the style picker."""
    w, h = size
    box = (0.35 * w, 0.2 * h, 0.65 * w, 0.77 * h)
    return {
        style: export.encode(
            render_background(style, size, palette=palette, light=light, product_box=box), "png"
        )[0]
        for style in STYLES
    }


def signature(*parts: object) -> str:
    """A fingerprint of photo bytes, masks and options: equal inputs give an equal result."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
    return digest.hexdigest()
