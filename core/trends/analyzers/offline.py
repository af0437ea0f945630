"""The offline analyzer: posts in, a TrendReport out, with no network and no LLM.

Posts stream through in chunks. Each chunk is normalised, joined into one string and scanned once
by the lexicon's compiled trie regex; matches are mapped back to posts with a binary search and
aggregated with pandas into (week, subreddit, term) tables. Only those tables, a few top evidence
posts per term and a bounded topic sample are kept (`Aggregates`), so memory stays flat in the number
of posts. The aggregates become a TrendReport in core/trends/analyzers/offline_report.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sized

import numpy as np
import pandas as pd

from core.progress import Progress
from core.settings import Settings, load_settings
from core.trends.analyzers.aggregates import Aggregates
from core.trends.analyzers.offline_report import build_report, report_backtest
from core.trends.chunking import can_fork, pipelined
from core.trends.chunking import chunks as in_chunks
from core.trends.clean import engagement_array
from core.trends.evidence import EvidenceKeeper
from core.trends.lexicon import Lexicon, fold, load_lexicon, normalise
from core.trends.posts import Post
from core.trends.records import to_epoch
from core.trends.report import Backtest, TrendReport
from core.trends.rising import week_of
from core.trends.sense import SenseRules, own_name_terms
from core.trends.support import SupportRules

DEFAULTS = {
    "recent_fraction": 0.3,
    "min_recent_weeks": 2,
    "min_support": 8,
    "min_momentum": 0.5,
    "alpha": 0.001,
    "evidence_per_term": 5,
    "max_terms_per_category": 25,
    "topics": 6,
    "topic_sample": 4000,
    "chunk_size": 5000,
    "chunk_chars": 4_000_000,
    "workers": 1,
    "prior_mentions": 3.0,
    "series_terms": 40,
    "heatmap_subreddits": 15,
    "min_week_posts": 20,
    "min_history_weeks": 8,
    "window_weeks": 4,
    "step_weeks": 1,
}
_DOC_CHARS = 1500  # topic documents are truncated: titles and openings carry the topic


def analyze(
    posts: Iterable[Post],
    *,
    sources: list[str] | None = None,
    lexicon: Lexicon | None = None,
    since=None,
    progress: Progress | None = None,
    settings: Settings | None = None,
    workers: int | None = None,
) -> TrendReport:
    """Rank colours, styles, materials, patterns, lighting and environments; find what is emerging.

    `workers` > 1 moves phrase matching to worker processes for inputs larger than one chunk
    (default: config/trends.toml [analysis] workers)."""
    acc = _accumulate(
        posts, lexicon=lexicon, since=since, progress=progress, settings=settings, workers=workers
    )
    report = build_report(acc.aggregates(), sources or [])
    if progress:
        progress(1.0, f"analysed {report.meta.posts:,} posts")
    return report


def backtest_posts(
    posts: Iterable[Post], *, lexicon: Lexicon | None = None, settings: Settings | None = None
) -> Backtest:
    """The track record of "rising" calls on these posts alone (for analyzers that rank by other means,
    such as Groq: the backtest is computed from the posts, so every analyzer reports the same one)."""
    acc = _accumulate(posts, lexicon=lexicon, settings=settings, workers=1)
    if acc.relevant == 0:
        return Backtest()
    return report_backtest(acc.aggregates())


def _accumulate(
    posts: Iterable[Post],
    *,
    lexicon: Lexicon | None,
    since=None,
    progress: Progress | None = None,
    settings: Settings | None,
    workers: int | None,
) -> _Accumulator:
    """Stream the posts through matching into an accumulator, a chunk at a time."""
    settings = settings or load_settings()
    cfg = {**DEFAULTS, **settings.section("trends").get("analysis", {})}
    if workers is not None:
        cfg["workers"] = workers
    keywords = settings.section("trends").get("relevance", {}).get("keywords", [])
    acc = _Accumulator(lexicon or load_lexicon(), keywords, cfg, SupportRules.from_settings(settings))
    since_epoch = to_epoch(since) if since is not None else None
    total = len(posts) if isinstance(posts, Sized) else None

    def done(chunk: list[Post], prepared=None, found=None) -> None:
        acc.add(chunk, prepared, found)
        if progress:
            fraction = min(acc.seen / total, 1.0) if total else 0.0
            progress(fraction, f"matched {acc.seen:,} posts")

    chunks = (
        [p for p in chunk if p.created_utc >= since_epoch] if since_epoch is not None else chunk
        for chunk in in_chunks(posts, int(cfg["chunk_size"]), int(cfg["chunk_chars"]))
    )
    first = next(chunks, None)
    if first is not None:
        done(first)
    workers = int(cfg["workers"]) if lexicon is None else 1
    if workers > 1 and can_fork():
        pipelined(chunks, acc, done, workers)
    else:
        for chunk in chunks:
            done(chunk)
    return acc


def _nul_starts(big: str, n_posts: int) -> np.ndarray | None:
    """Where each post starts in the NUL-joined chunk text (None when a post carried its own NULs)."""
    starts = np.zeros(n_posts, dtype=np.int64)
    at = -1
    for i in range(1, n_posts):
        at = big.find("\x00", at + 1)
        if at < 0:
            return None
        starts[i] = at + 1
    return starts if big.find("\x00", at + 1) < 0 else None


class _Accumulator:
    def __init__(self, lexicon: Lexicon, keywords: list[str], cfg: dict, rules: SupportRules) -> None:
        self.lexicon = lexicon
        self.cfg = cfg
        self.terms = lexicon.term_table()[0]
        self.sense = SenseRules(lexicon)
        self.rules = rules
        self.ambiguous_hits = np.zeros(len(self.terms), dtype=np.int64)
        self.kept_hits = np.zeros(len(self.terms), dtype=np.int64)
        self.own_names: dict[int, np.ndarray] = {}
        words = sorted({normalise(k) for k in keywords if k.strip()}, key=len, reverse=True)
        self.keyword_re = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)") if words else None
        )
        self.subs: dict[str, int] = {}
        self.post_aggs: list[pd.DataFrame] = []
        self.match_aggs: list[pd.DataFrame] = []
        self.evidence = EvidenceKeeper(int(cfg["evidence_per_term"]))
        self.sample: list[str] = []
        self.rng = np.random.default_rng(0)
        self.seen = 0
        self.relevant = 0
        self.first = self.last = None

    def prepare(self, chunk: list[Post]) -> tuple[str, np.ndarray, str | None]:
        """One folded string per chunk (NUL between posts: no phrase can span it), post offsets, and
        the unfolded string at the same offsets (None if folding changed lengths) for capitals."""
        raw = (p.full_text for p in chunk)
        joined = "\x00".join(t if t.isascii() else unicodedata.normalize("NFKC", t) for t in raw)
        big = fold(joined)
        orig = joined if len(big) == len(joined) else None
        starts = _nul_starts(big, len(chunk))
        if starts is None:  # a post carried its own NUL bytes: fall back to per-post joins
            texts = [normalise(p.full_text).replace("\x00", " ") for p in chunk]
            big, orig = "\x00".join(texts), None
            starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        return big, starts, orig

    def match(self, big: str) -> list[tuple[int, int]]:
        return self.lexicon.match(big)

    def add(
        self,
        chunk: list[Post],
        prepared: tuple[str, np.ndarray, str | None] | None = None,
        found: list[tuple[int, int]] | None = None,
    ) -> None:
        """Aggregate one chunk; `prepared`/`found` come from `prepare`/`match` (possibly in a worker).

        Matches are read in their sense first (core/trends/sense.py: names, garment modifiers) and a
        subreddit's own name is dropped in that subreddit; what is left counts once per post."""
        self.seen += len(chunk)
        if not chunk:
            return
        big, starts, orig = prepared or self.prepare(chunk)
        found = self.match(big) if found is None else found
        n_terms = len(self.terms)
        sub = np.fromiter(
            (self.subs.setdefault(p.subreddit, len(self.subs)) for p in chunk),
            dtype=np.int64,
            count=len(chunk),
        )
        hits = np.asarray(found, dtype=np.int64).reshape(-1, 2)
        keep, ambiguous = self.sense.filter(big, orig, hits)
        self.ambiguous_hits += np.bincount(hits[ambiguous, 1], minlength=n_terms)
        hits = hits[keep]
        self.kept_hits += np.bincount(hits[:, 1], minlength=n_terms)
        hit_post = np.searchsorted(starts, hits[:, 0], side="right") - 1
        own = self._own_name(sub[hit_post], hits[:, 1])
        hits, hit_post = hits[~own], hit_post[~own]
        pairs, first = np.unique(hit_post * n_terms + hits[:, 1], return_index=True)
        post_idx, tid = pairs // n_terms, pairs % n_terms
        relevant = np.zeros(len(chunk), dtype=bool)
        relevant[post_idx] = True
        ends = np.append(starts[1:] - 1, len(big))
        if self.keyword_re is not None:  # keywords only matter for posts without any lexicon term
            for i in np.flatnonzero(~relevant):
                relevant[i] = self.keyword_re.search(big, starts[i], ends[i]) is not None
        created = np.fromiter((p.created_utc for p in chunk), dtype=np.int64, count=len(chunk))
        self.first = int(created.min()) if self.first is None else min(self.first, int(created.min()))
        self.last = int(created.max()) if self.last is None else max(self.last, int(created.max()))
        score = np.fromiter((p.score for p in chunk), dtype=float, count=len(chunk))
        comments = np.fromiter((p.num_comments for p in chunk), dtype=float, count=len(chunk))
        eng = engagement_array(score, comments)
        week = week_of(created)
        weight = 1.0 + eng
        rel = np.flatnonzero(relevant)
        self.relevant += len(rel)
        self.post_aggs.append(
            pd.DataFrame({"week": week[rel], "sub": sub[rel], "weight": weight[rel]})
            .groupby(["week", "sub"])
            .agg(n=("weight", "size"), w=("weight", "sum"))
        )
        self.match_aggs.append(
            pd.DataFrame(
                {"week": week[post_idx], "sub": sub[post_idx], "tid": tid, "weight": weight[post_idx]}
            )
            .groupby(["week", "sub", "tid"])
            .agg(n=("weight", "size"), w=("weight", "sum"))
        )
        if len(self.match_aggs) >= 8:
            self.compact()
        spans = (
            np.column_stack(
                [hits[first, 0], [self.lexicon.regex.match(big, int(p)).end() for p in hits[first, 0]]]
            )
            if len(first)
            else hits
        )
        self.evidence.add(chunk, post_idx, tid, eng, spans, orig or big, starts, ends)
        self._keep_sample(big, starts, ends, rel)

    def _own_name(self, hit_sub: np.ndarray, tid: np.ndarray) -> np.ndarray:
        """Hits that repeat their subreddit's own name."""
        mask = np.zeros(len(tid), dtype=bool)
        names = None
        for s in np.unique(hit_sub):
            own = self.own_names.get(int(s))
            if own is None:
                names = names or {i: n for n, i in self.subs.items()}
                own = self.own_names[int(s)] = own_name_terms(self.lexicon, names[int(s)])
            if len(own):
                sel = hit_sub == s
                mask[sel] = np.isin(tid[sel], own)
        return mask

    def compact(self) -> None:
        self.post_aggs = [pd.concat(self.post_aggs).groupby(level=[0, 1]).sum()]
        self.match_aggs = [pd.concat(self.match_aggs).groupby(level=[0, 1, 2]).sum()]

    def _keep_sample(self, big: str, starts: np.ndarray, ends: np.ndarray, rel: np.ndarray) -> None:
        """Reservoir sample (algorithm R) of relevant documents for the topic model."""
        size = int(self.cfg["topic_sample"])
        start = self.relevant - len(rel)
        slots = self.rng.integers(0, np.arange(start, start + len(rel)) + 1)
        for j, i in enumerate(rel):
            if len(self.sample) < size:
                self.sample.append(big[starts[i] : min(ends[i], starts[i] + _DOC_CHARS)])
            elif slots[j] < size:
                self.sample[slots[j]] = big[starts[i] : min(ends[i], starts[i] + _DOC_CHARS)]

    def aggregates(self) -> Aggregates:
        """What the report is built from (the tables compacted first)."""
        empty_posts = pd.DataFrame({"week": [], "sub": [], "n": [], "w": []})
        empty_matches = pd.DataFrame({"week": [], "sub": [], "tid": [], "n": [], "w": []})
        if self.post_aggs:
            self.compact()
        return Aggregates(
            lexicon=self.lexicon,
            terms=self.terms,
            cfg=self.cfg,
            rules=self.rules,
            subreddits={i: s for s, i in self.subs.items()},
            posts=self.post_aggs[0].reset_index() if self.post_aggs else empty_posts,
            matches=self.match_aggs[0].reset_index() if self.match_aggs else empty_matches,
            ambiguous=self.ambiguous_hits / np.maximum(self.ambiguous_hits + self.kept_hits, 1),
            evidence=self.evidence,
            sample=self.sample,
            seen=self.seen,
            relevant=self.relevant,
            first=self.first,
            last=self.last,
        )
