"""The tailored demo garments as flat-lays (five-pocket jeans, a zip jacket), drawn at true scale on a
Canvas (scripts/demo_products_cloth.py): panels, waistband, belt loops, pockets, rivets, zipper,
collar, rib cuffs, contrast or tonal topstitching, then folds and creases.
Unit coordinates of the photo (x right, y down); outlines are walked clockwise on screen.
"""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_cloth import RES, Canvas, Garment, arc, mirror, noise, offset, resample, srgb, sym

BRASS = srgb(176, 142, 86)
COPPER = srgb(150, 96, 62)


def _flip(pts: list, flip: bool) -> list:
    return mirror(pts) if flip else pts


def jeans() -> Garment:
    cv = Canvas(1.25, srgb(46, 62, 96), seed=4)
    thread = srgb(196, 138, 62)
    right = [(0.5, 0.10), (0.665, 0.10), (0.685, 0.25), (0.69, 0.38), (0.698, 0.66), (0.705, 0.93),
             (0.63, 0.932), (0.555, 0.93), (0.53, 0.66), (0.51, 0.41), (0.5, 0.40)]  # fmt: skip
    cv.body(cv.region(sym(right), 3), 4.0)
    # denim: slubby vertical streaks, faded thighs and knees, whiskers at the hips
    streaks = noise((RES, RES), 900, cv.rng, stretch=10).T
    cv.colour *= (1 + 0.07 * streaks + 0.05 * noise((RES, RES), 30, cv.rng, stretch=3).T)[..., None]
    for x in (0.405, 0.595):
        fade = cv2.GaussianBlur(cv.region(arc(x, 0.56, 0.045, 0.17, 0, 360, 40)), (0, 0), cv.px(45))
        cv.shade(fade / fade.max(), 1.22)
    for flip in (False, True):
        for k in range(4):
            y = 0.30 + 0.018 * k
            w = _flip([(0.455 - 0.004 * k, y), (0.425 - 0.012 * k, y - 0.012 - 0.004 * k)], flip)
            whisker = cv2.GaussianBlur(cv.stroke(w, 6), (0, 0), cv.px(6))
            cv.shade(whisker / whisker.max(), 1.14)
    # waistband, belt loops, button
    band = cv.region([(0.33, 0.10), (0.67, 0.10), (0.671, 0.132), (0.329, 0.132)], 1)
    cv.layer(band, 1.2)
    cv.seam([(0.329, 0.132), (0.671, 0.132)], 0.8)
    cv.stitch([(0.335, 0.104), (0.665, 0.104)], thread, 3.0, 1.4)
    for y in (0.128, 0.136):
        cv.stitch([(0.335, y), (0.665, y)], thread, 3.0, 1.4)
    for x in (0.345, 0.41, 0.59, 0.655):
        loop = cv.region(
            [(x - cv.mm(6), 0.097), (x + cv.mm(6), 0.097), (x + cv.mm(6), 0.141), (x - cv.mm(6), 0.141)], 1
        )
        cv.layer(loop, 1.6, roll_mm=0.5)
        cv.mask = np.maximum(cv.mask, loop)
        for y in (0.101, 0.137):
            cv.stitch([(x - cv.mm(4.5), y), (x + cv.mm(4.5), y)], thread, 1.2, 0.5)
    cv.dome((0.5, 0.116), 8.5, 3.0, srgb(150, 136, 112), 1.0)
    # fly: the J-stitch in two rows, the centre seam
    cv.seam([(0.5, 0.132), (0.5, 0.395)], 1.0)
    for d in (0, 7):
        j = [(0.528 + cv.mm(d), 0.135)] + arc(0.5, 0.30, 0.028 + cv.mm(d), 0.05 + cv.mm(d), 0, 90, 12)
        cv.stitch(j, thread, 3.0, 1.4)
    # front pockets: the curved opening with its facing, two rows of stitching, rivets, a coin pocket
    for flip in (False, True):
        mouth = _flip(arc(0.69, 0.132, 0.085, 0.085, 180, 90, 20), flip)
        facing = cv.region(mouth + [_flip([(0.69, 0.132)], flip)[0]], 1) * (cv.mask > 0.5)
        cv.shade(facing, 0.82)
        cv.layer(cv.stroke(mouth, 3), 0.6)
        for d in (3, 9):
            cv.stitch(offset(mouth, cv.mm(d) * (1 if not flip else -1)), thread, 3.0, 1.4)
        for p in _flip([(0.611, 0.142), (0.682, 0.21)], flip):
            cv.dome(p, 4, 1.5, COPPER, 1.0)
    coin = [(0.608, 0.15), (0.648, 0.15), (0.648, 0.205), (0.608, 0.205)]
    cv.layer(cv.region(coin, 1) * (1 - cv.region(arc(0.69, 0.132, 0.085, 0.085, 0, 360, 60))), 0.8)
    cv.stitch([coin[3], coin[0], coin[1], coin[2]], thread, 3.0, 1.4)
    cv.stitch([(0.608, 0.157), (0.648, 0.157)], thread, 3.0, 1.4)
    # hems, side seams' chain stitching, folds
    for flip in (False, True):
        cv.hem(
            _flip([(0.705, 0.93), (0.63, 0.932), (0.555, 0.93)], flip)[:: (1 if not flip else -1)],
            16,
            (0,),
            thread,
        )
        cv.stitch(_flip([(0.532, 0.67), (0.551, 0.915)], flip), thread, 3.0, 1.4)
        for y0 in (0.63, 0.70):  # soft knee folds across the leg
            cv.fold(_flip([(0.55, y0)], flip)[0], _flip([(0.69, y0 + 0.012)], flip)[0], 24, 3.2)
    cv.creases(4, (100, 180), (1.0, 1.6), angle=0, spread=20)
    cv.warp(3)
    return Garment(cv, "denim", 4.0, 1.6)


