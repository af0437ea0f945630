"""The zip jacket as a flat-lay, drawn at true scale on a Canvas (scripts/demo_products_cloth.py): a
lightly padded twill blouson, its sleeves set in at the armhole seams and lying out from the body, bent
at the elbow so the cuffs come back to lie across the body's sides above the hem (paper shows inside
the bend), a collar that stands a little off the body, a straight brass zip with its teeth, slider and
pull, slanted welt pockets, rib cuffs and hem band that gather the padding in; freshly pressed, only a
few soft folds above the cuffs.
Unit coordinates of the photo (x right, y down); outlines are walked clockwise on screen.
"""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_cloth import RES, Canvas, Garment, mirror, offset, resample, srgb, sym

BRASS = srgb(170, 138, 84)
OLIVE = srgb(94, 98, 70)
ARMHOLE = [(0.69, 0.175), (0.70, 0.23), (0.703, 0.29), (0.701, 0.35)]
"""The right armhole seam, from the shoulder point down to the underarm."""


def _flip(pts: list, flip: bool) -> list:
    return mirror(pts) if flip else pts


def jacket() -> Garment:
    """A zip blouson: spread collar, brass zip, slanted welt pockets, rib cuffs and hem band."""
    cv = Canvas(1.15, OLIVE, seed=6)
    thread = srgb(120, 124, 92)
    right = [(0.5, 0.13), (0.56, 0.125), (0.69, 0.175), (0.702, 0.32), (0.70, 0.70), (0.697, 0.80),
             (0.5, 0.802)]  # fmt: skip
    torso = cv.region(sym(right), 8)
    cv.body(torso, 4.5)
    band = cv.region([(0.30, 0.745), (0.70, 0.745), (0.697, 0.806), (0.303, 0.806)], 1) * (cv.mask > 0.5)
    cuffs, forearms = [], []
    for flip in (False, True):
        outline, centre, (wrist, cuff_top) = _sleeve()
        full = cv.region(_flip(outline, flip), 12)
        cv.body(full * (1 - torso), 4.5)  # set in at the armhole seam
        # the forearm: its cuff end lies across the body's side, on top (paper shows inside the bend),
        # draped softly over the body's edge: one unbroken layer, the edge under it no step
        forearm = full * np.clip(((np.arange(RES) + 0.5) / RES - 0.5) / 0.05, 0, 1)[:, None]
        under, whole = _fabric(cv, torso), _fabric(cv, full)
        cv.layers += forearm * (whole - _fabric(cv, full * (1 - torso)))
        cv.layers += forearm * (cv2.GaussianBlur(under, (0, 0), cv.px(8)) - under)
        forearms.append(forearm)
        # a rib cuff, as wide as the sleeve's end: it gathers the sleeve in
        wrist, cuff_top = _flip(wrist, flip), _flip(cuff_top, flip)
        cuff = cv.region(wrist + cuff_top[::-1], 1.5)
        cv.layer(cuff, 1.0)
        cv.shade(cuff, 0.92)
        cv.seam(cuff_top, 0.8)
        _ribs(cv, cuff_top, wrist)
        cuffs.append(cuff)
        _sleeve_folds(cv, centre, flip)
        cv.seam(_flip(ARMHOLE, flip), 1.4)
        cv.stitch(_flip(offset(ARMHOLE, -cv.mm(6)), flip), thread)
        cv.seam(_flip([(0.56, 0.126), (0.688, 0.175)], flip), 0.8)
        # slanted welt pocket: its lip raised, the opening a dark slit
        welt = _flip([(0.585, 0.50), (0.60, 0.50), (0.64, 0.64), (0.625, 0.64)], flip)
        cv.layer(cv.region(welt, 1), 1.2)
        cv.shade(cv.stroke(_flip([(0.585, 0.50), (0.625, 0.64)], flip), 1.4), 0.5)
        cv.stitch(welt, thread, 2.6, 1.2, closed=True)
    cv.puff(cv.mask, 13, 40)  # light padding, body and sleeves alike
    body = cv2.GaussianBlur(_puffed(cv, torso), (0, 0), cv.px(10))
    for forearm in forearms:  # the forearm's own padding, on the body's where it lies over it
        cv.loft += forearm * (_puffed(cv, (forearm > 0.01).astype(np.float32)) + body - cv.loft)
    for cuff in cuffs:
        cv.flatten(cuff, 0.7, 4)
    cv.layer(band, 1.0)
    cv.shade(band, 0.92)
    cv.seam([(0.30, 0.745), (0.70, 0.745)], 0.8)
    _ribs(cv, [(0.30, 0.745), (0.70, 0.745)], [(0.30, 0.806), (0.70, 0.806)])
    cv.flatten(band, 0.9, 5)
    _zip(cv, thread)
    # the collar lies on top, standing a little off the body, its points over the front
    collar = [(0.5, 0.112), (0.585, 0.118), (0.61, 0.155), (0.572, 0.232), (0.512, 0.168), (0.5, 0.162)]
    col = cv.region(sym(collar), 5)
    cv.mask = np.maximum(cv.mask, col)
    cv.layer(col, 2.0, roll_mm=2)
    stand = np.clip((0.235 - (np.arange(RES) + 0.5) / RES) / 0.1, 0, 1)[:, None] ** 1.5  # higher at the neck
    cv.loft += (1.5e-3 + 4e-3 * stand) * cv2.GaussianBlur(col, (0, 0), cv.px(5))
    cv.stitch(offset(collar[1:5], -cv.mm(5)), thread)
    cv.stitch(offset(mirror(collar[1:5]), cv.mm(5)), thread)
    cv.shade(cv.stroke([(0.43, 0.115), (0.5, 0.11), (0.57, 0.115)], 2), 0.85)
    cv.mottle(0.04, 18)
    cv.mottle(0.03, 700)
    cv.grain(0.03, 2.0, 45, 3.0)  # the twill's diagonal
    cv.grain(0.025, 0.9, 45, 3.0)  # and its fine slubs
    # freshly pressed: no creases, only the padding's two soft diagonal folds and the sleeves' bend
    cv.fold((0.33, 0.40), (0.45, 0.55), 30, 4)
    cv.fold((0.68, 0.38), (0.57, 0.62), 34, 4)
    cv.warp(5, straight_x=0.5)
    cv.warp(2.5, straight_x=0.5, cells=14)  # padded edges bow a little between the seams
    return Garment(cv, "twill", 4.5, 2.5, key=(160.0, 15.0))


