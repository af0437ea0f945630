"""Cleaning rules every importer shares: text clean-up, bots, deleted posts, engagement, selection.

Bot rules come from config/trends.toml [import]; the visual relevance filter ([relevance]) is applied
by the analyzer in the same vectorised pass as term matching.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from core.trends.posts import Post

_URL = re.compile(r"(?:https?://|www\.)\S+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LINE_MARKS = re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6}|>+|[-*+]|\d+\.)[ \t]+")
_LINE_MARK_STARTS = set("#>-*+0123456789 ")
_LINE_MARK_HINTS = tuple(f"\n{c}" for c in _LINE_MARK_STARTS)
_INLINE_MARKS = ("&#x200b;", "**", "~~", "`", "^", "*")
_SPACES = re.compile(r"[ \t\r\f\v]{2,}|[\t\r\f\v]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_DELETED = {"[deleted]", "[removed]", "[deleted by user]", "[removed by reddit]"}

_SUBREDDIT_NAME = re.compile(r"[A-Za-z0-9_]{1,21}")
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]+", re.IGNORECASE)

DEFAULT_BOT_AUTHORS = ("automoderator",)
DEFAULT_BOT_SUFFIXES = ("bot",)
DEFAULT_BOT_PHRASES = ("i am a bot", "this action was performed automatically")


def valid_subreddit(name: str) -> bool:
    """Reddit's own name rule: 1-21 letters, digits or underscores (nothing a page could read as markup)."""
    return _SUBREDDIT_NAME.fullmatch(name) is not None


def valid_url(url: str) -> bool:
    """An http(s) URL with no whitespace or control characters anywhere (no line breaks into a page)."""
    return _SAFE_URL.fullmatch(url) is not None


def clean_text(text: str | None) -> str:
    """Plain readable text: no URLs, no markdown marks, no HTML entities, no deleted markers.

    Cheap substring checks and `str.replace` come first: most posts need only one or two regex
    passes, which keeps importing well above 10,000 posts/s on long self-texts.
    """
    if not text:
        return ""
    text = str(text)
    if "&" in text:
        text = html.unescape(text)
    if text.strip().lower() in _DELETED:
        return ""
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "http" in text or "www." in text:
        text = _URL.sub("", text)
    for mark in _INLINE_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    if text[:1] in _LINE_MARK_STARTS or any(start in text for start in _LINE_MARK_HINTS):
        text = _LINE_MARKS.sub("", text)
    if "  " in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    if "\n\n" in text or "\n \n" in text:
        text = _BLANK_LINES.sub("\n", text)
    return text.strip()


def is_deleted(title: str, text: str) -> bool:
    """A post whose content is gone: nothing left to learn from."""
    return not title.strip() and not text.strip()


@dataclass(frozen=True)
class BotRules:
    authors: frozenset[str]
    suffixes: tuple[str, ...]
    phrases: tuple[str, ...]

    @classmethod
    def from_config(cls, section: dict) -> BotRules:
        return cls(
            authors=frozenset(a.lower() for a in section.get("bot_authors", DEFAULT_BOT_AUTHORS)),
            suffixes=tuple(s.lower() for s in section.get("bot_suffixes", DEFAULT_BOT_SUFFIXES)),
            phrases=tuple(p.lower() for p in section.get("bot_phrases", DEFAULT_BOT_PHRASES)),
        )

    def is_bot(self, author: str, text: str) -> bool:
        name = author.lower()
        if name in self.authors or (name and name.endswith(self.suffixes)):
            return True
        # lower-casing every post is costly: only texts holding a phrase's last word are checked
        if not any(hint in text for hint in self._hints):
            return False
        lowered = text.lower()
        return any(p in lowered for p in self.phrases)

    @cached_property
    def _hints(self) -> tuple[str, ...]:
        words = {p.split()[-1] for p in self.phrases if p.split()}  # " bot", not "both"/"bottom"
        return tuple(f" {w}" for word in words for w in (word, word.capitalize(), word.upper()))


def engagement(score: int, num_comments: int) -> float:
    """How much attention a post got, on a log scale so one viral post does not drown the rest."""
    return math.log1p(max(score, 0)) + 0.5 * math.log1p(max(num_comments, 0))


def engagement_array(score: np.ndarray, num_comments: np.ndarray) -> np.ndarray:
    """`engagement` for whole columns at once."""
    return np.log1p(np.maximum(score, 0)) + 0.5 * np.log1p(np.maximum(num_comments, 0))


def rank_by_engagement(posts: Iterable[Post]) -> list[Post]:
    """Posts, most engaging first."""
    return sorted(posts, key=lambda p: engagement(p.score, p.num_comments), reverse=True)


def posts_csv(posts: Iterable[Post]) -> str:
    """The posts as CSV, most engaging first (comments as a JSON list), for analysts' spreadsheets."""
    import pandas as pd

    rows = [{**p.model_dump(), "comments": json.dumps(p.comments)} for p in rank_by_engagement(posts)]
    return pd.DataFrame(rows).to_csv(index=False)


def select(
    posts: Iterable[Post],
    *,
    since: int | None = None,
    until: int | None = None,
    subreddits: Iterable[str] | None = None,
) -> list[Post]:
    """Posts created in [since, until) (epoch seconds) from the given subreddits (all when None)."""
    wanted = {s.lower() for s in subreddits} if subreddits is not None else None
    return [
        p
        for p in posts
        if (since is None or p.created_utc >= since)
        and (until is None or p.created_utc < until)
        and (wanted is None or p.subreddit.lower() in wanted)
    ]
