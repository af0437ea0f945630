"""Helpers shared by the test_llm_* modules: demo posts, a stand-in lexicon, fast settings."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from core import PROJECT_ROOT
from core.settings import Settings, load_settings
from core.trends.analyzers import Analysis, new_analyzer
from core.trends.analyzers.groq import models
from core.trends.posts import Post
from core.trends.report import TrendReport
from tests.fakes.groq import TEST_KEY, VOCAB

# Until the offline lexicon is used, a tiny colour map with the same contract (`.colors`).
LEXICON = SimpleNamespace(colors={**VOCAB["colors"], "navy": "#1b2a4a", "ivory": "#fffff0"})
FAST = {
    "deadline_s": 5.0,
    "request_timeout_s": 5.0,
    "max_attempts": 5,
    "backoff_base_s": 0.01,
    "backoff_cap_s": 0.05,
}


def demo_posts(n: int | None = None) -> list[Post]:
    """The demo corpus (or `n` posts spread evenly over it)."""
    lines = (PROJECT_ROOT / "data" / "demo" / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    posts = [Post.model_validate(json.loads(line)) for line in lines if line.strip()]
    if n is None or n >= len(posts):
        return posts
    step = len(posts) / n
    return [posts[int(i * step)] for i in range(n)]


def groq_settings(
    base_url: str | None,
    data_dir: Path,
    *,
    key: str | None = TEST_KEY,
    model: str | None = None,
    analysis: dict[str, Any] | None = None,
    **resilience: Any,
) -> Settings:
    env = {"TRENDSTUDIO_DATA": str(data_dir)}
    if key:
        env["GROQ_API_KEY"] = key
    if base_url:
        env["GROQ_BASE_URL"] = base_url
    if model:
        env["GROQ_MODEL"] = model
    settings = load_settings(env=env)
    config = dict(settings.config)
    llm = {name: dict(table) for name, table in config.get("llm", {}).items()}
    llm["resilience"] = {**llm.get("resilience", {}), **FAST, **resilience}
    llm["analysis"] = {**llm.get("analysis", {}), **(analysis or {})}
    config["llm"] = llm
    return settings.model_copy(update={"config": config})


def groq_analysis(
    posts: list[Post],
    settings: Settings,
    *,
    lexicon: Any = None,
    sources: list[str] | None = None,
    progress: Any = None,
    deadline_s: float | None = None,
    model: str | None = None,
) -> Analysis:
    """The Groq analyzer as every caller builds it: through the factory."""
    models.forget()  # each test's fake server lists its own models
    analyzer = new_analyzer("groq", settings, lexicon=lexicon, deadline_s=deadline_s, model=model)
    return analyzer.analyze(posts, sources=sources, progress=progress)


def analyze_with_groq(posts: list[Post], settings: Settings, **kwargs: Any) -> TrendReport:
    """`groq_analysis(...).report`, for tests that read the report only."""
    return groq_analysis(posts, settings, **kwargs).report
