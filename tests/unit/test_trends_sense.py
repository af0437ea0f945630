"""Word sense, support and the scene: names are not trends, and a scene only where the posts back it."""

from __future__ import annotations

import re

import pytest

from core.trends.analyzers.groq.merge import Chunk, merge
from core.trends.analyzers.groq.prompt import ChunkAnalysis
from core.trends.analyzers.offline import analyze
from core.trends.lexicon import load_lexicon
from core.trends.posts import Post
from core.trends.report import DEFAULT_SCENE
from core.trends.scene import apply_support, source_lines, sources_summary
from core.trends.sense import own_name_terms, sense_of
from core.trends.sources import load_posts
from core.trends.support import SupportRules
from tests.support.trends_data import reddit_dir

# the seven posts of issue 14: no colour, no setting, no light in any of them
NULL_POSTS = [
    "Old Navy sale: 50% off everything this weekend",
    "My Red Wing Iron Rangers after two years of wear",
    "Black Friday deals thread - post what you bought",
    "Clarks desert boots or Red Wing boots for winter?",
    "Review: the M65 field jacket from Alpha Industries",
    "Flash sale on outerwear, ends tonight",
    "Brooks Brothers shirts fit guide",
]


def _posts(texts: list[str], subreddit: str = "frugalmalefashion", weeks: int = 1) -> list[Post]:
    return [
        Post(
            id=f"p{i}",
            subreddit=subreddit,
            title=t,
            created_utc=1_790_000_000 + (i % weeks) * 604_800,
            score=10,
        )
        for i, t in enumerate(texts)
    ]


def test_issue_examples_read_in_their_sense():
    lex = load_lexicon()
    for text in NULL_POSTS:
        found = [c for c, _t in sense_of(lex, text)]
        assert not {"colors", "environments", "lighting"} & set(found), text
    assert ("brands", "old navy") in sense_of(lex, NULL_POSTS[0])
    assert ("brands", "red wing") in sense_of(lex, NULL_POSTS[1])
    # genuine mentions still count (recall matters as much as precision)
    assert ("colors", "navy") in sense_of(lex, "a navy blazer")
    assert ("colors", "red") in sense_of(lex, "red sneakers")
    assert {("environments", "desert"), ("lighting", "golden hour")} <= set(
        sense_of(lex, "shot in the desert at golden hour")
    )
    assert ("lighting", "flash") in sense_of(lex, "direct flash at night")


def test_general_rules_catch_names_nobody_listed():
    lex = load_lexicon()
    assert sense_of(lex, "we went to Red Rocks and then the Purple Onion") == []  # capitalised names
    assert (
        sense_of(lex, "my new beach shorts and studio headphones") == []
    )  # setting words modifying a garment
    assert sense_of(lex, "eye cream and a sand castle") == []  # colour nouns outside a colour context
    assert ("colors", "cream") in sense_of(lex, "black, cream and olive")
    assert ("colors", "navy") in sense_of(
        lex, "My New Navy Blazer And White Sneakers"
    )  # title case says nothing


def test_planted_null_posts_give_no_colour_or_setting_and_a_default_scene_that_says_so():
    report = analyze(_posts(NULL_POSTS * 3), workers=1)
    assert not report.colors and not report.environments and not report.lighting
    assert (
        not report.weak.get("colors")
        and not report.weak.get("environments")
        and not report.weak.get("lighting")
    )
    scene = report.scene
    assert (scene.environment, scene.lighting, scene.colors) == (
        DEFAULT_SCENE.environment,
        DEFAULT_SCENE.lighting,
        DEFAULT_SCENE.colors,
    )
    assert {f: s.source for f, s in scene.sources.items()} == dict.fromkeys(
        ["environment", "lighting", "colors", "textures", "mood"], "default"
    )
    assert {"old navy", "red wing", "brooks brothers"} <= {b.name for b in report.brands}


