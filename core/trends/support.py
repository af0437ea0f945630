"""Support rules shared by every analyzer: which terms are backed by enough posts to rank, and which
scene fields the posts back (the rest come from the house default).

One place, so the offline and Groq analyzers give reports that mean the same thing:

* a term with fewer than `min_posts` supporting posts, or one most of whose occurrences sit inside
  names or modify a garment (`ambiguous` share >= `ambiguous_share`), is *weak*: it goes to
  `report.weak[category]`, never into the ranked lists, never rising;
* a single-valued scene field (setting, light) comes from the posts only when its top term has at least
  `scene_min_posts` posts and a score `scene_margin` times the runner-up's; the palette and textures
  take only terms with `scene_min_posts`; anything else is the house default, and `scene.sources` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import Settings
from core.trends.lexicon import CATEGORIES
from core.trends.report import Emerging, TermTrend, TrendReport


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


def split_weak(terms: list, rules: SupportRules, ambiguous: dict[str, float] | None = None) -> tuple[list, list]:
    """(ranked, weak): the terms backed by enough posts, and the rest (order kept)."""
    ambiguous = ambiguous or {}
    ranked, weak = [], []
    for term in terms:
        (weak if rules.is_weak(term.posts, ambiguous.get(term.name, 0.0)) else ranked).append(term)
    return ranked, weak


def apply_support(report: TrendReport, rules: SupportRules) -> TrendReport:
    """A report whose ranked lists hold only supported terms (the rest moved to `weak`), whose emerging
    terms are all supported, and whose scene says which fields the posts back. For analyzers (Groq)
    that rank first and check support afterwards; the offline analyzer splits while ranking."""
    from core.trends.scene import derive_scene  # the scene is built from the supported lists

    lists: dict[str, list[TermTrend]] = {}
    weak = {k: list(v) for k, v in report.weak.items()}
    for category in CATEGORIES:
        ranked, dropped = split_weak(getattr(report, category), rules)
        lists[category] = ranked
        if dropped:
            weak[category] = weak.get(category, []) + dropped
    supported = {t.name for items in lists.values() for t in items}
    emerging: list[Emerging] = [e for e in report.emerging if e.term in supported]
    updated = report.model_copy(update={**lists, "weak": weak, "emerging": emerging})
    return updated.model_copy(update={"scene": derive_scene(updated, rules)})
