"""AppTest: the Enhancement Studio page cuts out, restages, reports and exports; bad inputs get
their own message; the scene comes from the Trend Explorer hand-off or the latest report."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "pages" / "3_Enhancement_Studio.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120)


def _png(im: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def test_demo_image_to_compliant_download(demo_dir, tmp_path, monkeypatch):
    # a data folder without any trend report, so the built-in default scene is the one in use
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    at = _app().run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Preset compliance"] == "pass" and metrics["Fill ratio"] == "75%"
    result = at.session_state["studio_result"]
    assert result.image.size == (1200, 1200) and result.encode()[1] == "webp"
    assert any("built-in default" in c.value for c in at.caption)

    at.radio(key="studio_style").set_value("marble")
    at.selectbox(key="studio_preset").set_value("amazon").run()
    assert not at.exception and not at.error
    result = at.session_state["studio_result"]
    assert result.image.size == (2000, 2000) and result.encode()[1] == "jpg"
    out = np.asarray(result.image)
    assert (out[:10] == 255).all()  # Amazon: pure white whatever the style
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Preset compliance"] == "pass"
    assert metrics["Quality"] == result.qa.quality  # every quality issue is shown as a warning
    assert all(any(w.value == f"Quality: {q}" for w in at.warning) for q in result.qa.quality_issues)
    # the replaced style is said where it is chosen, and the result names what was produced
    assert any("pure white" in w.value and "replaced" in w.value for w in at.warning)
    assert result.background == "white"


def test_small_photo_gets_a_poor_quality_verdict_next_to_compliance(demo_dir):
    at = _app().run()
    at.radio(key="studio_source").set_value("Upload").run()
    small = Image.open(demo_dir / "images" / "shoes.jpg").resize((180, 180), Image.Resampling.LANCZOS)
    at.file_uploader(key="studio_upload").set_value(("small.png", _png(small), "image/png")).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Quality"] == "poor" and metrics["Preset compliance"] == "pass"
    assert any(w.value.startswith("Quality: upscaled") for w in at.warning)


def test_results_survive_reruns_without_recomputing(demo_dir):
    at = _app().run()
    first = at.session_state["studio_result"]
    at.run()
    assert at.session_state["studio_result"] is first


def test_scene_from_trend_explorer_sets_palette_and_style(demo_dir):
    at = _app()
    at.session_state["studio_scene"] = {
        "environment": "concrete loft",
        "lighting": "hard light from the right",
        "colors": ["#1f4e79", "#c0d6ea"],
        "textures": [],
        "mood": "",
        "prompt": "urban concrete",
    }
    at.run()
    assert not at.exception
    assert any("Trend Explorer" in c.value for c in at.caption)
    assert at.radio(key="studio_style").value == "concrete"
    assert at.slider(key="studio_light").value == 30
    assert not at.checkbox(key="studio_light_auto").value  # the scene names the side: it decides
    assert at.session_state["studio_result"].qa.compliant


def test_the_light_follows_the_photo_until_the_user_sets_it(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))  # the default scene: it names no side
    at = _app().run()
    at.selectbox(key="studio_demo").set_value("shoes.jpg").run()  # shot under a key from the left
    assert not at.exception
    assert at.checkbox(key="studio_light_auto").value and at.slider(key="studio_light").disabled
    notes = at.session_state["studio_result"].notes
    assert any("upper left, as the product's shadow in the photo shows" in n for n in notes), notes
    at.checkbox(key="studio_light_auto").uncheck().run()
    assert not at.exception and not at.slider(key="studio_light").disabled
    assert not any("shadow in the photo" in n for n in at.session_state["studio_result"].notes)


def test_latest_report_is_the_default_scene(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    (tmp_path / "trends").mkdir()
    (tmp_path / "trends" / "latest.json").write_text(
        json.dumps(
            {
                "scene": {
                    "environment": "wood table",
                    "lighting": "soft",
                    "colors": ["#aa5500"],
                    "prompt": "warm wood",
                }
            }
        )
    )
    at = _app().run()
    assert not at.exception
    assert any("latest trend report" in c.value for c in at.caption)
    assert at.radio(key="studio_style").value == "wood"


def test_uploaded_photo_with_transparency_uses_its_alpha(demo_dir):
    rgba = Image.open(demo_dir / "images" / "jacket.jpg").convert("RGBA")
    alpha = np.asarray(Image.open(demo_dir / "masks" / "jacket.png"))
    rgba.putalpha(Image.fromarray(alpha))
    at = _app().run()
    at.radio(key="studio_source").set_value("Upload").run()
    at.file_uploader(key="studio_upload").set_value(("jacket.png", _png(rgba), "image/png")).run()
    assert not at.exception and not at.error
    result = at.session_state["studio_result"]
    assert np.array_equal(result.mask, alpha)
    assert any("own transparency" in c.value for c in at.caption)


BAD_INPUTS = [
    ("notes.jpg", b"this is a text file", "not an image"),
    ("empty.png", b"", "empty"),
    ("half.jpg", None, "truncated"),
    ("bomb.png", _png(Image.new("1", (9000, 9000))), "megapixels"),
    ("pixel.png", _png(Image.new("RGB", (1, 1))), "1x1"),
    ("blank.png", _png(Image.new("RGB", (300, 300), (90, 90, 90))), "no product found"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_uploads_get_their_own_message(demo_dir, name, content, message):
    if content is None:
        content = (demo_dir / "images" / "shoes.jpg").read_bytes()[:4000]
    at = _app()
    at.session_state["studio_source"] = "Upload"  # start on the upload tab: no demo run first
    at.run()
    assert any("Upload a product photo" in i.value for i in at.info)
    at.file_uploader(key="studio_upload").set_value((name, content, "application/octet-stream")).run()
    assert not at.exception
    assert at.error and message in at.error[0].value
    assert "studio_result" not in at.session_state


def test_advanced_cut_out_options_change_the_mask(demo_dir):
    at = _app().run()
    plain = at.session_state["studio_result"].mask.copy()
    at.checkbox(key="studio_matting").check().run()
    assert not at.exception and not at.error
    matted = at.session_state["studio_result"].mask
    assert matted.shape == plain.shape and not np.array_equal(matted, plain)
    mask = np.zeros_like(plain)
    mask[200:800, 300:700] = 255
    at.checkbox(key="studio_matting").uncheck()
    at.file_uploader(key="studio_mask_upload").set_value(
        ("m.png", _png(Image.fromarray(mask)), "image/png")
    ).run()
    assert not at.exception and not at.error
    assert np.array_equal(at.session_state["studio_result"].mask, mask)


def test_scene_geometry_is_auto_from_the_handed_over_scene_unless_the_user_picks_one(demo_dir):
    at = _app()
    at.session_state["studio_scene"] = {
        "environment": "seamless paper sweep",
        "lighting": "soft light from the left",
        "colors": ["#f4efe6", "#8c7b6b"],
        "textures": ["wood"],
        "mood": "",
        "prompt": "",
    }
    at.run()
    assert not at.exception
    picker = at.selectbox(key="studio_scene_kind")
    assert picker.value == "" and "Auto (sweep)" in picker.format_func("")  # the trend scene decides
    first = at.session_state["studio_result"].image
    picker.set_value("tabletop").run()
    assert not at.exception
    assert at.session_state["studio_result"].image.tobytes() != first.tobytes()  # the user's choice wins
