"""A crafted Reddit export in the browser: its sign-in phishing link, tracking image and raw HTML show as
plain text; the page makes no request to the outside site and links nowhere but the web posts (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import assert_no_exception, open_page, wait_idle, wait_rerun
from tests.support.crafted import EVIL, write_crafted_export

pytestmark = pytest.mark.browser


def test_crafted_export_renders_as_plain_text(app_url: str, page: Page, tmp_path: Path) -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if EVIL in r.url else None)
    path = write_crafted_export(tmp_path / "crafted.ndjson")
    open_page(page, f"{app_url}/Trend_Explorer")
    page.get_by_text("Upload a file").click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_role("button", name="Remove crafted.ndjson")).to_be_visible(timeout=30_000)
    page.get_by_text("Keep the posts in the local database").click()  # leave the shared store alone
    wait_rerun(page)
    page.get_by_role("button", name="Load posts").click()
    wait_idle(page)
    assert_no_exception(page)
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Posts imported")).to_contain_text("60", timeout=30_000)
    evidence = page.locator(".trend-evidence")
    expect(evidence.first).to_be_visible(timeout=30_000)
    # the phishing link's words are on the page as text, never as a link or an image
    expect(evidence.first).to_contain_text("Your session expired — sign in again")  # import keeps link text
    expect(evidence.first).to_contain_text("<img")  # the tag, shown as the characters it is
    for selector in (f'a[href*="{EVIL}"]', f'img[src*="{EVIL}"]', '[data-testid="stMain"] img[src^="http"]'):
        expect(page.locator(selector)).to_have_count(0)
    page.wait_for_timeout(1000)
    assert outside == []  # the browser fetched nothing from the outside site
