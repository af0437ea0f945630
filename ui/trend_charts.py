"""Plotly figures and small HTML/markdown pieces for the Trend Explorer, built from a TrendReport
(pure functions, no Streamlit)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.trends.clean import valid_url
from core.trends.lexicon import REPORTED
from core.trends.report import Evidence, TrendReport
from ui.safe_text import html_text, plot_text


def momentum_label(momentum: float) -> str:
    arrow = "▲" if momentum > 0.05 else "▼" if momentum < -0.05 else "■"
    return f"{arrow} {momentum:+.0%}" if round(momentum * 100) else f"{arrow} ±0%"


def _ink(hex_colour: str) -> str:
    """Dark or light text, whichever reads on this swatch (relative luminance)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#2b2622" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "#ffffff"


def palette(report: TrendReport, n: int = 16) -> go.Figure:
    """Colour swatches sized by share, labelled with momentum."""
    colors = report.colors[:n]
    fig = go.Figure(
        go.Treemap(
            labels=[plot_text(c.name) for c in colors],
            parents=[""] * len(colors),
            values=[c.share for c in colors],
            marker={"colors": [c.hex for c in colors], "line": {"width": 2, "color": "#fbf8f3"}},
            text=[f"{plot_text(c.hex)}<br>{momentum_label(c.momentum)}" for c in colors],
            textfont={"color": [_ink(c.hex) for c in colors]},
            texttemplate="<b>%{label}</b><br>%{text}",
            sort=True,
            hovertemplate="%{label}<br>share %{value:.1%}<br>%{text}<extra></extra>",
        )
    )
    fig.update_layout(margin={"t": 4, "l": 4, "r": 4, "b": 4}, height=320)
    return fig


CATEGORY_COLORS = dict(zip(REPORTED, px.colors.qualitative.Safe, strict=False))
"""One colour per category in every chart, so one legend reads for all."""
_COLUMNS = ["category", "term", "posts", "share", "momentum", "evidence"]


def terms_frame(report: TrendReport, *, weak: bool = False) -> pd.DataFrame:
    """Every ranked term (or, with weak=True, every under-supported one) with its support."""
    source = (
        ((cat, t) for cat, items in report.weak.items() for t in items)
        if weak
        else ((cat, t) for cat in REPORTED for t in getattr(report, cat))
    )
    rows = [
        {
            "category": cat,
            "term": t.name,
            "posts": t.posts,
            "share": t.share,
            "momentum": t.momentum,
            "evidence": len(t.evidence),
        }
        for cat, t in source
    ]
    return pd.DataFrame(rows, columns=_COLUMNS)


MOVER_PANELS = ("Rising", "Up, not significant", "Falling")
"""The movers chart's panels: only terms that pass the emergence test are under "Rising"."""


def _movers(frame: pd.DataFrame, panel: str, rising: set[str], n: int, min_share: float) -> pd.DataFrame:
    pool = frame[frame["share"] >= min_share]
    called = pool["term"].isin(rising)
    if panel == "Rising":
        pool = frame[frame["term"].isin(rising)].nlargest(n, "momentum")
    elif panel == "Up, not significant":
        pool = pool[~called & (pool["momentum"] > 0)].nlargest(n, "momentum")
    else:
        pool = pool[pool["momentum"] < 0].nsmallest(n, "momentum")
    return pool.iloc[::-1]


def movers(frame: pd.DataFrame, rising: set[str], *, n: int = 12, min_share: float = 0.01) -> go.Figure:
    """Rising terms (those that pass the emergence test), other upward momentum labelled as not
    significant, and fallers, side by side, coloured by category with one shared legend."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=MOVER_PANELS, horizontal_spacing=0.14)
    shown: set[str] = set()
    for col, panel in enumerate(MOVER_PANELS, start=1):
        pool = _movers(frame, panel, rising, n, min_share)
        for category in REPORTED:
            part = pool[pool["category"] == category]
            if part.empty:
                continue
            fig.add_trace(
                go.Bar(
                    x=part["momentum"],
                    y=part["term"].map(plot_text),
                    orientation="h",
                    name=category,
                    legendgroup=category,
                    showlegend=category not in shown,
                    marker_color=CATEGORY_COLORS[category],
                    marker_opacity=0.45 if panel == "Up, not significant" else 1.0,
                    customdata=part[["share", "posts"]],
                    hovertemplate="%{y}: %{x:+.0%}<br>share %{customdata[0]:.1%}, "
                    "%{customdata[1]} posts<extra>" + category + "</extra>",
                ),
                row=1,
                col=col,
            )
            shown.add(category)
        # strongest mover on top, whatever its category
        fig.update_yaxes(
            categoryorder="array", categoryarray=list(pool["term"].map(plot_text)), row=1, col=col
        )
    fig.update_xaxes(tickformat="+.0%", title_text="momentum (recent vs earlier)")
    fig.update_yaxes(automargin=True)
    fig.update_layout(
        height=400, margin={"t": 30, "b": 10}, legend={"orientation": "h", "y": -0.25}, barmode="overlay"
    )
    return fig


def backtest_line(report: TrendReport) -> str:
    """The rising calls' track record in one sentence, or plainly that there is too little history."""
    bt = report.backtest
    if not bt.enough_history:
        return (
            "Track record: too little history to judge past calls (it needs several weeks of posts "
            f"before a cutoff and {bt.window_weeks or 'a few'} weeks after)."
        )
    if not bt.calls:
        naive = f"naive: {bt.baseline_hits} of {bt.baseline_calls}" if bt.baseline_calls else "naive: none"
        return f"Track record: no past rising calls at {len(bt.cutoffs)} cutoffs ({naive} held)."
    return (
        f"Track record: of {bt.calls} past calls, {bt.hits} held ({bt.hit_rate:.0%}); "
        f"naive: {bt.baseline_hits} of {bt.baseline_calls}"
        + (f" ({bt.baseline_hit_rate:.0%})" if bt.baseline_hit_rate is not None else "")
        + f" — replayed at {len(bt.cutoffs)} weekly cutoffs, a call holds when the term's share in the "
        f"next {bt.window_weeks} weeks beats its share before."
    )


