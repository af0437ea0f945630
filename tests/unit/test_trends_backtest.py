"""One truth about rising: the emergence test, its backtested track record, pooled weekly shares."""

import numpy as np
import pytest

from core.demo.posts import planted_truth
from core.trends import stats
from core.trends.analyzers.offline import analyze, backtest_posts
from core.trends.posts import Post
from core.trends.rising import BacktestWindows, RisingRule, WeeklyTables, backtest, rising_test
from core.trends.sources import load_posts

WEEK = 7 * 86400
START = 1_767_571_200  # Monday 2026-01-05
FLAT = ["burgundy", "olive", "camel", "charcoal", "ivory", "navy", "black", "white"]


def _corpus(weeks: int = 26, per_week: int = 200, seed: int = 7) -> list[Post]:
    """Flat background colours, `sage green` rising steadily, `cobalt blue` spiking in week 15 only."""
    rng = np.random.default_rng(seed)
    posts = []
    for week in range(weeks):
        rise = 0.02 + 0.2 * week / (weeks - 1)
        spike = 0.45 if week == 15 else 0.02
        for i in range(per_week):
            colours = [c for c in FLAT if rng.random() < 0.08]
            if rng.random() < rise:
                colours.append("sage green")
            if rng.random() < spike:
                colours.append("cobalt blue")
            colours = colours or ["grey"]
            text = ". ".join(f"Wearing a {c} jacket today" for c in colours)
            posts.append(
                Post(
                    id=f"w{week}p{i}",
                    subreddit="femalefashionadvice",
                    title=f"Outfit {week}-{i}",
                    text=text,
                    score=int(rng.integers(0, 50)),
                    created_utc=START + week * WEEK + int(rng.integers(0, WEEK)),
                )
            )
    return posts


@pytest.fixture(scope="module")
def synthetic_report():
    return analyze(_corpus(), sources=["synthetic"], workers=1)


def test_steady_riser_is_called_and_the_one_week_spike_is_not(synthetic_report):
    emerging = {e.term for e in synthetic_report.emerging}
    assert "sage green" in emerging
    assert "cobalt blue" not in emerging
    assert not emerging & set(FLAT)


def test_backtest_on_a_steady_riser_and_a_spike_beats_the_naive_baseline(synthetic_report):
    bt = synthetic_report.backtest
    assert bt.enough_history
    assert len(bt.cutoffs) == 26 - 8 - 4 + 1  # 8 weeks of history, a 4-week window after
    assert bt.calls > 0 and 0 <= bt.hits <= bt.calls
    assert bt.hit_rate == pytest.approx(bt.hits / bt.calls, abs=1e-4)
    assert bt.hit_rate >= 0.6
    assert bt.baseline_hit_rate is not None and bt.hit_rate > bt.baseline_hit_rate
    assert bt.baseline_calls > bt.calls  # naive calls every term whose share went up


def test_too_little_history_gives_no_calls_and_null_rates():
    report = analyze(_corpus(weeks=6), workers=1)
    bt = report.backtest
    assert (bt.calls, bt.hits, bt.hit_rate, bt.baseline_hit_rate) == (0, 0, None, None)
    assert bt.enough_history is False and bt.cutoffs == []


def test_backtest_posts_matches_the_report(synthetic_report):
    """What the Groq analyzer borrows is the offline report's own backtest."""
    assert backtest_posts(_corpus(), settings=None) == synthetic_report.backtest


def test_demo_planted_trends_are_called_with_a_track_record_that_beats_naive(demo_dir):
    report = analyze(load_posts("demo").posts, workers=1)
    rising = {t for t, v in planted_truth().items() if v["kind"] == "rising"}
    assert rising <= {e.term for e in report.emerging}
    bt = report.backtest
    assert bt.enough_history and bt.calls >= 10
    assert bt.hit_rate >= 0.8 and bt.hit_rate > bt.baseline_hit_rate + 0.2


