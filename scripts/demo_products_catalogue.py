"""The six demo products (one per apparel category the demo events and campaign use), as pillows.

Outlines are in the photo's unit square (x right, y down); a hanging garment is seen straight on, so
its outline is where it lands in the photo (and its mask), the sneaker is turned three-quarter.
"""

from __future__ import annotations

import numpy as np
from demo_products_shapes import Part, Product, ellipse, outline, wavy_hem


def _lin(r: int, g: int, b: int) -> tuple[float, float, float]:
    """sRGB 0..255 to the linear values Blender's shaders take."""
    c = np.array([r, g, b]) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return tuple(float(x) for x in lin)


TSHIRT = [
    (0.30, 0.22), (0.42, 0.18), (0.46, 0.215), (0.50, 0.225), (0.54, 0.215), (0.58, 0.18), (0.70, 0.22),
    (0.84, 0.36), (0.75, 0.44), (0.69, 0.39), (0.695, 0.82), (0.305, 0.82), (0.31, 0.39), (0.25, 0.44),
    (0.16, 0.36),
]  # fmt: skip
DRESS = [
    (0.43, 0.14), (0.455, 0.14), (0.50, 0.19), (0.545, 0.14), (0.57, 0.14), (0.60, 0.30), (0.585, 0.42),
    (0.72, 0.86), (0.28, 0.86), (0.415, 0.42), (0.40, 0.30),
]  # fmt: skip
JEANS = [
    (0.33, 0.14), (0.67, 0.14), (0.69, 0.26), (0.72, 0.88), (0.555, 0.88), (0.51, 0.42), (0.49, 0.42),
    (0.445, 0.88), (0.28, 0.88), (0.31, 0.26),
]  # fmt: skip
SKIRT = [(0.38, 0.28), (0.62, 0.28), (0.63, 0.34), (0.76, 0.72), (0.24, 0.72), (0.37, 0.34)]
JACKET = [
    (0.36, 0.16), (0.46, 0.14), (0.50, 0.20), (0.54, 0.14), (0.64, 0.16), (0.78, 0.30), (0.86, 0.74),
    (0.77, 0.76), (0.70, 0.44), (0.70, 0.84), (0.30, 0.84), (0.30, 0.44), (0.23, 0.76), (0.14, 0.74),
    (0.22, 0.30),
]  # fmt: skip
SNEAKER_UPPER = [
    (0.165, 0.655), (0.158, 0.55), (0.175, 0.455), (0.215, 0.43), (0.29, 0.445), (0.37, 0.44),
    (0.43, 0.375), (0.475, 0.35), (0.52, 0.37), (0.58, 0.43), (0.67, 0.48), (0.76, 0.52), (0.83, 0.555),
    (0.862, 0.6), (0.86, 0.69), (0.7, 0.69), (0.5, 0.69), (0.3, 0.69), (0.17, 0.69),
]  # fmt: skip
SNEAKER_SOLE = [
    (0.15, 0.645), (0.3, 0.646), (0.5, 0.645), (0.7, 0.64), (0.85, 0.632), (0.89, 0.66), (0.87, 0.703),
    (0.7, 0.712), (0.5, 0.714), (0.3, 0.714), (0.165, 0.711), (0.145, 0.68),
]  # fmt: skip


def products() -> dict[str, Product]:
    """Category -> product, in the order the demo writes them."""
    dress_hem = wavy_hem(outline(DRESS, 0.01), 0.8, 0.008, 5.0, 3)
    skirt_hem = wavy_hem(outline(SKIRT, 0.01), 0.66, 0.01, 6.0, 4)
    return {
        "tshirt": Product(
            [Part("tshirt", [outline(TSHIRT, 0.014)], 0.07, 0.1, folds=0.006, fold_from=0.35, seed=1)],
            _lin(232, 196, 92),
            "knit",
            details=["hem", "neck"],
        ),
        "dress": Product(
            [
                Part(
                    "dress",
                    [dress_hem, ellipse(0.5, 0.25, 0.022, 0.04)],
                    0.07,
                    0.1,
                    folds=0.018,
                    flare=0.3,
                    fold_from=0.4,
                    material="silk",
                    seed=2,
                )
            ],
            _lin(150, 40, 60),
            "silk",
            details=["hem", "waist"],
        ),
        "jeans": Product(
            [Part("jeans", [outline(JEANS, 0.008)], 0.05, 0.07, folds=0.01, fold_from=0.3, seed=3)],
            _lin(52, 82, 140),
            "denim",
            details=["jeans", "hem"],
        ),
        "skirt": Product(
            [Part("skirt", [skirt_hem], 0.06, 0.09, folds=0.02, flare=0.05, fold_from=0.3, seed=4)],
            _lin(120, 140, 100),
            "knit",
            details=["hem", "waistband"],
        ),
        "jacket": Product(
            [
                Part("jacket", [outline(JACKET, 0.012)], 0.08, 0.12, folds=0.005, fold_from=0.4, seed=5),
                Part(  # the inside of the back neck, seen through the V of the collar
                    "lining",
                    [outline([(0.445, 0.128), (0.555, 0.128), (0.5, 0.22)], 0.008)],
                    0.01,
                    0.01,
                    back=1.0,
                    seed=9,
                    colour=_lin(58, 40, 30),
                    details=[],
                ),
                Part(
                    "loop",
                    [ellipse(0.5, 0.115, 0.032, 0.045), ellipse(0.5, 0.115, 0.02, 0.029)],
                    0.012,
                    0.008,
                    back=1.0,
                    seed=6,
                    details=[],
                ),
            ],
            _lin(110, 78, 52),
            "leather",
            details=["zip", "topstitch"],
        ),
        "shoes": Product(
            [
                Part(
                    "upper",
                    [outline(SNEAKER_UPPER, 0.01)],
                    0.15,
                    0.1,
                    back=1.0,
                    material="canvas",
                    seed=7,
                    taper=(0.51, 0.37),
                ),
                Part(
                    "sole",
                    [outline(SNEAKER_SOLE, 0.006)],
                    0.165,
                    0.02,
                    back=1.0,
                    material="rubber",
                    seed=8,
                    colour=_lin(178, 118, 66),  # gum rubber
                    details=["sole"],
                    taper=(0.52, 0.38),
                ),
            ],
            _lin(46, 66, 104),
            "canvas",
            view="three-quarter",
            details=["sneaker"],
        ),
    }
