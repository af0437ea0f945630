"""The soft demo garments as flat-lays (t-shirt, dress, skirt), drawn panel by panel at true scale on a
Canvas (scripts/demo_products_cloth.py): outline, layers, seams, hems, topstitching, then soft folds.
Unit coordinates of the photo (x right, y down); outlines are walked clockwise on screen.
"""

from __future__ import annotations

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
    cv = Canvas(1.0, srgb(84, 102, 124), seed=1)
    back_neck = arc(0.5, 0.142, 0.068, 0.016, 180, 0, 20)
    front_neck = arc(0.5, 0.142, 0.068, 0.085, 0, 180, 32)
    right = [(0.568, 0.142), (0.715, 0.185), (0.87, 0.30), (0.80, 0.392), (0.728, 0.335),
             (0.722, 0.50), (0.728, 0.70), (0.73, 0.858), (0.62, 0.864), (0.5, 0.866)]  # fmt: skip
    cv.body(cv.region(back_neck + sym(right)[:-1], 4), 3.0)
    inside = _inside_back(cv, back_neck, front_neck)
    tape = cv.stroke(offset(back_neck, cv.mm(7))[2:-2], 9)
    cv.shade(tape * inside, 0.92)
    cv.stitch(offset(back_neck, cv.mm(12))[3:-3], None, 2.4, 1.0)
    label = cv.region([(0.487, 0.166), (0.513, 0.166), (0.513, 0.181), (0.487, 0.181)], 0.5)
    cv.tint(label * inside, srgb(226, 222, 212))
    cv.layer(label * inside, 0.3)
    cv.fine += 0.12e-3 * cv.stroke([(0.491, 0.172), (0.509, 0.172)], 1.0) * label
    # the rib neckband: 18 mm wide, ribs across it, coverstitched where it joins the body
    band_out = arc(0.5, 0.142, 0.068 + cv.mm(18), 0.085 + cv.mm(18), 0, 180, 32)
    band = cv.region(front_neck + band_out[::-1], 0.5)
    cv.layer(band, 0.9)
    cv.shade(band, 0.95)
    _ribs(cv, front_neck, band_out)
    cv.seam(band_out)
    for mm in (21, 27):
        cv.stitch(arc(0.5, 0.142, 0.068 + cv.mm(mm), 0.085 + cv.mm(mm), 0, 180, 40), None, 2.4, 1.0)
    for flip in (lambda p: p, mirror):
        cv.seam(flip([(0.568, 0.142), (0.715, 0.185)]))
        cv.seam(flip([(0.715, 0.185), (0.735, 0.25), (0.728, 0.335)]))
    cv.hem([(0.87, 0.30), (0.80, 0.392)], 24, (0, 6))
    cv.hem([(0.20, 0.392), (0.13, 0.30)], 24, (0, 6))
    cv.hem([(0.73, 0.858), (0.62, 0.864), (0.5, 0.866), (0.38, 0.864), (0.27, 0.858)], 26, (0, 6))
    cv.mottle(0.03, 18)
    cv.mottle(0.06, 900)  # heather: lighter and darker fibres
    cv.fold((0.34, 0.36), (0.47, 0.52), 14, 5)
    cv.fold((0.66, 0.40), (0.58, 0.62), 16, 4)
    cv.fold((0.33, 0.76), (0.62, 0.80), 22, 3.5)
    cv.creases(14, (60, 160), (1.2, 3.0), angle=0, spread=40)
    cv.warp(4)
    return Garment(cv, "knit", 3.0, 2.0)


def dress() -> Garment:
    """A halter midi dress: fitted bodice, waist seam, a full skirt falling in soft folds."""
    cv = Canvas(1.3, srgb(150, 72, 54), seed=2)
    hem = ripple([(0.79, 0.88), (0.66, 0.905), (0.5, 0.912), (0.34, 0.905), (0.21, 0.88)], 0.007, 3.2, 1.0)
    right = [(0.5, 0.218), (0.55, 0.212), (0.585, 0.205), (0.589, 0.24), (0.60, 0.272), (0.624, 0.30),
             (0.614, 0.35), (0.605, 0.40), (0.66, 0.55), (0.73, 0.72)]  # fmt: skip
    cv.body(cv.region(right + hem + mirror(right[::-1]), 4), 2.6)
    # the halter: a 3 cm strap from the bodice's top corners around the neck (paper shows inside)
    outer = arc(0.5, 0.23, 0.078, 0.16, 188, 352, 40)
    inner = arc(0.5, 0.23, 0.078 - cv.mm(30), 0.16 - cv.mm(30), 352, 188, 40)
    strap = cv.region(outer + inner, 2) * cv.region([(0.3, 0.0), (0.7, 0.0), (0.7, 0.225), (0.3, 0.225)])
    cv.body(strap, 2.0)
    for d in (3, 27):
        cv.stitch(arc(0.5, 0.23, 0.078 - cv.mm(d), 0.16 - cv.mm(d), 196, 344, 50), None, 2.6, 1.2)
    # bodice: top facing, bust darts, the waist seam, a concealed side zip's seam
    cv.stitch([(0.42, 0.213 + 0.012), (0.5, 0.227), (0.58, 0.213 + 0.012)], None, 2.6, 1.2)
    for flip in (lambda p: p, mirror):
        cv.seam(flip([(0.565, 0.40), (0.56, 0.30)]), 0.6)
    waist = [(0.395, 0.40), (0.5, 0.405), (0.605, 0.40)]
    cv.seam(waist, 1.0)
    cv.layer(cv.region([(0.395, 0.395), (0.605, 0.395), (0.605, 0.412), (0.395, 0.412)], 1), 0.8)
    cv.hem(hem, 18, (0,))
    # the skirt's fullness: folds fanning out from the waist
    rng = np.random.default_rng(5)
    for x in np.linspace(0.36, 0.64, 7):
        x0 = 0.5 + (x - 0.5) * 0.6 + rng.uniform(-0.01, 0.01)
        x1 = 0.5 + (x - 0.5) * 1.9 + rng.uniform(-0.02, 0.02)
        cv.fold((x0, 0.43), (x1, 0.95), rng.uniform(14, 24), rng.uniform(10, 17))
    cv.mottle(0.03, 16)
    cv.creases(8, (50, 120), (1.0, 2.5), angle=90, spread=30)
    cv.warp(5)
    return Garment(cv, "crepe", 2.6, 2.0)


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
    cv.creases(6, (50, 110), (1.0, 2.0), angle=0, spread=30)
    cv.warp(4)
    return Garment(cv, "wool", 3.5, 1.8)
