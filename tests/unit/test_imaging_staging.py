"""The scene a product is staged in, checked against known truth: a synthetic product of one
saturated colour on a grey card, with its exact mask. Cut sides stay flush with the canvas, a whole
product keeps its margins and stands on the floor, the contact shadow darkens the floor under the base,
the cast shadow changes side with the light, and the product's colour is kept."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from core.cli import build_parser
from core.imaging.backgrounds.paint import Light
from core.imaging.backgrounds.procedural import render_background
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.errors import UnknownSceneError
from core.imaging.pipeline import enhance
from core.imaging.presets import visible_fill
from core.imaging.staging import harmony
from core.imaging.staging.camera import build_stage
from core.imaging.staging.choice import choose_scene
from core.imaging.staging.placement import BASE_ROW, MARGIN
from core.imaging.staging.render import render_stage

RED = (210, 30, 40)
GREY = 128


def _card(box: tuple[int, int, int, int], size=(640, 480), colour=RED) -> tuple[np.ndarray, np.ndarray]:
    """A grey card photo with a product of one colour filling `box` (x0, y0, x1, y1), and its mask."""
    w, h = size
    rgb = np.full((h, w, 3), GREY, np.uint8)
    mask = np.zeros((h, w), np.uint8)
    x0, y0, x1, y1 = box
    cv2.rectangle(mask, (x0, y0), (x1 - 1, y1 - 1), 255, -1)
    rgb[mask > 0] = colour
    return rgb, mask


def _png(rgb: np.ndarray) -> bytes:
    return cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()


def _run(box, **options):
    rgb, mask = _card(box)
    opts = {"style": "concrete", "preset": "web", **options}
    return enhance(_png(rgb), EnhanceOptions(**opts), mask=mask)


def _solid(result) -> np.ndarray:
    return np.asarray(result.layer)[..., 3] >= 128


@pytest.mark.parametrize(
    ("box", "side"),
    [
        ((250, 150, 390, 480), "bottom"),
        ((250, 0, 390, 330), "top"),
        ((0, 150, 200, 400), "left"),
        ((440, 150, 640, 400), "right"),
    ],
)
def test_a_side_cut_by_the_photo_stays_flush_with_the_same_canvas_edge(box, side):
    solid = _solid(_run(box))
    edge = {"bottom": solid[-1], "top": solid[0], "left": solid[:, 0], "right": solid[:, -1]}[side]
    assert edge.sum() > 20, side  # no floating slice: the cut side sits on the frame
    opposite = {"bottom": solid[0], "top": solid[-1], "left": solid[:, -1], "right": solid[:, 0]}[side]
    assert opposite.sum() == 0


def test_a_whole_product_keeps_margins_and_stands_on_the_floor():
    result = _run((260, 120, 380, 400))
    solid = _solid(result)
    rows, cols = np.flatnonzero(solid.any(1)), np.flatnonzero(solid.any(0))
    h, w = solid.shape
    margin = MARGIN * min(w, h) - 2
    assert rows[0] > margin and cols[0] > margin and w - 1 - cols[-1] > margin and h - 1 - rows[-1] > margin
    assert abs(rows[-1] + 1 - BASE_ROW["tabletop"] * h) <= 2  # the base on the floor line the camera sees


def test_contact_shadow_darkens_the_floor_under_the_base():
    box = (260, 120, 380, 400)
    lit = np.asarray(_run(box).image).astype(float).mean(2)
    plain = np.asarray(_run(box, shadow=False).image).astype(float).mean(2)
    base = int(BASE_ROW["tabletop"] * lit.shape[0])
    x = lit.shape[1] // 2
    under = slice(base + 1, base + 4)
    assert lit[under, x].mean() < 0.7 * plain[under, x].mean()  # firm and dark right at the base
    assert abs(lit[base + 120, 30] - plain[base + 120, 30]) < 3  # not a haze over the whole floor


def test_the_cast_shadow_moves_to_the_other_side_when_the_light_does():
    box = (260, 120, 380, 400)
    plain = np.asarray(_run(box, shadow=False).image).astype(float).mean(2)
    darkening = {}
    for angle in (30, 150):
        lit = np.asarray(_run(box, light_angle=angle).image).astype(float).mean(2)
        dark = np.clip(plain - lit, 0, None)
        solid = _solid(_run(box, light_angle=angle))
        cols = np.flatnonzero(solid.any(0))
        band = dark[int(0.5 * dark.shape[0]) : int(BASE_ROW["tabletop"] * dark.shape[0])]
        darkening[angle] = (band[:, : cols[0] - 5].sum(), band[:, cols[-1] + 5 :].sum())
    (left30, right30), (left150, right150) = darkening[30], darkening[150]
    assert left30 > 3 * right30  # light from the upper right: the shadow falls to the left
    assert right150 > 3 * left150  # and to the right when the light comes from the upper left


@pytest.mark.parametrize("style", ["wood", "bokeh", "studio", "marble"])
def test_product_colour_stays_within_delta_e_3(style):
    rgb, mask = _card((260, 120, 380, 400))
    result = enhance(_png(rgb), EnhanceOptions(style=style, preset="web"), mask=mask)
    out_inner = harmony.interior(np.asarray(result.layer)[..., 3])
    src = harmony.mean_lab(rgb, harmony.interior(mask))
    out = harmony.mean_lab(np.asarray(result.image), out_inner)
    assert np.linalg.norm(src - out) <= harmony.DELTA_E_MAX


def test_amazon_keeps_a_white_margin_round_a_cut_product_and_names_the_side():
    result = _run((250, 150, 390, 480), preset="amazon")
    out = np.asarray(result.image)
    assert (out[-10:] == 255).all() and (out[:10] == 255).all()  # the border stays pure white
    assert not result.qa.compliant
    assert any("bottom edge" in c for c in result.qa.compliance), result.qa.compliance


def test_amazon_fill_is_what_qa_measures_even_for_a_near_white_product():
    rgb, mask = _card((200, 100, 440, 420), colour=(250, 250, 248))
    rgb[130:420, 200:440] = (235, 232, 228)  # a white cap on a pale body: only the body is below 245
    result = enhance(_png(rgb), EnhanceOptions(preset="amazon"), mask=mask)
    out = np.asarray(result.image)
    assert result.qa.fill_ratio == pytest.approx(visible_fill(out))
    assert result.qa.fill_ratio >= 0.85 and result.qa.compliant, result.qa.compliance
    assert (out[:8] == 255).all() and (out[:, :8] == 255).all()


def test_what_decides_the_scene():
    trend = {"environment": "seamless paper backdrop"}
    assert choose_scene("flat-lay", trend, "wood") == "flat-lay"  # the user's choice first
    assert choose_scene(None, trend, "wood") == "sweep"  # then the trend scene's words
    assert choose_scene(None, {"environment": "studio"}, "wood") == "tabletop"  # then the style's own
    assert choose_scene(None, None, "studio") == "sweep"
    with pytest.raises(UnknownSceneError, match="tabletop, sweep, flat-lay"):
        EnhanceOptions(scene="cave")


def test_tabletop_floor_is_sharp_at_the_base_and_the_backdrop_soft():
    stage = build_stage("tabletop", (900, 900), (350, 200, 550, 780))
    img = cv2.cvtColor(
        render_stage("wood", stage, palette=None, seed=1, light=Light(60, 0.4)), cv2.COLOR_RGB2GRAY
    )
    lap = cv2.Laplacian(img.astype(np.float32), cv2.CV_32F)
    near = lap[790:860].var()
    far = lap[int(stage.wall_row) - 120 : int(stage.wall_row) - 20].var()
    assert stage.horizon < stage.wall_row < stage.base_row
    assert near > 4 * far


def test_flat_lay_keeps_the_top_down_view():
    stage = build_stage("flat-lay", (400, 300), (100, 50, 300, 250))
    flat = harmony.grade(
        np.asarray(render_background("linen", (400, 300), palette=None, seed=3, light=Light(45, 0.5)))
    ).astype(np.float32)
    out = render_stage("linen", stage, palette=None, seed=3, light=Light(45, 0.5)).astype(np.float32)
    # the same material seen from above, falling off a little toward the corners (a lens, one lamp)
    centre = (slice(130, 170), slice(180, 220))
    assert abs(out[centre].mean() - flat[centre].mean()) < 1.5
    corner = (slice(0, 30), slice(0, 40))
    assert 0.88 < out[corner].mean() / flat[corner].mean() < 0.96


def test_cli_enhance_takes_scene_and_light():
    args = build_parser().parse_args(["enhance", "x.jpg", "--out", "o", "--scene", "sweep", "--light", "30"])
    assert args.scene == "sweep" and args.light == 30.0
    with pytest.raises(SystemExit):
        build_parser().parse_args(["enhance", "x.jpg", "--out", "o", "--scene", "cave"])


def test_flat_lay_casts_a_soft_drop_shadow_away_from_the_light():
    from core.imaging.staging import shadows
    from core.imaging.staging.camera import KeyLight

    alpha = np.zeros((400, 400), np.uint8)
    alpha[100:300, 120:280] = 255
    stage = build_stage("flat-lay", (400, 400), (120, 100, 280, 300))
    xs = np.arange(400)[None, :]
    centre = {}
    for angle in (30, 150):
        shadow = shadows.shadow_map(alpha, stage, KeyLight.from_light(Light(angle, 0.4)))
        outside = shadow * (alpha == 0)
        assert outside.max() > 0.05  # a visible shadow round the item
        centre[angle] = float((outside * xs).sum() / outside.sum())
    assert centre[30] < 200 < centre[150]  # from the upper right it falls left, and the other way round


def test_the_backdrop_has_a_pool_of_light_behind_the_product_and_darker_corners():
    for style, kind in (("studio", "sweep"), ("wood", "tabletop")):
        stage = build_stage(kind, (900, 900), (350, 300, 550, 780))
        img = render_stage(style, stage, palette=None, seed=1, light=Light(30, 0.5))
        grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(float)
        row = int(stage.horizon) - 45
        behind = grey[row - 20 : row + 20, 430:470].mean()
        assert behind / grey[10:60, 10:60].mean() > 1.3  # 1.14 when the wall was lit evenly
        assert behind / grey[row - 20 : row + 20, 10:60].mean() > 1.15


def test_a_low_wide_product_sits_a_little_below_the_middle_not_at_the_bottom():
    solid = _solid(_run((100, 300, 540, 380), style="wood"))
    rows = np.flatnonzero(solid.any(1))
    h = solid.shape[0]
    centre = (rows[0] + rows[-1] + 1) / 2
    assert abs(centre - 0.55 * h) <= 3  # at BASE_ROW it would sit about 0.78 down
    assert rows[-1] + 1 < BASE_ROW["tabletop"] * h - 0.1 * h