def test_a_single_week_spike_fails_the_test_without_its_best_week():
    totals = np.full(20, 100.0)
    spike = np.array([2.0] * 18 + [40.0, 2.0])
    steady = np.array([2.0] * 14 + [8.0, 9.0, 10.0, 11.0, 12.0, 13.0])
    n = np.vstack([spike, steady])
    tables = WeeklyTables(n, n.copy(), totals, totals.copy(), 0)
    test = rising_test(tables, RisingRule(prior_mentions=0.0))
    assert test.p_value[0] < 1e-6  # the spike alone is "significant"...
    assert list(test.passes) == [False, True]  # ...but not a trend


def test_backtest_counts_held_calls_against_the_window_after():
    totals = np.full(16, 100.0)
    up_then_down = np.array([2.0] * 6 + [10.0, 12.0] + [0.0] * 8)  # called at cutoff 8, then collapses
    n = up_then_down[None, :]
    tables = WeeklyTables(n, n.copy(), totals, totals.copy(), 0)
    bt = backtest(tables, RisingRule(prior_mentions=0.0), BacktestWindows(8, 4, 1))
    assert bt.cutoffs and bt.calls >= 1 and bt.hits == 0 and bt.hit_rate == 0.0


def test_weekly_shares_with_few_posts_are_pooled_and_carry_an_interval():
    totals = np.array([1.0, 50.0, 2.0, 3.0, 40.0, 1.0])
    pools = stats.pool_weeks(totals, 20)
    assert list(pools) == [0, 0, 1, 1, 1, 1]  # the short last pool joins the one before
    low, high = stats.wilson_interval(np.array([1.0]), np.array([1.0]))
    assert 0.15 < low[0] < 0.25 and high[0] == 1.0


def test_report_series_never_show_one_post_as_a_full_share(synthetic_report):
    for s in synthetic_report.series:
        assert len(s.rate) == len(s.low) == len(s.high) == len(synthetic_report.weeks)
        assert all(lo <= r <= hi for r, lo, hi in zip(s.rate, s.low, s.high, strict=True))
    busy = [
        Post(
            id=f"b{w}-{i}",
            subreddit="a",
            title="sage green jacket" if i < 3 else "grey coat outfit",
            created_utc=START + w * WEEK + i,
        )
        for w in range(10)
        for i in range(30)
    ]
    lonely = Post(id="lone", subreddit="a", title="sage green jacket", created_utc=START + 10 * WEEK)
    report = analyze([*busy, lonely], workers=1)
    (sage,) = [s for s in report.series if s.term == "sage green"]
    assert sage.mentions[-1] == 1 and sage.rate[-1] == pytest.approx(4 / 31, abs=1e-4)  # pooled, not 100%
    assert sage.low[-1] < sage.rate[-1] < sage.high[-1] < 0.35


def test_the_groq_analyzer_reports_the_same_backtest_from_the_posts(tmp_path):
    from tests.fakes.groq import FakeGroq
    from tests.support.llm import LEXICON, analyze_with_groq, demo_posts, groq_settings

    posts = demo_posts(400)
    with FakeGroq() as fake:
        settings = groq_settings(fake.base_url, tmp_path, analysis={"chunk_tokens": 4000})
        report = analyze_with_groq(posts, settings, lexicon=LEXICON)
    assert report.meta.analyzer.startswith("groq:")
    assert report.backtest.enough_history
    assert report.backtest == backtest_posts(posts, settings=settings)


def test_the_page_line_says_plainly_when_there_is_too_little_history(synthetic_report):
    from ui.trend_charts import backtest_line

    short = analyze(_corpus(weeks=6), workers=1)
    assert backtest_line(short).startswith("Track record: too little history to judge past calls")
    bt = synthetic_report.backtest
    line = backtest_line(synthetic_report)
    assert f"of {bt.calls} past calls, {bt.hits} held" in line
    assert f"naive: {bt.baseline_hits} of {bt.baseline_calls}" in line
