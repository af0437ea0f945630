"""Grounded shadows: the contact shadow starts at the product's lowest opaque pixels, the cast shadow
follows the light, the product stands on the podium's top, and reflections appear on glossy floors only."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from core.imaging.backgrounds.paint import Light
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.pipeline import enhance
from core.imaging.staging import shadows
from core.imaging.staging.camera import KeyLight, build_stage
from core.imaging.staging.hanging import is_hanging
from core.imaging.staging.render import render_stage


def _pot(size: int = 800) -> np.ndarray:
    """A pot seen from slightly above: its base is an ellipse, so the sides end higher than the middle."""
    alpha = np.zeros((size, size), np.uint8)
    cv2.rectangle(alpha, (300, 250), (500, 560), 255, -1)
    cv2.ellipse(alpha, (400, 560), (100, 30), 0, 0, 180, 255, -1, lineType=cv2.LINE_AA)
    return alpha


def _shadow(alpha: np.ndarray, light: Light, **kw) -> np.ndarray:
    stage = build_stage("tabletop", (alpha.shape[1], alpha.shape[0]), (300, 250, 500, 590))
    return shadows.shadow_map(alpha, stage, KeyLight.from_light(light), **kw)


def _gaps(alpha: np.ndarray, shadow: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """Per column of the product's base: px of floor between the lowest opaque pixel and the shadow."""
    solid = alpha >= 128
    cols = np.flatnonzero(solid.any(axis=0))
    cols = cols[len(cols) // 10 : -len(cols) // 10]  # the base, not the anti-aliased outermost columns
    gaps = []
    for x in cols:
        low = int(np.flatnonzero(solid[:, x])[-1])
        below = np.flatnonzero(shadow[low + 1 :, x] >= threshold)
        gaps.append(below[0] if below.size else alpha.shape[0])
    return np.array(gaps)


def test_contact_shadow_touches_the_base_in_every_column():
    alpha = _pot()
    for light in (Light(135, 0.2), Light(90, 0.6), Light(30, 1.0)):
        gaps = _gaps(alpha, _shadow(alpha, light))
        assert gaps.max() == 0, (light, gaps.max())  # no strip of floor between the pot and its shadow


def test_contact_shadow_is_darkest_at_the_base_and_fades_below():
    alpha = _pot()
    shadow = _shadow(alpha, Light(90, 0.5), cast=False)
    column = shadow[:, 400]
    base = int(np.flatnonzero(alpha[:, 400] >= 128)[-1])
    assert column[base + 1] > 0.3 and column[base + 1] > column[base + 8] > column[base + 30]
    assert shadow[:200].max() == 0  # nothing above the product


def test_cast_shadow_follows_the_light():
    alpha = _pot()
    base = 590
    for angle, side in ((150, "right"), (30, "left")):
        shadow = _shadow(alpha, Light(angle, 0.3), contact=False)
        floor = shadow[base - 60 : base + 20]
        left, right = floor[:, :300].sum(), floor[:, 500:].sum()
        assert (right > 2 * left) if side == "right" else (left > 2 * right), (angle, left, right)


def test_product_stands_on_the_podiums_top_surface():
    box = (500, 300, 700, 800)
    stage = build_stage("sweep", (1200, 1200), box, podium=True)
    bg = render_stage(
        "podium", stage, palette=["#f0ebe3", "#b9a48f", "#5a4a3c"], seed=0, light=Light(90, 0.5)
    )
    bg = bg.astype(int)
    backdrop, lid = bg[100, 100], bg[box[3] - 5, 600]
    assert np.abs(lid - backdrop).sum() > 30  # the product's base is on the podium, not on the backdrop
    assert np.abs(bg[box[3] + 5, 600] - lid).sum() < 30  # just below the base: still the podium's top
    assert stage.podium_height > 0 and stage.eye_height > stage.podium_height  # its top is seen from above


def test_reflection_only_on_glossy_floors(demo_dir):
    shoes = demo_dir / "images" / "shoes.jpg"
    for style, glossy in (("studio", True), ("linen", False)):
        plain = np.asarray(enhance(shoes, EnhanceOptions(style=style, shadow=False)).image).astype(int)
        result = enhance(shoes, EnhanceOptions(style=style, shadow=False, reflection=True))
        changed = np.abs(np.asarray(result.image).astype(int) - plain).sum()
        assert (changed > 0) == glossy, style
        assert glossy or any("matte" in n for n in result.notes)


def _bell(size=(640, 480)) -> tuple[np.ndarray, np.ndarray]:
    """A bell of one colour hanging on a thin cord from the photo's top edge, on a grey card."""
    w, h = size
    mask = np.zeros((h, w), np.uint8)
    cv2.rectangle(mask, (314, 0), (326, 120), 255, -1)
    cv2.ellipse(mask, (320, 250), (110, 140), 0, 180, 360, 255, -1)
    cv2.rectangle(mask, (210, 250), (430, 300), 255, -1)
    rgb = np.full((h, w, 3), 128, np.uint8)
    rgb[mask > 0] = (190, 140, 40)
    return rgb, mask


def test_a_hanging_product_is_told_from_a_standing_one_cut_by_the_frame():
    _, bell = _bell()
    assert is_hanging(bell)
    vase = np.zeros_like(bell)
    cv2.rectangle(vase, (220, 0), (420, 400), 255, -1)  # a tall vase cut by the top, standing
    assert not is_hanging(vase)
    assert not is_hanging(np.ascontiguousarray(bell[::-1]))  # cut by the bottom: it stands
    deer = np.zeros_like(bell)
    cv2.rectangle(deer, (200, 200), (500, 320), 255, -1)  # a body on legs, an antler at the top edge
    cv2.rectangle(deer, (210, 320), (230, 440), 255, -1)
    cv2.rectangle(deer, (470, 320), (490, 440), 255, -1)
    cv2.rectangle(deer, (220, 0), (232, 200), 255, -1)
    assert not is_hanging(deer)  # its weight is not under the point it touches the top at


def test_a_hanging_product_throws_no_floor_shadow_but_one_on_the_backdrop_away_from_the_light():
    rgb, mask = _bell()
    png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()
    opts = dict(style="studio", scene="sweep", preset="web", harmonize=False)
    lit = np.asarray(enhance(png, EnhanceOptions(**opts, light_angle=30), mask=mask).image).astype(float)
    bare = np.asarray(enhance(png, EnhanceOptions(**opts, light_angle=30, shadow=False), mask=mask).image)
    layer = np.asarray(enhance(png, EnhanceOptions(**opts, light_angle=30), mask=mask).layer)[..., 3] >= 128
    rows, cols = np.flatnonzero(layer.any(1)), np.flatnonzero(layer.any(0))
    assert rows[0] == 0  # flush with the top, as photographed
    dark = 1.0 - lit.mean(2) / np.maximum(bare.astype(float).mean(2), 1.0)
    bottom, cx, pw = rows[-1], (cols[0] + cols[-1]) // 2, cols[-1] - cols[0]
    under = dark[bottom + 2 : bottom + 10, cx - pw // 4 : cx + pw // 4]
    assert under.mean() < 0.03  # no contact shadow under a bell that stands on nothing
    # light from the upper right: the backdrop shadow falls to the left of the bell, not the right
    mid = (rows[0] + rows[-1]) // 2
    left = dark[mid - 40 : mid + 40, cols[0] - 40 : cols[0] - 5].mean()
    right = dark[mid - 40 : mid + 40, cols[-1] + 5 : cols[-1] + 40].mean()
    assert left > 0.03 and left > 3 * max(right, 0.0)


def _darkening(style: str, angle: float):
    """How much the shadows darken the scene (1 - with / without) round a boxy product on a grey card,
    with the product's rows and columns."""
    rgb = np.full((480, 640, 3), 128, np.uint8)
    mask = np.zeros((480, 640), np.uint8)
    cv2.rectangle(mask, (250, 150), (389, 419), 255, -1)
    rgb[mask > 0] = (210, 30, 40)
    png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))[1].tobytes()
    opts = dict(style=style, preset="web", light_angle=angle, harmonize=False)
    lit = enhance(png, EnhanceOptions(**opts), mask=mask)
    bare = np.asarray(enhance(png, EnhanceOptions(**opts, shadow=False), mask=mask).image).astype(float)
    dark = 1.0 - np.asarray(lit.image).astype(float).mean(2) / np.maximum(bare.mean(2), 1.0)
    solid = np.asarray(lit.layer)[..., 3] >= 128
    return dark, np.flatnonzero(solid.any(1)), np.flatnonzero(solid.any(0))


