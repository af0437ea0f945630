"""Offline versus LLM: how far two trend reports agree, as plain rows for a side-by-side view."""

from __future__ import annotations

from typing import Any

from core.trends.lexicon import CATEGORIES
from core.trends.report import TrendReport


def agreement(offline: TrendReport, llm: TrendReport, *, top: int = 10) -> dict[str, float | None]:
    """Jaccard overlap of each category's top terms (None when both lists are empty)."""
    out: dict[str, float | None] = {}
    for category in CATEGORIES:
        a = {t.name.lower() for t in getattr(offline, category)[:top]}
        b = {t.name.lower() for t in getattr(llm, category)[:top]}
        out[category] = round(len(a & b) / len(a | b), 3) if a | b else None
    return out


def side_by_side(
    offline: TrendReport, llm: TrendReport, category: str, *, top: int = 10
) -> list[dict[str, Any]]:
    """Rank-aligned rows: each analyzer's n-th term with share and momentum, and whether both found it."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}")
    left, right = getattr(offline, category)[:top], getattr(llm, category)[:top]
    names_left = {t.name.lower() for t in left}
    names_right = {t.name.lower() for t in right}
    rows = []
    for rank in range(max(len(left), len(right))):
        a = left[rank] if rank < len(left) else None
        b = right[rank] if rank < len(right) else None
        rows.append(
            {
                "rank": rank + 1,
                "offline": a.name if a else "",
                "offline share": round(a.share, 3) if a else None,
                "offline momentum": round(a.momentum, 2) if a else None,
                "offline also in LLM": bool(a and a.name.lower() in names_right),
                "llm": b.name if b else "",
                "llm share": round(b.share, 3) if b else None,
                "llm momentum": round(b.momentum, 2) if b else None,
                "llm also offline": bool(b and b.name.lower() in names_left),
            }
        )
    return rows
