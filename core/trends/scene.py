"""From ranked trend terms to the photo scene the Studio uses (environment, light, palette, mood, prompt).

Terms are scored by share boosted by positive momentum, so a rising colour beats a steady one of
similar size. A field comes from the posts only where they back it (core/trends/support.py); anything
else is the house default, and `scene.sources` records which is which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.trends.lexicon import REPORTED
from core.trends.report import DEFAULT_SCENE, Emerging, Scene, SceneSource, TermTrend, TrendReport
from core.trends.support import SupportRules, split_weak

# style -> mood words for the photo (anything else reads as the style name itself)
MOODS: dict[str, str] = {
    "minimalist": "calm, clean",
    "old money": "quiet, refined",
    "streetwear": "urban, bold",
    "gorpcore": "outdoorsy, functional",
    "athleisure": "fresh, energetic",
    "preppy": "crisp, polished",
    "vintage": "nostalgic, warm",
    "boho": "relaxed, earthy",
    "workwear": "rugged, honest",
    "y2k": "playful, glossy",
    "cottagecore": "soft, romantic",
    "dark academia": "moody, scholarly",
    "techwear": "sleek, futuristic",
    "grunge": "raw, moody",
    "business casual": "confident, neat",
    "luxury": "premium, polished",
    "scandi": "light, airy",
    "parisian": "effortless, chic",
    "coquette": "delicate, romantic",
    "western": "sunlit, rugged",
    "tailored": "sharp, refined",
    "sustainable": "natural, honest",
    "casual": "easy, natural",
}
PALETTE_SIZE = 4


def _score(term: TermTrend) -> float:
    return term.share * (1.0 + max(min(term.momentum, 3.0), 0.0))


def _top(terms: list, n: int) -> list:
    return sorted(terms, key=_score, reverse=True)[:n]


def _leader(terms: list, rules: SupportRules, noun: str) -> tuple[TermTrend | None, SceneSource]:
    """The top term when the posts back it (support and a margin over the runner-up), else None."""
    ranked = _top(terms, 2)
    if not ranked:
        return None, SceneSource(source="default", reason=f"no post mentions a {noun}")
    top = ranked[0]
    if top.posts < rules.scene_min_posts:
        return None, SceneSource(
            source="default",
            term=top.name,
            posts=top.posts,
            reason=f"the top {noun}, {top.name}, has only {_posts(top.posts)}, "
            f"{rules.scene_min_posts} needed",
        )
    if len(ranked) > 1 and _score(top) < rules.scene_margin * _score(ranked[1]):
        second = ranked[1]
        return None, SceneSource(
            source="default",
            term=top.name,
            posts=top.posts,
            reason=f"no clear leader, {top.name} {_posts(top.posts)} vs {second.name} {second.posts}",
        )
    return top, SceneSource(source="posts", term=top.name, posts=top.posts)


def _backed(terms: list, n: int, rules: SupportRules, noun: str) -> tuple[list, SceneSource]:
    """Up to n top terms, each with enough posts (palette, textures, mood)."""
    chosen = [t for t in _top(terms, n) if t.posts >= rules.scene_min_posts]
    if not chosen:
        return [], SceneSource(source="default", reason=f"no {noun} has {rules.scene_min_posts}+ posts")
    return chosen, SceneSource(
        source="posts", term=", ".join(t.name for t in chosen), posts=min(t.posts for t in chosen)
    )


def _posts(n: int) -> str:
    return f"{n} post" if n == 1 else f"{n} posts"


def derive_scene(report: TrendReport, rules: SupportRules | None = None) -> Scene:
    """The scene the posts back, field by field (the rest from the house default); deterministic, so
    the same report always gives the same photo. `scene.sources` tells which field came from where."""
    rules = rules or SupportRules()
    environment, env_source = _leader(report.environments, rules, "setting")
    lighting, light_source = _leader(report.lighting, rules, "light")
    colors, color_source = _backed(report.colors, PALETTE_SIZE, rules, "colour")
    materials, _ = _backed(report.materials, 2, rules, "material")
    patterns, _ = _backed(report.patterns, 1, rules, "pattern")
    textures = [t.name for t in materials + patterns]
    texture_source = (
        SceneSource(
            source="posts", term=", ".join(textures), posts=min(t.posts for t in materials + patterns)
        )
        if textures
        else SceneSource(
            source="default", reason=f"no material or pattern has {rules.scene_min_posts}+ posts"
        )
    )
    styles, mood_source = _backed(report.styles, 2, rules, "style")
    env = environment.name if environment else DEFAULT_SCENE.environment
    light = lighting.name if lighting else DEFAULT_SCENE.lighting
    palette = [c.hex for c in colors] or list(DEFAULT_SCENE.colors)
    mood = ", ".join(dict.fromkeys(MOODS.get(s.name, s.name) for s in styles)) or DEFAULT_SCENE.mood
    color_words = " and ".join(c.name for c in colors[:3]) if colors else "warm neutral"
    texture_words = f", {' and '.join(textures)} textures" if textures else ""
    style_words = f", {' '.join(s.name for s in styles)} styling" if styles else ""
    prompt = (
        f"e-commerce product photo, {mood} mood, {env} setting, {light}, "
        f"{color_words} colour palette{texture_words}{style_words}, high detail, no people, "
        "product centred with space around it"
    )
    sources = {
        "environment": env_source,
        "lighting": light_source,
        "colors": color_source,
        "textures": texture_source,
        "mood": mood_source,
    }
    return Scene(
        environment=env,
        lighting=light,
        colors=palette,
        textures=textures or list(DEFAULT_SCENE.textures),
        mood=mood,
        prompt=prompt,
        sources=sources,
    )


def apply_support(report: TrendReport, rules: SupportRules) -> TrendReport:
    """A report whose ranked lists hold only supported terms (the rest moved to `weak`), whose emerging
    terms are all supported, and whose scene says which fields the posts back. For analyzers (Groq)
    that rank first and check support afterwards; the offline analyzer splits while ranking."""
    lists: dict[str, list[TermTrend]] = {}
    weak = {k: list(v) for k, v in report.weak.items()}
    for category in REPORTED:
        ranked, dropped = split_weak(getattr(report, category), rules)
        lists[category] = ranked
        if dropped:
            weak[category] = weak.get(category, []) + dropped
    supported = {t.name for items in lists.values() for t in items}
    emerging: list[Emerging] = [e for e in report.emerging if e.term in supported]
    updated = report.model_copy(update={**lists, "weak": weak, "emerging": emerging})
    return updated.model_copy(update={"scene": derive_scene(updated, rules)})


FIELD_NAMES = {
    "environment": "setting",
    "lighting": "light",
    "colors": "palette",
    "textures": "textures",
    "mood": "mood",
}
"""What an analyst calls each scene field (the page and the Studio say these words)."""


def _sources(scene: Scene | Mapping[str, Any]) -> dict[str, SceneSource]:
    raw = scene.sources if isinstance(scene, Scene) else (scene.get("sources") or {})
    return {f: SceneSource.model_validate(src) for f, src in raw.items()}


def from_posts(scene: Scene | Mapping[str, Any]) -> list[str]:
    """The scene fields the posts back, by their analyst names (the others are the house default)."""
    return [FIELD_NAMES.get(f, f) for f, src in _sources(scene).items() if src.source == "posts"]


def source_lines(scene: Scene | Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, where from) per scene field: from the posts (which terms, how many posts) or the house
    default (why), e.g. ("palette", "from the posts: butter yellow, navy (181+ posts each)")."""
    lines = []
    for field, src in _sources(scene).items():
        if src.source == "posts":
            support = f"{src.posts}+ posts each" if ", " in src.term else _posts(src.posts)
            lines.append((FIELD_NAMES.get(field, field), f"from the posts: {src.term} ({support})"))
        else:
            lines.append(
                (FIELD_NAMES.get(field, field), "house default" + (f" ({src.reason})" if src.reason else ""))
            )
    return lines


def sources_summary(scene: Scene | Mapping[str, Any]) -> str:
    """One line for a caption (Studio, FLUX prompt): which fields the posts back and which are the house
    default, and why; '' for a scene that records no sources (an older report, a hand-made scene)."""
    sources = _sources(scene)
    backed = [FIELD_NAMES.get(f, f) for f, src in sources.items() if src.source == "posts"]
    default = {FIELD_NAMES.get(f, f): src.reason for f, src in sources.items() if src.source != "posts"}
    if default and not backed and len(set(default.values())) == 1:
        reason = next(iter(default.values()))
        return "Every scene field is the house default" + (f" ({reason})." if reason else ".")
    parts = [f"From the posts: {', '.join(backed)}."] if backed else []
    if default:
        parts.append(
            "House default: "
            + "; ".join(f"{name} ({why})" if why else name for name, why in default.items())
            + "."
        )
    return " ".join(parts)