def _fabric(cv: Canvas, region: np.ndarray) -> np.ndarray:
    """The jacket's two padded layers of fabric over one region, as `Canvas.body` lays them."""
    return 4.5e-3 * np.minimum(cv2.GaussianBlur(region, (0, 0), cv.px(1.0)), region + 0.02) * (cv.mask > 0)


def _puffed(cv: Canvas, region: np.ndarray) -> np.ndarray:
    """The jacket's padding over one region alone."""
    keep, cv.loft = cv.loft, np.zeros_like(cv.loft)
    cv.puff(region, 13, 40)
    out, cv.loft = cv.loft, keep
    return out


def _zip(cv: Canvas, thread: np.ndarray) -> None:
    """A #8 brass zip, closed: the tapes in a soft valley between the padded fronts, interlocking teeth
    (each a little domed bar), the slider at the collar with its pull lying down the chain."""
    top, bottom = 0.166, 0.80
    tape = cv.region([(0.5 - cv.mm(8), top), (0.5 + cv.mm(8), top), (0.5 + cv.mm(8), 0.805),
                      (0.5 - cv.mm(8), 0.805)], 1)  # fmt: skip
    cv.flatten(cv.region([(0.5 - cv.mm(14), 0.14), (0.5 + cv.mm(14), 0.14), (0.5 + cv.mm(14), 0.75),
                          (0.5 - cv.mm(14), 0.75)]), 0.72, 14)  # fmt: skip
    cv.tint(tape, srgb(78, 81, 58))
    cv.layer(tape, 0.5, roll_mm=0.5)
    teeth = np.zeros_like(cv.mask)
    for k, y in enumerate(np.arange(top, bottom, cv.mm(2.6))):
        x0 = 0.5 - cv.mm(5.0) if k % 2 else 0.5 - cv.mm(1.0)
        teeth += cv.region(
            [(x0, y), (x0 + cv.mm(6), y), (x0 + cv.mm(6), y + cv.mm(2.0)), (x0, y + cv.mm(2.0))]
        )
    teeth = np.clip(teeth, 0, 1)
    cv.tint(teeth, BRASS)
    cv.metal = np.maximum(cv.metal, teeth)
    cv.layer(teeth, 1.4, roll_mm=0.3)
    cv.fine += 0.5e-3 * np.sqrt(np.clip(cv2.GaussianBlur(teeth, (0, 0), cv.px(0.5)), 0, 1))
    # the slider (a rounded block over the chain's top) and its pull tab with a slot, lying down the chain
    slider = cv.region([(0.5 - cv.mm(6), top - cv.mm(1)), (0.5 + cv.mm(6), top - cv.mm(1)),
                        (0.5 + cv.mm(5), top + cv.mm(17)), (0.5 - cv.mm(5), top + cv.mm(17))], 2)  # fmt: skip
    tab_top, tab_end, lean = top + cv.mm(12), top + cv.mm(52), cv.mm(5)  # the pull lies a little aslant
    tab = cv.region([(0.5 - cv.mm(5.5), tab_top), (0.5 + cv.mm(5.5), tab_top), (0.5 + lean + cv.mm(8), tab_end),
                     (0.5 + lean - cv.mm(8), tab_end)], 3)  # fmt: skip
    c = (0.5 + lean * 0.8, tab_end - cv.mm(10))
    slot = cv.region([(c[0] - cv.mm(3.5), c[1] - cv.mm(4)), (c[0] + cv.mm(3.5), c[1] - cv.mm(4)),
                      (c[0] + cv.mm(3.5), c[1] + cv.mm(4)), (c[0] - cv.mm(3.5), c[1] + cv.mm(4))], 1.5)  # fmt: skip
    cv.shade(cv2.GaussianBlur(tab, (0, 0), cv.px(2.5)) * (1 - tab), 0.6)  # its shadow on the chain
    for part, h, tone in ((slider, 3.0, 1.0), (tab, 3.0, 1.2)):
        cv.tint(part, BRASS * tone)
        cv.metal = np.maximum(cv.metal, part)
        cv.layer(part, h, roll_mm=0.8)
    cv.fine -= 1.2e-3 * slot
    cv.shade(slot, 0.45)
    cv.metal *= 1 - 0.8 * slot
    for x in (0.486, 0.514):
        cv.stitch([(x, 0.16), (x, 0.745)], thread)


