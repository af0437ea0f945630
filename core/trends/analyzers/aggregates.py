"""What the offline analyzer's matching pass leaves behind: bounded aggregates, never the posts.

`offline.py` fills them from a stream of posts; `offline_report.py` turns them into a TrendReport.
Both import this module, neither imports the other's internals, so the arrows run one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.trends.evidence import EvidenceKeeper
from core.trends.lexicon import Lexicon
from core.trends.rising import WeeklyTables
from core.trends.support import SupportRules


@dataclass(frozen=True)
class Aggregates:
    """(week, subreddit[, term]) tables, sense counts, a bounded evidence keeper and topic sample."""

    lexicon: Lexicon
    terms: list[tuple[str, str]]
    """(category, term) per term id."""
    cfg: dict[str, Any]
    rules: SupportRules
    subreddits: dict[int, str]
    posts: pd.DataFrame
    """Relevant posts per (week, sub): columns week, sub, n (posts), w (engagement weight)."""
    matches: pd.DataFrame
    """Supporting posts per (week, sub, tid): columns week, sub, tid, n, w."""
    ambiguous: np.ndarray
    """Per term: the share of its occurrences read in another sense (names, garment modifiers)."""
    evidence: EvidenceKeeper
    sample: list[str]
    seen: int
    relevant: int
    first: int | None
    last: int | None

    def weekly(self) -> WeeklyTables:
        """Term x week mention tables over every week from the first to the last relevant post."""
        w0 = int(self.posts["week"].min())
        n_weeks = int(self.posts["week"].max()) - w0 + 1
        week = self.posts["week"].to_numpy() - w0
        total_n = np.bincount(week, weights=self.posts["n"], minlength=n_weeks)
        total_w = np.bincount(week, weights=self.posts["w"], minlength=n_weeks)
        shape = (len(self.terms), n_weeks)
        index = (self.matches["tid"].to_numpy(), self.matches["week"].to_numpy() - w0)
        term_n, term_w = np.zeros(shape), np.zeros(shape)
        np.add.at(term_n, index, self.matches["n"].to_numpy())
        np.add.at(term_w, index, self.matches["w"].to_numpy())
        return WeeklyTables(term_n, term_w, total_n, total_w, w0)
