"""Groq LLM trend analysis: the same TrendReport as the offline analyzer, written by a model.

Map-reduce: posts are cleaned, sampled if there are too many, split into chunks that fit a token
budget, each chunk is analysed by the model (validated, grounded) and the answers are merged
deterministically. Every chunk answer is cached on disk by hash of (its posts, model, prompt
version), so a rerun costs nothing and an interrupted run resumes. The configured model is checked
against Groq's model list first. Any persistent failure (model not served, key rejected, rate limits
or server errors until the deadline, invalid JSON twice) runs the offline analyzer instead: the
`Analysis.fallback` field says why, and `meta.analyzer` says so in words.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from core.budget import groq_cost, ledger_for
from core.http import RetryPolicy, scrub
from core.progress import Progress
from core.settings import Settings
from core.spend import BudgetExceeded, SpendLedger
from core.trends.analyzers.base import Analysis, Analyzer
from core.trends.analyzers.groq import prompt
from core.trends.analyzers.groq.client import GroqChat, ResponseFormat
from core.trends.analyzers.groq.errors import GroqFailure, GroqModelError
from core.trends.analyzers.groq.merge import Chunk, merge
from core.trends.analyzers.groq.models import chat_models
from core.trends.analyzers.groq.plan import Plan, make_plan
from core.trends.lexicon import Lexicon, load_lexicon
from core.trends.posts import Post
from core.trends.report import TrendReport
from core.trends.scene import apply_support
from core.trends.support import SupportRules

log = logging.getLogger(__name__)

_DEFAULTS: dict[str, dict[str, Any]] = {
    "analysis": {
        "max_posts": 600,
        "chunk_tokens": 6000,
        "max_output_tokens": 2048,
        "max_post_chars": 500,
        "max_comments": 3,
        "max_comment_chars": 160,
        "top_terms": 10,
        "evidence_per_term": 3,
        "temperature": 0.2,
    },
    "resilience": {
        "deadline_s": 240.0,
        "request_timeout_s": 60.0,
        "max_attempts": 6,
        "backoff_base_s": 1.0,
        "backoff_cap_s": 20.0,
    },
    "structured_outputs": {"strict_models": [], "json_schema_models": []},
    "reasoning": {"tokens": 0, "effort": {}},
    "prices": {},
}


def llm_config(settings: Settings) -> dict[str, dict[str, Any]]:
    """config/llm.toml over built-in defaults, table by table."""
    loaded = settings.section("llm")
    return {name: {**table, **loaded.get(name, {})} for name, table in _DEFAULTS.items()}


class GroqAnalyzer(Analyzer):
    """The Groq LLM analyzer; `model` overrides `GROQ_MODEL` (the page's model select box)."""

    name = "groq"
    label = "Groq LLM"

    def __init__(
        self,
        settings: Settings,
        *,
        model: str | None = None,
        lexicon: Any = None,
        deadline_s: float | None = None,
    ) -> None:
        self.settings = settings.model_copy(update={"groq_model": model}) if model else settings
        self.lexicon = lexicon
        self.deadline_s = deadline_s

    @property
    def model(self) -> str:
        return self.settings.groq_model

    def unavailable(self) -> str | None:
        if not self.settings.secret("groq_api_key"):
            return "set GROQ_API_KEY (environment or .streamlit/secrets.toml)"
        return None

    def models(self) -> list[str]:
        """Groq's listed chat models (cached for the session), the configured one always included."""
        listed = chat_models(self.settings) or []
        return sorted({*listed, self.model})

    def estimate(self, posts: list[Post]) -> dict[str, Any]:
        return estimate(posts, self.settings)

    def analyze(
        self, posts: list[Post], *, sources: list[str] | None = None, progress: Progress | None = None
    ) -> Analysis:
        """Analyse posts with the model; on persistent failure, the offline report and the reason."""
        settings = self.settings
        key = settings.secret("groq_api_key")
        sources = list(sources or [])

        def fallback(reason: str) -> Analysis:
            reason = scrub(reason, key)
            return Analysis(
                _offline(
                    posts, reason, settings=settings, lexicon=self.lexicon, sources=sources, progress=progress
                ),
                fallback=reason,
            )

        if not key:
            return fallback("GROQ_API_KEY is not set")
        config = llm_config(settings)
        plan = make_plan(posts, settings, config)
        if not plan.chunks:
            return fallback("no posts to analyse")
        listed = chat_models(settings)
        if listed is not None and plan.model not in listed:
            return fallback(GroqModelError(plan.model, "not in Groq's model list").reason)
        chat = build_chat(settings, deadline_s=self.deadline_s)
        try:
            chunks = _analyse_chunks(plan, chat, _cache_dir(settings), progress, _Meter(settings))
        except GroqFailure as exc:
            return fallback(exc.reason)
        except BudgetExceeded as exc:  # over the daily cap: the request was not sent
            return fallback(str(exc))
        s = chat.stats
        log.info(
            "Groq analysis done: %d chunks, %d requests, %d retries, %d repairs, %d+%d tokens (%d reasoning)",
            len(chunks),
            s.requests,
            s.retries,
            s.repairs,
            s.input_tokens,
            s.output_tokens,
            s.reasoning_tokens,
        )
        lexicon = self.lexicon if self.lexicon is not None else load_lexicon()
        analysis = config["analysis"]
        report = merge(
            chunks,
            colors=lexicon.colors,
            aliases=getattr(lexicon, "color_aliases", None),
            analyzer=f"groq:{plan.model}",
            sources=sources,
            top_terms=int(analysis["top_terms"]),
            evidence_per_term=int(analysis["evidence_per_term"]),
            lexicon=lexicon,
        )
        # the offline analyzer's support rules: weak terms apart, a scene field only where the posts back it
        report = apply_support(report, SupportRules.from_settings(settings))
        # the track record of "rising" comes from the posts themselves, so both analyzers report the same
        from core.trends.analyzers.offline import backtest_posts

        own = self.lexicon if isinstance(self.lexicon, Lexicon) else None  # tests pass a colour table
        track = backtest_posts(posts, lexicon=own, settings=settings)
        return Analysis(report.model_copy(update={"backtest": track}))


def response_format(model: str, config: dict[str, dict[str, Any]]) -> ResponseFormat:
    """The strongest structured-output mode config/llm.toml lists for `model`."""
    outputs = config["structured_outputs"]
    if model in outputs["strict_models"]:
        return "strict"
    return "json_schema" if model in outputs["json_schema_models"] else "json_object"


def build_chat(settings: Settings, *, deadline_s: float | None = None) -> GroqChat:
    """A Groq chat client with the configured model, retry policy, deadline and response format."""
    config = llm_config(settings)
    res = config["resilience"]
    total_s = float(deadline_s if deadline_s is not None else res["deadline_s"])
    model = settings.groq_model
    return GroqChat(
        api_key=settings.secret("groq_api_key") or "",
        model=model,
        base_url=settings.groq_base_url,
        policy=RetryPolicy(
            max_attempts=int(res["max_attempts"]),
            backoff_base_s=float(res["backoff_base_s"]),
            backoff_cap_s=float(res["backoff_cap_s"]),
        ),
        deadline_at=time.monotonic() + total_s,
        request_timeout_s=float(res["request_timeout_s"]),
        response_format=response_format(model, config),
        temperature=float(config["analysis"]["temperature"]),
        max_output_tokens=int(config["analysis"]["max_output_tokens"]),
        reasoning_effort=config["reasoning"]["effort"].get(model),
        reasoning_tokens=int(config["reasoning"]["tokens"]),
    )


def estimate(posts: list[Post], settings: Settings) -> dict[str, Any]:
    """What a Groq run would send and cost, before running it (cached chunks cost nothing).

    Completions are counted at their full budget: the answer's plus, for reasoning models, the
    reasoning tokens they may spend first (billed as output)."""
    config = llm_config(settings)
    plan = make_plan(posts, settings, config)
    cache = _cache_dir(settings)
    fresh = [i for i in range(len(plan.chunks)) if not (cache / f"{plan.cache_key(i)}.json").is_file()]
    input_tokens = sum(prompt.estimate_tokens(m["content"]) for i in fresh for m in plan.messages(i))
    effort = config["reasoning"]["effort"].get(plan.model)
    per_completion = int(config["analysis"]["max_output_tokens"]) + (
        int(config["reasoning"]["tokens"]) if effort else 0
    )
    output_tokens = len(fresh) * per_completion
    priced = bool(config["prices"].get(plan.model))  # unpriced: "unknown" here, the dearest price at the cap
    cost = round(groq_cost(settings, plan.model, input_tokens, output_tokens), 4) if priced else None
    return {
        "model": plan.model,
        "posts": len(plan.posts),
        "posts_total": len(posts),
        "chunks": len(plan.chunks),
        "cached_chunks": len(plan.chunks) - len(fresh),
        "input_tokens": input_tokens,
        "max_output_tokens": output_tokens,
        "reasoning_effort": effort,
        "estimated_cost_usd": cost,
        "response_format": response_format(plan.model, config),
    }


class _Meter:
    """Each chunk request reserves its worst case (prompt + completion budget) in the spending ledger first."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ledger: SpendLedger = ledger_for(settings)

    def ask(self, chat: GroqChat, messages: list[dict[str, str]]) -> prompt.ChunkAnalysis:
        tokens = sum(prompt.estimate_tokens(m["content"]) for m in messages)
        estimate = groq_cost(
            self.settings, chat.model, tokens, chat.max_output_tokens + chat.reasoning_tokens
        )
        before = (chat.stats.input_tokens, chat.stats.output_tokens)
        with self.ledger.job("groq", chat.model, estimate) as job:
            answer = chat.analyse(messages)
            used = (chat.stats.input_tokens - before[0], chat.stats.output_tokens - before[1])
            job.settle(groq_cost(self.settings, chat.model, *used), {"tokens": used})
        return answer


def _analyse_chunks(
    plan: Plan, chat: GroqChat, cache: Path, progress: Progress | None, meter: _Meter | None = None
) -> list[Chunk]:
    by_id = {p.id: p for p in plan.posts}
    out: list[Chunk] = []
    n = len(plan.chunks)
    for i in range(n):
        path = cache / f"{plan.cache_key(i)}.json"
        answer = _read_cache(path)
        if answer is None:
            answer = meter.ask(chat, plan.messages(i)) if meter else chat.analyse(plan.messages(i))
            _write_cache(path, answer)
            note = "analysed"
        else:
            note = "from cache"
        out.append(Chunk(posts={r["id"]: by_id[r["id"]] for r in plan.chunks[i]}, answer=answer))
        if progress:
            progress((i + 1) / n, f"Groq {plan.model}: chunk {i + 1}/{n} {note}")
    return out


def _cache_dir(settings: Settings) -> Path:
    return settings.cache_dir / "llm"


def _read_cache(path: Path) -> prompt.ChunkAnalysis | None:
    try:
        return prompt.ChunkAnalysis.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: ask again


def _write_cache(path: Path, answer: prompt.ChunkAnalysis) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(answer.model_dump_json(), encoding="utf-8")
    tmp.replace(path)


def _offline(
    posts: list[Post],
    reason: str,
    *,
    settings: Settings,
    lexicon: Any,
    sources: list[str],
    progress: Progress | None,
) -> TrendReport:
    from core.trends.analyzers.offline import analyze

    log.info("Groq analysis failed (%s); using the offline analyzer", reason)
    report = analyze(posts, sources=sources or None, lexicon=lexicon, progress=progress, settings=settings)
    meta = report.meta.model_copy(update={"analyzer": f"offline (Groq failed: {reason})"})
    return report.model_copy(update={"meta": meta})
