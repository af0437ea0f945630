"""What "rising" means, written once: the emergence test on weekly mention tables, and its track record.

The offline report calls a term rising with `rising_test`; `backtest` replays the same test at past
cutoffs of the user's own posts and checks whether each call held (the term's share in the following
window beat its share before the cutoff), beside a naive baseline that calls every term whose share
merely went up. Both work on aggregated (term x week) tables, never on posts, so they cost little and
every analyzer can share them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from core.trends import stats
from core.trends.report import Backtest

_DAY = 86400


def week_of(epoch: np.ndarray) -> np.ndarray:
    """Monday-based week number (1970-01-01 was a Thursday)."""
    return (epoch // _DAY + 3) // 7


def week_date(week: int) -> str:
    """ISO date of the Monday that starts week number `week`."""
    return datetime.fromtimestamp((int(week) * 7 - 3) * _DAY, UTC).date().isoformat()


@dataclass(frozen=True)
class WeeklyTables:
    """Mentions per term and week (`term_n` posts, `term_w` engagement-weighted) and the week totals of
    relevant posts (`total_n`, `total_w`); column 0 is week number `w0`."""

    term_n: np.ndarray
    term_w: np.ndarray
    total_n: np.ndarray
    total_w: np.ndarray
    w0: int

    @property
    def n_weeks(self) -> int:
        return len(self.total_n)

    def upto(self, week: int) -> WeeklyTables:
        """The tables as they stood before week index `week` (what an analyst had at that cutoff)."""
        return WeeklyTables(
            self.term_n[:, :week], self.term_w[:, :week], self.total_n[:week], self.total_w[:week], self.w0
        )


@dataclass(frozen=True)
class RisingRule:
    """The emergence test's thresholds (config/trends.toml [analysis])."""

    recent_fraction: float = 0.3
    min_recent_weeks: int = 2
    min_support: float = 8
    min_momentum: float = 0.5
    alpha: float = 0.001
    prior_mentions: float = 3.0

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> RisingRule:
        return cls(**{k: type(getattr(cls, k))(cfg[k]) for k in cls.__dataclass_fields__ if k in cfg})


@dataclass(frozen=True)
class RisingTest:
    """Per term: momentum, the one-sided p-value of the rise, and whether it passes the emergence test."""

    split: int
    momentum: np.ndarray
    p_value: np.ndarray
    passes: np.ndarray


def rising_test(t: WeeklyTables, rule: RisingRule) -> RisingTest:
    """A term is rising when its recent mention rate is up by `min_momentum`, significantly (`alpha`),
    with `min_support` recent posts, and still significantly up without its single best recent week:
    a rise carried by one week is a spike, not a trend."""
    n_terms = t.term_n.shape[0]
    split = stats.recent_split(t.n_weeks, rule.recent_fraction, rule.min_recent_weeks)
    if split <= 0:
        zeros = np.zeros(n_terms)
        return RisingTest(split, zeros, np.ones(n_terms), zeros.astype(bool))
    relevant = max(float(t.total_n.sum()), 1.0)
    mom = stats.momentum(t.term_w, t.total_w, split, prior=rule.prior_mentions / relevant)
    p = stats.rising_p_value(t.term_n, t.total_n, split)
    support = t.term_n[:, split:].sum(axis=1)
    passes = (support >= rule.min_support) & (mom >= rule.min_momentum) & (p < rule.alpha)
    if passes.any():
        passes = passes & _without_best_week(t, split, rule, relevant)
    return RisingTest(split, mom, p, passes)


def _without_best_week(t: WeeklyTables, split: int, rule: RisingRule, relevant: float) -> np.ndarray:
    """Whether each term's rise still passes (momentum and significance) with its best recent week left out."""
    recent_n, recent_w = t.term_n[:, split:], t.term_w[:, split:]
    rate = recent_n / np.maximum(t.total_n[split:], 1)
    best = np.argmax(rate, axis=1)
    rows = np.arange(len(best))
    x1, n1 = t.term_n[:, :split].sum(axis=1), max(float(t.total_n[:split].sum()), 1.0)
    x2 = recent_n.sum(axis=1) - recent_n[rows, best]
    n2 = np.maximum(t.total_n[split:].sum() - t.total_n[split:][best], 1.0)
    w1 = t.term_w[:, :split].sum(axis=1) / max(float(t.total_w[:split].sum()), 1e-12)
    w2 = (recent_w.sum(axis=1) - recent_w[rows, best]) / np.maximum(
        t.total_w[split:].sum() - t.total_w[split:][best], 1e-12
    )
    prior = rule.prior_mentions / relevant
    mom = (w2 + prior) / (w1 + prior) - 1.0
    return (mom >= rule.min_momentum) & (_p_one_sided(x1, n1, x2, n2) < rule.alpha)


def _p_one_sided(x1: np.ndarray, n1: float, x2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(np.clip(pooled * (1 - pooled) * (1 / n1 + 1 / n2), 1e-18, None))
    z = (x2 / n2 - x1 / n1) / se
    return np.array([0.5 * math.erfc(v / math.sqrt(2.0)) for v in z], dtype=float)


@dataclass(frozen=True)
class BacktestWindows:
    """Cutoffs need `min_history_weeks` before and `window_weeks` after; one every `step_weeks`."""

    min_history_weeks: int = 8
    window_weeks: int = 4
    step_weeks: int = 1

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> BacktestWindows:
        return cls(**{k: int(cfg[k]) for k in cls.__dataclass_fields__ if k in cfg})


def backtest(
    t: WeeklyTables,
    rule: RisingRule,
    windows: BacktestWindows = BacktestWindows(),  # noqa: B008 (frozen)
    eligible: np.ndarray | None = None,
) -> Backtest:
    """Replay the emergence test at every past cutoff with enough history before and a full window
    after; a call holds when the term's share of posts in the window beats its share before the cutoff.
    `eligible` marks terms that may be called at all (the report's support rules: not mostly names)."""
    eligible = np.ones(t.term_n.shape[0], dtype=bool) if eligible is None else eligible
    last = t.n_weeks - windows.window_weeks
    cutoffs = list(range(windows.min_history_weeks, last + 1, max(windows.step_weeks, 1)))
    if not cutoffs:
        return Backtest(window_weeks=windows.window_weeks)
    calls = hits = naive_calls = naive_hits = 0
    for c in cutoffs:
        before = t.upto(c)
        test = rising_test(before, rule)
        share_before = before.term_n.sum(axis=1) / max(float(before.total_n.sum()), 1.0)
        after = slice(c, c + windows.window_weeks)
        share_after = t.term_n[:, after].sum(axis=1) / max(float(t.total_n[after].sum()), 1.0)
        held = share_after > share_before
        seen = before.term_n[:, test.split :].sum(axis=1) > 0
        called = test.passes & eligible
        naive = (test.momentum > 0) & seen & eligible
        calls += int(called.sum())
        hits += int((called & held).sum())
        naive_calls += int(naive.sum())
        naive_hits += int((naive & held).sum())
    return Backtest(
        calls=calls,
        hits=hits,
        hit_rate=round(hits / calls, 4) if calls else None,
        baseline_calls=naive_calls,
        baseline_hits=naive_hits,
        baseline_hit_rate=round(naive_hits / naive_calls, 4) if naive_calls else None,
        cutoffs=[week_date(t.w0 + c) for c in cutoffs],
        enough_history=True,
        window_weeks=windows.window_weeks,
    )
