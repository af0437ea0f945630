"""Turn per-chunk LLM answers into one TrendReport: clean, ground, merge deterministically.

Grounding: evidence ids must name posts of that chunk, colours are checked against the lexicon
(a known colour name always gets the lexicon's hex), and dates must parse. Merging weights every
chunk by its number of posts and breaks every tie by name, so the same answers always give the
same report whatever order they arrive in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.trends.analyzers.groq.prompt import ChunkAnalysis, LlmTerm, iso_date
from core.trends.evidence import snippet
from core.trends.lexicon import CATEGORIES
from core.trends.posts import Post
from core.trends.report import (
    DEFAULT_SCENE,
    ColorTrend,
    Emerging,
    Evidence,
    Meta,
    Scene,
    TermTrend,
    Topic,
    TrendReport,
    _normalise_hex,
)
from core.trends.support import supporting_posts

_SPACES = re.compile(r"\s+")
_GAP = r"[-_/\s]+"
"""Between the words of a term as posts write it ("butter-yellow", "butter  yellow")."""
_BARE_HEX = re.compile(r"[0-9a-fA-F]{6}")
_MOMENTUM_RANGE = (-1.0, 50.0)


@dataclass
class Chunk:
    """One analysed chunk: its posts (for grounding) and the model's answer."""

    posts: dict[str, Post]
    answer: ChunkAnalysis

    @property
    def weight(self) -> int:
        return len(self.posts)


@dataclass
class _Acc:
    mentions: float = 0.0  # sum of weight * share
    momentum_num: float = 0.0
    momentum_den: float = 0.0
    evidence: set[str] = field(default_factory=set)
    hex: str = ""


def term_key(name: str) -> str:
    return _SPACES.sub(" ", name).strip().lower()


def colour_hex(value: str, colors: dict[str, str]) -> str | None:
    """A colour name from the lexicon or a hex code, as canonical `#rrggbb`; None if neither."""
    named = colors.get(term_key(value))
    if named:
        return _normalise_hex(named)
    value = value.strip()
    if not (value.startswith("#") or _BARE_HEX.fullmatch(value)):
        return None  # a bare word like "bad" is not the colour #bbaadd
    try:
        return _normalise_hex(value)
    except ValueError:
        return None


def merge(
    chunks: list[Chunk],
    *,
    colors: dict[str, str],
    analyzer: str,
    sources: list[str],
    aliases: dict[str, str] | None = None,
    top_terms: int = 10,
    evidence_per_term: int = 3,
    lexicon: Any = None,
) -> TrendReport:
    """The report the rest of the product reads; identical in shape to the offline analyzer's.

    `colors` maps lexicon colour names to hex; `aliases` maps other spellings to those names. Every
    term's `posts` counts the posts that mention it (in its sense where `lexicon` knows the word) or
    that the model cited; the caller applies the support rules (`core.trends.scene.apply_support`).
    """
    posts = {pid: p for c in chunks for pid, p in c.posts.items()}
    total = sum(c.weight for c in chunks) or 1
    hexes = {term_key(k): v for k, v in colors.items()}
    canonical = {term_key(k): term_key(v) for k, v in (aliases or {}).items() if term_key(v) in hexes}
    hexes.update({alias: hexes[name] for alias, name in canonical.items()})
    categories: dict[str, list] = {}
    accumulated = {
        category: _accumulate(chunks, category, hexes, canonical if category == "colors" else {})
        for category in CATEGORIES
    }
    cited: dict[str, set[str]] = defaultdict(set)
    for accs in accumulated.values():
        for name, acc in accs.items():
            cited[name] |= acc.evidence
    support = supporting_posts(posts.values(), cited, lexicon)
    for category, accs in accumulated.items():
        categories[category] = _terms(accs, category, posts, support, top_terms, evidence_per_term)
    stamps = sorted(p.created_utc for p in posts.values())
    return TrendReport(
        meta=Meta(
            posts=len(posts),
            analyzer=analyzer,
            date_range=[iso_date(stamps[0]), iso_date(stamps[-1])] if stamps else [],
            sources=sources,
            relevant_posts=len(posts),
        ),
        **categories,
        emerging=_emerging(chunks, top_terms, categories),
        topics=_topics(chunks, total),
        scene=_scene(chunks, hexes, categories["colors"]),
    )


def _accumulate(
    chunks: list[Chunk], category: str, lexicon: dict[str, str], canonical: dict[str, str]
) -> dict[str, _Acc]:
    accs: dict[str, _Acc] = defaultdict(_Acc)
    for c in chunks:
        seen: set[str] = set()
        for term in getattr(c.answer, category):
            name = term_key(term.name)
            name = canonical.get(name, name)
            if not name or name in seen:
                continue
            hex_code = ""
            if category == "colors":
                named = lexicon.get(name)
                hex_code = colour_hex(named or getattr(term, "hex", ""), {}) or ""
                if not hex_code:
                    continue  # a colour without a usable hex cannot drive a scene
            seen.add(name)
            acc = accs[name]
            share = min(term.share, 1.0)
            acc.mentions += c.weight * share
            momentum = _clamp(term.momentum)
            acc.momentum_num += c.weight * max(share, 1e-3) * momentum
            acc.momentum_den += c.weight * max(share, 1e-3)
            acc.evidence.update(_grounded(term, c))
            acc.hex = acc.hex or hex_code
    return accs


def _grounded(term: LlmTerm, chunk: Chunk) -> list[str]:
    return [pid for pid in term.evidence_ids if pid in chunk.posts]


