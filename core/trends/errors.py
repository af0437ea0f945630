"""Trend Explorer errors; each message says what the user can do about it."""

from __future__ import annotations

from core.errors import TrendStudioError


class SourceError(TrendStudioError):
    """A post source cannot be read at all (missing file, unknown format, missing columns)."""


class RedditError(SourceError):
    """The live Reddit crawl failed (credentials, permissions, rate limit, server, network)."""


class AnalysisError(TrendStudioError):
    """There is nothing to analyse (no posts, or none in the chosen window)."""
