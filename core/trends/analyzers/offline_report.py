"""The offline analyzer's report half: the aggregated (week, subreddit, term) tables in, a TrendReport out.

Momentum and rising p-values per term, ranked and weak lists per category, emerging terms, weekly
series for the charts and the subreddit heatmap (core/trends/analyzers/offline.py does the matching)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.trends import stats
from core.trends.errors import AnalysisError
from core.trends.lexicon import REPORTED
from core.trends.report import (
    DEFAULT_SCENE,
    ColorTrend,
    Emerging,
    Meta,
    SubredditTerms,
    TermSeries,
    TermTrend,
    TrendReport,
)
from core.trends.scene import derive_scene
from core.trends.topics import find_topics

if TYPE_CHECKING:
    from core.trends.analyzers.offline import _Accumulator

_DAY = 86400


def week_of(epoch: np.ndarray) -> np.ndarray:
    """Monday-based week number (1970-01-01 was a Thursday)."""
    return (epoch // _DAY + 3) // 7


def _week_date(week: int) -> str:
    return datetime.fromtimestamp((int(week) * 7 - 3) * _DAY, UTC).date().isoformat()


def build_report(acc: _Accumulator, sources: list[str]) -> TrendReport:
    """The report of everything `acc` has aggregated (its tables are compacted first)."""
    if acc.seen == 0:
        raise AnalysisError(
            "there are no posts to analyse; import a file, crawl Reddit or use the demo corpus"
        )
    if acc.relevant == 0:
        raise AnalysisError(
            f"none of the {acc.seen:,} posts talk about colours, styles or outfits; "
            "import posts from fashion or design communities"
        )
    cfg = acc.cfg
    acc.compact()
    posts_df = acc.post_aggs[0].reset_index()
    match_df = acc.match_aggs[0].reset_index()
    w0 = int(posts_df["week"].min())
    n_weeks = int(posts_df["week"].max()) - w0 + 1
    n_terms = len(acc.terms)
    total_n = np.bincount(posts_df["week"] - w0, weights=posts_df["n"], minlength=n_weeks)
    total_w = np.bincount(posts_df["week"] - w0, weights=posts_df["w"], minlength=n_weeks)
    term_n = np.zeros((n_terms, n_weeks))
    term_w = np.zeros((n_terms, n_weeks))
    np.add.at(
        term_n, (match_df["tid"].to_numpy(), match_df["week"].to_numpy() - w0), match_df["n"].to_numpy()
    )
    np.add.at(
        term_w, (match_df["tid"].to_numpy(), match_df["week"].to_numpy() - w0), match_df["w"].to_numpy()
    )
    split = stats.recent_split(n_weeks, float(cfg["recent_fraction"]), int(cfg["min_recent_weeks"]))
    mom = stats.momentum(term_w, total_w, split, prior=float(cfg["prior_mentions"]) / acc.relevant)
    p_rise = stats.rising_p_value(term_n, total_n, split)
    posts = term_n.sum(axis=1).astype(int)
    ambiguous = acc.ambiguous_hits / np.maximum(acc.ambiguous_hits + acc.kept_hits, 1)
    split_lists = {c: _ranked(acc, c, term_w, mom, posts, ambiguous) for c in REPORTED}
    lists = {c: ranked for c, (ranked, _weak) in split_lists.items()}
    weak = {c: items for c, (_kept, items) in split_lists.items() if items}
    supported = {(c, t.name) for c, items in lists.items() for t in items}
    emerging = [
        e
        for e in _emerging(acc, term_n, total_n, mom, p_rise, split, w0)
        if (e.category, e.term) in supported
    ]
    report = TrendReport(
        meta=Meta(
            posts=acc.seen,
            analyzer="offline",
            sources=sources,
            relevant_posts=acc.relevant,
            date_range=[_iso(acc.first), _iso(acc.last)],
        ),
        **lists,
        weak=weak,
        emerging=emerging,
        topics=find_topics(acc.sample, int(cfg["topics"])),
        scene=DEFAULT_SCENE,
        weeks=[_week_date(w0 + i) for i in range(n_weeks)],
        series=_series(acc, lists, emerging, term_n, total_n),
        subreddits=_subreddits(acc, lists, posts_df, match_df),
    )
    return report.model_copy(update={"scene": derive_scene(report, acc.rules)})


def _ranked(
    acc: _Accumulator,
    category: str,
    term_w: np.ndarray,
    mom: np.ndarray,
    posts: np.ndarray,
    ambiguous: np.ndarray,
) -> tuple[list, list]:
    """(ranked, weak) terms of one category; shares are of all its mentions, weak ones included."""
    tids = [i for i, (c, _t) in enumerate(acc.terms) if c == category]
    weights = term_w[tids].sum(axis=1)
    total = weights.sum()
    ranked, weak = [], []
    for j in np.argsort(-weights, kind="stable"):
        if weights[j] <= 0:
            break
        tid = tids[j]
        is_weak = acc.rules.is_weak(int(posts[tid]), float(ambiguous[tid]))
        if len(weak if is_weak else ranked) >= int(acc.cfg["max_terms_per_category"]):
            continue
        name = acc.terms[tid][1]
        fields = {
            "name": name,
            "share": min(float(weights[j] / total), 1.0),
            "momentum": round(float(mom[tid]), 4),
            "posts": int(posts[tid]),
            "evidence": acc.evidence.top(tid),
        }
        item = (
            ColorTrend(hex=acc.lexicon.colors[name], **fields)
            if category == "colors"
            else TermTrend(**fields)
        )
        (weak if is_weak else ranked).append(item)
    return ranked, weak


def _emerging(acc: _Accumulator, term_n, total_n, mom, p_rise, split: int, w0: int) -> list[Emerging]:
    if split <= 0:
        return []
    support = term_n[:, split:].sum(axis=1)
    ok = (
        (support >= float(acc.cfg["min_support"]))
        & (mom >= float(acc.cfg["min_momentum"]))
        & (p_rise < float(acc.cfg["alpha"]))
    )
    out = []
    for tid in sorted(np.flatnonzero(ok), key=lambda t: -mom[t]):
        onset = stats.onset_week(term_n[tid], total_n)
        category, term = acc.terms[tid]
        out.append(
            Emerging(
                term=term,
                momentum=round(float(mom[tid]), 4),
                first_seen=_week_date(w0 + onset),
                category=category,
                p_value=float(p_rise[tid]),
            )
        )
    return out


def _top_tids(acc: _Accumulator, lists: dict, emerging: list[Emerging], per_category: int) -> list[int]:
    index = {term: i for i, term in enumerate(acc.terms)}
    chosen = [index[(e.category, e.term)] for e in emerging]
    for category, items in lists.items():
        chosen += [index[(category, item.name)] for item in items[:per_category]]
    return list(dict.fromkeys(chosen))


def _series(acc: _Accumulator, lists, emerging, term_n, total_n) -> list[TermSeries]:
    tids = _top_tids(acc, lists, emerging, 6)[: int(acc.cfg["series_terms"])]
    safe = np.maximum(total_n, 1)
    return [
        TermSeries(
            term=acc.terms[t][1],
            category=acc.terms[t][0],
            mentions=term_n[t].astype(int).tolist(),
            rate=np.round(term_n[t] / safe, 5).tolist(),
        )
        for t in tids
    ]


def _subreddits(
    acc: _Accumulator, lists, posts_df: pd.DataFrame, match_df: pd.DataFrame
) -> list[SubredditTerms]:
    names = {i: s for s, i in acc.subs.items()}
    per_sub = posts_df.groupby("sub")["n"].sum().sort_values(ascending=False)
    tids = _top_tids(acc, lists, [], 4)
    table = match_df[match_df["tid"].isin(tids)].groupby(["sub", "tid"])["n"].sum()
    out = []
    for sub, n_posts in per_sub.head(int(acc.cfg["heatmap_subreddits"])).items():
        row = table.get(sub) if sub in table.index.get_level_values(0) else None
        mentions = {acc.terms[t][1]: int(row.get(t, 0)) if row is not None else 0 for t in tids}
        out.append(SubredditTerms(subreddit=names[int(sub)], posts=int(n_posts), mentions=mentions))
    return out


def _iso(epoch: int | None) -> str:
    return datetime.fromtimestamp(int(epoch or 0), UTC).date().isoformat()
