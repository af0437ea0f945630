"""The Studio walk-through bugs of issue 24, as a person meets them in the browser."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_exception, brush_remove_stroke, open_page, wait_idle, wait_rerun

pytestmark = pytest.mark.browser


def _download(page: Page, label: str, tmp_path) -> bytes:
    """Click a download button and return the file. On a loaded machine the server can be slow to
    hand over a deferred file: after 40 s without a download the button is clicked once more, as a
    person would; a button that never downloads (the bug this file guards against) still fails."""
    for attempt in range(2):
        try:
            with page.expect_download(timeout=40_000) as info:
                page.get_by_role("button", name=label).click()
            break
        except PlaywrightError as exc:
            if attempt:
                raise AssertionError(f"{label!r} did not download") from exc
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_every_download_works_in_any_order(app_url: str, page: Page, tmp_path) -> None:
    open_page(page, f"{app_url}/Enhancement_Studio")
    expect(page.get_by_text("Quality report")).to_be_visible(timeout=90_000)
    wait_idle(page, timeout=120_000)
    for label in (
        "Download WEBP",
        "Download cut-out (PNG)",
        "Download mask (PNG)",
        "Download WEBP",
        "Download QA report (JSON)",
        "Download cut-out (PNG)",
        "Download cut-out (PNG)",
    ):
        data = _download(page, label, tmp_path)
        assert data, label
        if "cut-out" in label:
            with Image.open(io.BytesIO(data)) as im:
                assert im.format == "PNG" and im.mode == "RGBA"
        wait_idle(page)
    page.get_by_text("Floor reflection").click()  # any other rerun: a new result, new deferred files
    wait_rerun(page)
    for label in ("Download cut-out (PNG)", "Download WEBP", "Download mask (PNG)"):
        assert _download(page, label, tmp_path), label
    assert_no_exception(page)


def _cutout_src(page: Page) -> str:
    image = page.locator('[data-testid="stImage"]').filter(has_text="Cut-out (").first.locator("img")
    return image.get_attribute("src") or ""


def test_brushing_updates_the_cutout_preview(app_url: str, page: Page) -> None:
    open_page(page, f"{app_url}/Enhancement_Studio")
    expect(page.get_by_text("Quality report")).to_be_visible(timeout=90_000)
    wait_idle(page, timeout=120_000)
    before = _cutout_src(page)
    brush_remove_stroke(page)
    wait_idle(page, timeout=120_000)
    expect(page.locator('[data-testid="stImage"]').filter(has_text="+ brush")).to_have_count(
        1, timeout=60_000
    )
    assert _cutout_src(page) != before  # the preview now shows the brushed mask
    assert_no_exception(page)


def _chosen_style(page: Page) -> str:
    group = page.get_by_role("radiogroup", name="Background style")
    return group.locator("input:checked").evaluate("e => e.closest('label').innerText").strip()


def test_uploading_a_new_photo_keeps_the_chosen_style(app_url: str, page: Page, demo_dir) -> None:
    open_page(page, f"{app_url}/Enhancement_Studio")
    expect(page.get_by_text("Quality report")).to_be_visible(timeout=90_000)
    wait_idle(page, timeout=120_000)
    page.get_by_role("radiogroup", name="Background style").get_by_text("terrazzo", exact=True).click()
    wait_rerun(page)
    assert _chosen_style(page) == "terrazzo"
    page.get_by_text("Upload", exact=True).first.click()
    wait_idle(page)
    for photo in ("dress.jpg", "jeans.jpg"):
        uploader = page.get_by_role("region", name="Product photo")
        uploader.locator('input[type="file"]').set_input_files(str(demo_dir / "images" / photo))
        # the upload is over when the uploader lists the file; its rerun may start later on a loaded machine
        expect(page.get_by_role("button", name=f"Remove {photo}")).to_be_visible(timeout=60_000)
        wait_rerun(page)
        expect(page.get_by_text("Quality report")).to_be_visible(timeout=90_000)
        assert _chosen_style(page) == "terrazzo", photo
    assert_no_exception(page)


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_the_brush_toolbar_covers_no_caption(app_url: str, page: Page) -> None:
    open_page(page, f"{app_url}/Enhancement_Studio")
    expect(page.get_by_text("Quality report")).to_be_visible(timeout=90_000)
    page.get_by_text("Correct the mask with a brush").click()
    wait_idle(page)
    page.locator("canvas").last.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)
    panel = page.locator('[data-testid="stExpanderDetails"]').filter(has=page.locator("canvas")).first
    undo = panel.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    toolbar = [b for b in (panel.get_by_role("button", name=n).bounding_box() for n in ("Undo", "Redo")) if b]
    texts = panel.locator(
        '[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"], [data-testid="stSlider"]'
    )
    boxes = [texts.nth(i).bounding_box() for i in range(texts.count())]
    assert len(toolbar) == 2 and boxes
    assert not any(_overlap(t, b) for t in toolbar for b in boxes if b)