def jacket() -> Garment:
    """A zip blouson: spread collar, brass zip, slanted welt pockets, rib cuffs and hem band."""
    cv = Canvas(1.15, srgb(94, 98, 70), seed=6)
    thread = srgb(120, 124, 92)
    right = [
        (0.5, 0.13),
        (0.56, 0.125),
        (0.69, 0.175),
        (0.702, 0.32),
        (0.70, 0.70),
        (0.697, 0.80),
        (0.5, 0.806),
    ]
    cv.body(cv.region(sym(right), 3), 4.5)
    for flip in (False, True):
        outline, (wrist, cuff_top) = _sleeve()
        s = _flip(outline, flip)
        cv.body(cv.region(s, 5), 4.0)
        # a plain rib cuff, as wide as the sleeve's end
        wrist, cuff_top = _flip(wrist, flip), _flip(cuff_top, flip)
        cuff = cv.region(wrist + cuff_top[::-1], 1.5)
        cv.layer(cuff, 1.0)
        cv.shade(cuff, 0.92)
        cv.seam(cuff_top, 0.8)
        _ribs(cv, cuff_top, wrist)
        cv.fold(*_flip([(0.735, 0.41), (0.83, 0.49)], flip), 40, 4.0)  # the elbow's soft bend
        cv.seam(_flip([(0.688, 0.175), (0.706, 0.25), (0.703, 0.32)], flip), 1.0)
        cv.stitch(_flip([(0.694, 0.18), (0.712, 0.25), (0.709, 0.32)], flip), thread)
        cv.seam(_flip([(0.56, 0.126), (0.688, 0.175)], flip), 0.8)
        # slanted welt pocket
        welt = _flip([(0.585, 0.50), (0.60, 0.50), (0.64, 0.64), (0.625, 0.64)], flip)
        cv.layer(cv.region(welt, 1), 1.0)
        cv.shade(cv.stroke(_flip([(0.585, 0.50), (0.625, 0.64)], flip), 1.2), 0.6)
        cv.stitch(welt, thread, 2.6, 1.2, closed=True)
    band = cv.region([(0.30, 0.745), (0.70, 0.745), (0.697, 0.806), (0.303, 0.806)], 1) * (cv.mask > 0.5)
    cv.layer(band, 1.0)
    cv.shade(band, 0.92)
    cv.seam([(0.30, 0.745), (0.70, 0.745)], 0.8)
    _ribs(cv, [(0.30, 0.745), (0.70, 0.745)], [(0.30, 0.806), (0.70, 0.806)])
    # zipper: tapes, brass teeth, the pull; placket stitching
    tape = cv.region([(0.491, 0.15), (0.509, 0.15), (0.509, 0.805), (0.491, 0.805)])
    cv.tint(tape, srgb(70, 72, 54))
    cv.layer(tape, 0.5)
    teeth = np.zeros((RES, RES), np.float32)
    for k, y in enumerate(np.arange(0.16, 0.80, cv.mm(3.0))):
        x0 = 0.5 - cv.mm(3.5) if k % 2 else 0.5 - cv.mm(0.5)
        teeth = np.maximum(
            teeth,
            cv.region([(x0, y), (x0 + cv.mm(4), y), (x0 + cv.mm(4), y + cv.mm(2.2)), (x0, y + cv.mm(2.2))]),
        )
    cv.tint(teeth, BRASS)
    cv.metal = np.maximum(cv.metal, teeth)
    cv.fine += 0.8e-3 * cv2.GaussianBlur(teeth, (0, 0), 0.8)
    pull = [(0.494, 0.168), (0.506, 0.168), (0.507, 0.205), (0.5, 0.209), (0.493, 0.205)]
    pr = cv.region(pull, 0.6)
    cv.tint(pr, BRASS)
    cv.metal = np.maximum(cv.metal, pr)
    cv.layer(pr, 1.5, roll_mm=0.4)
    cv.fine -= 0.6e-3 * cv.region([(0.4975, 0.19), (0.5025, 0.19), (0.5025, 0.2), (0.4975, 0.2)])
    for x in (0.487, 0.513):
        cv.stitch([(x, 0.16), (x, 0.745)], thread)
    # the collar lies on top, its points over the front
    collar = [(0.5, 0.112), (0.585, 0.118), (0.61, 0.155), (0.572, 0.232), (0.512, 0.168), (0.5, 0.162)]
    col = cv.region(sym(collar), 2)
    cv.body(col, 2.5)
    cv.stitch(offset(collar[1:5], -cv.mm(5)), thread)
    cv.stitch(offset(mirror(collar[1:5]), cv.mm(5)), thread)
    cv.shade(cv.stroke([(0.43, 0.115), (0.5, 0.11), (0.57, 0.115)], 2), 0.85)
    cv.mottle(0.035, 18)
    cv.grain(0.025, 1.8, 45, 2.5)  # the twill's diagonal
    cv.creases(3, (120, 200), (1.2, 2.0), angle=0, spread=25)
    cv.fold((0.33, 0.40), (0.45, 0.55), 34, 6)
    cv.fold((0.68, 0.38), (0.57, 0.62), 38, 6)
    cv.warp(6)
    return Garment(cv, "twill", 4.5, 1.8)


