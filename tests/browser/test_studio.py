"""A person uploads a product photo in the Enhancement Studio, waits for the result and downloads it."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.support.browser import assert_no_exception, brush_remove_stroke, open_page, wait_idle

pytestmark = pytest.mark.browser


def test_upload_enhance_and_download(app_url, page, demo_dir, tmp_path):
    open_page(page, f"{app_url}/Enhancement_Studio")
    page.get_by_role("heading", name="Enhancement Studio").first.wait_for()
    page.get_by_text("Upload", exact=True).first.click()
    wait_idle(page)
    uploader = page.get_by_role("region", name="Product photo")
    with page.expect_file_chooser() as chooser:
        uploader.get_by_role("button", name="Upload", exact=True).click()
    chooser.value.set_files(str(demo_dir / "images" / "dress.jpg"))
    expect(page.get_by_text("dress.jpg").first).to_be_visible()
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    expect(page.get_by_text("Quality report")).to_be_visible(timeout=60_000)
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Preset compliance")).to_contain_text("pass")
    expect(metrics.filter(has_text="Quality")).to_contain_text("good")
    result_img = (
        page.locator('[data-testid="stImage"]')
        .filter(has_text="studio · web")
        .or_(page.locator('[data-testid="stImage"]').filter(has_text="· web ·"))
    )
    expect(result_img.first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download WEBP").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name.startswith("dress_") and target.suffix == ".webp"
    with Image.open(io.BytesIO(target.read_bytes())) as im:
        assert im.format == "WEBP" and im.size == (1200, 1200)


def _coverage(page) -> float:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Mask coverage")
    return float(metric.locator('[data-testid="stMetricValue"]').inner_text().strip().rstrip("%"))


def test_remove_brush_stroke_shrinks_the_mask(app_url, page):
    open_page(page, f"{app_url}/Enhancement_Studio")
    expect(page.get_by_text("Quality report")).to_be_visible(timeout=90_000)
    before = _coverage(page)
    brush_remove_stroke(page)
    assert "removed" in page.get_by_text("Corrections applied").inner_text()
    for _ in range(120):  # the rerun with the corrected mask lands shortly after
        wait_idle(page, timeout=120_000)
        if _coverage(page) < before:
            break
        page.wait_for_timeout(500)
    assert_no_exception(page)
    assert _coverage(page) < before


def test_small_photo_and_amazon_show_honest_verdicts(app_url, page, demo_dir, tmp_path):
    """An enlarged photo passes the marketplace's rules but gets a poor quality verdict; Amazon's pure
    white replaces the chosen style, which the page says at the style picker and in the file name."""
    small = tmp_path / "small-dress.jpg"
    Image.open(demo_dir / "images" / "dress.jpg").resize((200, 200)).save(small, quality=90)
    open_page(page, f"{app_url}/Enhancement_Studio")
    page.get_by_text("Upload", exact=True).first.click()
    wait_idle(page)
    uploader = page.get_by_role("region", name="Product photo")
    with page.expect_file_chooser() as chooser:
        uploader.get_by_role("button", name="Upload", exact=True).click()
    chooser.value.set_files(str(small))
    wait_idle(page, timeout=120_000)
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Quality")).to_contain_text("poor", timeout=60_000)
    expect(metrics.filter(has_text="Preset compliance")).to_contain_text("pass")
    expect(page.locator('[data-testid="stAlert"]').filter(has_text="Quality: upscaled").first).to_be_visible()
    # Amazon replaces the style with pure white: said where the style is chosen, and in the file name
    combo = page.get_by_role("combobox", name="Preset")
    combo.scroll_into_view_if_needed()
    combo.click()
    page.wait_for_timeout(500)
    page.get_by_role("option").filter(has_text="Amazon main image").first.click()
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    expect(
        page.locator('[data-testid="stAlert"]').filter(has_text="requires a pure white background").first
    ).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download JPG").click()
    assert info.value.suggested_filename == "small-dress_white_amazon.jpg"