def test_grounding_reads_a_firm_contact_and_a_visible_cast_shadow_fading_with_distance():
    for style in ("concrete", "studio"):
        dark, rows, cols = _darkening(style, 150)  # light from the upper left: the shadow falls right
        bottom, x0, x1 = rows[-1], cols[0], cols[-1]
        pw = x1 - x0
        assert (
            dark[bottom + 1 : bottom + 5, x0 + pw // 5 : x1 - pw // 5].mean() > 0.58
        )  # firm contact (0.55 before)
        near = dark[bottom - 30 : bottom - 10, x1 + 5 : x1 + 45].mean()  # beside the base
        tip = x1 + int(0.65 * pw)  # toward the far end of the shadow of the top
        far = dark[bottom - 70 : bottom - 10, tip : tip + 40].mean()
        mirror = dark[bottom - 30 : bottom - 10, x0 - 45 : x0 - 5].mean()
        assert near > 0.25 and near > 1.8 * far  # a shadow you see, darkest near the base
        assert near > 1.5 * mirror  # and on the side away from the light
        open_floor = dark[bottom - 10 : bottom, : max(1, x0 - pw)].mean()
        assert open_floor < 0.02


def test_of_the_real_photos_only_the_bell_on_its_chain_hangs(shared_data):
    masks = sorted((shared_data / "masks" / "masks").glob("*.png"))
    assert len(masks) == 60
    hanging = [m.stem for m in masks if is_hanging(np.asarray(Image.open(m).convert("L")))]
    assert hanging == ["0679"]


def test_a_flat_lay_item_is_ringed_by_its_shadow_darker_away_from_the_light():
    alpha = np.zeros((600, 600), np.uint8)
    cv2.rectangle(alpha, (200, 150), (399, 449), 255, -1)
    stage = build_stage("flat-lay", (600, 600), (200, 150, 400, 450))
    shadow = shadows.shadow_map(alpha, stage, KeyLight.from_light(Light(30, 0.5)))  # from the upper right
    sides = {
        "top": shadow[140:148, 250:350].mean(),
        "right": shadow[200:400, 402:410].mean(),
        "bottom": shadow[452:460, 250:350].mean(),
        "left": shadow[200:400, 190:198].mean(),
    }
    assert min(sides.values()) > 0.05  # lifted fabric: a shadow all round, the light's side included
    assert sides["left"] > 1.3 * sides["right"] and sides["bottom"] > 1.3 * sides["top"]


def test_a_ragged_sloping_base_gets_a_smooth_contact_band_not_streaks():
    """A product in three-quarter view whose lower outline slopes and is ragged (grass, a rough edge:
    runs of columns touching the ground line and runs lifted off it): the floor in front of it is
    shaded by distance from the outline, with the strength smoothed along it, so along a line just in
    front the shade is even (a fade straight down each column gave streaks)."""
    alpha = np.zeros((800, 800), np.uint8)
    xs = np.arange(200, 600)
    bottom = 640 - (xs - 200) * 0.3 - np.where((xs // 10) % 2 == 0, 0, 14)  # 10-px teeth, 14 px deep
    for x, b in zip(xs, bottom, strict=True):
        alpha[200 : int(b), x] = 255
    shadow = _shadow(alpha, Light(90, 0.5), cast=False)
    along = np.arange(240, 560)
    band = shadow[np.rint(640 - (along - 200) * 0.3 + 8).astype(int), along]  # 8 px in front of the tips
    assert band.mean() > 0.25  # the floor there is shaded
    ripple = np.abs(band - np.convolve(band, np.ones(15) / 15, mode="same"))[10:-10].mean() / band.mean()
    assert ripple < 0.012, ripple  # a per-column fade: 0.025


def test_a_wide_low_product_casts_a_shadow_as_deep_as_a_solid_not_a_card_thin_line():
    """A car or a plinth seen side-on under a low camera: its shadow beside it covers the floor back
    over the depth a solid of its width has (a silhouette card alone threw an 11-row streak)."""
    alpha = np.zeros((800, 1000), np.uint8)
    cv2.rectangle(alpha, (200, 420), (800, 560), 255, -1)
    stage = build_stage("tabletop", (1000, 800), (200, 420, 801, 561))
    for angle, x in ((30, 170), (150, 830)):  # just beyond the side away from the light
        column = shadows.shadow_map(alpha, stage, KeyLight.from_light(Light(angle, 0.5)), contact=False)[:, x]
        deep = np.flatnonzero(column > 0.5 * column.max())
        assert deep.size >= 30, (angle, deep.size)
        assert deep[-1] <= 566 and deep[0] > stage.horizon  # from the base back, on the floor


def test_a_product_in_three_quarter_view_casts_its_shadow_on_the_floor_under_its_far_side():
    """A car seen in three-quarter view stands on the floor along a line climbing to its rear: the
    shadow beyond the rear lies at the rear's floor row, not on a streak run on from the front wheel's
    row across the floor (as it did when only the lowest contact counted)."""
    alpha = np.zeros((800, 1000), np.uint8)
    pts = np.array([[150, 420], [850, 250], [850, 400], [300, 620], [150, 560]], np.int32)
    cv2.fillPoly(alpha, [pts], 255, cv2.LINE_AA)
    stage = build_stage("tabletop", (1000, 800), (150, 250, 851, 621))
    shadow = shadows.shadow_map(alpha, stage, KeyLight.from_light(Light(135, 0.5)), contact=False)
    column = shadow[:, 870]  # just beyond the rear, on the side away from the light
    assert column.max() > 0.05 and abs(int(column.argmax()) - 400) <= 30
    assert shadow[560:640, 860:].max() < 0.03  # nothing at the front wheel's row out there


def test_a_product_cut_by_the_frames_bottom_shades_the_floor_round_its_foot() -> None:
    """A bench end cut by the photo's bottom edge stands just below the frame: the floor beside its
    lower part is shaded, darkest at the edge, further on the side away from the light, and nothing
    is shaded high above the edge (it read as floating over the floor with none)."""
    alpha = np.zeros((800, 800), np.uint8)
    cv2.rectangle(alpha, (330, 300), (470, 799), 255, -1)  # a post running out of the frame
    box = (330.0, 300.0, 471.0, 800.0)
    stage = build_stage("tabletop", (800, 800), box)
    sides = {}
    for angle in (150.0, 30.0):  # from the upper left, then from the upper right
        m = shadows.shadow_map(alpha, stage, KeyLight.from_light(Light(angle=angle, softness=0.3)))
        left, right = m[760:800, 250:325].mean(), m[760:800, 476:551].mean()
        sides[angle] = (left, right)
        assert min(left, right) > 0.05  # round the foot: the light's side too, where no cast falls
        assert m[790, 478] > m[720, 478] > 0.0  # darkest at the edge
        assert m[:600].max() < 0.05  # nothing high above it
    assert sides[150.0][1] > 1.3 * sides[150.0][0]  # light from the left: the right side darker
    assert sides[30.0][0] > 1.3 * sides[30.0][1]
