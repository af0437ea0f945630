"""Compositing: resample the cut-out onto the canvas and lay it over the (shadowed) background.

The product's own pixels are never repainted: where the placed product is fully opaque the output
equals the placed product exactly; only the semi-transparent rim (its colours already decontaminated
by `core.imaging.edges`) is lightly wrapped in the new background's light.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.imaging import enlarge
from core.imaging.errors import MaskError
from core.imaging.pixels import as_pixels, thrice, where

_ROWS = 512


@dataclass(frozen=True)
class Placement:
    """Where the product's bounding box (in the photo) lands on the canvas and at what scale."""

    box: tuple[int, int, int, int]
    canvas: tuple[int, int]
    scale: float
    x: int
    y: int

    @property
    def size(self) -> tuple[int, int]:
        x0, y0, x1, y1 = self.box
        return max(1, round((x1 - x0) * self.scale)), max(1, round((y1 - y0) * self.scale))

    @property
    def target_box(self) -> tuple[int, int, int, int]:
        w, h = self.size
        return self.x, self.y, self.x + w, self.y + h


@dataclass
class Layer:
    """The placed product at canvas size: colours (uint8 RGB) and coverage (uint8 alpha)."""

    rgb: np.ndarray
    alpha: np.ndarray

    def rgba(self) -> np.ndarray:
        return np.dstack([self.rgb, self.alpha])


