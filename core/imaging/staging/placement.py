"""Where the product lands on the canvas, as a photographer frames it: a product cut by its photo's
frame keeps that side flush with the same canvas edge (never a floating slice); a whole product keeps
a margin and stands with its base on the floor where the scene's camera puts it. Pure-white presets
(Amazon) keep a white margin on every side and are sized by the fill QA measures."""

from __future__ import annotations

import numpy as np

from core.imaging.backgrounds.paint import Light
from core.imaging.compose import Placement, product_box
from core.imaging.presets import WHITE_LIMIT

BASE_ROW = {"tabletop": 0.87, "sweep": 0.85, "podium": 0.64}
"""Where a whole product's base stands, as a share of the canvas height, in each scene."""
MARGIN = 0.04
PODIUM_FILL = 0.87
"""Share of the preset's fill a product on a podium takes (the podium needs the rest of the frame)."""
SEEN_FROM_ABOVE = 0.44
"""A product the photo looked down on this steeply (radians, 25°) sits mid-frame on a table that fills
the frame, as a flat-lay does."""
CENTRE_ROW = 0.55
"""Lowest a low product's centre sits (share of the canvas height) on a tabletop or sweep (at 0.6 two
of five blind raters found a side-on sneaker on wood 'too low, too much headroom')."""


def plan(
    mask: np.ndarray,
    canvas: tuple[int, int],
    *,
    fill_ratio: float | None,
    cut: list[str] | tuple[str, ...] = (),
    scene: str = "tabletop",
    placement: str = "center",
    light: Light | None = None,
    rgb: np.ndarray | None = None,
    pure_white: bool = False,
    look: float | None = None,
) -> Placement:
    """Scale and position the product's box. `cut` are the photo sides the product is cut by;
    `scene` is `tabletop`, `sweep`, `podium` or `flat-lay`; `rgb` (with `pure_white`) lets the fill
    count only the pixels that are not near-white, as the marketplace's check does. `look` (radians)
    is how steeply the photo looked down on the product: seen from well above, it sits mid-frame."""
    box = product_box(mask)
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    cw, ch = canvas
    if fill_ratio is None:  # keep the photo's own framing
        scale = min(cw / mask.shape[1], ch / mask.shape[0])
        return Placement(box, canvas, scale, round(x0 * scale), round(y0 * scale))
    if pure_white:
        return _white_plan(mask, box, canvas, fill_ratio, rgb)
    cut = set(cut) if scene != "flat-lay" else set()
    fill = fill_ratio * (PODIUM_FILL if scene == "podium" else 1.0)
    scale = min(fill * cw / bw, fill * ch / bh)
    if {"top", "bottom"} <= cut:
        scale = ch / bh
    elif {"left", "right"} <= cut:
        scale = cw / bw
    elif cut:  # one cut side sits on the edge; the product may be as large as the frame allows
        scale = min(max(fill, 0.82) * cw / bw, max(fill, 0.82) * ch / bh)
    scale = min(scale, _fit(bw, bh, cw, ch, cut))
    pw, ph = bw * scale, bh * scale
    cx = cw / 2
    if placement == "thirds":
        cx = cw / 3 if (light or Light()).dx > 0 else 2 * cw / 3
    x = float(np.clip(cx - pw / 2, MARGIN * cw, max(MARGIN * cw, cw * (1 - MARGIN) - pw)))
    if scene == "flat-lay" or (scene != "podium" and look is not None and look >= SEEN_FROM_ABOVE):
        y = ch / 2 - ph / 2
    else:
        # a low, wide product is not left at the bottom of an empty frame: the camera looks down on
        # it from higher, so it sits a little below the middle (its centre at CENTRE_ROW)
        base = (
            min(BASE_ROW.get(scene, 0.86), CENTRE_ROW + 0.5 * ph / ch)
            if scene != "podium"
            else BASE_ROW[scene]
        )
        y = float(np.clip(base * ch - ph, MARGIN * ch, ch))
        y = min(y, ch * (1 - MARGIN) - ph)
    if "left" in cut:
        x = 0.0
    if "right" in cut:
        x = cw - pw if "left" not in cut else 0.0
    if "top" in cut:
        y = 0.0
    if "bottom" in cut:
        y = ch - ph if "top" not in cut else 0.0
    return Placement(box, canvas, scale, round(x), round(y))


def _fit(bw: float, bh: float, cw: int, ch: int, cut: set[str]) -> float:
    """The largest scale that keeps a margin on every side that is not cut."""
    free_w = cw * (1 - MARGIN * (2 - len(cut & {"left", "right"})))
    free_h = ch * (1 - MARGIN * (2 - len(cut & {"top", "bottom"})))
    return min(free_w / bw, free_h / bh)


def _white_plan(mask, box, canvas, fill_ratio: float, rgb: np.ndarray | None) -> Placement:
    """Centre the product on white, sized so the box of its not-near-white pixels (what QA measures)
    fills `fill_ratio` of the canvas, while its whole outline keeps a white margin."""
    x0, y0, x1, y1 = box
    cw, ch = canvas
    vx0, vy0, vx1, vy1 = box
    if rgb is not None:
        a = mask[y0:y1, x0:x1].astype(np.float32) / 255.0
        dark = (a[..., None] * (255.0 - rgb[y0:y1, x0:x1].astype(np.float32)) > 255 - WHITE_LIMIT + 0.5).any(
            2
        )
        if dark.any():
            rows, cols = np.flatnonzero(dark.any(1)), np.flatnonzero(dark.any(0))
            vx0, vy0, vx1, vy1 = x0 + cols[0], y0 + rows[0], x0 + cols[-1] + 1, y0 + rows[-1] + 1
    scale = fill_ratio / max((vx1 - vx0) / cw, (vy1 - vy0) / ch)
    scale = min(scale, (1 - 2 * 0.01) * cw / (x1 - x0), (1 - 2 * 0.01) * ch / (y1 - y0))
    # centre the visible box; keep the whole outline inside the canvas
    x = cw / 2 - ((vx0 + vx1) / 2 - x0) * scale
    y = ch / 2 - ((vy0 + vy1) / 2 - y0) * scale
    x = float(np.clip(x, 0.01 * cw, cw * 0.99 - (x1 - x0) * scale))
    y = float(np.clip(y, 0.01 * ch, ch * 0.99 - (y1 - y0) * scale))
    return Placement(box, canvas, scale, round(x), round(y))
