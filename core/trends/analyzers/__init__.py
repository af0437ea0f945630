"""Trend analyzers behind one factory: `new_analyzer(name, settings)` (rembg's `new_session` shape).

- `offline`: the lexicon analyzer (`offline.py`); no key, no network, the default.
- `groq`: a Groq LLM writes the same report (`groq/`: client, prompt, merge, models, errors); when it
  cannot, the offline report stands in and `Analysis.fallback` says why.

Callers (CLI, campaign, pages) pick by name and read `Analysis`; they never branch on the backend.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.errors import ConfigError
from core.progress import Progress
from core.settings import Settings
from core.trends.analyzers.base import Analysis, Analyzer
from core.trends.posts import Post

__all__ = ["ANALYZERS", "DEFAULT_ANALYZER", "Analysis", "Analyzer", "new_analyzer"]

ANALYZERS = ("offline", "groq")
DEFAULT_ANALYZER = "offline"


class OfflineAnalyzer(Analyzer):
    """The lexicon analyzer (`offline.analyze`); `workers` as there (None: config/trends.toml). It
    streams: posts may be any iterable (a generator over a huge dump), never held all at once."""

    name = "offline"
    label = "Offline"

    def __init__(self, settings: Settings, *, lexicon: Any = None, workers: int | None = None) -> None:
        self.settings = settings
        self.lexicon = lexicon
        self.workers = workers

    def analyze(
        self, posts: Iterable[Post], *, sources: list[str] | None = None, progress: Progress | None = None
    ) -> Analysis:
        from core.trends.analyzers.offline import analyze

        return Analysis(
            analyze(
                posts,
                sources=sources,
                lexicon=self.lexicon,
                progress=progress,
                settings=self.settings,
                workers=self.workers,
            )
        )


def new_analyzer(name: str, settings: Settings, **options: Any) -> Analyzer:
    """The analyzer called `name` (one of `ANALYZERS`), configured from `settings`.

    Options: `lexicon` (both), `workers` (offline), `model` and `deadline_s` (groq)."""
    if name == "offline":
        return OfflineAnalyzer(settings, **options)
    if name == "groq":
        from core.trends.analyzers.groq.analyzer import GroqAnalyzer

        return GroqAnalyzer(settings, **options)
    raise ConfigError(f"unknown analyzer {name!r}; choose one of {', '.join(ANALYZERS)}")
