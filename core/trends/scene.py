"""From ranked trend terms to the photo scene the Studio uses (environment, light, palette, mood, prompt).

Terms are scored by share boosted by positive momentum, so a rising colour beats a steady one of
similar size; anything missing falls back to the default scene.
"""

from __future__ import annotations

from core.trends.report import DEFAULT_SCENE, Scene, TermTrend, TrendReport

# style -> mood words for the photo (anything else reads as the style name itself)
MOODS: dict[str, str] = {
    "minimalist": "calm, clean", "old money": "quiet, refined", "streetwear": "urban, bold",
    "gorpcore": "outdoorsy, functional", "athleisure": "fresh, energetic", "preppy": "crisp, polished",
    "vintage": "nostalgic, warm", "boho": "relaxed, earthy", "workwear": "rugged, honest",
    "y2k": "playful, glossy", "cottagecore": "soft, romantic", "dark academia": "moody, scholarly",
    "techwear": "sleek, futuristic", "grunge": "raw, moody", "business casual": "confident, neat",
    "luxury": "premium, polished", "scandi": "light, airy", "parisian": "effortless, chic",
    "coquette": "delicate, romantic", "western": "sunlit, rugged", "tailored": "sharp, refined",
    "sustainable": "natural, honest", "casual": "easy, natural",
}
PALETTE_SIZE = 4


def _score(term: TermTrend) -> float:
    return term.share * (1.0 + max(min(term.momentum, 3.0), 0.0))


def _top(terms: list, n: int) -> list:
    return sorted(terms, key=_score, reverse=True)[:n]


def derive_scene(report: TrendReport) -> Scene:
    """The scene implied by a report; deterministic, so the same report always gives the same photo."""
    environment = _top(report.environments, 1)
    lighting = _top(report.lighting, 1)
    colors = _top(report.colors, PALETTE_SIZE)
    textures = [t.name for t in _top(report.materials, 2)] + [t.name for t in _top(report.patterns, 1)]
    styles = [t.name for t in _top(report.styles, 2)]
    env = environment[0].name if environment else DEFAULT_SCENE.environment
    light = lighting[0].name if lighting else DEFAULT_SCENE.lighting
    palette = [c.hex for c in colors] or list(DEFAULT_SCENE.colors)
    mood = ", ".join(dict.fromkeys(MOODS.get(s, s) for s in styles)) or DEFAULT_SCENE.mood
    color_words = " and ".join(c.name for c in colors[:3]) if colors else "warm neutral"
    texture_words = f", {' and '.join(textures)} textures" if textures else ""
    style_words = f", {' '.join(styles)} styling" if styles else ""
    prompt = (f"e-commerce product photo, {mood} mood, {env} setting, {light}, "
              f"{color_words} colour palette{texture_words}{style_words}, high detail, no people, "
              "product centred with space around it")
    return Scene(environment=env, lighting=light, colors=palette, textures=textures or list(DEFAULT_SCENE.textures),
                 mood=mood, prompt=prompt)