def _sleeve() -> tuple[list, tuple[list, list]]:
    """The right sleeve lying beside the body, bent a little at the elbow, its cuff touching the hem:
    its outline (shoulder point, outer edge, wrist, inner edge, armpit) and the cuff's two edges."""
    knots = np.array([(0.745, 0.29), (0.79, 0.42), (0.80, 0.52), (0.776, 0.64), (0.736, 0.77)])
    c = resample(knots, 0.002)
    c = np.stack(
        [np.convolve(np.pad(c[:, k], 15, mode="edge"), np.ones(31) / 31, "valid") for k in (0, 1)], 1
    )
    t = np.linspace(0, 1, len(c))[:, None]
    half = 0.066 * (1 - t) + 0.048 * t
    outer, inner = c - _normal(c) * half, c + _normal(c) * half
    cuff = max(1, int(0.052 / 0.002))
    outline = (
        [(0.69, 0.175), (0.75, 0.20), (0.785, 0.232)]
        + [tuple(p) for p in outer]
        + [tuple(p) for p in inner[::-1]]
        + [(0.703, 0.33)]
    )
    wrist = [tuple(outer[-1]), tuple(inner[-1])]
    return outline, (wrist, [tuple(outer[-cuff]), tuple(inner[-cuff])])


def _normal(c: np.ndarray) -> np.ndarray:
    d = np.gradient(c, axis=0)
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    return np.stack([-d[:, 1], d[:, 0]], 1)


def _ribs(cv: Canvas, a: list, b: list, pitch_mm: float = 2.0) -> None:
    """Ribs across a band from edge a to edge b (both two-point lines)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    n = int(np.hypot(*(a[1] - a[0])) / cv.mm(pitch_mm))
    for t in np.linspace(0, 1, n):
        cv.fine += 0.35e-3 * cv.stroke([a[0] + t * (a[1] - a[0]), b[0] + t * (b[1] - b[0])], 0.8)