GENUINE = [
    "a navy blazer for the office party",
    "red sneakers with black jeans",
    "shot in the desert at golden hour",
    "direct flash at night in the city",
    "navy chinos and red socks, shot in the desert",
]


def test_metamorphic_names_replaced_by_neutral_words_change_nothing():
    """Names that merely contain a trend word carry no weight: swapping them for neutral words leaves
    colour/setting/light shares and the scene's setting and light unchanged."""
    with_names = GENUINE * 4 + NULL_POSTS * 4
    neutral = {
        "Old Navy": "Acme",
        "Red Wing": "Acme",
        "Black Friday": "Holiday",
        "desert boots": "chukka shoes",
        "field jacket": "canvas jacket",
        "Flash sale": "Big sale",
        "Brooks Brothers": "Acme",
    }
    replaced = [
        re.sub("|".join(map(re.escape, neutral)), lambda m: neutral[m.group()], t) for t in with_names
    ]
    a, b = analyze(_posts(with_names), workers=1), analyze(_posts(replaced), workers=1)
    for category in ("colors", "environments", "lighting"):
        assert [(t.name, round(t.share, 6), t.posts) for t in getattr(a, category)] == [
            (t.name, round(t.share, 6), t.posts) for t in getattr(b, category)
        ], category
    assert (a.scene.environment, a.scene.lighting) == (b.scene.environment, b.scene.lighting)
    assert a.scene.environment == "desert" and a.scene.sources["environment"].source == "posts"


def test_support_weak_terms_and_scene_margin():
    texts = (
        ["a navy blazer"] * 6
        + ["butter yellow dress"] * 2
        + ["shot at the beach"] * 5
        + ["shot in the park"] * 5
    )
    report = analyze(_posts(texts), workers=1)
    assert [c.name for c in report.colors] == ["navy"] and report.colors[0].posts == 6
    assert [c.name for c in report.weak["colors"]] == ["butter yellow"]  # 2 posts < min_posts
    assert report.scene.colors[0] == report.colors[0].hex and report.scene.sources["colors"].source == "posts"
    # beach and park tie: no clear leader, so the setting is the house default and says why
    assert report.scene.environment == DEFAULT_SCENE.environment
    assert "no clear leader" in report.scene.sources["environment"].reason
    ev = report.colors[0].evidence[0]
    assert ev.match.lower() == "navy" and "navy blazer" in ev.snippet


def test_apply_support_moves_under_supported_terms_for_any_analyzer():
    report = analyze(_posts(["a navy blazer"] * 6 + ["red sneakers"] * 6), workers=1)
    strict = apply_support(report, SupportRules(min_posts=7))
    assert not strict.colors and {t.name for t in strict.weak["colors"]} == {"navy", "red"}
    assert strict.scene.sources["colors"].source == "default"


def test_subreddits_own_name_is_not_its_trend():
    lex = load_lexicon()
    table = lex.term_table()[0]
    assert ("styles", "streetwear") in {table[t] for t in own_name_terms(lex, "streetwear")}
    assert ("materials", "denim") in {table[t] for t in own_name_terms(lex, "rawdenim")}
    texts = ["streetwear fit with a navy hoodie"] * 6
    assert not analyze(_posts(texts, "streetwear"), workers=1).styles
    assert [s.name for s in analyze(_posts(texts, "malefashionadvice"), workers=1).styles] == ["streetwear"]


def test_real_posts_scene_is_not_painted_by_names():
    posts = load_posts(sorted(reddit_dir().glob("*.csv"))).posts
    report = analyze(posts, workers=1)
    weak_or_ranked = {t.name for t in report.environments} | {
        t.name for t in report.weak.get("environments", [])
    }
    assert "desert" not in {t.name for t in report.environments}
    assert report.scene.environment != "field" and report.scene.lighting != "flash"
    assert {"red wing", "old navy"} & {b.name for b in report.brands}
    assert weak_or_ranked  # genuine settings are still found
    for t in report.colors[:5]:
        assert t.posts >= 3 and all(e.snippet and e.match for e in t.evidence)


