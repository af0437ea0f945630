"""A person loads the demo corpus, sees the palette and opens the scene in the Studio."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_exception, open_page, wait_idle, wait_rerun

pytestmark = pytest.mark.browser


def test_demo_palette_and_use_in_studio(app_url, page):
    open_page(page, f"{app_url}/Trend_Explorer")
    page.get_by_role("button", name="Load posts").click()
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Palette")).to_be_visible(timeout=30_000)
    palette = page.locator('[data-testid="stPlotlyChart"]').first
    expect(palette.locator("text=butter yellow").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Posts imported")).to_be_visible(timeout=30_000)
    scene = page.locator('span[title="#f6e08a"]')
    expect(scene).to_have_count(1, timeout=30_000)
    page.get_by_role("button", name="Use in Studio").click()
    page.wait_for_url("**/Enhancement_Studio")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Enhancement Studio").first).to_be_visible(timeout=30_000)
    # the Studio really uses the handed-over scene (its prompt names the rising colour)
    expect(page.get_by_text("Scene from the Trend Explorer")).to_contain_text("butter yellow", timeout=30_000)
    # and says which scene fields the posts back and which are the house default
    expect(page.get_by_text("From the posts: palette, textures, mood.")).to_contain_text(
        "House default: setting (no clear leader", timeout=30_000
    )
    assert_no_exception(page)


def test_uploaded_csv_with_bad_rows_is_analysed_and_counted(app_url, page, tmp_path):
    rows = ["title,selftext,score,created_utc"]
    rows += [
        f'"My butter yellow suede jacket {i}",Shot in golden hour at a cafe,{i},{1790000000 + i * 86400}'
        for i in range(60)
    ]
    rows += ["broken row without enough columns", "another,bad,row,not-a-date"]
    path = tmp_path / "streetwear.csv"
    path.write_text("\n".join(rows) + "\n")
    open_page(page, f"{app_url}/Trend_Explorer")
    page.get_by_text("Upload a file").click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    expect(page.get_by_role("button", name="Remove streetwear.csv")).to_be_visible(timeout=30_000)  # uploaded
    wait_rerun(page)
    page.get_by_role("button", name="Load posts").click()
    wait_idle(page)
    assert_no_exception(page)
    metrics = page.locator('[data-testid="stMetric"]')
    expect(metrics.filter(has_text="Posts imported")).to_contain_text("60", timeout=30_000)
    expect(metrics.filter(has_text="Skipped")).to_contain_text("2", timeout=30_000)
    expect(page.locator('span[title="#f6e08a"]')).to_have_count(
        1, timeout=30_000
    )  # butter yellow leads the scene palette


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


def test_scene_sources_evidence_highlight_and_one_legend(app_url, page, tmp_path):
    open_page(page, f"{app_url}/Trend_Explorer")
    page.get_by_role("button", name="Load posts").click()
    wait_idle(page)
    assert_no_exception(page)
    page.get_by_text("Backed by the posts: palette").click()
    expect(page.get_by_text(re.compile(r"house default \(no clear leader")).first).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_text(re.compile(r"^\d+ supporting posts; the most engaging"))).to_be_visible(
        timeout=30_000
    )
    # the matched words of each evidence snippet are marked, and the mark stands out from the page
    term = (
        page.get_by_test_id("stSelectbox").locator("input").input_value().split(" (")[0]
    )  # "black (colors)"
    marks = page.locator("blockquote mark")
    expect(marks.first).to_be_visible(timeout=30_000)
    assert {t.strip().lower() for t in marks.all_inner_texts()} == {term}
    mark_bg = _rgb(marks.first.evaluate("e => getComputedStyle(e).backgroundColor"))
    page_bg = _rgb(page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor"))
    assert sum((a - b) ** 2 for a, b in zip(mark_bg, page_bg, strict=True)) ** 0.5 > 60, (mark_bg, page_bg)
    # rising and falling share one legend: each category once
    movers = page.locator('[data-testid="stPlotlyChart"]').nth(1)
    expect(movers.locator("text=Rising").first).to_be_visible(timeout=30_000)
    expect(movers.locator("text=Falling").first).to_be_visible(timeout=30_000)
    legend = movers.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")  # SVG text
    assert legend and len(legend) == len(set(legend)) and "colors" in legend
    page.screenshot(path=str(tmp_path / "trend_explorer.png"), full_page=True)
