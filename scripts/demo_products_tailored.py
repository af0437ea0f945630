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
    # denim: slubby vertical streaks, faded thighs and knees, whiskers at the hips
    streaks = noise((RES, RES), 900, cv.rng, stretch=10).T
    cv.colour *= (1 + 0.07 * streaks + 0.05 * noise((RES, RES), 30, cv.rng, stretch=3).T)[..., None]
    for x in (0.405, 0.595):
        fade = cv2.GaussianBlur(cv.region(arc(x, 0.56, 0.045, 0.17, 0, 360, 40)), (0, 0), cv.px(45))
        cv.shade(fade / fade.max(), 1.3)
    for flip in (False, True):
        for k in range(4):
            y = 0.30 + 0.018 * k
            w = _flip([(0.455 - 0.004 * k, y), (0.425 - 0.012 * k, y - 0.012 - 0.004 * k)], flip)
            whisker = cv2.GaussianBlur(cv.stroke(w, 6), (0, 0), cv.px(6))
            cv.shade(whisker / whisker.max(), 1.2)
            cv.fold(*w, 5, 1.2)  # and a shallow crease under each
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
    # the coin pocket on the wearer's right (the photo's left), on the pocket's facing, under the band
    coin = [(0.343, 0.133), (0.372, 0.133), (0.372, 0.176), (0.343, 0.176)]
    cv.layer(cv.region(coin, 1), 0.8)
    cv.stitch([coin[0], coin[3], coin[2], coin[1]], thread, 3.0, 1.4)
    cv.stitch([(0.343, 0.139), (0.372, 0.139)], thread, 3.0, 1.4)
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
    legs = cv.region([(0.3, 0.42), (0.7, 0.42), (0.71, 0.94), (0.29, 0.94)]) * cv.mask
    for flip in (False, True):  # each leg: a long soft fold down its front, the hem stacking a little
        cv.fold(*_flip([(0.605, 0.45), (0.63, 0.93)], flip), 30, 3.5)
        stack = cv.region(_flip([(0.54, 0.84), (0.72, 0.84), (0.72, 0.94), (0.54, 0.94)], flip)) * cv.mask
        cv.crinkle(10, (50, 110), 8, 2.0, angle=0, spread=20, region=stack)
    cv.crinkle(40, (40, 120), 7, 1.6, angle=0, spread=25, region=legs)
    cv.crinkle(30, (30, 90), 6, 1.2, angle=0, spread=60, region=cv.mask * (1 - legs))
    cv.crinkle(600, (8, 30), 1.4, 0.3, bump=True)
    # worn indigo: crests and edges fade lighter, the weft's white shows through in flecks
    crest = cv2.GaussianBlur(np.clip(cv.relief / (np.percentile(cv.relief, 99.5) + 1e-9), 0, 1), (0, 0), 2)
    cv.shade(crest, 1.25)
    rim = cv.mask * np.clip(1 - cv2.distanceTransform((cv.mask > 0.5).astype(np.uint8), cv2.DIST_L2, 5)
                            / cv.px(7), 0, 1)  # fmt: skip
    cv.shade(rim * (0.6 + 0.4 * noise((RES, RES), 200, cv.rng)), 1.15)
    cv.grain(0.08, 0.8, 90, 12.0)  # slub: the warp's uneven indigo
    cv.mottle(0.05, 1400)
    cv.warp(3)
    return Garment(cv, "denim", 4.0, 1.6)
