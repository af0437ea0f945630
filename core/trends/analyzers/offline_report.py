"""The offline analyzer's report half: its aggregates in, a TrendReport out.

Ranked and weak lists per category, the rising terms (core/trends/rising.py's test) with their
backtested track record, pooled weekly series for the charts and the subreddit heatmap
(core/trends/analyzers/offline.py does the matching)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from core.trends import stats
from core.trends.analyzers.aggregates import Aggregates
from core.trends.errors import AnalysisError
from core.trends.lexicon import REPORTED
from core.trends.report import (
    DEFAULT_SCENE,
    Backtest,
    ColorTrend,
    Emerging,
    Meta,
    SubredditTerms,
    TermSeries,
    TermTrend,
    TrendReport,
)
from core.trends.rising import (
    BacktestWindows,
    RisingRule,
    RisingTest,
    WeeklyTables,
    backtest,
    rising_test,
    week_date,
)
from core.trends.scene import derive_scene
from core.trends.topics import find_topics


def build_report(acc: Aggregates, sources: list[str]) -> TrendReport:
    """The report of everything the matching pass aggregated."""
    if acc.seen == 0:
        raise AnalysisError(
            "there are no posts to analyse; import a file, crawl Reddit or use the demo corpus"
        )
    if acc.relevant == 0:
        raise AnalysisError(
            f"none of the {acc.seen:,} posts talk about colours, styles or outfits; "
            "import posts from fashion or design communities"
        )
    weekly = acc.weekly()
    test = rising_test(weekly, RisingRule.from_config(acc.cfg))
    posts = weekly.term_n.sum(axis=1).astype(int)
    split_lists = {c: _ranked(acc, c, weekly.term_w, test.momentum, posts) for c in REPORTED}
    lists = {c: ranked for c, (ranked, _weak) in split_lists.items()}
    weak = {c: items for c, (_kept, items) in split_lists.items() if items}
    supported = {(c, t.name) for c, items in lists.items() for t in items}
    emerging = [e for e in _emerging(acc, weekly, test) if (e.category, e.term) in supported]
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
        topics=find_topics(acc.sample, int(acc.cfg["topics"])),
        scene=DEFAULT_SCENE,
        weeks=[week_date(weekly.w0 + i) for i in range(weekly.n_weeks)],
        series=_series(acc, lists, emerging, weekly),
        subreddits=_subreddits(acc, lists),
        backtest=_backtest(acc, weekly) if acc.cfg.get("backtest", True) else Backtest(),
    )
    return report.model_copy(update={"scene": derive_scene(report, acc.rules)})


def report_backtest(acc: Aggregates) -> Backtest:
    """The backtest of "rising" calls on these aggregates (what `build_report` puts in the report)."""
    return _backtest(acc, acc.weekly())


def _backtest(acc: Aggregates, weekly: WeeklyTables) -> Backtest:
    # only terms the report could rank may be called: not mostly used inside names (support rules)
    eligible = acc.ambiguous < acc.rules.ambiguous_share
    return backtest(
        weekly, RisingRule.from_config(acc.cfg), BacktestWindows.from_config(acc.cfg), eligible=eligible
    )


def _ranked(
    acc: Aggregates, category: str, term_w: np.ndarray, mom: np.ndarray, posts: np.ndarray
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
        is_weak = acc.rules.is_weak(int(posts[tid]), float(acc.ambiguous[tid]))
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


def _emerging(acc: Aggregates, weekly: WeeklyTables, test: RisingTest) -> list[Emerging]:
    out = []
    for tid in sorted(np.flatnonzero(test.passes), key=lambda t: -test.momentum[t]):
        onset = stats.onset_week(weekly.term_n[tid], weekly.total_n)
        category, term = acc.terms[tid]
        out.append(
            Emerging(
                term=term,
                momentum=round(float(test.momentum[tid]), 4),
                first_seen=week_date(weekly.w0 + onset),
                category=category,
                p_value=float(test.p_value[tid]),
            )
        )
    return out


def _top_tids(acc: Aggregates, lists: dict, emerging: list[Emerging], per_category: int) -> list[int]:
    index = {term: i for i, term in enumerate(acc.terms)}
    chosen = [index[(e.category, e.term)] for e in emerging]
    for category, items in lists.items():
        chosen += [index[(category, item.name)] for item in items[:per_category]]
    return list(dict.fromkeys(chosen))


def _series(acc: Aggregates, lists, emerging, weekly: WeeklyTables) -> list[TermSeries]:
    """Weekly shares of the top terms, weeks with few posts pooled, with 95% Wilson intervals."""
    tids = _top_tids(acc, lists, emerging, 6)[: int(acc.cfg["series_terms"])]
    pools = stats.pool_weeks(weekly.total_n, float(acc.cfg["min_week_posts"]))
    pool_total = np.bincount(pools, weights=weekly.total_n)
    out = []
    for t in tids:
        pool_x = np.bincount(pools, weights=weekly.term_n[t], minlength=len(pool_total))
        low, high = stats.wilson_interval(pool_x, pool_total)
        out.append(
            TermSeries(
                term=acc.terms[t][1],
                category=acc.terms[t][0],
                mentions=weekly.term_n[t].astype(int).tolist(),
                rate=np.round(pool_x / np.maximum(pool_total, 1), 5)[pools].tolist(),
                low=np.round(low, 5)[pools].tolist(),
                high=np.round(high, 5)[pools].tolist(),
            )
        )
    return out


def _subreddits(acc: Aggregates, lists) -> list[SubredditTerms]:
    per_sub = acc.posts.groupby("sub")["n"].sum().sort_values(ascending=False)
    tids = _top_tids(acc, lists, [], 4)
    table = acc.matches[acc.matches["tid"].isin(tids)].groupby(["sub", "tid"])["n"].sum()
    out = []
    for sub, n_posts in per_sub.head(int(acc.cfg["heatmap_subreddits"])).items():
        row = table.get(sub) if sub in table.index.get_level_values(0) else None
        mentions = {acc.terms[t][1]: int(row.get(t, 0)) if row is not None else 0 for t in tids}
        out.append(SubredditTerms(subreddit=acc.subreddits[int(sub)], posts=int(n_posts), mentions=mentions))
    return out


def _iso(epoch: int | None) -> str:
    return datetime.fromtimestamp(int(epoch or 0), UTC).date().isoformat()
