"""Marketplace export presets and their compliance checks."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.imaging.errors import UnknownPresetError


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    size: tuple[int, int] | None
    """Output (width, height); None keeps the photo's size."""
    format: str
    fill_ratio: float | None
    """Share of the frame the product's longer extent fills; None keeps the photo's framing."""
    formats: tuple[str, ...]
    """Formats the marketplace accepts."""
    pure_white: bool = False
    min_fill: float | None = None
    min_long_side: int | None = None
    quality: int = 90
    whole_product: bool = False
    """The product must be shown whole: one cut by the photo's frame is not compliant."""

    def style_for(self, style: str) -> str:
        """The background style this preset actually produces for the chosen `style`."""
        return "white" if self.pure_white else style

    @property
    def style_note(self) -> str | None:
        """What a user choosing a style must be told about this preset (None: the style is used as chosen)."""
        if self.pure_white:
            return (
                f"{self.label.split(' (')[0]} requires a pure white background: the chosen style (and shadow, "
                "reflection, FLUX) is replaced by plain white"
            )
        return None


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "amazon",
            "Amazon main image (2000², pure white, JPEG)",
            (2000, 2000),
            "jpeg",
            0.88,
            ("jpeg", "png"),
            pure_white=True,
            min_fill=0.85,
            min_long_side=1600,
            whole_product=True,
        ),
        Preset(
            "shopify",
            "Shopify square (2048², JPEG)",
            (2048, 2048),
            "jpeg",
            0.8,
            ("jpeg", "png", "webp"),
            min_long_side=2048,
        ),
        Preset(
            "instagram-portrait",
            "Instagram portrait (1080×1350, JPEG)",
            (1080, 1350),
            "jpeg",
            0.7,
            ("jpeg", "png"),
        ),
        Preset(
            "instagram-square",
            "Instagram square (1080×1080, JPEG)",
            (1080, 1080),
            "jpeg",
            0.7,
            ("jpeg", "png"),
        ),
        Preset("web", "Web (1200², WebP)", (1200, 1200), "webp", 0.75, ("webp", "jpeg", "png"), quality=85),
        Preset("original", "Original size and framing (PNG)", None, "png", None, ("png", "jpeg", "webp")),
    )
}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownPresetError(f"unknown preset {name!r}; choose one of: {', '.join(PRESETS)}") from None


def frame_fill(alpha: np.ndarray) -> float:
    """The product's longer relative extent in the frame (0..1)."""
    rows = np.flatnonzero((alpha >= 128).any(axis=1))
    cols = np.flatnonzero((alpha >= 128).any(axis=0))
    if rows.size == 0:
        return 0.0
    h, w = alpha.shape
    return float(max((rows[-1] - rows[0] + 1) / h, (cols[-1] - cols[0] + 1) / w))


WHITE_LIMIT = 245
"""For a pure-white preset's fill, a pixel shows product (or its shadow) when any channel is below this."""


def visible_fill(image: np.ndarray) -> float:
    """The fill a marketplace measures on the final image: the larger side of the box around every pixel
    with any channel below WHITE_LIMIT (shadows included), over the canvas side."""
    dark = (image < WHITE_LIMIT).any(axis=2)
    rows, cols = np.flatnonzero(dark.any(axis=1)), np.flatnonzero(dark.any(axis=0))
    if rows.size == 0:
        return 0.0
    h, w = dark.shape
    return float(max((rows[-1] - rows[0] + 1) / h, (cols[-1] - cols[0] + 1) / w))


def cut_by_frame(mask: np.ndarray) -> list[str]:
    """The sides of the photo the product touches (it may be cut off there): a side counts when the
    product covers at least 3 px and 0.5 % of it."""
    solid = mask >= 128
    sides = {"top": solid[0], "bottom": solid[-1], "left": solid[:, 0], "right": solid[:, -1]}
    return [name for name, edge in sides.items() if edge.sum() >= max(3, 0.005 * edge.size)]


def check_compliance(
    preset: Preset,
    image: np.ndarray,
    alpha: np.ndarray,
    fmt: str,
    expected_size: tuple[int, int] | None = None,
    cut_sides: list[str] | None = None,
) -> list[str]:
    """What about the output breaks the preset's rules (empty list = compliant). `cut_sides` are the
    sides of the input photo the product touches (see `cut_by_frame`)."""
    issues: list[str] = []
    if preset.whole_product and cut_sides:
        issues.append(
            f"{preset.name}: the product touches the photo's {' and '.join(cut_sides)} edge, so it is cut "
            "off; the main image must show the whole product: reshoot or upload a photo with a margin"
        )
    h, w = image.shape[:2]
    size = preset.size or expected_size
    if size and (w, h) != tuple(size):
        issues.append(f"{preset.name}: size is {w}x{h}, expected {size[0]}x{size[1]}")
    if preset.min_long_side and max(w, h) < preset.min_long_side:
        issues.append(f"{preset.name}: longest side {max(w, h)} px is below {preset.min_long_side} px")
    if fmt not in preset.formats:
        issues.append(
            f"{preset.name}: {fmt.upper()} is not accepted; use {' or '.join(f.upper() for f in preset.formats)}"
        )
    if preset.min_fill is not None:
        fill = visible_fill(image) if preset.pure_white else frame_fill(alpha)
        if fill < preset.min_fill:
            issues.append(
                f"{preset.name}: the product fills {fill:.0%} of the frame, needs at least "
                f"{preset.min_fill:.0%}; raise the fill ratio"
            )
    if preset.pure_white:
        near = cv2.dilate((alpha > 0).astype(np.uint8), np.ones((7, 7), np.uint8))
        background = image[near == 0]
        if background.size and (background < 255).any():
            share = float((background < 255).any(axis=1).mean())
            issues.append(
                f"{preset.name}: {share:.1%} of the background is not pure white (RGB 255); use "
                "the white style without shadow"
            )
    return issues
