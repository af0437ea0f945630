"""Compositing: place the cut-out, cast its shadows, and lay it over the background.

The product's own pixels are never repainted: where the placed product is fully opaque the output
equals the placed product exactly; only the semi-transparent rim (its colours already decontaminated
by `core.imaging.edges`) is lightly wrapped in the new background's light.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.imaging.backgrounds import Light
from core.imaging.errors import MaskError

_SHADOW_SIDE = 320
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


def plan(
    mask: np.ndarray,
    canvas: tuple[int, int],
    *,
    fill_ratio: float | None,
    placement: str = "center",
    light: Light | None = None,
    margin: float = 0.04,
) -> Placement:
    """Scale the product so its bounding box fills `fill_ratio` of the frame (None: keep the photo's
    own scale and position) and put it in the centre or on a rule-of-thirds line."""
    box = product_box(mask)
    x0, y0, x1, y1 = box
    bw, bh = x1 - x0, y1 - y0
    cw, ch = canvas
    if fill_ratio is None:
        sx, sy = cw / mask.shape[1], ch / mask.shape[0]
        scale = min(sx, sy)
        return Placement(box, canvas, scale, round(x0 * scale), round(y0 * scale))
    scale = min(fill_ratio * cw / bw, fill_ratio * ch / bh)
    scale = min(scale, (1 - 2 * margin) * cw / bw if fill_ratio <= 1 - 2 * margin else scale)
    pw, ph = bw * scale, bh * scale
    cx = cw / 2
    if placement == "thirds":
        cx = cw / 3 if (light or Light()).dx > 0 else 2 * cw / 3
    x = int(np.clip(round(cx - pw / 2), 0, max(0, cw - round(pw))))
    y = int(np.clip(round(ch / 2 - ph / 2), 0, max(0, ch - round(ph))))
    return Placement(box, canvas, scale, x, y)


def place(rgb: np.ndarray, mask: np.ndarray, where: Placement) -> Layer:
    """Resample the product crop onto a transparent canvas (premultiplied, so no dark or light fringe)."""
    x0, y0, x1, y1 = where.box
    crop, a = rgb[y0:y1, x0:x1], mask[y0:y1, x0:x1]
    pw, ph = where.size
    if (pw, ph) != (x1 - x0, y1 - y0):
        # resample premultiplied colour (uint8 kernels), so no background bleeds into the rim; where
        # the result is opaque, premultiplied colour is the colour, elsewhere divide it back out
        interp = cv2.INTER_AREA if where.scale < 1 else cv2.INTER_CUBIC
        pre = cv2.resize(
            cv2.multiply(crop, cv2.cvtColor(a, cv2.COLOR_GRAY2RGB), scale=1 / 255),
            (pw, ph),
            interpolation=interp,
        )
        a = cv2.resize(a, (pw, ph), interpolation=interp)
        ys, xs = np.nonzero(cv2.inRange(a, 1, 254))
        pre[ys, xs] = np.clip(pre[ys, xs].astype(np.float32) * 255.0 / a[ys, xs][:, None], 0, 255).astype(
            np.uint8
        )
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
    return Layer(out_rgb, out_a)


def shadow_map(alpha: np.ndarray, light: Light, *, contact: bool = True, cast: bool = True) -> np.ndarray:
    """Darkening (0..1, float32, canvas size) of a contact shadow under the product's base and a cast
    shadow on the floor falling away from the light; softer light gives blurrier, fainter shadows."""
    h, w = alpha.shape
    s = min(1.0, _SHADOW_SIDE / max(h, w))
    sw, sh = max(8, round(w * s)), max(8, round(h * s))
    a = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    rows = np.flatnonzero(a.max(axis=1) > 0.3)
    out = np.zeros((sh, sw), np.float32)
    if rows.size == 0:
        return cv2.resize(out, (w, h))
    top, base = int(rows[0]), int(rows[-1])
    ph = max(base - top, 1)
    soft = float(np.clip(light.softness, 0.0, 1.0))
    if cast:
        length = 0.9 - 0.5 * abs(np.sin(np.radians(light.angle))) + 0.2
        shear = float(np.clip(light.dx, -1, 1)) * length
        squash = 0.22
        m = np.float32([[1, -shear, shear * base], [0, squash, base * (1 - squash)]])
        cast_a = cv2.warpAffine(a, m, (sw, sh), flags=cv2.INTER_LINEAR)
        near = cv2.GaussianBlur(cast_a, (0, 0), 1.0 + ph * 0.02 * (0.5 + soft))
        far = cv2.GaussianBlur(cast_a, (0, 0), 2.0 + ph * 0.08 * (0.5 + soft))
        yy = np.arange(sh, dtype=np.float32)[:, None]
        t = np.clip((base - yy) / (ph * squash + 1e-3), 0, 1)
        out = np.maximum(out, ((1 - t) * near + t * far) * (0.42 - 0.22 * soft))
    out = cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)
    if contact:
        _contact_shadow(alpha, soft, out)
    return out


def _contact_shadow(alpha: np.ndarray, soft: float, out: np.ndarray) -> None:
    """Darken the floor right under the product, at full size and column by column: each column's
    shadow starts at that column's lowest opaque pixel (no strip of floor between a curved base and its
    shadow) and fades downwards; columns whose bottom is off the floor (a handle, a raised toe) get less."""
    solid = alpha >= 128
    cols = np.flatnonzero(solid.any(axis=0))
    if cols.size == 0:
        return
    rows = np.flatnonzero(solid[:, cols[0] : cols[-1] + 1].any(axis=1))
    top, base = int(rows[0]), int(rows[-1])
    ph = max(base - top + 1, 8)
    low = alpha.shape[0] - 1 - np.argmax(solid[::-1, cols], axis=0)
    reach = max(1.5, ph * 0.012 * (1 + soft))
    # a base seen slightly from above is an ellipse: columns within 12 % of the height of the lowest point
    # still stand on the floor; higher ones (a handle, a raised toe) fade out
    lift = np.maximum(0, base - low - 0.12 * ph)
    strength = ((0.6 - 0.2 * soft) * np.exp(-lift / max(1.0, 0.04 * ph))).astype(np.float32)
    length = int(reach * 5) + 2
    y0 = int(low.min())
    band = np.zeros((base - y0 + length, alpha.shape[1]), np.float32)
    steps = np.arange(length)[:, None]
    band[(low - y0)[None, :] + steps, cols[None, :]] = strength[None, :] * np.exp(-steps / reach).astype(
        np.float32
    )
    band = cv2.GaussianBlur(band, (0, 0), sigmaX=max(1.0, reach), sigmaY=0.1)
    end = min(out.shape[0], y0 + band.shape[0])
    np.maximum(out[y0:end], band[: end - y0], out=out[y0:end])


def reflect(bg: np.ndarray, layer: Layer, *, opacity: float = 0.28, fade: float = 0.3) -> None:
    """Floor reflection: the product mirrored under its base, fading out (in place on `bg`)."""
    rows = np.flatnonzero(layer.alpha.max(axis=1) > 0)
    if rows.size == 0:
        return
    top, base = int(rows[0]), int(rows[-1]) + 1
    n = min(bg.shape[0] - base, int((base - top) * fade))
    if n <= 0:
        return
    src_rgb = layer.rgb[base - n : base][::-1].astype(np.float32)
    src_a = layer.alpha[base - n : base][::-1].astype(np.float32) / 255.0
    ramp = np.linspace(opacity, 0.0, n, dtype=np.float32)[:, None]
    k = (src_a * ramp)[..., None]
    region = bg[base : base + n].astype(np.float32)
    bg[base : base + n] = (region * (1 - k) + src_rgb * k + 0.5).astype(np.uint8)


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
        bg = out[y0:y1, x0:x1]
        af = a8.astype(np.float32) * (1.0 / 255.0)
        blend = cv2.blendLinear(rgb, bg, af, 1.0 - af)
        rim = (a8 > 0) & (a8 < 255)
        if wrap > 0 and rim.any():
            a = af[rim][:, None]
            k = wrap * (1.0 - a)
            fg = rgb[rim].astype(np.float32) * (1.0 - k) + bg[rim].astype(np.float32) * k
            blend[rim] = np.clip(fg * a + bg[rim].astype(np.float32) * (1.0 - a) + 0.5, 0, 255).astype(
                np.uint8
            )
        np.copyto(blend, rgb, where=(a8 == 255)[..., None])
        out[y0:y1, x0:x1] = blend
    return out


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
