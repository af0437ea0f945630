"""The soft demo garments as flat-lays (t-shirt, dress, skirt), drawn panel by panel at true scale on a
Canvas (scripts/demo_products_cloth.py): outline, layers, seams, hems, topstitching, then soft folds.
Unit coordinates of the photo (x right, y down); outlines are walked clockwise on screen.
"""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_cloth import Canvas, Garment, arc, mirror, offset, ripple, srgb, sym


def _ribs(cv: Canvas, inner: list, outer: list, pitch_mm: float = 1.3) -> None:
    """Rib knit: fine ridges running across a band from its inner to its outer edge."""
    a, b = np.asarray(inner, float), np.asarray(outer, float)
    s = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(a, axis=0).T))])
    for t in np.arange(0, s[-1], cv.mm(pitch_mm)):
        p = [np.interp(t, s, a[:, k]) for k in (0, 1)]
        q = [np.interp(t, s, b[:, k]) for k in (0, 1)]
        cv.fine += 0.3e-3 * cv.stroke([p, q], 0.6)


def _inside_back(cv: Canvas, back_neck: list, front_neck: list) -> np.ndarray:
    """Where the front's neckline shows the inside of the back: one layer lower, in its shade."""
    inside = cv.region(back_neck[::-1] + front_neck[::-1], 1)
    cv.layer(inside, -2.0, roll_mm=1.5)
    cv.shade(inside, 0.8)
    return inside


def tshirt() -> Garment:
    """A men's M crew-neck tee: chest 52 cm, 72 cm from the high shoulder point, sloping shoulders,
    20 cm sleeves angled 25 degrees down, side seams tapering to a slightly curved hem."""
    cv = Canvas(1.0, srgb(84, 102, 124), seed=1)
    back_neck = arc(0.5, 0.13, 0.075, 0.018, 180, 0, 20)
    front_neck = arc(0.5, 0.13, 0.075, 0.088, 0, 180, 32)
    sp, top, low, pit = (0.73, 0.176), (0.911, 0.261), (0.844, 0.406), (0.762, 0.385)
    right = [(0.575, 0.13), sp, top, low, pit, (0.760, 0.47), (0.753, 0.66), (0.749, 0.838),
             (0.735, 0.846), (0.62, 0.853), (0.5, 0.855)]  # fmt: skip
    cv.body(cv.region(back_neck + sym(right)[:-1], 4), 3.0)
    inside = _inside_back(cv, back_neck, front_neck)
    tape = cv.stroke(offset(back_neck, cv.mm(7))[2:-2], 9)
    cv.shade(tape * inside, 0.92)
    cv.stitch(offset(back_neck, cv.mm(12))[3:-3], None, 2.4, 1.0)
    label = cv.region([(0.487, 0.155), (0.513, 0.155), (0.513, 0.17), (0.487, 0.17)], 0.5)
    cv.tint(label * inside, srgb(226, 222, 212))
    cv.layer(label * inside, 0.3)
    cv.fine += 0.12e-3 * cv.stroke([(0.491, 0.161), (0.509, 0.161)], 1.0) * label
    # the rib neckband: 18 mm wide, ribs across it, coverstitched where it joins the body
    band_out = arc(0.5, 0.13, 0.075 + cv.mm(18), 0.088 + cv.mm(18), 0, 180, 32)
    band = cv.region(front_neck + band_out[::-1], 0.5)
    cv.layer(band, 0.9)
    cv.shade(band, 0.95)
    _ribs(cv, front_neck, band_out)
    cv.seam(band_out)
    for mm in (21, 27):
        cv.stitch(arc(0.5, 0.13, 0.075 + cv.mm(mm), 0.088 + cv.mm(mm), 0, 180, 40), None, 2.4, 1.0)
    for flip in (lambda p: p, mirror):
        cv.seam(flip([(0.575, 0.13), sp]))
        cv.seam(flip([sp, (0.752, 0.28), pit]))
    cv.hem([top, low], 24, (0, 6))
    cv.hem(mirror([low, top]), 24, (0, 6))
    hem = [(0.749, 0.838), (0.735, 0.846), (0.62, 0.853), (0.5, 0.855)]
    cv.hem(hem + mirror(hem[::-1])[1:], 26, (0, 6))
    cv.mottle(0.03, 10)
    cv.mottle(0.07, 1400)  # heather: lighter and darker fibres
    cv.grain(0.045, 2.0, 90)  # jersey's wales
    # a stylist's flat-lay, freshly pressed: a few long, soft folds, nothing creased
    cv.fold((0.28, 0.36), (0.47, 0.66), 16, 6.0)
    cv.fold((0.73, 0.42), (0.58, 0.74), 18, 6.0)
    cv.fold((0.30, 0.79), (0.69, 0.81), 16, 4.5)
    cv.warp(6)
    return Garment(cv, "knit", 3.0, 1.2)


