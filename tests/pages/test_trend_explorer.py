"""AppTest for the Trend Explorer page: demo flow, filters, live crawl via the fake server, errors."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from core import PROJECT_ROOT
from core.imaging.scene import suggest_style
from core.settings import load_settings
from core.trends import store
from core.trends.report import Evidence
from core.trends.sources import load_posts
from tests.fakes.reddit import CLIENT_ID, CLIENT_SECRET, fake_reddit
from ui.trend_charts import evidence_html

PAGE = "pages/1_Trend_Explorer.py"


def _open() -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "Home.py"), default_timeout=90).run()
    return at.switch_page(PAGE).run()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.fixture(scope="module")
def loaded(demo_dir) -> AppTest:
    at = _open()
    assert not at.exception
    assert "Load posts" in at.info[0].value
    _button(at, "Load posts").click().run()
    assert not at.exception
    return at


def test_demo_corpus_gives_kpis_palette_emerging_and_downloads(loaded):
    metrics = {m.label: m.value for m in loaded.metric}
    assert metrics["Posts imported"] == "2,879" and metrics["Skipped"] == "3"
    assert metrics["Emerging terms"] == "3" and metrics["Weeks"] == "27"
    assert [s.value for s in loaded.subheader] == [
        "Palette",
        "Scene for product photos",
        "Rising and falling",
        "Evidence posts",
        "Downloads",
    ]
    emerging = loaded.dataframe[0].value
    assert set(emerging["Term"][:3]) == {"butter yellow", "gorpcore", "suede"}
    report = loaded.session_state["trend_report"]
    assert report.scene.colors[0] == "#f6e08a"
    assert any("background:#f6e08a" in m.value for m in loaded.markdown)  # the scene swatch
    saved = json.loads(load_settings().latest_report_path.read_text())
    assert saved["scene"] == report.scene.model_dump()
    assert (
        len(loaded.get("plotly_chart")) >= 5
    )  # palette, rising+falling (one legend), series, heatmap, topics
    # the scene says which fields the posts back; evidence shows the matched words in their snippet
    assert any(e.label.startswith("Backed by the posts: palette") for e in loaded.expander)
    assert any("**Setting** — house default \\(no clear leader" in m.value for m in loaded.markdown)
    term = loaded.selectbox[0].value.split(" (")[0]
    marked = [
        re.search(r"<mark[^>]*>([^<]*)</mark>", m.value) for m in loaded.markdown if "<blockquote>" in m.value
    ]
    assert len(marked) == 5 and all(m and m.group(1).lower() == term for m in marked)
    assert any("supporting posts" in c.value for c in loaded.caption)


def test_weak_terms_and_brands_are_listed_apart(loaded):
    report = loaded.session_state["trend_report"]
    ranked = {(c, t.name) for c in ("colors", "styles", "environments") for t in getattr(report, c)}
    assert all(t.posts >= 3 for c in ("colors", "styles") for t in getattr(report, c))
    assert not ranked & {(c, t.name) for c, items in report.weak.items() for t in items}
    frames = [d.value for d in loaded.dataframe]
    assert any("posts" in f.columns and set(f["category"]) >= {"colors", "styles"} for f in frames)


def test_filters_reanalyse_the_window(loaded):
    before = loaded.session_state["trend_report"]
    loaded.multiselect[0].set_value(["fashion", "streetwear"]).run()
    after = loaded.session_state["trend_report"]
    assert not loaded.exception
    assert after.meta.posts < before.meta.posts / 2
    assert {s.subreddit for s in after.subreddits} == {"fashion", "streetwear"}


def test_use_in_studio_hands_the_scene_over(loaded):
    _button(loaded, "Use in Studio").click().run()
    assert loaded.session_state["studio_scene"] == loaded.session_state["trend_report"].scene.model_dump()
    assert loaded.title[0].value.endswith("Enhancement Studio")
    assert any(
        "Scene from the Trend Explorer" in c.value and "butter yellow" in c.value for c in loaded.caption
    )
    scene = loaded.session_state["trend_report"].scene
    assert loaded.radio(key="studio_style").value == suggest_style(scene.model_dump())


def test_the_handed_style_follows_the_scene_setting_before_its_textures():
    assert suggest_style({"environment": "studio", "textures": ["linen", "cotton"]}) == "studio"
    assert suggest_style({"environment": "concrete loft", "textures": ["linen"]}) == "concrete"
    assert suggest_style({"environment": "beach", "textures": ["linen"]}) == "linen"  # no style named


def test_live_crawl_without_keys_and_with_the_fake_server(demo_dir, monkeypatch):
    at = _open()
    at.radio[0].set_value("Live Reddit crawl").run()
    assert "REDDIT_CLIENT_ID" in at.info[0].value
    _button(at, "Load posts").click().run()
    assert "REDDIT_CLIENT_ID" in at.error[0].value
    with fake_reddit() as server:
        for name, value in (
            ("REDDIT_CLIENT_ID", CLIENT_ID),
            ("REDDIT_CLIENT_SECRET", CLIENT_SECRET),
            ("REDDIT_API_URL", server.url),
        ):
            monkeypatch.setenv(name, value)
        at.text_input[0].set_value("femalefashionadvice, streetwear").run()
        _button(at, "Load posts").click().run()
    assert not at.exception and not at.error
    # five posts per subreddit (each fake subreddit's AutoModerator post is dropped as a bot)
    assert {m.label: m.value for m in at.metric}["Posts imported"] == "10"
    assert {p.subreddit for p in at.session_state["trend_import"].posts} == {
        "femalefashionadvice",
        "streetwear",
    }
    assert at.session_state["trend_report"].colors


def test_saved_posts_source_reads_the_database(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    at = _open()
    at.radio[0].set_value("Saved posts").run()
    _button(at, "Load posts").click().run()
    assert "no saved posts yet" in at.error[0].value
    store.save_posts(load_posts("demo").posts[:700], "demo", load_settings())
    _button(at, "Load posts").click().run()
    assert not at.error and {m.label: m.value for m in at.metric}["Posts imported"] == "700"


def test_evidence_shows_post_text_as_written_and_links_only_to_the_web():
    evidence = Evidence(
        id="x1",
        title="$20 [deal](javascript:alert(1)) <b>",
        url="javascript:alert(1)",
        subreddit="frugalmalefashion",
        score=1200,
        snippet="under $20: <b>navy</b> chinos",
        match="navy",
    )
    shown = evidence_html(evidence)
    assert "<a " not in shown and "&lt;b&gt;" in shown and "<b>" not in shown
    assert "<mark" in shown and ">navy</mark>" in shown and "1,200 points" in shown
    linked = evidence_html(evidence.model_copy(update={"url": "https://www.reddit.com/r/x/comments/x1/"}))
    assert '<a href="https://www.reddit.com/r/x/comments/x1/"' in linked


def _figure(at: AppTest, key: str) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))
    return json.loads(chart.proto.spec)


@pytest.fixture(scope="module")
def explorer(demo_dir) -> AppTest:
    """The page with the demo loaded (apart from `loaded`, which other tests move to the Studio)."""
    at = _open()
    _button(at, "Load posts").click().run()
    assert not at.exception
    return at


def test_rising_panel_holds_only_emerging_terms_beside_their_track_record(explorer):
    report = explorer.session_state["trend_report"]
    fig = _figure(explorer, "te_movers")
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == ["Rising", "Up, not significant", "Falling"]
    by_axis: dict[str, set[str]] = {}
    for trace in fig["data"]:
        by_axis.setdefault(trace.get("xaxis", "x"), set()).update(trace["y"])
    emerging = {e.term for e in report.emerging}
    assert by_axis["x"] == emerging == {"butter yellow", "gorpcore", "suede"}
    assert not by_axis.get("x2", set()) & emerging  # other momentum is labelled as not significant
    bt = report.backtest
    line = next(c.value for c in explorer.caption if c.value.startswith("Track record"))
    assert f"of {bt.calls} past calls, {bt.hits} held" in line
    assert f"naive: {bt.baseline_hits} of {bt.baseline_calls}" in line
    assert bt.hit_rate > bt.baseline_hit_rate


def test_weekly_share_lines_carry_an_interval_band(explorer):
    fig = _figure(explorer, "te_series")
    bands = [t for t in fig["data"] if t.get("fill") == "toself"]
    lines = [t for t in fig["data"] if t.get("mode") == "lines+markers"]
    assert bands and len(bands) == len(lines)
    assert all(max(t["y"]) < 1.0 for t in lines)


def test_an_upload_over_the_size_cap_is_refused_with_a_clear_message(demo_dir, tmp_path, monkeypatch):
    import zstandard

    from core.settings import Settings

    monkeypatch.setenv("TRENDSTUDIO_DATA", str(tmp_path))
    real = Settings.section

    def capped(self, name):
        section = real(self, name)
        return {**section, "max_upload_mb": 1} if name == "trends" else section

    monkeypatch.setattr(Settings, "section", capped)
    line = json.dumps({"id": "x", "title": "a", "created_utc": 1767571200, "selftext": "z" * 4000}) + "\n"
    bomb = zstandard.ZstdCompressor(level=19).compress(line.encode() * 1000)  # ~4 MB once inflated
    at = _open()
    at.radio[0].set_value("Upload a file").run()
    at.file_uploader(key="trend_upload").set_value(("bomb.ndjson.zst", bomb, "application/zstd")).run()
    _button(at, "Load posts").click().run()
    assert not at.exception
    assert any("larger than 1 MB once decompressed" in e.value for e in at.error)
    assert "trend_import" not in at.session_state