def _sleeve() -> tuple[list, np.ndarray, tuple[list, list]]:
    """The right sleeve, set in at the armhole and lying out from the body, bent at the elbow so its cuff
    comes back to lie across the body's side above the hem: its outline (shoulder point, outer edge,
    wrist, inner edge back up inside the body), centre line and the cuff's two edges."""
    knots = np.array([(0.712, 0.255), (0.79, 0.37), (0.85, 0.50), (0.84, 0.62), (0.68, 0.72)])
    c = resample(knots, 0.002)
    c = np.stack(
        [np.convolve(np.pad(c[:, k], 25, mode="edge"), np.ones(51) / 51, "valid") for k in (0, 1)], 1
    )
    t = np.linspace(0, 1, len(c))[:, None]
    half = 0.082 * (1 - t) ** 1.3 + 0.05 * (1 - (1 - t) ** 1.3)
    outer, inner = c - _normal(c) * half, c + _normal(c) * half
    cuff = max(1, int(0.05 / 0.002))
    outline = [(0.69, 0.175)] + [tuple(p) for p in outer] + [tuple(p) for p in inner[::-1]] + [(0.66, 0.2)]
    wrist = [tuple(outer[-1]), tuple(inner[-1])]
    return outline, c, (wrist, [tuple(outer[-cuff]), tuple(inner[-cuff])])


def _sleeve_folds(cv: Canvas, centre: np.ndarray, flip: bool) -> None:
    """The elbow's soft bend, and the fabric bunching above the cuff in a few slanted folds."""
    cv.fold(*_flip([(0.76, 0.47), (0.87, 0.53)], flip), 30, 4.0)
    n = _normal(centre)
    for t, tilt, width, height in ((0.62, -0.2, 16, 3.5), (0.76, 0.25, 14, 3.5), (0.87, -0.15, 12, 3.0)):
        i = int(t * (len(centre) - 1))
        along = centre[min(i + 1, len(centre) - 1)] - centre[max(i - 1, 0)]
        along /= np.linalg.norm(along)
        across = n[i] + tilt * along
        a, b = centre[i] - 0.06 * across, centre[i] + 0.06 * across
        cv.fold(*_flip([tuple(a), tuple(b)], flip), width, height)


def _normal(c: np.ndarray) -> np.ndarray:
    d = np.gradient(c, axis=0)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    return np.stack([-d[:, 1], d[:, 0]], 1)


def _ribs(cv: Canvas, a: list, b: list, pitch_mm: float = 4.0) -> None:
    """Rib knit across a band from edge a to edge b (both two-point lines): wales with shaded channels
    between them, every `pitch_mm` along the band, visible at the photo's scale.

    The ribs are drawn in colour only, the channels' shade (what a rib shows under soft light), not as
    bump: Cycles' Bump node (Blender 3.4) takes its finite differences about a pixel long along two
    fixed tangent directions, and a rib is only about four pixels wide, so its bump shading lands a
    good part of a period off and the shift turns the other way on a mirrored band. On the demo
    jacket's left cuff it fell opposite the channels' shade and cancelled it (a smooth band that read as
    folded), on the right one it embossed the ribs."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    along = (a[1] - a[0]) / np.hypot(*(a[1] - a[0]))
    yy, xx = np.mgrid[:RES, :RES].astype(np.float32)
    s = ((xx + 0.5) / RES - a[0, 0]) * along[0] + ((yy + 0.5) / RES - a[0, 1]) * along[1]
    wales = (0.5 + 0.5 * np.cos(2 * np.pi * s / cv.mm(pitch_mm))).astype(np.float32)
    band = cv.region([tuple(a[0]), tuple(a[1]), tuple(b[1]), tuple(b[0])])
    cv.shade(band, 0.9 / (1 - 0.5 * 3 / 8))  # the band's mean tone as before (0.9), ribs around it
    cv.shade(band * (1 - wales) ** 2, 0.5)
