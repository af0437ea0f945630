"""Evidence posts: the few most engaging posts per term, each with the words around the match, so an
analyst can see in which sense the term was used."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.trends.posts import Post
from core.trends.report import Evidence

SNIPPET_CHARS = 90
"""Characters kept on each side of the match."""


_BREAKS = re.compile(r"[ \t]*[\r\n]+\s*")
_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    """One line: line breaks (title | body | comment) become " · ", other whitespace one space."""
    return _SPACES.sub(" ", _BREAKS.sub(" · ", text))


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> tuple[str, int]:
    """The match with up to `width` characters either side, cut at word boundaries, on one line, and
    where the match starts in it (so the page marks this occurrence, not an earlier one in another sense)."""
    left, right = max(start - width, 0), min(end + width, len(text))
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    lead = "…" if left > 0 else ""
    before = _flat(text[left:start]).lstrip(" ·")
    body = before + " ".join(text[start:end].split()) + _flat(text[end:right]).rstrip(" ·")
    return lead + body + ("…" if right < len(text) else ""), len(lead) + len(before)


class EvidenceKeeper:
    """Keeps the `k` most engaging posts per term across chunks (bounded memory)."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.kept: dict[int, list[tuple[float, Evidence]]] = {}

    def add(
        self,
        chunk: list[Post],
        post_idx: np.ndarray,
        tid: np.ndarray,
        eng: np.ndarray,
        spans: np.ndarray,
        text: str,
        starts: np.ndarray,
        ends: np.ndarray,
    ) -> None:
        """`spans` holds (start, end) of each pair's first match in `text` (the chunk's joined posts)."""
        if not len(post_idx):
            return
        best = (
            pd.DataFrame({"post": post_idx, "tid": tid, "eng": eng[post_idx], "row": np.arange(len(tid))})
            .sort_values("eng", ascending=False, kind="stable")
            .groupby("tid")
            .head(self.k)
        )
        for post_i, term_i, value, row in best.itertuples(index=False):
            p = chunk[post_i]
            start, end = int(spans[row, 0]), int(spans[row, 1])
            lo, hi = int(starts[post_i]), int(ends[post_i])
            piece = text[lo:hi].replace("\x00", " ")
            cut, at = snippet(piece, start - lo, end - lo)
            kept = self.kept.setdefault(int(term_i), [])
            kept.append(
                (
                    float(value),
                    Evidence(
                        id=p.id,
                        title=p.title[:200],
                        subreddit=p.subreddit,
                        url=p.url,
                        score=p.score,
                        created_utc=p.created_utc,
                        snippet=cut,
                        match=" ".join(text[start:end].split()),
                        match_at=at,
                    ),
                )
            )
            if len(kept) > 2 * self.k:
                kept.sort(key=lambda item: item[0], reverse=True)
                del kept[self.k :]

    def top(self, tid: int) -> list[Evidence]:
        kept = sorted(self.kept.get(tid, []), key=lambda item: item[0], reverse=True)
        return [e for _v, e in kept[: self.k]]
