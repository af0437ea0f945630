"""In a real browser: train on the demo events, read the verdict, the per-category table and the share
forecast, and draw the accuracy-vs-horizon curve."""

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


def test_train_on_demo_events_and_read_verdict_who_buys_volumes_and_horizon(app_url, page):
    open_page(page, f"{app_url}/Purchase_Predictor")
    expect(page.get_by_text("Apparel purchases", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("synthetic demo events")).to_be_visible()
    page.get_by_text("Training settings").click()
    _set_number(page, "Boosting rounds (max)", "40")
    _set_number(page, "Learning rate", "0.30")
    page.get_by_role("button", name="Train model").click()
    expect(page.get_by_text("Trained and saved model")).to_be_visible(timeout=120_000)
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    # the verdict is in words, and the first one is above the events section (the first screen)
    verdict = page.get_by_text("95% interval").first
    expect(verdict).to_be_visible()
    events_heading = page.get_by_role("heading", name="1 · Events")
    assert verdict.bounding_box()["y"] < events_heading.bounding_box()["y"]
    expect(page.get_by_role("heading", name="Per-category accuracy")).to_be_visible()
    text = page.locator('[data-testid="stTable"]').first.inner_text()
    for column in ("category", "support", "F1 markov", "F1 most browsed", "95% interval", "verdict"):
        assert column in text
    for category in ("shoes", "sock", "jeans", "dress"):
        assert category in text
    # who buys: the gains chart, and the same said in words
    expect(page.get_by_role("heading", name="Who buys in the next 14 days")).to_be_visible()
    expect(page.locator(".js-plotly-plot", has_text="Cumulative gains")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("of customers by score hold").first).to_be_visible()
    # how many: the backtest of both forecasts and which one the campaign uses
    expect(page.get_by_role("heading", name="How many buy what: the volume forecast")).to_be_visible()
    expect(page.get_by_text("Share MAE, naive")).to_be_visible()
    expect(page.get_by_text("Category shares follow").first).to_be_visible()
    page.get_by_role("button", name="Compute accuracy for horizons").click()
    wait_idle(page, timeout=120_000)
    assert_no_exception(page)
    expect(page.locator(".js-plotly-plot", has_text="Accuracy vs horizon")).to_be_visible(timeout=60_000)
    assert page.locator(".js-plotly-plot").count() >= 5
    with page.expect_download() as download:
        page.get_by_role("button", name="Download evaluation JSON").click()
    assert download.value.suggested_filename.startswith("evaluation-")
