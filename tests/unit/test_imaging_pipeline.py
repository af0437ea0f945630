"""The whole pipeline: exact product pixels, preset compliance, QA, batch rows, the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core import PROJECT_ROOT
from core.imaging import presets
from core.imaging.backgrounds.base import Background, BackgroundJob
from core.imaging.enhance_options import EnhanceOptions
from core.imaging.errors import (
    ExportError,
    ImagingError,
    NoProductFoundError,
    UnknownPresetError,
    UnknownStyleError,
)
from core.imaging.pipeline import REPORT_FIELDS, enhance, enhance_file
from core.imaging.scene import light_from_scene, load_scene, suggest_style


@pytest.fixture(scope="module")
def shoes(demo_dir):
    return demo_dir / "images" / "shoes.jpg"


@pytest.fixture(scope="module")
def shoes_mask(demo_dir):
    return np.asarray(Image.open(demo_dir / "masks" / "shoes.png"))


def test_original_preset_keeps_product_pixels_identical(shoes, shoes_mask):
    """Without harmony the product's pixels are copied; harmony's nudge is tested in test_imaging_staging."""
    result = enhance(
        shoes,
        EnhanceOptions(style="marble", preset="original", shadow=True, reflection=True, harmonize=False),
        mask=shoes_mask,
    )
    out, src = np.asarray(result.image), np.asarray(Image.open(shoes).convert("RGB"))
    solid = result.mask == 255
    assert solid.sum() > 10_000
    assert np.array_equal(out[solid], src[solid])
    assert not np.array_equal(out[~solid], src[~solid])  # the background was replaced
    assert result.image.size == Image.open(shoes).size and result.encode()[1] == "png"


@pytest.mark.parametrize("preset", list(presets.PRESETS))
def test_every_preset_passes_its_own_compliance_check(shoes, preset):
    result = enhance(shoes, EnhanceOptions(preset=preset, style="terrazzo"))
    assert result.qa.compliant, result.qa.compliance
    layer = np.asarray(result.layer)
    solid = layer[..., 3] == 255
    assert np.array_equal(np.asarray(result.image)[solid], layer[solid][:, :3])
    data, ext = result.encode()
    decoded = Image.open(io.BytesIO(data))
    assert decoded.size == result.image.size
    assert ext == {"jpeg": "jpg", "png": "png", "webp": "webp"}[presets.PRESETS[preset].format]


def test_amazon_is_pure_white_and_fills_the_frame(shoes):
    result = enhance(shoes, EnhanceOptions(preset="amazon", style="bokeh", shadow=True))
    out = np.asarray(result.image)
    assert result.image.size == (2000, 2000)
    assert (out[:20] == 255).all() and (out[:, :20] == 255).all()
    assert result.qa.fill_ratio >= 0.85
    assert any("pure white" in n for n in result.notes)


def test_compliance_check_catches_violations():
    amazon = presets.get_preset("amazon")
    img = np.full((1000, 1000, 3), 250, np.uint8)
    alpha = np.zeros((1000, 1000), np.uint8)
    alpha[400:600, 400:600] = 255
    img[400:600, 400:600] = 60  # the product: what the fill counts (pixels with a channel below 245)
    issues = " ".join(presets.check_compliance(amazon, img, alpha, "webp"))
    assert "2000x2000" in issues and "1600" in issues and "WEBP" in issues
    assert "fills 20%" in issues and "pure white" in issues


def test_product_fills_requested_ratio_and_thirds_placement(shoes):
    result = enhance(
        shoes, EnhanceOptions(preset="instagram-square", fill_ratio=0.5, placement="thirds", light_angle=150)
    )
    a = np.asarray(result.layer)[..., 3]
    assert abs(result.qa.fill_ratio - 0.5) < 0.02
    cols = np.flatnonzero(a.max(axis=0) > 0)
    assert abs((cols[0] + cols[-1]) / 2 - 1080 / 3) < 20  # light from the left: product on the left third


def test_timings_cover_every_stage(shoes):
    result = enhance(shoes.read_bytes(), EnhanceOptions())
    assert {"load", "mask", "background", "composite", "export", "total"} <= set(result.timings)
    assert result.mask.shape == (1024, 1024) and result.cutout.mode == "RGBA"
    figs = result.qa.figures()
    assert 0.1 < figs["mask_coverage"] < 0.5 and figs["touches_border"] == 0


def test_a_background_backend_replaces_the_procedural_background(shoes):
    seen = {}

    class Teal:
        name, label, signature, ledger = "teal", "teal", "teal", None

        def render(self, job: BackgroundJob) -> Image.Image:
            layer = job.layer()
            seen["size"], seen["mode"], seen["scene"] = layer.size, layer.mode, job.scene
            return Image.new("RGB", layer.size, (0, 128, 128))

    assert isinstance(Teal(), Background)
    result = enhance(shoes, EnhanceOptions(shadow=False), scene={"mood": "x"}, background=Teal())
    assert seen == {"size": (1200, 1200), "mode": "RGBA", "scene": {"mood": "x"}}
    assert tuple(np.asarray(result.image)[5, 5]) == (0, 128, 128)


def test_scene_palette_and_light_are_used(tmp_path, shoes):
    report = tmp_path / "report.json"
    scene = {
        "environment": "marble counter",
        "lighting": "hard sun from the right",
        "colors": ["#204080"],
        "textures": [],
        "mood": "",
        "prompt": "",
    }
    report.write_text(json.dumps({"meta": {"posts": 1}, "scene": scene}))
    loaded = load_scene(report)
    assert loaded["colors"] == ["#204080"]
    light = light_from_scene(loaded)
    assert light.angle == 30 and light.softness < 0.5
    assert suggest_style(loaded) == "marble"
    result = enhance(shoes, EnhanceOptions(style="gradient", shadow=False), scene=loaded)
    corner = np.asarray(result.image)[1190, 1190].astype(int)
    assert corner[2] > corner[0]  # the blue scene colour shows
    assert load_scene(tmp_path / "missing.json") is None


def test_bad_options_have_clear_errors():
    with pytest.raises(UnknownStyleError, match="choose one of"):
        EnhanceOptions(style="plaid")
    with pytest.raises(UnknownPresetError, match="amazon"):
        EnhanceOptions(preset="ebay")
    with pytest.raises(ExportError, match="png, jpeg or webp"):
        EnhanceOptions(output_format="bmp")
    with pytest.raises(ImagingError, match="#rrggbb"):
        EnhanceOptions(palette=["#204080", "teal-ish"])
    options = EnhanceOptions(output_format="jpg", palette=["#204080"])  # checked when built, not again
    with pytest.raises(UnknownStyleError):
        options.style = "plaid"
    assert options.style == "studio" and options.export_preset.name == "web"


def test_no_product_is_a_clear_error():
    with pytest.raises(NoProductFoundError, match="no product found"):
        enhance(Image.new("RGB", (200, 200), "gray"), EnhanceOptions())


def test_enhance_file_never_raises_and_writes_atomically(tmp_path, shoes):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo")
    options = EnhanceOptions(preset="instagram-square")
    ok = enhance_file(shoes, tmp_path / "out", options)
    failed = enhance_file(bad, tmp_path / "out", options)
    assert ok["status"] == "done" and ok["error"] == "" and set(REPORT_FIELDS) <= set(ok)
    assert Image.open(ok["output"]).size == (1080, 1080)
    assert failed["status"] == "failed" and "not an image" in failed["error"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["shoes.jpg"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    """`python -m core ...` in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cli_enhance_and_mask(tmp_path, shoes):
    bad = tmp_path / "truncated.jpg"
    bad.write_bytes(shoes.read_bytes()[:5000])
    out = tmp_path / "out"
    proc = _cli("enhance", str(shoes), str(bad), "--out", str(out), "--style", "linen", "--preset", "web")
    assert proc.returncode == 1, proc.stderr
    rows = {Path(r["file"]).name: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text()))}
    assert rows["shoes.jpg"]["status"] == "done" and rows["truncated.jpg"]["status"] == "failed"
    assert "truncated" in rows["truncated.jpg"]["error"] and "truncated" in proc.stderr
    assert (out / "shoes.webp").is_file()
    assert _cli("mask", str(shoes), "--out", str(tmp_path / "m")).returncode == 0
    m = Image.open(tmp_path / "m" / "shoes.png")
    assert m.mode == "L" and m.size == (1024, 1024)
    proc = _cli("enhance", str(shoes), "--out", str(out), "--preset", "ebay")
    assert proc.returncode == 1 and "unknown preset" in proc.stderr


