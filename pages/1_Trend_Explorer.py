"""Trend Explorer: posts in (demo, file, live crawl or saved), rising colours/styles and the photo scene out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from core.errors import TrendStudioError
from core.settings import Settings
from core.trends import store
from core.trends.analyzers import DEFAULT_ANALYZER, new_analyzer
from core.trends.clean import posts_csv, select
from core.trends.records import to_epoch
from core.trends.report import TrendReport, save_report
from core.trends.sources import ImportResult
from ui import trend_charts as charts
from ui.auth import require_sign_in
from ui.common import demo_dir, page_setup
from ui.llm_panel import render_llm_panel
from ui.safe_text import code, md
from ui.trend_panels import kpis, scene_card, term_tabs
from ui.trend_sources import crawl_options, load_source

SOURCES = ["Demo corpus", "Upload a file", "Live Reddit crawl", "Saved posts"]

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Trend Explorer", "📈")
st.title("📈 Trend Explorer")
st.markdown(
    "What colours, styles, materials, lighting and settings are rising in fashion communities, "
    "with evidence posts, and the photo scene they imply."
)
demo_dir(str(settings.demo_dir))


def run_analysis(posts: list, *, sources: list[str], settings: Settings, progress) -> TrendReport:
    """The one place the page analyses posts (the default analyzer; the panel below adds an LLM)."""
    return (
        new_analyzer(DEFAULT_ANALYZER, settings, workers=1)
        .analyze(posts, sources=sources, progress=progress)
        .report
    )


# ------------------------------------------------------------------ source picker
with st.container(border=True):
    source = st.radio("Posts source", SOURCES, horizontal=True, key="trend_source")
    options: dict = {}
    if source == "Upload a file":
        options["upload"] = st.file_uploader(
            "Reddit/Pushshift/Arctic Shift NDJSON (.jsonl, .ndjson, .json, .zst) or CSV/TSV",
            type=["jsonl", "ndjson", "json", "zst", "csv", "tsv"],
            key="trend_upload",
        )
        options["mapping"] = st.text_input(
            "Column mapping for CSV (optional)",
            placeholder="title=Headline, created_utc=When, subreddit=Forum",
        )
    elif source == "Live Reddit crawl":
        options.update(crawl_options(settings))
    elif source == "Saved posts":
        saved = store.summary(settings)
        if saved.empty:
            st.caption("No saved posts yet.")
        else:
            st.dataframe(saved, hide_index=True, width="stretch")
    keep = st.checkbox(
        "Keep the posts in the local database",
        value=source != "Saved posts",
        disabled=source == "Saved posts",
    )
    if st.button("Load posts", type="primary"):
        try:
            with st.spinner("Reading posts…"):
                result = load_source(source, options, settings)
                if keep and result.posts:
                    store.save_posts(result.posts, result.source, settings)
        except TrendStudioError as exc:
            st.error(str(exc))
        else:
            st.session_state["trend_import"] = result
            st.session_state["trend_load_id"] = st.session_state.get("trend_load_id", 0) + 1
            st.session_state.pop("trend_report", None)

result: ImportResult | None = st.session_state.get("trend_import")
if result is None:
    st.info("Pick a source and press **Load posts** (the demo corpus works offline).")
    st.stop()
if not result.posts:
    st.warning(f"{code(result.source)}: no usable posts ({result.skipped} skipped: {md(result.reasons)}).")
    st.stop()

# ------------------------------------------------------------------ filters
day = timedelta(days=1)
first = datetime.fromtimestamp(min(p.created_utc for p in result.posts), UTC).date()
last = datetime.fromtimestamp(max(p.created_utc for p in result.posts), UTC).date()
all_subs = sorted({p.subreddit for p in result.posts}, key=str.lower)
f1, f2 = st.columns([1, 2])
window = f1.date_input("Date range", (first, last), min_value=first, max_value=last)
subs = f2.multiselect("Subreddits", all_subs, default=all_subs)
start, end = window if isinstance(window, tuple) and len(window) == 2 else (first, last)
since, until = to_epoch(start), to_epoch(end + day)
posts = select(result.posts, since=since, until=until, subreddits=subs)
key = (st.session_state.get("trend_load_id"), since, until, tuple(subs))
if st.session_state.get("trend_report_key") != key:
    bar = st.progress(0.0, "Analysing posts…")
    try:
        report = run_analysis(
            posts, sources=[result.source], settings=settings, progress=lambda f, msg: bar.progress(f, msg)
        )
        save_report(report, None, settings)
    except TrendStudioError as exc:
        bar.empty()
        st.warning(str(exc))
        st.stop()
    bar.empty()
    st.session_state["trend_report"] = report
    st.session_state["trend_report_key"] = key
report: TrendReport = st.session_state["trend_report"]

# ------------------------------------------------------------------ KPIs
kpis(result, report)

# ------------------------------------------------------------------ analyzer: offline, or Groq beside it
render_llm_panel(posts, report, sources=[result.source], settings=settings, key=key)

# ------------------------------------------------------------------ palette + scene
left, right = st.columns([3, 2])
with left:
    st.subheader("Palette")
    if report.colors:
        st.plotly_chart(charts.palette(report), width="stretch", key="te_palette")
        st.caption(
            "Swatches sized by share of colour mentions (engagement-weighted); ▲/▼ momentum versus "
            "the earlier weeks."
        )
    else:
        st.caption("No colour names found in these posts.")
with right, st.container(border=True):
    scene_card(report.scene)

# ------------------------------------------------------------------ rising / falling
st.subheader("Rising and falling")
terms = charts.terms_frame(report)
if report.emerging:
    st.dataframe(
        charts.emerging_frame(report),
        hide_index=True,
        width="stretch",
        column_config={
            "Momentum": st.column_config.NumberColumn(format="%+d%%"),
            "p-value": st.column_config.NumberColumn(format="%.1e"),
        },
    )
else:
    st.caption(
        "No term passes the emergence test (minimum support, momentum and significance, not carried by "
        "a single week) in this window, so the Rising panel is empty; other upward momentum is shown as "
        "not significant."
    )
st.caption(charts.backtest_line(report))
st.plotly_chart(charts.movers(terms, {e.term for e in report.emerging}), width="stretch", key="te_movers")

term_tabs(report, terms, settings)

# ------------------------------------------------------------------ evidence
st.subheader("Evidence posts")
options_by_label = {f"{row.term} ({row.category})": (row.category, row.term) for row in terms.itertuples()}
if options_by_label:
    label = st.selectbox("Term", list(options_by_label))
    category, term = options_by_label[label]
    item = next(t for t in getattr(report, category) if t.name == term)
    st.caption(f"{item.posts} supporting posts; the most engaging, with the words matched:")
    for e in item.evidence:
        st.markdown(charts.evidence_html(e), unsafe_allow_html=True)  # post text escaped in evidence_html

# ------------------------------------------------------------------ downloads
st.subheader("Downloads")
d1, d2 = st.columns(2)
d1.download_button(
    "Report JSON", report.model_dump_json(indent=2), file_name="trend_report.json", mime="application/json"
)
d2.download_button(
    "Posts CSV (by engagement)",
    lambda: posts_csv(posts),
    file_name="posts.csv",
    mime="text/csv",
    on_click="ignore",
)  # built only when asked for
