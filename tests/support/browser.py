"""Small helpers for driving a Streamlit page in Playwright."""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import Page, expect

_APP = '[data-testid="stApp"]'
_STATE = "data-test-script-state"  # Streamlit's own: initial, running, rerunRequested, notRunning, ...
_DONE = re.compile(r"^(notRunning|compilationError)$")


def open_page(page: Page, url: str) -> None:
    """Go to a page and wait until Streamlit has finished its first run."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    wait_idle(page)


def wait_idle(page: Page, timeout: float = 60_000) -> None:
    """Wait for the script run to finish. The app root's script state says so; the status widget alone
    does not, because it shows nothing during a cold first run (on a loaded machine 10 s and more of
    imports before the first element, which the sign-in test once took for the finished page)."""
    page.wait_for_timeout(300)
    expect(page.locator(_APP)).to_have_attribute(_STATE, _DONE, timeout=timeout)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=timeout)


def wait_rerun(page: Page, timeout: float = 120_000) -> None:
    """After an action that reruns the script: wait for the run to start (on a loaded machine it can
    start later than `wait_idle`'s first look), then for it to finish."""
    with contextlib.suppress(AssertionError):  # the run was over before we looked
        expect(page.locator(_APP)).not_to_have_attribute(_STATE, _DONE, timeout=5_000)
    wait_idle(page, timeout=timeout)


def assert_no_exception(page: Page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def brush_remove_stroke(page: Page) -> None:
    """Open the Studio's brush, choose "Remove from product" and drag one horizontal stroke across the
    middle of the canvas; returns once the page says the corrections were applied. A stroke drawn
    before the canvas component has loaded is lost (on a loaded machine it can take longer than the
    pause below), so, as a person would, draw it again, up to three times."""
    page.get_by_text("Correct the mask with a brush").click()
    page.get_by_text("Remove from product", exact=True).click()
    wait_idle(page)
    canvas = page.locator("canvas").last
    canvas.wait_for()
    canvas.scroll_into_view_if_needed()
    page.wait_for_timeout(2_000)  # let Fabric.js load the cut-out behind the canvas
    applied = page.get_by_text("Corrections applied")
    for attempt in range(3):
        box = canvas.bounding_box()
        assert box and box["width"] > 100
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + attempt * 0.05 * box["height"]
        page.mouse.move(cx - box["width"] * 0.3, cy)
        page.mouse.down()
        for i in range(1, 21):
            page.mouse.move(cx - box["width"] * 0.3 + i * box["width"] * 0.03, cy, steps=2)
        page.mouse.up()
        with contextlib.suppress(AssertionError):
            expect(applied).to_be_visible(timeout=30_000)
            return
    expect(applied).to_be_visible(timeout=60_000)
