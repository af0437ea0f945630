"""Small helpers for driving a Streamlit page in Playwright."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def open_page(page: Page, url: str) -> None:
    """Go to a page and wait until Streamlit has finished its first run."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    wait_idle(page)


def wait_idle(page: Page, timeout: float = 60_000) -> None:
    """Wait for the script run to finish (the status widget stops saying 'Running')."""
    page.wait_for_timeout(300)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=timeout)


def assert_no_exception(page: Page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()