def _terms(
    accs: dict[str, _Acc],
    category: str,
    posts: dict[str, Post],
    support: dict[str, set[str]],
    top: int,
    per_term: int,
) -> list[TermTrend]:
    mentions = sum(a.mentions for a in accs.values())
    ranked = sorted(accs.items(), key=lambda kv: (-kv[1].mentions, kv[0]))[:top]
    out: list[TermTrend] = []
    for name, acc in ranked:
        backed = support.get(name, set())
        evidence = sorted((posts[pid] for pid in acc.evidence & backed), key=lambda p: (-p.score, p.id))[
            :per_term
        ]
        fields = {
            "name": name,
            "share": round(acc.mentions / mentions, 4) if mentions else 0.0,
            "momentum": round(acc.momentum_num / acc.momentum_den, 4) if acc.momentum_den else 0.0,
            "posts": len(backed),
            "evidence": [_evidence(p, name) for p in evidence],
        }
        out.append(ColorTrend(hex=acc.hex, **fields) if category == "colors" else TermTrend(**fields))
    return out


def _evidence(post: Post, name: str) -> Evidence:
    """The cited post, with the words around the term where the post says it (as the offline analyzer's)."""
    text = post.full_text
    words = _GAP.join(re.escape(w) for w in name.split())
    found = re.search(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE)
    cut, at = snippet(text, found.start(), found.end()) if found else ("", -1)
    return Evidence(
        id=post.id,
        title=post.title,
        subreddit=post.subreddit,
        url=post.url,
        score=post.score,
        created_utc=post.created_utc,
        snippet=cut,
        match=found.group() if found else "",
        match_at=at,
    )


def _emerging(chunks: list[Chunk], top: int, categories: dict[str, list]) -> list[Emerging]:
    weight: dict[str, float] = defaultdict(float)
    momentum: dict[str, float] = defaultdict(float)
    first: dict[str, str] = {}
    for c in chunks:
        for item in c.answer.emerging:
            name = term_key(item.term)
            seen = _first_seen(item.first_seen, name, c)
            if not name or seen is None:
                continue
            weight[name] += c.weight
            momentum[name] += c.weight * _clamp(item.momentum)
            first[name] = min(first.get(name, seen), seen)
    category_of = {t.name: category for category, terms in categories.items() for t in terms}
    items = [
        Emerging(
            term=n,
            momentum=round(momentum[n] / weight[n], 4),
            first_seen=first[n],
            category=category_of.get(n, ""),
        )
        for n in weight
    ]
    return sorted(items, key=lambda e: (-e.momentum, e.term))[:top]


def _first_seen(value: str, term: str, chunk: Chunk) -> str | None:
    """The model's date if it parses, else the chunk's first post mentioning the term."""
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        pass
    stamps = [
        p.created_utc
        for p in chunk.posts.values()
        if term in f"{p.title} {p.text} {' '.join(p.comments)}".lower()
    ]
    return iso_date(min(stamps)) if stamps else None


def _topics(chunks: list[Chunk], total: int) -> list[Topic]:
    share: dict[str, float] = defaultdict(float)
    terms: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for c in chunks:
        for topic in c.answer.topics:
            label = term_key(topic.label)
            if not label:
                continue
            share[label] += c.weight * topic.share
            for t in topic.terms:
                if term_key(t):
                    terms[label][term_key(t)] += c.weight
    ranked = sorted(share.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return [
        Topic(
            label=label,
            share=round(min(1.0, s / total), 4),
            terms=[t for t, _ in sorted(terms[label].items(), key=lambda kv: (-kv[1], kv[0]))][:8],
        )
        for label, s in ranked
    ]


def _scene(chunks: list[Chunk], lexicon: dict[str, str], colors: list) -> Scene:
    env = _vote([(term_key(c.answer.scene.environment), c.weight) for c in chunks])
    light = _vote([(term_key(c.answer.scene.lighting), c.weight) for c in chunks])
    hexes = _ranked([(h, c.weight) for c in chunks for h in _scene_hexes(c, lexicon)])[:4]
    if not hexes:
        hexes = [c.hex for c in colors[:3]] or list(DEFAULT_SCENE.colors)
    textures = _ranked(
        [(term_key(t), c.weight) for c in chunks for t in c.answer.scene.textures if term_key(t)]
    )
    # Mood and prompt are prose: take them whole from the heaviest chunk that agrees on the setting.
    voice = max(
        chunks, key=lambda c: (term_key(c.answer.scene.environment) == env, c.weight, c.answer.scene.prompt)
    )
    return Scene(
        environment=env or DEFAULT_SCENE.environment,
        lighting=light or DEFAULT_SCENE.lighting,
        colors=hexes,
        textures=textures[:4],
        mood=voice.answer.scene.mood.strip(),
        prompt=voice.answer.scene.prompt.strip(),
    )


def _scene_hexes(chunk: Chunk, lexicon: dict[str, str]) -> list[str]:
    out = []
    for value in chunk.answer.scene.colors:
        hex_code = colour_hex(value, lexicon)
        if hex_code and hex_code not in out:
            out.append(hex_code)
    return out


def _ranked(votes: list[tuple[str, int]]) -> list[str]:
    totals: dict[str, float] = defaultdict(float)
    for value, weight in votes:
        totals[value] += weight
    return [v for v, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]


def _vote(votes: list[tuple[str, int]]) -> str:
    ranked = _ranked([(v, w) for v, w in votes if v])
    return ranked[0] if ranked else ""


def _clamp(value: float) -> float:
    return max(_MOMENTUM_RANGE[0], min(_MOMENTUM_RANGE[1], float(value)))
