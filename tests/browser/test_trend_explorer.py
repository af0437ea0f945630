"""A person loads the demo corpus, sees the palette and opens the scene in the Studio."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_exception, open_page, wait_idle

pytestmark = pytest.mark.browser


def test_demo_palette_and_use_in_studio(app_url, page):
    open_page(page, f"{app_url}/Trend_Explorer")
    page.get_by_role("button", name="Load posts").click()
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Palette")).to_be_visible()
    palette = page.locator('[data-testid="stPlotlyChart"]').first
    expect(palette.locator("text=butter yellow").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Posts imported")).to_be_visible()
    scene = page.locator('span[title="#f6e08a"]')
    expect(scene).to_have_count(1)
    page.get_by_role("button", name="Use in Studio").click()
    page.wait_for_url("**/Enhancement_Studio")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Enhancement Studio").first).to_be_visible()
    assert_no_exception(page)
