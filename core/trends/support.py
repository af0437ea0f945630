"""Support rules shared by every analyzer: which terms are backed by enough posts to rank, and which
scene fields the posts back (the rest come from the house default).

One place, so the offline and Groq analyzers give reports that mean the same thing:

* a term with fewer than `min_posts` supporting posts, or one most of whose occurrences sit inside
  names or modify a garment (`ambiguous` share >= `ambiguous_share`), is *weak*: it goes to
  `report.weak[category]`, never into the ranked lists, never rising;
* a single-valued scene field (setting, light) comes from the posts only when its top term has at least
  `scene_min_posts` posts and a score `scene_margin` times the runner-up's; the palette and textures
  take only terms with `scene_min_posts`; anything else is the house default, and `scene.sources` says so
  (core/trends/scene.py applies these rules to a report and derives its scene).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from core.trends.lexicon import normalise
from core.trends.posts import Post
from core.trends.sense import sense_of


@dataclass(frozen=True)
class SupportRules:
    min_posts: int = 3
    scene_min_posts: int = 5
    scene_margin: float = 1.25
    ambiguous_share: float = 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> SupportRules:
        """config/trends.toml [support]; missing keys keep the defaults above."""
        section = settings.section("trends").get("support", {})
        known = {k: type(getattr(cls, k))(v) for k, v in section.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def is_weak(self, posts: int, ambiguous: float = 0.0) -> bool:
        return posts < self.min_posts or ambiguous >= self.ambiguous_share


def split_weak(
    terms: list, rules: SupportRules, ambiguous: dict[str, float] | None = None
) -> tuple[list, list]:
    """(ranked, weak): the terms backed by enough posts, and the rest (order kept)."""
    ambiguous = ambiguous or {}
    ranked, weak = [], []
    for term in terms:
        (weak if rules.is_weak(term.posts, ambiguous.get(term.name, 0.0)) else ranked).append(term)
    return ranked, weak


def supporting_posts(
    posts: Iterable[Post], cited: dict[str, set[str]], lexicon: Any = None
) -> dict[str, set[str]]:
    """Per term name (the keys of `cited`, normalised), the ids of the posts that back it, for analyzers
    whose terms come from elsewhere (an LLM), so their `posts` mean what the offline analyzer's mean.
    Where the lexicon knows the word, only posts using it in its trend sense count (the "navy" of Old
    Navy does not back navy, even when the model cites that post); otherwise posts that say the word or
    phrase, plus the posts the analyzer cited for it (it may have read a paraphrase)."""
    names = {normalise(n) for n in cited if normalise(n)}
    phrases = getattr(lexicon, "phrases", None) or {}
    known = {n: phrases[n] for n in names if n in phrases}
    pattern = {n: re.compile(rf"(?<!\w){re.escape(n)}(?!\w)") for n in names - set(known)}  # texts normalised
    found: dict[str, set[str]] = {n: set() for n in names}
    for post in posts:
        raw = post.full_text
        in_sense = set(sense_of(lexicon, raw)) if known else set()  # case kept: capitalised names are a cue
        text = normalise(raw)
        for name, owner in known.items():
            if owner in in_sense:
                found[name].add(post.id)
        for name, regex in pattern.items():
            if regex.search(text):
                found[name].add(post.id)
    for name, ids in cited.items():
        if normalise(name) in pattern:
            found[normalise(name)] |= set(ids)
    return found
