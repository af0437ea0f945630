"""Start the real app and open every page as a person would."""

import pytest

from tests.support.browser import assert_no_exception, open_page

pytestmark = pytest.mark.browser

PAGES = [
    ("", "Trend Studio"),
    ("Trend_Explorer", "Trend Explorer"),
    ("Purchase_Predictor", "Purchase Predictor"),
    ("Enhancement_Studio", "Enhancement Studio"),
    ("Batch_Enhancement", "Batch Enhancement"),
]


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_every_page_opens_without_exception(app_url, page, path, heading):
    open_page(page, f"{app_url}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for()
    assert_no_exception(page)
    # the sidebar always says which integrations are active
    assert "Integrations" in page.locator('[data-testid="stSidebar"]').inner_text()
