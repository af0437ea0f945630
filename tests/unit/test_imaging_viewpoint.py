"""How far the photo's camera looked down, read from round bases with known truth: an ellipse of depth
over width sin(angle) is a plate seen from that angle, a cylinder on it a jar. The scene's camera then
looks down as steeply, and the outline's footprint depth casts no shadow."""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np
import pytest

from core.imaging.backgrounds.paint import Light
from core.imaging.staging.camera import FOCAL, KeyLight, build_stage
from core.imaging.staging.shadows import shadow_map
from core.imaging.staging.viewpoint import look_down

SIZE = (800, 800)


def _plate(angle: float, cx: int = 400, base: int = 560, half: int = 220, rise: int = 0) -> np.ndarray:
    """A round object seen from `angle` degrees above: its footprint ellipse, with a body `rise` px
    tall standing on it (a jar) when given."""
    alpha = np.zeros(SIZE[::-1], np.uint8)
    b = half * math.sin(math.radians(angle))
    centre = (cx, round(base - b))
    cv2.ellipse(alpha, centre, (half, max(1, round(b))), 0, 0, 360, 255, -1)
    if rise:
        cv2.rectangle(alpha, (cx - half, centre[1] - rise), (cx + half, centre[1]), 255, -1)
        cv2.ellipse(alpha, (cx, centre[1] - rise), (half, max(1, round(b))), 0, 0, 360, 255, -1)
    return alpha


@pytest.mark.parametrize("angle", [15, 25, 40, 50])
def test_a_plate_seen_from_above_says_the_angle(angle: float) -> None:
    got = look_down(_plate(angle))
    assert got is not None
    assert abs(math.degrees(got) - angle) < 2.5


@pytest.mark.parametrize("angle", [20, 35])
def test_a_jar_seen_from_above_says_the_angle(angle: float) -> None:
    got = look_down(_plate(angle, half=120, rise=300))
    assert got is not None
    assert abs(math.degrees(got) - angle) < 2.5


def test_two_plates_side_by_side_are_read_each() -> None:
    alpha = np.maximum(_plate(35, cx=200, half=150), _plate(35, cx=600, half=150))
    got = look_down(alpha)
    assert got is not None and abs(math.degrees(got) - 35) < 2.5


def test_side_on_products_say_nothing() -> None:
    box = np.zeros(SIZE[::-1], np.uint8)
    cv2.rectangle(box, (200, 300), (600, 560), 255, -1)
    shoe = box.copy()
    cv2.rectangle(shoe, (200, 300), (600, 800), 0, -1)
    pts = np.array([[200, 560], [200, 420], [420, 380], [540, 460], [600, 520], [590, 545], [560, 560]])
    cv2.fillPoly(shoe, [pts], 255)  # flat sole, heel square, toe rounded up
    car = np.zeros(SIZE[::-1], np.uint8)
    cv2.rectangle(car, (150, 350), (650, 500), 255, -1)
    for x in (250, 550):
        cv2.circle(car, (x, 500), 60, 255, -1)  # wheels: a bottom outline of two bumps and a gap
    assert look_down(box) is None
    assert look_down(shoe) is None
    assert look_down(car) is None
    assert look_down(np.zeros(SIZE[::-1], np.uint8)) is None


def test_the_scene_camera_looks_down_as_steeply_as_the_photo() -> None:
    alpha = _plate(40)
    box = (180.0, 400.0, 620.0, 561.0)
    level = build_stage("tabletop", SIZE, box)
    steep = build_stage("tabletop", SIZE, box, look=look_down(alpha))
    depression = math.degrees(math.atan((steep.base_row - steep.horizon) / (FOCAL * SIZE[0])))
    assert abs(depression - 40) < 3
    assert steep.wall_row < 0 < level.wall_row  # seen from above, the table fills the frame
    # a side-on product keeps the default camera
    assert build_stage("tabletop", SIZE, box, look=None).horizon == level.horizon


def test_a_plates_footprint_throws_no_long_shadow() -> None:
    alpha = _plate(40)
    box = (180.0, 400.0, 620.0, 561.0)
    key = KeyLight.from_light(Light(angle=150, softness=0.3))
    look = look_down(alpha)
    stage = build_stage("tabletop", SIZE, box, look=look)
    flat = shadow_map(alpha, stage, key, contact=False)
    upright = shadow_map(alpha, replace(stage, look=None), key, contact=False)  # the same camera
    outside = alpha < 8
    right = np.zeros_like(outside)
    right[:, 640:] = True  # beyond the plate's far side, away from the light
    assert flat[outside & right].sum() < 0.5 * upright[outside & right].sum()
    assert flat[outside].sum() > 0  # it still throws a shadow


def test_a_plate_seen_from_above_has_no_crease_along_its_rim_but_a_jar_does() -> None:
    """A plate's rim stands off the floor on a foot set well in: the floor right under its outline is
    shaded only softly (a dark crease there read as a slab under two plates); a jar's base touches."""
    key = KeyLight.from_light(Light(angle=150, softness=0.3))
    plate, jar = _plate(40), _plate(30, rise=200)
    shade = {}
    for name, alpha in (("plate", plate), ("jar", jar)):
        rows, cols = np.nonzero(alpha)
        box = (float(cols.min()), float(rows.min()), float(cols.max() + 1), float(rows.max() + 1))
        stage = build_stage("tabletop", SIZE, box, look=look_down(alpha))
        shade[name] = shadow_map(alpha, stage, key)[int(box[3]) : int(box[3]) + 4, 400].mean()
    assert shade["plate"] < 0.4
    assert shade["jar"] > 0.7


def _photo(alpha: np.ndarray) -> tuple[bytes, np.ndarray]:
    rgb = np.full((*alpha.shape, 3), 128, np.uint8)
    rgb[alpha >= 128] = (210, 30, 40)
    return cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes(), alpha


def test_a_plate_seen_from_above_sits_mid_frame_and_a_box_stands_low() -> None:
    from core.imaging.enhance_options import EnhanceOptions
    from core.imaging.pipeline import enhance
    from core.imaging.staging.placement import CENTRE_ROW

    box = np.zeros(SIZE[::-1], np.uint8)
    cv2.rectangle(box, (150, 440), (650, 560), 255, -1)  # low and wide, like the plate
    rows = {}
    for name, alpha in (("plate", _plate(40)), ("box", box)):
        data, mask = _photo(alpha)
        out = enhance(data, EnhanceOptions(style="concrete", preset="web"), mask=mask)
        solid = np.flatnonzero((np.asarray(out.layer)[..., 3] >= 128).any(axis=1))
        rows[name] = (solid[0] + solid[-1]) / 2 / out.image.size[1]
    assert abs(rows["plate"] - 0.5) < 0.02
    assert rows["box"] > CENTRE_ROW - 0.01  # a box seen side-on stands lower than a plate seen from above
