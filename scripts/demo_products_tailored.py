"""The five-pocket jeans as a flat-lay, drawn at true scale on a Canvas (scripts/demo_products_cloth.py):
panels, waistband, belt loops, pockets, rivets, contrast topstitching, then folds and creases (the zip
jacket is scripts/demo_products_jacket.py).
Unit coordinates of the photo (x right, y down); outlines are walked clockwise on screen.
"""

from __future__ import annotations

import cv2
import numpy as np
from demo_products_cloth import RES, Canvas, Garment, arc, mirror, noise, offset, srgb, sym

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
    # denim: an even mid-blue rinse, the warp's fine slub streaks, no fades or whiskers
    streaks = noise((RES, RES), 900, cv.rng, stretch=10).T
    cv.colour *= (1 + 0.06 * streaks + 0.015 * noise((RES, RES), 30, cv.rng, stretch=3).T)[..., None]
    for x in (0.405, 0.595):  # a mid wash: each leg's front a touch lighter down its middle, evenly
        wash = cv2.GaussianBlur(cv.region([(x - 0.03, 0.2), (x + 0.03, 0.2), (x + 0.03, 0.9), (x - 0.03, 0.9)]),
                                (0, 0), cv.px(40))  # fmt: skip
        cv.shade(wash / wash.max(), 1.14)
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
    # the coin pocket on the wearer's right (the photo's left): on the pocket's facing just under the band,
    # its curved top double-stitched, its far corner tucked under the front panel at the opening
    inside = cv.region(mirror(arc(0.69, 0.132, 0.083, 0.083, 180, 90, 20)) + [(0.31, 0.132)], 0.5)
    t = np.linspace(0, 1, 17)
    top = [(0.339 + 0.04 * k, 0.146 - 0.006 * (1 - (2 * k - 1) ** 2)) for k in t]
    coin = cv.region(top + [(0.379, 0.215), (0.339, 0.215)], 1) * inside
    cv.layer(coin, 0.8, roll_mm=0.6)
    cv.shade(coin, 1.1)
    before = cv.colour.copy(), cv.fine.copy()
    for d in (2.0, 6.5):
        cv.stitch(offset(top, cv.mm(d)), thread, 2.2, 1.0, thread_mm=0.8)
    for x in (0.339 + cv.mm(2), 0.379 - cv.mm(2)):
        cv.stitch([(x, 0.147), (x, 0.215)], thread, 2.2, 1.0, thread_mm=0.8)
    cv.colour = before[0] + (cv.colour - before[0]) * inside[..., None]
    cv.fine = before[1] + (cv.fine - before[1]) * inside
    # hems, side seams' chain stitching, folds
    for flip in (False, True):
        cv.hem(
            _flip([(0.705, 0.93), (0.63, 0.932), (0.555, 0.93)], flip)[:: (1 if not flip else -1)],
            16,
            (0,),
            thread,
        )
        cv.stitch(_flip([(0.532, 0.67), (0.551, 0.915)], flip), thread, 3.0, 1.4)
    for flip in (False, True):  # pressed: each leg keeps a long soft fold down its front, one at the knee
        cv.fold(*_flip([(0.605, 0.45), (0.63, 0.93)], flip), 30, 3.5)
        cv.fold(_flip([(0.55, 0.66)], flip)[0], _flip([(0.69, 0.675)], flip)[0], 26, 2.5)
    rim = cv.mask * np.clip(1 - cv2.distanceTransform((cv.mask > 0.5).astype(np.uint8), cv2.DIST_L2, 5)
                            / cv.px(5), 0, 1)  # fmt: skip
    cv.shade(rim, 1.1)  # the folded edges catch a little wear
    cv.grain(0.05, 0.8, 90, 12.0)  # slub: the warp's uneven indigo
    cv.mottle(0.025, 1400)
    cv.warp(3)
    return Garment(cv, "denim", 4.0, 1.6)
