"""Trend Explorer: posts in (demo, file, live crawl or saved), rising colours/styles and the photo scene out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from core.errors import TrendStudioError
from core.settings import Settings
from core.trends import store
from core.trends.analyzers import DEFAULT_ANALYZER, new_analyzer
from core.trends.clean import posts_csv, select
from core.trends.report import TrendReport, save_report
from core.trends.sources import ImportResult, load_posts, to_epoch
from ui import trend_charts as charts
from ui.auth import require_sign_in
from ui.common import demo_dir, page_setup
from ui.handoff import send_scene_to_studio
from ui.llm_panel import render_llm_panel
from ui.swatches import show_swatches
from ui.uploads import save_uploads, upload_dir

SOURCES = ["Demo corpus", "Upload a file", "Live Reddit crawl", "Saved posts"]

require_sign_in()  # first: signed-out visitors see only the sign-in screen
settings = page_setup("Trend Explorer", "📈")
st.title("📈 Trend Explorer")
st.markdown("What colours, styles, materials, lighting and settings are rising in fashion communities, "
            "with evidence posts, and the photo scene they imply.")
demo_dir(str(settings.demo_dir))


def run_analysis(posts: list, *, sources: list[str], settings: Settings, progress) -> TrendReport:
    """The one place the page analyses posts (the default analyzer; the panel below adds an LLM)."""
    return new_analyzer(DEFAULT_ANALYZER, settings, workers=1).analyze(posts, sources=sources, progress=progress).report


def _mapping(text: str) -> dict[str, str]:
    pairs = [p.strip() for p in text.split(",") if p.strip()]
    if any("=" not in p for p in pairs):
        raise TrendStudioError("write the column mapping as field=Column pairs, e.g. title=Headline, created_utc=When")
    return {k.strip(): v.strip() for k, v in (p.split("=", 1) for p in pairs)}


def _load(source: str, options: dict) -> ImportResult:
    if source == "Demo corpus":
        return load_posts("demo", settings=settings)
    if source == "Upload a file":
        upload = options["upload"]
        if upload is None:
            raise TrendStudioError("choose a file to upload first")
        path, = save_uploads([upload], upload_dir(settings, "posts"))
        return load_posts(path, mapping=_mapping(options["mapping"]), settings=settings)
    if source == "Live Reddit crawl":
        subs = ",".join(s.strip().removeprefix("r/") for s in options["subs"].split(",") if s.strip())
        return load_posts(f"reddit:{subs}", settings=settings, crawl_options=options["crawl"])
    posts = store.query_posts(settings)
    if not posts:
        raise TrendStudioError("no saved posts yet: load the demo corpus, a file or a crawl with "
                               "'Keep the posts' ticked")
    return ImportResult(posts=posts, skipped=0, reasons={}, source="saved posts")


# ------------------------------------------------------------------ source picker
with st.container(border=True):
    source = st.radio("Posts source", SOURCES, horizontal=True, key="trend_source")
    options: dict = {}
    if source == "Upload a file":
        options["upload"] = st.file_uploader(
            "Reddit/Pushshift/Arctic Shift NDJSON (.jsonl, .ndjson, .json, .zst) or CSV/TSV",
            type=["jsonl", "ndjson", "json", "zst", "csv", "tsv"])
        options["mapping"] = st.text_input("Column mapping for CSV (optional)",
                                           placeholder="title=Headline, created_utc=When, subreddit=Forum")
    elif source == "Live Reddit crawl":
        crawl_cfg = settings.section("trends").get("crawl", {})
        live = next(s for s in settings.integrations() if s.name == "Reddit")
        if not live.enabled:
            st.info(f"Reddit is {live.detail}")
        options["subs"] = st.text_input("Subreddits", ", ".join(crawl_cfg.get("subreddits", [])))
        c1, c2, c3, c4 = st.columns(4)
        options["crawl"] = {
            "listing": c1.selectbox("Listing", ["hot", "top", "new", "rising"]),
            "time_filter": c2.selectbox("Time filter (top)", ["week", "month", "year", "all", "day"], index=1),
            "limit": c3.number_input("Posts per subreddit", 10, 1000, int(crawl_cfg.get("limit", 100)), step=10),
            "comments": c4.number_input("Top comments per post", 0, 50, int(crawl_cfg.get("comments", 5))),
        }
    elif source == "Saved posts":
        saved = store.summary(settings)
        if saved.empty:
            st.caption("No saved posts yet.")
        else:
            st.dataframe(saved, hide_index=True, width="stretch")
    keep = st.checkbox("Keep the posts in the local database", value=source != "Saved posts",
                       disabled=source == "Saved posts")
    if st.button("Load posts", type="primary"):
        try:
            with st.spinner("Reading posts…"):
                result = _load(source, options)
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
    st.warning(f"{result.source}: no usable posts ({result.skipped} skipped: {result.reasons}).")
    st.stop()

# ------------------------------------------------------------------ filters
day = timedelta(days=1)
first = datetime.fromtimestamp(min(p.created_utc for p in result.posts), UTC).date()
last = datetime.fromtimestamp(max(p.created_utc for p in result.posts), UTC).date()
all_subs = sorted({p.subreddit for p in result.posts}, key=str.lower)
f1, f2 = st.columns([1, 2])
window = f1.date_input("Date range", (first, last), min_value=first, max_value=last)
subs = f2.multiselect("Subreddits", all_subs, default=all_subs)
start, end = (window if isinstance(window, tuple) and len(window) == 2 else (first, last))
since, until = to_epoch(start), to_epoch(end + day)
posts = select(result.posts, since=since, until=until, subreddits=subs)
key = (st.session_state.get("trend_load_id"), since, until, tuple(subs))
if st.session_state.get("trend_report_key") != key:
    bar = st.progress(0.0, "Analysing posts…")
    try:
        report = run_analysis(posts, sources=[result.source], settings=settings,
                              progress=lambda f, msg: bar.progress(f, msg))
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
k1, k2, k3, k4, k5 = st.columns(5)
k1.metric("Posts imported", f"{len(result.posts):,}")
k2.metric("Skipped", f"{result.skipped:,}", help=", ".join(f"{v} {k}" for k, v in result.reasons.items()) or None)
k3.metric("Relevant posts analysed", f"{report.meta.relevant_posts or 0:,}")
k4.metric("Weeks", f"{len(report.weeks):,}", help=" → ".join(report.meta.date_range))
k5.metric("Emerging terms", len(report.emerging))

# ------------------------------------------------------------------ analyzer: offline, or Groq beside it
render_llm_panel(posts, report, sources=[result.source], settings=settings, key=key)

# ------------------------------------------------------------------ palette + scene
left, right = st.columns([3, 2])
with left:
    st.subheader("Palette")
    if report.colors:
        st.plotly_chart(charts.palette(report), width="stretch", key="te_palette")
        st.caption("Swatches sized by share of colour mentions (engagement-weighted); ▲/▼ momentum versus "
                   "the earlier weeks.")
    else:
        st.caption("No colour names found in these posts.")
with right, st.container(border=True):
    scene = report.scene
    st.subheader("Scene for product photos")
    show_swatches(scene.colors, size="44px")
    st.markdown(f"**Environment:** {scene.environment}  \n**Lighting:** {scene.lighting}  \n"
                f"**Textures:** {', '.join(scene.textures)}  \n**Mood:** {scene.mood}")
    st.code(scene.prompt, language=None, wrap_lines=True)
    if st.button("Use in Studio", type="primary", icon="🖼️"):
        send_scene_to_studio(scene.model_dump())

# ------------------------------------------------------------------ rising / falling
st.subheader("Rising and falling")
terms = charts.terms_frame(report)
if report.emerging:
    st.dataframe(pd.DataFrame([e.model_dump() for e in report.emerging]), hide_index=True, width="stretch",
                 column_config={"momentum": st.column_config.NumberColumn(format="percent"),
                                "p_value": st.column_config.NumberColumn("p-value", format="%.1e")})
else:
    st.caption("No term passes the emergence test (minimum support, momentum and significance) in this window.")
r1, r2 = st.columns(2)
r1.markdown("**Rising**")
r1.plotly_chart(charts.movers(terms, rising=True), width="stretch", key="te_rising")
r2.markdown("**Falling**")
r2.plotly_chart(charts.movers(terms, rising=False), width="stretch", key="te_falling")

tab_series, tab_heat, tab_topics, tab_terms = st.tabs(["Time series", "Subreddits × terms", "Topics", "All terms"])
with tab_series:
    available = [s.term for s in report.series]
    default = [e.term for e in report.emerging[:3]] or available[:3]
    chosen = st.multiselect("Terms", available, default=default)
    st.plotly_chart(charts.series(report, chosen), width="stretch", key="te_series")
with tab_heat:
    st.plotly_chart(charts.heatmap(report), width="stretch", key="te_heatmap")
with tab_topics:
    if report.topics:
        st.plotly_chart(charts.topics(report), width="stretch", key="te_topics")
    else:
        st.caption("Too few posts for topics.")
with tab_terms:
    st.dataframe(terms, hide_index=True, width="stretch",
                 column_config={"share": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
                                "momentum": st.column_config.NumberColumn(format="percent")})

# ------------------------------------------------------------------ evidence
st.subheader("Evidence posts")
options_by_label = {f"{row.term} ({row.category})": (row.category, row.term) for row in terms.itertuples()}
if options_by_label:
    label = st.selectbox("Term", list(options_by_label))
    category, term = options_by_label[label]
    item = next(t for t in getattr(report, category) if t.name == term)
    st.dataframe(pd.DataFrame([{**e.model_dump(), "created": datetime.fromtimestamp(e.created_utc, UTC).date()}
                               for e in item.evidence]).drop(columns=["created_utc"]),
                 hide_index=True, width="stretch", column_config={"url": st.column_config.LinkColumn("link")})

# ------------------------------------------------------------------ downloads
st.subheader("Downloads")
d1, d2 = st.columns(2)
d1.download_button("Report JSON", report.model_dump_json(indent=2), file_name="trend_report.json",
                   mime="application/json")
d2.download_button("Posts CSV (by engagement)", lambda: posts_csv(posts), file_name="posts.csv",
                   mime="text/csv", on_click="ignore")  # built only when asked for
