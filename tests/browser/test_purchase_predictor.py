"""In a real browser: train on the demo events and read the per-category table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_exception, open_page, wait_idle

pytestmark = pytest.mark.browser


def _set_number(page, label: str, value: str) -> None:
    box = page.get_by_label(label)
    box.fill(value)
    box.press("Enter")
    wait_idle(page)


def test_train_on_demo_events_and_see_per_category_table(app_url, page):
    open_page(page, f"{app_url}/Purchase_Predictor")
    expect(page.get_by_text("Apparel purchases", exact=True)).to_be_visible(timeout=60_000)
    page.get_by_text("Training settings").click()
    _set_number(page, "Boosting rounds (max)", "40")
    _set_number(page, "Learning rate", "0.30")
    page.get_by_role("button", name="Train model").click()
    expect(page.get_by_text("Trained and saved model")).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Per-category accuracy")).to_be_visible()
    table = page.locator('[data-testid="stTable"]').first
    text = table.inner_text()
    for column in ("category", "support", "F1 markov", "lift vs best baseline"):
        assert column in text
    for category in ("shoes", "sock", "jeans", "dress"):
        assert category in text
    # the charts are Plotly and the evaluation can be downloaded
    assert page.locator(".js-plotly-plot").count() >= 3
    with page.expect_download() as download:
        page.get_by_role("button", name="Download evaluation JSON").click()
    assert download.value.suggested_filename.startswith("evaluation-")