def dress() -> Garment:
    """A pressed linen strap sundress: a straight neckline on two flat 16 mm shoulder straps (each from
    the front over a mitred fold to the back bodice), fitted bodice, waist seam, a full skirt falling in
    long soft folds."""
    cv = Canvas(1.3, srgb(150, 72, 54), seed=2)
    hem = ripple([(0.79, 0.88), (0.66, 0.905), (0.5, 0.912), (0.34, 0.905), (0.21, 0.88)], 0.011, 3.2, 1.0)
    right = [(0.5, 0.216), (0.55, 0.214), (0.585, 0.207), (0.589, 0.24), (0.60, 0.272), (0.624, 0.30),
             (0.614, 0.35), (0.605, 0.40), (0.66, 0.55), (0.73, 0.72)]  # fmt: skip
    cv.body(cv.region(right + hem + mirror(right[::-1]), 4), 2.2)
    cv.puff(cv.mask, 3, 25)  # two layers of linen with a little air between: softly rounded edges
    bodice = cv.mask.copy()
    # the straps: flat 16 mm bands, each up from under the front's top edge, folded over square at the
    # shoulder (a mitred fold: the corner a diagonal edge, the band doubled in the triangle inside it)
    # and back down to the back bodice
    w, s3 = cv.mm(16), cv.mm(3)
    for flip, top in ((lambda p: p, 0.098), (mirror, 0.104)):
        f, b, lo, hi = 0.541 - w / 2, 0.581 + w / 2, top - w / 2, top + w / 2
        band = [(f, 0.225), (f, hi), (f + w, lo), (b - w, lo), (b, hi), (b, 0.225), (b - w, 0.225),
                (b - w, hi), (f + w, hi), (f + w, 0.225)]  # fmt: skip
        cv.body(cv.region(flip(band), 0.6) * (1 - bodice), 1.1)
        for tri in ([(f, hi), (f + w, lo), (f + w, hi)], [(b, hi), (b - w, lo), (b - w, hi)]):
            cv.layer(cv.region(flip(tri)), 1.0, roll_mm=0.8)
        for x0, x1 in ((f, f + w), (b - w, b)):  # the folded band's edge lies on the strap below it
            cv.shade(cv2.GaussianBlur(cv.stroke(flip([(x0, hi + cv.mm(1)), (x1, hi + cv.mm(1))]), 1.5), (0, 0), 2),
                     0.85)  # fmt: skip
            for x in (x0 + s3, x1 - s3):  # edge-stitched: a sewn strap, not a cord
                cv.stitch(flip([(x, hi + cv.mm(4)), (x, 0.215)]), None, 2.2, 1.0, thread_mm=0.7)
        cv.stitch(flip([(f + w, lo + s3), (b - w, lo + s3)]), None, 2.2, 1.0, thread_mm=0.7)
        cv.stitch(flip([(f + 2 * s3, hi - s3), (b - 2 * s3, hi - s3)]), None, 2.2, 1.0, thread_mm=0.7)
    # bodice: top facing's stitching, bust darts, the waist seam
    cv.stitch([(0.415, 0.216 + 0.012), (0.5, 0.228), (0.585, 0.207 + 0.014)], None, 2.6, 1.2)
    for flip in (lambda p: p, mirror):
        cv.seam(flip([(0.565, 0.40), (0.56, 0.30)]), 0.6)
    waist = [(0.395, 0.40), (0.5, 0.405), (0.605, 0.40)]
    cv.seam(waist, 1.0)
    cv.layer(cv.region([(0.395, 0.395), (0.605, 0.395), (0.605, 0.412), (0.395, 0.412)], 1), 0.8)
    cv.hem(hem, 18, (0,))
    # the skirt's fullness: folds fanning out from the waist, some deeper than others
    rng = np.random.default_rng(5)
    for x in np.linspace(0.34, 0.66, 9):
        x0 = 0.5 + (x - 0.5) * 0.6 + rng.uniform(-0.01, 0.01)
        x1 = 0.5 + (x - 0.5) * 2.6 + rng.uniform(-0.03, 0.03)  # ends past the hem: deepest there
        cv.fold((x0, 0.43), (x1, 1.25), rng.uniform(11, 20), rng.uniform(9, 20))
    cv.mottle(0.03, 16)
    cv.mottle(0.04, 900)
    cv.grain(0.035, 1.4, 90, 9.0)  # linen's slubby warp
    cv.grain(0.03, 1.2, 0, 7.0)  # and weft
    cv.warp(5)
    return Garment(cv, "linen", 2.2, 1.2)


def skirt() -> Garment:
    """An A-line wool skirt: waistband with a button tab, darts, hem, soft folds."""
    cv = Canvas(0.95, srgb(164, 124, 84), seed=3)
    hem = ripple([(0.81, 0.80), (0.66, 0.818), (0.5, 0.822), (0.34, 0.818), (0.19, 0.80)], 0.006, 2.6, 0.5)
    right = [(0.5, 0.17), (0.66, 0.17), (0.668, 0.215), (0.70, 0.35), (0.77, 0.62)]
    cv.body(cv.region(right + hem + mirror(right[::-1]), 3), 3.5)
    band = cv.region([(0.338, 0.17), (0.662, 0.17), (0.665, 0.21), (0.335, 0.21)], 1)
    cv.layer(band, 1.5)
    cv.seam([(0.335, 0.21), (0.665, 0.21)], 1.0)
    cv.stitch([(0.34, 0.206), (0.66, 0.206)], None, 2.8, 1.2)
    cv.stitch([(0.34, 0.174), (0.66, 0.174)], None, 2.8, 1.2)
    tab = cv.region([(0.30, 0.171), (0.40, 0.171), (0.40, 0.209), (0.30, 0.209)], 2) * (cv.mask > 0.5)
    cv.dome((0.315, 0.19), 7, 2.0, srgb(70, 52, 38), 0.0)
    cv.layer(tab, 0.3)
    for flip in (lambda p: p, mirror):
        cv.seam(flip([(0.41, 0.21), (0.415, 0.31)]), 0.4)
    cv.hem(hem, 35, (0,))
    rng = np.random.default_rng(7)
    for x in np.linspace(0.40, 0.60, 5):
        cv.fold(
            (x, 0.36),
            (0.5 + (x - 0.5) * 2.4 + rng.uniform(-0.02, 0.02), 0.83),
            rng.uniform(16, 26),
            rng.uniform(7, 12),
        )
    cv.mottle(0.035, 14)
    cv.mottle(0.05, 600)
    cv.grain(0.035, 2.5, 0, 1.5)  # wool's felted surface
    cv.warp(4)
    return Garment(cv, "wool", 3.5, 1.0)