def emerging_frame(report: TrendReport) -> pd.DataFrame:
    """The emerging terms as an analyst reads them: momentum in whole percent, readable column names."""
    rows = [
        {
            "Term": e.term,
            "Category": e.category,
            "Momentum": round(e.momentum * 100),
            "Rising since": e.first_seen,
            "p-value": e.p_value,
        }
        for e in report.emerging
    ]
    return pd.DataFrame(rows, columns=["Term", "Category", "Momentum", "Rising since", "p-value"])


def series(report: TrendReport, terms: list[str]) -> go.Figure:
    """Weekly share of relevant posts mentioning each chosen term (weeks with few posts pooled), with
    its 95% interval as a band."""
    fig = go.Figure()
    palette = px.colors.qualitative.Safe
    for i, s in enumerate(x for x in report.series if x.term in terms):
        colour = palette[i % len(palette)]
        weeks = report.weeks[: len(s.rate)]
        if s.low and s.high:
            fig.add_trace(
                go.Scatter(
                    x=weeks + weeks[::-1],
                    y=s.high + s.low[::-1],
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.18,
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=s.term,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=s.rate,
                name=plot_text(s.term),
                legendgroup=s.term,
                mode="lines+markers",
                line={"color": colour},
                customdata=s.mentions,
                hovertemplate="%{x}: %{y:.1%} (%{customdata} posts that week)<extra>" + s.term + "</extra>",
            )
        )
    fig.update_layout(
        yaxis_tickformat=".0%",
        yaxis_title="share of posts",
        height=360,
        margin={"t": 10, "b": 10},
        legend_title_text="",
    )
    return fig


def heatmap(report: TrendReport, max_terms: int = 20) -> go.Figure:
    """Subreddit x term: share of each subreddit's posts that mention the term."""
    if not report.subreddits:
        return go.Figure()
    terms = list(report.subreddits[0].mentions)[:max_terms]
    z = [[row.mentions.get(t, 0) / max(row.posts, 1) for t in terms] for row in report.subreddits]
    fig = px.imshow(
        z,
        x=[plot_text(t) for t in terms],
        y=[f"r/{plot_text(row.subreddit)}" for row in report.subreddits],
        aspect="auto",
        color_continuous_scale="YlOrBr",
        labels={"color": "share of posts"},
    )
    fig.update_xaxes(tickangle=-45, automargin=True)
    fig.update_yaxes(automargin=True)
    fig.update_layout(
        height=220 + 34 * len(report.subreddits),
        margin={"t": 10, "b": 10, "l": 10},
        coloraxis_colorbar_tickformat=".0%",
    )
    return fig


TOPIC_COLOR = "#b5651d"
"""The app's accent colour (.streamlit/config.toml primaryColor)."""


def topics(report: TrendReport) -> go.Figure:
    frame = pd.DataFrame(
        [
            {"topic": plot_text(t.label), "share": t.share, "terms": plot_text(", ".join(t.terms))}
            for t in report.topics
        ],
        columns=["topic", "share", "terms"],
    )
    fig = px.bar(
        frame.iloc[::-1],
        x="share",
        y="topic",
        orientation="h",
        hover_data=["terms"],
        color_discrete_sequence=[TOPIC_COLOR],
    )
    fig.update_layout(xaxis_tickformat=".0%", height=80 + 40 * len(frame), margin={"t": 10, "b": 10})
    return fig


MARK_STYLE = "background:#f3c26b;color:#2b2622;padding:0 .2em;border-radius:3px;font-weight:600"
"""The matched words in an evidence snippet: amber behind dark text, readable on the app's cream page."""


def highlight(snippet: str, match: str, at: int = -1) -> str:
    """HTML for an evidence snippet with the matched words marked (the sense they were used in): at `at`
    when the analyzer recorded it, else the first whole-word occurrence. Post text is escaped: it is
    never markup, so `$20`, `<b>` or `[x](y)` show as written."""
    if not (match and at >= 0 and snippet[at : at + len(match)].lower() == match.lower()):
        found = re.search(rf"(?<!\w){re.escape(match)}(?!\w)", snippet, re.IGNORECASE) if match else None
        at = found.start() if found else -1
    if at < 0:
        return html_text(snippet)
    end = at + len(match)
    return (
        f'{html_text(snippet[:at])}<mark style="{MARK_STYLE}">{html_text(snippet[at:end])}</mark>'
        f"{html_text(snippet[end:])}"
    )


def evidence_html(e: Evidence) -> str:
    """One evidence post as a single HTML block: linked title (http/https links only), subreddit, points,
    date, and the quoted snippet with its match marked; for st.markdown(..., unsafe_allow_html=True)."""
    title = html_text(" ".join((e.title or e.id).split()))
    if valid_url(e.url):  # a report saved before import checks could still hold any URL
        title = f'<a href="{html.escape(e.url, quote=True)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    when = datetime.fromtimestamp(e.created_utc, UTC).date()
    where = f" · r/{html_text(e.subreddit)}" if e.subreddit else ""
    return (
        f'<div class="trend-evidence"><p>{title}{where} · {e.score:,} points · {when}</p>'
        f"<blockquote>{highlight(e.snippet, e.match, e.match_at)}</blockquote></div>"
    )
