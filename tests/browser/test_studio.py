"""A person uploads a product photo in the Enhancement Studio, waits for the result and downloads it."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, open_page, wait_idle

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
    result_img = page.locator('[data-testid="stImage"]').filter(has_text="studio · web").or_(
        page.locator('[data-testid="stImage"]').filter(has_text="· web ·"))
    expect(result_img.first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download WEBP").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name.startswith("dress_") and target.suffix == ".webp"
    with Image.open(io.BytesIO(target.read_bytes())) as im:
        assert im.format == "WEBP" and im.size == (1200, 1200)