@pytest.mark.parametrize("field", ["environment", "lighting", "colors", "textures", "mood"])
def test_default_scene_says_it_is_the_default(field):
    assert DEFAULT_SCENE.sources[field].source == "default"


def test_evidence_marks_the_occurrence_in_its_sense_not_an_earlier_name():
    report = analyze(_posts(["My Red Wing boots and red sneakers, shot in the park"] * 6), workers=1)
    ev = report.colors[0].evidence[0]
    assert report.colors[0].name == "red" and ev.match == "red"
    assert ev.snippet[ev.match_at :].startswith("red sneakers")  # not the "Red" of Red Wing


def test_scene_sources_read_as_one_line_for_the_studio():
    backed = analyze(
        _posts(["a navy blazer, shot in the park"] * 6 + ["a navy coat in the studio"] * 2), workers=1
    )
    summary = sources_summary(backed.scene)
    assert summary.startswith("From the posts: setting, palette.")
    assert "House default: light (no post mentions a light)" in summary
    assert sources_summary(backed.scene.model_dump()) == summary  # the Studio holds the scene as a dict
    assert dict(source_lines(backed.scene))["setting"] == "from the posts: park (6 posts)"
    null = analyze(_posts(NULL_POSTS * 3), workers=1)
    assert "setting (no post mentions a setting)" in sources_summary(null.scene)
    assert sources_summary(DEFAULT_SCENE) == "Every scene field is the house default (no trend report yet)."
    assert sources_summary({"environment": "studio"}) == ""  # a scene that records no sources


def test_groq_terms_count_their_posts_in_sense_and_share_the_support_rules():
    """An LLM's terms get `posts` like the offline analyzer's (Old Navy does not back navy), then the same
    rules: under-supported terms go to weak, never rising, and the scene says where it came from."""
    texts = (
        ["Old Navy sale this weekend"] * 6
        + ["a navy blazer for work"] * 2
        + ["quiet luxury coat, shot in the park"] * 6
    )
    posts = {p.id: p for p in _posts(texts)}
    answer = ChunkAnalysis.model_validate(
        {
            "colors": [{"name": "navy", "share": 0.9, "momentum": 2.0, "evidence_ids": ["p0"]}],
            "styles": [{"name": "Quiet Luxury", "share": 1.0, "momentum": 0.5, "evidence_ids": ["p8", "p9"]}],
            "materials": [],
            "lighting": [],
            "patterns": [],
            "environments": [{"name": "park", "share": 1.0, "momentum": 0.0, "evidence_ids": ["p10"]}],
            "emerging": [{"term": "navy", "momentum": 2.0, "first_seen": "2026-09-01"}],
            "topics": [],
            "scene": {
                "environment": "desert",
                "lighting": "flash",
                "colors": ["navy"],
                "prompt": "navy in the desert",
            },
        }
    )
    merged = merge(
        [Chunk(posts, answer)],
        colors={"navy": "#1d2a44"},
        analyzer="groq:m",
        sources=[],
        lexicon=load_lexicon(),
    )
    counts = {t.name: t.posts for c in ("colors", "styles", "environments") for t in getattr(merged, c)}
    assert counts == {"navy": 2, "quiet luxury": 6, "park": 6}  # the cited Old Navy post p0 does not count
    assert not merged.colors[0].evidence  # nor is it shown as evidence
    ev = merged.styles[0].evidence[0]
    assert ev.snippet[ev.match_at :].lower().startswith("quiet luxury")
    report = apply_support(merged, SupportRules(min_posts=4))
    assert not report.colors and [t.name for t in report.weak["colors"]] == ["navy"]
    assert not report.emerging  # navy is weak: never rising
    assert (report.scene.environment, report.scene.sources["environment"].source) == ("park", "posts")
    assert report.scene.lighting == DEFAULT_SCENE.lighting  # the model said "flash"; no post backs it
    assert "light (no post mentions a light)" in sources_summary(report.scene)
