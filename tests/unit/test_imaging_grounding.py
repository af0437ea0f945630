"""The product rests on the surface the camera draws, checked against known truth: a synthetic
product on a grey card whose base is a sloping line (a sole in three-quarter view). Right under its
lowest opaque pixels the floor is dark along the whole base (contact), with no lighter row between the
product and its shadow, on every surface; on a podium the whole base lies inside the top's ellipse."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from core.imaging import masking
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.io import load_image
from core.imaging.pipeline import enhance
from core.imaging.staging.base import find_base
from core.imaging.staging.camera import build_stage
from core.imaging.staging.podium import ellipse

GREY = 128
SOLE = np.array([[200, 150], [420, 150], [420, 400], [200, 340]], np.int32)
"""A product whose base slopes 60 rows over 220 columns (its back end higher, as seen at an angle)."""


def _photo() -> tuple[bytes, np.ndarray]:
    rgb = np.full((480, 640, 3), GREY, np.uint8)
    mask = np.zeros((480, 640), np.uint8)
    cv2.fillConvexPoly(mask, SOLE, 255)
    rgb[mask > 0] = (210, 30, 40)
    return cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes(), mask


def _staged(**options):
    png, mask = _photo()
    lit = enhance(png, EnhanceOptions(preset="web", **options), mask=mask)
    plain = enhance(png, EnhanceOptions(preset="web", shadow=False, **options), mask=mask)
    alpha = np.asarray(lit.layer)[..., 3]
    grey = [np.asarray(r.image).astype(float).mean(2) for r in (lit, plain)]
    return alpha, grey[0], grey[1]


@pytest.mark.parametrize(
    "options",
    [
        {"style": "concrete", "scene": "tabletop"},
        {"style": "studio", "scene": "sweep"},
        {"style": "podium"},
    ],
    ids=["tabletop", "sweep", "podium"],
)
def test_the_floor_is_dark_right_under_the_whole_sloping_base(options):
    alpha, lit, plain = _staged(**options)
    base = find_base(alpha)
    xs = base.cols[base.standing]
    assert xs.size > 0.8 * base.cols.size  # the whole sloping base touches, not only its lowest corner
    for x in np.linspace(xs[0] + 4, xs[-1] - 4, 6).astype(int):
        low = int(np.flatnonzero(alpha[:, x] > 0).max())  # the product's last row, soft edge included
        under = lit[low + 1, x]
        assert under < plain[low + 1, x] - 25, (x, under, plain[low + 1, x])  # contact: dark at the base
        assert under < lit[low + 40, x] - 15, (
            x,
            under,
            lit[low + 40, x],
        )  # darker than the floor further out
        darkening = plain[low + 1 : low + 40, x] - lit[low + 1 : low + 40, x]
        # no unshadowed row between product and shadow: the darkest is at the base, never further down
        assert darkening[:3].min() > 15 and darkening[:2].max() >= 0.9 * darkening.max(), (x, darkening[:8])


def test_a_podiums_top_holds_the_whole_sloping_base():
    box = (400, 300, 700, 780)  # the base's front at row 780, its back touching at row 700
    plain = build_stage("sweep", (1200, 1200), box, podium=True)
    deep = build_stage("sweep", (1200, 1200), box, podium=True, back=700)
    for stage in (plain, deep):
        top = ellipse(stage, stage.podium_height).astype(np.float32)
        front = cv2.pointPolygonTest(top, (550.0, 780.0), True)
        assert front > 0.1 * (top[:, 1].max() - top[:, 1].min())  # the base well inside, not on the rim
        assert top[:, 1].mean() < 780 < top[:, 1].max()  # in the top's front half, in front of its centre
    top = ellipse(deep, deep.podium_height).astype(np.float32)
    assert top[:, 1].min() < 700 - 0.04 * 1200  # the back of the base is inside, with room behind it
    assert (
        cv2.pointPolygonTest(top, (400.0, 700.0), True) > 0
        and cv2.pointPolygonTest(top, (700.0, 780.0), True) > 0
    )
    assert (
        ellipse(plain, plain.podium_height)[:, 1].min() > 700
    )  # without `back` it would have stood off the top


def _inside_top(alpha: np.ndarray) -> float:
    """Smallest distance (px) from the base's lowest pixels to the rim of the podium's top the camera
    builds for this placed product (negative: the base overhangs)."""
    base = find_base(alpha)
    line = base.line
    rows, cols = np.flatnonzero((alpha >= 128).any(1)), np.flatnonzero((alpha >= 128).any(0))
    box = (cols[0], rows[0], cols[-1] + 1, base.bottom + 1)
    h, w = alpha.shape
    stage = build_stage("sweep", (w, h), box, podium=True, back=base.back, base_line=line)
    rim = ellipse(stage, stage.podium_height).astype(np.float32)
    return min(cv2.pointPolygonTest(rim, (float(x), float(y)), True) for x, y in line)


def test_the_podium_holds_the_whole_base_of_the_demo_shoe_and_of_a_wide_product():
    shoe = Path(__file__).resolve().parents[2] / "data" / "demo" / "images" / "shoes.jpg"
    mask = masking.compute_mask(load_image(shoe)).mask
    layer = np.asarray(enhance(shoe, EnhanceOptions(style="podium"), mask=mask).layer)[..., 3]
    assert _inside_top(layer) >= 6  # the toe no longer overhangs (-4 px before)
    wide = np.zeros((480, 640), np.uint8)
    cv2.rectangle(wide, (60, 250), (580, 330), 255, -1)
    png = cv2.imencode(".png", np.dstack([wide] * 3))[1].tobytes()
    # a plain white card alone reads as a flat-lay (no podium): stood up on the tabletop, it is on one
    layer = np.asarray(enhance(png, EnhanceOptions(style="podium", scene="tabletop"), mask=wide).layer)[
        ..., 3
    ]
    assert _inside_top(layer) >= 10
