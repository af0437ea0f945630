"""Cleaning rules every importer shares: text clean-up, bots, deleted posts, relevance, engagement.

Rules come from config/trends.toml ([import] and [relevance]) so analysts can tune them.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.trends.lexicon import Lexicon, normalise
from core.trends.posts import Post

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}|>+|[-*+]|\d+\.)\s+|[*_~`]{1,3}|\^|&#x200b;", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_DELETED = {"[deleted]", "[removed]", "[deleted by user]", "[removed by reddit]"}
_WORD = re.compile(r"[a-z0-9]+")

DEFAULT_BOT_AUTHORS = ("automoderator",)
DEFAULT_BOT_SUFFIXES = ("bot",)
DEFAULT_BOT_PHRASES = ("i am a bot", "this action was performed automatically")


def clean_text(text: str | None) -> str:
    """Plain readable text: no URLs, no markdown marks, no HTML entities, no deleted markers."""
    if not text:
        return ""
    text = html.unescape(str(text))
    if text.strip().lower() in _DELETED:
        return ""
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _MD_MARKS.sub("", text)
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


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
        lowered = text.lower()
        return any(p in lowered for p in self.phrases)


def engagement(score: int, num_comments: int) -> float:
    """How much attention a post got, on a log scale so one viral post does not drown the rest."""
    return math.log1p(max(score, 0)) + 0.5 * math.log1p(max(num_comments, 0))


def engagement_array(score: np.ndarray, num_comments: np.ndarray) -> np.ndarray:
    """`engagement` for whole columns at once."""
    return np.log1p(np.maximum(score, 0)) + 0.5 * np.log1p(np.maximum(num_comments, 0))


def rank_by_engagement(posts: Iterable[Post]) -> list[Post]:
    """Posts, most engaging first."""
    return sorted(posts, key=lambda p: engagement(p.score, p.num_comments), reverse=True)


class RelevanceFilter:
    """Keeps posts about visual things: any lexicon term or a configured visual/fashion keyword."""

    def __init__(self, lexicon: Lexicon, keywords: Iterable[str]) -> None:
        self._lexicon = lexicon
        self._keywords = frozenset(normalise(k) for k in keywords)

    def __call__(self, post: Post) -> bool:
        text = f"{post.title}\n{post.text}"
        if self._keywords and not self._keywords.isdisjoint(_WORD.findall(text.lower())):
            return True
        return self._lexicon.regex.search(normalise(text)) is not None

    def mask(self, texts: list[str], has_term: list[bool]) -> list[bool]:
        """Vectorised form for the analyzer: texts are normalised, has_term from the matcher."""
        if not self._keywords:
            return list(has_term)
        return [hit or not self._keywords.isdisjoint(_WORD.findall(t)) for t, hit in zip(texts, has_term, strict=True)]
