"""Grounding and deterministic merging of per-chunk LLM answers into a TrendReport."""

from __future__ import annotations

import pytest

from core.trends.analyzers.groq.merge import Chunk, colour_hex, merge
from core.trends.analyzers.groq.prompt import ChunkAnalysis
from core.trends.posts import Post
from core.trends.report import TrendReport

COLORS = {"navy": "#1b2a4a", "butter yellow": "#f3e38c", "cream": "#f4efe6"}


def _posts(prefix: str, n: int, text: str = "butter yellow suede") -> dict[str, Post]:
    return {
        f"{prefix}{i}": Post(
            id=f"{prefix}{i}",
            subreddit="fashion",
            title=f"{prefix} {i}",
            score=i,
            text=text,
            created_utc=1_760_000_000 + i * 86_400,
        )
        for i in range(n)
    }


def _answer(**over) -> ChunkAnalysis:
    base = {
        "colors": [
            {"name": "Navy", "hex": "#000000", "share": 0.5, "momentum": 0.0, "evidence_ids": ["a0", "zz"]},
            {"name": "Butter  Yellow", "hex": "#FF0", "share": 0.25, "momentum": 2.0, "evidence_ids": []},
            {"name": "mystery", "hex": "#ABC", "share": 0.25, "momentum": 0.0, "evidence_ids": []},
            {"name": "bad", "hex": "no colour", "share": 0.1, "momentum": 0.0},
        ],
        "styles": [
            {"name": "gorpcore", "share": 0.4, "momentum": 1.0, "evidence_ids": ["a1", "a2", "a3", "a4"]}
        ],
        "materials": [],
        "lighting": [],
        "environments": [],
        "patterns": [],
        "emerging": [{"term": "gorpcore", "momentum": 3.0, "first_seen": "2025-10-20"}],
        "topics": [{"label": "Outdoors", "terms": ["gorpcore", "fleece"], "share": 0.3}],
        "scene": {
            "environment": "Studio",
            "lighting": "soft window light",
            "colors": ["navy", "#F4EFE6", "cafe", "bad", "123"],
            "textures": ["suede"],
            "mood": "calm",
            "prompt": "a calm studio",
        },
    }
    base.update(over)
    return ChunkAnalysis.model_validate(base)


def test_colours_are_normalised_against_the_lexicon_and_invalid_ones_dropped():
    report = merge([Chunk(_posts("a", 10), _answer())], colors=COLORS, analyzer="groq:m", sources=["demo"])
    TrendReport.model_validate(report.model_dump())
    hexes = {c.name: c.hex for c in report.colors}
    assert hexes == {"navy": "#1b2a4a", "butter yellow": "#f3e38c", "mystery": "#aabbcc"}
    assert report.scene.colors == ["#1b2a4a", "#f4efe6"]  # names mapped, junk ("cafe", "bad", "123") dropped
    assert report.scene.environment == "studio"
    assert colour_hex("BAD", {}) is None and colour_hex("F4EFE6", {}) == "#f4efe6"


def test_evidence_is_grounded_in_the_chunk_and_ranked_by_score():
    report = merge([Chunk(_posts("a", 10), _answer())], colors=COLORS, analyzer="groq:m", sources=[])
    navy = next(c for c in report.colors if c.name == "navy")
    assert [e.id for e in navy.evidence] == ["a0"]  # "zz" is not a post of this chunk
    assert [e.id for e in report.styles[0].evidence] == ["a4", "a3", "a2"]
    assert report.meta.posts == 10 and report.meta.date_range == ["2025-10-09", "2025-10-18"]


def test_merge_weights_chunks_by_posts_and_is_order_independent():
    big = Chunk(_posts("a", 30), _answer())
    small_answer = _answer(
        colors=[{"name": "navy", "hex": "#1b2a4a", "share": 1.0, "momentum": 1.0, "evidence_ids": ["b1"]}],
        emerging=[{"term": "gorpcore", "momentum": 1.0, "first_seen": "not a date"}],
        scene={
            "environment": "beach",
            "lighting": "golden hour",
            "colors": ["#ffffff"],
            "mood": "sunny",
            "prompt": "a beach",
        },
    )
    small = Chunk(_posts("b", 10, text="my new Gorpcore fleece"), small_answer)
    one = merge([big, small], colors=COLORS, analyzer="groq:m", sources=[])
    two = merge([small, big], colors=COLORS, analyzer="groq:m", sources=[])
    assert one.model_dump() == two.model_dump()
    shares = {c.name: c.share for c in one.colors}
    # mentions: navy 30*.5 + 10*1 = 25, butter yellow 7.5, mystery 7.5 -> within-category shares
    assert shares == pytest.approx(
        {"navy": 25 / 40, "butter yellow": 7.5 / 40, "mystery": 7.5 / 40}, abs=1e-4
    )
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    navy = next(c for c in one.colors if c.name == "navy")
    assert navy.momentum == pytest.approx((15 * 0.0 + 10 * 1.0) / 25, abs=1e-4)
    gorp = one.emerging[0]
    # the unparsable date falls back to the first post mentioning the term in that chunk ("b0", day 0)
    assert (
        merge([Chunk(_posts("c", 3), small_answer)], colors=COLORS, analyzer="g", sources=[]).emerging == []
    )
    assert gorp.first_seen == "2025-10-09" and gorp.momentum == pytest.approx((30 * 3 + 10 * 1) / 40)
    assert one.scene.environment == "studio" and one.scene.prompt == "a calm studio"
    assert one.topics[0].label == "outdoors" and one.topics[0].share == pytest.approx(0.3)


def test_colour_aliases_fold_into_the_lexicon_name():
    answer = _answer(
        colors=[
            {"name": "Navy Blue", "hex": "#000080", "share": 0.2, "momentum": 0.0, "evidence_ids": ["a1"]},
            {"name": "navy", "hex": "#1b2a4a", "share": 0.3, "momentum": 1.0, "evidence_ids": ["a2"]},
        ]
    )
    report = merge(
        [Chunk(_posts("a", 10), answer)],
        colors=COLORS,
        aliases={"navy blue": "navy"},
        analyzer="g",
        sources=[],
    )
    assert [(c.name, c.hex, c.share) for c in report.colors] == [("navy", "#1b2a4a", 1.0)]
