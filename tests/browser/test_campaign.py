"""Start a campaign run from Home in a real browser and see the before/after thumbnails."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_exception, open_page, wait_idle
from tests.support.campaign_data import campaign_model  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_run_campaign_from_home_shows_thumbnails(app_url, page, campaign_model):  # noqa: F811
    open_page(page, app_url)
    for label in ("Top categories", "Photos per category"):
        box = page.get_by_label(label)
        box.fill("1")
        box.press("Enter")
        wait_idle(page)
    # other tests may save models in the shared registry: pick the campaign's quick demo model
    page.get_by_role("combobox", name="Model").click()
    page.get_by_role("option").filter(has_text=campaign_model.name).click()
    wait_idle(page)
    # the posts the run analyses are chosen and named before it starts (demo by default, never a mix)
    expect(page.get_by_text("The run will analyse the demo corpus only.")).to_be_visible()
    page.get_by_role("button", name="Run campaign").click()
    expect(page.get_by_text("Campaign run finished", exact=True)).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    images = page.locator('[data-testid="stImage"] img')
    expect(images).to_have_count(2, timeout=30_000)
    page.wait_for_function(  # both thumbnails really load (not broken image links)
        "() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
        ".filter(i => i.complete && i.naturalWidth > 100).length === 2",
        timeout=30_000,
    )
    expect(page.get_by_text("before · ")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Posts analysed: demo", exact=False)).to_be_visible()
    expect(page.get_by_text("after · ")).to_be_visible()
    expect(page.get_by_role("button", name="Download the run (zip)")).to_be_visible()
    assert_no_exception(page)
