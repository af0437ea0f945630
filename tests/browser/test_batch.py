"""A person uploads five photos (one corrupt) to the Batch page, sees four done and one failed with its
reason, and downloads a results ZIP holding the four images and the report."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.support.browser import assert_no_exception, open_page, wait_idle

pytestmark = pytest.mark.browser

GOOD = ("dress", "jeans", "shoes", "tshirt")


@pytest.fixture()
def uploads(demo_dir: Path, tmp_path: Path) -> list[Path]:
    files = []
    for name in GOOD:  # small copies keep the test quick; the pipeline is the real one
        path = tmp_path / f"{name}.jpg"
        Image.open(demo_dir / "images" / f"{name}.jpg").resize((256, 256)).save(path, quality=90)
        files.append(path)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes((demo_dir / "images" / "skirt.jpg").read_bytes()[:1500])  # truncated JPEG
    return [*files, broken]


def test_batch_upload_five_with_one_corrupt_then_download_zip(
    app_url, page, uploads, tmp_path, _isolated_environment
):
    open_page(page, f"{app_url}/Batch_Enhancement")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(p) for p in uploads]
    )
    go = page.get_by_role("button", name="Enhance 5 images")
    expect(go).to_be_enabled(timeout=30_000)
    go.click()
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Done")).to_contain_text("4", timeout=120_000)
    wait_idle(page)
    assert_no_exception(page)
    expect(metrics.filter(has_text="Failed")).to_contain_text("1")
    # 256-px photos enlarged ~5x for the 1200-px preset: compliant, but poor quality, and said so
    expect(metrics.filter(has_text="Poor quality")).to_contain_text("4")
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(1)  # one results table, not two
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="broken.jpg failed")
    expect(warning).to_contain_text("truncated")

    with page.expect_download() as info:
        page.get_by_role("button", name="Results ZIP").click()
    target = tmp_path / "enhanced.zip"
    info.value.save_as(target)
    with zipfile.ZipFile(target) as zf:
        names = sorted(zf.namelist())
        assert names == sorted([f"{n}.webp" for n in GOOD] + ["report.csv"])
        rows = {r["file"]: r for r in csv.DictReader(io.StringIO(zf.read("report.csv").decode()))}
        for name in GOOD:
            img = Image.open(io.BytesIO(zf.read(f"{name}.webp")))
            assert img.format == "WEBP" and img.size == (1200, 1200)  # the default web preset
    assert {Path(f).name: r["status"] for f, r in rows.items()} == {
        **{f"{n}.jpg": "done" for n in GOOD},
        "broken.jpg": "failed",
    }
    assert "truncated" in next(r["error"] for f, r in rows.items() if f.endswith("broken.jpg"))
    assert set(rows) == {f"{n}.jpg" for n in GOOD} | {"broken.jpg"}  # names as uploaded: no server paths
    for name in GOOD:
        row = rows[f"{name}.jpg"]
        assert row["output"] == f"{name}.webp" and row["compliant"] == "1"
        assert row["quality"] == "poor" and row["quality_issues"].startswith("upscaled")
    log = (_isolated_environment / "streamlit.log").read_text()
    assert "missing ScriptRunContext" not in log and "ArrowInvalid" not in log and "ArrowTypeError" not in log
    # the before/after grid shows a thumbnail per finished image
    expect(page.get_by_role("button", name="Before / after")).to_have_count(4)