def _cropped(src: Path, box: tuple[int, int, int, int], dest: Path) -> Path:
    Image.open(src).crop(box).save(dest, quality=92)
    return dest


def test_amazon_fails_a_product_cut_by_the_frame_and_says_why(shoes, shoes_mask, tmp_path):
    # the demo sneaker spans x 0.16..0.88 of the photo: cropping at x=400 cuts its heel off
    box = (400, 300, 1024, 900)
    cut = enhance(
        _cropped(shoes, box, tmp_path / "cut.jpg"),
        EnhanceOptions(preset="amazon"),
        mask=Image.fromarray(shoes_mask).crop(box),
    )
    assert not cut.qa.compliant and cut.qa.touches_border
    assert any("touches the photo's left edge" in c for c in cut.qa.compliance), cut.qa.compliance
    box = (100, 300, 960, 900)
    whole = enhance(
        _cropped(shoes, box, tmp_path / "whole.jpg"),
        EnhanceOptions(preset="amazon"),
        mask=Image.fromarray(shoes_mask).crop(box),
    )
    assert not any("edge" in c for c in whole.qa.compliance), whole.qa.compliance
    assert not whole.qa.touches_border


def test_quality_verdict_is_separate_from_compliance(shoes, tmp_path):
    small = tmp_path / "small.jpg"
    Image.open(shoes).resize((200, 200), Image.Resampling.LANCZOS).save(small, quality=92)
    result = enhance(small, EnhanceOptions(preset="shopify"))
    assert result.qa.compliant  # the marketplace's rules are met...
    assert result.qa.quality == "poor"  # ...but the product was enlarged ~14x
    assert any(q.startswith("upscaled") for q in result.qa.quality_issues), result.qa.quality_issues
    good = enhance(shoes, EnhanceOptions(preset="web"))
    assert good.qa.quality == "good" and good.qa.verdicts()["quality_issues"] == ""


def test_a_preset_that_replaces_the_style_says_so(shoes):
    result = enhance(shoes, EnhanceOptions(preset="amazon", style="marble"))
    assert result.background == "white"
    assert any("pure white" in n and "replaced" in n for n in result.notes), result.notes
    assert presets.get_preset("amazon").style_note and presets.get_preset("web").style_note is None
    assert enhance(shoes, EnhanceOptions(preset="web", style="marble")).background == "marble"
