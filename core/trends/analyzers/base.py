"""What every trend analyzer is: a small base class and the result type the factory's callers read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.progress import Progress
from core.trends.posts import Post
from core.trends.report import TrendReport


@dataclass(frozen=True)
class Analysis:
    """An analyzer's report, and whether the offline analyzer had to stand in for it."""

    report: TrendReport
    fallback: str | None = None
    """Why the chosen analyzer could not answer, when the offline analyzer ran instead (one line);
    None when the chosen analyzer wrote the report. `report.meta.analyzer` says the same in words."""


class Analyzer:
    """Posts in, `Analysis` out. Subclasses set `name` and `label` and implement `analyze`; the
    optional capabilities (model choice, cost estimate) answer "none" here."""

    name = ""
    label = ""

    def unavailable(self) -> str | None:
        """What the user must set before this analyzer can run; None when it can."""
        return None

    def models(self) -> list[str]:
        """Models the user may choose between (empty: no choice to make)."""
        return []

    @property
    def model(self) -> str | None:
        return None

    def estimate(self, posts: list[Post]) -> dict[str, Any] | None:
        """What a run would send and cost, before running it; None when it costs nothing."""
        return None

    def analyze(
        self, posts: list[Post], *, sources: list[str] | None = None, progress: Progress | None = None
    ) -> Analysis:
        raise NotImplementedError