def product_box(mask: np.ndarray, threshold: int = 8) -> tuple[int, int, int, int]:
    """Bounding box (x0, y0, x1, y1) of the product; raises when the mask is empty."""
    rows = np.flatnonzero((mask >= threshold).any(axis=1))
    if rows.size == 0:
        raise MaskError("the mask is empty, so there is no product to place; correct the mask")
    cols = np.flatnonzero((mask[rows[0] : rows[-1] + 1] >= threshold).any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def place(rgb: np.ndarray, mask: np.ndarray, where: Placement) -> Layer:
    """Resample the product crop onto a transparent canvas (premultiplied, so no dark or light fringe)."""
    x0, y0, x1, y1 = where.box
    crop, a = rgb[y0:y1, x0:x1], mask[y0:y1, x0:x1]
    pw, ph = where.size
    if (pw, ph) != (x1 - x0, y1 - y0):
        # resample premultiplied colour (uint8 kernels), so no background bleeds into the rim; where
        # the result is opaque, premultiplied colour is the colour, elsewhere divide it back out.
        # Enlarged linearly: a cubic kernel overshoots at a sharp edge, and with the coverage clipped
        # at opaque and the colour not, that left a bright ring inside the rim
        interp = cv2.INTER_AREA if where.scale < 1 else cv2.INTER_LINEAR
        pre = cv2.resize(
            cv2.multiply(crop, cv2.cvtColor(a, cv2.COLOR_GRAY2RGB), scale=1 / 255),
            (pw, ph),
            interpolation=interp,
        )
        a = cv2.resize(a, (pw, ph), interpolation=interp)
        rim = np.flatnonzero((a > 0) & (a < 255))  # flat indices of a boolean: numpy's fast path
        px = pre.reshape(-1, 3)  # both are fresh, contiguous resize outputs: views
        if rim.size:
            cover = np.take(a.reshape(-1), rim)
            cover = thrice(cover)
            colour = np.take(px, rim, axis=0).astype(np.float32) * 255.0 / cover
            px[rim] = np.clip(colour, 0, 255).astype(np.uint8)
        crop = pre
    cw, ch = where.canvas
    out_rgb = np.zeros((ch, cw, 3), np.uint8)
    out_a = np.zeros((ch, cw), np.uint8)
    tx, ty = where.x, where.y
    sx0, sy0 = max(0, -tx), max(0, -ty)
    dx0, dy0 = max(0, tx), max(0, ty)
    w = min(pw - sx0, cw - dx0)
    h = min(ph - sy0, ch - dy0)
    if w > 0 and h > 0:
        out_rgb[dy0 : dy0 + h, dx0 : dx0 + w] = crop[sy0 : sy0 + h, sx0 : sx0 + w]
        out_a[dy0 : dy0 + h, dx0 : dx0 + w] = a[sy0 : sy0 + h, sx0 : sx0 + w]
        if where.scale >= enlarge.FROM_SCALE:
            # finished on the canvas round the product: its outline has room to round off (a box cut
            # to the product's extent would flatten it), and a side cut by the canvas edge stays flush
            m = enlarge.margin(where.scale)
            around = np.s_[max(0, dy0 - m) : min(ch, dy0 + h + m), max(0, dx0 - m) : min(cw, dx0 + w + m)]
            out_rgb[around], out_a[around] = enlarge.finish(out_rgb[around], out_a[around], where.scale)
    return Layer(out_rgb, out_a)


def composite(
    background: np.ndarray, layer: Layer, *, shadow: np.ndarray | None = None, wrap: float = 0.25
) -> np.ndarray:
    """Shadow the background, then lay the product over it. Only the boxes that hold shadow or
    product are touched, in row strips, with OpenCV's uint8 kernels; opaque product pixels are copied
    verbatim, and only the soft rim is wrapped in the new background's light."""
    out = background.copy()
    if shadow is not None:
        for y0, y1, x0, x1 in _strips(_bbox(shadow > 1.0 / 512)):
            keep = cv2.cvtColor(
                ((1.0 - shadow[y0:y1, x0:x1]) * 255.0 + 0.5).astype(np.uint8), cv2.COLOR_GRAY2RGB
            )
            out[y0:y1, x0:x1] = cv2.multiply(out[y0:y1, x0:x1], keep, scale=1.0 / 255.0)
    for y0, y1, x0, x1 in _strips(_bbox(layer.alpha > 0)):
        a8 = layer.alpha[y0:y1, x0:x1]
        rgb = layer.rgb[y0:y1, x0:x1]
        bg = out[y0:y1, x0:x1]  # a view: written in place
        # the soft rim, read before the copy below
        ys, xs = where((a8 > 0) & (a8 < 255))
        b = as_pixels(bg)[ys, xs].view(np.uint8).reshape(-1, 3).astype(np.float32)
        if shadow is not None and ys.size:
            b = _rim_floor(background, shadow, layer.alpha, (y0, y1, x0, x1), ys, xs)
        opaque = cv2.compare(a8, 255, cv2.CMP_EQ)  # OpenCV's masked copy: numpy's `where=` is slow
        bg[:] = cv2.copyTo(rgb, opaque, np.ascontiguousarray(bg))
        if ys.size:
            a = a8[ys, xs].astype(np.float32) * (1.0 / 255.0)
            a = thrice(a)
            fg = as_pixels(rgb)[ys, xs].view(np.uint8).reshape(-1, 3).astype(np.float32)
            if wrap > 0:
                k = wrap * (1.0 - a)
                fg = fg * (1.0 - k) + b * k
            mixed = np.clip(fg * a + b * (1.0 - a) + 0.5, 0, 255).astype(np.uint8)
            as_pixels(bg)[ys, xs] = mixed.view("V3")[:, 0]
    return out


RIM_REACH = 3
"""Pixels out from a semi-transparent rim pixel to the floor it blends with."""


def _rim_floor(
    background: np.ndarray,
    shadow: np.ndarray,
    alpha: np.ndarray,
    box: tuple[int, int, int, int],
    ys: np.ndarray,
    xs: np.ndarray,
) -> np.ndarray:
    """The floor behind the soft rim pixels (`ys`, `xs` in `box`): the background shaded as the floor
    just outside the product is. A shadow made for the floor can stop at the outline (a contact skirt
    ends where the base begins), and a rim pixel blended with the unshaded floor under the product is a
    pale thread round a product standing in its own shadow. Worked in uint8 on the strip (an erosion
    of what the shadow keeps is the darkest shade within reach)."""
    y0, y1, x0, x1 = box
    r = RIM_REACH
    h, w = alpha.shape
    t0, t1, l0, l1 = max(0, y0 - r), min(h, y1 + r), max(0, x0 - r), min(w, x1 + r)
    keep = ((1.0 - shadow[t0:t1, l0:l1]) * 255.0 + 0.5).astype(np.uint8)
    outside = keep.copy()
    outside[alpha[t0:t1, l0:l1] > 0] = 255  # only the floor round the product counts
    outside = cv2.erode(outside, np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    py, px = ys + (y0 - t0), xs + (x0 - l0)
    k = np.minimum(keep[py, px], outside[py, px]).astype(np.float32) * (1.0 / 255.0)
    return background[ys + y0, xs + x0].astype(np.float32) * k[:, None]


def _bbox(on: np.ndarray) -> tuple[int, int, int, int] | None:
    rows = np.flatnonzero(on.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(on[rows[0] : rows[-1] + 1].any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _strips(box: tuple[int, int, int, int] | None):
    if box is None:
        return
    y0, y1, x0, x1 = box
    for y in range(y0, y1, _ROWS):
        yield y, min(y1, y + _ROWS), x0, x1
