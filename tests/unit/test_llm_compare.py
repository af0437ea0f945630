"""The offline-versus-LLM comparison rows shown side by side on the Trend Explorer."""

from __future__ import annotations

import pytest

from core.trends.analyzers.compare import agreement, side_by_side
from core.trends.report import DEFAULT_SCENE, ColorTrend, Meta, TermTrend, TrendReport


def _report(analyzer: str, colors: list[str], styles: list[str]) -> TrendReport:
    n = len(colors) or 1
    return TrendReport(
        meta=Meta(posts=10, analyzer=analyzer),
        colors=[
            ColorTrend(name=c, hex="#112233", share=1 / n, momentum=i * 0.5) for i, c in enumerate(colors)
        ],
        styles=[TermTrend(name=s, share=0.5, momentum=0.0) for s in styles],
        scene=DEFAULT_SCENE,
    )


def test_agreement_is_jaccard_of_top_terms_per_category():
    offline = _report("offline", ["navy", "black", "cream"], ["y2k"])
    llm = _report("groq:m", ["Navy", "butter yellow"], [])
    scores = agreement(offline, llm)
    assert scores["colors"] == pytest.approx(1 / 4)
    assert scores["styles"] == 0.0 and scores["materials"] is None
    assert agreement(offline, llm, top=1)["colors"] == 1.0


def test_side_by_side_rows_align_by_rank_and_mark_shared_terms():
    rows = side_by_side(
        _report("offline", ["navy", "black", "cream"], []), _report("g", ["cream", "navy"], []), "colors"
    )
    assert [(r["rank"], r["offline"], r["llm"]) for r in rows] == [
        (1, "navy", "cream"),
        (2, "black", "navy"),
        (3, "cream", ""),
    ]
    assert [r["offline also in LLM"] for r in rows] == [True, False, True]
    assert rows[2]["llm share"] is None and rows[1]["offline momentum"] == 0.5
    with pytest.raises(ValueError, match="unknown category"):
        side_by_side(_report("o", [], []), _report("g", [], []), "vibes")
