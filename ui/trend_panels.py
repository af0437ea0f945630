"""The Trend Explorer's panels: KPI row, photo-scene card and the term tabs (kept out of the page so it stays thin)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.settings import Settings
from core.trends.report import Scene, TrendReport
from core.trends.scene import from_posts, source_lines
from core.trends.sources import ImportResult
from core.trends.support import SupportRules
from ui import trend_charts as charts
from ui.handoff import send_scene_to_studio
from ui.safe_text import md
from ui.swatches import show_swatches


def kpis(result: ImportResult, report: TrendReport) -> None:
    """The row of headline numbers: imported, skipped, analysed, weeks, emerging."""
    k1, k2, k3, k4, k5 = st.columns(5)
    k1.metric("Posts imported", f"{len(result.posts):,}")
    k2.metric(
        "Skipped",
        f"{result.skipped:,}",
        help=md(
            "; ".join(
                [", ".join(f"{v} {k}" for k, v in result.reasons.items())]
                + [f"kept with a field dropped: {v} {k}" for k, v in result.fields_dropped.items()]
            ).strip("; ")
        )
        or None,
    )
    k3.metric("Relevant posts analysed", f"{report.meta.relevant_posts or 0:,}")
    k4.metric("Weeks", f"{len(report.weeks):,}", help=" → ".join(report.meta.date_range))
    k5.metric("Emerging terms", len(report.emerging))


def scene_card(scene: Scene) -> None:
    """The photo scene the posts imply: swatches, fields, what backs them, the prompt and the Studio hand-off."""
    st.subheader("Scene for product photos")
    show_swatches(scene.colors, size="44px")
    tag = {f: " · *house default*" for f, src in scene.sources.items() if src.source == "default"}
    st.markdown(
        f"**Setting:** {md(scene.environment)}{tag.get('environment', '')}  \n**Light:** {md(scene.lighting)}"
        f"{tag.get('lighting', '')}  \n**Textures:** {md(', '.join(scene.textures))}{tag.get('textures', '')}  \n"
        f"**Mood:** {md(scene.mood)}{tag.get('mood', '')}"
    )
    with st.expander(f"Backed by the posts: {md(', '.join(from_posts(scene))) or 'nothing (house default)'}"):
        st.markdown(
            "\n".join(f"- **{md(name.capitalize())}** — {md(how)}" for name, how in source_lines(scene))
        )
    st.code(scene.prompt, language=None, wrap_lines=True)
    if st.button("Use in Studio", type="primary", icon="🖼️"):
        send_scene_to_studio(scene.model_dump())


def term_tabs(report: TrendReport, terms: pd.DataFrame, settings: Settings) -> None:
    """Time series, subreddits × terms, topics, all terms and weak terms, one tab each."""
    tab_series, tab_heat, tab_topics, tab_terms, tab_weak = st.tabs(
        ["Time series", "Subreddits × terms", "Topics", "All terms", "Weak terms"]
    )
    columns = {
        "category": "Category",
        "term": "Term",
        "posts": st.column_config.NumberColumn("Posts", help="Supporting posts"),
        "share": st.column_config.ProgressColumn("Share", format="percent", min_value=0, max_value=1),
        "momentum": st.column_config.NumberColumn("Momentum", format="percent"),
        "evidence": "Evidence posts",
    }
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
        st.dataframe(terms, hide_index=True, width="stretch", column_config=columns)
    with tab_weak:
        weak, min_posts = (
            charts.terms_frame(report, weak=True),
            SupportRules.from_settings(settings).min_posts,
        )
        st.caption(
            f'Fewer than {min_posts} supporting posts, or used mostly inside names ("Red Wing", "desert '
            'boots"): listed here only, never ranked, rising or in the scene.'
        )
        if weak.empty:
            st.caption(f"None: every term found has {min_posts}+ supporting posts.")
        else:
            st.dataframe(
                weak.drop(columns="momentum"), hide_index=True, width="stretch", column_config=columns
            )
