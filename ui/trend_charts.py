"""Plotly figures for the Trend Explorer, built from a TrendReport (pure functions, no Streamlit)."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from core.trends.lexicon import CATEGORIES
from core.trends.report import TrendReport


def momentum_label(momentum: float) -> str:
    arrow = "▲" if momentum > 0.05 else "▼" if momentum < -0.05 else "■"
    return f"{arrow} {momentum:+.0%}"


def palette(report: TrendReport, n: int = 16) -> go.Figure:
    """Colour swatches sized by share, labelled with momentum."""
    colors = report.colors[:n]
    fig = go.Figure(go.Treemap(
        labels=[c.name for c in colors], parents=[""] * len(colors), values=[c.share for c in colors],
        marker={"colors": [c.hex for c in colors], "line": {"width": 2, "color": "#fbf8f3"}},
        text=[f"{c.hex}<br>{momentum_label(c.momentum)}" for c in colors],
        texttemplate="<b>%{label}</b><br>%{text}", sort=True,
        hovertemplate="%{label}<br>share %{value:.1%}<br>%{text}<extra></extra>",
    ))
    fig.update_layout(margin={"t": 4, "l": 4, "r": 4, "b": 4}, height=320)
    return fig


def terms_frame(report: TrendReport) -> pd.DataFrame:
    """Every ranked term with its category, share, momentum and evidence count."""
    rows = [{"category": cat, "term": t.name, "share": t.share, "momentum": t.momentum, "evidence": len(t.evidence)}
            for cat in CATEGORIES for t in getattr(report, cat)]
    return pd.DataFrame(rows, columns=["category", "term", "share", "momentum", "evidence"])


def movers(frame: pd.DataFrame, *, rising: bool, n: int = 12, min_share: float = 0.01) -> go.Figure:
    """The strongest risers (or fallers) among terms with a non-trivial share."""
    pool = frame[frame["share"] >= min_share]
    pool = pool.nlargest(n, "momentum") if rising else pool.nsmallest(n, "momentum")
    pool = pool[pool["momentum"] > 0] if rising else pool[pool["momentum"] < 0]
    fig = px.bar(pool.iloc[::-1], x="momentum", y="term", color="category", orientation="h",
                 hover_data={"share": ":.1%"}, labels={"momentum": "momentum (recent vs earlier)"})
    fig.update_layout(xaxis_tickformat="+.0%", height=360, margin={"t": 10, "b": 10}, legend_title_text="")
    return fig


def series(report: TrendReport, terms: list[str]) -> go.Figure:
    """Weekly share of relevant posts mentioning each chosen term."""
    rows = [{"week": week, "term": s.term, "rate": rate, "mentions": m}
            for s in report.series if s.term in terms for week, rate, m in zip(report.weeks, s.rate, s.mentions,
                                                                                  strict=False)]
    frame = pd.DataFrame(rows, columns=["week", "term", "rate", "mentions"])
    fig = px.line(frame, x="week", y="rate", color="term", markers=True, hover_data=["mentions"],
                  labels={"rate": "share of posts", "week": "week"})
    fig.update_layout(yaxis_tickformat=".0%", height=360, margin={"t": 10, "b": 10}, legend_title_text="")
    return fig


def heatmap(report: TrendReport, max_terms: int = 20) -> go.Figure:
    """Subreddit x term: share of each subreddit's posts that mention the term."""
    if not report.subreddits:
        return go.Figure()
    terms = list(report.subreddits[0].mentions)[:max_terms]
    z = [[row.mentions.get(t, 0) / max(row.posts, 1) for t in terms] for row in report.subreddits]
    fig = px.imshow(z, x=terms, y=[f"r/{row.subreddit}" for row in report.subreddits], aspect="auto",
                    color_continuous_scale="YlOrBr", labels={"color": "share of posts"})
    fig.update_layout(height=120 + 34 * len(report.subreddits), margin={"t": 10, "b": 10},
                      coloraxis_colorbar_tickformat=".0%")
    return fig


def topics(report: TrendReport) -> go.Figure:
    frame = pd.DataFrame([{"topic": t.label, "share": t.share, "terms": ", ".join(t.terms)} for t in report.topics],
                         columns=["topic", "share", "terms"])
    fig = px.bar(frame.iloc[::-1], x="share", y="topic", orientation="h", hover_data=["terms"])
    fig.update_layout(xaxis_tickformat=".0%", height=80 + 40 * len(frame), margin={"t": 10, "b": 10})
    return fig
