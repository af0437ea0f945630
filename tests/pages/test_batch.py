"""The Batch page in AppTest: the demo catalogue runs end to end, with results, downloads and a grid."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

from PIL import Image
from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT

PAGE = str(PROJECT_ROOT / "pages" / "4_Batch_Enhancement.py")


def _app() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=180)


def test_page_opens_with_defaults_and_nothing_to_run(demo_dir):
    at = _app().run()
    assert not at.exception
    assert at.title[0].value.endswith("Batch Enhancement")
    assert at.selectbox(key="batch_preset").value == "web"
    assert at.selectbox(key="batch_palette").value == "Latest trends"
    assert at.number_input(key="batch_workers").value >= 1
    scene = at.selectbox(key="batch_scene")  # the Studio's scene choices: Auto, then each geometry
    assert scene.value == "" and scene.options[1:] == ["tabletop", "sweep", "flat-lay"]
    assert 0 <= at.slider(key="batch_light").value <= 180
    # each photo's own light decides the side, until the user sets one
    assert at.checkbox(key="batch_light_auto").value and at.slider(key="batch_light").disabled
    at.checkbox(key="batch_light_auto").uncheck().run()
    assert not at.slider(key="batch_light").disabled
    assert at.button(key="batch_go").disabled  # nothing uploaded yet
    assert not at.metric  # no results yet
    at.selectbox(key="batch_palette").set_value("Custom").run()
    assert [c.value for c in at.color_picker] == ["#f4efe6", "#d9cbb8", "#8c7b6b"]
    at.radio(key="batch_source").set_value("Demo catalogue (6 product photos)").run()
    assert not at.button(key="batch_go").disabled and at.button(key="batch_go").label == "Enhance 6 images"


def test_demo_catalogue_runs_and_offers_zip_report_and_grid(demo_dir):
    at = _app().run()
    at.radio(key="batch_source").set_value("Demo catalogue (6 product photos)").run()
    at.selectbox(key="batch_preset").set_value("instagram-square")
    at.selectbox(key="batch_format").set_value("PNG")
    at.number_input(key="batch_workers").set_value(1)
    at.button(key="batch_go").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Done"] == "6" and metrics["Failed"] == "0"
    assert float(metrics["Seconds per image"]) > 0
    run = at.session_state["batch_run"]
    assert sorted(r["file"] for r in run["rows"]) == sorted(
        p.name for p in (demo_dir / "images").glob("*.jpg")
    )
    assert {r["quality"] for r in run["rows"]} <= {"good", "poor"} and {
        r["compliant"] for r in run["rows"]
    } == {"yes"}
    assert all(r["status"] == "done" and r["output"].endswith(".png") for r in run["rows"])
    with zipfile.ZipFile(run["zip"]) as zf:
        names = sorted(zf.namelist())
        report = list(csv.DictReader(io.StringIO(zf.read("report.csv").decode())))
        first = Image.open(io.BytesIO(zf.read(names[0])))
        assert first.size == (1080, 1080)
    assert names == sorted([f"{p.stem}.png" for p in (demo_dir / "images").glob("*.jpg")] + ["report.csv"])
    assert len(report) == 6 and {r["status"] for r in report} == {"done"}
    assert len(run["pairs"]) == 6 and all(Path(p).is_file() for _, *pair in run["pairs"] for p in pair)
    assert any(s.value == "Before / after" for s in at.subheader)


def test_latest_trends_scene_sets_the_style_and_a_broken_report_is_a_warning(demo_dir, tmp_path):
    data = Path(os.environ["TRENDSTUDIO_DATA"])
    latest = data / "trends" / "latest.json"
    latest.parent.mkdir(parents=True, exist_ok=True)
    try:
        latest.write_text(
            json.dumps(
                {
                    "scene": {
                        "environment": "marble countertop",
                        "lighting": "soft window",
                        "colors": ["#aabbcc", "#112233"],
                        "textures": ["marble"],
                    }
                }
            )
        )
        at = _app().run()
        assert not at.exception
        assert at.selectbox(key="batch_style").value == "marble"
        latest.write_text("{not json")
        at = _app().run()
        assert not at.exception
        assert any("could not be used" in w.value for w in at.warning)
        assert at.selectbox(key="batch_style").value == "studio"
    finally:
        latest.unlink(missing_ok=True)


def _jpeg(demo_dir: Path, name: str) -> bytes:
    buf = io.BytesIO()
    Image.open(demo_dir / "images" / f"{name}.jpg").resize((160, 160)).save(buf, "JPEG")
    return buf.getvalue()


def test_uploaded_images_and_zip_with_refusals(demo_dir):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("tops/tshirt.jpg", _jpeg(demo_dir, "tshirt"))
        zf.writestr("../../escape.jpg", _jpeg(demo_dir, "jeans"))
        zf.writestr("price-list.csv", "sku,price\n1,9.99\n")
    at = _app().run()
    at.file_uploader(key="batch_files").set_value(
        [
            ("dress.jpg", _jpeg(demo_dir, "dress"), "image/jpeg"),
            ("shoes.jpg", _jpeg(demo_dir, "shoes"), "image/jpeg"),
            ("catalogue.zip", archive.getvalue(), "application/zip"),
        ]
    )
    at.selectbox(key="batch_preset").set_value("original")
    at.number_input(key="batch_workers").set_value(1)
    at.run()
    assert at.button(key="batch_go").label == "Enhance 2 images + 1 ZIP"
    at.button(key="batch_go").click().run()
    assert not at.exception, at.exception
    rows = {r["file"]: r for r in at.session_state["batch_run"]["rows"]}
    assert {f: r["status"] for f, r in rows.items()} == {
        "dress.jpg": "done",
        "shoes.jpg": "done",
        "catalogue.zip/tops-tshirt.jpg": "done",
        "catalogue.zip/../../escape.jpg": "failed",
        "catalogue.zip/price-list.csv": "failed",
    }
    warnings = " ".join(w.value for w in at.warning)
    assert "zip-slip" in warnings and "not an image (.csv)" in warnings
    assert {m.label: m.value for m in at.metric}["Failed"] == "2"
